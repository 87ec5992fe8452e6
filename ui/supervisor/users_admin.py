"""The admin screen for users: the same operations as `packgate users`, for an admin signed in on the
station. Every change goes through `station.users.UserDirectory`, which validates and audits it with the
admin as the actor. Nothing here shows or keeps a PIN after it was set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.users import ROLES, ClearanceRefused, RefusalReason, Role, Task, User, UserError
from ui.background import BackgroundCall
from ui.bootstrap import Station
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.supervisor import session as supervisor_session
from ui.supervisor.login import SupervisorLoginDialog
from ui.supervisor.style import STYLE_SHEET, local_time
from ui.user_words import user_error_text

logger = logging.getLogger(__name__)

COLUMNS = [
    QT_TRANSLATE_NOOP("Supervisor", "Name"),
    QT_TRANSLATE_NOOP("Supervisor", "Display name"),
    QT_TRANSLATE_NOOP("Supervisor", "Role"),
    QT_TRANSLATE_NOOP("Supervisor", "Badge"),
    QT_TRANSLATE_NOOP("Supervisor", "Login"),
    QT_TRANSLATE_NOOP("Supervisor", "State"),
]


def require_admin(user: User) -> None:
    if user.role != Role.ADMIN.value or user.disabled:
        raise ClearanceRefused(RefusalReason.ROLE, user.display_name, user.role, Task.MANAGE_USERS)


class UsersWindow(QWidget):
    """Users of this station. `sign_in()` (an admin) must succeed before any change is allowed."""

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.directory = supervisor_session.make_directory(station)
        self.admin: User | None = None
        self._call: BackgroundCall | None = None  # a change running off the GUI thread
        self.setWindowTitle(translate("Supervisor", "Users — {station}").format(station=station.station_id))
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1200, 760)
        self._build()
        self.refresh()

    def _build(self) -> None:
        title = QLabel(translate("Supervisor", "Users"))
        title.setObjectName("title")
        self.admin_label = QLabel(translate("Supervisor", "Sign in as an admin to make changes"))
        self.sign_in_button = QPushButton(translate("Supervisor", "Sign in…"))
        self.sign_in_button.clicked.connect(self.sign_in)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([translate("Supervisor", c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.name_edit = QLineEdit()
        self.display_edit = QLineEdit()
        self.role_combo = QComboBox()
        self.role_combo.addItems(list(ROLES))
        self.badge_edit = QLineEdit()
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(translate("Supervisor", "User name"), self.name_edit)
        form.addRow(translate("Supervisor", "Display name"), self.display_edit)
        form.addRow(translate("Supervisor", "Role"), self.role_combo)
        form.addRow(translate("Supervisor", "Badge"), self.badge_edit)
        form.addRow(translate("Supervisor", "PIN (new or reset)"), self.pin_edit)
        self.add_button = QPushButton(translate("Supervisor", "Add user"))
        self.add_button.setObjectName("primary")
        self.disable_button = QPushButton(translate("Supervisor", "Disable selected"))
        self.reset_button = QPushButton(translate("Supervisor", "Reset PIN of selected"))
        self.unlock_button = QPushButton(translate("Supervisor", "Unlock selected"))
        self.unlock_button.setToolTip(
            translate("Supervisor", "Lift a lockout after wrong PINs; the PIN stays as it is")
        )
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.disable_button.clicked.connect(self._on_disable_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.admin_label)
        header.addWidget(self.sign_in_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.disable_button)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.unlock_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._set_enabled()

    def _set_enabled(self) -> None:
        for b in (self.add_button, self.disable_button, self.reset_button, self.unlock_button):
            b.setEnabled(self.admin is not None and self._call is None)

    def refresh(self) -> None:
        now = self.station.clock.now()
        users = self.directory.list()
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            login = "+".join(k for k, has in (("PIN", u.has_pin), ("password", u.has_password)) if has) or "–"
            if u.disabled:
                state = translate("Supervisor", "disabled")
            elif u.locked_at(now) and u.locked_until:
                state = translate("Supervisor", "locked until {time}").format(time=local_time(u.locked_until))
            else:
                state = translate("Supervisor", "active")
            for c, text in enumerate([u.name, u.display_name, u.role, u.badge or "–", login, state]):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def sign_in(self) -> User | None:
        user = SupervisorLoginDialog.ask(
            self, self.directory, None, translate("Supervisor", "Admin sign-in"), require_admin
        )
        if user is not None:
            self.signed_in(user)
        return user

    def signed_in(self, admin: User) -> None:
        """`admin` (already authenticated as an admin) now works in this window: the buttons come on."""
        self.admin = admin
        self.admin_label.setText(translate("Supervisor", "Signed in: {name} (admin)").format(name=admin.display_name))
        self._set_enabled()

    def _selected_name(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else None

    @property
    def busy(self) -> bool:
        """True while a change runs in the background (adding a user or resetting a PIN hashes it with argon2,
        about 0.16 s: not on the GUI thread)."""
        return self._call is not None

    def _run(self, action: Callable[[str], object], done: str) -> None:
        """Run `action(admin_name)` off the GUI thread; the buttons wait for it. `action` must not touch
        widgets: read their values before."""
        if self.admin is None:
            self.message.setText(translate("Supervisor", "Sign in as an admin first."))
            return
        if self._call is not None:
            return
        actor = self.admin.name
        self._call = BackgroundCall(lambda: action(actor))
        self._set_enabled()  # the buttons wait while the call runs
        self._call.finished.connect(lambda _result, error: self._on_done(error, done))
        self._call.start()

    def _on_done(self, error: Exception | None, done: str) -> None:
        self._call = None
        self._set_enabled()
        if isinstance(error, UserError):
            self.message.setText(user_error_text(error))
            return
        if error is not None:
            raise error
        self.message.setText("")
        assert self.admin is not None
        self.admin_label.setText(
            translate("Supervisor", "Signed in: {name} (admin) — {done}").format(
                name=self.admin.display_name, done=done
            )
        )
        self.pin_edit.clear()
        self.refresh()

    def _on_add_clicked(self) -> None:
        name = self.name_edit.text().strip()
        pin = self.pin_edit.text() or None
        role, badge = self.role_combo.currentText(), self.badge_edit.text().strip() or None
        display_name = self.display_edit.text().strip() or None
        self._run(
            lambda actor: self.directory.add(name, role, badge=badge, pin=pin, display_name=display_name, actor=actor),
            translate("Supervisor", "added {name}").format(name=name),
        )

    def _on_disable_clicked(self) -> None:
        name = self._selected_name()
        if name:
            self._run(
                lambda actor: self.directory.disable(name, actor=actor),
                translate("Supervisor", "disabled {name}").format(name=name),
            )

    def _on_reset_clicked(self) -> None:
        name = self._selected_name()
        if name:
            pin = self.pin_edit.text()
            self._run(
                lambda actor: self.directory.reset_pin(name, pin, actor=actor),
                translate("Supervisor", "new PIN for {name}").format(name=name),
            )

    def _on_unlock_clicked(self) -> None:
        name = self._selected_name()
        if name:
            self._run(
                lambda actor: self.directory.unlock(name, actor=actor),
                translate("Supervisor", "unlocked {name}").format(name=name),
            )
