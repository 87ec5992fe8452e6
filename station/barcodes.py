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

import datetime
import enum
import functools
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message
from biip.symbology import GS1Symbology, SymbologyIdentifier

from rules.orders import GTIN_LENGTHS, gtin_problem
from rules.orders import gtin_check_digit as shared_check_digit
from rules.scan_text import GS, aim_for_decoder
from rules.scan_text import expand_upce as shared_expand_upce
from station import limits
from station.commands import COMMAND_PREFIX, Command, is_command_text

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


# --------------------------------------------------------------------------------------------------
# GTIN helpers


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit for ``body`` (the digits without the check digit).

    Works for every GS1 key length (GTIN-8/12/13/14 bodies of 7/11/12/13 digits, SSCC's 17, ...).
    The arithmetic is ``rules.orders.gtin_check_digit``, shared with the central service.
    """
    if not body or not body.isascii() or not body.isdigit():
        raise InvalidCode(f"check digit needs digits only, got {body!r}", body)
    return shared_check_digit(body)


def _check_gtin(code: str) -> None:
    """Raise InvalidCode unless ``code`` is 8/12/13/14 ASCII digits with a correct check digit (and not
    all zeros): ``rules.orders.gtin_problem``, the same words the central service uses."""
    problem = gtin_problem(code)
    if problem is not None:
        raise InvalidCode(problem, code)


def is_valid_gtin(code: str) -> bool:
    """True for 8/12/13/14 digits with a correct check digit. Never raises."""
    if not isinstance(code, str):
        return False
    try:
        _check_gtin(code)
    except InvalidCode:
        return False
    return True


def is_ambiguous_8_digit(code: str) -> bool:
    """True if an 8-digit code is valid both as EAN-8 and as UPC-E (so a bare scan reads it as EAN-8).

    Order files reject such codes and ask for the unambiguous 12- or 14-digit form instead.
    """
    if not is_valid_gtin(code) or len(code) != 8:
        return False
    try:
        expand_upce(code)
    except InvalidCode:
        return False
    return True


def to_gtin14(code: str) -> str:
    """Validate a GTIN-8/12/13/14 and left-pad it with zeros to the GTIN-14 used as match key.

    8 digits are read as GTIN-8 here; use :func:`expand_upce` first for UPC-E.
    """
    if not isinstance(code, str):
        raise InvalidCode("a GTIN must be text", None)
    _check_gtin(code)
    return code.zfill(14)


def expand_upce(code: str) -> str:
    """Expand an 8-digit UPC-E (number system 0 or 1, with check digit) to its 12-digit UPC-A.

    The expansion is ``rules.scan_text.expand_upce`` (shared with the camera decoders); here the check
    digit is verified against the expanded UPC-A, so a misread never becomes a product.
    """
    if not isinstance(code, str) or len(code) != 8 or not (code.isascii() and code.isdigit()):
        raise InvalidCode(f"a UPC-E code has 8 digits, got {code!r}", code if isinstance(code, str) else None)
    if code[0] not in "01":
        raise InvalidCode(f"UPC-E number system must be 0 or 1, got {code[0]}", code)
    upc_a = shared_expand_upce(code)
    expected = shared_check_digit(upc_a[:-1])
    if int(upc_a[-1]) != expected:
        raise InvalidCode(f"UPC-E check digit is {code[-1]}, expected {expected}", code)
    return upc_a


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
        return _make(raw, text, aim_value, CodeKind.COMMAND, command=Command.from_word(command.group(1)))
    if is_command_text(text):
        raise InvalidCode(
            f"a command barcode is {COMMAND_PREFIX} followed by one word, e.g. {Command.SEAL.barcode}", raw
        )

    gs1_symbology = aim.gs1_symbology if aim is not None else None
    if gs1_symbology in _GTIN_SYMBOLOGIES:
        return _parse_gtin_symbology(raw, text, aim_value, gs1_symbology)

    if text[:8].lower() == "https://" or text[:7].lower() == "http://":
        return _parse_uri(raw, text, aim_value)

    if gs1_marker or gs1_symbology in _GS1_SYMBOLOGIES or GS in text or _HRI_START_RE.match(text) is not None:
        return _parse_gs1(raw, text, aim_value)

    if text.isdigit():
        if len(text) in GTIN_LENGTHS:
            return _parse_numeric_gtin(raw, text, aim_value)
        if len(text) == 20 and text.startswith("00"):
            return _parse_gs1(raw, text, aim_value)
    if len(text) >= 16 and _GS1_NUMERIC_START_RE.match(text) is not None:
        return _parse_gs1(raw, text, aim_value)
    return _make(raw, text, aim_value, CodeKind.TEXT)


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


def _make(
    raw: str,
    text: str,
    symbology: str | None,
    kind: CodeKind,
    *,
    gtin: str | None = None,
    command: Command | None = None,
) -> ParsedCode:
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
        return _make(raw, text, aim, CodeKind.GTIN, gtin=_gtin14_or_invalid(text, raw))
    elif symbology is GS1Symbology.ITF_14:
        if len(text) != 14:
            raise InvalidCode(f"an ITF-14 symbol has 14 digits, got {len(text)}", raw)
        upce = False
    else:  # ]E0: EAN-13, UPC-A, or UPC-E (the only 8-digit member of this family)
        if len(text) not in (8, 12, 13):
            raise InvalidCode(f"an EAN/UPC symbol has 8, 12 or 13 digits, got {len(text)}", raw)
        upce = len(text) == 8
    if upce:
        return _make(raw, text, aim, CodeKind.GTIN, gtin=_upce_gtin14_or_invalid(text, raw))
    return _make(raw, text, aim, CodeKind.GTIN, gtin=_gtin14_or_invalid(text, raw))


def _parse_numeric_gtin(raw: str, text: str, aim: str | None) -> ParsedCode:
    """A bare number of GTIN length with no symbology that decides it (8 digits: see module doc)."""
    if len(text) == 8:
        if is_valid_gtin(text):
            return _make(raw, text, aim, CodeKind.GTIN, gtin=text.zfill(14))
        try:
            upc_a = expand_upce(text)
            _check_gtin(upc_a)
        except InvalidCode:
            try:
                _check_gtin(text)
            except InvalidCode as as_ean8:
                raise InvalidCode(f"not a valid EAN-8 ({as_ean8.reason}) nor UPC-E", raw) from None
            raise  # pragma: no cover - valid EAN-8 codes returned above
        return _make(raw, text, aim, CodeKind.GTIN, gtin=upc_a.zfill(14))
    return _make(raw, text, aim, CodeKind.GTIN, gtin=_gtin14_or_invalid(text, raw))


def _gtin14_or_invalid(code: str, raw: str) -> str:
    try:
        _check_gtin(code)
    except InvalidCode as exc:
        raise InvalidCode(exc.reason, raw) from None
    return code.zfill(14)


def _upce_gtin14_or_invalid(code: str, raw: str) -> str:
    try:
        upc_a = expand_upce(code)
        _check_gtin(upc_a)  # rejects the all-zero number, which expansion can produce
    except InvalidCode as exc:
        raise InvalidCode(exc.reason, raw) from None
    return upc_a.zfill(14)


def _parse_uri(raw: str, text: str, aim: str | None) -> ParsedCode:
    """GS1 Digital Link URI if biip reads one; a broken GTIN in the path is invalid; else TEXT."""
    try:
        uri = GS1DigitalLinkURI.parse(text)
    except ParseError as exc:
        path_segments = urlsplit(text).path.split("/")
        if "01" in path_segments:
            raise InvalidCode(f"GS1 Digital Link: {exc}", raw) from None
        return _make(raw, text, aim, CodeKind.TEXT)
    return _from_gs1(raw, text, aim, uri.as_gs1_message())


def _parse_gs1(raw: str, text: str, aim: str | None) -> ParsedCode:
    """GS1 element strings, raw (GS-separated) or parenthesised; must parse completely."""
    try:
        if text.startswith("("):
            message = GS1Message.parse_hri(text)
        else:
            message = GS1Message.parse(text)
    except ParseError as exc:
        raise InvalidCode(_short_gs1_reason(str(exc)), raw) from None
    return _from_gs1(raw, text, aim, message)


def _short_gs1_reason(biip_message: str) -> str:
    """biip's messages repeat the input and the regex; keep what a person can act on."""
    match = re.match(r"Failed to match '(.*)' with GS1 AI \((\d+)\)", biip_message)
    if match:
        return f"GS1 AI ({match.group(2)}) is malformed: {match.group(1)!r}"
    if biip_message.startswith("Failed to get GS1 Application Identifier from"):
        rest = biip_message.split("from", 1)[1].strip().rstrip(".")
        return f"not a GS1 application identifier at {rest}"
    if biip_message.startswith("Failed to parse GS1 AI"):
        return biip_message.replace("Failed to parse", "invalid").rstrip(".")
    return f"not valid GS1: {biip_message}"


def _from_gs1(raw: str, text: str, aim: str | None, message: GS1Message) -> ParsedCode:
    gtin: str | None = None
    contained_gtin: str | None = None
    lot = serial = sscc = None
    expiry: datetime.date | None = None
    count: int | None = None
    elements: list[tuple[str, str]] = []
    for element in message.element_strings:
        ai = element.ai.ai
        elements.append((ai, element.value))
        if ai in ("01", "02"):
            try:
                _check_gtin(element.value)
            except InvalidCode as exc:
                raise InvalidCode(f"GTIN ({ai}): {exc.reason}", raw) from None
            if ai == "01":
                gtin = element.value
            else:
                contained_gtin = element.value
        elif ai == "00":
            if element.sscc is None:
                raise InvalidCode(f"SSCC (00): {element.sscc_error}", raw)
            sscc = element.value
        elif ai == "10":
            lot = element.value
        elif ai == "21":
            serial = element.value
        elif ai == "17":
            expiry = element.date
        elif ai in ("30", "37"):
            count = int(element.value)
            if count < 1:
                raise InvalidCode(f"count ({ai}) must be at least 1, got {element.value}", raw)
        elif element.gln_error is not None:
            raise InvalidCode(f"GLN ({ai}): {element.gln_error}", raw)
    return ParsedCode(
        raw=raw,
        text=text,
        symbology=aim,
        kind=CodeKind.GS1,
        gtin=gtin if gtin is not None else contained_gtin,
        lot=lot,
        expiry=expiry,
        serial=serial,
        count=count,
        command=None,
        hri=message.as_hri(),
        sscc=sscc,
        elements=tuple(elements),
    )
