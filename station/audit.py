"""The append-only, hash-chained audit trail.

Each row stores the SHA-256 of (previous row's hash + this row's canonical content). Changing, removing
or re-ordering any row breaks the chain from that row on, so a disputed package can be shown untampered:
`verify_chain()` recomputes every hash and names the first row that does not fit. The first row chains
from GENESIS (64 zeros).

The chain alone proves nothing to someone who can rewrite the whole file: recomputing every hash after an
edit, or deleting the newest rows, leaves a chain that checks. Two things close that gap:
- every scan, incident, outbox event and sealed order is *bound* to its audit row (its content hash is in the
  row's detail, see `station.bindings`), so an edited scan or incident is caught here, locally;
- the chain's head (id and hash) is *anchored* at the central service on every sync (`sync.anchoring`), and
  `packgate audit verify` compares the chain with the last head central accepted (`matches_anchor`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from station import bindings
from station.canonical import canonical_json
from station.chain_check import BindingChecker, BindingProblem
from station.clock import as_utc
from station.orm import AuditRecord

GENESIS = "0" * 64


def row_hash(
    prev_hash: str,
    row_id: int,
    at: datetime,
    station_id: str,
    actor: str | None,
    action: str,
    order_id: str | None,
    detail: str,
) -> str:
    content = canonical_json(
        {
            "id": row_id,
            "at": as_utc(at).isoformat(),
            "station": station_id,
            "actor": actor,
            "action": action,
            "order": order_id,
            "detail": detail,
        }
    )
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    at: datetime,
    station_id: str,
    actor: str | None,
    action: str,
    order_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditRecord:
    """Add one audit row inside the caller's transaction (which holds SQLite's write lock from BEGIN
    IMMEDIATE, so reading the last hash and appending cannot interleave with another writer)."""
    last = session.execute(select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)).first()
    binds = bindings.consume(session)
    entry = chained((last.id, last.hash) if last else None, at, station_id, actor, action, order_id, detail, binds)
    record = AuditRecord(
        id=entry.row_id,
        at=at,
        station_id=station_id,
        actor=actor,
        action=action,
        order_id=order_id,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
    session.add(record)
    return record


@dataclass(frozen=True)
class ChainedRow:
    """The chain fields of a new audit row: its id, the hash it links to, its detail as hashed, its hash."""

    row_id: int
    prev_hash: str
    detail: str
    hash: str


def chained(
    head: tuple[int, str] | None,
    at: datetime,
    station_id: str,
    actor: str | None,
    action: str,
    order_id: str | None,
    detail: dict[str, Any] | None,
    binds: list[list[Any]],
) -> ChainedRow:
    """The next row after `head` (the newest row's id and hash, read under the write lock; None: empty
    trail), with the ``bind`` entries of the rows it records in its detail. `append` and the counted-scan
    writer (`station.count_writes`) both chain through here."""
    prev_hash = head[1] if head else GENESIS
    row_id = (head[0] + 1) if head else 1
    detail_json = canonical_json({**(detail or {}), "bind": binds} if binds else (detail or {}))
    return ChainedRow(
        row_id,
        prev_hash,
        detail_json,
        row_hash(prev_hash, row_id, at, station_id, actor, action, order_id, detail_json),
    )


def _bind_leftovers(session: Session) -> None:
    """Before a commit: rows tracked after the transaction's last audit row get a ``bind`` audit row."""
    if not bindings.has_tracked(session):
        return
    from station.clock import SystemClock

    last = session.execute(select(AuditRecord.station_id).order_by(AuditRecord.id.desc()).limit(1)).scalar()
    append(session, at=SystemClock().now(), station_id=last or "", actor=None, action="bind")


def install(sessions: sessionmaker[Session]) -> None:
    """Register the bindings' commit-time safety net and rollback clean-up on a session factory."""
    event.listen(sessions, "before_commit", _bind_leftovers)
    event.listen(sessions, "after_rollback", bindings.forget)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_broken_id: int | None = None
    problem: str | None = None
    head_id: int = 0  # the newest row (0: empty trail)
    head_hash: str = GENESIS
    bound_rows: tuple[BindingProblem, ...] = ()  # scans, incidents, ... that no longer match their audit row

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None and not self.bound_rows


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole trail in id order, recompute every hash, and check every bound row against the
    content hash its audit row recorded."""
    prev_hash = GENESIS
    expected_id = 1
    count = 0
    last_id = 0
    checker = BindingChecker()
    while True:
        rows = session.scalars(
            select(AuditRecord).where(AuditRecord.id > last_id).order_by(AuditRecord.id).limit(batch)
        ).all()
        if not rows:
            problems = tuple(checker.finish(session))
            return ChainReport(rows=count, head_id=last_id, head_hash=prev_hash, bound_rows=problems)
        for row in rows:
            count += 1
            if row.id != expected_id:
                return ChainReport(count, row.id, f"row {expected_id} is missing (next row is {row.id})")
            if row.prev_hash != prev_hash:
                return ChainReport(count, row.id, "its link to the previous row does not match")
            if row.hash != row_hash(
                prev_hash, row.id, row.at, row.station_id, row.actor, row.action, row.order_id, row.detail
            ):
                return ChainReport(count, row.id, "its content does not match its hash (changed after writing)")
            try:
                detail = json.loads(row.detail)
            except ValueError:
                detail = {}
            checker.row(row.id, row.at, row.action, detail if isinstance(detail, dict) else {})
            prev_hash = row.hash
            expected_id += 1
            last_id = row.id
        checker.check_chunk(session)


def head(session: Session) -> tuple[int, str] | None:
    """(id, hash) of the newest row, or None for an empty trail."""
    last = session.execute(select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)).first()
    return (last.id, last.hash) if last else None


def hash_at(session: Session, row_id: int) -> str | None:
    """The stored hash of row `row_id` (None when the trail has no such row)."""
    return session.scalar(select(AuditRecord.hash).where(AuditRecord.id == row_id))


def matches_anchor(report: ChainReport, session: Session, seq: int, anchored_hash: str) -> bool:
    """True when the (locally intact) chain still holds the head central accepted at `seq`: the row is there
    and has the hash central stored. Deleting rows up to `seq`, or rewriting any row up to it (rehashing
    everything after), changes that."""
    return seq <= report.head_id and hash_at(session, seq) == anchored_hash
