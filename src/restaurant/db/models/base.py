"""Column helpers shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Field

MONEY = sa.Numeric(10, 2)


def utcnow() -> datetime:
    """Now, timezone-aware."""
    return datetime.now(UTC)


def id_field() -> Any:
    """A random UUID primary key."""
    return Field(default_factory=uuid4, primary_key=True)


def money_field(default: Decimal | None = None) -> Any:
    """A NUMERIC(10,2) amount."""
    return Field(default=default, sa_type=MONEY, nullable=False)


def created_field() -> Any:
    """When the row was created."""
    return Field(
        default_factory=utcnow,
        sa_type=sa.DateTime(timezone=True),
        nullable=False,
    )


def text_array_field() -> Any:
    """A text[] column (tags, allergens, aliases)."""
    return Field(
        default_factory=list,
        sa_column=sa.Column(postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
    )


def jsonb_field() -> Any:
    """A JSONB column holding a list."""
    return Field(
        default_factory=list,
        sa_column=sa.Column(postgresql.JSONB(), nullable=False, server_default="[]"),
    )


__all__ = [
    "UUID",
    "created_field",
    "id_field",
    "jsonb_field",
    "money_field",
    "text_array_field",
    "utcnow",
]
