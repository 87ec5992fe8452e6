"""The live camera picture beside the verdict, with each barcode outlined in its verdict's colour.

A code the camera sees but has not yet turned into a scan (not stable yet, or already counted and still
in view) is outlined amber; once its scan is judged, its outline turns green (counted) or red (blocked)
for a few seconds, so the packer sees *which* item in a crowded view the verdict is about.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, Slot
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

logger = logging.getLogger(__name__)

SEEN = QColor("#f0a500")  # amber: in view, not (yet) a scan
OK = QColor("#1e9e3a")
BLOCKED = QColor("#d0021b")


class CameraPreview(QWidget):
    def __init__(
        self, parent: QWidget | None = None, mark_seconds: float = 3.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self._codes: list[object] = []
        self._marks: dict[str, tuple[QColor, float]] = {}
        self._mark_seconds = mark_seconds
        self._clock = clock
        self.status_text = "camera starting…"
        self.setAccessibleName("Camera preview")

    @Slot(QImage, object)
    def show_frame(self, image: QImage, codes: list[object]) -> None:
        self._image = image
        self._codes = list(codes)
        self.update()

    def mark(self, text: str, ok: bool) -> None:
        """Colour the outline of the code `text` by its verdict for a few seconds."""
        self._marks[text] = (OK if ok else BLOCKED, self._clock() + self._mark_seconds)
        self.update()

    def set_status(self, text: str) -> None:
        self.status_text = text
        self.update()

    def outline_colour(self, text: str) -> QColor:
        colour, until = self._marks.get(text, (SEEN, 0.0))
        return colour if until > self._clock() else SEEN

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202020"))
        if self._image is None or self._image.isNull():
            painter.setPen(QColor("#dddddd"))
            font = QFont(self.font())
            font.setPixelSize(20)
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.status_text)
            painter.end()
            return
        scaled = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x0 = (self.width() - scaled.width()) / 2
        y0 = (self.height() - scaled.height()) / 2
        sx = scaled.width() / self._image.width()
        sy = scaled.height() / self._image.height()
        painter.drawImage(QRectF(x0, y0, scaled.width(), scaled.height()), self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for code in self._codes:
            points = [QPointF(x0 + px * sx, y0 + py * sy) for px, py in getattr(code, "polygon", ())]
            if len(points) < 2:
                continue
            painter.setPen(QPen(self.outline_colour(getattr(code, "text", "")), 5))
            painter.drawPolygon(QPolygonF(points))
        painter.end()
