"""The menu lexicon: surface forms, typo tolerance, suggestions and ambiguous options."""

from __future__ import annotations

import pytest

from graph.nlu.text import tokenize
from tests.unit.nlu_support import items_of, lexicon, spec


def _names(menu: str, phrase: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    toks = tokenize(phrase)
    length, entry = lexicon(menu).lookup(toks, 0)
    assert entry is not None, phrase
    assert length == len(toks), phrase
    return entry.items, tuple((o.group, o.option) for o in entry.options)


@pytest.mark.parametrize(
    ("menu", "phrase", "item"),
    [
        ("pizzeria", "pies", "pizza"),
        ("pizzeria", "coke zeroes", "coke_zero"),
        ("pizzeria", "7-up", "seven_up"),
        ("pizzeria", "7up", "seven_up"),
        ("pizzeria", "doctor pepper", "dr_pepper"),
        ("burger", "cheeseburgers", "cheese_burger"),
        ("burger", "cheese burger", "cheese_burger"),
        ("burrito", "coca-cola", "mexican_coca_cola"),
        ("burrito", "coca cola", "mexican_coca_cola"),
        ("coffee", "cappucinos", "cappuccino"),
        ("coffee", "hot chocolates", "hot_chocolate"),
        ("sub", "sunchips", "sunchips_harvest_cheddar"),
        ("sub", "sun chips", "sunchips_harvest_cheddar"),
        ("sub", "black forest ham", "black_forest_ham"),
        ("sub", "italian bmt", "italian"),
    ],
)
def test_lexicon_names_items_by_label_alias_and_variant(menu: str, phrase: str, item: str) -> None:
    items, _ = _names(menu, phrase)
    assert item in items


@pytest.mark.parametrize(
    ("menu", "phrase", "option"),
    [
        ("pizzeria", "thin crust", ("style", "thin_crust")),
        ("pizzeria", "thin", ("style", "thin_crust")),
        ("pizzeria", "olive", ("toppings", "olives")),
        ("pizzeria", "mushroom", ("toppings", "mushrooms")),
        ("pizzeria", "party-sized", ("pizza_size", "party_size")),
        ("pizzeria", "2-liter", ("volume", "2_liter")),
        ("burger", "mayo", ("toppings", "mayonnaise")),
        ("burrito", "guac", ("toppings", "guacamole")),
        ("burrito", "sofritas", ("main_filling", "tofu")),
        ("coffee", "caramel", ("toppings", "caramel_syrup")),
        ("sub", "jalapeno", ("toppings", "jalapenos")),
    ],
)
def test_lexicon_names_options_by_alias_and_variant(
    menu: str, phrase: str, option: tuple[str, str]
) -> None:
    _, options = _names(menu, phrase)
    assert option in options


@pytest.mark.parametrize(
    ("menu", "typo", "word"),
    [
        ("pizzeria", "jalepeno", "jalapeno"),
        ("pizzeria", "pizzza", "pizza"),
        ("pizzeria", "mushrom", "mushroom"),
        ("pizzeria", "sausge", "sausage"),
        ("burger", "chesseburger", "cheeseburger"),
        ("burrito", "chiken", "chicken"),
        ("burrito", "quesadila", None),  # a listed short form, not a typo to correct
        ("coffee", "cappuccio", "cappuccino"),
        ("sub", "provalone", None),
    ],
)
def test_lexicon_corrects_a_misspelled_menu_word(menu: str, typo: str, word: str | None) -> None:
    lex = lexicon(menu)
    if word is None:
        assert lex.is_known(typo) or lex.correct(typo) is not None
    else:
        assert lex.correct(typo) == word


@pytest.mark.parametrize(
    ("menu", "word", "meant"),
    [
        ("burger", "share", None),  # everyday words are meant as written
        ("burger", "covers", None),
        ("pizzeria", "twins", None),
        ("pizzeria", "told", None),
        ("burger", "fires", "fries"),  # ... unless two letters were swapped
    ],
)
def test_lexicon_leaves_english_words_be(menu: str, word: str, meant: str | None) -> None:
    assert lexicon(menu).correct(word) == meant


def test_lexicon_reads_an_english_word_as_a_dish_where_a_dish_is_due() -> None:
    # "a lrg late": right after a size, "late" is the latte
    assert lexicon("coffee").correct("late") is None
    assert lexicon("coffee").correct("late", dish=True) == "latte"
    assert items_of("coffee", "a lrg late with vanila") == spec(
        "latte size.large toppings.vanilla_syrup"
    )


@pytest.mark.parametrize("word", ["want", "please", "lemme", "gimme", "thanks", "order", "hello"])
def test_lexicon_leaves_plain_words_alone(word: str) -> None:
    assert lexicon("pizzeria").correct(word) is None


@pytest.mark.parametrize(
    ("menu", "text", "expected"),
    [
        ("pizzeria", "a peperoni pizza", "pizza toppings.pepperoni"),
        ("pizzeria", "a peperronni pizza", "pizza toppings.pepperoni"),
        ("pizzeria", "two dr pepers", "dr_pepper x2"),
        ("pizzeria", "a pizza with jalepeno", "pizza toppings.jalapeno_peppers"),
        (
            "pizzeria",
            "a pizza with mushrom and sausge",
            "pizza toppings.mushrooms toppings.sausage",
        ),
        ("burger", "a chesseburger with pickels", "cheese_burger toppings.pickle"),
        ("burrito", "a chiken burito", "burrito main_filling.chicken"),
        ("coffee", "a large capuccino", "cappuccino size.large"),
        ("sub", "a turky sub with provalone", "turkey_breast toppings.provolone"),
        (
            "pizzeria",
            "a larg pizza wiht extar cheese and sasuage, withuot onoins",
            "pizza pizza_size.large toppings.cheese+ toppings.sausage -toppings.onions",
        ),
        (
            "coffee",
            "a carmel lattee wiht an extra shot",
            "latte toppings.caramel_syrup toppings.espresso_shot_1",
        ),
        (
            "burger",
            "a chesseburger with bacon and chedder",
            "cheese_burger toppings.bacon toppings.cheddar",
        ),
    ],
)
def test_lexicon_typos_still_read_as_the_order(menu: str, text: str, expected: str) -> None:
    assert items_of(menu, text) == spec(expected)


@pytest.mark.parametrize(
    ("menu", "text", "first"),
    [
        ("coffee", "capuccino", "cappuccino"),
        ("coffee", "expreso", "espresso"),
        ("burger", "chese burger", "cheese_burger"),
        ("burger", "curly fry", "curly_fries"),
        ("sub", "meatbal marinara", "meatball_marinara"),
        ("burrito", "quesadia", "quesadilla"),
        ("pizzeria", "peppsi", "pepsi"),
    ],
)
def test_lexicon_suggest_puts_the_closest_item_first(menu: str, text: str, first: str) -> None:
    suggestions = lexicon(menu).suggest(text, limit=3)
    assert suggestions[0] == first
    assert len(suggestions) <= 3


def test_lexicon_suggest_of_nothing_is_empty() -> None:
    assert lexicon("coffee").suggest("   ") == []


def test_lexicon_item_decides_which_group_an_option_is_in() -> None:
    # "large" is a pizza size on a pizza and a drink size on a drink.
    assert items_of("pizzeria", "a large pizza and a large sprite") == spec(
        "pizza pizza_size.large ; sprite drink_size.large"
    )
    # "medium" is a coffee size and a roast: the size comes first on the item.
    assert items_of("coffee", "a medium latte") == spec("latte size.regular")
    # "cinnamon" is a roast and an add-in; its own label wins.
    assert items_of("coffee", "a latte with cinnamon") == spec("latte toppings.cinnamon")


def test_lexicon_option_word_inside_an_item_name_stays_the_item() -> None:
    assert items_of("sub", "a steak and cheese") == spec("steak_and_cheese")
    assert items_of("burger", "a double cheese burger") == spec("double_cheese_burger")
    assert items_of("pizzeria", "a vegan pizza with vegan pepperoni") == spec(
        "pizza style.vegan toppings.vegan_pepperoni"
    )


def test_lexicon_house_item_is_the_restaurants_own_kind() -> None:
    assert lexicon("coffee").house_items == {"drip_coffee"}
    assert lexicon("burger").house_items == {"ham_burger"}
    assert lexicon("pizzeria").house_items == frozenset()


@pytest.mark.parametrize(
    ("menu", "phrase", "names"),
    [
        # numbers said the other way than the menu spells them
        ("coffee", "2 shots of espresso", ((), (("toppings", "espresso_shot_2"),))),
        # a long name without one inner word, when what is left is still its own
        ("sub", "white chip macadamia cookies", (("white_chip_macadamia_nut",), ())),
        ("burrito", "tomatillo green salsa", ((), (("salsa", "green_chili_salsa"),))),
        # ... or whose words, in order, are found in the names of one thing only
        ("burrito", "tomatillo red salsa", ((), (("salsa", "red_chili_salsa"),))),
        # words people swap inside a name
        ("pizzeria", "all the veggies", ((), (("style", "all_vegetables"),))),
    ],
)
def test_lexicon_names_said_otherwise(
    menu: str, phrase: str, names: tuple[tuple[str, ...], tuple[tuple[str, str], ...]]
) -> None:
    assert _names(menu, phrase) == names


def test_lexicon_a_shortened_name_must_keep_a_word_of_its_own() -> None:
    # "chicken sandwich" would drop "teriyaki" from "chicken teriyaki sandwich": too generic
    toks = tokenize("chicken sandwich")
    assert lexicon("sub").lookup(toks, 0)[0] != len(toks)
    # "nantucket orange juice" is in two names (peach orange, pineapple orange)
    toks = tokenize("nantucket orange juice")
    assert lexicon("burrito").lookup(toks, 0)[0] != len(toks)


def test_lexicon_a_listed_misspelling_names_all_the_word_names() -> None:
    # "cinamon" is listed for the cinnamon roast only; it misspells the topping's name too
    _, options = _names("coffee", "cinamon")
    assert ("toppings", "cinnamon") in options
    assert items_of("coffee", "a small cappucino with cinamon") == spec(
        "cappuccino size.small toppings.cinnamon"
    )


@pytest.mark.parametrize(
    ("menu", "word", "following", "meant"),
    [
        ("burger", "blu", "cheese", "blue"),
        ("burrito", "blk", "beans", "black"),
        ("pizzeria", "grn", "peppers", "green"),
        ("burrito", "xyz", "beans", None),
        # too few letters to stand for "black"
        ("burrito", "bl", "beans", None),
    ],
)
def test_lexicon_corrects_a_short_word_by_the_word_after_it(
    menu: str, word: str, following: str, meant: str | None
) -> None:
    assert lexicon(menu).correct_before(word, following) == meant


def test_lexicon_corrects_a_plural_spelled_with_ys() -> None:
    assert lexicon("burger").correct("frys") == "fries"


def test_lexicon_respells_a_word_inside_a_longer_name() -> None:
    assert items_of("burrito", "a burito bowl with steak") == spec(
        "burrito_bowl main_filling.steak"
    )


def test_lexicon_knows_its_drinks() -> None:
    assert "coca_cola" in lexicon("burger").drinks
    assert "ham_burger" not in lexicon("burger").drinks


@pytest.mark.parametrize(
    ("menu", "short", "word"),
    [
        ("burrito", "chkn", "chicken"),
        ("burrito", "stk", "steak"),
        ("burrito", "brwn", "brown"),
        ("burger", "brgr", "burger"),
        ("sub", "mstrd", "mustard"),
        # the menu's listed misspelling ("chiken") counts as the word it misspells
        ("demo", "chkn", "chicken"),
        # more than vowels left out: no abbreviation to trust
        ("demo", "frm", None),
        ("demo", "smh", None),
        ("burger", "chs", None),
    ],
)
def test_lexicon_spells_out_a_word_written_without_vowels(
    menu: str, short: str, word: str | None
) -> None:
    assert lexicon(menu).correct(short) == word


def test_lexicon_respells_a_listed_misspelling_inside_a_longer_name() -> None:
    assert lexicon("demo").respell["chiken"] == "chicken"
    assert items_of("demo", "a bbq chiken pizza") == spec("bbq_chicken_pizza")
    # a plural is no misspelling
    assert "pickles" not in lexicon("demo").respell


def test_lexicon_an_option_named_with_its_groups_word_is_named_in_full() -> None:
    # "bbq sauce" is the dip's label and the wing sauce's "bbq" with the group's word "sauce":
    # the group the wings list first wins, as for any name both spell out
    lex = lexicon("demo")
    _, entry = lex.lookup(tokenize("bbq sauce"), 0)
    assert entry is not None
    taken = lex.accepted_group("chicken_wings", entry.options)
    assert taken is not None and taken.group == "wing_sauce"
    taken = lex.accepted_group("onion_rings", entry.options)
    assert taken is not None and taken.group == "dip"
    assert lex.group_words["dip"] == frozenset({"dip"})
    assert lex.group_words["dipping"] == frozenset({"dip"})
    assert lex.group_words["sauce"] == frozenset({"dip", "wing_sauce"})
