"""Which incident evidence images still have to go to central (the station's half of evidence upload).

The sync worker (`sync.evidence`) asks `due()` for incidents that have an evidence file and no finished
upload, reads and hashes each file, PUTs it, and files the answer back here: `uploaded` (with the hash),
`failed` (kept `pending` with a retry time: the sync's backoff, stored in the row so it survives a
restart) or `refused` (for good: a file gone from disk, or central refused the bytes, 413/415/422; kept
with the reason, never retried). This table is the only state, so a killed station simply carries on
with what is not `uploaded`.

No HTTP here: the domain stays free of it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, literal, select
from sqlalchemy.orm import Session, sessionmaker

from station.clock import as_utc
from station.orm import EvidenceUploadRecord, IncidentRecord


class UploadState(enum.StrEnum):
    PENDING = "pending"
    UPLOADED = "uploaded"
    REFUSED = "refused"


@dataclass(frozen=True)
class DueEvidence:
    incident_id: str
    path: str
    attempts: int


@dataclass(frozen=True)
class UploadCounts:
    uploaded: int
    waiting: int  # not uploaded yet: never tried, or failed and waiting for the retry
    refused: int


#: Every this many calls of `due()` (the worker calls it once a cycle: ~10 minutes at the 5 s default),
#: and on the first, the search for new incidents covers all of them, not only those detected since the
#: newest one with an upload row: a clock set back must not hide an incident from the upload for ever.
SWEEP_EVERY = 120


class EvidenceUploads:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._calls = 0

    def due(self, now: datetime, limit: int = 20) -> list[DueEvidence]:
        """Incidents with an evidence file whose upload is untried or due for its retry, oldest first.

        Two indexed queries, not a scan of every incident: retries come from this table (by status), new
        incidents from those detected since the newest one that has a row here (rows are made in detection
        order and a round stops at its first failure, so no older incident is left without one), with a
        full search on the first call and every `SWEEP_EVERY` calls.
        """
        full = self._calls % SWEEP_EVERY == 0
        self._calls += 1
        with self.sessions() as s:
            retries = s.execute(
                select(
                    EvidenceUploadRecord.incident_id,
                    IncidentRecord.evidence_file,
                    EvidenceUploadRecord.attempts,
                    IncidentRecord.detected_at,
                )
                .join(IncidentRecord, IncidentRecord.id == EvidenceUploadRecord.incident_id)
                .where(
                    EvidenceUploadRecord.status == UploadState.PENDING.value,
                    EvidenceUploadRecord.next_attempt_at.is_(None) | (EvidenceUploadRecord.next_attempt_at <= now),
                )
                .order_by(EvidenceUploadRecord.detected_at)
                .limit(limit)
            ).all()
            untried = select(
                IncidentRecord.id, IncidentRecord.evidence_file, literal(0), IncidentRecord.detected_at
            ).where(
                IncidentRecord.evidence_file.is_not(None),
                ~exists().where(EvidenceUploadRecord.incident_id == IncidentRecord.id),
            )
            if not full:
                mark = s.scalar(select(func.max(EvidenceUploadRecord.detected_at)))
                if mark is not None:
                    untried = untried.where(IncidentRecord.detected_at >= mark)
            new = s.execute(untried.order_by(IncidentRecord.detected_at, IncidentRecord.id).limit(limit)).all()
        rows = sorted([*retries, *new], key=lambda r: (as_utc(r[3]), r[0]))[:limit]
        return [DueEvidence(incident_id, path or "", attempts or 0) for incident_id, path, attempts, _ in rows]

    def _row(self, s: Session, incident_id: str) -> EvidenceUploadRecord:
        row = s.get(EvidenceUploadRecord, incident_id)
        if row is None:
            incident = s.get(IncidentRecord, incident_id)
            row = EvidenceUploadRecord(
                incident_id=incident_id,
                status=UploadState.PENDING.value,
                attempts=0,
                detected_at=incident.detected_at if incident is not None else None,
            )
            s.add(row)
        return row

    def mark_uploaded(self, incident_id: str, sha256: str, size: int, now: datetime) -> None:
        with self.sessions.begin() as s:
            row = self._row(s, incident_id)
            row.status, row.sha256, row.size, row.uploaded_at = UploadState.UPLOADED.value, sha256, size, now
            row.attempts += 1
            row.last_error, row.next_attempt_at = None, None

    def mark_failed(self, incident_id: str, error: str, retry_at: datetime, sha256: str | None = None) -> None:
        with self.sessions.begin() as s:
            row = self._row(s, incident_id)
            row.attempts += 1
            row.last_error, row.next_attempt_at = error[:2000], retry_at
            if sha256 is not None:
                row.sha256 = sha256

    def mark_refused(self, incident_id: str, reason: str, sha256: str | None = None) -> None:
        with self.sessions.begin() as s:
            row = self._row(s, incident_id)
            row.status, row.last_error, row.next_attempt_at = UploadState.REFUSED.value, reason[:2000], None
            row.attempts += 1
            if sha256 is not None:
                row.sha256 = sha256

    def counts(self) -> UploadCounts:
        with self.sessions() as s:
            by_status = dict(
                s.execute(select(EvidenceUploadRecord.status, func.count()).group_by(EvidenceUploadRecord.status)).all()
            )
            with_file = s.scalar(select(func.count()).where(IncidentRecord.evidence_file.is_not(None))) or 0
        uploaded = int(by_status.get(UploadState.UPLOADED.value, 0))
        refused = int(by_status.get(UploadState.REFUSED.value, 0))
        return UploadCounts(uploaded=uploaded, waiting=max(0, int(with_file) - uploaded - refused), refused=refused)

    def state_of(self, incident_id: str) -> tuple[UploadState, str | None, int, datetime | None] | None:
        """(state, last error, attempts, next attempt) of one incident's upload; None when never tried."""
        with self.sessions() as s:
            row = s.get(EvidenceUploadRecord, incident_id)
            if row is None:
                return None
            retry = as_utc(row.next_attempt_at) if row.next_attempt_at is not None else None
            return UploadState(row.status), row.last_error, row.attempts, retry
