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
        description=(
            "Cached per menu version; sends an ETag and answers 304 to If-None-Match; "
            "gzip-encoded when the client accepts it."
        ),
    )
    async def get_menu(
        self, request: Request[Any, Any, Any], menu_service: NamedDependency[MenuService]
    ) -> Response[bytes]:
        """The whole menu, with an ETag."""
        snapshot = await menu_service.snapshot()
        # Both bodies are encoded once per menu version: a request only picks one.
        gzipped = "gzip" in request.headers.get("accept-encoding", "")
        etag = snapshot.etag_gzip if gzipped else snapshot.etag
        headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        match = request.headers.get("if-none-match", "")
        if snapshot.etag in match or snapshot.etag_gzip in match:
            return Response(b"", status_code=304, headers=headers)
        if gzipped:
            headers["Content-Encoding"] = "gzip"
            return Response(snapshot.body_gzip, media_type="application/json", headers=headers)
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
