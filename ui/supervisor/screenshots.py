"""Render the supervisor screens to `docs/screenshots/supervisor-*.png` from a scripted demo shift.

    python -m ui.supervisor.screenshots [--out docs/screenshots]

Runs offscreen on a throw-away data dir with the sample orders, the demo users and a frozen clock, so
the pictures are the same on every machine and show real data the station computed.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rules.scan_text import GS
from station.clock import FrozenClock
from station.order_files import OrderSpec, read_order_file
from station.orders import import_orders
from station.service import StationService
from station.users import UserDirectory, demo_users
from ui.bootstrap import Station, bootstrap

logger = logging.getLogger(__name__)

SAMPLES = Path(__file__).resolve().parents[2] / "station" / "samples" / "orders.csv"
SHIFT_START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def _unit_code(spec: OrderSpec, line_index: int) -> str | None:
    line = spec.lines[line_index]
    return next((b.code for b in line.barcodes if b.units == 1), None)


def _pack(
    station: Station,
    clock: FrozenClock,
    spec: OrderSpec,
    wrong: str | None = None,
    clear_after: timedelta | None = None,
    resolution: str = "item_swapped",
    note: str = "",
    service: StationService | None = None,
) -> None:
    """Pack one order, optionally with a wrong item part-way (cleared after `clear_after`, or left open)."""
    svc = service or station.service
    svc.load_order(spec.order_id)
    for i, line in enumerate(spec.lines):
        code = _unit_code(spec, i)
        if code is None:
            continue
        for n in range(line.quantity):
            clock.advance(seconds=9)
            if wrong and i == 0 and n == 0:
                verdict = svc.handle_scan(wrong)
                if clear_after is None:
                    return  # left blocked: an open flag
                clock.advance(seconds=clear_after.total_seconds())
                assert verdict.incident_id is not None
                svc.clear(verdict.incident_id, "S1", note or "swapped for the ordered item", resolution)
            svc.handle_scan(code)
    if svc.state.value == "complete":
        svc.seal()
    else:  # a line only in case packs: ship short, as a supervisor would decide
        verdict = svc.seal()
        if verdict.incident_id:
            clock.advance(minutes=6)
            svc.clear(verdict.incident_id, "S1", "case pack out of stock", "short_shipped")


def build_demo(data_dir: Path) -> tuple[Station, FrozenClock]:
    clock = FrozenClock(SHIFT_START + timedelta(hours=1))
    station = bootstrap(data_dir, "BENCH-07", clock)
    specs = read_order_file(SAMPLES)
    import_orders(station.db, specs, station.station_id, clock)
    directory = UserDirectory(station.db, clock, station.station_id)
    demo_users(directory)
    directory.add("P2", "packer", badge="BADGE-P2", display_name="Priya Packer")
    usable = [s for s in specs if all(_unit_code(s, i) for i in range(len(s.lines)))]
    other = list(dict.fromkeys(_unit_code(s, 0) for s in reversed(usable)))  # distinct wrong items
    plan = [  # (packer, wrong item?, minutes to clear or None = left open, resolution)
        ("P1", False, None, ""),
        ("P1", True, None, ""),  # left open: will be past the 2-hour target
        ("P2", False, None, ""),
        ("P1", True, 12, "item_swapped"),
        ("P2", True, 25, "false_alarm"),
        ("P1", False, None, ""),
        ("P2", False, None, ""),
    ]

    def wrong_for(spec: OrderSpec) -> str:
        own = {b.code for line in spec.lines for b in line.barcodes}
        code = next(c for c in other if c and c not in own)
        other.remove(code)  # each incident shows a different item
        return code

    svc = station.service
    # A blocked package cannot be moved off its bench by the packer, so a package "left blocked" earlier in
    # the shift sits on a neighbouring bench that shares this station's data dir (BENCH-07B) while
    # BENCH-07 goes on packing: the queue then shows an old open flag next to the current one.
    side_bench = StationService(station.db, "BENCH-07B", clock=clock, evidence_dir=station.paths.evidence_dir)
    for spec, (packer, wrong, minutes, resolution) in zip(usable, plan, strict=False):
        left_open = wrong and minutes is None
        bench = side_bench if left_open else svc
        bench.set_packer(packer)
        clock.advance(minutes=17)
        _pack(
            station,
            clock,
            spec,
            wrong_for(spec) if wrong else None,
            timedelta(minutes=minutes) if minutes else None,
            resolution,
            "label torn, item matches the order" if resolution == "false_alarm" else "",
            service=bench,
        )
    clock.set(SHIFT_START + timedelta(hours=4, minutes=40))
    # The package on the bench right now: P2 scans a wrong item.
    svc.set_packer("P2")
    # The order on the bench has several lines, so the dialog shows scanned against expected.
    current = max(usable[len(plan) :], key=lambda spec: len(spec.lines))
    svc.load_order(current.order_id)
    svc.handle_scan(_unit_code(current, 0) or "")
    clock.advance(minutes=3)
    svc.handle_scan(wrong_for(current))
    clock.advance(minutes=2)
    return station, clock


SERIAL_LABEL = f"]d201059012304127081745123110VD2611A{GS}21A0001"  # HLT-3001: lot VD2611A, GS, serial A0001


def build_serial_incident(data_dir: Path) -> Station:
    """A second bench where the same serial number is scanned twice into order 10028: the clearing dialog
    then shows a GS1 code with its group separator and the reason in words."""
    clock = FrozenClock(SHIFT_START + timedelta(hours=2))
    station = bootstrap(data_dir, "BENCH-08", clock)
    import_orders(station.db, read_order_file(SAMPLES), station.station_id, clock)
    demo_users(UserDirectory(station.db, clock, station.station_id))
    svc = station.service
    svc.set_packer("P1")
    svc.load_order("ORD-10028")
    svc.handle_scan(SERIAL_LABEL)
    clock.advance(minutes=1)
    svc.handle_scan(SERIAL_LABEL)
    clock.advance(minutes=3)
    return station


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.supervisor.clearing import ClearanceDialog
    from ui.supervisor.queue import FlaggedQueueWindow
    from ui.supervisor.shift_view import ShiftView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        station, _clock = build_demo(Path(tmp) / "data")
        try:
            directory = UserDirectory(station.db, station.clock, station.station_id)
            sam = directory.get("S1")
            assert sam is not None
            incident = station.service.open_incidents()[0]
            dialog = ClearanceDialog(station, sam, incident)
            dialog.choose("item_swapped")
            dialog.note_edit.setPlainText("Paint set put back on the returns trolley; notebook scanned")
            queue = FlaggedQueueWindow(station)
            view = ShiftView(station)
            shots = {"supervisor-clearing.png": dialog, "supervisor-queue.png": queue, "supervisor-shift.png": view}
            for name, widget in shots.items():
                widget.show()
                app.processEvents()
                path = args.out / name
                widget.grab().save(str(path))
                widget.close()
                print(path)  # CLI output: the files written
            queue.session.close()
            for widget in shots.values():
                widget.deleteLater()
            app.processEvents()
        finally:
            station.close()
        serial = build_serial_incident(Path(tmp) / "serial")
        try:
            sam = UserDirectory(serial.db, serial.clock, serial.station_id).get("S1")
            assert sam is not None
            dialog = ClearanceDialog(serial, sam, serial.service.open_incidents()[0])
            dialog.choose("false_alarm")
            dialog.note_edit.setPlainText("Two units with one label: the second unit was relabelled")
            dialog.show()
            app.processEvents()
            path = args.out / "supervisor-clearing-serial.png"
            dialog.grab().save(str(path))
            dialog.close()
            dialog.deleteLater()
            app.processEvents()
            print(path)  # CLI output: the files written
        finally:
            serial.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
