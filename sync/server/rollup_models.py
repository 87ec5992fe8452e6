"""The per-(day, station) KPI cells (sync/server/kpi_cells.py) and the index of the unresolved cases.

Imported at the end of models.py, so ``Base.metadata`` (migrations' schema test, ``create_all``) has them;
models.py itself stays the home of the tables the rest of the service writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from sync.server.models import Base, Incident

#: The incidents whose case is not closed yet: the only ones whose "breaching" still depends on ``now``.
UNRESOLVED_SQL = "resolved_at IS NULL AND detected_at IS NOT NULL"

_incidents = Incident.__table__.c
# "Cases breaching at now" for a range of days reads this index alone on PostgreSQL: the open cases are a
# few per cent of a million incidents, and the columns their clocks need ride along.
Index(
    "ix_incidents_unresolved",
    _incidents.detected_at,
    _incidents.station_id,
    postgresql_include=["notify_due_at", "notified_at", "remedy_due_at", "remedied_at"],
    postgresql_where=text(UNRESOLVED_SQL),
    sqlite_where=text(UNRESOLVED_SQL),
)

# A KPI cell's refresh reads one station's day of incidents: without this, a BitmapAnd of the station and
# detection indexes (~11,000 entries a day at a million incidents, 7 ms per refresh, i.e. per ingest batch).
Index("ix_incidents_station_detected", _incidents.station_id, _incidents.detected_at)


def _count() -> Any:
    return mapped_column(Integer, default=0, server_default="0")


class KpiCell(Base):
    """Everything the KPIs need of one station's UTC day, recomputed whenever an ingest or a case transition
    touches it (``kpi_cells.refresh``): the additive counts, each span's values sorted (whole microseconds,
    so exact percentiles of any set of cells follow), and the root-cause counts. ``version`` counts the
    refreshes."""

    __tablename__ = "kpi_cells"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = _count()
    attempted: Mapped[int] = _count()  # orders sealed or cancelled (kpi_orders rows)
    sealed: Mapped[int] = _count()
    lines: Mapped[int] = _count()
    complete: Mapped[int] = _count()  # sealed and not short-shipped
    weighed: Mapped[int] = _count()
    incidents: Mapped[int] = _count()
    weight_mismatches: Mapped[int] = _count()
    blocked: Mapped[int] = _count()
    late: Mapped[int] = _count()  # a target met late: breaching for good, whatever ``now`` is
    # {"logged_at": [micros, ...], "notified_at": [...], "resolved_at": [...]}, each sorted
    spans: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # {"kind": [[key, n], ...], "code": [...], "packer": [...], "hour": [[0..23, n], ...]}
    causes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
