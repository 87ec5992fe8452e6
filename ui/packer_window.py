"""The packer's screen: order header, order lines with counts, a huge verdict panel, sound, status bar.

One path for every scan, whatever device it came from (wedge, serial, file, camera, the manual text
box, a demo button): `ScannerBridge.scan_received` -> `PackerWindow.handle_code()` -> the service's
`handle_scan` (one durable commit) -> `show_verdict()` paints the panel *synchronously* (`repaint()`)
and plays the sound, all in the same event-loop turn as the scan. Nothing else on that path does I/O.

Who is packing: without `--packer` the window starts by asking for a badge (any scan is read as a badge
until a packer is known) or a name picked from the station's users. A supervisor's badge scanned while
the package is blocked opens the clearing dialog (`ui.supervisor.clearing`, imported lazily).

The blocked state cannot be dismissed here: the panel stays red with the headline of what blocked it
(from the first frame, also after a restart and before anyone signs in), the window gets a red frame, the
open incidents are listed and only a supervisor clearance (or a clearance made elsewhere, picked up by
the periodic reload while blocked) ends it. Whatever comes in while blocked is shown as a secondary line
inside the red panel (`_show` is the one gate; `ui.verdict_panel.BlockedPanel` keeps the red words).

Signals:
    verdict_shown(object): the `VerdictStyle` just painted (tests, benchmark).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hardware.qt import ScannerBridge
from hardware.scanning import Scan
from station import queries
from station.db import QueryError
from station.model import BenchState, OrderView, Verdict, VerdictKind
from station.packer_gate import GateAction, GateDecision
from station.service import Evidence, NotAllowed, StorageError
from station.settings import SoundSettings
from ui import blocked_style as bs
from ui import verdict_style as vs
from ui.bootstrap import Station
from ui.refusal_words import words_for
from ui.scan_sources import CAMERA_SECTION, ScanSources, camera_settings
from ui.verdict_panel import BlockedPanel, VerdictPanel

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
SOUNDS_DIR = ASSETS / "sounds"
APP_ICON = ASSETS / "icons" / "packgate.svg"

LINES_PX = 22  # order lines >= 20 px
BLOCKED_RELOAD_MS = 3000  # while blocked, pick up a clearance made on another screen

SHORTCUTS = {
    "seal": "F12",
    "undo": "F8",
    "cancel": "F4",
    "supervisor": "F9",
    "packer": "F2",
    "entry": "Ctrl+L",
    "refresh": "F5",
    "fullscreen": "F11",
    "mute": "Ctrl+M",
    "settings": "Ctrl+,",
    "quit": "Ctrl+Q",
    "queue": "Ctrl+Shift+F",
    "shift": "Ctrl+Shift+S",
    "users": "Ctrl+Shift+U",
}


@dataclass(frozen=True)
class UserInfo:
    name: str
    display_name: str
    role: str
    badge: str | None


def load_users(station: Station) -> list[UserInfo]:
    """Enabled users of this station (packers pick their name; supervisor badges clear blocks).
    Read once at start-up, so a badge scan costs no database read."""
    try:
        return [UserInfo(u.name, u.display_name, u.role, u.badge) for u in queries.enabled_users(station.db)]
    except QueryError as exc:
        logger.error("cannot read users: %s", exc)
        return []


class SoundPlayer:
    """Plays the verdict sounds with QSoundEffect; silent when muted or when there is no audio device.

    Effects are created on first use (a muted station never touches the audio stack) and kept, so a
    scan only calls `play()`. `last_played` records the last sound asked for, muted or not, so tests
    can check which sound a verdict chose without a sound card.
    """

    def __init__(self, muted: bool = False, folder: Path = SOUNDS_DIR) -> None:
        self.muted = muted
        self.folder = folder
        self.last_played: str | None = None
        self._effects: dict[str, Any] = {}
        self._broken = False

    def preload(self) -> None:
        if not self.muted:
            for wav in sorted(self.folder.glob("*.wav")):
                self._effect(wav.stem)

    def _effect(self, name: str) -> Any:
        effect = self._effects.get(name)
        if effect is None and not self._broken:
            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError as exc:  # Qt built without multimedia: degrade to silence
                logger.warning("no QtMultimedia, verdict sounds off: %s", exc)
                self._broken = True
                return None
            effect = QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(self.folder / f"{name}.wav")))
            effect.setVolume(1.0)
            self._effects[name] = effect
        return effect

    def play(self, name: str | None) -> None:
        if name is None:
            return
        self.last_played = name
        if self.muted:
            return
        effect = self._effect(name)
        if effect is not None:
            effect.play()  # asynchronous: returns at once; without an audio device Qt just logs

    def stop(self) -> None:
        for effect in self._effects.values():
            effect.stop()
        self._effects.clear()


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
        font = QFont(self.font())
        font.setPixelSize(LINES_PX)
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
                self.item(row, 1).setText(line.sku)
                self.item(row, 2).setText(line.description)
                self.item(row, 4).setText(str(line.ordered))
            self._order_id = order.order_id
        for line in order.lines:
            row = self._row_of[line.line_id]
            mark = "✔" if line.complete else f"{line.missing} left"
            self.item(row, 0).setText(mark)
            self.item(row, 3).setText(str(line.scanned))
            done = line.complete
            colour = QColor("#d7f0dd") if done else QColor("#ffffff")
            if line.line_id == highlight_line:
                colour = QColor("#fff2b3")  # the line the last scan touched
            for col in range(len(self.COLUMNS)):
                item = self.item(row, col)
                item.setBackground(colour)
                item.setForeground(QColor("#1a1a1a"))
                f = item.font()
                f.setBold(line.line_id == highlight_line)
                item.setFont(f)
        if highlight_line in self._row_of:
            self.scrollToItem(self.item(self._row_of[highlight_line], 0))

    def counts(self) -> list[tuple[str, int, int]]:
        """(sku, scanned, ordered) as shown; for tests."""
        return [
            (self.item(r, 1).text(), int(self.item(r, 3).text()), int(self.item(r, 4).text()))
            for r in range(self.rowCount())
        ]


class PackerWindow(QMainWindow):
    """The packer's main window. Build with a bootstrapped `Station`, a `ScannerBridge` and the running
    `ScanSources`; `run_gui` in `ui.app` does that. `close()` stops sources, timers and sounds."""

    verdict_shown = Signal(object)

    def __init__(
        self,
        station: Station,
        bridge: ScannerBridge,
        sources: ScanSources,
        *,
        packer: str | None = None,
        muted: bool = False,
        users: list[UserInfo] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.service = station.service
        self.bridge = bridge
        self.sources = sources
        self.sound = SoundPlayer(muted=muted)
        self.users = users if users is not None else load_users(station)
        self.service.packers.set_roster(self.users)  # the station decides what a badge scan means
        self.last_verdict: Verdict | None = None
        self.blocked_panel = BlockedPanel()  # the red words of the blocked package on the bench
        self.last_style: vs.VerdictStyle | None = None
        self.last_latency_ms: float | None = None
        self._closed = False
        self.sync: Any = None  # a sync.qt.QtSyncWorker once attach_sync() is called
        self.camera_preview: Any = None  # a ui.camera_preview.CameraPreview with a camera source
        self._tool_windows: dict[str, Any] = {}  # supervisor screens opened from the menu
        # While the settings dialog tests a scanner, scans go to it instead of the order.
        self.scan_interceptor: Any = None
        self.setWindowTitle(f"PackGate — station {station.station_id}")
        self.setWindowIcon(QIcon(str(APP_ICON)))
        self.setMinimumSize(960, 600)
        self._build()
        self._build_actions()
        self._connect_signals()
        self._reload_timer = QTimer(self)
        self._reload_timer.setInterval(BLOCKED_RELOAD_MS)
        self._reload_timer.timeout.connect(self._on_reload_timer)
        self._paint_bench()
        if packer:
            self.set_packer(packer)
        elif self.service.packer_id is None:
            self.ask_for_packer()
        else:
            self._packer_label.setText(f"Packer: {self._display(self.service.packer_id)}")
            self.ask_for_packer()  # a new shift always confirms who packs: never inherit yesterday's packer

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        central = QFrame(self)
        central.setObjectName("benchFrame")
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(8)

        # Header: order id, ship-to, carrier, progress.
        header = QGridLayout()
        self.order_label = QLabel("No order")
        self.order_label.setObjectName("orderId")
        f = QFont(self.order_label.font())
        f.setPixelSize(34)
        f.setBold(True)
        self.order_label.setFont(f)
        self.ship_label = QLabel("")
        self.carrier_label = QLabel("")
        for lab in (self.ship_label, self.carrier_label):
            lf = QFont(lab.font())
            lf.setPixelSize(LINES_PX)
            lab.setFont(lf)
        self.ship_label.setWordWrap(True)
        # The count sits in its own label: text drawn across a half-filled bar is unreadable in some styles.
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMinimumWidth(220)
        self.progress.setFixedHeight(24)
        self.progress_label = QLabel("")
        pf = QFont(self.progress_label.font())
        pf.setPixelSize(24)
        pf.setBold(True)
        self.progress_label.setFont(pf)
        prow = QHBoxLayout()
        prow.addWidget(self.progress_label)
        prow.addWidget(self.progress)
        header.addWidget(self.order_label, 0, 0)
        header.addWidget(self.carrier_label, 0, 1, Qt.AlignmentFlag.AlignRight)
        header.addWidget(self.ship_label, 1, 0)
        header.addLayout(prow, 1, 1)
        header.setColumnStretch(0, 1)
        outer.addLayout(header)

        self.verdict_panel = VerdictPanel()  # at least 230 px high, more when its lines need it
        outer.addWidget(self.verdict_panel)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.lines_table = OrderLinesTable()
        split.addWidget(self.lines_table)

        side = QWidget()
        self.side_layout = QVBoxLayout(side)
        self.side_layout.setContentsMargins(0, 0, 0, 0)
        # Incidents (visible while blocked).
        self.incidents_box = QFrame()
        self.incidents_box.setObjectName("incidentsBox")
        self.incidents_box.setStyleSheet("#incidentsBox { border: 4px solid #b3261e; border-radius: 6px; }")
        ib = QVBoxLayout(self.incidents_box)
        title = QLabel("Open incidents")
        tf = QFont(title.font())
        tf.setPixelSize(22)
        tf.setBold(True)
        title.setFont(tf)
        self.incidents_list = QListWidget()
        self.incidents_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lf = QFont(self.incidents_list.font())
        lf.setPixelSize(18)
        self.incidents_list.setFont(lf)
        self.incidents_list.setWordWrap(True)
        self.incidents_list.setMinimumHeight(int(lf.pixelSize() * 1.4 * 2 + 8))  # two lines of an incident
        self.clear_hint = QLabel(vs.SUPERVISOR_PROMPT)
        self.clear_hint.setWordWrap(True)
        hf = QFont(tf)
        hf.setPixelSize(18)  # one line beside the list; the red panel says it big
        self.clear_hint.setFont(hf)
        self.supervisor_button = QPushButton(f"Supervisor: clear  [{SHORTCUTS['supervisor']}]")
        self.supervisor_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        ib.addWidget(title)
        ib.addWidget(self.incidents_list, 1)
        ib.addWidget(self.clear_hint)
        ib.addWidget(self.supervisor_button)
        self.side_layout.addWidget(self.incidents_box, 1)
        # Packer picker (visible while asking who packs).
        self.packer_box = QFrame()
        pb = QVBoxLayout(self.packer_box)
        pl = QLabel("Your name, or scan your badge:")  # one line: beside the incidents after a restart
        pl.setFont(tf)
        pl.setWordWrap(True)
        self.packer_combo = QComboBox()
        self.packer_combo.setFont(lf)
        for u in self.users:
            if u.role in ("packer", "supervisor", "admin"):
                self.packer_combo.addItem(u.display_name, u.name)
        self.packer_start = QPushButton("Start shift")
        self.packer_start.setEnabled(self.packer_combo.count() > 0)
        pb.addWidget(pl)
        pb.addWidget(self.packer_combo)
        pb.addWidget(self.packer_start)
        if not self.packer_combo.count():
            hint = QLabel("No names registered on this station: scan your badge or type your id below.")
            hint.setWordWrap(True)
            pb.addWidget(hint)
        # No stretch: after a restart with a blocked package both boxes show, and the incidents get the room.
        self.side_layout.addWidget(self.packer_box, 0)
        # Where the live camera preview goes (issue 5): an empty container until someone fills it.
        self.preview_slot = QWidget()
        self.preview_slot.setObjectName("cameraPreviewSlot")
        self.preview_slot.setLayout(QVBoxLayout())
        self.preview_slot.layout().setContentsMargins(0, 0, 0, 0)
        self.preview_slot.setVisible(False)
        self.side_layout.addWidget(self.preview_slot, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([800, 460])  # the order lines get the room; the side panel is secondary
        outer.addWidget(split, 1)

        # Manual entry + command buttons.
        bottom = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setObjectName("manualEntry")
        self.entry.setPlaceholderText("Type or scan a code, then Enter")
        self.entry.setClearButtonEnabled(True)
        ef = QFont(self.entry.font())
        ef.setPixelSize(22)
        self.entry.setFont(ef)
        self.entry.setMaxLength(512)
        bottom.addWidget(QLabel("Code:"))
        bottom.addWidget(self.entry, 1)
        self.seal_button = QPushButton(f"Seal  [{SHORTCUTS['seal']}]")
        self.undo_button = QPushButton(f"Undo  [{SHORTCUTS['undo']}]")
        self.cancel_button = QPushButton(f"Cancel order  [{SHORTCUTS['cancel']}]")
        for b in (self.seal_button, self.undo_button, self.cancel_button):
            b.setFont(ef)
            b.setMinimumHeight(48)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click must not steal the wedge's focus
            bottom.addWidget(b)
        outer.addLayout(bottom)

        # Status bar: packer, station, device states, sync.
        sb = self.statusBar()
        self._packer_label = QLabel("Packer: —")
        self._station_label = QLabel(f"Station: {self.station.station_id}")
        self._devices_label = QLabel("")
        self._sync_label = QLabel("Sync: not configured")
        for lab in (self._packer_label, self._station_label, self._devices_label):
            sb.addWidget(lab)
        sb.addPermanentWidget(self._sync_label)
        self._device_states: dict[str, tuple[str, str]] = dict(self.bridge.states)
        self._paint_devices()

    def _build_actions(self) -> None:
        def action(text: str, key: str, slot: Any, menu: Any) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(SHORTCUTS[key]))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            menu.addAction(act)
            self.addAction(act)  # shortcuts work even when the menu bar is hidden (kiosk)
            return act

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.file_menu = file_menu
        action("Settings…", "settings", self.open_settings, file_menu)
        sheet = QAction("Print command sheet…", self)
        sheet.triggered.connect(self.save_command_sheet)
        file_menu.addAction(sheet)
        file_menu.addSeparator()
        action("Quit", "quit", self.close, file_menu)
        pack = bar.addMenu("&Pack")
        self.seal_action = action("Seal package", "seal", self.seal, pack)
        self.undo_action = action("Undo last scan", "undo", self.undo, pack)
        self.cancel_action = action("Cancel order", "cancel", self.cancel, pack)
        pack.addSeparator()
        action("Supervisor clearance…", "supervisor", lambda: self.request_clearance(), pack)
        action("Change packer…", "packer", self.ask_for_packer, pack)
        action("Type a code", "entry", self.focus_entry, pack)
        action("Reload bench", "refresh", self.refresh, pack)
        supervisor = bar.addMenu("&Supervisor")
        action("Flagged packages…", "queue", self.open_flagged_queue, supervisor)
        action("Shift view…", "shift", self.open_shift_view, supervisor)
        action("Users…", "users", self.open_users, supervisor)
        view = bar.addMenu("&View")
        action("Full screen", "fullscreen", self.toggle_fullscreen, view)
        self.mute_action = action("Mute sounds", "mute", self.toggle_mute, view)
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(self.sound.muted)

    def _connect_signals(self) -> None:
        self.bridge.scan_received.connect(self._on_bridge_scan_received)
        self.bridge.scan_rejected.connect(self._on_bridge_scan_rejected)
        self.bridge.state_changed.connect(self._on_bridge_state_changed)
        self.entry.returnPressed.connect(self._on_entry_return_pressed)
        self.seal_button.clicked.connect(self.seal)
        self.undo_button.clicked.connect(self.undo)
        self.cancel_button.clicked.connect(self.cancel)
        self.supervisor_button.clicked.connect(lambda: self.request_clearance())
        self.packer_start.clicked.connect(self._on_packer_start_clicked)

    # ------------------------------------------------------------------ scans in
    @Slot(object)
    def _on_bridge_scan_received(self, scan: Scan) -> None:
        if self.scan_interceptor is not None:
            self.scan_interceptor(scan)
            return
        frame = scan.frame
        # Encoded only if the scan opens an incident (the service calls it then): the OK path stays fast.
        evidence = (lambda: _jpeg(frame)) if frame is not None else None
        self.handle_code(scan.code, scan.symbology, scan.source, evidence, received_at=time.perf_counter())
        if self.camera_preview is not None and scan.source.startswith("camera") and self.last_verdict is not None:
            self.camera_preview.mark(scan.code, ok=not self.last_verdict.blocking)

    @Slot(str, str)
    def _on_bridge_scan_rejected(self, source: str, reason: str) -> None:
        self._show(vs.style_for_rejected(source, reason), also=bs.also_rejected(source, reason))

    @Slot(str, str, str)
    def _on_bridge_state_changed(self, source: str, state: str, detail: str) -> None:
        self._device_states[source] = (state, detail)
        self._paint_devices()
        if self.camera_preview is not None and source.startswith("camera"):
            self.camera_preview.set_status(f"{source}: {state}" + (f" ({detail})" if detail else ""))

    @Slot()
    def _on_entry_return_pressed(self) -> None:
        text = self.entry.text()
        self.entry.clear()
        # Through the ManualScanner, so a typed code is validated exactly like a device line.
        self.sources.manual.submit(text)

    def handle_code(
        self,
        code: str,
        symbology: str | None = None,
        source: str = "manual",
        evidence_jpeg: Evidence = None,
        received_at: float | None = None,
    ) -> vs.VerdictStyle:
        """Judge one scanned code and paint the answer; never raises (bad input -> a clear verdict)."""
        start = received_at if received_at is not None else time.perf_counter()
        try:
            gate = self.service.packers.route(code, self.service.state)
            if gate.action is GateAction.CLEARANCE:
                # Also before a packer signed in (a restart): the supervisor came to clear, not to pack.
                self.request_clearance(badge=code)
                return self.last_style or self._show(self._blocked_style())
            if gate.action is not GateAction.SCAN:
                return self._handle_badge(code, gate)
            verdict = self.service.handle_scan(code, symbology=symbology, source=source, evidence_jpeg=evidence_jpeg)
        except StorageError as exc:
            logger.error("scan not saved", extra={"code": code, "source": source, "error": str(exc)})
            return self._show(
                vs.style_for_storage_error(exc), refresh=True, also=bs.also_not_saved(code, words_for(exc))
            )
        except Exception as exc:  # never let one scan take the station down; log it whole
            logger.exception("scan failed", extra={"code": code, "source": source})
            return self._show(
                vs.style_for_message(
                    "ERROR",
                    f"This scan could not be handled ({exc}). Scan again; if it repeats call a supervisor.",
                    vs.Tone.BLOCKED,
                ),
                refresh=True,
            )
        style = self.show_verdict(verdict)
        self.last_latency_ms = (time.perf_counter() - start) * 1000
        if verdict.incident_id and self.sync is not None:
            self.sync.wake()  # the remediation clock is running: send the incident now, not next cycle
        logger.info(
            "scan",
            extra={
                "code": code,
                "source": source,
                "verdict": verdict.kind.value,
                "packer": self.service.packer_id,
                "ms": round(self.last_latency_ms, 2),
            },
        )
        return style

    # ------------------------------------------------------------------ commands
    def _run(self, op: Any) -> None:
        try:
            verdict = op()
        except StorageError as exc:
            self._show(vs.style_for_storage_error(exc), refresh=True)
            return
        self.show_verdict(verdict)

    @Slot()
    def seal(self) -> None:
        self._run(lambda: self.service.seal(source="keyboard"))

    @Slot()
    def undo(self) -> None:
        self._run(lambda: self.service.undo(source="keyboard"))

    @Slot()
    def cancel(self) -> None:
        self._run(lambda: self.service.cancel(source="keyboard"))

    @Slot()
    def request_clearance(self, badge: str | None = None) -> None:
        """Open the supervisor clearing dialog (another module; imported lazily so the packer screen runs
        without it) and show what it decided."""
        if self.service.state is not BenchState.BLOCKED:
            self._show(vs.style_for_message("NOTHING TO CLEAR", "The package is not blocked.", vs.Tone.WAIT))
            return
        try:
            from ui.supervisor.clearing import request_clearance
        except ImportError:
            logger.warning("supervisor clearing dialog not installed")
            self.clear_hint.setText(
                vs.SUPERVISOR_PROMPT + "\n(The clearing screen is not installed on this "
                "station: clear the incident at the supervisor desk.)"
            )
            return
        try:
            verdict = (
                request_clearance(self, self.station, badge=badge) if badge else request_clearance(self, self.station)
            )
        except (StorageError, NotAllowed) as exc:
            self._show(
                vs.style_for_message("NOT CLEARED", words_for(exc), vs.Tone.BLOCKED),
                also=f"Not cleared: {words_for(exc)} – {bs.STILL_BLOCKED}",
            )
            return
        if verdict is not None:
            self.show_verdict(verdict)
        else:
            self.refresh()

    # ------------------------------------------------------------------ supervisor screens
    def _open_tool_window(self, key: str, make: Any) -> Any:
        """One window per kind, kept (a second request raises it) and closed with the packer screen."""
        window = self._tool_windows.get(key)
        if window is None or not window.isVisible():
            window = make()
            self._tool_windows[key] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    @Slot()
    def open_flagged_queue(self) -> Any:
        """The station's (or the site's) open flags; a clearance there repaints this bench at once."""

        def make() -> Any:
            from ui.supervisor.queue import FlaggedQueueWindow

            queue = FlaggedQueueWindow(self.station)
            queue.incident_resolved.connect(self._on_queue_incident_resolved)
            return queue

        return self._open_tool_window("queue", make)

    @Slot(object)
    def _on_queue_incident_resolved(self, _verdict: Any) -> None:
        self.refresh()

    @Slot()
    def open_shift_view(self) -> Any:
        """Per-packer figures are for supervisors: sign in first (badge + PIN or name + password)."""
        from station.users import ClearanceRefused
        from ui.supervisor.login import SupervisorLoginDialog
        from ui.supervisor.session import make_directory
        from ui.supervisor.shift_view import ShiftView

        def supervisors_only(user: Any) -> None:
            if user.role not in ("supervisor", "admin"):
                raise ClearanceRefused("role", "the shift view is for supervisors")

        user = SupervisorLoginDialog.ask(
            self, make_directory(self.station), purpose="Shift view: supervisor sign-in", authorize=supervisors_only
        )
        if user is None:
            return None
        return self._open_tool_window("shift", lambda: ShiftView(self.station))

    @Slot()
    def open_users(self) -> Any:
        """Users of this station; changes need an admin sign-in inside the window."""
        from ui.supervisor.users_admin import UsersWindow

        return self._open_tool_window("users", lambda: UsersWindow(self.station))

    @Slot()
    def refresh(self) -> None:
        """Re-read the bench (a clearance made elsewhere, a restart)."""
        try:
            self.service.reload()
        except QueryError as exc:
            logger.error("reload failed: %s", exc)
            return
        self._paint_bench()

    @Slot()
    def _on_reload_timer(self) -> None:
        before = self.service.state
        self.refresh_quietly()
        if before is BenchState.BLOCKED and self.service.state is not BenchState.BLOCKED:
            self._show(vs.style_for_message("CLEARED", "Cleared by a supervisor: continue.", vs.Tone.INFO))

    def refresh_quietly(self) -> None:
        try:
            self.service.reload()
        except QueryError as exc:
            logger.error("reload failed: %s", exc)
            return
        if self.service.state is BenchState.BLOCKED:
            self._paint_order(self.service.order, None)
            if self._paint_incidents(self.service.open_incidents()):  # e.g. one of two cleared elsewhere
                self._show(bs.with_also(self._blocked_style(), self.verdict_panel.also.text(), silent=True))
        else:
            self._paint_order(self.service.order, None)
            self._paint_blocked(False)

    # ------------------------------------------------------------------ packer
    @Slot()
    def ask_for_packer(self) -> None:
        """Ask who packs; a blocked package stays on screen as blocked (red, its incidents) meanwhile."""
        self.service.packers.ask()
        self.packer_box.setVisible(True)
        self.incidents_box.setVisible(self.service.state is BenchState.BLOCKED)
        self.clear_hint.setVisible(False)  # room for the name picker; the red panel says it big
        self._show(vs.style_for_badge_prompt(), also=bs.WHO_IS_PACKING_BLOCKED, silent=True)

    def _handle_badge(self, code: str, gate: GateDecision) -> vs.VerdictStyle:
        if gate.action is GateAction.UNKNOWN_BADGE:
            return self._show(vs.style_for_unknown_badge(code))
        if gate.action is GateAction.ASK_AGAIN:
            return self._show(vs.style_for_badge_prompt(), also=bs.WHO_IS_PACKING_BLOCKED)
        assert gate.packer is not None
        return self.set_packer(gate.packer)

    @Slot()
    def _on_packer_start_clicked(self) -> None:
        name = self.packer_combo.currentData()
        if name:
            self.set_packer(name)

    def set_packer(self, packer_id: str) -> vs.VerdictStyle:
        try:
            self.service.set_packer(packer_id)
        except StorageError as exc:
            return self._show(vs.style_for_storage_error(exc))
        self.packer_box.setVisible(False)
        self.clear_hint.setVisible(True)
        self._packer_label.setText(f"Packer: {self._display(packer_id)}")
        self._paint_bench(show=False)
        style = vs.style_for_packer(self._display(packer_id))
        if self.service.state is BenchState.BLOCKED:
            return self._show(style, also=bs.also_packer(self._display(packer_id)))
        if self.service.state is not BenchState.NO_ORDER:
            style = vs.style_for_state(self.service.state, self.service.order)
        return self._show(style)

    def _display(self, packer_id: str) -> str:
        return self.service.packers.display_name(packer_id)

    # ------------------------------------------------------------------ painting
    def show_verdict(self, verdict: Verdict) -> vs.VerdictStyle:
        self.last_verdict = verdict
        order = verdict.order if verdict.order is not None else self.service.order
        self._paint_order(order, verdict.line.line_id if verdict.line else None)
        style = vs.style_for(verdict)
        if verdict.state is BenchState.BLOCKED:
            if verdict.blocking:  # this scan blocked the package: its words stay until a supervisor clears
                style = self.blocked_panel.blocked_by(verdict, style)
            self._paint_incidents(verdict.open_incidents or self.service.open_incidents())
            if not verdict.blocking:
                style = bs.with_also(self.blocked_panel.panel(), self._also_for(verdict, style))
        else:
            self._paint_blocked(False)
        return self._show(style)

    def _also_for(self, verdict: Verdict, style: vs.VerdictStyle) -> str:
        """The secondary line for a verdict that came while the package is blocked."""
        if verdict.kind in (VerdictKind.STILL_BLOCKED, VerdictKind.UNKNOWN_COMMAND):
            return bs.also_scanned(verdict)
        if verdict.kind is VerdictKind.CLEARED:
            return bs.also_cleared_one(len(self.blocked_panel.incidents))
        if verdict.kind is VerdictKind.ORDER_LOADED:
            return ""
        return bs.also_message(style)

    def _blocked_style(self) -> vs.VerdictStyle:
        if not self.blocked_panel.known:
            self._paint_incidents(self._open_incidents())
        return self.blocked_panel.panel()

    def _open_incidents(self) -> tuple[Any, ...]:
        try:
            return self.service.open_incidents()
        except QueryError as exc:  # the red panel still shows; the list fills on the next reload
            logger.error("cannot read the open incidents: %s", exc)
            return ()

    def _show(
        self, style: vs.VerdictStyle, refresh: bool = False, also: str | None = None, silent: bool = False
    ) -> vs.VerdictStyle:
        """The one place that paints the panel. While the package is blocked nothing replaces its red
        headline: `style` then becomes the secondary line (`also`, or words made from `style`)."""
        if refresh:
            self._paint_order(self.service.order, None)
        if self.service.state is BenchState.BLOCKED and not style.holds_block:
            style = bs.with_also(
                self._blocked_style(), also if also is not None else bs.also_message(style), silent=silent
            )
        self.last_style = style
        self.verdict_panel.show_style(style)
        # Lay out and paint now, not at the next idle: the packer sees the verdict in the same event-loop
        # turn, and a panel that grew a line (details, the "also scanned" line) is not painted squashed.
        self.centralWidget().layout().activate()
        self.verdict_panel.repaint()
        self.sound.play(style.sound)
        self.verdict_shown.emit(style)
        return style

    def _paint_bench(self, show: bool = True) -> None:
        state, order = self.service.state, self.service.order
        self._paint_order(order, None)
        if state is BenchState.BLOCKED:
            self._paint_incidents(self.service.open_incidents())
        else:
            self._paint_blocked(False)
        if show and not self.service.packers.awaiting:
            self._show(self.blocked_panel.panel() if state is BenchState.BLOCKED else vs.style_for_state(state, order))
        elif show and state is BenchState.BLOCKED:
            self._show(bs.with_also(self.blocked_panel.panel(), bs.WHO_IS_PACKING_BLOCKED, silent=True))

    def _paint_order(self, order: OrderView | None, highlight: int | None) -> None:
        if order is None:
            self.order_label.setText("No order on the bench")
            self.ship_label.setText("Scan an order barcode to start")
            self.carrier_label.setText("")
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setVisible(False)  # an empty bar with no order reads as "0 % done" of nothing
            self.progress_label.setText("")
        else:
            self.progress.setVisible(True)
            self.order_label.setText(f"Order {order.order_id}")
            self.ship_label.setText(f"Ship to: {order.ship_to}")
            self.carrier_label.setText(f"Carrier: {order.carrier}")
            self.progress.setRange(0, max(order.units_ordered, 1))
            self.progress.setValue(order.units_scanned)
            self.progress_label.setText(f"{order.units_scanned} / {order.units_ordered} units")
        self.lines_table.show_order(order, highlight)
        state = self.service.state
        can_pack = state in (BenchState.ORDER_LOADED, BenchState.SCANNING, BenchState.COMPLETE)
        for w in (self.seal_button, self.cancel_button, self.seal_action, self.cancel_action):
            w.setEnabled(can_pack)
        self.undo_button.setEnabled(state in (BenchState.SCANNING, BenchState.COMPLETE))
        self.undo_action.setEnabled(self.undo_button.isEnabled())

    def _paint_incidents(self, incidents: tuple[Any, ...]) -> bool:
        """List the open incidents, frame the window red; True if the red panel's words change."""
        self.incidents_list.clear()
        for inc in incidents:
            self.incidents_list.addItem(bs.incident_line(inc))
        self._paint_blocked(True)
        order = self.service.order
        return self.blocked_panel.update(order.order_id if order else None, tuple(incidents))

    def _paint_blocked(self, blocked: bool) -> None:
        if not blocked:
            self.blocked_panel.reset()
        self.incidents_box.setVisible(blocked)
        if self.service.packers.awaiting:
            self.packer_box.setVisible(True)
        self.centralWidget().setStyleSheet(
            "#benchFrame { border: 10px solid #b3261e; }" if blocked else "#benchFrame { border: none; }"
        )
        if blocked and not self._reload_timer.isActive():
            self._reload_timer.start()
        elif not blocked:
            self._reload_timer.stop()

    def _paint_devices(self) -> None:
        marks = {"connected": "●", "connecting": "◌", "disconnected": "✖", "stopped": "■"}
        parts = []
        for source, (state, _detail) in sorted(self._device_states.items()):
            word = "reconnecting" if state == "disconnected" else state
            parts.append(f"{marks.get(state, '?')} {source}: {word}")
        self._devices_label.setText("   ".join(parts) or "No scanner")
        self._devices_label.setToolTip("\n".join(f"{s}: {st} ({d})" for s, (st, d) in self._device_states.items()))

    def device_status_text(self) -> str:
        return self._devices_label.text()

    def packer_status_text(self) -> str:
        return self._packer_label.text()

    def attach_sync(self, sync: Any) -> None:
        """Show a `sync.qt.QtSyncWorker`'s status in the status bar; it is stopped with the window."""
        self.sync = sync
        sync.status_changed.connect(self._on_sync_status_changed)
        self._on_sync_status_changed(sync.status)

    @Slot(object)
    def _on_sync_status_changed(self, status: Any) -> None:
        from sync.client import ConnectionState
        from ui.commands.sync import describe_sync_status

        # Stand-alone (not configured) is a normal way to run; offline, refused or parked events are not.
        ok = (
            status.state in (ConnectionState.CONNECTED, ConnectionState.IDLE, ConnectionState.NOT_CONFIGURED)
            and not status.parked
        )
        self.set_sync_status("Sync: " + describe_sync_status(status), ok)

    def attach_camera_preview(self, preview: QWidget, frame_bridge: Any) -> None:
        """Put the live camera picture in the side panel; frames arrive through `frame_bridge`."""
        self.camera_preview = preview
        frame_bridge.frame_ready.connect(preview.show_frame)
        self.preview_slot.layout().addWidget(preview)
        self.preview_slot.setVisible(True)

    def set_sync_status(self, text: str, ok: bool) -> None:
        """For the sync worker: a short text ("Sync: 3 waiting") and whether all is well (red if not)."""
        self._sync_label.setText(text)
        self._sync_label.setStyleSheet("" if ok else "color: #b3261e; font-weight: bold;")

    def replace_sources(self, specs: list[Any]) -> list[str]:
        """Stop the running scan sources and start `specs` instead (settings saved); returns problems."""
        self.sources.stop()
        self._device_states.clear()
        # Camera options re-read too: the settings dialog saves them together with the sources.
        self.sources = ScanSources(
            self.bridge,
            specs,
            self.sources.frame_listener,
            camera_settings(specs, self.station.settings.section(CAMERA_SECTION)),
        )
        problems = self.sources.start()
        self._paint_devices()
        if problems:
            self._show(vs.style_for_message("SCANNER PROBLEM", "; ".join(problems), vs.Tone.WAIT))
        return problems

    def add_side_widget(self, widget: QWidget, stretch: int = 1) -> None:
        """Extra panels on the right (the demo helper, later the camera preview)."""
        self.side_layout.addWidget(widget, stretch)

    # ------------------------------------------------------------------ misc actions
    @Slot()
    def focus_entry(self) -> None:
        self.entry.setFocus()
        self.entry.selectAll()

    @Slot()
    def toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    @Slot()
    def toggle_mute(self) -> None:
        self.sound.muted = not self.sound.muted
        self.mute_action.setChecked(self.sound.muted)
        settings = self.station.settings
        settings.write(SoundSettings(muted=self.sound.muted))
        try:
            settings.save()
        except OSError as exc:
            logger.error("mute setting not saved: %s", exc)

    @Slot()
    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        SettingsDialog.edit(self, self.station.settings, self.sources)

    @Slot()
    def save_command_sheet(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from ui.settings_dialog import write_command_sheet

        path, _ = QFileDialog.getSaveFileName(
            self, "Save command sheet", "packgate-commands.png", "PNG image (*.png);;PDF (*.pdf)"
        )
        if not path:
            return
        try:
            write_command_sheet(Path(path))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Command sheet", f"Could not save the command sheet: {exc}")

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers, devices and sounds; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._reload_timer.stop()
        for window in self._tool_windows.values():
            window.close()
        self.sources.stop()
        self.sound.stop()
        if self.sync is not None:
            self.sync.stop_in_background()  # a request in flight may take its timeout: not on the GUI thread


def _jpeg(frame: Any) -> bytes | None:
    """A camera frame as JPEG evidence for an incident (only camera scans carry frames)."""
    try:
        import cv2

        ok, buf = cv2.imencode(".jpg", frame, [int(cv2.IMWRITE_JPEG_QUALITY), 85])
    except Exception as exc:  # a bad frame must not lose the scan itself
        logger.warning("evidence frame not encoded: %s", exc)
        return None
    return buf.tobytes() if ok else None
