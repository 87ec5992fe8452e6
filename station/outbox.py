"""The transactional outbox: events for the central service, written in the same transaction as the
state change they describe, and drained later by the sync worker (`sync.client`).

The outbox row's autoincrement `seq` is the per-station sequence number of the wire protocol; the
`event_id` (UUID4) is what the central service deduplicates on. The payload is one of the typed models of
`rules.events`, stored as its JSON. An event is `pending` until the central
service acknowledged it (`sent`), or `parked` when it refused it for good (a 4xx answer for that event)
or when the drain found the stored row no longer passes the wire checks (it is then never sent):
parked events are kept, shown to the user and can be retried after a fix, or `dropped` by a
supervisor (kept in the table, never sent; the drop itself is audited by the caller).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Row, Table, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from rules.events import EventPayload
from station import bindings
from station.clock import Clock, SystemClock, as_utc
from station.db import write
from station.orm import OutboxRecord
from station.statuses import OutboxState

# The stored values of `outbox.status`, as the plain strings the column holds.
_PENDING = OutboxState.PENDING.value
_SENT = OutboxState.SENT.value
_PARKED = OutboxState.PARKED.value
_DROPPED = OutboxState.DROPPED.value


def enqueue(session: Session, payload: EventPayload, occurred_at: datetime) -> OutboxRecord:
    """Add an event inside the caller's transaction; it becomes visible to the drain only on commit.

    ``payload`` is one of the typed payloads of ``rules.events`` (validated when it was built, with the
    central service's own limits); its ``TYPE`` is the event type, its JSON form is what is stored."""
    record = OutboxRecord(
        event_id=str(uuid.uuid4()),
        type=payload.TYPE.value,
        occurred_at=occurred_at,
        payload=payload.model_dump(mode="json"),
        status=_PENDING,
        attempts=0,
    )
    session.add(record)
    bindings.track(session, record)  # its payload hash goes into the audit row of this transaction
    return record


@dataclass(frozen=True)
class OutboxEvent:
    seq: int
    event_id: str
    type: str
    occurred_at: datetime
    payload: dict[str, Any]
    attempts: int
    last_error: str | None


def _event(r: OutboxRecord) -> OutboxEvent:
    return OutboxEvent(r.seq, r.event_id, r.type, as_utc(r.occurred_at), r.payload, r.attempts, r.last_error)


OUTBOX: Table = cast(Table, OutboxRecord.__table__)
# What an `OutboxEvent` is made of, selected as plain rows: loading ORM objects (identity map, instance
# state, the columns nobody reads) was half the time of `pending()` on a 500-event batch.
_EVENT_COLUMNS = (
    OUTBOX.c.seq,
    OUTBOX.c.event_id,
    OUTBOX.c.type,
    OUTBOX.c.occurred_at,
    OUTBOX.c.payload,
    OUTBOX.c.attempts,
    OUTBOX.c.last_error,
)


def _event_of_row(r: Row[int, str, str, datetime, dict[str, Any], int, str | None]) -> OutboxEvent:
    seq, event_id, type_, occurred_at, payload, attempts, last_error = r
    return OutboxEvent(seq, event_id, type_, as_utc(occurred_at), payload, attempts, last_error)


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    parked: int
    sent: int
    oldest_pending_at: datetime | None


class Outbox:
    """Reading and acknowledging outbox rows; each method is its own short transaction (`station.db.write`)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock | None = None) -> None:
        self._sessions = sessions
        self._clock = clock or SystemClock()

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._sessions

    def pending(self, limit: int = 200, due_only: bool = False, after_seq: int | None = None) -> list[OutboxEvent]:
        """The oldest ``limit`` pending events in ``seq`` order (``due_only``: those not backing off;
        ``after_seq``: only those after it, the drain's read-ahead of the next batch).

        The index on ``status`` serves it without a sort: SQLite keys every index entry by the rowid too,
        and ``seq`` is the rowid, so the index is in effect ``(status, seq)``."""
        q = select(*_EVENT_COLUMNS).where(OUTBOX.c.status == _PENDING)
        if due_only:
            now = self._clock.now()
            q = q.where(OUTBOX.c.next_attempt_at.is_(None) | (OUTBOX.c.next_attempt_at <= now))
        if after_seq is not None:
            q = q.where(OUTBOX.c.seq > after_seq)
        with self._sessions() as s:
            return [_event_of_row(r) for r in s.execute(q.order_by(OUTBOX.c.seq).limit(limit))]

    def mark_sent(self, event_ids: list[str]) -> int:
        if not event_ids:
            return 0
        return self._update(
            event_ids, OutboxRecord.status != _SENT, status=_SENT, sent_at=self._clock.now(), last_error=None
        )

    def mark_failed(self, event_ids: list[str], error: str, retry_in: timedelta | None = None) -> None:
        """A transient failure (network, 5xx): keep pending, count the attempt, remember why."""
        self._note_failure(event_ids, error, count_attempt=True, retry_in=retry_in)

    def note_error(self, event_ids: list[str], error: str) -> None:
        """Remember why events could not be sent without counting an attempt or backing off (the events
        are fine, the credentials are not): ``sync status`` shows it as the last failure."""
        self._note_failure(event_ids, error, count_attempt=False)

    def _note_failure(
        self, event_ids: list[str], error: str, count_attempt: bool, retry_in: timedelta | None = None
    ) -> None:
        if not event_ids:
            return
        values: dict[str, Any] = {"last_error": error[:2000]}
        if count_attempt:
            values["attempts"] = OutboxRecord.attempts + 1
            values["next_attempt_at"] = (self._clock.now() + retry_in) if retry_in else None
        with write(self._sessions) as s:
            s.execute(
                update(OutboxRecord)
                .where(OutboxRecord.event_id.in_(event_ids), OutboxRecord.status == _PENDING)
                .values(**values)
            )

    def park(self, event_id: str, error: str) -> None:
        """The central service refused this event for good, or it fails the wire checks before it is sent:
        stop sending it, keep it for a person, with ``error`` as the reason."""
        with write(self._sessions) as s:
            s.execute(
                update(OutboxRecord)
                .where(OutboxRecord.event_id == event_id, OutboxRecord.status == _PENDING)
                .values(status=_PARKED, attempts=OutboxRecord.attempts + 1, last_error=error[:2000])
            )

    def parked(self) -> list[OutboxEvent]:
        with self._sessions() as s:
            q = select(OutboxRecord).where(OutboxRecord.status == _PARKED).order_by(OutboxRecord.seq)
            return [_event(r) for r in s.scalars(q)]

    def find_parked(self, ref: str) -> OutboxEvent | None:
        """A parked event by its seq number (``12`` or ``#12``) or its event id (or a unique prefix of it)."""
        ref = ref.strip()
        by_seq_only = ref.startswith("#")
        ref = ref.removeprefix("#")
        with self._sessions() as s:
            q = select(OutboxRecord).where(OutboxRecord.status == _PARKED)
            rows: list[OutboxRecord] = []
            if ref.isdigit():
                rows = list(s.scalars(q.where(OutboxRecord.seq == int(ref))))
            if not rows and not by_seq_only:
                # An event id prefix may be all digits too (about 1 in 40 eight-character prefixes are).
                rows = list(s.scalars(q.where(OutboxRecord.event_id.startswith(ref.lower(), autoescape=True)).limit(2)))
            return _event(rows[0]) if len(rows) == 1 and ref else None

    def requeue(self, event_ids: list[str]) -> int:
        """Parked events back in the queue (a person fixed the cause)."""
        if not event_ids:
            return 0
        return self._update(event_ids, OutboxRecord.status == _PARKED, status=_PENDING, next_attempt_at=None)

    def _update(self, event_ids: list[str], status_is: ColumnElement[bool], **values: Any) -> int:
        """Set `values` on the rows of `event_ids` whose status fits `status_is`; how many rows changed."""
        with write(self._sessions) as s:
            res = cast(
                "CursorResult[Any]",
                s.execute(update(OutboxRecord).where(OutboxRecord.event_id.in_(event_ids), status_is).values(**values)),
            )
            return res.rowcount or 0

    def drop(self, event_id: str) -> bool:
        """A parked event will never be sent: mark it ``dropped`` (the row stays, for the record)."""
        with write(self._sessions) as s:
            res = cast(
                "CursorResult[Any]",
                s.execute(
                    update(OutboxRecord)
                    .where(OutboxRecord.event_id == event_id, OutboxRecord.status == _PARKED)
                    .values(status=_DROPPED, next_attempt_at=None)
                ),
            )
            return bool(res.rowcount)

    def retry_parked(self) -> int:
        with write(self._sessions) as s:
            res = cast(
                "CursorResult[Any]",
                s.execute(
                    update(OutboxRecord)
                    .where(OutboxRecord.status == _PARKED)
                    .values(status=_PENDING, next_attempt_at=None)
                ),
            )
            return res.rowcount or 0

    def counts(self) -> OutboxCounts:
        with self._sessions() as s:
            rows = dict(s.execute(select(OutboxRecord.status, func.count()).group_by(OutboxRecord.status)).all())
            oldest = s.scalar(select(func.min(OutboxRecord.occurred_at)).where(OutboxRecord.status == _PENDING))
        return OutboxCounts(
            pending=rows.get(_PENDING, 0),
            parked=rows.get(_PARKED, 0),
            sent=rows.get(_SENT, 0),
            oldest_pending_at=as_utc(oldest) if oldest else None,
        )
