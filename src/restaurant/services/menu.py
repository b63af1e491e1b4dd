"""Reading the menu: one cached snapshot per menu version, served as JSON and searched in memory.

The menu is small (tens to a few hundred items) and read on every turn, so it is loaded once per
version and kept in process; a cheap version check every `menu_cache_seconds` (1 s) picks up
imports and the staff's changes (sold out, paused: each bumps the version) made on any replica.
Polling the version rather than a Redis notice: one indexed read a second per busy replica, and
nothing to miss when Redis or a replica restarts. Checkout reads the version every time.

Search runs over the snapshot with rapidfuzz (typo-tolerant) rather than in
SQL: it needs no PostgreSQL extension and costs microseconds.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from graph.cards import item_data
from graph.menu import Category as MenuCategory
from graph.menu import Item as MenuItem
from graph.menu import Menu, RestaurantInfo
from graph.menu import Option as MenuOptionModel
from graph.menu import OptionGroup as MenuGroup
from graph.menu import Restaurant as MenuRestaurant
from graph.venue import hours_text
from restaurant.db.models import (
    Category,
    Item,
    ItemOptionGroup,
    MenuOption,
    OptionGroup,
    Restaurant,
)

_WORD = re.compile(r"[a-z0-9]+")


class MenuNotFound(LookupError):
    """The configured restaurant has no imported menu."""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def item_json(menu: Menu, item: MenuItem, category: MenuCategory) -> dict[str, Any]:
    """An item as the API shows it: the card's fields plus its category."""
    return {**item_data(menu, item), "category": category.key}


@dataclass
class _Indexed:
    item: MenuItem
    category: MenuCategory
    strong: list[str]  # label, aliases, tags, category
    weak: list[str]  # description words
    json: dict[str, Any]  # item_json, built once per menu version (shared: never mutated)


@dataclass
class MenuSnapshot:
    """One version of a restaurant's menu, with its JSON body and ETag precomputed."""

    menu: Menu
    version: int
    body: bytes
    etag: str
    # The body gzipped once per version: 66 KB -> 5 KB for the demo menu, and no compression
    # per request (serving the plain body costs most of a menu request's time in the socket).
    body_gzip: bytes
    etag_gzip: str
    _index: list[_Indexed] = field(default_factory=list, repr=False)
    # Query word -> its score against every entry: customers repeat the same few words, and
    # the typo-tolerant comparison was ~60% of a search request's time.
    _word_scores: dict[str, list[float]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, menu: Menu, version: int) -> MenuSnapshot:
        """Precompute what every request needs."""
        items = {(c.key, i.key): item_json(menu, i, c) for c in menu.categories for i in c.items}
        restaurant = menu.restaurant.model_dump(mode="json")
        if menu.restaurant.info is not None:
            # The week's hours for people, so a page shows them as the chat words them. Whether
            # it is open right now is not here: the body is cached per version, not per minute.
            restaurant["hours_text"] = hours_text(menu.restaurant.info)
        document = {
            "restaurant": restaurant,
            "version": version,
            "categories": [
                {
                    "key": c.key,
                    "label": c.label,
                    "items": [items[c.key, i.key] for i in c.items],
                }
                for c in menu.categories
            ],
        }
        body = json.dumps(document, separators=(",", ":")).encode()
        digest = hashlib.sha256(body).hexdigest()[:32]
        etag = f'"{digest}"'
        index = [
            _Indexed(
                item=i,
                category=c,
                strong=sorted(
                    {
                        *_words(i.label),
                        *(w for a in i.aliases for w in _words(a)),
                        *(w for t in i.tags for w in _words(t.replace("_", " "))),
                        *_words(c.label),
                    }
                ),
                weak=sorted(set(_words(i.description))),
                json=items[c.key, i.key],
            )
            for c in menu.categories
            for i in c.items
        ]
        return cls(
            menu=menu,
            version=version,
            body=body,
            etag=etag,
            # mtime=0: the same menu gives the same bytes on every replica.
            body_gzip=gzip.compress(body, 6, mtime=0),
            etag_gzip=f'"{digest}-gz"',  # another representation, so another strong ETag
            _index=index,
        )

    def _scores_of(self, word: str) -> list[float]:
        """The score of `word` against every entry, computed once per word and menu version."""
        scores = self._word_scores.get(word)
        if scores is None:
            if len(self._word_scores) >= _WORD_SCORES_KEPT:
                self._word_scores.clear()  # bounded: made-up words must not grow it forever
            memo: dict[str, float] = {}

            def best(candidates: list[str]) -> float:
                found = 0.0
                for candidate in candidates:
                    value = memo.get(candidate)
                    if value is None:
                        value = memo[candidate] = _match(word, candidate)
                    found = max(found, value)
                return found

            # A word found only in the description counts for less than one in the name.
            scores = [max(best(e.strong), 0.8 * best(e.weak)) for e in self._index]
            self._word_scores[word] = scores
        return scores

    def search(
        self,
        query: str | None = None,
        *,
        category: str | None = None,
        tags: tuple[str, ...] = (),
        allergen_free: tuple[str, ...] = (),
        max_price: Decimal | None = None,
        available_only: bool = False,
        limit: int = 20,
    ) -> list[dict[str, Any]]:
        """Items matching a typo-tolerant text query and the filters, best first."""
        wanted = [w for w in _words(query or "") if w not in _STOPWORDS] or _words(query or "")
        per_word = [self._scores_of(w) for w in wanted]
        scored: list[tuple[float, int, int, _Indexed]] = []
        for position, entry in enumerate(self._index):
            item = entry.item
            if category and entry.category.key != category:
                continue
            if tags and not set(tags) <= set(item.tags):
                continue
            if allergen_free and set(allergen_free) & set(item.allergens):
                continue
            if max_price is not None and item.price > max_price:
                continue
            if available_only and not item.available:
                continue
            score = sum(s[position] for s in per_word) / len(per_word) if per_word else 100.0
            if score >= 75:
                scored.append((-score, len(item.label), position, entry))
        # Best score first; among equals the shorter name ("Coke" before "Cherry Coke").
        scored.sort(key=lambda s: s[:3])
        return [e.json for *_, e in scored[:limit]]


_STOPWORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "a an the and or with without of for to in on me my i some any anything something show "
        "want like have get please what whats is are do you your"
    ).split()
)


def _stem(word: str) -> str:
    # Plurals match singulars: "pepers" -> "peper", "fries" stays useful as "frie".
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _allowed_edits(word: str) -> int:
    # Short words need an exact match: "tea" must not find "pea"; long ones tolerate two typos.
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


_WORD_SCORES_KEPT = 4096


def _match(word: str, candidate: str) -> float:
    """How well one query word matches one indexed word (0 when it does not)."""
    if candidate == word:
        return 100.0
    if len(word) >= 3 and candidate.startswith(word):
        return 95.0
    stem, cstem = _stem(word), _stem(candidate)
    if cstem == stem:
        return 98.0
    allowed = _allowed_edits(stem)
    if (
        allowed
        and abs(len(cstem) - len(stem)) <= allowed
        and DamerauLevenshtein.distance(stem, cstem, score_cutoff=allowed) <= allowed
    ):
        return 90.0
    return 0.0


class MenuService:
    """Loads a restaurant's menu from PostgreSQL and keeps the current version in memory."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        restaurant: str,
        cache_seconds: float = 5.0,
    ) -> None:
        self._sessions = sessions
        self._restaurant = restaurant
        self._cache_seconds = cache_seconds
        self._snapshot: MenuSnapshot | None = None
        self._checked_at = 0.0
        self._lock = asyncio.Lock()

    @property
    def restaurant(self) -> str:
        """The key of the restaurant served."""
        return self._restaurant

    async def snapshot(self, *, fresh: bool = False) -> MenuSnapshot:
        """The current menu; at most one cheap version query every `cache_seconds`, or one now
        when `fresh` (checkout: a sold out or a pause made on another replica counts at once)."""
        if (
            not fresh
            and self._snapshot is not None
            and time.monotonic() - self._checked_at < self._cache_seconds
        ):
            return self._snapshot
        asked = time.monotonic()
        async with self._lock:
            # Checked meanwhile by another caller: recently enough, or (fresh) since this began.
            since = asked if fresh else time.monotonic() - self._cache_seconds
            if self._snapshot is not None and self._checked_at > since:
                return self._snapshot
            async with self._sessions() as session:
                version = (
                    await session.execute(
                        select(Restaurant.menu_version).where(
                            col(Restaurant.key) == self._restaurant
                        )
                    )
                ).scalar_one_or_none()
                if version is None:
                    raise MenuNotFound(
                        f"no menu imported for restaurant {self._restaurant!r}: "
                        "run `restaurant seed` or `restaurant import-menu FILE`"
                    )
                if self._snapshot is None or self._snapshot.version != version:
                    menu, version = await load_menu_from_db(session, self._restaurant)
                    self._snapshot = MenuSnapshot.build(menu, version)
            self._checked_at = time.monotonic()
            return self._snapshot

    def invalidate(self) -> None:
        """Check the version on the next read (after an import in this process)."""
        self._checked_at = 0.0


async def load_menu_from_db(session: AsyncSession, restaurant_key: str) -> tuple[Menu, int]:
    """Rebuild the `Menu` model of a restaurant from its rows (five small queries)."""
    restaurant = (
        await session.execute(select(Restaurant).where(col(Restaurant.key) == restaurant_key))
    ).scalar_one_or_none()
    if restaurant is None:
        raise MenuNotFound(f"no menu imported for restaurant {restaurant_key!r}")
    rid = restaurant.id
    groups = (
        (
            await session.execute(
                select(OptionGroup)
                .where(col(OptionGroup.restaurant_id) == rid)
                .order_by(col(OptionGroup.position))
            )
        )
        .scalars()
        .all()
    )
    options = (
        (
            await session.execute(
                select(MenuOption)
                .where(col(MenuOption.group_id).in_([g.id for g in groups]))
                .order_by(col(MenuOption.position))
            )
        )
        .scalars()
        .all()
    )
    categories = (
        (
            await session.execute(
                select(Category)
                .where(col(Category.restaurant_id) == rid)
                .order_by(col(Category.position))
            )
        )
        .scalars()
        .all()
    )
    items = (
        (
            await session.execute(
                select(Item).where(col(Item.restaurant_id) == rid).order_by(col(Item.position))
            )
        )
        .scalars()
        .all()
    )
    links = (
        (
            await session.execute(
                select(ItemOptionGroup)
                .where(col(ItemOptionGroup.item_id).in_([i.id for i in items]))
                .order_by(col(ItemOptionGroup.position))
            )
        )
        .scalars()
        .all()
    )
    group_key = {g.id: g.key for g in groups}
    options_of: dict[Any, list[MenuOptionModel]] = {}
    for o in options:
        options_of.setdefault(o.group_id, []).append(
            MenuOptionModel(
                key=o.key,
                label=o.label,
                price=o.price,
                aliases=tuple(o.aliases),
                default=o.is_default,
                available=o.available,
            )
        )
    groups_of: dict[Any, list[str]] = {}
    for link in links:
        groups_of.setdefault(link.item_id, []).append(group_key[link.group_id])
    items_of: dict[Any, list[MenuItem]] = {}
    for i in items:
        items_of.setdefault(i.category_id, []).append(
            MenuItem(
                key=i.key,
                label=i.label,
                price=i.price,
                aliases=tuple(i.aliases),
                description=i.description,
                image=i.image,
                tags=tuple(i.tags),
                allergens=tuple(i.allergens),
                available=i.available,
                option_groups=tuple(groups_of.get(i.id, ())),
            )
        )
    menu = Menu(
        restaurant=MenuRestaurant(
            key=restaurant.key,
            name=restaurant.name,
            currency=restaurant.currency,
            ordering_paused=restaurant.ordering_paused,
            info=(
                RestaurantInfo.model_validate(restaurant.info)
                if restaurant.info is not None
                else None
            ),
        ),
        option_groups=tuple(
            MenuGroup(
                key=g.key,
                label=g.label,
                select=g.selection,
                required=g.required,
                min=g.min_choices,
                max=g.max_choices,
                qualifiers=tuple(g.qualifiers),
                excludable=g.excludable,
                options=tuple(options_of.get(g.id, ())),
            )
            for g in groups
        ),
        categories=tuple(
            MenuCategory(key=c.key, label=c.label, items=tuple(items_of[c.id]))
            for c in categories
            if items_of.get(c.id)
        ),
    )
    return menu, restaurant.menu_version
