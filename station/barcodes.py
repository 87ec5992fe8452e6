"""Barcode rules: what a scanned text means and which key it is looked up under in an order.

Parsing is delegated to **biip** (https://biip.readthedocs.io): GTIN validation (`biip.gtin.Gtin`),
UPC-E expansion (`biip.upc.Upc`), GS1 element strings and their human-readable "(01)…(10)…" form
(`biip.gs1_messages.GS1Message`), GS1 Digital Link URIs and AIM symbology identifiers. biip is a
maintained, well-tested implementation of the GS1 General Specifications (AI table, date rules with
"day 00 = last day of month", check digits), so this module only adds the *station's* policy on top:
which raw texts count as GS1 versus plain text, what is rejected, and one normalised match key.

Decisions (each is a trade-off; they are tested in ``tests/station/test_barcodes.py``):

* **Every GTIN is stored and compared as GTIN-14.** UPC-A ``036000291452``, EAN-13 ``0036000291452``
  and GTIN-14 ``00036000291452`` are one product, so they have one :attr:`ParsedCode.match_key`.
* **A purely numeric code of 8, 12, 13 or 14 digits is a GTIN and must carry a valid check digit.**
  A wrong check digit is an invalid scan (a misread), never a mismatch and never a match.
  An all-zero number is rejected too: it passes the check-digit formula but is never an assigned GTIN
  and is what some decoders emit on a blank read.
* **8 digits are ambiguous** between EAN-8 (GTIN-8) and UPC-E (a zero-suppressed UPC-A). With a
  symbology hint the hint decides (AIM ``]E0`` with 8 digits or the hint "UPC-E" means UPC-E; ``]E4``
  means EAN-8). Without a hint we take GTIN-8 if its check digit is valid, else UPC-E if the code is
  valid after expansion, else the code is invalid. About one UPC-E code in ten also passes as GTIN-8,
  so scanners should transmit AIM identifiers or expand UPC-E to UPC-A; order files should list UPC-E
  items by their 12-digit UPC-A form (``order_files`` rejects 8-digit codes that are valid both ways).
* **Other numeric lengths (1-7, 9-11, 15 and longer non-GS1 digit strings) are TEXT.** Numeric
  internal labels (bin, tote, ITF/Code 128 SKU labels) are common, and a text key can only ever match
  the identical text listed in an order: GTIN keys are always 14 digits, so a truncated or over-long
  read of a GTIN can never be mistaken for that GTIN.
* **Which raw texts are GS1 element strings.** With a GS1 AIM prefix (``]C1`` GS1-128, ``]e0``
  DataBar, ``]d2`` GS1 DataMatrix, ``]Q3`` GS1 QR, ``]J1`` DotCode) the text must be GS1 (or a Digital
  Link URI for ``]d2``/``]Q3``). Without a prefix, a text is GS1 only if it contains a GS (FNC1)
  separator, starts with "(" (the human-readable form people type), or starts with AI 01/02 followed
  by 14 digits, or AI 00 followed by 18 digits. Anything else ("SKU-10023", "INT-00042") is TEXT, so
  an internal label that happens to begin with "10" is never read as a lot number.
* **Only printable ASCII (plus GS inside GS1 data) is accepted.** Code 128, Code 39, EAN/UPC and GS1
  data are ASCII; a non-ASCII or control character is in practice a keyboard-layout mismatch or line
  noise, and telling the packer "invalid scan" is better than a silent mismatch.
* **Command barcodes** are ``CMD:<WORD>`` (case-insensitive), e.g. ``CMD:SEAL``, ``CMD:UNDO``.
"""

from __future__ import annotations

import datetime
import enum
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from biip import ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from biip.symbology import GS1Symbology, SymbologyIdentifier
from biip.upc import Upc

logger = logging.getLogger(__name__)

__all__ = [
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

#: Longest text we try to interpret. A GS1 DataMatrix can hold more, but no item label on a packing
#: bench comes near this; anything longer is a runaway keyboard wedge or a pasted document.
MAX_CODE_LENGTH = 512

GS = "\x1d"  # ASCII group separator: how scanners transmit FNC1 inside GS1 data
_GTIN_LENGTHS = (8, 12, 13, 14)
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_COMMAND = re.compile(r"CMD:([A-Z][A-Z0-9_-]{0,31})", re.ASCII)
# Texts that are GS1 element strings even without an AIM prefix: GTIN (01), content GTIN (02), SSCC (00).
_BARE_GS1 = re.compile(r"(?:0[12][0-9]{14}|00[0-9]{18})", re.ASCII)

# Symbology hints as the hardware layer may name them (pyzbar, zxing-cpp, scanner configs), reduced
# to upper-case letters and digits, mapped to the AIM identifier they imply.
_HINT_NAMES: dict[str, str] = {
    "UPCE": "]E0",
    "UPCA": "]E0",
    "EAN13": "]E0",
    "EAN8": "]E4",
    "ITF14": "]I1",
    "GS1128": "]C1",
    "EAN128": "]C1",
    "DATABAR": "]e0",
    "GS1DATABAR": "]e0",
    "DATABAREXPANDED": "]e0",
    "DATABAREXP": "]e0",
    "DATABARLIMITED": "]e0",
    "RSS14": "]e0",
    "RSSEXPANDED": "]e0",
    "GS1DATAMATRIX": "]d2",
    "GS1QR": "]Q3",
    "GS1QRCODE": "]Q3",
}
_UPCE_HINTS = {"UPCE"}


class InvalidCode(ValueError):
    """A scanned or listed code that cannot be accepted; ``str(e)`` is a short human reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class CodeKind(enum.Enum):
    """What a scan is, which decides how the pack session treats it."""

    GTIN = "gtin"
    GS1 = "gs1"
    COMMAND = "command"
    TEXT = "text"


@dataclass(frozen=True)
class ParsedCode:
    """One interpreted scan. Every field is derived from ``raw``; nothing is looked up."""

    raw: str
    text: str
    symbology: str | None
    kind: CodeKind
    gtin: str | None = None
    lot: str | None = None
    expiry: datetime.date | None = None
    serial: str | None = None
    count: int | None = None
    command: str | None = None

    @property
    def match_key(self) -> str:
        """The key looked up in an order's barcodes: the GTIN-14 if any, else the text itself."""
        return self.gtin if self.gtin is not None else self.text


# --------------------------------------------------------------------------------------------------
# GTIN helpers


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for ``body`` (a GTIN without its last digit), via biip.

    Raises :class:`InvalidCode` if ``body`` is not 1-17 ASCII digits.
    """
    if not isinstance(body, str) or not _ASCII_DIGITS.fullmatch(body) or len(body) > 17:
        raise InvalidCode(f"check digit needs 1 to 17 digits, got {_show(body)}")
    return gs1_standard_check_digit(body)


def is_valid_gtin(code: str) -> bool:
    """True for 8, 12, 13 or 14 ASCII digits with a correct check digit (and not all zeros)."""
    try:
        _gtin14(code)
    except InvalidCode:
        return False
    return True


def to_gtin14(code: str) -> str:
    """Normalise a GTIN-8/12/13/14 to its 14-digit form (left-padded with zeros).

    Raises :class:`InvalidCode` for anything that is not a valid GTIN (an 8-digit UPC-E is not: use
    :func:`expand_upce` first).
    """
    return _gtin14(code.strip() if isinstance(code, str) else code)


def expand_upce(code: str) -> str:
    """Expand an 8-digit UPC-E (number system 0 or 1, with check digit) to its 12-digit UPC-A.

    Raises :class:`InvalidCode` for a wrong length, number system or check digit.
    """
    if not isinstance(code, str) or not _ASCII_DIGITS.fullmatch(code) or len(code) != 8:
        raise InvalidCode(f"UPC-E needs 8 digits, got {_show(code)}")
    if code[0] not in "01":
        raise InvalidCode(f"UPC-E number system must be 0 or 1, got {code[0]}")
    try:
        # Parsing the first 7 digits makes biip compute the check digit itself, so we can name it.
        upc_a = Upc.parse(code[:7]).as_upc_a()
    except ParseError as exc:  # pragma: no cover - biip accepts every 7-digit NS 0/1 payload
        raise InvalidCode(f"not a UPC-E code: {exc}") from exc
    if upc_a[-1] != code[-1]:
        raise InvalidCode(f"check digit is {code[-1]}, expected {upc_a[-1]}")
    if upc_a.strip("0") == "":
        raise InvalidCode("all zeros is not a product code")
    return upc_a


def is_ambiguous_8_digit(code: str) -> bool:
    """True if an 8-digit code is valid both as GTIN-8 and as UPC-E (they name different products)."""
    if not is_valid_gtin(code) or len(code) != 8:
        return False
    try:
        expand_upce(code)
    except InvalidCode:
        return False
    return True


def _gtin14(code: object) -> str:
    if not isinstance(code, str) or not _ASCII_DIGITS.fullmatch(code):
        raise InvalidCode(f"a GTIN is 8, 12, 13 or 14 digits, got {_show(code)}")
    if len(code) not in _GTIN_LENGTHS:
        raise InvalidCode(f"a GTIN is 8, 12, 13 or 14 digits, got {len(code)} digits")
    if code.strip("0") == "":
        raise InvalidCode("all zeros is not a product code")
    try:
        gtin = Gtin.parse(code)
    except ParseError as exc:
        expected = gs1_standard_check_digit(code[:-1])
        if expected != int(code[-1]):
            raise InvalidCode(f"check digit is {code[-1]}, expected {expected}") from exc
        raise InvalidCode(f"not a GTIN: {exc}") from exc  # pragma: no cover - only check digits fail
    return gtin.as_gtin_14()


# --------------------------------------------------------------------------------------------------
# Scans


def parse_scan(raw: str, symbology: str | None = None) -> ParsedCode:
    """Interpret one scanned text.

    ``raw`` is exactly what the device delivered (surrounding whitespace, CR/LF are ignored; an AIM
    symbology identifier such as ``]C1`` may lead). ``symbology`` is an optional hint from the
    device: an AIM identifier (``"]E0"``) or a name such as ``"UPC-E"``, ``"EAN13"``,
    ``"GS1-DataBar"``. A prefix inside ``raw`` wins over the hint. Unknown hint names are ignored.

    Raises :class:`InvalidCode` with a short human reason for anything that cannot be accepted.
    """
    if not isinstance(raw, str):
        raise InvalidCode(f"scan must be text, got {type(raw).__name__}")
    text = raw.strip(" \t\r\n")
    if len(text) > MAX_CODE_LENGTH:
        raise InvalidCode(f"too long: {len(text)} characters, at most {MAX_CODE_LENGTH}")
    # Some scanners send FNC1-in-first-position (and a trailing one) as GS; it carries no data.
    text = text.strip(GS).strip(" \t\r\n")
    if not text:
        raise InvalidCode("empty scan")
    _check_characters(text)

    aim: str | None = None
    if text.startswith("]"):
        aim, text = _split_aim(text)
        text = text.strip(GS)
        if not text:
            raise InvalidCode(f"no data after symbology identifier {aim}")
    hint_aim, upce_hint = _read_hint(symbology)
    if aim is None:
        aim = hint_aim
    else:
        upce_hint = False  # the in-band identifier is authoritative

    command = _COMMAND.fullmatch(text.upper())
    if text.upper().startswith("CMD:"):
        if command is None:
            raise InvalidCode(f"unknown command barcode {_show(text)}")
        return ParsedCode(raw, text, aim, CodeKind.COMMAND, command=command.group(1))

    gs1_symbology = _gs1_symbology(aim)
    if gs1_symbology in GS1Symbology.with_gs1_messages():
        return _parse_gs1(raw, text, aim, allow_link=gs1_symbology in GS1Symbology.with_gs1_digital_link_uri())
    if gs1_symbology in GS1Symbology.with_gtin():
        return _parse_gtin_symbol(raw, text, aim, gs1_symbology, upce_hint)

    if GS in text or text.startswith("(") or _BARE_GS1.match(text):
        return _parse_gs1(raw, text, aim, allow_link=False)
    if _looks_like_digital_link(text):
        return _parse_gs1(raw, text, aim, allow_link=True)
    if _ASCII_DIGITS.fullmatch(text):
        if upce_hint:
            return _parsed_gtin(raw, text, aim, _upce_to_gtin14(text))
        if len(text) == 8:
            return _parsed_gtin(raw, text, aim, _eight_digits_to_gtin14(text))
        if len(text) in _GTIN_LENGTHS:
            return _parsed_gtin(raw, text, aim, _gtin14(text))
    return ParsedCode(raw, text, aim, CodeKind.TEXT)


def match_key(code: str) -> str:
    """The match key for a barcode listed in an order file (same rules as a scan without a hint).

    Raises :class:`InvalidCode` for an invalid code and for a command barcode (a command can never
    be an item).
    """
    parsed = parse_scan(code)
    if parsed.kind is CodeKind.COMMAND:
        raise InvalidCode(f"{parsed.text} is a command barcode, not an item")
    return parsed.match_key


# --------------------------------------------------------------------------------------------------
# internals


def _show(value: object, limit: int = 40) -> str:
    """A short, safe repr for messages (never dumps a 10 kB paste into a dialog)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_characters(text: str) -> None:
    for char in text:
        if char == GS or " " <= char <= "~":
            continue
        if ord(char) < 0x20 or ord(char) == 0x7F or 0x80 <= ord(char) < 0xA0:
            raise InvalidCode(f"contains control character U+{ord(char):04X}")
        raise InvalidCode(f"contains {char!r} (U+{ord(char):04X}), not a barcode character")


def _split_aim(text: str) -> tuple[str, str]:
    try:
        ident = SymbologyIdentifier.extract(text)
    except (ParseError, IndexError, ValueError) as exc:
        raise InvalidCode(f"unknown symbology identifier {_show(text[:3])}") from exc
    if len(ident.value) < 3:
        raise InvalidCode(f"incomplete symbology identifier {_show(text[:3])}")
    return ident.value, text[len(ident.value) :]


def _read_hint(hint: str | None) -> tuple[str | None, bool]:
    """(AIM identifier implied by the hint or None, whether the hint says UPC-E)."""
    if hint is None or not isinstance(hint, str) or not hint.strip():
        return None, False
    hint = hint.strip()
    if hint.startswith("]"):
        try:
            ident = SymbologyIdentifier.extract(hint)
        except (ParseError, IndexError, ValueError):
            logger.debug("ignoring unknown symbology hint %r", hint)
            return None, False
        return ident.value, False
    name = re.sub(r"[^A-Z0-9]", "", hint.upper())
    if name not in _HINT_NAMES:
        logger.debug("symbology hint %r implies nothing about the data", hint)
        return None, False
    return _HINT_NAMES[name], name in _UPCE_HINTS


def _gs1_symbology(aim: str | None) -> GS1Symbology | None:
    if aim is None:
        return None
    try:
        return SymbologyIdentifier.extract(aim).gs1_symbology
    except (ParseError, IndexError, ValueError):  # pragma: no cover - aim was already validated
        return None


def _parsed_gtin(raw: str, text: str, aim: str | None, gtin14: str) -> ParsedCode:
    return ParsedCode(raw, text, aim, CodeKind.GTIN, gtin=gtin14)


def _upce_to_gtin14(digits: str) -> str:
    if len(digits) == 8:
        return _gtin14(expand_upce(digits))
    if len(digits) == 12:  # scanners configured to "transmit UPC-E as UPC-A"
        return _gtin14(digits)
    if len(digits) in (6, 7):  # scanners configured to omit number system and/or check digit
        payload = digits if len(digits) == 7 else "0" + digits
        if payload[0] not in "01":
            raise InvalidCode(f"UPC-E number system must be 0 or 1, got {payload[0]}")
        return _gtin14(Upc.parse(payload).as_upc_a())
    raise InvalidCode(f"UPC-E needs 6, 7 or 8 digits, got {len(digits)}")


def _eight_digits_to_gtin14(digits: str) -> str:
    try:
        return _gtin14(digits)
    except InvalidCode as as_gtin8:
        try:
            return _gtin14(expand_upce(digits))
        except InvalidCode:
            raise as_gtin8 from None


def _parse_gtin_symbol(
    raw: str, text: str, aim: str | None, symbology: GS1Symbology | None, upce_hint: bool
) -> ParsedCode:
    """EAN/UPC (``]E0``, ``]E3``, ``]E4``) and ITF-14 (``]I1``): the data must be a GTIN."""
    if not _ASCII_DIGITS.fullmatch(text):
        raise InvalidCode(f"{aim} carries only digits, got {_show(text)}")
    if symbology is GS1Symbology.EAN_13_WITH_ADD_ON and len(text) in (15, 18):
        text = text[:13]  # the 2- or 5-digit add-on (issue number, price) is not part of the GTIN
    if symbology is GS1Symbology.EAN_8:
        return _parsed_gtin(raw, text, aim, _gtin14(text))
    if upce_hint or (symbology is GS1Symbology.EAN_13 and len(text) == 8):
        return _parsed_gtin(raw, text, aim, _upce_to_gtin14(text))
    return _parsed_gtin(raw, text, aim, _gtin14(text))


def _looks_like_digital_link(text: str) -> bool:
    """An http(s) URI whose path names a GTIN (``/01/``); other URLs stay plain text."""
    lowered = text.lower()
    if not lowered.startswith(("http://", "https://")):
        return False
    return "/01/" in urlsplit(text).path


def _parse_gs1(raw: str, text: str, aim: str | None, *, allow_link: bool) -> ParsedCode:
    elements: GS1ElementStrings
    try:
        if allow_link and text.lower().startswith(("http://", "https://")):
            elements = GS1DigitalLinkURI.parse(text).element_strings
        elif text.startswith("("):
            elements = GS1Message.parse_hri(text).element_strings
        else:
            elements = GS1Message.parse(text).element_strings
    except ParseError as exc:
        raise InvalidCode(f"malformed GS1 data: {_trim(str(exc))}") from exc
    except (ValueError, IndexError) as exc:  # biip guards most input; be safe for the rest
        raise InvalidCode(f"malformed GS1 data: {_trim(str(exc))}") from exc

    seen: dict[str, str] = {}
    for element in elements:
        ai = element.ai.ai
        if ai in seen and seen[ai] != element.value:
            raise InvalidCode(f"GS1 data repeats AI ({ai}) with different values")
        seen[ai] = element.value
        if element.gtin_error is not None or element.sscc_error is not None:
            value = element.value
            expected = gs1_standard_check_digit(value[:-1]) if _ASCII_DIGITS.fullmatch(value) else None
            if expected is not None and expected != int(value[-1]):
                raise InvalidCode(f"AI ({ai}) check digit is {value[-1]}, expected {expected}")
            raise InvalidCode(f"AI ({ai}): {_trim(element.gtin_error or element.sscc_error or '')}")

    # AI 02 (GTIN of the contained items, on a logistic unit) stands in when there is no AI 01.
    gtin_value = _value(elements, "01") or _value(elements, "02")
    expiry_element = _element(elements, "17")
    count_value = _value(elements, "30") or _value(elements, "37")
    return ParsedCode(
        raw,
        text,
        aim,
        CodeKind.GS1,
        gtin=_gtin14(gtin_value) if gtin_value is not None else None,
        lot=_value(elements, "10"),
        expiry=expiry_element.date if expiry_element is not None else None,
        serial=_value(elements, "21"),
        count=int(count_value) if count_value is not None else None,
    )


def _element(elements: GS1ElementStrings, ai: str) -> GS1ElementString | None:
    # Exact AI match: biip's ``get(ai=...)`` matches by prefix.
    return next((element for element in elements if element.ai.ai == ai), None)


def _value(elements: GS1ElementStrings, ai: str) -> str | None:
    element = _element(elements, ai)
    return element.value if element is not None else None


def _trim(message: str, limit: int = 120) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
