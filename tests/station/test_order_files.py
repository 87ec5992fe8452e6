"""Order and recall files: good files load, every bad one is rejected whole with the exact place."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.barcodes import gtin_check_digit, parse_scan
from station.order_files import (
    MAX_QUANTITY,
    FileProblem,
    OrderFileError,
    OrderLineSpec,
    OrderSpec,
    PackBarcode,
    RecallEntry,
    parse_orders_csv,
    parse_orders_json,
    parse_recalls_csv,
    read_order_file,
    read_recall_file,
)
from station.samples import SAMPLES_DIR, generate

HEADER = "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes"
ROW_A = '10023,ORD-10023,Jane Roe,DHL Express,KIT-1,"Bottle, steel",2,4006381333931;14006381333938*6'
ROW_B = "10023,ORD-10023,Jane Roe,DHL Express,OFF-2,Notebook,12,INT-000123"
ROW_C = "10024,ORD-10024,Bob Smith,UPS,KIT-1,Bottle,1,036000291452"

GOOD_CSV = "\n".join([HEADER, ROW_A, ROW_B, ROW_C]) + "\n"
GOOD_JSON = {
    "orders": [
        {
            "order_id": "10023",
            "order_barcode": "ORD-10023",
            "ship_to": "Jane Roe",
            "carrier": "DHL Express",
            "lines": [
                {
                    "sku": "KIT-1",
                    "description": "Bottle, steel",
                    "quantity": 2,
                    "barcodes": ["4006381333931", {"code": "14006381333938", "units": 6}],
                },
                {"sku": "OFF-2", "description": "Notebook", "quantity": 12, "barcodes": ["INT-000123"]},
            ],
        },
        {
            "order_id": "10024",
            "order_barcode": "ORD-10024",
            "ship_to": "Bob Smith",
            "carrier": "UPS",
            "lines": [{"sku": "KIT-1", "description": "Bottle", "quantity": 1, "barcodes": ["036000291452"]}],
        },
    ]
}
EXPECTED = [
    OrderSpec(
        "10023",
        "ORD-10023",
        "Jane Roe",
        "DHL Express",
        (
            OrderLineSpec(
                "KIT-1", "Bottle, steel", 2, (PackBarcode("4006381333931"), PackBarcode("14006381333938", 6))
            ),
            OrderLineSpec("OFF-2", "Notebook", 12, (PackBarcode("INT-000123"),)),
        ),
    ),
    OrderSpec(
        "10024", "ORD-10024", "Bob Smith", "UPS", (OrderLineSpec("KIT-1", "Bottle", 1, (PackBarcode("036000291452"),)),)
    ),
]


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def problems_of(call, *args, **kwargs) -> list[FileProblem]:
    with pytest.raises(OrderFileError) as info:
        call(*args, **kwargs)
    return info.value.problems


def only(problems: list[FileProblem]) -> FileProblem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --------------------------------------------------------------------------------------------------
# Good files


def test_csv_and_json_load_into_the_same_specs(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text(GOOD_CSV, encoding="utf-8")
    (tmp_path / "orders.json").write_text(json.dumps(GOOD_JSON), encoding="utf-8")
    assert read_order_file(tmp_path / "orders.csv") == EXPECTED
    assert read_order_file(tmp_path / "orders.json") == EXPECTED


def test_json_top_level_list_and_numeric_ids_are_accepted() -> None:
    orders = json.loads(json.dumps(GOOD_JSON["orders"]))
    orders[1]["order_id"] = 10024
    assert parse_orders_json(json.dumps(orders)) == EXPECTED


def test_pack_barcode_key_is_the_scan_match_key() -> None:
    # The file lists UPC-A; the scanner reads the same product's EAN-13 form: one key.
    barcode = EXPECTED[1].lines[0].barcodes[0]
    assert barcode.key == parse_scan("0036000291452").match_key == "00036000291452"


def test_bom_crlf_column_order_extra_columns_and_blank_lines(tmp_path: Path) -> None:
    header = "Barcodes,quantity,description,sku,carrier,ship_to,order_barcode,order_id,notes"
    row = '4006381333931;14006381333938*6,2,"Bottle, steel",KIT-1,DHL Express,Jane Roe,ORD-10023,10023,fragile'
    path = tmp_path / "orders.csv"
    path.write_bytes(("\ufeff" + header + "\r\n\r\n" + row + "\r\n").encode("utf-8"))
    (order,) = read_order_file(path)
    assert order.order_id == "10023"
    assert order.lines == (EXPECTED[0].lines[0],)


def test_csv_quoting_with_embedded_quotes_and_newlines_keeps_line_numbers() -> None:
    text = csv_of(
        '10023,ORD-10023,Jane Roe,DHL,KIT-1,"Bottle ""XL"",\nsteel",2,4006381333931',
        "10023,ORD-10023,Jane Roe,DHL,KIT-2,Mug,x,036000291452",
    )
    problem = only(problems_of(parse_orders_csv, text, "orders.csv"))
    # The quoted description spans lines 2-3, so the bad row starts on physical line 4.
    assert str(problem) == "orders.csv:4: quantity: must be a whole number of at least 1, got 'x'"
    good = parse_orders_csv(text.replace(",x,", ",3,"))
    assert good[0].lines[0].description == 'Bottle "XL", steel'  # wrapped text becomes one line


def test_lot_tracked_column_is_optional_and_read_as_yes_no() -> None:
    header = HEADER + ",lot_tracked"
    orders = parse_orders_csv(csv_of(ROW_A + ",yes", ROW_B + ",", header=header))
    assert [line.lot_tracked for line in orders[0].lines] == [True, False]
    problem = only(problems_of(parse_orders_csv, csv_of(ROW_A + ",maybe", header=header)))
    assert (problem.line, problem.field) == (2, "lot_tracked")


# --------------------------------------------------------------------------------------------------
# Malformed CSV: exact line and field


@pytest.mark.parametrize(
    ("rows", "line", "field", "message"),
    [
        ([ROW_A.replace("Jane Roe", "")], 2, "ship_to", "required, but empty"),
        ([ROW_A.replace(",2,", ",x,")], 2, "quantity", "must be a whole number of at least 1, got 'x'"),
        ([ROW_A.replace(",2,", ",0,")], 2, "quantity", "must be a whole number of at least 1, got '0'"),
        ([ROW_A.replace(",2,", ",2.5,")], 2, "quantity", "must be a whole number of at least 1, got '2.5'"),
        ([ROW_A.replace(",2,", ",-3,")], 2, "quantity", "must be a whole number of at least 1, got '-3'"),
        ([ROW_A.replace(",2,", ",100000,")], 2, "quantity", f"at most {MAX_QUANTITY}, got 100000"),
        (
            [ROW_B, ROW_A.replace("4006381333931;", "4006381333932;")],
            3,
            "barcodes",
            "'4006381333932': check digit is 2, expected 1",
        ),
        (
            [ROW_A.replace("*6", "*0")],
            2,
            "barcodes",
            "'14006381333938*0': units after '*' must be a whole number of at least 1",
        ),
        (
            [ROW_A.replace("*6", "*six")],
            2,
            "barcodes",
            "'14006381333938*six': units after '*' must be a whole number of at least 1",
        ),
        (
            [ROW_A.replace("4006381333931;", "4006381333931;04006381333931;")],
            2,
            "barcodes",
            "'04006381333931' is listed twice on this line (same code as '4006381333931')",
        ),
        (
            [ROW_A, ROW_B.replace("INT-000123", "0036000291452;4006381333931")],
            3,
            "barcodes",
            "'4006381333931' is also listed for SKU KIT-1 (line 2); a scan could not tell them apart",
        ),
        ([ROW_A, ROW_B.replace("OFF-2", "KIT-1")], 3, "sku", "KIT-1 is already on line 2 of order 10023"),
        (
            [ROW_A.replace("4006381333931;14006381333938*6", "")],
            2,
            "barcodes",
            "line has no barcodes: nothing could be scanned for it",
        ),
        (
            [ROW_A, ROW_B.replace("Jane Roe", "Jane Doe")],
            3,
            "ship_to",
            "differs from line 2 of order 10023: 'Jane Doe' vs 'Jane Roe'",
        ),
        (
            [ROW_A, ROW_B.replace("ORD-10023", "")],
            3,
            "order_barcode",
            "differs from line 2 of order 10023: '' vs 'ORD-10023'",
        ),
        (
            [ROW_A.replace("4006381333931;", "").replace(",2,", ",4,")],
            2,
            "quantity",
            "4 cannot be packed from packs of 6 units",
        ),
        (
            [ROW_A.replace("4006381333931", "12345052")],
            2,
            "barcodes",
            "'12345052' is ambiguous: valid as EAN-8 and as UPC-E (UPC-A 123450000052); list it as UPC-A 123450000052 or as GTIN-14 00000012345052",
        ),
        (
            [ROW_A.replace("4006381333931", "CMD:SEAL")],
            2,
            "barcodes",
            "'CMD:SEAL': a command barcode cannot identify an item",
        ),
        (
            [ROW_A, ROW_C.replace("ORD-10024", "ord-10023")],
            3,
            "order_barcode",
            "'ord-10023' is also the barcode of order 10023 (line 2)",
        ),
        (
            [ROW_A.replace("ORD-10023", "5901234123458")],
            2,
            "order_barcode",
            "'5901234123458': check digit is 8, expected 7",
        ),
        (
            [ROW_A.replace("Jane Roe", "Jane Roe,Leeds")],
            2,
            None,
            "row has 9 fields but the header has 8 (unquoted comma?)",
        ),
        ([ROW_A.replace('"Bottle, steel"', '"Bottle, steel')], 2, None, "cannot read CSV: unexpected end of data"),
    ],
)
def test_each_csv_problem_is_reported_at_its_line_and_field(
    rows: list[str], line: int, field: str | None, message: str
) -> None:
    problem = only(problems_of(parse_orders_csv, csv_of(*rows), "orders.csv"))
    assert (problem.source, problem.line, problem.field, problem.message) == ("orders.csv", line, field, message)


def test_missing_columns_are_each_named_on_the_header_line() -> None:
    header = "order_id,ship_to,carrier,sku,description,quantity"
    problems = problems_of(parse_orders_csv, csv_of("1,a,b,c,d,1", header=header), "o.csv")
    assert [(p.line, p.field, p.message) for p in problems] == [
        (1, "order_barcode", "required column is missing"),
        (1, "barcodes", "required column is missing"),
    ]


def test_all_problems_are_collected_in_file_order_and_nothing_is_returned() -> None:
    text = csv_of(
        ROW_A.replace(",2,", ",0,"),
        ROW_B.replace("INT-000123", "4006381333932"),
        ROW_C.replace("Bob Smith", ""),
    )
    problems = problems_of(parse_orders_csv, text, "orders.csv")
    assert [(p.line, p.field) for p in problems] == [(2, "quantity"), (3, "barcodes"), (4, "ship_to")]


def test_error_message_lists_first_problems_and_counts_the_rest() -> None:
    rows = [
        ROW_A.replace("10023", str(20000 + n)).replace("ORD-10023", f"ORD-{n}").replace(",2,", ",x,") for n in range(13)
    ]
    with pytest.raises(OrderFileError) as info:
        parse_orders_csv(csv_of(*rows), "big.csv")
    lines = str(info.value).splitlines()
    assert len(info.value.problems) == 13
    assert lines[0] == "big.csv:2: quantity: must be a whole number of at least 1, got 'x'"
    assert lines[-1] == "… and 3 more"
    assert len(lines) == 11


def test_problem_text_without_line_or_field() -> None:
    assert (
        str(FileProblem("o.json", None, "orders[3].lines[0].quantity", "bad"))
        == "o.json: orders[3].lines[0].quantity: bad"
    )
    assert str(FileProblem("o.csv", None, None, "file is empty")) == "o.csv: file is empty"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n", "file is empty"),
        ((HEADER + "\n").encode(), "no rows after the header"),
    ],
)
def test_empty_files_are_rejected(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    assert only(problems_of(read_order_file, path)).message == message


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(
        (HEADER + "\n" + ROW_B + "\n").encode() + "10023,ORD-10023,Jos\xe9,DHL,X,Y,1,INT-1\n".encode("latin-1")
    )
    problem = only(problems_of(read_order_file, path))
    assert (problem.line, problem.field) == (3, None)
    assert problem.message == "not UTF-8 text: byte 0xE9 at column 20; save the file as UTF-8"


def test_unreadable_or_unsupported_files_give_a_problem_not_a_crash(tmp_path: Path) -> None:
    assert "cannot read file" in only(problems_of(read_order_file, tmp_path / "missing.csv")).message
    (tmp_path / "orders.xlsx").write_bytes(b"PK")
    assert only(problems_of(read_order_file, tmp_path / "orders.xlsx")).message == (
        "unsupported file type '.xlsx': use .csv or .json"
    )


def test_nul_byte_in_a_csv_field_is_a_problem() -> None:
    problem = only(problems_of(parse_orders_csv, csv_of(ROW_A.replace("Jane", "Ja\0ne")), "o.csv"))
    assert (problem.line, problem.field, problem.message) == (2, "ship_to", "contains control character U+0000")


# --------------------------------------------------------------------------------------------------
# Malformed JSON: located by JSON path (and by line where the decoder knows it)


def test_malformed_json_gives_line_and_column() -> None:
    text = '{"orders": [\n  {"order_id": "1",, }\n]}'
    problem = only(problems_of(parse_orders_json, text, "orders.json"))
    assert problem.line == 2
    assert problem.message.startswith("malformed JSON at line 2 column 20: ")


def _json_with(mutate) -> str:
    document = json.loads(json.dumps(GOOD_JSON))
    mutate(document)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("mutate", "field", "message"),
    [
        (
            lambda d: d["orders"][1]["lines"][0].update(quantity="2"),
            "orders[1].lines[0].quantity",
            "must be a whole number of at least 1, got '2'",
        ),
        (
            lambda d: d["orders"][1]["lines"][0].update(quantity=True),
            "orders[1].lines[0].quantity",
            "must be a whole number of at least 1, got true",
        ),
        (
            lambda d: d["orders"][0]["lines"][0]["barcodes"][1].update(units=0),
            "orders[0].lines[0].barcodes[1].units",
            "must be a whole number of at least 1, got 0",
        ),
        (
            lambda d: d["orders"][0]["lines"][0]["barcodes"].__setitem__(0, "4006381333932"),
            "orders[0].lines[0].barcodes[0]",
            "'4006381333932': check digit is 2, expected 1",
        ),
        (
            lambda d: d["orders"][0]["lines"][1]["barcodes"].__setitem__(0, "14006381333938*6"),
            "orders[0].lines[1].barcodes[0]",
            '\'14006381333938*6\': write a case pack as {"code": ..., "units": N}',
        ),
        (
            lambda d: d["orders"][0]["lines"][1]["barcodes"].__setitem__(0, 12),
            "orders[0].lines[1].barcodes[0]",
            "must be a code or {code, units}, got a number",
        ),
        (lambda d: d["orders"][0].update(carrier=None), "orders[0].carrier", "required, but empty"),
        (lambda d: d["orders"][0].update(ship_to=["x"]), "orders[0].ship_to", "must be text, got a list"),
        (lambda d: d["orders"][0].update(lines={}), "orders[0].lines", "must be a list of order lines, got an object"),
        (
            lambda d: d["orders"][1].update(order_id="10023", order_barcode="ORD-X"),
            "orders[1].order_id",
            "order 10023 is listed twice (also orders[0])",
        ),
        (
            lambda d: d["orders"][1]["lines"][0].update(barcodes=[]),
            "orders[1].lines[0].barcodes",
            "line has no barcodes: nothing could be scanned for it",
        ),
        (lambda d: d["orders"].__setitem__(1, "10024"), "orders[1]", "must be an object, got text"),
    ],
)
def test_each_json_problem_is_reported_at_its_path(mutate, field: str, message: str) -> None:
    problem = only(problems_of(parse_orders_json, _json_with(mutate), "orders.json"))
    assert (problem.line, problem.field, problem.message) == (None, field, message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "file is empty"),
        ('{"order": []}', 'expected an object with an "orders" list, or a list of orders'),
        ('{"orders": []}', "no orders in file"),
        ("42", "must be a list of orders, got a number"),
    ],
)
def test_json_documents_of_the_wrong_shape(text: str, message: str) -> None:
    assert only(problems_of(parse_orders_json, text, "o.json")).message == message


# --------------------------------------------------------------------------------------------------
# Recalls


RECALL_HEADER = "gtin,lot,serial,reason"


def test_recall_file_normalises_gtins_and_allows_any_product(tmp_path: Path) -> None:
    path = tmp_path / "recalls.csv"
    path.write_text(
        "\n".join(
            [RECALL_HEADER, "036000291452,L123,,Label misprint", ",LOT-9,,Supplier recall", "4006381333931,,SN1,Stolen"]
        )
        + "\n",
        encoding="utf-8",
    )
    assert read_recall_file(path) == [
        RecallEntry("00036000291452", "L123", None, "Label misprint"),
        RecallEntry(None, "LOT-9", None, "Supplier recall"),
        RecallEntry("04006381333931", None, "SN1", "Stolen"),
    ]


def test_recall_entry_matches_only_the_named_fields() -> None:
    by_lot = RecallEntry("00036000291452", "L123", None, "x")
    assert by_lot.matches("00036000291452", "L123", "any serial")
    assert not by_lot.matches("00036000291452", "L124", None)
    assert not by_lot.matches("04006381333931", "L123", None)
    assert not by_lot.matches("00036000291452", None, None)  # no lot on the scan: cannot be cleared
    assert RecallEntry(None, "L123", None, "x").matches("04006381333931", "L123", None)


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("4006381333932,L1,,x", "gtin", "'4006381333932': check digit is 2, expected 1"),
        ("INT-000123,L1,,x", "gtin", "'INT-000123' is not a GTIN"),
        (
            "4006381333931,LOT 1,,x",
            "lot",
            "'LOT 1' is not a valid GS1 lot: 1-20 characters, letters, digits and - . / _",
        ),
        ("4006381333931,L1,,", "reason", "required, but empty"),
        (",,,x", None, "a recall must name a gtin, a lot or a serial"),
    ],
)
def test_bad_recall_rows(row: str, field: str | None, message: str) -> None:
    problem = only(problems_of(parse_recalls_csv, f"{RECALL_HEADER}\n{row}\n", "recalls.csv"))
    assert (problem.line, problem.field, problem.message) == (2, field, message)


def test_duplicate_recall_rows_point_at_the_first() -> None:
    text = f"{RECALL_HEADER}\n036000291452,L1,,a\n0036000291452,L1,,b\n"
    problem = only(problems_of(parse_recalls_csv, text, "recalls.csv"))
    assert (problem.line, problem.message) == (3, "same recall as line 2")


# --------------------------------------------------------------------------------------------------
# Samples and generator


def test_sample_files_load_cleanly_and_agree() -> None:
    from_csv = read_order_file(SAMPLES_DIR / "orders.csv")
    from_json = read_order_file(SAMPLES_DIR / "orders.json")
    assert from_csv == from_json
    assert len(from_csv) == 20
    assert all(1 <= len(order.lines) <= 6 for order in from_csv)
    assert all(1 <= line.quantity <= 12 for order in from_csv for line in order.lines)
    units = {barcode.units for order in from_csv for line in order.lines for barcode in line.barcodes}
    assert units == {1, 6, 24}
    assert any(line.lot_tracked for order in from_csv for line in order.lines)
    assert len(read_recall_file(SAMPLES_DIR / "recalls.csv")) == 2


def test_committed_samples_are_what_the_generator_writes(tmp_path: Path) -> None:
    assert generate.main(["--check"]) == 0, "run: python -m station.samples.generate"
    assert generate.main(["--out", str(tmp_path)]) == 0
    assert generate.render() == {path.name: path.read_text(encoding="utf-8") for path in tmp_path.iterdir()}


def test_demo_scans_do_what_the_readme_says() -> None:
    recalls = read_recall_file(SAMPLES_DIR / "recalls.csv")
    scans = {s["label"]: s["scan"] for s in json.loads((SAMPLES_DIR / "demo_scans.json").read_text())["scans"]}
    recalled = parse_scan(scans["recalled lot"])
    assert any(entry.matches(recalled.gtin, recalled.lot, recalled.serial) for entry in recalls)
    assert parse_scan(scans["recalled lot, human-readable"]).match_key == recalled.match_key
    in_date = parse_scan(scans["in-date lot"])
    assert not any(entry.matches(in_date.gtin, in_date.lot, in_date.serial) for entry in recalls)
    assert str(parse_scan(scans["expired lot"]).expiry) == "2023-06-30"  # AI 17 day 00 = end of month
    assert parse_scan(scans["serialised item"]).serial == "SN000123457"
    case = parse_scan(scans["case pack of 6"]).match_key
    packs = {b.key: b.units for o in read_order_file(SAMPLES_DIR / "orders.csv") for ln in o.lines for b in ln.barcodes}
    assert packs[case] == 6


# --------------------------------------------------------------------------------------------------
# Property: any valid order set survives a CSV and a JSON round trip unchanged


def _gtin(rng: random.Random) -> str:
    body = "590" + "".join(rng.choice("0123456789") for _ in range(9))
    return body + str(gtin_check_digit(body))


@st.composite
def order_sets(draw: st.DrawFn) -> list[dict[str, object]]:
    rng = random.Random(draw(st.integers(0, 2**32)))
    text = st.text(
        st.characters(min_codepoint=32, max_codepoint=0x24F, exclude_characters="\x7f"), min_size=1, max_size=30
    )
    text = text.map(str.strip).filter(bool).filter(str.isprintable)
    orders = []
    for index in range(draw(st.integers(1, 4))):
        lines = []
        for number in range(draw(st.integers(1, 5))):
            units = draw(st.sampled_from([1, 1, 6, 24]))
            barcodes: list[dict[str, object]] = [{"code": _gtin(rng), "units": 1}]
            if units > 1:
                barcodes.append({"code": _gtin(rng), "units": units})
            lines.append(
                {
                    "sku": f"SKU-{index}-{number}",
                    "description": draw(text),
                    "quantity": draw(st.integers(1, 50)),
                    "barcodes": barcodes,
                }
            )
        orders.append(
            {
                "order_id": str(1000 + index),
                "order_barcode": f"ORD-{1000 + index}",
                "ship_to": draw(text),
                "carrier": draw(text),
                "lines": lines,
            }
        )
    return orders


@settings(max_examples=40, deadline=None)
@given(order_sets())
def test_any_valid_orders_round_trip_through_csv_and_json(orders: list[dict[str, object]]) -> None:
    from_csv = parse_orders_csv(generate.orders_csv(orders))
    assert from_csv == parse_orders_json(generate.orders_json(orders))
    assert [o.ship_to for o in from_csv] == [o["ship_to"] for o in orders]
    assert [len(o.lines) for o in from_csv] == [len(o["lines"]) for o in orders]  # type: ignore[arg-type]


def test_line_separator_inside_a_value_does_not_split_the_row() -> None:
    """U+2028 or NEL pasted into a description stays inside its row (csv splits on CR/LF only)."""
    text = csv_of(ROW_A, ROW_B.replace("Notebook", "Note\u2028book\x85A5"), ROW_C.replace(",1,", ",x,"))
    problem = only(problems_of(parse_orders_csv, text, "o.csv"))
    assert (problem.line, problem.field) == (4, "quantity")
    fixed = parse_orders_csv(csv_of(ROW_A, ROW_B.replace("Notebook", "Note\u2028book")))
    assert fixed[0].lines[1].description == "Note book"


def test_an_item_barcode_equal_to_the_order_barcode_is_rejected() -> None:
    problem = only(problems_of(parse_orders_csv, csv_of(ROW_C.replace("ORD-10024", "036000291452")), "o.csv"))
    assert (problem.line, problem.field) == (2, "barcodes")
    assert "order's own barcode" in problem.message


def test_deeply_nested_json_is_a_problem_not_a_crash() -> None:
    with pytest.raises(OrderFileError, match="nested too deeply|malformed"):
        parse_orders_json("[" * 100_000 + "]" * 100_000)


def test_demo_script_packs_the_first_order_then_hits_a_wrong_item() -> None:
    """demo_script.txt: ORD-10023 packed exactly and sealed, then another order, an undo, a wrong item."""
    from collections import Counter

    from station.barcodes import match_key

    orders = {order.order_barcode: order for order in read_order_file(SAMPLES_DIR / "orders.json")}
    lines = (SAMPLES_DIR / "demo_script.txt").read_text("utf-8").splitlines()
    codes = [line.strip().replace("<GS>", "\x1d") for line in lines if line.strip() and not line.startswith("#")]
    assert codes[0] == "ORD-10023"
    seal = codes.index("CMD:SEAL")
    first = orders["ORD-10023"]
    units_by_key = {match_key(b.code): (line.sku, b.units) for line in first.lines for b in line.barcodes}
    packed: Counter[str] = Counter()
    for code in codes[1:seal]:
        sku, units = units_by_key[parse_scan(code).match_key]
        packed[sku] += units
    assert packed == {line.sku: line.quantity for line in first.lines}
    # lot-tracked lines are scanned with a lot, and none of those lots is recalled
    recalled = {(entry.gtin, entry.lot) for entry in read_recall_file(SAMPLES_DIR / "recalls.csv")}
    lot_scans = [parse_scan(code) for code in codes if code.startswith("]d2")]
    assert lot_scans and all(scan.lot and (scan.gtin, scan.lot) not in recalled for scan in lot_scans)

    second = orders[codes[seal + 1]]
    assert second is not first
    assert "CMD:UNDO" in codes[seal + 1 :]
    second_keys = {match_key(b.code) for line in second.lines for b in line.barcodes}
    wrong = parse_scan(codes[-1]).match_key
    assert wrong not in second_keys and wrong in units_by_key
