"""Barcode rules: GTIN check digits, UPC-E, GS1 element strings, commands, garbage.

Property tests (hypothesis) generate codes from first principles -- the mod-10 weights and the UPC-E
table are re-stated here independently of biip -- so the module cannot pass by agreeing with itself.
"""

from __future__ import annotations

import calendar
import datetime
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station import barcodes
from station.barcodes import (
    CodeKind,
    InvalidCode,
    expand_upce,
    gtin_check_digit,
    is_ambiguous_8_digit,
    is_valid_gtin,
    match_key,
    parse_scan,
    to_gtin14,
)

GS = "\x1d"
DIGITS = "0123456789"


def reference_check_digit(body: str) -> int:
    """GS1 mod-10 restated: weights 3,1,3,... from the rightmost body digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def with_check(body: str) -> str:
    return body + str(reference_check_digit(body))


def bodies(length: int) -> st.SearchStrategy[str]:
    # Leading digit 1-9 keeps the all-zero number (rejected on purpose) out of the generator.
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from("123456789"),
        st.text(DIGITS, min_size=length - 1, max_size=length - 1),
    )


# ---------------------------------------------------------------------------------------------------
# Check digits


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("4006381333931", True),  # EAN-13 on a Stabilo pen, the textbook example
        ("036000291452", True),  # UPC-A (Wikipedia)
        ("96385074", True),  # EAN-8 (Wikipedia)
        ("14006381333938", True),  # GTIN-14, packaging indicator 1
        ("4006381333932", False),
        ("400638133393", False),  # 12 digits, wrong check
        ("4006381333931 ", False),  # surrounding space is the scanner layer's job
        ("40063813339310", False),
        ("4006381a33931", False),
        ("١٢٣٤٥٦٧٨", False),  # Arabic-Indic digits are str.isdigit() but not a barcode
        ("00000000", False),
        ("", False),
    ],
)
def test_is_valid_gtin_examples(code: str, ok: bool) -> None:
    assert is_valid_gtin(code) is ok


@given(st.sampled_from([7, 11, 12, 13]).flatmap(bodies))
def test_check_digit_round_trip(body: str) -> None:
    digit = gtin_check_digit(body)
    assert digit == reference_check_digit(body)
    assert is_valid_gtin(body + str(digit))
    assert not is_valid_gtin(body + str((digit + 1) % 10))


@given(
    st.sampled_from([8, 12, 13, 14]).flatmap(lambda n: bodies(n - 1)).map(with_check),
    st.data(),
)
def test_any_single_digit_change_is_detected(code: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(code) - 1))
    new_digit = data.draw(st.sampled_from([d for d in DIGITS if d != code[position]]))
    changed = code[:position] + new_digit + code[position + 1 :]
    assert not is_valid_gtin(changed)
    if len(code) != 8:  # 8 digits may legitimately be re-read as UPC-E; covered separately
        with pytest.raises(InvalidCode, match="check digit|all-zero"):
            parse_scan(changed)


def test_gtin_check_digit_rejects_non_digits() -> None:
    with pytest.raises(InvalidCode):
        gtin_check_digit("12a4")
    with pytest.raises(InvalidCode):
        gtin_check_digit("")


def test_wrong_check_digit_reason_names_both_digits() -> None:
    with pytest.raises(InvalidCode) as info:
        parse_scan("4006381333932")
    assert str(info.value) == "check digit is 2, expected 1"
    assert info.value.code == "4006381333932"


# ---------------------------------------------------------------------------------------------------
# One product, one key


@given(bodies(11).map(with_check))
def test_upc_a_ean13_gtin14_share_a_match_key(upc_a: str) -> None:
    keys = {
        parse_scan(upc_a).match_key,
        parse_scan("0" + upc_a).match_key,
        parse_scan("00" + upc_a).match_key,
        parse_scan("]E0" + upc_a).match_key,
        parse_scan(f"(01)00{upc_a}").match_key,
        match_key(upc_a),
        to_gtin14(upc_a),
    }
    assert keys == {"00" + upc_a}


def test_case_pack_gtin14_is_a_different_key_from_its_unit() -> None:
    assert match_key("4006381333931") != match_key("14006381333938")


def test_to_gtin14_rejects_bad_codes() -> None:
    with pytest.raises(InvalidCode, match="8, 12, 13 or 14 digits"):
        to_gtin14("12345")
    with pytest.raises(InvalidCode, match="check digit"):
        to_gtin14("4006381333932")


# ---------------------------------------------------------------------------------------------------
# UPC-E

# Independent table: the two Wikipedia examples plus one pair per number system x last digit,
# expanded by hand from the UPC-E suppression table (GS1 General Specifications 5.2.2.4.2).
UPCE_PAIRS = [
    ("01234565", "012345000065"),
    ("04252614", "042100005264"),
    ("06371207", "063000007127"),
    ("09261918", "092100006198"),
    ("04127727", "041200002777"),
    ("02429734", "024200000974"),
    ("01241745", "012410000075"),
    ("01419351", "014193000051"),
    ("05739264", "057392000064"),
    ("05932474", "059324000074"),
    ("06292188", "062921000088"),
    ("04897699", "048976000099"),
    ("18865400", "188000006540"),
    ("13425913", "134100002593"),
    ("18685224", "186200008524"),
    ("12973630", "129700000360"),
    ("13871244", "138710000024"),
    ("19666853", "196668000053"),
    ("18225860", "182258000060"),
    ("12158577", "121585000077"),
    ("17618687", "176186000087"),
    ("13281496", "132814000096"),
]


def test_upce_table_covers_every_pattern() -> None:
    patterns = {(upce[0], upce[6]) for upce, _ in UPCE_PAIRS}
    assert patterns == {(ns, d) for ns in "01" for d in DIGITS}


@pytest.mark.parametrize(("upce", "upca"), UPCE_PAIRS)
def test_expand_upce_known_pairs(upce: str, upca: str) -> None:
    assert expand_upce(upce) == upca
    assert parse_scan("]E0" + upce).match_key == "00" + upca
    assert parse_scan(upce, "UPC-E").match_key == "00" + upca


def reference_upce_expansion(upce7: str) -> str:
    """Number system + 6 data digits -> the 11-digit UPC-A body (no check digit)."""
    ns, x, last = upce7[0], upce7[1:7], upce7[6]
    templates = {
        **dict.fromkeys("012", "{ns}{x[0]}{x[1]}{last}0000{x[2]}{x[3]}{x[4]}"),
        "3": "{ns}{x[0]}{x[1]}{x[2]}00000{x[3]}{x[4]}",
        "4": "{ns}{x[0]}{x[1]}{x[2]}{x[3]}00000{x[4]}",
        **dict.fromkeys("56789", "{ns}{x[0]}{x[1]}{x[2]}{x[3]}{x[4]}0000{last}"),
    }
    return templates[last].format(ns=ns, x=x, last=last)


@given(st.sampled_from("01"), st.text(DIGITS, min_size=6, max_size=6))
def test_expand_upce_matches_reference(ns: str, data: str) -> None:
    body = reference_upce_expansion(ns + data)
    check = str(reference_check_digit(body))
    assert expand_upce(ns + data + check) == body + check
    wrong = str((int(check) + 3) % 10)
    with pytest.raises(InvalidCode, match="check digit"):
        expand_upce(ns + data + wrong)


@pytest.mark.parametrize("bad", ["21234565", "1234565", "0123456a", ""])
def test_expand_upce_rejects(bad: str) -> None:
    with pytest.raises(InvalidCode):
        expand_upce(bad)


def test_eight_digits_without_hint_prefer_ean8_then_upce() -> None:
    assert parse_scan("96385074").match_key == "00000096385074"  # valid EAN-8 only
    # 01234565 is a valid EAN-8 *and* a valid UPC-E: without a hint it is read as EAN-8 ...
    assert is_ambiguous_8_digit("01234565")
    assert parse_scan("01234565").match_key == "00000001234565"
    # ... and with a hint (AIM ]E0 or a decoder name) as UPC-E.
    assert parse_scan("01234565", "]E0").match_key == "00012345000065"
    assert parse_scan("01234565", "upce").match_key == "00012345000065"
    assert parse_scan("01234565", "]E0").symbology == "]E0"
    # 04252614 fails the EAN-8 check but is a valid UPC-E.
    assert not is_valid_gtin("04252614")
    assert not is_ambiguous_8_digit("04252614")
    assert parse_scan("04252614").match_key == "00042100005264"
    # Neither.
    with pytest.raises(InvalidCode, match="EAN-8.*nor UPC-E"):
        parse_scan("12345678")


def test_ean8_aim_forces_gtin8() -> None:
    assert parse_scan("]E401234565").match_key == "00000001234565"
    with pytest.raises(InvalidCode, match="EAN-8 symbol has 8 digits"):
        parse_scan("]E44006381333931")


def test_ean_symbology_rejects_text_and_odd_lengths() -> None:
    with pytest.raises(InvalidCode, match="digits only"):
        parse_scan("]E0SKU-1")
    with pytest.raises(InvalidCode, match="8, 12 or 13 digits"):
        parse_scan("]E01234567890")


def test_ean13_with_add_on_keeps_the_main_symbol() -> None:
    assert parse_scan("]E3400638133393112").match_key == "04006381333931"
    assert parse_scan("]E3400638133393112345").match_key == "04006381333931"


# ---------------------------------------------------------------------------------------------------
# GS1 element strings

lots = st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcxyz0123456789-./", min_size=1, max_size=20)
expiries = st.dates(datetime.date(2001, 1, 1), datetime.date(2070, 12, 31))


def gs1_raw(gtin14: str, expiry: datetime.date, day00: bool, lot: str, serial: str) -> str:
    day = "00" if day00 else f"{expiry.day:02d}"
    # Fixed-length AIs first, variable-length ones GS-terminated except the last (GS1 spec 7.8.6).
    return f"01{gtin14}17{expiry:%y%m}{day}10{lot}{GS}21{serial}"


def expected_expiry(expiry: datetime.date, day00: bool) -> datetime.date:
    if not day00:
        return expiry
    return expiry.replace(day=calendar.monthrange(expiry.year, expiry.month)[1])


@settings(max_examples=60)
@given(
    bodies(13).map(with_check),
    expiries,
    st.booleans(),
    lots,
    lots,
    st.sampled_from(["", "]C1", "]d2", "]Q3", "]e0", GS]),
)
def test_gs1_round_trip(gtin14: str, expiry: datetime.date, day00: bool, lot: str, serial: str, prefix: str) -> None:
    raw = prefix + gs1_raw(gtin14, expiry, day00, lot, serial)
    parsed = parse_scan(raw)
    assert parsed.kind is CodeKind.GS1
    assert (parsed.gtin, parsed.lot, parsed.serial) == (gtin14, lot, serial)
    assert parsed.expiry == expected_expiry(expiry, day00)
    assert parsed.match_key == gtin14
    assert parsed.raw == raw
    assert parsed.symbology == (prefix if prefix.startswith("]") else None)

    day = "00" if day00 else f"{expiry.day:02d}"
    hri = f"(01){gtin14}(17){expiry:%y%m}{day}(10){lot}(21){serial}"
    typed = parse_scan(hri)
    assert (typed.gtin, typed.lot, typed.serial, typed.expiry, typed.hri) == (
        parsed.gtin,
        parsed.lot,
        parsed.serial,
        parsed.expiry,
        parsed.hri,
    )
    assert parsed.hri == hri


@given(bodies(13).map(with_check), st.integers(1, 99_999_999), st.sampled_from(["30", "37"]))
def test_gs1_counts(gtin14: str, count: int, ai: str) -> None:
    parsed = parse_scan(f"]C101{gtin14}{ai}{count}")
    assert parsed.count == count


def test_contained_gtin_and_sscc_on_a_logistics_label() -> None:
    sscc = with_check("01234567890123456")
    parsed = parse_scan(f"]C100{sscc}0214006381333938{GS}3712")
    assert parsed.sscc == sscc
    assert parsed.gtin == "14006381333938"
    assert parsed.count == 12


def test_bare_sscc_is_gs1_keyed_by_its_hri() -> None:
    parsed = parse_scan("00" + with_check("01234567890123456"))
    assert parsed.kind is CodeKind.GS1
    assert parsed.gtin is None
    assert parsed.match_key == "(00)" + with_check("01234567890123456")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("]C10104006381333932", "GTIN (01): check digit is 2, expected 1"),
        ("0104006381333932", "GTIN (01): check digit is 2, expected 1"),  # no AIM, looks GS1
        ("(01)04006381333932", "GTIN (01): check digit is 2, expected 1"),
        ("010400638133393117261399", "AI (17) is malformed"),  # month 13
        ("]d2SKU-10023", "not a GS1 application identifier"),
        ("]C1", "no data after symbology identifier"),
        (f"]C10104006381333931{GS}{GS}", None),  # trailing separators are fine
        ("(01)04006381333931(37)0", "count (37) must be at least 1"),
        (f"ABC{GS}DEF", "not a GS1 application identifier"),  # a GS only ever means FNC1
    ],
)
def test_bad_gs1_is_invalid(raw: str, reason: str | None) -> None:
    if reason is None:
        assert parse_scan(raw).gtin == "04006381333931"
        return
    with pytest.raises(InvalidCode) as info:
        parse_scan(raw)
    assert reason in str(info.value)


def test_expiry_day_00_is_last_day_of_month() -> None:
    assert parse_scan("(01)04006381333931(17)280200").expiry == datetime.date(2028, 2, 29)
    assert parse_scan("(01)04006381333931(17)270200").expiry == datetime.date(2027, 2, 28)


def test_digital_link_uri() -> None:
    parsed = parse_scan("https://id.gs1.org/01/04006381333931/10/ABC1/21/S9?17=271231")
    assert parsed.kind is CodeKind.GS1
    assert (parsed.gtin, parsed.lot, parsed.serial) == ("04006381333931", "ABC1", "S9")
    assert parsed.expiry == datetime.date(2027, 12, 31)
    with pytest.raises(InvalidCode, match="check digit"):
        parse_scan("https://id.gs1.org/01/04006381333932")
    # An ordinary URL in a QR code is just text.
    assert parse_scan("https://example.com/returns").kind is CodeKind.TEXT


# ---------------------------------------------------------------------------------------------------
# Text, commands, garbage


@pytest.mark.parametrize(
    "raw", ["SKU-10023", "INT-00042", "ORD-10023", "]C0SKU-10023", "10ABC", "123456", "0012345678"]
)
def test_internal_labels_stay_text(raw: str) -> None:
    parsed = parse_scan(raw)
    assert parsed.kind is CodeKind.TEXT
    assert parsed.gtin is None


def test_text_key_ignores_case_and_aim_prefix() -> None:
    # A wedge scanner with Caps Lock on inverts letter case.
    assert parse_scan("int-000123").match_key == parse_scan("]C0INT-000123").match_key == "INT-000123"
    assert parse_scan("]C0INT-000123").text == "INT-000123"


@pytest.mark.parametrize(("raw", "command"), [("CMD:SEAL", "SEAL"), ("cmd:undo", "UNDO"), ("Cmd:Cancel\r\n", "CANCEL")])
def test_commands(raw: str, command: str) -> None:
    parsed = parse_scan(raw)
    assert parsed.kind is CodeKind.COMMAND
    assert parsed.command == command
    assert parsed.gtin is None


def test_bad_command_and_command_as_item_barcode() -> None:
    with pytest.raises(InvalidCode, match="CMD: followed by one word"):
        parse_scan("CMD:")
    with pytest.raises(InvalidCode, match="CMD: followed by one word"):
        parse_scan("CMD:SEAL NOW")
    with pytest.raises(InvalidCode, match="command barcode cannot identify an item"):
        match_key("CMD:SEAL")


def test_whitespace_around_a_code_is_stripped() -> None:
    parsed = parse_scan("  4006381333931\r\n")
    assert parsed.match_key == "04006381333931"
    assert parsed.text == "4006381333931"
    assert parsed.raw == "  4006381333931\r\n"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty scan"),
        ("   ", "empty scan"),
        ("\r\n", "empty scan"),
        ("\x00\x01", "control character U+0000"),
        ("SKU\x0710023", "control character U+0007"),
        ("ÿÿ", "non-ASCII character 'ÿ'"),
        ("SKUß10023", "keyboard layout"),
        ("9" * 5000, "too long"),
        ("A" * 100_000, "too long"),
        (GS * 3, "only group separators"),
        ("]", "unknown symbology identifier"),
    ],
)
def test_garbage_is_invalid_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidCode) as info:
        parse_scan(raw)
    assert reason in str(info.value)


def test_non_string_input_is_invalid_not_a_crash() -> None:
    with pytest.raises(InvalidCode, match="must be text"):
        parse_scan(b"4006381333931")  # type: ignore[arg-type]
    assert not is_valid_gtin(4006381333931)  # type: ignore[arg-type]


@given(st.text(max_size=60))
def test_parse_scan_never_fails_other_than_invalid_code(raw: str) -> None:
    try:
        parsed = parse_scan(raw)
    except InvalidCode as exc:
        assert str(exc)
    else:
        assert parsed.match_key


def test_unknown_symbology_hint_is_ignored() -> None:
    assert parse_scan("SKU-1", "]Z9").kind is CodeKind.TEXT
    assert parse_scan("4006381333931", "CODE128").match_key == "04006381333931"


def test_parse_scan_is_fast_without_cache() -> None:
    """Well under 1 ms per scan, measured on distinct GS1 codes so the cache cannot help."""
    codes = [
        gs1_raw(with_check(f"4006381{i:06d}"), datetime.date(2027, 5, 1), False, f"L{i}", f"S{i}") for i in range(300)
    ]
    barcodes._parse_cached.cache_clear()
    start = time.perf_counter()
    for code in codes:
        parse_scan("]d2" + code)
    per_scan = (time.perf_counter() - start) / len(codes)
    assert per_scan < 0.001, f"{per_scan * 1e6:.0f} us per scan"
