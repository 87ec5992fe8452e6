"""The serial scanner: the pure line parser, the framer, and the threaded reader over a real pty pair."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.scanning import DeviceState, Scan
from hardware.serial_scanner import LineFramer, Rejection, SerialScanner, parse_scanner_line
from hardware.simulated import CollectingListener
from tests.hardware.pty_pair import PtyDevice

# ---------------------------------------------------------------- parse_scanner_line (captured lines)

ACCEPTED = [
    # raw line as read from the port                              code                         symbology
    (b"4006381333931\r", "4006381333931", None),
    (b"4006381333931\r\n", "4006381333931", None),
    (b"4006381333931\n", "4006381333931", None),
    (b"\n4006381333931\r", "4006381333931", None),  # LF left over from a CRLF split on CR
    (b"]E04006381333931\r", "4006381333931", "]E0"),
    (b"]C1010950123456789217250101\x1d10ABC123\r", "010950123456789217250101\x1d10ABC123", "]C1"),
    (b"]d2010950123456789217250101\x1d10ABC\r", "010950123456789217250101\x1d10ABC", "]d2"),
    (b"]Q1https://example.com/p?id=7\r", "https://example.com/p?id=7", "]Q1"),
    ("Überkarton-7\r".encode(), "Überkarton-7", None),
    (b"SKU 12 34\r", "SKU 12 34", None),
]


@pytest.mark.parametrize(("raw", "code", "symbology"), ACCEPTED)
def test_parse_accepts_captured_lines(raw: bytes, code: str, symbology: str | None) -> None:
    result = parse_scanner_line(raw, source="serial:/dev/ttyACM0")
    assert isinstance(result, Scan), result
    assert (result.code, result.symbology, result.source) == (code, symbology, "serial:/dev/ttyACM0")


REJECTED = [
    (b"", "empty line"),
    (b"\r", "bare terminator"),
    (b"\r\n", "bare terminator"),
    (b"\xff\xfe\x00garbage\r", "invalid UTF-8 at byte 0"),
    (b"4006\xc3(381\r", "invalid UTF-8 at byte 4"),
    (b"40063\x0081333931\r", "control character 0x00 at position 5"),
    (b"\x1b[2J4006381333931\r", "control character 0x1B at position 0"),
    (b"ABC\x7fDEF\r", "control character 0x7F at position 3"),
    ("AB\u0085C\r".encode(), "control character 0x85 at position 2"),  # C1 control, valid UTF-8
    (b"]E0\r", "AIM prefix ]E0 without data"),
    (b"]!!12345\r", "malformed AIM symbology prefix"),
    (b"9" * 2049 + b"\r", "overlong line (more than 2048 bytes)"),
]


@pytest.mark.parametrize(("raw", "reason"), REJECTED)
def test_parse_rejects_garbage_with_a_reason(raw: bytes, reason: str) -> None:
    result = parse_scanner_line(raw)
    assert result == Rejection(reason, raw)


def test_parse_keeps_aim_text_verbatim_when_aim_is_off() -> None:
    result = parse_scanner_line(b"]E04006381333931\r", aim=False)
    assert isinstance(result, Scan)
    assert (result.code, result.symbology) == ("]E04006381333931", None)


# ---------------------------------------------------------------- LineFramer


def test_framer_accepts_cr_lf_and_crlf_even_split_across_reads() -> None:
    framer = LineFramer()
    lines = framer.feed(b"AAA\rBBB\r")
    lines += framer.feed(b"\nCCC\nDD")
    lines += framer.feed(b"D\r\n\r\n")
    assert lines == [b"AAA\r", b"BBB\r", b"CCC\n", b"DDD\r", b"\r"]
    # the final CRLF after DDD's CRLF is a bare terminator: framed, and the parser rejects it
    assert parse_scanner_line(lines[-1]) == Rejection("bare terminator", b"\r")


def test_framer_with_explicit_terminator_and_bounded_memory() -> None:
    framer = LineFramer(terminator=b"\t", max_len=8)
    assert framer.feed(b"A\rB\tC") == [b"A\rB\t"]
    lines = framer.feed(b"X" * 100 + b"\tOK\t")
    assert lines[0] == b"C" + b"X" * 8 + b"\t"  # kept max_len + 1 bytes, the rest dropped
    assert parse_scanner_line(lines[0], max_len=8) == Rejection("overlong line (more than 8 bytes)", lines[0])
    assert lines[1] == b"OK\t"
    assert framer.dropped_bytes == 93  # 92 X beyond the cap, and the tab that ended that line
    assert framer.flush() == b""


# ---------------------------------------------------------------- SerialScanner: URLs and settings


def test_loop_url_opens_and_stops_cleanly() -> None:
    """A pyserial URL is accepted like a path; the thread is named after the source and ends on stop."""
    listener = CollectingListener()
    scanner = SerialScanner("loop://", listener, baudrate=115200)
    scanner.start()
    try:
        assert listener.wait_for_state(DeviceState.CONNECTED)
        assert scanner.state is DeviceState.CONNECTED
        assert "scanner-serial:loop://" in {t.name for t in threading.enumerate()}
    finally:
        assert scanner.stop()
    assert not scanner.is_running
    assert listener.state_values == [DeviceState.CONNECTING, DeviceState.CONNECTED, DeviceState.STOPPED]


def test_unknown_url_scheme_stops_with_a_clear_reason() -> None:
    listener = CollectingListener()
    scanner = SerialScanner("nosuch://x", listener)
    scanner.start()
    try:
        assert listener.wait_for_state(DeviceState.STOPPED)
    finally:
        assert scanner.stop()
    assert "invalid port settings" in listener.states[-1][2]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"port": ""}, "needs a port"),
        ({"port": "loop://", "baudrate": 0}, "baud rate must be positive"),
        ({"port": "loop://", "reconnect_initial_s": 2.0, "reconnect_max_s": 1.0}, "reconnect_initial_s"),
    ],
)
def test_bad_settings_are_refused_at_construction(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SerialScanner(listener=CollectingListener(), **kwargs)


# ---------------------------------------------------------------- SerialScanner over a real pty pair


PtyScanner = PtyDevice


@pytest.fixture
def pty_scanner(tmp_path: Path) -> Iterator[PtyScanner]:
    device = PtyScanner(tmp_path / "ttyACM0")
    yield device
    device.close()


@pytest.fixture
def started() -> Iterator[list[SerialScanner]]:
    """Scanners a test starts; every one is stopped (and its thread joined) at teardown."""
    scanners: list[SerialScanner] = []
    yield scanners
    for scanner in scanners:
        assert scanner.stop(), f"{scanner.source} thread did not end"


def test_pty_scans_survive_unplug_and_replug_in_order(pty_scanner: PtyScanner, started: list[SerialScanner]) -> None:
    listener = CollectingListener()
    pty_scanner.plug()
    scanner = SerialScanner(str(pty_scanner.link), listener, reconnect_initial_s=0.05, reconnect_max_s=0.2)
    started.append(scanner)
    scanner.start()
    assert listener.wait_for_state(DeviceState.CONNECTED)

    pty_scanner.write(b"4006381333931\r]E00012345678905\r\nPART")
    assert listener.wait_for_scans(2)

    pty_scanner.unplug()
    assert listener.wait_for_state(DeviceState.DISCONNECTED)
    assert listener.wait_for_rejections(1)
    assert listener.rejections[0][1:] == ("partial line discarded: device disconnected", b"PART")
    assert scanner.state is DeviceState.DISCONNECTED

    pty_scanner.plug()
    assert listener.wait_for_state(DeviceState.CONNECTED, occurrence=2)
    pty_scanner.write(b"]C1010950123456789217250101\x1d10ABC\r")
    assert listener.wait_for_scans(3)

    assert scanner.stop()
    assert listener.codes == ["4006381333931", "0012345678905", "010950123456789217250101\x1d10ABC"]
    assert [scan.symbology for scan in listener.scans] == [None, "]E0", "]C1"]
    assert {scan.source for scan in listener.scans} == {f"serial:{pty_scanner.link}"}
    assert listener.state_values == [
        DeviceState.CONNECTING,
        DeviceState.CONNECTED,
        DeviceState.DISCONNECTED,
        DeviceState.CONNECTED,
        DeviceState.STOPPED,
    ]


def test_pty_scanner_plugged_in_after_start_connects(pty_scanner: PtyScanner, started: list[SerialScanner]) -> None:
    listener = CollectingListener()
    scanner = SerialScanner(str(pty_scanner.link), listener, reconnect_initial_s=0.05, reconnect_max_s=0.1)
    started.append(scanner)
    scanner.start()
    assert listener.wait_for_state(DeviceState.DISCONNECTED)
    assert "cannot open" in listener.states[-1][2]
    pty_scanner.plug()
    assert listener.wait_for_state(DeviceState.CONNECTED)
    pty_scanner.write(b"ABC-123\n")
    assert listener.wait_for_scans(1)
    assert listener.codes == ["ABC-123"]


def test_pty_garbage_is_rejected_and_reading_goes_on(
    pty_scanner: PtyScanner, started: list[SerialScanner], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="wire.scanner")
    listener = CollectingListener()
    pty_scanner.plug()
    scanner = SerialScanner(str(pty_scanner.link), listener, max_line_bytes=64)
    started.append(scanner)
    scanner.start()
    assert listener.wait_for_state(DeviceState.CONNECTED)

    pty_scanner.write(b"\xff\xfe\x80\r\r\n\x00\x01\x02\r" + b"7" * 500 + b"\rGOOD-1\r")
    assert listener.wait_for_scans(1)
    assert listener.codes == ["GOOD-1"]
    assert [reason for _src, reason, _raw in listener.rejections] == [
        "invalid UTF-8 at byte 0",
        "bare terminator",
        "control character 0x00 at position 0",
        "overlong line (more than 64 bytes)",
    ]
    assert scanner.state is DeviceState.CONNECTED
    assert any("rx" in r.getMessage() and r.name == "wire.scanner" for r in caplog.records)


def test_stop_during_reconnect_backoff_is_prompt(tmp_path: Path, started: list[SerialScanner]) -> None:
    listener = CollectingListener()
    scanner = SerialScanner(str(tmp_path / "absent"), listener, reconnect_initial_s=5.0, reconnect_max_s=5.0)
    started.append(scanner)
    scanner.start()
    assert listener.wait_for_state(DeviceState.DISCONNECTED)
    started_at = time.monotonic()
    assert scanner.stop(timeout=2.0)
    assert time.monotonic() - started_at < 1.0  # the 5 s backoff sleep was cut short
    assert listener.state_values[-1] is DeviceState.STOPPED


def test_a_failing_listener_does_not_kill_the_reader(
    pty_scanner: PtyScanner, started: list[SerialScanner], caplog: pytest.LogCaptureFixture
) -> None:
    class Grumpy(CollectingListener):
        def scan_received(self, scan: Scan) -> None:
            super().scan_received(scan)
            if scan.code == "BOOM":
                raise RuntimeError("consumer bug")

    listener = Grumpy()
    pty_scanner.plug()
    scanner = SerialScanner(str(pty_scanner.link), listener)
    started.append(scanner)
    scanner.start()
    assert listener.wait_for_state(DeviceState.CONNECTED)
    pty_scanner.write(b"BOOM\rAFTER\r")
    assert listener.wait_for_scans(2)
    assert listener.codes == ["BOOM", "AFTER"]
    assert any("listener scan_received failed" in r.getMessage() for r in caplog.records)
