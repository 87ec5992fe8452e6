"""The item master: what one unit of each product weighs, for the weight check at seal (`station.weighing`).

Three ways in:

* ``packgate items import FILE``: CSV ``sku,unit_weight_g[,description]`` or JSON (``{"items": [...]}`` or a
  bare list of ``{"sku", "unit_weight_g", "description"}``), read as strictly as an order file (every
  problem with its line or JSON path, and nothing stored unless the whole file is right);
* a unit weight on the order line itself (the order file's ``unit_weight_g``), which wins over this table;
* a suggestion: every clean seal records the parcel's stable weight (``orders.measured_weight_g``); once a
  product without a known weight was sealed alone (one line, no incident, not short) in at least
  `MIN_SAMPLES` packages, (weight - tare) / units over those packages gives a median that a person may
  accept (``packgate items suggestions`` / ``packgate items accept SKU``).
"""

from __future__ import annotations

import json
import logging
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station import audit
from station.clock import Clock, SystemClock
from station.db import Database
from station.order_files.fields import _checked_weight, _csv_weight, _json_type, _text
from station.order_files.json_keys import KeyedObject, duplicate_keys
from station.order_files.reading import (
    _csv_rows,
    _CsvLocator,
    _JsonLocator,
    _Locator,
    _Problems,
    _read_text,
    _text_lines,
)
from station.orm import IncidentRecord, ItemRecord, Order, OrderLine
from station.weighing import WeighingSettings

logger = logging.getLogger(__name__)

__all__ = [
    "MIN_SAMPLES",
    "ItemSpec",
    "Suggestion",
    "accept_suggestion",
    "import_items",
    "list_items",
    "parse_items_file",
    "suggestions",
]

#: Clean single-product packages needed before a unit weight is suggested.
MIN_SAMPLES = 3
ITEM_COLUMNS = ("sku", "unit_weight_g")


@dataclass(frozen=True)
class ItemSpec:
    sku: str
    unit_weight_g: float
    description: str = ""


def parse_items_file(path: Path) -> list[ItemSpec]:
    """The items of a CSV or JSON file (by its suffix; JSON when it starts with ``[`` or ``{``); raises
    ``OrderFileError`` listing every problem."""
    text = _read_text(Path(path))
    source = Path(path).name
    if Path(path).suffix.lower() == ".json" or text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{"):
        return parse_items_json(text, source)
    return parse_items_csv(text, source)


def _item(
    loc: _Locator, sku: object, weight: float | None, description: object, problems: _Problems, seen: dict[str, str]
) -> ItemSpec | None:
    sku_text = _text(str(sku) if isinstance(sku, int) and not isinstance(sku, bool) else sku, loc, "sku", problems)
    description_text = _text(description, loc, "description", problems, required=False) or ""
    if sku_text is None:
        return None
    if sku_text in seen:
        problems.add(loc, "sku", f"{sku_text!r} is listed twice (also at {seen[sku_text]})")
        return None
    seen[sku_text] = loc.describe()
    if weight is None:
        return None
    return ItemSpec(sku_text, weight, description_text)


def parse_items_csv(text: str, source: str = "<csv>") -> list[ItemSpec]:
    problems = _Problems(source)
    items: list[ItemSpec] = []
    seen: dict[str, str] = {}
    for line_no, row in _csv_rows(_text_lines(text), problems, ITEM_COLUMNS):
        loc = _CsvLocator(line_no)
        raw_weight = row.get("unit_weight_g")
        weight = _csv_weight(raw_weight, loc, problems)
        if weight is None and not (raw_weight or "").strip():
            problems.add(loc, "unit_weight_g", "required: grams per unit such as 125 or 12.5")
        item = _item(loc, row.get("sku"), weight, row.get("description"), problems, seen)
        if item is not None:
            items.append(item)
    return _finish(items, seen, problems)


def parse_items_json(text: str, source: str = "<json>") -> list[ItemSpec]:
    problems = _Problems(source)
    try:
        document = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=KeyedObject.from_pairs)
    except json.JSONDecodeError as exc:
        problems.add_at(exc.lineno, None, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        raise problems.error() from None
    except RecursionError:
        problems.add(None, None, "malformed JSON: nested too deeply")
        raise problems.error() from None
    for path, key in duplicate_keys(document):
        problems.add(_JsonLocator(path), None, f"key {key!r} is written more than once in this object")
    entries, prefix = (document.get("items"), "items") if isinstance(document, dict) else (document, "")
    if not isinstance(entries, list):
        problems.add(_JsonLocator(prefix or "$"), None, 'expected a list of items, or an object with an "items" list')
        raise problems.error()
    items: list[ItemSpec] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries):
        loc = _JsonLocator(f"{prefix}[{index}]")
        if not isinstance(entry, dict):
            problems.add(loc, None, f"must be an object, got {_json_type(entry)}")
            continue
        unknown = sorted(set(entry) - {"sku", "unit_weight_g", "description"})
        if unknown:
            problems.add(loc, None, f"unknown key(s) {', '.join(unknown)}; expected sku, unit_weight_g, description")
        value = entry.get("unit_weight_g")
        weight: float | None = None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.add(loc, "unit_weight_g", f"must be a number of grams per unit, got {_json_type(value)}")
        else:
            weight = _checked_weight(float(value), loc, problems)
        item = _item(loc, entry.get("sku"), weight, entry.get("description"), problems, seen)
        if item is not None:
            items.append(item)
    return _finish(items, seen, problems)


def _finish(items: list[ItemSpec], seen: dict[str, str], problems: _Problems) -> list[ItemSpec]:
    if not seen and not problems:
        problems.add(None, None, "no items in file")
    if problems:
        raise problems.error()
    logger.info("loaded %d item(s) from %s", len(items), problems.source)
    return items


def import_items(
    db: Database,
    items: list[ItemSpec],
    station_id: str,
    clock: Clock | None = None,
    actor: str | None = None,
    source: str = "",
) -> tuple[int, int]:
    """Store the items in one transaction (a SKU already known gets the new weight); (new, updated)."""
    now = (clock or SystemClock()).now()
    new = updated = 0
    with db.session() as s:
        for item in items:
            row = s.get(ItemRecord, item.sku)
            if row is None:
                s.add(
                    ItemRecord(
                        sku=item.sku,
                        description=item.description,
                        unit_weight_g=item.unit_weight_g,
                        source=source,
                        updated_at=now,
                    )
                )
                new += 1
            else:
                row.unit_weight_g, row.source, row.updated_at = item.unit_weight_g, source, now
                row.description = item.description or row.description
                updated += 1
        audit.append(
            s,
            at=now,
            station_id=station_id,
            actor=actor,
            action="items.imported",
            detail={"source": source, "new": new, "updated": updated},
        )
    logger.info("items imported", extra={"source": source, "new": new, "updated": updated})
    return new, updated


@dataclass(frozen=True)
class Suggestion:
    sku: str
    unit_weight_g: float  # the median of the samples
    samples: int
    low_g: float
    high_g: float


def _samples(s: Session, default_tare_g: float) -> dict[str, list[float]]:
    """Per SKU without a known weight: (measured - tare) / units of each clean single-line sealed package."""
    known = set(s.scalars(select(ItemRecord.sku).where(ItemRecord.unit_weight_g.is_not(None))))
    single = select(OrderLine.order_id).group_by(OrderLine.order_id).having(func.count(OrderLine.id) == 1)
    with_incident = select(IncidentRecord.order_id)
    rows = s.execute(
        select(OrderLine.sku, OrderLine.scanned, OrderLine.unit_weight_g, Order.measured_weight_g, Order.tare_g)
        .join(Order, Order.order_id == OrderLine.order_id)
        .where(
            Order.status == "sealed",
            Order.short_shipped.is_(False),
            Order.measured_weight_g.is_not(None),
            Order.order_id.in_(single),
            Order.order_id.not_in(with_incident),
            OrderLine.scanned > 0,
        )
    ).all()
    samples: dict[str, list[float]] = defaultdict(list)
    for sku, scanned, line_weight, measured, tare in rows:
        if line_weight is not None or sku in known or measured is None:
            continue
        per_unit = (measured - (default_tare_g if tare is None else tare)) / scanned
        if per_unit > 0:
            samples[sku].append(per_unit)
    return samples


def list_items(db: Database) -> list[ItemSpec]:
    with db.sessions() as s:
        rows = s.scalars(select(ItemRecord).where(ItemRecord.unit_weight_g.is_not(None)).order_by(ItemRecord.sku))
        return [ItemSpec(r.sku, float(r.unit_weight_g or 0), r.description) for r in rows]


def suggestions(db: Database, weighing: WeighingSettings | None = None) -> list[Suggestion]:
    """Unit weights to suggest for products without one (at least `MIN_SAMPLES` clean packages each)."""
    tare = (weighing or WeighingSettings()).default_tare_g
    with db.sessions() as s:
        samples = _samples(s, tare)
    result = [
        Suggestion(sku, round(statistics.median(values), 1), len(values), round(min(values), 1), round(max(values), 1))
        for sku, values in sorted(samples.items())
        if len(values) >= MIN_SAMPLES
    ]
    return result


def accept_suggestion(
    db: Database,
    sku: str,
    station_id: str,
    actor: str,
    weighing: WeighingSettings | None = None,
    clock: Clock | None = None,
) -> Suggestion | None:
    """Store the suggested unit weight of `sku` in the item master (None: no suggestion for it)."""
    found = next((sug for sug in suggestions(db, weighing) if sug.sku == sku), None)
    if found is None:
        return None
    import_items(db, [ItemSpec(sku, found.unit_weight_g)], station_id, clock, actor, f"suggestion accepted by {actor}")
    return found
