"""Who a dish is for: the people a message names, the person each ordered line is for, and the
person an edit is about."""

from __future__ import annotations

import pytest

from graph.nlu import read
from graph.nlu.people import (
    handed_out,
    is_person,
    line_positions,
    mentions,
    owner_said,
    owners,
    who,
)
from graph.nlu.text import tokenize
from tests.unit.nlu_support import lexicon


def _owners(venue: str, text: str) -> list[tuple[str, str | None]]:
    lex = lexicon(venue)
    tokens = tokenize(text)
    lines = read(lex, text).items
    return list(
        zip(
            [line.item for line in lines],
            owners(tokens, line_positions(lex, tokens, lines)),
            strict=True,
        )
    )


def test_people_each_dish_is_for_the_person_after_it() -> None:
    assert _owners(
        "burger",
        "two cheeseburgers for the kids, a bacon burger for my husband, and a veggie burger for "
        "me. plus two small fries to share",
    ) == [
        ("cheese_burger", "kids"),
        ("ham_burger", "husband"),
        ("vegan_burger", "me"),
        ("french_fries", None),
    ]


def test_people_a_person_before_the_dishes_takes_them() -> None:
    assert _owners(
        "pizzeria",
        "the boys want to share a large hawaiian, my husband wants a medium meat lovers pizza "
        "and i'd like a personal size veggie pizza",
    ) == [("pizza", "boys"), ("pizza", "husband"), ("pizza", "me")]


def test_people_for_someone_opening_a_clause_takes_what_follows() -> None:
    assert _owners(
        "burger",
        "a cheeseburger for my husband, a chicken sandwich for me, and for the kids two hamburgers",
    ) == [("cheese_burger", "husband"), ("chicken_sandwich", "me"), ("ham_burger", "kids")]


@pytest.mark.parametrize(
    ("text", "person", "rest"),
    [
        ("my husband's bowl with brown rice", "husband", "bowl with brown rice"),
        ("the kids' ones light on the cheese", "kids", "ones light on the cheese"),
        ("mine with no mayo please", "me", "with no mayo please"),
        ("no onions on his please", "~his", "no onions on it please"),
        ("one of the kids wants pickles", "kids", "one of them wants pickles"),
        ("and a coke for my dad", None, "and a coke for my dad"),
    ],
)
def test_people_the_person_an_edit_is_about(text: str, person: str | None, rest: str) -> None:
    found, tokens = owner_said(tokenize(text))
    assert found == person
    assert " ".join(tokens) == rest


def test_people_his_hers_and_theirs_are_the_latest_named() -> None:
    people = ["kids", "husband", "wife"]
    assert who("~his", people) == "husband"
    assert who("~her", people) == "wife"
    assert who("~their", people) == "kids"
    assert who("~his", ["wife"]) is None
    assert who("son", people) == "son"


def test_people_words_for_a_person_of_the_conversation() -> None:
    # "my friend's" reads "friends" (apostrophes are gone); "the kid's one" is the only child's
    assert who("friends", ["me", "friend"]) == "friend"
    assert who("kids", ["me", "son"]) == "son"
    assert who("kids", ["son", "daughter"]) == "kids"  # which child: not for the words to say
    assert who("son", ["kids"]) == "son"  # one of the kids: not all of their lines
    assert who("wife", ["me", "husband"]) == "wife"


def test_people_words_that_name_people_are_no_dish() -> None:
    assert is_person("boys") and is_person("husbands") and is_person("mine")
    assert not is_person("pizza")
    assert [m.person for m in mentions(tokenize("a kid's meal"))] == []


def test_people_one_for_each() -> None:
    said = handed_out(tokenize("One for me, one for my wife and one for my daughter."))
    assert said == ["me", "wife", "daughter"]
    assert handed_out(tokenize("one for me with bacon, one for my wife")) == []
    assert handed_out(tokenize("a coke for my wife")) == []
