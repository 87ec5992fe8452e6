"""event ids scoped to their station, orders scoped to a site

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

- ``events``: primary key ``(station_id, event_id)`` instead of ``event_id``: another station's id is
  not a duplicate (and answering "duplicate" told it the id exists).
- ``incident_history``: unique ``(incident_id, event_id)`` instead of ``event_id``.
- ``orders.site``: the site whose stations may pull the order (existing orders: NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("pk_events", type_="primary")
        batch_op.create_primary_key("pk_events", ["station_id", "event_id"])
    with op.batch_alter_table("incident_history", schema=None) as batch_op:
        batch_op.drop_constraint("uq_incident_history_event_id", type_="unique")
        batch_op.create_unique_constraint("uq_incident_history_incident_event", ["incident_id", "event_id"])
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_orders_site"), ["site"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_site"))
        batch_op.drop_column("site")
    with op.batch_alter_table("incident_history", schema=None) as batch_op:
        batch_op.drop_constraint("uq_incident_history_incident_event", type_="unique")
        batch_op.create_unique_constraint("uq_incident_history_event_id", ["event_id"])
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("pk_events", type_="primary")
        batch_op.create_primary_key("pk_events", ["event_id"])
