"""The order lines of the packer screen (`OrderLinesTable`): what the order holds and how much of each
line is scanned, the line the last scan touched highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from station.model import OrderView
from ui import plural
from ui.fonts import LINES_PX, pixel_font
from ui.i18n import QT_TRANSLATE_NOOP, translate


class OrderLinesTable(QTableWidget):
    """One row per order line: state mark, SKU, description, scanned of ordered. Counts are updated in
    place (no rebuild) on each scan so a 50-line order costs the same as a 3-line one."""

    COLUMNS = (
        "",
        QT_TRANSLATE_NOOP("PackerWindow", "SKU"),
        QT_TRANSLATE_NOOP("PackerWindow", "Item"),
        QT_TRANSLATE_NOOP("PackerWindow", "Scanned"),
        QT_TRANSLATE_NOOP("PackerWindow", "Ordered"),
    )
    FITTED = (0, 1, 3, 4)  # sized to their contents; the item's description takes the rest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels([translate("PackerWindow", c) if c else "" for c in self.COLUMNS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the manual-entry box focused for wedge scanners
        self.verticalHeader().setVisible(False)
        font = pixel_font(self, LINES_PX)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        self.verticalHeader().setDefaultSectionSize(int(LINES_PX * 1.9))
        header = self.horizontalHeader()
        # Sized to their widest content once per order (`_fit_columns`), not at every count: a column that
        # resizes to its contents measures every row of it again on each change, the costliest part of
        # painting a verdict (issue 15).
        for col in self.FITTED:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._order_id: str | None = None
        self._row_of: dict[int, int] = {}
        self._shown: dict[int, tuple[str, int, bool, bool]] = {}  # row -> (mark, scanned, done, highlighted)

    def show_order(self, order: OrderView | None, highlight_line: int | None = None) -> None:
        if order is None:
            self.setRowCount(0)
            self._order_id, self._row_of, self._shown = None, {}, {}
            return
        if order.order_id != self._order_id or len(order.lines) != self.rowCount():
            self.setRowCount(len(order.lines))
            self._row_of, self._shown = {}, {}
            for row, line in enumerate(order.lines):
                self._row_of[line.line_id] = row
                for col in range(len(self.COLUMNS)):
                    item = QTableWidgetItem()
                    if col >= 3:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.setItem(row, col, item)
                self._cell(row, 1).setText(line.sku)
                self._cell(row, 2).setText(line.description)
                self._cell(row, 4).setText(str(line.ordered))
            self._fit_columns(order)
            self._order_id = order.order_id
        for line in order.lines:
            row = self._row_of[line.line_id]
            mark = "✔" if line.complete else plural.translate("PackerWindow", "%n left", None, 0)(line.missing)
            done = line.complete
            shown = (mark, line.scanned, done, line.line_id == highlight_line)
            if self._shown.get(row) == shown:
                continue  # a row the scan did not touch: every setter would signal a change of nothing
            self._shown[row] = shown
            self._cell(row, 0).setText(mark)
            self._cell(row, 3).setText(str(line.scanned))
            colour = QColor("#d7f0dd") if done else QColor("#ffffff")
            if line.line_id == highlight_line:
                colour = QColor("#fff2b3")  # the line the last scan touched
            for col in range(len(self.COLUMNS)):
                item = self._cell(row, col)
                item.setBackground(colour)
                item.setForeground(QColor("#1a1a1a"))
                f = item.font()
                f.setBold(line.line_id == highlight_line)
                item.setFont(f)
        if highlight_line in self._row_of:
            self.scrollToItem(self._cell(self._row_of[highlight_line], 0))

    def _fit_columns(self, order: OrderView) -> None:
        """Size the fitted columns to the widest text each can show for this order (bold, as on the line
        the last scan touched): "N left" with nothing scanned, a count up to the ordered quantity."""
        for row, line in enumerate(order.lines):
            self._cell(row, 0).setText(
                plural.translate("PackerWindow", "%n left", None, 0)(max(line.ordered, line.missing))
            )
            self._cell(row, 3).setText(str(max(line.ordered, line.scanned)))
            for col in self.FITTED:  # every fitted column bold: the SKU too (it was cut to "TOY-4…" once bold)
                item = self._cell(row, col)
                f = item.font()
                f.setBold(True)
                item.setFont(f)
        for col in self.FITTED:
            self.resizeColumnToContents(col)

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        """The item `show_order` put at (row, col): every cell of a shown order has one."""
        item = self.item(row, col)
        assert item is not None, (row, col)
        return item

    def counts(self) -> list[tuple[str, int, int]]:
        """(sku, scanned, ordered) as shown; for tests."""
        return [
            (self._cell(r, 1).text(), int(self._cell(r, 3).text()), int(self._cell(r, 4).text()))
            for r in range(self.rowCount())
        ]
