"""Pulling orders from the central service into the station, through the station's own order-file checks."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import httpx
from pydantic import ValidationError

from station.clock import Clock
from station.db import Database
from station.order_files import OrderFileError, OrderSpec, parse_orders_json
from station.order_files.conflicts import Conflict
from station.orders import ImportResult, OrderConflictError, import_orders
from sync.transport import ConnectionState, SyncError, response_detail, state_for_status, transport_failure, unreadable
from sync.wire.orders import MAX_ORDERS_PAGE, Order, OrdersPage

logger = logging.getLogger("sync.client")  # the name it logged under before the split: log filters and files


@dataclass(frozen=True)
class PullResult:
    """What one ``pull_orders`` did."""

    received: int = 0
    imported: int = 0
    replaced: int = 0
    refused: tuple[tuple[str, str], ...] = ()  # (order_id, status): already being packed or sealed here
    invalid: tuple[tuple[str, str], ...] = ()  # (order_id, reason): the station's own checks refused it
    # Orders left out because a code clashes with a stored order or a badge: the first clash of each (the
    # words for it are the ui's, ui.commands.orders.conflict_text, as for an imported file).
    conflicts: tuple[Conflict, ...] = ()
    cursor: str | None = None

    @property
    def left_out(self) -> int:
        """Orders not imported for a problem of their own: refused by the checks or for a clashing code."""
        return len(self.invalid) + len(self.conflicts)


class CursorStore(Protocol):
    """Where the orders cursor lives between pulls. Losing it only means pulling everything again."""

    def load(self) -> str | None: ...

    def save(self, cursor: str) -> None: ...


class Puller:
    """The order half of ``SyncClient`` (``sync.client``): ``GET /orders`` page by page into the station."""

    station_id: str
    url: str
    _http: httpx.Client
    _clock: Clock

    def pull_orders(
        self, db: Database, cursors: CursorStore, clock: Clock | None = None, page_size: int = MAX_ORDERS_PAGE
    ) -> PullResult:
        """Fetch orders created or changed since the stored cursor and import them, page by page.

        Each page is imported (all or nothing, by ``import_orders``) before its cursor is saved, so a
        crash in between only re-imports that page, which replaces unchanged orders with themselves.
        Orders the station's own file checks refuse (a barcode with a bad check digit, a quantity over the
        bench limit) are skipped and reported, not allowed to stall the cursor: one bad order must not
        keep every later order away from the bench.

        Raises ``SyncError`` when the service cannot be reached or refuses the request.
        """
        cursor = cursors.load()
        total = PullResult(cursor=cursor)
        restarted = False
        while True:
            params: dict[str, Any] = {"limit": page_size}
            if cursor:
                params["cursor"] = cursor
            try:
                response = self._http.get("/orders", params=params)
            except httpx.TransportError as exc:
                raise SyncError(*transport_failure(exc, self.url)) from exc
            if response.status_code == 422 and cursor and not restarted:
                # A cursor this service never handed out (its database was replaced): start over. Re-pulling
                # everything is safe; orders being packed here are never replaced.
                logger.warning(
                    "central service refused the orders cursor %r (%s); pulling all orders again",
                    cursor,
                    response_detail(response),
                )
                cursor, restarted = None, True
                cursors.save("")
                continue
            if response.status_code != 200:
                raise SyncError(
                    state_for_status(response.status_code), f"HTTP {response.status_code}: {response_detail(response)}"
                )
            try:
                page = OrdersPage.model_validate_json(response.content)
            except ValidationError as exc:
                raise SyncError(ConnectionState.ERROR, unreadable(exc, "orders page")) from exc
            if not page.orders:
                return replace(total, cursor=cursor)
            specs, invalid = orders_to_specs(page.orders)
            conflicts: list[Conflict] = []
            imported = _import_skipping_conflicts(
                db, specs, self.station_id, clock or self._clock, f"central {self.url}", conflicts
            )
            cursor = page.cursor
            cursors.save(cursor)
            total = PullResult(
                received=total.received + len(page.orders),
                imported=total.imported + imported.imported,
                replaced=total.replaced + imported.replaced,
                refused=total.refused + tuple(imported.refused),
                invalid=total.invalid + tuple(invalid),
                conflicts=total.conflicts + tuple(conflicts),
                cursor=cursor,
            )
            logger.info("pulled %d order(s) from the central service", len(page.orders))
            if len(page.orders) < page_size:
                return total


def _import_skipping_conflicts(
    db: Database, specs: list[OrderSpec], station_id: str, clock: Clock, source: str, conflicts: list[Conflict]
) -> ImportResult:
    """Import a page; orders whose codes clash (a tote still held by an unsealed order, an order barcode that
    is another order's item...) are left out, the first clash of each added to ``conflicts``, and the rest
    is imported."""
    while True:
        try:
            return import_orders(db, specs, station_id, clock, source=source)
        except OrderConflictError as exc:
            refused: dict[str, Conflict] = {}
            for c in exc.conflicts:
                refused.setdefault(c.order_id, c)
            for order_id, c in refused.items():
                logger.warning(
                    "order %s from the central service refused: its %s %r clashes with %s %s",
                    order_id,
                    c.role.value,
                    c.code,
                    c.other_role.value,
                    c.other,
                    extra={"order_refused": order_id},
                )
            conflicts.extend(refused.values())
            specs = [spec for spec in specs if spec.order_id not in refused]


def orders_to_specs(orders: Sequence[Order]) -> tuple[list[OrderSpec], list[tuple[str, str]]]:
    """Turn wire orders into the station's ``OrderSpec``s through the station's own order-file checks.

    The same parser as ``packgate orders import`` validates them (check digits, bench limits, case packs),
    so an order reaches the bench by pull only if it could have reached it by file. Each order is checked
    on its own so one bad order does not refuse the page. Returns ``(specs, [(order_id, reason), ...])``.
    """
    specs: list[OrderSpec] = []
    invalid: list[tuple[str, str]] = []
    for order in orders:
        # The wire's Order is the order-file JSON shape (it refuses unknown fields); None there is "absent" in
        # the file (an order without an order barcode or a tote).
        doc = order.model_dump(mode="json", exclude_none=True)
        try:
            specs.extend(parse_orders_json(json.dumps({"orders": [doc]}), source=f"central order {order.order_id}"))
        except OrderFileError as exc:
            # Without the source prefix ("central order X: ..."): the caller names the order already.
            reason = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems)
            logger.warning(
                "order %s from the central service refused by the station's checks: %s",
                order.order_id,
                reason,
                extra={"order_refused": order.order_id},
            )
            invalid.append((order.order_id, reason))
    return specs, invalid
