"""The device settings (scanners, camera, mute) open only after a supervisor or admin signs in: a packer
could otherwise switch off a scanner or mute the blocked buzz. Through the real packer window's action."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from station.users import UserDirectory
from tests.supervisor.conftest import cheap_hasher
from tests.supervisor.drivers import drive_login
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def directory(station, monkeypatch) -> UserDirectory:
    from ui.supervisor import session as supervisor_session

    d = UserDirectory(station.db, station.clock, station.station_id, hasher=cheap_hasher())
    monkeypatch.setattr(supervisor_session, "make_directory", lambda _station: d)
    return d


@pytest.fixture
def opened(monkeypatch) -> list[SettingsDialog]:
    seen: list[SettingsDialog] = []

    def exec_(self) -> int:
        seen.append(self)
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    return seen


def test_a_packer_cannot_open_the_settings_a_supervisor_can(qtbot, window, directory, opened, monkeypatch):
    directory.add("P1", "packer", badge="BADGE-P1", pin="135791")
    directory.add("S1", "supervisor", badge="BADGE-S1", pin="246802", display_name="Sam Supervisor")
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-P1", "135791")], messages)
    window.open_settings()
    assert opened == []
    assert messages == ["P1 is a packer: only a supervisor or admin changes the settings."]

    drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802")], messages)
    window.open_settings()
    assert len(opened) == 1


def test_cancelled_sign_in_opens_nothing(qtbot, window, directory, opened, monkeypatch):
    directory.add("S1", "supervisor", badge="BADGE-S1", pin="246802")
    drive_login(monkeypatch, qtbot, [], [])
    window.open_settings()
    assert opened == []


def test_a_station_without_any_supervisor_still_opens_its_settings(qtbot, window, directory, opened, caplog):
    directory.add("P1", "packer", badge="BADGE-P1", pin="135791")
    window.open_settings()
    assert len(opened) == 1
    assert "no supervisor or admin" in caplog.text
