"""Scripted and manual scan sources."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hardware.scanning import DeviceState
from hardware.simulated import (
    CollectingListener,
    ManualScanner,
    ScriptedScanner,
    ScriptError,
    expand_gs_tokens,
    parse_script,
)

SCRIPT = """\
# demo order 4711
@delay 0
4006381333931
]d2010950123456789217250101<GS>10ABC
  0012345678905\t0.05

]C1010950123456789217250101\\x1d10XYZ
"""


def test_parse_script_understands_comments_delays_tabs_and_gs() -> None:
    steps = parse_script(SCRIPT.splitlines(), name="demo.txt", default_delay_s=1.0)
    assert [(s.code, s.symbology, s.delay_s, s.line_no) for s in steps] == [
        ("4006381333931", None, 0.0, 3),
        ("010950123456789217250101\x1d10ABC", "]d2", 0.0, 4),
        ("0012345678905", None, 0.05, 5),
        ("010950123456789217250101\x1d10XYZ", "]C1", 0.0, 7),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("@delay soon", "demo.txt:2: delay 'soon' is not a number of seconds"),
        ("@delay -1", "demo.txt:2: delay -1.0 s is outside 0..3600"),
        ("@wait 1", "demo.txt:2: unknown directive '@wait 1'"),
        ("ABC\tlater", "demo.txt:2: delay 'later' is not a number of seconds"),
        ("AB\x07C", "demo.txt:2: control character 0x07 at position 2"),
        ("]E0", "demo.txt:2: AIM prefix ]E0 without data"),
    ],
)
def test_bad_script_lines_name_the_line(line: str, message: str) -> None:
    with pytest.raises(ScriptError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_script(["4006381333931", line], name="demo.txt")


def test_scripted_scanner_plays_a_file_in_order_then_stops(tmp_path: Path) -> None:
    script = tmp_path / "order-4711.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    listener = CollectingListener()
    scanner = ScriptedScanner(script, listener)
    scanner.start()
    try:
        assert listener.wait_for_state(DeviceState.STOPPED)
    finally:
        assert scanner.stop()
    assert listener.codes == [step.code for step in scanner.steps]
    assert {scan.source for scan in listener.scans} == {"file:order-4711.txt"}
    assert listener.states[0][1] is DeviceState.CONNECTED
    assert listener.states[-1] == ("file:order-4711.txt", DeviceState.STOPPED, "end of script")


def test_scripted_scanner_waits_the_scripted_delay() -> None:
    listener = CollectingListener()
    scanner = ScriptedScanner(["A-1\t0", "B-2\t0.2"], listener, name="timed")
    scanner.start()
    try:
        assert listener.wait_for_scans(2)
    finally:
        assert scanner.stop()
    gap = (listener.scans[1].received_at - listener.scans[0].received_at).total_seconds()
    assert 0.15 <= gap < 1.0


def test_stop_cuts_a_long_delay_short() -> None:
    listener = CollectingListener()
    scanner = ScriptedScanner(["FIRST\t0", "NEVER\t30"], listener, repeat=True)
    scanner.start()
    assert listener.wait_for_scans(1)
    began = time.monotonic()
    assert scanner.stop()
    assert time.monotonic() - began < 1.0
    assert listener.codes == ["FIRST"]
    assert listener.states[-1][1:] == (DeviceState.STOPPED, "stopped")


def test_missing_or_undecodable_script_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="cannot read scan script"):
        ScriptedScanner(tmp_path / "nope.txt", CollectingListener())
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"\xfcberkarton\n")
    with pytest.raises(ScriptError, match="cannot read scan script"):
        ScriptedScanner(latin1, CollectingListener())


def test_manual_submit_reports_scans_and_rejections() -> None:
    listener = CollectingListener()
    manual = ManualScanner(listener)
    scan = manual.submit("  ]C1010950123456789217250101<GS>10ABC \n")
    assert scan is not None
    assert (scan.code, scan.symbology, scan.source) == ("010950123456789217250101\x1d10ABC", "]C1", "manual")
    assert listener.scans == [scan]

    assert manual.submit("   ") is None
    assert manual.submit("AB\x1bC") is None
    assert [(src, reason) for src, reason, _raw in listener.rejections] == [
        ("manual", "empty code"),
        ("manual", "control character 0x1B at position 2"),
    ]


def test_expand_gs_tokens() -> None:
    assert expand_gs_tokens("01<GS>10\\x1d21\x1d") == "01\x1d10\x1d21\x1d"
