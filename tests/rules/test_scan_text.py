"""The one scanner-text vocabulary (rules.scan_text): GS, the UPC-E expander, the decoder-name → AIM table.

Pinned here because three layers read through it: the camera decoders (13-digit EAN form of a UPC-E, AIM
ids for pyzbar/OpenCV names), the serial/wedge scanners (GS) and the station's scan parser (12-digit UPC-A,
decoder-name hints)."""

from __future__ import annotations

import pytest

import hardware.code_text
import hardware.decoding
import station.barcodes
import station.limits
from hardware.decoding import ean13_from_upce
from rules.scan_text import DECODER_AIM, GS, aim_for_decoder, expand_upce, is_upce_shape
from station.barcodes import InvalidCode, parse_scan

# (UPC-E, UPC-A): one per zero-suppression pattern, both number systems (GS1 General Specifications).
KNOWN = [
    ("01234565", "012345000065"),  # last digit 5..9: manufacturer 5 digits, item = last digit
    ("04252614", "042100005264"),  # last digit 0..2
    ("06371207", "063000007127"),  # NS 0, last digit 0
    ("05739264", "057392000064"),  # last digit 4
    ("01241745", "012410000075"),  # last digit 5
    ("18865400", "188000006540"),  # number system 1
    ("13425913", "134100002593"),  # number system 1, last digit 1
    ("13871244", "138710000024"),  # number system 1, last digit 4
]


@pytest.mark.parametrize(("upce", "upca"), KNOWN)
def test_one_expander_gives_the_upc_a_and_both_layers_use_it(upce: str, upca: str) -> None:
    assert expand_upce(upce) == upca
    assert station.barcodes.expand_upce(upce) == upca  # the station: 12-digit UPC-A, check verified
    assert ean13_from_upce(upce) == "0" + upca  # the camera: zxing-cpp's 13-digit EAN form
    # ...and the two forms are the same product at the bench.
    assert parse_scan("0" + upca, "]E0").match_key == parse_scan(upce, "UPC-E").match_key == "00" + upca


def test_a_wrong_check_digit_is_carried_by_the_decoder_and_refused_by_the_station() -> None:
    assert expand_upce("01234532") == "012300000452"
    assert ean13_from_upce("01234532") == "0012300000452"  # the decoder reports what it read
    with pytest.raises(InvalidCode, match="UPC-E check digit is 2, expected 1"):
        station.barcodes.expand_upce("01234532")
    with pytest.raises(InvalidCode):
        parse_scan(ean13_from_upce("01234532"), "]E0")


@pytest.mark.parametrize("bad", ["21234565", "1234565", "0123456a", "", "012345678", "０1234565"])
def test_only_8_digit_number_system_0_or_1_is_a_upc_e(bad: str) -> None:
    assert not is_upce_shape(bad)
    with pytest.raises(ValueError):
        expand_upce(bad)
    assert ean13_from_upce(bad) == bad  # not a UPC-E: the decoder's text passes through


@pytest.mark.parametrize(
    ("name", "aim"),
    [
        ("UPCE", "]E0"),
        ("UPC-E", "]E0"),
        ("UPC_A", "]E0"),
        ("EAN-13", "]E0"),
        ("EAN_8", "]E4"),
        ("EAN8", "]E4"),
        ("DATABAR_EXP", "]e0"),
        ("DataBar", "]e0"),
        ("ITF14", "]I1"),
        ("CODE128", None),
        ("QRCODE", None),
        ("UPC_EAN_EXTENSION", None),
        ("", None),
    ],
)
def test_decoder_names_map_to_aim_only_where_the_name_leaves_no_doubt(name: str, aim: str | None) -> None:
    assert aim_for_decoder(name) == aim


def test_the_table_only_holds_aim_identifiers() -> None:
    assert all(key.isalnum() and key.isupper() for key in DECODER_AIM)
    assert all(len(aim) == 3 and aim[0] == "]" for aim in DECODER_AIM.values())


def test_one_group_separator_everywhere() -> None:
    assert GS == "\x1d" == chr(29)
    assert station.barcodes.GS is GS and station.limits.GS is GS
    assert hardware.code_text.GS is GS and hardware.decoding.GS is GS
