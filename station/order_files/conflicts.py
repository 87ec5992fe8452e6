"""Codes an import must not let two things share: order barcodes, totes, item codes and badges.

A packer scans one code and the station decides what it is: an item of the order on the bench, another
order's barcode or tote (a request to switch orders), a supervisor's badge. If one code is two of these the
station guesses, and a guess at the bench is how a wrong package gets through. So an import refuses:

- an order barcode another stored order already has (also when it differs only in letter case, since scans
  match order barcodes regardless of case);
- a tote held by another order that is not sealed yet (sealing frees it);
- an order barcode or tote equal to an item code of another order, and an item code equal to another
  order's barcode or tote (both directions: against the stored orders and within the import);
- an order barcode or tote equal to a user's badge.

:func:`check_chunk` runs inside the import's transaction on each chunk of orders before it is inserted, so
it sees the stored orders and the chunks written before it; the import rolls back if it finds anything.
Conflicts are typed (:class:`Conflict`): the words are the caller's.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.order_files.specs import OrderSpec
from station.order_keys import code_key
from station.orm import UserRecord

__all__ = ["Conflict", "Role", "check_chunk", "load_badges"]

_PARAMS = 900  # SQLite's bound-parameter limit is 999


class Role(str, enum.Enum):
    """What a code is to the station."""

    ORDER_BARCODE = "order_barcode"
    TOTE = "tote"
    ITEM = "item"
    BADGE = "badge"


@dataclass(frozen=True)
class Conflict:
    """``order_id``'s ``role`` code ``code`` (line ``sku`` for an item) is already ``other_role`` of
    ``other`` (an order id, or a user name for a badge; ``other_code`` as stored, ``other_sku`` for an item,
    ``other_status`` the other order's status)."""

    order_id: str
    role: Role
    code: str
    other_role: Role
    other: str
    other_code: str
    sku: str | None = None
    other_sku: str | None = None
    other_status: str | None = None


def load_badges(s: Session) -> dict[str, tuple[str, str]]:
    """Every badge by its key: key -> (user name, badge)."""
    rows = s.execute(select(UserRecord.name, UserRecord.badge).where(UserRecord.badge.is_not(None)))
    return {code_key(badge): (name, badge) for name, badge in rows if badge is not None}


def check_chunk(s: Session, specs: Sequence[OrderSpec], badges: dict[str, tuple[str, str]]) -> list[Conflict]:
    """Conflicts of these orders (about to be inserted) with the stored ones, the badges and each other."""
    conflicts: list[Conflict] = []
    ids = {spec.order_id for spec in specs}
    scan_codes: dict[Role, dict[str, tuple[str, str]]] = {Role.ORDER_BARCODE: {}, Role.TOTE: {}}  # key -> (order, code)
    items: dict[str, list[tuple[str, str, str]]] = {}  # key -> [(order, sku, code)]
    for spec in specs:
        for role, code in ((Role.ORDER_BARCODE, spec.order_barcode), (Role.TOTE, spec.tote)):
            if not code:
                continue
            key = code_key(code)
            for other_role, taken in scan_codes.items():  # within this chunk (a page pulled from central)
                if key in taken and taken[key][0] != spec.order_id:
                    conflicts.append(Conflict(spec.order_id, role, code, other_role, *taken[key]))
            scan_codes[role].setdefault(key, (spec.order_id, code))
            badge = badges.get(key)
            if badge is not None:
                conflicts.append(Conflict(spec.order_id, role, code, Role.BADGE, badge[0], badge[1]))
        for line in spec.lines:
            for barcode in line.barcodes:
                items.setdefault(barcode.key, []).append((spec.order_id, line.sku, barcode.code))

    # Order barcodes and totes of this chunk against each other's items, and against the stored orders.
    for role, codes in scan_codes.items():
        for key, (order_id, code) in codes.items():
            for other_id, sku, item_code in items.get(key, ()):
                if other_id != order_id:
                    conflicts.append(Conflict(order_id, role, code, Role.ITEM, other_id, item_code, other_sku=sku))
        for sql, other_role in ((_BY_BARCODE, Role.ORDER_BARCODE), (_BY_TOTE, Role.TOTE)):
            for key, other_id, other_code, status in _in(s, sql, codes):
                order_id, code = codes[key]
                if other_id != order_id and other_id not in ids:
                    conflicts.append(
                        Conflict(order_id, role, code, other_role, other_id, other_code or "", other_status=status)
                    )
        for key, other_id, item_code, sku in _in(s, _BY_ITEM, codes):
            order_id, code = codes[key]
            if other_id != order_id and other_id not in ids:
                conflicts.append(Conflict(order_id, role, code, Role.ITEM, other_id, item_code, other_sku=sku))

    # This chunk's items against the stored orders' barcodes and totes.
    for sql, other_role in ((_BY_BARCODE, Role.ORDER_BARCODE), (_BY_TOTE, Role.TOTE)):
        for key, other_id, other_code, status in _in(s, sql, items):
            for order_id, sku, item_code in items[key]:
                if other_id != order_id and other_id not in ids:
                    conflicts.append(
                        Conflict(
                            order_id,
                            Role.ITEM,
                            item_code,
                            other_role,
                            other_id,
                            other_code or "",
                            sku=sku,
                            other_status=status,
                        )
                    )
    return conflicts


# Plain SQL, each on an index (orders.barcode_key, orders.tote_key, line_barcodes.match_key): an import runs
# these for every chunk, and compiling a fresh SQLAlchemy IN-clause each time cost more than the look-ups.
_BY_BARCODE = "SELECT barcode_key, order_id, order_barcode, status FROM orders WHERE barcode_key IN ({})"
_BY_TOTE = "SELECT tote_key, order_id, tote, status FROM orders WHERE tote_key IN ({})"
_BY_ITEM = (
    "SELECT lb.match_key, lb.order_id, lb.code, ol.sku FROM line_barcodes lb "
    "JOIN order_lines ol ON ol.id = lb.line_id WHERE lb.match_key IN ({})"
)


def _in(s: Session, sql: str, keys: Iterable[str]) -> Iterator[tuple[str, str, str, str]]:
    """Rows of ``sql`` whose key is one of ``keys``, a bounded number of parameters at a time."""
    keys = list(keys)
    connection = s.connection()
    for start in range(0, len(keys), _PARAMS):
        part = tuple(keys[start : start + _PARAMS])
        yield from connection.exec_driver_sql(sql.format(",".join("?" * len(part))), part)
