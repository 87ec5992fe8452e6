"""The order lines of the packer screen (`OrderLinesTable`): what the order holds and how much of each
line is scanned, the line the last scan touched highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from station.model import OrderView
from ui.fonts import LINES_PX, pixel_font


class OrderLinesTable(QTableWidget):
    """One row per order line: state mark, SKU, description, scanned of ordered. Counts are updated in
    place (no rebuild) on each scan so a 50-line order costs the same as a 3-line one."""

    COLUMNS = ("", "SKU", "Item", "Scanned", "Ordered")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the manual-entry box focused for wedge scanners
        self.verticalHeader().setVisible(False)
        font = pixel_font(self, LINES_PX)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        self.verticalHeader().setDefaultSectionSize(int(LINES_PX * 1.9))
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self._order_id: str | None = None
        self._row_of: dict[int, int] = {}

    def show_order(self, order: OrderView | None, highlight_line: int | None = None) -> None:
        if order is None:
            self.setRowCount(0)
            self._order_id, self._row_of = None, {}
            return
        if order.order_id != self._order_id or len(order.lines) != self.rowCount():
            self.setRowCount(len(order.lines))
            self._row_of = {}
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
            self._order_id = order.order_id
        for line in order.lines:
            row = self._row_of[line.line_id]
            mark = "✔" if line.complete else f"{line.missing} left"
            self._cell(row, 0).setText(mark)
            self._cell(row, 3).setText(str(line.scanned))
            done = line.complete
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
