"""How long the things a person or a device types into the station may be.

The numbers are the central service's limits, defined once in `rules.fields` (the event payloads of
`rules.events`, which the station writes and the central service validates, use them). An incident the service
refuses is parked on the station for good, so the station applies the same limits where the input enters:
a scan longer than `MAX_CODE_LENGTH` is an invalid code (the package blocks, with that reason), a note or a
reason longer than `MAX_NOTE_LENGTH` is refused with a `TextTooLong` the screen turns into words.
`tests/sync/test_wire_limits.py` asserts that the wire models use exactly these numbers.

`storable_code()` is what an incident keeps of a scan: a scan that is invalid may hold anything (a QR code
can carry NUL, a decoder may hand over lone surrogates, a wedge may type 4 000 characters), and central's
database takes neither NUL nor more than `MAX_CODE_LENGTH` characters.
"""

from __future__ import annotations

import enum

from rules.fields import MAX_CODE_LENGTH, MAX_IDENT_LENGTH, MAX_NOTE_LENGTH
from rules.scan_text import GS

__all__ = [
    "MAX_CODE_LENGTH",
    "MAX_IDENT_LENGTH",
    "MAX_NOTE_LENGTH",
    "TextField",
    "TextTooLong",
    "check_note",
    "clip",
    "storable_code",
]

_ELLIPSIS = "…"


class TextField(enum.Enum):
    """Which free text was too long (the screen names it in its own words)."""

    CLEARANCE_NOTE = "clearance_note"
    ESCALATION_REASON = "escalation_reason"
    CANCEL_REASON = "cancel_reason"
    HANDOVER_NOTE = "handover_note"


class TextTooLong(ValueError):
    """A free text over its limit; nothing was saved. `field`, `length` and `limit` say which and by how much."""

    def __init__(self, field: TextField, length: int, limit: int = MAX_NOTE_LENGTH) -> None:
        super().__init__(f"{field.value} is {length} characters long, at most {limit} are kept")
        self.field = field
        self.length = length
        self.limit = limit


def check_note(text: str, field: TextField, limit: int = MAX_NOTE_LENGTH) -> str:
    """`text` stripped; raise `TextTooLong` when it is longer than `limit` characters."""
    stripped = text.strip()
    if len(stripped) > limit:
        raise TextTooLong(field, len(stripped), limit)
    return stripped


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when something was cut."""
    if len(text) <= limit:
        return text
    if limit <= len(_ELLIPSIS):
        return text[: max(0, limit)]
    return text[: limit - len(_ELLIPSIS)] + _ELLIPSIS


def _escape(char: str) -> str:
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def storable_code(raw: str | None) -> str | None:
    """A scan as an incident may keep it: printable ASCII and GS as they are, every other character
    (control characters, NUL, non-ASCII, lone surrogates) written as a Python-style escape, the whole cut
    to `MAX_CODE_LENGTH` characters. A valid code is returned unchanged."""
    if raw is None:
        return None
    if not (raw.isascii() and raw.replace(GS, "").isprintable()):
        raw = "".join(c if (c == GS or (c.isascii() and c.isprintable())) else _escape(c) for c in raw)
    return clip(raw, MAX_CODE_LENGTH)
