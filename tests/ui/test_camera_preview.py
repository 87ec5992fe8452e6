"""The live preview outlines what the camera sees, in the colour of its verdict."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from hardware.decoding import DecodedCode
from ui.camera_preview import BLOCKED, OK, SEEN, CameraPreview


class Ticker:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_outline_is_amber_then_verdict_coloured_then_amber_again(qtbot) -> None:
    clock = Ticker()
    preview = CameraPreview(mark_seconds=3.0, clock=clock)
    qtbot.addWidget(preview)
    preview.resize(640, 360)
    image = QImage(320, 180, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    code = DecodedCode("4006381333931", "]E0", ((40, 40), (200, 40), (200, 120), (40, 120)), "zxing")
    preview.show_frame(image, [code])

    assert preview.outline_colour(code.text) == SEEN
    preview.mark(code.text, ok=False)
    assert preview.outline_colour(code.text) == BLOCKED
    # The painted outline really is red, at the scaled polygon's left edge (x = 40 * 2 = 80).
    shot = preview.grab().toImage()
    left_edge = QColor(shot.pixel(80, 160))
    assert left_edge.red() > 180 and left_edge.green() < 80
    clock.now += 3.5
    assert preview.outline_colour(code.text) == SEEN
    preview.mark(code.text, ok=True)
    assert preview.outline_colour(code.text) == OK


def test_without_frames_the_preview_says_why(qtbot) -> None:
    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.set_status("camera disconnected: reconnecting")
    assert preview.status_text == "camera disconnected: reconnecting"
    assert not preview.grab().isNull()
