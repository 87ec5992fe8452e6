"""A scanned `=HYPERLINK(...)` must not run when a supervisor opens a CSV export in a spreadsheet.

Through the real path: a serial scanner on a real pty -> bridge -> packer window -> incident, then the real
`packgate incidents export --csv`."""

from __future__ import annotations

import csv
import io
import os
import tty
from pathlib import Path

import pytest

from station.csv_safe import FORMULA_STARTS, safe_cell
from station.model import BenchState
from ui.cli import main
from ui.scan_sources import parse_spec

FORMULA = '=HYPERLINK("http://x","y")'


def test_a_scanned_formula_is_exported_as_text(make_window, qtbot, tmp_path: Path, capsys) -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        window = make_window(specs=[parse_spec(f"serial:{os.ttyname(slave)}")])
        qtbot.waitUntil(lambda: "connected" in window.device_status_text(), timeout=5000)
        os.write(master, b"ORD-10023\r")
        qtbot.waitUntil(lambda: window.service.order is not None, timeout=5000)
        os.write(master, FORMULA.encode() + b"\r")
        qtbot.waitUntil(lambda: window.service.state is BenchState.BLOCKED, timeout=5000)
    finally:
        os.close(master)
        os.close(slave)
    (incident,) = window.service.open_incidents()
    assert incident.code == FORMULA

    out = tmp_path / "incidents.csv"
    assert (
        main(["incidents", "export", "--csv", "-o", str(out), "--data-dir", str(tmp_path / "data"), "--station", "T1"])
        == 0
    )
    raw = out.read_text(encoding="utf-8")
    # One cell, quoted because of its quotes and comma, with the single quote in front: text, not a formula.
    assert '''"'=HYPERLINK(""http://x"",""y"")"''' in raw
    (row,) = list(csv.DictReader(io.StringIO(raw)))
    assert row["code"] == "'" + FORMULA and row["id"] == incident.id
    assert not any(value.startswith(FORMULA_STARTS) for value in row.values())


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+SUM(1+1)", "'+SUM(1+1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("-", "'-"),
        ("4006381333931", "4006381333931"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (7, 7),
        (-2.5, -2.5),
    ],
)
def test_safe_cell(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_every_csv_writer_goes_through_the_one_helper() -> None:
    """No module of the station or the central service writes CSV past `rules.csv_safe` (re-exported as
    `station.csv_safe`; the sample generator writes the import files the station reads back, not
    spreadsheets: it is the one exception)."""
    root = Path(__file__).resolve().parents[2]
    exempt = {root / "station" / "csv_safe.py", root / "station" / "samples" / "generate.py"}
    offenders = []
    for package in ("station", "ui", "sync", "hardware"):
        for path in (root / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path not in exempt and ("csv.writer(" in text or "csv.DictWriter(" in text):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
