"""The settings dialog's printers: the bench's printers, which document goes where, the slip's paper, the CUPS
queue list and "Print a test page".

A ``PrintersGroup`` is one group box the settings dialog adds and saves (``values()``). Listing the CUPS
queues and printing a test page run on a short-lived thread (``lpstat`` or a printer that is off may take
their timeout) and come back through a queued signal: the dialog never freezes, and every failure is a
sentence in the group's message line.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

from hardware.printers import PrinterError
from hardware.printers.cups import list_queues
from station.printing.jobs import PrintFailed, PrintFailure
from station.printing.settings import (
    PaperSize,
    PrinterConfig,
    PrinterLanguage,
    PrintSettings,
    parse_printer_spec,
)
from ui.printing.runner import print_test_page
from ui.printing.words import failure_words

logger = logging.getLogger(__name__)

NONE = "(do not print)"


def printer_text(p: PrinterConfig) -> str:
    status = ", asks ~HS" if p.status_check else ""
    return f"{p.name}: {p.describe()} ({p.language.value.upper()}{status})"


class PrintersGroup(QGroupBox):
    _queues_listed = Signal(object, str)  # list of names, or an error message
    _test_finished = Signal(bool, str)

    def __init__(self, settings: PrintSettings, parent: QWidget | None = None) -> None:
        super().__init__("Printers", parent)
        self.setObjectName("printersGroup")
        self._settings = settings
        self.printer_list = QListWidget()
        self.printer_list.setMaximumHeight(72)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("CUPS queue, PDF", "cups")
        self.kind_combo.addItem("CUPS raw queue, ZPL", "cups-zpl")
        self.kind_combo.addItem("Label printer, raw TCP 9100 (ZPL)", "tcp")
        self.target_combo = QComboBox()
        self.target_combo.setEditable(True)  # a queue not listed, or host:port
        self.target_combo.setToolTip("a CUPS queue, queue@host:631, or a label printer's host[:9100]")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("name, e.g. office or zebra")
        self.status_box = QCheckBox("Ask a raw label printer for paper and head (~HS) before each label")
        self.add_button = QPushButton("Add printer")
        self.remove_button = QPushButton("Remove selected")
        self.queues_button = QPushButton("List CUPS queues")
        self.test_button = QPushButton("Print a test page")
        self.slip_combo = QComboBox()
        self.label_combo = QComboBox()
        self.paper_combo = QComboBox()
        self.paper_combo.addItem("A4", PaperSize.A4.value)
        self.paper_combo.addItem("US letter", PaperSize.LETTER.value)
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(settings.paper.value))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        form = QFormLayout(self)
        form.addRow("Printers", self.printer_list)
        add = QHBoxLayout()
        add.addWidget(self.kind_combo)
        add.addWidget(self.target_combo, 1)
        add.addWidget(self.name_edit)
        add.addWidget(self.add_button)
        form.addRow("New printer", add)
        form.addRow("", self.status_box)
        actions = QHBoxLayout()
        for button in (self.queues_button, self.test_button, self.remove_button):
            actions.addWidget(button)
        form.addRow("", actions)
        routes = QHBoxLayout()
        routes.addWidget(QLabel("Packing slip to"))
        routes.addWidget(self.slip_combo, 1)
        routes.addWidget(QLabel("Shipping label to"))
        routes.addWidget(self.label_combo, 1)
        routes.addWidget(QLabel("Paper"))
        routes.addWidget(self.paper_combo)
        form.addRow("", routes)
        form.addRow("", self.message)

        self.add_button.clicked.connect(self.add_printer)
        self.remove_button.clicked.connect(self.remove_selected)
        self.queues_button.clicked.connect(self.list_queues)
        self.test_button.clicked.connect(self.print_test_page)
        self._queues_listed.connect(self._on_queues_listed, Qt.ConnectionType.QueuedConnection)
        self._test_finished.connect(self._on_test_finished, Qt.ConnectionType.QueuedConnection)
        self._fill()

    # ------------------------------------------------------------------ state
    def _fill(self) -> None:
        self.printer_list.clear()
        for p in self._settings.printers:
            self.printer_list.addItem(printer_text(p))
        names = [p.name for p in self._settings.printers]
        for combo, chosen in (
            (self.slip_combo, self._settings.slip_printer),
            (self.label_combo, self._settings.label_printer),
        ):
            combo.clear()
            combo.addItem(NONE, None)
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen in names else 0)

    def values(self) -> PrintSettings:
        """The settings as the group shows them (the dialog saves them)."""
        return replace(
            self._settings,
            slip_printer=self.slip_combo.currentData(),
            label_printer=self.label_combo.currentData(),
            paper=PaperSize(self.paper_combo.currentData()),
        )

    def selected(self) -> PrinterConfig | None:
        row = self.printer_list.currentRow()
        return self._settings.printers[row] if 0 <= row < len(self._settings.printers) else None

    # ------------------------------------------------------------------ editing
    @Slot()
    def add_printer(self) -> bool:
        target = self.target_combo.currentText().strip()
        name = self.name_edit.text().strip() or target.split("@")[0].split(":")[0]
        kind = self.kind_combo.currentData()
        try:
            if not target:
                raise ValueError("type a CUPS queue (or pick one from the list) or a label printer's host")
            printer = parse_printer_spec(name, f"{kind}:{target}")
            if kind == "tcp" and self.status_box.isChecked():
                printer = replace(printer, status_check=True)
        except ValueError as exc:
            self.message.setText(f"Printer not added: {exc}")
            return False
        self._settings = replace(self.values(), printers=self.values().with_printer(printer).printers)
        if self._settings.slip_printer is None and printer.language is PrinterLanguage.PDF:
            self._settings = replace(self._settings, slip_printer=printer.name)
        if self._settings.label_printer is None and printer.language is PrinterLanguage.ZPL:
            self._settings = replace(self._settings, label_printer=printer.name)
        self._fill()
        self.printer_list.setCurrentRow(len(self._settings.printers) - 1)
        self.message.setText(f"Added {printer_text(printer)}. Save to keep it.")
        return True

    @Slot()
    def remove_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        current = self.values()
        self._settings = replace(
            current,
            printers=tuple(p for p in current.printers if p.name != chosen.name),
            slip_printer=None if current.slip_printer == chosen.name else current.slip_printer,
            label_printer=None if current.label_printer == chosen.name else current.label_printer,
        )
        self._fill()

    # ------------------------------------------------------------------ off the GUI thread
    @Slot()
    def list_queues(self) -> None:
        """Fill the queue list from CUPS (the server typed after ``@``, or lp's default)."""
        server = self.target_combo.currentText().partition("@")[2].strip() or None
        self.message.setText("Asking CUPS for its queues…")
        self.queues_button.setEnabled(False)

        def run() -> None:
            try:
                queues = list_queues(server)
            except PrinterError as exc:
                self._queues_listed.emit(
                    None, f"CUPS queues not listed: {failure_words(PrintFailure(exc.fault.value))} ({exc.detail})"
                )
                return
            except Exception as exc:  # never out of the thread
                logger.exception("listing CUPS queues failed")
                self._queues_listed.emit(None, f"CUPS queues not listed: {exc}")
                return
            suffix = f"@{server}" if server else ""
            self._queues_listed.emit([q.name + suffix for q in queues], "")

        threading.Thread(target=run, name="packgate-lpstat", daemon=True).start()

    @Slot(object, str)
    def _on_queues_listed(self, names: list[str] | None, error: str) -> None:
        self.queues_button.setEnabled(True)
        if names is None:
            self.message.setText(error)
            return
        typed = self.target_combo.currentText()
        self.target_combo.clear()
        self.target_combo.addItems(names)
        self.target_combo.setEditText(names[0] if names else typed)
        self.message.setText(f"{len(names)} CUPS queue(s): {', '.join(names)}" if names else "CUPS has no queues")

    @Slot()
    def print_test_page(self) -> None:
        chosen = self.selected() or (self._settings.printers[0] if self._settings.printers else None)
        if chosen is None:
            self.message.setText("Add a printer first")
            return
        self.test_button.setEnabled(False)
        self.message.setText(f"Printing a test page on {chosen.name}…")
        paper = PaperSize(self.paper_combo.currentData())

        def run() -> None:
            try:
                reference = print_test_page(chosen, paper)
            except PrintFailed as exc:
                self._test_finished.emit(
                    False, f"Test page not printed on {chosen.name}: {failure_words(exc.failure)} ({exc.detail})"
                )
            except Exception as exc:  # never out of the thread
                logger.exception("test page failed")
                self._test_finished.emit(False, f"Test page not printed on {chosen.name}: {exc}")
            else:
                self._test_finished.emit(
                    True, f"Test page sent to {chosen.name}" + (f" ({reference})" if reference else "")
                )

        threading.Thread(target=run, name="packgate-print-test", daemon=True).start()

    @Slot(bool, str)
    def _on_test_finished(self, _ok: bool, text: str) -> None:
        self.test_button.setEnabled(True)
        self.message.setText(text)


__all__ = ["PrintersGroup"]
