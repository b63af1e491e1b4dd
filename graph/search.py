"""Finding dishes for people: dietary fits, courses, recommendations, in the order a customer
wants to read them (mains, then sides, then desserts, then drinks). Pure: a `Menu` in, items out.

An item fits a dietary wish by its tag ("vegetarian"), by its name ("Veggie Delite", "Vegan
Burger") or by an option it takes ("Pizza" with the vegetarian style, a burrito with the veggie
filling). Menus without tags are common (none of the sample menus has one), so names and options
count, a little behind tags.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from decimal import Decimal

from graph.menu import Category, Item, Menu
from graph.nlu.edits import singular
from graph.nlu.words import DISH_WORDS, WARM_DISH

# Words of a category's key or label, by course: 0 mains (anything not listed), 1 sides,
# 2 desserts, 3 drinks.
_COURSES = (
    (1, frozenset({"side", "sides", "extra", "extras", "snack", "snacks", "starter", "starters",
                   "appetizer", "appetizers", "chip", "chips", "dip", "dips", "sauce", "sauces"})),
    (2, frozenset({"dessert", "desserts", "sweet", "sweets", "cookie", "cookies", "bakery",
                   "treat", "treats"})),
    (3, frozenset({"drink", "drinks", "beverage", "beverages", "soda", "sodas", "juice",
                   "juices", "shake", "shakes"})),
)  # fmt: skip
# Words in a dish's or an option's name that say it fits a dietary tag.
_DIET_WORDS: dict[str, tuple[str, ...]] = {
    "vegetarian": DISH_WORDS["vegetarian"],
    "vegan": ("vegan", "plant based"),
    "gluten_free": ("gluten free", "gf", "cauliflower crust", "keto"),
    "spicy": DISH_WORDS["spicy"],
    "halal": ("halal",),
}


def course(category: Category) -> int:
    """0 for a main course, 1 sides, 2 desserts, 3 drinks: from the category's own words."""
    words = set(re.findall(r"[a-z]+", f"{category.key} {category.label}".lower()))
    for rank, known in _COURSES:
        if words & known:
            return rank
    return 0


def categories(menu: Menu) -> list[Category]:
    """The menu's categories, mains first, each course in the menu's own order."""
    return sorted(menu.categories, key=course)


def in_course_order(menu: Menu, items: Iterable[Item]) -> list[Item]:
    """Items ordered as a customer reads a menu: by course, then in menu order."""
    order = _ORDERS.get(menu)
    if order is None:
        order = {
            item.key: (course(category), c, i)
            for c, category in enumerate(menu.categories)
            for i, item in enumerate(category.items)
        }
        _ORDERS[menu] = order
    return sorted(items, key=lambda item: order.get(item.key, (9, 0, 0)))


# Built once per menu (a menu is immutable: a new version is a new object).
_ORDERS: weakref.WeakKeyDictionary[Menu, dict[str, tuple[int, int, int]]] = (
    weakref.WeakKeyDictionary()
)


def _says(text: str, words: Sequence[str]) -> bool:
    return any(re.search(rf"\b{re.escape(word)}\b", text) for word in words)


def diet_fit(menu: Menu, item: Item, tag: str) -> int:
    """How an item fits a dietary tag: 3 by its tag, 2 by its name, 1 by an option it takes
    (the customer picks it), 0 not at all."""
    if tag in item.tags:
        return 3
    words = _DIET_WORDS.get(tag, (tag.replace("_", " "),))
    name = WARM_DISH.sub("", " ".join((item.label, item.key.replace("_", " "), *item.aliases)))
    name = name.lower()
    if _says(name, words):
        return 2
    for group in menu.groups_of(item):
        for option in group.options:
            if _says(" ".join((option.label, *option.aliases)).lower(), words):
                return 1
    return 0


def dietary(menu: Menu, tags: Sequence[str], items: Iterable[Item] | None = None) -> list[Item]:
    """Available items fitting every tag, best fits first, mains before sides before drinks."""
    pool = [i for i in (menu.items() if items is None else items) if i.available]
    scored = [(min(diet_fit(menu, i, t) for t in tags), i) for i in pool] if tags else []
    fits = [(score, i) for score, i in scored if score > 0]
    order = {item.key: k for k, item in enumerate(in_course_order(menu, [i for _, i in fits]))}
    # A main that fits through an option still comes before a side that fits by its tag: what
    # to eat first, then how well it fits.
    return sorted(
        (i for _, i in fits),
        key=lambda i: (_course_of(menu, i), -next(s for s, x in fits if x is i), order[i.key]),
    )


def _course_of(menu: Menu, item: Item) -> int:
    for category in menu.categories:
        if any(i.key == item.key for i in category.items):
            return course(category)
    return 9


def options_fitting(menu: Menu, item: Item, tag: str) -> list[str]:
    """The option labels through which an item fits a tag ("Vegetarian" style)."""
    words = _DIET_WORDS.get(tag, (tag.replace("_", " "),))
    return [
        option.label
        for group in menu.groups_of(item)
        for option in group.options
        if _says(" ".join((option.label, *option.aliases)).lower(), words)
    ]


def recommended(menu: Menu, limit: int = 6) -> list[Item]:
    """What's good here: the items tagged popular, else the first dish of each main category,
    then of the other courses."""
    popular = [i for i in menu.items() if i.available and "popular" in i.tags]
    if popular:
        return in_course_order(menu, popular)[:limit]
    picks: list[Item] = []
    for category in categories(menu):
        first = next((i for i in category.items if i.available), None)
        if first is not None:
            picks.append(first)
    return picks[:limit]


def matching(menu: Menu, words: Iterable[str]) -> list[Item]:
    """Available items whose name, aliases or category name has one of the words ("shakes",
    "cookies", "drinks"), in course order."""
    wanted = {_stem(w) for w in words if len(w) > 2}
    if not wanted:
        return []
    found = [item for item, mine in _names_of(menu) if item.available and wanted & mine]
    return in_course_order(menu, found)


_NAMES: weakref.WeakKeyDictionary[Menu, list[tuple[Item, frozenset[str]]]] = (
    weakref.WeakKeyDictionary()
)


def _names_of(menu: Menu) -> list[tuple[Item, frozenset[str]]]:
    """Each item with the stems of its names and its category's, built once per menu."""
    found = _NAMES.get(menu)
    if found is None:
        found = []
        for category in menu.categories:
            kind = f"{category.key} {category.label}".lower()
            for item in category.items:
                names = " ".join((item.label, item.key.replace("_", " "), *item.aliases, kind))
                stems = frozenset(_stem(w) for w in re.findall(r"[a-z]+", names.lower()))
                found.append((item, stems))
        _NAMES[menu] = found
    return found


def alternatives(menu: Menu, item: Item, limit: int = 3) -> list[Item]:
    """The closest available items to one sold out: its own category first, then the same
    course; within each, the most name words and tags in common, then the nearest price."""
    mine = next((c for c in menu.categories if any(i.key == item.key for i in c.items)), None)
    names = {i.key: stems for i, stems in _names_of(menu)}
    words = names.get(item.key, frozenset()) - _category_words(mine)
    ranked: list[tuple[int, int, int, Decimal, int, Item]] = []
    position = 0
    for category in menu.categories:
        same = category is mine
        same_course = mine is not None and course(category) == course(mine)
        for other in category.items:
            position += 1
            if other.key == item.key or not other.available:
                continue
            common = len(words & (names[other.key] - _category_words(category)))
            tags = len(set(item.tags) & set(other.tags))
            if not (same or same_course or common):
                continue  # a drink is no alternative to a pizza
            rank = 0 if same else 1 if same_course else 2
            ranked.append((rank, -common, -tags, abs(other.price - item.price), position, other))
    ranked.sort(key=lambda r: r[:5])
    return [r[-1] for r in ranked[:limit]]


# Words for fizzy drinks, and the heads of drinks' names that are none ("what sodas do you
# have": the drinks, but not the water, juice, tea or shakes).
_SODA_WORDS = frozenset({"soda", "pop", "fizzy", "soft"})
_NOT_SODA = frozenset({"water", "milk", "juice", "tea", "coffee", "cocoa", "chocolate", "shake",
                       "milkshake", "smoothie", "lemonade", "punch", "latte", "espresso",
                       "cappuccino", "americano", "mocha", "gatorade", "powerade"})  # fmt: skip


def of_kind(menu: Menu, word: str) -> list[Item]:
    """The available items a customer's word for a kind names ("what chips do you have",
    "which sodas", "what drinks"), in course order; [] when the word names no kind.

    A category named by the word is that kind ("drinks", "sides"), narrowed to the dishes
    named with the word when its label joins several kinds ("Burgers & Sandwiches"). Else the
    dishes whose names end in the word ("Sun Chips", "Oatmeal Cookie"; not "Chocolate Chip",
    which is short for "Chocolate Chip Cookie"), with a dish of no kind of its own listed among
    them ("Doritos" between two bags of chips); else a course's word ("sodas", "beverages") names
    the categories of that course.
    """
    head = singular(word.lower())
    if len(head) < 3:
        return []
    kinds = _kinds_of(menu)
    named = [c for c in menu.categories if head in _label_heads(c)]
    if head in _SODA_WORDS:
        found = [i for c in menu.categories if course(c) == 3 for i in c.items]
        found = [i for i in found if not _heads(i) & _NOT_SODA]
    elif named:
        found = [i for c in named for i in c.items]
        if any(len(_label_words(c) - {"and"}) > 1 for c in named) and kinds.get(head):
            found = [i for i in found if i.key in kinds[head]]
    elif kinds.get(head):
        found = [i for i in menu.items() if i.key in kinds[head]]
    else:
        # "what desserts": the dessert categories, or dishes named as one ("cookies")
        known = {singular(w) for rank, words in _COURSES if head in words for w in words}
        ranks = [rank for rank, words in _COURSES if head in words]
        found = [
            i for c in menu.categories for i in c.items if course(c) in ranks or _heads(i) & known
        ]
    return in_course_order(menu, [i for i in found if i.available])


def _label_words(category: Category) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", category.label.lower()))


def _label_heads(category: Category) -> frozenset[str]:
    return frozenset(singular(w) for w in _label_words(category))


def _heads(item: Item) -> frozenset[str]:
    """The last words of an item's names, singular, but not of a name that a longer one goes
    on from ("chocolate chip" of "chocolate chip cookie": the chip is no head there)."""
    said = (item.label, *item.aliases)
    names = [[singular(w) for w in re.findall(r"[a-z]+", n.lower())] for n in said]
    names = [n for n in names if n]
    return frozenset(
        name[-1]
        for name in names
        if not any(len(other) > len(name) and other[: len(name)] == name for other in names)
    )


_KINDS: weakref.WeakKeyDictionary[Menu, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()


def _kinds_of(menu: Menu) -> dict[str, frozenset[str]]:
    """Each head word of the menu's names with the items it heads, built once per menu. An item
    whose heads no other item of its category shares, between two items of one kind in the
    menu's order, is of that kind too (menus list like things together)."""
    found = _KINDS.get(menu)
    if found is not None:
        return found
    kinds: dict[str, set[str]] = {}
    for item in menu.items():
        for head in _heads(item):
            kinds.setdefault(head, set()).add(item.key)
    for category in menu.categories:
        items = category.items
        for at in range(1, len(items) - 1):
            mine = _heads(items[at])
            if mine & _label_heads(category) or any(
                kinds[h] & ({i.key for i in items} - {items[at].key}) for h in mine if h in kinds
            ):
                continue  # a kind of its own: "Chicken Sandwich" among the burgers
            before, after = _heads(items[at - 1]), _heads(items[at + 1])
            for head in before & after:
                kinds[head].add(items[at].key)
    found = {head: frozenset(keys) for head, keys in kinds.items()}
    _KINDS[menu] = found
    return found


def _category_words(category: Category | None) -> frozenset[str]:
    if category is None:
        return frozenset()
    words = re.findall(r"[a-z]+", f"{category.key} {category.label}".lower())
    return frozenset(_stem(w) for w in words)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


__all__ = [
    "alternatives",
    "categories",
    "course",
    "diet_fit",
    "dietary",
    "in_course_order",
    "matching",
    "of_kind",
    "options_fitting",
    "recommended",
]
