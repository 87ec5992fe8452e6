"""The shift view: per shift and per packer, orders packed, lines scanned, incidents by kind, error rate
per order line and mean time to clearance; a chart of incidents per hour (QtCharts); export to CSV and
PDF; and the hand-over of open flags to the next supervisor.

Figures come from `station.shift.shift_stats`; this module only lays them out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.handover import HandoverError, acknowledge_handover, create_handover, handovers
from station.shift import (
    ShiftStats,
    ShiftWindow,
    shift_stats,
    shift_window,
)
from station.users import ClearanceRefused, RefusalReason, Task, User
from ui import plural
from ui.bootstrap import Station
from ui.i18n import translate
from ui.incident_words import kind_label
from ui.supervisor import chart as chart_words
from ui.supervisor import report
from ui.supervisor import session as supervisor_session
from ui.supervisor.login import SupervisorLoginDialog
from ui.supervisor.shift_words import handover_error_text
from ui.supervisor.style import STYLE_SHEET, duration, local_time

logger = logging.getLogger(__name__)


def _require_supervisor(user: User) -> None:
    if not user.can_clear:
        raise ClearanceRefused(RefusalReason.ROLE, user.display_name, user.role, Task.SIGN_HANDOVER)


class _Tile(QFrame):
    """A big number with a caption, readable from across the bench."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.value = QLabel("–")
        self.value.setObjectName("tileValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(caption)
        text.setObjectName("tileCaption")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(text)


class ShiftView(QWidget):
    def __init__(self, station: Station, window: ShiftWindow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.window_shown = window or shift_window(station.clock.now(), supervisor_session.shift_starts(station))
        self.stats: ShiftStats | None = None
        self.setWindowTitle(translate("Supervisor", "Shift — {station}").format(station=station.station_id))
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1400, 900)
        self._build()
        self._connect_signals()
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        title = QLabel(translate("Supervisor", "Shift —"))
        title.setObjectName("title")
        self.window_label = QLabel("")
        self.window_label.setObjectName("title")
        self.previous_button = QPushButton(translate("Supervisor", "◀ Previous"))
        self.current_button = QPushButton(translate("Supervisor", "This shift"))
        self.next_button = QPushButton(translate("Supervisor", "Next ▶"))
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(self.window_label, 1)
        for b in (self.previous_button, self.current_button, self.next_button):
            header.addWidget(b)

        self.tiles = {
            key: _Tile(caption)
            for key, caption in (
                ("orders", translate("Supervisor", "orders packed")),
                ("lines", translate("Supervisor", "lines scanned")),
                ("incidents", translate("Supervisor", "incidents")),
                ("rate", translate("Supervisor", "errors per order line")),
                ("clearance", translate("Supervisor", "mean time to clearance")),
                ("open", translate("Supervisor", "open flags now")),
            )
        }
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)

        self.chart = QChart()
        self.chart.setTitle(translate("Supervisor", chart_words.TITLE))
        self.chart.legend().hide()
        title_font = QFont()
        title_font.setPointSize(14)
        title_font.setBold(True)
        self.chart.setTitleFont(title_font)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(300)

        self.packer_table = self._table([translate("Supervisor", h) for h in report.SHORT_HEADER])
        self.packer_table.horizontalHeader().setSectionResizeMode(
            len(report.SHORT_HEADER) - 1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.kind_table = self._table([translate("Supervisor", "Problem"), translate("Supervisor", "Count")])

        self.handover_label = QLabel("")
        self.handover_label.setWordWrap(True)
        self.error_label = QLabel("")
        self.error_label.setObjectName("error")
        self.csv_button = QPushButton(translate("Supervisor", "Export CSV…"))
        self.pdf_button = QPushButton(translate("Supervisor", "Export PDF…"))
        self.handover_button = QPushButton(translate("Supervisor", "Hand over shift…"))
        self.acknowledge_button = QPushButton(translate("Supervisor", "Acknowledge hand-over…"))
        self.acknowledge_button.setObjectName("primary")

        grid = QGridLayout()
        grid.addWidget(self.chart_view, 0, 0)
        grid.addWidget(self.kind_table, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.csv_button)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)
        actions.addWidget(self.handover_button)
        actions.addWidget(self.acknowledge_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(tiles)
        layout.addLayout(grid, 3)
        layout.addWidget(self.packer_table, 2)
        layout.addWidget(self.handover_label)
        layout.addWidget(self.error_label)
        layout.addLayout(actions)

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return t

    def _connect_signals(self) -> None:
        self.previous_button.clicked.connect(lambda: self.show_window(self.window_shown.previous()))
        self.next_button.clicked.connect(lambda: self.show_window(self.window_shown.following()))
        self.current_button.clicked.connect(
            lambda: self.show_window(
                shift_window(self.station.clock.now(), supervisor_session.shift_starts(self.station))
            )
        )
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.handover_button.clicked.connect(self._on_handover_clicked)
        self.acknowledge_button.clicked.connect(self._on_acknowledge_clicked)

    # ------------------------------------------------------------------ data
    def show_window(self, window: ShiftWindow) -> None:
        self.window_shown = window
        self.refresh()

    def refresh(self) -> None:
        now = self.station.clock.now()
        stats = shift_stats(self.station.db, self.window_shown, now, self.station.station_id)
        self.stats = stats
        self.window_label.setText(self.window_shown.label())
        self.next_button.setEnabled(self.window_shown.end <= now)
        total = stats.total
        self.tiles["orders"].value.setText(str(total.orders_packed))
        self.tiles["lines"].value.setText(str(total.lines_scanned))
        self.tiles["incidents"].value.setText(str(total.incidents))
        self.tiles["rate"].value.setText("–" if total.error_rate is None else f"{total.error_rate:.1%}")
        self.tiles["clearance"].value.setText(duration(total.mean_time_to_clearance))
        overdue = sum(1 for f in stats.open_flags if f.overdue)
        self.tiles["open"].value.setText(str(len(stats.open_flags)))
        self.tiles["open"].value.setStyleSheet("color: #c62828;" if overdue else "")

        rows = [report.packer_row(p) for p in stats.per_packer] + [
            report.packer_row(total, translate("Supervisor", "All packers"))
        ]
        self.packer_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.packer_table.setItem(r, c, item)
        kinds = list(total.incidents_by_kind.items())
        self.kind_table.setRowCount(len(kinds))
        for r, (kind, count) in enumerate(kinds):
            self.kind_table.setItem(r, 0, QTableWidgetItem(kind_label(kind)))
            item = QTableWidgetItem(str(count))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.kind_table.setItem(r, 1, item)
        self._fill_chart(stats)
        self._show_handover_state()

    def _fill_chart(self, stats: ShiftStats) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        data = chart_words.hourly_chart(stats)  # the same chart the PDF report draws
        bars = QBarSet(translate("Supervisor", chart_words.Y_TITLE))
        bars.setColor(QColor(data.colour))
        for count in data.values:
            bars.append(count)
        series = QBarSeries()
        series.append(bars)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(list(data.labels))
        x.setTitleText(translate("Supervisor", chart_words.X_TITLE))
        y = QValueAxis()
        y.setRange(0, data.y_max)
        y.setTickCount(data.y_max // data.y_step + 1)
        y.setLabelFormat("%d")
        y.setTitleText(translate("Supervisor", chart_words.Y_TITLE))
        axis_font = QFont()
        axis_font.setPointSize(12)
        x.setLabelsFont(axis_font)
        y.setLabelsFont(axis_font)
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    def _show_handover_state(self) -> None:
        pending = handovers(self.station.db, pending_only=True)
        self.acknowledge_button.setEnabled(bool(pending))
        if pending:
            h = pending[0]
            self.handover_label.setText(
                plural.translate(
                    "Supervisor",
                    "Hand-over from {who} at {time}: %n open incident(s) — waiting for the next supervisor "
                    "to acknowledge.",
                    None,
                    0,
                )(len(h.open_incident_ids)).format(who=h.created_by, time=local_time(h.created_at))
            )
        else:
            done = handovers(self.station.db)
            if done:
                h = done[0]
                assert h.acknowledged_at is not None
                self.handover_label.setText(
                    plural.translate(
                        "Supervisor",
                        "Last hand-over from {who} acknowledged by {by} at {time} (%n open incident(s) taken over).",
                        None,
                        0,
                    )(len(h.open_incident_ids) + len(h.also_open_at_acknowledgement)).format(
                        who=h.created_by, by=h.acknowledged_by, time=local_time(h.acknowledged_at)
                    )
                )
            else:
                self.handover_label.setText(translate("Supervisor", "No hand-over yet."))

    # ------------------------------------------------------------------ actions
    def ask_export_path(self, fmt: str) -> Path | None:
        """Where to save the report (tests replace this)."""
        default = f"shift-{self.station.station_id}-{self.window_shown.start.astimezone():%Y%m%d-%H%M}.{fmt}"
        name, _ = QFileDialog.getSaveFileName(
            self,
            translate("Supervisor", "Export shift report ({format})").format(format=fmt.upper()),
            default,
            translate("Supervisor", "{format} files").format(format=fmt.upper()) + f" (*.{fmt})",
        )
        return Path(name) if name else None

    def export(self, fmt: str) -> Path | None:
        path = self.ask_export_path(fmt)
        if path is None or self.stats is None:
            return None
        try:
            (report.write_csv if fmt == "csv" else report.write_pdf)(self.stats, path)
        except OSError as exc:
            self.error_label.setText(translate("Supervisor", "Report not saved: {why}").format(why=exc.strerror or exc))
            return None
        self.error_label.setText("")
        self.handover_label.setText(translate("Supervisor", "Report saved to {path}").format(path=path))
        return path

    def _sign_in(self, purpose: str) -> User | None:
        directory = supervisor_session.make_directory(self.station)
        user = SupervisorLoginDialog.ask(self, directory, None, purpose, _require_supervisor)
        if user is not None:
            directory.record_logout(user, "done")  # one action per sign-in: nothing stays signed in here
        return user

    def _on_handover_clicked(self) -> None:
        user = self._sign_in(translate("Supervisor", "Sign in to hand over the shift"))
        if user is None:
            return
        try:
            create_handover(self.station.db, self.station.clock, self.station.station_id, user, self.window_shown)
        except HandoverError as exc:
            self.error_label.setText(handover_error_text(exc))
            return
        self.error_label.setText("")
        self.refresh()

    def _on_acknowledge_clicked(self) -> None:
        pending = handovers(self.station.db, pending_only=True)
        if not pending:
            return
        user = self._sign_in(translate("Supervisor", "Sign in to take over the shift"))
        if user is None:
            return
        try:
            for h in reversed(pending):  # oldest first: every pending hand-over is taken over
                acknowledge_handover(self.station.db, self.station.clock, self.station.station_id, h.handover_id, user)
        except HandoverError as exc:
            self.error_label.setText(handover_error_text(exc))
            return
        self.error_label.setText("")
        self.refresh()
