"""The restaurant's side over REST: the order board's reads and moves, for scripts and the board.

Staff sign in as customers do (phone and one-time code); `staff_only(role)` then finds the
signed-in phone in the `staff` table on each request. It runs as a guard, before the request's
parameters and body are read, so what an outsider sees never depends on what they sent:

- no token, an expired one, or a session whose phone is not staff: 404, the very answer of a
  path that does not exist, so the staff API is invisible to customers (as a foreign order id
  is);
- a kitchen member on a manager's endpoint: 403. They are staff and know these pages exist
  (the board links them); hiding them gains nothing, and 403 lets the board say "a manager
  can do that" where a 404 would read as a missing order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post, put
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.plugins.problem_details import ProblemDetailsException
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from sse_starlette import EventSourceResponse

from restaurant.api.deps import provide_resources
from restaurant.api.security import CONTROL_FREE, PRIVATE, token_from
from restaurant.chat.events import id_key, valid_id
from restaurant.db.models import OrderStatus, StaffRole
from restaurant.drain import Drain
from restaurant.lifespan import Resources
from restaurant.services.availability import (
    MAX_MESSAGE,
    Availability,
    AvailabilityService,
    ItemAvailability,
    NotOnMenu,
    OptionAvailability,
    Ordering,
)
from restaurant.services.board import (
    MAX_BOARD,
    OPEN,
    BoardOrder,
    BoardService,
    StatusChangeRead,
)
from restaurant.services.lifecycle import MAX_REASON
from restaurant.services.order_events import BoardEntry, BoardFeed
from restaurant.services.orders import (
    OrderConflict,
    OrderNotFound,
    OrderRefused,
    normalise_number,
)
from restaurant.services.staff import StaffMember, StaffService

Number = Annotated[str, PathParameter(description="order number, e.g. A7K3Q", max_length=16)]
MenuKey = Annotated[str, PathParameter(description="a key of the menu file", max_length=64)]
MEMBER = "staff_member"  # where the guard leaves the member in the request's state


@dataclass(frozen=True)
class StaffDesk:
    """The staff's services over one process's resources."""

    resources: Resources
    staff: StaffService
    board: BoardService
    availability: AvailabilityService


def staff_desk(state: State) -> StaffDesk:
    """The staff's services, made once per process's resources (they hold no connection).
    They would sit in `services.wiring.Services` beside the others; made here, that file and
    `Resources` need not know of them yet."""
    resources = provide_resources(state)
    desk: StaffDesk | None = state.get("staff_desk")
    if desk is None or desk.resources is not resources:
        desk = StaffDesk(
            resources,
            StaffService(resources.sessions),
            BoardService(resources.sessions),
            AvailabilityService(resources.sessions, resources.menu),
        )
        state["staff_desk"] = desk
    return desk


def staff_only(role: StaffRole) -> Any:
    """A guard: the signed-in session's phone is a staff member's who may do what `role` may
    (404 for anyone else, 403 for a kitchen member on a manager's endpoint)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        desk = staff_desk(connection.app.state)
        auth = await desk.resources.services.sessions.resolve(token_from(connection))
        member = await desk.staff.member(auth.phone if auth is not None else None)
        if member is None:
            raise NotFoundException  # as for a path that does not exist
        if not member.may(role):
            raise PermissionDeniedException(detail=f"Only a {role.value} member may do that.")
        connection.state[MEMBER] = member

    return guard


def provide_member(request: Request[Any, Any, Any]) -> StaffMember:
    """The member the guard found."""
    member: StaffMember = request.state[MEMBER]
    return member


def provide_desk(request: Request[Any, Any, Any]) -> StaffDesk:
    """The staff's services."""
    return staff_desk(request.app.state)


class StaffRead(BaseModel):
    """A staff member: phone, name, role."""

    phone: str
    name: str
    role: StaffRole


class StaffList(BaseModel):
    """Every staff member, managers first."""

    members: list[StaffRead]


class BoardList(BaseModel):
    """Orders for the board, newest first."""

    orders: list[BoardOrder]


class History(BaseModel):
    """An order's recorded moves, oldest first."""

    number: str
    changes: list[StatusChangeRead]


class StatusChange(BaseModel):
    """A move of an order: where to, and a reason to reject or a new promised time to accept."""

    model_config = ConfigDict(extra="forbid")

    status: OrderStatus
    reason: (
        Annotated[str, StringConstraints(max_length=MAX_REASON, pattern=CONTROL_FREE)] | None
    ) = Field(default=None, description="required to reject: shown to the customer")
    ready_at: AwareDatetime | None = Field(
        default=None, description="accepting only: the time promised, within 24 hours"
    )


def _json_bool(value: object) -> object:
    # JSON true or false only: "no", 0 or "false" is a mistake to report, not a guess to make
    # (the body is validated leniently, where "no" would read as false).
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


JsonBool = Annotated[bool, BeforeValidator(_json_bool)]


class AvailableChange(BaseModel):
    """Sold out (`false`) or back (`true`)."""

    model_config = ConfigDict(extra="forbid")

    available: JsonBool


class OrderingChange(BaseModel):
    """Pause new orders with a message for customers, or resume them."""

    model_config = ConfigDict(extra="forbid")

    paused: JsonBool
    message: (
        Annotated[str, StringConstraints(max_length=MAX_MESSAGE, pattern=CONTROL_FREE)] | None
    ) = Field(default=None, description='told to customers: "kitchen full, back in 20 minutes"')


def _not_on_menu(exc: NotOnMenu) -> ProblemDetailsException:
    return ProblemDetailsException(detail=exc.message, status_code=404, title="Not Found")


def _read(member: StaffMember) -> StaffRead:
    return StaffRead(phone=member.phone, name=member.name, role=member.role)


def _no_order(number: str) -> ProblemDetailsException:
    return ProblemDetailsException(
        detail=f"There is no order #{normalise_number(number)}.",
        status_code=404,
        title="Not Found",
    )


def _board_event(entry: BoardEntry) -> bytes:
    event_id, order = entry  # the order's JSON as `GET /staff/orders` shows it
    return f'id: {event_id}\nevent: order\ndata: {{"order":{order}}}\n\n'.encode()


async def _board_events(
    feed: BoardFeed, after: str | None, drain: Drain, wait: float = 1.0
) -> AsyncIterator[bytes]:
    """What followed `after` in the board stream, then each new entry, until the feed closes or
    the process drains (the browser then reconnects, elsewhere, with Last-Event-ID)."""
    with feed.listen() as listener:  # listening before the backlog is read: nothing falls between
        last = after
        if after:
            for missed in await feed.read_after(after):
                last = missed[0]
                yield _board_event(missed)
        yield b": listening\n\n"  # caught up; from here on, what happens as it happens
        while not listener.closed and not drain.closing.is_set():
            entry = await listener.get(wait)
            if entry is None or (last and id_key(entry[0]) <= id_key(last)):
                continue
            last = entry[0]
            yield _board_event(entry)


KITCHEN = [staff_only(StaffRole.KITCHEN)]
MANAGER = [staff_only(StaffRole.MANAGER)]


class StaffController(Controller):
    """`/api/v1/staff`: staff members only (see the module's docstring for who gets what)."""

    path = "/api/v1/staff"
    tags = ["staff"]
    cache_control = PRIVATE  # customers' names and phones
    request_max_body_size = 16 * 1024
    dependencies = {
        "member": Provide(provide_member, sync_to_thread=False),
        "desk": Provide(provide_desk, sync_to_thread=False),
    }

    @get("/me", guards=KITCHEN, summary="Who I am on the staff")
    async def me(self, member: NamedDependency[StaffMember]) -> StaffRead:
        """The signed-in staff member and their role (any staff)."""
        return _read(member)

    @get(
        "/events",
        guards=KITCHEN,
        summary="The board's live feed (SSE)",
        description=(
            'Each placed or moved order as `event: order`, `data: {"order": ...}` (the order as'
            " `GET /staff/orders` shows it), `id:` its id in the restaurant's Redis stream. Resume"
            " with the header `Last-Event-ID` (or `?last_event_id=`); keep-alive comments every"
            " 15 s."
        ),
    )
    async def events(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[StaffDesk],
        last_event_id: Annotated[
            str | None, QueryParameter(description="the last event seen, as Last-Event-ID")
        ] = None,
    ) -> EventSourceResponse:
        """New and moved orders as they happen (any staff)."""
        last = request.headers.get("last-event-id") or last_event_id
        if last is not None and not valid_id(last):
            raise ProblemDetailsException(
                detail=f"Last-Event-ID {last[:60]!r} is not an event id of the board.",
                status_code=400,
                title="Bad Request",
            )
        resources = desk.resources
        drain: Drain = request.app.state.drain
        return EventSourceResponse(
            _board_events(resources.services.board_feed, last, drain),
            ping=resources.settings.chat.ping_seconds,
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @get("/members", guards=MANAGER, summary="The staff (managers)")
    async def members(self, desk: NamedDependency[StaffDesk]) -> StaffList:
        """Every staff member (managers only)."""
        return StaffList(members=[_read(m) for m in await desk.staff.list()])

    @get(
        "/orders",
        guards=KITCHEN,
        summary="Orders for the board",
        description=(
            "Newest first, with each line as the kitchen reads it, the customer's first name and "
            "masked phone, the type, the promised time and the moves possible from here. "
            "`status` (repeated or comma-separated) picks the statuses; the open ones by default."
        ),
    )
    async def orders(
        self,
        desk: NamedDependency[StaffDesk],
        status: Annotated[list[str] | None, QueryParameter(max_items=20)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_BOARD)] = 200,
    ) -> BoardList:
        """Orders in the given statuses (any staff)."""
        wanted = [s.strip() for given in status or [] for s in given.split(",") if s.strip()]
        try:
            statuses = [OrderStatus(s) for s in wanted] or list(OPEN)
        except ValueError:
            known = ", ".join(s.value for s in OrderStatus)
            raise ProblemDetailsException(
                detail=f"Unknown status in {', '.join(wanted)}; the statuses are {known}.",
                status_code=400,
                title="Bad Request",
            ) from None
        return BoardList(orders=await desk.board.orders(statuses, limit=limit))

    @post(
        "/orders/{number:str}/status",
        guards=KITCHEN,
        status_code=200,
        summary="Move an order",
        description=(
            "Along the order's life (restaurant/services/lifecycle.py): 409 for a move its status "
            "does not allow, 422 to reject without a reason or for a `ready_at` anywhere but "
            "accepting (or outside the next 24 hours). Recorded with the time and the member."
        ),
    )
    async def move(
        self,
        desk: NamedDependency[StaffDesk],
        member: NamedDependency[StaffMember],
        number: Number,
        data: JSONBody[StatusChange],
    ) -> BoardOrder:
        """Move an order and answer it as the board shows it (any staff)."""
        try:
            moved = await desk.resources.services.orders.staff_move(
                number, data.status, staff=member, reason=data.reason, ready_at=data.ready_at
            )
        except OrderNotFound as exc:
            raise _no_order(number) from exc
        except OrderConflict as exc:
            raise ProblemDetailsException(
                detail=exc.message, status_code=409, title="Conflict"
            ) from exc
        except OrderRefused as exc:
            raise ProblemDetailsException(
                detail=exc.message, status_code=422, title="Move Refused"
            ) from exc
        if moved.customer is not None:  # as the board would read it, without reading it
            return desk.board.entry(moved.order, moved.customer)
        order = await desk.board.order(number)
        assert order is not None  # orders are never deleted
        return order

    @get("/orders/{number:str}/history", guards=MANAGER, summary="An order's moves (managers)")
    async def history(self, desk: NamedDependency[StaffDesk], number: Number) -> History:
        """Every recorded move of an order, oldest first (managers only)."""
        changes = await desk.board.history(number)
        if changes is None:
            raise _no_order(number)
        return History(number=normalise_number(number), changes=changes)

    @get(
        "/menu",
        guards=KITCHEN,
        summary="What can be ordered",
        description="Every item and option with `available`, and whether ordering is paused.",
    )
    async def menu(self, desk: NamedDependency[StaffDesk]) -> Availability:
        """The menu as staff mark it (any staff)."""
        return await desk.availability.read()

    @patch(
        "/menu/items/{key:str}",
        guards=KITCHEN,
        summary="Mark an item sold out, or back",
        description=(
            '`{"available": false}` sold out, `true` back. The menu\'s version changes, so'
            " every replica's chat and cards follow within a second; recorded with the member."
        ),
    )
    async def set_item(
        self,
        desk: NamedDependency[StaffDesk],
        member: NamedDependency[StaffMember],
        key: MenuKey,
        data: JSONBody[AvailableChange],
    ) -> ItemAvailability:
        """Sold out or back (any staff)."""
        try:
            return await desk.availability.set_item(key, data.available, member)
        except NotOnMenu as exc:
            raise _not_on_menu(exc) from exc

    @patch(
        "/menu/groups/{group:str}/options/{key:str}",
        guards=KITCHEN,
        summary="Mark an option sold out, or back",
        description='As for an item: `{"available": false}`, for every item taking the group.',
    )
    async def set_option(
        self,
        desk: NamedDependency[StaffDesk],
        member: NamedDependency[StaffMember],
        group: MenuKey,
        key: MenuKey,
        data: JSONBody[AvailableChange],
    ) -> OptionAvailability:
        """Sold out or back (any staff)."""
        try:
            return await desk.availability.set_option(group, key, data.available, member)
        except NotOnMenu as exc:
            raise _not_on_menu(exc) from exc

    @get("/ordering", guards=KITCHEN, summary="Whether new orders are taken")
    async def ordering(self, desk: NamedDependency[StaffDesk]) -> Ordering:
        """Paused or not, and the message (any staff)."""
        return await desk.availability.ordering()

    @put(
        "/ordering",
        guards=MANAGER,
        summary="Pause or resume new orders (managers)",
        description=(
            '`{"paused": true, "message": "kitchen full, back in 20 minutes"}` refuses every'
            ' checkout (chat and REST, 409) with the message until `{"paused": false}`.'
        ),
    )
    async def set_ordering(
        self,
        desk: NamedDependency[StaffDesk],
        member: NamedDependency[StaffMember],
        data: JSONBody[OrderingChange],
    ) -> Ordering:
        """Pause or resume (managers only)."""
        return await desk.availability.set_ordering(data.paused, data.message, member)


__all__ = ["StaffController", "StaffDesk", "staff_desk", "staff_only"]
