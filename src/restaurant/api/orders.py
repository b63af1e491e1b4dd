"""Orders over REST: check out a chat session's cart, list mine, get one, cancel one."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody, PathParameter, QueryParameter
from litestar.plugins.problem_details import ProblemDetailsException
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from graph.intents import OrderType
from graph.models import OrderCreate, OrderError, OrderRead, OrderUnavailable
from restaurant.api.security import CONTROL_FREE, PRIVATE, require_chat, require_user
from restaurant.chat.service import Chat
from restaurant.lifespan import Resources
from restaurant.services.orders import OrderConflict, OrderNotFound

Number = Annotated[str, PathParameter(description="order number, e.g. A7K3Q", max_length=16)]


class Checkout(BaseModel):
    """Which chat session's cart to order, and how the food gets to the customer."""

    model_config = ConfigDict(extra="forbid")

    session_id: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=CONTROL_FREE)]
    order_type: OrderType
    address: Annotated[str, StringConstraints(max_length=500, pattern=CONTROL_FREE)] | None = Field(
        default=None, description="required for delivery; plain text (no control characters)"
    )


class OrderList(BaseModel):
    """The caller's orders, newest first."""

    orders: list[OrderRead]


def _scoped_key(user_id: UUID, key: str) -> str:
    digest = hashlib.sha256(f"{user_id}:{key}".encode()).hexdigest()
    return f"rest:{digest}"


def _not_found(number: str) -> ProblemDetailsException:
    return ProblemDetailsException(
        detail=f"There is no order #{number.strip().lstrip('#').upper()} on your account.",
        status_code=404,
        title="Not Found",
    )


class OrdersController(Controller):
    """`/api/v1/orders`: a signed-in customer's orders only (another's are 404)."""

    path = "/api/v1/orders"
    tags = ["orders"]
    cache_control = PRIVATE  # tokens and personal data: never stored by a cache
    request_max_body_size = 16 * 1024

    @post(
        "/",
        status_code=201,
        summary="Place the cart of a chat session as an order",
        description=(
            "Needs a signed-in session that owns `session_id` (404 otherwise) and an "
            "`Idempotency-Key` header: retries with the same key return the first order and never "
            "place a second. 422 for an empty cart, a delivery without an address or under the "
            "delivery minimum, or while the restaurant is closed (the detail says when it opens); "
            "409 while a manager has paused new orders (the detail is their message), when a "
            "line of the cart is sold out (the detail names it), or while a chat turn is still "
            "changing the cart (with Retry-After)."
        ),
    )
    async def place_order(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        chat: NamedDependency[Chat],
        data: JSONBody[Checkout],
        idempotency_key: Annotated[
            str, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=128)
        ],
    ) -> OrderRead:
        """Turn the cart into an order, once per idempotency key."""
        auth = await require_chat(request, resources, data.session_id, signed_in=True)
        assert auth.user_id is not None
        # A chat turn that died before its checkpoint leaves changes the customer was never
        # told of: undone first, so they are not ordered. One still running (or whose dead
        # replica's lease has not lapsed) has changed lines that may yet be undone: refused
        # rather than ordering a half turn, and a retry with the same key places the order.
        if not await resources.services.carts.settle(data.session_id, chat.runner.store):
            raise ProblemDetailsException(
                detail="A chat turn is still changing this cart; try again in a moment.",
                status_code=409,
                title="Cart Busy",
                headers={"Retry-After": "1"},
            )
        try:
            return await resources.services.orders.place(
                OrderCreate(
                    session_id=data.session_id,
                    user_id=auth.user_id,
                    type=data.order_type,
                    address=data.address,
                    # Scoped to the user: one customer's key never meets another's order.
                    idempotency_key=_scoped_key(auth.user_id, idempotency_key),
                )
            )
        except OrderUnavailable as exc:
            # The request was fine; the restaurant can't take it now (paused, a line sold out).
            raise ProblemDetailsException(
                detail=exc.message, status_code=409, title="Not Available"
            ) from exc
        except OrderError as exc:
            raise ProblemDetailsException(
                detail=exc.message, status_code=422, title="Order Refused"
            ) from exc

    @get("/", summary="My orders", description="Newest first.")
    async def list_orders(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> OrderList:
        """The signed-in customer's orders."""
        auth = await require_user(request, resources)
        assert auth.user_id is not None
        return OrderList(
            orders=await resources.services.orders.list_for_user(auth.user_id, limit=limit)
        )

    @get("/{number:str}", summary="One of my orders")
    async def get_order(
        self, request: Request[Any, Any, Any], resources: NamedDependency[Resources], number: Number
    ) -> OrderRead:
        """An order by number; 404 if it is not the caller's."""
        auth = await require_user(request, resources)
        assert auth.user_id is not None
        order = await resources.services.orders.get(auth.user_id, number)
        if order is None:
            raise _not_found(number)
        return order

    @post(
        "/{number:str}/cancel",
        status_code=200,
        summary="Cancel one of my orders",
        description=(
            "Only before the kitchen starts preparing it ('placed' or 'accepted'): 409 after."
        ),
    )
    async def cancel_order(
        self, request: Request[Any, Any, Any], resources: NamedDependency[Resources], number: Number
    ) -> OrderRead:
        """Cancel an order the kitchen has not started preparing."""
        auth = await require_user(request, resources)
        assert auth.user_id is not None
        try:
            # Not said in the chat: the chat the order was placed from is told.
            return await resources.services.orders.cancel(auth.user_id, number, answered=False)
        except OrderNotFound as exc:
            raise _not_found(number) from exc
        except OrderConflict as exc:
            raise ProblemDetailsException(
                detail=exc.message, status_code=409, title="Conflict"
            ) from exc


__all__ = ["Checkout", "OrdersController"]
