"""Carts: one per chat session, optionally owned by a signed-in user."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel

from restaurant.db.models.base import created_field, id_field, jsonb_field, money_field


class Cart(SQLModel, table=True):
    """The cart of one chat session."""

    __tablename__ = "cart"

    id: UUID = id_field()
    session_id: str = Field(unique=True, index=True, max_length=64)
    restaurant_id: UUID = Field(foreign_key="restaurant.id", ondelete="CASCADE")
    user_id: UUID | None = Field(
        default=None, foreign_key="app_user.id", ondelete="SET NULL", index=True
    )
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    # The chat turn (run id) that last changed the lines, and the lines as they were before its
    # first change ([{"id", "item_id", "quantity", "choices", "unit_price", "position",
    # "created_at"}]): a turn that never wrote its checkpoint is undone from them. Both null on
    # a cart no turn has changed since its tag was dropped (services/carts.py).
    run_id: str | None = Field(default=None, max_length=64)
    undo: list[dict[str, Any]] | None = Field(
        default=None, sa_column=sa.Column(postgresql.JSONB(), nullable=True)
    )


class CartLine(SQLModel, table=True):
    """An item in a cart with its chosen options and the unit price when it was added."""

    __tablename__ = "cart_line"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="cart_line_quantity_positive"),)

    id: UUID = id_field()
    cart_id: UUID = Field(foreign_key="cart.id", ondelete="CASCADE", index=True)
    item_id: UUID = Field(foreign_key="item.id", ondelete="CASCADE")
    quantity: int = 1
    # [{"group", "option", "label", "qualifier"?, "exclude"?, "price"}]: a snapshot, so a later
    # menu edit does not change what the customer saw.
    choices: list[dict[str, Any]] = jsonb_field()
    unit_price: Decimal = money_field()
    position: int = 0
    created_at: datetime = created_field()
