"""Is a decoded text usable as a code? One check for every scan source: serial and wedge lines, scripted and
typed codes (through `serial_scanner.parse_scanner_line`) and the camera's decoded symbols.

A QR code or a DataMatrix can carry any byte, NUL included; a decoder may hand over text no file or database
can store (lone surrogates). Such a symbol is reported as a rejection with a short reason, exactly like a
serial line carrying the same bytes ("control character 0x00 at position 5"). GS (0x1D) is kept: it is how
GS1 symbols separate variable-length fields.
"""

from __future__ import annotations

import unicodedata

from rules.scan_text import GS  # GS1 FNC1 as transmitted by scanners: separates variable-length AIs, must be kept.

#: A code longer than this (UTF-8 bytes) is rejected. Generous for GS1 DataMatrix and QR content seen at a
#: packing bench; small enough that a wrong baud rate spewing garbage without line ends cannot grow memory.
#: (The station rejects codes over its own, smaller limit with an invalid-code verdict.)
DEFAULT_MAX_CODE_BYTES = 2048


def first_control_char(text: str) -> tuple[int, str] | None:
    """Position and char of the first control character other than GS, or None."""
    for index, char in enumerate(text):
        if char != GS and unicodedata.category(char) == "Cc":
            return index, char
    return None


def text_problem(text: str) -> str | None:
    """Why `text` (already decoded, AIM prefix or not) cannot be a code, or None when it can."""
    bad = first_control_char(text)
    if bad is not None:
        index, char = bad
        return f"control character 0x{ord(char):02X} at position {index}"
    for index, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            return f"undecodable character U+{ord(char):04X} at position {index}"
    return None


def code_problem(text: str, max_bytes: int = DEFAULT_MAX_CODE_BYTES) -> str | None:
    """`text_problem`, plus: empty, or longer than `max_bytes` in UTF-8. For sources that hand over decoded
    text rather than a byte line (the camera)."""
    if not text:
        return "empty code"
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return f"overlong code (more than {max_bytes} bytes)"
    return text_problem(text)
