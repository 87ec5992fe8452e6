"""The admin screen: only an admin changes users, and every change is audited with that admin."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from station.users import UserDirectory
from tests.supervisor.conftest import audit_rows
from tests.supervisor.drivers import drive_login
from ui.bootstrap import Station
from ui.supervisor.users_admin import UsersWindow

pytestmark = pytest.mark.usefixtures("ui_directory")


def click(qtbot: QtBot, window: UsersWindow, button) -> None:
    """Click and wait for the change, which runs off the GUI thread (argon2 for a PIN)."""
    button.click()
    assert window.busy and not button.isEnabled()  # no second change while this one runs
    qtbot.waitUntil(lambda: not window.busy, timeout=10000)


def test_supervisor_is_refused_admin_adds_disables_and_resets(
    station: Station, directory: UserDirectory, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory.add("A1", "admin", badge="BADGE-A1", pin="555555", display_name="Ada Admin")
    window = UsersWindow(station)
    qtbot.addWidget(window)
    assert not window.add_button.isEnabled()
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802"), ("BADGE-A1", "555555")], messages)
    assert window.sign_in() is not None
    assert messages[0] == "Sam Supervisor is a supervisor: only an admin manages users."

    window.name_edit.setText("S3")
    window.display_edit.setText("Sky Third")
    window.role_combo.setCurrentText("supervisor")
    window.badge_edit.setText("BADGE-S3")
    window.pin_edit.setText("12")
    click(qtbot, window, window.add_button)
    assert window.message.text() == "a PIN has 6 to 12 digits"
    window.pin_edit.setText("432111")
    click(qtbot, window, window.add_button)
    assert window.pin_edit.text() == ""  # the PIN does not linger on screen
    assert directory.authenticate_badge("BADGE-S3", "432111").display_name == "Sky Third"

    names = [window.table.item(r, 0).text() for r in range(window.table.rowCount())]
    window.table.selectRow(names.index("S1"))
    click(qtbot, window, window.disable_button)
    assert window.table.item(names.index("S1"), 5).text() == "disabled"
    window.pin_edit.setText("864211")
    window.table.selectRow(names.index("S2"))
    click(qtbot, window, window.reset_button)
    assert directory.authenticate_badge("BADGE-S2", "864211").name == "S2"
    changes = [(actor, action) for actor, action, _ in audit_rows(station) if action.startswith("user.")][-3:]
    assert changes == [("A1", "user.added"), ("A1", "user.disabled"), ("A1", "user.pin_reset")]


def test_admin_lifts_a_lockout_from_the_users_screen(
    station: Station, directory: UserDirectory, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from station.users import AccountLocked, AuthError

    directory.add("A1", "admin", badge="BADGE-A1", pin="555555", display_name="Ada Admin")
    for _ in range(5):
        with pytest.raises(AuthError):
            directory.authenticate_badge("BADGE-S1", "111111")
    with pytest.raises(AccountLocked):
        directory.authenticate_badge("BADGE-S1", "246802")
    window = UsersWindow(station)
    qtbot.addWidget(window)
    drive_login(monkeypatch, qtbot, [("BADGE-A1", "555555")], [])
    assert window.sign_in() is not None
    names = [window.table.item(r, 0).text() for r in range(window.table.rowCount())]
    assert window.table.item(names.index("S1"), 5).text().startswith("locked until")
    window.table.selectRow(names.index("S1"))
    click(qtbot, window, window.unlock_button)
    assert window.table.item(names.index("S1"), 5).text() == "active"
    assert directory.authenticate_badge("BADGE-S1", "246802").name == "S1"
    assert ("A1", "user.unlocked") in [(a, act) for a, act, _ in audit_rows(station)]
