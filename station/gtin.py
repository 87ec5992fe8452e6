"""GTIN arithmetic and validation: check digits, GTIN-8/12/13/14 to the GTIN-14 match key, and UPC-E to
UPC-A expansion with its check digit verified. The check-digit arithmetic and the problem words are
`rules.orders`' (shared with the central service); `station.barcodes` re-exports the public names."""

from __future__ import annotations

from rules.orders import gtin_check_digit as shared_check_digit
from rules.orders import gtin_problem
from rules.scan_text import expand_upce as shared_expand_upce
from station.parsed_code import InvalidCode


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit for ``body`` (the digits without the check digit).

    Works for every GS1 key length (GTIN-8/12/13/14 bodies of 7/11/12/13 digits, SSCC's 17, ...).
    The arithmetic is ``rules.orders.gtin_check_digit``, shared with the central service.
    """
    if not body or not body.isascii() or not body.isdigit():
        raise InvalidCode(f"check digit needs digits only, got {body!r}", body)
    return shared_check_digit(body)


def check_gtin(code: str) -> None:
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
        check_gtin(code)
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
    check_gtin(code)
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


def gtin14_or_invalid(code: str, raw: str) -> str:
    """`code` as a GTIN-14, or InvalidCode naming the whole scan `raw`."""
    try:
        check_gtin(code)
    except InvalidCode as exc:
        raise InvalidCode(exc.reason, raw) from None
    return code.zfill(14)


def upce_gtin14_or_invalid(code: str, raw: str) -> str:
    """UPC-E `code` expanded to a GTIN-14, or InvalidCode naming the whole scan `raw`."""
    try:
        upc_a = expand_upce(code)
        check_gtin(upc_a)  # rejects the all-zero number, which expansion can produce
    except InvalidCode as exc:
        raise InvalidCode(exc.reason, raw) from None
    return upc_a.zfill(14)
