"""The menu file format (`restaurant-menu/1`) and its validation.

Pure data: the offline understanding builds its lexicon from a `Menu`, the service imports one
into PostgreSQL, and the tests build in-memory catalogs from one. Validation collects every
problem with its JSON path, so an operator fixes a broken file in one pass.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FORMAT: Literal["restaurant-menu/1"] = "restaurant-menu/1"
KEY_PATTERN = r"^[a-z0-9._]+$"
_KEY_RE = re.compile(KEY_PATTERN)
Qualifier = Literal["light", "extra"]
Select = Literal["one", "many"]
DIETARY_TAGS = ("vegetarian", "vegan", "spicy", "gluten_free", "halal", "popular", "new")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One choice inside an option group (a topping, a size, a container)."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    price: Decimal = Decimal("0")
    aliases: tuple[str, ...] = ()
    default: bool = False


class OptionGroup(_Strict):
    """A set of options an item takes: select one or many, with qualifiers and exclusions."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    select: Select
    required: bool = False
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=1)
    qualifiers: tuple[Qualifier, ...] = ()
    excludable: bool = False
    options: tuple[Option, ...] = Field(min_length=1)

    def option(self, key: str) -> Option | None:
        """The option with this key, if the group has it."""
        return next((o for o in self.options if o.key == key), None)


class Item(_Strict):
    """A dish or drink a customer can order."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    price: Decimal
    aliases: tuple[str, ...] = ()
    description: str = ""
    image: str | None = None
    tags: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    available: bool = True
    option_groups: tuple[str, ...] = ()


class Category(_Strict):
    """A section of the menu."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)


class Restaurant(_Strict):
    """Who serves the menu."""

    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")


class Menu(_Strict):
    """A whole menu file."""

    format: Literal["restaurant-menu/1"] = FORMAT
    restaurant: Restaurant
    option_groups: tuple[OptionGroup, ...] = ()
    categories: tuple[Category, ...] = Field(min_length=1)

    def items(self) -> list[Item]:
        """Every item, in menu order."""
        return [item for category in self.categories for item in category.items]

    def item(self, key: str) -> Item | None:
        """The item with this key, if any."""
        return next((i for i in self.items() if i.key == key), None)

    def group(self, key: str) -> OptionGroup | None:
        """The option group with this key, if any."""
        return next((g for g in self.option_groups if g.key == key), None)

    def groups_of(self, item: Item) -> list[OptionGroup]:
        """The option groups an item takes, in the item's order."""
        by_key = {g.key: g for g in self.option_groups}
        return [by_key[k] for k in item.option_groups if k in by_key]


class MenuError(ValueError):
    """A menu file that breaks the format; `problems` lists each as 'path: rule'."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {source}: {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the menu file\n{lines}")


def _json_path(loc: tuple[int | str, ...]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _semantic_problems(menu: Menu) -> list[str]:
    """Rules that span several places: unique keys, known group references, sane bounds."""
    problems: list[str] = []
    group_keys: dict[str, int] = {}
    for gi, group in enumerate(menu.option_groups):
        where = f"$.option_groups[{gi}]"
        if group.key in group_keys:
            problems.append(f"{where}.key: duplicate option group key {group.key!r}")
        group_keys[group.key] = gi
        seen: set[str] = set()
        for oi, option in enumerate(group.options):
            if option.key in seen:
                problems.append(f"{where}.options[{oi}].key: duplicate option key {option.key!r}")
            seen.add(option.key)
            if option.price < 0:
                problems.append(f"{where}.options[{oi}].price: price must not be negative")
        if group.min is not None and group.max is not None and group.min > group.max:
            problems.append(f"{where}.min: min ({group.min}) is greater than max ({group.max})")
        if group.select == "one" and group.max not in (None, 1):
            problems.append(f"{where}.max: a select-one group takes at most 1 option")
    item_keys: set[str] = set()
    category_keys: set[str] = set()
    for ci, category in enumerate(menu.categories):
        if category.key in category_keys:
            problems.append(f"$.categories[{ci}].key: duplicate category key {category.key!r}")
        category_keys.add(category.key)
        for ii, item in enumerate(category.items):
            where = f"$.categories[{ci}].items[{ii}]"
            if item.key in item_keys:
                problems.append(f"{where}.key: duplicate item key {item.key!r}")
            item_keys.add(item.key)
            if item.price < 0:
                problems.append(f"{where}.price: price must not be negative")
            for gi, ref in enumerate(item.option_groups):
                if ref not in group_keys:
                    problems.append(f"{where}.option_groups[{gi}]: unknown option group {ref!r}")
    return problems


def _pydantic_problem(error: Any) -> str:
    loc = tuple(error["loc"])
    if error["type"] == "decimal_parsing":
        rule = "must be a decimal string such as '9.50'"
    elif error["type"] == "string_pattern_mismatch":
        rule = f"{error['msg'].lower()} (keys use a-z, 0-9, '.' and '_')"
    elif error["type"] == "extra_forbidden":
        rule = "is not a field of the menu format"
    else:
        rule = error["msg"][0].lower() + error["msg"][1:]
    return f"{_json_path(loc)}: {rule}"


def parse_menu(data: Any, source: str = "<menu>") -> Menu:
    """Validate a decoded menu document; raise `MenuError` listing every problem."""
    if not isinstance(data, dict):
        raise MenuError(source, ["$: the menu must be a JSON object"])
    if data.get("format") != FORMAT:
        raise MenuError(source, [f"$.format: must be {FORMAT!r}, got {data.get('format')!r}"])
    try:
        menu = Menu.model_validate(_coerce_prices(data))
    except ValidationError as exc:
        raise MenuError(source, [_pydantic_problem(e) for e in exc.errors()]) from None
    problems = _semantic_problems(menu)
    if problems:
        raise MenuError(source, problems)
    return menu


def _coerce_prices(data: Any) -> Any:
    """Prices are decimal strings; refuse floats, which lose cents silently."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key == "price" and isinstance(value, float):
                out[key] = f"not-a-decimal:{value}"
            else:
                out[key] = _coerce_prices(value)
        return out
    if isinstance(data, list):
        return [_coerce_prices(v) for v in data]
    return data


def load_menu(path: str | Path) -> Menu:
    """Read and validate a menu file; errors name the file, the JSON path and the rule."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MenuError(str(path), [f"$: cannot read the file ({exc.strerror})"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MenuError(
            str(path), [f"$: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    return parse_menu(data, str(path))


def is_key(value: str) -> bool:
    """Whether a string is a valid menu key."""
    return bool(_KEY_RE.match(value))


__all__ = [
    "DIETARY_TAGS",
    "FORMAT",
    "Category",
    "Item",
    "Menu",
    "MenuError",
    "Option",
    "OptionGroup",
    "Restaurant",
    "is_key",
    "load_menu",
    "parse_menu",
]
