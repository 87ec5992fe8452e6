"""weight check: unit weights per order line, the item master, carton and measured weight per order,
the weight facts of a weight_mismatch incident

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "items",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("unit_weight_g", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sku"),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_weight_g", sa.Float(), nullable=True))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carton_code", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("tare_g", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("measured_weight_g", sa.Float(), nullable=True))
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("weight")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("measured_weight_g")
        batch_op.drop_column("tare_g")
        batch_op.drop_column("carton_code")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("unit_weight_g")
    op.drop_table("items")
