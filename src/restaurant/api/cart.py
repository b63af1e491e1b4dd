"""A chat session's cart beside the chat: read it, change a line, remove a line."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter
from litestar.plugins.problem_details import ProblemDetailsException
from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.models import CartChange, CartError, CartRead, ChoiceSpec
from restaurant.api.security import PRIVATE, require_chat
from restaurant.chat.service import Chat
from restaurant.lifespan import Resources

SessionId = Annotated[str, PathParameter(description="chat session id", max_length=64)]
LineId = Annotated[str, PathParameter(description="cart line id", max_length=64)]


class LineChange(BaseModel):
    """A new quantity and/or choices merged onto the line (same rules as the chat)."""

    model_config = ConfigDict(extra="forbid")

    quantity: int | None = Field(default=None, ge=1, le=99)
    choices: list[ChoiceSpec] = Field(default_factory=list, max_length=30)

    @model_validator(mode="after")
    def _something(self) -> LineChange:
        if self.quantity is None and not self.choices:
            raise ValueError("give a quantity, choices or both")
        return self


def _no_line() -> ProblemDetailsException:
    return ProblemDetailsException(
        detail="That item isn't in your cart any more.", status_code=404, title="Not Found"
    )


class CartController(Controller):
    """`/api/v1/chat/{session_id}/cart`: only the session's owner reaches it (404 otherwise)."""

    path = "/api/v1/chat/{session_id:str}/cart"
    tags = ["cart"]
    cache_control = PRIVATE  # tokens and personal data: never stored by a cache
    request_max_body_size = 16 * 1024

    @get("/", summary="The chat session's cart", description="Lines, choices and totals.")
    async def get_cart(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        chat: NamedDependency[Chat],
        session_id: SessionId,
    ) -> CartRead:
        """The cart (empty if nothing was added yet), as the chat's committed turns left it."""
        await require_chat(request, resources, session_id)
        return await resources.services.carts.read(session_id, chat.runner.store)

    @patch(
        "/lines/{line_id:str}",
        summary="Change a cart line",
        description="422 with the reason when the menu refuses the change; 404 for no such line.",
    )
    async def update_line(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        session_id: SessionId,
        line_id: LineId,
        data: JSONBody[LineChange],
    ) -> CartChange:
        """Set the quantity and/or merge choices onto one line."""
        auth = await require_chat(request, resources, session_id)
        carts = resources.services.carts.for_user(auth.user_id)
        if (await carts.get(session_id)).line(line_id) is None:
            raise _no_line()
        try:
            return await carts.update_line(
                session_id, line_id, quantity=data.quantity, choices=data.choices
            )
        except CartError as exc:
            if "isn't in your cart" in exc.message:  # removed meanwhile
                raise _no_line() from exc
            raise ProblemDetailsException(
                detail=exc.message, status_code=422, title="Change Refused"
            ) from exc

    @delete(
        "/lines/{line_id:str}",
        status_code=200,
        summary="Remove a cart line",
        description="Answers the cart after the removal; 404 for no such line.",
    )
    async def remove_line(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        session_id: SessionId,
        line_id: LineId,
    ) -> CartRead:
        """Remove one line."""
        await require_chat(request, resources, session_id)
        try:
            return await resources.services.carts.remove_line(session_id, line_id)
        except CartError as exc:
            raise _no_line() from exc


__all__ = ["CartController", "LineChange"]
