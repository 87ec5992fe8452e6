"""Barcode rules: what a scanned string means and which key it matches in an order.

Every scan on the bench passes through :func:`parse_scan`, and every barcode listed in an order file
passes through :func:`match_key`, so both sides of a comparison are normalised by the same rules.

GS1 work is delegated to **biip** (https://biip.readthedocs.io): GTIN check digits and formats
(``biip.gtin.Gtin``), GS1 element strings and their human
readable ``(AI)value`` form (``biip.gs1_messages.GS1Message``), GS1 Digital Link URIs and AIM
symbology identifiers (``biip.symbology.SymbologyIdentifier``). biip is well tested against the GS1
General Specifications (date rules, AI patterns, FNC1 handling) and hand-written parsing of those
tables is exactly where subtle bugs hide. This module only decides *which* parser applies to a raw
string and turns biip's results and errors into our small :class:`ParsedCode` / :class:`InvalidCode`.

Classification rules (decided here, tested in ``tests/station/test_barcodes.py``):

* Whitespace (space, tab, CR, LF) around a code is stripped; a trailing GS is dropped and a leading
  GS is read as "FNC1 in first position", i.e. the code is GS1 data. Any other control character, or
  any character outside printable ASCII, makes the scan invalid: every symbology used for item
  identification here encodes ASCII, and a stray ``ÿ`` or ``ß`` almost always means a serial port at
  the wrong baud rate or a keyboard-wedge scanner set to the wrong keyboard layout.
* ``CMD:<WORD>`` (case-insensitive) is a command barcode (``CMD:SEAL``, ``CMD:UNDO``, ...).
* An AIM prefix ``]C1`` (GS1-128), ``]e0`` (GS1 DataBar), ``]d2`` (GS1 DataMatrix), ``]Q3`` (GS1 QR),
  ``]J1`` (GS1 DotCode), a leading GS, a GS anywhere, or the parenthesised form ``(01)...`` means GS1
  element strings, and they must parse completely (every GTIN/SSCC check digit right, every AI
  well-formed) or the scan is invalid.
* Without such a marker, a string starting with ``01`` or ``02`` followed by 14 digits (16+
  characters) is GS1 too: it is what a GS1-128 label gives on a scanner with AIM identifiers turned
  off. If its GTIN check digit is wrong the scan is *invalid*, not text: a misread of a GS1 label is
  far more likely than a coincidental internal code of that shape (our internal labels carry letters,
  e.g. ``INT-000123``). A 20-digit string ``00`` + valid SSCC is a GS1 logistics label.
* ``http(s)://`` URIs that biip reads as GS1 Digital Link are GS1; if the path carries a GTIN
  (``/01/``) that does not validate the scan is invalid; any other URI is plain text.
* A purely numeric string of 8, 12, 13 or 14 digits is a GTIN and MUST have a valid check digit; a
  wrong check digit is an invalid scan, never a match. UPC-A, EAN-13 with a leading 0 and GTIN-14 with
  leading 00 of one product all normalise to the same GTIN-14.
* 8 digits are ambiguous: GTIN-8 (EAN-8) and UPC-E (zero-suppressed UPC-A) look the same on the wire.
  With a hint (AIM ``]E0`` or a decoder name ``UPC-E``) they are UPC-E and expanded to UPC-A; with
  AIM ``]E4`` or name ``EAN-8`` they are GTIN-8. Without a hint: GTIN-8 if its check digit is valid,
  else UPC-E if valid after expansion, else invalid. About one valid UPC-E code in ten also passes the
  GTIN-8 check and would then be read as the wrong product, so stations with UPC-E items should turn
  on AIM symbology identifiers (or UPC-E-to-UPC-A expansion) in the scanner.
* Other purely numeric lengths (e.g. 6, 10, 11, 18 digits) are TEXT: warehouses commonly print
  numeric internal item or location codes in Code 128/Code 39, and a TEXT key only ever matches a code
  that the order itself lists verbatim, so a truncated GTIN read (a dropped keystroke) cannot match a
  product by accident -- it is reported as a wrong item. Under an EAN/UPC/ITF-14 AIM prefix such
  lengths are invalid, because those symbologies cannot carry them.
* Everything else printable is TEXT (Code 128 internal labels like ``SKU-10023``). TEXT keys are
  upper-cased: a keyboard-wedge scanner with Caps Lock on inverts letter case, and internal codes that
  differ only in case do not exist in practice.
"""

from __future__ import annotations

import functools
import logging
import re

from biip import ParseError
from biip.symbology import GS1Symbology, SymbologyIdentifier

from rules.orders import GTIN_LENGTHS
from rules.scan_text import GS, aim_for_decoder
from station import limits
from station.commands import COMMAND_PREFIX, Command, is_command_text
from station.gs1_codes import parse_gs1, parse_uri
from station.gtin import (
    check_gtin,
    expand_upce,
    gtin14_or_invalid,
    gtin_check_digit,
    is_ambiguous_8_digit,
    is_valid_gtin,
    to_gtin14,
    upce_gtin14_or_invalid,
)
from station.parsed_code import CodeKind, InvalidCode, ParsedCode, plain_code

__all__ = [  # the barcode API is station.barcodes; the parts live in parsed_code, gtin and gs1_codes
    "MAX_CODE_LENGTH",
    "CodeKind",
    "InvalidCode",
    "ParsedCode",
    "expand_upce",
    "gtin_check_digit",
    "is_ambiguous_8_digit",
    "is_valid_gtin",
    "match_key",
    "parse_scan",
    "to_gtin14",
]

logger = logging.getLogger(__name__)

#: Longest scan accepted (whitespace around it included). Real GS1 DataMatrix/QR payloads on items stay
#: well under 200 characters; anything much longer is a wedge scanner typing into the wrong field. The
#: number is the central service's limit on an incident's code (`station.limits`).
MAX_CODE_LENGTH = limits.MAX_CODE_LENGTH

_STRIP = " \t\r\n"

_GS1_SYMBOLOGIES = frozenset(
    {
        GS1Symbology.GS1_128,
        GS1Symbology.GS1_DATABAR,
        GS1Symbology.GS1_COMPOSITE_WITH_SEPARATOR_CHAR,
        GS1Symbology.GS1_COMPOSITE_WITH_ESCAPE_CHAR,
        GS1Symbology.GS1_DATAMATRIX,
        GS1Symbology.GS1_QR_CODE,
        GS1Symbology.GS1_DOTCODE,
    }
)
# Symbologies that can only carry a GTIN (EAN/UPC family, ITF-14).
_GTIN_SYMBOLOGIES = frozenset(
    {GS1Symbology.EAN_13, GS1Symbology.EAN_13_WITH_ADD_ON, GS1Symbology.EAN_8, GS1Symbology.ITF_14}
)

_COMMAND_RE = re.compile(re.escape(COMMAND_PREFIX) + r"([A-Z][A-Z0-9_-]{0,31})", re.IGNORECASE)
_HRI_START_RE = re.compile(r"\(\d{2,4}\)")
_GS1_NUMERIC_START_RE = re.compile(r"0[12]\d{14}")


# --------------------------------------------------------------------------------------------------
# Scans


def parse_scan(raw: str, symbology: str | None = None) -> ParsedCode:
    """Classify and normalise one scan; raise :class:`InvalidCode` with a short reason if untrusted.

    ``symbology`` is an optional hint from the decoder: an AIM identifier (``"]E0"``) or a format
    name (``"UPC-E"``, ``"EAN13"``). An AIM prefix inside ``raw`` wins over the hint, since it is
    what the scanner actually read. The module docstring lists the classification rules.
    """
    if not isinstance(raw, str):
        raise InvalidCode(f"a scan must be text, got {type(raw).__name__}", None)
    return _parse_cached(raw, symbology)


def match_key(code: str) -> str:
    """The key an order file's listed barcode is matched by; the same as a scan's ``match_key``.

    Raises :class:`InvalidCode` for codes that could never be scanned validly, and for command
    barcodes, which can never identify an item.
    """
    parsed = parse_scan(code)
    if parsed.kind is CodeKind.COMMAND:
        raise InvalidCode("a command barcode cannot identify an item", code)
    return parsed.match_key


# Order files list the same few thousand barcodes many times and the bench rescans the same items,
# so results are cached. ParsedCode is frozen, so sharing instances is safe. Exceptions are not
# cached (functools only caches returns), which is fine: invalid input is rare.
@functools.lru_cache(maxsize=16384)
def _parse_cached(raw: str, symbology: str | None) -> ParsedCode:
    if len(raw) > MAX_CODE_LENGTH:
        raise InvalidCode(f"too long: {len(raw)} characters, at most {MAX_CODE_LENGTH}", raw)
    text = raw.strip(_STRIP)
    if not text:
        raise InvalidCode("empty scan", raw)
    _check_characters(text, raw)

    aim: SymbologyIdentifier | None = None
    if text.startswith("]"):
        try:
            aim = SymbologyIdentifier.extract(text)
        except (ParseError, IndexError, ValueError):
            raise InvalidCode(f"unknown symbology identifier {text[:3]!r}", raw) from None
        text = text[len(aim.value) :].strip(_STRIP)
        if not text:
            raise InvalidCode(f"no data after symbology identifier {aim.value}", raw)
    if aim is None and symbology:
        aim = _resolve_hint(symbology)
    elif aim is not None and symbology:
        logger.debug("scan carries AIM id %s; ignoring decoder hint %r", aim.value, symbology)

    gs1_marker = False
    if text.startswith(GS):
        gs1_marker = True  # FNC1 in first position, transmitted as GS by scanners without AIM ids
    text = text.strip(GS)
    if not text:
        raise InvalidCode("no data, only group separators", raw)
    aim_value = aim.value if aim is not None else None

    command = _COMMAND_RE.fullmatch(text)
    if command is not None:
        return plain_code(raw, text, aim_value, CodeKind.COMMAND, command=Command.from_word(command.group(1)))
    if is_command_text(text):
        raise InvalidCode(
            f"a command barcode is {COMMAND_PREFIX} followed by one word, e.g. {Command.SEAL.barcode}", raw
        )

    gs1_symbology = aim.gs1_symbology if aim is not None else None
    if gs1_symbology in _GTIN_SYMBOLOGIES:
        return _parse_gtin_symbology(raw, text, aim_value, gs1_symbology)

    if text[:8].lower() == "https://" or text[:7].lower() == "http://":
        return parse_uri(raw, text, aim_value)

    if gs1_marker or gs1_symbology in _GS1_SYMBOLOGIES or GS in text or _HRI_START_RE.match(text) is not None:
        return parse_gs1(raw, text, aim_value)

    if text.isdigit():
        if len(text) in GTIN_LENGTHS:
            return _parse_numeric_gtin(raw, text, aim_value)
        if len(text) == 20 and text.startswith("00"):
            return parse_gs1(raw, text, aim_value)
    if len(text) >= 16 and _GS1_NUMERIC_START_RE.match(text) is not None:
        return parse_gs1(raw, text, aim_value)
    return plain_code(raw, text, aim_value, CodeKind.TEXT)


def _check_characters(text: str, raw: str) -> None:
    """Reject control characters (other than GS) and anything outside printable ASCII."""
    body = text.replace(GS, "") if GS in text else text
    if body.isascii() and body.isprintable():
        return
    for char in body:
        if char.isascii() and char.isprintable():
            continue
        if not char.isascii() and char.isprintable():
            raise InvalidCode(
                f"contains non-ASCII character {char!r} (U+{ord(char):04X}); "
                "check the scanner's keyboard layout or baud rate",
                raw,
            )
        raise InvalidCode(f"contains control character U+{ord(char):04X}", raw)


def _resolve_hint(symbology: str) -> SymbologyIdentifier | None:
    """Turn a decoder hint into an AIM identifier; hints that decide nothing are ignored.

    A bad hint is a device-configuration matter, not the packer's: log it and classify by content.
    """
    hint = symbology.strip()
    if hint.startswith("]"):
        try:
            return SymbologyIdentifier.extract(hint)
        except (ParseError, IndexError, ValueError):
            logger.warning("ignoring unknown symbology identifier hint %r", symbology)
            return None
    # Decoder format names (pyzbar's "UPCE", zxing-cpp's "UPC-E", ...): one table, `rules.scan_text`.
    aim = aim_for_decoder(hint)
    if aim is None:
        logger.debug("symbology hint %r does not pin down the code type", symbology)
        return None
    # "UPC-A"/"EAN-13" map to ]E0 as well; decoders never report 8 digits for those, and ]E0 with
    # 8 digits is UPC-E by the AIM definition.
    return SymbologyIdentifier.extract(aim)


def _parse_gtin_symbology(
    raw: str,
    text: str,
    aim: str | None,
    symbology: GS1Symbology | None,
) -> ParsedCode:
    """EAN/UPC/ITF-14 symbols: digits only, GTIN lengths only."""
    if not (text.isascii() and text.isdigit()):
        raise InvalidCode(f"an EAN/UPC/ITF-14 symbol carries digits only, got {text!r}", raw)
    if symbology is GS1Symbology.EAN_13_WITH_ADD_ON:
        # ]E3: main symbol followed by a 2- or 5-digit add-on (issue number, price); only the main
        # symbol identifies the product.
        main = {15: 13, 18: 13, 10: 8, 13: 8}.get(len(text))
        if main is None:
            raise InvalidCode(f"{len(text)} digits cannot be an EAN/UPC with add-on", raw)
        logger.debug("dropping add-on %s from %s", text[main:], text[:main])
        text = text[:main]
        upce = main == 8
    elif symbology is GS1Symbology.EAN_8:
        if len(text) != 8:
            raise InvalidCode(f"an EAN-8 symbol has 8 digits, got {len(text)}", raw)
        return plain_code(raw, text, aim, CodeKind.GTIN, gtin=gtin14_or_invalid(text, raw))
    elif symbology is GS1Symbology.ITF_14:
        if len(text) != 14:
            raise InvalidCode(f"an ITF-14 symbol has 14 digits, got {len(text)}", raw)
        upce = False
    else:  # ]E0: EAN-13, UPC-A, or UPC-E (the only 8-digit member of this family)
        if len(text) not in (8, 12, 13):
            raise InvalidCode(f"an EAN/UPC symbol has 8, 12 or 13 digits, got {len(text)}", raw)
        upce = len(text) == 8
    if upce:
        return plain_code(raw, text, aim, CodeKind.GTIN, gtin=upce_gtin14_or_invalid(text, raw))
    return plain_code(raw, text, aim, CodeKind.GTIN, gtin=gtin14_or_invalid(text, raw))


def _parse_numeric_gtin(raw: str, text: str, aim: str | None) -> ParsedCode:
    """A bare number of GTIN length with no symbology that decides it (8 digits: see module doc)."""
    if len(text) == 8:
        if is_valid_gtin(text):
            return plain_code(raw, text, aim, CodeKind.GTIN, gtin=text.zfill(14))
        try:
            upc_a = expand_upce(text)
            check_gtin(upc_a)
        except InvalidCode:
            try:
                check_gtin(text)
            except InvalidCode as as_ean8:
                raise InvalidCode(f"not a valid EAN-8 ({as_ean8.reason}) nor UPC-E", raw) from None
            raise  # pragma: no cover - valid EAN-8 codes returned above
        return plain_code(raw, text, aim, CodeKind.GTIN, gtin=upc_a.zfill(14))
    return plain_code(raw, text, aim, CodeKind.GTIN, gtin=gtin14_or_invalid(text, raw))
