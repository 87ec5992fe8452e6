"""A scanner flooding the packer screen over a real pty: the screen says so ("Scanner flooding: N lines
dropped") until the flood stops, no dropped line is counted or recorded, and the next real scan counts."""

from __future__ import annotations

import os
import re
import threading
import tty

from sqlalchemy import func, select

from station.orm import ScanRecord
from ui.flood_status import FloodStatus
from ui.scan_sources import parse_spec

ITEM = "5901230412357"  # OFF-2001 on order 10023


def test_flood_is_shown_dropped_and_leaves_no_trace(make_window, qtbot, station) -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        window = make_window(specs=[parse_spec(f"serial:{os.ttyname(slave)}")])
        status = window.findChild(FloodStatus)
        assert status is not None and status.isHidden()
        qtbot.waitUntil(lambda: "connected" in window.device_status_text(), timeout=5000)
        os.write(master, b"ORD-10023\r")
        qtbot.waitUntil(lambda: window.service.order is not None, timeout=5000)
        delivered: list[str] = []
        window.bridge.scan_received.connect(lambda scan: delivered.append(scan.code))

        total = 10_000
        writer = threading.Thread(
            target=lambda: [os.write(master, (ITEM + "\r").encode() * 500) for _ in range(total // 500)]
        )
        writer.start()
        qtbot.waitUntil(lambda: status.isVisible(), timeout=5000)
        assert re.fullmatch(
            r"Scanner flooding: [\d,]+ lines dropped \(serial:.*\)\. Check the scanner's settings\.", status.text()
        ), status.text()
        writer.join(30)
        qtbot.waitUntil(lambda: status.isHidden(), timeout=10_000)  # gone once the scanner is quiet

        # Only what reached the window was judged and recorded; the dropped lines left nothing behind.
        with station.db.sessions() as s:
            rows = s.scalar(select(func.count()).select_from(ScanRecord).where(ScanRecord.code == ITEM))
        assert rows == len(delivered) and len(delivered) < 100
        counted = sum(line.scanned for line in window.service.order.lines)
        assert counted <= len(delivered)

        # The scanner is heard again after the flood.
        before = len(delivered)
        os.write(master, b"4006381333931\r")
        qtbot.waitUntil(lambda: len(delivered) == before + 1, timeout=5000)
    finally:
        os.close(master)
        os.close(slave)
