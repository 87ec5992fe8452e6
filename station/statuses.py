"""Stored status values of the station's own tables, as enums.

`StrEnum`s, so each member *is* the string stored in the database and sent on the wire: a row written
before these enums existed reads back as the same member, and `str()`/f-strings give the bare value.
Words for the user are chosen in `ui`, never here.
"""

from __future__ import annotations

import enum


class IncidentStatus(enum.StrEnum):
    """`incidents.status`: open until a supervisor clears or escalates it."""

    OPEN = "open"
    CLEARED = "cleared"
    ESCALATED = "escalated"


class OutboxState(enum.StrEnum):
    """`outbox.status` (see station.outbox): pending until central acknowledges it (sent), parked when
    central refused it for good, dropped by a supervisor (kept, never sent)."""

    PENDING = "pending"
    SENT = "sent"
    PARKED = "parked"
    DROPPED = "dropped"
