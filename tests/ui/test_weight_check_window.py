"""The weight check under the real window (offscreen) with a scale on a real pty pair: the live weight
against the expected weight, a parcel 1 g outside then 1 g inside the tolerance, the supervisor's
clearance, a scale that never settles, and an unplug mid-pack."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from hardware.scale_protocols import ScaleProtocol
from station.model import BenchState
from station.orm import IncidentRecord, Order
from station.weighing import WeighingSettings
from tests.hardware.scale_device import PtyScale
from tests.ui.conftest import scan
from ui.app import build_window
from ui.bench_scale import ScaleSpec
from ui.verdict_style import Tone

TOY_4003 = "5901230413194"  # order 10030: TOY-4003 x3, 265 g each in the demo item master
# expected 3 x 265 + 180 default tare = 975 g; tolerance 40 g (the pty scale answers in whole grams)
EXPECTED, TOLERANCE = 975.0, 40.0


@pytest.fixture
def pty_scale(tmp_path: Path):
    device = PtyScale(tmp_path / "ttyUSB1", ScaleProtocol.MTSICS)
    device.set_weight(0.0)
    device.plug()
    yield device
    device.close()


@pytest.fixture
def weighing_window(qtbot, station, pty_scale):
    station.settings.write(
        WeighingSettings(tolerance_g=40, tolerance_pct=0, default_tare_g=180.0, settle_timeout_s=1.0)
    )
    window = build_window(
        station, [], packer="P1", muted=True, scale=ScaleSpec("serial", str(pty_scale.link), 9600, ScaleProtocol.MTSICS)
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.scale_panel.words.text == "On the scale", timeout=5000)
    yield window
    window.close()


def seal_by_barcode(qtbot, window, timeout: int = 5000):
    """Scan CMD:SEAL and wait for the seal's verdict (the window waits for a stable weight first)."""
    shown: list = []
    window.verdict_shown.connect(shown.append)
    window.sources.manual.submit("CMD:SEAL")
    qtbot.waitUntil(lambda: any(s.headline not in ("WEIGHING",) for s in shown[1:] or shown), timeout=timeout)
    return next(s for s in shown if s.headline != "WEIGHING")


def pack_10030(qtbot, window) -> None:
    scan(qtbot, window, "ORD-10030")
    for _ in range(3):
        scan(qtbot, window, TOY_4003)
    assert window.service.state is BenchState.COMPLETE


def test_the_live_weight_follows_the_package_and_a_wrong_parcel_is_blocked(qtbot, weighing_window, pty_scale, station):
    window = weighing_window
    pack_10030(qtbot, window)
    pty_scale.set_weight(EXPECTED + TOLERANCE + 1)  # 1 g outside: an extra pen dropped in
    live = window.scale_panel
    qtbot.waitUntil(lambda: "over" in live.text_label.text(), timeout=5000)
    assert live.icon_label.text() == "✗" and "41.0 g over" in live.text_label.text()
    assert live.words.tone is Tone.WAIT  # amber while packing: only SEAL blocks
    assert "expected 975 g ± 40.0 g" in live.text_label.text()

    style = seal_by_barcode(qtbot, window)
    assert style.headline == "WEIGHT MISMATCH" and style.tone is Tone.BLOCKED
    assert "41.0 g too heavy" in window.verdict_panel.sentence.text()
    assert "the scale says 1\u2009016 g" in window.verdict_panel.details.text()
    assert window.service.state is BenchState.BLOCKED
    with station.db.sessions() as s:
        incident = s.scalars(select(IncidentRecord)).one()
        assert incident.kind == "weight_mismatch" and incident.weight["measured_g"] == EXPECTED + TOLERANCE + 1

    # The supervisor has the pen taken out and clears; the parcel is weighed again, 1 g inside now.
    window.service.clear(incident.id, "lee", "extra pen taken out", "item_swapped")
    window.refresh()
    assert window.service.state is BenchState.COMPLETE
    pty_scale.set_weight(EXPECTED + TOLERANCE)
    qtbot.waitUntil(lambda: window.scale_panel.words.tone is Tone.OK, timeout=5000)
    assert window.scale_panel.icon_label.text() == "✓"
    with qtbot.waitSignal(window.verdict_shown, timeout=5000, check_params_cb=lambda s: s.headline == "SEALED"):
        window.seal_button.click()
    assert "Weighed 1\u2009015 g" in window.verdict_panel.details.text()
    with station.db.sessions() as s:
        assert s.get(Order, "10030").measured_weight_g == EXPECTED + TOLERANCE


def test_a_scale_that_never_settles_seals_nothing_and_says_why(qtbot, weighing_window, pty_scale):
    window = weighing_window
    pack_10030(qtbot, window)
    pty_scale.say(b"S D      0.970 kg\r\n", b"S D      0.981 kg\r\n")  # a draught on the pan
    qtbot.waitUntil(lambda: "Settling" in window.scale_panel.text_label.text(), timeout=5000)
    style = seal_by_barcode(qtbot, window)
    assert style.headline == "SCALE NOT STEADY"
    assert "did not settle within 1 s: nothing was sealed" in window.verdict_panel.sentence.text()
    assert window.service.state is BenchState.COMPLETE
    pty_scale.set_weight(EXPECTED)  # the draught stops
    assert seal_by_barcode(qtbot, window).headline == "SEALED"


def test_unplugged_mid_pack_nothing_seals_until_it_is_back(qtbot, weighing_window, pty_scale):
    window = weighing_window
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, TOY_4003)
    pty_scale.unplug()
    qtbot.waitUntil(
        lambda: "scale:" in window.device_status_text() and "reconnecting" in window.device_status_text(), timeout=5000
    )
    qtbot.waitUntil(lambda: window.scale_panel.words.text.startswith("Scale disconnected"), timeout=5000)
    scan(qtbot, window, TOY_4003)
    scan(qtbot, window, TOY_4003)
    style = seal_by_barcode(qtbot, window)
    assert style.headline == "NO WEIGHT" and "the scale is disconnected" in style.sentence
    assert window.service.state is BenchState.COMPLETE
    pty_scale.set_weight(EXPECTED)
    pty_scale.plug()
    qtbot.waitUntil(lambda: window.scale_panel.words.tone is Tone.OK, timeout=10000)
    assert seal_by_barcode(qtbot, window).headline == "SEALED"


def test_a_stable_weight_from_before_the_last_scan_is_not_the_parcels(qtbot, weighing_window, pty_scale):
    """Two paint sets on the scale, stable at 710 g; the third is scanned and SEAL pressed at once, while the
    710 g reading is still fresh: it weighed a box without the third, so the window waits for a reading
    taken after that scan instead of blocking the parcel as too light."""
    window = weighing_window
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, TOY_4003)
    scan(qtbot, window, TOY_4003)
    pty_scale.set_weight(180 + 2 * 265)
    qtbot.waitUntil(lambda: "710 g" in window.scale_panel.weight_label.text(), timeout=5000)
    pty_scale.silent = True  # hold the next answer back: the 710 g stays the newest reading
    pty_scale.set_weight(EXPECTED)
    scan(qtbot, window, TOY_4003)
    window.seal()
    assert window.last_style.headline == "WEIGHING" and window.service.state is BenchState.COMPLETE
    pty_scale.silent = False
    qtbot.waitUntil(lambda: window.service.state is BenchState.SEALED, timeout=5000)
    assert window.weigher.stable_at >= window.weigher.changed_at


def test_the_demo_scale_weighs_what_was_scanned_and_can_be_told_to_be_wrong(qtbot, station):
    from ui.demo_scale import DemoScale

    window = build_window(station, [], packer="P1", muted=True, demo=True, scale=ScaleSpec("sim"))
    qtbot.addWidget(window)
    window.show()
    try:
        (demo,) = window.findChildren(DemoScale)
        pack_10030(qtbot, window)
        qtbot.waitUntil(lambda: window.scale_panel.words.tone is Tone.OK, timeout=5000)
        assert demo.sim.load_g == EXPECTED  # 3 x 265 g and the demo's 180 g carton
        demo.buttons["+180 g unscanned item"].click()
        qtbot.waitUntil(lambda: "180 g over" in window.scale_panel.text_label.text(), timeout=5000)
        window.seal()
        qtbot.waitUntil(lambda: window.service.state is BenchState.BLOCKED, timeout=5000)
        assert window.last_style.headline == "WEIGHT MISMATCH"
        window.resize(1280, 800)  # the size the screenshots and a bench monitor have
        qtbot.waitUntil(lambda: window.incidents_box.isVisible(), timeout=5000)
        box = window.incidents_box
        # Squeezed below its minimum, the box drew its prompt over the list (screenshot 12 of Dec 2).
        assert box.height() >= box.minimumSizeHint().height()
        parts = [box.incidents_list, box.clear_hint, box.supervisor_button]
        for upper, lower in zip(parts, parts[1:], strict=False):
            assert upper.geometry().bottom() < lower.geometry().top(), (upper, lower)
        # The incident beside the panel writes the weight as the scale line does ("1 155 g", not "1155 g").
        assert window.scale_panel.weight_label.text() in box.incidents_list.item(0).text()
        # The demo scale's buttons are still there, inside the demo helper's scroll.
        assert demo.isVisibleTo(window) and demo.buttons["Right weight"].isEnabled()
    finally:
        window.close()
