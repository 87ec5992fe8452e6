"""evidence uploads: which incident evidence images reached central, which wait for a retry

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_uploads",
        sa.Column("incident_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    with op.batch_alter_table("evidence_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_uploads_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_uploads_detected_at"), ["detected_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_uploads_detected_at"))
        batch_op.drop_index(batch_op.f("ix_evidence_uploads_status"))
    op.drop_table("evidence_uploads")
