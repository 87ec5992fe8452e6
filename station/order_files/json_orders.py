"""The JSON order file: ``{"orders": [...]}`` or a bare list of orders, checked whole."""

from __future__ import annotations

import json
from pathlib import Path

from station.order_files.checks import OrderFinisher
from station.order_files.fields import _json_lines, _json_text, _json_type, _OrderDraft
from station.order_files.json_keys import KeyedObject, duplicate_keys
from station.order_files.labels import json_label
from station.order_files.reading import _JsonLocator, _Problems
from station.order_files.specs import OrderSpec


def parse_orders_json(text: str, source: str = "<json>", base_dir: Path | None = None) -> list[OrderSpec]:
    """Parse order JSON: ``{"orders": [...]}`` or a bare list of orders. ``base_dir``: where a label file
    reference is looked for (the order file's folder; None: label files are refused)."""
    problems = _Problems(source)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        problems.add(None, None, "file is empty")
        raise problems.error()
    try:
        document = json.loads(text, object_pairs_hook=KeyedObject.from_pairs)
    except json.JSONDecodeError as exc:
        problems.add_at(exc.lineno, None, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        raise problems.error() from None
    except RecursionError:
        problems.add(None, None, "malformed JSON: nested too deeply")
        raise problems.error() from None
    for path, key in duplicate_keys(document):
        problems.add(
            _JsonLocator(path), None, f"key {key!r} is written more than once in this object; which one is meant?"
        )

    if isinstance(document, dict):
        if "orders" not in document:
            problems.add(None, None, 'expected an object with an "orders" list, or a list of orders')
            raise problems.error()
        orders, prefix = document["orders"], "orders"
    else:
        orders, prefix = document, ""
    if not isinstance(orders, list):
        problems.add(_JsonLocator(prefix or "$"), None, f"must be a list of orders, got {_json_type(orders)}")
        raise problems.error()
    if not orders:
        problems.add(None, None, "no orders in file")
        raise problems.error()

    drafts: dict[str, _OrderDraft] = {}
    for index, order in enumerate(orders):
        loc = _JsonLocator(f"{prefix}[{index}]")
        if not isinstance(order, dict):
            problems.add(loc, None, f"must be an object, got {_json_type(order)}")
            continue
        order_id = _json_text(order, "order_id", loc, problems)
        order_fields = {
            "order_barcode": _json_text(order, "order_barcode", loc, problems, required=False),
            "tote": _json_text(order, "tote", loc, problems, required=False),
            "ship_to": _json_text(order, "ship_to", loc, problems),
            "carrier": _json_text(order, "carrier", loc, problems),
        }
        lines = _json_lines(order.get("lines"), loc, problems)
        label = json_label(order.get("label"), loc, problems, base_dir)
        if order_id is None:
            continue
        if order_id in drafts:
            problems.add(loc, "order_id", f"order {order_id} is listed twice (also {drafts[order_id].loc.describe()})")
            continue
        drafts[order_id] = _OrderDraft(order_id, loc, order_fields, lines, label)
    finisher = OrderFinisher(problems)
    specs = [spec for spec in (finisher.finish(draft) for draft in drafts.values()) if spec is not None]
    finisher.end()
    return specs
