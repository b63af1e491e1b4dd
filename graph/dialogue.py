"""What the conversation refers to, and how an edit said in it maps onto the cart.

`Dialogue` is the part of the graph's state that remembers which cart lines were talked about:
the lines added, mentioned or edited, most recent last; the lines the last turn touched; what
the last adding turn ordered ("same again"); the dish a question was about ("ok, one of those");
and an edit waiting for the customer to say which line they meant.

`plan_edit` maps an `Edit` (what the message said, `graph.nlu.edits`) onto the cart: which lines
its reference means (by recency, ordinal, item, class noun or a distinguishing option), and the
changes to make to each, as `Step`s the cart tools carry out. It never guesses between lines: a
reference that fits two lines comes back as an `Ask` with the candidates. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from graph.menu import Item, Menu, OptionGroup
from graph.models import CartLineRead, CartRead, ChoiceRead, ChoiceSpec, LineSpec
from graph.nlu.edits import SIZE_WORDS, group_own_option, item_words, option_kinds, singular
from graph.nlu.grammar import parse_order
from graph.nlu.lexicon import Lexicon
from graph.nlu.people import is_group, kin_of_theirs, members, who
from graph.nlu.reading import Choice, Edit, EditOp, Ref, frozen_fields
from graph.nlu.text import tokenize
from graph.nlu.words import DISH_WORDS, TRAIT_SAID, WARM_DISH
from graph.search import course


@dataclass(frozen=True, slots=True)
class Dialogue:
    """What the conversation is about, checkpointed with the rest of the state."""

    mentioned: tuple[str, ...] = ()  # cart line ids added, mentioned or edited; latest last
    last: tuple[str, ...] = ()  # the lines the latest turn that touched the cart touched
    added: tuple[LineSpec, ...] = ()  # what the latest adding turn ordered, for "same again"
    offer: LineSpec | None = None  # a dish asked about or suggested: "yes" / "one of those"
    asked_about: tuple[LineSpec, ...] = ()  # the dishes asked about since: "one of each"
    last_edit: EditOp | None = None  # what the latest edit did: "and 1 of the subs" goes on
    asked: Edit | None = None  # an edit waiting for "which one?"
    candidates: tuple[str, ...] = ()  # the lines that edit may mean
    # the lines the latest edit changed, as they were before it (None: the edit made the line),
    # for "never mind that, keep it large"
    undo: tuple[tuple[str, LineSpec | None], ...] = ()
    last_change: Edit | None = None  # the latest change, for "the other one too"
    owners: tuple[tuple[str, str], ...] = ()  # (line id, who it is for): "for the kids"
    options: tuple[Choice, ...] = ()  # the options just asked about: "ok add one" takes them
    # the options asked about one question after another, latest last: "with both of those",
    # "the cheaper one"
    options_in_a_row: tuple[Choice, ...] = ()
    # the options of a kind just listed ("what salsas do you have?"), for the next message
    # only: "the green one" is the green chili salsa, not the romaine lettuce
    listed: tuple[Choice, ...] = ()
    people: tuple[str, ...] = ()  # the people named, latest last ("his" is the latest man)
    party: int | None = None  # how many they said they are: "we're 4", "me and 2 coworkers"
    # how many each group of people said is: "my 2 kids", "the twins", "me and 3 coworkers",
    # for "the kids each want ..." and "a shake for each of them" later
    groups: tuple[tuple[str, int], ...] = ()

    def group_count(self, group: str) -> int | None:
        """How many a group of people was said to be ("my 2 kids": the kids are 2), or None."""
        return next((n for g, n in reversed(self.groups) if g == group), None)

    def __post_init__(self) -> None:
        frozen_fields(self)

    def owned(self, line_ids: Iterable[str], person: str | None) -> Dialogue:
        """The dialogue with these lines for a person (named latest)."""
        if person is None:
            return self
        ids = set(line_ids)
        owners = tuple((i, p) for i, p in self.owners if i not in ids)
        people = tuple(p for p in self.people if p != person)
        return replace(
            self,
            owners=(*owners, *((i, person) for i in line_ids))[-40:],
            people=(*people, person)[-8:],
        )

    def shared(self, line_id: str, people: Sequence[str]) -> Dialogue:
        """The dialogue with one line for several people ("two italians for me and my wife"):
        each of them has a unit of it."""
        owners = tuple((i, p) for i, p in self.owners if i != line_id)
        named = tuple(p for p in self.people if p not in people)
        return replace(
            self,
            owners=(*owners, *((line_id, p) for p in people))[-40:],
            people=(*named, *(p for p in people if p != "me"))[-8:],
        )

    def sharers(self, line_id: str) -> int:
        """How many people a line is for."""
        return sum(1 for i, _ in self.owners if i == line_id)

    def claimed(
        self, made: Iterable[str], person: str, split: Iterable[str] | None = None
    ) -> Dialogue:
        """The dialogue after a person's unit was split off a line they shared: the new lines
        are theirs alone, and the line they shared (of `split`, when known) is the others'."""
        ids = set(made)
        off = set(split) if split is not None else None
        owners = tuple(
            (i, p)
            for i, p in self.owners
            if i in ids
            or p != person
            or self.sharers(i) < 2
            or (off is not None and i not in off)  # (their share of the other lines stays)
        )
        return replace(self, owners=owners).owned(ids, person)

    def touched(self, line_ids: Iterable[str], cart: CartRead | None = None) -> Dialogue:
        """The dialogue after a turn talked about these lines (and dropped lines now gone)."""
        ids = list(dict.fromkeys(line_ids))
        if not ids:
            return self.pruned(cart) if cart is not None else self
        kept = [i for i in self.mentioned if i not in ids]
        mentioned = tuple([*kept, *ids][-20:])
        out = replace(self, mentioned=mentioned, last=tuple(ids))
        return out.pruned(cart) if cart is not None else out

    def pruned(self, cart: CartRead) -> Dialogue:
        """Without the lines the cart no longer has."""
        have = {line.id for line in cart.lines}
        return replace(
            self,
            mentioned=tuple(i for i in self.mentioned if i in have),
            last=tuple(i for i in self.last if i in have),
            owners=tuple((i, p) for i, p in self.owners if i in have),
        )


# --- steps ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Update:
    """Set a line's item, quantity and said choices (all of them: nothing is merged)."""

    line_id: str
    item: str | None = None  # a new item (a swap)
    quantity: int | None = None
    choices: tuple[ChoiceSpec, ...] | None = None  # None: the choices stay as they are


@dataclass(frozen=True, slots=True)
class Split:
    """Take `units` off a line into a new line of their own: `line` (with its own changes)."""

    line_id: str
    keep: int  # the old line's new quantity
    line: LineSpec


@dataclass(frozen=True, slots=True)
class Remove:
    """Remove a line, or only some of its units."""

    line_id: str
    units: int | None = None  # None: the whole line


@dataclass(frozen=True, slots=True)
class Add:
    """Put a new line in the cart."""

    line: LineSpec


Step = Update | Split | Remove | Add


@dataclass(frozen=True, slots=True)
class Ask:
    """The edit could mean several lines: ask which (the candidates, in cart order)."""

    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Missing:
    """Nothing in the cart fits: why, for the reply."""

    reason: str  # "empty", "no_line", "no_change", "not_taken", "unknown_item"
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    """What an edit does: steps to carry out, or a question, or why nothing can be done."""

    steps: tuple[Step, ...] = ()
    ask: Ask | None = None
    missing: Missing | None = None
    targets: tuple[str, ...] = ()  # the lines the edit went to
    notes: tuple[str, ...] = field(default=())  # options dropped because the new item lacks them


# --- matching lines ---------------------------------------------------------------------------


def _said(line: CartLineRead) -> list[ChoiceRead]:
    return [c for c in line.choices if not c.default]


def _covers_all(group: OptionGroup, option: str) -> bool:
    """Whether an option is all of its group's others ("All Toppings", "All Vegetables")."""
    found = group.option(option)
    return found is not None and found.label.lower().startswith("all ")


def _has(line: CartLineRead, options: Iterable[tuple[str, str]]) -> bool:
    wanted = set(options)
    return any((c.group, c.option) in wanted and not c.exclude for c in line.choices)


def _has_words(line: CartLineRead, words: Iterable[str], lexicon: Lexicon | None = None) -> bool:
    """Whether an option the line has is named with the words (by its label; with `lexicon`,
    by its other names too: "all veggies" for All Vegetables)."""
    if lexicon is None:
        wanted = set(words)
        return any(
            not c.exclude and wanted <= {singular(w) for w in c.label.lower().split()}
            for c in line.choices
        )
    wanted = {_stem(w) for w in words}
    return any(
        not c.exclude
        and any(wanted <= {_stem(w) for w in name.lower().split()} for name in _names(c, lexicon))
        for c in line.choices
    )


def _stem(word: str) -> str:
    """A word without its plural ending, "veggie" and "veggies" alike."""
    one = singular(word)
    return f"{one[:-2]}y" if one.endswith("ie") else one


def _names(choice: ChoiceRead, lexicon: Lexicon) -> tuple[str, ...]:
    group = lexicon.menu.group(choice.group)
    option = group.option(choice.option) if group is not None else None
    return (choice.label, *(option.aliases if option is not None else ()))


def _left_off(line: CartLineRead, options: Iterable[tuple[str, str]]) -> bool:
    wanted = set(options)
    return any((c.group, c.option) in wanted and c.exclude for c in line.choices)


def _lacks(line: CartLineRead, options: Iterable[tuple[str, str]]) -> bool:
    wanted = set(options)
    return not any((c.group, c.option) in wanted and not c.exclude for c in line.choices)


def _is_item(
    lexicon: Lexicon, line: CartLineRead, items: Sequence[str], words: Sequence[str]
) -> bool:
    if not items and not words:
        return True
    if line.item in items:
        return True
    mine = item_words(lexicon, line.item)
    if words and all(singular(w) in mine for w in words):
        return True
    # "the burger" when the cart's burger is the veggie one: the named item's own nouns
    return any(
        (item_words(lexicon, key) & mine) - _GENERIC and _same_kind(lexicon, key, line.item)
        for key in items
    )


_GENERIC = frozenset({"drink", "side", "main", "entree", "dessert", "beverage", "soda", "pop"})


def _same_kind(lexicon: Lexicon, a: str, b: str) -> bool:
    menu = lexicon.menu
    return _category(menu, a) == _category(menu, b)


def _category(menu: Menu, key: str) -> str | None:
    for category in menu.categories:
        if any(item.key == key for item in category.items):
            return category.key
    return None


# Words of an option that counts pieces of a dish: "24 piece", "12 ct" ("make it 24 wings")
_PIECES = frozenset({"piece", "pieces", "pc", "pcs", "count", "ct"})


_PLAIN = frozenset({"plain", "regular", "normal"})
_UNNAMED_ONE = frozenset({"~his", "~her"})  # "his", "her": one person, even of a group


def named(lexicon: Lexicon, lines: Sequence[CartLineRead], ref: Ref) -> list[CartLineRead]:
    """The lines a reference's words fit: item or class noun, options it has, options it lacks.
    An exact item match wins over a class noun ("the coke" over every drink). A word that says
    what a dish is, when no line is named by it, says it of the lines ("the vegetarian one" for
    the sofritas burrito, "the hot one" for the coffee beside a coke, with a hot cocoa on the
    menu)."""
    found = _named(lexicon, lines, ref)
    said = {*ref.words, *(w for words in ref.option_words for w in words)}
    if found or ref.items or ref.traits or ref.unlike or len(said) != 1 or len(ref.options) > 1:
        return found
    trait = TRAIT_SAID.get(said.pop())
    if trait is None:
        return found
    name, has = trait
    bare = replace(ref, words=(), options=(), option_words=())
    return _named(lexicon, lines, replace(bare, traits=(name,) * has, unlike=(name,) * (not has)))


def _named(lexicon: Lexicon, lines: Sequence[CartLineRead], ref: Ref) -> list[CartLineRead]:
    if ref.but:
        # "everything except the salad": the lines of other dishes
        lines = [line for line in lines if line.item not in ref.but]
    found = [
        line
        for line in lines
        if all(_has(line, options) for options in ref.options)
        and all(_lacks(line, options) for options in ref.without)
    ]
    if ref.traits or ref.unlike:
        found = _by_traits(lexicon, found, ref)
    if ref.only:
        # "the ones that are just pepperoni": of those, the lines with nothing else of its kind
        kinds = {group for options in ref.options for group, _ in options}
        said = {option for options in ref.options for option in options}
        alone = [
            line
            for line in found
            if all((c.group, c.option) in said for c in _said(line) if c.group in kinds)
        ]
        found = alone or found
    if not found and ref.plural and len(ref.options) > 1:
        # "the chicken and steak ones": the lines of either, when none has both
        found = [
            line
            for line in lines
            if any(_has(line, options) for options in ref.options)
            and all(_lacks(line, options) for options in ref.without)
        ]
    if ref.without:
        # "the one without onions": the line they were left off before one that never had them
        off = [line for line in found if all(_left_off(line, o) for o in ref.without)]
        found = off or found
    if not found and ref.option_words:
        # "the chicken one" for the pizza with BBQ chicken: an option whose name has the words
        found = [
            line
            for line in lines
            if all(_has_words(line, words) for words in ref.option_words)
            and all(_lacks(line, options) for options in ref.without)
        ]
    if not found and ref.option_words:
        # "the veggie one" for the pizza with all vegetables ("all veggies"): another name of it
        found = [
            line
            for line in lines
            if all(_has_words(line, words, lexicon) for words in ref.option_words)
            and all(_lacks(line, options) for options in ref.without)
        ]
    if not found and ref.option_words and not ref.without:
        # "the bacon one" for the bacon cheeseburger beside a classic one: a word of the dish's
        # own name
        found = [
            line
            for line in lines
            if all(
                {singular(w) for w in words} <= item_words(lexicon, line.item, own=True)
                for words in ref.option_words
            )
        ]
    if not ref.items and not ref.words:
        return found
    plain = [w for w in ref.words if w in _PLAIN]
    if plain and not ref.items:
        # "the plain one", "the regular latte": the line of it with nothing added (a size
        # does not count)
        rest = replace(ref, words=tuple(w for w in ref.words if w not in _PLAIN))
        kin = named(lexicon, found, rest) if rest.words else found
        return [
            line
            for line in kin
            if all(lexicon.groups[c.group].select == "one" for c in _said(line))
        ]
    exact = [line for line in found if line.item in ref.items]
    if exact and ref.ordinal is not None and ref.words:
        # "the second burger" after a cheeseburger and a bacon burger: of all the burgers
        wanted = {singular(w) for w in ref.words}
        kin = [line for line in found if line in exact or wanted <= item_words(lexicon, line.item)]
        if len(kin) > len(exact):
            return kin
    if exact and not (ref.every and ref.words):
        return exact
    if exact:
        # "any of the burgers": the veggie burger too, not only the dish "burgers" reads as
        wanted = {singular(w) for w in ref.words}
        more = [  # by the head noun of the label: a "burrito bowl" is no burrito
            line
            for line in found
            if line not in exact
            and {singular(line.label.lower().split()[-1])} <= wanted
            # ("both vanilla ones" is no chocolate shake: every word said is the line's)
            and wanted <= item_words(lexicon, line.item)
        ]
        return [line for line in found if line in exact or line in more]
    if ref.words:
        # "the burger": a line whose label says burger, then one with burger in another of its
        # names, before one that is only on the burgers page
        wanted = {singular(w) for w in ref.words}
        for tier in ({"label": True}, {"own": True}):
            own = [line for line in found if wanted <= item_words(lexicon, line.item, **tier)]
            if own and ref.every and sum(line.quantity for line in own) < 2:
                # "bacon on both of the sandwiches" with one chicken sandwich: more than one
                # unit is meant, the lines of that kind (a cheeseburger is a sandwich too)
                kin = [line for line in found if wanted <= item_words(lexicon, line.item)]
                if sum(line.quantity for line in kin) > 1:
                    return kin
            if own:
                return own
    by_item = [line for line in found if _is_item(lexicon, line, ref.items, ref.words)]
    if by_item or not ref.words or ref.items:
        return by_item
    # "on the chicken" for the pizza with grilled chicken: a word of an option it has
    words = [singular(w) for w in ref.words]
    having = [line for line in found if _has_words(line, words)]
    # ("to the cheese one" for the burger with cheddar: another name of it)
    return having or [line for line in found if _has_words(line, words, lexicon)]


# What a trait says of a line, by the words of its names (`DISH_WORDS`), one pattern each.
_TRAIT_WORDS = {
    trait: re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b")
    for trait, words in DISH_WORDS.items()
}
# The traits said by the end of the item's label, one pattern each.
_HEAD_TRAITS = {
    trait: re.compile(rf"\b(?:{'|'.join(map(re.escape, DISH_WORDS[trait]))})e?s?$")
    for trait in ("coffee", "tortilla")
}
# The traits of drinks; the others are of dishes ("the meat one" is no coke).
_DRINK_TRAITS = frozenset({"hot", "coffee"})


def _by_traits(lexicon: Lexicon, lines: Sequence[CartLineRead], ref: Ref) -> list[CartLineRead]:
    """The lines a reference's traits fit: those that are what it says ("the fishy one") and,
    of those of its kind (dishes, drinks), those that are not what it says it is not ("the
    meatless one"): the vegetarian ones first, then those beside a line that is."""
    found = [line for line in lines if all(_is(lexicon, line, trait) for trait in ref.traits)]
    for trait in ref.unlike:
        drinks = trait in _DRINK_TRAITS
        kin = [line for line in found if _is_drink(lexicon, line.item) == drinks]
        lacking = [
            line
            for line in kin
            if not _is(lexicon, line, trait)
            and not (trait == "meat" and _is(lexicon, line, "fish"))
        ]
        vegetarian = [
            line for line in lacking if trait == "meat" and _is(lexicon, line, "vegetarian")
        ]
        having = {_category(lexicon.menu, line.item) for line in kin if _is(lexicon, line, trait)}
        beside = [line for line in lacking if _category(lexicon.menu, line.item) in having]
        found = vegetarian or beside or lacking
    return found


def _is_drink(lexicon: Lexicon, key: str) -> bool:
    return any(
        course(category) == 3 and any(item.key == key for item in category.items)
        for category in lexicon.menu.categories
    )


def _is(lexicon: Lexicon, line: CartLineRead, trait: str) -> bool:
    """Whether a line is what a trait says, by its item's tags and the words of its and its
    options' names: "hot" is a drink's warmth (not iced) and a dish's spice; "meat", "beef",
    "pork" and "fish" are a dish's, said by a name that does not say vegetarian too ("veggie
    burger"); "coffee" and "tortilla" are said by the item's label alone."""
    item = lexicon.items.get(line.item)
    if item is None:
        return False
    drink = _is_drink(lexicon, line.item)
    name = " ".join((item.label, item.key.replace("_", " "), *item.aliases)).lower()
    options = [" ".join(_names(c, lexicon)).lower() for c in line.choices if not c.exclude]
    if trait in _HEAD_TRAITS:
        # by the label's last words: a "burrito bowl" is in no tortilla, a "hot chocolate" no
        # coffee
        return bool(_HEAD_TRAITS[trait].search(item.label.lower()))
    if trait == "hot" and drink:
        cold = _TRAIT_WORDS["iced"]
        return bool(_TRAIT_WORDS["hot"].search(name)) and not any(
            cold.search(n) for n in (name, *options)
        )
    if drink:
        return False
    if trait in ("hot", "spicy"):
        spicy = _TRAIT_WORDS["spicy"]
        return "spicy" in item.tags or any(
            spicy.search(WARM_DISH.sub("", n)) for n in (name, *options)
        )
    vegetarian = _TRAIT_WORDS["vegetarian"]
    tagged = bool({"vegetarian", "vegan"} & set(item.tags))
    if trait == "vegetarian":
        return tagged or any(vegetarian.search(n) for n in (name, *options))
    said = _TRAIT_WORDS.get(trait)
    names = options if tagged else [name, *options]
    return said is not None and any(said.search(n) and not vegetarian.search(n) for n in names)


def _in_order(lines: Sequence[CartLineRead], ids: Sequence[str]) -> list[CartLineRead]:
    by_id = {line.id: line for line in lines}
    return [by_id[i] for i in ids if i in by_id]


def _recent(lines: Sequence[CartLineRead], dialogue: Dialogue) -> list[CartLineRead]:
    """Lines by how lately they were talked about, latest first (then the cart's newest)."""
    mentioned = _in_order(lines, dialogue.mentioned)
    rest = [line for line in lines if line not in mentioned]
    return [*reversed(mentioned), *reversed(rest)]


def accepts(menu: Menu, item: Item | None, choice: Choice | ChoiceSpec) -> bool:
    """Whether an item takes an option (in that group, or in another group it takes)."""
    return item is not None and fitted(menu, item, choice) is not None


def fitted(menu: Menu, item: Item, choice: Choice | ChoiceSpec) -> ChoiceSpec | None:
    """The choice in the item's own group: "large" read as a pizza size is a drink size on a
    coke, "tomatoes" read as a salad topping is the burger's "tomato". None when the item has
    no such option."""
    groups = menu.groups_of(item)
    for group in groups:
        if group.key == choice.group and group.option(choice.option) is not None:
            return _spec(choice, group.key, choice.option)
    for group in groups:
        if group.option(choice.option) is not None:
            return _spec(choice, group.key, choice.option)
    said = menu.group(choice.group)
    option = said.option(choice.option) if said is not None else None
    if option is None:
        return None
    name = _name(option.label)
    for group in groups:
        for other in group.options:
            if _name(other.label) == name or name in {_name(a) for a in other.aliases}:
                return _spec(choice, group.key, other.key)
    # "no olives" read as black olives, on a salad with kalamata olives: the one olive it has
    head = name.split()[-1] if name else ""
    same = [
        (group.key, other.key)
        for group in groups
        for other in group.options
        if _name(other.label).split()[-1:] == [head]
    ]
    if len(same) == 1:
        return _spec(choice, *same[0])
    return None


def with_choices(menu: Menu, spec: LineSpec, said: Iterable[Choice | ChoiceSpec]) -> LineSpec:
    """A dish with more options said for it ("that pizza, but large, with extra mushrooms"):
    an option said again takes its old place, and one of a pick-one group (a size) replaces
    the group's old one. Options the dish does not take are left out."""
    item = menu.item(spec.item)
    if item is None:
        return spec
    choices = list(spec.choices)
    for choice in said:
        fit = fitted(menu, item, choice)
        if fit is None:
            continue
        group = menu.group(fit.group)
        one = group is not None and group.select == "one"
        choices = [
            c
            for c in choices
            if (c.group, c.option) != (fit.group, fit.option) and not (one and c.group == fit.group)
        ]
        choices.append(fit)
    return spec.model_copy(update={"choices": tuple(choices)})


def dish_options(menu: Menu, items: Iterable[str]) -> list[Choice]:
    """The options named like these dishes ("guacamole": the topping beside the side)."""
    out: list[Choice] = []
    for key in items:
        item = menu.item(key)
        if item is None:
            continue
        for group in menu.option_groups:
            for option in group.options:
                if option.key == item.key or option.label.lower() == item.label.lower():
                    out.append(Choice(group.key, option.key))
    return out


def _name(label: str) -> str:
    return " ".join(singular(w) for w in label.lower().split())


def _spec(choice: Choice | ChoiceSpec, group: str, option: str) -> ChoiceSpec:
    return ChoiceSpec(
        group=group, option=option, qualifier=choice.qualifier, exclude=choice.exclude
    )


# --- planning ---------------------------------------------------------------------------------


def _same_line(line: CartLineRead, spec: LineSpec) -> bool:
    said = {(c.group, c.option, c.qualifier, c.exclude) for c in line.choices if not c.default}
    wanted = {(c.group, c.option, c.qualifier, c.exclude) for c in spec.choices}
    return line.item == spec.item and said == wanted


def _alike(lines: Sequence[CartLineRead]) -> bool:
    """Whether lines hold the same thing (the same item with the same choices)."""
    first = lines[0]
    spec = LineSpec(item=first.item, choices=_specs(_said(first)))
    return all(_same_line(line, spec) for line in lines[1:])


@dataclass(slots=True)
class _Planner:
    lexicon: Lexicon
    cart: CartRead
    dialogue: Dialogue

    @property
    def menu(self) -> Menu:
        return self.lexicon.menu

    def item(self, key: str) -> Item | None:
        return self.lexicon.items.get(key)

    def names(self, line: CartLineRead, edit: Edit) -> bool:
        """Whether the item the edit names is the line's own ("make it 2 diet cokes", "just one
        cookie"), not a new one to swap in."""
        if edit.item is None or edit.item == line.item:
            return True
        if edit.ref is not None and line.item in edit.ref.items:
            return False  # "regular fries instead of sweet potato": the line named is swapped
        if edit.instead and (edit.ref is None or not edit.ref.named):
            return False  # "make it a burrito instead" on a burrito bowl: another dish
        said = set(edit.ref.words) if edit.ref is not None else set()
        if said and not said <= item_words(self.lexicon, edit.item):
            # "swap the double for a regular cheeseburger": the line named by a word the new
            # dish lacks is swapped
            return False
        if (
            # ("make the carnitas one a burrito": the line named by its option only)
            (edit.ref is None or not (edit.ref.items or edit.ref.words))
            and edit.item_words
            and edit.quantity is None
            and not edit.choices
            and edit.op == "change"
        ):
            length, entry = self.lexicon.lookup(edit.item_words, 0)
            if length == len(edit.item_words) and entry is not None and entry.items == (edit.item,):
                # "make mine a burrito" on a burrito bowl: the dish's own name, another dish
                return False
        return bool(edit.item_words) and set(edit.item_words) <= item_words(self.lexicon, line.item)

    def fits(self, line: CartLineRead, edit: Edit) -> bool:
        """Whether an edit's options can go on a line."""
        if edit.op != "change":
            return True
        if edit.item is not None and not self.names(line, edit):
            # "both large ... one coke and one diet coke": a swap to a drink is no burger's
            ref = edit.ref
            if (
                ref is None or (ref.pronoun and not ref.named)
            ) and line.id not in self.dialogue.last:
                # "just 1 seven up" after the drinks were removed: no pizza becomes a drink
                return _same_kind(self.lexicon, edit.item, line.item)
            return not (ref is not None and (ref.every or ref.plural)) or _same_kind(
                self.lexicon, edit.item, line.item
            )
        if edit.sibling:
            return True
        item = self.item(line.item)
        if item is None:
            return False
        groups = {g.key for g in self.menu.groups_of(item)}
        return (
            all(accepts(self.menu, item, c) for c in edit.choices)
            and all(g in groups for g, *_ in edit.groups)
            and (
                not edit.drop
                or any(
                    _has(line, [(d.group, d.option)])
                    or (d.exclude and accepts(self.menu, item, d))
                    or _left_off(line, [(d.group, d.option)])  # "tomato is fine" after "no tomato"
                    for d in edit.drop
                )
            )
        )

    def by_items(self, edit: Edit) -> list[CartLineRead]:
        """The lines the items named in the message are: exactly, else by their nouns."""
        lines = list(self.cart.lines)
        found = [line for line in lines if any(line.item in keys for keys in edit.items)]
        if not found:
            found = [
                line
                for line in lines
                if any(_is_item(self.lexicon, line, keys, ()) for keys in edit.items)
            ]
        return _recent_first(found, self.dialogue)

    def candidates(self, edit: Edit) -> tuple[list[CartLineRead], bool]:
        """The lines an edit can mean, latest talked about first, and whether the message
        pinned them down (named, counted, "both") rather than leaving it to the conversation."""
        lines = list(self.cart.lines)
        ref = edit.ref
        if ref is not None and ref.joined:
            # "the fries and the coke": the lines of each
            each = [
                named(self.lexicon, lines, part) for part in (replace(ref, joined=()), *ref.joined)
            ]
            if all(each):
                found = list(dict.fromkeys(line for part in each for line in part))
                return _recent_first(found, self.dialogue), True
        if ref is not None and (ref.named or ref.ordinal is not None or ref.other):
            found = named(self.lexicon, lines, ref)
            sign = _relative_size(ref)
            if not found and sign:
                # "the big one" of a small and an extra large pizza: the bigger of them
                found = self.by_size(named(self.lexicon, lines, replace(ref, options=())), sign)
            if ref.ordinal is not None or ref.other:
                found = self.ordinal(found, ref)
            if ref.sized:
                found = self.by_size(found, ref.sized)
            return _recent_first(found, self.dialogue), True
        if edit.items and not (ref is not None and ref.every and edit.item is not None):
            # "just one diet coke", "remove fries", "make it 2 diet cokes" (not "all of them
            # sprites": every line becomes one)
            found = self.by_items(edit)
            if found and ref is not None and ref.pronoun:
                last = [line for line in found if line.id in self.dialogue.last]
                found = last or found
            if found or edit.op != "change" or edit.item is None:
                return found, True
        if ref is not None and ref.every:
            return _recent_first(lines, self.dialogue), False
        if ref is not None and (ref.pronoun or ref.count is not None):
            last = _in_order(lines, self.dialogue.last)
            return (last or _recent(lines, self.dialogue)[:1]), False
        return _recent(lines, self.dialogue), False

    def by_size(self, lines: list[CartLineRead], sign: int) -> list[CartLineRead]:
        """ "The bigger one" (sign 1) or "the smaller one" (-1): the lines of that size, by the
        order of the options of their size group; lines without one do not count."""
        ranked: list[tuple[float, CartLineRead]] = []
        for line in lines:
            item = self.item(line.item)
            group = self.menu.size_group(item) if item is not None else None
            if group is None:
                continue
            size = next((c.option for c in line.choices if c.group == group.key), None)
            rank = _size_rank(group, size) if size is not None else None
            if rank is not None:
                ranked.append((rank * sign, line))
        if len(ranked) < 2:
            return lines
        best = max(rank for rank, _ in ranked)
        return [line for rank, line in ranked if rank == best]

    def ordinal(self, lines: list[CartLineRead], ref: Ref) -> list[CartLineRead]:
        """ "The second pizza", "the last one", "the other one", among lines in cart order."""
        if ref.other:
            dialogue = self.dialogue
            if (
                dialogue.last_edit == "remove"
                and not dialogue.last
                and ref.plural
                and len(lines) > 1
            ):
                # "drop the cappuccino" ... "and make the other two large": the lines left
                return lines
            # "the other one": not the line talked about last
            latest = set(self.dialogue.mentioned[-1:])
            ids = {line.id for line in lines}
            if ref.named and len(lines) > 1 and not ids & latest:
                # "the other burger" after fries were ordered: not the burger talked about last
                latest = set([i for i in self.dialogue.mentioned if i in ids][-1:])
            rest = [
                line for line in lines if line.id in latest and ref.count in (None, line.quantity)
            ]
            if rest and self.dialogue.last_edit == "remove":
                # "take 2 of the 5 cokes off" ... "the other 3", "remove one of the cokes" ...
                # "make the other coke a diet coke": what is left of it
                return rest
            others = [line for line in lines if line.id not in latest]
            if len(others) > 1:
                # "one of the coffees large" ... "the other two small": the rest of that dish
                kinds = {line.item for line in self.cart.lines if line.id in latest}
                alike = [line for line in others if line.item in kinds]
                if ref.count is not None:
                    alike = [line for line in alike if line.quantity == ref.count]
                others = alike
            return others if len(others) == 1 else []
        assert ref.ordinal is not None
        found: list[CartLineRead] = []
        for ordinal in (ref.ordinal, *ref.ordinals):
            line = _nth(lines, ordinal)
            if line is None:
                return []
            found.append(line)
        return found

    def units_left(self, lines: list[CartLineRead], edit: Edit) -> list[CartLineRead]:
        """ "2 hot chocolates" ... "one with drizzles" ... "one with crumbles": units handed out
        one message after another, so the next "one with ..." is one the last split left as it
        was (only its count changed), not the one it just made."""
        ref, before = edit.ref, self.dialogue.last_change
        if (
            ref is None
            or ref.named
            or edit.item is not None
            or not edit.choices
            or before is None
            or before.ref is None
            or before.ref.count is None
            # ("make that two of them decaf" after one: the same option, the count put right)
            or set(edit.choices) <= set(before.choices)
        ):
            return []
        was = {line_id: spec for line_id, spec in self.dialogue.undo if spec is not None}
        return [
            line
            for line in lines
            if (spec := was.get(line.id)) is not None
            and spec.quantity > line.quantity
            and _specs(_said(line)) == spec.choices
        ]

    def targets(self, edit: Edit) -> list[CartLineRead] | Ask | Missing:
        """The lines an edit goes to."""
        if not self.cart.lines:
            return Missing("empty")
        found, pinned = self.candidates(edit)
        ref = edit.ref
        if not found:
            return Missing("no_line")
        fitting = [line for line in found if self.fits(line, edit)]
        if not fitting and edit.drop and not pinned and (ref is None or ref.pronoun):
            # "make it pepperjack instead of swiss" after a sprite: the one line with the swiss
            having = [
                line
                for line in self.cart.lines
                if any(_has(line, [(d.group, d.option)]) for d in edit.drop)
                and self.fits(line, edit)
            ]
            fitting = having if len(having) == 1 else []
        if (
            not fitting
            and edit.drop
            and {d.group for d in edit.drop} <= {c.group for c in edit.choices}
        ):
            # "ranch instead of the caesar dressing" on a salad that has the house dressing: the
            # dressing the customer thought it had is replaced all the same
            fitting = [line for line in found if self.fits(line, replace(edit, drop=()))]
        if (
            not fitting
            and not pinned
            and edit.choices
            and edit.item is None
            and (ref is None or (ref.pronoun and not ref.plural and ref.count is None))
        ):
            # "what comes on everything?" ... "ok keep it but no mustard" with a hot cocoa
            # ordered last: "it" is the one line the option can go on
            takers = [line for line in self.cart.lines if self.fits(line, edit)]
            fitting = takers if len(takers) == 1 else []
        if not fitting:
            return Missing("not_taken")
        if ref is not None and ref.count is not None:
            # "one of them", "one of the sprites": units out of one line
            if len(fitting) == 1 or _alike(fitting):
                return fitting[:1]
            last = [line for line in fitting if line.id in self.dialogue.last]
            if len(last) == 1:
                return last
            left = self.units_left(last, edit)
            if len(left) == 1:
                return left
            return Ask(tuple(line.id for line in _cart_order(fitting, self.cart)))
        if ref is not None and ref.ordinals:
            return _cart_order(fitting, self.cart)  # "the first and third"
        if ref is not None and ref.every:
            if len(fitting) > 2 and not ref.named and self.dialogue.last_edit is None:
                # "and 2 lattes and a mocha, all iced": what was just ordered (not what an edit
                # just split: "make one of the pepperoni ones sausage" ... "thin crust on all
                # of them" is every pizza)
                last = [line for line in fitting if line.id in self.dialogue.last]
                many = sum(line.quantity for line in last)
                # ("make all three large" after a pizza, then two more: all three pizzas)
                if len(last) >= 2 and ref.total in (None, many):
                    fitting = last
            return _cart_order(fitting, self.cart)
        if ref is not None and ref.plural and (ref.named or ref.pronoun or ref.other):
            # "them", "the cheeseburgers", "the other two": every line meant
            if pinned:
                return _cart_order(fitting, self.cart)
            last = [line for line in fitting if line.id in self.dialogue.last]
            if last:
                return _cart_order(last, self.cart)
        if len(fitting) == 1:
            return fitting
        narrowed = self.narrow(fitting, edit, pinned)
        if len(narrowed) == 1:
            return narrowed
        if (ref is None or not ref.plural) and _alike(narrowed):
            # lines holding the same thing: whichever is meant comes out the same (the one
            # talked about last)
            last = [line for line in narrowed if line.id in self.dialogue.last]
            return last[-1:] or narrowed[-1:]
        return Ask(tuple(line.id for line in _cart_order(narrowed, self.cart)))

    def narrow(self, lines: list[CartLineRead], edit: Edit, pinned: bool) -> list[CartLineRead]:
        """Several lines fit: the one the message can only mean, if any."""
        # "go light on the mushrooms", "no pickles": the line that has the option
        having = [
            line
            for line in lines
            if any(
                _has(line, [(c.group, c.option)]) for c in edit.choices if c.qualifier or c.exclude
            )
            or any(_has(line, [(d.group, d.option)]) for d in edit.drop)
        ]
        if len(having) == 1:
            return having
        if (
            edit.quantity is not None
            and edit.choices
            and (not edit.item or all(line.item == edit.item for line in lines))
        ):
            # "actually make it 3 chicken", "so just one steak burrito": the line the option
            # names, that many
            named_by = [
                line
                for line in lines
                if all(_has(line, [(c.group, c.option)]) for c in edit.choices)
            ]
            if len(named_by) == 1:
                return named_by
        last = [line for line in lines if line.id in self.dialogue.last]
        ref = edit.ref
        pointing = ref is None or ref.pronoun
        if pointing and not pinned and len(last) == 1:
            # "make it large", "just one", "actually a sprite": the line talked about last,
            # when the latest turn touched only one that fits
            return last
        if pinned and len(last) == 1 and edit.items:
            return last
        apart = self.said_apart(last)
        if (
            ref is not None
            and ref.pronoun
            and not pinned
            and not ref.plural
            and edit.quantity is None
            and edit.owner is None
            and apart is not None
        ):
            # "three cappuccinos, one with an extra shot" ... "make that one iced too": the unit
            # said apart from the rest
            return [apart]
        if edit.item is not None and not pinned and edit.op == "change":
            # "actually a sprite": a swap goes to the latest line of the same kind; with the
            # latest lines gone, "just 1 seven up" changes no pizza
            kind = [line for line in lines if _same_kind(self.lexicon, line.item, edit.item)]
            if kind or not last:
                return kind[:1]
        if pointing and not pinned and not last and not (edit.choices or edit.groups):
            return lines[:1]
        return lines

    def said_apart(self, last: list[CartLineRead]) -> CartLineRead | None:
        """Of the units of one dish the latest turn parted, the one said apart from the rest
        ("no honey on one of them": the one the change shows on; "three cappuccinos, one with
        an extra shot": the one alone; "2 lattes, one with caramel": the one with more)."""
        if len(last) < 2 or len({line.item for line in last}) != 1:
            return None
        if any(i == line.id for line in last for i, _ in self.dialogue.owners):
            return None  # (people's units: whose one is meant is theirs to say)
        change = self.dialogue.last_change
        if change is not None and {line.id for line in last} <= {i for i, _ in self.dialogue.undo}:
            shown = [
                line
                for line in last
                if all(_has(line, [(c.group, c.option)]) != c.exclude for c in change.choices)
            ]
            if change.choices and len(shown) == 1:
                return shown[0]
        single = [line for line in last if line.quantity == 1]
        if len(single) == 1:
            return single[0]
        said = {line.id: {(c.group, c.option, c.exclude) for c in _said(line)} for line in last}
        more = [
            line
            for line in last
            if all(said[other.id] < said[line.id] for other in last if other is not line)
        ]
        return more[0] if len(more) == 1 else None

    # --- steps --------------------------------------------------------------------------------

    def plan(self, edit: Edit) -> Plan:
        """Steps for an edit, or a question, or why not."""
        if edit.like is not None:
            return self.copied(edit)
        if edit.added and (extras := self.extras(edit)) is not None:
            return extras
        person = who(edit.owner, self.dialogue.people)
        theirs = {i for i, p in self.dialogue.owners if p == person}
        if not theirs and person is not None and is_group(person):
            # "the kids' ones" after one for my son and one for my daughter: theirs
            each = members(person, self.dialogue.people)
            theirs = {i for i, p in self.dialogue.owners if p in each}
            ref = edit.ref
            if len(theirs) > 1 and (
                ref is None or (ref.pronoun and ref.count is None and ref.ordinal is None)
            ):
                edit = replace(edit, ref=Ref(every=True, plural=True))  # each of theirs
        shared = [
            line
            for line in self.cart.lines
            if line.id in theirs and line.quantity > 1 and self.dialogue.sharers(line.id) > 1
        ]
        unowned = replace(edit, owner=None)
        if person is not None and not is_group(person) and len(theirs) == 1 and shared:
            # "she wants hers without onions" on two italians for me and my wife: her one; "my
            # uncle wants red salsa" on six tacos, three for my dad and three for him: his three
            sharers = self.dialogue.sharers(shared[0].id)
            share = shared[0].quantity // sharers if shared[0].quantity % sharers == 0 else 1
            if self.a_groups(shared[0]):
                share = 1  # "mine with an extra shot" on four for me and 3 coworkers: my one
            return self.units_of(shared[0], share, unowned)
        if person is not None and is_group(person) and len(theirs) == 1 and shared:
            # "the kids' ones small" on three hot chocolates for me and my two kids: all but
            # the others' one each
            units = shared[0].quantity - (self.dialogue.sharers(shared[0].id) - 1)
            if 0 < units < shared[0].quantity:
                return self.units_of(shared[0], units, unowned)
        counted = self.dialogue.group_count(person) if person is not None else None
        if counted is not None and edit.op == "remove" and edit.ref is not None:
            # "the sisters don't want drinks" on three minute maids for me and my 2 sisters,
            # none of them said to be theirs: their one each of them
            owners = {i for i, _ in self.dialogue.owners}
            found = self.among({line.id for line in self.cart.lines} - owners).targets(unowned)
            held = self.among(theirs).targets(unowned) if theirs else Missing("no_line")
            if (
                isinstance(held, Missing)
                and isinstance(found, list)
                and len(found) == 1
                and found[0].quantity > counted
            ):
                return self.units_of(found[0], counted, unowned)
        ref = edit.ref
        several = ref is not None and (ref.count or ref.other or ref.every or ref.plural)
        if (
            person is not None
            and not is_group(person)
            and not theirs
            # ("Ana can't make it, take hers off" on four lattes for me and 3 coworkers)
            and edit.op in ("change", "remove")
            and not several  # ("the other two ..., for me and my husband")
        ):
            # "my husband wants his latte with two extra shots" on two lattes for the family,
            # "Kim wants extra rice on hers" on three burritos for us: one of them is theirs
            found = self.targets(unowned)
            if isinstance(found, list) and len(found) == 1 and found[0].quantity > 1:
                return self.units_of(found[0], 1, unowned)
            # (a line for a group is free for one of them: "Leo wants his as a bowl" on the
            # one burrito left of those "for two friends")
            owners = {i for i, p in self.dialogue.owners if person == "me" or not is_group(p)}
            free = (
                [i for i in found.candidates if i not in owners] if isinstance(found, Ask) else []
            )
            if len(free) == 1:
                # "and mine decaf" when every other line it could be is someone's; "my friend
                # Ana wants hers with pinto beans" when that line is of two: one of them
                line = next(x for x in self.cart.lines if x.id == free[0])
                if line.quantity > 1 and person != "me":
                    return self.units_of(line, 1, unowned)
                return self.among(set(free)).plan(unowned)
            grouped = [
                line
                for line in self.cart.lines
                if isinstance(found, Ask)
                and line.id in found.candidates
                and line.quantity > 1
                and self.a_groups(line)
            ]
            if len(grouped) == 1 and person != "me":
                # "Lily wants whipped cream on hers" on two hot chocolates for the kids: hers
                return self.units_of(grouped[0], 1, unowned)
            spare = [
                line
                for line in self.cart.lines
                if isinstance(found, Ask)
                and line.id in found.candidates
                and line.quantity > max(1, self.dialogue.sharers(line.id))
            ]
            if (
                len(spare) == 1
                and person != "me"
                and isinstance(found, Ask)
                and all(i in owners for i in found.candidates if i != spare[0].id)
            ):
                # "Li wants hers with tofu" on three bowls for me and 2 coworkers, one of them
                # split off for Raj already: one of the two nobody has taken
                return self.units_of(spare[0], 1, unowned)
            unclaimed = {line.id for line in self.cart.lines if line.id not in owners}
            if (
                unclaimed
                and len(unclaimed) < len(self.cart.lines)
                and not (ref and ref.named)
                and edit.item is None  # ("my dad wants his americano extra large")
            ):
                # "mine's the chicken one, with white rice" ... "his with brown rice": not a
                # line someone else has
                plan = self.among(unclaimed).plan(unowned)
                held = [line for line in self.cart.lines if line.id in plan.targets]
                if (
                    len(held) == 1
                    and held[0].quantity > 1
                    and person != "me"
                    and self.a_groups(held[0])
                ):
                    # "tom wants his with pineapple" on two pizzas for my kids: his one
                    return self.units_of(held[0], 1, unowned)
                if plan.missing is None:
                    return plan
        unnamed = person is None and edit.owner in ("~his", "~her")
        if unnamed and edit.op == "change" and not several:
            # "one of the guys wants a lemonade instead of his coke" on 4 cokes for the team,
            # nobody named: his one of them
            found = self.targets(unowned)
            owners = {i for i, _ in self.dialogue.owners}
            my_ids = {i for i, p in self.dialogue.owners if p == "me"}
            if (
                isinstance(found, list)
                and len(found) == 1
                and found[0].quantity > 1
                and (
                    found[0].id not in owners
                    # ("put extra sausage on his" on my pizza made two for my brother too:
                    # the one that is not mine)
                    or (
                        found[0].id in my_ids
                        and found[0].quantity > self.dialogue.sharers(found[0].id)
                    )
                )
            ):
                return self.units_of(found[0], 1, unowned)
        if unnamed and edit.op == "change" and not several and not (ref and ref.named):
            # "mine with mustard, his with ketchup only" on two burgers: his is the one that
            # is not mine, when the speaker said which is theirs and nobody else is named
            owners = {i for i, _ in self.dialogue.owners}
            unclaimed = {line.id for line in self.cart.lines} - owners
            if unclaimed and any(p == "me" for _, p in self.dialogue.owners):
                plan = self.among(unclaimed).plan(unowned)
                if plan.missing is None:
                    return plan
        if (
            edit.op == "remove"
            and person is not None
            and not is_group(person)
            and theirs
            and edit.ref is None
            and len(edit.amounts) > 1
        ):
            # "drop his pizza and his water": his pizza, and his one of the waters
            off = self.theirs_each(edit, theirs)
            if off is not None:
                return off
        owned = self.among(theirs)
        other_kind = self.their_unit_of_kind(owned, unowned) if person is not None else None
        if other_kind is not None:
            return other_kind
        if person is not None and not is_group(person) and shared:
            # "no onion on hers" after "same again for my wife" (a burger and fries, two of
            # each): her unit of the line it goes to
            found = owned.targets(unowned)
            if isinstance(found, list) and len(found) == 1 and found[0] in shared:
                return self.units_of(found[0], 1, unowned)
        if theirs and len(theirs) < len(self.cart.lines) and owned.cart.lines:
            partly = self.partly_theirs(owned, unowned) if edit.op == "remove" else None
            if partly is not None and person is not None and not is_group(person):
                return partly
            # "no onions on his", "the kids' ones": only that person's lines
            mine = owned.plan(unowned)
            # the dish named is none of theirs ("swap his diet coke", "my husband says no
            # hamburger")
            elsewhere = (
                ref is not None
                and bool(ref.items)
                and not any(line.item in ref.items for line in owned.cart.lines)
                and any(line.item in ref.items for line in self.cart.lines)
            )
            # ("make mine a diet coke" when their lines hold no drink: a swap of a kind none
            # of theirs is)
            swapped = (
                edit.op == "change"
                and edit.item is not None
                and mine.missing is not None
                and not any(
                    _same_kind(self.lexicon, line.item, edit.item) for line in owned.cart.lines
                )
            )
            if (
                (
                    elsewhere
                    or swapped
                    or (mine.missing is not None and mine.missing.reason == "no_line")
                )
                and person is not None
                # ("the same guy wants a dr pepper in place of his coke" after "one of my
                # friends wants ...": he is one of them)
                and (not is_group(person) or edit.owner in _UNNAMED_ONE)
                and not several
            ):
                # "swap his diet coke for a seven up" when his lines hold none: his one of
                # the diet cokes nobody has claimed
                owners = {i for i, _ in self.dialogue.owners}
                found = self.among({line.id for line in self.cart.lines} - owners).targets(unowned)
                if isinstance(found, list) and len(found) == 1:
                    return self.units_of(found[0], 1, unowned)
                if elsewhere:
                    return self.plan_all(unowned)
            if mine.missing is not None and mine.missing.reason == "no_line" and ref and ref.named:
                # "the latte is mine, flavored with raspberry" when the line thought theirs is
                # another: the line they name
                return self.plan_all(edit)
            return mine
        return self.plan_all(edit)

    def their_unit_of_kind(self, owned: _Planner, edit: Edit) -> Plan | None:
        """ "One of the boys wants a sprite instead" on the boys' subs and three cokes nobody
        has claimed: none of theirs is a drink, so one of the cokes."""
        ref = edit.ref
        if (
            edit.op != "change"
            or edit.item is None
            or ref is None
            or ref.count != 1
            or ref.items
            or ref.words
            or not owned.cart.lines
            or any(_same_kind(self.lexicon, line.item, edit.item) for line in owned.cart.lines)
        ):
            return None
        owners = {i for i, _ in self.dialogue.owners}
        kind = [
            line
            for line in self.cart.lines
            if line.id not in owners
            and line.quantity > 1
            and _same_kind(self.lexicon, line.item, edit.item)
        ]
        return self.units_of(kind[0], 1, edit) if len(kind) == 1 else None

    def partly_theirs(self, owned: _Planner, edit: Edit) -> Plan | None:
        """ "Mom isn't hungry, skip her salad and her fries" on her salad and fries for three
        nobody has claimed: her line of the dishes she has, and one of the others' units."""
        ref = edit.ref
        if ref is None or len(ref.items) < 2:
            return None
        held = {line.item for line in owned.cart.lines}
        away = [key for key in ref.items if key not in held]
        if not away or len(away) == len(ref.items):
            return None
        owners = {i for i, _ in self.dialogue.owners}
        free = [
            line
            for line in self.cart.lines
            if line.id not in owners and line.item in away and line.quantity > 1
        ]
        if len(free) != len(away):
            return None
        kept = tuple(key for key in ref.items if key in held)
        plan = owned.plan(replace(edit, ref=replace(ref, items=kept), items=()))
        steps, targets = list(plan.steps), list(plan.targets)
        for line in free:
            unit = self.units_of(line, 1, replace(edit, items=()))
            if not unit.steps:
                return None
            steps += unit.steps
            targets += unit.targets
        return replace(plan, steps=tuple(steps), targets=tuple(targets)) if plan.steps else None

    def lines_of(self, person: str) -> list[CartLineRead]:
        """A person's lines: those ordered for them; the speaker's are also those for no one."""
        theirs = {i for i, p in self.dialogue.owners if p == person}
        if person == "me" and not theirs:
            theirs = {line.id for line in self.cart.lines} - {i for i, _ in self.dialogue.owners}
        return [line for line in self.cart.lines if line.id in theirs]

    def copied(self, edit: Edit) -> Plan:
        """ "Same as mine for Jo", "my daughter wants a quesadilla too, same as her brother's",
        "Leo wants his as a bowl, same fillings as mine": a copy of that person's line (of the
        dish named; made that dish when theirs is another of its kind), for the copy's person;
        "she wants a turkey like her dad's instead of the ham": her ham becomes his turkey."""
        assert edit.like is not None
        people = self.dialogue.people
        owner = who(edit.owner, people)
        # ("same as his for Jordan": his is the one before Jordan)
        person = who(edit.like, [p for p in people if p != owner]) or edit.like
        if person not in people and person != "me":
            # "same as his sister's" for my son: my daughter's
            person = kin_of_theirs(person, people) or person
        theirs = self.lines_of(person)
        plain = replace(edit, like=None)
        if not theirs:
            return Plan(missing=Missing("no_line"))
        if edit.op == "change":
            # the line the swap names becomes their line of that dish, as theirs is ("his as a
            # bowl, same fillings as mine": as much of mine as a bowl takes)
            source = [line for line in theirs if line.item == edit.item] or [
                line
                for line in theirs
                if edit.item is not None and _same_kind(self.lexicon, line.item, edit.item)
            ]
            plan = self.plan(plain)
            if len(source) != 1 or edit.item is None or not plan.steps:
                return plan
            takes = self.lexicon.accepts.get(edit.item, {})
            choices = tuple(c for c in _specs(_said(source[0])) if c.group in takes)
            steps = tuple(
                replace(step, choices=choices)
                if isinstance(step, Update) and step.item
                else replace(step, line=step.line.model_copy(update={"choices": choices}))
                if isinstance(step, Split) and step.line.item == edit.item
                else step
                for step in plan.steps
            )
            return replace(plan, steps=steps)
        lines = theirs
        if edit.item_words and not edit.items:
            # "the same drink as the kids": their lines of that kind (all, when none is)
            kind = [x for x in theirs if _is_item(self.lexicon, x, (), edit.item_words)]
            lines = kind or theirs
            plain = replace(plain, item_words=())
        if edit.items:
            plain = replace(plain, instead=False)  # (whose line gives way: `replaced_by_copy`)
            keys = {key for keys in edit.items for key in keys}
            lines = [line for line in theirs if line.item in keys]
            if len(edit.items) > 1:
                # "the burger and the fries" for my garlic fries: each named, or its one kind
                # (mine are also those ordered for no one: "a veggie burger, and fries for me")
                owned = {i for i, _ in self.dialogue.owners}
                free = [x for x in self.cart.lines if x.id not in owned] if person == "me" else []
                lines = []
                for named_keys in edit.items:
                    for pool in (theirs, free):
                        exact = [x for x in pool if x.item in named_keys]
                        kind = [x for x in pool if _same_kind(self.lexicon, x.item, named_keys[0])]
                        found = exact or (kind if len(kind) == 1 else [])
                        if found:
                            lines += [x for x in found if x not in lines]
                            break
            if not lines and len(edit.items) == 1:
                # "his as a bowl, same fillings as mine" on my burrito: mine, made a bowl
                lines = [x for x in theirs if _same_kind(self.lexicon, x.item, edit.items[0][0])]
                if len(lines) != 1:
                    return Plan(missing=Missing("no_line"))
                plain = replace(plain, item=edit.items[0][0], instead=True)
            plain = replace(plain, items=())
        if not lines:
            return Plan(missing=Missing("no_line"))
        if (
            plain.quantity is None
            and len(lines) == 1
            and self.dialogue.sharers(lines[0].id) == 1
            # ("the same drink as the kids" for me: one, as each of them has)
            and not (is_group(person) and lines[0].quantity > 1 and not is_group(owner or "me"))
        ):
            # "two tacos for me" ... "same as mine for Jo": two for her too
            plain = replace(plain, quantity=lines[0].quantity)
        had = self.replaced_by_copy(edit, person, lines)
        if had is not None:
            # "the same as her instead of the mexican": the mexican is the line that goes, no
            # option left off the copy (an option the copy has may be: "but no onions")
            plain = replace(
                plain,
                drop=(),
                choices=tuple(
                    c
                    for c in plain.choices
                    if not c.exclude or any(_has(line, [(c.group, c.option)]) for line in lines)
                ),
            )
        copy = self.again(plain, lines)
        if had is not None and copy.steps:
            # "Jordan changed his mind, he wants the same as Sam's": his pizza gives way
            return replace(copy, steps=(Remove(had.id), *copy.steps))
        unit = self.unit_replaced_by_copy(edit, lines)
        if unit is not None and copy.steps:
            # "one twin wants the same as mine instead": one of the twins' subs gives way
            return replace(copy, steps=(Remove(unit.id, 1), *copy.steps))
        return copy

    def unit_replaced_by_copy(
        self, edit: Edit, lines: Sequence[CartLineRead]
    ) -> CartLineRead | None:
        """The line of a group one unit of which a copy for one of them takes the place of,
        when the copy is said to be instead."""
        owner = who(edit.owner, self.dialogue.people)
        if owner is None or not is_group(owner) or edit.quantity != 1 or not edit.instead:
            return None
        if len(lines) != 1 or edit.items:
            return None
        alike = self._theirs_alike(owner, lines[0])
        shared = [line for line in alike if line.quantity > 1]
        return shared[0] if len(shared) == 1 else None

    def replaced_by_copy(
        self, edit: Edit, person: str, lines: Sequence[CartLineRead]
    ) -> CartLineRead | None:
        """The line a copy takes the place of: the one line of that kind its person has alone
        ("Kai wants the exact same as Jo" after a bowl for Kai), when no more is asked for."""
        owner = who(edit.owner, self.dialogue.people)
        # ("Omar wants the same as mine actually, a chicken bowl": the dish said again is
        # still the copy, not more)
        again = all(line.item in {k for keys in edit.items for k in keys} for line in lines) and (
            edit.owner is not None and not edit.owner.startswith("~")
        )
        # ("she wants a quesadilla too, same as her brother's": one more)
        more = bool(edit.quantity or (edit.items and not edit.instead)) and not (
            again and (edit.quantity or 1) == 1
        )
        if owner is None or owner == person or is_group(owner) or more:
            return None
        if len(lines) != 1 and not edit.instead:
            return None
        # ("he wants what i'm getting, the burger and the fries. no hamburger": the one line of
        # theirs like any of the copied, in its place)
        alike = list({x.id: x for line in lines for x in self._theirs_alike(owner, line)}.values())
        if len(alike) != 1 or self.dialogue.sharers(alike[0].id) != 1:
            return None
        return alike[0]

    def _theirs_alike(self, owner: str, line: CartLineRead) -> list[CartLineRead]:
        """The other lines of that person (or group) with a dish of the same kind as `line`."""
        theirs = {i for i, p in self.dialogue.owners if p == owner}
        return [
            other
            for other in self.cart.lines
            if other.id in theirs
            and other.id != line.id
            and _same_kind(self.lexicon, other.item, line.item)
        ]

    def among(self, line_ids: set[str]) -> _Planner:
        """A planner over some of the cart's lines only."""
        lines = tuple(line for line in self.cart.lines if line.id in line_ids)
        return _Planner(self.lexicon, self.cart.model_copy(update={"lines": lines}), self.dialogue)

    def plan_all(self, edit: Edit) -> Plan:
        """Steps for an edit among all the cart's lines."""
        last = self.dialogue.last_change
        if edit.op == "change" and edit.again and not edit.changes and last is not None:
            # "make the pepperoni one lunch size" ... "actually the other one too"
            edit = replace(last, ref=edit.ref, again=False, parts=(), owner=None)
        unit = self.unit(edit.ref)
        if unit is not None:
            # "no drizzles on the second one" after "same again" made one line of two: the
            # second unit, split off
            return self.first_unit(unit, edit, self.units_of(unit, 1, edit))
        if edit.op == "repeat":
            return self.repeat(edit)
        if edit.parts:
            return self.shared_out(edit)
        if edit.op == "remove" and edit.amounts and edit.ref is None:
            return self.remove_each(edit)
        if edit.op == "change" and edit.amounts:
            return self.count_each(edit)
        found = self.targets(edit)
        ref = edit.ref
        if (
            isinstance(found, Missing)
            and found.reason == "no_line"
            and edit.op == "change"
            and ref is not None
            and ref.options
        ):
            # the options said name no line
            said = [
                Choice(group, option) for options in ref.options for group, option in options[:1]
            ]
            if len(ref.options) >= 2 and not (ref.items or ref.words or ref.without):
                # "make the supreme thick crust": no line has both, the last is what it gets
                head = replace(ref, options=ref.options[:-1], option_words=ref.option_words[:-1])
                tail = tuple(Choice(group, option) for group, option in ref.options[-1][:1])
                lines = self.targets(replace(edit, ref=head))
                if isinstance(lines, list) and len(lines) == 1:
                    return self.plan_all(
                        replace(edit, ref=head, choices=(*tail, *edit.choices), alike=False)
                    )
            bare = replace(ref, options=(), option_words=())
            if (ref.items or ref.words) and not isinstance(
                self.targets(replace(edit, ref=bare)), Missing
            ):
                # "put bacon on the burger with cheese" on a burger without: the cheese goes on
                # too
                return self.plan_all(replace(edit, ref=bare, choices=(*edit.choices, *said)))
            if not (ref.items or ref.words or ref.without):
                # "go back to the hawaiian": no line is one, so it is what the line talked
                # about becomes
                return self.plan(
                    replace(
                        edit, ref=Ref(pronoun=True), choices=(*said, *edit.choices), instead=True
                    )
                )
        if isinstance(found, list) and self.option_off(edit, found):
            # "drop the steak" on a chicken and steak burrito, "remove the ice": off the line
            group, option = edit.ref.options[0][0] if edit.ref is not None else ("", "")
            off = replace(edit, op="change", ref=None, drop=(Choice(group, option, exclude=True),))
            return self.apply(off, found)
        if isinstance(found, Missing) and edit.op == "remove" and edit.drop:
            # "nevermind the guac" with no side of guac ordered: the topping comes off
            return self.plan(replace(edit, op="change", ref=None, items=()))
        if isinstance(found, Ask):
            more = self.more_of(edit, found)
            return more if more is not None else Plan(ask=found)
        if isinstance(found, Missing):
            return Plan(missing=found)
        if (
            edit.op == "change"
            and ref is not None
            and len(ref.items) == 1
            and not edit.changes
            and all(line.item not in ref.items for line in found)
        ):
            # "make the shake strawberry" read as the strawberry shake: the line becomes it
            return self.apply(replace(edit, item=ref.items[0], item_words=ref.words), found)
        plan = self.apply(edit, found)
        if edit.moved and plan.steps:
            return self.moved_from(edit, plan)
        return plan

    def option_off(self, edit: Edit, found: list[CartLineRead]) -> bool:
        """Whether "remove the X", X an option of the lines, takes X off them rather than the
        lines: no other line of the dish is told apart by X, and X is one of several of its
        kind there (the steak of a chicken and steak burrito), or is said as a thing put on, not
        as the option's name ("the ice")."""
        ref = edit.ref
        if (
            edit.op != "remove"
            or ref is None
            or len(ref.options) != 1
            or len(ref.option_words) != 1
            or ref.items
            or ref.words
            or ref.pronoun
            or ref.count is not None
            or ref.ordinal is not None
            or ref.other
            or ref.one  # ("get rid of the buffalo one": the line)
            or edit.items
            or edit.drop
            or edit.choices
        ):
            return False
        group, option = ref.options[0][0]
        ids = {line.id for line in found}
        items = {line.item for line in found}
        if any(line.id not in ids and line.item in items for line in self.cart.lines):
            return False  # ("take off the veggie one" of two pizzas: the option says which)
        kinds = [
            [c for c in line.choices if c.group == group and not c.exclude and c.option != option]
            for line in found
        ]
        if all(kinds):
            return True
        words = list(ref.option_words[0])
        size, entry = self.lexicon.lookup(words, 0)
        return (
            size == len(words)
            and entry is not None
            and not entry.items
            and all(not o.label for o in entry.options)
        )

    def more_of(self, edit: Edit, asked: Ask) -> Plan | None:
        """ "Make one of them decaf" ... "actually make that two of them decaf": of a dish split
        in two, the part with the options grows to the count said, from the other part."""
        ref = edit.ref
        lines = [line for line in self.cart.lines if line.id in asked.candidates]
        if ref is None or not ref.count or len(lines) != 2 or not edit.choices:
            return None
        if lines[0].item != lines[1].item:
            return None
        said = [(c.group, c.option) for c in edit.choices if not c.exclude]
        having = [line for line in lines if said and _has(line, said)]
        if len(having) != 1:
            return None
        rest = next(line for line in lines if line is not having[0])
        short = ref.count - having[0].quantity
        if not 0 < short <= rest.quantity:
            return None
        return self.units_of(rest, short, edit)

    def a_groups(self, line: CartLineRead) -> bool:
        """Whether a line is (partly) a group's ("the kids'", "my coworkers'")."""
        return any(i == line.id and is_group(p) for i, p in self.dialogue.owners)

    def units_of(self, line: CartLineRead, count: int, edit: Edit) -> Plan:
        """The edit on `count` units of one line (split off when fewer than all)."""
        focused = replace(self.dialogue, last=(line.id,))
        some = Ref(pronoun=True, count=count, implied=True)
        if (
            edit.op == "remove"
            and edit.drop
            and (edit.ref is None or line.item not in edit.ref.items)
        ):
            # "take the guac off hers": the option comes off their unit, the unit stays
            edit = replace(edit, op="change", items=())
        planner = _Planner(self.lexicon, self.cart, focused)
        # ("a milk instead of his sprite": the sprite named is the line the edit is on)
        exact = (
            edit.ref is not None
            and line.item not in edit.ref.items
            and any(other.item in edit.ref.items for other in self.cart.lines)
        )
        if (
            edit.op == "change"
            and edit.item is not None
            and not exact
            and line not in planner.by_items(edit)
        ):
            # ("her salad as a bowl" on two salads and a burrito: the salad, not the burrito
            # the new dish is a kind of)
            edit = replace(edit, items=())
        return planner.plan_all(replace(edit, ref=some))

    def moved_from(self, edit: Edit, plan: Plan) -> Plan:
        """ "Move the bacon onto the chicken one": the options come off the line that had them
        (the one talked about last, when several do)."""
        steps = list(plan.steps)
        for choice in edit.choices:
            having: list[tuple[CartLineRead, tuple[str, str]]] = []
            for line in self.cart.lines:
                item = self.item(line.item)
                fit = fitted(self.menu, item, choice) if item is not None else None
                if fit is None or line.id in plan.targets:
                    continue
                key = (fit.group, fit.option)
                if any(
                    (c.group, c.option) == key and c.exclude == choice.exclude for c in _said(line)
                ):
                    having.append((line, key))
            last = [(line, key) for line, key in having if line.id in self.dialogue.last]
            for line, key in (last or having)[:1]:
                kept = tuple(c for c in _specs(_said(line)) if (c.group, c.option) != key)
                steps.append(Update(line.id, choices=kept))
        return replace(plan, steps=tuple(steps))

    def theirs_each(self, edit: Edit, theirs: set[str]) -> Plan | None:
        """A person's dishes taken off, one by one: their line of each, else their one unit of
        the one line of it nobody has claimed; None when one of them is not found so."""
        owners = {i for i, _ in self.dialogue.owners}
        steps: list[Step] = []
        targets: list[str] = []
        for keys, amount in zip(edit.items, edit.amounts, strict=True):
            own = [line for line in self.cart.lines if line.id in theirs and line.item in keys]
            free = [line for line in self.cart.lines if line.id not in owners and line.item in keys]
            if len(own) == 1:
                line = own[0]
                shared = self.dialogue.sharers(line.id) > 1 and line.quantity > 1
                units = amount if amount is not None else 1 if shared else None
            elif not own and len(free) == 1:
                line = free[0]
                units = amount if amount is not None else 1
            else:
                return None
            steps.append(Remove(line.id, units if units and units < line.quantity else None))
            targets.append(line.id)
        return Plan(steps=tuple(steps), targets=tuple(targets))

    def remove_each(self, edit: Edit) -> Plan:
        """ "Take away one pizza and one fanta": so many units of each dish named."""
        steps: list[Step] = []
        targets: list[str] = []
        for keys, amount in zip(edit.items, edit.amounts, strict=True):
            lines = [line for line in self.cart.lines if line.item in keys]
            if not lines:
                continue
            if len(lines) > 1 and amount is not None and not _alike(lines):
                return Plan(ask=Ask(tuple(line.id for line in lines)))
            for line in lines[:1] if amount is not None else lines:
                units = amount if amount is not None and amount < line.quantity else None
                steps.append(Remove(line.id, units))
                targets.append(line.id)
        if not steps:
            return Plan(missing=Missing("no_line"))
        return Plan(steps=tuple(steps), targets=tuple(targets))

    def count_each(self, edit: Edit) -> Plan:
        """ "Actually 2 cokes and 2 sprites": each dish named, so many (one not ordered yet is
        added)."""
        made = self.units_made(edit)
        if made is not None:
            return made
        steps: list[Step] = []
        targets: list[str] = []
        for keys, amount in zip(edit.items, edit.amounts, strict=True):
            lines = [line for line in self.cart.lines if line.item in keys]
            if len(lines) > 1:
                return Plan(ask=Ask(tuple(line.id for line in lines)))
            if not lines:
                if amount != 0:
                    spec = LineSpec(item=keys[0], quantity=amount or 1)
                    steps.append(Add(with_choices(self.menu, spec, edit.choices)))
                continue
            if amount == 0:
                steps.append(Remove(lines[0].id))  # "no tea"
            else:
                steps.append(Update(lines[0].id, quantity=amount))
            targets.append(lines[0].id)
        if not targets:
            return Plan(missing=Missing("no_line"))
        return Plan(steps=tuple(steps), targets=tuple(targets))

    def units_made(self, edit: Edit) -> Plan | None:
        """ "Make one chocolate and one strawberry" on three vanilla shakes: so many units of
        the one line of their kind made each dish (the rest stay as they are); None when a dish
        named is in the cart already, or no one line of their kind has units enough."""
        if edit.ref is not None or any(not amount for amount in edit.amounts):
            return None
        keys = [k[0] for k in edit.items]
        if any(line.item in k for line in self.cart.lines for k in edit.items):
            return None
        total = sum(amount or 0 for amount in edit.amounts)
        kin = [
            line
            for line in self.cart.lines
            if line.quantity > 1
            and line.quantity >= total
            and all(_same_kind(self.lexicon, key, line.item) for key in keys)
        ]
        last = [line for line in kin if line.id in self.dialogue.last]
        if len(last or kin) != 1:
            return None
        line = (last or kin)[0]
        left = line.quantity
        steps: list[Step] = []
        for key, amount in zip(keys, edit.amounts, strict=True):
            count = amount or 1
            left -= count
            spec = with_choices(self.menu, LineSpec(item=key, quantity=count), _specs(_said(line)))
            spec = with_choices(self.menu, spec, edit.choices)
            if left:
                steps.append(Split(line.id, left, spec))
            else:
                steps.append(Update(line.id, key, count, spec.choices))
        return Plan(steps=tuple(steps), targets=(line.id,))

    def extras(self, edit: Edit) -> Plan | None:
        """ "Just one of the extra ones" (after "make it three" on one): of the units the latest
        edit added to a line, so many kept, or none ("scratch the extra fries"); None when it
        added units to no line the message can mean."""
        grown = {
            line.id: before.quantity
            for line_id, before in self.dialogue.undo
            if before is not None
            and (line := self.cart.line(line_id)) is not None
            and line.item == before.item
            and line.quantity > before.quantity
        }
        lines = [line for line in self.cart.lines if line.id in grown]
        if edit.ref is not None and edit.ref.named:
            lines = named(self.lexicon, lines, edit.ref)
        if len(lines) != 1:
            return None
        line = lines[0]
        added = line.quantity - grown[line.id]
        if edit.op == "remove":
            kept = added - edit.quantity if edit.quantity is not None else 0
        else:
            kept = edit.quantity if edit.quantity is not None else added
        if not 0 <= kept < added:
            return None
        return Plan(steps=(Update(line.id, quantity=grown[line.id] + kept),), targets=(line.id,))

    def undone(self) -> Plan:
        """The steps that put back the lines the latest edit changed."""
        steps: list[Step] = []
        for line_id, before in self.dialogue.undo:
            line = self.cart.line(line_id)
            if line is None:
                if before is not None:
                    steps.append(Add(before))
            elif before is None:
                steps.append(Remove(line_id))
            else:
                steps.append(
                    Update(
                        line_id,
                        item=before.item if before.item != line.item else None,
                        quantity=before.quantity if before.quantity != line.quantity else None,
                        choices=before.choices,
                    )
                )
        if not steps:
            return Plan(missing=Missing("no_change"))
        return Plan(steps=tuple(steps), targets=tuple(i for i, _ in self.dialogue.undo))

    def unit(self, ref: Ref | None) -> CartLineRead | None:
        """The line holding the n-th unit, when an ordinal counts units, not lines ("the
        second one" of a line of two, "the first one" of the only line, of two, "the middle one"
        of the only line, of three, "the last one" of the only line, of three)."""
        if ref is None or ref.ordinal is None or ref.ordinals or ref.count:
            return None
        lines = named(self.lexicon, list(self.cart.lines), ref) if ref.named else self.cart.lines
        alone = len(lines) == 1 and lines[0].quantity > 1
        if ref.ordinal < 0:
            # the last unit of the only line (of several lines, the last line, "_nth")
            return lines[0] if alone else None
        if ref.ordinal == 0:
            # the middle one of an odd many: of the lines ("_nth"), unless one line holds them
            return lines[0] if alone and lines[0].quantity % 2 else None
        if ref.ordinal <= len(lines) and not alone:
            return None  # a line of several alone: "no onions on the first one" is one of them
        units = [line for line in lines for _ in range(line.quantity)]
        if ref.ordinal > len(units):
            return None
        line = units[ref.ordinal - 1]
        # ("only two of them pepperoni, change the third one to ...": the third unit, past the
        # lines, is the line of one that holds it)
        return line if line.quantity > 1 or ref.ordinal > len(lines) else None

    def first_unit(self, line: CartLineRead, edit: Edit, plan: Plan) -> Plan:
        """ "2 medium pizzas" ... "first one with mushrooms": the first unit changed keeps the
        line and the rest is split off after it, so "the second one" later is still the
        second."""
        ref = edit.ref
        assert ref is not None and ref.ordinal is not None
        lines = named(self.lexicon, list(self.cart.lines), ref) if ref.named else self.cart.lines
        units = [unit for unit in lines for _ in range(unit.quantity)]
        if (
            edit.owner is not None
            or ref.ordinal < 1
            or units[ref.ordinal - 1 : ref.ordinal] != [line]
            or units[ref.ordinal - 2 : ref.ordinal - 1] == [line]
            or len(plan.steps) != 1
            or not isinstance(split := plan.steps[0], Split)
            or split.line_id != line.id
            or split.line.quantity != 1
        ):
            return plan
        rest = LineSpec(item=line.item, quantity=split.keep, choices=_specs(_said(line)))
        new = split.line
        return replace(
            plan,
            steps=(
                Update(line.id, new.item if new.item != line.item else None, None, new.choices),
                Split(line.id, 1, rest),
            ),
        )

    def shared_out(self, edit: Edit) -> Plan:
        """ "Two of them with whipped cream and one with crumbles": the line's units split,
        each part with its own options (the first part keeps the line when they add up, so
        "the first one" is still the first)."""
        parted = {c for _, choices in edit.parts for c in choices}
        shared = tuple(c for c in edit.choices if c not in parted)
        if shared:
            # "both turkeys with american cheese, one with mayo and the other with mustard":
            # the cheese on each part
            parts = tuple((count, (*shared, *choices)) for count, choices in edit.parts)
            edit = replace(edit, parts=parts)
        whole = replace(edit, parts=())
        found = self.targets(whole)
        one_each = all(count == 1 for count, _ in edit.parts)
        if isinstance(found, Ask) and one_each and len(found.candidates) == len(edit.parts):
            # "the first with bacon, the second with jalapenos" after two dishes were added
            asked = [line for line in self.cart.lines if line.id in found.candidates]
            return self.each_its_own(whole, asked, edit.parts)
        if isinstance(found, Ask):
            return Plan(ask=found)
        if isinstance(found, Missing):
            return Plan(missing=found)
        total = sum(count for count, _ in edit.parts)
        fitting = [line for line in found if line.quantity >= total]
        if not fitting and len(found) == len(edit.parts) and one_each:
            # "the first with ranch, the second with caesar" over two lines: one part each
            return self.each_its_own(whole, found, edit.parts)
        ref = edit.ref
        if not fitting and len(found) == 1 and one_each and (ref is None or ref.pronoun):
            # "steak sub" ... "and a veggie sub" ... "provolone on the first one and spinach on
            # the second": no line has the units, so the lines of that kind said last, each one
            recent = [
                line
                for line_id in reversed(self.dialogue.mentioned)
                if (line := self.cart.line(line_id)) is not None
                and _same_kind(self.lexicon, line.item, found[0].item)
            ][: len(edit.parts)]
            if len(recent) == len(edit.parts) and found[0] in recent:
                return self.each_its_own(whole, _cart_order(recent, self.cart), edit.parts)
        if len(fitting) != 1:
            return self.apply(whole, found)
        line = fitting[0]
        # "one with extra provolone, the other plain" on a line without provolone: the plain
        # ones as they are (nothing the line lacks is left off)
        parts = tuple(
            (count, tuple(c for c in choices if _has(line, [(c.group, c.option)])))
            if k in edit.plain_parts
            else (count, choices)
            for k, (count, choices) in enumerate(edit.parts)
        )
        edit = replace(edit, parts=parts)
        if any(count == 0 for count, _ in edit.parts):
            # "... and the other atomic": the other part is the rest of the line
            rest = line.quantity - total
            if rest < 1:
                return self.apply(whole, found)
            edit = replace(edit, parts=tuple((c or rest, o) for c, o in edit.parts))
            total = line.quantity
        steps: list[Step] = []
        whole_line = total == line.quantity
        left = edit.parts[0][0] if whole_line else line.quantity
        for k, (count, choices) in enumerate(edit.parts):
            change = self.change(line, replace(whole, choices=choices, quantity=None))
            if isinstance(change, Missing):
                if change.reason != "no_change":
                    return Plan(missing=change)
                if k == 0 or not whole_line:
                    continue  # "and one as it is": those units stay on the line
                item, said = None, None  # ("one with vanilla, ..., and one plain": split off)
            else:
                item, _, said, _ = change
            if k == 0 and whole_line:
                steps.append(Update(line.id, item, None, said))
                continue
            if not whole_line:
                left -= count
            new = LineSpec(
                item=item or line.item,
                quantity=count,
                choices=said if said is not None else _specs(_said(line)),
            )
            steps.append(Split(line.id, left, new))
        return Plan(steps=tuple(steps), targets=(line.id,))

    def each_its_own(
        self,
        edit: Edit,
        lines: Sequence[CartLineRead],
        parts: Sequence[tuple[int, tuple[Choice, ...]]],
    ) -> Plan:
        """Lines in cart order, each changed by its own part of the message."""
        order = {line.id: k for k, line in enumerate(self.cart.lines)}
        steps: list[Step] = []
        for line, (_, choices) in zip(
            sorted(lines, key=lambda line: order.get(line.id, 0)), parts, strict=True
        ):
            plan = self.apply(replace(edit, choices=choices, quantity=None), [line])
            if plan.missing is not None or plan.ask is not None:
                return plan
            steps += plan.steps
        return Plan(steps=tuple(steps), targets=tuple(line.id for line in lines))

    def apply(self, edit: Edit, lines: Sequence[CartLineRead]) -> Plan:
        """The steps of an edit on the lines it goes to."""
        if edit.op == "repeat":
            return self.again(edit, lines)
        steps: list[Step] = []
        notes: list[str] = []
        units = edit.ref.count if edit.ref is not None else None
        for line in lines:
            if edit.op == "remove":
                count = units or edit.quantity
                steps.append(Remove(line.id, count if count and count < line.quantity else None))
                continue
            change = self.change(line, edit)
            no_change = isinstance(change, Missing) and change.reason == "no_change"
            if no_change and units is not None and units > line.quantity:
                change = None, units, None, []  # "actually two of those sprites" on one sprite
            said = {(c.group, c.option) for c in edit.choices if not c.exclude}
            if (
                units is not None
                and units < line.quantity
                and said
                and len(said) == len(edit.choices)
                and not (edit.drop or edit.item or edit.sibling or edit.quantity)
                # (not "my youngest doesnt like pepperoni" of the kids' pizzas: one person's,
                # said of their dish, counts no units to keep it)
                and edit.owner is None
                and not any(c.qualifier for c in edit.choices)
                and all(
                    any((c.group, c.option) == key for c in _said(line)) and _has(line, [key])
                    for key in said
                )
            ):
                # "only one of them should be skinny" on two skinny lattes: the others go
                # without it ("only one of them gets guac" on two with extra guac too)
                rest = tuple(c for c in _specs(_said(line)) if (c.group, c.option) not in said)
                other = LineSpec(item=line.item, quantity=line.quantity - units, choices=rest)
                steps.append(Split(line.id, units, other))
                continue
            if isinstance(change, Missing):
                if change.reason == "no_change" and len(lines) > 1:
                    continue  # "all of them sprites": the one already a sprite stays
                return Plan(missing=change)
            item, quantity, choices, dropped = change
            notes.extend(dropped)
            if units is not None and units > line.quantity and quantity is None:
                quantity = units  # "that as tacos instead, three of them"
            if units is not None and units < line.quantity:
                new = LineSpec(
                    item=item or line.item,
                    quantity=quantity if quantity is not None and quantity <= units else units,
                    choices=choices if choices is not None else _specs(_said(line)),
                )
                steps.append(Split(line.id, line.quantity - units, new))
            else:
                steps.append(Update(line.id, item, quantity, choices))
        if not steps:
            return Plan(missing=Missing("no_change"))
        return Plan(
            steps=tuple(steps),
            targets=tuple(line.id for line in lines),
            notes=tuple(dict.fromkeys(notes)),
        )

    def kind_given_way(
        self, item: Item, said: Sequence[ChoiceSpec], edit: Edit
    ) -> list[Choice] | None:
        """The option that named a line's kind, going for a kind said as the dish ("make it a
        hawaiian": the margherita of a thin crust margherita, the pepperoni of "a large
        pepperoni"); None when the edit names no kind.

        The line's kind is its one option of the new kind's group that names a kind, else its
        one such option of another group; with several ("a pizza with ham and mushrooms") none
        goes, as which named it is not known.
        """
        new = [
            fit
            for c in edit.choices
            if not c.exclude
            and (fit := fitted(self.menu, item, c)) is not None
            and names_kind(self.menu, fit)
        ]
        if not new:
            return None
        groups = {c.group for c in new}
        keys = {(c.group, c.option) for c in new}
        for same_group in (True, False):
            found = [
                Choice(had.group, had.option)
                for had in said
                if (had.group in groups) == same_group
                and not had.exclude
                and not had.qualifier
                and (had.group, had.option) not in keys
                and names_kind(self.menu, had)
            ]
            if found:
                return found if len(found) == 1 else []
        return []

    def change(
        self, line: CartLineRead, edit: Edit
    ) -> tuple[str | None, int | None, tuple[ChoiceSpec, ...] | None, list[str]] | Missing:
        """A line's new item, quantity and said choices under an edit (None: unchanged)."""
        item_key = None if self.names(line, edit) else edit.item
        if item_key is None and edit.sibling:
            item_key = self.sibling(line, edit.sibling)
            if item_key is None:
                return Missing("unknown_item", " ".join(edit.sibling))
        item = self.item(item_key or line.item)
        if item is None:
            return Missing("unknown_item", item_key or line.item)
        said = list(_specs(_said(line)))
        dropped: list[str] = []
        if item_key is not None:
            # A swap keeps the choices the new item takes too ("a large coke" -> "a large sprite").
            kept: list[ChoiceSpec] = []
            for had in said:
                fit = fitted(self.menu, item, had)
                if fit is None:
                    dropped.append(_label(self.menu, had))
                else:
                    kept.append(fit)
            said = kept
        changed = item_key is not None
        edit = self.counted_option(line, item, edit)
        if edit.instead and not edit.drop and item_key is None:
            # "pickle, I change my mind, jalapeno instead": an option the line has, said with a
            # new one, is the one that goes (but "a large decaf drip coffee instead" of a decaf
            # cappuccino says the new dish whole)
            present = [
                c
                for c in edit.choices
                if _has(line, [(c.group, c.option)]) and not _pick_one(self.menu, c.group)
            ]
            fresh = [c for c in edit.choices if c not in present]
            if present and fresh:
                edit = replace(edit, choices=tuple(fresh), drop=tuple(present), instead=False)
        kinds = self.kind_given_way(item, said, edit) if edit.as_dish and not edit.drop else None
        if kinds is not None:
            # "make it a hawaiian" on a large thin crust margherita: the margherita goes, the
            # crust and the size stay (not every option of the group, as "instead" would)
            edit = replace(edit, instead=False)
        if (edit.instead or edit.alike or kinds) and not edit.drop:
            # "kalamata olives instead of black" on a pizza with anchovies and black olives,
            # "make it brown rice" on a bowl with white rice: the option of the same kind (the
            # same last word) goes, not every topping
            alike = [
                Choice(had.group, had.option)
                for c in edit.choices
                for had in said
                if had.group == c.group
                and had.option != c.option
                and not had.exclude
                and (
                    _label(self.menu, had).split()[-1:] == _label(self.menu, c).split()[-1:]
                    # ("change the second one to swiss" on a sub with provolone: cheeses both)
                    or any(
                        (had.group, had.option) in kind and (c.group, c.option) in kind
                        for kind in option_kinds(self.lexicon).values()
                    )
                )
            ]
            if edit.corrected and not alike:
                # "no actually swiss" on a sub with american cheese: the one option of the group
                for c in edit.choices:
                    if one_of_a_family(self.menu, c):
                        continue  # "actually on a sourdough crust" on a mediterranean: a crust
                    same = [h for h in said if h.group == c.group]
                    if len(same) == 1 and same[0].option != c.option and not same[0].exclude:
                        alike.append(Choice(same[0].group, same[0].option))
            given_way = tuple(dict.fromkeys([*(kinds or ()), *alike]))
            if given_way:
                edit = replace(edit, drop=given_way, instead=False)
            edit = replace(edit, alike=False)
        if any(c.exclude or c.qualifier == "light" for c in edit.choices):
            # "no syrup" on a latte with caramel syrup: the syrup it has comes off; "light on the
            # peppers" on a pizza with green peppers: those (but "extra cheese" on one with feta
            # is more cheese)
            edit = replace(edit, choices=tuple(self.named_like(said, c) for c in edit.choices))
        before_drop = list(said)
        for choice in edit.drop:
            gone = fitted(self.menu, item, choice)
            key = (gone.group, gone.option) if gone is not None else (choice.group, choice.option)
            if not any((c.group, c.option) == key for c in said):
                # "instead of the sausage" on a pizza with italian sausage: the one it names
                # ("make the salsa red salsa" on tacos with green chili salsa: the one salsa)
                key = (
                    _named_like(self.menu, said, choice)
                    or (None if _has(line, [key]) else _head_alike(self.menu, said, choice, edit))
                    or key
                )
            before = len(said)
            said = [c for c in said if (c.group, c.option) != key]
            taken_off = any((c.group, c.option) == key and not c.exclude for c in before_drop)
            if len(said) == before and (choice.exclude or _has(line, [key])) and not taken_off:
                # an option the menu put on (a default), or "leave the onions off": left off
                # (but "skip the brown rice" on a bowl the customer had put it on: it comes
                # off, nothing is left off)
                fit = fitted(self.menu, item, replace(choice, exclude=True))
                if fit is not None and _excludable(self.menu, fit.group):
                    said.append(fit)
            changed = True
        # the groups an option the edit named came off of ("swap the steak for barbacoa")
        gone_from = {c.group for c in before_drop if c not in said}
        added: list[ChoiceSpec] = []
        for choice in edit.choices:
            fit = fitted(self.menu, item, choice)
            if fit is None:
                if item_key is not None:
                    continue  # an option of the old item said with the new one
                return Missing("not_taken", _label(self.menu, choice))
            group = self.menu.group(fit.group)
            replaces = group is not None and (
                group.select == "one"
                # ("add steak too" on a chicken quesadilla: the steak goes on beside the chicken)
                # ("swap the steak for barbacoa" on a carnitas and steak burrito: the steak
                # goes, the barbacoa takes its place beside the carnitas)
                or (not group.excludable and not edit.adding and fit.group not in gone_from)
                # ("switch it to decaf" on an iced latte: a group of ways to make it, no amounts
                # of anything, so the new way adds to the others; only one of its own kind, as
                # another crust, gives way)
                or (edit.instead and not edit.drop and bool(group.qualifiers))
                # ("she wants a medium mediterranean instead", "make hers a personal size
                # vegetarian pizza instead of the margherita": the dish said anew, with its
                # size or its name, its way of making in place of the old)
                or (edit.instead and not edit.drop and _said_anew(edit))
            )
            # (also one this edit has just taken off: "not skinny" on a skinny latte)
            # ("no extra shots at all" on an espresso with 2 shots: that count of the same)
            on_line = any(
                ((c.group, c.option) == (fit.group, fit.option) or _counted_alike(c, fit))
                and not c.exclude
                for c in (*said, *(before_drop if fit.exclude else ()))
            )
            # "no foam at all" on a latte with extra foam: from an amount to none, left off
            amounted = any(
                (c.group, c.option) == (fit.group, fit.option) and c.qualifier for c in said
            )
            left_off = any(
                (c.group, c.option) == (fit.group, fit.option) and c.exclude for c in said
            )
            if fit.exclude or not replaces or on_line:
                # ("extra chicken" on a bowl of chicken and steak: the chicken's amount changes,
                # the steak stays)
                said = [
                    c
                    for c in said
                    if (c.group, c.option) != (fit.group, fit.option) and not _counted_alike(c, fit)
                ]
            else:
                # (not the options this edit puts on: "a burger instead of the chicken
                # sandwich, with cheese and bacon" has both)
                said = [c for c in said if c.group != fit.group or c.exclude or c in added]
            added.append(fit)
            option = group.option(fit.option) if group is not None else None
            put_on = option is not None and option.default  # the menu's, back once said ones go
            if left_off and group is not None and not put_on:
                # "with everything but no mustard | he wants mustard": the mustard is part of an
                # option of its group the line has ("All Toppings"), so it is only no longer
                # left off
                put_on = any(
                    c.group == fit.group and not c.exclude and _covers_all(group, c.option)
                    for c in said
                )
            if left_off and not fit.exclude and fit.qualifier is None and (put_on or edit.back):
                # "put the tomato back on" after "no tomato": no longer left off, as it was
                # ("no onions | actually i do want onions": they go on)
                changed = True
                continue
            if not fit.exclude or (
                _excludable(self.menu, fit.group) and (not on_line or put_on or amounted)
            ):
                # "not big size": the size goes, nothing is left off; "no olives" on a line the
                # customer had put olives on: they come off, nothing is left off either
                said.append(fit)
            changed = True
        if edit.plain:
            # "make one of them just a plain pizza": no toppings, the size and such stay ("swap
            # one for a medium mexican": and what is said for it)
            asked = {(c.group, c.option) for c in edit.choices}
            asked.update(edit.kept)  # ("same size and crust but just pepperoni")
            kept = [
                c for c in said if _pick_one(self.menu, c.group) or (c.group, c.option) in asked
            ]
            changed = changed or len(kept) != len(said)
            said = kept
        for group_key, qualifier, exclude in edit.groups:
            # "light on the rice": the option the line has in that group ("extra rice on his.
            # white rice": the one just said for it); "no beans on mine" takes off the beans the
            # customer had put on, and leaves off the menu's
            amounted_of = [
                (c.group, c.option) for c in said if c.group == group_key and not c.exclude
            ] or [
                (c.group, c.option) for c in line.choices if c.group == group_key and not c.exclude
            ]
            own = group_own_option(self.lexicon, group_key) if qualifier else None
            fit = fitted(self.menu, item, Choice(*own, qualifier)) if own else None
            if not amounted_of and fit is not None:
                # "light on the salsas" on a burrito without any: the salsa the word alone is
                said.append(fit)
                changed = True
            menus = {(c.group, c.option) for c in line.choices if c.default}
            for group_of, option_of in amounted_of:
                said = [s for s in said if (s.group, s.option) != (group_of, option_of)]
                changed = True
                if exclude and (group_of, option_of) not in menus:
                    continue
                said.append(
                    ChoiceSpec(
                        group=group_of,
                        option=option_of,
                        qualifier=None if exclude else qualifier,
                        exclude=exclude,
                    )
                )
                changed = True
        quantity = edit.quantity
        if quantity is not None and quantity == line.quantity:
            quantity = None
        if not changed and quantity is None:
            # "one with oat milk" where there is none: say so rather than "that's how it is"
            return (
                Missing("unknown_item", " ".join(edit.unknown))
                if edit.unknown
                else Missing("no_change")
            )
        return item_key, quantity, tuple(said) if changed else None, dropped

    def named_like(self, said: Sequence[ChoiceSpec], choice: Choice) -> Choice:
        """ "No X" or "light on the X" where the line has no X but one said option named
        "... X": that one."""
        if not (choice.exclude or choice.qualifier == "light") or any(
            (c.group, c.option) == (choice.group, choice.option) for c in said
        ):
            return choice
        like = _named_like(self.menu, said, replace(choice, exclude=False, qualifier=None))
        return replace(choice, group=like[0], option=like[1]) if like is not None else choice

    def counted_option(self, line: CartLineRead, item: Item, edit: Edit) -> Edit:
        """ "Make it 24" on 12 wings: the count the line's pick-one option says, not 24 orders."""
        if edit.quantity is None or edit.choices:
            return edit
        for group in self.menu.groups_of(item):
            if group.select != "one" or not any(c.group == group.key for c in line.choices):
                continue
            for option in group.options:
                words = option.label.lower().split()
                if option.key != str(edit.quantity) and words[0] != str(edit.quantity):
                    continue
                if any((c.group, c.option) == (group.key, option.key) for c in line.choices):
                    break  # "make it 2" on a 2 liter coke: it has that already, so 2 of them
                if edit.items and not (
                    set(words[1:]) & (_PIECES | item_words(self.lexicon, item.key))
                ):
                    continue  # "only 3 pepsis" on a 2 liter pepsi: 3 of them, not the 3 liter
                choice = Choice(group.key, option.key)
                return replace(edit, quantity=None, choices=(choice,))
        if line.quantity != 1 or edit.items or (edit.ref is not None and edit.ref.plural):
            return edit  # ("2 of those": the dishes)
        for had in line.choices:
            # "a cappuccino with three extra shots" ... "yikes make that two": the number said
            # was the shots' (one cappuccino was never counted; "an extra shot" ... "make it 2"
            # is two coffees)
            stem, _, number = had.option.rpartition("_")
            counted = self.menu.group(had.group)
            several = stem and number.isdigit() and int(number) > 1
            if not several or counted is None or had.exclude:
                continue
            other = f"{stem}_{edit.quantity}"
            if other != had.option and any(o.key == other for o in counted.options):
                return replace(
                    edit,
                    quantity=None,
                    choices=(Choice(had.group, other),),
                    drop=(Choice(had.group, had.option),),
                )
        return edit

    def sibling(self, line: CartLineRead, words: Sequence[str]) -> str | None:
        """ "A chocolate one" for a strawberry shake: the item of the same kind with that word."""
        mine = item_words(self.lexicon, line.item, own=True)
        wanted = {singular(w) for w in words}
        if wanted <= mine:
            return line.item  # "make both chocolate": the chocolate one is so already
        found = [
            key
            for key in self.lexicon.items
            if key != line.item
            and wanted <= item_words(self.lexicon, key)
            and _same_kind(self.lexicon, key, line.item)
            and (item_words(self.lexicon, key, own=True) & mine) - wanted
        ]
        return found[0] if len(found) == 1 else None

    def repeat(self, edit: Edit) -> Plan:
        """ "Same again", "one more of those", "another one of the first", "double that"."""
        if edit.again and edit.ref is not None and edit.ref.every and not edit.items:
            # "the exact same for my husband": every line once more
            return self.again(replace(edit, quantity=None, double=True), list(self.cart.lines))
        if edit.again and edit.ref is not None and edit.ref.named and not edit.items:
            # "same again but make the drink a diet coke": the last turn's lines again, the ones
            # the words name changed in the copy
            last = _in_order(self.cart.lines, self.dialogue.last)
            meant = {line.id for line in named(self.lexicon, last, edit.ref)}
            if meant and len(meant) < len(last):
                copied: list[Step] = []
                for had in last:
                    copy = edit if had.id in meant else _as_it_is(edit)
                    plan = self.again(replace(copy, ref=None, again=False), [had])
                    if plan.missing is not None:
                        return plan
                    copied.extend(plan.steps)
                return Plan(steps=tuple(copied), targets=tuple(had.id for had in last))
        if edit.again and edit.ref is None and not edit.items:
            last = _in_order(self.cart.lines, self.dialogue.last)
            if edit.item is not None:
                # "and a burrito with the same stuff" after a bowl and a coke: the bowl is what
                # is copied, as a burrito ("a latte the same way" after one: that latte again)
                kind = [line for line in last if _same_kind(self.lexicon, line.item, edit.item)]
                last = kind or last
                same = [line for line in last if line.item == edit.item]
                if same:
                    return self.again(replace(edit, item=None, instead=False), same[:1])
            changed = edit.choices or edit.drop or edit.groups or edit.item or edit.sibling
            if last and (changed or self.dialogue.last_edit is not None):
                # "the same for my coworker but decaf", "same again" after an edit: the lines
                # as they are now, copied (changed)
                if changed and len(last) > 1:
                    return self.again_each(edit, last)
                return self.again(edit, last)
            if not self.dialogue.added:
                return Plan(missing=Missing("nothing_added"))
            steps: list[Step] = []
            times = edit.quantity or 1  # "the same for my two colleagues": one for each
            for spec in self.dialogue.added:
                more = spec.quantity * times
                line = next((x for x in self.cart.lines if _same_line(x, spec)), None)
                if line is None:
                    steps.append(Add(spec.model_copy(update={"quantity": more})))
                else:
                    steps.append(Update(line.id, quantity=min(line.quantity + more, 99)))
            return Plan(steps=tuple(steps))
        if not self.cart.lines:
            return Plan(missing=Missing("empty"))
        if (
            edit.item is not None
            and (edit.ref is None or not edit.ref.named)
            and any(line.item == edit.item for line in self.cart.lines)
        ):
            # "one more cheeseburger, same way but add pickles", "same salad again but with
            # extra bacon": the line of the dish said, copied (not the last line made that dish)
            edit = replace(edit, item=None, item_words=(), items=((edit.item,),), ref=None)
        if edit.plain and not edit.choices and len(edit.items) == 1 and edit.ref is None:
            # "and one more cheeseburger, plain": whichever there are, a plain one
            return Plan(steps=(Add(LineSpec(item=edit.items[0][0], quantity=edit.quantity or 1)),))
        if len(edit.items) > 1 and edit.ref is None:
            # "the exact same again for my buddy, burger and fries": each dish named, its line
            each = [self.by_items(replace(edit, items=(keys,))) for keys in edit.items]
            if all(len(found) == 1 for found in each):
                return self.again(edit, _cart_order([found[0] for found in each], self.cart))
        found, pinned = self.candidates(edit)
        ref = edit.ref
        if not found:
            return Plan(missing=Missing("no_line"))
        if ref is not None and ref.every and not ref.named:
            # "one more of each": the lines of the last turn, or every line when it had one
            last = [line for line in found if line.id in self.dialogue.last]
            lines = last if len(last) > 1 else found
        elif ref is not None and ref.plural and not ref.named:
            lines = [line for line in found if line.id in self.dialogue.last] or found[:1]
        elif pinned and len(found) > 1 and not _alike(found):
            return Plan(ask=Ask(tuple(line.id for line in _cart_order(found, self.cart))))
        else:
            lines = found[:1]
        return self.again(edit, _cart_order(lines, self.cart))

    def again_each(self, edit: Edit, lines: Sequence[CartLineRead]) -> Plan:
        """ "Same for my brother but chocolate" after a cheeseburger and a vanilla shake: every
        line copied, the change only in the copies it fits (the shake made chocolate)."""
        copy = replace(edit, op="change")
        meant = [
            line
            for line in lines
            if (self.sibling(line, edit.sibling) is not None if edit.sibling else True)
            and self.fits(line, copy)
        ]
        if not meant or len(meant) == len(lines):
            return self.again(edit, lines)
        steps: list[Step] = []
        for had in lines:
            plan = self.again(edit if had in meant else _as_it_is(edit), [had])
            if plan.missing is not None or plan.ask is not None:
                return plan
            steps.extend(plan.steps)
        return Plan(steps=tuple(steps), targets=tuple(line.id for line in lines))

    def again(self, edit: Edit, lines: Sequence[CartLineRead]) -> Plan:
        """More of these lines: as they are (their quantity grows), or changed ("another one
        of those but iced": a new line)."""
        steps: list[Step] = []
        for line in lines:
            if edit.choices or edit.drop or edit.groups or edit.item or edit.sibling or edit.plain:
                # ("the same but as a burrito" on a bowl: another dish, even of a like name)
                copied = replace(
                    edit, op="change", quantity=None, instead=edit.instead or bool(edit.item)
                )
                change = self.change(line, copied)
                if isinstance(change, Missing):
                    return Plan(missing=change)
                item, _, choices, _ = change
                # ("barbacoa tacos x3 | same for my brother but carnitas": three of them too,
                # as many as were ordered, not what "same again" or "make that 2" made the line;
                # and one, when the line is for several people, each with a unit)
                whole = edit.again and not any(
                    i == line.id and is_group(p) for i, p in self.dialogue.owners
                )
                ordered = next((s.quantity for s in self.dialogue.added if s.item == line.item), 1)
                spec = LineSpec(
                    item=item or line.item,
                    quantity=edit.quantity
                    or (
                        min(ordered, line.quantity)
                        if whole and self.dialogue.sharers(line.id) <= 1
                        else 1
                    ),
                    choices=choices if choices is not None else _specs(_said(line)),
                )
                steps.append(Add(spec))
                continue
            more = line.quantity if edit.double else (edit.quantity or 1)
            steps.append(Update(line.id, quantity=min(line.quantity + more, 99)))
        return Plan(steps=tuple(steps), targets=tuple(line.id for line in lines))


def _as_it_is(edit: Edit) -> Edit:
    """A repeat with nothing changed in the copy: the line again as it is."""
    return replace(edit, choices=(), drop=(), item=None, sibling=(), plain=False, instead=False)


def _counted_alike(had: ChoiceSpec, new: ChoiceSpec) -> bool:
    """Whether two options are one option counted differently ("espresso shot 1" and "espresso
    shot 2"): the new count replaces the old."""
    old_base, _, old_n = had.option.rpartition("_")
    new_base, _, new_n = new.option.rpartition("_")
    return (
        had.group == new.group
        and old_base == new_base
        and old_n != new_n
        and old_n.isdigit()
        and new_n.isdigit()
    )


def _named_like(menu: Menu, said: Sequence[ChoiceSpec], choice: Choice) -> tuple[str, str] | None:
    """The one said option whose name holds the words of another ("italian sausage" for
    "sausage")."""
    words = set(_name(_label(menu, choice)).split())
    found = [
        (c.group, c.option)
        for c in said
        if not c.exclude and words <= set(_name(_label(menu, c)).split())
    ]
    return found[0] if len(found) == 1 else None


def _head_alike(
    menu: Menu, said: Sequence[ChoiceSpec], choice: Choice, edit: Edit
) -> tuple[str, str] | None:
    """The one said option of a group whose name ends as another's does, not one the edit
    puts on ("the salsa" said of tacos with green chili salsa, for red chili salsa)."""
    head = _name(_label(menu, choice)).split()[-1:]
    new = {(c.group, c.option) for c in edit.choices}
    found = [
        (c.group, c.option)
        for c in said
        if c.group == choice.group
        and not c.exclude
        and (c.group, c.option) not in new
        and _name(_label(menu, c)).split()[-1:] == head
    ]
    return found[0] if len(found) == 1 else None


def _nth(lines: Sequence[CartLineRead], ordinal: int) -> CartLineRead | None:
    """The line an ordinal names: 1 the first, -1 the last, 0 the middle one of an odd many."""
    if ordinal == 0:
        return lines[len(lines) // 2] if len(lines) % 2 else None
    index = ordinal - 1 if ordinal > 0 else ordinal
    return lines[index] if -len(lines) <= index < len(lines) else None


def _excludable(menu: Menu, group: str) -> bool:
    found = menu.group(group)
    return found is not None and found.excludable


def _label(menu: Menu, choice: Choice | ChoiceSpec) -> str:
    group = menu.group(choice.group)
    option = group.option(choice.option) if group is not None else None
    return option.label.lower() if option is not None else choice.option.replace("_", " ")


def _specs(choices: Iterable[ChoiceRead]) -> tuple[ChoiceSpec, ...]:
    return tuple(
        ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
        for c in choices
    )


def _recent_first(lines: Sequence[CartLineRead], dialogue: Dialogue) -> list[CartLineRead]:
    order = {line_id: k for k, line_id in enumerate(reversed(dialogue.mentioned))}
    return sorted(lines, key=lambda line: order.get(line.id, len(order)))


def _cart_order(lines: Iterable[CartLineRead], cart: CartRead) -> list[CartLineRead]:
    ids = {line.id for line in lines}
    return [line for line in cart.lines if line.id in ids]


def names_kind(menu: Menu, choice: Choice | ChoiceSpec) -> bool:
    """Whether an option can name a dish's kind ("margherita", "pepperoni"): one of several, of
    a group only that dish takes (so "a hawaiian" is a pizza, while "a decaf" could be any
    coffee and is what the coffee is, not which), and not one of a family of three or more named
    after a part that is no option itself ("thin crust", "gluten free crust": crusts, which any
    kind is made with)."""
    group = menu.group(choice.group)
    if group is None or group.select == "one":
        return False
    if sum(choice.group in item.option_groups for item in menu.items()) != 1:
        return False
    head = _label(menu, choice).split()[-1:]
    labels = [option.label.lower().split() for option in group.options]
    family = [label for label in labels if label[-1:] == head]
    return len(family) < 3 or head in labels


def one_of_a_family(menu: Menu, choice: Choice | ChoiceSpec) -> bool:
    """Whether an option is one of a family named after a part that is no option itself
    ("keto crust", "cauliflower crust": a pizza has one crust), so another of the family said
    for the same dish is in its place."""
    group = menu.group(choice.group)
    if group is None:
        return False
    head = _label(menu, choice).split()[-1:]
    labels = [option.label.lower().split() for option in group.options]
    return head not in labels and sum(label[-1:] == head for label in labels) >= 2


def _pick_one(menu: Menu, group_key: str) -> bool:
    group = menu.group(group_key)
    return group is not None and group.select == "one"


# How big a size is, by the words of its name: a menu lists sizes in any order ("Small ... Party
# Size, Lunch Size, Personal Size"), so "the big one" of a party size and a personal pizza is
# the party size
_SIZE_TIERS = {
    "mini": 0, "kid": 0, "kids": 0, "child": 0, "childs": 0, "junior": 0, "tiny": 0,
    "personal": 0.5, "individual": 0.5, "lunch": 0.5, "snack": 0.5, "single": 0.5,
    "small": 1, "short": 1, "sm": 1,
    "medium": 2, "regular": 2, "regularsize": 2, "standard": 2, "med": 2, "md": 2,
    "large": 3, "big": 3, "lg": 3, "grande": 3,
    "xl": 4, "jumbo": 4, "venti": 4,
    "party": 5, "family": 5, "sharing": 5, "giant": 5, "huge": 5, "mega": 5, "xxl": 5,
}  # fmt: skip
_SIZE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SIZE_WORD = re.compile(r"[a-z]+")


def _size_rank(group: OptionGroup, key: str) -> float | None:
    """Where a size stands among its group's, smallest first: by the number its name says
    ("12 inch", "16 oz") when every size of the group says one, else by its words ("extra"
    adds to the word after it), else by the menu's order."""
    option = next((o for o in group.options if o.key == key), None)
    if option is None:
        return None
    labels = {o.key: o.label.lower() for o in group.options}
    numbers = {k: _SIZE_NUMBER.search(label) for k, label in labels.items()}
    if all(numbers.values()):
        found = numbers[key]
        return float(found.group()) if found is not None else None
    tiers: dict[str, float] = {}
    for k, label in labels.items():
        words = _SIZE_WORD.findall(label)
        tier = next((_SIZE_TIERS[w] for w in words if w in _SIZE_TIERS), None)
        if tier is None:
            break
        tiers[k] = tier + (0.9 if "extra" in words or "x" in words else 0)
    else:
        return tiers[key]
    return float([o.key for o in group.options].index(key))


def _relative_size(ref: Ref) -> int:
    """1 for "the big one", -1 for "the little one": a size word said of a line, read as an
    option ("big" is "large") that no line may have; 0 for anything else."""
    if ref.sized or len(ref.options) != 1 or len(ref.option_words) != 1:
        return 0
    words = ref.option_words[0]
    return SIZE_WORDS.get(words[0], 0) if len(words) == 1 else 0


def _amount_of_it(edit: Edit, cart: CartRead, dialogue: Dialogue, lexicon: Lexicon) -> Edit:
    """ "a pizza with vegan pepperoni" ... "go heavy on it": the amount is of the one option
    the line just touched was ordered with that comes in amounts (one asked about first, of
    several); the edit as it is when there is no such one."""
    if (edit.ref is not None and not edit.ref.pronoun) or len(dialogue.last) != 1:
        return edit
    line = cart.line(dialogue.last[0])
    if line is None:
        return edit
    said = [
        c
        for c in line.choices
        if not (c.default or c.exclude) and edit.amount in lexicon.groups[c.group].qualifiers
    ]
    asked = {(c.group, c.option) for c in dialogue.options}
    if len(said) > 1:
        said = [c for c in said if (c.group, c.option) in asked]
    if len(said) != 1:
        return edit
    return replace(edit, choices=(Choice(said[0].group, said[0].option, edit.amount),))


def plan_edit(edit: Edit, cart: CartRead, dialogue: Dialogue, lexicon: Lexicon) -> Plan:
    """What an edit does to the cart, given what the conversation is about."""
    ref = edit.ref
    if (
        edit.op == "change"
        and ref is not None
        and ref.other
        and ref.items
        and edit.item is None
        and not any(line.item in ref.items for line in cart.lines)
        # ("the other burger" of two double cheeseburgers: a noun those lines answer to)
        and not any(
            {singular(w) for w in ref.words} <= item_words(lexicon, line.item)
            for line in cart.lines
        )
    ):
        # "take 2 of the cokes off" ... "make the other 3 diet cokes": the dish said after
        # "the other 3" is what they become, no line of it is there
        edit = replace(edit, item=ref.items[0], ref=replace(ref, items=(), words=()))
    elif (
        edit.op == "change"
        and ref is not None
        and ref.items
        and (edit.instead or edit.alike)
        and edit.item is None
        and edit.quantity is None  # ("change the fries to just 1": the fries there, fewer)
        and not any(line.item in ref.items for line in cart.lines)
        # ("make that curly fries, still extra large" on garlic fries: a dish no line's words
        # hold, with its options; but "make the fries large" names the garlic fries there)
        and (
            not edit.choices
            or not any(set(ref.words) <= item_words(lexicon, line.item) for line in cart.lines)
        )
    ):
        # "sorry i meant the jalapeno popper burger, not the poppers", "no make that apple
        # slices": the dish said is what the line talked about becomes
        edit = replace(edit, item=ref.items[0], ref=Ref(pronoun=True))
    if (
        ref is not None
        and ref.every
        and ref.total
        and (ref.items or ref.words)
        and sum(line.quantity for line in named(lexicon, cart.lines, ref)) > ref.total
    ):
        # "no pickles on the two burgers" with three there: two of them, as "two of the burgers"
        edit = replace(edit, ref=replace(ref, every=False, total=None, count=ref.total))
    left_out = edit.ref.spared if edit.ref is not None and edit.ref.every else 0
    meant = named(lexicon, cart.lines, edit.ref) if edit.ref is not None and left_out else []
    if len(meant) == 1 and meant[0].quantity > left_out and edit.ref is not None:
        # "bacon on all of them except one" on four burgers: three of them
        count = meant[0].quantity - left_out
        edit = replace(
            edit, ref=replace(edit.ref, every=False, spared=0, items=(meant[0].item,), count=count)
        )
    if edit.amount is not None and edit.op == "change" and not edit.choices:
        edit = _amount_of_it(edit, cart, dialogue, lexicon)
    recounted = _recounted(edit, cart, lexicon) or _made_more(edit, cart, dialogue, lexicon)
    if recounted is not None:
        return recounted
    last = dialogue.last_change
    if (
        edit.op == "change"
        and edit.instead
        and last is not None
        and (edit.ref is None or edit.ref.pronoun)
        and edit.choices
        and not edit.drop
        and {(c.group, c.option) for c in edit.choices}
        < {(c.group, c.option) for c in last.choices if not c.exclude}
    ):
        # "add jalapenos and pineapple" ... "no wait just pineapple": the rest of those go
        kept = {(c.group, c.option) for c in edit.choices}
        gone = tuple(c for c in last.choices if (c.group, c.option) not in kept and not c.exclude)
        edit = replace(edit, drop=gone, instead=False)
    elif (
        edit.op == "change"
        and edit.instead
        and (edit.ref is None or edit.ref.pronoun)
        and edit.choices
        and not (edit.drop or edit.item)
        and dialogue.last_edit is None
        and len(dialogue.last) == 1
        and (line := cart.line(dialogue.last[0])) is not None
    ):
        # "a burger with mayo, ketchup and mustard" ... "actually just ketchup": the others of
        # the kind said, just ordered, go
        kept = {(c.group, c.option) for c in edit.choices}
        had = {(c.group, c.option) for c in line.choices if not c.exclude}
        groups = {c.group for c in edit.choices}
        gone = tuple(
            Choice(c.group, c.option)
            for c in line.choices
            if c.group in groups and (c.group, c.option) not in kept and not c.exclude
        )
        # (not "make the onions a normal amount, not light": the amount of one of them)
        amounts = {(c.group, c.option): c.qualifier for c in line.choices}
        again = any(
            amounts.get((c.group, c.option), c.qualifier) != c.qualifier for c in edit.choices
        )
        if (
            kept < had
            and gone
            and not again
            and all(lexicon.groups[g].select != "one" for g in groups)
        ):
            edit = replace(edit, drop=gone, instead=False)
    return _Planner(lexicon, cart, dialogue).plan(edit)


def _recounted(edit: Edit, cart: CartRead, lexicon: Lexicon) -> Plan | None:
    """ "make it 5 pepperoni, and only 1 cheese lovers", "oh wait, make that 6 pepperoni" after
    other lines: each count goes to the one line the options it is said with name (a kind or a
    topping, not a size), when that line has another count; None when any of them does not."""
    ref = edit.ref
    if (
        edit.op != "change"
        or (ref is not None and (ref.named or ref.count is not None or ref.every or ref.ordinal))
        or edit.item is not None
        or edit.drop
        or edit.groups
        or edit.plain
    ):
        return None
    if edit.parts:
        counts = list(edit.parts)
    elif edit.quantity is not None and edit.choices:
        counts = [(edit.quantity, edit.choices)]
    else:
        return None
    steps: list[Step] = []
    for count, choices in counts:
        said = {(c.group, c.option) for c in choices}
        if (
            not said
            or any(c.exclude or c.qualifier for c in choices)
            or any(lexicon.groups[g].is_size for g, _ in said if g in lexicon.groups)
        ):
            return None
        having = [line for line in cart.lines if all(_has(line, [option]) for option in said)]
        if count < 1 or len(having) != 1 or having[0].quantity == count:
            return None
        if any(step.line_id == having[0].id for step in steps if isinstance(step, Update)):
            return None
        steps.append(Update(having[0].id, quantity=count))
    return Plan(
        steps=tuple(steps),
        targets=tuple(step.line_id for step in steps if isinstance(step, Update)),
    )


def _made_more(edit: Edit, cart: CartRead, dialogue: Dialogue, lexicon: Lexicon) -> Plan | None:
    """ "make it three, the third one plain": as many more of the lines' dish as the new total
    is beyond theirs, with what they all share (a plain one: only their size and kind) and the
    options said for the new ones."""
    ref = edit.ref
    if not edit.more_to or edit.quantity is None or ref is None:
        return None
    if ref.items:
        meant = [line for line in cart.lines if line.item in ref.items]
    else:
        meant = [line for line in cart.lines if line.id in dialogue.last]
    if not meant or len({line.item for line in meant}) != 1:
        return None
    more = edit.quantity - sum(line.quantity for line in meant)
    item = lexicon.menu.item(meant[0].item)
    if more < 1 or item is None:
        return None
    shared = set.intersection(
        *({(c.group, c.option, c.qualifier, c.exclude) for c in _said(line)} for line in meant)
    )
    kept = [
        ChoiceSpec(group=g, option=o, qualifier=q, exclude=x)
        for g, o, q, x in sorted(shared, key=str)
        if not edit.plain or (g in lexicon.groups and lexicon.groups[g].select == "one")
    ]
    spec = with_choices(
        lexicon.menu, LineSpec(item=item.key, quantity=more, choices=tuple(kept)), edit.choices
    )
    return Plan(steps=(Add(spec),))


# "keep the coke", "keep it small like i had it", "no actually keep it mushroom": what is kept
_KEEP = re.compile(
    r"\bkeep (?:it |them |that |the |my |our |his |her )?(?P<what>[a-z0-9' -]+?)\s*"
    r"(?=[,.;!?]|\b(?:like|as|but|and|then|please|instead|after all)\b|$)",
    re.I,
)


def kept_as_before(lexicon: Lexicon, text: str, cart: CartRead, dialogue: Dialogue) -> bool:
    """Whether "keep X" names what a line had before the latest change and has no more: the
    change taken back ("swap the coke for a lemonade | eh never mind, keep the coke")."""
    if not dialogue.undo or dialogue.last_edit != "change" or "keep" not in text.lower():
        return False
    found = _KEEP.search(text)
    if found is None:
        return False
    items, options = _named_in(lexicon, found.group("what"))
    for before, line in _changed(cart, dialogue):
        had = {c.option for c in before.choices if not c.exclude}
        has = {c.option for c in _said(line) if not c.exclude}
        if (before.item in items and line.item != before.item) or (options & had) - has:
            return True
    return False


def _changed(cart: CartRead, dialogue: Dialogue) -> list[tuple[LineSpec, CartLineRead]]:
    """The lines the latest change changed and the cart still has: each as it was, and as it
    is (not the lines it added or took off)."""
    pairs = []
    for line_id, before in dialogue.undo:
        line = cart.line(line_id)
        if before is not None and line is not None:
            pairs.append((before, line))
    return pairs


def _had(line: LineSpec) -> set[tuple[str, str]]:
    """The options (group, option) a line had before the latest change, those left off aside."""
    return {(c.group, c.option) for c in line.choices if not c.exclude}


def _taken_off(cart: CartRead, dialogue: Dialogue) -> set[tuple[str, str]]:
    """The options (group, option) the latest change took off the lines it changed."""
    gone: set[tuple[str, str]] = set()
    if dialogue.last_edit != "change":
        return gone
    for before, line in _changed(cart, dialogue):
        gone |= _had(before) - {(c.group, c.option) for c in _said(line)}
    return gone


def _put_on(cart: CartRead, dialogue: Dialogue) -> set[tuple[str, str]]:
    """The options (group, option) the latest change put on the lines it changed."""
    added: set[tuple[str, str]] = set()
    for before, line in _changed(cart, dialogue):
        added |= {(c.group, c.option) for c in _said(line) if not c.exclude} - _had(before)
    return added


def only_takes_back(edit: Edit, cart: CartRead, dialogue: Dialogue) -> bool:
    """Whether an edit only takes off options the latest change put on ("no actually keep it
    mushroom, forget the anchovies" after mushrooms became anchovies): taking the change back
    does that already, so it is no change of its own."""
    if any(not c.exclude for c in edit.choices):
        return False
    off = {(c.group, c.option) for c in (*edit.drop, *edit.choices)}
    return bool(off) and off <= _put_on(cart, dialogue)


def put_back(edit: Edit, cart: CartRead, dialogue: Dialogue) -> Edit:
    """An edit that only takes options off ("anchovies are fine", read as no longer left off)
    of options the latest change took off the line ("no anchovies, do tuna instead"): they go
    back on, as the line had them."""
    if edit.choices or not edit.drop:
        return edit
    gone = _taken_off(cart, dialogue)
    if not all((d.group, d.option) in gone for d in edit.drop):
        return edit
    return replace(edit, choices=edit.drop, drop=(), back=True)


def puts_back(edit: Edit, cart: CartRead, dialogue: Dialogue) -> bool:
    """Whether an edit puts on again an option the latest change took off ("hmm no, ranch is
    better" after marinara instead of ranch)."""
    gone = _taken_off(cart, dialogue)
    return any((c.group, c.option) in gone for c in edit.choices if not c.exclude)


def without_kept(text: str) -> str:
    """A message without its "keep X" clause ("keep the basil and put arugula on as well": "and
    put arugula on as well")."""
    found = _KEEP.search(text)
    return text if found is None else f"{text[: found.start()]}{text[found.end() :]}"


def _named_in(lexicon: Lexicon, words: str) -> tuple[set[str], set[str]]:
    """The dishes (not inferred) and the options (not left off) words name."""
    said = parse_order(lexicon, tokenize(words))
    items = {line.item for line in said.lines if not line.inferred}
    options = {c.option for line in said.lines for c in line.choices if not c.exclude}
    options.update(c.option for c in said.loose_choices if not c.exclude)
    return items, options


# "keep the white rice, just change the beans": what follows says what stays of the change
_ONLY = re.compile(r"\b(?:just|only)\b", re.I)


def keeps_part(text: str) -> bool:
    """Whether what follows "keep X" says what stays of the latest change ("keep the white
    rice, just change the beans"), not a change of its own."""
    found = _KEEP.search(text)
    return found is not None and _ONLY.search(text, found.end()) is not None


def kept_of_change(lexicon: Lexicon, text: str, cart: CartRead, dialogue: Dialogue) -> Plan | None:
    """The steps for "keep the white rice, just change the beans", "keep it large tho, just the
    syrup change" after a change of both: what is kept goes back as it was (what the change put
    in its place comes off, unless the message names it), the rest of the change stays."""
    found = _KEEP.search(text)
    if found is None or not keeps_part(text):
        return None
    kept = _named_in(lexicon, found.group("what"))[1]
    named = _named_in(lexicon, text[found.end() :])[1]
    for before, line in _changed(cart, dialogue):
        had = _had(before)
        has = {(c.group, c.option) for c in _said(line) if not c.exclude}
        back = [(g, o) for g, o in had - has if o in kept]
        groups = {g for g, _ in back}
        off = [(g, o) for g, o in has - had if g in groups and o not in named]
        if back:
            edit = Edit(
                op="change",
                choices=tuple(Choice(g, o) for g, o in back),
                drop=tuple(Choice(g, o) for g, o in off),
            )
            return apply_edit(edit, [line.id], cart, dialogue, lexicon)
    return None


def plan_undo(cart: CartRead, dialogue: Dialogue, lexicon: Lexicon) -> Plan:
    """The steps that take the latest edit back."""
    return _Planner(lexicon, cart, dialogue).undone()


def before_edit(
    cart: CartRead, after: CartRead, plan: Plan
) -> tuple[tuple[str, LineSpec | None], ...]:
    """What `Dialogue.undo` keeps for a plan carried out: each line it touched as it was, and
    the lines it made."""
    touched = [step.line_id for step in plan.steps if not isinstance(step, Add)]
    out: list[tuple[str, LineSpec | None]] = []
    for line_id in dict.fromkeys(touched):
        line = cart.line(line_id)
        if line is not None:
            spec = LineSpec(item=line.item, quantity=line.quantity, choices=_specs(_said(line)))
            out.append((line_id, spec))
    had = {line.id for line in cart.lines}
    out.extend((line.id, None) for line in after.lines if line.id not in had)
    return tuple(out)


def apply_edit(
    edit: Edit, line_ids: Sequence[str], cart: CartRead, dialogue: Dialogue, lexicon: Lexicon
) -> Plan:
    """What an edit does to lines already chosen (the answer to "which one?")."""
    lines = [line for line in cart.lines if line.id in line_ids]
    return _Planner(lexicon, cart, dialogue).apply(edit, lines)


def pick(ref: Ref | None, candidates: Sequence[str], cart: CartRead, lexicon: Lexicon) -> list[str]:
    """The lines an answer to "which one?" picks among the candidates ("the first", "both",
    "the large one"); empty when it picks none of them."""
    lines = [line for line in cart.lines if line.id in candidates]
    if ref is None or not lines:
        return []
    if ref.every:
        return [line.id for line in lines]
    found = named(lexicon, lines, ref) if ref.named else lines
    if ref.ordinal is not None:
        line = _nth(found, ref.ordinal)
        found = [line] if line is not None else []
    elif ref.other and len(found) > 1:
        found = found[-1:]
    return [line.id for line in found] if len(found) == 1 or ref.plural else []


__all__ = [
    "Add",
    "Ask",
    "Dialogue",
    "Missing",
    "Plan",
    "Remove",
    "Split",
    "Step",
    "Update",
    "accepts",
    "apply_edit",
    "before_edit",
    "dish_options",
    "fitted",
    "keeps_part",
    "kept_as_before",
    "kept_of_change",
    "named",
    "only_takes_back",
    "pick",
    "plan_edit",
    "plan_undo",
    "put_back",
    "puts_back",
    "with_choices",
    "without_kept",
]


def _said_anew(edit: Edit) -> bool:
    """Whether a change 'instead' says the whole dish again: its name, or options of more than
    one group ("a medium mediterranean"), not a way of making it alone ("switch it to decaf")."""
    return edit.item is not None or len({c.group for c in edit.choices if not c.exclude}) > 1
