"""A code holding a control character is refused with the same reason whatever brought it: the serial line
parser's ("control character 0x00 at position 4"). A QR code or a DataMatrix can carry NUL; the camera used
to hand it on as a scan. GS (0x1D) stays legal everywhere: GS1 needs it between variable-length fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.camera import CameraScanner
from hardware.code_text import code_problem
from hardware.decoding import StableCodeFilter
from hardware.scanning import DeviceState
from hardware.serial_scanner import SerialScanner
from hardware.simulated import CollectingListener, ManualScanner, ScriptedScanner, ScriptError
from tests.hardware.test_serial_scanner import PtyScanner
from tests.imaging import blank_frame, place, render_barcode, write_video

NUL_CODE = "4006\x0081333931"
REASON = "control character 0x00 at position 4"
GS1_WITH_GS = "010950123456789217250101\x1d10ABC"


def test_camera_symbol_holding_nul_is_rejected_like_a_serial_line(tmp_path: Path) -> None:
    empty = [blank_frame(seed=i) for i in range(3)]
    nul_qr = render_barcode(NUL_CODE, "qr", scale=6)
    gs1 = render_barcode("(01)09506000134352(10)ABC123(21)XYZ", "gs1-datamatrix", scale=6)
    frames = empty + [place(empty[i % 3], nul_qr, 300, 200) for i in range(6)] + empty
    frames += [place(empty[i % 3], gs1, 500, 200) for i in range(6)] + empty
    video = write_video(tmp_path / "nul.avi", frames, 20.0)
    listener = CollectingListener()
    cam = CameraScanner(str(video), listener, stable_filter=StableCodeFilter(seen_needed=2, window=3, dedupe_s=5))
    try:
        cam.start()
        assert listener.wait_for_state(DeviceState.STOPPED, timeout=15), listener.states
    finally:
        cam.stop()
    assert [(source, reason) for source, reason, _raw in listener.rejections] == [(f"camera:{video}", REASON)]
    assert listener.rejections[0][2] == NUL_CODE.encode()
    assert listener.codes == ["010950600013435210ABC123\x1d21XYZ"]  # the GS1 DataMatrix, its GS kept
    assert cam.stats.rejected == 1 and cam.stats.scans == 1


def test_serial_line_holding_nul_over_a_real_pty(tmp_path: Path) -> None:
    device = PtyScanner(tmp_path / "ttyACM0")
    device.plug()
    listener = CollectingListener()
    scanner = SerialScanner(str(device.link), listener)
    try:
        scanner.start()
        assert listener.wait_for_state(DeviceState.CONNECTED)
        device.write(NUL_CODE.encode() + b"\r]C1" + GS1_WITH_GS.encode() + b"\r")
        assert listener.wait_for_scans(1) and listener.wait_for_rejections(1)
    finally:
        assert scanner.stop()
        device.close()
    assert [reason for _s, reason, _r in listener.rejections] == [REASON]
    assert listener.codes == [GS1_WITH_GS]


def test_typed_code_holding_nul() -> None:
    listener = CollectingListener()
    manual = ManualScanner(listener)
    assert manual.submit(NUL_CODE) is None
    assert manual.submit(GS1_WITH_GS.replace("\x1d", "<GS>")) is not None
    assert [(s, reason) for s, reason, _r in listener.rejections] == [("manual", REASON)]
    assert listener.codes == [GS1_WITH_GS]


def test_scripted_code_holding_nul_names_the_line_and_the_reason() -> None:
    assert ScriptedScanner([GS1_WITH_GS], CollectingListener()).steps[0].code == GS1_WITH_GS
    with pytest.raises(ScriptError, match=f"script:2: {REASON}"):
        ScriptedScanner(["@delay 0", NUL_CODE], CollectingListener())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (NUL_CODE, REASON),
        ("\x1b[2J" + "4006381333931", "control character 0x1B at position 0"),
        ("AB\u0085C", "control character 0x85 at position 2"),
        ("A\ud800B", "undecodable character U+D800 at position 1"),
        ("", "empty code"),
        ("9" * 2049, "overlong code (more than 2048 bytes)"),
        ("\u00e9" * 1025, "overlong code (more than 2048 bytes)"),  # 1 025 characters, 2 050 bytes
        (GS1_WITH_GS, None),
        ("https://example.com/p?id=7", None),
    ],
)
def test_one_check_for_decoded_text(text: str, reason: str | None) -> None:
    assert code_problem(text) == reason
