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
