"""Order rules both ends enforce: field limits, quantity range, GTIN check digits, the order-file checks.

``station.order_files`` reads order files with these limits and ``station.barcodes`` takes its GTIN
arithmetic from here; the central service (``sync.server.orders``) runs :func:`order_problems` on every
uploaded order, so an order it accepts is one every station can load, and a refusal reads the same at
both ends (``orders[0].lines[1].barcodes[0]: '4006381333932': check digit is 2, expected 1``).

What stays station-only: GS1 element strings, Digital Link URIs and 8-digit EAN-8/UPC-E codes need the
full scan parser (``station.barcodes``, biip underneath). The station re-checks every pulled order with
its own file reader anyway, so such a code is still refused at the bench, and reported by
``packgate sync pull-orders``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rules.scan_text import COMMAND_PREFIX, GS

#: A packing bench does not pack 10 000 of one line into a parcel; a bigger number is a typo
#: (a GTIN pasted into the quantity column, say) and must not become a session nobody can finish.
MAX_QUANTITY = 9999
#: Largest case pack accepted (pallet layers are scanned per case, not per pallet).
MAX_UNITS_PER_PACK = 10000
#: Longest text per order field (characters, after runs of whitespace are folded to one space).
FIELD_MAX_LEN: Mapping[str, int] = {
    "order_id": 64,
    "order_barcode": 128,
    "tote": 128,
    "ship_to": 200,
    "carrier": 64,
    "sku": 64,
    "description": 200,
}
#: Most lines one order may have: the central service takes no more in an order (``sync.wire.orders``) or in
#: an event listing an order's lines (``rules.events``), so a bigger order could be packed but never reported.
MAX_ORDER_LINES = 1000
#: Longest listed barcode.
MAX_BARCODE_LEN = 128
GTIN_LENGTHS = frozenset((8, 12, 13, 14))

Problem = tuple[str, str]
"""(``path.to.field``, message)."""


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of ``body`` (the digits without the check digit), any GS1 key length.

    Weights 3 and 1 alternate from the rightmost digit of the body. Raises ``ValueError`` for anything
    but ASCII digits."""
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError(f"check digit needs digits only, got {body!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_problem(code: str) -> str | None:
    """Why ``code`` is not a GTIN-8/12/13/14 (digits, length, check digit, not all zeros), or None."""
    if not (code.isascii() and code.isdigit()):
        return f"a GTIN has digits only, got {code!r}"
    if len(code) not in GTIN_LENGTHS:
        return f"a GTIN has 8, 12, 13 or 14 digits, got {len(code)}"
    expected = gtin_check_digit(code[:-1])
    if int(code[-1]) != expected:
        return f"check digit is {code[-1]}, expected {expected}"
    if code.count("0") == len(code):
        # Passes the formula but is never an assigned GTIN; some decoders emit it on a blank read.
        return "an all-zero number is not a GTIN"
    return None


def quantity_problem(quantity: int) -> str | None:
    if quantity < 1:
        return f"must be a whole number of at least 1, got {quantity}"
    if quantity > MAX_QUANTITY:
        return f"at most {MAX_QUANTITY}, got {quantity}"
    return None


def text_problem(
    value: str, name: str, *, required: bool = True, max_len: int | None = None
) -> tuple[str | None, str | None]:
    """``(folded value, problem)`` for one text field, as the order-file reader judges it; `max_len` for a
    field `FIELD_MAX_LEN` does not list (default 200)."""
    value = " ".join(value.split())
    if not value:
        return None, ("required, but empty" if required else None)
    limit = max_len or FIELD_MAX_LEN.get(name, 200)
    if len(value) > limit:
        return None, f"at most {limit} characters, got {len(value)}"
    if not value.isprintable():
        bad = next(char for char in value if not char.isprintable())
        return None, f"contains control character U+{ord(bad):04X}"
    return value, None


def code_problem(code: str) -> tuple[str | None, str | None]:
    """``(match key, problem)`` for a listed barcode, for the code families judged without the scan
    parser: characters, length, and the check digit of 12/13/14-digit GTINs. Other codes get a key
    of their upper-cased text (what the station keys plain text codes by) or ``None`` (GS1 data:
    judged by the station only)."""
    text = code.strip(" \t\r\n")
    if not text:
        return None, f"a barcode must be non-empty text, got {code!r}"
    if len(text) > MAX_BARCODE_LEN:
        return None, f"{text[:20]!r}…: at most {MAX_BARCODE_LEN} characters, got {len(text)}"
    for char in text:
        if char == GS or (char.isascii() and char.isprintable()):
            continue
        if not char.isascii() and char.isprintable():
            return None, (
                f"{text!r}: contains non-ASCII character {char!r} (U+{ord(char):04X}); "
                "check the scanner's keyboard layout or baud rate"
            )
        return None, f"{text!r}: contains control character U+{ord(char):04X}"
    if text.isdigit() and len(text) in (12, 13, 14):
        problem = gtin_problem(text)
        if problem is not None:
            return None, f"{text!r}: {problem}"
        return text.zfill(14), None
    if (
        text.isdigit()
        and len(text) == 8
        or text[:1] in ("]", "(", GS)
        or GS in text
        or text[:4].lower() in ("http", COMMAND_PREFIX.lower())
        or (text.isdigit() and len(text) >= 16)
    ):
        return None, None  # the station's scan parser decides (EAN-8 vs UPC-E, GS1, URIs, commands)
    return text.upper(), None


def reachable(quantity: int, pack_sizes: Sequence[int]) -> bool:
    """True when some combination of packs of ``pack_sizes`` units adds up to exactly ``quantity``."""
    sizes = sorted(set(pack_sizes))
    if not sizes or sizes[0] == 1:
        return True
    ok = [True] + [False] * quantity
    for total in range(1, quantity + 1):
        ok[total] = any(size <= total and ok[total - size] for size in sizes)
    return ok[quantity]


def lines_problem(count: int) -> str | None:
    """Why an order of ``count`` lines cannot be packed and reported, or None."""
    if count > MAX_ORDER_LINES:
        return f"has {count} lines, at most {MAX_ORDER_LINES} are allowed"
    return None


def order_problems(order: Mapping[str, Any], path: str) -> list[Problem]:
    """Everything the station's order-file reader would refuse in one order (wire/JSON shape), located
    by JSON path from ``path`` (e.g. ``orders[3]``), in the reader's words."""
    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append((where, message))

    for name, required in (("order_id", True), ("order_barcode", False), ("ship_to", True), ("carrier", True)):
        value = order.get(name)
        if value is None and not required:
            continue
        _folded, problem = text_problem(value if isinstance(value, str) else "", name, required=required)
        if problem:
            add(f"{path}.{name}", problem)
    order_key: str | None = None
    order_barcode = order.get("order_barcode")
    if isinstance(order_barcode, str) and order_barcode.strip():
        order_key, problem = code_problem(order_barcode)
        if problem:
            add(f"{path}.order_barcode", problem)
    lines = order.get("lines") or []
    if not lines:
        add(f"{path}.lines", f"order {order.get('order_id')} has no lines")
    problem = lines_problem(len(lines))
    if problem:
        add(f"{path}.lines", f"order {order.get('order_id')} {problem}")
    skus: dict[str, str] = {}
    keys: dict[str, tuple[str, str]] = {}
    for index, line in enumerate(lines):
        loc = f"{path}.lines[{index}]"
        sku, problem = text_problem(str(line.get("sku") or ""), "sku")
        if problem:
            add(f"{loc}.sku", problem)
        _desc, problem = text_problem(str(line.get("description") or ""), "description")
        if problem:
            add(f"{loc}.description", problem)
        quantity = line.get("quantity")
        if isinstance(quantity, int):
            problem = quantity_problem(quantity)
            if problem:
                add(f"{loc}.quantity", problem)
        barcodes = line.get("barcodes") or []
        if not barcodes:
            add(f"{loc}.barcodes", "line has no barcodes: nothing could be scanned for it")
        seen: dict[str, str] = {}
        sizes: list[int] = []
        rejected = False
        for b_index, barcode in enumerate(barcodes):
            label = f"{loc}.barcodes[{b_index}]"
            code, units = str(barcode.get("code") or ""), int(barcode.get("units") or 1)
            key, problem = code_problem(code)
            if problem:
                add(label, problem)
                rejected = True
                continue
            code = code.strip()
            if units > MAX_UNITS_PER_PACK:
                add(label, f"{code!r}: at most {MAX_UNITS_PER_PACK} units per pack, got {units}")
                rejected = True
                continue
            sizes.append(units)
            if key is None:
                continue
            if key in seen:
                add(label, f"{code!r} is listed twice on this line (same code as {seen[key]!r})")
                continue
            seen[key] = code
            if key == order_key:
                add(label, f"{code!r} is the order's own barcode")
            owner = keys.get(key)
            if owner is not None and owner[0] != sku:
                add(label, f"{code!r} is also listed for SKU {owner[0]} ({owner[1]}); a scan could not tell them apart")
            elif owner is None and sku is not None:
                keys[key] = (sku, loc)
        if sku is not None:
            if sku in skus:
                add(f"{loc}.sku", f"{sku} is already on {skus[sku]} of order {order.get('order_id')}")
            else:
                skus[sku] = loc
        if (
            isinstance(quantity, int)
            and 1 <= quantity <= MAX_QUANTITY
            and sizes
            and not rejected
            and not reachable(quantity, sizes)
        ):
            packs = ", ".join(str(size) for size in sorted(set(sizes)))
            add(f"{loc}.quantity", f"{quantity} cannot be packed from packs of {packs} units")
    return problems
