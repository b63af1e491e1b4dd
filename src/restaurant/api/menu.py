"""The menu: whole (with ETag) and searched."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from restaurant.services.menu import MenuService


class MenuController(Controller):
    """`/api/v1/menu`: what the restaurant serves."""

    path = "/api/v1/menu"
    tags = ["menu"]

    @get(
        "/",
        summary="The whole menu",
        description="Cached per menu version; sends an ETag and answers 304 to If-None-Match.",
    )
    async def get_menu(
        self, request: Request[Any, Any, Any], menu_service: NamedDependency[MenuService]
    ) -> Response[bytes]:
        """The whole menu, with an ETag."""
        snapshot = await menu_service.snapshot()
        headers = {"ETag": snapshot.etag, "Cache-Control": "no-cache"}
        if snapshot.etag in request.headers.get("if-none-match", ""):
            return Response(b"", status_code=304, headers=headers)
        return Response(snapshot.body, media_type="application/json", headers=headers)

    @get(
        "/items",
        summary="Search menu items",
        description="Typo-tolerant text search; category, dietary tag and allergen filters.",
    )
    async def search_items(
        self,
        menu_service: NamedDependency[MenuService],
        q: Annotated[
            str | None, Parameter(description="Text to search, typos allowed", max_length=200)
        ] = None,
        category: Annotated[
            str | None, Parameter(description="Category key", max_length=64)
        ] = None,
        tag: Annotated[
            list[str] | None,
            Parameter(
                description="Dietary tags the item must all have (vegetarian, vegan, spicy...)"
            ),
        ] = None,
        allergen_free: Annotated[
            list[str] | None, Parameter(description="Allergens the item must not contain")
        ] = None,
        max_price: Annotated[
            float | None, Parameter(ge=0, le=100000, description="Highest base price")
        ] = None,
        available: Annotated[
            bool, Parameter(description="Only items that can be ordered now")
        ] = False,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        """Items that match, best first."""
        snapshot = await menu_service.snapshot()
        items = snapshot.search(
            q,
            category=category,
            tags=tuple(tag or ()),
            allergen_free=tuple(allergen_free or ()),
            max_price=None if max_price is None else Decimal(str(max_price)),
            available_only=available,
            limit=limit,
        )
        return {"items": items, "count": len(items), "version": snapshot.version}
