"""The menu: restaurants, categories, items, option groups and options."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel

from restaurant.db.models.base import (
    created_field,
    id_field,
    money_field,
    text_array_field,
)


class Restaurant(SQLModel, table=True):
    """A restaurant whose menu was imported; `menu_version` grows on every import and on every
    change staff make (sold out, paused), so every replica's cached menu reloads."""

    __tablename__ = "restaurant"

    id: UUID = id_field()
    key: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=200)
    currency: str = Field(default="USD", max_length=3)
    menu_version: int = Field(default=1)
    # sha256 of the imported file's content: re-importing the same menu changes nothing.
    menu_hash: str = Field(default="", max_length=64)
    # The file's `restaurant.info` block as JSON (address, hours, delivery...); NULL without one.
    # One document rather than columns: it is read and written whole, with the menu.
    info: dict[str, Any] | None = Field(
        default=None, sa_column=sa.Column(postgresql.JSONB(none_as_null=True), nullable=True)
    )
    # A manager paused new orders: the message customers are told ("kitchen full, back in 20
    # minutes"); NULL while orders are taken. Set by staff, never by a menu import.
    ordering_paused: str | None = Field(default=None, max_length=300)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Category(SQLModel, table=True):
    """A section of a restaurant's menu."""

    __tablename__ = "category"
    __table_args__ = (sa.UniqueConstraint("restaurant_id", "key"),)

    id: UUID = id_field()
    restaurant_id: UUID = Field(foreign_key="restaurant.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    position: int = 0


class OptionGroup(SQLModel, table=True):
    """Options an item takes: select one or many, qualifiers (light/extra), exclusions."""

    __tablename__ = "option_group"
    __table_args__ = (
        sa.UniqueConstraint("restaurant_id", "key"),
        sa.CheckConstraint("selection IN ('one', 'many')", name="option_group_select"),
    )

    id: UUID = id_field()
    restaurant_id: UUID = Field(foreign_key="restaurant.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    selection: str = Field(max_length=4)
    required: bool = False
    min_choices: int | None = None
    max_choices: int | None = None
    qualifiers: list[str] = text_array_field()
    excludable: bool = False
    position: int = 0


class MenuOption(SQLModel, table=True):
    """One option of a group, with its price delta and the words customers use for it."""

    __tablename__ = "menu_option"
    __table_args__ = (sa.UniqueConstraint("group_id", "key"),)

    id: UUID = id_field()
    group_id: UUID = Field(foreign_key="option_group.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    price: Decimal = money_field(Decimal("0"))
    aliases: list[str] = text_array_field()
    is_default: bool = False
    available: bool = True
    position: int = 0


class Item(SQLModel, table=True):
    """A dish or drink: description, image, dietary tags, allergens, availability."""

    __tablename__ = "item"
    __table_args__ = (
        sa.UniqueConstraint("restaurant_id", "key"),
        sa.CheckConstraint("price >= 0", name="item_price_not_negative"),
    )

    id: UUID = id_field()
    restaurant_id: UUID = Field(foreign_key="restaurant.id", ondelete="CASCADE", index=True)
    category_id: UUID = Field(foreign_key="category.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text())
    image: str | None = Field(default=None, max_length=500)
    price: Decimal = money_field()
    aliases: list[str] = text_array_field()
    tags: list[str] = text_array_field()
    allergens: list[str] = text_array_field()
    available: bool = True
    position: int = 0


class ItemOptionGroup(SQLModel, table=True):
    """Which option groups an item takes, in order."""

    __tablename__ = "item_option_group"

    item_id: UUID = Field(foreign_key="item.id", ondelete="CASCADE", primary_key=True)
    group_id: UUID = Field(foreign_key="option_group.id", ondelete="CASCADE", primary_key=True)
    position: int = 0
