"""Shared helpers for the offline-understanding tests: menus, lexicons, and order comparison."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from graph.menu import load_menu
from graph.nlu import Lexicon, Reading, read

# The shared menus and dev orders, copied into the repository (tests/data/README.md).
MENUS_DIR = Path(__file__).resolve().parents[1] / "data" / "menus"
DEV_DIR = MENUS_DIR.parent / "orders-dev"
DATA_DIR = Path(__file__).parent / "data"
MENU_NAMES = ("pizzeria", "burger", "burrito", "coffee", "sub")
# The demo venue's menu (seeds/demo.json), read as menu "demo".
DEMO_MENU = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"

Line = tuple[str, int, frozenset[tuple[str, str, str | None, bool]]]


@cache
def lexicon(menu: str) -> Lexicon:
    """The lexicon of one shared menu (or "demo"), built once per test session."""
    path = DEMO_MENU if menu == "demo" else MENUS_DIR / f"{menu}.json"
    return Lexicon.from_menu(load_menu(path))


def reading(menu: str, text: str) -> Reading:
    """Read a message against one of the shared menus."""
    return read(lexicon(menu), text)


def canon(items: list[dict[str, Any]]) -> Counter[Line]:
    """Order lines as an unordered multiset of (item, quantity, set of choices)."""
    out: Counter[Line] = Counter()
    for it in items:
        choices = frozenset(
            (c["group"], c["option"], c.get("qualifier"), bool(c.get("exclude")))
            for c in it.get("choices", [])
        )
        out[(it["item"], int(it.get("quantity", 1)), choices)] += 1
    return out


def items_of(menu: str, text: str) -> Counter[Line]:
    """The order lines read from a message, in comparable form."""
    return canon(reading(menu, text).to_json()["items"])


def rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a jsonl file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def spec(text: str) -> Counter[Line]:
    """Expected lines in shorthand: "pizza x2 pizza_size.large -toppings.onions ; coke".

    `-` excludes an option, `+` asks for extra and `~` for light.
    """
    items: list[dict[str, Any]] = []
    for part in text.split(";"):
        words = part.split()
        if not words:
            continue
        line: dict[str, Any] = {"item": words[0], "quantity": 1, "choices": []}
        for word in words[1:]:
            if word.startswith("x") and word[1:].isdigit():
                line["quantity"] = int(word[1:])
                continue
            choice: dict[str, Any] = {}
            if word.startswith("-"):
                choice["exclude"] = True
                word = word[1:]
            if word.endswith("+"):
                choice["qualifier"] = "extra"
                word = word[:-1]
            elif word.endswith("~"):
                choice["qualifier"] = "light"
                word = word[:-1]
            choice["group"], choice["option"] = word.split(".", 1)
            line["choices"].append(choice)
        items.append(line)
    return canon(items)
