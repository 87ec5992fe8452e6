"""`packgate` without a sub-command: start the packer screen.

`run_gui(args)` is called by `ui.cli` with the parsed options (--demo, --packer, --scanner (repeatable),
--kiosk, --mute, --data-dir, --station). `build_window()` is the one place that wires a bootstrapped
station, the scanner bridge, the scan sources and the window together; tests, the screenshot script
and the benchmark use it too, so they exercise exactly what a packer runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from hardware.qt import FrameBridge, ScannerBridge
from station.printing.settings import PrintSettings
from station.settings import LanguageSettings, Section, SoundSettings
from station.weighing import WeighingSettings
from ui.bench_scale import BenchScale, ScaleSettings, ScaleSpec, ScaleSpecError, parse_scale_spec
from ui.bootstrap import Station, bootstrap
from ui.commands import CommandError
from ui.flood_status import FloodStatus
from ui.i18n import install_language
from ui.packer_window import APP_ICON, PackerWindow
from ui.printing.setup import with_overrides
from ui.scan_sources import (
    CAMERA_SECTION,
    DEFAULT_SPECS,
    SETTINGS_SECTION,
    ScanSources,
    SourceSpec,
    SourceSpecError,
    camera_settings,
    parse_specs,
    specs_from_settings,
)
from ui.single_instance import AlreadyRunning, InstanceLock

logger = logging.getLogger(__name__)
qt_logger = logging.getLogger("qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(mode: QtMsgType, context: Any, message: str) -> None:
    qt_logger.log(_QT_LEVELS.get(mode, logging.WARNING), message)


def ensure_app() -> QApplication:
    """The QApplication (created once, high-DPI friendly)."""
    existing = QApplication.instance()
    if existing is not None and not isinstance(existing, QApplication):
        raise RuntimeError("a non-GUI QCoreApplication already runs in this process: the windows need a QApplication")
    app = existing
    if app is None:
        # Fractional scale factors (125 %, 150 %) as they are: crisp text instead of rounded-up blur.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
    app.setApplicationName("PackGate")
    app.setOrganizationName("PackGate")
    app.setWindowIcon(QIcon(str(APP_ICON)))
    return app


def choose_specs(cli_specs: Sequence[str] | None, station: Station) -> list[SourceSpec]:
    """`--scanner` wins; else the saved settings; else the keyboard wedge."""
    if cli_specs:
        return parse_specs(cli_specs)
    saved = specs_from_settings(station.settings.section(SETTINGS_SECTION))
    return saved or parse_specs(DEFAULT_SPECS)


def choose_scale(cli_spec: str | None, station: Station, demo: bool = False) -> ScaleSpec | None:
    """`--scale` wins ("none": no scale); else the saved settings; in demo mode the simulated scale."""
    if cli_spec is not None:
        return None if cli_spec.strip().lower() in ("", "none", "off") else parse_scale_spec(cli_spec)
    saved = station.settings.read(ScaleSettings).parsed()
    if saved is None and demo:
        return ScaleSpec("sim")
    return saved


def build_window(
    station: Station,
    specs: Sequence[SourceSpec],
    *,
    packer: str | None = None,
    muted: bool = False,
    demo: bool = False,
    sync: bool = False,
    printing: PrintSettings | None = None,
    scale: ScaleSpec | None = None,
    metrics_port: int | None = None,
) -> PackerWindow:
    """Bridge + sources + window, sources started; with a camera source also the live preview, and with
    `sync` the background sync worker (its settings from the "sync" section). The caller shows the window
    and, at the end, calls `window.close()` (stops sources and sync) and `station.close()`."""
    bridge = ScannerBridge()
    frame_bridge = FrameBridge() if any(spec.kind == "camera" for spec in specs) else None
    sources = ScanSources(
        bridge,
        specs,
        frame_bridge.frame_listener if frame_bridge else None,
        camera_settings(specs, station.settings.section(CAMERA_SECTION)),
    )
    window = PackerWindow(station, bridge, sources, packer=packer, muted=muted)
    bridge.setParent(window)
    window.statusBar().insertWidget(0, FloodStatus(bridge, window))
    if frame_bridge is not None:
        from ui.camera_preview import CameraPreview

        frame_bridge.setParent(window)
        window.attach_camera_preview(CameraPreview(window), frame_bridge)
    if sync:
        from sync.worker import create_worker
        from ui.sync_bridge import QtSyncWorker

        worker = QtSyncWorker(
            create_worker(
                station.db,
                station.station_id,
                station.settings.section(Section.SYNC),
                station.paths.root,
                station.clock,
            ),
            window,
        )
        window.attach_sync(worker)
        worker.start()
    if printing is not None:  # the print worker and the bench's print panel (ui.printing)
        from ui.printing.panel import attach_printing
        from ui.printing.setup import create_print_worker

        attach_printing(window, create_print_worker(station, printing))
        window.printing.start()
    if scale is not None:
        window.attach_scale(BenchScale(scale, station.settings.read(WeighingSettings)))
    problems = sources.start()
    if problems:
        window.show_scanner_problems(problems)
    if demo:
        from ui.demo import DemoHelper

        helper = DemoHelper(window)
        window.add_side_widget(helper)
        if window.scale is not None and window.scale.simulated is not None:
            from ui.demo_scale import DemoScale

            helper.add_extra(DemoScale(window, window.scale.simulated))
    if not muted:
        window.sound.preload()
    from ui.station_metrics import attach_metrics  # off unless configured (--metrics-port, section "metrics")

    window.metrics = attach_metrics(window, station, metrics_port)
    return window


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM (systemd stop, session logout) and Ctrl+C close the window cleanly: scan sources stopped,
    the sync worker joined. Python runs a signal handler only when the interpreter gets control, and Qt's
    loop may sit in C++ for a long time; so the signal is also written to a socket (`signal.set_wakeup_fd`)
    that a `QSocketNotifier` watches: the loop wakes at once, even when idle, and quits."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier, QTimer

    def on_signal(signum: int, _frame: object) -> None:
        logger.info("signal received, closing", extra={"signal": signal.Signals(signum).name})
        # Posted, not called: a signal that lands before app.exec() has started would make a direct
        # quit() a no-op (there is no loop to leave yet) and the window would stay up.
        QTimer.singleShot(0, app.quit)

    reader, writer = socket.socketpair()
    for sock in (reader, writer):
        sock.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def on_wakeup() -> None:
        try:
            reader.recv(512)  # the signal numbers; the Python handler above does the work
        except OSError:
            pass

    notifier.activated.connect(on_wakeup)
    app._signal_wakeup = (reader, writer, notifier)  # type: ignore[attr-defined]  # keep them alive
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)


def end_process(rc: int) -> None:
    """End the `packgate` GUI process now, once `run_gui` has closed everything (sources stopped, sync
    joined, database closed, lock released): the log is flushed, then the interpreter's own teardown is
    skipped. That teardown (freeing Qt, OpenCV, SQLAlchemy, pydantic module by module) took 1.3 s on a loaded
    bench PC, most of the 2 s a SIGTERM may take; it has nothing left to save."""
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(rc)


def run_gui(args: argparse.Namespace) -> int:
    """Start the packer screen and run until the window closes; the exit status."""
    qInstallMessageHandler(_qt_message)
    created_demo_dir = None
    if getattr(args, "demo", False):
        from ui.demo import open_demo_station

        station, created_demo_dir = open_demo_station(args.data_dir, args.station)
        from station.users import demo_users
        from ui.supervisor.session import make_directory

        # A packer and a supervisor (station.users.DEMO_PACKER / DEMO_SUPERVISOR) so the demo can clear a block.
        demo_users(make_directory(station))
    else:
        station = bootstrap(args.data_dir, args.station)
    lock = InstanceLock(station.paths.root)
    try:
        try:
            lock.acquire()
        except AlreadyRunning as exc:
            raise CommandError(str(exc), 2) from exc
        try:
            specs = choose_specs(args.scanner, station)
            scale = choose_scale(getattr(args, "scale", None), station, demo=bool(args.demo))
        except (SourceSpecError, ScaleSpecError) as exc:
            raise CommandError(str(exc), 2) from exc
        muted = bool(args.mute or station.settings.read(SoundSettings).muted)
        try:
            printing = with_overrides(
                station.settings.read(PrintSettings), args.slip_printer, args.label_printer, args.paper
            )
        except ValueError as exc:
            raise CommandError(str(exc), 2) from exc
        app = ensure_app()
        language = install_language(station.settings.read(LanguageSettings).code)  # before any window is built
        window = build_window(
            station,
            specs,
            packer=args.packer,
            muted=muted,
            demo=bool(args.demo),
            sync=True,
            printing=printing,
            scale=scale,
            metrics_port=getattr(args, "metrics_port", None),
        )
        if args.kiosk:
            window.menuBar().setVisible(False)  # actions stay reachable through their shortcuts
            window.showFullScreen()
        else:
            window.resize(1280, 800)
            window.show()
        window.focus_entry()
        if language.problem:  # a hand-edited or mistyped setting: say it on the screen, speak English
            window.statusBar().showMessage(language.problem, 60_000)
        _quit_on_signals(app)
        logger.info(
            "packer screen up",
            extra={
                "station": station.station_id,
                "sources": [s.text for s in specs],
                "packer": window.service.packer_id,
                "kiosk": bool(args.kiosk),
                "fullscreen": window.isFullScreen(),
                "title": window.windowTitle(),
            },
        )
        rc = app.exec()
        logger.info("packer screen closed", extra={"station": station.station_id, "exit": rc})
        window.close()  # stops the scan sources and sounds (idempotent); the sync worker stops in the background
        if window.sync is not None and not window.sync.wait_stopped():  # bounded by the stop's 30 s
            logger.error("sync worker still running; closing the station anyway")
        if window.printing is not None and not window.printing.wait_stopped(45):
            logger.error("print worker still running; closing the station anyway")
        window.deleteLater()
        return int(rc)
    finally:
        lock.release()
        station.close()
        if created_demo_dir is not None:
            import shutil

            shutil.rmtree(created_demo_dir, ignore_errors=True)
