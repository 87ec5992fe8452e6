"""The header of the packer screen (`OrderHeader`): the order on the bench, where it ships, the carrier and
how many of its units are scanned, or what to do when there is no order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QProgressBar, QWidget

from station.model import OrderView
from ui import plural
from ui.fonts import LINES_PX, pixel_font
from ui.i18n import translate


class OrderHeader(QWidget):
    """Order id (big), ship-to, carrier and a units-scanned bar with its count beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        header = QGridLayout(self)
        header.setContentsMargins(0, 0, 0, 0)
        self.order_label = QLabel(translate("PackerWindow", "No order"))
        self.order_label.setObjectName("orderId")
        self.order_label.setFont(pixel_font(self.order_label, 34, bold=True))
        self.ship_label = QLabel("")
        self.carrier_label = QLabel("")
        for lab in (self.ship_label, self.carrier_label):
            lab.setFont(pixel_font(lab, LINES_PX))
        self.ship_label.setWordWrap(True)
        # The count sits in its own label: text drawn across a half-filled bar is unreadable in some styles.
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMinimumWidth(220)
        self.progress.setFixedHeight(24)
        self.progress_label = QLabel("")
        self.progress_label.setFont(pixel_font(self.progress_label, 24, bold=True))
        prow = QHBoxLayout()
        prow.addWidget(self.progress_label)
        prow.addWidget(self.progress)
        header.addWidget(self.order_label, 0, 0)
        header.addWidget(self.carrier_label, 0, 1, Qt.AlignmentFlag.AlignRight)
        header.addWidget(self.ship_label, 1, 0)
        header.addLayout(prow, 1, 1)
        header.setColumnStretch(0, 1)

    def show_order(self, order: OrderView | None) -> None:
        if order is None:
            self.order_label.setText(translate("PackerWindow", "No order on the bench"))
            self.ship_label.setText(translate("PackerWindow", "Scan an order barcode to start"))
            self.carrier_label.setText("")
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setVisible(False)  # an empty bar with no order reads as "0 % done" of nothing
            self.progress_label.setText("")
        else:
            self.progress.setVisible(True)
            self.order_label.setText(translate("PackerWindow", "Order {order}").format(order=order.order_id))
            self.ship_label.setText(translate("PackerWindow", "Ship to: {address}").format(address=order.ship_to))
            self.carrier_label.setText(translate("PackerWindow", "Carrier: {carrier}").format(carrier=order.carrier))
            # QProgressBar.setValue repaints at once (synchronously, milliseconds on the scan path): with
            # updates held it is drawn in the window's next paint instead, after the verdict panel.
            self.progress.setUpdatesEnabled(False)
            self.progress.setRange(0, max(order.units_ordered, 1))
            self.progress.setValue(order.units_scanned)
            self.progress.setUpdatesEnabled(True)
            self.progress_label.setText(
                plural.translate("PackerWindow", "{scanned} / %n unit(s)", None, 0)(order.units_ordered).format(
                    scanned=order.units_scanned
                )
            )
