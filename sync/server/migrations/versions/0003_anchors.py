"""audit-chain anchors per station

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01

The history of audit-chain heads each station posted (accepted, refused = flagged, reset by an admin);
see sync/server/anchors.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anchors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.Column("proof_seq", sa.BigInteger(), nullable=True),
        sa.Column("proof_hash", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anchors")),
    )
    with op.batch_alter_table("anchors", schema=None) as batch_op:
        batch_op.create_index("ix_anchors_station_status_id", ["station_id", "status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_anchors_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("anchors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anchors_status"))
        batch_op.drop_index("ix_anchors_station_status_id")
    op.drop_table("anchors")
