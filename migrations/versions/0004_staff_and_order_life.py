"""staff and the order's life

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_STATUSES = (
    "'placed', 'accepted', 'preparing', 'ready', 'out_for_delivery', 'collected', 'delivered', "
    "'served', 'rejected', 'cancelled'"
)
OLD_STATUSES = "'placed', 'confirmed', 'preparing', 'ready', 'completed', 'cancelled'"


def upgrade() -> None:
    # The statuses of the lifecycle table (restaurant/services/lifecycle.py): 'confirmed' is now
    # 'accepted', and 'completed' becomes the end of each type's own path.
    op.drop_constraint('order_status', 'customer_order', type_='check')
    op.execute("UPDATE customer_order SET status = 'accepted' WHERE status = 'confirmed'")
    op.execute(
        "UPDATE customer_order SET status = CASE order_type "
        "WHEN 'delivery' THEN 'delivered' WHEN 'dine_in' THEN 'served' ELSE 'collected' END "
        "WHERE status = 'completed'"
    )
    op.create_check_constraint('order_status', 'customer_order', f"status IN ({NEW_STATUSES})")

    op.create_table('staff',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("phone ~ '^\\+[1-9][0-9]{6,14}$'", name='staff_phone_e164'),
    sa.CheckConstraint("role IN ('kitchen', 'manager')", name='staff_role'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_staff_phone'), 'staff', ['phone'], unique=True)
    op.create_table('order_status_change',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('staff_id', sa.Uuid(), nullable=True),
    sa.Column('staff_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("actor IN ('staff', 'customer')", name='order_status_change_actor'),
    sa.ForeignKeyConstraint(['order_id'], ['customer_order.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(
        op.f('ix_order_status_change_order_id'), 'order_status_change', ['order_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_order_status_change_order_id'), table_name='order_status_change')
    op.drop_table('order_status_change')
    op.drop_index(op.f('ix_staff_phone'), table_name='staff')
    op.drop_table('staff')
    # Back to the old statuses: each new one to the nearest old one (the old set had no
    # 'out_for_delivery' and no 'rejected').
    op.drop_constraint('order_status', 'customer_order', type_='check')
    op.execute(
        "UPDATE customer_order SET status = CASE status "
        "WHEN 'accepted' THEN 'confirmed' WHEN 'out_for_delivery' THEN 'ready' "
        "WHEN 'collected' THEN 'completed' WHEN 'delivered' THEN 'completed' "
        "WHEN 'served' THEN 'completed' WHEN 'rejected' THEN 'cancelled' ELSE status END"
    )
    op.create_check_constraint('order_status', 'customer_order', f"status IN ({OLD_STATUSES})")
