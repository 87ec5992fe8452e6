"""The real packer window, the real service and SQLite file: the database deleted mid-session must turn
every later scan into NOT SAVED with the reason and "restart" — it used to say OK six times out of six."""

from __future__ import annotations

import os

import pytest

from tests.ui.conftest import scan

TOY_4003 = "5901230413194"  # order 10030: TOY-4003 x3


def panel_text(window) -> str:
    p = window.verdict_panel
    return " ".join((p.headline.text(), p.sentence.text(), p.details.text()))


@pytest.mark.parametrize(
    ("suffix", "words"),
    [
        ("", "database file was deleted while PackGate was running"),
        ("-wal", "(-wal) file was deleted while PackGate was running"),
    ],
)
def test_deleting_the_database_mid_session_stops_the_bench_with_the_reason(qtbot, window, suffix, words):
    assert scan(qtbot, window, "ORD-10030").headline == "ORDER LOADED"
    assert scan(qtbot, window, TOY_4003).headline == "OK"
    os.unlink(f"{window.station.db.path}{suffix}")

    for code in (TOY_4003, TOY_4003, "CMD:SEAL", "ORD-10023"):
        style = scan(qtbot, window, code)
        assert style.headline == "NOT SAVED", panel_text(window)
        assert words in panel_text(window)
        assert "restarted" in panel_text(window)
    assert window.lines_table.counts() == [("TOY-4003", 1, 3)]  # memory never ran ahead of what was kept
