"""Screenshots of the packer screen in each verdict state: `python -m ui.screenshots [--out docs/screenshots]`.

Drives the real window (built by `ui.app.build_window`, demo station, frozen clock, muted) through the
states a packer meets and saves each with `QWidget.grab()` at 1280x800. Run offscreen by default
(`QT_QPA_PLATFORM=offscreen`), so it works in CI without a display.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_OUT = Path("docs/screenshots")
SIZE = (1280, 800)

def _pack(window: object, codes: Sequence[str]) -> None:
    for code in codes:
        window.handle_code(code, source="screenshot")  # type: ignore[attr-defined]


def take(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

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
            QApplication.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            saved.append(path)
            logger.info("saved %s", path)

        try:
            window.set_sync_status("Sync: up to date", ok=True)
            shot("01-waiting-for-order")
            _pack(window, ["ORD-10030", "5901230413194", "5901230413194"])
            shot("02-scanning-ok")
            _pack(window, ["5901230413194"])
            shot("04-complete")
            _pack(window, ["CMD:SEAL"])
            shot("05-sealed")
            _pack(window, ["ORD-10023", "5901230412357", "5901230413194", "5901230412709"])
            shot("03-invalid-code")
        finally:
            window.close()
            station.close()
        for name, codes in (("06-wrong-item-blocked", ["ORD-10030", "5901230413194", "5901230412357"]),
                            ("07-short-at-seal", ["ORD-10023", "5901230412357", "5901230412357", "5901230413194",
                                                  "036000291278", "CMD:SEAL"])):
            station, _ = open_demo_station(Path(tmp) / name, "BENCH-07", clock=FrozenClock())
            window = build_window(station, [], packer="Maria K.", muted=True, demo=True)
            window.resize(*SIZE)
            window.show()
            try:
                window.set_sync_status("Sync: 1 waiting", ok=True)
                _pack(window, codes)
                shot(name)
            finally:
                window.close()
                station.close()
    app.processEvents()
    return saved


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
