"""KPI roll-up of the pack events (kpi_orders) and the indexes of the console at a million incidents

Revision ID: 0006
Revises: 0008
Create Date: 2026-12-01

See sync/server/rollups.py (the roll-up, filled here from the events already stored), sync/server/kpi_sql.py
(the KPIs in SQL) and docs/changes/2026-12-02-kpi-scale.md (what each index serves, with figures).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_CASES = (
    "case_status IN ('open', 'customer_notified', 'replacement_shipped', 'refund_issued', 'credit_issued') "
    "AND detected_at IS NOT NULL"
)
NEXT_DUE = (
    "(\nCASE\n    WHEN case_status = 'open' THEN notify_due_at\n"
    "    WHEN case_status = 'customer_notified' THEN remedy_due_at\n    ELSE NULL\nEND)"
)


def upgrade() -> None:
    op.create_table(
        "kpi_orders",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seal_event_id", sa.Uuid(), nullable=True),
        sa.Column("lines", sa.Integer(), nullable=True),
        sa.Column("short_shipped", sa.Boolean(), nullable=True),
        sa.Column("weighed", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("day", "station_id", "order_id", name=op.f("pk_kpi_orders")),
    )
    op.create_table(
        "kpi_incidents",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_kpi_incidents")),
    )
    op.create_index(
        "ix_kpi_incidents_blocked",
        "kpi_incidents",
        ["detected_at", "station_id"],
        postgresql_where=sa.text("blocked"),
        sqlite_where=sa.text("blocked = 1"),
    )
    op.create_index("ix_kpi_incidents_station_order", "kpi_incidents", ["station_id", "order_id"])
    op.create_index(
        "ix_events_seals",
        "events",
        ["station_id", "order_id", "occurred_at"],
        postgresql_where=sa.text("type = 'pack.sealed'"),
        sqlite_where=sa.text("type = 'pack.sealed'"),
    )
    op.create_index(
        "ix_incidents_kpi",
        "incidents",
        ["detected_at", "station_id"],
        postgresql_include=[
            "order_id",
            "kind",
            "code",
            "packer_id",
            "logged_at",
            "notified_at",
            "remedied_at",
            "resolved_at",
            "notify_due_at",
            "remedy_due_at",
        ],
    )
    op.create_index(
        "ix_incidents_queue",
        "incidents",
        [sa.text(NEXT_DUE), "detected_at", "incident_id"],
        postgresql_include=["case_status", "notify_due_at", "remedy_due_at", "station_id", "kind"],
        postgresql_where=sa.text(OPEN_CASES),
        sqlite_where=sa.text(OPEN_CASES),
    )
    op.create_index(
        "ix_incidents_bench_open",
        "incidents",
        ["station_id", "detected_at"],
        postgresql_where=sa.text("cleared_at IS NULL"),
        sqlite_where=sa.text("cleared_at IS NULL"),
    )
    op.create_index(
        "ix_incidents_bench_escalated",
        "incidents",
        ["station_id", "detected_at"],
        postgresql_where=sa.text("escalated_at IS NOT NULL"),
        sqlite_where=sa.text("escalated_at IS NOT NULL"),
    )
    from sync.server.rollups import blocked_backfill, rebuild_sql

    op.execute(rebuild_sql(op.get_bind().dialect.name))
    op.execute(blocked_backfill())


def downgrade() -> None:
    op.drop_index("ix_incidents_bench_escalated", table_name="incidents")
    op.drop_index("ix_incidents_bench_open", table_name="incidents")
    op.drop_index("ix_incidents_queue", table_name="incidents")
    op.drop_index("ix_incidents_kpi", table_name="incidents")
    op.drop_index("ix_events_seals", table_name="events")
    op.drop_index("ix_kpi_incidents_station_order", table_name="kpi_incidents")
    op.drop_index("ix_kpi_incidents_blocked", table_name="kpi_incidents")
    op.drop_table("kpi_incidents")
    op.drop_table("kpi_orders")
