"""Field validation shared by the CSV and JSON readers: text, quantities, flags, barcodes, and the drafts of
an order and its lines before the whole-order checks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rules.orders import MAX_UNITS_PER_PACK, quantity_problem, text_problem
from station.barcodes import InvalidCode, expand_upce, is_valid_gtin
from station.order_files.reading import _JsonLocator, _Locator, _Problems
from station.order_files.specs import LabelSpec, PackBarcode
from station.weighing import weight_problem

_WHOLE = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,6})?", re.ASCII)
_PACK = re.compile(r"(?P<code>.*)\*(?P<units>[^*]*)", re.DOTALL)
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}


def _text(
    value: object,
    loc: _Locator,
    name: str,
    problems: _Problems,
    *,
    required: bool = True,
    max_len: int | None = None,
) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.add(loc, name, f"must be text, got {_json_type(value)}")
        return None
    # Exports wrap long addresses and descriptions over lines (folded to one); the rules are rules.orders'.
    folded, problem = text_problem(value, name, required=required, max_len=max_len)
    if problem is not None:
        problems.add(loc, name, problem)
    return folded


def _csv_quantity(value: str | None, loc: _Locator, problems: _Problems) -> int | None:
    raw = (value or "").strip()
    if not _WHOLE.fullmatch(raw) or int(raw) < 1:
        problems.add(loc, "quantity", f"must be a whole number of at least 1, got {raw!r}")
        return None
    return _bounded_quantity(int(raw), loc, problems)


def _json_quantity(value: object, loc: _Locator, problems: _Problems) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add(loc, "quantity", f"must be a whole number of at least 1, got {_json_repr(value)}")
        return None
    return _bounded_quantity(value, loc, problems)


def _bounded_quantity(quantity: int, loc: _Locator, problems: _Problems) -> int | None:
    problem = quantity_problem(quantity)  # the same limit the central service checks
    if problem is not None:
        problems.add(loc, "quantity", problem)
        return None
    return quantity


def _csv_weight(value: str | None, loc: _Locator, problems: _Problems) -> float | None:
    """Column ``unit_weight_g``: empty (not known) or grams per unit, with a point for decimals."""
    raw = (value or "").strip()
    if not raw:
        return None
    if not _DECIMAL.fullmatch(raw):
        problems.add(loc, "unit_weight_g", f"must be grams per unit such as 125 or 12.5, got {raw!r}")
        return None
    return _checked_weight(float(raw), loc, problems)


def _json_weight(value: object, loc: _Locator, problems: _Problems) -> float | None:
    """Field ``unit_weight_g``: absent or null (not known), or a number of grams per unit."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(loc, "unit_weight_g", f"must be a number of grams per unit, got {_json_repr(value)}")
        return None
    return _checked_weight(float(value), loc, problems)


def _checked_weight(grams: float, loc: _Locator, problems: _Problems) -> float | None:
    problem = weight_problem(grams)
    if problem is not None:
        problems.add(loc, "unit_weight_g", problem)
        return None
    return grams


def _flag(value: object, loc: _Locator, problems: _Problems, name: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    problems.add(loc, name, f"must be yes or no, got {_json_repr(value)}")
    return False


# A barcode as read from the file before validation: (code, units, field label for problems).
_RawBarcode = tuple[object, object, str]


def _split_csv_barcodes(value: str | None, loc: _Locator, problems: _Problems) -> list[_RawBarcode]:
    result: list[_RawBarcode] = []
    for part in (value or "").split(";"):
        part = part.strip()
        if not part:
            continue  # tolerate "a;b;" and "a;;b"
        pack = _PACK.fullmatch(part)
        if pack is None:
            result.append((part, 1, "barcodes"))
            continue
        units_text = pack.group("units").strip()
        if not _WHOLE.fullmatch(units_text) or int(units_text) < 1:
            problems.add(loc, "barcodes", f"{part!r}: units after '*' must be a whole number of at least 1")
            continue
        result.append((pack.group("code").strip(), int(units_text), "barcodes"))
    return result


def _json_barcodes(value: object, loc: _JsonLocator, problems: _Problems) -> list[_RawBarcode]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(loc, "barcodes", f"must be a list, got {_json_type(value)}")
        return []
    result: list[_RawBarcode] = []
    for index, item in enumerate(value):
        label = f"barcodes[{index}]"
        if isinstance(item, str):
            if _PACK.fullmatch(item.strip()):
                problems.add(loc, label, f'{item!r}: write a case pack as {{"code": ..., "units": N}}')
                continue
            result.append((item, 1, label))
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {"code", "units"})
            if unknown:
                problems.add(loc, label, f"unknown key(s) {', '.join(unknown)}; expected code and units")
                continue
            units = item.get("units", 1)
            if isinstance(units, bool) or not isinstance(units, int) or units < 1:
                problems.add(loc, f"{label}.units", f"must be a whole number of at least 1, got {_json_repr(units)}")
                continue
            result.append((item.get("code"), units, label))
        else:
            problems.add(loc, label, f"must be a code or {{code, units}}, got {_json_type(item)}")
    return result


@dataclass
class _LineDraft:
    loc: _Locator
    sku: str | None
    description: str | None
    quantity: int | None
    barcodes: list[tuple[PackBarcode, str, str]]  # (barcode, match key, field label)
    lot_tracked: bool
    expiry_tracked: bool
    serial_tracked: bool
    rejected_barcodes: bool = False  # some listed barcode was invalid (and already reported)
    unit_weight_g: float | None = None  # grams per unit, when the file gives it (the weight check)


@dataclass
class _OrderDraft:
    order_id: str
    loc: _Locator
    fields: dict[str, str | None]
    lines: list[_LineDraft] | None = field(default_factory=list)  # None: "lines" was not a list
    label: LabelSpec | None = None


def _line_draft(
    loc: _Locator,
    problems: _Problems,
    *,
    sku: object,
    description: object,
    quantity: Callable[[], int | None],
    barcodes: Callable[[], list[_RawBarcode]],
    listed: bool,
    flag: Callable[[str], bool],
    weight: Callable[[], float | None] = lambda: None,
) -> _LineDraft:
    """Validate one order line; fields are checked in column order so problems read naturally."""
    sku_text = _text(sku, loc, "sku", problems)
    description_text = _text(description, loc, "description", problems)
    quantity_value = quantity()
    if not listed:
        problems.add(loc, "barcodes", "line has no barcodes: nothing could be scanned for it")
    checked: list[tuple[PackBarcode, str, str]] = []
    seen: dict[str, str] = {}
    before = len(problems)
    raw_barcodes = barcodes()
    rejected = len(problems) > before
    for code, units, label in raw_barcodes:
        if not isinstance(code, str) or not code.strip():
            problems.add(loc, label, f"a barcode must be non-empty text, got {_json_repr(code)}")
            rejected = True
            continue
        code = code.strip()
        assert isinstance(units, int)
        barcode = PackBarcode(code, units)
        key = _barcode_key(barcode, loc, label, problems)
        if key is None:
            rejected = True
            continue
        if units > MAX_UNITS_PER_PACK:
            problems.add(loc, label, f"{code!r}: at most {MAX_UNITS_PER_PACK} units per pack, got {units}")
            rejected = True
            continue
        if key in seen:
            problems.add(loc, label, f"{code!r} is listed twice on this line (same code as {seen[key]!r})")
            continue
        seen[key] = code
        checked.append((barcode, key, label))
    return _LineDraft(
        loc=loc,
        sku=sku_text,
        description=description_text,
        quantity=quantity_value,
        barcodes=checked,
        lot_tracked=flag("lot_tracked"),
        expiry_tracked=flag("expiry_tracked"),
        serial_tracked=flag("serial_tracked"),
        rejected_barcodes=rejected,
        unit_weight_g=weight(),
    )


def _barcode_key(barcode: PackBarcode, loc: _Locator, label: str, problems: _Problems) -> str | None:
    """The barcode's match key (computed once, kept on the barcode), or None with the problem reported."""
    code = barcode.code
    if len(code) == 8 and code.isascii() and code.isdigit() and is_valid_gtin(code):
        try:
            upc_a = expand_upce(code)
        except InvalidCode:
            pass
        else:
            # A scanner without AIM ids reads this as EAN-8 while the box may carry it as UPC-E.
            problems.add(
                loc,
                label,
                f"{code!r} is ambiguous: valid as EAN-8 and as UPC-E (UPC-A {upc_a}); "
                f"list it as UPC-A {upc_a} or as GTIN-14 {code.zfill(14)}",
            )
            return None
    try:
        return barcode.key
    except InvalidCode as exc:
        problems.add(loc, label, f"{code!r}: {exc}")
        return None


def _json_text(
    obj: Mapping[str, Any], name: str, loc: _Locator, problems: _Problems, *, required: bool = True
) -> str | None:
    value = _as_id(obj.get(name)) if name == "order_id" else obj.get(name)
    return _text(value, loc, name, problems, required=required)


def _as_id(value: object) -> object:
    """``{"order_id": 10023}`` is an honest way to write an id; keep it as the text "10023"."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _json_lines(value: object, loc: _JsonLocator, problems: _Problems) -> list[_LineDraft] | None:
    if not isinstance(value, list):
        problems.add(loc, "lines", f"must be a list of order lines, got {_json_type(value)}")
        return None
    lines: list[_LineDraft] = []
    for index, item in enumerate(value):
        line_loc = loc.child(f"lines[{index}]")
        if not isinstance(item, dict):
            problems.add(line_loc, None, f"must be an object, got {_json_type(item)}")
            continue
        # The lambdas run inside _line_draft, during this iteration: binding the loop variables late is safe.
        lines.append(
            _line_draft(
                line_loc,
                problems,
                sku=_as_id(item.get("sku")),
                description=item.get("description"),
                quantity=lambda: _json_quantity(item.get("quantity"), line_loc, problems),  # noqa: B023
                barcodes=lambda: _json_barcodes(item.get("barcodes"), line_loc, problems),  # noqa: B023
                listed=bool(item.get("barcodes")),
                flag=lambda name: _flag(item.get(name), line_loc, problems, name),  # noqa: B023
                weight=lambda: _json_weight(item.get("unit_weight_g"), line_loc, problems),  # noqa: B023
            )
        )
    return lines


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    for kind, name in ((dict, "an object"), (list, "a list"), (str, "text"), (int, "a number"), (float, "a number")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _json_repr(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
