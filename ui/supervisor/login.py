"""The supervisor sign-in dialog: badge scan plus PIN, or user name plus password.

A badge scanner types like a keyboard, so the badge field simply takes the scan (or arrives pre-filled
when the packer screen saw a supervisor badge while blocked). Failed attempts keep the dialog open with
the domain's safe message (it never says whether the badge exists); a lockout says until when. An
optional `authorize(user)` check runs after a good login, so a packer's badge is refused right here,
with the reason, and the next person can try.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.users import AccountLocked, AuthError, ClearanceRefused, User, UserDirectory
from ui.supervisor.style import STYLE_SHEET, local_time

logger = logging.getLogger(__name__)


class SupervisorLoginDialog(QDialog):
    """Sign-in. After `accept()`, `user` is the authenticated (and authorized) user."""

    def __init__(self, directory: UserDirectory, badge: str | None = None, purpose: str = "Supervisor sign-in",
                 authorize: Callable[[User], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self.user: User | None = None
        self._authorize = authorize
        self.setWindowTitle(purpose)
        self.setStyleSheet(STYLE_SHEET)
        self.setMinimumWidth(560)

        title = QLabel(purpose)
        title.setObjectName("title")
        self.tabs = QTabWidget()
        badge_page = QWidget()
        form = QFormLayout(badge_page)
        self.badge_edit = QLineEdit(badge or "")
        self.badge_edit.setPlaceholderText("scan your badge")
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("PIN")
        form.addRow("Badge", self.badge_edit)
        form.addRow("PIN", self.pin_edit)
        password_page = QWidget()
        form2 = QFormLayout(password_page)
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form2.addRow("User name", self.name_edit)
        form2.addRow("Password", self.password_edit)
        self.tabs.addTab(badge_page, "Badge + PIN")
        self.tabs.addTab(password_page, "Name + password")

        self.error_label = QLabel("")
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        self.buttons.accepted.connect(self._on_sign_in_clicked)
        self.buttons.rejected.connect(self.reject)
        # A scanner ends the badge with Enter: move on to the PIN rather than submitting an empty one.
        self.badge_edit.returnPressed.connect(self.pin_edit.setFocus)
        self.name_edit.returnPressed.connect(self.password_edit.setFocus)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        (self.pin_edit if badge else self.badge_edit).setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(cls, parent: QWidget | None, directory: UserDirectory, badge: str | None = None,
            purpose: str = "Supervisor sign-in", authorize: Callable[[User], None] | None = None) -> User | None:
        """Show the dialog modally; the signed-in user, or None when cancelled."""
        dialog = cls(directory, badge, purpose, authorize, parent)
        try:
            return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _on_sign_in_clicked(self) -> None:
        try:
            if self.tabs.currentIndex() == 0:
                user = self.directory.authenticate_badge(self.badge_edit.text(), self.pin_edit.text())
            else:
                user = self.directory.authenticate_password(self.name_edit.text(), self.password_edit.text())
        except AccountLocked as exc:
            self._fail(f"Locked after too many wrong attempts. Try again after {local_time(exc.until)}, "
                       "or ask an admin to reset the PIN.")
            return
        except AuthError as exc:
            self._fail(f"Not accepted: {exc}.")
            return
        if self._authorize is not None:
            try:
                self._authorize(user)
            except ClearanceRefused as exc:
                self.directory.record_logout(user, "refused")
                self._fail(f"{exc}.")
                self.badge_edit.clear()
                self.badge_edit.setFocus()
                return
        self.user = user
        self.accept()

    def _fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.pin_edit.clear()
        self.password_edit.clear()
        (self.pin_edit if self.tabs.currentIndex() == 0 else self.password_edit).setFocus()
