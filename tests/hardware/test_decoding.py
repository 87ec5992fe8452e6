"""The camera decoding pipeline on generated, degraded barcode images, and the stability filter."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from hardware.decoding import (
    DEFAULT_FORMATS,
    DecodedCode,
    Decoder,
    StableCodeFilter,
    candidate_regions,
    check_formats,
    decode_image_file,
    ean13_from_upce,
)
from tests.imaging import blank_frame, degrade, place, render_barcode

GS = "\x1d"

# (text to render, format, expected scanner text, expected AIM symbology)
CASES = [
    ("5901234123457", "ean13", "5901234123457", "]E0"),
    ("036000291452", "upca", "0036000291452", "]E0"),  # UPC-A comes back in its 13-digit EAN form
    ("PG-ITEM-0042", "code128", "PG-ITEM-0042", "]C0"),
    ("(01)09506000134352(10)ABC123(21)XYZ", "gs1-128", f"010950600013435210ABC123{GS}21XYZ", "]C1"),
    ("https://packgate.example/o/4711", "qr", "https://packgate.example/o/4711", "]Q1"),
    ("(01)09506000134352(17)250101(10)LOT1", "gs1-datamatrix", "01095060001343521725010110LOT1", "]d2"),
]

DEGRADATIONS = [
    pytest.param(dict(rotate=6, blur=1.0, noise=8, seed=1), id="tilted"),
    pytest.param(dict(rotate=90, blur=1.2, noise=10, seed=2, contrast=0.7), id="upright-blurred-dim"),
    pytest.param(dict(rotate=180, blur=0.8, noise=12, seed=3), id="upside-down-noisy"),
]


@pytest.mark.parametrize(("text", "fmt", "expected", "symbology"), CASES, ids=[c[1] for c in CASES])
@pytest.mark.parametrize("damage", DEGRADATIONS)
def test_degraded_code_in_a_bench_frame_is_read_exactly(text, fmt, expected, symbology, damage) -> None:
    # The long GS1-128 at 2 px per module, so that it still fits the 720 px frame when upright; its
    # blur scales with the module so that every format gets the same optical damage.
    scale = 2 if fmt == "gs1-128" else 3
    damage = {**damage, "blur": damage["blur"] * scale / 3}
    patch = degrade(render_barcode(text, fmt, scale=scale), **damage)
    x, y = 250, 40
    frame = place(blank_frame(seed=damage["seed"]), patch, x, y)

    codes = Decoder().decode(frame)

    assert [(c.text, c.symbology) for c in codes] == [(expected, symbology)]
    # The outline is in frame coordinates and lies on the pasted label, for the live preview.
    xs = [p[0] for p in codes[0].polygon]
    ys = [p[1] for p in codes[0].polygon]
    assert len(codes[0].polygon) == 4
    assert x - 5 <= min(xs) and max(xs) <= x + patch.shape[1] + 5
    assert y - 5 <= min(ys) and max(ys) <= y + patch.shape[0] + 5


def test_gs1_datamatrix_keeps_gs_between_variable_fields() -> None:
    img = render_barcode("(01)09506000134352(10)LOT7(17)260101", "gs1-datamatrix")
    (code,) = Decoder().decode(img)
    assert code.text == f"010950600013435210LOT7{GS}17260101"
    assert code.symbology == "]d2"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pure_noise_and_an_empty_bench_give_no_reads(seed: int) -> None:
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, (720, 1280), dtype=np.uint8)
    assert Decoder().decode(noise) == []
    empty = blank_frame(noise=15, seed=seed)
    assert Decoder().decode(empty) == []
    # The gate finds nothing on an empty bench, so no retries are spent there.
    assert candidate_regions(cv2.cvtColor(empty, cv2.COLOR_BGR2GRAY)) == []


def test_two_codes_in_one_frame_are_both_read_with_their_own_outline() -> None:
    frame = place(blank_frame(), render_barcode("5901234123457", "ean13"), 60, 100)
    frame = place(frame, render_barcode("https://packgate.example/o/1", "qr"), 900, 300)
    codes = {c.text: c for c in Decoder().decode(frame)}
    assert set(codes) == {"5901234123457", "https://packgate.example/o/1"}
    assert max(p[0] for p in codes["5901234123457"].polygon) < 500
    assert min(p[0] for p in codes["https://packgate.example/o/1"].polygon) > 850


def test_only_enabled_formats_are_read() -> None:
    qr = render_barcode("QR-ONLY", "qr")
    assert Decoder(formats={"ean_upc"}).decode(qr) == []
    assert [c.text for c in Decoder(formats={"qr"}).decode(qr)] == ["QR-ONLY"]


def test_roi_limits_decoding_and_outline_stays_in_frame_coordinates() -> None:
    frame = place(blank_frame(), render_barcode("5901234123457", "ean13"), 700, 300)
    assert Decoder(roi=(0, 0, 600, 720)).decode(frame) == []
    (code,) = Decoder(roi=(640, 240, 640, 480)).decode(frame)
    assert min(p[0] for p in code.polygon) >= 700


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(formats={"ean_upc", "maxicode"}), "unknown barcode format(s): maxicode"),
        (dict(formats=set()), "at least one barcode format"),
        (dict(roi=(0, 0, 0, 10)), "region of interest"),
    ],
)
def test_bad_settings_get_a_clear_message(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Decoder(**kwargs)


def test_defaults_are_the_site_formats_of_the_issue() -> None:
    assert DEFAULT_FORMATS == {"ean_upc", "code128", "databar", "datamatrix", "qr"}
    assert check_formats([" QR ", "ean_upc"]) == {"qr", "ean_upc"}


def test_bad_images_are_refused_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="image must be a non-empty numpy array"):
        Decoder().decode(np.zeros((0, 0), np.uint8))
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"not a png at all")
    with pytest.raises(ValueError, match="cannot read image: .*garbage.png"):
        decode_image_file(garbage)
    with pytest.raises(ValueError, match="cannot read image: .*missing.png"):
        decode_image_file(tmp_path / "missing.png")


def test_decode_image_file_reads_a_photo_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "label.png"
    cv2.imwrite(str(path), degrade(render_barcode("(01)09506000134352(10)ABC123(21)XYZ", "gs1-128"), blur=0.8))
    assert [(c.text, c.symbology) for c in decode_image_file(path)] == [(f"010950600013435210ABC123{GS}21XYZ", "]C1")]


@pytest.mark.parametrize(
    ("upce", "ean13"),
    [("01234565", "0012345000065"), ("04252614", "0042100005264"), ("01234531", "0012300000451"), ("0123", "0123")],
)
def test_upce_expands_to_the_form_zxing_reports(upce: str, ean13: str) -> None:
    assert ean13_from_upce(upce) == ean13


# --- StableCodeFilter ----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def code(text: str) -> DecodedCode:
    return DecodedCode(text, "]E0", ((0, 0), (1, 0), (1, 1), (0, 1)), "test")


def feed_frames(flt: StableCodeFilter, clock: FakeClock, frames: list[list[str]], dt: float = 0.05) -> list[str]:
    out = []
    for texts in frames:
        clock.now += dt
        out += [c.text for c in flt.feed([code(t) for t in texts])]
    return out


def test_single_frame_flicker_is_not_a_scan() -> None:
    clock = FakeClock()
    flt = StableCodeFilter(clock=clock)
    assert feed_frames(flt, clock, [["4006381333931"], [], [], ["4006381333931"], [], []]) == []


def test_item_in_view_counts_once_and_again_when_presented_again() -> None:
    clock = FakeClock()
    flt = StableCodeFilter(seen_needed=2, window=3, dedupe_s=0.5, clock=clock)
    a = "4006381333931"
    # In view for 40 frames (with a missed decode now and then): one scan, on the 2nd sighting.
    held = [[a] if i % 7 else [] for i in range(1, 41)]
    assert feed_frames(flt, clock, held) == [a]
    # A short drop-out (hand moves, 0.2 s) is not a new unit ...
    assert feed_frames(flt, clock, [[]] * 4 + [[a]] * 3) == []
    # ... leaving for longer than the dedupe window and coming back is the second unit.
    assert feed_frames(flt, clock, [[]] * 12 + [[a]] * 3) == [a]


def test_two_codes_in_one_frame_count_once_each() -> None:
    clock = FakeClock()
    flt = StableCodeFilter(clock=clock)
    frames = [["A", "B"], ["A", "B", "B"], ["A", "B"], ["B", "A"]]
    assert sorted(feed_frames(flt, clock, frames)) == ["A", "B"]


def test_filter_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="seen_needed"):
        StableCodeFilter(seen_needed=4, window=3)
