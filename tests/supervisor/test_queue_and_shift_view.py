"""The flagged queue and the shift view, on a real station with a frozen clock."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from station.clock import FrozenClock
from station.handover import handovers
from station.model import BenchState
from tests.supervisor.conftest import audit_rows
from tests.supervisor.drivers import drive_clearance, drive_login
from tests.supervisor.test_shift import EARLY, pack_a_shift
from ui.bootstrap import Station
from ui.supervisor.queue import FlaggedQueueWindow
from ui.supervisor.shift_view import ShiftView
from ui.supervisor.style import OVERDUE

pytestmark = pytest.mark.usefixtures("ui_directory")


def rows(window: FlaggedQueueWindow) -> list[list[str]]:
    t = window.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_queue_shows_age_against_the_two_hour_target_and_filters(
    blocked: Station, clock: FrozenClock, qtbot: QtBot
) -> None:
    clock.advance(hours=2, minutes=5)
    window = FlaggedQueueWindow(blocked)
    qtbot.addWidget(window)
    assert [r[:4] for r in rows(window)] == [["2 h 05 min", "T1", "Wrong item", "P1"]]
    assert window.table.item(0, 0).foreground().color() == QColor(OVERDUE)
    assert window.summary.text() == "1 open · 1 past the 2-hour target"

    window.kind_filter.setCurrentIndex(window.kind_filter.findData("expired"))
    assert rows(window) == [] and not window.open_button.isEnabled()
    assert window.summary.text() == "1 open · 1 past the 2-hour target · showing 0"
    window.kind_filter.setCurrentIndex(0)
    window.packer_filter.setCurrentIndex(window.packer_filter.findData("P1"))
    assert len(rows(window)) == 1
    window.age_filter.setCurrentIndex(3)  # past the 2-hour target
    assert len(rows(window)) == 1


def test_queue_opens_clears_and_keeps_the_supervisor_signed_in(
    blocked: Station, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802")], messages)
    drive_clearance(monkeypatch, qtbot, "item_swapped", "swapped at the bench", [])
    window = FlaggedQueueWindow(blocked)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.incident_resolved, timeout=2000) as resolved:
        window.open_row(0)
    assert resolved.args[0].state is BenchState.SCANNING
    assert rows(window) == [] and window.summary.text() == "0 open · 0 past the 2-hour target"
    assert window.signed_in_label.text() == "Signed in: Sam Supervisor"
    window.sign_out_button.click()
    assert window.signed_in_label.text() == "Not signed in"
    assert [a for _, a, _ in audit_rows(blocked)][-3:] == ["login", "incident.cleared", "logout"]


def test_shift_view_figures_chart_and_exports(
    station: Station,
    directory: object,
    clock: FrozenClock,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pack_a_shift(station, clock)
    clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    view = ShiftView(station, EARLY)
    qtbot.addWidget(view)
    tiles = {k: t.value.text() for k, t in view.tiles.items()}
    assert tiles == {
        "orders": "1",
        "lines": "2",
        "incidents": "2",
        "rate": "100.0%",
        "clearance": "30 min",
        "open": "1",
    }
    [series] = view.chart.series()
    assert [series.barSets()[0].at(i) for i in range(8)] == [0, 0, 1, 1, 0, 0, 0, 0]
    assert view.packer_table.item(0, 0).text() == "P1" and view.packer_table.item(2, 0).text() == "All packers"
    assert not view.next_button.isEnabled()  # the future has no figures

    monkeypatch.setattr(view, "ask_export_path", lambda fmt: tmp_path / f"shift.{fmt}")
    csv_path = view.export("csv")
    pdf_path = view.export("pdf")
    assert csv_path is not None and pdf_path is not None
    lines = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert ["P1", "1", "0", "2", "3", "1", "50.0%", "1", "30 min"] in lines
    assert pdf_path.read_bytes().startswith(b"%PDF") and pdf_path.stat().st_size > 1500

    view.previous_button.click()
    assert view.tiles["orders"].value.text() == "0" and view.window_shown == EARLY.previous()


def test_shift_view_hand_over_then_the_next_supervisor_acknowledges(
    station: Station, clock: FrozenClock, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack_a_shift(station, clock)
    view = ShiftView(station, EARLY)
    qtbot.addWidget(view)
    assert not view.acknowledge_button.isEnabled()
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-P1", "135791"), ("BADGE-S1", "246802")], messages)
    view.handover_button.click()
    assert messages[0] == "Pat Packer is a packer: a supervisor signs the hand-over."
    assert view.acknowledge_button.isEnabled()
    assert "1 open incident — waiting for the next supervisor" in view.handover_label.text()

    drive_login(monkeypatch, qtbot, [("BADGE-S1", "246802")], messages)
    view.acknowledge_button.click()  # the same supervisor cannot take over from themself
    assert view.error_label.text() == "the next supervisor acknowledges a hand-over, not the one who made it"
    drive_login(monkeypatch, qtbot, [("BADGE-S2", "975319")], messages)
    view.acknowledge_button.click()
    assert handovers(station.db, pending_only=True) == []
    assert "acknowledged by S2" in view.handover_label.text()
    assert not view.acknowledge_button.isEnabled()
