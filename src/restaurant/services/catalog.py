"""The graph's `MenuCatalog` over the cached menu snapshot: no query per call."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from graph.memory import MemoryMenu
from graph.menu import Item, Menu
from restaurant.services.menu import MenuService


class CatalogService:
    """A `MenuCatalog` reading `MenuService.snapshot()`, which is cached per menu version."""

    def __init__(self, menu: MenuService) -> None:
        self._menu = menu

    async def get_menu(self) -> Menu:
        """The whole menu."""
        return (await self._menu.snapshot()).menu

    async def get_item(self, key: str) -> Item | None:
        """One item by key, available or not."""
        return (await self.get_menu()).item(key)

    async def search(
        self,
        *,
        text: str | None = None,
        tags: Sequence[str] = (),
        max_price: Decimal | None = None,
        exclude_allergens: Sequence[str] = (),
        limit: int = 12,
    ) -> list[Item]:
        """Available items matching every filter, best first; typos in `text` are tolerated."""
        snapshot = await self._menu.snapshot()
        found = snapshot.search(
            text,
            tags=tuple(tags),
            allergen_free=tuple(exclude_allergens),
            max_price=max_price,
            available_only=True,
            limit=limit,
        )
        if found or not text:
            menu = snapshot.menu
            return [item for row in found if (item := menu.item(row["key"])) is not None]
        # The fuzzy search wants most words to match; the plain word match of the in-memory
        # catalog finds an item by any one word, so fall back to it rather than answer nothing.
        return await MemoryMenu(snapshot.menu).search(
            text=text,
            tags=tags,
            max_price=max_price,
            exclude_allergens=exclude_allergens,
            limit=limit,
        )


__all__ = ["CatalogService"]
