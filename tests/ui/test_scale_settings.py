"""The scale in the settings dialog: pick a port and protocol, "test this scale" shows the live weight from
a scale on a real pty pair, and Save stores the spec the next start uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.ports import PortInfo
from hardware.scale_protocols import ScaleProtocol
from tests.hardware.scale_device import PtyScale
from ui.app import choose_scale
from ui.bench_scale import ScaleSettings, ScaleSpec, ScaleSpecError, parse_scale_spec
from ui.scale_group import NO_SCALE
from ui.settings_dialog import SettingsDialog


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("serial:/dev/ttyUSB1@9600:mtsics", ScaleSpec("serial", "/dev/ttyUSB1", 9600, ScaleProtocol.MTSICS)),
        ("serial:COM4@19200:sma", ScaleSpec("serial", "COM4", 19200, ScaleProtocol.SMA)),
        ("serial:/dev/ttyS0:continuous", ScaleSpec("serial", "/dev/ttyS0", 9600, ScaleProtocol.CONTINUOUS)),
        ("serial:/dev/ttyUSB1", ScaleSpec("serial", "/dev/ttyUSB1")),
        ("serial:socket://127.0.0.1:7000:sma", ScaleSpec("serial", "socket://127.0.0.1:7000", 9600, ScaleProtocol.SMA)),
        ("sim", ScaleSpec("sim")),
    ],
)
def test_scale_specs(text: str, spec: ScaleSpec) -> None:
    assert parse_scale_spec(text) == spec
    assert parse_scale_spec(spec.text) == spec


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("usb:/dev/ttyUSB1", "unknown scale"),
        ("serial:", "unknown scale"),
        ("serial:/dev/ttyUSB1@fast", "not a number"),
        ("serial:/dev/ttyUSB1@9600:toledo", "unknown scale protocol 'toledo'"),
        ("serial:/dev/ttyUSB1@10", "outside 50..4000000"),
    ],
)
def test_bad_scale_specs_say_what_would_work(text: str, words: str) -> None:
    with pytest.raises(ScaleSpecError, match=words):
        parse_scale_spec(text)


def test_the_command_line_wins_then_settings_then_demo(station) -> None:
    assert choose_scale(None, station) is None  # no scale: nothing changes
    assert choose_scale(None, station, demo=True) == ScaleSpec("sim")
    station.settings.write(ScaleSettings(spec="serial:/dev/ttyUSB3@9600:sma"))
    assert choose_scale(None, station).port == "/dev/ttyUSB3"
    assert choose_scale("none", station) is None
    assert choose_scale("serial:/dev/ttyUSB1@9600:mtsics", station).protocol is ScaleProtocol.MTSICS


def test_test_this_scale_shows_the_live_weight_and_save_stores_it(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(
        "ui.scale_group.list_serial_ports",
        lambda: [PortInfo("/dev/ttyUSB9", "CH340 serial", "USB VID:PID=1A86:7523", 0x1A86, 0x7523)],
    )
    device = PtyScale(tmp_path / "ttyUSB1", ScaleProtocol.SMA)
    device.set_weight(1234.0)
    device.plug()
    try:
        dialog = SettingsDialog(window.station.settings, window.sources, window)
        qtbot.addWidget(dialog)
        group = dialog.scale_group
        assert group.port_combo.currentText() == NO_SCALE
        assert "/dev/ttyUSB9" in group.port_combo.itemText(1) and "1A86:7523" in group.port_combo.itemText(1)
        group.port_combo.setCurrentText(str(device.link))
        group.protocol_combo.setCurrentIndex(group.protocol_combo.findData(ScaleProtocol.SMA))
        group.test_scale()
        qtbot.waitUntil(lambda: "1\u2009234 g — stable" in group.live_label.text(), timeout=5000)
        device.set_weight(900.0, stable=False)
        qtbot.waitUntil(lambda: "900 g — settling" in group.live_label.text(), timeout=5000)
        dialog.save()
        dialog.close()
        assert window.station.settings.read(ScaleSettings).spec == f"serial:{device.link}@9600:sma"
    finally:
        device.close()
    assert group._device is None  # the test reader stopped with the dialog


def test_saved_weighing_rules_and_scale_apply_to_the_running_bench(qtbot, window, tmp_path: Path) -> None:
    from station.weighing import UnknownWeight, WeighingSettings
    from tests.ui.conftest import scan

    device = PtyScale(tmp_path / "ttyUSB2", ScaleProtocol.CONTINUOUS)
    device.set_weight(445.0)
    device.plug()
    try:
        dialog = SettingsDialog(window.station.settings, window.sources, window)
        qtbot.addWidget(dialog)
        group = dialog.scale_group
        group.port_combo.setCurrentText(str(device.link))
        group.protocol_combo.setCurrentIndex(group.protocol_combo.findData(ScaleProtocol.CONTINUOUS))
        group.tolerance_g.setValue(5)
        group.tolerance_pct.setValue(0)
        group.unknown_combo.setCurrentIndex(group.unknown_combo.findData(UnknownWeight.BLOCK))
        dialog.save()
        saved = window.station.settings.read(WeighingSettings)
        assert (saved.tolerance_g, saved.tolerance_pct, saved.unknown_weight) == (5.0, 0.0, UnknownWeight.BLOCK)
        assert saved.cartons == {"BOX-S": 120.0, "BOX-L": 390.0}  # the demo's carton list is kept
        window.replace_scale(group.spec())  # what SettingsDialog.edit does after Save
        assert window.service.weighing == saved
        scan(qtbot, window, "ORD-10030")
        qtbot.waitUntil(lambda: "445 g" in window.scale_panel.weight_label.text(), timeout=5000)
        assert f"scale:{device.link}" in window.device_status_text()
        window.replace_scale(None)  # no scale any more: seals as before, the line is gone
        assert window.scale_panel is None and window.service.weighing is None
        assert f"scale:{device.link}" not in window.device_status_text()
        for _ in range(3):
            scan(qtbot, window, "5901230413194")
        assert scan(qtbot, window, "CMD:SEAL").headline == "SEALED"
    finally:
        device.close()
