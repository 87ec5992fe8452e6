"""The supervisor screens are one menu away on the packer screen: the flagged queue clears the package on
this bench (and the bench repaints at once), the shift view asks for a supervisor first, users open."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from station.model import BenchState
from tests.supervisor.drivers import drive_clearance, drive_login
from ui.app import build_window
from ui.bootstrap import Station
from ui.supervisor.shift_view import ShiftView
from ui.supervisor.users_admin import UsersWindow


@pytest.fixture
def window(blocked: Station, ui_directory, qtbot: QtBot):
    w = build_window(blocked, [], packer="P1", muted=True)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def menu_titles(window) -> dict[str, list[str]]:
    bar = window.menuBar()
    return {
        m.title().replace("&", ""): [a.text() for a in m.actions() if a.text()]
        for m in (act.menu() for act in bar.actions())
        if m is not None
    }


def test_supervisor_menu_lists_the_three_screens(window) -> None:
    assert menu_titles(window)["Supervisor"] == ["Flagged packages…", "Shift view…", "Users…"]


def test_clearing_from_the_queue_unblocks_this_bench_at_once(window, qtbot: QtBot, monkeypatch) -> None:
    assert window.service.state is BenchState.BLOCKED
    drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802")], [])
    drive_clearance(monkeypatch, qtbot, "item_swapped", "paint set back to its tote", [])
    queue = window.open_flagged_queue()
    assert window.open_flagged_queue() is queue  # a second request raises the same window
    queue.open_row(0)
    qtbot.waitUntil(lambda: window.service.state is BenchState.SCANNING, timeout=2000)
    assert window.verdict_panel.headline.text() != "WRONG ITEM"
    assert window.seal_button.isEnabled()


def test_shift_view_needs_a_supervisor(window, qtbot: QtBot, monkeypatch) -> None:
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-P1", "135791")], messages)
    assert window.open_shift_view() is None
    assert "supervisors" in messages[-1]
    drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802")], messages)
    view = window.open_shift_view()
    assert isinstance(view, ShiftView) and view.isVisible()
    assert isinstance(window.open_users(), UsersWindow)
    window.close()
    assert not view.isVisible()
