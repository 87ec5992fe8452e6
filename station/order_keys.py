"""Finding an order by what a packer scans: its order barcode, its tote, or its order id.

Order barcodes and totes are also stored as a key (``orders.barcode_key``, ``orders.tote_key``): the same
normal form a scan is matched by (:func:`station.barcodes.match_key`: GTIN-14, or the text upper-cased), so
``ord-1001`` typed or scanned with Caps Lock finds ``ORD-1001``. Both key columns are indexed, so a look-up
stays one index probe per rule with a million orders stored.

The rules, in order:

1. the exact order barcode;
2. a tote held by an order (a tote is held until its order is sealed; ``tote_key`` is cleared then);
3. the order barcode regardless of letter case, **only if exactly one** stored order has that key (two
   stored barcodes that differ only by case, from before imports refused that, match exactly or not at all);
4. the order id.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.barcodes import InvalidCode, ParsedCode, match_key, parse_scan
from station.orm import LineBarcode, Order

__all__ = ["code_key", "find_order", "order_using_code"]


def code_key(code: str) -> str:
    """The stored key of an order barcode or tote (the match key; upper-cased text if it has none)."""
    try:
        return match_key(code)
    except InvalidCode:
        return code.strip().upper()


def find_order(s: Session, code: str | ParsedCode) -> Order | None:
    """The order this scan names, or None (see the module docstring for the rules)."""
    if isinstance(code, ParsedCode):
        text, key = code.text, code.match_key
    else:
        text = code
        try:
            key = parse_scan(code).match_key
        except InvalidCode:
            key = None
    order = s.scalar(select(Order).where(Order.order_barcode == text))
    if order is None and key:
        order = s.scalar(select(Order).where(Order.tote_key == key))
    if order is None and key:
        matches = s.scalars(select(Order).where(Order.barcode_key == key).limit(2)).all()
        if len(matches) == 1:
            order = matches[0]
    if order is None:
        order = s.get(Order, text)
    return order


def order_using_code(s: Session, code: str) -> tuple[str, str] | None:
    """(order id, what) of a stored order whose order barcode, held tote or item code equals `code` in the
    form a scan is matched by, or None. A badge must be none of these: scanned at the bench it would open
    that order (or count that item) instead of signing someone in."""
    key = code_key(code)
    for column, what in ((Order.barcode_key, "order barcode"), (Order.tote_key, "tote")):
        order_id = s.scalar(select(Order.order_id).where(column == key).limit(1))
        if order_id is not None:
            return order_id, what
    order_id = s.scalar(select(LineBarcode.order_id).where(LineBarcode.match_key == key).limit(1))
    return (order_id, "item code") if order_id is not None else None
