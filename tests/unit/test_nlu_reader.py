"""`read` as the graph uses it: pure, repeatable, safe to share one lexicon between threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from graph.menu import load_menu
from graph.nlu import Lexicon, read
from tests.unit.nlu_support import DATA_DIR, MENUS_DIR, rows


def test_reader_is_repeatable_and_thread_safe() -> None:
    lexicon = Lexicon.from_menu(load_menu(MENUS_DIR / "pizzeria.json"))
    texts = [r["text"] for r in rows(DATA_DIR / "orders_human.jsonl") if r["menu"] == "pizzeria"]
    texts += ["a pizza with peperronni and jalepeno", "asdf qwer", "zzz pizza xyz"] * 20

    def all_of(batch: list[str]) -> list[dict[str, Any]]:
        return [read(lexicon, t).to_json() for t in batch]

    alone = all_of(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda _: all_of(texts), range(4)))
    assert all(run == alone for run in together)


def test_reader_json_is_the_parse_output_format() -> None:
    lexicon = Lexicon.from_menu(load_menu(MENUS_DIR / "pizzeria.json"))
    got = read(lexicon, "i want two large pizzas with ham and extra cheese and no onions").to_json()
    assert got == {
        "text": "i want two large pizzas with ham and extra cheese and no onions",
        "intent": "add_items",
        "items": [
            {
                "item": "pizza",
                "quantity": 2,
                "choices": [
                    {"group": "pizza_size", "option": "large"},
                    {"group": "toppings", "option": "ham"},
                    {"group": "toppings", "option": "cheese", "qualifier": "extra"},
                    {"group": "toppings", "option": "onions", "exclude": True},
                ],
            }
        ],
    }
