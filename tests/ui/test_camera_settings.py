"""Camera site settings: read leniently, applied to the running camera, edited in the settings dialog."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from hardware.decoding import DEFAULT_FORMATS, FORMATS
from hardware.qt import ScannerBridge
from tests.imaging import blank_frame, degrade, place, render_barcode, write_video
from tests.qt_events import drain_posted
from ui.camera_settings import FORMAT_LABELS, CameraSettings
from ui.scan_sources import ScanSources, parse_spec
from ui.settings_dialog import SettingsDialog

EAN = "4006381333931"
QR = "QR-PLANT-0042"


@pytest.fixture(scope="module")
def two_codes_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """0.8 s at 20 fps, 640x360: a QR code on the left and an EAN-13 on the right, together in view."""
    qr = degrade(render_barcode(QR, "qr", scale=4), rotate=-6, blur=0.6, noise=4, seed=1)
    ean = degrade(render_barcode(EAN, "ean13", scale=2), rotate=3, blur=0.6, noise=4, seed=2)
    frames = [blank_frame(640, 360, seed=i) for i in range(16)]
    frames = frames[:2] + [place(place(f, qr, 20, 60), ean, 340, 100) for f in frames[2:14]] + frames[14:]
    return write_video(tmp_path_factory.mktemp("cam-settings") / "two.avi", frames, 20.0)


def test_saved_values_are_read_and_bad_ones_fall_back_to_defaults_with_a_log_line(caplog) -> None:
    good = CameraSettings.from_section(
        {
            "device": "1",
            "width": 1920,
            "height": 1080,
            "fps": 30,
            "roi": [10, 20, 300, 200],
            "dedupe_s": 0.5,
            "seen_needed": 3,
            "formats": ["qr", "EAN_UPC"],
        }
    )
    assert good == CameraSettings("1", 1920, 1080, 30.0, (10, 20, 300, 200), 0.5, 3, frozenset({"qr", "ean_upc"}))
    assert CameraSettings.from_section(good.to_section()) == good  # what the dialog writes reads back the same

    with caplog.at_level(logging.WARNING, logger="ui.camera_settings"):
        bad = CameraSettings.from_section(
            {
                "device": "",
                "width": "wide",
                "height": -5,
                "fps": 10_000,
                "roi": [10, 20, 0, 5],
                "dedupe_s": -1,
                "seen_needed": 7,
                "formats": ["qr", "morse"],
            }
        )
    assert bad == CameraSettings()
    assert bad.formats == DEFAULT_FORMATS == {"ean_upc", "code128", "databar", "datamatrix", "qr"}
    logged = caplog.text
    for key in ("device", "width", "height", "fps", "roi", "dedupe_s", "seen_needed", "formats"):
        assert f"camera setting {key}=" in logged
    assert "morse" in logged  # the message names the unknown format
    # Zero / null sizes mean "the driver's default"; an empty ROI means none.
    assert CameraSettings.from_section({"width": 0, "height": None, "roi": None}).width is None
    assert CameraSettings.from_section({}) == CameraSettings()


def test_every_decodable_format_has_words_in_the_dialog() -> None:
    assert FORMAT_LABELS.keys() == FORMATS.keys()


def _scans_through_sources(qtbot, video: Path, settings: CameraSettings) -> list[str]:
    """Play `video` through ScanSources (the same code the window uses) with `settings`; the codes scanned."""
    bridge = ScannerBridge()
    codes: list[str] = []
    bridge.scan_received.connect(lambda scan: codes.append(scan.code))
    sources = ScanSources(bridge, [parse_spec(f"camera:{video}")], camera=settings)
    try:
        assert sources.start() == []
        qtbot.waitUntil(lambda: bridge.states.get(f"camera:{video}", ("",))[0] == "stopped", timeout=10_000)
    finally:
        sources.stop()
    drain_posted(qtbot)  # let the last queued scans arrive
    return codes


def test_formats_and_region_of_interest_decide_what_the_camera_scans(qtbot, two_codes_video: Path) -> None:
    assert sorted(_scans_through_sources(qtbot, two_codes_video, CameraSettings(dedupe_s=5.0))) == sorted([QR, EAN])
    # QR switched off at this site: the QR label in view is ignored.
    assert _scans_through_sources(qtbot, two_codes_video, CameraSettings(formats=frozenset({"ean_upc"}))) == [EAN]
    # Region of interest over the right half: the QR on the left is outside it.
    assert _scans_through_sources(qtbot, two_codes_video, CameraSettings(roi=(320, 0, 320, 360))) == [EAN]


@pytest.fixture
def camera_window(make_window, two_codes_video):
    return make_window(specs=[parse_spec(f"camera:{two_codes_video}")])


def test_dialog_edits_camera_options_saves_them_and_the_new_camera_uses_them(qtbot, camera_window, two_codes_video):
    window = camera_window
    dialog = SettingsDialog(window.station.settings, window.sources, window)
    qtbot.addWidget(dialog)
    group = dialog.camera_group
    # Starts from the running camera (here the --scanner video), not from a default device.
    assert group.device_edit.text() == str(two_codes_video)
    assert {n for n, b in group.format_boxes.items() if b.isChecked()} == DEFAULT_FORMATS

    group.format_boxes["qr"].setChecked(False)
    group.format_boxes["code39"].setChecked(True)
    group.roi_box.setChecked(True)
    for spin, value in zip(group.roi_spins, (320, 0, 320, 360), strict=True):
        spin.setValue(value)
    group.dedupe_spin.setValue(0.7)
    group.width_spin.setValue(640)
    group.height_spin.setValue(360)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.message.text()

    saved = json.loads(window.station.settings.path.read_text(encoding="utf-8"))["camera"]
    assert saved["roi"] == [320, 0, 320, 360] and saved["dedupe_s"] == 0.7
    assert saved["formats"] == ["code128", "code39", "databar", "datamatrix", "ean_upc"]
    assert (saved["width"], saved["height"]) == (640, 360)

    # What SettingsDialog.edit does after Save: the new sources are built with the saved options at once.
    window.replace_sources(dialog.specs())
    camera = window.sources.devices[f"camera:{two_codes_video}"]
    assert camera.decoder.roi == (320, 0, 320, 360)
    assert "qr" not in camera.decoder.formats and "code39" in camera.decoder.formats
    assert camera.filter.dedupe_s == 0.7
    assert (camera.width, camera.height) == (640, 360)


def test_dialog_refuses_a_camera_with_no_formats_and_keeps_the_old_settings(qtbot, camera_window):
    window = camera_window
    before = window.station.settings.section("camera")
    dialog = SettingsDialog(window.station.settings, window.sources, window)
    qtbot.addWidget(dialog)
    for box in dialog.camera_group.format_boxes.values():
        box.setChecked(False)
    dialog.save()
    assert "at least one barcode format" in dialog.message.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert window.station.settings.section("camera") == before


def test_use_this_camera_puts_the_device_in_the_sources_list(qtbot, window):
    dialog = SettingsDialog(window.station.settings, window.sources, window)
    qtbot.addWidget(dialog)
    dialog.camera_group.device_edit.setText("2")
    dialog.use_camera()
    dialog.camera_group.device_edit.setText("1")
    dialog.use_camera()  # replaces the first: one bench camera
    assert [s.text for s in dialog.specs() if s.kind == "camera"] == ["camera:1"]
    dialog.save()
    saved = json.loads(window.station.settings.path.read_text(encoding="utf-8"))
    assert "camera:1" in saved["scanners"]["sources"] and saved["camera"]["device"] == "1"
