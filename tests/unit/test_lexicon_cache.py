"""The service's lexicon cache: one lexicon per menu wording, kept across sold-out toggles."""

from __future__ import annotations

from pathlib import Path

from graph.menu import Menu, load_menu
from restaurant.services.wiring import LexiconCache

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"


def _with_first_item(menu: Menu, **changes: object) -> Menu:
    category = menu.categories[0]
    item = category.items[0].model_copy(update=changes)
    first = category.model_copy(update={"items": (item, *category.items[1:])})
    return menu.model_copy(update={"categories": (first, *menu.categories[1:])})


async def test_a_version_that_only_marks_a_dish_sold_out_keeps_the_lexicon() -> None:
    cache = LexiconCache()
    menu = load_menu(DEMO)
    first = await cache.get(menu, 1)
    sold_out = _with_first_item(menu, available=False)
    assert await cache.get(sold_out, 2) is first
    assert await cache.get(menu, 3) is first


async def test_a_version_with_new_words_builds_a_new_lexicon() -> None:
    cache = LexiconCache()
    menu = load_menu(DEMO)
    first = await cache.get(menu, 1)
    renamed = _with_first_item(menu, aliases=("chefs whim",))
    second = await cache.get(renamed, 2)
    assert second is not first
    assert second.lookup(["chefs", "whim"], 0)[1] is not None
    assert first.lookup(["chefs", "whim"], 0)[1] is None
