"""Every SQLModel table, imported here so Alembic sees one metadata."""

from restaurant.db.models.carts import Cart, CartLine
from restaurant.db.models.menu import (
    Category,
    Item,
    ItemOptionGroup,
    MenuOption,
    OptionGroup,
    Restaurant,
)
from restaurant.db.models.orders import Order, OrderLine, OrderStatus, OrderType
from restaurant.db.models.staff import MenuChange, OrderStatusChange, Staff, StaffRole
from restaurant.db.models.users import User

__all__ = [
    "Cart",
    "CartLine",
    "Category",
    "Item",
    "ItemOptionGroup",
    "MenuChange",
    "MenuOption",
    "OptionGroup",
    "Order",
    "OrderLine",
    "OrderStatus",
    "OrderStatusChange",
    "OrderType",
    "Restaurant",
    "Staff",
    "StaffRole",
    "User",
]
