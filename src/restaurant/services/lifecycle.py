"""The order's life: every move an order may make, who may make it, as one table.

    pickup:    placed → accepted → preparing → ready → collected
    delivery:  placed → accepted → preparing → out_for_delivery → delivered
    dine-in:   placed → accepted → preparing → ready → served

and from `placed` the kitchen may reject (with a reason); the customer may cancel while the
order is `placed` or `accepted`, never once it is being prepared.

Decisions, written down here because the table is where they show:

- Dine-in ends in `served` rather than `collected`: the food goes to the table, nobody comes to
  the counter for it, and the board reads better with its own word.
- Staff cannot cancel. `rejected` is the kitchen's refusal and only from `placed`: once it
  accepts, the kitchen has promised the customer a time, and calling that off is a conversation
  with the customer, not a button. `cancelled` is always the customer's own doing.
- `collected`, `delivered`, `served`, `rejected` and `cancelled` are final: no move leaves them.

Nothing here does I/O; `OrderService.move` applies a move in PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from restaurant.db.models.orders import OrderStatus, OrderType


class Actor(StrEnum):
    """Who moves an order: the restaurant's staff, or the customer who placed it."""

    STAFF = "staff"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Move:
    """One allowed move: from a status to another, by whom, for which types of order."""

    source: OrderStatus
    target: OrderStatus
    actor: Actor
    types: frozenset[OrderType]


S = OrderStatus
ALL = frozenset(OrderType)
PICKUP = frozenset({OrderType.PICKUP})
DELIVERY = frozenset({OrderType.DELIVERY})
DINE_IN = frozenset({OrderType.DINE_IN})
AT_THE_COUNTER = frozenset({OrderType.PICKUP, OrderType.DINE_IN})

# The table. A move not in it is refused.
MOVES: tuple[Move, ...] = (
    Move(S.PLACED, S.ACCEPTED, Actor.STAFF, ALL),
    Move(S.PLACED, S.REJECTED, Actor.STAFF, ALL),
    Move(S.PLACED, S.CANCELLED, Actor.CUSTOMER, ALL),
    Move(S.ACCEPTED, S.PREPARING, Actor.STAFF, ALL),
    Move(S.ACCEPTED, S.CANCELLED, Actor.CUSTOMER, ALL),
    Move(S.PREPARING, S.READY, Actor.STAFF, AT_THE_COUNTER),
    Move(S.READY, S.COLLECTED, Actor.STAFF, PICKUP),
    Move(S.READY, S.SERVED, Actor.STAFF, DINE_IN),
    Move(S.PREPARING, S.OUT_FOR_DELIVERY, Actor.STAFF, DELIVERY),
    Move(S.OUT_FOR_DELIVERY, S.DELIVERED, Actor.STAFF, DELIVERY),
)

# A move to `rejected` needs a reason; a new promised time may come only with `accepted`.
NEEDS_REASON = frozenset({S.REJECTED})
TAKES_READY_AT = frozenset({S.ACCEPTED})
MAX_REASON = 500  # the audit column's width


class IllegalMove(ValueError):
    """A move the table does not allow for this order, actor and status (an HTTP 409)."""


class BadMove(ValueError):
    """A move the table allows, asked for wrongly: no reason to reject, a time where none
    goes (an HTTP 422)."""


def find_move(
    order_type: OrderType, source: OrderStatus, target: OrderStatus, actor: Actor
) -> Move | None:
    """The table's row for this move, if it has one."""
    for move in MOVES:
        if (move.source, move.target, move.actor) == (source, target, actor) and (
            order_type in move.types
        ):
            return move
    return None


def next_statuses(order_type: OrderType, source: OrderStatus, actor: Actor) -> list[OrderStatus]:
    """Where this actor may move an order of this type from `source`, in the table's order."""
    return [
        move.target
        for move in MOVES
        if move.source is source and move.actor is actor and order_type in move.types
    ]


def customer_cancellable() -> frozenset[OrderStatus]:
    """The statuses a customer may cancel from (the chat's `graph.models.CANCELLABLE`)."""
    return frozenset(
        move.source for move in MOVES if move.target is S.CANCELLED and move.actor is Actor.CUSTOMER
    )


def is_final(order_type: OrderType, status: OrderStatus) -> bool:
    """Whether no move leaves this status for this type of order."""
    return not any(move.source is status and order_type in move.types for move in MOVES)


def words(status: OrderStatus) -> str:
    """'out for delivery'."""
    return status.value.replace("_", " ")


def check_move(
    number: str,
    order_type: OrderType,
    source: OrderStatus,
    target: OrderStatus,
    actor: Actor,
    *,
    reason: str | None = None,
    ready_at_given: bool = False,
) -> Move:
    """The row allowing this move; `IllegalMove` (why, for a person) or `BadMove` otherwise."""
    move = find_move(order_type, source, target, actor)
    if move is None:
        raise IllegalMove(_why_not(number, order_type, source, target, actor))
    if target in NEEDS_REASON and not (reason or "").strip():
        raise BadMove(f"Say why order #{number} is {words(target)}: a reason is required.")
    if reason is not None and len(reason) > MAX_REASON:
        raise BadMove(f"The reason is too long; keep it under {MAX_REASON} characters.")
    if ready_at_given and target not in TAKES_READY_AT:
        raise BadMove(f"A ready time can be set only when accepting, not when {words(target)}.")
    return move


def _why_not(
    number: str, order_type: OrderType, source: OrderStatus, target: OrderStatus, actor: Actor
) -> str:
    if source is target:
        return f"Order #{number} is already {words(source)}."
    if actor is Actor.CUSTOMER and target is S.CANCELLED:
        return f"Order #{number} is already {words(source)}, so it can't be cancelled any more."
    allowed = next_statuses(order_type, source, actor)
    if not allowed:
        return f"Order #{number} is {words(source)}; it can't move any more."
    options = " or ".join(words(s) for s in allowed)
    return f"Order #{number} is {words(source)}; it can go to {options}, not {words(target)}."


__all__ = [
    "MOVES",
    "NEEDS_REASON",
    "TAKES_READY_AT",
    "Actor",
    "BadMove",
    "IllegalMove",
    "Move",
    "check_move",
    "customer_cancellable",
    "find_move",
    "is_final",
    "next_statuses",
    "words",
]
