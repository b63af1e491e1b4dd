"""Orders: a snapshot of the cart at checkout, and where each one is."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from restaurant.db.models.base import created_field, id_field, jsonb_field, money_field


class OrderType(StrEnum):
    """How the customer gets the food: the values of the agent's `graph.intents.OrderType`,
    spelled out here so the tables import nothing of the agent (a unit test keeps them equal)."""

    PICKUP = "pickup"
    DELIVERY = "delivery"
    DINE_IN = "dine_in"


class OrderStatus(StrEnum):
    """Where an order is: the values of the agent's `graph.models.OrderStatus` (a unit test keeps
    them equal). Which moves between them are allowed is `restaurant.services.lifecycle`'s table."""

    PLACED = "placed"
    ACCEPTED = "accepted"
    PREPARING = "preparing"
    READY = "ready"
    OUT_FOR_DELIVERY = "out_for_delivery"
    COLLECTED = "collected"
    DELIVERED = "delivered"
    SERVED = "served"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


def _enum_check(column: str, enum: type[StrEnum]) -> sa.CheckConstraint:
    values = ", ".join(f"'{v.value}'" for v in enum)
    return sa.CheckConstraint(f"{column} IN ({values})", name=f"order_{column}")


class Order(SQLModel, table=True):
    """A placed order; `number` is what the customer reads, `idempotency_key` dedupes retries."""

    __tablename__ = "customer_order"
    __table_args__ = (
        _enum_check("order_type", OrderType),
        _enum_check("status", OrderStatus),
        sa.CheckConstraint(
            "order_type <> 'delivery' OR address IS NOT NULL", name="order_delivery_address"
        ),
        # The staff's board: orders in some statuses, newest first.
        sa.Index("ix_customer_order_status_created_at", "status", "created_at"),
    )

    id: UUID = id_field()
    number: str = Field(unique=True, index=True, max_length=16)
    idempotency_key: str = Field(unique=True, max_length=128)
    restaurant_id: UUID = Field(foreign_key="restaurant.id")
    user_id: UUID = Field(foreign_key="app_user.id", index=True)
    session_id: str = Field(max_length=64, index=True)
    order_type: str = Field(max_length=16)
    address: str | None = Field(default=None, max_length=500)
    status: str = Field(default=OrderStatus.PLACED.value, max_length=16)
    currency: str = Field(default="USD", max_length=3)
    subtotal: Decimal = money_field()
    delivery_fee: Decimal = money_field(Decimal("0"))
    tax: Decimal = money_field(Decimal("0"))
    total: Decimal = money_field()
    estimated_ready_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class OrderLine(SQLModel, table=True):
    """One line of an order, copied from the cart (labels and prices as they were)."""

    __tablename__ = "order_line"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="order_line_quantity_positive"),)

    id: UUID = id_field()
    order_id: UUID = Field(foreign_key="customer_order.id", ondelete="CASCADE", index=True)
    item_key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    quantity: int
    choices: list[dict[str, Any]] = jsonb_field()
    unit_price: Decimal = money_field()
    line_total: Decimal = money_field()
    position: int = 0
