"""A flooding scanner: its lines are dropped on the device's thread (counted, never delivered), the queue to
the GUI thread stays bounded, the flood is reported once when it starts and once when it ends, and a
person's scan after the flood goes through again."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hardware.flood import Admission, FloodGuard, LogThrottle
from hardware.qt import ScannerBridge
from hardware.scanning import DeviceState, Scan
from hardware.serial_scanner import SerialScanner
from tests.hardware.test_serial_scanner import PtyScanner

# ---------------------------------------------------------------- the pure guard


def test_a_person_scanning_fast_is_no_flood() -> None:
    guard = FloodGuard(max_lines=25, window_s=1.0, quiet_s=1.0)
    # 10 scans a second for a minute: a very busy packer, or a case of items scanned in a row
    assert all(guard.offer("serial:a", i / 10) is Admission.PASS for i in range(600))
    assert guard.flooding() == {}


def test_a_flood_is_dropped_until_the_source_is_quiet() -> None:
    guard = FloodGuard(max_lines=25, window_s=1.0, quiet_s=1.0)
    results = [guard.offer("serial:a", i / 1000) for i in range(1000)]  # 1 000 lines a second
    assert results[:24] == [Admission.PASS] * 24
    assert results[24] is Admission.FLOOD_STARTED and set(results[25:]) == {Admission.DROP}
    assert guard.flooding() == {"serial:a": 976}
    assert guard.offer("wedge", 0.5) is Admission.PASS, "another source is not affected"
    assert guard.poll(1.5) == []  # still within a second of its last line
    (ended,) = guard.poll(2.0)
    assert (ended.source, ended.dropped) == ("serial:a", 976) and guard.flooding() == {}
    assert guard.offer("serial:a", 3.0) is Admission.PASS


def test_a_full_queue_counts_as_a_flood() -> None:
    guard = FloodGuard()
    assert guard.overflow("manual", 0.0) is Admission.FLOOD_STARTED
    assert guard.overflow("manual", 0.1) is Admission.DROP
    assert guard.flooding() == {"manual": 2}


def test_log_throttle_holds_back_and_says_how_many() -> None:
    throttle = LogThrottle(per_window=3, window_s=10.0)
    assert [throttle.admit(t / 100)[0] for t in range(10)] == [True] * 3 + [False] * 7
    assert throttle.admit(10.5) == (True, 7)


# ---------------------------------------------------------------- a real pty, the real bridge


def _flood(device: PtyScanner, lines: int, line: bytes) -> threading.Thread:
    def write() -> None:
        chunk = line * 500
        for _ in range(lines // 500):
            device.write(chunk)

    writer = threading.Thread(target=write, name="test-flood-writer")
    writer.start()
    return writer


@pytest.mark.parametrize("line", [b"5901230412357\r", b"\xff\xfegarbage\r"], ids=["codes", "garbage"])
def test_pty_flood_is_dropped_bounded_and_reported_once(
    qtbot: QtBot, tmp_path: Path, line: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    total = 20_000
    bridge = ScannerBridge(max_pending=64)
    delivered: list[object] = []
    bridge.scan_received.connect(delivered.append)
    bridge.scan_rejected.connect(lambda source, reason: delivered.append(reason))
    changes: list[tuple[str, bool, int]] = []
    bridge.flood_changed.connect(lambda *args: changes.append(args))
    most_pending = 0

    def watch_pending() -> None:
        nonlocal most_pending
        most_pending = max(most_pending, bridge.pending_count)

    bridge._wake.connect(watch_pending)  # sampled on every hop to the GUI thread
    device = PtyScanner(tmp_path / "ttyACM0")
    device.plug()
    scanner = SerialScanner(str(device.link), bridge.listener)
    try:
        scanner.start()
        qtbot.waitUntil(lambda: bridge.states.get(scanner.source, ("",))[0] == DeviceState.CONNECTED.value)
        writer = _flood(device, total, line)
        qtbot.waitUntil(lambda: any(flooding for _s, flooding, _n in changes), timeout=5000)
        writer.join(30)
        ended = lambda: [(src, n) for src, flooding, n in changes if not flooding]  # noqa: E731

        # Every line is delivered or counted as dropped. (A machine stalling the writer for over a second
        # splits the flood in two; each part is reported on its own.)
        qtbot.waitUntil(
            lambda: not bridge.floods and sum(n for _s, n in ended()) + len(delivered) == total, timeout=15_000
        )
        floods = len(ended())
        assert {src for src, _n in ended()} == {scanner.source}
        assert len(delivered) <= floods * (64 + 25), "a flood reaches the screen only until it is recognised"
        assert most_pending <= 64
        # A person scanning afterwards is heard again.
        before = len(delivered)
        device.write(b"4006381333931\r")
        qtbot.waitUntil(lambda: len(delivered) == before + 1)
    finally:
        assert scanner.stop()
        device.close()
    flood_logs = [r.getMessage() for r in caplog.records if r.name == "hardware.qt"]
    assert len(flood_logs) == 2 * floods, flood_logs  # one line when it starts, one when it ends: not per line
    assert flood_logs[0].startswith(f"{scanner.source} is flooding")
    assert flood_logs[-1].startswith(f"{scanner.source} stopped flooding: {ended()[-1][1]} lines dropped in ")
    rejected_logs = [r for r in caplog.records if "rejected input" in r.getMessage()]
    assert len(rejected_logs) <= 10 * floods, "garbage is logged a few times, then counted"


def test_a_flood_over_before_the_screen_looked_is_still_reported(qtbot: QtBot) -> None:
    """The GUI thread was busy for longer than the flood lasted: it still hears of it, start and end."""
    now = [0.0]
    bridge = ScannerBridge(clock=lambda: now[0])
    changes: list[tuple[str, bool, int]] = []
    bridge.flood_changed.connect(lambda *args: changes.append(args))

    for i in range(40):  # 40 lines in 40 ms, offered while no event is processed
        now[0] = i / 1000
        bridge.listener.scan_received(Scan("4006381333931", None, "serial:x"))
    now[0] = 5.0  # the flood is long over when the GUI thread gets to it
    qtbot.waitUntil(lambda: len(changes) == 2)
    assert changes == [("serial:x", True, 40), ("serial:x", False, 40)]
    assert bridge.floods == {} and bridge.pending_count == 0
