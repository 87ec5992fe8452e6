"""lot/expiry/serial tracking per order line, tote barcodes, case-insensitive order barcode key

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        for name in ("lot_tracked", "expiry_tracked", "serial_tracked"):
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("barcode_key", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("tote", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("tote_key", sa.String(length=128), nullable=True))
        batch_op.create_index(batch_op.f("ix_orders_barcode_key"), ["barcode_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_tote_key"), ["tote_key"], unique=True)

    # Existing orders get their key by the same rule a scan is matched by (station.barcodes.match_key).
    from station.barcodes import InvalidCode, match_key

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT order_id, order_barcode FROM orders WHERE order_barcode IS NOT NULL"))
    updates = []
    for order_id, barcode in rows:
        try:
            key = match_key(barcode)
        except InvalidCode:
            key = barcode.upper()
        updates.append({"k": key, "o": order_id})
    if updates:
        conn.execute(sa.text("UPDATE orders SET barcode_key = :k WHERE order_id = :o"), updates)

    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.create_index("ix_scans_gtin_serial", ["gtin", "serial"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.drop_index("ix_scans_gtin_serial")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_tote_key"))
        batch_op.drop_index(batch_op.f("ix_orders_barcode_key"))
        batch_op.drop_column("tote_key")
        batch_op.drop_column("tote")
        batch_op.drop_column("barcode_key")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        for name in ("serial_tracked", "expiry_tracked", "lot_tracked"):
            batch_op.drop_column(name)
