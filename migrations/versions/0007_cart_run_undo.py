"""a chat turn's cart changes can be undone: the run that made them and the lines before them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The chat turn that last changed the cart (its run id) and the cart's lines as they were
    # before its first change: a turn whose replica died before its checkpoint was written is
    # undone from them (services/carts.py, docs/chat.md "Restarts and crashes").
    op.add_column('cart', sa.Column('run_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('cart', sa.Column('undo', postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column('cart', 'undo')
    op.drop_column('cart', 'run_id')
