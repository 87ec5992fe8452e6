"""Scan-source specs, verdict words, the settings dialog, the command sheet, demo mode and `run_gui`."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PySide6.QtGui import QImage

from station.model import BenchState, Verdict, VerdictKind
from tests.ui.conftest import scan
from ui import verdict_style as vs
from ui.command_sheet import write_command_sheet
from ui.scan_sources import SourceSpec, SourceSpecError, parse_spec, parse_specs, specs_from_settings
from ui.settings_dialog import SettingsDialog
from ui.verdict_style import style_for


@pytest.mark.parametrize(
    "text,expected",
    [
        ("wedge", SourceSpec("wedge")),
        ("serial:/dev/ttyACM0", SourceSpec("serial", "/dev/ttyACM0", 9600)),
        ("serial:/dev/pts/5@115200", SourceSpec("serial", "/dev/pts/5", 115200)),
        ("serial:COM3@19200", SourceSpec("serial", "COM3", 19200)),
        ("file:codes.txt", SourceSpec("file", "codes.txt")),
        ("camera:0", SourceSpec("camera", "0")),
        ("camera:/clips/bench.mp4", SourceSpec("camera", "/clips/bench.mp4")),
    ],
)
def test_scanner_specs_parse(text, expected):
    assert parse_spec(text) == expected
    assert parse_spec(expected.text) == expected


@pytest.mark.parametrize(
    "text,words",
    [
        ("", "empty scanner spec"),
        ("usb", "unknown scanner"),
        ("serial:", "needs a target"),
        ("serial:/dev/ttyACM0@fast", "not a number"),
        ("serial:/dev/ttyACM0@5", "outside"),
        ("wedge:1", "no argument"),
    ],
)
def test_bad_scanner_specs_say_why(text, words):
    with pytest.raises(SourceSpecError, match=words):
        parse_spec(text)


def test_duplicate_specs_dropped_and_bad_saved_ones_skipped(caplog):
    assert parse_specs(["wedge", "wedge", "file:a"]) == [SourceSpec("wedge"), SourceSpec("file", "a")]
    with caplog.at_level(logging.ERROR):
        assert specs_from_settings({"sources": ["bogus", "serial:/dev/x"]}) == [SourceSpec("serial", "/dev/x")]
    assert "ignoring saved scanner" in caplog.text


@pytest.mark.parametrize("kind", list(VerdictKind))
def test_every_verdict_kind_has_its_own_words(kind, caplog):
    with caplog.at_level(logging.WARNING, logger="ui.verdict_style"):
        style = style_for(Verdict(kind, BenchState.SCANNING, code="X1"))
    assert not caplog.records, "a verdict kind fell through to the generic style"
    assert style.headline and style.sentence
    assert style.icon in ("check", "cross", "warning", "hourglass", "box", "info")


def test_blocking_verdicts_never_look_like_ok():
    for kind in VerdictKind:
        style = style_for(Verdict(kind, BenchState.BLOCKED, code="X1"))
        if Verdict(kind, BenchState.BLOCKED).blocking:
            assert style.icon == "cross" and style.sound == "blocked" and "OK" not in style.headline


def test_file_source_plays_a_script_into_the_window(qtbot, make_window, tmp_path):
    script = tmp_path / "shift.txt"
    script.write_text("@delay 0\nORD-10030\n5901230413194\n", encoding="utf-8")
    window = make_window(specs=[parse_spec(f"file:{script}")])
    qtbot.waitUntil(lambda: window.lines_table.counts() == [("TOY-4003", 1, 3)], timeout=3000)
    qtbot.waitUntil(lambda: "file:shift.txt: stopped" in window.device_status_text(), timeout=3000)


def test_missing_script_is_reported_not_fatal(qtbot, make_window, tmp_path):
    window = make_window(specs=[parse_spec(f"file:{tmp_path / 'nope.txt'}")])
    assert window.sources.problems and "no scan script" in window.sources.problems[0]
    assert scan(qtbot, window, "ORD-10030").headline == "ORDER LOADED"


def test_settings_dialog_lists_ports_saves_sources_and_tests_a_scan(qtbot, window, monkeypatch):
    from hardware.ports import PortInfo

    monkeypatch.setattr(
        "ui.settings_dialog.list_serial_ports",
        lambda: [PortInfo("/dev/ttyACM7", "Honeywell 1900", "USB VID:PID=0C2E:0B61", 0x0C2E, 0x0B61)],
    )
    dialog = SettingsDialog(window.station.settings, window.sources, window)
    qtbot.addWidget(dialog)
    assert "/dev/ttyACM7" in dialog.port_combo.itemText(0) and "0C2E:0B61" in dialog.port_combo.itemText(0)
    dialog.baud_combo.setCurrentIndex(dialog.baud_combo.findData(115200))
    dialog.add_serial()
    assert not dialog.add_spec_text("serial:")  # a bad spec: message, not added
    assert "needs a target" in dialog.message.text()
    window.scan_interceptor = dialog.show_test_scan
    with qtbot.waitSignal(window.bridge.scan_received):
        window.sources.manual.submit("ORD-10030")
    assert "manual: ORD-10030" in dialog.test_label.text()
    assert window.service.order is None  # a test scan is not judged
    dialog.mute_box.setChecked(True)
    dialog.save()
    saved = window.station.settings.path.read_text(encoding="utf-8")
    assert "serial:/dev/ttyACM7@115200" in saved and '"muted": true' in saved


def _decode_all(path: Path) -> set[str]:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_Grayscale8)
    arr = np.array(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())[:, : image.width()]
    return {r.text for r in zxingcpp.read_barcodes(arr)}


def test_command_sheet_png_scans_back(qapp, tmp_path):
    path = write_command_sheet(tmp_path / "sheet.png")
    assert _decode_all(path) == {"CMD:SEAL", "CMD:UNDO", "CMD:CANCEL", "CMD:REPRINT"}
    assert write_command_sheet(tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match=".png or .pdf"):
        write_command_sheet(tmp_path / "sheet.txt")


def test_demo_helper_buttons_scan_a_pack_and_a_wrong_item(qtbot, make_window):
    window = make_window(demo=True)
    from ui.demo import DemoHelper

    helper = window.findChild(DemoHelper)
    assert helper is not None
    with qtbot.waitSignal(window.verdict_shown):
        helper.buttons["Order 10023 (6 lines, 39 units)"].click()
    assert window.order_label.text() == "Order 10023"
    item = next(label for label in helper.buttons if label.startswith("OFF-2001"))
    with qtbot.waitSignal(window.verdict_shown):
        helper.buttons[item].click()
    assert window.verdict_panel.headline.text() == "OK"
    wrong = next(label for label in helper.buttons if label.startswith("Wrong item"))
    with qtbot.waitSignal(window.verdict_shown):
        helper.buttons[wrong].click()
    assert window.verdict_panel.headline.text() == "WRONG ITEM"


def test_packgate_demo_kiosk_starts_full_screen_and_stops_cleanly_on_sigterm(tmp_path):
    """The real entry point in its own process (a Qt event loop that has run and quit is not something to
    leave behind in the test process): it comes up full screen with the packer, and SIGTERM closes it."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("packgate")
    proc = subprocess.Popen(
        [
            str(exe),
            "-v",
            "--demo",
            "--data-dir",
            str(tmp_path / "d"),
            "--station",
            "S9",
            "--packer",
            "P1",
            "--scanner",
            "wedge",
            "--kiosk",
            "--mute",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        up = ""
        for line in proc.stderr:
            if "packer screen up" in line:
                up = line
                break
        assert "kiosk=True" in up and "fullscreen=True" in up and "packer=P1" in up, up
        assert "title=PackGate — station S9" in up
        proc.send_signal(signal.SIGTERM)  # at once: the signal may land before the event loop runs
        _, rest = proc.communicate(timeout=30)
        assert proc.returncode == 0
        assert "packer screen closed" in rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def test_run_gui_bad_scanner_is_a_clear_error(tmp_path):
    from ui.app import run_gui
    from ui.commands import CommandError

    args = argparse.Namespace(
        demo=False, data_dir=str(tmp_path / "d"), station="S9", packer="P1", scanner=["usb:1"], kiosk=False, mute=True
    )
    with pytest.raises(CommandError, match="unknown scanner"):
        run_gui(args)


def test_a_bad_code_with_no_order_is_reported_but_blocks_nothing(make_window):
    window = make_window()
    style = window.handle_code("4006381333932")  # wrong check digit, no order on the bench
    assert style.headline == "INVALID CODE" and style.tone is not vs.Tone.BLOCKED
    assert window.service.state.value == "no_order"


def test_gs1_separators_are_shown_as_gs_not_as_empty_boxes(make_window):
    window = make_window()
    window.handle_code("ORD-10023")
    style = window.handle_code("]d20104012345678901" + "10LOT7\x1d21SN1")  # GTIN on no order, lot then serial
    assert style.headline == "UNKNOWN ITEM"
    assert "10LOT7<GS>21SN1" in style.sentence and "\x1d" not in style.sentence
    assert vs.printable_code("10ABC\x1d21X\x07") == "10ABC<GS>21X\\x07"
