"""order status index

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 07:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The staff's board reads orders by status, newest first (services/board.py).
    op.create_index(
        'ix_customer_order_status_created_at', 'customer_order', ['status', 'created_at'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_customer_order_status_created_at', table_name='customer_order')
