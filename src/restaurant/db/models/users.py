"""Customers, known by a verified phone number."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from restaurant.db.models.base import created_field, id_field


class User(SQLModel, table=True):
    """A customer; `phone` is E.164 and unique."""

    __tablename__ = "app_user"
    __table_args__ = (
        sa.CheckConstraint(r"phone ~ '^\+[1-9][0-9]{6,14}$'", name="user_phone_e164"),
    )

    id: UUID = id_field()
    phone: str = Field(unique=True, index=True, max_length=16)
    name: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_field()
    last_login_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
