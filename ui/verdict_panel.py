"""The packer screen's verdict panel: the big coloured panel (icon shape, huge headline, one sentence,
details) and, for a blocked package, the keeper of its red headline.

A blocked package must look blocked until a supervisor clears it. `BlockedPanel` remembers the red panel
of the package on the bench: the blocking verdict's own words while they are fresh, or words told from
the open incidents (after a restart, or once the incident on screen was cleared and another is still
open). While the bench is blocked the packer window never paints anything else: whatever comes in (a
further scan, a command, an empty Enter, another order's barcode, a badge, a storage error, a camera
read) becomes the panel's secondary line (`VerdictStyle.also`) inside the red.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from station.model import IncidentView, Verdict
from ui import blocked_style as bs
from ui import verdict_style as vs

logger = logging.getLogger(__name__)

HEADLINE_PX = 72  # readable from 2 m (the brief asks >= 48 px)
SENTENCE_PX = 30
DETAIL_PX = 22
MIN_HEIGHT_PX = 230
ALSO_PX = 26  # the "also scanned" line while blocked: smaller than the sentence, bigger than details
ALSO_BACKGROUND = "rgba(0, 0, 0, 90)"  # a darker band inside the panel: white on it stays >= 7:1 on red


class VerdictIcon(QWidget):
    """Paints the tone's icon *shape* (not a font glyph: offscreen and kiosk fonts lack emoji)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "hourglass"
        self.colour = QColor("#ffffff")
        self.setFixedSize(QSize(150, 150))

    def set_icon(self, kind: str, colour: str) -> None:
        self.kind = kind
        self.colour = QColor(colour)
        self.update()

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 12
        r = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        pen = QPen(self.colour, side * 0.09, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        cx, cy, s = r.center().x(), r.center().y(), side / 2
        k = self.kind
        if k == "check":
            p.drawEllipse(r)
            p.drawPolyline(
                QPolygonF(
                    [
                        r.center() + _pt(-0.45 * s, 0.02 * s),
                        r.center() + _pt(-0.12 * s, 0.35 * s),
                        r.center() + _pt(0.5 * s, -0.35 * s),
                    ]
                )
            )
        elif k == "cross":
            octagon = QPolygonF(
                [
                    r.center() + _pt(s * x, s * y)
                    for x, y in (
                        (-0.41, -1),
                        (0.41, -1),
                        (1, -0.41),
                        (1, 0.41),
                        (0.41, 1),
                        (-0.41, 1),
                        (-1, 0.41),
                        (-1, -0.41),
                    )
                ]
            )
            p.drawPolygon(octagon)
            p.drawLine(r.center() + _pt(-0.4 * s, -0.4 * s), r.center() + _pt(0.4 * s, 0.4 * s))
            p.drawLine(r.center() + _pt(0.4 * s, -0.4 * s), r.center() + _pt(-0.4 * s, 0.4 * s))
        elif k == "warning":
            p.drawPolygon(
                QPolygonF([r.center() + _pt(0, -s), r.center() + _pt(s, 0.8 * s), r.center() + _pt(-s, 0.8 * s)])
            )
            p.drawLine(r.center() + _pt(0, -0.4 * s), r.center() + _pt(0, 0.25 * s))
            p.drawPoint(r.center() + _pt(0, 0.55 * s))
        elif k == "hourglass":
            path = QPainterPath()
            path.moveTo(cx - 0.6 * s, cy - s)
            path.lineTo(cx + 0.6 * s, cy - s)
            path.lineTo(cx - 0.6 * s, cy + s)
            path.lineTo(cx + 0.6 * s, cy + s)
            path.closeSubpath()
            p.drawPath(path)
        elif k == "box":
            p.drawRect(r.adjusted(side * 0.06, side * 0.06, -side * 0.06, -side * 0.06))
            p.drawPolyline(
                QPolygonF(
                    [
                        r.center() + _pt(-0.45 * s, 0.02 * s),
                        r.center() + _pt(-0.12 * s, 0.35 * s),
                        r.center() + _pt(0.5 * s, -0.35 * s),
                    ]
                )
            )
        else:  # info
            p.drawEllipse(r)
            p.drawLine(r.center() + _pt(0, -0.1 * s), r.center() + _pt(0, 0.5 * s))
            p.drawPoint(r.center() + _pt(0, -0.45 * s))
        p.end()


def _pt(x: float, y: float) -> Any:
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


class VerdictPanel(QFrame):
    """The big coloured panel: icon, headline, one sentence, details. `painted` counts real paints so
    the benchmark can measure scan -> verdict on screen."""

    painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictPanel")
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.icon = VerdictIcon(self)
        self.headline = QLabel(self)
        self.headline.setObjectName("verdictHeadline")
        self.sentence = QLabel(self)
        self.sentence.setObjectName("verdictSentence")
        self.sentence.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setObjectName("verdictDetails")
        self.details.setWordWrap(True)
        # While blocked: what came in since (a further scan, a command, an empty Enter), inside the red.
        self.also = QLabel(self)
        self.also.setObjectName("verdictAlso")
        self.also.setWordWrap(True)
        self.also.setVisible(False)
        for label, px, bold in (
            (self.headline, HEADLINE_PX, True),
            (self.sentence, SENTENCE_PX, True),
            (self.details, DETAIL_PX, False),
            (self.also, ALSO_PX, True),
        ):
            font = QFont(label.font())
            font.setPixelSize(px)
            font.setBold(bold)
            label.setFont(font)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            # A scanned code is shown as typed: never read as HTML (a code "<b>..." must not restyle the panel).
            label.setTextFormat(Qt.TextFormat.PlainText)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.headline)
        text.addWidget(self.sentence)
        text.addWidget(self.details)
        text.addWidget(self.also)
        text.addStretch(1)
        row = self._row = QHBoxLayout(self)
        row.setContentsMargins(24, 12, 24, 12)
        row.setSpacing(24)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.style_shown: vs.VerdictStyle | None = None
        self.paint_count = 0

    def show_style(self, style: vs.VerdictStyle) -> None:
        self.style_shown = style
        sheet = (
            f"#verdictPanel {{ background: {style.background}; border-radius: 10px; }}"
            f"#verdictPanel QLabel {{ color: {style.foreground}; background: transparent; }}"
            f"#verdictPanel QLabel#verdictAlso {{ background: {ALSO_BACKGROUND}; "
            "border-radius: 6px; padding: 6px 12px; }"
        )
        if sheet != self.styleSheet():  # only when the tone changes: a new sheet re-polishes every label
            self.setStyleSheet(sheet)
        self.icon.set_icon(style.icon, style.foreground)
        self.headline.setText(style.headline)
        self.sentence.setText(style.sentence)
        self.details.setText("\n".join(style.details))
        self.details.setVisible(bool(style.details))
        self.also.setText(style.also)
        self.also.setVisible(bool(style.also))
        self.setAccessibleName(f"{style.headline}. {style.sentence}" + (f" {style.also}" if style.also else ""))
        self._fit()

    def _fit(self) -> None:
        """Ask the window for the height the wrapped lines need at this width (an extra detail, the "also
        scanned" line): the order lines below give way, the panel's text is never squashed."""
        layout = self._row
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        self.setMinimumHeight(max(MIN_HEIGHT_PX, need, layout.totalMinimumSize().height()))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.paint_count += 1
        self.painted.emit()


class BlockedPanel:
    """The red panel of the blocked package on the bench (no Qt, no I/O: the window feeds it).

    `blocked_by(verdict, style)` when a scan blocks: its words name the item and the order line, so they
    stay on screen. `update(order_id, incidents)` with the open incidents as last read; if the incident
    whose words are shown is no longer open (cleared, another one still open) or another order is on the
    bench, the panel is told afresh from the incidents. `panel()` is the style to paint; `reset()` when
    the bench is no longer blocked."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._style: vs.VerdictStyle | None = None
        self._incident_id: str | None = None
        self._from_verdict = False
        self.order_id: str | None = None
        self.incidents: tuple[IncidentView, ...] = ()
        self.known = False  # the open incidents were read at least once since the block began

    def blocked_by(self, verdict: Verdict, style: vs.VerdictStyle) -> vs.VerdictStyle:
        self._style = replace(style, holds_block=True)
        self._incident_id = verdict.incident_id
        self._from_verdict = True
        self.order_id = verdict.order.order_id if verdict.order is not None else self.order_id
        return self._style

    def update(self, order_id: str | None, incidents: tuple[IncidentView, ...]) -> bool:
        """The open incidents now; True if the panel's words change."""
        before = self._style
        open_ids = {i.id for i in incidents}
        if order_id != self.order_id or not self._from_verdict or self._incident_id not in open_ids:
            self._style, self._incident_id, self._from_verdict = None, None, False
        self.order_id = order_id
        self.incidents = tuple(incidents)
        self.known = True
        return before is None or self.panel() != before

    def panel(self) -> vs.VerdictStyle:
        if self._style is None:
            self._style = bs.style_for_blocked(self.order_id, self.incidents)
            self._incident_id = self.incidents[0].id if self.incidents else None
        return self._style
