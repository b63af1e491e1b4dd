"""Tokenizing messages and menu phrases the same way."""

from __future__ import annotations

import pytest

from graph.nlu.text import phrase_tokens, tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("I'd like a Pizza!", ["id", "like", "a", "pizza", "."]),
        ("i ' d like one", ["i", "d", "like", "one"]),
        ("2x pizza", ["2", "pizza"]),
        ("pizza x2", ["pizza", "x", "2"]),
        ("a 2-liter coke", ["a", "2", "liter", "coke"]),
        ("20oz sprite", ["20", "oz", "sprite"]),
        ("a 7up", ["a", "7", "up"]),
        ("7.5 fl oz", ["7.5", "fl", "oz"]),
        (
            "w/ ham & pineapple, w/o olives",
            ["with", "ham", "and", "pineapple", ",", "without", "olives"],
        ),
        ("jalapeño café", ["jalapeno", "cafe"]),
        ("’sup — pizza?", ["sup", "pizza", "."]),
        ("a 20 fl. oz. coke", ["a", "20", "fl", "oz", "coke"]),
        (
            "3 pizzas: a margherita (thin)",
            ["3", "pizzas", ":", "a", "margherita", ",", "thin", ","],
        ),
        # a size spelled with an x is no multiplication; a count in brackets is
        ("2 x-large pizzas", ["2", "extra", "large", "pizzas"]),
        ("an xlarge coke", ["an", "extra", "large", "coke"]),
        ("tacos (3) and a coke (x2)", ["tacos", "x", "3", "and", "a", "coke", "x", "2"]),
        ('a 6" turkey', ["a", "6", "inch", "turkey"]),
        ("a 12'' pizza", ["a", "12", "inch", "pizza"]),
        # chat shorthand and the usual slip, spelled out
        ("nvm the fries", ["never", "mind", "the", "fries"]),
        ("no onions actualy", ["no", "onions", "actually"]),
    ],
)
def test_text_tokenizes_messages(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_text_menu_phrases_tokenize_like_messages() -> None:
    assert phrase_tokens("Coca-Cola") == ("coca", "cola")
    assert phrase_tokens("2-liter") == tuple(tokenize("2 liter")) == ("2", "liter")
