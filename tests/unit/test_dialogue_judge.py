"""The conversation judge (bench/dialogue_judge.py): carts as multisets, no defaults, checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.dialogue_judge import (
    Check,
    Dialogue,
    Held,
    TurnSeen,
    canonical_cart,
    describe,
    format_cart,
    judge,
    load_dialogues,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def _choice(group: str, option: str, **extra: Any) -> dict[str, Any]:
    """A choice as the cart API shows it."""
    return {"group": group, "option": option, "qualifier": None, "exclude": False} | extra


def _line(item: str, quantity: int, *choices: dict[str, Any]) -> dict[str, Any]:
    return {"item": item, "quantity": quantity, "choices": list(choices)}


def _dialogue(cart: list[dict[str, Any]], *checks: Check, turns: int = 2) -> Dialogue:
    return Dialogue(
        id="t-dev-01",
        venue="t",
        turns=tuple(f"message {n}" for n in range(1, turns + 1)),
        cart=tuple(cart),
        checks=checks,
        source="t.jsonl:1",
    )


def _menu_card(*keys: str) -> dict[str, Any]:
    return {"items": [{"key": key} for key in keys]}


PEPPERONI = _choice("toppings", "pepperoni")


def test_judge_identical_lines_summed_or_apart_are_the_same_cart() -> None:
    apart = [_line("pizza", 1, PEPPERONI), _line("pizza", 1, PEPPERONI), _line("coke", 3)]
    summed = [_line("pizza", 2, PEPPERONI), _line("coke", 1), _line("coke", 2)]
    assert canonical_cart(apart) == canonical_cart(summed)
    assert canonical_cart(apart) != canonical_cart([_line("pizza", 2, PEPPERONI), _line("coke", 2)])
    # The order of lines and of choices does not matter; a different choice does.
    large = _choice("pizza_size", "large")
    assert canonical_cart([_line("pizza", 1, large, PEPPERONI), _line("coke", 1)]) == (
        canonical_cart([_line("coke", 1), _line("pizza", 1, PEPPERONI, large)])
    )
    assert canonical_cart([_line("pizza", 1, PEPPERONI)]) != canonical_cart([_line("pizza", 1)])


def test_judge_ignores_default_choices_of_the_cart() -> None:
    expected = [
        {"item": "pizza", "quantity": 1, "choices": [{"group": "toppings", "option": "ham"}]}
    ]
    cart = [
        _line(
            "pizza",
            1,
            _choice("toppings", "ham"),
            _choice("pizza_size", "medium", default=True),
            _choice("crust", "regular", default=True),
        )
    ]
    verdict = judge(_dialogue(expected), Held(turns=[TurnSeen("a"), TurnSeen("b")], cart=cart))
    assert verdict.cart_right and verdict.passed
    # A default the customer said is not marked default, and is compared.
    said = [_line("pizza", 1, _choice("toppings", "ham"), _choice("pizza_size", "medium"))]
    assert not judge(_dialogue(expected), Held([TurnSeen("a"), TurnSeen("b")], said)).cart_right


def test_judge_qualifier_and_exclusion_are_part_of_a_choice() -> None:
    extra = [_line("pizza", 1, _choice("toppings", "cheese", qualifier="extra"))]
    plain = [_line("pizza", 1, _choice("toppings", "cheese"))]
    without = [_line("pizza", 1, _choice("toppings", "cheese", exclude=True))]
    file_form = [
        {"item": "pizza", "choices": [{"group": "toppings", "option": "cheese", "exclude": True}]}
    ]
    assert canonical_cart(extra) != canonical_cart(plain) != canonical_cart(without)
    assert canonical_cart(file_form) == canonical_cart(without)  # quantity 1 when none is said
    assert format_cart(canonical_cart(extra + plain + without)) == [
        "1 x pizza {toppings=cheese}",
        "1 x pizza {no toppings=cheese}",
        "1 x pizza {toppings=cheese (extra)}",
    ]


def test_judge_reply_has_ignores_case() -> None:
    dialogue = _dialogue([], Check(turn=2, reply_has=("$11.25", "Large")))
    held = Held([TurnSeen("a", "hi"), TurnSeen("b", "That LARGE pizza is $11.25.")], cart=[])
    assert judge(dialogue, held).passed
    held.turns[1].reply = "That large pizza is $11.50."
    verdict = judge(dialogue, held)
    assert verdict.cart_right and not verdict.checks_right and not verdict.passed
    assert verdict.check_failures == ["turn 2: reply lacks '$11.25'"]


def test_judge_menu_card_has_top_and_lacks() -> None:
    keys = ("latte", "mocha", "espresso", "americano", "cappuccino", "drip_coffee", "tea")
    turn = TurnSeen("what coffees do you have", "Here they are.", menu_cards=[_menu_card(*keys)])
    held = Held([turn, TurnSeen("b")], cart=[])

    def failures(check: Check) -> list[str]:
        return judge(_dialogue([], check), held).check_failures

    assert failures(Check(turn=1, menu_card_has=("tea", "latte"))) == []
    assert failures(Check(turn=1, menu_card_has=("scone",))) == ["turn 1: MENU_CARD lacks 'scone'"]
    assert failures(Check(turn=1, menu_card_top=("drip_coffee",))) == []
    assert failures(Check(turn=1, menu_card_top=("tea",)))[0].startswith(
        "turn 1: 'tea' not in the MENU_CARD's top 6"
    )
    assert failures(Check(turn=1, menu_card_lacks=("scone",))) == []
    assert failures(Check(turn=1, menu_card_lacks=("mocha",))) == [
        "turn 1: MENU_CARD lists 'mocha'"
    ]
    # A turn without a MENU_CARD fails has/top and passes lacks.
    assert failures(Check(turn=2, menu_card_has=("tea",))) == ["turn 2: no MENU_CARD"]
    assert failures(Check(turn=2, menu_card_lacks=("tea",))) == []


def test_judge_menu_cards_of_one_turn_are_read_in_the_order_sent() -> None:
    turn = TurnSeen("a", menu_cards=[_menu_card("a", "b", "c", "d"), _menu_card("e", "f", "g")])
    dialogue = _dialogue([], Check(turn=1, menu_card_has=("g",), menu_card_top=("f",)), turns=1)
    assert judge(dialogue, Held([turn], cart=[])).passed
    late = _dialogue([], Check(turn=1, menu_card_top=("g",)), turns=1)
    assert not judge(late, Held([turn], cart=[])).passed


def test_judge_turn_seen_from_agui_events() -> None:
    events: list[dict[str, Any]] = [
        {"type": "RUN_STARTED"},
        {"type": "CUSTOM", "name": "CART_CARD", "value": {"lines": []}},
        {"type": "CUSTOM", "name": "MENU_CARD", "value": _menu_card("latte")},
        {"type": "TEXT_MESSAGE_START", "messageId": "m"},
        {"type": "TEXT_MESSAGE_CONTENT", "messageId": "m", "delta": "Here "},
        {"type": "TEXT_MESSAGE_CONTENT", "messageId": "m", "delta": "you go."},
        {"type": "TEXT_MESSAGE_END", "messageId": "m"},
        {"type": "RUN_FINISHED"},
    ]
    turn = TurnSeen.of_events("menu", events)
    assert (turn.reply, turn.menu_items(), len(turn.cart_cards), turn.error) == (
        "Here you go.",
        ["latte"],
        1,
        None,
    )
    failed = TurnSeen.of_events("x", [{"type": "RUN_ERROR", "code": "BUSY", "message": "wait"}])
    assert failed.error == "RUN_ERROR BUSY: wait"
    assert TurnSeen.of_events("x", events[:-1]).error == "the turn ended without RUN_FINISHED"


def test_judge_errors_and_unfinished_conversations_fail() -> None:
    dialogue = _dialogue([], Check(turn=2, reply_has=("ok",)))
    errored = Held([TurnSeen("a"), TurnSeen("b", "ok", error="RUN_ERROR BUSY: wait")], cart=[])
    verdict = judge(dialogue, errored)
    assert verdict.cart_right and verdict.checks_right and not verdict.passed
    assert verdict.errors == ["turn 2: RUN_ERROR BUSY: wait"]
    stopped = judge(dialogue, Held([TurnSeen("a")], cart=None, failure="ws: ConnectionClosed"))
    assert not stopped.cart_right and not stopped.passed
    assert stopped.check_failures == ["turn 2: never answered"]
    assert stopped.errors == [
        "ws: ConnectionClosed",
        "only 1 of 2 turns were held",
        "the cart was not read",
    ]


def test_judge_describe_shows_turns_replies_and_both_carts() -> None:
    expected = [{"item": "coke", "quantity": 3, "choices": []}]
    held = Held([TurnSeen("two cokes", "Added 2 cokes."), TurnSeen("make that three", "Sorry?")])
    held.cart = [_line("coke", 2)]
    text = describe(_dialogue(expected), held, judge(_dialogue(expected), held))
    assert "1. customer:  two cokes" in text and "assistant: Sorry?" in text
    assert "expected cart:\n    3 x coke\n  actual cart:   <- differs\n    2 x coke" in text


def test_judge_loads_every_conversation_file(tmp_path: Path) -> None:
    files = sorted((DATA / "dialogues-dev").glob("*.jsonl")) + sorted(
        (DATA / "dialogues").glob("*.jsonl")
    )
    assert len(files) >= 5
    for path in files:
        for dialogue in load_dialogues(path, path.stem, "x"):
            assert dialogue.turns and all(
                1 <= c.turn <= len(dialogue.turns) for c in dialogue.checks
            )
    broken = tmp_path / "broken.jsonl"
    broken.write_text(
        json.dumps({"turns": ["hi"], "cart": [], "checks": [{"turn": 1, "reply": []}]})
    )
    with pytest.raises(ValueError, match=r"broken.jsonl:1: .*unknown check keys \['reply'\]"):
        load_dialogues(broken, "t", "x")
