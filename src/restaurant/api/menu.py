"""The menu: whole (with ETag) and searched."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import Parameter
from litestar.types import ASGIApp, Receive, Scope, Send

from restaurant.services.menu import MenuService, MenuSnapshot


@dataclass(frozen=True, slots=True)
class _Encoded:
    """A response encoded once and sent as it is (an ASGI app; immutable, so shared by every
    request for the same menu version)."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


@dataclass(frozen=True, slots=True)
class _MenuResponses:
    """The four answers for one menu version: plain or gzip, 200 or 304."""

    snapshot: MenuSnapshot
    plain: _Encoded
    gzip: _Encoded
    plain_unchanged: _Encoded
    gzip_unchanged: _Encoded

    @classmethod
    def build(cls, snapshot: MenuSnapshot) -> _MenuResponses:
        def encoded(status: int, etag: str, body: bytes, gzipped: bool) -> _Encoded:
            headers = [
                (b"etag", etag.encode()),
                (b"cache-control", b"no-cache"),
                (b"vary", b"Accept-Encoding"),
            ]
            if status == 200:
                headers += [(b"content-type", b"application/json")]
                headers += [(b"content-encoding", b"gzip")] if gzipped else []
                headers += [(b"content-length", str(len(body)).encode())]
            return _Encoded(status, headers, body)

        return cls(
            snapshot,
            plain=encoded(200, snapshot.etag, snapshot.body, gzipped=False),
            gzip=encoded(200, snapshot.etag_gzip, snapshot.body_gzip, gzipped=True),
            plain_unchanged=encoded(304, snapshot.etag, b"", gzipped=False),
            gzip_unchanged=encoded(304, snapshot.etag_gzip, b"", gzipped=True),
        )


# The last menu version's answers in this process. Every request of a version would build the
# same `Response` and headers again, the largest part of what a menu request costs beyond a bare
# endpoint's (bench/README.md, "Whole menu"), so they are built once per version.
_answers: _MenuResponses | None = None


def _responses(snapshot: MenuSnapshot) -> _MenuResponses:
    global _answers
    answers = _answers
    if answers is None or answers.snapshot is not snapshot:
        answers = _answers = _MenuResponses.build(snapshot)
    return answers


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
        response_description=(
            "The menu as JSON: the restaurant (with its `info` block, when the menu file has one: "
            "address, phone, time zone, hours, preparation minutes, delivery terms; and "
            "`hours_text`, the week's hours for people), its categories and their items"
        ),
        responses={304: ResponseSpec(None, description="Unchanged since the ETag sent")},
    )
    async def get_menu(
        self, request: Request[Any, Any, Any], menu_service: NamedDependency[MenuService]
    ) -> ASGIApp:
        """The whole menu, with an ETag."""
        snapshot = await menu_service.snapshot()
        answers = _responses(snapshot)
        gzipped = "gzip" in request.headers.get("accept-encoding", "")
        match = request.headers.get("if-none-match", "")
        if snapshot.etag in match or snapshot.etag_gzip in match:
            return answers.gzip_unchanged if gzipped else answers.plain_unchanged
        return answers.gzip if gzipped else answers.plain

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
