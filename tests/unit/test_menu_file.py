"""The menu file format: every shared menu loads, broken files name the exact place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.menu import MenuError, load_menu, parse_menu

MENUS = ("pizzeria", "burger", "burrito", "coffee", "sub")


def _burger(shared_menus: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shared_menus / "burger.json").read_text())
    return data


@pytest.mark.parametrize("name", MENUS)
def test_menu_file_shared_menus_load(shared_menus: Path, name: str) -> None:
    menu = load_menu(shared_menus / f"{name}.json")
    assert menu.restaurant.key == name
    assert len(menu.items()) >= 6
    for item in menu.items():
        assert len(menu.groups_of(item)) == len(item.option_groups)


def test_menu_file_float_price_is_refused_with_its_path(shared_menus: Path) -> None:
    data = _burger(shared_menus)
    data["categories"][0]["items"][1]["price"] = 9.5
    with pytest.raises(MenuError) as caught:
        parse_menu(data, "burger.json")
    assert caught.value.problems == [
        "$.categories[0].items[1].price: must be a decimal string such as '9.50'"
    ]
    assert "burger.json" in str(caught.value)


def test_menu_file_bad_key_and_missing_field_are_both_reported(shared_menus: Path) -> None:
    data = _burger(shared_menus)
    data["option_groups"][0]["options"][2]["key"] = "Extra Cheese"
    del data["categories"][1]["items"][0]["label"]
    with pytest.raises(MenuError) as caught:
        parse_menu(data, "burger.json")
    problems = caught.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("$.option_groups[0].options[2].key: string should match pattern")
    assert problems[1] == "$.categories[1].items[0].label: field required"


def test_menu_file_unknown_group_reference_is_named(shared_menus: Path) -> None:
    data = _burger(shared_menus)
    data["categories"][1]["items"][2]["option_groups"] = ["side_size", "sauces"]
    with pytest.raises(MenuError) as caught:
        parse_menu(data, "burger.json")
    assert caught.value.problems == [
        "$.categories[1].items[2].option_groups[1]: unknown option group 'sauces'"
    ]


def test_menu_file_duplicate_item_key_is_named(shared_menus: Path) -> None:
    data = _burger(shared_menus)
    data["categories"][2]["items"][0]["key"] = data["categories"][0]["items"][0]["key"]
    with pytest.raises(MenuError) as caught:
        parse_menu(data, "burger.json")
    assert caught.value.problems == [
        "$.categories[2].items[0].key: duplicate item key 'double_cheese_burger'"
    ]


def test_menu_file_wrong_format_and_select_are_refused(shared_menus: Path) -> None:
    data = _burger(shared_menus)
    data["format"] = "restaurant-menu/2"
    with pytest.raises(MenuError, match=r"\$\.format: must be 'restaurant-menu/1'"):
        parse_menu(data, "burger.json")
    data["format"] = "restaurant-menu/1"
    data["option_groups"][1]["select"] = "several"
    with pytest.raises(MenuError) as caught:
        parse_menu(data, "burger.json")
    assert caught.value.problems[0].startswith(
        "$.option_groups[1].select: input should be 'one' or 'many'"
    )


def test_menu_file_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "restaurant-menu/1",\n  "restaurant": {,}\n}')
    with pytest.raises(MenuError) as caught:
        load_menu(path)
    assert caught.value.source == str(path)
    assert caught.value.problems[0].startswith("$: not valid JSON at line 2, column 18")


def test_menu_file_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MenuError, match="cannot read the file"):
        load_menu(tmp_path / "nope.json")
