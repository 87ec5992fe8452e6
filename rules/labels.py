"""The shipping label that comes with an order: its two formats and the checks both ends apply.

PackGate does not talk to carriers. The WMS (in an order file) or the central service (in the orders API)
hands over the label the carrier made for the order, either as ZPL text for a Zebra-style label printer or
as a PDF. The station prints it at the seal, exactly as received. What is checked here, once for both ends
(``station.order_files`` and ``sync.wire.orders``), is that it is what it says it is and not absurdly big:
a PDF starts with ``%PDF-``; a ZPL label has a ``^XA`` ... ``^XZ`` format and is printable ASCII/Latin-1 text
(ZPL's own encoding); neither is over ``MAX_LABEL_BYTES``.
"""

from __future__ import annotations

import enum

#: A 4x6" carrier label is 2-50 kB as ZPL (with a logo as a ~GF graphic, ~200 kB) and 20-100 kB as PDF.
#: Ten times the largest is a file that is not a label, and it would sit in every sync page.
MAX_LABEL_BYTES = 1024 * 1024


class LabelFormat(enum.StrEnum):
    """How a shipping label is written (and so which printer language it needs)."""

    ZPL = "zpl"
    PDF = "pdf"


def label_problem(fmt: LabelFormat, data: bytes) -> str | None:
    """Why ``data`` is not a usable ``fmt`` label, in words for the person who made the file, or None."""
    if not data:
        return "the label is empty"
    if len(data) > MAX_LABEL_BYTES:
        return f"the label is {len(data)} bytes, larger than the {MAX_LABEL_BYTES} allowed"
    if fmt is LabelFormat.PDF:
        if not data.startswith(b"%PDF-"):
            return "not a PDF file (a PDF starts with %PDF-)"
        return None
    upper = data.upper()
    start = upper.find(b"^XA")
    if start < 0 or upper.find(b"^XZ", start) < 0:
        return "not a ZPL label: no ^XA ... ^XZ format in it"
    for byte in data:
        if byte < 0x20 and byte not in (0x09, 0x0A, 0x0D):
            return f"the ZPL text holds control character 0x{byte:02X}"
    return None


def zpl_bytes(text: str) -> bytes:
    """ZPL text as the bytes a printer gets (ZPL is Latin-1 unless a ^CI command says otherwise); raises
    ``ValueError`` for a character Latin-1 cannot hold."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise ValueError(f"character {text[exc.start]!r} cannot be sent in ZPL (Latin-1 only)") from None
