"""What painting one verdict costs the packer screen (issue 15): a counted item re-styles nothing, re-measures
no column of the order lines and paints the progress bar once, with the rest of the window, not on its own
before the verdict. The figures themselves are measured by `bench/bench_ui.py`; these pin the work."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import scan
from ui.verdict_style import TONE_COLOURS, Tone

NOTEBOOK = "5901230412357"  # OFF-2001 on order 10023: 10 units


class _Events(QObject):
    """Counts events of the given types per object, application-wide, while `on`."""

    def __init__(self, *types: QEvent.Type) -> None:
        super().__init__()
        self.types = types
        self.on = False
        self.seen: list[tuple[QEvent.Type, QObject]] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.on and event.type() in self.types:
            self.seen.append((event.type(), obj))
        return False


def _watch(*types: QEvent.Type) -> _Events:
    events = _Events(*types)
    QApplication.instance().installEventFilter(events)
    return events


def test_a_counted_item_restyles_no_widget(qtbot, window) -> None:
    scan(qtbot, window, "ORD-10023")
    scan(qtbot, window, NOTEBOOK)  # the first OK: the panel turns green once
    events = _watch(QEvent.Type.StyleChange)
    try:
        events.on = True
        style = scan(qtbot, window, NOTEBOOK)
        events.on = False
    finally:
        QApplication.instance().removeEventFilter(events)
    assert style.headline == "OK" and "2 of 10" in window.verdict_panel.sentence.text()
    assert events.seen == []  # no style sheet set again: nothing re-polished
    assert TONE_COLOURS[Tone.OK][0] in window.verdict_panel.styleSheet()  # and still green


def test_the_tone_still_changes_the_panel_colour(qtbot, window) -> None:
    scan(qtbot, window, "ORD-10023")
    scan(qtbot, window, NOTEBOOK)
    assert TONE_COLOURS[Tone.OK][0] in window.verdict_panel.styleSheet()
    style = scan(qtbot, window, "4012345678901")  # a valid code on no order: blocks
    assert style.tone is Tone.BLOCKED
    assert TONE_COLOURS[Tone.BLOCKED][0] in window.verdict_panel.styleSheet()
    assert "#b3261e" in window.bench_frame.styleSheet()  # the red frame


def test_a_count_resizes_no_column_and_every_count_fits(qtbot, window) -> None:
    scan(qtbot, window, "ORD-10023")
    table = window.lines_table
    resized: list[tuple[int, int, int]] = []
    table.horizontalHeader().sectionResized.connect(lambda *a: resized.append(a))
    for _ in range(3):
        scan(qtbot, window, NOTEBOOK)
    assert resized == []
    bold = table.font()
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    for row in range(table.rowCount()):
        for col in (0, 1, 3):  # the SKU too: the bold line cut "TOY-4003" to "TOY-4…"
            text = table.item(row, col).text()
            assert metrics.horizontalAdvance(text) < table.columnWidth(col), (row, col, text)  # not elided


def test_the_progress_bar_is_painted_with_the_window_not_on_its_own(qtbot, window) -> None:
    scan(qtbot, window, "ORD-10023")
    order = window.service.order
    first = order.lines[0]
    counted = replace(order, lines=(replace(first, scanned=first.scanned + 1), *order.lines[1:]))
    events = _watch(QEvent.Type.Paint)
    try:
        events.on = True
        window.header.show_order(counted)  # as on a scan, before the verdict panel paints
        at_once = [obj for _, obj in events.seen if obj is window.progress]
        assert window.progress.value() == 1 and window.progress_label.text() == f"1 / {order.units_ordered} units"
        qtbot.waitUntil(lambda: any(obj is window.progress for _, obj in events.seen), timeout=2000)
        events.on = False
    finally:
        QApplication.instance().removeEventFilter(events)
    assert at_once == []  # QProgressBar.setValue alone would have repainted it there and then
