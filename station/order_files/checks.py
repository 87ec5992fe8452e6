"""Whole-order checks: each order once all its lines are read, and the file's orders against each other."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from rules.orders import lines_problem, reachable
from station.barcodes import InvalidCode, match_key
from station.order_files.fields import _LineDraft, _OrderDraft
from station.order_files.labels import csv_label
from station.order_files.reading import _Locator, _Problems
from station.order_files.specs import OrderLineSpec, OrderSpec

logger = logging.getLogger("station.order_files")  # the name it logged under before the split: log filters use it


class OrderFinisher:
    """Checks each order once all its lines are read, and the file's orders against each other (one
    barcode or tote per order); builds nothing once any problem was found: the file is rejected whole."""

    def __init__(self, problems: _Problems, base_dir: Path | None = None) -> None:
        self.problems = problems
        self.base_dir = base_dir  # where a CSV's label_file is looked for (the order file's folder)
        self.count = 0
        self.order_barcodes: dict[str, tuple[str, _Locator]] = {}  # key -> (order id, where)
        self.totes: dict[str, tuple[str, _Locator]] = {}

    def finish(self, draft: _OrderDraft) -> OrderSpec | None:
        self.count += 1
        _check_order(draft, self.problems, self.order_barcodes, self.totes)
        label_file = draft.fields.get("label_file")
        if draft.label is None and label_file:
            draft.label = csv_label(label_file, draft.loc, self.problems, self.base_dir)
        if self.problems:
            return None  # keep checking the rest, but build nothing
        return OrderSpec(
            order_id=draft.order_id,
            order_barcode=draft.fields["order_barcode"],
            ship_to=draft.fields["ship_to"] or "",
            carrier=draft.fields["carrier"] or "",
            lines=tuple(
                OrderLineSpec(
                    sku=line.sku or "",
                    description=line.description or "",
                    quantity=line.quantity or 0,
                    barcodes=tuple(barcode for barcode, _key, _label in line.barcodes),
                    lot_tracked=line.lot_tracked,
                    expiry_tracked=line.expiry_tracked,
                    serial_tracked=line.serial_tracked,
                    unit_weight_g=line.unit_weight_g,
                )
                for line in draft.lines or ()
            ),
            tote=draft.fields.get("tote"),
            label=draft.label,
        )

    def end(self) -> None:
        """Raise the file's problems, if any (call after the last order)."""
        if not self.count and not self.problems:
            self.problems.add(None, None, "no orders in file")
        if self.problems:
            raise self.problems.error()
        logger.info("loaded %d order(s) from %s", self.count, self.problems.source)


def _unique_key(
    draft: _OrderDraft,
    name: str,
    problems: _Problems,
    seen: dict[str, tuple[str, _Locator]],
    others: Mapping[str, tuple[str, _Locator]],
    other_name: str,
) -> str | None:
    """The match key of the order's barcode or tote: valid, and used by no other order of the file."""
    value = draft.fields.get(name)
    if value is None:
        return None
    try:
        key = match_key(value)
    except InvalidCode as exc:
        problems.add(draft.loc, name, f"{value!r}: {exc}")
        return None
    for what, taken in (("barcode" if name == "order_barcode" else name, seen), (other_name, others)):
        other = taken.get(key)
        if other is not None and other[0] != draft.order_id:
            problems.add(draft.loc, name, f"{value!r} is also the {what} of order {other[0]} ({other[1].describe()})")
            return key
    seen[key] = (draft.order_id, draft.loc)
    return key


def _check_order(
    draft: _OrderDraft,
    problems: _Problems,
    order_barcodes: dict[str, tuple[str, _Locator]],
    totes: dict[str, tuple[str, _Locator]],
) -> None:
    if draft.lines is None:
        return  # "lines" itself was malformed and is already reported
    if not draft.lines:
        problems.add(draft.loc, "lines", f"order {draft.order_id} has no lines")
    too_many = lines_problem(len(draft.lines))
    if too_many:
        problems.add(draft.loc, "lines", f"order {draft.order_id} {too_many}")
    order_key = _unique_key(draft, "order_barcode", problems, order_barcodes, totes, "tote")
    tote_key = _unique_key(draft, "tote", problems, totes, order_barcodes, "barcode")

    skus: dict[str, _LineDraft] = {}
    keys: dict[str, tuple[str, _LineDraft]] = {}
    for line in draft.lines:
        if line.sku is not None:
            if line.sku in skus:
                problems.add(
                    line.loc,
                    "sku",
                    f"{line.sku} is already on {skus[line.sku].loc.describe()} of order {draft.order_id}",
                )
            else:
                skus[line.sku] = line
        for barcode, key, label in line.barcodes:
            if key == order_key:
                problems.add(line.loc, label, f"{barcode.code!r} is the order's own barcode")
            elif key == tote_key:
                problems.add(line.loc, label, f"{barcode.code!r} is the order's tote")
            owner = keys.get(key)
            if owner is not None and owner[0] != line.sku:
                problems.add(
                    line.loc,
                    label,
                    f"{barcode.code!r} is also listed for SKU {owner[0]} ({owner[1].loc.describe()}); "
                    "a scan could not tell them apart",
                )
            elif owner is None and line.sku is not None:
                keys[key] = (line.sku, line)
        if line.serial_tracked and line.barcodes and all(barcode.units > 1 for barcode, _k, _l in line.barcodes):
            problems.add(
                line.loc,
                "serial_tracked",
                "every unit of a serial-tracked line is scanned on its own: list its single-unit barcode",
            )
        _check_reachable(line, problems)


def _check_reachable(line: _LineDraft, problems: _Problems) -> None:
    """A quantity that no combination of the listed packs adds up to can never be packed exactly."""
    if line.quantity is None or not line.barcodes or line.rejected_barcodes:
        return  # judged once the listed barcodes are all valid
    sizes = sorted({barcode.units for barcode, _key, _label in line.barcodes})
    if not reachable(line.quantity, sizes):
        packs = ", ".join(str(size) for size in sizes)
        problems.add(line.loc, "quantity", f"{line.quantity} cannot be packed from packs of {packs} units")
