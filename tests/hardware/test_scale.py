"""The serial scale reader over a real pty pair: each protocol, unstable then stable, unplug and replug,
garbage and partial lines, a scale that never settles or says nothing; the Qt bridge; the simulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hardware.scale import SerialScale
from hardware.scale_protocols import ReadingKind, ScaleProblem, ScaleProtocol, ScaleReading
from hardware.scale_qt import ScaleBridge
from hardware.scale_sim import SimulatedScale
from hardware.scanning import DeviceState
from tests.hardware.scale_device import PtyScale, answer_line


class Readings:
    """A thread-safe `ScaleListener` that records and can wait."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.readings: list[ScaleReading] = []
        self.states: list[tuple[str, DeviceState, str]] = []

    def reading_received(self, reading: ScaleReading) -> None:
        with self._cond:
            self.readings.append(reading)
            self._cond.notify_all()

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None:
        with self._cond:
            self.states.append((source, state, detail))
            self._cond.notify_all()

    def wait_for(self, predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    def wait_state(self, state: DeviceState, occurrence: int = 1) -> bool:
        return self.wait_for(lambda r: sum(1 for _s, st, _d in r.states if st is state) >= occurrence)

    def wait_reading(self, kind: ReadingKind, grams: float | None = None, after: int = 0) -> ScaleReading:
        found: list[ScaleReading] = []

        def seen(r: Readings) -> bool:
            found[:] = [x for x in r.readings[after:] if x.kind is kind and (grams is None or x.grams == grams)]
            return bool(found)

        assert self.wait_for(seen), f"no {kind} {grams} in {self.readings[-5:]}"
        return found[0]


@pytest.fixture
def running() -> Iterator[list[SerialScale]]:
    scales: list[SerialScale] = []
    yield scales
    for scale in scales:
        assert scale.stop(), f"{scale.source} did not stop"


def _pty(tmp_path: Path, protocol: ScaleProtocol, request: pytest.FixtureRequest) -> PtyScale:
    device = PtyScale(tmp_path / "ttyUSB1", protocol)
    request.addfinalizer(device.close)
    return device


@pytest.mark.parametrize("protocol", list(ScaleProtocol))
def test_each_protocol_motion_then_stable(
    protocol: ScaleProtocol, tmp_path: Path, request: pytest.FixtureRequest, running: list[SerialScale]
) -> None:
    device = _pty(tmp_path, protocol, request)
    device.set_weight(1180.0, stable=False)
    device.plug()
    readings = Readings()
    scale = SerialScale(str(device.link), readings, protocol, poll_interval_s=0.05)
    running.append(scale)
    scale.start()
    assert readings.wait_state(DeviceState.CONNECTED)
    motion = readings.wait_reading(ReadingKind.MOTION, 1180.0)
    assert not motion.stable and motion.source == f"scale:{device.link}"
    device.set_weight(1234.0)
    stable = readings.wait_reading(ReadingKind.STABLE, 1234.0)
    assert stable.at >= motion.at
    if protocol.request is not None:
        assert device.requests >= 2  # it asked, and asked again
    assert not [r for r in readings.readings if r.kind is ReadingKind.GARBAGE]


def test_unplug_and_replug_mid_weighing(
    tmp_path: Path, request: pytest.FixtureRequest, running: list[SerialScale]
) -> None:
    device = _pty(tmp_path, ScaleProtocol.MTSICS, request)
    device.set_weight(800.0)
    device.plug()
    readings = Readings()
    scale = SerialScale(str(device.link), readings, poll_interval_s=0.05, reconnect_initial_s=0.05, reconnect_max_s=0.2)
    running.append(scale)
    scale.start()
    readings.wait_reading(ReadingKind.STABLE, 800.0)
    device.unplug()
    assert readings.wait_state(DeviceState.DISCONNECTED)
    assert scale.state is DeviceState.DISCONNECTED
    count = len(readings.readings)
    device.set_weight(950.0)
    device.plug()
    assert readings.wait_state(DeviceState.CONNECTED, occurrence=2)
    readings.wait_reading(ReadingKind.STABLE, 950.0, after=count)
    assert [st for _s, st, _d in readings.states][:4] == [
        DeviceState.CONNECTING,
        DeviceState.CONNECTED,
        DeviceState.DISCONNECTED,
        DeviceState.CONNECTED,
    ]


def test_garbage_and_partial_lines_never_become_weights(
    tmp_path: Path, request: pytest.FixtureRequest, running: list[SerialScale]
) -> None:
    device = PtyScale(tmp_path / "ttyUSB1", ScaleProtocol.CONTINUOUS)
    request.addfinalizer(device.close)
    device.say(
        b"\xff\xfe\x00\x01garbage\r\n",
        b"ST,GS,+  1.2",  # cut off: the rest of it runs into the next line
        b"ST,GS,+  1.500kg\r\n",
        b"OL,GS,+ 99.999kg\r\n",
        b"S" * 200 + b"\r\n",
        b"ST,GS,+  2.000kg\r\n",
    )
    device.plug()
    readings = Readings()
    scale = SerialScale(str(device.link), readings, ScaleProtocol.CONTINUOUS)
    running.append(scale)
    scale.start()
    readings.wait_reading(ReadingKind.STABLE, 2000.0)
    weights = [r.grams for r in readings.readings if r.has_weight]
    problems = {r.problem for r in readings.readings if r.kind is ReadingKind.GARBAGE}
    assert {ScaleProblem.NOT_TEXT, ScaleProblem.OVERLONG, ScaleProblem.UNKNOWN_FORMAT} <= problems
    assert any(r.kind is ReadingKind.OVERLOAD for r in readings.readings)
    assert set(weights) <= {2000.0}  # "ST,GS,+  1.2ST,GS,+  1.500kg" is one garbage line, not 1.2 nor 1500
    assert scale.state is DeviceState.CONNECTED


def test_a_scale_that_never_settles_only_ever_says_motion(
    tmp_path: Path, request: pytest.FixtureRequest, running: list[SerialScale]
) -> None:
    device = _pty(tmp_path, ScaleProtocol.MTSICS, request)
    device.say(answer_line(ScaleProtocol.MTSICS, 990.0, False), answer_line(ScaleProtocol.MTSICS, 1010.0, False))
    device.plug()
    readings = Readings()
    scale = SerialScale(str(device.link), readings, poll_interval_s=0.02)
    running.append(scale)
    scale.start()
    assert readings.wait_for(lambda r: len(r.readings) >= 20)
    assert {r.kind for r in readings.readings} == {ReadingKind.MOTION}
    assert {r.grams for r in readings.readings} == {990.0, 1010.0}


def test_a_silent_scale_is_reported_once_then_again_after_it_spoke(
    tmp_path: Path, request: pytest.FixtureRequest, running: list[SerialScale]
) -> None:
    device = _pty(tmp_path, ScaleProtocol.SMA, request)
    device.silent = True
    device.plug()
    readings = Readings()
    scale = SerialScale(
        str(device.link), readings, ScaleProtocol.SMA, poll_interval_s=0.05, silence_s=0.3, answer_timeout_s=0.1
    )
    running.append(scale)
    scale.start()
    silent = readings.wait_reading(ReadingKind.SILENT)
    assert silent.problem is ScaleProblem.NO_ANSWER and not silent.has_weight
    assert device.requests >= 2  # it kept asking: an unanswered request does not block the next
    device.set_weight(300.0)
    device.silent = False
    readings.wait_reading(ReadingKind.STABLE, 300.0)
    assert sum(1 for r in readings.readings if r.kind is ReadingKind.SILENT) == 1


def test_bad_settings_are_refused_and_an_unknown_url_stops(running: list[SerialScale]) -> None:
    with pytest.raises(ValueError, match="needs a port"):
        SerialScale("", Readings())
    with pytest.raises(ValueError, match="protocol|mtsics|valid"):
        SerialScale("loop://", Readings(), "nosuch")  # type: ignore[arg-type]
    readings = Readings()
    scale = SerialScale("nosuch://x", readings)
    running.append(scale)
    scale.start()
    assert readings.wait_state(DeviceState.STOPPED)
    assert "invalid port settings" in readings.states[-1][2]


def test_bridge_keeps_the_latest_reading_on_the_gui_thread(qtbot: QtBot) -> None:
    bridge = ScaleBridge()
    seen: list[ScaleReading] = []
    bridge.reading_changed.connect(seen.append)

    def device() -> None:
        bridge.listener.state_changed("scale:x", DeviceState.CONNECTED, "x")
        for grams in range(100):
            bridge.listener.reading_received(ScaleReading(ReadingKind.MOTION, float(grams)))
        bridge.listener.reading_received(ScaleReading(ReadingKind.STABLE, 1234.0))

    worker = threading.Thread(target=device)
    worker.start()
    worker.join(2)
    qtbot.waitUntil(lambda: bridge.latest is not None and bridge.latest.grams == 1234.0, timeout=2000)
    assert bridge.state == ("scale:x", "connected", "x")
    assert seen[-1].stable and len(seen) < 101  # a busy GUI thread gets the newest, not a backlog


def test_the_simulator_settles_on_its_load_and_can_be_wrong() -> None:
    now = [100.0]
    sim = SimulatedScale(Readings(), settle_s=0.5, clock=lambda: now[0])
    sim.place(1200.0)
    moving = sim.reading()
    assert moving.kind is ReadingKind.MOTION and moving.grams != 1200.0
    now[0] += 0.6
    assert sim.reading() == ScaleReading(ReadingKind.STABLE, 1200.0, source=sim.source, at=now[0])
    sim.error_g = 35.0
    assert sim.reading().grams == 1235.0
    sim.never_settles = True
    now[0] += 10
    assert sim.reading().kind is ReadingKind.MOTION


def test_the_simulator_thread_reports_readings() -> None:
    readings = Readings()
    sim = SimulatedScale(readings, interval_s=0.02, settle_s=0.05)
    sim.place(500.0)
    sim.start()
    try:
        readings.wait_reading(ReadingKind.STABLE, 500.0)
    finally:
        assert sim.stop()
    assert readings.states[0][1] is DeviceState.CONNECTED
    started = time.monotonic()
    assert readings.wait_state(DeviceState.STOPPED)
    assert time.monotonic() - started < 1
