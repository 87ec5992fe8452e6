"""What an order or recall file yields (``OrderSpec``, ``RecallEntry``, ...), how a rejected file is reported
(``FileProblem``, ``OrderFileError``), and the limits every reader applies."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from rules.labels import LabelFormat
from station.barcodes import match_key

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

FLAGS = ("lot_tracked", "expiry_tracked", "serial_tracked")
ORDER_COLUMNS = ("order_id", "order_barcode", "ship_to", "carrier", "sku", "description", "quantity", "barcodes")
RECALL_COLUMNS = ("gtin", "lot", "serial", "reason")


@dataclass(frozen=True)
class PackBarcode:
    """One barcode printed on an item or a case; a case pack counts ``units`` items per scan."""

    code: str
    units: int = 1

    @functools.cached_property
    def key(self) -> str:
        """The key a scan of this barcode matches (see :func:`station.barcodes.match_key`); computed on first
        use and kept, so the reader, the conflict check and the import share one computation."""
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
    unit_weight_g: float | None = None  # grams per unit (the weight check); None: not in the file


@dataclass(frozen=True)
class LabelSpec:
    """The shipping label an order brought (see ``station.order_files.labels``): its format and its bytes."""

    format: LabelFormat
    content: bytes

    def __repr__(self) -> str:  # an order's repr in a log must not carry 100 kB of PDF
        return f"LabelSpec({self.format.value}, {len(self.content)} bytes)"


@dataclass(frozen=True)
class OrderSpec:
    """One order: who it ships to and what must go in the package."""

    order_id: str
    order_barcode: str | None
    ship_to: str
    carrier: str
    lines: tuple[OrderLineSpec, ...]
    tote: str | None = None  # the tote it was picked into; scanning it opens the order until it is sealed
    label: LabelSpec | None = None  # the shipping label it came with, printed at the seal


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
