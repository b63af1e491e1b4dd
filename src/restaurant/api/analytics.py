"""`GET /api/v1/staff/analytics?from=...&to=...`: the managers' figures over a range of days.

Managers only, through the staff API's guard (`restaurant.api.staff.staff_only`): no token or a
customer's gets the 404 of a path that does not exist, a kitchen member 403. The days are the
restaurant's (its menu's time zone); the figures are computed in MongoDB
(`restaurant.services.analytics`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from beanie.exceptions import CollectionWasNotInitialized
from litestar import Controller, get
from litestar.datastructures import State
from litestar.params import QueryParameter
from litestar.plugins.problem_details import ProblemDetailsException
from pymongo.errors import PyMongoError

from restaurant.api.deps import provide_resources
from restaurant.api.security import PRIVATE
from restaurant.api.staff import staff_only
from restaurant.db.documents import TranscriptTurn, init_documents
from restaurant.db.models import StaffRole
from restaurant.services.analytics import (
    MAX_DAYS,
    Analytics,
    AnalyticsService,
    RangeError,
    zone_of_menu,
)

DEFAULT_DAYS = 7  # without `from`: the week that ends on `to`

MANAGER = [staff_only(StaffRole.MANAGER)]


def _bound_client() -> Any:
    """The client Beanie's documents are bound to, None before `init_documents`."""
    try:
        return TranscriptTurn.get_pymongo_collection().database.client
    except CollectionWasNotInitialized:
        return None


def _problem(status: int, title: str, detail: str) -> ProblemDetailsException:
    return ProblemDetailsException(detail=detail, status_code=status, title=title)


class AnalyticsController(Controller):
    """`/api/v1/staff/analytics`: managers only."""

    path = "/api/v1/staff/analytics"
    tags = ["staff"]
    cache_control = PRIVATE

    @get(
        "/",
        guards=MANAGER,
        summary="Analytics (managers)",
        description=(
            "Conversations and orders per day, conversion, average order value, top items and "
            "options, median turns and minutes to an order, and the turns the assistant did not "
            "understand (newest first), from `from` to `to` (both included, on the "
            f"restaurant's clock; `to` defaults to today, `from` to {DEFAULT_DAYS - 1} days "
            f"before it; at most {MAX_DAYS} days)."
        ),
    )
    async def analytics(
        self,
        state: State,
        first: Annotated[date | None, QueryParameter(name="from", description="first day")] = None,
        last: Annotated[date | None, QueryParameter(name="to", description="last day")] = None,
    ) -> Analytics:
        """The figures for the range (managers only)."""
        resources = provide_resources(state)
        zone = zone_of_menu((await resources.menu.snapshot()).menu)
        last = last or datetime.now(zone).date()
        first = first or last - timedelta(days=DEFAULT_DAYS - 1)
        service = AnalyticsService(zone)
        try:
            if _bound_client() is not resources.mongo:
                # MongoDB was down when the app started, or another app of this process (tests
                # run two) bound Beanie's documents to its own client since: bind them to ours.
                await init_documents(resources.mongo, resources.settings.mongo.database)
            return await service.report(first, last)
        except RangeError as exc:
            raise _problem(400, "Bad Request", str(exc)) from exc
        except PyMongoError as exc:
            raise _problem(
                503, "Service Unavailable", "The analytics store (MongoDB) cannot be reached."
            ) from exc


__all__ = ["AnalyticsController"]
