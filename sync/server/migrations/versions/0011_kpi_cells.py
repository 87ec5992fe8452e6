"""KPI cells: one row per (UTC day, station) with the KPI page's counts, sorted spans and root causes; the
partial index of the unresolved cases; incidents by (station, detection)

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-02

See sync/server/kpi_cells.py (the cells, kept at ingest and at case transitions, filled here from what is
already stored) and docs/changes/2026-12-02-kpi-page.md (why, with figures).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNRESOLVED = "resolved_at IS NULL AND detected_at IS NOT NULL"


def upgrade() -> None:
    zero = {"nullable": False, "server_default": "0"}
    op.create_table(
        "kpi_cells",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        *(
            sa.Column(name, sa.Integer(), **zero)
            for name in (
                "version",
                "attempted",
                "sealed",
                "lines",
                "complete",
                "weighed",
                "incidents",
                "weight_mismatches",
                "blocked",
                "late",
            )
        ),
        sa.Column("spans", sa.JSON(), nullable=True),
        sa.Column("causes", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("day", "station_id", name=op.f("pk_kpi_cells")),
    )
    op.create_index(
        "ix_incidents_unresolved",
        "incidents",
        ["detected_at", "station_id"],
        postgresql_include=["notify_due_at", "notified_at", "remedy_due_at", "remedied_at"],
        postgresql_where=sa.text(UNRESOLVED),
        sqlite_where=sa.text(UNRESOLVED),
    )
    op.create_index("ix_incidents_station_detected", "incidents", ["station_id", "detected_at"])
    from sync.server import kpi_cells

    kpi_cells.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_incidents_station_detected", table_name="incidents")
    op.drop_index("ix_incidents_unresolved", table_name="incidents")
    op.drop_table("kpi_cells")
