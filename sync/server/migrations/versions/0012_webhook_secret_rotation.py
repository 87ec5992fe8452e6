"""webhooks.previous_secret(_until): rotating a webhook's signing secret with an overlap

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-02

During the overlap a delivery carries two signatures (the new secret's and the old one's), so the receiver
can switch to the new secret whenever it likes within it. See sync/server/webhook_secrets.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.add_column(sa.Column("previous_secret", sa.String(256), nullable=True))
        batch.add_column(sa.Column("previous_secret_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.drop_column("previous_secret_until")
        batch.drop_column("previous_secret")
