"""The shift hand-over: at shift end the supervisor creates a hand-over that lists *every* open incident of
the station (not only the shift's); the next supervisor acknowledges it. Both are audit rows (append-only,
hash-chained, synced through the outbox), so the hand-over needs no table of its own and cannot be
edited afterwards. An acknowledgement also records incidents opened since the hand-over was made, so
nothing open is silently dropped between the two. The shift figures are `station.shift`'s.
"""

from __future__ import annotations

import enum
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.audited import record_action
from station.clock import Clock, as_utc
from station.db import Database
from station.limits import TextField, check_note
from station.orm import AuditRecord, IncidentRecord
from station.shift import ShiftWindow
from station.statuses import IncidentStatus
from station.user_rules import CLEARING_ROLES, User

logger = logging.getLogger(__name__)

HANDOVER_ACTION = "shift.handover"
HANDOVER_ACK_ACTION = "shift.handover_acknowledged"


class HandoverProblem(enum.Enum):
    """Why a hand-over was refused; `ui.supervisor.shift_words` says it in words."""

    NOT_A_SUPERVISOR = "not_a_supervisor"  # who: the user's display name, role
    UNKNOWN = "unknown"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"  # who: the supervisor who did
    OWN_HANDOVER = "own_handover"  # the supervisor who made it cannot acknowledge it


class HandoverError(ValueError):
    """A hand-over cannot be made or acknowledged: `problem`, with `who` and `role` where it names someone."""

    def __init__(self, problem: HandoverProblem, who: str = "", role: str = "") -> None:
        super().__init__(problem.value)
        self.problem, self.who, self.role = problem, who, role


@dataclass(frozen=True)
class Handover:
    handover_id: str
    created_at: datetime
    created_by: str
    window: ShiftWindow
    open_incident_ids: tuple[str, ...]
    note: str = ""
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    also_open_at_acknowledgement: tuple[str, ...] = ()

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_by is not None


def _open_incident_ids(s: Session) -> list[str]:
    """Every open incident of the station, oldest first."""
    return list(
        s.scalars(
            select(IncidentRecord.id)
            .where(IncidentRecord.status == IncidentStatus.OPEN.value)
            .order_by(IncidentRecord.detected_at)
        )
    )


def _require_supervisor(user: User) -> None:
    if user.role not in CLEARING_ROLES or user.disabled:
        raise HandoverError(HandoverProblem.NOT_A_SUPERVISOR, user.display_name, user.role)


def create_handover(
    db: Database, clock: Clock, station_id: str, supervisor: User, window: ShiftWindow, note: str = ""
) -> Handover:
    """The outgoing supervisor hands over: every open incident of the station is listed."""
    _require_supervisor(supervisor)
    note = check_note(note, TextField.HANDOVER_NOTE)
    now = clock.now()
    handover_id = str(uuid.uuid4())
    with db.session() as s:
        ids = tuple(_open_incident_ids(s))
        record_action(
            s,
            now,
            station_id,
            HANDOVER_ACTION,
            supervisor.name,
            {
                "handover_id": handover_id,
                "shift_start": window.start.isoformat(),
                "shift_end": window.end.isoformat(),
                "open_incidents": list(ids),
                "note": note,
            },
        )
    logger.info("shift handed over", extra={"handover": handover_id, "open": len(ids), "station": station_id})
    return Handover(handover_id, now, supervisor.name, window, ids, note)


def handovers(db: Database, pending_only: bool = False) -> list[Handover]:
    """Hand-overs, newest first, read back from the audit trail."""
    with db.sessions() as s:
        rows = s.scalars(
            select(AuditRecord)
            .where(AuditRecord.action.in_([HANDOVER_ACTION, HANDOVER_ACK_ACTION]))
            .order_by(AuditRecord.id)
        ).all()
        made: dict[str, Handover] = {}
        for r in rows:
            d = json.loads(r.detail)
            hid = d.get("handover_id")
            if r.action == HANDOVER_ACTION:
                made[hid] = Handover(
                    hid,
                    as_utc(r.at),
                    r.actor or "",
                    ShiftWindow(datetime.fromisoformat(d["shift_start"]), datetime.fromisoformat(d["shift_end"])),
                    tuple(d.get("open_incidents", [])),
                    d.get("note", ""),
                )
            elif hid in made:
                h = made[hid]
                made[hid] = Handover(
                    h.handover_id,
                    h.created_at,
                    h.created_by,
                    h.window,
                    h.open_incident_ids,
                    h.note,
                    r.actor,
                    as_utc(r.at),
                    tuple(d.get("also_open", [])),
                )
    result = sorted(made.values(), key=lambda h: h.created_at, reverse=True)
    return [h for h in result if not h.acknowledged] if pending_only else result


def acknowledge_handover(db: Database, clock: Clock, station_id: str, handover_id: str, supervisor: User) -> Handover:
    """The incoming supervisor takes over the listed open incidents (and any opened since)."""
    _require_supervisor(supervisor)
    found = {h.handover_id: h for h in handovers(db)}.get(handover_id)
    if found is None:
        raise HandoverError(HandoverProblem.UNKNOWN)
    if found.acknowledged:
        raise HandoverError(HandoverProblem.ALREADY_ACKNOWLEDGED, found.acknowledged_by or "")
    if found.created_by == supervisor.name:
        raise HandoverError(HandoverProblem.OWN_HANDOVER)
    now = clock.now()
    with db.session() as s:
        open_now = _open_incident_ids(s)
        also_open = [i for i in open_now if i not in found.open_incident_ids]
        record_action(
            s,
            now,
            station_id,
            HANDOVER_ACK_ACTION,
            supervisor.name,
            {
                "handover_id": handover_id,
                "listed": list(found.open_incident_ids),
                "also_open": also_open,
                "still_open": open_now,
            },
        )
    return Handover(
        found.handover_id,
        found.created_at,
        found.created_by,
        found.window,
        found.open_incident_ids,
        found.note,
        supervisor.name,
        now,
        tuple(also_open),
    )
