"""CameraScanner end to end: a generated video played through the real capture + decode threads."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from hardware.camera import CameraScanner
from hardware.decoding import DecodedCode, StableCodeFilter
from hardware.scanning import DeviceState, Scan
from hardware.simulated import CollectingListener
from tests.imaging import blank_frame, degrade, place, render_barcode, write_video

GS = "\x1d"
FPS = 20.0
EAN = "5901234123457"
QR = "https://packgate.example/o/4711"
GS1 = "(01)09506000134352(10)ABC123(21)XYZ"
GS1_TEXT = f"010950600013435210ABC123{GS}21XYZ"


@pytest.fixture(scope="module")
def bench_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~2 s at 20 fps, 1280x720: EAN shown, taken away, shown again (2nd unit), then QR + GS1-128 together."""
    empty = [blank_frame(seed=i) for i in range(4)]
    ean = degrade(render_barcode(EAN, "ean13"), rotate=5, blur=0.8, noise=6, seed=1)
    qr = degrade(render_barcode(QR, "qr"), rotate=-12, blur=0.8, noise=6, seed=2)
    gs1 = degrade(render_barcode(GS1, "gs1-128", scale=2), rotate=2, blur=0.5, noise=6, seed=3)
    frames: list[np.ndarray] = []
    frames += empty[:3]
    frames += [place(empty[i % 4], ean, 300 + 4 * i, 200) for i in range(6)]  # moving a little in the hand
    frames += [empty[i % 4] for i in range(10)]  # 0.5 s away: longer than the test's dedupe window
    frames += [place(empty[i % 4], ean, 500 - 4 * i, 260) for i in range(6)]
    frames += [empty[i % 4] for i in range(4)]
    frames += [place(place(empty[i % 4], qr, 900, 60), gs1, 80, 420) for i in range(6)]
    frames += empty[:3]
    return write_video(tmp_path_factory.mktemp("video") / "bench.avi", frames, FPS)


def test_video_through_the_capture_pipeline_counts_each_item_exactly_once(bench_video: Path) -> None:
    listener = CollectingListener()
    previews: list[tuple[tuple[int, ...], list[DecodedCode]]] = []
    cam = CameraScanner(
        str(bench_video),
        listener,
        frame_listener=lambda frame, codes: previews.append((frame.shape, codes)),
        stable_filter=StableCodeFilter(seen_needed=2, window=3, dedupe_s=0.25),
    )
    try:
        t0 = time.monotonic()
        cam.start()
        assert listener.wait_for_state(DeviceState.STOPPED, timeout=15), listener.states
        elapsed = time.monotonic() - t0
        assert cam.wait_finished(timeout=5)
    finally:
        cam.stop()
    assert elapsed >= 0.9 * 38 / FPS  # paced at the file's own 20 fps, not as fast as possible

    assert sorted(listener.codes) == sorted([EAN, EAN, QR, GS1_TEXT])
    by_code = {s.code: s for s in listener.scans}
    assert by_code[GS1_TEXT].symbology == "]C1"
    assert by_code[QR].symbology == "]Q1"
    assert all(s.source == f"camera:{bench_video}" for s in listener.scans)
    assert all(isinstance(s.frame, np.ndarray) and s.frame.shape == (720, 1280, 3) for s in listener.scans)
    assert listener.state_values == [DeviceState.CONNECTING, DeviceState.CONNECTED, DeviceState.STOPPED]
    assert listener.states[-1][2] == "end of video"
    # The preview got frames with outlines for the decoded codes.
    outlined = [codes for _shape, codes in previews if codes]
    assert outlined and all(len(c.polygon) == 4 for codes in outlined for c in codes)
    assert cam.stats.frames_read == 38
    assert 0 < cam.stats.frames_decoded <= cam.stats.frames_read
    assert cam.stats.decode_ms_max >= cam.stats.decode_ms_mean > 0


def test_a_video_file_plays_at_its_own_fps_unless_told_otherwise(bench_video: Path) -> None:
    listener = CollectingListener()
    cam = CameraScanner(str(bench_video), listener, realtime=False)
    try:
        cam.start()
        assert listener.wait_for_state(DeviceState.STOPPED, timeout=15)
        assert cam.wait_finished(timeout=5)  # the decoder drains the last frame, then ends by itself
    finally:
        cam.stop()
    # As fast as possible, the decoder cannot keep up with the reader: stale frames are dropped, not queued.
    assert cam.stats.frames_read == 38
    assert cam.stats.frames_decoded + cam.stats.frames_dropped == 38


def test_a_missing_device_reports_disconnected_and_keeps_retrying_until_stopped() -> None:
    listener = CollectingListener()
    cam = CameraScanner(97, listener, reconnect_initial_s=0.05, reconnect_max_s=0.1)
    try:
        cam.start()
        assert listener.wait_for_state(DeviceState.DISCONNECTED, timeout=10), listener.states
        assert cam.running  # still trying, not crashed
        assert "cannot open 97" in [d for _s, st, d in listener.states if st is DeviceState.DISCONNECTED][0]
    finally:
        cam.stop(timeout=5)
    assert not cam.running
    assert listener.state_values[-1] is DeviceState.STOPPED
    assert listener.scans == []


def test_a_missing_video_file_is_reported_and_not_retried(tmp_path: Path) -> None:
    listener = CollectingListener()
    cam = CameraScanner(str(tmp_path / "nope.avi"), listener)
    try:
        cam.start()
        assert listener.wait_for_state(DeviceState.STOPPED, timeout=5)
        assert cam.wait_finished(timeout=5)
    finally:
        cam.stop()
    assert DeviceState.DISCONNECTED not in listener.state_values
    assert "video file not found" in listener.states[-1][2]


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"source": " "}, "camera source"), ({"fps": 0}, "fps must be positive")]
)
def test_bad_camera_settings_get_a_clear_message(kwargs, message) -> None:
    args = {"source": 0, "listener": CollectingListener(), **kwargs}
    with pytest.raises(ValueError, match=message):
        CameraScanner(**args)


def test_device_index_given_as_text_is_a_device() -> None:
    cam = CameraScanner("0", CollectingListener())
    assert cam.source == 0 and cam.source_name == "camera:0"


class _FaultyListener(CollectingListener):
    """Records every call, then raises from it: a consumer with a bug."""

    def scan_received(self, scan: Scan) -> None:
        super().scan_received(scan)
        raise RuntimeError("consumer bug")

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None:
        super().state_changed(source, state, detail)
        raise RuntimeError("consumer bug")


def test_a_listener_that_raises_does_not_stop_the_camera(bench_video: Path, caplog: pytest.LogCaptureFixture) -> None:
    listener = _FaultyListener()
    frames: list[int] = []

    def faulty_preview(_frame: np.ndarray, _codes: list[DecodedCode]) -> None:
        frames.append(1)
        raise RuntimeError("preview bug")

    cam = CameraScanner(
        str(bench_video),
        listener,
        frame_listener=faulty_preview,
        stable_filter=StableCodeFilter(seen_needed=2, window=3, dedupe_s=0.25),
    )
    try:
        cam.start()
        assert listener.wait_for_state(DeviceState.STOPPED, timeout=15), listener.states
        assert cam.wait_finished(timeout=5)
    finally:
        cam.stop()
    # Every scan and state still reached the listener, every frame the preview: each failure was logged.
    assert set(listener.codes) == {EAN, QR, GS1_TEXT}
    assert listener.state_values == [DeviceState.CONNECTING, DeviceState.CONNECTED, DeviceState.STOPPED]
    assert len(frames) == cam.stats.frames_decoded
    failed = {r.getMessage() for r in caplog.records if "failed" in r.getMessage()}
    source = f"camera:{bench_video}"
    assert f"{source}: listener scan_received failed" in failed
    assert f"{source}: listener state_changed failed" in failed
    assert f"{source}: listener faulty_preview failed" in failed
