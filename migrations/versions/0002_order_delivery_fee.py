"""order delivery fee

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing orders had no fee column: 0 fills them, then the default goes so the column
    # matches the model (the service always writes the fee).
    op.add_column(
        'customer_order',
        sa.Column('delivery_fee', sa.Numeric(precision=10, scale=2), nullable=False, server_default='0'),
    )
    op.alter_column('customer_order', 'delivery_fee', server_default=None)


def downgrade() -> None:
    op.drop_column('customer_order', 'delivery_fee')
