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


# --- the restaurant info block ------------------------------------------------------------------

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"
INFO = "$.restaurant.info"


def _demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO.read_text())
    return data


def test_menu_file_info_block_is_optional_and_loads(shared_menus: Path) -> None:
    assert load_menu(shared_menus / "burger.json").restaurant.info is None
    info = load_menu(DEMO).restaurant.info
    assert info is not None
    assert info.timezone == "America/New_York" and str(info.zone) == "America/New_York"
    assert [(o.open, o.close) for o in info.hours.fri] == [("11:00", "01:00")]
    assert info.hours.fri[0].minutes == (660, 1500)  # closes after midnight
    assert (info.pickup_minutes, info.delivery_minutes) == (20, 40)
    assert info.delivery is not None
    assert str(info.delivery.fee) == "3.99" and str(info.delivery.minimum) == "15.00"
    assert "10012" in info.delivery.postcodes and info.delivery.radius_km == 3


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (
            ["timezone"],
            "Mars/Olympus",
            f"{INFO}.timezone: unknown time zone 'Mars/Olympus': use an IANA name such as "
            "'America/New_York'",
        ),
        (
            ["hours", "mon", 0, "open"],
            "25:00",
            f"{INFO}.hours.mon[0].open: must be a time such as '11:00' or '22:30' on the "
            "24-hour clock",
        ),
        (
            ["hours", "mon", 0, "close"],
            "10pm",
            f"{INFO}.hours.mon[0].close: must be a time such as '11:00' or '22:30' on the "
            "24-hour clock (or 24:00 for the end of the day)",
        ),
        (
            ["hours", "tue", 0, "close"],
            "11:00",
            f"{INFO}.hours.tue[0]: opens and closes at the same time (use 00:00 to 24:00 for a "
            "whole day)",
        ),
        (
            ["hours", "sat"],
            [{"open": "00:30", "close": "03:00"}],
            f"{INFO}.hours.sat[0]: overlaps fri[0] (11:00-01:00)",
        ),
        (
            ["hours", "sun"],
            [{"open": "20:00", "close": "11:30"}],
            f"{INFO}.hours.sun[0]: overlaps mon[0] (11:00-22:00) of the next week",
        ),
        (["hours", "monday"], [], f"{INFO}.hours.monday: is not a field of the menu format"),
        (
            ["hours"],
            {"mon": []},
            f"{INFO}.hours: no day has opening hours, so no order could ever be placed (a day "
            "left out is closed)",
        ),
        (
            ["delivery", "fee"],
            3.99,
            f"{INFO}.delivery.fee: must be a decimal string such as '9.50'",
        ),
        (
            ["delivery", "minimum"],
            "-1.00",
            f"{INFO}.delivery.minimum: input should be greater than or equal to 0",
        ),
        (
            ["delivery", "radius_km"],
            0,
            f"{INFO}.delivery.radius_km: input should be greater than 0",
        ),
        (
            ["delivery", "postcodes", 0],
            " ",
            f"{INFO}.delivery.postcodes[0]: must not be blank",
        ),
        (
            ["delivery"],
            {"fee": "3.99"},
            f"{INFO}.delivery: give the area delivered to: postcodes, radius_km or both",
        ),
        (["pickup_minutes"], 0, f"{INFO}.pickup_minutes: input should be greater than 0"),
        (["phone"], "", f"{INFO}.phone: string should have at least 1 character"),
    ],
)
def test_menu_file_info_block_rules_name_the_place(
    path: list[str | int], value: Any, problem: str
) -> None:
    data = _demo()
    target: Any = data["restaurant"]["info"]
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(MenuError) as caught:
        parse_menu(data, "demo.json")
    assert caught.value.problems == [problem]


def test_menu_file_info_block_rules_that_span_fields() -> None:
    data = _demo()
    info = data["restaurant"]["info"]
    del info["latitude"], info["longitude"], info["delivery_minutes"]
    with pytest.raises(MenuError) as caught:
        parse_menu(data, "demo.json")
    assert caught.value.problems == [
        f"{INFO}.latitude: the restaurant's latitude and longitude are required with "
        "delivery.radius_km",
        f"{INFO}.delivery_minutes: required when the restaurant delivers",
    ]
    info["longitude"] = -73.99
    with pytest.raises(MenuError, match=r"latitude: latitude and longitude go together"):
        parse_menu(data, "demo.json")
    # Without delivery, neither a location nor delivery minutes are needed: pickup only.
    del info["delivery"], info["longitude"]
    assert parse_menu(data, "demo.json").restaurant.info.delivery is None  # type: ignore[union-attr]
