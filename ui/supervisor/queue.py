"""The flagged queue: every open incident of the station -- or, once sync is configured, of the whole site --
oldest first, with its age against the 2-hour customer-notification target
(`station.remediation.NOTIFY_CUSTOMER_WITHIN`).

Filter by kind, packer and age; open an incident (double-click, Enter or the button) to clear or escalate
it after signing in. The supervisor stays signed in for the window until idle, or until "Sign out".
Signals: `incident_resolved(Verdict)` after a clearance or escalation (the packer screen repaints if it
was its order); `site_view_updated()` each time an answer (or a failure) of the site view has been shown.

"Whole site" adds the open incidents of the other benches of this station's site, fetched from the central
service (`sync.site.fetch_site_view`) on a plain thread whose answer comes back by a queued signal, so a
slow or dead service never freezes the window: until it answers, and when it cannot, the station's own
incidents stay listed and workable with "site view unavailable: <reason>" above them. This station's own
rows always come from its local database, not from the service: they are the ones a supervisor can clear
here, and the local copy is never behind (an outbox not yet drained, a clearance not yet sent). Other
benches' rows are read-only: a package is cleared at the bench it is blocked at.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station import queries
from station.model import BLOCKING_KINDS
from station.remediation import NOTIFY_CUSTOMER_WITHIN
from station.statuses import IncidentStatus
from sync.client import ConnectionState
from sync.site import SiteView, SiteViewUnavailable, fetch_site_view
from sync.worker import SyncSettings
from ui import plural
from ui.bootstrap import Station
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.incident_words import kind_label
from ui.supervisor import clearing
from ui.supervisor import session as supervisor_session
from ui.supervisor.queue_rows import QueueRow, age_colour, queue_rows, site_status_text
from ui.supervisor.session import SupervisorSession, idle_seconds
from ui.supervisor.style import STYLE_SHEET, duration, local_time
from ui.verdict_style import printable_code

logger = logging.getLogger(__name__)

AGE_FILTERS: tuple[tuple[str, timedelta | None], ...] = (
    (QT_TRANSLATE_NOOP("Supervisor", "Any age"), None),
    (QT_TRANSLATE_NOOP("Supervisor", "Older than 30 min"), timedelta(minutes=30)),
    (QT_TRANSLATE_NOOP("Supervisor", "Older than 1 hour"), timedelta(hours=1)),
    (QT_TRANSLATE_NOOP("Supervisor", "Past the 2-hour target"), NOTIFY_CUSTOMER_WITHIN),
)
COLUMNS = [
    QT_TRANSLATE_NOOP("Supervisor", "Age"),
    QT_TRANSLATE_NOOP("Supervisor", "Order"),
    QT_TRANSLATE_NOOP("Supervisor", "Problem"),
    QT_TRANSLATE_NOOP("Supervisor", "Packer"),
    QT_TRANSLATE_NOOP("Supervisor", "Scanned"),
    QT_TRANSLATE_NOOP("Supervisor", "Detected"),
]
SITE_COLUMNS = [*COLUMNS[:1], QT_TRANSLATE_NOOP("Supervisor", "Station"), *COLUMNS[1:]]
REFRESH_MS = 30_000  # ages move; a minute's granularity is what the target needs
THIS_STATION = "station"
WHOLE_SITE = "site"
READ_ONLY_NOTE = QT_TRANSLATE_NOOP(
    "Supervisor", "{station}'s incidents are read-only here: clear them at {station}'s bench."
)


class FlaggedQueueWindow(QWidget):
    incident_resolved = Signal(object)
    site_view_updated = Signal()
    # From the fetch thread to the GUI thread: SiteView or SiteViewUnavailable.
    _site_fetched = Signal(object)

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.flags: tuple[QueueRow, ...] = ()  # the rows shown, in table order
        self.scope = THIS_STATION
        self.site_view: SiteView | None = None  # the last good answer of the site view
        self.site_error: str | None = None  # why the site view cannot be shown, if it cannot
        self._fetching = False
        self._fetch_lock = threading.Lock()
        self._closed = False
        self.session = SupervisorSession(
            supervisor_session.make_directory(station), int(idle_seconds(station) * 1000), self
        )
        self.setWindowTitle(translate("Supervisor", "Flagged packages — {station}").format(station=station.station_id))
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1280, 720)
        self._build()
        self._connect_signals()
        self.refresh()

    def _build(self) -> None:
        title = QLabel(translate("Supervisor", "Flagged packages"))
        title.setObjectName("title")
        self.summary = QLabel("")
        self.signed_in_label = QLabel(translate("Supervisor", "Not signed in"))
        self.sign_out_button = QPushButton(translate("Supervisor", "Sign out"))
        self.sign_out_button.setEnabled(False)

        self.station_button = QPushButton(translate("Supervisor", "This station"))
        self.site_button = QPushButton(translate("Supervisor", "Whole site"))
        self.scope_group = QButtonGroup(self)
        for button in (self.station_button, self.site_button):
            button.setCheckable(True)
            self.scope_group.addButton(button)
        self.station_button.setChecked(True)
        self.site_status = QLabel("")
        self.site_status.setObjectName("hint")
        self.site_status.setWordWrap(True)
        self.site_status.hide()

        self.kind_filter = QComboBox()
        self.kind_filter.addItem(translate("Supervisor", "All problems"), None)
        for kind in sorted(k.value for k in BLOCKING_KINDS):
            self.kind_filter.addItem(kind_label(kind), kind)
        self.packer_filter = QComboBox()
        self.packer_filter.addItem(translate("Supervisor", "All packers"), None)
        self.age_filter = QComboBox()
        for label, age in AGE_FILTERS:
            self.age_filter.addItem(translate("Supervisor", label), age)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([translate("Supervisor", c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.note = QLabel("")  # why an incident cannot be opened here
        self.note.setObjectName("hint")
        self.open_button = QPushButton(translate("Supervisor", "Open incident…"))
        self.open_button.setObjectName("primary")
        self.refresh_button = QPushButton(translate("Supervisor", "Refresh"))

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.signed_in_label)
        header.addWidget(self.sign_out_button)
        scope = QHBoxLayout()
        scope.addWidget(self.station_button)
        scope.addWidget(self.site_button)
        scope.addWidget(self.site_status, 1)
        filters = QHBoxLayout()
        for widget in (QLabel(translate("Supervisor", "Show:")), self.kind_filter, self.packer_filter, self.age_filter):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(scope)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)

    def _connect_signals(self) -> None:
        # Filters re-draw from what is known; only Refresh and the timer ask the central service again.
        self.kind_filter.currentIndexChanged.connect(self.redraw)
        self.packer_filter.currentIndexChanged.connect(self.redraw)
        self.age_filter.currentIndexChanged.connect(self.redraw)
        self.station_button.clicked.connect(lambda: self.set_scope(THIS_STATION))
        self.site_button.clicked.connect(lambda: self.set_scope(WHOLE_SITE))
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.table.currentCellChanged.connect(lambda *_args: self.note.setText(""))
        open_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)  # owned by the table
        open_shortcut.activated.connect(self._on_open_clicked)
        self.sign_out_button.clicked.connect(lambda: self.session.sign_out("done"))
        self.session.signed_in.connect(self._on_session_changed)
        self.session.signed_out.connect(self._on_session_changed)
        self._site_fetched.connect(self._on_site_fetched, Qt.ConnectionType.QueuedConnection)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    # ------------------------------------------------------------------ scope
    def set_scope(self, scope: str) -> None:
        """Show this station's incidents only (THIS_STATION) or the whole site's (WHOLE_SITE)."""
        if scope not in (THIS_STATION, WHOLE_SITE):
            raise ValueError(f"unknown scope {scope!r}")
        (self.site_button if scope == WHOLE_SITE else self.station_button).setChecked(True)
        if scope == self.scope:
            return
        self.scope = scope
        self.site_status.setVisible(scope == WHOLE_SITE)
        self.refresh()

    def _start_site_fetch(self) -> None:
        """Ask the central service on a thread of its own; the answer arrives in `_on_site_fetched`."""
        if self._fetching:
            return  # the answer on its way is as fresh as a new one would be
        self._fetching = True
        settings = self.station.settings.read(SyncSettings)
        threading.Thread(target=self._fetch_site, args=(settings,), name="packgate-site-view", daemon=True).start()

    def _fetch_site(self, settings: SyncSettings) -> None:
        # Fetch thread: no widget is touched here, the queued signal carries the answer over.
        result: SiteView | SiteViewUnavailable
        try:
            result = fetch_site_view(settings)
        except SiteViewUnavailable as exc:
            result = exc
        except Exception as exc:
            logger.exception("site view fetch failed")
            result = SiteViewUnavailable(ConnectionState.ERROR, f"{type(exc).__name__}: {exc}")
        with self._fetch_lock:  # closeEvent takes the lock: once closed, nothing is sent to the window
            if self._closed:
                return
            try:
                self._site_fetched.emit(result)
            except RuntimeError:  # the window's C++ side is already gone
                logger.debug("site view answer dropped: window deleted")

    def _on_site_fetched(self, result: SiteView | SiteViewUnavailable) -> None:
        self._fetching = False
        if isinstance(result, SiteViewUnavailable):
            self.site_error = str(result)
        else:
            self.site_view, self.site_error = result, None
        self.redraw()
        self.site_view_updated.emit()

    def _site_status_text(self) -> str:
        return site_status_text(self.site_view, self.site_error)

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        """Re-read this station's incidents and, in the site view, ask the central service again."""
        if self.scope == WHOLE_SITE:
            self._start_site_fetch()
        self.redraw()

    def _all_rows(self, now: datetime) -> list[QueueRow]:
        site_view = self.site_view if self.scope == WHOLE_SITE and self.site_error is None else None
        return queue_rows(self.station, site_view, now)

    def redraw(self) -> None:
        """Re-draw the table from this station's database and the last answer of the site view."""
        now = self.station.clock.now()
        every = self._all_rows(now)
        self._refill_packers(sorted({r.packer_id for r in every if r.packer_id}))
        kind, packer, older_than = (
            self.kind_filter.currentData(),
            self.packer_filter.currentData(),
            self.age_filter.currentData(),
        )
        self.flags = tuple(
            r
            for r in every
            if (not kind or r.kind == kind)
            and (not packer or r.packer_id == packer)
            and (older_than is None or r.age >= older_than)
        )
        site = self.scope == WHOLE_SITE
        columns = SITE_COLUMNS if site else COLUMNS
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([translate("Supervisor", c) for c in columns])
        self.table.setRowCount(len(self.flags))
        for row, flag in enumerate(self.flags):
            cells = [
                duration(flag.age),
                flag.order_id,
                kind_label(flag.kind),
                flag.packer_id or "–",
                printable_code(flag.code) or "–",
                local_time(flag.detected_at),
            ]
            if site:
                cells.insert(
                    1,
                    translate("Supervisor", "{station} (this)").format(station=flag.station_id)
                    if flag.own
                    else flag.station_id,
                )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setForeground(QBrush(QColor(age_colour(flag.age))))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if not flag.own:
                    item.setToolTip(translate("Supervisor", READ_ONLY_NOTE).format(station=flag.station_id))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        overdue = sum(1 for r in every if r.overdue)
        where = (
            plural.translate("Supervisor", " at %n station(s)", None, 0)(len({r.station_id for r in every}))
            if site and every
            else ""
        )
        self.summary.setText(
            translate("Supervisor", "{open} open{where} · {overdue} past the 2-hour target").format(
                open=len(every), where=where, overdue=overdue
            )
            + (
                translate("Supervisor", " · showing {shown}").format(shown=len(self.flags))
                if len(self.flags) != len(every)
                else ""
            )
        )
        self.open_button.setEnabled(any(r.own for r in self.flags))
        if site:
            self.site_status.setText(self._site_status_text())
            name = "error" if self.site_error else "hint"
            if self.site_status.objectName() != name:  # the style sheet colours by object name: re-polish
                self.site_status.setObjectName(name)
                self.site_status.style().unpolish(self.site_status)
                self.site_status.style().polish(self.site_status)

    def _refill_packers(self, packers: list[str]) -> None:
        current = self.packer_filter.currentData()
        known = [self.packer_filter.itemData(i) for i in range(1, self.packer_filter.count())]
        if known == packers:
            return
        self.packer_filter.blockSignals(True)
        self.packer_filter.clear()
        self.packer_filter.addItem(translate("Supervisor", "All packers"), None)
        for p in packers:
            self.packer_filter.addItem(p, p)
        index = self.packer_filter.findData(current) if current else 0
        self.packer_filter.setCurrentIndex(max(index, 0))
        self.packer_filter.blockSignals(False)

    # ------------------------------------------------------------------ actions
    def _on_open_clicked(self) -> None:
        # No row pre-selected (a selection hides the age colour): with none chosen, this station's oldest goes
        # first.
        row = self.table.currentRow()
        if row < 0:
            row = next((i for i, r in enumerate(self.flags) if r.own), -1)
        if 0 <= row < len(self.flags):
            self.open_row(row)

    def open_row(self, row: int) -> None:
        """Sign in if needed and decide the incident in `row`; another bench's incident is only explained."""
        flag = self.flags[row]
        if not flag.own:
            self.note.setText(READ_ONLY_NOTE.format(station=flag.station_id))
            return
        self.note.setText("")
        incident = queries.find_incident(self.station.db, flag.incident_id)
        if incident is None or incident.status != IncidentStatus.OPEN:
            self.redraw()  # decided elsewhere meanwhile
            return
        verdict = clearing.clear_with_sign_in(self, self.station, incident, self.session)
        self.redraw()
        if verdict is not None:
            self.incident_resolved.emit(verdict)

    def _on_session_changed(self, *_args: object) -> None:
        user = self.session.user
        self.signed_in_label.setText(
            translate("Supervisor", "Signed in: {name}").format(name=user.display_name)
            if user
            else translate("Supervisor", "Not signed in")
        )
        self.sign_out_button.setEnabled(user is not None)

    def closeEvent(self, event: QCloseEvent) -> None:
        with self._fetch_lock:
            self._closed = True
        self._timer.stop()
        self.session.close()
        super().closeEvent(event)
