"""The order grammar: quantities, options before and after the item, qualifiers, negation scope,
drinks, and the hand-written orders of all five menus."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.nlu_support import DATA_DIR, DEV_DIR, canon, items_of, reading, rows, spec

HUMAN = rows(DATA_DIR / "orders_human.jsonl")
# Fresh hand-written orders: _2 was written before the grammar was tuned on it (its first 431
# lines were read right 98.4% of the time then), with later batches appended after each round
# of general fixes; _3 was written last and measured before anything was fixed for it.
HUMAN_2 = rows(DATA_DIR / "orders_human_2.jsonl")
HUMAN_3 = rows(DATA_DIR / "orders_human_3.jsonl")
# _4: eight batches of 150 (30 a menu), each written fresh and measured before the fixes of its
# round: 96.7-98.7% a batch, 90-100% a menu and batch, 97.2% in all.
HUMAN_4 = rows(DATA_DIR / "orders_human_4.jsonl")
# Orders of those files still read wrong, and why. Strict: one that starts passing fails here,
# so it can be moved out of this list.
OPEN = {
    # grammar
    "a chicken bowl and a steak bowl, the chicken with brown rice and the steak with white rice": (
        "options given to lines named by their filling"
    ),
    "a latte and a cappuccino, one iced one hot": "'one ... one ...' over two different items",
    "Large coffee, 2 creams": "a count of an add-in after a comma",
    "a taco salad with steak": "two dish nouns as one dish",
    "a salad bowl with chicken and no rice": "two dish nouns as one dish",
    "italian sub no mayo with hot peppers": "'hot peppers' are not the menu's peppers",
    "a small margherita and a small marinara": "an unknown pizza name after a size",
    "2 large 1 topping pizzas, pepperoni and sausage": "one each",
    "yo can i get a double double with fries": "slang dish name",
    "two medium coffees, one decaf and one regular": "'regular' as not decaf, not a size",
    "a medium chicken alfredo pizza": "option name said the other way round",
    "chicken and steak tacos, 2 of each": "'of each'",
    "an italian bmt with vinegarette": "misspelling too far from 'vinaigrette'",
    "a tuna sub with a little salt and pepper": "an amount over a pair",
    "a bowl with half sofritas half chicken and all the salsas": "'all the salsas'",
    "one footlong and one six inch turkey": "a dish said once for two counts",
    "two turkey subs, one plain and one with everything": (
        "two equal lines are one line of two in the exact-match count"
    ),
    # orders_human_4: read as something else (intent)
    "a medium pepperoni pizza and make it thin crust": "intent: 'make it' read as a change",
    "bacon cheeseburger with blue cheese instead of cheddar": "intent: read as a change",
    # orders_human_4: grammar
    "medium pizza with sausage, pepperoni, ham and bacon (a meat pizza basically)": (
        "an aside naming the same dish again reads as a second one"
    ),
}


@pytest.mark.parametrize("row", HUMAN, ids=[f"{r['menu']}:{r['text'][:50]}" for r in HUMAN])
def test_grammar_reads_hand_written_order(row: dict[str, Any]) -> None:
    got = reading(row["menu"], row["text"]).to_json()
    assert got["intent"] == "add_items"
    assert canon(got["items"]) == canon(row["items"])


def _fresh(rows_: list[dict[str, Any]]) -> list[Any]:
    return [
        pytest.param(
            r,
            id=f"{r['menu']}:{r['text'][:50]}",
            marks=[pytest.mark.xfail(strict=True, reason=OPEN[r["text"]])]
            if r["text"] in OPEN
            else [],
        )
        for r in rows_
    ]


@pytest.mark.parametrize("row", _fresh(HUMAN_2 + HUMAN_3 + HUMAN_4))
def test_grammar_reads_fresh_hand_written_order(row: dict[str, Any]) -> None:
    got = reading(row["menu"], row["text"]).to_json()
    assert got["intent"] == "add_items"
    assert canon(got["items"]) == canon(row["items"])


@pytest.mark.parametrize(("data", "floor"), [(HUMAN_2, 0.98), (HUMAN_3, 0.95), (HUMAN_4, 0.97)])
def test_grammar_fresh_hand_written_orders_floor(data: list[dict[str, Any]], floor: float) -> None:
    menus = {r["menu"] for r in data}
    assert menus == {"pizzeria", "burger", "burrito", "coffee", "sub"}
    for menu in menus:
        mine = [r for r in data if r["menu"] == menu]
        right = sum(
            canon(reading(menu, r["text"]).to_json()["items"]) == canon(r["items"]) for r in mine
        )
        assert right / len(mine) >= floor - 0.05, menu
    assert sum(r["text"] in OPEN for r in data) <= (1 - floor) * len(data)


def test_grammar_hand_written_orders_cover_every_menu() -> None:
    per_menu = {menu: sum(r["menu"] == menu for r in HUMAN) for menu in {r["menu"] for r in HUMAN}}
    assert set(per_menu) == {"pizzeria", "burger", "burrito", "coffee", "sub"}
    assert min(per_menu.values()) >= 30
    assert len(HUMAN) >= 150


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("a pizza", 1),
        ("an extra large pizza", 1),
        ("one pizza", 1),
        ("just one pizza", 1),
        ("2 pizzas", 2),
        ("2x pizza", 2),
        ("pizza x3", 3),
        ("a couple of pizzas", 2),
        ("a couple pizzas", 2),
        ("a few pizzas", 3),
        ("a dozen pizzas", 12),
        ("half a dozen pizzas", 6),
        ("twelve pizzas", 12),
        ("twenty pizzas", 20),
        ("twenty five pizzas", 25),
        ("pizza", 1),
    ],
)
def test_grammar_reads_quantity(text: str, quantity: int) -> None:
    lines = reading("pizzeria", text).items
    assert [(line.item, line.quantity) for line in lines] == [("pizza", quantity)]


def test_grammar_marks_a_said_quantity() -> None:
    assert reading("pizzeria", "one pizza").items[0].quantity_said
    assert not reading("pizzeria", "a pizza").items[0].quantity_said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a pizza with no peppers or onions", "pizza -toppings.peppers -toppings.onions"),
        ("a pizza without olives", "pizza -toppings.olives"),
        ("a pizza, hold the onions", "pizza -toppings.onions"),
        ("a pizza with no ham and pineapple", "pizza -toppings.ham -toppings.pineapple"),
        (
            "a pizza with ham, no onions, extra cheese",
            "pizza toppings.ham -toppings.onions toppings.cheese+",
        ),
        (
            "a pizza with no onions and with mushrooms",
            "pizza -toppings.onions toppings.mushrooms",
        ),
        ("a pizza without onions and a coke", "pizza -toppings.onions ; coke"),
        ("pizza, no anchovies please", "pizza -toppings.anchovies"),
        ("a pizza with everything but olives", "pizza style.all_toppings -toppings.olives"),
        ("a pizza, i hate mushrooms", "pizza -toppings.mushrooms"),
        ("a pizza and don't add any bacon", "pizza -toppings.bacon"),
    ],
)
def test_grammar_negation_covers_its_scope(text: str, expected: str) -> None:
    assert items_of("pizzeria", text) == spec(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a pizza with extra cheese", "pizza toppings.cheese+"),
        ("a pizza with lots of cheese", "pizza toppings.cheese+"),
        ("a pizza heavy on the sauce", "pizza toppings.sauce+"),
        ("a pizza with a whole bunch of olives", "pizza toppings.olives+"),
        ("a pizza, go light on the sauce", "pizza toppings.sauce~"),
        ("a pizza with a little ham", "pizza toppings.ham~"),
        ("a pizza with only a little garlic", "pizza toppings.garlic_powder~"),
        ("a pizza, easy on the cheese", "pizza toppings.cheese~"),
        ("a pizza with not much basil", "pizza toppings.basil~"),
        ("a pizza with extra cheese and ham", "pizza toppings.cheese+ toppings.ham"),
        # A size has no amounts; "extra large" is a size of its own.
        ("an extra large pizza", "pizza pizza_size.extra_large"),
    ],
)
def test_grammar_qualifier_goes_to_the_next_option(text: str, expected: str) -> None:
    assert items_of("pizzeria", text) == spec(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "large thin crust pepperoni pizza",
            "pizza pizza_size.large style.thin_crust toppings.pepperoni",
        ),
        ("pizza with ham and extra cheese", "pizza toppings.ham toppings.cheese+"),
        ("a ham and pineapple pizza", "pizza toppings.ham toppings.pineapple"),
        ("a pizza and a coke with extra cheese", "pizza toppings.cheese+ ; coke"),
        ("a pizza with ham and a large coke", "pizza toppings.ham ; coke drink_size.large"),
        (
            "a large pepperoni and a small cheese",
            "pizza pizza_size.large toppings.pepperoni ; pizza pizza_size.small toppings.cheese",
        ),
    ],
)
def test_grammar_attaches_options_to_the_right_item(text: str, expected: str) -> None:
    assert items_of("pizzeria", text) == spec(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three 20 fl oz cokes in bottles", "coke x3 volume.20_floz container.bottle"),
        ("two cans of sprite", "sprite x2 container.can"),
        ("a 2 liter coke", "coke volume.2_liter"),
        ("a two-liter pepsi", "pepsi volume.2_liter"),
        ("a bottle of ice tea", "ice_tea container.bottle"),
        ("five 500 ml waters", "water x5 volume.500_ml"),
        ("a coke zero", "coke_zero"),
        ("a large diet coke in a can", "diet_coke drink_size.large container.can"),
    ],
)
def test_grammar_reads_drinks_with_containers_and_volumes(text: str, expected: str) -> None:
    assert items_of("pizzeria", text) == spec(expected)


@pytest.mark.parametrize(
    ("menu", "text", "expected"),
    [
        ("pizzeria", "a veggie pie", "pizza style.vegetarian"),
        ("pizzeria", "a cheese pizza", "pizza toppings.cheese"),
        ("pizzeria", "a margherita", "pizza style.margherita"),
        ("burger", "a veggie burger", "vegan_burger"),
        ("burrito", "a veggie burrito", "burrito main_filling.veggie"),
        ("sub", "a veggie sub", "veggie"),
        ("sub", "a steak sub", "steak_and_cheese"),
        ("coffee", "a large dark roast", "drip_coffee size.large roast.dark_roast"),
    ],
)
def test_grammar_item_aliases_that_embed_option_words(menu: str, text: str, expected: str) -> None:
    assert items_of(menu, text) == spec(expected)


@pytest.mark.parametrize(
    "text",
    [
        "i'd like a pizza please",
        "can i get a pizza",
        "could i have a pizza",
        "gimme a pizza",
        "lemme get a pizza",
        "i'll have a pizza, thanks",
        "yo, a pizza",
        "umm i guess a pizza",
    ],
)
def test_grammar_ignores_fillers(text: str) -> None:
    assert items_of("pizzeria", text) == spec("pizza")


def test_grammar_joins_lines_with_and_also_and_as_well_as() -> None:
    assert items_of("pizzeria", "a pizza and also a coke as well as two sprites") == spec(
        "pizza ; coke ; sprite x2"
    )


def test_grammar_carves_one_out_of_several() -> None:
    assert items_of("pizzeria", "three pizzas, one with ham") == spec(
        "pizza x2 ; pizza toppings.ham"
    )
    assert items_of("pizzeria", "2 pizzas one pepperoni one cheese") == spec(
        "pizza toppings.pepperoni ; pizza toppings.cheese"
    )


def test_grammar_reports_unknown_dish_words() -> None:
    got = reading("pizzeria", "i want a calzone and a coke")
    assert got.unknown == ("calzone",)
    assert canon([line.to_json() for line in got.items]) == spec("coke")


def test_grammar_drops_options_an_item_cannot_take() -> None:
    # Subs take no cheese option called plain "cheese"; drinks there take no size.
    assert items_of("sub", "a large coke") == spec("coca_cola")


@pytest.mark.parametrize(("menu", "floor"), [("pizzeria", 0.99), ("burrito", 0.99), ("sub", 0.99)])
def test_grammar_dev_orders_floor(menu: str, floor: float) -> None:
    dev = rows(DEV_DIR / f"{menu}.jsonl")
    right = sum(
        canon(reading(menu, r["text"]).to_json()["items"]) == canon(r["items"]) for r in dev
    )
    assert right / len(dev) >= floor


def test_grammar_another_one_repeats_the_line_before() -> None:
    assert items_of("pizzeria", "a coke and another one") == spec("coke x2")
    assert items_of("pizzeria", "one large pepperoni pizza for me and one for my wife") == spec(
        "pizza x2 pizza_size.large toppings.pepperoni"
    )


def test_grammar_on_one_and_on_the_other_are_two_lines() -> None:
    assert items_of(
        "pizzeria", "two large pizzas with extra cheese, pepperoni on one and sausage on the other"
    ) == spec(
        "pizza pizza_size.large toppings.cheese+ toppings.pepperoni ; "
        "pizza pizza_size.large toppings.cheese+ toppings.sausage"
    )
    # Halves of one pizza stay one pizza.
    assert items_of(
        "pizzeria", "a large pizza with pepperoni on one half and ham on the other"
    ) == (spec("pizza pizza_size.large toppings.pepperoni toppings.ham"))


def test_grammar_counts_of_add_ins_are_not_quantities() -> None:
    assert items_of("coffee", "a large coffee with 2 creams and 2 sugars") == spec(
        "drip_coffee size.large toppings.whipped_cream"
    )
    assert items_of("coffee", "a latte with 2 pumps of vanilla") == spec(
        "latte toppings.vanilla_syrup"
    )


def test_grammar_same_count_with_other_toppings_is_more_of_the_kind() -> None:
    assert items_of("pizzeria", "2 large pizzas with pepperoni and 2 with sausage") == spec(
        "pizza x2 pizza_size.large toppings.pepperoni ; pizza x2 pizza_size.large toppings.sausage"
    )
    assert items_of("burrito", "two tacos with chicken and one with steak") == spec(
        "taco x2 main_filling.chicken ; taco main_filling.steak"
    )


@pytest.mark.parametrize(
    ("menu", "text", "expected"),
    [
        # a count of one kind (a topping), then a count of another (a style): side by side, as
        # two counts of toppings are
        (
            "pizzeria",
            "3 pepperoni and 2 hawaiian",
            "pizza x3 toppings.pepperoni ; pizza x2 style.hawaiian",
        ),
        (
            "pizzeria",
            "3 pepperoni and 2 margherita",
            "pizza x3 toppings.pepperoni ; pizza x2 style.margherita",
        ),
        ("pizzeria", "3 ham and 2 hawaiian", "pizza x3 toppings.ham ; pizza x2 style.hawaiian"),
        (
            "pizzeria",
            "3 pepperoni, 2 hawaiian",
            "pizza x3 toppings.pepperoni ; pizza x2 style.hawaiian",
        ),
        (
            "pizzeria",
            "3 pepperoni and two hawaiian",
            "pizza x3 toppings.pepperoni ; pizza x2 style.hawaiian",
        ),
        (
            "pizzeria",
            "2 pepperoni and 2 hawaiian",
            "pizza x2 toppings.pepperoni ; pizza x2 style.hawaiian",
        ),
        (
            "pizzeria",
            "3 large pepperoni and 2 hawaiian",
            "pizza x3 pizza_size.large toppings.pepperoni ; pizza x2 style.hawaiian",
        ),
        (
            "pizzeria",
            "2 pepperoni and 1 sausage",
            "pizza x2 toppings.pepperoni ; pizza toppings.sausage",
        ),
        (
            "pizzeria",
            "2 hawaiian and 3 pepperoni",
            "pizza x2 style.hawaiian ; pizza x3 toppings.pepperoni",
        ),
        (
            "coffee",
            "2 vanilla and 1 iced",
            "drip_coffee x2 toppings.vanilla_syrup ; drip_coffee style.iced",
        ),
        # ... but a size carves the count up, and so does a size said before it
        (
            "pizzeria",
            "2 pepperoni, one large and one small",
            "pizza toppings.pepperoni pizza_size.large ; pizza toppings.pepperoni pizza_size.small",
        ),
        (
            "pizzeria",
            "two smalls, one cheese",
            "pizza pizza_size.small ; pizza pizza_size.small toppings.cheese",
        ),
        (
            "pizzeria",
            "2 large: a pepperoni and a hawaiian",
            "pizza pizza_size.large toppings.pepperoni ; pizza pizza_size.large style.hawaiian",
        ),
    ],
)
def test_grammar_counts_of_two_kinds_are_two_lines(menu: str, text: str, expected: str) -> None:
    assert items_of(menu, text) == spec(expected)


def test_grammar_chips_and_guac_is_one_side() -> None:
    assert items_of("burrito", "twelve side of chips and guacamole") == spec("guacamole x12")
    assert items_of("burrito", "a side of guac and a side of chips") == spec("guacamole ; chips")


def test_grammar_a_shared_noun_said_once_is_meant_twice() -> None:
    assert items_of("burrito", "a bowl with pinto and black beans, mild and hot salsa") == spec(
        "burrito_bowl beans.pinto_beans beans.black_beans salsa.fresh_tomato_salsa "
        "salsa.red_chili_salsa"
    )


@pytest.mark.parametrize(
    ("menu", "text", "expected"),
    [
        # a second size of the same kind is a second item
        (
            "pizzeria",
            "a large ham pizza and small olives",
            "pizza pizza_size.large toppings.ham ; pizza pizza_size.small toppings.olives",
        ),
        (
            "pizzeria",
            "medium ham and medium olives",
            "pizza pizza_size.medium toppings.ham ; pizza pizza_size.medium toppings.olives",
        ),
        # ordinals and counts of generic nouns split a count into lines
        (
            "burrito",
            "2 bowls: first with steak, second with tofu",
            "burrito_bowl main_filling.steak ; burrito_bowl main_filling.tofu",
        ),
        ("sub", "two sandwiches, tuna and italian", "tuna ; italian"),
        (
            "sub",
            "3 cookies: 1 oatmeal raisin and 2 chocolate chip",
            "oatmeal_raisin ; chocolate_chip x2",
        ),
        (
            "pizzeria",
            "3 pizzas, a small ham, a small bacon and a large olives",
            "pizza pizza_size.small toppings.ham ; pizza pizza_size.small toppings.bacon ; "
            "pizza pizza_size.large toppings.olives",
        ),
        ("burger", "curly fries, two of them", "curly_fries x2"),
        (
            "burger",
            "3 burgers with bacon, extra cheese on one of them",
            "ham_burger x2 toppings.bacon ; ham_burger toppings.bacon toppings.cheddar+",
        ),
        # a size said for both, the dish said once
        (
            "coffee",
            "one small and one large vanilla latte",
            "latte size.small toppings.vanilla_syrup ; latte size.large toppings.vanilla_syrup",
        ),
        ("burger", "a vanilla and a strawberry shake", "vanilla_shake ; strawberry_shake"),
        ("burger", "a vanilla shake and a chocolate one", "vanilla_shake ; chocolate_shake"),
        # options of a dish the menu lacks, or of no dish in particular, go nowhere
        ("burger", "a hamburger and a large pepsi", "ham_burger"),
        ("burger", "two burgers and two medium sodas", "ham_burger x2"),
        # a list of options after the dish keeps going past a dish-like word
        (
            "burrito",
            "a steak burrito, black beans, corn salsa and guacamole",
            "burrito main_filling.steak beans.black_beans salsa.corn_salsa toppings.guacamole",
        ),
        # "no" as one entry of a comma list leaves off that entry only
        (
            "sub",
            "a turkey sub, swiss, no pickles, lettuce",
            "turkey_breast toppings.swiss -toppings.pickles toppings.lettuce",
        ),
        (
            "burger",
            "a burger with everything on it except ketchup",
            "ham_burger toppings.all_toppings -toppings.ketchup",
        ),
        (
            "burger",
            "a burger, no mustard, sub ketchup",
            "ham_burger -toppings.mustard toppings.ketchup",
        ),
        (
            "pizzeria",
            "a pizza with olives and one without",
            "pizza toppings.olives ; pizza -toppings.olives",
        ),
        # an amount said before a generic noun of a chosen option, or of the dish itself
        (
            "burrito",
            "a bowl with brown rice and chicken, go light on the rice",
            "burrito_bowl rice.brown_rice~ main_filling.chicken",
        ),
        ("sub", "a tuna sub with extra tuna and pickles", "tuna toppings.pickles"),
        ("coffee", "a latte, extra hot, with honey", "latte toppings.honey"),
        ("coffee", "a latte with 3 shots of hazelnut", "latte toppings.hazelnut_syrup"),
        ("coffee", "a latte with 2 pumps hazelnut", "latte toppings.hazelnut_syrup"),
        (
            "pizzeria",
            "a large pizza with ham on the whole pie",
            "pizza pizza_size.large toppings.ham",
        ),
        (
            "coffee",
            "a regular latte and a decaf latte, both large",
            "latte size.large ; latte style.decaf size.large",
        ),
        # "both" after a count of two says more of those two; "one ..." then carves one out
        (
            "coffee",
            "2 iced lattes, both skinny, one with vanilla",
            "latte style.iced style.skinny ; latte style.iced style.skinny toppings.vanilla_syrup",
        ),
        # past a break, a size ends a "no" (nobody leaves a size off)
        (
            "coffee",
            "hot chocolate no whip, medium",
            "hot_chocolate -toppings.whipped_cream size.regular",
        ),
        # the dish noun said once, after a flavour and a count
        (
            "burger",
            "three vanilla shakes and one strawberry",
            "vanilla_shake x3 ; strawberry_shake",
        ),
        (
            "sub",
            "2 cookies: a macadamia and an oatmeal",
            "white_chip_macadamia_nut ; oatmeal_raisin",
        ),
        # "and a small pepperoni" after a pizza is another pizza, not a size for the first
        (
            "pizzeria",
            "a pizza with spinach for my sister, and a small pepperoni for me",
            "pizza toppings.spinach ; pizza pizza_size.small toppings.pepperoni",
        ),
        # a side paired with "with"
        ("burrito", "chips with queso and a tea", "queso_blanco ; tractor_organic_black_tea"),
        # a heading before a colon over dishes of its own kind
        (
            "sub",
            "three bags of chips: a doritos, a sunchips and a baked lays",
            "doritos_nacho_cheese ; sunchips_harvest_cheddar ; baked_lays_original",
        ),
        ("pizzeria", "3 cokes, 2 sprites and a fanta", "coke x3 ; sprite x2 ; fanta"),
        # the lines that carve a count of options up say what dish it is
        (
            "pizzeria",
            "2 larges, one pepperoni one plain cheese, and a 2 liter pepsi",
            "pizza pizza_size.large toppings.pepperoni ; pizza pizza_size.large toppings.cheese ;"
            " pepsi volume.2_liter",
        ),
        # a dish noun after an option, even one that is a plain word elsewhere
        ("pizzeria", "a pizza and a garlic bread", "pizza"),
        # a measure word that starts a dish's name
        ("burger", "a sugar free lemonade", "zero_sugar_lemonade"),
        # "no toppings" on a line carved out of others keeps only its size
        (
            "pizzeria",
            "3 medium pizzas with pepperoni, and 1 medium with no toppings",
            "pizza x3 pizza_size.medium toppings.pepperoni ; pizza pizza_size.medium",
        ),
        (
            "burger",
            "2 burgers & a hamburger, no onions on any of them",
            "ham_burger x2 -toppings.onion ; ham_burger -toppings.onion",
        ),
        # a count of options before a colon, then one by one
        (
            "pizzeria",
            "2 large: a pepperoni and a hawaiian",
            "pizza pizza_size.large toppings.pepperoni ; pizza pizza_size.large style.hawaiian",
        ),
        # a dash set apart opens the list as a colon does
        (
            "pizzeria",
            "can i get two pizzas - a margherita and a bbq chicken",
            "pizza style.margherita ; pizza toppings.bbq_chicken",
        ),
        (
            "sub",
            "3 cookies: 2 chocolate chip, 1 oatmeal raisin",
            "chocolate_chip x2 ; oatmeal_raisin",
        ),
        # the kind of a dish said after it, or said alone after a size
        ("burger", "a large shake, chocolate", "chocolate_shake drink_size.large"),
        (
            "burger",
            "large chocolate shake and a medium vanilla",
            "chocolate_shake drink_size.large ; vanilla_shake drink_size.medium",
        ),
        # the kind after a generic noun without a comma; "one" after "both" counts; a dish
        # named again with a bare "without"; a measure word that names an option
        (
            "burger",
            "large fries, large shake chocolate",
            "french_fries side_size.large ; chocolate_shake drink_size.large",
        ),
        (
            "coffee",
            "two lattes both large one with hazelnut",
            "latte size.large ; latte size.large toppings.hazelnut_syrup",
        ),
        (
            "coffee",
            "a hot chocolate with whipped cream and a hot chocolate without",
            "hot_chocolate toppings.whipped_cream ; hot_chocolate -toppings.whipped_cream",
        ),
        ("pizzeria", "a liter of coke", "coke volume.1_liter"),
        # an option and an item read word by word, not as one made-up name
        ("pizzeria", "a bottled water", "water container.bottle"),
        # chat shorthand and an option pair said without "and"
        ("burger", "one dbl cheeseburger extra pickles", "double_cheese_burger toppings.pickle+"),
        (
            "sub",
            "an italian with salt pepper oil vinegar",
            "italian toppings.salt toppings.black_pepper toppings.oil toppings.red_wine_vinegar",
        ),
    ],
)
def test_grammar_general_rules(menu: str, text: str, expected: str) -> None:
    assert items_of(menu, text) == spec(expected)


@pytest.mark.parametrize(
    ("menu", "text", "expected"),
    [
        # "on a X bun": the article names what the dish is served on, it counts no new dish;
        # options after a comma belong to the dish just said
        (
            "demo",
            "bacon cheeseburger medium rare on a pretzel bun",
            "bacon_cheeseburger doneness.medium_rare bun.pretzel",
        ),
        ("demo", "jalapeno popper burger on a sesame bun", "jalapeno_popper_burger bun.sesame"),
        (
            "demo",
            "great, a cheeseburger on a gluten free bun, medium well",
            "classic_cheeseburger bun.gluten_free doneness.medium_well",
        ),
        (
            "demo",
            "a classic burger, well done, on a sesame bun",
            "classic_cheeseburger doneness.well_done bun.sesame",
        ),
        (
            "demo",
            "two bacon burgers on a brioche bun and a coke",
            "bacon_cheeseburger x2 bun.brioche ; coke",
        ),
        (
            "demo",
            "one burger on a brioche bun and one on a pretzel bun",
            "classic_cheeseburger bun.brioche ; classic_cheeseburger bun.pretzel",
        ),
        (
            "demo",
            "the veggie burger on a gluten free bun please",
            "garden_veggie_burger bun.gluten_free",
        ),
        (
            "pizzeria",
            "a medium pizza, please, on a thin crust",
            "pizza pizza_size.medium style.thin_crust",
        ),
        # a misspelling the menu lists ("chiken", "cheesburger") is the word inside a longer name
        (
            "demo",
            "can i get a medim bbq chiken pizza and mozarela sticks",
            "bbq_chicken_pizza pizza_size.medium ; mozzarella_sticks",
        ),
        ("demo", "two large bbq chiken pizzas", "bbq_chicken_pizza x2 pizza_size.large"),
        ("demo", "a crispy chiken sandwich", "crispy_chicken_sandwich"),
        (
            "burger",
            "can i get a double cheesburger and garlic fries",
            "double_cheese_burger ; garlic_fries",
        ),
        (
            "burger",
            "dbl cheesburger w/ bacon n xtra pickles",
            "double_cheese_burger toppings.bacon toppings.pickle+",
        ),
        (
            "burger",
            "a cheesburger and 2 double cheesburgers",
            "cheese_burger ; double_cheese_burger x2",
        ),
        # a word of a group's name after an option says which group's ("bbq sauce" on wings is
        # their sauce, "bbq dip" the dip); an option that names one with that word is as good as
        # its label
        ("demo", "a dozen wings with bbq sauce", "chicken_wings wing_count.12 wing_sauce.bbq"),
        ("demo", "a dozen wings with bbq dip", "chicken_wings wing_count.12 dip.bbq"),
        (
            "demo",
            "half dozen wings, bbq sauce, with bbq to dip",
            "chicken_wings wing_count.6 wing_sauce.bbq dip.bbq",
        ),
        ("demo", "onion rings with marinara dip", "onion_rings dip.marinara"),
        ("demo", "mozzarella sticks with ranch for dipping", "mozzarella_sticks dip.ranch"),
        ("demo", "a greek salad with ranch dressing", "greek_salad dressing.ranch"),
        # a count of a noun each dish's name ends with ("pizzas"), then the dishes by the word
        # before it ("a small cheese" is the cheese pizza)
        (
            "demo",
            "3 pizzas: a small cheese, a medium pepperoni and a large margherita",
            "cheese_pizza pizza_size.small ; pepperoni_pizza pizza_size.medium ; "
            "margherita_pizza pizza_size.large",
        ),
        (
            "demo",
            "two pizzas, a large cheese and a small bbq chicken",
            "cheese_pizza pizza_size.large ; bbq_chicken_pizza pizza_size.small",
        ),
        (
            "demo",
            "2 large pizzas: a cheese and a pepperoni",
            "cheese_pizza pizza_size.large ; pepperoni_pizza pizza_size.large",
        ),
        # a count set apart after the dish (and its options)
        ("demo", "tiramisu, two", "tiramisu x2"),
        ("demo", "a cannoli, three.", "cannoli x3"),
        (
            "demo",
            "bacon cheeseburger medium rare, two, and a coke",
            "bacon_cheeseburger x2 doneness.medium_rare ; coke",
        ),
        (
            "pizzeria",
            "pizza neapolitan, one, size small",
            "pizza style.neapolitan pizza_size.small",
        ),
        ("pizzeria", "pepperoni pizza, large, two", "pizza x2 toppings.pepperoni pizza_size.large"),
        # a count carved up one by one: what is left after the first is carved too, and the
        # options said before the noun go on each
        (
            "pizzeria",
            "two thin crust pizzas, one margherita and one hawaiian",
            "pizza style.thin_crust style.margherita ; pizza style.thin_crust style.hawaiian",
        ),
        (
            "pizzeria",
            "2 pizzas with ham, one thin crust and one deep dish",
            "pizza toppings.ham style.thin_crust ; pizza toppings.ham style.deep_dish",
        ),
        (
            "pizzeria",
            "3 large pizzas, a cheese, a margherita and a pepperoni",
            "pizza pizza_size.large toppings.cheese ; pizza pizza_size.large style.margherita ; "
            "pizza pizza_size.large toppings.pepperoni",
        ),
        (
            "pizzeria",
            "two small pizzas, a hawaiian and a veggie, and a coke",
            "pizza pizza_size.small style.hawaiian ; pizza pizza_size.small style.vegetarian ;"
            " coke",
        ),
        # ... but options after a comma with no count go on the count
        (
            "pizzeria",
            "2 large pizzas, pepperoni and sausage",
            "pizza x2 pizza_size.large toppings.pepperoni toppings.sausage",
        ),
        # an amount said after its option, past "on it" and "but"
        ("pizzeria", "a pizza with onions, not too much", "pizza toppings.onions~"),
        ("pizzeria", "a pizza with cheese please, but only a little bit", "pizza toppings.cheese~"),
        # a count of options before a colon, over dishes named after it that add up to it
        (
            "burger",
            "Hey, so I need 2 double cheeseburgers, one plain and one with bacon and extra cheese,"
            " a cheeseburger with no pickles for my daughter, 3 medium fries and 3 medium drinks:"
            " 2 cokes and a pink lemonade",
            "double_cheese_burger ; double_cheese_burger toppings.bacon toppings.cheddar+ ;"
            " cheese_burger -toppings.pickle ; french_fries x3 side_size.medium ;"
            " coca_cola x2 drink_size.medium ; pink_lemonade drink_size.medium",
        ),
        (
            "burger",
            "2 large drinks: a coke and a large pink lemonade, and fries",
            "coca_cola drink_size.large ; pink_lemonade drink_size.large ; french_fries",
        ),
        (
            "demo",
            "3 medium drinks: 2 cokes and a lemonade",
            "coke x2 drink_size.medium ; lemonade drink_size.medium",
        ),
        # consonant-only shorthand for a menu word
        ("burrito", "chkn burrito w guac", "burrito main_filling.chicken toppings.guacamole"),
        (
            "burrito",
            "stk bowl, brwn rice, blk beans",
            "burrito_bowl main_filling.steak rice.brown_rice beans.black_beans",
        ),
        (
            "burrito",
            "chix quesadilla with sour cream",
            "quesadilla main_filling.chicken toppings.sour_cream",
        ),
        # the first words of one option's name, then "one" for its noun
        (
            "burrito",
            "the tomatillo red one on a chicken burrito please",
            "burrito salsa.red_chili_salsa main_filling.chicken",
        ),
        (
            "burrito",
            "a chicken burrito with the tomatillo green one",
            "burrito main_filling.chicken salsa.green_chili_salsa",
        ),
        # a dish named uncounted before a colon heads the list of its kind after it
        (
            "coffee",
            "coffee run for the office: 2 large lattes, a small mocha and an americano",
            "latte x2 size.large ; americano",
        ),
        (
            "coffee",
            "coffee order: 2 large lattes and an americano",
            "latte x2 size.large ; americano",
        ),
        (
            "pizzeria",
            "pizza: a large pepperoni and a small cheese",
            "pizza pizza_size.large toppings.pepperoni ; pizza pizza_size.small toppings.cheese",
        ),
        # ... and before a sentence's end, when a later sentence orders that dish counted
        (
            "pizzeria",
            "the kids want pizza. one small pepperoni and one small with ham",
            "pizza pizza_size.small toppings.pepperoni ; pizza pizza_size.small toppings.ham",
        ),
        (
            "coffee",
            "coffee run for the office! 4 large drip coffees and 2 lattes",
            "drip_coffee x4 size.large ; latte x2",
        ),
        ("burger", "kids want apple slices. so 2 apple slices", "apple_slices x2"),
        # a count of one dish, then as many kinds of it: one line each
        (
            "burrito",
            "Three quesadillas: chicken, steak, and one veggie with fajita veggies",
            "quesadilla main_filling.chicken ; quesadilla main_filling.steak ; "
            "quesadilla main_filling.veggie toppings.fajita_veggies",
        ),
        (
            "burrito",
            "two bowls: chicken with white rice and steak with brown rice",
            "burrito_bowl main_filling.chicken rice.white_rice ; "
            "burrito_bowl main_filling.steak rice.brown_rice",
        ),
        (
            "pizzeria",
            "3 large pizzas - one pepperoni, one hawaiian, one with salami",
            "pizza pizza_size.large toppings.pepperoni ; pizza pizza_size.large style.hawaiian ; "
            "pizza pizza_size.large toppings.salami",
        ),
        # ... but "chicken and barbacoa" alone is both, on each
        (
            "burrito",
            "two burritos: chicken and barbacoa",
            "burrito x2 main_filling.chicken main_filling.barbacoa",
        ),
        # an amount on the word of an option's group: that option's amount
        (
            "demo",
            "12 piece wings, mango habanero, extra sauce",
            "chicken_wings wing_count.12 wing_sauce.mango_habanero+",
        ),
        (
            "burrito",
            "carnitas bowl with white rice, extra rice",
            "burrito_bowl main_filling.carnitas rice.white_rice+",
        ),
        # a counted option past a break that the dish before cannot take is the next dish's
        (
            "demo",
            "large hawaiian pizza, 12 wings garlic parm",
            "hawaiian_pizza pizza_size.large ; "
            "chicken_wings wing_count.12 wing_sauce.garlic_parmesan",
        ),
        # the first words of one dish's name, three or more, are that dish
        (
            "sub",
            "2 oatmeal raisin and a white chip macadamia please",
            "oatmeal_raisin x2 ; white_chip_macadamia_nut",
        ),
        # ... but not when the later sentences order other dishes only, or uncounted
        ("pizzeria", "i want pizza. and a coke", "pizza ; coke"),
        ("coffee", "latte please. and muffin", "latte"),
    ],
)
def test_grammar_general_rules_2(menu: str, text: str, expected: str) -> None:
    assert items_of(menu, text) == spec(expected)


def test_grammar_a_group_word_is_no_unknown_dish() -> None:
    got = reading("demo", "and add marinara dip to the rings")
    assert got.unknown == ()
    assert [(c.group, c.option) for line in got.items for c in line.choices] == [
        ("dip", "marinara")
    ]
    got = reading("demo", "and blue cheese to dip")
    assert [(c.group, c.option) for c in got.choices] == [("dip", "blue_cheese")]
    # a dish noun after an option of another group still names an unknown dish
    assert reading("demo", "a salad with a spinach dip").unknown == ("spinach dip",)


def test_grammar_an_amount_after_its_option_past_an_aside() -> None:
    got = reading("pizzeria", "also put some oregano on it, but just a little")
    choices = [*got.choices, *(c for line in got.items for c in line.choices)]
    assert [(c.group, c.option, c.qualifier) for c in choices] == [("toppings", "oregano", "light")]


def test_grammar_an_amount_of_a_word_the_menu_lacks_is_no_amount_of_the_option() -> None:
    # "extra crispy": the amount is of "crispy", not of the pepperoni said before it
    assert items_of("pizzeria", "a medium pizza with pepperoni, extra crispy") == spec(
        "pizza pizza_size.medium toppings.pepperoni"
    )
    assert items_of("pizzeria", "a medium pizza with pepperoni, extra please") == spec(
        "pizza pizza_size.medium toppings.pepperoni+"
    )


def test_grammar_heading_nouns_are_no_unknown_dishes() -> None:
    assert reading("demo", "3 pizzas: a small cheese and a large pepperoni").unknown == ()
    assert reading("coffee", "coffee run for the office: 2 lattes and a mocha").unknown == (
        "mocha",
    )
    # a count of a noun no dish after it names is still an unknown dish
    assert reading("demo", "2 pizzas, a coke").unknown == ("pizzas",)


@pytest.mark.parametrize(
    ("menu", "text", "expected"),
    [
        # a dish named by a topping, then "and one"/"and a" with other toppings: another dish
        (
            "pizzeria",
            "3 mushroom pizzas and one margherita",
            "pizza x3 toppings.mushrooms ; pizza style.margherita",
        ),
        (
            "pizzeria",
            "2 medium sausage pizzas and a medium hawaiian",
            "pizza x2 pizza_size.medium toppings.sausage ; pizza pizza_size.medium style.hawaiian",
        ),
        (
            "burger",
            "two bacon cheeseburgers and one jalapeno",
            "cheese_burger x2 toppings.bacon ; cheese_burger toppings.jalapenos",
        ),
        # ... but a count carved up after a comma, "with" and an extra stay on the dish said
        (
            "pizzeria",
            "3 mushroom pizzas, one thin crust",
            "pizza x2 toppings.mushrooms ; pizza toppings.mushrooms style.thin_crust",
        ),
        (
            "coffee",
            "a vanilla latte and an extra shot",
            "latte toppings.vanilla_syrup toppings.espresso_shot_1",
        ),
    ],
)
def test_grammar_another_kind_of_the_dish_after_and(menu: str, text: str, expected: str) -> None:
    assert items_of(menu, text) == spec(expected)
