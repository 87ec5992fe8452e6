"""Who may sign in at the packer screen: the station's enabled users, read once at start-up so a badge
scan costs no database read (packers pick their name; a supervisor's badge clears a block)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from station import queries
from station.db import QueryError
from ui.bootstrap import Station

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserInfo:
    name: str
    display_name: str
    role: str
    badge: str | None


def load_users(station: Station) -> list[UserInfo]:
    """Enabled users of this station (packers pick their name; supervisor badges clear blocks).
    Read once at start-up, so a badge scan costs no database read."""
    try:
        return [UserInfo(u.name, u.display_name, u.role, u.badge) for u in queries.enabled_users(station.db)]
    except QueryError as exc:
        logger.error("cannot read users: %s", exc)
        return []
