"""`audit verify`'s second half: do the scans, incidents, outbox events and sealed orders still match the
content hashes their audit rows recorded (see `station.bindings`)?

The checker is fed the audit rows in chain order, one chunk at a time, and keeps little in memory: scans and
outbox rows never change after they are written, so each binding is checked against the table as soon as
its chunk is read; only the bound *ranges* of their ids are kept (normally one range), to find rows no audit
row recorded. Incidents change (opened, then cleared or escalated), so the latest binding of each is kept
until the end; there are few of them. A sealed order is final, so it is checked at once too.

Problems are typed (`BindingProblem`); `ui` turns them into words.

Rows written before bindings existed (a database upgraded from an older PackGate) are not checked: the
"binding era" starts at the first audit row that carries a ``bind``; scans and outbox rows below the first
bound id, and incidents named by an ``incident.opened`` row before that, are legacy.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import bindings as b
from station.clock import as_utc
from station.model import OrderStatus
from station.orm import IncidentRecord, Order, OrderLine, OutboxRecord, ScanRecord
from station.statuses import IncidentStatus

MAX_PROBLEMS = 100

# How a row differs from what the audit trail recorded: (field, stored now, as recorded), one per field.
_Fields = tuple[tuple[str, Any, Any], ...]
_AS_RECORDED: _Fields = (("content", "changed", "as recorded"),)


class ProblemKind(enum.StrEnum):
    CHANGED = "changed"  # the row differs from the content hash its latest audit row recorded
    MISSING = "missing"  # an audit row recorded the row, it is gone
    UNBOUND = "unbound"  # the row exists, no audit row recorded it (inserted behind the application's back)
    REBOUND = "rebound"  # a scan or outbox row recorded twice (deleted and its id reused, or renumbered)
    UNDONE = "undone"  # a scan's undone flag disagrees with the undo/cancel audit rows
    CLAIM = "claim"  # an audit row names a row that was never recorded, or records it otherwise (forged row)


@dataclass(frozen=True)
class BindingProblem:
    kind: ProblemKind
    table: str
    key: str
    audit_id: int | None  # the audit row that recorded it (None for unbound rows)
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (field, value now, value the audit trail recorded)


class _Ranges:
    """A set of ints kept as sorted [lo, hi] ranges (bound ids are nearly always one contiguous run)."""

    def __init__(self) -> None:
        self.lo: list[int] = []
        self.hi: list[int] = []

    def __contains__(self, k: int) -> bool:
        i = bisect.bisect_right(self.lo, k) - 1
        return i >= 0 and k <= self.hi[i]

    def add(self, k: int) -> bool:
        """Add `k`; False when it was already there."""
        if self.hi and k == self.hi[-1] + 1:
            self.hi[-1] = k
            return True
        if not self.hi or k > self.hi[-1]:
            self.lo.append(k)
            self.hi.append(k)
            return True
        if k in self:
            return False
        i = bisect.bisect_right(self.lo, k)
        self.lo.insert(i, k)
        self.hi.insert(i, k)
        return True


_STATUS_OF = {
    "incident.opened": IncidentStatus.OPEN.value,
    "incident.cleared": IncidentStatus.CLEARED.value,
    "incident.escalated": IncidentStatus.ESCALATED.value,
}


class BindingChecker:
    def __init__(self) -> None:
        self.problems: list[BindingProblem] = []
        self.era_start: datetime | None = None
        self._ranges = {b.SCANS: _Ranges(), b.OUTBOX: _Ranges()}
        self._first: dict[str, int] = {}
        self._chunk: dict[str, list[tuple[Any, int, str]]] = {b.SCANS: [], b.OUTBOX: [], b.ORDERS: []}
        self._claims: list[tuple[int, int, dict[str, Any]]] = []  # (audit id, scan id, detail)
        self._seals: dict[str, dict[str, Any]] = {}  # order id -> seal detail (this chunk)
        self._incidents: dict[str, tuple[int, str, dict[str, Any]]] = {}  # id -> (audit id, hash, claim)
        self._legacy_incidents: set[str] = set()
        self._undone: set[int] = set()

    # ------------------------------------------------------------------ feeding
    def row(self, audit_id: int, at: datetime, action: str, detail: Mapping[str, Any]) -> None:
        binds = detail.get("bind") or []
        if binds and self.era_start is None:
            self.era_start = as_utc(at)
        if self.era_start is None:
            if action == "incident.opened" and isinstance(detail.get("incident"), str):
                self._legacy_incidents.add(detail["incident"])
            return
        for entry in binds:
            if not (isinstance(entry, list) and len(entry) == 3):
                self._add(ProblemKind.CLAIM, "audit_log", audit_id, audit_id)
                continue
            table, key, digest = entry
            if table in (b.SCANS, b.OUTBOX):
                if not isinstance(key, int) or not self._ranges[table].add(key):
                    self._add(ProblemKind.REBOUND, table, key, audit_id)
                    continue
                self._first.setdefault(table, key)
                self._chunk[table].append((key, audit_id, digest))
            elif table == b.ORDERS:
                self._chunk[b.ORDERS].append((key, audit_id, digest))
                if action == "seal":
                    self._seals[key] = dict(detail)
            elif table == b.INCIDENTS:
                claim = {"status": _STATUS_OF.get(action)} if action in _STATUS_OF else {}
                for field in ("kind", "code", "resolution", "reason"):
                    if field in detail and action in _STATUS_OF:
                        claim[field] = detail[field]
                self._incidents[key] = (audit_id, digest, claim)
        named = detail.get("incident")
        if (
            action in _STATUS_OF
            and isinstance(named, str)
            and not any(isinstance(e, list) and len(e) == 3 and e[0] == b.INCIDENTS and e[1] == named for e in binds)
        ):
            # the application binds the incident in the very row that opens, clears or escalates it
            self._add(ProblemKind.CLAIM, b.INCIDENTS, named, audit_id, (("status", "as it was", _STATUS_OF[action]),))
        if action == "scan" and isinstance(detail.get("scan_id"), int):
            self._claims.append((audit_id, detail["scan_id"], dict(detail)))
        elif action == "undo" and isinstance(detail.get("scan_id"), int):
            self._undone.add(detail["scan_id"])
        elif action == "cancel":
            self._undone.update(k for k in detail.get("undone_scans") or [] if isinstance(k, int))

    def _add(
        self,
        kind: ProblemKind,
        table: str,
        key: Any,
        audit_id: int | None,
        fields: tuple[tuple[str, Any, Any], ...] = (),
    ) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(BindingProblem(kind, table, str(key), audit_id, fields))

    # ------------------------------------------------------------------ checking
    def check_chunk(self, session: Session) -> None:
        self._check_scans(session)
        bound = self._chunk[b.OUTBOX]
        if bound:
            now = b.current_hashes(session, b.OUTBOX, [k for k, _, _ in bound])
            self._compare(b.OUTBOX, bound, now, lambda _key: (("payload", "changed", "as recorded"),))
        self._check_orders(session)
        for table in self._chunk:
            self._chunk[table] = []
        self._claims, self._seals = [], {}

    def _check_scans(self, session: Session) -> None:
        bound = self._chunk[b.SCANS]
        keys = sorted({k for k, _, _ in bound} | {k for _, k, _ in self._claims})
        if not keys:
            return
        rows = b.current_rows(session, b.SCANS, keys)
        claims = {k: d for _aid, k, d in self._claims}
        now = {key: b.content_hash(b.SCANS, rows[key]) for key, _, _ in bound if key in rows}
        self._compare(
            b.SCANS,
            bound,
            now,
            lambda key: _diff(rows[key], claims.get(key, {}), ("code", "verdict", "units", "source")),
        )
        for audit_id, key, detail in self._claims:
            row = rows.get(key)
            if key not in self._ranges[b.SCANS] or row is None:
                self._add(ProblemKind.CLAIM, b.SCANS, key, audit_id)
            elif row["code"] != detail.get("code", row["code"]) or row["verdict"] != detail.get(
                "verdict", row["verdict"]
            ):
                if not any(p.table == b.SCANS and p.key == str(key) for p in self.problems):
                    self._add(ProblemKind.CLAIM, b.SCANS, key, audit_id, _diff(row, detail, ("code", "verdict")))

    def _check_orders(self, session: Session) -> None:
        bound = self._chunk[b.ORDERS]
        if not bound:
            return
        now = b.current_hashes(session, b.ORDERS, [k for k, _, _ in bound])
        self._compare(b.ORDERS, bound, now, lambda key: self._order_diff(session, key))

    def _compare(
        self, table: str, bound: list[tuple[Any, int, str]], now: Mapping[Any, str], how: Callable[[Any], _Fields]
    ) -> None:
        """Each bound row against the hash of what is stored now: gone (MISSING), or other content (CHANGED,
        with `how` it differs from what the audit trail recorded)."""
        for key, audit_id, digest in bound:
            if key not in now:
                self._add(ProblemKind.MISSING, table, key, audit_id)
            elif now[key] != digest:
                self._add(ProblemKind.CHANGED, table, key, audit_id, how(key) or _AS_RECORDED)

    def _order_diff(self, session: Session, order_id: str) -> _Fields:
        recorded = {
            ln.get("sku"): ln for ln in (self._seals.get(order_id) or {}).get("lines") or [] if isinstance(ln, dict)
        }
        fields: list[tuple[str, Any, Any]] = []
        status = session.scalar(select(Order.status).where(Order.order_id == order_id))
        if status != OrderStatus.SEALED:
            fields.append(("status", status, OrderStatus.SEALED.value))
        for sku, qty, scanned in session.execute(
            select(OrderLine.sku, OrderLine.quantity, OrderLine.scanned)
            .where(OrderLine.order_id == order_id)
            .order_by(OrderLine.line_no)
        ):
            was = recorded.get(sku)
            if was is None:
                fields.append((f"line {sku}", "present", "absent"))
                continue
            if was.get("scanned") != scanned:
                fields.append((f"line {sku} scanned", scanned, was.get("scanned")))
            if was.get("ordered") != qty:
                fields.append((f"line {sku} quantity", qty, was.get("ordered")))
        return tuple(fields)

    def finish(self, session: Session) -> list[BindingProblem]:
        self.check_chunk(session)
        if self.era_start is None:
            return self.problems
        self._unbound(session, b.SCANS, ScanRecord.id, ScanRecord.created_at)
        self._unbound(session, b.OUTBOX, OutboxRecord.seq, OutboxRecord.occurred_at)
        first = self._first.get(b.SCANS)
        if first is not None:
            for scan_id, undone in session.execute(
                select(ScanRecord.id, ScanRecord.undone).where(ScanRecord.id >= first).order_by(ScanRecord.id)
            ):
                if bool(undone) != (scan_id in self._undone):
                    self._add(
                        ProblemKind.UNDONE, b.SCANS, scan_id, None, (("undone", bool(undone), scan_id in self._undone),)
                    )
        self._check_incidents(session)
        return self.problems

    def _unbound(self, session: Session, table: str, key_col: Any, time_col: Any) -> None:
        ranges, first = self._ranges[table], self._first.get(table)
        assert self.era_start is not None
        # Rows at/after the first bound key, or written after bindings began, must all be bound.
        cond = time_col >= self.era_start if first is None else ((key_col >= first) | (time_col >= self.era_start))
        for (key,) in session.execute(select(key_col).where(cond).order_by(key_col)):
            if key not in ranges:
                self._add(ProblemKind.UNBOUND, table, key, None)

    def _check_incidents(self, session: Session) -> None:
        seen: set[str] = set()
        table = IncidentRecord.__table__
        for row in session.execute(select(*(table.c[c] for c in b.INCIDENT_COLUMNS))).mappings():
            key = row["id"]
            seen.add(key)
            recorded = self._incidents.get(key)
            if recorded is None:
                if key not in self._legacy_incidents:
                    self._add(ProblemKind.UNBOUND, b.INCIDENTS, key, None)
                continue
            audit_id, digest, claim = recorded
            fields = _diff(row, claim, ("status", "kind", "code", "resolution", "reason"))
            if b.content_hash(b.INCIDENTS, row) != digest:
                self._add(ProblemKind.CHANGED, b.INCIDENTS, key, audit_id, fields or _AS_RECORDED)
            elif fields:  # the row is as hashed, but the audit row's own words say otherwise: a forged row
                self._add(ProblemKind.CLAIM, b.INCIDENTS, key, audit_id, fields)
        for key, (audit_id, _, _) in self._incidents.items():
            if key not in seen:
                self._add(ProblemKind.MISSING, b.INCIDENTS, key, audit_id)


def _diff(row: b.StoredRow, recorded: Mapping[str, Any], fields: tuple[str, ...]) -> _Fields:
    return tuple((f, row[f], recorded[f]) for f in fields if f in recorded and recorded[f] != row[f])
