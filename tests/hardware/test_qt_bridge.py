"""ScannerBridge: device-thread listener calls arrive on the GUI thread as signals."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QThread
from pytestqt.qtbot import QtBot

from hardware.qt import ScannerBridge
from hardware.scanning import DeviceState, Scan
from hardware.simulated import ManualScanner, ScriptedScanner


def _run_in_worker(target) -> threading.Thread:
    worker = threading.Thread(target=target, name="test-device-thread")
    worker.start()
    return worker


def test_scan_from_a_worker_thread_reaches_a_gui_thread_slot(qtbot: QtBot) -> None:
    bridge = ScannerBridge()
    seen_on: list[QThread] = []
    # A direct connection runs the slot in the emitting thread: it proves the bridge itself emits on
    # the GUI thread, not merely that PySide queued a lambda for us.
    bridge.scan_received.connect(
        lambda _scan: seen_on.append(QThread.currentThread()), Qt.ConnectionType.DirectConnection
    )
    scan = Scan("4006381333931", "]E0", "serial:/dev/ttyACM0")

    with qtbot.waitSignal(bridge.scan_received, timeout=2000) as blocker:
        worker = _run_in_worker(lambda: bridge.listener.scan_received(scan))
        worker.join(2)
    assert blocker.args == [scan]
    assert seen_on == [bridge.thread()]  # the lambda ran on the GUI thread, not the device thread


def test_rejections_and_states_are_carried_and_remembered(qtbot: QtBot) -> None:
    bridge = ScannerBridge()
    states: list[tuple[str, str, str]] = []
    bridge.state_changed.connect(lambda *args: states.append(args))

    def device() -> None:
        bridge.listener.state_changed("serial:COM3", DeviceState.CONNECTED, "COM3 at 9600 baud")
        bridge.listener.scan_rejected("serial:COM3", "invalid UTF-8 at byte 0", b"\xff")
        bridge.listener.state_changed("serial:COM3", DeviceState.DISCONNECTED, "lost COM3")

    with qtbot.waitSignal(bridge.scan_rejected, timeout=2000) as rejected:
        _run_in_worker(device).join(2)
    assert rejected.args == ["serial:COM3", "invalid UTF-8 at byte 0"]
    qtbot.waitUntil(lambda: len(states) == 2, timeout=2000)
    assert states == [
        ("serial:COM3", "connected", "COM3 at 9600 baud"),
        ("serial:COM3", "disconnected", "lost COM3"),
    ]
    assert bridge.states == {"serial:COM3": ("disconnected", "lost COM3")}


def test_scripted_scanner_through_the_bridge_in_order(qtbot: QtBot, tmp_path: Path) -> None:
    script = tmp_path / "demo.txt"
    script.write_text("@delay 0\nA-1\nB-2\nC-3\n", encoding="utf-8")
    bridge = ScannerBridge()
    codes: list[str] = []
    bridge.scan_received.connect(lambda scan: codes.append(scan.code))
    scanner = ScriptedScanner(script, bridge.listener)
    try:
        with qtbot.waitSignal(
            bridge.state_changed, timeout=2000, check_params_cb=lambda _src, state, _d: state == "stopped"
        ):
            scanner.start()
    finally:
        assert scanner.stop()
    assert codes == ["A-1", "B-2", "C-3"]


def test_manual_entry_on_the_gui_thread_arrives_too(qtbot: QtBot) -> None:
    bridge = ScannerBridge()
    manual = ManualScanner(bridge.listener)
    with qtbot.waitSignal(bridge.scan_received, timeout=2000) as blocker:
        manual.submit("0012345678905")
    assert blocker.args[0].code == "0012345678905"
    with qtbot.assertNotEmitted(bridge.scan_received, wait=50):
        with qtbot.waitSignal(bridge.scan_rejected, timeout=2000):
            manual.submit("")
