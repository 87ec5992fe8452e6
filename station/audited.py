"""One audited action written the one way (`record_action`): the `audit.recorded` outbox event and the
hash-chained audit row that binds its payload, in the caller's transaction. User changes and sign-ins
(`station.user_store`) and shift hand-overs (`station.handover`) record through it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from rules import events
from station import audit, outbox


def record_action(
    s: Session,
    now: datetime,
    station_id: str,
    action: str,
    actor: str | None,
    detail: dict[str, Any],
    order_id: str | None = None,
) -> None:
    """Enqueue the event, then append the audit row (after the event, so it binds the event's payload hash)."""
    outbox.enqueue(
        s,
        events.AuditRecorded(
            action=action, actor=actor, station_id=station_id, order_id=order_id, at=now, detail=detail
        ),
        now,
    )
    audit.append(s, at=now, station_id=station_id, actor=actor, action=action, order_id=order_id, detail=detail)
