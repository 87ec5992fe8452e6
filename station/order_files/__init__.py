"""Order and recall files: read, validate everything, and either return all of it or reject it whole.

A station loads orders from a CSV export (one row per order line) or a JSON document, and recalled
lots from a small CSV. A half-loaded order is worse than none -- a packer would verify a package
against an order missing a line -- so every reader collects *all* problems it finds, each with file,
line (1 = the CSV header) or JSON path, and field, and then raises one :class:`OrderFileError`.

Parsing uses the standard library (``csv``, ``json``); barcode validity comes from
:mod:`station.barcodes` (biip underneath), so a listed barcode is keyed exactly as a scan of it is.

CSV columns (any order, extra columns ignored, names case-insensitive):
``order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes`` and optionally
``tote``, ``lot_tracked``, ``expiry_tracked``, ``serial_tracked`` (yes/no), ``label_file`` (the shipping
label: see :mod:`station.order_files.labels`; JSON has ``label``). ``barcodes`` is
``;``-separated; ``CODE*N`` is a case pack counting N units. JSON orders carry the same names as fields
(``tote`` on the order; the three flags on a line, as true/false or yes/no); a key written twice in one
JSON object is refused.

Tracking flags (per line; see :mod:`station.tracking`): ``lot_tracked`` -- every counted scan carries the
lot (GS1 AI 10); ``expiry_tracked`` -- the product has an expiry date, and every counted scan carries it (AI
17); ``serial_tracked`` -- every unit is scanned on its own with its serial (AI 21), so such a line must list
a single-unit barcode. A plain EAN/UPC of a tracked item counts nothing: the packer is asked for the label.

``unit_weight_g`` (per line, optional): grams per unit for the weight check at seal (:mod:`station.weighing`);
empty or absent: the item master's weight, if any. A value that is not a positive number of grams (with a
point for decimals) rejects the file like any other bad field.

``tote``: the tote the order was picked into. Scanning it opens the order; it is held until the order is
sealed, then free for the next order.

CSV files are read as a stream (:func:`iter_order_file`): memory stays bounded by the largest order, not
the file, and the rows of one order may still be anywhere in the file. Nothing is returned for a file with
a problem: the caller stores what it gets in one transaction, and the error comes before the end.

The package, by concept: ``specs`` (what a file yields, ``OrderFileError``, the limits), ``reading`` (problems
and their locations, a file's text and CSV rows), ``fields`` (field checks shared by CSV and JSON),
``checks`` (whole-order checks), ``csv_orders`` (the streamed CSV reader), ``json_orders`` and ``json_keys``
(the JSON reader), ``recalls`` (the recall file), and ``conflicts`` (codes an import must not let two things
share, checked against the stored orders). The names callers use are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rules.orders import MAX_QUANTITY, MAX_UNITS_PER_PACK
from station.order_files.csv_orders import iter_orders_csv_file, parse_orders_csv
from station.order_files.json_orders import parse_orders_json
from station.order_files.reading import _read_text
from station.order_files.recalls import parse_recalls_csv
from station.order_files.specs import (
    FLAGS,
    MAX_FILE_BYTES,
    FileProblem,
    OrderFileError,
    OrderLineSpec,
    OrderSpec,
    PackBarcode,
    RecallEntry,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_QUANTITY",
    "MAX_UNITS_PER_PACK",
    "FLAGS",
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


def read_order_file(path: Path) -> list[OrderSpec]:
    """Read orders from a ``.csv`` or ``.json`` file; raise :class:`OrderFileError` on any problem."""
    return list(iter_order_file(path))


def iter_order_file(path: Path) -> Iterator[OrderSpec]:
    """The orders of a ``.csv`` or ``.json`` file, one at a time; raises :class:`OrderFileError` (at the
    latest when the last order has been taken) if the file has any problem. A CSV file is streamed."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise OrderFileError(
            [FileProblem(path.name, None, None, f"unsupported file type {suffix or '(none)'!r}: use .csv or .json")]
        )
    if suffix == ".csv":
        return iter_orders_csv_file(path)
    return iter(parse_orders_json(_read_text(path), source=path.name, base_dir=path.parent))


def read_recall_file(path: Path) -> list[RecallEntry]:
    """Read recalled lots/serials from CSV (header ``gtin,lot,serial,reason``); raise on any problem."""
    path = Path(path)
    return parse_recalls_csv(_read_text(path), source=path.name)
