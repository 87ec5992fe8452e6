"""The weight check at seal: expected weight, tolerance 1 g either side, cartons, products without a weight,
the weight_mismatch incident (stored, on the wire, cleared), the measured weight of a clean seal."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from rules import events
from station.clock import FrozenClock
from station.db import Database
from station.items import ItemSpec, accept_suggestion, import_items, parse_items_csv, parse_items_json, suggestions
from station.model import BenchState, LineView, OrderStatus, OrderView, VerdictKind
from station.order_files import (
    OrderFileError,
    OrderLineSpec,
    OrderSpec,
    PackBarcode,
    parse_orders_csv,
    parse_orders_json,
)
from station.orders import import_orders
from station.orm import IncidentRecord, Order, OutboxRecord
from station.service import StationService
from station.weighing import UnknownWeight, WeighingSettings, WeightOutcome, check_weight
from tests.station.conftest import GADGET_EAN, WIDGET_EAN

RULES = WeighingSettings(tolerance_g=20, tolerance_pct=2, default_tare_g=150, cartons={"BOX-M": 250.0})


def order(*lines: LineView, tare: float | None = None) -> OrderView:
    return OrderView("1", None, "x", "y", OrderStatus.PACKING, lines, tare_g=tare)


# ---------------------------------------------------------------- the pure rule


def test_one_gram_inside_and_one_gram_outside_the_tolerance() -> None:
    packed = order(LineView(1, "W-1", "Widget", 2, 2, unit_weight_g=400.0))
    # expected 2 x 400 + 150 tare = 950; tolerance 20 + 2 % of 950 = 39
    edge_over, edge_under = 950 + 39, 950 - 39
    assert check_weight(packed, edge_over, RULES).outcome is WeightOutcome.WITHIN
    assert check_weight(packed, edge_under, RULES).outcome is WeightOutcome.WITHIN
    over = check_weight(packed, edge_over + 1, RULES)
    assert (over.outcome, over.expected_g, over.tolerance_g, over.difference_g) == (WeightOutcome.OVER, 950, 39, 40)
    assert over.blocks
    assert check_weight(packed, edge_under - 1, RULES).outcome is WeightOutcome.UNDER


def test_the_carton_tare_replaces_the_default() -> None:
    packed = order(LineView(1, "W-1", "Widget", 1, 1, unit_weight_g=400.0), tare=250.0)
    check = check_weight(packed, 650.0, RULES)
    assert (check.outcome, check.expected_g, check.tare_g) == (WeightOutcome.WITHIN, 650.0, 250.0)


def test_products_without_a_weight_block_or_are_noted_as_the_site_chooses() -> None:
    packed = order(LineView(1, "W-1", "Widget", 1, 1, unit_weight_g=400.0), LineView(2, "N-1", "No weight", 1, 1))
    noted = check_weight(packed, 900.0, RULES)  # 550 known + whatever N-1 weighs
    assert (noted.outcome, noted.unweighed, noted.blocks) == (WeightOutcome.NOTED, ("N-1",), False)
    # under what the known part alone weighs: something is missing, note or not
    assert check_weight(packed, 500.0, RULES).outcome is WeightOutcome.UNDER
    block = WeighingSettings(default_tare_g=150, unknown_weight=UnknownWeight.BLOCK)
    assert check_weight(packed, 900.0, block).outcome is WeightOutcome.UNKNOWN


def test_settings_are_read_leniently() -> None:
    read = WeighingSettings.from_section(
        {"tolerance_g": "lots", "tolerance_pct": 150, "unknown_weight": "shrug", "cartons": {"BOX": 90, "BAD": -1}}
    )
    assert (read.tolerance_g, read.tolerance_pct, read.unknown_weight) == (20.0, 2.0, UnknownWeight.NOTE)
    assert read.cartons == {"BOX": 90.0}
    assert WeighingSettings.from_section(RULES.to_section()) == RULES


# ---------------------------------------------------------------- order files and the item master

CSV_HEAD = "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes,unit_weight_g\n"


def test_order_files_carry_a_unit_weight_per_line() -> None:
    csv = CSV_HEAD + f"9,O-9,A,DHL,W-1,Widget,2,{WIDGET_EAN},412.5\n9,O-9,A,DHL,G-6,Gadget,1,{GADGET_EAN},\n"
    [spec] = parse_orders_csv(csv)
    assert [line.unit_weight_g for line in spec.lines] == [412.5, None]
    [js] = parse_orders_json(
        '[{"order_id": "9", "ship_to": "A", "carrier": "DHL", "lines": [{"sku": "W-1", "description": "W",'
        f' "quantity": 1, "barcodes": ["{WIDGET_EAN}"], "unit_weight_g": 80}}]}}]'
    )
    assert js.lines[0].unit_weight_g == 80.0


@pytest.mark.parametrize("bad", ["12,5", "-3", "0", "abc", "1e3", "2000000"])
def test_a_bad_unit_weight_rejects_the_order_file_naming_the_line(bad: str) -> None:
    with pytest.raises(OrderFileError) as caught:
        parse_orders_csv(CSV_HEAD + f'9,O-9,A,DHL,W-1,Widget,2,{WIDGET_EAN},"{bad}"\n')
    assert caught.value.problems[0].line == 2 and caught.value.problems[0].field == "unit_weight_g"


def test_item_master_files_are_as_strict_as_order_files() -> None:
    items = parse_items_csv("sku,unit_weight_g,description\nW-1,400,Widget\nG-6,55.5,\n")
    assert items == [ItemSpec("W-1", 400.0, "Widget"), ItemSpec("G-6", 55.5, "")]
    with pytest.raises(OrderFileError) as caught:
        parse_items_csv("sku,unit_weight_g\nW-1,400\nW-1,401\nG-6,\nX,-1\n")
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (3, "sku"),
        (4, "unit_weight_g"),
        (5, "unit_weight_g"),
    ]
    assert parse_items_json('{"items": [{"sku": "W-1", "unit_weight_g": 400}]}') == [ItemSpec("W-1", 400.0)]
    with pytest.raises(OrderFileError, match=r"\[0\]: unknown key"):
        parse_items_json('[{"sku": "W-1", "unit_weight_g": 400, "colour": "red"}]')
    with pytest.raises(OrderFileError, match="no rows after the header"):
        parse_items_csv("sku,unit_weight_g\n")


# ---------------------------------------------------------------- the service at a bench with a scale


@pytest.fixture
def weighing(service: StationService, db: Database, clock: FrozenClock) -> StationService:
    import_items(db, [ItemSpec("W-1", 400.0), ItemSpec("G-6", 50.0), ItemSpec("P-1", 30.0)], "S1", clock)
    service.use_weighing(RULES)
    service.reload()
    return service


def pack_all(service: StationService) -> None:
    from tests.station.conftest import PILLS_GTIN

    service.handle_scan("ORD-10001")
    for code, times in ((WIDGET_EAN, 2), (GADGET_EAN, 12), (PILLS_GTIN, 2)):
        for _ in range(times):
            assert service.handle_scan(code).kind is VerdictKind.OK
    assert service.state is BenchState.COMPLETE


# expected: 2 x 400 + 12 x 50 + 2 x 30 + 150 tare = 1610; tolerance 20 + 32.2 = 52.2
EXPECTED, TOLERANCE = 1610.0, 52.2


def test_without_a_stable_reading_nothing_is_sealed(weighing: StationService) -> None:
    pack_all(weighing)
    verdict = weighing.seal()
    assert (verdict.kind, weighing.state) == (VerdictKind.WEIGHT_NEEDED, BenchState.COMPLETE)


def test_a_clean_seal_records_the_measured_weight(weighing: StationService, db: Database) -> None:
    pack_all(weighing)
    verdict = weighing.seal(weight_g=EXPECTED + TOLERANCE)
    assert verdict.kind is VerdictKind.SEALED and verdict.weight.outcome is WeightOutcome.WITHIN
    with db.sessions() as s:
        assert s.get(Order, "10001").measured_weight_g == EXPECTED + TOLERANCE
        payload = s.scalars(select(OutboxRecord.payload).where(OutboxRecord.type == "pack.sealed")).one()
    assert events.PackSealed.model_validate(payload).measured_weight_g == EXPECTED + TOLERANCE


def test_outside_the_tolerance_blocks_with_a_weight_incident(weighing: StationService, db: Database) -> None:
    pack_all(weighing)
    verdict = weighing.seal(weight_g=EXPECTED + TOLERANCE + 1)  # an item dropped in without a scan
    assert (verdict.kind, weighing.state, verdict.blocking) == (VerdictKind.WEIGHT_MISMATCH, BenchState.BLOCKED, True)
    assert verdict.weight.outcome is WeightOutcome.OVER
    with db.sessions() as s:
        incident = s.get(IncidentRecord, verdict.incident_id)
        payload = s.scalars(select(OutboxRecord.payload).where(OutboxRecord.type == "incident.opened")).one()
        assert s.get(Order, "10001").status == "blocked"
    assert incident.kind == "weight_mismatch"
    assert incident.weight == {
        "outcome": "over",
        "expected_g": EXPECTED,
        "measured_g": EXPECTED + TOLERANCE + 1,
        "tolerance_g": TOLERANCE,
        "tare_g": 150.0,
        "unweighed": [],
    }
    wire = events.IncidentOpened.model_validate(payload)
    assert wire.kind is events.IncidentKind.WEIGHT_MISMATCH and wire.weight.measured_g == EXPECTED + TOLERANCE + 1
    # a seal while blocked is refused like any other
    assert weighing.seal(weight_g=EXPECTED).kind is VerdictKind.STILL_BLOCKED


def test_cleared_after_a_fix_it_is_weighed_again_and_a_false_alarm_seals_as_weighed(
    weighing: StationService, db: Database
) -> None:
    pack_all(weighing)
    first = weighing.seal(weight_g=EXPECTED - 60)
    assert first.kind is VerdictKind.WEIGHT_MISMATCH and first.weight.outcome is WeightOutcome.UNDER
    weighing.clear(first.incident_id, "SUP1", "found a gadget under the flap", "item_swapped")
    assert weighing.state is BenchState.COMPLETE
    again = weighing.seal(weight_g=EXPECTED - 60)  # nothing changed on the scale: blocked again
    assert again.kind is VerdictKind.WEIGHT_MISMATCH
    cleared = weighing.clear(again.incident_id, "SUP1", "checked by hand: the listed weight is wrong", "false_alarm")
    assert (cleared.kind, cleared.state) == (VerdictKind.CLEARED, BenchState.SEALED)
    with db.sessions() as s:
        assert s.get(Order, "10001").measured_weight_g == EXPECTED - 60


def test_a_scanned_carton_sets_the_tare(weighing: StationService, db: Database) -> None:
    weighing.handle_scan("ORD-10001")
    verdict = weighing.handle_scan("box-m")
    assert (verdict.kind, verdict.order.carton, verdict.order.tare_g) == (VerdictKind.CARTON_SET, "box-m", 250.0)
    with db.sessions() as s:
        assert (s.get(Order, "10001").carton_code, s.get(Order, "10001").tare_g) == ("box-m", 250.0)
    weighing.reload()  # survives a restart
    assert weighing.order.tare_g == 250.0
    pack_all(weighing)
    assert weighing.seal(weight_g=EXPECTED + 100).kind is VerdictKind.SEALED  # 1710 with the heavier carton


def test_no_scale_configured_changes_nothing(service: StationService) -> None:
    verdict = service.handle_scan("BOX-M")  # no carton list without a scale: just a code before any order
    assert verdict.kind is not VerdictKind.CARTON_SET
    pack_all(service)
    sealed = service.seal()
    assert sealed.kind is VerdictKind.SEALED and sealed.weight is None


# ---------------------------------------------------------------- suggestions from clean seals


def test_a_unit_weight_is_suggested_after_three_clean_single_product_packages(
    db: Database, clock: FrozenClock, tmp_path: Path
) -> None:
    orders = [
        OrderSpec(
            f"S{n}", f"ORD-S{n}", "A", "DHL", (OrderLineSpec("NEW-1", "New thing", 2, (PackBarcode(WIDGET_EAN),)),)
        )
        for n in range(4)
    ]
    import_orders(db, orders, "S1", clock)
    service = StationService(db, "S1", clock=clock, evidence_dir=tmp_path)
    service.use_weighing(WeighingSettings(default_tare_g=100, unknown_weight=UnknownWeight.NOTE))
    for n, measured in enumerate((900.0, 910.0, 880.0)):  # (measured - 100) / 2 = 400, 405, 390
        service.handle_scan(f"ORD-S{n}")
        service.handle_scan(WIDGET_EAN)
        assert suggestions(db) == []  # fewer than 3 packages so far
        service.handle_scan(WIDGET_EAN)
        sealed = service.seal(weight_g=measured)
        assert sealed.kind is VerdictKind.SEALED and sealed.weight.outcome is WeightOutcome.NOTED
    [suggestion] = suggestions(db, WeighingSettings(default_tare_g=100))
    assert (suggestion.sku, suggestion.unit_weight_g, suggestion.samples) == ("NEW-1", 400.0, 3)
    assert accept_suggestion(db, "NEW-1", "S1", "SUP1", WeighingSettings(default_tare_g=100), clock) == suggestion
    assert suggestions(db) == []  # known now
    service.handle_scan("ORD-S3")
    assert service.order.lines[0].unit_weight_g == 400.0


@settings(max_examples=300, deadline=None)
@given(
    weights=st.lists(st.tuples(st.integers(1, 50), st.floats(0.5, 5000, allow_nan=False)), min_size=1, max_size=6),
    tare=st.floats(0, 2000, allow_nan=False),
    measured=st.floats(-1000, 200_000, allow_nan=False),
    abs_g=st.floats(0, 100, allow_nan=False),
    pct=st.floats(0, 10, allow_nan=False),
)
def test_within_exactly_when_the_difference_is_inside_the_tolerance(weights, tare, measured, abs_g, pct) -> None:
    lines = tuple(LineView(n, f"S-{n}", "x", units, units, unit_weight_g=w) for n, (units, w) in enumerate(weights))
    rules = WeighingSettings(tolerance_g=abs_g, tolerance_pct=pct, default_tare_g=tare)
    check = check_weight(order(*lines), measured, rules)
    assert check.expected_g == pytest.approx(tare + sum(u * w for u, w in weights), abs=0.01)
    inside = abs(round(measured, 3) - check.expected_g) <= check.tolerance_g
    assert (check.outcome is WeightOutcome.WITHIN) == inside
    assert check.blocks == (not inside)
    if not inside:
        assert check.outcome is (WeightOutcome.OVER if measured > check.expected_g else WeightOutcome.UNDER)
