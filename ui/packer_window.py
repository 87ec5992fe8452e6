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

Its parts: `ui.packer_layout` builds the widgets (`ui.order_header`, `ui.order_lines`,
`ui.bench_side_boxes`, `ui.bench_status`), `ui.bench_painting` paints them, `ui.packer_menus` makes the
menus and shortcuts, `ui.packer_peripherals` holds what the window is attached to (supervisor screens in
`ui.tool_windows`, devices, sync, camera, settings) and `ui.sound_player` the sounds. The scan path, the
commands and who is packing stay here.

Signals:
    verdict_shown(object): the `VerdictStyle` just painted (tests, benchmark).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMainWindow, QWidget

from hardware.qt import ScannerBridge
from hardware.scanning import Scan
from station.db import QueryError
from station.model import BenchState, Verdict
from station.packer_gate import GateAction
from station.service import Evidence, NotAllowed, StorageError
from ui import blocked_style as bs
from ui import verdict_style as vs
from ui.bench_packer import BenchPacker
from ui.bench_painting import BenchPainting
from ui.bench_users import UserInfo, load_users
from ui.bootstrap import Station
from ui.i18n import translate
from ui.packer_layout import lay_out
from ui.packer_menus import build_menus
from ui.packer_peripherals import PackerPeripherals
from ui.refusal_words import words_for
from ui.scale_panel import is_seal_code
from ui.scan_sources import ScanSources
from ui.sound_player import SoundPlayer
from ui.tool_windows import ToolWindows
from ui.verdict_panel import BlockedPanel

__all__ = ["APP_ICON", "PackerWindow", "UserInfo", "load_users"]  # UserInfo, load_users: from ui.bench_users

logger = logging.getLogger(__name__)

APP_ICON = Path(__file__).resolve().parent / "assets" / "icons" / "packgate.svg"

BLOCKED_RELOAD_MS = 3000  # while blocked, pick up a clearance made on another screen


class PackerWindow(BenchPainting, BenchPacker, PackerPeripherals, QMainWindow):
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
        self.sync: Any = None  # a ui.sync_bridge.QtSyncWorker once attach_sync() is called
        self.metrics: Any = None  # a ui.station_metrics.MetricsServer when the metrics port is on
        self.camera_preview: Any = None  # a ui.camera_preview.CameraPreview with a camera source
        self.printing: Any = None  # a ui.printing.bridge.QtPrintWorker once ui.printing.panel.attach_printing ran
        self.tools = ToolWindows(self, station, self._on_queue_incident_resolved)  # supervisor screens
        # While the settings dialog tests a scanner, scans go to it instead of the order.
        self.scan_interceptor: Any = None
        self.scale: Any = None  # a ui.bench_scale.BenchScale once attach_scale() is called
        self.weigher: Any = None  # its ui.scale_panel.WeighAndSeal: every SEAL waits for a stable weight
        self.scale_panel: Any = None  # its live weight line
        self.setWindowTitle(
            translate("PackerWindow", "PackGate — station {station}").format(station=station.station_id)
        )
        self.setWindowIcon(QIcon(str(APP_ICON)))
        self.setMinimumSize(960, 600)
        self._build()
        self.menu_actions = build_menus(self)
        self.seal_action, self.undo_action = self.menu_actions.seal, self.menu_actions.undo
        self.cancel_action, self.mute_action = self.menu_actions.cancel, self.menu_actions.mute
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
            self._packer_label.setText(
                translate("PackerWindow", "Packer: {name}").format(name=self._display(self.service.packer_id))
            )
            self.ask_for_packer()  # a new shift always confirms who packs: never inherit yesterday's packer

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        lay_out(self)

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
        self.status.set_device_state(source, state, detail)
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
            if self.weigher is not None and is_seal_code(code):
                self.weigher.request(source)
                return self.last_style or self._show(vs.style_for_state(self.service.state, self.service.order))
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
                    translate("PackerWindow", "ERROR"),
                    translate(
                        "PackerWindow",
                        "This scan could not be handled ({error}). Scan again; if it repeats call a supervisor.",
                    ).format(error=exc),
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
        if self.weigher is not None:
            self.weigher.request("keyboard")
            return
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
            self._show(
                vs.style_for_message(
                    translate("PackerWindow", "NOTHING TO CLEAR"),
                    translate("PackerWindow", "The package is not blocked."),
                    vs.Tone.WAIT,
                )
            )
            return
        try:
            from ui.supervisor.clearing import request_clearance
        except ImportError:
            logger.warning("supervisor clearing dialog not installed")
            self.clear_hint.setText(
                vs.supervisor_prompt()
                + "\n"
                + translate(
                    "PackerWindow",
                    "(The clearing screen is not installed on this station: clear the incident at the supervisor desk.)",
                )
            )
            return
        try:
            verdict = (
                request_clearance(self, self.station, badge=badge) if badge else request_clearance(self, self.station)
            )
        except (StorageError, NotAllowed) as exc:
            self._show(
                vs.style_for_message(translate("PackerWindow", "NOT CLEARED"), words_for(exc), vs.Tone.BLOCKED),
                also=translate("PackerWindow", "Not cleared: {why} – {blocked}").format(
                    why=words_for(exc), blocked=bs.still_blocked()
                ),
            )
            return
        if verdict is not None:
            self.show_verdict(verdict)
        else:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read the bench (a clearance made elsewhere, a restart)."""
        if self._reload():
            self._paint_bench()

    @Slot()
    def _on_reload_timer(self) -> None:
        before = self.service.state
        self.refresh_quietly()
        if before is BenchState.BLOCKED and self.service.state is not BenchState.BLOCKED:
            self._show(
                vs.style_for_message(
                    translate("Verdict", "CLEARED"),
                    translate("PackerWindow", "Cleared by a supervisor: continue."),
                    vs.Tone.INFO,
                )
            )

    def _reload(self) -> bool:
        try:
            self.service.reload()
        except QueryError as exc:
            logger.error("reload failed: %s", exc)
            return False
        return True

    def refresh_quietly(self) -> None:
        if not self._reload():
            return
        if self.service.state is BenchState.BLOCKED:
            self._paint_order(self.service.order, None)
            if self._paint_incidents(self.service.open_incidents()):  # e.g. one of two cleared elsewhere
                self._show(bs.with_also(self._blocked_style(), self.verdict_panel.also.text(), silent=True))
        else:
            self._paint_order(self.service.order, None)
            self._paint_blocked(False)

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
            self._show(bs.with_also(self.blocked_panel.panel(), bs.who_is_packing_blocked(), silent=True))

    def _paint_blocked(self, blocked: bool) -> None:
        if not blocked:
            self.blocked_panel.reset()
        self.incidents_box.setVisible(blocked)
        if self.service.packers.awaiting:
            self.packer_box.setVisible(True)
        sheet = "#benchFrame { border: 10px solid #b3261e; }" if blocked else "#benchFrame { border: none; }"
        if self.bench_frame.styleSheet() != sheet:  # a new sheet re-polishes the whole window: milliseconds
            self.bench_frame.setStyleSheet(sheet)
        if blocked and not self._reload_timer.isActive():
            self._reload_timer.start()
        elif not blocked:
            self._reload_timer.stop()

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers, devices and sounds; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._reload_timer.stop()
        self.tools.close_all()
        self.sources.stop()
        self.detach_scale()
        self.sound.stop()
        if self.sync is not None:
            self.sync.stop_in_background()  # a request in flight may take its timeout: not on the GUI thread
        if self.printing is not None:
            self.printing.stop_in_background()  # ui.printing: a send in flight may take its timeout too
        if self.metrics is not None:
            self.metrics.stop()


def _jpeg(frame: Any) -> bytes | None:
    """A camera frame as JPEG evidence for an incident (only camera scans carry frames)."""
    try:
        import cv2

        ok, buf = cv2.imencode(".jpg", frame, [int(cv2.IMWRITE_JPEG_QUALITY), 85])
    except Exception as exc:  # a bad frame must not lose the scan itself
        logger.warning("evidence frame not encoded: %s", exc)
        return None
    return buf.tobytes() if ok else None
