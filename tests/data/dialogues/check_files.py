"""Validate the dialogue files in this folder against their menus.

Usage (from anywhere):

    python3 tests/data/dialogues/check_files.py            # every VENUE.jsonl here
    python3 tests/data/dialogues/check_files.py demo.jsonl # just some of them

Each `VENUE.jsonl` holds one conversation a line in the format of `dialogue-format.md`:
`{"turns": [...], "cart": [...], "checks": [...]}`. The menu for `demo` is `seeds/demo.json`;
the others are `tests/data/menus/VENUE.json` (relative to the repository root). Standard library
only. Prints one line per problem and exits with status 1 if there are any. Files elsewhere (the
blind batches) are checked when named by their path.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]

TOP_KEYS = {"turns", "cart", "checks"}
LINE_KEYS = {"item", "quantity", "choices"}
CHOICE_KEYS = {"group", "option", "qualifier", "exclude"}
CHECK_KEYS = {"turn", "reply_has", "menu_card_has", "menu_card_top", "menu_card_lacks"}
CARD_KEYS = ("menu_card_has", "menu_card_top", "menu_card_lacks")


def menu_path(venue: str) -> Path:
    if venue == "demo":
        return REPO / "seeds" / "demo.json"
    return REPO / "tests" / "data" / "menus" / f"{venue}.json"


class Menu:
    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.groups = {g["key"]: g for g in data["option_groups"]}
        self.options = {key: {o["key"]: o for o in g["options"]} for key, g in self.groups.items()}
        self.items = {i["key"]: i for c in data["categories"] for i in c["items"]}


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_choice(menu: Menu, item: dict, choice: object, where: str) -> list[str]:
    if not isinstance(choice, dict):
        return [f"{where}: a choice must be an object"]
    problems = []
    extra = set(choice) - CHOICE_KEYS
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    group, option = choice.get("group"), choice.get("option")
    if group not in menu.groups:
        return [*problems, f"{where}: no option group {group!r} in the menu"]
    if group not in item["option_groups"]:
        problems.append(f"{where}: item {item['key']!r} does not take group {group!r}")
    if option not in menu.options[group]:
        problems.append(f"{where}: group {group!r} has no option {option!r}")
    if "qualifier" in choice:
        qualifier = choice["qualifier"]
        if qualifier not in ("light", "extra"):
            problems.append(f"{where}: qualifier {qualifier!r} is not light/extra")
        elif qualifier not in menu.groups[group].get("qualifiers", []):
            problems.append(f"{where}: group {group!r} does not allow qualifier {qualifier!r}")
    if "exclude" in choice:
        if choice["exclude"] is not True:
            problems.append(f"{where}: exclude must be true when present")
        elif not menu.groups[group].get("excludable"):
            problems.append(f"{where}: group {group!r} is not excludable")
        if "qualifier" in choice:
            problems.append(f"{where}: an excluded option cannot have a qualifier")
    return problems


def check_line(menu: Menu, line: object, where: str) -> list[str]:
    if not isinstance(line, dict):
        return [f"{where}: a cart line must be an object"]
    problems = []
    extra = set(line) - LINE_KEYS
    missing = LINE_KEYS - set(line)
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
    item = menu.items.get(line.get("item"))
    if item is None:
        return [*problems, f"{where}: no item {line.get('item')!r} in the menu"]
    if item.get("available") is False:
        problems.append(f"{where}: item {item['key']!r} is marked unavailable")
    quantity = line.get("quantity")
    if not is_int(quantity) or not 1 <= quantity <= 99:
        problems.append(f"{where}: quantity {quantity!r} is not a whole number 1-99")
    choices = line.get("choices")
    if not isinstance(choices, list):
        return [*problems, f"{where}: choices must be a list"]
    seen: Counter = Counter()
    kept_per_group: Counter = Counter()
    for k, choice in enumerate(choices):
        problems += check_choice(menu, item, choice, f"{where} choice {k}")
        if isinstance(choice, dict):
            seen[(choice.get("group"), choice.get("option"))] += 1
            if not choice.get("exclude"):
                kept_per_group[choice.get("group")] += 1
    for (group, option), n in seen.items():
        if n > 1:
            problems.append(f"{where}: {group}.{option} is listed {n} times")
    for group, n in kept_per_group.items():
        if group in menu.groups and menu.groups[group]["select"] == "one" and n > 1:
            problems.append(f"{where}: group {group!r} is select-one but holds {n} options")
    return problems


def check_checks(menu: Menu, checks: object, n_turns: int, where: str) -> list[str]:
    if not isinstance(checks, list) or not checks:
        return [f"{where}: checks must be a non-empty list when present"]
    problems = []
    for k, check in enumerate(checks):
        at = f"{where} check {k}"
        if not isinstance(check, dict):
            problems.append(f"{at}: must be an object")
            continue
        extra = set(check) - CHECK_KEYS
        if extra:
            problems.append(f"{at}: unknown keys {sorted(extra)}")
        turn = check.get("turn")
        if not is_int(turn) or not 1 <= turn <= n_turns:
            problems.append(f"{at}: turn {turn!r} is not in 1..{n_turns}")
        if len(set(check) & (CHECK_KEYS - {"turn"})) == 0:
            problems.append(f"{at}: checks nothing")
        if "reply_has" in check:
            texts = check["reply_has"]
            if (
                not isinstance(texts, list)
                or not texts
                or not all(isinstance(t, str) and t.strip() for t in texts)
            ):
                problems.append(f"{at}: reply_has must be a non-empty list of strings")
        for key in CARD_KEYS:
            if key in check:
                keys = check[key]
                if not isinstance(keys, list) or not keys:
                    problems.append(f"{at}: {key} must be a non-empty list of item keys")
                    continue
                for item in keys:
                    if item not in menu.items:
                        problems.append(f"{at}: {key} names unknown item {item!r}")
    return problems


def check_file(path: Path) -> tuple[int, list[str]]:
    venue = path.stem
    mpath = menu_path(venue)
    if not mpath.exists():
        return 0, [f"{path.name}: menu file {mpath} not found"]
    menu = Menu(mpath)
    problems: list[str] = []
    seen_turns: dict[tuple, int] = {}
    count = 0
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path.name}:{n}"
        if not raw.strip():
            problems.append(f"{where}: blank line")
            continue
        try:
            conv = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc})")
            continue
        count += 1
        if not isinstance(conv, dict):
            problems.append(f"{where}: must be a JSON object")
            continue
        extra, missing = set(conv) - TOP_KEYS, {"turns", "cart"} - set(conv)
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        if missing:
            problems.append(f"{where}: missing keys {sorted(missing)}")
        turns = conv.get("turns")
        if not isinstance(turns, list) or len(turns) < 2:
            problems.append(f"{where}: turns must be a list of at least 2 messages")
            turns = turns if isinstance(turns, list) else []
        for k, turn in enumerate(turns):
            if not isinstance(turn, str) or not turn.strip():
                problems.append(f"{where} turn {k + 1}: must be a non-empty string")
        key = tuple(t for t in turns if isinstance(t, str))
        if key in seen_turns:
            problems.append(f"{where}: same turns as line {seen_turns[key]}")
        seen_turns.setdefault(key, n)
        cart = conv.get("cart")
        if not isinstance(cart, list):
            problems.append(f"{where}: cart must be a list")
        else:
            for k, line in enumerate(cart):
                problems += check_line(menu, line, f"{where} cart {k}")
        if "checks" in conv:
            problems += check_checks(menu, conv["checks"], len(turns), where)
    if count == 0:
        problems.append(f"{path.name}: no conversations")
    return count, problems


def main(argv: list[str]) -> int:
    paths = [HERE / a if not Path(a).is_absolute() else Path(a) for a in argv] or sorted(
        HERE.glob("*.jsonl")
    )
    total, all_problems = 0, []
    for path in paths:
        count, problems = check_file(path)
        total += count
        all_problems += problems
        print(f"{path.name}: {count} conversations, {len(problems)} problems")
    for problem in all_problems:
        print(problem)
    print(f"total: {total} conversations, {len(all_problems)} problems")
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
