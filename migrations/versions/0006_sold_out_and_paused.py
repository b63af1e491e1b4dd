"""sold out options, paused ordering, the menu's changes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Items had `available` from the start; options get theirs, and the restaurant a pause.
    op.add_column(
        'menu_option', sa.Column('available', sa.Boolean(), nullable=False, server_default='true')
    )
    op.alter_column('menu_option', 'available', server_default=None)
    op.add_column(
        'restaurant',
        sa.Column('ordering_paused', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    )
    op.create_table('menu_change',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('restaurant_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=130), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('staff_id', sa.Uuid(), nullable=True),
    sa.Column('staff_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('item', 'option', 'ordering')", name='menu_change_kind'),
    sa.ForeignKeyConstraint(['restaurant_id'], ['restaurant.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(
        op.f('ix_menu_change_restaurant_id'), 'menu_change', ['restaurant_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_menu_change_restaurant_id'), table_name='menu_change')
    op.drop_table('menu_change')
    op.drop_column('restaurant', 'ordering_paused')
    op.drop_column('menu_option', 'available')
