"""One event schema: each payload defined once in `rules.events`, its type name written once, its limits
those of the station, and the neutral home free of anything but the standard library and pydantic."""

from __future__ import annotations

import ast
import json
import sys
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from rules import events
from rules.orders import MAX_ORDER_LINES, MAX_QUANTITY, gtin_check_digit, order_problems
from station.order_files import OrderFileError, parse_orders_json
from sync.wire import events as wire

ROOT = Path(__file__).resolve().parents[2]


def _envelopes() -> list[type[BaseModel]]:
    return list(typing.get_args(wire.AnyEvent))


def test_each_envelope_carries_the_rules_payload_under_that_payloads_own_type() -> None:
    seen = {}
    for envelope in _envelopes():
        payload = envelope.model_fields["payload"].annotation
        (literal,) = typing.get_args(envelope.model_fields["type"].annotation)
        assert payload is events.PAYLOADS[literal], envelope.__name__  # the very model the outbox writes
        seen[literal] = payload
    assert set(seen) == set(events.EventType) == set(events.PAYLOADS)
    assert wire.EVENT_TYPES == tuple(t.value for t in events.EventType)


def test_rules_import_only_the_standard_library_and_pydantic() -> None:
    """The neutral package may depend on pydantic (pure validation, no I/O), on nothing else outside."""
    allowed = set(sys.stdlib_module_names) | {"pydantic", "rules"}
    for path in (ROOT / "rules").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                else []
            )
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.relative_to(ROOT)} imports {name}"


def _order(quantity: int) -> str:
    line = {"sku": "B-1", "description": "Bolt", "quantity": quantity, "barcodes": [{"code": "4006381333931"}]}
    return json.dumps({"orders": [{"order_id": "1", "ship_to": "Ada", "carrier": "DHL", "lines": [line]}]})


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (events.ExpectedLine, ("ordered", "scanned")),
        (events.SealedLine, ("ordered", "scanned")),
        (events.MissingLine, ("missing",)),
    ],
)
def test_a_line_count_on_the_wire_is_bounded_by_the_largest_quantity_a_station_loads(
    model: type[BaseModel], fields: tuple[str, ...]
) -> None:
    """The wire allowed 10^9 per line while the station's order reader stops at 9999: one number now."""
    assert parse_orders_json(_order(MAX_QUANTITY))[0].lines[0].quantity == MAX_QUANTITY
    with pytest.raises(OrderFileError):
        parse_orders_json(_order(MAX_QUANTITY + 1))
    for field in fields:
        values = {"sku": "B-1", "ordered": 1, "scanned": 1, "missing": 1}
        allowed = {k: v for k, v in values.items() if k in model.model_fields}
        model.model_validate({**allowed, field: MAX_QUANTITY})
        with pytest.raises(ValidationError, match="less than or equal to 9999"):
            model.model_validate({**allowed, field: MAX_QUANTITY + 1})


def test_a_payload_names_its_type_and_stores_as_the_json_central_validates() -> None:
    from datetime import UTC, datetime

    sealed = events.PackSealed(
        order_id="10001",
        packer_id=None,  # a bench with nobody signed in says so instead of being refused
        sealed_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        lines=[events.SealedLine(sku="W-1", ordered=2, scanned=2)],
    )
    assert sealed.TYPE is events.EventType.PACK_SEALED
    stored = sealed.model_dump(mode="json")
    event, errors = wire.validate_event(
        {
            "event_id": "6f1b6c8e-4b8f-4a5e-9f55-0c1d2e3f4a5b",
            "station_id": "ST-1",
            "seq": 1,
            "type": "pack.sealed",
            "occurred_at": "2026-12-01T09:30:00Z",
            "payload": stored,
        }
    )
    assert errors == [] and event is not None and event.payload == sealed
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        events.PackSealed.model_validate({**stored, "scale_weight_g": 412})


def _lines_order(count: int) -> str:
    codes = [f"2{i:010d}" + str(gtin_check_digit(f"2{i:010d}")) for i in range(count)]  # GTIN-12, one per line
    lines = [
        {"sku": f"S-{i}", "description": "Bolt", "quantity": 1, "barcodes": [{"code": c}]} for i, c in enumerate(codes)
    ]
    return json.dumps({"orders": [{"order_id": "1", "ship_to": "Ada", "carrier": "DHL", "lines": lines}]})


def test_an_order_has_no_more_lines_than_an_event_can_list() -> None:
    """The station loaded an order of 1001 lines, whose every incident and seal central then refused."""
    assert len(parse_orders_json(_lines_order(MAX_ORDER_LINES))[0].lines) == MAX_ORDER_LINES
    with pytest.raises(OrderFileError, match=f"order 1 has {MAX_ORDER_LINES + 1} lines, at most 1000 are allowed"):
        parse_orders_json(_lines_order(MAX_ORDER_LINES + 1))
    order = json.loads(_lines_order(MAX_ORDER_LINES + 1))["orders"][0]
    assert ("orders[0].lines", "order 1 has 1001 lines, at most 1000 are allowed") in order_problems(order, "orders[0]")
    line = {"sku": "S", "ordered": 1, "scanned": 0}
    events.PackSealed.model_validate(
        {"order_id": "1", "sealed_at": "2026-12-01T09:00:00Z", "lines": [line] * MAX_ORDER_LINES}
    )
