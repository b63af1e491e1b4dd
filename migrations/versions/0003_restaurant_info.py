"""restaurant info

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The menu file's optional `restaurant.info` block (address, hours, delivery terms), stored
    # whole; restaurants imported before it have none (NULL).
    op.add_column(
        'restaurant',
        sa.Column('info', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column('restaurant', 'info')
