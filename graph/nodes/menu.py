"""The menu flows: show the menu or what fits a wish, and answer questions about dishes.

Questions are answered with the conversation in mind: "how much is that?" prices the line just
ordered with its options, "what sizes do the fries come in?" lists the sizes with their prices,
"do you have oat milk?" says yes or no and what it goes on, "what's good here?" recommends.
A dish asked about becomes the dialogue's offer, so "ok, one of those" orders it as asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from langgraph.runtime import Runtime

from graph.cards import menu_card
from graph.context import Context
from graph.dialogue import Dialogue, dish_options, fitted, named, names_kind, with_choices
from graph.intents import Intent
from graph.menu import Item, Menu, Option, OptionGroup
from graph.models import CartError, CartLineRead, CartRead, ChoiceSpec, LineSpec
from graph.nlu import Lexicon
from graph.nlu.edits import item_words, singular
from graph.nlu.grammar import parse_order
from graph.nlu.reading import Choice, OrderLine, Reading, Ref
from graph.nlu.text import tokenize
from graph.nlu.words import SAUCE_KINDS, SAUCE_WORDS, WARM_DISH
from graph.nodes.cart import did_you_mean, kind_replaced, suggestions
from graph.nodes.turn import Reply, lexicon_of
from graph.pricing import price_line
from graph.replies import describe_line, join, plural, price
from graph.search import (
    alternatives,
    categories,
    in_course_order,
    matching,
    of_kind,
    options_fitting,
    recommended,
)
from graph.state import State
from graph.tools import run_tool
from graph.tools.menu import describe_item, search_menu

# Words of a question that are not what is asked about ("what kinds of shakes do you have").
_ASK_WORDS = frozenset(
    [
        "what",
        "which",
        "whats",
        "kind",
        "kinds",
        "type",
        "types",
        "sort",
        "sorts",
        "do",
        "does",
        "you",
        "u",
        "have",
        "got",
        "any",
        "there",
        "is",
        "are",
        "the",
        "a",
        "an",
        "of",
        "your",
        "ur",
        "sell",
        "serve",
        "offer",
        "carry",
        "options",
        "choices",
        "available",
        "come",
        "in",
        "flavors",
        "flavours",
        "guys",
        "yall",
    ]
)


def _said_specs(menu: Menu, item: Item, choices: Sequence[Choice]) -> tuple[ChoiceSpec, ...]:
    out: list[ChoiceSpec] = []
    for choice in choices:
        fit = fitted(menu, item, choice)
        if fit is not None:
            out.append(fit)
    return tuple(out)


def _priced(menu: Menu, spec: LineSpec) -> CartLineRead | None:
    item = menu.item(spec.item)
    if item is None:
        return None
    try:
        return price_line(menu, "q", item, spec.quantity, spec.choices)
    except CartError:
        return price_line(menu, "q", item, spec.quantity) if item.available else None


def _sizes_text(menu: Menu, item: Item) -> str:
    group = menu.size_group(item)
    currency = menu.restaurant.currency
    if group is None:
        return f"{item.label} comes in one size, {price(item.price, currency)}."
    sizes = [f"{o.label.lower()} {price(item.price + o.price, currency)}" for o in group.options]
    return f"{item.label} comes in {join(sizes)}."


def _contents_text(menu: Menu, item: Item, text: str) -> str:
    currency = menu.restaurant.currency
    allergens = _allergen_answer(menu, item, text)
    lead = "It" if allergens else item.label
    parts = [allergens] if allergens else []
    parts.append(f"{lead} is {price(item.price, currency)}.")
    if set(re.findall(r"[a-z]+", WARM_DISH.sub("", text).lower())) & _HEAT:
        # "is the chicken sandwich spicy?": what its tags and names say
        said = {
            w
            for name in (item.label, item.description, *item.tags)
            for w in re.findall(r"[a-z]+", WARM_DISH.sub("", name).lower())
        }
        parts.append(
            "It's spicy."
            if said & {"spicy", "hot"}
            else "It isn't listed as spicy."
            if "mild" not in said
            else "It's mild."
        )
    if item.description:
        parts.append(item.description.rstrip(".") + ".")
    defaults = [o.label.lower() for g in menu.groups_of(item) for o in g.options if o.default]
    if defaults:
        parts.append(f"It comes with {join(defaults)}.")
    if item.allergens and not allergens:
        parts.append(f"Allergens: {join(item.allergens)}.")
    groups = menu.groups_of(item)
    if groups:
        parts.append("You can choose " + join(g.label.lower() for g in groups) + ".")
    if not item.available:
        others = alternatives(menu, item)
        how = f" How about {join((o.label for o in others), 'or')}?" if others else ""
        parts.append(f"It's sold out right now, sorry.{how}")
    return " ".join(parts)


def _comes_with(menu: Menu, item: Item, choices: Sequence[Choice]) -> str:
    """ "does it come with whipped cream?": whether the dish has the options asked about, or
    what they add."""
    parts = []
    for choice in choices:
        group = menu.group(choice.group)
        option = group.option(choice.option) if group is not None else None
        if option is None or choice.group not in item.option_groups:
            continue
        if option.default:
            parts.append(f"It comes with {option.label.lower()}.")
        else:
            cost = f" (+{price(option.price, menu.restaurant.currency)})" if option.price else ""
            parts.append(f"It doesn't come with {option.label.lower()}, but you can add it{cost}.")
    return " ".join(parts)


def _allergen_answer(menu: Menu, item: Item, text: str) -> str:
    """A direct answer when the question names an allergen the menu knows ("nut free?")."""
    said = {singular(w) for w in re.findall(r"[a-z]+", text.lower())}
    known = {a for i in menu.items() for a in i.allergens}
    asked = sorted(a for a in known if singular(a.lower()) in said)
    if not asked:
        return ""
    has = [a for a in asked if a in item.allergens]
    if has:
        return f"Heads up: {item.label} contains {join(has)}."
    return f"{item.label} has no {join(asked, 'or')} listed."


_JOINING = frozenset({"and", "n", "&", "of", "with"})  # the small words inside dish names


def _cart_lines(
    lexicon: Lexicon, cart: CartRead, dialogue: Dialogue, ref: Ref | None
) -> list[CartLineRead]:
    """The cart lines a question points at: "that", "the pizza", "both"."""
    if ref is None or not cart.lines:
        return []
    if ref.named:
        return named(lexicon, list(cart.lines), ref)
    # "how much is that?" after "same again": all the latest turn touched
    ids = set(dialogue.last)
    found = [line for line in cart.lines if line.id in ids]
    return found or list(cart.lines[-1:])


async def answer_question(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Answer a question about a dish or a line: its price, sizes, what's in it."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    menu = await ctx.menu.get_menu()
    lexicon = await lexicon_of(ctx)
    currency = menu.restaurant.currency
    dialogue = state.dialogue
    cart = await ctx.cart.get(ctx.session_id) if reading.ref is not None else None
    lines = _cart_lines(lexicon, cart, dialogue, reading.ref) if cart is not None else []
    if lines and reading.ref is not None and reading.ref.words:
        # "how much are the curly fries?" with garlic fries ordered: the dish named ("the
        # iced tea" is the lemon iced tea ordered; "the steak and cheese": its "and" is no noun)
        named_words = {singular(w) for w in reading.ref.words} - _JOINING
        lines = [line for line in lines if named_words <= item_words(lexicon, line.item)]
    if (
        lines
        and cart is not None
        and reading.ref is not None
        and reading.ref.pronoun
        and not reading.ref.named
        and reading.items
        and not any(said.inferred for said in reading.items)
        and not {said.item for said in reading.items} & {line.item for line in cart.lines}
    ):
        # "what about hot cocoa, how much is it": "it" is the dish named, not the lines
        lines = []
    if not lines and _priced_of_kind(menu, " ".join(tokenize(reading.text))):
        # "what's the cheapest bag of chips": the dish of that kind, not the one "chips" names
        return await show_menu(state, runtime)
    asking = reading.asking
    hottest = _hottest(menu, reading.text, reply)
    if hottest is not None:
        # "which salsa is the hottest, the red one?": that option, named (and kept for "ok the
        # red one then on a taco")
        return reply.update(**_options_asked(state, dialogue, [hottest]))
    again = _options_again(state, reading)
    if again:
        # "how much extra is it?", "how much?" right after "do you have meatballs?": what the
        # options add (and the dish offered with them)
        _option_prices(menu, again, reply)
        if state.asked == "suggestion" and dialogue.offer is not None:
            return reply.update(**_offer_priced(menu, dialogue.offer, state, reply))
        return reply.update(**_options_asked(state, dialogue, again))
    if (asking in (None, "price") or _EXTRA.search(reading.text)) and _ADDING.search(reading.text):
        # "how much extra is it to add guac?": what the option adds to the lines it would go
        # on, not what they cost; guacamole the topping, not the side ("and if I add pepperoni?"
        # after a dish's price is that dish's price with it)
        if cart is None:
            cart = await ctx.cart.get(ctx.session_id)
        takers = [i for line in lines or cart.lines if (i := menu.item(line.item)) is not None]
        added = _added_options(menu, reading, takers, lines or list(cart.lines))
        if added and _option_prices(menu, added, reply):
            asked_for = None if lines else _dish_asked_for(menu, reading, cart, added)
            if asked_for is not None:
                # "can i get caesar and ranch on the chicken and bacon ranch?" with none in the
                # cart: an order asked as a question; a yes next orders it so
                return reply.update(**_offered_after_prices(menu, asked_for, state, reply, added))
            return reply.update(**_options_asked(state, dialogue, added))
        said = [
            Choice(c.group, c.option) for x in reading.items for c in x.choices if not c.exclude
        ]
        if said and _EXTRA_IS.search(reading.text) and _option_prices(menu, said, reply):
            # "how much extra is the cheese on the burrito?": what the option adds, had or not
            return reply.update(**_options_asked(state, dialogue, said))
        if reading.ref is not None and not reading.ref.named and not reading.inferred:
            lines = []  # "how much is it to add queso?": the side named, not the lines
    if lines and asking in (None, "price"):
        # "how much is that?", "how much is the pizza?": the lines as ordered
        compared = _COMPARED.search(reading.text)
        if len(lines) > 1 and (_EACH.search(reading.text) or compared):
            parts = [
                f"{describe_line(line)} is {price(line.unit_price, currency)}"
                + (" each" if line.quantity > 1 else "")
                for line in lines
            ]
            item = menu.item(lines[0].item)
            if item is not None and all(line.item == item.key for line in lines):
                # ("tacos are $10.25 each on their own": what they all start from)
                kind = plural(item.label.lower(), 2)
                reply.line(f"{_capital(kind)} are {price(item.price, currency)} each on their own.")
            reply.line(f"{_capital(join(parts))}.")
            if compared:
                reply.line(_cheaper(lines))
        elif len(lines) > 1:
            total = sum((line.line_total for line in lines), Decimal("0"))
            what = join(describe_line(line) for line in lines)
            reply.line(f"{_capital(what)} come to {price(total, currency)}.")
        for line in lines[:1] if len(lines) == 1 else ():
            each = f" ({price(line.unit_price, currency)} each)" if line.quantity > 1 else ""
            verb = "are" if line.quantity > 1 else "is"
            reply.line(
                f"{_capital(describe_line(line))} {verb} {price(line.line_total, currency)}{each}."
            )
        return reply.update(dialogue=dialogue.touched([line.id for line in lines]))
    offer = dialogue.offer
    if (
        offer is not None
        and state.asked == "suggestion"
        and not lines
        and not reading.items
        and (reading.choices or (reading.ref is not None and reading.ref.pronoun))
    ):
        # "and a large?", "what if i get extra mushrooms?": the dish just asked about, again
        # (with what the options add when that is asked: "what does stuffed crust cost on top")
        if _ADDING.search(reading.text):
            _option_prices(menu, [c for c in reading.choices if not c.exclude], reply)
        # ("do you have cauliflower crust" ... "and keto crust?": that crust instead; "and the
        # meat lovers?" after the supreme: that kind in its place)
        named = bool(_AND_THE_KIND.match(reading.text))
        offer = kind_replaced(menu, offer, reading.choices, named=named)
        return reply.update(
            **_offer_priced(menu, with_choices(menu, offer, reading.choices), state, reply)
        )
    items: list[Item] = []
    specs: list[LineSpec] = []
    if asking in (None, "price") and not lines and reading.items:
        # "does bacon cost extra?": what the options add, not a dish they were read onto;
        # "is guac extra?": the option a side is too
        said = [c for line in reading.items for c in line.choices]
        plain = [Choice(c.group, c.option) for c in said if not c.exclude]
        if (
            (_EXTRA.search(reading.text) or _COSTS_ON.search(reading.text))
            and _ON_A_DISH.search(reading.text)
            and _option_prices(menu, plain, reply)
        ):
            # "how much extra is the vegetarian option on a pizza?", "how much does blue cheese
            # cost on a burger?": what it adds to one
            return reply.update(**_options_asked(state, dialogue, plain))
        if (
            offer is not None
            and all(line.inferred and line.item == offer.item for line in reading.items)
            and not _EXTRA.search(reading.text)
        ):
            # "how much would a small one with gluten free crust be": the dish offered, so
            return reply.update(
                **_offer_priced(menu, with_choices(menu, offer, said), state, reply)
            )
        a_dish = _A_DISH.search(reading.text) and not _EXTRA.search(reading.text)
        if (
            all(line.inferred for line in reading.items)
            and not a_dish  # ("how much is a small margherita?": the pizza, as said)
            and _option_prices(menu, said, reply)
        ):
            return reply.update(**_options_asked(state, dialogue, said))
        named_so = dish_options(menu, [line.item for line in reading.items])
        if _EXTRA.search(reading.text) and _option_prices(menu, named_so, reply):
            # ("ok add it to a chicken burrito" next: the option asked about)
            return reply.update(**_options_asked(state, dialogue, named_so))
    if (
        asking in (None, "price")
        and not lines
        and not reading.items
        and _option_prices(menu, reading.choices, reply)
    ):
        # "how much is mayo?": what the option adds
        return reply.update(**_options_asked(state, dialogue, reading.choices))
    if (
        (
            asking == "dietary"
            # "what's in the fajita veggies?": an option asked about, not a dish read onto it
            # (but "what's on the hawaiian?" asks about that pizza)
            or (
                asking == "contents"
                and _WHAT_IS_IN.search(reading.text) is not None
                and not any(names_kind(menu, c) for line in reading.items for c in line.choices)
            )
        )
        and not lines
        and reading.items
        and all(line.inferred for line in reading.items)
        and _option_answer(
            menu, [c for line in reading.items for c in line.choices], reading.text, reply
        )
    ):
        # "is the green salsa spicy?": the option asked about, not a dish it was read onto (and
        # no dish offered: "ok put it on them" next goes to the cart)
        return reply.update(
            **_options_asked(state, dialogue, [c for line in reading.items for c in line.choices])
        )
    said_lines = reading.items
    if (
        offer is not None
        and state.asked == "suggestion"
        and not lines
        and reading.ref is not None
        and reading.ref.pronoun
        and said_lines
        and all(line.inferred for line in said_lines)
    ):
        # "does it come with whipped cream?" after a hot chocolate's price: that dish, not one
        # the option was read onto
        of_it = tuple(c for line in said_lines for c in line.choices)
        said_lines = (OrderLine(offer.item, choices=of_it, inferred=True),)
    # "does the salad have cheese on it?", "is the vegan pizza made with vegan cheese?": the
    # options asked after are no part of the offer (those naming the dish before are)
    has = _HAS.search(reading.text) if asking == "contents" else None
    has_them = has is not None
    named_by: set[tuple[str, str]] = set()
    if has is not None:
        head = parse_order(lexicon, tokenize(reading.text[: has.start()]))
        named_by = {(c.group, c.option) for line in head.lines for c in line.choices}
    for said_line in said_lines[:3]:
        item = menu.item(said_line.item)
        if item is None:
            continue
        items.append(item)
        kept = [c for c in said_line.choices if (c.group, c.option) in named_by]
        choices = _said_specs(menu, item, kept if has_them else said_line.choices)
        specs.append(LineSpec(item=item.key, quantity=said_line.quantity, choices=choices))
    if not items and lines:
        for line in lines:
            item = menu.item(line.item)
            if item is not None and item not in items:
                items.append(item)
    if not items:
        return await show_menu(state, runtime)
    for item in items:
        await run_tool(describe_item, runtime, state, item=item.key)
    update: dict[str, Any] = {}
    if asking == "sizes":
        for item in items:
            reply.line(_sizes_text(menu, item))
    elif asking == "price" and specs:
        for spec in specs:
            priced = _priced(menu, spec)
            dish = menu.item(spec.item)
            if priced is None or dish is None:
                continue
            verb = "are" if priced.quantity > 1 else "is"
            text = f"{_capital(describe_line(priced))} {verb} {price(priced.line_total, currency)}."
            if dish.allergens:
                text += f" It contains {join(dish.allergens)}."
            reply.line(text)
    else:
        for item in items:
            reply.line(_contents_text(menu, item, reading.text))
        if len(items) == 1 and has_them and said_lines:
            after = [c for c in said_lines[0].choices if (c.group, c.option) not in named_by]
            reply.line(_comes_with(menu, items[0], after))
        elif not has_them and not lines:
            # "whats on the meat lovers", "is the shrimp any good on pizza?", "deep dish or
            # chicago style?": the options asked about are named, not only the dish
            _option_answer(
                menu, [c for line in said_lines[:3] for c in line.choices], reading.text, reply
            )
    reply.card(menu_card(menu, items))
    first = items[0]
    if first.available and not lines:
        many = len(items) > 1 or any(spec.quantity > 1 for spec in specs)
        reply.line(
            "Would you like one of those?"
            if len(items) > 1
            else "Would you like them?"
            if many
            else "Would you like one?"
        )
        offer = specs[0] if specs else LineSpec(item=first.key)
        # (every dish of "diet coke or coke zero?": "the cheaper one", "coke zero, two of them")
        asked = (*dialogue.asked_about, *(specs or [offer]))[-4:]
        update.update(
            dialogue=replace(dialogue, offer=offer, asked_about=asked), awaiting="suggestion"
        )
        reply.offer("Yes", "No")
    elif lines:
        # "does the cappuccino come with foam?" of the one ordered: that line is talked about,
        # so "ok extra foam on it then" goes on it
        update.update(dialogue=dialogue.touched([line.id for line in lines]))
    return reply.update(**update)


def _cheaper(lines: Sequence[CartLineRead]) -> str:
    """ "They're the same price", or which line is the cheaper one each."""
    prices = {line.unit_price for line in lines}
    if len(prices) == 1:
        return "They're the same price."
    cheapest = min(lines, key=lambda line: line.unit_price)
    one = describe_line(cheapest, quantity=1)
    return f"{_capital(one)} is the cheapest." if len(lines) > 2 else f"{_capital(one)} is cheaper."


_HAS = re.compile(
    r"\b(?:have|has|contain|contains|come with|comes with|include|includes|made with|made of|"
    r"topped with|served with)\b",
    re.I,
)
# "are they the same price?", "which one's cheaper": prices compared
_COMPARED = re.compile(r"\b(?:cheaper|cheapest|same price|cost the same|expensive|pricier)\b", re.I)
# "how much is a small margherita?", "how much does a medium neapolitan cost": a dish, as said
_A_DISH = re.compile(
    r"\b(?:is|are|for|be|cost|costs|does|do|would)\s+(?:a|an|one|two|three|\d+)\s", re.I
)
# "... on a pizza", "the vegan option": an option asked about on a kind of dish
_ON_A_DISH = re.compile(r"\b(?:on|in) (?:a|an|your|the|my) \w+|\boptions?\b", re.I)
# "what does blue cheese cost on a burger": the option's cost on a kind of dish
_COSTS_ON = re.compile(r"\b(?:cost|costs|add|adds)\b.* (?:on|to|in) (?:a|an|your)\s", re.I)
# "how much extra is the cheese on it", "how much more are the olives", "how much does the
# barbacoa add?": what an option adds
_EXTRA_IS = re.compile(
    r"\bhow much (?:extra|more) (?:is|are|does|do|for)\b|"
    r"\bhow much (?:does|do|would|will) (?:the |a |an )?[a-z' ]{1,30}? add\b",
    re.I,
)
# "add guac to a bowl", "blue cheese on a burger": the dish named is where the option goes
_ONTO_A_DISH = re.compile(
    r"\b(?:to|on|onto|in) (?:a|an|the|my|your|each|every|both|his|her|our)\s+[a-z]+", re.I
)
# "and the meat lovers?", "what about the hawaiian": a kind of the dish offered, as a dish
_AND_THE_KIND = re.compile(
    r"^(?:(?:ok|okay|so|hmm+|um+|oh)[\s,]+)*(?:and|or|what about|how about) the [a-z' ]+\??$",
    re.I,
)
# "how much are the tacos each": each line's price, not what they come to
_EACH = re.compile(r"\b(?:each|apiece|per (?:taco|one|item|piece))\b", re.I)
_EXTRA = re.compile(r"\b(?:extra|more|charge|upcharge)\b", re.I)
# Words of a question about adding an option ("how much to add guac", "is it more on top").
_ADDING = re.compile(
    r"\b(?:extra|more|charge|upcharge|add|adding|added|on (?:it|them|that|this|those|these|top|"
    r"there|both|each|mine|the \w+))\b",
    re.I,
)


def _added_options(
    menu: Menu, reading: Reading, takers: Sequence[Item], lines: Sequence[CartLineRead]
) -> list[Choice]:
    """The options a question about adding names, in the groups of the dishes they would go on
    (a dish named like an option, guacamole the side, is the option here); none when a dish
    of its own is named ("how much more is a chicken burrito") or nothing takes them."""
    twins: list[Choice] = []
    onto = _ONTO_A_DISH.search(reading.text) is not None
    for said in reading.items:
        if said.inferred:
            continue
        named = dish_options(menu, [said.item])
        if not named and said.choices and onto and (item := menu.item(said.item)) is not None:
            # "how much to add guac to a bowl?": the bowl takes it
            takers = [*takers, item]
            continue
        if not named:
            return []  # a dish asked about, not an option
        twins.extend(named)
    if not takers:
        return []
    said_choices = [c for line in reading.items for c in line.choices]
    had = [{(c.group, c.option) for c in line.choices} for line in lines]
    out: list[Choice] = []
    for choice in dict.fromkeys([*said_choices, *reading.choices, *twins]):
        if choice.exclude:
            continue
        for item in takers:
            fit = fitted(menu, item, choice)
            if fit is None:
                continue
            if had and all((fit.group, fit.option) in mine for mine in had):
                break  # already on every line: what they are, not what is added
            out.append(Choice(fit.group, fit.option))
            break
    return list(dict.fromkeys(out))


# "can i get ...", "could you put ...": a request, though asked as a question
_ASKED_FOR = re.compile(
    r"^(?:(?:so|ok|okay|and|hey|hi|um|oh)\W+)*(?:(?:can|could|may) (?:i|we) (?:get|have|do|order)"
    r"|(?:can|could|would) (?:you|u) (?:put|add|do|make|get)|i(?:d| would) like)\b",
    re.I,
)


def _dish_asked_for(
    menu: Menu, reading: Reading, cart: CartRead, added: Sequence[Choice]
) -> LineSpec | None:
    """The one dish a request asked as a question names with the options it asks onto it,
    when the cart holds none of it ("can i get bacon on the double cheeseburger?"): what a yes
    orders. None for a question that only asks ("how much to add guac to a bowl?")."""
    if not _ASKED_FOR.match(reading.text):
        return None
    named = [line for line in reading.items if not line.inferred]
    if len(named) != 1 or dish_options(menu, [named[0].item]):
        return None
    said = named[0]
    if menu.item(said.item) is None or any(line.item == said.item for line in cart.lines):
        return None
    return with_choices(menu, LineSpec(item=said.item, quantity=said.quantity), added)


def _offered_after_prices(
    menu: Menu, spec: LineSpec, state: State, reply: Reply, added: Sequence[Choice]
) -> dict[str, Any]:
    """The dish asked for with its options, offered after what they add."""
    priced = _priced(menu, spec)
    if priced is None:
        return _options_asked(state, state.dialogue, added)
    reply.line(f"Want {describe_line(priced)}?")
    reply.offer("Yes", "No")
    asked = (*state.dialogue.asked_about, spec)[-4:]
    return {
        "dialogue": replace(state.dialogue, offer=spec, asked_about=asked),
        "awaiting": "suggestion",
    }


def _option_prices(menu: Menu, choices: Sequence[Choice], reply: Reply) -> bool:
    """ "Bacon is $1.50 extra", "Cheese is free": what each option adds; False if none known."""
    parts: list[str] = []
    for choice in dict.fromkeys(choices):
        group = menu.group(choice.group)
        option = group.option(choice.option) if group is not None else None
        if option is None:
            continue
        cost = f"{price(option.price, menu.restaurant.currency)} extra" if option.price else "free"
        parts.append(f"{option.label} is {cost}")
    if parts:
        reply.line(_capital(join(parts)) + ".")
    return bool(parts)


def _options_again(state: State, reading: Reading) -> tuple[Choice, ...]:
    """The options asked about just before, when a bare price question follows ("do you have
    stuffed crust?" ... "how much does it add?"): nothing new named, the question about them."""
    dialogue = state.dialogue
    ref = reading.ref
    if (
        not dialogue.options
        or reading.items
        or reading.choices
        or reading.asking not in (None, "price")
        or (ref is not None and (ref.named or ref.words))
    ):
        return ()
    if state.asked == "option":
        return dialogue.options
    offer = dialogue.offer
    if state.asked == "suggestion" and offer is not None:
        offered = {(c.group, c.option) for c in offer.choices}
        if all((c.group, c.option) in offered for c in dialogue.options):
            return dialogue.options
    return ()


# "is sour cream extra?", "does guac cost extra": "extra" as a price, not as more of it
_COSTS_EXTRA = re.compile(r"\b(?:is|are|cost|costs|charge) (?:the )?(?:\w+ ){0,2}extra\W*$")


def _options_asked(state: State, dialogue: Dialogue, choices: Sequence[Choice]) -> dict[str, Any]:
    """The options just asked about, for "ok add one" next (on the line that takes them), and
    with those asked right before ("and bacon?"), for "with both"."""
    said = tuple(dict.fromkeys(c for c in choices if not c.exclude))
    if not said:
        return {}
    if "extra" in state.text and _COSTS_EXTRA.search(state.text.lower()):
        # ("is sour cream extra?": its price asked, not more of it; "ok put it on a taco" next)
        said = tuple(replace(c, qualifier=None) if c.qualifier == "extra" else c for c in said)
    before = dialogue.options_in_a_row if state.asked == "option" else ()
    row = tuple(dict.fromkeys((*before, *said)))[-4:]
    return {"dialogue": replace(dialogue, options=said, options_in_a_row=row), "awaiting": "option"}


_HEAT = frozenset({"spicy", "hot", "mild", "heat", "spice", "spiciness"})


def _option_answer(menu: Menu, choices: Sequence[Choice], text: str, reply: Reply) -> bool:
    """What the menu says of options asked about: their price, and how hot they are when that
    is asked and their names tell ("spicy salsa", "mild salsa"); False if none is known."""
    asked = set(re.findall(r"[a-z]+", WARM_DISH.sub("", text).lower()))
    parts: list[str] = []
    for choice in dict.fromkeys(c for c in choices if not c.exclude):
        group = menu.group(choice.group)
        option = group.option(choice.option) if group is not None else None
        if group is None or option is None:
            continue
        cost = f"{price(option.price, menu.restaurant.currency)} extra" if option.price else "free"
        parts.append(f"{option.label} is a {group.label.lower()} option, {cost}.")
        if asked & _HEAT:
            parts.append(_heat(group, option))
        if not option.available:
            parts.append("It's sold out right now, sorry.")
    if parts:
        reply.line(" ".join(parts))
    return bool(parts)


# "what's in the fajita veggies?", "what goes in the corn salsa": of the thing named after it
_WHAT_IS_IN = re.compile(
    r"\bwhat(?:'s|s| is| are| goes| comes)? (?:in|on|into) (?:the|a|an|your|that|this) ", re.I
)
# "which salsa is the hottest", "what's the mildest sauce", "which one is spicier"
_HOTTEST = re.compile(
    r"\b(?:(hottest|spiciest|most spicy|hotter|spicier|more spicy)|"
    r"(mildest|least spicy|milder|less spicy))\b",
    re.I,
)
_HOT_WORDS = frozenset({"spicy", "hot"})


def _hottest(menu: Menu, text: str, reply: Reply) -> Choice | None:
    """ "Which salsa is the hottest, the red one?": the one option of the group named whose
    names say it is hot (or mild), said with its price, and whether the guess said with the
    question is right; None unless the question and the menu say which."""
    said = _HOTTEST.search(text)
    group = _group_asked(menu, text) if said is not None else None
    if said is None or group is None:
        return None
    wanted = _HOT_WORDS if said.group(1) else frozenset({"mild"})

    def words(option: Option) -> set[str]:
        return {w for name in (option.label, *option.aliases) for w in name.lower().split()}

    found = [option for option in group.options if words(option) & wanted]
    if len(found) != 1:
        return None
    option = found[0]
    asked = set(re.findall(r"[a-z]+", text.lower())) - _HOT_WORDS - {"mild"}
    own = {singular(w) for w in re.findall(r"[a-z]+", group.label.lower())}
    guessed = [
        other
        for other in group.options
        if {w for w in words(other) if w not in own and singular(w) not in own} & asked
    ]
    cost = f"{price(option.price, menu.restaurant.currency)} extra" if option.price else "free"
    heat = "spicy" if wanted is _HOT_WORDS else "mild"
    answer = f"{option.label} is the {heat} one, {cost}."
    if len(guessed) == 1:
        # ("the red one?": the guess said; "green or red?" is no guess)
        answer = f"{'Yes' if option in guessed else 'No'}, {answer}"
    reply.line(answer)
    return Choice(group.key, option.key)


def _heat(group: OptionGroup, option: Option) -> str:
    """How hot an option is, as far as its names tell."""

    def words(o: Option) -> set[str]:
        return {w for name in (o.label, *o.aliases) for w in name.lower().split()}

    if words(option) & {"spicy", "hot"}:
        return "Yes, it's the spicy one."
    spicy = [o.label for o in group.options if o != option and words(o) & {"spicy", "hot"}]
    if "mild" in words(option):
        return "No, it's mild" + (f"; {spicy[0]} is the spicy one." if spicy else ".")
    if spicy:
        return f"It isn't listed as spicy; {spicy[0]} is the spicy one."
    return "The menu doesn't say how hot it is."


def _offer_priced(menu: Menu, spec: LineSpec, state: State, reply: Reply) -> dict[str, Any]:
    """The price of a dish as asked, offered next."""
    priced = _priced(menu, spec)
    if priced is None:
        reply.line("Sorry, that one is sold out right now.")
        return {}
    currency = menu.restaurant.currency
    verb, them = ("are", "them") if priced.quantity > 1 else ("is", "one")
    reply.line(
        f"{_capital(describe_line(priced))} {verb} {price(priced.line_total, currency)}."
        f" Would you like {them}?"
    )
    reply.offer("Yes", "No")
    asked = (*state.dialogue.asked_about, spec)[-4:]
    return {
        "dialogue": replace(state.dialogue, offer=spec, asked_about=asked),
        "awaiting": "suggestion",
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _filter_words(reading: Reading, currency: str) -> str:
    """The search as understood, for the reply: 'vegetarian, under $12.00, without nuts'."""
    parts = [t.replace("_", " ") for t in reading.tags if t != "popular"]
    if reading.max_price is not None:
        parts.append(f"under {price(reading.max_price, currency)}")
    if reading.exclude_allergens:
        parts.append("without " + join(reading.exclude_allergens, "or"))
    return ", ".join(parts)


def _listing(menu: Menu, items: Sequence[Item], most: int = 6) -> str:
    currency = menu.restaurant.currency
    shown = ", ".join(f"{i.label} ({price(i.price, currency)})" for i in items[:most])
    more = f" and {len(items) - most} more" if len(items) > most else ""
    return shown + more


def _group_asked(menu: Menu, text: str) -> OptionGroup | None:
    """ "What toppings do you have?", "which roasts?": an option group named by its own word."""
    words = {singular(w) for w in re.findall(r"[a-z]+", text.lower())}
    generic = {"size", "style", "type"}
    heads: list[OptionGroup] = []
    for group in menu.option_groups:
        own = [singular(w) for w in re.findall(r"[a-z]+", f"{group.label}".lower())]
        if own and set(own) <= words and not set(own) <= generic:
            return group
        if len(own) > 1 and own[-1] in words and own[-1] not in generic:
            heads.append(group)  # "what fillings": the group "Main filling"
    return heads[0] if len(heads) == 1 else None


def _kind_asked(lexicon: Lexicon, text: str) -> tuple[str, list[_Named]] | None:
    """ "What crusts ...", "what syrups ...": a word that ends the names of several options,
    and those options."""
    menu = lexicon.menu
    for word in re.findall(r"[a-z]+", text.lower()):
        head = singular(word)
        if head in _ASK_WORDS or len(head) < 3:
            continue
        options = [
            _Named(group.key, option.key, option.label)
            for group in menu.option_groups
            for option in group.options
            if any(
                len(name.split()) > 1 and singular(name.lower().split()[-1]) == head
                for name in (option.label, *option.aliases)
            )
        ]
        if head in SAUCE_KINDS and options:
            # "what sauces": ranch and chipotle southwest too, beside the "... sauce" options
            groups = {o.group for o in options}
            options = [
                _Named(group.key, option.key, option.label)
                for group in menu.option_groups
                if group.key in groups
                for option in group.options
                if any(
                    (len(name.split()) > 1 and singular(name.lower().split()[-1]) == head)
                    or name.lower().rsplit(" ", 1)[-1] in SAUCE_WORDS
                    for name in (option.label, *option.aliases)
                )
            ]
        if len(options) > 1:
            return head, options
    return None


@dataclass(frozen=True, slots=True)
class _Named:
    group: str
    key: str
    label: str


def _group_listing(menu: Menu, group: OptionGroup, reply: Reply) -> list[Item]:
    """ "For salsa we have ...": a group's options, and the dishes that take them."""
    labels = [o.label.lower() for o in group.options]
    more = f" and {len(labels) - 15} more" if len(labels) > 15 else ""
    reply.line(f"For {group.label.lower()} we have {join(labels[:15])}{more}.")
    takers = [i for i in menu.items() if group.key in i.option_groups and i.available]
    return in_course_order(menu, takers)


def _options_listed(state: State, options: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The options of a kind just listed, kept for the next message ("the corn one")."""
    listed = tuple(Choice(group, option) for group, option in options)
    return {"dialogue": replace(state.dialogue, listed=listed)}


def _has_answer(
    menu: Menu, lexicon: Lexicon, reading: Reading, reply: Reply
) -> tuple[list[Item], LineSpec | None] | None:
    """ "Do you have X?": yes with what X is and goes on, or no (with what is close)."""
    currency = menu.restaurant.currency
    if reading.items and not reading.inferred:
        items = [i for line in reading.items if (i := menu.item(line.item)) is not None]
        if _a_kind_said(menu, reading, items):
            return None  # "do you have chips?": the chips there are, listed
        if not items:
            reply.line("Yes.")
            return items, None
        # "do you do iced cappuccinos?": the dish as asked for, named so ("do you have a
        # hawaiian pizza?": yes, a hawaiian pizza)
        said = _said_specs(menu, items[0], reading.items[0].choices)
        asked = LineSpec(item=items[0].key, choices=said)
        priced = _priced(menu, asked) if said else None
        names = join(
            f"{describe_line(priced)} ({price(priced.line_total, currency)})"
            if k == 0 and priced is not None
            else f"{i.label} ({price(i.price, currency)})"
            for k, i in enumerate(items)
        )
        reply.line(f"Yes, we have {names}.")
        return items, asked
    if reading.choices:
        parts: list[str] = []
        takers: list[Item] = []
        for choice in reading.choices:
            group = menu.group(choice.group)
            option = group.option(choice.option) if group is not None else None
            if group is None or option is None:
                continue
            items = [i for i in menu.items() if i.available and fitted(menu, i, choice)]
            takers.extend(i for i in items if i not in takers)
            cost = f" (+{price(option.price, currency)})" if option.price else ""
            what = join(i.label.lower() for i in items[:5])
            more = " and more" if len(items) > 5 else ""
            kind = group.label.lower()
            article = "an" if kind[:1] in "aeiou" else "a"
            parts.append(f"{option.label}{cost} is {article} {kind} choice for {what}{more}")
        if parts:
            lead = "" if reading.text.lower().startswith("what") else "Yes! "
            reply.line(lead + _capital("; ".join(parts)) + ".")
            return in_course_order(menu, takers), None
    words = [w for w in (reading.query or "").split() if w not in _ASK_WORDS]
    if words or reading.unknown:
        wanted = " ".join(reading.unknown) or " ".join(words)
        if _listed(menu, " ".join(words)):
            return None
        if reading.query and set(reading.unknown) <= set(reading.query.split()):
            wanted = reading.query  # "almond milk", not just the word the menu lacks
        close = suggestions(lexicon, menu, wanted)
        reply.line(f"Sorry, we don't have {wanted}.")
        if close:
            reply.line(f"Maybe {join((i.label for i in close), 'or')}?")
        return close, None
    return None


def _a_kind_said(menu: Menu, reading: Reading, items: Sequence[Item]) -> bool:
    """Whether a dish was named only by the word for its kind, which others share ("do you
    have chips?" with Lays and Doritos: chips, not the Lays the word is short for)."""
    if len(items) != 1 or reading.items[0].choices:
        return False
    words = [w for w in (reading.query or "").split() if w not in _ASK_WORDS]
    if len(words) != 1:
        return False
    head = singular(words[0])
    own = {singular(w) for w in re.findall(r"[a-z]+", items[0].label.lower())}
    kind = of_kind(menu, head) if head not in own else []
    return len(kind) > 1 and items[0] in kind


async def show_menu(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Show the menu, or the dishes that fit what was asked (vegetarian, drinks, popular)."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    menu = await ctx.menu.get_menu()
    lexicon = await lexicon_of(ctx)
    currency = menu.restaurant.currency
    update: dict[str, Any] = {}
    text = " ".join(tokenize(reading.text))  # as the understanding read it ("milkshakes")
    if _BESIDES.search(text):
        besides = _besides_answer(state, menu, lexicon, text, reply)
        if besides is not None:
            return besides
    if (
        reading.asking in ("sizes", "price", "contents")
        and reading.items
        and not reading.inferred
        and not _priced_of_kind(menu, text)
    ):
        return await answer_question(state, runtime)
    hottest = _hottest(menu, reading.text, reply)
    if hottest is not None:
        # "which salsa is the spiciest?": that option, not the list of them
        return reply.update(**_options_asked(state, state.dialogue, [hottest]))
    items: list[Item] | None = None
    title: str | None = None
    tags = [t for t in reading.tags if t != "popular"]
    extreme = _EXTREME.search(text)
    shown = _shown(menu, state, text) if extreme is not None else []
    if shown and extreme is not None:
        # "which one's the cheapest?" after the shakes were listed: of those
        priced: tuple[str, list[Item]] | None = (
            "",
            _at_the_end(shown, cheapest=not extreme.group(1)),
        )
    else:
        priced = _by_price(menu, text, cheapest=not extreme.group(1)) if extreme else None
    if extreme is not None and priced is not None:
        # "what's your cheapest drink?": that dish, offered (all of them at that price when
        # several are)
        word, best = priced
        what = "cheapest" if not extreme.group(1) else "most expensive"
        tied = join(item.label for item in best)
        each = f"{'both' if len(best) == 2 else 'all'} {price(best[0].price, currency)}"
        if shown:
            are = f"are {tied}, {each}" if len(best) > 1 else f"is {_listing(menu, best)}"
            reply.line(f"The {what} of those {are}.")
        elif len(best) > 1:
            reply.line(f"Our {what} {plural(word, 2) if word else 'items'} are {tied}, {each}.")
        else:
            reply.line(f"Our {what} {word or 'item'} is {_listing(menu, best)}.")
        if len(best) == 1:
            reply.line("Would you like one?")
            reply.offer("Yes", "No")
        # (a tie offers none of them: "one of those" is asked which, "water then" picks one)
        picks = tuple(LineSpec(item=item.key) for item in best)
        update.update(
            dialogue=replace(
                state.dialogue, offer=picks[0] if len(picks) == 1 else None, asked_about=picks
            ),
            awaiting="suggestion",
        )
        items, title = best, None
    elif reading.asking == "recommend" or ("popular" in reading.tags and not tags):
        items = recommended(menu)
        reply.line(f"Our favourites: {_listing(menu, items)}.")
        title = "Popular here"
    elif tags or reading.max_price is not None or reading.exclude_allergens:
        _, found = await run_tool(
            search_menu,
            runtime,
            state,
            text=None,
            tags=tags or None,
            max_price=reading.max_price,
            exclude_allergens=list(reading.exclude_allergens) or None,
        )
        items = list(found)
        understood = _filter_words(reading, currency)
        if items:
            via = _via_options(menu, items, tags)
            reply.line(f"Here's what I found for {understood}: {_listing(menu, items)}.{via}")
            title = understood[:1].upper() + understood[1:]
            if len(items) == 1 and items[0].available:
                # the one dish that fits: "two of them" orders it
                only = LineSpec(item=items[0].key)
                # ("is there a vegetarian pizza": the pizza's vegetarian style, when the words
                # name an option of it too, so "ok 2 of those" orders it so)
                named_so = [c for x in reading.items if x.item == only.item for c in x.choices]
                if named_so:
                    only = with_choices(menu, only, named_so)
                asked = (*state.dialogue.asked_about, only)[-4:]
                update.update(
                    dialogue=replace(state.dialogue, offer=only, asked_about=asked),
                    awaiting="suggestion",
                )
                reply.line("Would you like one?")
                reply.offer("Yes", "No")
        else:
            reply.line(f"Sorry, nothing on the menu matches {understood}.")
            items = None
    elif reading.asking == "sizes" and not reading.items:
        # "what sizes do shakes come in": the sizes of that kind, its dishes kept to pick from
        sized = _listed(menu, text)
        items = _sizes_everywhere(menu, reply, sized[1] if sized is not None else None)
        if sized is not None and items:
            update.update(_listed_to_pick(state, items))
    elif (
        reading.asking == "price"
        and reading.choices
        and all(line.inferred for line in reading.items)
        and _option_prices(menu, reading.choices, reply)
    ):
        # "what does cauliflower rice cost": what the option adds, not its group's listing
        update.update(_options_asked(state, state.dialogue, reading.choices))
        groups = {c.group for c in reading.choices}
        items = [i for i in menu.items() if i.available and groups & set(i.option_groups)]
    elif _LISTING.match(text) and (group := _group_asked(menu, text)) is not None:
        # "what kinds of salsa do you have?", "which roasts?": the group's options
        items = _group_listing(menu, group, reply)
        update.update(_options_listed(state, [(group.key, o.key) for o in group.options]))
    elif _LISTING.match(text) and (kind := _kind_asked(lexicon, text)):
        # "what crusts can I choose from?": the options whose names end in "crust"
        word, options = kind
        labels = [o.label.lower() for o in options]
        reply.line(f"For {word} we have {join(labels)}.")
        groups = {o.group for o in options}
        items = [i for i in menu.items() if i.available and groups & set(i.option_groups)]
        update.update(_options_listed(state, [(o.group, o.key) for o in options]))
    elif _LISTING.match(text) and (listed := _listed(menu, text)):
        # "what cookies do you have?", "which drinks are there", "what kinds of chips"
        word, items = listed
        reply.line(_kind_listing(menu, word, items, reading.text))
        update.update(_listed_to_pick(state, items))
        title = _capital(word) if word else None
    elif reading.asking == "has" or reading.choices or (reading.items and reading.inferred):
        answered = _has_answer(menu, lexicon, reading, reply)
        if answered is not None:
            items, offer = answered
            if offer is None and items and reading.choices:
                # "is there vegan pepperoni?" ... "ok add that to it": on the line ordered that
                # takes it; with none, the one dish that does is offered with it
                cart = await ctx.cart.get(ctx.session_id)
                groups = {c.group for c in reading.choices}
                update.update(_options_asked(state, state.dialogue, reading.choices))
                if len(items) == 1 and not any(
                    groups <= lexicon.accepts.get(line.item, {}).keys() for line in cart.lines
                ):
                    said = _said_specs(menu, items[0], reading.choices)
                    offer = LineSpec(item=items[0].key, choices=said)
            elif offer is not None and reading.choices:
                # "can I get bacon on a burger?": the options asked about, for "how much extra?"
                update.update(_options_asked(state, state.dialogue, reading.choices))
            if offer is not None:
                dialogue = update.get("dialogue", state.dialogue)
                # (every dish asked about, as said: "do you have lattes and iced cappuccinos?"
                # ... "ok, one of each"; "do you have strawberry shakes" ... "and vanilla?" ...
                # "both of those")
                dishes = [offer]
                for line in reading.items[1:]:
                    if (dish := menu.item(line.item)) is not None:
                        said = _said_specs(menu, dish, line.choices)
                        dishes.append(LineSpec(item=dish.key, choices=said))
                asked = (*dialogue.asked_about, *dishes)[-4:]
                dialogue = replace(dialogue, offer=offer, asked_about=asked)
                update.update(dialogue=dialogue, awaiting="suggestion")
                reply.offer("Yes", "No")
                reply.line("Would you like one?")
        if reading.ref is not None and reading.ref.words and not reading.ref.pronoun:
            # "do you have blue cheese for the buffalo one?": that line is talked about ("ok,
            # ranch on it" next)
            cart = await ctx.cart.get(ctx.session_id)
            lines = named(lexicon, cart.lines, reading.ref)
            if len(lines) == 1:
                dialogue = update.get("dialogue", state.dialogue)
                update.update(dialogue=dialogue.touched([lines[0].id]))
    if items is None and not reply.say[len(state.say) :]:
        group = _group_asked(menu, text)
        listed = _listed(menu, text)
        if group is not None and not listed:
            items = _group_listing(menu, group, reply)
            update.update(_options_listed(state, [(group.key, o.key) for o in group.options]))
        elif listed:
            # "any sodas?", "do you have cookies": the kind, as "what X do you have" lists it
            word, items = listed
            reply.line(_kind_listing(menu, word, items, reading.text))
            update.update(_listed_to_pick(state, items))
            title = _capital(word) if word else None
        elif reading.unknown:
            word = reading.unknown[0]
            reply.line(did_you_mean(word, suggestions(lexicon, menu, word), reply))
            return reply.update()
    if items is None:
        sections = []
        for category in categories(menu):
            names = [i.label for i in category.items if i.available]
            if names:
                more = ", ..." if len(names) > 4 else ""
                sections.append(f"{category.label} ({', '.join(names[:4])}{more})")
        reply.line(f"At {menu.restaurant.name} we have {join(sections)}.")
        _, found = await run_tool(search_menu, runtime, state)
        items = list(found)
    if items:
        reply.card(menu_card(menu, items, title=title))
    dialogue = update.get("dialogue", state.dialogue)
    if update.get("awaiting") in (None, "option") or dialogue.offer is None:
        reply.line(
            reply.pick(
                "menu-next",
                ("What would you like?", "What can I get you?", "Anything catch your eye?"),
            )
        )
    return reply.update(**update)


# "any sides besides fries?", "what drinks do you have other than soda": the others of a kind
_BESIDES = re.compile(r"\b(?:besides|other than|apart from|aside from|except(?: for)?|but)\b")


def _besides_answer(
    state: State, menu: Menu, lexicon: Lexicon, text: str, reply: Reply
) -> dict[str, Any] | None:
    """ "any sides besides fries?": the kind's other dishes listed to pick from (the one set
    aside never offered nor ordered); None when the message sets no dish of a kind aside."""
    assert state.reading is not None
    others = _besides(menu, lexicon, state.reading, text)
    if others is None:
        return None
    word, aside, rest = others
    update: dict[str, Any] = {}
    if rest:
        currency = menu.restaurant.currency
        priced = [f"{i.label} ({price(i.price, currency)})" for i in rest[:8]]
        listing = join([*priced, f"{len(rest) - 8} more"] if len(rest) > 8 else priced)
        reply.line(f"Besides {aside}, we have {listing}.")
        reply.card(menu_card(menu, rest, title=_capital(word)))
        update.update(_listed_to_pick(state, rest))
    else:
        reply.line(f"Sorry, we only have {aside} for {word}.")
    if len(rest) == 1:
        only = LineSpec(item=rest[0].key)
        dialogue = replace(state.dialogue, offer=only, asked_about=(only,))
        update.update(dialogue=dialogue, awaiting="suggestion")
        reply.line("Would you like one?")
        reply.offer("Yes", "No")
    else:
        reply.line(reply.pick("menu-next", ("What would you like?", "What can I get you?")))
    return reply.update(**update)


def _besides(
    menu: Menu, lexicon: Lexicon, reading: Reading, text: str
) -> tuple[str, str, list[Item]] | None:
    """Of "any cookies besides chocolate chip?": the kind's word, the words of what is set
    aside, and the kind's other dishes; None when the message names no kind before the word or
    no dish of it after."""
    if reading.intent is not Intent.BROWSE_MENU:
        return None
    found = _BESIDES.search(text)
    assert found is not None
    listed = _listed(menu, text[: found.start()])
    if listed is None:
        return None
    word, kind = listed
    said = [w for w in re.findall(r"[a-z]+", text[found.end() :]) if w not in _ASK_WORDS]
    after = {singular(w) for w in said}
    # ("besides soda": a kind of its own; "besides chocolate chip": the dishes so named)
    of_that_kind = {item.key for item in of_kind(menu, said[0])} if len(said) == 1 else set()
    set_aside = [
        item
        for item in kind
        if item.key in of_that_kind
        or (after and after <= {singular(w) for w in item_words(lexicon, item.key, own=True)})
    ]
    if not set_aside:
        return None
    rest = [item for item in kind if item.available and item not in set_aside]
    return word, " ".join(said), rest


_LISTING = re.compile(
    r"^(?:(?:so|and|ok|okay|hey|hi|hello)[ ,!.]*)*(?:what|which|wat)\b(?! (?:is|are) (?:in|on)\b)"
)


_EXTREME = re.compile(r"\b(?:cheapest|least expensive|(most expensive|priciest|dearest))\b")


def _by_price(menu: Menu, text: str, *, cheapest: bool) -> tuple[str, list[Item]] | None:
    """The cheapest (or dearest) available dishes of the kind a message names, else of all."""
    listed = _listed(menu, text)
    word, pool = listed if listed is not None else ("", list(menu.items()))
    pool = [item for item in pool if item.available]
    if not pool:
        return None
    return word, _at_the_end(pool, cheapest=cheapest)


def _at_the_end(pool: Sequence[Item], *, cheapest: bool) -> list[Item]:
    """The cheapest (or dearest) of some dishes: every one at that price, since naming one of
    a tie would pass the others over (a few at most)."""
    best = (min if cheapest else max)(item.price for item in pool)
    return list(dict.fromkeys(item for item in pool if item.price == best))[:4]


# "which one's the cheapest", "the cheapest of them": of what was just shown or asked about
_OF_THOSE_SHOWN = re.compile(r"\b(?:which(?: one)?|of (?:them|those|these|the two))\b", re.I)


def _shown(menu: Menu, state: State, text: str) -> list[Item]:
    """The dishes just listed or asked about, when a message asks for the cheapest (or
    dearest) of them and names no kind of its own."""
    asked = dict.fromkeys(spec.item for spec in state.dialogue.asked_about)
    if (
        state.asked != "suggestion"
        or len(asked) < 2
        or not _OF_THOSE_SHOWN.search(text)
        or _listed(menu, text) is not None
    ):
        return []
    return [item for key in asked if (item := menu.item(key)) is not None and item.available]


def _priced_of_kind(menu: Menu, text: str) -> bool:
    """Whether a message asks for the cheapest (or dearest) of a kind with several dishes."""
    listed = _listed(menu, text) if _EXTREME.search(text) else None
    return listed is not None and len(listed[1]) > 1


def _listed(menu: Menu, text: str) -> tuple[str, list[Item]] | None:
    """The word of a "what X do you have?" and the items of that kind (`of_kind`: a category,
    the dishes named with the word), else the items whose names have a word of it, unless
    that is the whole menu."""
    words = [w for w in re.findall(r"[a-z]+", text) if w not in _ASK_WORDS]
    for word in words:
        kind = of_kind(menu, word)
        if kind:
            return word, kind
    found = matching(menu, words) if words else []
    return ("", found) if 0 < len(found) < len(menu.items()) else None


# Items a listing names in full; more are counted and left to the card.
_LISTED_IN_FULL = 12


def _kind_listing(menu: Menu, word: str, items: Sequence[Item], text: str) -> str:
    """ "We have ...": every item of a kind when they are few, a dish of its own described."""
    if len(items) == 1:
        return _contents_text(menu, items[0], text)
    if len(items) <= _LISTED_IN_FULL:
        return f"We have {_listing(menu, items, _LISTED_IN_FULL)}."
    what = f" {word}" if word else ""
    return f"We have {len(items)}{what}: {_listing(menu, items, 8)} (the card shows them all)."


def _listed_to_pick(state: State, items: Sequence[Item]) -> dict[str, Any]:
    """The dishes of a kind listed in full, kept like dishes asked about, so that "strawberry
    please" after "what shakes do you have?" picks the one its word names. Nothing is offered:
    a "yes" is asked which. (Not in a checkout: its step is asked again.)"""
    shown = [item for item in items if item.available]
    if state.checkout is not None or not 2 <= len(shown) <= _LISTED_IN_FULL:
        return {}
    asked = tuple(LineSpec(item=item.key) for item in shown)
    return {
        "dialogue": replace(state.dialogue, offer=None, asked_about=asked),
        "awaiting": "suggestion",
    }


def _sizes_everywhere(
    menu: Menu, reply: Reply, among: Sequence[Item] | None = None
) -> list[Item] | None:
    """ "What sizes do you have?" with no dish named: the sizes most dishes (of a kind) share."""
    counts: dict[str, list[Item]] = {}
    for item in among or menu.items():
        group = menu.size_group(item)
        if group is not None and item.available:
            counts.setdefault(group.key, []).append(item)
    if not counts:
        reply.line("Our dishes come in one size each.")
        return None
    key = max(counts, key=lambda k: len(counts[k]))
    group = menu.group(key)
    assert group is not None
    sizes = []
    for option in group.options:
        extra = f" (+{price(option.price, menu.restaurant.currency)})" if option.price else ""
        sizes.append(option.label.lower() + extra)
    takers = join(sorted({i.label for i in counts[key]})[:4])
    more = " and more" if len(counts[key]) > 4 else ""
    reply.line(f"Sizes are {join(sizes)}, for {takers}{more}.")
    return in_course_order(menu, counts[key])


def _via_options(menu: Menu, items: Sequence[Item], tags: Sequence[str]) -> str:
    """ "Pizza fits with the vegetarian style": items that fit only through an option."""
    notes = []
    for item in items[:6]:
        if any(t in item.tags for t in tags):
            continue
        for tag in tags:
            labels = options_fitting(menu, item, tag)
            if labels and not any(t in item.label.lower() for t in (tag, "veg")):
                notes.append(f"{item.label} with {join(sorted(set(labels))[:2], 'or')}")
                break
    return f" ({_capital(join(notes))}.)" if notes else ""


__all__ = ["answer_question", "show_menu"]
