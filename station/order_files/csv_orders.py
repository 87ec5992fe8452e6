"""The CSV order file, read as a stream: memory bounded by the largest order, not by the file.

A CSV export has one row per order *line*, and nothing promises that the rows of one order are next to
each other. Reading the whole file into memory (as text, then as rows, then as orders) took 1.4 GB for a
41.6 MB file. Instead the file is read twice, line by line:

1. an index pass keeps only, per order id, the line number of its **last** row (a few dozen bytes per order);
2. the checking pass validates every row, gathers the rows of each order, and hands the order on (checked
   whole, as before) as soon as its last row has been read; then it forgets it.

So an ordinary export (rows grouped by order) holds one order at a time, and a shuffled one still reads
correctly. Every problem is still reported with its line, and none of the orders count for anything until
the whole file has been read: :func:`iter_orders_csv` raises :class:`~station.order_files.OrderFileError`
after the last order if the file had a problem, and the caller (``station.orders.import_orders``) writes
everything in one transaction, so it rolls back.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from station.order_files.checks import OrderFinisher
from station.order_files.fields import (
    _csv_quantity,
    _csv_weight,
    _flag,
    _line_draft,
    _LineDraft,
    _OrderDraft,
    _split_csv_barcodes,
    _text,
)
from station.order_files.reading import _csv_rows, _CsvLocator, _Problems, _text_lines
from station.order_files.specs import (
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    ORDER_COLUMNS,
    FileProblem,
    OrderFileError,
    OrderSpec,
)

logger = logging.getLogger(__name__)

__all__ = ["iter_orders_csv", "iter_orders_csv_file", "parse_orders_csv"]

# Opens the file's lines afresh (with their line endings), reporting read problems into the given list.
LineSource = Callable[[_Problems], Iterator[str]]


def iter_orders_csv_file(path: Path) -> Iterator[OrderSpec]:
    """The orders of a CSV file, streamed (see the module docstring)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise OrderFileError([FileProblem(path.name, None, None, f"cannot read file: {exc.strerror or exc}")]) from exc
    if size > MAX_FILE_BYTES:
        raise OrderFileError(
            [FileProblem(path.name, None, None, f"file is {size} bytes, larger than the {MAX_FILE_BYTES} allowed")]
        )
    return iter_orders_csv(lambda problems: _file_lines(path, problems), source=path.name, base_dir=path.parent)


def iter_orders_csv(open_lines: LineSource, source: str, base_dir: Path | None = None) -> Iterator[OrderSpec]:
    """Orders from CSV lines; raises ``OrderFileError`` after the last one if anything was wrong."""
    # Pass 1: where does each order end? Problems are found (and reported) in pass 2.
    scratch = _Problems(source)
    last_row: dict[str, int] = {}
    for line_no, row in _csv_rows(open_lines(scratch), scratch, ORDER_COLUMNS):
        last_row[_id_key(row.get("order_id"))] = line_no

    problems = _Problems(source)
    finisher = OrderFinisher(problems, base_dir)
    open_orders: dict[str, _OrderDraft] = {}
    for line_no, row in _csv_rows(open_lines(problems), problems, ORDER_COLUMNS):
        order_id, order_fields, line = csv_order_row(line_no, row, problems)
        if order_id is None:
            continue
        draft = open_orders.get(order_id)
        if draft is None:
            draft = open_orders[order_id] = _OrderDraft(order_id, line.loc, order_fields, [line])
        else:
            merge_csv_row(draft, order_fields, line, problems)
        if last_row.get(order_id) == line_no:
            spec = finisher.finish(open_orders.pop(order_id))
            if spec is not None:
                yield spec
    for draft in open_orders.values():  # only if the file changed between the passes
        spec = finisher.finish(draft)
        if spec is not None:
            yield spec
    finisher.end()


def _id_key(value: str | None) -> str:
    """An order id as the checking pass will read it (``_text`` folds whitespace the same way)."""
    return " ".join((value or "").split())


def _file_lines(path: Path, problems: _Problems) -> Iterator[str]:
    """The file's lines as text, one read of at most ``MAX_LINE_BYTES`` at a time.

    A line that is not UTF-8 or is longer than that ends the file with a located problem. Lines are split on
    LF, CRLF and a lone CR, as CSV (and ``io.StringIO(newline="")``) splits them."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        problems.add_at(None, None, f"cannot read file: {exc.strerror or exc}")
        return
    try:
        line_no = 0
        while True:
            data = handle.readline(MAX_LINE_BYTES + 1)
            if not data:
                return
            line_no += 1
            if len(data) > MAX_LINE_BYTES:
                problems.add_at(line_no, None, f"line is longer than {MAX_LINE_BYTES} bytes: not an order file")
                return
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.add_at(
                    line_no,
                    None,
                    f"not UTF-8 text: byte 0x{data[exc.start]:02X} at column {exc.start + 1}; save the file as UTF-8",
                )
                return
            if line_no == 1:
                text = text.removeprefix("\ufeff")
            if "\r" in text[:-2]:  # a lone CR inside: old Mac line endings
                yield from io.StringIO(text, newline="")
            else:
                yield text
    except OSError as exc:
        problems.add_at(None, None, f"cannot read file: {exc.strerror or exc}")
    finally:
        handle.close()


def parse_orders_csv(text: str, source: str = "<csv>") -> list[OrderSpec]:
    """Parse order CSV text (see module docstring for the columns)."""
    return list(iter_orders_csv(lambda _problems: _text_lines(text), source))


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
        "label_file": _text(row.get("label_file"), loc, "label_file", problems, required=False, max_len=1024),
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
        weight=lambda: _csv_weight(row.get("unit_weight_g"), loc, problems),
    )
    return order_id, order_fields, line


def merge_csv_row(
    draft: _OrderDraft, order_fields: Mapping[str, str | None], line: _LineDraft, problems: _Problems
) -> None:
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


_OPTIONAL_ORDER_FIELDS = ("order_barcode", "tote", "label_file")
