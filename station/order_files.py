"""Order and recall files: read, validate everything, and either return all of it or reject it whole.

A station loads orders from a CSV export (one row per order line) or a JSON document, and recalled
lots from a small CSV. A half-loaded order is worse than none -- a packer would verify a package
against an order missing a line -- so every reader collects *all* problems it finds, each with file,
line (1 = the CSV header) or JSON path, and field, and then raises one :class:`OrderFileError`.

Parsing uses the standard library (``csv``, ``json``); barcode validity comes from
:mod:`station.barcodes` (biip underneath), so a listed barcode is keyed exactly as a scan of it is.

CSV columns (any order, extra columns ignored, names case-insensitive):
``order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes`` and optionally
``tote``, ``lot_tracked``, ``expiry_tracked``, ``serial_tracked`` (yes/no). ``barcodes`` is
``;``-separated; ``CODE*N`` is a case pack counting N units. JSON orders carry the same names as fields
(``tote`` on the order; the three flags on a line, as true/false or yes/no); a key written twice in one
JSON object is refused.

Tracking flags (per line; see :mod:`station.tracking`): ``lot_tracked`` -- every counted scan carries the
lot (GS1 AI 10); ``expiry_tracked`` -- the product has an expiry date, and every counted scan carries it (AI
17); ``serial_tracked`` -- every unit is scanned on its own with its serial (AI 21), so such a line must list
a single-unit barcode. A plain EAN/UPC of a tracked item counts nothing: the packer is asked for the label.

``tote``: the tote the order was picked into. Scanning it opens the order; it is held until the order is
sealed, then free for the next order.

CSV files are read as a stream (:func:`iter_order_file`): memory stays bounded by the largest order, not
the file, and the rows of one order may still be anywhere in the file. Nothing is returned for a file with
a problem: the caller stores what it gets in one transaction, and the error comes before the end.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biip import ParseError
from biip.gs1_element_strings import GS1ElementString

from rules.orders import FIELD_MAX_LEN, MAX_QUANTITY, MAX_UNITS_PER_PACK
from station.barcodes import InvalidCode, expand_upce, is_valid_gtin, match_key
from station.json_keys import KeyedObject, duplicate_keys

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_QUANTITY",
    "MAX_UNITS_PER_PACK",
    "FileProblem",
    "OrderFileError",
    "OrderLineSpec",
    "OrderSpec",
    "PackBarcode",
    "RecallEntry",
    "parse_orders_csv",
    "parse_orders_json",
    "iter_order_file",
    "parse_recalls_csv",
    "read_order_file",
    "read_recall_file",
]

# The quantity range, case-pack size and field limits are shared with the central service (rules.orders).
#: A 100,000-order export is ~25 MB of CSV or ~45 MB of JSON; refuse a mistaken file far beyond that
#: before reading it into memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: How many problems ``str(OrderFileError)`` lists before "… and N more".
SHOWN_PROBLEMS = 10
#: How many problems are kept in full (a garbage file of a million rows is reported, not held, whole).
KEPT_PROBLEMS = 1000
#: Longest physical line of a CSV file: far above any real row, and it bounds what one read holds.
MAX_LINE_BYTES = 1024 * 1024

_MAX_LEN = FIELD_MAX_LEN
FLAGS = ("lot_tracked", "expiry_tracked", "serial_tracked")
ORDER_COLUMNS = ("order_id", "order_barcode", "ship_to", "carrier", "sku", "description", "quantity", "barcodes")
RECALL_COLUMNS = ("gtin", "lot", "serial", "reason")
_WHOLE = re.compile(r"[0-9]+", re.ASCII)
_PACK = re.compile(r"(?P<code>.*)\*(?P<units>[^*]*)", re.DOTALL)
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}


# --------------------------------------------------------------------------------------------------
# Public data


@dataclass(frozen=True)
class PackBarcode:
    """One barcode printed on an item or a case; a case pack counts ``units`` items per scan."""

    code: str
    units: int = 1

    @property
    def key(self) -> str:
        """The key a scan of this barcode matches (see :func:`station.barcodes.match_key`)."""
        return match_key(self.code)


@dataclass(frozen=True)
class OrderLineSpec:
    """One line of an order as the file lists it. Every counted scan must carry: the lot (AI 10) if
    ``lot_tracked``, the expiry (AI 17) if ``expiry_tracked``, the unit's serial (AI 21) if ``serial_tracked``."""

    sku: str
    description: str
    quantity: int
    barcodes: tuple[PackBarcode, ...]
    lot_tracked: bool = False
    expiry_tracked: bool = False
    serial_tracked: bool = False


@dataclass(frozen=True)
class OrderSpec:
    """One order: who it ships to and what must go in the package."""

    order_id: str
    order_barcode: str | None
    ship_to: str
    carrier: str
    lines: tuple[OrderLineSpec, ...]
    tote: str | None = None  # the tote it was picked into; scanning it opens the order until it is sealed


@dataclass(frozen=True)
class RecallEntry:
    """A recalled lot or serial. ``gtin`` (GTIN-14) None means: any product with that lot/serial."""

    gtin: str | None
    lot: str | None
    serial: str | None
    reason: str

    def matches(self, gtin: str | None, lot: str | None, serial: str | None) -> bool:
        """True if a scanned item (GTIN-14, lot, serial) falls under this recall.

        Every field the entry names must be present and equal; fields it leaves empty match anything.
        """
        if self.gtin is not None and gtin != self.gtin:
            return False
        if self.lot is not None and lot != self.lot:
            return False
        return not (self.serial is not None and serial != self.serial)


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong with a file, located precisely enough to fix it in an editor."""

    source: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class OrderFileError(ValueError):
    """The file was rejected whole; ``problems`` lists what was found, in file order (the first
    ``KEPT_PROBLEMS`` of ``total``)."""

    def __init__(self, problems: Sequence[FileProblem], total: int | None = None) -> None:
        self.problems: list[FileProblem] = list(problems)
        self.total = max(total or 0, len(self.problems))
        shown = [str(problem) for problem in self.problems[:SHOWN_PROBLEMS]]
        hidden = self.total - len(shown)
        if hidden:
            shown.append(f"… and {hidden} more")
        super().__init__("\n".join(shown))


# --------------------------------------------------------------------------------------------------
# Entry points


def read_order_file(path: Path) -> list[OrderSpec]:
    """Read orders from a ``.csv`` or ``.json`` file; raise :class:`OrderFileError` on any problem."""
    return list(iter_order_file(path))


def iter_order_file(path: Path) -> Iterator[OrderSpec]:
    """The orders of a ``.csv`` or ``.json`` file, one at a time; raises :class:`OrderFileError` (at the
    latest when the last order has been taken) if the file has any problem. A CSV file is streamed."""
    from station.order_csv import iter_orders_csv_file  # the streaming reader builds on this module

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise OrderFileError(
            [FileProblem(path.name, None, None, f"unsupported file type {suffix or '(none)'!r}: use .csv or .json")]
        )
    if suffix == ".csv":
        return iter_orders_csv_file(path)
    return iter(parse_orders_json(_read_text(path), source=path.name))


def read_recall_file(path: Path) -> list[RecallEntry]:
    """Read recalled lots/serials from CSV (header ``gtin,lot,serial,reason``); raise on any problem."""
    path = Path(path)
    return parse_recalls_csv(_read_text(path), source=path.name)


def parse_orders_csv(text: str, source: str = "<csv>") -> list[OrderSpec]:
    """Parse order CSV text (see module docstring for the columns)."""
    from station.order_csv import iter_orders_csv

    return list(iter_orders_csv(lambda _problems: _text_lines(text), source))


def _text_lines(text: str) -> Iterator[str]:
    # StringIO(newline="") splits only on CR, LF and CRLF, as CSV does; str.splitlines() would also
    # split inside a value at U+2028, U+0085, form feed etc. and break the row and its line number.
    return iter(io.StringIO(text.removeprefix("\ufeff"), newline=""))


def csv_order_row(
    line_no: int, row: Mapping[str, str], problems: _Problems
) -> tuple[str | None, dict[str, str | None], _LineDraft]:
    """One CSV row checked field by field: (order id or None, its order fields, its line)."""
    loc = _CsvLocator(line_no)
    order_id = _text(row.get("order_id"), loc, "order_id", problems)
    order_fields = {
        "order_barcode": _text(row.get("order_barcode"), loc, "order_barcode", problems, required=False),
        "tote": _text(row.get("tote"), loc, "tote", problems, required=False),
        "ship_to": _text(row.get("ship_to"), loc, "ship_to", problems),
        "carrier": _text(row.get("carrier"), loc, "carrier", problems),
    }
    line = _line_draft(
        loc,
        problems,
        sku=row.get("sku"),
        description=row.get("description"),
        quantity=lambda: _csv_quantity(row.get("quantity"), loc, problems),
        barcodes=lambda: _split_csv_barcodes(row.get("barcodes"), loc, problems),
        listed=bool((row.get("barcodes") or "").replace(";", "").strip()),
        flag=lambda name: _flag(row.get(name), loc, problems, name),
    )
    return order_id, order_fields, line


def merge_csv_row(draft: _OrderDraft, order_fields: Mapping[str, str | None], line: _LineDraft,
                  problems: _Problems) -> None:
    """Add a further row of an order: its order fields must agree with the order's first row."""
    for name, value in order_fields.items():
        first = draft.fields[name]
        if value == first or (name not in _OPTIONAL_ORDER_FIELDS and None in (value, first)):
            continue  # equal, or an empty required field that is already reported
        problems.add(
            line.loc,
            name,
            f"differs from {draft.loc.describe()} of order {draft.order_id}: {value or ''!r} vs {first or ''!r}",
        )
    assert draft.lines is not None
    draft.lines.append(line)


_OPTIONAL_ORDER_FIELDS = ("order_barcode", "tote")


def parse_orders_json(text: str, source: str = "<json>") -> list[OrderSpec]:
    """Parse order JSON: ``{"orders": [...]}`` or a bare list of orders."""
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
        problems.add(_JsonLocator(path), None,
                     f"key {key!r} is written more than once in this object; which one is meant?")

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
        if order_id is None:
            continue
        if order_id in drafts:
            problems.add(loc, "order_id", f"order {order_id} is listed twice (also {drafts[order_id].loc.describe()})")
            continue
        drafts[order_id] = _OrderDraft(order_id, loc, order_fields, lines)
    finisher = OrderFinisher(problems)
    specs = [spec for spec in (finisher.finish(draft) for draft in drafts.values()) if spec is not None]
    finisher.end()
    return specs


def parse_recalls_csv(text: str, source: str = "<csv>") -> list[RecallEntry]:
    """Parse recall CSV text: ``gtin,lot,serial,reason``; an empty gtin means any product."""
    problems = _Problems(source)
    entries: list[RecallEntry] = []
    seen: dict[tuple[str | None, str | None, str | None], int] = {}
    for line_no, row in _csv_rows(_text_lines(text), problems, required=RECALL_COLUMNS):
        loc = _CsvLocator(line_no)
        gtin = _recall_gtin(row.get("gtin"), loc, problems)
        lot = _gs1_field(row.get("lot"), "10", loc, "lot", problems)
        serial = _gs1_field(row.get("serial"), "21", loc, "serial", problems)
        reason = _text(row.get("reason"), loc, "reason", problems, max_len=500)
        raw_values = [(row.get(name) or "").strip() for name in ("gtin", "lot", "serial")]
        if not any(raw_values):
            problems.add(loc, None, "a recall must name a gtin, a lot or a serial")
            continue
        identity = (gtin, lot, serial)
        if identity in seen:
            problems.add(loc, None, f"same recall as line {seen[identity]}")
            continue
        seen[identity] = line_no
        if reason is not None and len(problems) == 0:
            entries.append(RecallEntry(gtin=gtin, lot=lot, serial=serial, reason=reason))
    if not seen and not problems:
        problems.add(None, None, "no recalls in file")
    if problems:
        raise problems.error()
    logger.info("loaded %d recall entries from %s", len(entries), source)
    return entries


# --------------------------------------------------------------------------------------------------
# Problem collection and locations


class _CsvLocator:
    def __init__(self, line: int) -> None:
        self.line = line

    def place(self, field_name: str | None) -> tuple[int | None, str | None]:
        return self.line, field_name

    def child(self, _suffix: str) -> _CsvLocator:
        return self

    def describe(self) -> str:
        return f"line {self.line}"


class _JsonLocator:
    def __init__(self, path: str) -> None:
        self.path = path

    def place(self, field_name: str | None) -> tuple[int | None, str | None]:
        if field_name is None:
            return None, self.path
        if field_name.startswith("["):
            return None, f"{self.path}{field_name}"
        return None, f"{self.path}.{field_name}" if self.path else field_name

    def child(self, suffix: str) -> _JsonLocator:
        return _JsonLocator(self.place(suffix)[1] or suffix)

    def describe(self) -> str:
        return self.path


_Locator = _CsvLocator | _JsonLocator


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[FileProblem] = []
        self.total = 0  # all found; only the first KEPT_PROBLEMS are kept

    def __len__(self) -> int:
        return self.total

    def add(self, loc: _Locator | None, field_name: str | None, message: str) -> None:
        line, where = loc.place(field_name) if loc is not None else (None, field_name)
        self.add_at(line, where, message)

    def add_at(self, line: int | None, field_name: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < KEPT_PROBLEMS:
            self.items.append(FileProblem(self.source, line, field_name, message))

    def error(self) -> OrderFileError:
        # Report in file order (CSV order checks run after all rows were read); sort is stable, so
        # problems without a line (JSON paths, whole-file problems) keep the order they were found in.
        self.items.sort(key=lambda problem: problem.line or 0)
        logger.warning("rejected %s: %d problem(s), first: %s", self.source, self.total, self.items[0])
        return OrderFileError(self.items, self.total)


# --------------------------------------------------------------------------------------------------
# Reading and decoding


def _read_text(path: Path) -> str:
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise OrderFileError(
                [FileProblem(source, None, None, f"file is {size} bytes, larger than the {MAX_FILE_BYTES} allowed")]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise OrderFileError([FileProblem(source, None, None, f"cannot read file: {exc.strerror or exc}")]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise OrderFileError(
            [
                FileProblem(
                    source,
                    line,
                    None,
                    f"not UTF-8 text: byte 0x{data[exc.start]:02X} at column {column}; save the file as UTF-8",
                )
            ]
        ) from None


def _csv_rows(
    lines: Iterable[str], problems: _Problems, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number of the row's first line, {column: value}) from the file's lines (with their
    line endings, byte order mark removed); header problems end the file."""
    lines = iter(lines)
    head: list[str] = []
    for text_line in lines:
        head.append(text_line)
        if text_line.strip():
            break
    else:
        if not len(problems):
            problems.add(None, None, "file is empty")
        return
    reader = csv.reader(itertools.chain(head, lines), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.add_at(reader.line_num or 1, None, f"cannot read CSV header: {exc}")
        return
    names = [name.strip().lower() for name in header]
    for name in sorted({name for name in names if names.count(name) > 1 and name}):
        problems.add_at(1, name, "column appears more than once")
    missing = [name for name in required if name not in names]
    for name in missing:
        problems.add_at(1, name, "required column is missing")
    if missing or len(problems):
        return
    index = {name: position for position, name in reversed(list(enumerate(names)))}
    rows = 0
    found_before = len(problems)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add_at(start, None, f"cannot read CSV: {exc}")
            return  # the rest of the file cannot be split into rows reliably
        if not cells or all(not cell.strip() for cell in cells):
            continue  # blank line
        rows += 1
        if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
            problems.add_at(
                start, None, f"row has {len(cells)} fields but the header has {len(names)} (unquoted comma?)"
            )
            continue
        yield start, {name: cells[position] if position < len(cells) else "" for name, position in index.items()}
    if rows == 0 and len(problems) == found_before:  # not when the file could not be read to its end
        problems.add(None, None, "no rows after the header")


# --------------------------------------------------------------------------------------------------
# Field validation shared by CSV and JSON


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
    # Exports wrap long addresses and descriptions over lines; one line reads better on the bench.
    value = " ".join(value.split())
    if not value:
        if required:
            problems.add(loc, name, "required, but empty")
        return None
    limit = max_len or _MAX_LEN.get(name, 200)
    if len(value) > limit:
        problems.add(loc, name, f"at most {limit} characters, got {len(value)}")
        return None
    if not value.isprintable():  # whole-string check first: this runs for every field of every row
        bad = next(char for char in value if not char.isprintable())
        problems.add(loc, name, f"contains control character U+{ord(bad):04X}")
        return None
    return value


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
    if quantity > MAX_QUANTITY:
        problems.add(loc, "quantity", f"at most {MAX_QUANTITY}, got {quantity}")
        return None
    return quantity


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


@dataclass
class _OrderDraft:
    order_id: str
    loc: _Locator
    fields: dict[str, str | None]
    lines: list[_LineDraft] | None = field(default_factory=list)  # None: "lines" was not a list


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
        key = _barcode_key(code, loc, label, problems)
        if key is None:
            rejected = True
            continue
        assert isinstance(units, int)
        if units > MAX_UNITS_PER_PACK:
            problems.add(loc, label, f"{code!r}: at most {MAX_UNITS_PER_PACK} units per pack, got {units}")
            rejected = True
            continue
        if key in seen:
            problems.add(loc, label, f"{code!r} is listed twice on this line (same code as {seen[key]!r})")
            continue
        seen[key] = code
        checked.append((PackBarcode(code, units), key, label))
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
    )


def _barcode_key(code: str, loc: _Locator, label: str, problems: _Problems) -> str | None:
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
        return match_key(code)
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
        lines.append(
            _line_draft(
                line_loc,
                problems,
                sku=_as_id(item.get("sku")),
                description=item.get("description"),
                quantity=lambda: _json_quantity(item.get("quantity"), line_loc, problems),
                barcodes=lambda: _json_barcodes(item.get("barcodes"), line_loc, problems),
                listed=bool(item.get("barcodes")),
                flag=lambda name: _flag(item.get(name), line_loc, problems, name),
            )
        )
    return lines


# --------------------------------------------------------------------------------------------------
# Whole-order checks


class OrderFinisher:
    """Checks each order once all its lines are read, and the file's orders against each other (one
    barcode or tote per order); builds nothing once any problem was found: the file is rejected whole."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.count = 0
        self.order_barcodes: dict[str, tuple[str, _Locator]] = {}  # key -> (order id, where)
        self.totes: dict[str, tuple[str, _Locator]] = {}

    def finish(self, draft: _OrderDraft) -> OrderSpec | None:
        self.count += 1
        _check_order(draft, self.problems, self.order_barcodes, self.totes)
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
                )
                for line in draft.lines or ()
            ),
            tote=draft.fields.get("tote"),
        )

    def end(self) -> None:
        """Raise the file's problems, if any (call after the last order)."""
        if not self.count and not self.problems:
            self.problems.add(None, None, "no orders in file")
        if self.problems:
            raise self.problems.error()
        logger.info("loaded %d order(s) from %s", self.count, self.problems.source)


def _unique_key(
    draft: _OrderDraft, name: str, problems: _Problems, seen: dict[str, tuple[str, _Locator]],
    others: Mapping[str, tuple[str, _Locator]], other_name: str,
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
    draft: _OrderDraft, problems: _Problems, order_barcodes: dict[str, tuple[str, _Locator]],
    totes: dict[str, tuple[str, _Locator]],
) -> None:
    if draft.lines is None:
        return  # "lines" itself was malformed and is already reported
    if not draft.lines:
        problems.add(draft.loc, "lines", f"order {draft.order_id} has no lines")
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
            problems.add(line.loc, "serial_tracked",
                         "every unit of a serial-tracked line is scanned on its own: list its single-unit barcode")
        _check_reachable(line, problems)


def _check_reachable(line: _LineDraft, problems: _Problems) -> None:
    """A quantity that no combination of the listed packs adds up to can never be packed exactly."""
    if line.quantity is None or not line.barcodes or line.rejected_barcodes:
        return  # judged once the listed barcodes are all valid
    sizes = sorted({barcode.units for barcode, _key, _label in line.barcodes})
    if sizes[0] == 1:
        return
    reachable = [True] + [False] * line.quantity
    for total in range(1, line.quantity + 1):
        reachable[total] = any(size <= total and reachable[total - size] for size in sizes)
    if not reachable[line.quantity]:
        packs = ", ".join(str(size) for size in sizes)
        problems.add(line.loc, "quantity", f"{line.quantity} cannot be packed from packs of {packs} units")


# --------------------------------------------------------------------------------------------------
# Recall helpers


def _recall_gtin(value: str | None, loc: _Locator, problems: _Problems) -> str | None:
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        key = match_key(raw)
    except InvalidCode as exc:
        problems.add(loc, "gtin", f"{raw!r}: {exc}")
        return None
    if not (len(key) == 14 and key.isdigit()):
        problems.add(loc, "gtin", f"{raw!r} is not a GTIN")
        return None
    return key


def _gs1_field(value: str | None, ai: str, loc: _Locator, name: str, problems: _Problems) -> str | None:
    """A lot (AI 10) or serial (AI 21) must be something a GS1 label can carry, or it never matches."""
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        GS1ElementString.parse(f"{ai}{raw}")
    except ParseError:
        problems.add(loc, name, f"{raw!r} is not a valid GS1 {name}: 1-20 characters, letters, digits and - . / _")
        return None
    return raw


# --------------------------------------------------------------------------------------------------
# Small helpers


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

