"""The supervisor sign-in dialog: badge scan plus PIN, or user name plus password.

A badge scanner types like a keyboard, so the badge field simply takes the scan (or arrives pre-filled
when the packer screen saw a supervisor badge while blocked). Failed attempts keep the dialog open with
the domain's safe message (it never says whether the badge exists); a lockout says until when. An
optional `authorize(user)` check runs after a good login, so a packer's badge is refused right here,
with the reason, and the next person can try.

A right PIN that is too short for the site or stored before peppering signs in only after choosing a new
one: the dialog then shows a "new PIN, twice" box in place of the tabs. Messages go in a word-wrapped area
under the fields; the dialog grows to fit them and the fields keep their height (a three-line lockout
message used to squash the badge and PIN fields to a few pixels).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.file_guard import StorageError
from station.users import (
    AccountLocked,
    AuthError,
    ClearanceRefused,
    CredentialStoreError,
    PinChangeRequired,
    User,
    UserDirectory,
    UserError,
)
from ui.background import BackgroundCall
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.refusal_words import storage_words
from ui.supervisor.style import STYLE_SHEET, local_time
from ui.user_words import auth_error_text, refusal_text, user_error_text

logger = logging.getLogger(__name__)


SIGN_IN = QT_TRANSLATE_NOOP("Supervisor", "Supervisor sign-in")


class SupervisorLoginDialog(QDialog):
    """Sign-in. After `accept()`, `user` is the authenticated (and authorized) user."""

    def __init__(
        self,
        directory: UserDirectory,
        badge: str | None = None,
        purpose: str = SIGN_IN,
        authorize: Callable[[User], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self.user: User | None = None
        self._authorize = authorize
        purpose = translate("Supervisor", purpose) if purpose == SIGN_IN else purpose
        self.setWindowTitle(purpose)
        self.setStyleSheet(STYLE_SHEET)

        title = QLabel(purpose)
        title.setObjectName("title")
        self.tabs = QTabWidget()
        badge_page = QWidget()
        form = QFormLayout(badge_page)
        self.badge_edit = QLineEdit(badge or "")
        self.badge_edit.setPlaceholderText(translate("Supervisor", "scan your badge"))
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText(translate("Supervisor", "PIN"))
        form.addRow(translate("Supervisor", "Badge"), self.badge_edit)
        form.addRow(translate("Supervisor", "PIN"), self.pin_edit)
        password_page = QWidget()
        form2 = QFormLayout(password_page)
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form2.addRow(translate("Supervisor", "User name"), self.name_edit)
        form2.addRow(translate("Supervisor", "Password"), self.password_edit)
        self.tabs.addTab(badge_page, translate("Supervisor", "Badge + PIN"))
        self.tabs.addTab(password_page, translate("Supervisor", "Name + password"))
        self.tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # never squashed
        self.tabs.setMinimumWidth(520)

        # Shown instead of the tabs when the PIN must be changed before signing in.
        self.change_box = QWidget()
        change_form = QFormLayout(self.change_box)
        self.change_label = QLabel("")
        self.change_label.setWordWrap(True)
        self.new_pin_edit = QLineEdit()
        self.new_pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin_edit.setPlaceholderText(translate("Supervisor", "new PIN"))
        self.new_pin_again_edit = QLineEdit()
        self.new_pin_again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin_again_edit.setPlaceholderText(translate("Supervisor", "new PIN again"))
        change_form.addRow(self.change_label)
        change_form.addRow(translate("Supervisor", "New PIN"), self.new_pin_edit)
        change_form.addRow(translate("Supervisor", "New PIN again"), self.new_pin_again_edit)
        self.change_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.change_box.setVisible(False)
        self.new_pin_edit.returnPressed.connect(self.new_pin_again_edit.setFocus)
        self._old_pin: str | None = None
        self._call: BackgroundCall | None = None

        self.error_label = QLabel("")
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("Supervisor", "Sign in"))
        self.buttons.accepted.connect(self._on_sign_in_clicked)
        self.buttons.rejected.connect(self.reject)
        # A scanner ends the badge with Enter: move on to the PIN rather than submitting an empty one.
        self.badge_edit.returnPressed.connect(self.pin_edit.setFocus)
        self.name_edit.returnPressed.connect(self.password_edit.setFocus)

        layout = self._layout = QVBoxLayout(self)
        # No minimum size on the dialog itself: then Qt sets it from the layout (SetDefaultConstraint), so the
        # fields can never be squashed below their height; the width comes from the tabs.
        layout.addWidget(title)
        layout.addWidget(self.tabs)
        layout.addWidget(self.change_box)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        (self.pin_edit if badge else self.badge_edit).setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        directory: UserDirectory,
        badge: str | None = None,
        purpose: str = SIGN_IN,
        authorize: Callable[[User], None] | None = None,
    ) -> User | None:
        """Show the dialog modally; the signed-in user, or None when cancelled."""
        dialog = cls(directory, badge, purpose, authorize, parent)
        try:
            return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    @property
    def checking(self) -> bool:
        """True while a PIN or password check runs in the background (the Sign in button says so)."""
        return self._call is not None

    def _on_sign_in_clicked(self) -> None:
        """Start the check off the GUI thread (argon2 takes about 0.16 s); `_on_checked` gets the outcome.
        A second Enter or click while a check runs starts nothing."""
        if self._call is not None:
            return
        if self._old_pin is not None:
            new, again = self.new_pin_edit.text(), self.new_pin_again_edit.text()
            self.new_pin_edit.clear()
            self.new_pin_again_edit.clear()
            self.new_pin_edit.setFocus()
            if new != again:
                self._show_message(translate("Supervisor", "The two new PINs differ. Type the new PIN twice."))
                return
            badge, old_pin = self.badge_edit.text(), self._old_pin

            def check() -> User:
                return self.directory.change_pin_badge(badge, old_pin, new)
        elif self.tabs.currentIndex() == 0:
            badge, pin = self.badge_edit.text(), self.pin_edit.text()

            def check() -> User:
                return self.directory.authenticate_badge(badge, pin)
        else:
            name, password = self.name_edit.text(), self.password_edit.text()

            def check() -> User:
                return self.directory.authenticate_password(name, password)

        self._set_checking(True)
        self._call = BackgroundCall(check)
        self._call.finished.connect(self._on_checked)
        self._call.start()

    def _set_checking(self, on: bool) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(translate("Supervisor", "Checking…") if on else translate("Supervisor", "Sign in"))
        ok.setEnabled(not on)
        for edit in (
            self.badge_edit,
            self.pin_edit,
            self.name_edit,
            self.password_edit,
            self.new_pin_edit,
            self.new_pin_again_edit,
        ):
            edit.setReadOnly(on)

    def reject(self) -> None:
        if self._call is not None:  # the check finishes in a fraction of a second; its outcome must land
            return
        super().reject()

    @Slot(object, object)
    def _on_checked(self, user: User | None, error: Exception | None) -> None:
        self._call = None
        self._set_checking(False)
        changing = self._old_pin is not None
        if error is not None:
            self._on_check_failed(error, changing)
            return
        assert user is not None
        if self._authorize is not None:
            try:
                self._authorize(user)
            except ClearanceRefused as exc:
                self.directory.record_logout(user, "refused")
                self._fail(f"{refusal_text(exc)}.")
                self.badge_edit.clear()
                self.badge_edit.setFocus()
                return
        self.user = user
        self.accept()

    def _on_check_failed(self, error: Exception, changing: bool) -> None:
        if changing and isinstance(error, UserError):  # a new PIN the site does not accept
            text = user_error_text(error)
            self._show_message(f"{text[:1].upper()}{text[1:]}.")
            return
        if isinstance(error, AccountLocked):
            self._leave_change()
            self._fail(
                translate(
                    "Supervisor",
                    "Locked after too many wrong attempts. Try again after {time}, "
                    "or ask an admin to lift the lockout or reset the PIN.",
                ).format(time=local_time(error.until))
            )
        elif isinstance(error, PinChangeRequired):
            self._ask_new_pin(error.min_digits)
        elif isinstance(error, CredentialStoreError):
            self._fail(
                translate("Supervisor", "PINs cannot be checked on this station: {why}. Call an admin.").format(
                    why=auth_error_text(error)
                )
            )
        elif isinstance(error, AuthError):
            self._leave_change()
            self._fail(translate("Supervisor", "Not accepted: {why}.").format(why=auth_error_text(error)))
        elif isinstance(error, StorageError):
            self._fail(translate("Supervisor", "Not signed in: {why}.").format(why=storage_words(error)))
        else:
            raise error

    def _ask_new_pin(self, min_digits: int) -> None:
        """The PIN was right but must be replaced: keep it for the change, ask for the new one twice."""
        self._old_pin = self.pin_edit.text()
        self.tabs.setVisible(False)
        self.change_box.setVisible(True)
        self.change_label.setText(
            translate(
                "Supervisor",
                "Your PIN must be changed before you sign in. Choose a new PIN of at least {digits} digits, "
                "and type it twice.",
            ).format(digits=min_digits)
        )
        self._show_message("")
        self.new_pin_edit.setFocus()

    def _leave_change(self) -> None:
        self._old_pin = None
        self.change_box.setVisible(False)
        self.tabs.setVisible(True)

    def _show_message(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        layout = self._layout
        layout.activate()
        # Grow to fit: a wrapped label's height depends on the width it gets, which the minimum size ignores.
        needed = (
            layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(self.width(), needed)

    def _fail(self, message: str) -> None:
        self._show_message(message)
        self.pin_edit.clear()
        self.password_edit.clear()
        (self.pin_edit if self.tabs.currentIndex() == 0 else self.password_edit).setFocus()
