"""Orders for the stations: admin upsert with a revision counter, cursor-based pull.

The cursor is the highest order revision a station has seen (an opaque decimal string on the wire).
Every change takes the next revision from the ``counters`` row, locked until commit (``SELECT ... FOR
UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so revisions become visible in increasing order
and a station paging with ``revision > cursor`` never skips a change committed late.

Orders belong to a site (``PUT`` names it): a station pulls only its own site's orders, since they
carry customer addresses. Every uploaded order is checked with the station's order-file rules
(``rules.orders.order_problems``) first, so the service never hands out an order a station refuses.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.orders import order_problems
from sync.server.db import upsert
from sync.server.models import Counter
from sync.server.models import Order as OrderRow
from sync.wire.orders import Order, OrdersPage, OrdersUpsertResult

logger = logging.getLogger(__name__)

REVISION_COUNTER = "order_revision"


class CursorError(ValueError):
    """A cursor this service did not hand out."""


class AllSites(enum.Enum):
    ALL = "all"


ALL_SITES = AllSites.ALL
"""The order scope of an admin token: every site's orders."""


def order_file_problems(orders: list[Order]) -> list[str]:
    """``"orders[i].path: message"`` for everything the station's order-file reader would refuse,
    including an order id listed twice; empty when every order is one a station can load."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, order in enumerate(orders):
        problems += [
            f"{where}: {message}"
            for where, message in order_problems(order.model_dump(mode="json"), f"orders[{index}]")
        ]
        if order.order_id in seen:
            problems.append(
                f"orders[{index}].order_id: order {order.order_id} is listed twice "
                f"(also orders[{seen[order.order_id]}])"
            )
        seen.setdefault(order.order_id, index)
    return problems


def parse_cursor(cursor: str | None) -> int:
    if cursor is None or cursor == "":
        return 0
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise CursorError(f"cursor {cursor[:40]!r} was not returned by this service; omit it to start over")
    return int(cursor)


def upsert_orders(session: Session, orders: list[Order], now: datetime, site: str | None = None) -> OrdersUpsertResult:
    """Create or replace orders of ``site``; an identical re-upload changes nothing and bumps no revision."""
    session.execute(
        upsert(session, Counter).values(name=REVISION_COUNTER, value=0).on_conflict_do_nothing(index_elements=["name"])
    )
    counter = session.scalars(select(Counter).where(Counter.name == REVISION_COUNTER).with_for_update()).one()
    result = OrdersUpsertResult(created=[], updated=[], unchanged=[])
    for order in orders:
        body = order.model_dump(mode="json")
        row = session.get(OrderRow, order.order_id)
        if row is not None and row.body == body and row.site == site:
            result.unchanged.append(order.order_id)
            continue
        counter.value += 1
        if row is None:
            session.add(OrderRow(order_id=order.order_id, revision=counter.value, site=site, body=body, updated_at=now))
            result.created.append(order.order_id)
        else:
            row.body, row.revision, row.site, row.updated_at = body, counter.value, site, now
            result.updated.append(order.order_id)
        session.flush()  # the unique revision is checked here, while the counter lock is held
    logger.info(
        "orders upserted: %d created, %d updated, %d unchanged",
        len(result.created),
        len(result.updated),
        len(result.unchanged),
    )
    return result


def orders_since(
    session: Session, cursor: str | None, limit: int, site: str | None | AllSites = ALL_SITES
) -> OrdersPage:
    """Orders changed after ``cursor`` in ``site`` (None: orders without a site; ``ALL_SITES``: all)."""
    after = parse_cursor(cursor)
    query = select(OrderRow).where(OrderRow.revision > after)
    if site is None:
        query = query.where(OrderRow.site.is_(None))
    elif site is not ALL_SITES:
        query = query.where(OrderRow.site == site)
    rows = list(session.scalars(query.order_by(OrderRow.revision).limit(limit)))
    next_cursor = rows[-1].revision if rows else after
    return OrdersPage(orders=[Order.model_validate(row.body) for row in rows], cursor=str(next_cursor))
