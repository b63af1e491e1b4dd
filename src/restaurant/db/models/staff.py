"""The restaurant's side: its staff, and every move they (or a customer) made to an order."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from restaurant.db.models.base import created_field, id_field


class StaffRole(StrEnum):
    """What a staff member may do: the kitchen moves orders, a manager also runs the place."""

    KITCHEN = "kitchen"
    MANAGER = "manager"


class Staff(SQLModel, table=True):
    """A staff member, known by the phone they sign in with (E.164, as a customer's)."""

    __tablename__ = "staff"
    __table_args__ = (
        sa.CheckConstraint(r"phone ~ '^\+[1-9][0-9]{6,14}$'", name="staff_phone_e164"),
        sa.CheckConstraint("role IN ('kitchen', 'manager')", name="staff_role"),
    )

    id: UUID = id_field()
    # Not a key to app_user: a member can be added before ever signing in, and signing in
    # (the customers' flow) makes the app_user row.
    phone: str = Field(unique=True, index=True, max_length=16)
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    created_at: datetime = created_field()


class OrderStatusChange(SQLModel, table=True):
    """One move of an order: from, to, when, by whom (a staff member, or the customer), why."""

    __tablename__ = "order_status_change"
    __table_args__ = (
        sa.CheckConstraint("actor IN ('staff', 'customer')", name="order_status_change_actor"),
    )

    id: UUID = id_field()
    order_id: UUID = Field(foreign_key="customer_order.id", ondelete="CASCADE", index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    actor: str = Field(max_length=16)
    # The member who moved it; their name is kept too, so the record outlives `staff remove`.
    staff_id: UUID | None = Field(default=None, foreign_key="staff.id", ondelete="SET NULL")
    staff_name: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=500)
    # The promised time set by this move (accepting), if it set one.
    ready_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = created_field()


class MenuChange(SQLModel, table=True):
    """One change staff made to what can be ordered: an item or an option sold out or back,
    ordering paused or resumed; when, by whom, and the pause's message."""

    __tablename__ = "menu_change"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('item', 'option', 'ordering')", name="menu_change_kind"),
    )

    id: UUID = id_field()
    restaurant_id: UUID = Field(foreign_key="restaurant.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16)
    # The item's key, 'group/option' for an option, '' for ordering.
    key: str = Field(max_length=130)
    # Available (an item or option), or taking orders: the state after the change.
    available: bool
    message: str | None = Field(default=None, max_length=300)
    staff_id: UUID | None = Field(default=None, foreign_key="staff.id", ondelete="SET NULL")
    staff_name: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_field()
