"""webhooks.held_until: an endpoint's backoff kept in the database

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-01

The dispatcher held a failing endpoint in memory, so a restart or a second central process forgot the
hold, and a lead's "send again" after fixing the receiver could wait out a backoff of up to 4 h. See
sync/server/dispatch.py and sync/server/webhooks.py (send_again).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.add_column(sa.Column("held_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.drop_column("held_until")
