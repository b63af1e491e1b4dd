"""The seam for the order's live parts: what `OrderService` tells once an order is placed or
moved, after the change is committed.

Today nothing listens (`NoOrderEvents`). The live board and the customer's chat will get a
publisher here (to Redis, for every replica's board stream and the session's event log) without
the service changing: it takes one `OrderEvents` when it is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from graph.models import OrderRead
from restaurant.db.models.orders import OrderStatus
from restaurant.services.lifecycle import Actor


@dataclass(frozen=True)
class OrderPlaced:
    """A new order, and the chat session it was placed from."""

    order: OrderRead
    session_id: str


@dataclass(frozen=True)
class OrderMoved:
    """An order after a move: where it was, who moved it and why, and when."""

    order: OrderRead
    session_id: str
    previous: OrderStatus
    actor: Actor
    staff_name: str | None
    reason: str | None
    at: datetime


class OrderEvents(Protocol):
    """Told of each placed and moved order, after its transaction committed. A failure here is
    logged by the service and never undoes or fails the change."""

    async def placed(self, event: OrderPlaced) -> None:
        """A new order was placed."""

    async def moved(self, event: OrderMoved) -> None:
        """An order moved from one status to another."""


class NoOrderEvents:
    """Tells no one: the default until the live board and chat updates are built."""

    async def placed(self, event: OrderPlaced) -> None:
        """Nothing."""

    async def moved(self, event: OrderMoved) -> None:
        """Nothing."""


__all__ = ["NoOrderEvents", "OrderEvents", "OrderMoved", "OrderPlaced"]
