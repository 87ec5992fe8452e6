"""What a scanner's text means before any domain rule applies: shared by the devices and the station.

``hardware`` (decoders, serial and wedge scanners) and ``station`` (the scan parser) both need these facts
and ``hardware`` may not import ``station``, so they live here, pure and dependency-free:

* :data:`GS`, the ASCII group separator (0x1D) scanners send for GS1 FNC1 between element strings;
* :func:`expand_upce`, the one UPC-E → UPC-A expansion (GS1 General Specifications, zero suppression);
* :data:`DECODER_AIM` / :func:`aim_for_decoder`, the one table from a decoder's name for a symbol type
  (pyzbar's ``"UPCE"``, zxing-cpp's ``"UPC-E"``, OpenCV's ``"EAN_13"``) to the AIM symbology identifier,
  listing only names that leave no doubt about the symbology.
"""

from __future__ import annotations

from collections.abc import Mapping

#: What every command barcode starts with (compared case-insensitively); the commands themselves are
#: ``station.commands.Command``. Here because the central service's order checks must recognise a command
#: barcode listed as an item code too.
COMMAND_PREFIX = "CMD:"

#: ASCII group separator: how scanners transmit GS1 FNC1 between variable-length element strings.
GS = "\x1d"

#: Decoder names (normalised: upper case, no ``-``/``_``/space) whose symbology is certain → AIM id.
#: ``CODE128`` and ``QRCODE`` are deliberately absent: those decoders do not say whether the symbol carried
#: FNC1 (GS1-128 vs Code 128), so the content decides. UPC-A and EAN-13 map to ``]E0`` as UPC-E does: the
#: AIM identifier of the EAN/UPC family, where 8 digits under ``]E0`` can only be UPC-E.
DECODER_AIM: Mapping[str, str] = {
    "EAN13": "]E0",
    "UPCA": "]E0",
    "UPCE": "]E0",
    "EAN8": "]E4",
    "ITF14": "]I1",
    "DATABAR": "]e0",
    "DATABAREXP": "]e0",
}


def decoder_name_key(name: str) -> str:
    """A decoder's symbol-type name in the form :data:`DECODER_AIM` is keyed by (``"UPC-E"`` → ``"UPCE"``)."""
    return name.strip().upper().replace("-", "").replace("_", "").replace(" ", "")


def aim_for_decoder(name: str) -> str | None:
    """The AIM symbology identifier for a decoder's symbol-type name, or None when the name does not pin
    the symbology down."""
    return DECODER_AIM.get(decoder_name_key(name))


def is_upce_shape(code: str) -> bool:
    """8 ASCII digits with number system 0 or 1: the only strings :func:`expand_upce` accepts."""
    return len(code) == 8 and code.isascii() and code.isdigit() and code[0] in "01"


def expand_upce(code: str) -> str:
    """The 12-digit UPC-A of an 8-digit UPC-E (number system, 6 data digits, check digit).

    The number system and the check digit are carried over unchanged; whether the check digit is right
    for the expanded number is the caller's question (the station refuses a wrong one, a decoder reports
    what it read). Raises ``ValueError`` unless :func:`is_upce_shape`.
    """
    if not is_upce_shape(code):
        raise ValueError(f"a UPC-E code is 8 digits starting with 0 or 1, got {code!r}")
    ns, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return ns + body + check
