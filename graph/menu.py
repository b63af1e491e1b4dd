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
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

FORMAT: Literal["restaurant-menu/1"] = "restaurant-menu/1"
KEY_PATTERN = r"^[a-z0-9._]+$"
_KEY_RE = re.compile(KEY_PATTERN)
Qualifier = Literal["light", "extra"]
Select = Literal["one", "many"]
DIETARY_TAGS = ("vegetarian", "vegan", "spicy", "gluten_free", "halal", "popular", "new")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # in `date.weekday()` order
# A time of day on the 24-hour clock; a closing time may also be 24:00 (the end of the day).
OPEN_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
CLOSE_PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
# Money fields of the format: decimal strings, never JSON floats.
_MONEY_FIELDS = frozenset(("price", "fee", "minimum"))


# A group of sizes says so in its key or label ("pizza_size", "Drink Size").
_SIZE = re.compile(r"\bsizes?\b")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One choice inside an option group (a topping, a size, a container)."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1)
    price: Decimal = Decimal("0")
    aliases: tuple[str, ...] = ()
    default: bool = False
    available: bool = True  # False: sold out for now (staff mark it so)


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

    def available_options(self) -> tuple[Option, ...]:
        """The options not sold out, in the group's order."""
        return tuple(o for o in self.options if o.available)

    @property
    def is_size(self) -> bool:
        """Whether this is a pick-one group of sizes ("pizza_size", "Drink Size")."""
        return self.select == "one" and _SIZE.search(f"{self.key} {self.label}".lower()) is not None


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


def clock_minutes(value: str) -> int:
    """'17:30' -> 1050, minutes since midnight ('24:00' -> 1440)."""
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


class Opening(_Strict):
    """One opening interval of a day; a close at or before the open is after midnight."""

    open: str = Field(pattern=OPEN_PATTERN)
    close: str = Field(pattern=CLOSE_PATTERN)

    @property
    def minutes(self) -> tuple[int, int]:
        """(open, close) in minutes from the day's midnight; close > open, up to 2880."""
        start, end = clock_minutes(self.open), clock_minutes(self.close)
        return start, end if end > start else end + 1440


class OpeningHours(_Strict):
    """The week's opening intervals, per weekday; a day left out (or empty) is closed."""

    mon: tuple[Opening, ...] = ()
    tue: tuple[Opening, ...] = ()
    wed: tuple[Opening, ...] = ()
    thu: tuple[Opening, ...] = ()
    fri: tuple[Opening, ...] = ()
    sat: tuple[Opening, ...] = ()
    sun: tuple[Opening, ...] = ()

    def of(self, weekday: int) -> tuple[Opening, ...]:
        """The intervals of a weekday (0 = Monday, as `date.weekday()` counts)."""
        openings: tuple[Opening, ...] = getattr(self, WEEKDAYS[weekday])
        return openings


class Delivery(_Strict):
    """Where and on what terms the restaurant delivers."""

    postcodes: tuple[Annotated[str, Field(min_length=1, max_length=16)], ...] = ()
    radius_km: float | None = Field(default=None, gt=0, le=100)
    fee: Decimal = Field(ge=0, decimal_places=2)
    minimum: Decimal = Field(default=Decimal("0"), ge=0, decimal_places=2)


class RestaurantInfo(_Strict):
    """The restaurant's address, phone, time zone, hours, preparation times and delivery."""

    address: str = Field(min_length=1, max_length=300)
    phone: str = Field(min_length=1, max_length=40)
    timezone: str
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    hours: OpeningHours
    pickup_minutes: int = Field(gt=0, le=1440)
    delivery_minutes: int | None = Field(default=None, gt=0, le=1440)
    delivery: Delivery | None = None  # None: pickup (and dine-in) only

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            # "localtime" would be whatever the server's clock is set to, not the restaurant's.
            if value == "localtime":
                raise ValueError(value)
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as 'America/New_York'"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The restaurant's time zone."""
        return ZoneInfo(self.timezone)


class Restaurant(_Strict):
    """Who serves the menu."""

    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    info: RestaurantInfo | None = None  # optional: hours, contact, delivery terms
    # New orders paused by a manager: what customers are told ("kitchen full, back in 20
    # minutes"); None while orders are taken. Set by staff on the live menu, not in a file.
    ordering_paused: str | None = Field(default=None, max_length=300)


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

    def size_group(self, item: Item) -> OptionGroup | None:
        """The item's pick-one group of sizes ("pizza_size", "Drink Size"), if it has one."""
        return next((group for group in self.groups_of(item) if group.is_size), None)


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
    if menu.restaurant.info is not None:
        problems += _info_problems(menu.restaurant.info)
    return problems


def _info_problems(info: RestaurantInfo) -> list[str]:
    """The restaurant block's rules: sane hours, a delivery area, a location for a radius."""
    where = "$.restaurant.info"
    problems: list[str] = []
    # Every interval on one week's clock (minutes from Monday 00:00), with its place and times;
    # one that closes after midnight runs into the next day, and Sunday's into Monday.
    week: list[tuple[int, int, str, str]] = []
    for day, name in enumerate(WEEKDAYS):
        for i, opening in enumerate(info.hours.of(day)):
            place = f"{name}[{i}]"
            if opening.open == opening.close:
                problems.append(
                    f"{where}.hours.{place}: opens and closes at the same time "
                    "(use 00:00 to 24:00 for a whole day)"
                )
                continue
            start, end = opening.minutes
            times = f"{opening.open}-{opening.close}"
            week.append((day * 1440 + start, day * 1440 + end, place, times))
    if not week and not problems:
        problems.append(
            f"{where}.hours: no day has opening hours, so no order could ever be placed "
            "(a day left out is closed)"
        )
    week.sort()
    reach: tuple[int, str] | None = None  # the furthest-reaching interval so far: end, name
    for start, end, place, times in week:
        if reach is not None and start < reach[0]:
            problems.append(f"{where}.hours.{place}: overlaps {reach[1]}")
        if reach is None or end > reach[0]:
            reach = (end, f"{place} ({times})")
    last = max(week, key=lambda w: w[1], default=None)
    if last is not None and len(week) > 1 and last[1] - 7 * 1440 > week[0][0]:
        problems.append(
            f"{where}.hours.{last[2]}: overlaps {week[0][2]} ({week[0][3]}) of the next week"
        )
    if (info.latitude is None) != (info.longitude is None):
        missing = "latitude" if info.latitude is None else "longitude"
        problems.append(f"{where}.{missing}: latitude and longitude go together")
    delivery = info.delivery
    if delivery is not None:
        if not delivery.postcodes and delivery.radius_km is None:
            problems.append(
                f"{where}.delivery: give the area delivered to: postcodes, radius_km or both"
            )
        for i, postcode in enumerate(delivery.postcodes):
            if not postcode.strip():
                problems.append(f"{where}.delivery.postcodes[{i}]: must not be blank")
        if delivery.radius_km is not None and info.latitude is None and info.longitude is None:
            problems.append(
                f"{where}.latitude: the restaurant's latitude and longitude are required "
                "with delivery.radius_km"
            )
        if info.delivery_minutes is None:
            problems.append(f"{where}.delivery_minutes: required when the restaurant delivers")
    return problems


def _pydantic_problem(error: Any) -> str:
    loc = tuple(error["loc"])
    pattern = (error.get("ctx") or {}).get("pattern")
    if error["type"] == "decimal_parsing":
        rule = "must be a decimal string such as '9.50'"
    elif error["type"] == "string_pattern_mismatch" and pattern in (OPEN_PATTERN, CLOSE_PATTERN):
        closing = " (or 24:00 for the end of the day)" if pattern == CLOSE_PATTERN else ""
        rule = f"must be a time such as '11:00' or '22:30' on the 24-hour clock{closing}"
    elif error["type"] == "string_pattern_mismatch":
        rule = f"{error['msg'].lower()} (keys use a-z, 0-9, '.' and '_')"
    elif error["type"] == "extra_forbidden":
        rule = "is not a field of the menu format"
    elif error["type"] == "value_error":
        rule = str(error["msg"]).removeprefix("Value error, ")
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
    """Prices, fees and minimums are decimal strings; refuse floats, which lose cents silently."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key in _MONEY_FIELDS and isinstance(value, float):
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
    "WEEKDAYS",
    "Category",
    "Delivery",
    "Item",
    "Menu",
    "MenuError",
    "Opening",
    "OpeningHours",
    "Option",
    "OptionGroup",
    "Restaurant",
    "RestaurantInfo",
    "clock_minutes",
    "is_key",
    "load_menu",
    "parse_menu",
]
