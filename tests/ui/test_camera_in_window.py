"""The bench camera in the real packer window: a generated video of a whole pack, played through the real
`CameraScanner` (capture + decode threads) that `build_window` wires from a `camera:` spec and the site's
camera settings.

The video holds the order barcode (Code 128) and one item per symbology the site uses — EAN-13, UPC-A,
an internal Code 128 label, GS1-128 with lot and in-date expiry, QR and DataMatrix — each rendered,
rotated, blurred and noised, moving a little as in a hand, with empty bench frames between; then the
EAN item again as a second unit (out of view longer than the short dedupe window set in the settings),
then an item of another order, held in view to the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QColor

from hardware.decoding import Decoder
from hardware.qt import FrameBridge
from station.clock import FrozenClock
from station.model import BenchState
from station.order_files import parse_orders_json
from station.orders import import_orders
from tests.imaging import blank_frame, degrade, place, render_barcode, write_video
from tests.qt_events import drain_posted
from ui.app import build_window
from ui.bootstrap import Station, bootstrap
from ui.camera_preview import BLOCKED
from ui.packer_window import PackerWindow
from ui.scan_sources import parse_spec

GS = "\x1d"
FPS = 20.0
ORDER = "ORD-CAM-77"
EAN = "4006381333931"
UPCA = "036000291452"
INTERNAL = "INT-000123"
GTIN = "09506000134352"
GS1_LABEL = f"(01){GTIN}(17)271231(10)LOT42"  # expiry 2027-12-31: in date on the frozen clock (2026-11-23)
QR = "QR-PLANT-0042"
DMX = "DM-7731-A"
WRONG = "5901234123457"  # a product of another order: a real wrong pick

# (what the order file lists, how it is printed, what is shown, units ordered, lot tracked)
ITEMS = [
    ("EAN-1", EAN, "ean13", EAN, 2, False),
    ("UPC-1", UPCA, "upca", UPCA, 1, False),
    ("INT-1", INTERNAL, "code128", INTERNAL, 1, False),
    ("LOT-1", GTIN, "gs1-128", GS1_LABEL, 1, True),
    ("QR-1", QR, "qr", QR, 1, False),
    ("DMX-1", DMX, "datamatrix", DMX, 1, False),
]


def _order_json() -> str:
    lines = [
        {"sku": sku, "description": f"{fmt} item", "quantity": qty, "barcodes": [listed], "lot_tracked": lot}
        for sku, listed, fmt, _shown, qty, lot in ITEMS
    ]
    other = [{"sku": "OTHER-1", "description": "item of another order", "quantity": 1, "barcodes": [WRONG]}]
    return json.dumps(
        {
            "orders": [
                {
                    "order_id": "CAM-77",
                    "order_barcode": ORDER,
                    "ship_to": "Bench test",
                    "carrier": "DHL",
                    "lines": lines,
                },
                {
                    "order_id": "CAM-78",
                    "order_barcode": "ORD-CAM-78",
                    "ship_to": "Elsewhere",
                    "carrier": "DHL",
                    "lines": other,
                },
            ]
        }
    )


def _presentation(patch: np.ndarray, frames: int, seed: int) -> list[np.ndarray]:
    """An item held in front of the camera: it drifts a few pixels per frame, the bench noise changes."""
    return [place(blank_frame(seed=seed * 100 + i), patch, 380 + 5 * i, 160 + 3 * i) for i in range(frames)]


def _empty(frames: int, seed: int) -> list[np.ndarray]:
    return [blank_frame(seed=seed * 100 + 50 + i) for i in range(frames)]


@pytest.fixture(scope="module")
def pack_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scale = {"ean13": 3, "upca": 3, "code128": 3, "gs1-128": 2, "qr": 6, "datamatrix": 8}
    frames = _empty(3, 0)
    frames += _presentation(degrade(render_barcode(ORDER, "code128"), rotate=4, blur=0.7, noise=5, seed=1), 8, 1)
    for n, (_sku, _listed, fmt, shown, _qty, _lot) in enumerate(ITEMS, start=2):
        frames += _empty(4, n)
        patch = degrade(
            render_barcode(shown, fmt, scale=scale[fmt]), rotate=(-1) ** n * (3 + 2 * n), blur=0.8, noise=6, seed=n
        )
        frames += _presentation(patch, 8, n)
    frames += _empty(14, 20)  # 0.7 s out of view: longer than the test's 0.3 s dedupe window
    frames += _presentation(degrade(render_barcode(EAN, "ean13"), rotate=-8, blur=0.8, noise=6, seed=21), 8, 21)
    frames += _empty(4, 22)
    # The wrong item stays in view to the end, so the preview's last picture shows it.
    frames += _presentation(degrade(render_barcode(WRONG, "ean13"), rotate=6, blur=0.8, noise=6, seed=23), 12, 23)
    return write_video(tmp_path_factory.mktemp("camera-pack") / "pack.avi", frames, FPS)


@pytest.fixture
def camera_station(tmp_path: Path) -> Iterator[Station]:
    station = bootstrap(tmp_path / "data", "CAM-1", FrozenClock())
    import_orders(station.db, parse_orders_json(_order_json()), station.station_id, station.clock, source="test")
    station.service.reload()
    # A short dedupe window (the site setting) so the second unit can be shown 0.7 s later.
    station.settings.set_section("camera", {"dedupe_s": 0.3, "seen_needed": 2})
    yield station
    station.close()


def test_a_pack_on_camera_counts_each_presentation_once_and_the_wrong_item_blocks_with_its_frame(
    qtbot, camera_station: Station, pack_video: Path
) -> None:
    verdicts: list[tuple[str, str | None]] = []
    window: PackerWindow = build_window(camera_station, [parse_spec(f"camera:{pack_video}")], packer="P1", muted=True)
    qtbot.addWidget(window)
    try:
        window.verdict_shown.connect(
            lambda _style: (
                verdicts.append((window.last_verdict.kind.value, window.last_verdict.code))
                if window.last_verdict is not None
                else None
            )
        )
        window.resize(1280, 800)
        window.show()
        source = f"camera:{pack_video}"
        qtbot.waitUntil(lambda: window.service.state is BenchState.BLOCKED, timeout=15_000)
        qtbot.waitUntil(lambda: window.bridge.states.get(source, ("",))[0] == "stopped", timeout=10_000)
        camera = window.sources.devices[source]
        assert camera.wait_finished(timeout=5)
        drain_posted(qtbot)  # anything the decode thread queued last

        # Counted: every line exactly as often as it was shown; the second EAN presentation is the second unit.
        assert window.lines_table.counts() == [(sku, qty, qty) for sku, _l, _f, _s, qty, _lot in ITEMS]
        assert [v[0] for v in verdicts] == ["order_loaded"] + ["ok"] * 7 + ["wrong_item"], verdicts
        assert verdicts[-1][1] == WRONG
        assert window.last_style is not None and window.last_style.headline == "WRONG ITEM"
        assert window.centralWidget().styleSheet().count("#b3261e") == 1  # the red blocked frame

        # The incident keeps the frame that caused it, as a JPEG in the data dir showing the wrong code.
        (incident,) = window.service.open_incidents()
        assert incident.kind == "wrong_item" and incident.code == WRONG
        evidence = Path(incident.evidence_file or "")
        assert evidence.is_file() and evidence.is_relative_to(camera_station.paths.evidence_dir)
        image = cv2.imread(str(evidence))
        assert image is not None and image.shape == (720, 1280, 3)
        assert WRONG in {c.text for c in Decoder().decode(image)}

        # The preview got the pictures, and outlines the wrong code in red.
        frame_bridge = window.findChild(FrameBridge)
        assert frame_bridge is not None and frame_bridge.frames_forwarded >= 20
        preview = window.camera_preview
        assert preview.outline_colour(WRONG) == BLOCKED
        shot = preview.grab().toImage()
        red = sum(
            1
            for y in range(0, shot.height(), 2)
            for x in range(0, shot.width(), 2)
            if _is_red(QColor(shot.pixel(x, y)))
        )
        assert red >= 30, f"only {red} red pixels in the preview"
    finally:
        window.close()


def _is_red(c: QColor) -> bool:
    return c.red() > 180 and c.green() < 80 and c.blue() < 80
