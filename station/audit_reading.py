"""One read of the audit trail for `packgate audit verify`, without handing the UI a database session.

`reading(db)` opens a single session and yields a `TrailReader` over it: the chain is verified, the
tables counted and the anchors compared in that one session, so the command sees one consistent state
(and never opens a second session the first one's locks would block).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station import audit
from station.db import Database
from station.orm import Order, OutboxRecord, ScanRecord, UserRecord


class TrailReader:
    def __init__(self, session: Session) -> None:
        self._session = session

    def verify(self) -> audit.ChainReport:
        """`audit.verify_chain`: every hash recomputed, every bound row checked."""
        return audit.verify_chain(self._session)

    def matches_anchor(self, report: audit.ChainReport, seq: int, anchored_hash: str) -> bool:
        """`audit.matches_anchor`: the trail still holds the head central accepted at `seq`."""
        return audit.matches_anchor(report, self._session, seq, anchored_hash)

    def held_rows(self) -> dict[str, int]:
        """How many orders, scans, outbox events and users the database holds (an empty trail beside
        them means the trail was removed)."""
        s = self._session
        return {
            name: s.scalar(select(func.count()).select_from(table)) or 0
            for name, table in (
                ("orders", Order),
                ("scans", ScanRecord),
                ("outbox events", OutboxRecord),
                ("users", UserRecord),
            )
        }


@contextmanager
def reading(db: Database) -> Iterator[TrailReader]:
    with db.sessions() as s:
        yield TrailReader(s)
