"""The bench's print panel: what is printing, waiting or failed, and the Reprint button.

Each line has an icon of its own shape, a headline word (PRINTED, WAITING, NOT PRINTED, NOTE) and a
sentence, in its colour: never colour alone. The panel hides itself while printing is not set up and no
seal has queued anything. :func:`attach_printing` puts it in the packer window's side panel, feeds it the
worker's status, wakes the worker as soon as the window shows a seal or a reprint (the window's own
``verdict_shown`` signal: the scan path is not touched), and sends the button through the service as
``CMD:REPRINT`` (so the blocked-package rules and the audit row are the same as for the barcode).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station.commands import Command
from station.model import VerdictKind
from ui.bench_side_boxes import LIST_PX, TITLE_PX
from ui.fonts import pixel_font
from ui.i18n import translate
from ui.printing.bridge import QtPrintWorker
from ui.printing.words import TONE_LOOK, PrintLine, panel_lines, tone_headline
from ui.printing.worker import PrintStatus
from ui.verdict_panel import VerdictIcon

logger = logging.getLogger(__name__)

MAX_LINES = 6
_WAKE_ON = (VerdictKind.SEALED, VerdictKind.CLEARED, VerdictKind.REPRINTED)


class PrintPanel(QFrame):
    reprint_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        head = QHBoxLayout()
        title = QLabel(translate("PackerWindow", "Printing"))
        title.setFont(pixel_font(title, TITLE_PX, bold=True))  # the side boxes' sizes: read at arm's length
        head.addWidget(title, 1)
        self.reprint_button = QPushButton(translate("PackerWindow", "Reprint last"))
        self.reprint_button.setToolTip(
            translate("PackerWindow", "Print the last sealed package's slip and label again (CMD:REPRINT)")
        )
        self.reprint_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click must not steal the wedge's focus
        self.reprint_button.clicked.connect(self.reprint_requested)
        head.addWidget(self.reprint_button)
        layout.addLayout(head)
        self.rows: list[tuple[VerdictIcon, QLabel, QLabel]] = []
        for _ in range(MAX_LINES):
            icon, word, text = VerdictIcon(), QLabel(), QLabel()
            icon.setFixedSize(QSize(30, 30))  # the verdict panel's shapes: painted, no font glyph needed
            word.setFont(pixel_font(word, LIST_PX, bold=True))
            word.setFixedWidth(140)
            text.setFont(pixel_font(text, LIST_PX))
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)  # order ids and printer messages print as typed
            row = QHBoxLayout()
            row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(word, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(row)
            for part in (icon, word, text):
                part.hide()
            self.rows.append((icon, word, text))
        layout.addStretch(1)
        self.lines: list[PrintLine] = []
        self.setVisible(False)

    @Slot(object)
    def show_status(self, status: PrintStatus | None) -> None:
        if status is None:
            return
        from station.clock import SystemClock

        self.show_lines(panel_lines(status.overview, status.configured, SystemClock().now()), status.error)

    def show_lines(self, lines: list[PrintLine], error: str | None = None) -> None:
        self.lines = list(lines)
        if error:
            from ui.printing.words import PrintTone

            self.lines.insert(
                0,
                PrintLine(
                    PrintTone.FAILED, translate("Printing", "Print jobs cannot be read: {error}").format(error=error)
                ),
            )
        for index, (icon, word, text) in enumerate(self.rows):
            parts = (icon, word, text)
            if index < len(self.lines):
                line = self.lines[index]
                _headline, colour, shape = TONE_LOOK[line.tone]
                icon.set_icon(shape, colour)
                word.setText(tone_headline(line.tone))
                word.setStyleSheet(f"color: {colour};")
                text.setText(line.text)
                text.setStyleSheet(f"color: {colour};")
                for part in parts:
                    part.show()
            else:
                for part in parts:
                    part.hide()
        self.setVisible(bool(self.lines))

    def texts(self) -> list[str]:
        """What the panel says, headline word first (tests, screenshots)."""
        return [f"{tone_headline(line.tone)}: {line.text}" for line in self.lines]


def attach_printing(window: Any, bridge: QtPrintWorker) -> PrintPanel:
    """Put a print panel into ``window`` (a ``PackerWindow``) and connect it to ``bridge``; the window's
    ``shutdown`` stops the worker (``window.printing``)."""
    panel = PrintPanel(window)
    window.add_side_widget(panel, 0)
    window.printing = bridge
    bridge.setParent(window)
    bridge.status_changed.connect(panel.show_status)
    panel.show_status(bridge.status)

    def on_verdict(_style: object) -> None:
        verdict = window.last_verdict
        if verdict is not None and verdict.kind in _WAKE_ON:
            bridge.wake()

    def on_reprint() -> None:
        window._run(lambda: window.service.run_command(Command.REPRINT, source="button"))

    window.verdict_shown.connect(on_verdict)
    panel.reprint_requested.connect(on_reprint)
    return panel
