"""Camera frames reach the GUI thread as QImages with the right colours, thinned to the preview rate."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QThread
from PySide6.QtGui import QColor

from hardware.decoding import DecodedCode
from hardware.qt import FrameBridge


def test_frames_arrive_on_the_gui_thread_as_rgb_qimages(qtbot) -> None:
    bridge = FrameBridge(max_fps=1000)
    frame = np.zeros((48, 64, 3), dtype=np.uint8)
    frame[:, :, 2] = 255  # pure red in OpenCV's BGR order
    code = DecodedCode("4006381333931", "]E0", ((1, 1), (10, 1), (10, 10), (1, 10)), "zxing")
    received: list[tuple[object, object, object]] = []
    bridge.frame_ready.connect(lambda img, codes: received.append((img, codes, QThread.currentThread())))

    worker = threading.Thread(target=bridge.frame_listener, args=(frame, [code]), name="camera-decode")
    with qtbot.waitSignal(bridge.frame_ready, timeout=2000):
        worker.start()
    worker.join()

    image, codes, thread = received[0]
    assert (image.width(), image.height()) == (64, 48)
    assert QColor(image.pixel(5, 5)).getRgb()[:3] == (255, 0, 0)
    assert codes == [code]
    assert thread is bridge.thread()


def test_a_gray_frame_arrives_as_a_gray_picture(qtbot) -> None:
    bridge = FrameBridge(max_fps=1000)
    frame = np.full((48, 64), 200, dtype=np.uint8)
    with qtbot.waitSignal(bridge.frame_ready, timeout=2000) as blocker:
        bridge.frame_listener(frame, [])
    image = blocker.args[0]
    assert (image.width(), image.height()) == (64, 48)
    assert QColor(image.pixel(5, 5)).getRgb()[:3] == (200, 200, 200)


def test_empty_frames_are_thinned_but_frames_with_codes_never(qtbot) -> None:
    bridge = FrameBridge(max_fps=1)
    frame = np.full((8, 8), 128, dtype=np.uint8)
    code = DecodedCode("X", None, (), "zxing")
    for _ in range(5):
        bridge.frame_listener(frame, [])
    assert bridge.frames_forwarded == 1
    for _ in range(3):
        bridge.frame_listener(frame, [code])
    assert bridge.frames_forwarded == 4


def test_a_busy_gui_thread_gets_the_newest_frame_not_a_pile(qtbot) -> None:
    """The decode thread keeps delivering while the GUI thread is busy: one picture waits, the newest."""
    bridge = FrameBridge(max_fps=1000)
    received: list[int] = []
    bridge.frame_ready.connect(lambda img, _codes: received.append(QColor(img.pixel(0, 0)).red()))
    code = DecodedCode("X", None, (), "zxing")

    def camera() -> None:  # the GUI thread processes no events meanwhile: it is "busy"
        for i in range(100):
            bridge.frame_listener(np.full((8, 8), i, dtype=np.uint8), [code])

    worker = threading.Thread(target=camera, name="camera-decode")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: received == [99])
    with qtbot.assertNotEmitted(bridge.frame_ready, wait=100):
        pass  # nothing else was queued behind it
    assert received == [99] and bridge.frames_replaced == 99
