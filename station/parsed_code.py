"""What a scan is once classified (`ParsedCode`, `CodeKind`) and the refusal of one that cannot be trusted
(`InvalidCode`). `station.barcodes` builds them and re-exports all three."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from station.commands import Command


class InvalidCode(ValueError):
    """A scanned or listed code that cannot be trusted (bad check digit, malformed GS1, garbage).

    ``str(exc)`` is the short human reason, e.g. ``"check digit is 7, expected 3"``; ``code`` is the
    offending input as given (may be ``None`` when the input was not even a string).
    """

    def __init__(self, reason: str, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code

    def __str__(self) -> str:
        return self.reason


class CodeKind(enum.Enum):
    """What a scan turned out to be."""

    GTIN = "gtin"  # a bare EAN/UPC/ITF-14 product number
    GS1 = "gs1"  # GS1 element strings (GS1-128, DataMatrix, DataBar, QR, Digital Link)
    COMMAND = "command"  # CMD:<WORD> bench command
    TEXT = "text"  # anything else printable: internal labels, order barcodes


@dataclass(frozen=True)
class ParsedCode:
    """One scan, classified and normalised. Build it with :func:`parse_scan`."""

    raw: str  # exactly as received
    text: str  # AIM prefix and surrounding whitespace stripped
    symbology: str | None  # AIM id like "]E0", "]C1", "]d2", "]Q3", or None
    kind: CodeKind
    gtin: str | None  # normalised GTIN-14 (AI 01, else AI 02 "contained GTIN")
    lot: str | None  # AI 10
    expiry: datetime.date | None  # AI 17 (day 00 = last day of month per GS1)
    serial: str | None  # AI 21
    count: int | None  # AI 30 or 37
    command: Command | None  # Command.SEAL, ... for CMD:<WORD>; None for a command word this station lacks
    hri: str | None = None  # GS1 only: canonical "(01)...(10)..." form
    sscc: str | None = None  # GS1 only: AI 00 serial shipping container code
    elements: tuple[tuple[str, str], ...] = ()  # GS1 only: every (AI, value) in scan order

    @property
    def match_key(self) -> str:
        """What to look up in an order's barcodes: the GTIN-14 if any, else a canonical text."""
        if self.gtin is not None:
            return self.gtin
        if self.kind is CodeKind.GS1 and self.hri is not None:
            return self.hri
        if self.kind is CodeKind.COMMAND and self.command is not None:
            return self.command.barcode
        return self.text.upper()


def plain_code(
    raw: str,
    text: str,
    symbology: str | None,
    kind: CodeKind,
    *,
    gtin: str | None = None,
    command: Command | None = None,
) -> ParsedCode:
    """A code with no GS1 data elements (a bare GTIN, a command, text)."""
    return ParsedCode(
        raw=raw,
        text=text,
        symbology=symbology,
        kind=kind,
        gtin=gtin,
        lot=None,
        expiry=None,
        serial=None,
        count=None,
        command=command,
    )
