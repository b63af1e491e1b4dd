"""`restaurant parse`: one sentence as an argument, or one per line on stdin, as JSON objects."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from restaurant.cli import main


def test_cli_parse_one_sentence_matches_the_spec(shared_menus: Path) -> None:
    text = "two large pizzas with extra cheese and no onions and three diet cokes in cans"
    result = CliRunner().invoke(
        main, ["parse", "--menu", str(shared_menus / "pizzeria.json"), text]
    )
    assert result.exit_code == 0, result.output
    reading = json.loads(result.output)
    assert reading["text"] == text
    assert reading["intent"] == "add_items"
    pizza, coke = reading["items"]
    assert pizza["item"] == "pizza"
    assert pizza["quantity"] == 2
    assert sorted(pizza["choices"], key=lambda c: c["option"]) == [
        {"group": "toppings", "option": "cheese", "qualifier": "extra"},
        {"group": "pizza_size", "option": "large"},
        {"group": "toppings", "option": "onions", "exclude": True},
    ]
    assert coke == {
        "item": "diet_coke",
        "quantity": 3,
        "choices": [{"group": "container", "option": "can"}],
    }


def test_cli_parse_reads_stdin_line_by_line(shared_menus: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["parse", "--menu", str(shared_menus / "sub.json")],
        input="hello\n\ni'd like a meatball sub\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r["intent"] for r in lines] == ["greet", "add_items"]
    assert lines[0]["items"] == []
    assert lines[1]["items"] == [{"item": "meatball_marinara", "quantity": 1, "choices": []}]


def test_cli_parse_broken_menu_is_a_clear_error(tmp_path: Path) -> None:
    menu = tmp_path / "menu.json"
    menu.write_text("{}")
    result = CliRunner().invoke(main, ["parse", "--menu", str(menu), "a pizza"])
    assert result.exit_code == 1
    assert f"{menu}: $.format: must be 'restaurant-menu/1'" in result.output
