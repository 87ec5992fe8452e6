"""The flagged queue: every open incident of the station, oldest first, with its age against the 2-hour
customer-notification target (`station.remediation.NOTIFY_CUSTOMER_WITHIN`).

Filter by kind, packer and age; open an incident (double-click, Enter or the button) to clear or escalate
it after signing in. The supervisor stays signed in for the window until idle, or until "Sign out".
Signals: `incident_resolved(Verdict)` after a clearance or escalation (the packer screen repaints if it
was its order).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.model import BLOCKING_KINDS
from station.remediation import NOTIFY_CUSTOMER_WITHIN
from station.service import incident_view
from station.orm import IncidentRecord
from station.shift import OpenFlag, open_flags
from ui.bootstrap import Station
from ui.supervisor import clearing
from ui.supervisor import session as supervisor_session
from ui.supervisor.session import SupervisorSession, idle_seconds
from ui.supervisor.style import AGEING, FRESH, OVERDUE, STYLE_SHEET, duration, kind_label, local_time

logger = logging.getLogger(__name__)

AGE_FILTERS: tuple[tuple[str, timedelta | None], ...] = (
    ("Any age", None),
    ("Older than 30 min", timedelta(minutes=30)),
    ("Older than 1 hour", timedelta(hours=1)),
    ("Past the 2-hour target", NOTIFY_CUSTOMER_WITHIN),
)
COLUMNS = ["Age", "Order", "Problem", "Packer", "Scanned", "Detected"]
REFRESH_MS = 30_000  # ages move; a minute's granularity is what the target needs


def age_colour(age: timedelta) -> str:
    if age >= NOTIFY_CUSTOMER_WITHIN:
        return OVERDUE
    if age >= NOTIFY_CUSTOMER_WITHIN / 2:
        return AGEING
    return FRESH


class FlaggedQueueWindow(QWidget):
    incident_resolved = Signal(object)

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.flags: tuple[OpenFlag, ...] = ()
        self.session = SupervisorSession(supervisor_session.make_directory(station), int(idle_seconds(station) * 1000), self)
        self.setWindowTitle(f"Flagged packages — {station.station_id}")
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1280, 720)
        self._build()
        self._connect_signals()
        self.refresh()

    def _build(self) -> None:
        title = QLabel("Flagged packages")
        title.setObjectName("title")
        self.summary = QLabel("")
        self.signed_in_label = QLabel("Not signed in")
        self.sign_out_button = QPushButton("Sign out")
        self.sign_out_button.setEnabled(False)

        self.kind_filter = QComboBox()
        self.kind_filter.addItem("All problems", None)
        for kind in sorted(k.value for k in BLOCKING_KINDS):
            self.kind_filter.addItem(kind_label(kind), kind)
        self.packer_filter = QComboBox()
        self.packer_filter.addItem("All packers", None)
        self.age_filter = QComboBox()
        for label, age in AGE_FILTERS:
            self.age_filter.addItem(label, age)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.open_button = QPushButton("Open incident…")
        self.open_button.setObjectName("primary")
        self.refresh_button = QPushButton("Refresh")

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.signed_in_label)
        header.addWidget(self.sign_out_button)
        filters = QHBoxLayout()
        for widget in (QLabel("Show:"), self.kind_filter, self.packer_filter, self.age_filter):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)

    def _connect_signals(self) -> None:
        self.kind_filter.currentIndexChanged.connect(self.refresh)
        self.packer_filter.currentIndexChanged.connect(self.refresh)
        self.age_filter.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self._on_open_clicked)
        self.sign_out_button.clicked.connect(lambda: self.session.sign_out("done"))
        self.session.signed_in.connect(self._on_session_changed)
        self.session.signed_out.connect(self._on_session_changed)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        now = self.station.clock.now()
        every = open_flags(self.station.db, now)
        self._refill_packers(sorted({f.packer_id for f in every if f.packer_id}))
        self.flags = open_flags(self.station.db, now, kind=self.kind_filter.currentData(),
                                packer_id=self.packer_filter.currentData(), older_than=self.age_filter.currentData())
        self.table.setRowCount(len(self.flags))
        for row, flag in enumerate(self.flags):
            cells = [duration(flag.age), flag.order_id, kind_label(flag.kind), flag.packer_id or "–",
                     flag.code or "–", local_time(flag.detected_at)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setForeground(QBrush(QColor(age_colour(flag.age))))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        overdue = sum(1 for f in every if f.overdue)
        self.summary.setText(f"{len(every)} open · {overdue} past the 2-hour target"
                             + (f" · showing {len(self.flags)}" if len(self.flags) != len(every) else ""))
        self.open_button.setEnabled(bool(self.flags))

    def _refill_packers(self, packers: list[str]) -> None:
        current = self.packer_filter.currentData()
        known = [self.packer_filter.itemData(i) for i in range(1, self.packer_filter.count())]
        if known == packers:
            return
        self.packer_filter.blockSignals(True)
        self.packer_filter.clear()
        self.packer_filter.addItem("All packers", None)
        for p in packers:
            self.packer_filter.addItem(p, p)
        index = self.packer_filter.findData(current) if current else 0
        self.packer_filter.setCurrentIndex(max(index, 0))
        self.packer_filter.blockSignals(False)

    # ------------------------------------------------------------------ actions
    def _on_open_clicked(self) -> None:
        # No row pre-selected (a selection hides the age colour): with none chosen, the oldest goes first.
        row = max(self.table.currentRow(), 0)
        if row < len(self.flags):
            self.open_row(row)

    def open_row(self, row: int) -> None:
        """Sign in if needed and decide the incident in `row`."""
        flag = self.flags[row]
        with self.station.db.sessions() as s:
            record = s.get(IncidentRecord, flag.incident_id)
            incident = incident_view(record) if record is not None else None
        if incident is None or incident.status != "open":
            self.refresh()  # decided elsewhere meanwhile
            return
        verdict = clearing.clear_with_sign_in(self, self.station, incident, self.session)
        self.refresh()
        if verdict is not None:
            self.incident_resolved.emit(verdict)

    def _on_session_changed(self, *_args: object) -> None:
        user = self.session.user
        self.signed_in_label.setText(f"Signed in: {user.display_name}" if user else "Not signed in")
        self.sign_out_button.setEnabled(user is not None)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        self._timer.stop()
        self.session.close()
        super().closeEvent(event)
