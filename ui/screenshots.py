"""Screenshots of the packer screen in each verdict state: `python -m ui.screenshots [--out docs/screenshots]`.

Drives the real window (built by `ui.app.build_window`, demo station, frozen clock, muted) through the
states a packer meets and saves each with `QWidget.grab()` at 1280x800. Run offscreen by default
(`QT_QPA_PLATFORM=offscreen`), so it works in CI without a display.

`09-blocked-also-scanned` is the wrong-item block after the packer tried to seal anyway: the red headline
stays, the attempt is the secondary line inside it. `10-blocked-after-restart` reopens a data dir whose
bench holds a blocked package, as `packgate` starts (no packer yet): red from the first frame.

`08-camera` plays a short generated clip (the order barcode, then an item held up) through the real
camera pipeline (`camera:` spec -> CameraScanner -> live preview), and is taken once the item's verdict is
painted and its outline in the preview has turned green.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from station.commands import Command

logger = logging.getLogger(__name__)

DEFAULT_OUT = Path("docs/screenshots")
SIZE = (1280, 800)

CAMERA_ORDER = "ORD-10023"
CAMERA_ITEM = "5901230412357"  # OFF-2001, A5 dotted notebook, on order 10023


def _camera_clip(path: Path, fps: float = 15.0) -> Path:
    """A few seconds of a bench camera: empty desk, the order label, empty, then an item label held up.

    Rendered here (zxing-cpp's writer) rather than shipped as a binary, so the screenshot never goes
    stale against the decoder; slightly rotated and noised so it looks like a camera, not a print."""
    import cv2
    import numpy as np

    from ui.labels import render_label

    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:720, 0:1280]
    desk = (150 + 25 * np.sin(xx / 300.0) * np.cos(yy / 210.0)).astype(np.float32)

    def label(text: str, fmt: str, angle: float) -> np.ndarray:
        # Filled with the desk's grey around the turned label.
        return render_label(text, fmt, scale=5, margin=30, angle=angle, fill=int(desk.mean()), bar_ratio=3)

    def frame(patch: np.ndarray | None, x: int = 0, y: int = 0) -> np.ndarray:
        out = desk.copy()
        if patch is not None:
            out[y : y + patch.shape[0], x : x + patch.shape[1]] = patch
        out += rng.normal(0, 4, out.shape)
        return cv2.cvtColor(np.clip(out, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)

    order = label(CAMERA_ORDER, "Code128", 3)
    item = label(CAMERA_ITEM, "EAN13", -5)
    frames = [frame(None) for _ in range(3)] + [frame(order, 300 + 4 * i, 200) for i in range(10)]
    frames += [frame(None) for _ in range(6)] + [frame(item, 330 + 2 * i, 150 + i) for i in range(60)]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (1280, 720))
    try:
        for f in frames:
            writer.write(f)
    finally:
        writer.release()
    return path


def _wait(app: object, done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run Qt's events until `done()` (no `exec()`: the script drives several windows one after another)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError("screenshot: the window did not reach the expected state in time")
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def _pack(window: object, codes: Sequence[str]) -> None:
    for code in codes:
        window.handle_code(code, source="screenshot")  # type: ignore[attr-defined]


def take(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from station.clock import FrozenClock
    from ui.app import build_window, ensure_app
    from ui.demo import open_demo_station

    app = ensure_app()
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="packgate-shots-") as tmp:
        # Two stations: one walks a clean pack to the seal, the other collects the blocked states, so each
        # screen shows what a packer would see, not leftovers of a previous block.
        station, _ = open_demo_station(Path(tmp) / "a", "BENCH-07", clock=FrozenClock())
        window = build_window(station, [], packer="Maria K.", muted=True, demo=True)
        window.resize(*SIZE)
        window.show()

        def shot(name: str) -> None:
            saved.append(_grab(window, out / f"{name}.png"))

        try:
            window.set_sync_status("Sync: up to date", ok=True)
            shot("01-waiting-for-order")
            _pack(window, ["ORD-10030", "5901230413194", "5901230413194"])
            shot("02-scanning-ok")
            _pack(window, ["5901230413194"])
            shot("04-complete")
            _pack(window, [Command.SEAL.barcode])
            shot("05-sealed")
            _pack(window, ["ORD-10023", "5901230412357", "5901230413194", "5901230412709"])
            shot("03-invalid-code")
        finally:
            window.close()
            station.close()
        for name, codes in (
            ("06-wrong-item-blocked", ["ORD-10030", "5901230413194", "5901230412357"]),
            (
                "07-short-at-seal",
                ["ORD-10023", "5901230412357", "5901230412357", "5901230413194", "036000291278", Command.SEAL.barcode],
            ),
        ):
            station, _ = open_demo_station(Path(tmp) / name, "BENCH-07", clock=FrozenClock())
            window = build_window(station, [], packer="Maria K.", muted=True, demo=True)
            window.resize(*SIZE)
            window.show()
            try:
                window.set_sync_status("Sync: 1 waiting", ok=True)
                _pack(window, codes)
                shot(name)
                if name.startswith("06"):
                    _pack(window, [Command.SEAL.barcode])  # the packer tries to seal anyway
                    shot("09-blocked-also-scanned")
            finally:
                window.close()
                station.close()
        saved.append(_restart_shot(out, Path(tmp)))
        saved.append(_camera_shot(app, out, Path(tmp)))
        saved.extend(_weight_and_print_shots(app, out, Path(tmp)))
        saved.extend(_language_shots(out, Path(tmp)))
    app.processEvents()
    return saved


def _restart_shot(out: Path, tmp: Path) -> Path:
    """10-blocked-after-restart: the station restarted with a blocked package; nobody signed in yet."""

    from station.clock import FrozenClock
    from station.users import demo_users
    from ui.app import build_window
    from ui.bootstrap import bootstrap
    from ui.demo import open_demo_station
    from ui.supervisor.session import make_directory

    data = tmp / "restart"
    station, _ = open_demo_station(data, "BENCH-07", clock=FrozenClock())
    try:
        demo_users(make_directory(station))
        station.service.set_packer("P1")
        for code in ("ORD-10030", "5901230413194", "5901230412357"):
            station.service.handle_scan(code, source="screenshot")
    finally:
        station.close()
    station = bootstrap(data, "BENCH-07", FrozenClock())  # as `packgate` starts: no --packer
    window = build_window(station, [], packer=None, muted=True)
    window.resize(*SIZE)
    window.show()
    try:
        window.set_sync_status("Sync: 2 waiting", ok=True)
        return _grab(window, out / "10-blocked-after-restart.png")
    finally:
        window.close()
        station.close()


def _weight_and_print_shots(app: object, out: Path, tmp: Path) -> list[Path]:
    """12-weight-mismatch-blocked: the demo's simulated scale told to weigh 180 g too much, then SEAL.
    13-sealed-printing-waiting: a clean seal at a bench whose printers are off (a closed port on 127.0.0.1),
    so the Printing panel shows the slip and the label waiting for them."""
    from PySide6.QtWidgets import QLabel

    from station.clock import SystemClock
    from station.model import BenchState
    from station.printing.settings import PrintSettings, parse_printer_spec
    from ui.app import build_window
    from ui.bench_scale import parse_scale_spec
    from ui.demo import open_demo_station
    from ui.printing.panel import PrintPanel

    station, _ = open_demo_station(tmp / "weighed", "BENCH-07", clock=SystemClock())
    # Both printers off: nothing listens on 127.0.0.1:9 (the discard port).
    label = parse_printer_spec("Bench label printer", "tcp:127.0.0.1:9")
    office = parse_printer_spec("Office laser", "cups:Office@127.0.0.1:9")
    printing = PrintSettings(printers=(label, office), slip_printer=office.name, label_printer=label.name)
    window = build_window(
        station, [], packer="Maria K.", muted=True, demo=True, scale=parse_scale_spec("sim"), printing=printing
    )
    window.resize(*SIZE)
    window.show()
    saved = []
    try:
        window.set_sync_status("Sync: up to date", ok=True)
        sim = window.scale.simulated
        sim.error_g = 180.0  # an item dropped in without a scan
        _pack(window, ["ORD-10030", "5901230413194", "5901230413194", "5901230413194", Command.SEAL.barcode])
        _wait(app, lambda: window.service.state is BenchState.BLOCKED, 30.0)
        saved.append(_grab(window, out / "12-weight-mismatch-blocked.png"))
        _close(window, station)

        station, _ = open_demo_station(tmp / "printed", "BENCH-07", clock=SystemClock())
        # As at a real bench without a scale (no demo helper in the side panel): the Printing panel in view.
        window = build_window(station, [], packer="Maria K.", muted=True, demo=False, printing=printing)
        window.resize(*SIZE)
        window.show()
        window.set_sync_status("Sync: 1 waiting", ok=True)
        _pack(window, ["ORD-10030", "5901230413194", "5901230413194", "5901230413194", Command.SEAL.barcode])
        _wait(app, lambda: window.service.state is BenchState.SEALED, 30.0)
        panel = window.findChildren(PrintPanel)[0]
        _wait(app, lambda: panel.isVisible() and any(lb.text() == "WAITING" for lb in panel.findChildren(QLabel)), 30.0)
        saved.append(_grab(window, out / "13-sealed-printing-waiting.png"))
    finally:
        _close(window, station)
    return saved


def _language_shots(out: Path, tmp: Path) -> list[Path]:
    """The blocked screen (a wrong item, then SEAL tried anyway) in each shipped language but English."""
    from station.clock import FrozenClock
    from ui.app import build_window
    from ui.demo import open_demo_station
    from ui.i18n import install_language

    saved = []
    for number, code in ((14, "de"), (15, "pl")):
        install_language(code)
        station, _ = open_demo_station(tmp / f"lang-{code}", "BENCH-07", clock=FrozenClock())
        window = build_window(station, [], packer="Maria K.", muted=True, demo=True)
        window.resize(*SIZE)
        window.show()
        try:
            _pack(window, ["ORD-10030", "5901230413194", "5901230412357", Command.SEAL.barcode])
            saved.append(_grab(window, out / f"{number}-blocked-{code}.png"))
        finally:
            _close(window, station)
            install_language("en")
    return saved


def _close(window: Any, station: Any) -> None:
    """As `packgate` closes: the window, then its print worker's last cycle, then the database."""
    window.close()
    if window.printing is not None:
        window.printing.wait_stopped(45)
    station.close()


def _grab(window: Any, path: Path) -> Path:
    """What a person sees in the window now, saved as PNG (after pending paints have run)."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    window.grab().save(str(path))
    logger.info("saved %s", path)
    return path


def _camera_shot(app: object, out: Path, tmp: Path) -> Path:
    """08-camera: the window with the live preview, an item just counted, its outline green."""

    from hardware.qt import FrameBridge
    from station.clock import FrozenClock
    from ui.app import build_window
    from ui.camera_preview import OK
    from ui.demo import open_demo_station
    from ui.scan_sources import parse_spec

    out = out.resolve()
    clip = _camera_clip(tmp / "bench-camera.avi")
    station, _ = open_demo_station(tmp / "camera", "BENCH-07", clock=FrozenClock())
    # Opened by a name relative to the clip's folder, so the status bar reads "camera:bench-camera.avi"
    # rather than a temporary path nobody reading the docs needs.
    cwd = os.getcwd()
    os.chdir(clip.parent)
    window = build_window(station, [parse_spec(f"camera:{clip.name}")], packer="Maria K.", muted=True)
    window.resize(*SIZE)
    window.show()
    in_view: list[str] = []
    frame_bridge = window.findChild(FrameBridge)
    if frame_bridge is None:
        raise RuntimeError("the camera window has no FrameBridge: its preview cannot be captured")
    frame_bridge.frame_ready.connect(lambda _image, codes: in_view.__setitem__(slice(None), [c.text for c in codes]))
    try:
        window.set_sync_status("Sync: up to date", ok=True)
        preview = window.camera_preview
        _wait(app, lambda: window.last_verdict is not None and window.last_verdict.code == CAMERA_ITEM)
        # A few more frames so the picture shows the item still held up, outlined in its verdict's colour.
        _wait(app, lambda: CAMERA_ITEM in in_view and preview.outline_colour(CAMERA_ITEM) == OK)
        return _grab(window, out / "08-camera.png")
    finally:
        window.close()
        station.close()
        os.chdir(cwd)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Save packer-screen screenshots in each verdict state.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the PNGs (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    saved = take(args.out)
    logger.info("%d screenshots in %s", len(saved), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
