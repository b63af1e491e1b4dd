"""The first node of every turn: read the message in the light of the conversation, and route."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any
from uuid import uuid4

from langchain_core.messages import HumanMessage
from langgraph.runtime import Runtime
from langgraph.types import Command

from graph.context import Context
from graph.dialogue import fitted, keeps_part, kept_as_before, only_takes_back, without_kept
from graph.intents import Intent
from graph.llm import classify_with_model, is_unsure
from graph.models import CartLineRead, ChoiceSpec, LineSpec
from graph.nlu import Lexicon, read, requests
from graph.nlu.edits import find_refs, item_words, option_kinds, singular, the_dish_with
from graph.nlu.grammar import parse_order, scan
from graph.nlu.people import groups_counted, mentions, names_in, party_size, who
from graph.nlu.reader import halves_said
from graph.nlu.reading import Choice, Edit, OrderLine, Reading, Ref
from graph.nlu.text import tokenize
from graph.nlu.words import COMMON_WORDS, GRAMMAR, NUMBER_WORDS, count_pattern
from graph.nodes.turn import lexicon_of, user_of
from graph.routes import (
    Node,
    by_price,
    quantity_in,
    reread,
    resolve_intent,
    route,
    takes_offer,
)
from graph.state import State

# What a reply to "which one do you mean?" is read as, when it points at a line.
_ANSWERING = frozenset(
    {
        Intent.UNKNOWN,
        Intent.CHANGE_ITEM,
        Intent.ADD_ITEMS,
        Intent.REMOVE_ITEMS,
        Intent.AFFIRM,
        Intent.ASK_ITEM,
        Intent.BROWSE_MENU,
    }
)


def _which(lexicon: Lexicon, reading: Reading, state: State) -> Reading | None:
    """An answer to "which one?": "the first", "both", "the large one", or a quick reply."""
    if state.awaiting != "which_line" or state.dialogue.asked is None:
        return None
    if reading.intent not in _ANSWERING or (reading.items and reading.intent is Intent.ADD_ITEMS):
        return None
    edit = reading.edit
    if edit is not None and (edit.choices or edit.item or edit.quantity or edit.drop):
        return None  # an edit of its own ("make one of the americanos iced")
    tokens = " ".join(s.text for s in scan(lexicon, tokenize(reading.text))).split()
    refs = find_refs(lexicon, tokens)
    ref = next(
        (r for _, _, r in refs if r.named or r.every or r.ordinal is not None or r.other), None
    )
    if ref is None:
        return None
    return replace(reading, intent=Intent.CHANGE_ITEM, ref=ref, edit=None)


# "and a large?", "ok, and with extra bacon?", "what if i get extra mushrooms?": the dish just
# asked about, asked again with other options.
_ASKED_AGAIN = re.compile(
    r"^(?:(?:ok|okay|so|hmm+|um+|and|oh)[\s,]+)*(?:and|or|what about|how about|what if|and if)\b"
)
# "ok 1 and chips" to a dish offered: one of it, and the chips
_COUNT_AND = re.compile(
    rf"^((?:(?:ok|okay|yes|yeah|sure|great)[\s,]+)*{count_pattern(5)})"
    r"[\s,]+(and|plus)\b",
    re.I,
)
# "ok 2 bags, one for me one for my bf" after the price of chips: so many of the dish
_COUNT_SERVINGS = re.compile(
    rf"^((?:(?:ok|okay|yes|yeah|sure|great)[\s,]+)*{count_pattern(9)}) "
    r"(?:bags|cans|bottles|orders|cups|boxes|packs)\b(?! of\b)",
    re.I,
)
_COUNT_FOR = re.compile(
    rf"^((?:(?:ok|okay|yes|yeah|sure|great|alright)[\s,]+)+{count_pattern(9)}) for\b", re.I
)
_LEAD = re.compile(r"^(?:(?:ok|okay|so|hmm+|um+|oh)[\s,]+)+")


def _asked_again(lexicon: Lexicon, reading: Reading, state: State) -> Reading | None:
    """A question about the dish just asked about, with other options: asked of that dish."""
    text = reading.text.strip()
    if not text.endswith("?"):
        return None
    edit = reading.edit
    if (
        state.intent is Intent.ASK_ITEM
        and reading.intent is Intent.CHANGE_ITEM
        and edit is not None
        and not edit.changes
        and edit.ref is not None
        and edit.ref.items
        and _ASKED_AGAIN.match(text.lower())
    ):
        # "how much is the diet coke" ... "ok and the coke?": the line named, asked the same
        return replace(reading, intent=Intent.ASK_ITEM, asking="price", ref=edit.ref, edit=None)
    if state.awaiting == "option" and state.dialogue.options:
        return _option_asked_again(lexicon, text)
    if state.awaiting != "suggestion" or state.dialogue.offer is None:
        return None
    edit = reading.edit
    if (
        reading.intent is Intent.CHANGE_ITEM
        and edit is not None
        and edit.choices
        and not edit.items
        and (edit.ref is None or edit.ref.pronoun)
    ):
        # "can I add guacamole to it?" about the dish offered: asked, not ordered yet
        return replace(reading, intent=Intent.ASK_ITEM, choices=edit.choices, asking="price")
    found = _options_said_again(lexicon, text)
    if found is None or not found[1]:
        return None
    again, said = found
    return replace(again, intent=Intent.ASK_ITEM, items=(), choices=said, asking="price")


def _options_said_again(
    lexicon: Lexicon, text: str, *, named: bool = False
) -> tuple[Reading, tuple[Choice, ...]] | None:
    """ "and vanilla?", "and with guac?": the message read again without its lead, and the
    options it says (with `named`, also those it names a line by); None when it asks of
    another dish ("and a cappuccino?": a question of its own)."""
    if not _ASKED_AGAIN.match(text.lower()):
        return None
    again = read(lexicon, _LEAD.sub("", text.lower()), conversation=True)
    if again.items and not again.inferred:
        return None
    edit = again.edit
    refs = edit.ref.options if named and edit is not None and edit.ref is not None else ()
    said = (
        *again.choices,
        *(c for line in again.items for c in line.choices),
        *(edit.choices if edit is not None else ()),
        *(Choice(group, option) for options in refs for group, option in options),
    )
    return again, tuple(dict.fromkeys(said))


# Words of "and the green one?" that name no option of their own.
_NOT_AN_OPTION = frozenset({"and", "or", "the", "one", "ones", "what", "about", "how", "that", "a"})


def _other_option_asked(lexicon: Lexicon, reading: Reading, state: State) -> Reading | None:
    """ "and the green one?" right after "how much does corn salsa add": the option of the same
    group that the words name (one only), asked about the same way."""
    options = state.dialogue.options
    text = reading.text.strip().lower()
    if state.awaiting != "option" or not options or not text.endswith("?"):
        return None
    if not _ASKED_AGAIN.match(text) or (reading.items and not reading.inferred):
        return None
    said = set(re.findall(r"[a-z]+", text)) - _NOT_AN_OPTION
    groups = [g for g in lexicon.menu.option_groups if g.key in {c.group for c in options}]
    for group in groups:
        said -= set(re.findall(r"[a-z]+", group.label.lower()))
    asked = {(c.group, c.option) for c in options}
    found = [
        Choice(group.key, option.key)
        for group in groups
        for option in group.options
        if (group.key, option.key) not in asked
        and said
        and said <= {w for name in (option.label, *option.aliases) for w in name.lower().split()}
    ]
    if len(found) != 1:
        return None
    return replace(
        reading,
        intent=Intent.ASK_ITEM,
        items=(),
        choices=tuple(found),
        asking="price",
        edit=None,
        ref=None,
        follow_up=None,
    )


def _other_dish_asked(lexicon: Lexicon, reading: Reading, state: State) -> Reading | None:
    """ "and sparkling?" right after the price of a bottled water: the one other dish whose
    names hold the words (with the offered dish's, when they alone name several), asked about
    the same way."""
    offer = state.dialogue.offer
    text = reading.text.strip().lower()
    if state.awaiting != "suggestion" or offer is None or not text.endswith("?"):
        return None
    if not _ASKED_AGAIN.match(text) or reading.items or reading.choices or reading.edit:
        return None
    said = set(re.findall(r"[a-z]+", _LEAD.sub("", text))) - _NOT_AN_OPTION - {"if", "so", "oh"}
    if not said:
        return None
    dish = the_dish_with(lexicon, said)
    if dish is None:
        shared = item_words(lexicon, offer.item, own=True)
        fits = {the_dish_with(lexicon, {*said, word}) for word in shared} - {None}
        dish = fits.pop() if len(fits) == 1 else None
    if dish is None or dish == offer.item:
        return None
    return replace(
        reading,
        intent=Intent.ASK_ITEM,
        items=(OrderLine(dish),),
        asking="price",
        confidence=0.8,
        follow_up=None,
    )


def _option_asked_again(lexicon: Lexicon, text: str) -> Reading | None:
    """ "and vanilla?", "hmm and the italian roast?" right after what an option adds: what the
    other option adds, asked the same way (not ordered, nor put on a line)."""
    found = _options_said_again(lexicon, text, named=True)
    if found is None or not found[1] or any(c.exclude for c in found[1]):
        return None
    again, said = found
    return replace(
        again,
        intent=Intent.ASK_ITEM,
        items=(),
        choices=said,
        asking="price",
        edit=None,
        ref=None,
        follow_up=None,
    )


# "put both on an italian", "ok add both": the two options asked about one after the other
# (not "add it to both": the lines)
_BOTH_OPTIONS = re.compile(r"(?<!\bon )(?<!\bto )(?<!\bfor )(?<!\bin )\bboth\b", re.I)
# "take it off then", "remove that", "leave it off": the option just asked about, not wanted
_TAKE_IT_OFF = re.compile(
    r"\b(?:take|leave) (?:it|that|them|those) (?:off|out)\b|"
    r"\b(?:remove|skip|drop|lose|ditch|nix) (?:it|that|them|those)\b"
)


# "a burger with both of those", "ok add both" after two options' prices: all of them
_BOTH_ASKED = re.compile(
    r"\b(?:with|add|take|get|want|do|put) (?:them |those )?(?:both|all)\b(?! (?:on|in|to)\b)|"
    r"\b(?:both|all) (?:of )?(?:those|them|these)\b(?! (?:on|in|to)\b)",
    re.I,
)


def _picked_of_row(lexicon: Lexicon, text: str, row: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """The options asked about one after another that a message takes: all of them ("with
    both"), or the cheaper or dearer of one group ("the cheaper one in a bowl"); none when it
    picks none of them so."""
    if _BOTH_ASKED.search(text):
        return row
    if _BOTH_OPTIONS.search(text):
        return row[-2:]  # "how much is bacon" ... "and pepperoni?" ... "put both on an italian"
    dearer = by_price(text)
    if dearer is None or len({c.group for c in row}) != 1:
        return ()
    priced = sorted(row, key=lambda c: _option_price(lexicon, c))
    if _option_price(lexicon, priced[0]) == _option_price(lexicon, priced[-1]):
        return ()  # the same price: no one of them is the cheaper
    return (priced[-1] if dearer else priced[0],)


def _option_taken(lexicon: Lexicon, reading: Reading, state: State) -> Reading | None:
    """ "ok add one" or "yes" after "an extra shot is $1.75 extra": the options asked about,
    put on the line that takes them (the edit's usual way), not a dish; "ok add one to a large
    americano": on the dish ordered with it."""
    options = state.dialogue.options
    if state.awaiting != "option" or not options:
        return None
    row = state.dialogue.options_in_a_row
    picked = _picked_of_row(lexicon, reading.text, row) if len(row) > len(options) else ()
    ref = reading.ref
    by_name = False  # "the red one" is the option asked about, no line
    if not picked and ref is not None and ref.options and not ref.items:
        # "which salsa is the hottest?" ... "ok the red one then on a carnitas taco": the one
        # asked about, named by its word
        named_options = {pair for alternatives in ref.options for pair in alternatives}
        picked = tuple(c for c in options if (c.group, c.option) in named_options)
        by_name = bool(picked)
    dearer = by_price(reading.text)
    if not picked and dearer is not None:
        # "the cheaper ones on a large pizza": of the options compared in one question
        priced = sorted(options, key=lambda c: _option_price(lexicon, c))
        picked = (priced[-1] if dearer else priced[0],)
    if (
        dearer is not None
        and len(picked) == 1
        and picked[0].qualifier is None  # ("extra cheese" is more than its name)
        and not picked[0].exclude
        and not state.dialogue.mentioned
    ):
        # ("ok the cheaper one, small", "the cheaper syrup in a latte" with nothing ordered
        # yet: a dish with it, no edit)
        as_named = _price_pick_named(lexicon, reading, picked[0])
        if as_named is not None:
            return as_named
    options = picked or options
    taken_off = _TAKE_IT_OFF.search(reading.text.lower())
    if taken_off is not None:
        # "how much extra is broccoli?" ... "ok take it off then, do spinach instead": the
        # option asked about comes off; what is said with it goes on
        rest = _TAKE_IT_OFF.sub(" ", reading.text.lower())
        instead = read(lexicon, rest, conversation=True)
        more = (*instead.choices, *(instead.edit.choices if instead.edit is not None else ()))
        put = tuple(dict.fromkeys(c for c in more if not c.exclude and c not in options))
        return replace(
            reading,
            intent=Intent.CHANGE_ITEM,
            edit=Edit(op="change", choices=put, drop=options),
            items=(),
            choices=put,
            follow_up=None,
        )
    if reading.intent is Intent.ADD_ITEMS and any(not line.inferred for line in reading.items):
        ordered = {(c.group, c.option) for line in reading.items for c in line.choices}
        if all((c.group, c.option) in ordered for c in options):
            # "whats in the spread" ... "ok sounds good, put extra spread on a hamburger for
            # me": a dish ordered with the option asked about, as said
            return None
    onto_said = _ONE_ONTO.search(reading.text)
    # ("ill try the deep dish. large with meatballs": the option named, on the dish said)
    if reading.items and (not reading.inferred or onto_said or by_name):
        onto = next(
            (
                k
                for k, line in enumerate(reading.items)
                if all(c.group in lexicon.accepts.get(line.item, {}) for c in options)
            ),
            None,
        )
        if onto is None or not (picked or onto_said):
            return None
        line = reading.items[onto]
        dressed = replace(line, choices=tuple(dict.fromkeys((*line.choices, *options))))
        if reading.inferred or by_name:
            # "a medium pepperoni on that" after the gluten free crust's price: the dish the
            # options say, ordered with the one asked about ("that" is the option, no line)
            return replace(
                reading,
                intent=Intent.ADD_ITEMS,
                items=(*reading.items[:onto], dressed, *reading.items[onto + 1 :]),
                edit=None,
                ref=None,
                follow_up=None,
            )
        edit = reading.edit
        if reading.intent is Intent.CHANGE_ITEM and edit is not None and edit.ref is not None:
            # "ok add that to my latte": on the latte ordered
            said = tuple(dict.fromkeys((*edit.choices, *options)))
            return replace(reading, edit=replace(edit, choices=said), choices=said)
        return replace(reading, items=(*reading.items[:onto], dressed, *reading.items[onto + 1 :]))
    edit = reading.edit
    bare = (
        reading.intent is Intent.CHANGE_ITEM
        and edit is not None
        and not (edit.choices or edit.items or edit.item or edit.quantity or edit.drop)
    )  # "put those on it": the options asked about, on the line
    if (
        reading.intent is not Intent.AFFIRM
        and not bare
        and not picked
        and (not takes_offer(reading.text) or _made_so(lexicon, reading.text, options))
    ):
        return None
    ref = edit.ref if edit is not None else None
    if ref is not None and (ref.count or ref.ordinal or ref.named):
        return None  # "ok put one of them on a gluten free bun": the edit says which
    # "ok add it, and some red onions too": what is said with it goes on as well
    more = (
        *reading.choices,
        *(c for line in reading.items for c in line.choices),
        *(edit.choices if edit is not None else ()),
    )
    said = tuple(dict.fromkeys((*options, *more)))
    edit = Edit(op="change", choices=said)
    return replace(
        reading, intent=Intent.CHANGE_ITEM, edit=edit, items=(), choices=said, follow_up=None
    )


# "can i get it extra large", "i'll have it iced": the line made so (what follows the pronoun)
_IT_SO = re.compile(
    r"\b(?:get|have|want|take|do|make) (?:it|that|this) "
    r"(?!(?:and|too|then|please|now|with|on|as|instead)\b)([a-z][a-z ]*)",
    re.I,
)


def _made_so(lexicon: Lexicon, text: str, options: tuple[Choice, ...]) -> bool:
    """Whether "can i get it extra large" after an extra shot's price asks for the line with
    other options, not for the option asked about."""
    found = _IT_SO.search(text)
    if found is None:
        return False
    said = read(lexicon, found.group(1), conversation=True)
    choices = {(c.group, c.option) for c in said.choices}
    choices |= {(c.group, c.option) for line in said.items for c in line.choices}
    return bool(choices) and not choices & {(c.group, c.option) for c in options}


async def _options_let_go(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "seriously? skip that. tuna sub, lettuce, pickles" after what salt adds, with no line
    holding it: no to the options asked about (nothing to take off), and the dish ordered."""
    options = state.dialogue.options
    text = reading.text.lower()
    taken_off = _TAKE_IT_OFF.search(text)
    if state.awaiting != "option" or not options or taken_off is None:
        return None
    rest = f"{text[: taken_off.start()]} {text[taken_off.end() :]}"
    instead = read(lexicon, rest, conversation=True, people=state.dialogue.people)
    if not instead.items or instead.inferred or instead.intent is not Intent.ADD_ITEMS:
        return None
    cart = await ctx.cart.get(ctx.session_id)
    held = {(c.group, c.option) for line in cart.lines for c in line.choices}
    if any((c.group, c.option) in held for c in options):
        return None  # ("take it off, and a coke": off the line that has it)
    return replace(instead, text=reading.text)


# "keep it", "leave them on": what is on the line stays
_KEEP_IT = re.compile(r"\b(?:keep|leave) (?:it|that|them|those|this)\b", re.I)
# "keep it as is", "keep it like i said", "leave it the way it is": the line unchanged
_AS_IS = re.compile(
    r"\b(?:keep|leave) (?:it|that|them|those|this) (?:as (?:is|it is|it was|i said)|"
    r"like (?:i said|it is|it was|that|before)|the way it (?:is|was)|how it (?:is|was)|"
    r"unchanged)\b",
    re.I,
)


# "ok nvm then, curly fries medium" after asking about a dish there is none of: a remark that
# lets the question go, then the order
_NEVER_MIND_FIRST = re.compile(
    r"^\W*(?:(?:ok|okay|oh|ah|so|well|alright)\b[\s,]*)*(?:nvm|never ?mind)"
    r"(?: (?:then|that|it|though))?\s*[.!;,]+\s*(?=\w)",
    re.I,
)

# "ok fine keep it." opening a message that says more: no change, the rest is the request
_KEPT_FIRST = re.compile(
    r"^\W*(?:(?:ok|okay|fine|alright|yeah|yes|sure|then|so|oh)\b[\s,]*)*keep "
    r"(?:it|that|them|those|this)(?: (?:then|please|as is|like that))?\s*(?:[.!;,]\s*|$)",
    re.I,
)


async def _option_kept(ctx: Context, reading: Reading, state: State) -> Reading | None:
    """ "is the ranch extra?" about the ranch on a pizza ... "ok keep it" (or "ok"): the line
    stays as it is, no second portion of the ranch it has."""
    options = state.dialogue.options
    if (
        not options
        or reading.items
        or reading.choices
        or not (reading.intent is Intent.AFFIRM or _KEEP_IT.search(reading.text))
    ):
        return None
    if not _AS_IS.search(reading.text):
        # ("keep it as is", "keep it like i said": as it is, whether it has the option or not)
        cart = await ctx.cart.get(ctx.session_id)
        held = {(c.group, c.option) for line in cart.lines for c in line.choices if not c.exclude}
        if not all((c.group, c.option) in held for c in options if not c.exclude):
            return None
    return replace(reading, intent=Intent.DENY, edit=None, ref=None, follow_up=None)


# "the cheaper one", "the pricier crust", "whichever's cheaper": the pick by price, said
_PRICE_PICK = re.compile(
    r"\b(?:the |whichever(?: one)?(?:['’]?s| is)? )?(?:more expensive|pricier|priciest|dearer|"
    r"cheaper|cheapest|less expensive)(?: of the (?:two|2))?(?: (?P<noun>[a-z]+))?",
    re.I,
)


def _price_pick_named(lexicon: Lexicon, reading: Reading, picked: Choice) -> Reading | None:
    """ "ok the cheaper crust then, medium, with ham" after "stuffed or thin crust, which
    costs more?", nothing ordered yet: read with the option picked said by its name ("the thin
    crust then, ..."), a dish with it when the reader finds one; else None."""
    group = lexicon.menu.group(picked.group)
    option = group.option(picked.option) if group is not None else None
    found = _PRICE_PICK.search(reading.text)
    if option is None or group is None or found is None:
        return None
    label = option.label.lower()
    end = found.end()
    noun = found.group("noun")
    if noun is not None and noun.lower() not in {
        "one",
        "ones",
        *label.split(),
        *group.label.lower().split(),
    }:
        end = found.end("noun") - len(noun) - 1  # ("the cheaper one small": the word is its own)
    text = f"{reading.text[: found.start()]}the {label}{reading.text[end:]}"
    said = read(lexicon, text, conversation=True)
    if (
        said.intent is not Intent.ADD_ITEMS
        or len(said.items) != 1
        or all((c.group, c.option) != (picked.group, picked.option) for c in said.items[0].choices)
    ):
        return None
    return said


def _option_price(lexicon: Lexicon, choice: Choice) -> Decimal:
    group = lexicon.menu.group(choice.group)
    option = group.option(choice.option) if group is not None else None
    return option.price if option is not None else Decimal("0")


def _head_count(reading: Reading, state: State) -> Reading | None:
    """ "4" or "there are 4 of us" after "how many of you are there?": as many of the line
    just ordered "for each of us"."""
    if state.awaiting != "head_count" or (reading.items and not reading.inferred):
        return None
    count = quantity_in(reading)
    if count is None:
        return None
    edit = Edit(op="change", ref=Ref(pronoun=True), quantity=count)
    return replace(reading, intent=Intent.CHANGE_ITEM, edit=edit, items=(), follow_up=None)


async def _last_line(ctx: Context, state: State) -> CartLineRead | None:
    """The one line the latest turn touched, as the cart has it now."""
    cart = await ctx.cart.get(ctx.session_id)
    return next((x for x in cart.lines if x.id == state.dialogue.last[0]), None)


async def _some_of_the_line(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "2 carnitas and 2 barbacoa" right after "4 tacos", "one decaf" right after "3 drip
    coffees": counts of options only, adding up to at most the line just talked about, share
    that line out (not 4 burritos or a drip coffee more)."""
    items = reading.items
    if (
        reading.intent is not Intent.ADD_ITEMS
        or reading.unknown
        or not items
        or not all(line.inferred and line.quantity_said and line.choices for line in items)
        or len(state.dialogue.last) != 1
    ):
        return None
    line = await _last_line(ctx, state)
    said = [c for part in items for c in part.choices]
    total = sum(part.quantity for part in items)
    if (
        line is None
        or total > line.quantity
        or (len(items) == 1 and total == line.quantity)  # ("2 large": two more, or both)
        or not all(c.group in lexicon.accepts.get(line.item, {}) for c in said)
        or any(c.group in {x.group for x in said} for c in line.choices if not c.default)
    ):
        return None
    parts = tuple((part.quantity, part.choices) for part in items)
    edit = Edit(
        op="change",
        ref=Ref(pronoun=True),
        # (0: the rest, as it is, staying on the line; what was said is talked about last)
        parts=parts if total == line.quantity else ((0, ()), *parts),
    )
    return replace(reading, intent=Intent.CHANGE_ITEM, edit=edit, items=(), follow_up=None)


async def _one_of_the_line(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "a large one" right after "latte please": that latte, large; "and a large one" (or "and
    a large one with whipped cream", "and a small one for my kid") after a small latte: another
    latte, large (not the menu's first dish that comes large)."""
    items = reading.items
    if (
        reading.intent is not Intent.ADD_ITEMS
        or len(items) != 1
        or not (items[0].inferred and items[0].choices)
        or _ONE_SAID.match(reading.text) is None
        or len(state.dialogue.last) != 1
    ):
        return None
    line = await _last_line(ctx, state)
    said = items[0].choices
    if line is None or not all(c.group in lexicon.accepts.get(line.item, {}) for c in said):
        return None
    had = {c.group for c in line.choices if not c.default}
    if _ONE_MORE.search(reading.text) or had & {c.group for c in said}:
        return replace(reading, items=(replace(items[0], item=line.item, inferred=False),))
    edit = Edit(op="change", ref=Ref(pronoun=True), choices=said)
    return replace(reading, intent=Intent.CHANGE_ITEM, edit=edit, items=(), follow_up=None)


async def _one_more_with(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "and one with chicken and green salsa" right after one steak taco: another taco, with
    what is said (one of a line of one cannot be a part of it)."""
    edit = reading.edit
    if (
        reading.intent is not Intent.CHANGE_ITEM
        or edit is None
        or edit.op != "change"
        or edit.ref is None
        or edit.ref.count != 1
        or edit.ref.named
        or edit.item is not None
        or not edit.choices
        or edit.drop
        or _AND_ONE_WITH.match(reading.text) is None
        or len(state.dialogue.last) != 1
    ):
        return None
    line = await _last_line(ctx, state)
    said = edit.choices
    if (
        line is None
        or line.quantity != 1
        or not all(c.group in lexicon.accepts.get(line.item, {}) for c in said)
    ):
        return None
    new = OrderLine(line.item, 1, said, quantity_said=True)
    return replace(
        reading, intent=Intent.ADD_ITEMS, items=(new,), edit=None, ref=None, follow_up=None
    )


_AND_ONE_WITH = re.compile(r"^\s*(?:and|also|plus)[\s,]+one\s+(?:with|w)\b", re.I)
_FOR_WHOM = r"(?:\s+for\s+(?:me|him|her|them|(?:my|our|the|his|her)\s+[a-z'-]+))?"
_ONE_SAID = re.compile(
    r"^\s*(?:(?:and|also|plus|ok|okay|oh|um|yes|yeah|sure)[\s,]+)*(?:a|an)\s+(?:[a-z-]+\s+){1,3}?one"
    # "and a small one for my kid", "a small one for my son with whipped cream": whose it is
    # says nothing of the dish
    rf"\b{_FOR_WHOM}(?:\s+(?:with|without|no)\s+[a-z ,'-]+?)?{_FOR_WHOM}"
    r"(?:\s+(?:too|as well|please|pls))*[\s.!]*$",
    re.I,
)
_ONE_MORE = re.compile(r"^\s*(?:and|also|plus)\b|\b(?:too|as well)\b", re.I)


async def _offer_shared(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "give me 2 then, one large and one small" after a dish's price: that dish as offered,
    one line a part with its options, not a change of the cart."""
    offer = state.dialogue.offer
    edit = reading.edit
    if (
        state.awaiting != "suggestion"
        or offer is None
        or edit is None
        or not edit.parts
        or any(count < 1 or not choices for count, choices in edit.parts)
        or (reading.items and not reading.inferred)
    ):
        return None
    groups = {c.group for _, choices in edit.parts for c in choices}
    cart = await ctx.cart.get(ctx.session_id)
    if any(groups <= set(lexicon.accepts.get(line.item, {})) for line in cart.lines):
        return None  # ("3 with pepperjack and 3 with american" after 6 subs: those subs)
    menu = await ctx.menu.get_menu()
    item = menu.item(offer.item)
    if item is None:
        return None
    lines: list[OrderLine] = []
    for count, said in edit.parts:
        specs = [*offer.choices, *(fit for c in said if (fit := fitted(menu, item, c)))]
        choices = tuple(Choice(c.group, c.option, c.qualifier, c.exclude) for c in specs)
        lines.append(OrderLine(offer.item, count, choices, quantity_said=True))
    return replace(reading, intent=Intent.ADD_ITEMS, items=tuple(lines), edit=None, follow_up=None)


# "..., make it two", "..., 2 of them", "..., two please": how many, said after the dish
_COUNT_AFTER = re.compile(
    rf"[,.]\s*(?:(?:make it|make that|i'?ll take|give me|gimme|just)\s+)?(?P<n>{count_pattern(20)})"
    r"(?:\s+of (?:them|those|these|em))?(?:\s+(?:please|pls|then))?[.!]*\s*$",
    re.I,
)
# "ok two of the pepsis then": the count first, of the dish named
_COUNT_OF_THE = re.compile(
    r"^(?:(?:ok|okay|so|yes|yeah|sure|alright|hmm+|um+)[\s,]+)*(?:(?:i'?ll (?:take|have|get)|"
    r"give me|gimme|let me (?:get|have)|(?:can|could) i (?:get|have))\s+)?"
    rf"(?P<n>{count_pattern(20)}) of the\b",
    re.I,
)


# "swap the coffee for that", "change it to one of those": the dish just offered
_FOR_THAT = re.compile(
    r"\b(?:for|to|with|into) (?:that|this|it|that one|one of (?:those|them|these))[.!]*\s*$", re.I
)


def _swapped_for_offer(reading: Reading, state: State) -> Reading | None:
    """ "yeah swap the coffee for that" after the price of a hot cocoa: the line named becomes
    the dish offered."""
    offer = state.dialogue.offer
    edit = reading.edit
    if (
        state.awaiting != "suggestion"
        or offer is None
        or reading.intent is not Intent.CHANGE_ITEM
        or edit is None
        or edit.op != "change"
        or edit.item is not None
        or edit.choices
        or edit.ref is None
        or not edit.ref.named
        or offer.item in edit.ref.items
        or not _FOR_THAT.search(reading.text)
    ):
        return None
    had = tuple(Choice(c.group, c.option, c.qualifier, c.exclude) for c in offer.choices)
    swap = replace(edit, item=offer.item, items=((offer.item,),), choices=had, instead=True)
    return replace(reading, edit=swap)


def _picked_by_word(lexicon: Lexicon, reading: Reading, state: State) -> Reading | None:
    """ "ok curly it is. small" after "fries or curly fries, which costs more?": the one dish
    asked about that a word of the message names and the others' names lack, ordered with
    what is said."""
    asked = state.dialogue.asked_about
    if (
        len({spec.item for spec in asked}) < 2
        or "?" in reading.text
        # ("the cheaper one, extra buffalo sauce": the price picks, the words are options)
        or by_price(reading.text) is not None
        or any(not line.inferred for line in reading.items)
        # ("ok diet then, extra large": a yes that names which)
        or reading.intent not in (*_EDITS, Intent.UNKNOWN, Intent.AFFIRM)
    ):
        return None
    said = {singular(w) for w in re.findall(r"[a-z]+", reading.text.lower())}
    found = []
    picked: set[str] = set()
    for spec in asked:
        if said & (own := _own_words(lexicon, spec, asked)):
            found.append(spec)
            picked = said & own
    if not found and "single" in said and not lexicon.phrases.get(("single",)):
        # "ok the two singles then" after a double cheeseburger and cheeseburgers were priced:
        # the one whose name says no more than one
        found = [
            spec
            for spec in asked
            if not item_words(lexicon, spec.item, own=True) & _MANIFOLD
            and any(item_words(lexicon, o.item, own=True) & _MANIFOLD for o in asked)
        ]
    if len({spec.item for spec in found}) > 1:
        return _each_picked_by_word(lexicon, reading, asked)
    if len({spec.item for spec in found}) != 1 or (
        reading.intent not in (*_EDITS, Intent.AFFIRM) and not _a_word_alone(reading)
    ):
        return None
    return _asked_ordered(lexicon, reading, found[0], picked)


# Words of a dish's name that say it is more than one of another ("double cheeseburger")
_MANIFOLD = frozenset({"double", "triple", "quadruple", "quad"})


def _own_words(lexicon: Lexicon, spec: LineSpec, asked: tuple[LineSpec, ...]) -> set[str]:
    """The words of a dish's own name that none of the other dishes asked about has."""
    others = {
        w
        for other in asked
        if other.item != spec.item
        for w in item_words(lexicon, other.item, own=True)
    }
    return set(item_words(lexicon, spec.item, own=True)) - others


def _said_only_in(lexicon: Lexicon, choice: Choice, said: set[str], words: set[str]) -> bool:
    """Whether the words of an option's name that the message says are all among these."""
    group = lexicon.menu.group(choice.group)
    option = group.option(choice.option) if group is not None else None
    if option is None:
        return False
    # (an option said by another name, "no mayo" for the regular mayonnaise, shares no word
    # with the word that picked the dish: it was said on its own)
    named = {singular(w) for w in option.label.lower().split()} & said
    return bool(named) and named <= words


def _each_picked_by_word(
    lexicon: Lexicon, reading: Reading, asked: tuple[LineSpec, ...]
) -> Reading | None:
    """ "2 chocolate and a vanilla, all large" after the shakes were listed: each word that
    names one of the dishes asked about (and no other of them) said as that dish's name, and
    the message read again; the order if it names only those dishes."""
    text = reading.text
    for spec in asked:
        item = lexicon.menu.item(spec.item)
        if item is None or item.label.lower() in text.lower():
            continue
        for word in sorted(_own_words(lexicon, spec, asked)):
            text = re.sub(rf"\b{re.escape(word)}s?\b", item.label, text)
    again = read(lexicon, text, conversation=True)
    dishes = {spec.item for spec in asked}
    if (
        again.intent is not Intent.ADD_ITEMS
        or len(again.items) < 2
        or any(line.inferred or line.item not in dishes for line in again.items)
    ):
        return None
    return replace(again, text=reading.text)


def _picked_by_place(lexicon: Lexicon, reading: Reading, state: State) -> Reading | None:
    """ "ok the second one then, medium" after two dishes' prices, with none in the cart to
    point at: the dish asked about at that place, ordered with what is said."""
    asked = tuple({spec.item: spec for spec in state.dialogue.asked_about}.values())
    edit = reading.edit
    ref = edit.ref if edit is not None else None
    if (
        len(asked) < 2
        or reading.intent not in _EDITS
        or any(not line.inferred for line in reading.items)
        or ref is None
        or ref.ordinal is None
        or ref.ordinals
        or ref.named
        or not -len(asked) <= ref.ordinal <= len(asked)
        or ref.ordinal == 0
        or state.dialogue.mentioned
    ):
        return None
    return _asked_ordered(
        lexicon, reading, asked[ref.ordinal - 1 if ref.ordinal > 0 else ref.ordinal]
    )


# "ok both pls", "i'll take both of them" after two dishes' prices: one of each
_BOTH_ASKED = re.compile(
    r"^(?:(?:ok|okay|fine|alright|so|yeah|yes|sure|great|cool|perfect)[\s,.!]+)*"
    r"(?:(?:i'?ll|i will|ill|we'?ll|let'?s|lets) (?:take|have|get|do) |"
    r"(?:gimme|give me|get me|add) )?"
    r"both(?: of (?:them|those|em|these))?(?: (?:please|pls|plz|then|thanks))*[\s.!]*$",
    re.I,
)


def _both_asked(reading: Reading, state: State) -> Reading | None:
    """ "ok both pls" after the queso's price and then the chips': the two dishes asked about,
    one of each (nothing in the cart to point at)."""
    asked: list[LineSpec] = []
    for spec in state.dialogue.asked_about:
        if spec in asked:
            asked.remove(spec)  # (asked again: its later place)
        asked.append(spec)
    if (
        len(asked) < 2
        or "both" not in reading.text.lower()
        or state.dialogue.mentioned
        or not _BOTH_ASKED.match(reading.text.strip())
    ):
        return None
    lines = tuple(
        OrderLine(
            spec.item,
            1,
            tuple(Choice(c.group, c.option, c.qualifier, c.exclude) for c in spec.choices),
        )
        for spec in asked[-2:]
    )
    return replace(
        reading, intent=Intent.ADD_ITEMS, items=lines, edit=None, ref=None, follow_up=None
    )


def _asked_ordered(
    lexicon: Lexicon, reading: Reading, spec: LineSpec, picked: set[str] | None = None
) -> Reading:
    """The dish asked about picked, ordered as asked with the options the message says (not
    one only the words that picked it name, "the buffalo one" no buffalo sauce)."""
    said = {singular(w) for w in re.findall(r"[a-z]+", reading.text.lower())}
    extra = (
        *reading.choices,
        *(c for line in reading.items for c in line.choices),
        *(reading.edit.choices if reading.edit is not None else ()),
    )
    had = tuple(Choice(c.group, c.option, c.qualifier, c.exclude) for c in spec.choices)
    item = lexicon.menu.item(spec.item)
    fits = (fitted(lexicon.menu, item, c) if item is not None else None for c in extra)
    # ("medium" read as a side's size is the shake's)
    extra = tuple(Choice(f.group, f.option, f.qualifier, f.exclude) for f in fits if f is not None)
    choices = tuple(
        c
        for c in dict.fromkeys((*had, *extra))
        if c.group in lexicon.accepts.get(spec.item, {})
        and (c in had or not picked or not _said_only_in(lexicon, c, said, picked))
    )
    count = quantity_in(reading) or 1
    line = OrderLine(spec.item, count, choices, quantity_said=count > 1)
    return replace(
        reading, intent=Intent.ADD_ITEMS, items=(line,), edit=None, ref=None, follow_up=None
    )


def _a_word_alone(reading: Reading) -> bool:
    """ "strawberry please", "chocolate": a few words read as nothing at all, which may name
    one of the dishes just listed by a word of its own."""
    return (
        reading.intent is Intent.UNKNOWN
        and not reading.items
        and reading.edit is None
        and len(reading.text.split()) <= 4
    )


# "ok the latte then, large", "fine, I'll take the americano": the dish asked about, pointed at
_THE_ASKED = re.compile(
    r"^(?:(?:ok|okay|fine|alright|so|yeah|yes|sure|hmm+)[\s,]+)*(?:(?:i'?ll|i will|let'?s|lets) "
    r"(?:take|have|get|do|go with) |(?:gimme|give me|get me) )?the\b",
    re.I,
)


# a line of the cart made into another dish: "swap my shake for the diet one"
_SWAP_SAID = re.compile(r"\b(?:swap|switch|change|replace|instead|make)\b", re.I)


async def _count_of_asked(ctx: Context, reading: Reading, state: State) -> Reading | None:
    """ "ok the perrier, make it two", "coke zero then, two of them" after their prices: that
    many of the one dish named among those asked about (as asked), not of the dish offered;
    "ok the latte then, large" after "iced americano or iced latte?": one, as asked."""
    asked = {spec.item: spec for spec in state.dialogue.asked_about}
    named = [line for line in reading.items if not line.inferred]
    if (
        state.awaiting != "suggestion"
        or len(named) != 1
        or len(reading.items) != 1
        or named[0].item not in asked
    ):
        return None
    spec = asked[named[0].item]
    found = _COUNT_AFTER.search(reading.text) or _COUNT_OF_THE.match(reading.text)
    ordered = reading.intent in (Intent.ADD_ITEMS, Intent.CHANGE_ITEM)
    # "the diet one" right after the sodas were listed, a shake in the cart: an order of the
    # one listed, not the shake swapped for it ("oatmeal raisin x2": as many as said)
    listed = (
        state.dialogue.offer is None
        and ordered
        and not _SWAP_SAID.search(reading.text)
        and (reading.edit is None or reading.edit.ref is None or not reading.edit.ref.pronoun)
    )
    # "ok the latte then, large" after one latte was priced: one, as asked
    priced = (
        spec.choices
        and not named[0].quantity_said
        and ordered
        and _THE_ASKED.match(reading.text)
        and sum(1 for other in state.dialogue.asked_about if other.item == spec.item) == 1
    )
    if found is not None:
        count = quantity_in(replace(reading, quantity=None, text=found.group("n")))
    elif not (listed or priced) or any(
        # (with one in the cart, "the latte" may be that one)
        line.item == spec.item
        for line in (await ctx.cart.get(ctx.session_id)).lines
    ):
        return None
    elif listed:
        count = (named[0].quantity if named[0].quantity_said else None) or quantity_in(reading) or 1
    else:
        count = 1
    if count is None:
        return None
    said = {c.group for c in named[0].choices}
    had = tuple(
        Choice(c.group, c.option, c.qualifier, c.exclude)
        for c in spec.choices
        if c.group not in said
    )
    choices = tuple(dict.fromkeys((*had, *named[0].choices)))
    line = OrderLine(spec.item, count, choices, quantity_said=found is not None)
    return replace(
        reading, intent=Intent.ADD_ITEMS, items=(line,), edit=None, ref=None, follow_up=None
    )


# "one buffalo chicken like that", "a latte that way", "2 cocoas with both of those" (after
# one with cream and sprinkles): the dish as it was just asked about
_LIKE_THAT = re.compile(
    r"\b(?:like (?:that|this|it)|(?:that|this) way|as (?:you )?said|"
    r"with (?:both|all) (?:of )?(?:those|them|these)(?: (?:two|three|toppings|options|extras))?"
    r"(?![\w ]*\b(?:on|in|to)\b))\b",
    re.I,
)


def _as_offered(reading: Reading, state: State) -> Reading | None:
    """ "ok one buffalo chicken like that, plus ranch" after the price of one with light
    buffalo sauce: the dish named is the one offered, with its options and those said now."""
    offer = state.dialogue.offer
    if (
        state.awaiting != "suggestion"
        or offer is None
        or len(reading.items) != 1
        or reading.items[0].inferred
        or reading.items[0].item != offer.item
        or not _LIKE_THAT.search(reading.text)
    ):
        return None
    line = reading.items[0]
    said = {(c.group, c.option) for c in line.choices}
    had = tuple(
        Choice(c.group, c.option, c.qualifier, c.exclude)
        for c in offer.choices
        if (c.group, c.option) not in said  # ("like that, but extra sauce": as said now)
    )
    dressed = replace(line, choices=(*had, *line.choices))
    return replace(reading, intent=Intent.ADD_ITEMS, items=(dressed,), edit=None, follow_up=None)


def _specs(choices: tuple[Choice, ...]) -> tuple[ChoiceSpec, ...]:
    return tuple(
        ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
        for c in choices
    )


# "add one to a large americano", "put it in an iced latte": what was asked about, on a dish
# ("a large drip coffee with that roast", "use that in the latte", "i'll try it in a burrito",
# "a medium pepperoni on that": the option asked about)
_ONE_ONTO = re.compile(
    r"\b(?:add|put|get|with|use|try|have|take|do)\s+(?:one|it|that|them|those|some)\s+"
    r"(?:to|on|in|into|onto|for)\s+(?:a|an|my|one|the|\d+)\b|"
    r"\b(?:with|using|on) (?:that|this|those|these)\b",
    re.I,
)


async def _asks_of_a_dish(ctx: Context, reading: Reading) -> bool:
    """Whether a change asked as a question names a dish with its options that the cart does
    not hold."""
    edit = reading.edit
    if (
        edit is None
        or edit.ref is None
        or not edit.ref.items
        or not reading.items
        or not reading.text.rstrip().endswith("?")
    ):
        return False
    cart = await ctx.cart.get(ctx.session_id)
    return not any(line.item in edit.ref.items for line in cart.lines)


# "is diet coke cheaper?", "is a chicken sandwich cheaper than the salad", "are they the same
# price?", "which one's cheaper": prices compared, asked (the dishes named are priced, not
# ordered, and never "the same again"); "whats healthier, X or Y": the dishes compared are
# described; "pink lemonade vs zero sugar lemonade price"
_COMPARED = re.compile(
    r"\b(?:cheaper|pricier|more expensive|less expensive|costs? (?:more|less)|(?:the )?same price|"
    r"(?<=which is )less(?=\s*(?:[,?]|$|the\b|an?\b))|"
    r"cost the same|(?:vs|versus)\b.*\b(?:price|prices|cost|costs)|(?P<other>healthier|"
    r"better for you|lighter|better|bigger|spicier|sweeter|more filling|less filling))\b",
    re.I,
)
_WHICH = re.compile(r"\b(?:which|what|whats)\b", re.I)
# the question may follow the dishes in a clause of its own: "coke or sprite, which is cheaper"
_ASKS = re.compile(
    r"(?:^|[,;]\s*)(?:(?:so|and|ok|okay|hmm+|um+|oh|wait|actually|but)[\s,]+)*(?:is|are|does|do|"
    r"would|will|which|what|whats|how)\b|\?\s*$|\b(?:vs|versus)\b|,? which (?:is|one|costs?)\b",
    re.I,
)
# "wait how much is each", "how much are they each", "whats the price each", "what do those
# cost apiece": the price of each line just ordered
_EACH_PRICE = re.compile(
    r"^(?:(?:so|and|ok|okay|hmm+|um+|oh|wait|actually)[\s,]+)*(?:how much (?:is|are|was|were|for|"
    r"do|does)?\s*(?:(?:they|those|these|them|it)\s*)?(?:cost\s*)?|"
    r"what(?:['’]?s| is| are)? (?:the )?(?:price|cost)s?(?: of| for)?\s*|"
    r"what (?:do|does) (?:they|those|these|it) cost\s*|(?:the )?price\s*)"
    r"(?:each|each one|each of them|each of those|they each|them each|apiece|a piece)\s*\??$",
    re.I,
)
_PRICE_WORDS = (
    *("?", "each", "price", "cheaper", "pricier", "expensive", "cost"),
    *("healthier", "lighter", "better", "bigger", "spicier", "sweeter", "filling", "ier"),
)
_EDITS = frozenset({Intent.CHANGE_ITEM, Intent.ADD_ITEMS, Intent.REPEAT_ITEMS, Intent.REMOVE_ITEMS})


def _price_compared(reading: Reading) -> Reading | None:
    """A question comparing prices, or asking each line's, read as an edit: asked instead."""
    text = reading.text.strip()
    # (read as a look at the menu: "which one costs less", no dish or kind said in it; "is the
    # raspberry cookie cheaper than the chocolate chip", two dishes)
    plain = not (reading.items or reading.query or reading.tags or reading.max_price is not None)
    named_two = len({line.item for line in reading.items if not line.inferred}) > 1
    # ("thin crust or stuffed crust, which is pricier?": two options of one group)
    two_options = (
        all(line.inferred for line in reading.items)
        and len(set(reading.choices)) > 1
        and len({c.group for c in reading.choices}) == 1
    )
    browsed = reading.intent is Intent.BROWSE_MENU and (plain or named_two or two_options)
    if reading.intent not in _EDITS and reading.intent is not Intent.UNKNOWN and not browsed:
        return None
    if _EACH_PRICE.match(text):
        ref = Ref(pronoun=True, plural=True)
        return replace(
            reading,
            intent=Intent.ASK_ITEM,
            asking="price",
            items=(),
            choices=(),
            ref=ref,
            edit=None,
            follow_up=None,
        )
    compared = _COMPARED.search(text)
    if compared is None or not _ASKS.search(text):
        return None
    if compared.group("other") and not _WHICH.search(text):
        return None  # ("can I get the bigger one?": one of them)
    named = tuple(line for line in reading.items if not line.inferred)
    said = () if named else tuple(c for line in reading.items for c in line.choices)
    options = tuple(dict.fromkeys((*reading.choices, *said)))
    # ("raspberry or hazelnut, which costs less?": what the options add)
    return replace(
        reading,
        intent=Intent.ASK_ITEM,
        asking=None if compared.group("other") and named else "price",
        items=named,
        choices=() if named else options,
        ref=None if named or options else Ref(pronoun=True, plural=True),
        edit=None,
        follow_up=None,
    )


# "how much is strawberry" after the shakes were listed: the one dish a word names
_HOW_MUCH_IS = re.compile(
    r"^(?:(?:so|and|ok|okay|hmm+|um+|oh)[\s,]+)*how much (?:is|are|for) (?:the |a |an )?"
    r"(?P<what>[a-z]+(?: [a-z]+)?)\s*\??$",
    re.I,
)


def _dish_by_its_word(lexicon: Lexicon, reading: Reading) -> Reading | None:
    """ "how much is strawberry": the price of the one dish whose names hold the words, when
    nothing else was understood."""
    if reading.intent is not Intent.UNKNOWN or reading.items or reading.choices:
        return None
    found = _HOW_MUCH_IS.match(reading.text.strip())
    if found is None:
        return None
    dish = the_dish_with(lexicon, [singular(w) for w in found.group("what").lower().split()])
    if dish is None:
        return None
    return replace(
        reading, intent=Intent.ASK_ITEM, asking="price", items=(OrderLine(dish),), confidence=0.8
    )


_WHAT_SIZES = re.compile(
    r"^(?:(?:so|and|ok|okay|hmm+|um+|oh)[\s,]+)*(?:what|which) sizes?"
    r"(?: (?:do|does) (?:it|they|that|those) come in| (?:is|are) there)?\s*\??$",
    re.I,
)


def _sizes_of_offer(reading: Reading, state: State) -> Reading | None:
    """ "what sizes?" right after a dish's price: that dish's sizes."""
    offer = state.dialogue.offer
    if (
        offer is None
        or state.awaiting != "suggestion"
        or reading.items
        or not _WHAT_SIZES.match(reading.text.strip())
    ):
        return None
    return replace(
        reading,
        intent=Intent.ASK_ITEM,
        asking="sizes",
        items=(OrderLine(offer.item),),
        confidence=0.8,
    )


_THE_WORD_ONE = re.compile(r"\bthe ([a-z]+) one\b", re.I)


def _compared_one(lexicon: Lexicon, state: State, text: str) -> str:
    """ "the green one" after "what's the difference between the red and green salsa": the one
    of the options compared whose name has the word, said by its name."""
    offer = state.dialogue.offer
    found = _THE_WORD_ONE.search(text) if offer is not None and " one" in text else None
    if offer is None or found is None:
        return text
    groups = [c.group for c in offer.choices]
    word = found.group(1).lower()
    fits: list[str] = []
    for choice in offer.choices:
        group = lexicon.menu.group(choice.group)
        option = group.option(choice.option) if group is not None else None
        if (
            groups.count(choice.group) > 1
            and option is not None
            and word in option.label.lower().split()
        ):
            fits.append(option.label.lower())
    if len(fits) != 1:
        return text
    return f"{text[: found.start()]}the {fits[0]}{text[found.end() :]}"


# "can I get anchovies on a pizza?", "could you put blue cheese on a burger?": whether an option
# goes on a kind of dish ("can I do chicken in a burrito?" orders one); "can the latte be
# iced?": whether a dish comes so
_CAN_IT = re.compile(
    r"^(?:(?:so|and|ok|okay|hey|um|hi)[ ,]+)*(?:can|could) (?:(?:i|we|you) (?:get|have|add|"
    r"put) (?!(?:a|an|one|two|three|\d+|some|me|us)\b)[a-z ]+ (?:on|onto) (?:a|an|your) "
    r"[a-z]+(?: [a-z]+)?|(?:the|a|an|your) [a-z]+(?: [a-z]+)? (?:be|come) [a-z ]+|"
    # "can i do steak and chicken together in a bowl?": whether they go together
    r"(?:i|we|you) (?:do|get|have|mix|put|combine) [a-z ]+ together(?: (?:in|on) [a-z ]+)?)\s*\?$",
    re.I,
)


# "can i get a latte iced?", "could i have the burrito grilled?": the dish, then one word of how
# it is to come, asked ("can i get an iced latte?" orders one)
_GET_IT_SO = re.compile(
    r"^(?:(?:so|and|ok|okay|hey|um|hi)[ ,]+)*(?:can|could|may) (?:i|we) (?:get|have) "
    r"(?:a|an|the|my|your) (?P<dish>[a-z ]+) (?P<how>[a-z]+)\s*\?$",
    re.I,
)


_JOINED = re.compile(r"\b(?:w|with|without|no|and|extra|light|on|in|plus|but|hold|add|n)\b")


def _got_so(lexicon: Lexicon, reading: Reading) -> bool:
    """Whether the message asks for a dish with one option said after it, and the dish's words
    alone name it plainly."""
    said = _GET_IT_SO.match(reading.text.strip())
    if said is None or len(reading.items[0].choices) != 1:
        return False
    if _JOINED.search(said.group("dish")):
        return False  # "can i get a cheeseburger w no pickles?": an order with its options
    dish = parse_order(lexicon, tokenize(said.group("dish")))
    return (
        len(dish.lines) == 1
        and not dish.inferred
        and dish.lines[0].item == reading.items[0].item
        and not dish.lines[0].choices
    )


async def _asks_if_it_can(ctx: Context, lexicon: Lexicon, reading: Reading) -> Reading | None:
    """ "Can I get bacon on a burger?": a question whether the dish takes the options (what
    they add is asked next), not an order; a dish the cart holds is an edit."""
    if (
        reading.intent is not Intent.ADD_ITEMS
        or len(reading.items) != 1
        or reading.items[0].inferred
        or not reading.items[0].choices
        or not (_CAN_IT.match(reading.text.strip()) or _got_so(lexicon, reading))
    ):
        return None
    line = reading.items[0]
    cart = await ctx.cart.get(ctx.session_id)
    if " the " in f" {reading.text.lower()} " and any(x.item == line.item for x in cart.lines):
        return None  # "can the latte be iced?" with one ordered: that latte
    return replace(
        reading,
        intent=Intent.BROWSE_MENU,
        asking="has",
        choices=line.choices,
        follow_up=None,
        edit=None,
    )


# "can i get cauliflower rice instead of regular rice?", "could i do oat milk instead?": whether
# an option can take another's place
_SWAP_ASKED = re.compile(
    r"^(?:(?:so|and|ok|okay|hey|um|hi|also)[ ,]+)*(?:can|could|may) (?:i|we|you) (?:get|have|do|"
    r"sub|swap|substitute|switch to|make it with) (?!(?:a|an|one|two|three|\d+|me|us)\b)[a-z ]+? "
    r"(?:instead|in place)(?: of [a-z ]+)?\s*\?$",
    re.I,
)


async def _swap_asked_first(ctx: Context, lexicon: Lexicon, reading: Reading) -> Reading | None:
    """ "can i get cauliflower rice instead of regular rice?" with nothing ordered: whether the
    menu has the option, asked before any dish; no dish is made up for it."""
    if (
        reading.intent not in (Intent.ADD_ITEMS, Intent.CHANGE_ITEM)
        or not reading.choices
        or any(not line.inferred for line in reading.items)
        or not _SWAP_ASKED.match(reading.text.strip())
    ):
        return None
    if (await ctx.cart.get(ctx.session_id)).lines:
        return None  # a line to swap it on: an edit
    # (only the option wanted, not the one it replaces: "oat milk instead of regular milk")
    wanted = parse_order(lexicon, tokenize(reading.text.lower().split(" instead")[0]))
    choices = wanted.loose_choices or tuple(c for line in wanted.lines for c in line.choices)
    if not choices:
        return None
    return replace(
        reading,
        intent=Intent.BROWSE_MENU,
        asking="has",
        items=(),
        choices=tuple(choices),
        follow_up=None,
        edit=None,
    )


# "can i get queso on it?", "could you put a cookie in the bag?": a dish asked onto a line
_ONTO_IT = re.compile(
    r"^(?:(?:so|and|ok|okay|hey|um|oh)[ ,]+)*(?:can|could) (?:i|we|you) (?:get|have|add|put) "
    r"[a-z ]+ (?:on|onto|in|to) (?:it|that|this|mine|(?:the|my) [a-z]+)\s*\?$",
    re.I,
)


async def _dish_onto_a_line(ctx: Context, reading: Reading) -> Reading | None:
    """ "can i get queso on it?" about a bowl, when queso is a side and no option of it: a
    question about the side (its price, offered), not an order of it nor a change."""
    if (
        reading.intent is not Intent.ADD_ITEMS
        or len(reading.items) != 1
        or reading.items[0].inferred
        or reading.items[0].choices
        or not _ONTO_IT.match(reading.text.strip())
    ):
        return None
    cart = await ctx.cart.get(ctx.session_id)
    if not cart.lines or any(line.item == reading.items[0].item for line in cart.lines):
        return None
    return replace(reading, intent=Intent.ASK_ITEM, asking="price", follow_up=None, edit=None)


# "and 2 waters then", "ok one coke then": a count of a dish, in the light of what was said
_SO_MANY_THEN = re.compile(
    r"^\s*(?:(?:and|ok|okay|so|oh|hmm+|um+|alright)[\s,]+)*"
    rf"(?P<what>{count_pattern(20)}\s+[a-z' -]+?)"
    r"(?:\s+too)?\s+then[\s.!]*$",
    re.I,
)


async def _count_then(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "and 2 waters then" right after "make it 2 subs, one guy canceled": the count of the
    water already ordered follows the change, not 2 more (a dish not in the cart is ordered)."""
    last = state.dialogue.last_change
    counted = (
        last is not None and last.quantity is not None and state.dialogue.last_edit == "change"
    )
    if (
        reading.intent is not Intent.ADD_ITEMS
        or not (counted or state.intent is Intent.ASK_ITEM)
        or not reading.items
        or any(line.inferred or line.choices for line in reading.items)
    ):
        return None
    found = _SO_MANY_THEN.match(reading.text)
    if found is None:
        return None
    cart = await ctx.cart.get(ctx.session_id)
    for line in reading.items:
        held = sum(1 for had in cart.lines if had.item == line.item)
        if held > 1 or (held == 0 and counted):
            return None
    if not counted and not any(
        had.id in state.dialogue.last and had.item == line.item
        for had in cart.lines
        for line in reading.items
    ):
        return None  # ("how much is each?" of the subs ... "ok 2 subs then": those subs)
    return read(lexicon, f"actually {found.group('what')}", conversation=True)


# "ok keep the milk": a dish the cart holds stays, said of its line (not another one)
_KEEP_THE = re.compile(
    r"^(?:(?:ok|okay|so|actually|fine|no|yeah|yes|hmm+|i'll|ill|i will|lets|let's)[\s,]+)*"
    r"keep (?:the|my|that) [a-z' -]+?[\s.!]*$",
    re.I,
)


async def _kept_as_it_was(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State, text: str
) -> Reading | None:
    """ "eh never mind, keep the coke" after the coke was swapped for a lemonade, "no, keep it
    small like i had it": what the line had before the latest change, kept, takes it back;
    what else the message changes is done after ("keep the basil and put the arugula on as
    well")."""
    cart = await ctx.cart.get(ctx.session_id)
    if not kept_as_before(lexicon, text, cart, state.dialogue):
        return None
    edit = Edit(op="change", ref=Ref(pronoun=True))
    if not keeps_part(text):
        # (but "keep it large, just the syrup change": the rest says what stays of the change)
        rest = read(lexicon, without_kept(text), conversation=True)
        if (
            rest.edit is not None
            and rest.edit.op == "change"
            and rest.edit.ref is None
            and not only_takes_back(rest.edit, cart, state.dialogue)
        ):
            edit = replace(rest.edit, ref=edit.ref)
        elif rest.intent is Intent.ADD_ITEMS and rest.inferred and not rest.counted:
            # ("keep the pickles and add onions too": options onto the line, no dish of them)
            edit = replace(edit, choices=rest.choices, adding=True)
    return replace(
        reading, text=text, intent=Intent.CHANGE_ITEM, edit=edit, items=(), follow_up=None
    )


async def _kept_line(ctx: Context, reading: Reading) -> Reading | None:
    """ "ok keep the milk" with a milk in the cart: that line, as it is, talked about."""
    if (
        reading.intent is not Intent.ADD_ITEMS
        or len(reading.items) != 1
        or reading.items[0].inferred
        or reading.items[0].quantity_said
        or not _KEEP_THE.match(reading.text.strip())
    ):
        return None
    item = reading.items[0].item
    cart = await ctx.cart.get(ctx.session_id)
    if not any(line.item == item for line in cart.lines):
        return None
    edit = Edit(op="change", ref=Ref(items=(item,)))
    return replace(reading, intent=Intent.CHANGE_ITEM, edit=edit, items=(), follow_up=None)


# "and medium fries instead": the order said, after its "and"
_AND_INSTEAD = re.compile(r"^\s*(?:and|plus|also)\b[\s,]*(?=.*\binstead\b)", re.I)


async def _same_dish_instead(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "and medium fries instead" with fries in the cart and nothing taken off just before:
    those fries made so, not more of them ("and a shake instead" after one is taken off is an
    order)."""
    said = _AND_INSTEAD.match(reading.text)
    if (
        said is None
        or reading.intent is not Intent.ADD_ITEMS
        or reading.follow_up is not None
        or state.intent is Intent.REMOVE_ITEMS
        or len(reading.items) != 1
        or reading.items[0].inferred
    ):
        return None
    cart = await ctx.cart.get(ctx.session_id)
    if not any(line.item == reading.items[0].item for line in cart.lines):
        return None
    alone = read(
        lexicon, reading.text[said.end() :], conversation=True, people=state.dialogue.people
    )
    if alone.follow_up is not Intent.CHANGE_ITEM or alone.edit is None:
        return None
    return replace(alone, text=reading.text, intent=Intent.CHANGE_ITEM, follow_up=None)


_OPENERS = frozenset({"and", "oh", "ok", "okay", "actually", "um", "umm", "also", "so", "wait"})
_CLOSERS = frozenset(
    {"pls", "plz", "please", "thanks", "thx", "now", "then", "instead", "actually", "!", ".", ","}
)


async def _dish_then_its_size(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "latte extra large pls" with a latte in the cart: the dish named bare, its size said
    after it, is that line made that size, not one more (the size goes on the one line of the
    dish whose size is not that; "a latte extra large", "2 lattes large" are orders)."""
    if reading.intent is not Intent.ADD_ITEMS or len(reading.items) != 1:
        return None
    said = reading.items[0]
    if said.inferred or said.quantity_said or not said.choices:
        return None
    groups = [lexicon.groups.get(choice.group) for choice in said.choices]
    if len(said.choices) != 1 or not all(g is not None and g.is_size for g in groups):
        return None
    tokens = tokenize(reading.text)
    start, end = 0, len(tokens)
    while start < end and tokens[start] in _OPENERS:
        start += 1
    while end > start and tokens[end - 1] in _CLOSERS:
        end -= 1
    length, entry = lexicon.lookup(tokens, start)
    if entry is None or said.item not in entry.items or not length:
        return None
    size_length, size = lexicon.lookup(tokens, start + length)
    if size is None or entry.options or start + length + size_length != end:
        return None  # the dish, then its size, and nothing else
    cart = await ctx.cart.get(ctx.session_id)
    lines = [line for line in cart.lines if line.item == said.item]
    choice = said.choices[0]
    if len(lines) != 1 or any(
        c.group == choice.group and c.option == choice.option for c in lines[0].choices
    ):
        return None
    edit = Edit(op="change", ref=Ref(items=(said.item,), words=()), choices=(choice,))
    return replace(reading, intent=Intent.CHANGE_ITEM, edit=edit, items=(), follow_up=None)


async def _kind_of_the_line(
    ctx: Context, lexicon: Lexicon, reading: Reading, state: State
) -> Reading | None:
    """ "light on the sauce actually" on a sub with sweet onion sauce: the one option of that
    kind the latest line has, named by the word its kind's options end in."""
    if reading.intent is not Intent.UNKNOWN or not state.dialogue.last:
        return None
    line = await _last_line(ctx, state)
    kinds = option_kinds(lexicon)
    if line is None or not any(singular(w) in kinds for w in tokenize(reading.text)):
        return None
    had = {(c.group, c.option): c.label for c in line.choices if not c.exclude}
    words = []
    for word in tokenize(reading.text):
        labels = [had[key] for key in kinds.get(singular(word), ()) if key in had]
        words.append(labels[0].lower() if len(labels) == 1 else word)
    said = read(lexicon, " ".join(words), conversation=True, people=state.dialogue.people)
    if said.intent is not Intent.CHANGE_ITEM or said.edit is None or not said.edit.choices:
        return None
    return replace(said, text=reading.text)


# a message's sentences: "skip the mustard then. hamburger with ketchup"
_SENTENCE_END = re.compile(r"(?<=[a-z])[.!]\s+(?=[a-z])", re.I)


# "nah skip it", "never mind the stuffed crust": what was asked about, let go
_LET_GO = re.compile(r"\b(?:never ?mind|nvm|forget|skip|scratch|pass on|nah|no thanks)\b", re.I)
# "pineapple isnt my thing", "not a fan of olives": why some options are not wanted
_NOT_FOR_ME = re.compile(
    r"\b(?:is ?n['’]?t|not) (?:really )?(?:my thing|for me|a fan)\b|"
    r"\b(?:hate|do ?n['’]?t like|do not like)\b",
    re.I,
)


def _option_declined(lexicon: Lexicon, state: State, text: str) -> str:
    """ "whoa. skip the mustard then. hamburger with ketchup" right after what mustard adds, "nah
    skip it. just a large margherita then" after a dish was offered: the sentence that turns
    down what was asked about is no "no mustard" on the dish ordered next, nor an order of the
    dish offered; the rest is the order."""
    dialogue = state.dialogue
    asked = {(c.group, c.option) for c in dialogue.options}
    if state.awaiting == "suggestion" and dialogue.offer is not None:
        asked |= {(c.group, c.option) for c in dialogue.offer.choices}
    stops = list(_SENTENCE_END.finditer(text))
    for stop in stops[:2]:
        before = text[: stop.start()]
        said = read(lexicon, before, conversation=True)
        if said.items and not said.inferred:
            return text
        if _turned_down(said, asked, before):
            return text[stop.end() :]
    return text


def _turned_down(said: Reading, asked: set[tuple[str, str]], text: str) -> bool:
    """Whether a sentence says no to the options or the dish asked about: "no", "nah skip it",
    "never mind the stuffed crust", "no mustard then", "no pineapple isnt my thing"."""
    edit = said.edit
    choices = {
        *said.choices,
        *(c for line in said.items for c in line.choices),
        *(edit.choices if edit is not None else ()),
    }
    let_go = _LET_GO.search(text) is not None
    if not choices:
        return said.intent is Intent.DENY or let_go
    if all((c.group, c.option) in asked for c in choices):
        return let_go or all(c.exclude for c in choices)
    return all(c.exclude for c in choices) and _NOT_FOR_ME.search(text) is not None


async def _instead_of_offer(ctx: Context, lexicon: Lexicon, reading: Reading, state: State) -> bool:
    """ "actually a cheesecake", "ok a cheesecake instead" right after a tiramisu's price, with
    a pizza in the cart: the dish in place of the one asked about (an order), not of a line."""
    offer = state.dialogue.offer
    named = [line.item for line in reading.items if not line.inferred]
    if (
        reading.intent is not Intent.ADD_ITEMS
        or reading.follow_up is not Intent.CHANGE_ITEM
        or state.awaiting != "suggestion"
        or offer is None
        or not named
        or offer.item in named
    ):
        return False
    kind = lexicon.category.get(offer.item)
    if any(lexicon.category.get(item) != kind for item in named):
        return False
    cart = await ctx.cart.get(ctx.session_id)
    return not any(lexicon.category.get(line.item) == kind for line in cart.lines)


async def _all_of_none(ctx: Context, reading: Reading) -> bool:
    """ "all veggie burgers, all without mayo" with no veggie burger in the cart: what everyone
    gets (an order), not every line of that dish."""
    edit = reading.edit
    if (
        reading.intent is not Intent.ADD_ITEMS
        or reading.follow_up is not Intent.CHANGE_ITEM
        or edit is None
        or edit.ref is None
        or not edit.ref.every
        or not edit.ref.items
        or not reading.items
        or any(line.item not in edit.ref.items for line in reading.items)
    ):
        return False
    cart = await ctx.cart.get(ctx.session_id)
    return not any(line.item in edit.ref.items for line in cart.lines)


# "same price as the coke? ok, 2 bottled waters": a question about prices, then an order
# ("is it sweetened? ok 2 black teas": a question about the dish just talked about, in passing)
_PRICE_ASKED_FIRST = re.compile(
    r"^(?P<asked>[^?]*\b(?:how much|price|prices|cost|costs|cheaper|pricier|expensive)\b[^?]*\?|"
    r"(?:(?:so|and|ok|okay|oh|hmm+|wait)[\s,]+)*(?:is|are|does|do|was) "
    r"(?:it|they|that|this|those|these)\b[^?]*\?)"
    r"\s+(?P<rest>\S.*)$",
    re.I,
)


def _price_asked_first(lexicon: Lexicon, text: str) -> str:
    """ "same price as the coke? ok, 2 bottled waters": the order after a question about prices
    (said in passing, its dishes no part of the order); the message as it is otherwise."""
    found = _PRICE_ASKED_FIRST.match(text)
    if found is None:
        return text
    rest = read(lexicon, found.group("rest"), conversation=True)
    if rest.intent is not Intent.ADD_ITEMS or not rest.items or rest.inferred:
        return text
    return found.group("rest")


# "i'll just do the supreme then", "the supreme instead": one option in another's place
_IN_ITS_PLACE = re.compile(r"\b(?:just|only|instead)\b", re.I)


def _compared_picked(
    lexicon: Lexicon, reading: Reading, offer: LineSpec, asked: tuple[Choice, ...]
) -> LineSpec:
    """ "ok the new york one, large" after "neapolitan or new york style?", "the cheaper of
    the two then" after "are the mexican and the hawaiian the same price?", "the supreme
    then" after "is the combination more than a supreme?": of the options of one group asked
    about together, the one the message picks (by name, or by price); the others are no part
    of the dish offered."""
    said = {
        (c.group, c.option)
        for c in (
            *reading.choices,
            *(c for line in reading.items for c in line.choices),
            *(reading.edit.choices if reading.edit is not None else ()),
        )
        # (an amount is asked of the dish offered, no pick: "that one with extra mushrooms"
        # after a pizza with pepperoni and extra mushrooms keeps the pepperoni)
        if not c.exclude and c.qualifier is None
    }
    dearer = by_price(reading.text)
    choices = list(offer.choices)
    for group in dict.fromkeys(c.group for c in offer.choices):
        compared = [c for c in choices if c.group == group and not c.exclude]
        compared += [
            ChoiceSpec(group=c.group, option=c.option)
            for c in asked
            if c.group == group and not c.exclude and all(c.option != o.option for o in compared)
        ]
        if len(compared) < 2:
            continue
        picked = [c for c in compared if (c.group, c.option) in said]
        if not picked and dearer is not None:
            priced = sorted(compared, key=lambda c: _option_price(lexicon, Choice(group, c.option)))
            ends = (priced[0], priced[-1])
            if _option_price(lexicon, Choice(group, ends[0].option)) != _option_price(
                lexicon, Choice(group, ends[1].option)
            ):
                picked = [ends[1] if dearer else ends[0]]
        if len(picked) == 1:
            choices = [c for c in choices if c.group != group] + picked
    if choices == list(offer.choices):
        return offer
    return offer.model_copy(update={"choices": tuple(choices)})


# "ok a large vegan pizza with that and extra spinach" right after vegan pepperoni was asked about,
# "medium pizza w/ that", "a personal pizza on that crust", "a large drip coffee in that roast"
# (the word after "that" may be the kind of option asked about: group 1)
_WITH_THAT = re.compile(
    r"\b(?:(?:with|w/?) (?:that|it|those|them)|(?:on|in) (?:that|those))\b(?! ones?\b)"
    r"(?: ([a-z]+)\b)?",
    re.I,
)


def _with_the_asked(lexicon: Lexicon, state: State, text: str) -> str:
    """ "a large pizza with that" right after an option was asked about ("can vegan pepperoni go
    on a pizza?"): "that" is the option, when the dish named before it takes it (not "fries
    with that", an order beside the rest)."""
    asked = [c for c in state.dialogue.options if not c.exclude]
    found = _WITH_THAT.search(text)
    if not asked or found is None:
        return text
    named = parse_order(lexicon, tokenize(text[: found.start()])).lines
    menu = lexicon.menu
    item = menu.item(named[-1].item) if named and not named[-1].inferred else None
    if item is None or not all(c.group in item.option_groups for c in asked):
        return text
    labels = _labels_of(lexicon, asked)
    if labels is None:
        return text
    # ("on that crust" after cauliflower crust was asked about: the kind goes with "that"; "with
    # that chicken" is a topping of its own)
    kind = found.group(1)
    end = found.end()
    if kind and not any(kind.lower() in label.split() for label in labels):
        end = found.start(1) - 1
    return f"{text[: found.start()]}with {' and '.join(labels)}{text[end:]}"


def _labels_of(
    lexicon: Lexicon, choices: Sequence[Choice], *, amounts: bool = False
) -> list[str] | None:
    """The options as a customer would say them ("guacamole", with `amounts` "extra cheese"),
    or None when one is not on the menu."""
    labels = []
    for choice in choices:
        group = lexicon.menu.group(choice.group)
        option = group.option(choice.option) if group is not None else None
        if option is None:
            return None
        amount = choice.qualifier if amounts and choice.qualifier else ""
        labels.append(f"{amount} {option.label.lower()}".lstrip())
    return labels


# "ok add it to a chicken burrito" right after "how much is guac extra": the option asked about,
# on a new dish
_IT_ONTO_NEW = re.compile(
    r"^(?P<lead>(?:(?:ok|okay|so|great|cool|sure|alright|yes|yeah|then|and)[ ,.!]+)*)"
    r"(?:please |pls )?(?:add|put|throw|get) (?:it|that|them|those|some) (?:on|onto|to|in|into) "
    r"(?P<dish>(?:a|an|one|two|three|four|five|\d+) .+)$",
    re.I,
)


def _asked_onto_new(lexicon: Lexicon, state: State, text: str) -> str:
    """ "ok add it to a chicken burrito with white rice" after guac's price was asked: the new
    dish, said with the option ("a chicken burrito with white rice and guacamole"), when the
    dish takes it."""
    asked = [c for c in state.dialogue.options if not c.exclude]
    found = _IT_ONTO_NEW.match(text.strip())
    if not asked or found is None:
        return text
    dish = found.group("dish").rstrip(" .!?")
    named = parse_order(lexicon, tokenize(dish)).lines
    menu = lexicon.menu
    item = menu.item(named[0].item) if len(named) == 1 and not named[0].inferred else None
    if item is None or not all(c.group in item.option_groups for c in asked):
        return text
    labels = _labels_of(lexicon, asked, amounts=True)
    if labels is None:
        return text
    joint = " and " if " with " in f" {dish} " or " w " in f" {dish} " else " with "
    return f"{found.group('lead')}{dish}{joint}{' and '.join(labels)}"


def _listed_said(lexicon: Lexicon, listed: tuple[Choice, ...], text: str) -> str:
    """ "the corn one and the green one" after the salsas were listed: each word that names
    one of the options listed (and no other of them) said as that option's name ("green" is
    the green chili salsa, not the romaine lettuce)."""
    labels: dict[Choice, list[str]] = {}
    for choice in listed:
        group = lexicon.menu.group(choice.group)
        option = group.option(choice.option) if group is not None else None
        if option is not None:
            labels[choice] = option.label.lower().split()
    for choice, words in labels.items():
        label = " ".join(words)
        others = {singular(w) for other, ws in labels.items() if other != choice for w in ws}
        # (a word of the order's grammar or plain English, "no", "extra", "new", says no name)
        own = [
            w
            for w in words
            if singular(w) not in others
            and w.isalpha()
            and (w,) not in GRAMMAR
            and w not in COMMON_WORDS
        ]
        if label in text.lower() or len(own) != 1:
            continue
        # ("the green one", "green salsa": the word, with the rest of the name or "one")
        rest = "|".join(re.escape(w) for w in words if w != own[0])
        tail = rf"(?:\s+(?:{rest}))*" if rest else ""
        found = re.compile(rf"\b(?:the\s+)?{re.escape(own[0])}s?{tail}(?:\s+ones?)?\b", re.I)
        text = found.sub(functools.partial(_unless_a_dish, lexicon, label), text)
    return text


def _unless_a_dish(lexicon: Lexicon, label: str, said: re.Match[str]) -> str:
    """The name of the option listed for a word, unless the word starts a dish's name ("a
    buffalo chicken" after the sauces were listed is the sandwich, not buffalo sauce)."""
    tokens = tokenize(said.string[said.start() :])
    start = 1 if tokens[:1] == ["the"] else 0
    length, entry = lexicon.lookup(tokens, start)
    if entry is not None and entry.items and length > 1:
        return said.group(0)
    return label


_NOT_THE_LINE = frozenset({"a", "an", "another", "one", "more", "new", "other", *NUMBER_WORDS})


def _bare_kinds(lexicon: Lexicon, text: str) -> list[str]:
    """The words said beside an option that are a word of dishes' names but name none alone
    ("large shake pls", "shake small"), with no article or count before them."""
    tokens = tokenize(text)
    found = []
    for k, tok in enumerate(tokens):
        if len(tok) < 3 or tok in _NOT_THE_LINE or (k and tokens[k - 1] in _NOT_THE_LINE):
            continue
        if k and tokens[k - 1].isdigit():
            continue
        entry = lexicon.lookup(tokens, k)[1]
        if entry is not None and (entry.items or entry.options):
            continue
        if any(
            (at := lexicon.lookup(tokens, j))[0] > k - j and at[1] is not None and at[1].items
            for j in range(max(0, k - 3), k)
        ):
            continue  # a word inside a dish's name said in full ("chocolate shake")
        before = next(
            (e for j in range(max(0, k - 3), k) if (e := lexicon.lookup(tokens, j))[0] == k - j),
            (0, None),
        )[1]
        after = lexicon.lookup(tokens, k + 1)[1]
        if not any(e is not None and e.options and not e.items for e in (before, after)):
            continue
        if lexicon.names_with(tok) or lexicon.names_with(singular(tok)):
            found.append(tok)
    return found


async def _kind_of_one_line(ctx: Context, lexicon: Lexicon, text: str, bare: list[str]) -> str:
    """ "large shake pls", "fries large, shake small" with one shake ordered: each bare word
    (`_bare_kinds`) is that line, said by its dish's name (as "fries large" is)."""
    cart = await ctx.cart.get(ctx.session_id)
    for word in bare:
        noun = singular(word)
        lines = {x.item for x in cart.lines if noun in item_words(lexicon, x.item, own=True)}
        if len(lines) != 1 or len(re.findall(rf"\b{word}\b", text, re.I)) != 1:
            continue
        (item,) = lines
        label = lexicon.items[item].label.lower() if item in lexicon.items else None
        if label:
            text = re.sub(rf"\b{word}\b", label, text, count=1, flags=re.I)
    return text


# "put sour cream on the one for my dad": a unit of the line, for someone with none yet
_THE_ONE_FOR = re.compile(r"\bthe one for (?P<who>(?:my |our )?[a-z]+)\b", re.I)


async def _unit_for_someone(ctx: Context, lexicon: Lexicon, state: State, text: str) -> str:
    """ "the one for my dad" said of the one line talked about, of several units, with nothing
    the dad's yet: "one of them for my dad" (a unit split off, his)."""
    found = _THE_ONE_FOR.search(text)
    if found is None or len(state.dialogue.last) != 1:
        return text
    people = state.dialogue.people
    said = mentions(tokenize(found.group("who")), names_in(lexicon, text, people))
    if len(said) != 1 or who(said[0].person, people) in {p for _, p in state.dialogue.owners}:
        return text
    talked = await _last_line(ctx, state)
    if talked is None or talked.quantity < 2:
        return text
    return f"{text[: found.start()]}one of them for {found.group('who')}{text[found.end() :]}"


def _in_conversation(state: State) -> bool:
    """Whether a message may point back at something: a line talked about or a dish offered."""
    dialogue = state.dialogue
    return bool(dialogue.mentioned or dialogue.offer or dialogue.added or state.turn)


async def understand(state: State, runtime: Runtime[Context]) -> Command[Node]:
    """Read the message offline (or with the model when unsure) and pick the flow."""
    ctx = runtime.context
    lexicon = await lexicon_of(ctx)
    # A message may make several requests ("make it 3 cokes and add a ginger ale"): each is
    # understood and carried out in turn, into one reply.
    continuing = bool(state.rest)
    parts = (
        state.rest if continuing else requests(lexicon, state.text.strip(), state.dialogue.people)
    )
    kept = _KEPT_FIRST.match(parts[0]) if not continuing and "keep" in parts[0] else None
    if kept is not None and (parts[0][kept.end() :].strip() or len(parts) > 1):
        # "ok fine keep it. add jalapenos too" after "is guac extra?" about the guacamole on a
        # sub, "ok keep it. and same again for my dad ...": what was asked about stays as it
        # is, and the rest is the request
        rest = parts[0][kept.end() :].strip()
        parts = [rest, *parts[1:]] if rest else parts[1:]
        let_go = replace(state.dialogue, options=(), options_in_a_row=())
        state = replace(state, awaiting=None, dialogue=let_go)
    text = _compared_one(lexicon, state, parts[0])
    remark = _NEVER_MIND_FIRST.match(text) if not state.dialogue.mentioned else None
    if remark is not None:
        # (nothing ordered yet: no line to let go of, only what was asked)
        text = text[remark.end() :]
    if "? " in text:
        text = _price_asked_first(lexicon, text)
    if state.awaiting in ("option", "suggestion") and ". " in text:
        said = text
        text = _option_declined(lexicon, state, text)
        if text != said:
            # what was asked about is let go: the rest is an order of its own
            let_go = replace(state.dialogue, offer=None, options=(), asked_about=())
            state = replace(state, awaiting=None, dialogue=let_go)
    if state.dialogue.listed and not continuing:
        text = _listed_said(lexicon, state.dialogue.listed, text)
    if (
        state.awaiting in ("option", "suggestion")
        and state.dialogue.options
        and (" w" in text or " on th" in text or " in th" in text)
    ):
        text = _with_the_asked(lexicon, state, text)
    if state.awaiting == "option" and state.dialogue.options and " to " in text:
        text = _asked_onto_new(lexicon, state, text)
    if state.awaiting == "suggestion" and state.dialogue.offer is not None:
        text = _COUNT_AND.sub(r"\g<1> of those \g<2>", text)  # "ok 1 and chips"
        text = _COUNT_SERVINGS.sub(r"\g<1> of those", text)
        text = _COUNT_FOR.sub(r"\g<1> of those for", text)  # "ok, one for my sister then"
    if " one for " in text and state.dialogue.mentioned:
        text = await _unit_for_someone(ctx, lexicon, state, text)
    if "half" in text and len(state.dialogue.last) == 1:
        # "half of them with extra ketchup" after 4 cheeseburgers: two of them
        talked = await _last_line(ctx, state)
        text = halves_said(text, talked.quantity if talked is not None else None)
    if state.dialogue.mentioned and (bare := _bare_kinds(lexicon, text)):
        text = await _kind_of_one_line(ctx, lexicon, text, bare)
    people: Iterable[str] = state.dialogue.people
    if continuing or len(parts) > 1:
        # ("mine: pepperoni. tom: bbq chicken": a part's people may be named by the whole)
        people = names_in(lexicon, state.text, people)
    reading = read(lexicon, text, conversation=_in_conversation(state), people=people)
    offer = state.dialogue.offer
    if state.awaiting in ("suggestion", "option") and offer is not None and "?" not in text:
        # (an option asked about after the dish is one more for it, "ok with mushrooms then",
        # unless the message takes it in the place of the dish's: "i'll just do the supreme")
        alone = state.awaiting == "option" and _IN_ITS_PLACE.search(text)
        asked = state.dialogue.options if alone else ()
        picked_one = _compared_picked(lexicon, reading, offer, asked)
        if picked_one is not offer:
            specs = tuple(picked_one if s == offer else s for s in state.dialogue.asked_about)
            dialogue = replace(state.dialogue, offer=picked_one, asked_about=specs)
            state = replace(state, dialogue=dialogue)
    # ("scratch the cocoa, get me a vanilla shake instead": the shake in the cocoa's place, an
    # order, not the line before made a shake)
    taken_off = continuing and state.intent is Intent.REMOVE_ITEMS and "instead" in text.lower()
    if (
        reading.follow_up is not None
        and not taken_off
        and not await _instead_of_offer(ctx, lexicon, reading, state)
        and not await _all_of_none(ctx, reading)
    ):
        reading = replace(reading, intent=reading.follow_up)
    answer = _which(lexicon, reading, state)
    if answer is None and state.awaiting == "option":
        answer = await _options_let_go(ctx, lexicon, reading, state) or await _option_kept(
            ctx, reading, state
        )
    answer = answer or _option_taken(lexicon, reading, state) or _head_count(reading, state)
    if answer is None and any(word in reading.text for word in _PRICE_WORDS):
        answer = _price_compared(reading)
    if answer is None and reading.intent is Intent.UNKNOWN and "how much" in reading.text:
        answer = _dish_by_its_word(lexicon, reading)
    if answer is None and "size" in reading.text:
        answer = _sizes_of_offer(reading, state)
    if answer is None and state.awaiting == "suggestion":
        answer = _swapped_for_offer(reading, state)
    picked = None
    if answer is None and state.awaiting == "suggestion":
        picked = (
            await _count_of_asked(ctx, reading, state)
            or _both_asked(reading, state)
            or _picked_by_word(lexicon, reading, state)
            or _picked_by_place(lexicon, reading, state)
            or _as_offered(reading, state)
        )
    if picked is not None:
        answer = picked
    if answer is None and state.awaiting == "suggestion":
        answer = await _offer_shared(ctx, lexicon, reading, state)
    if answer is None and state.dialogue.last:
        answer = (
            await _some_of_the_line(ctx, lexicon, reading, state)
            or await _one_of_the_line(ctx, lexicon, reading, state)
            or await _one_more_with(ctx, lexicon, reading, state)
        )
    if answer is None and " then" in reading.text:
        answer = await _count_then(ctx, lexicon, reading, state)
    if answer is None and "keep" in text.lower():
        answer = await _kept_as_it_was(ctx, lexicon, reading, state, text)
    if answer is None and "keep" in reading.text.lower():
        answer = await _kept_line(ctx, reading)
    if answer is None and "instead" in text.lower():
        answer = await _same_dish_instead(ctx, lexicon, reading, state)
    if answer is None and reading.intent is Intent.UNKNOWN:
        answer = await _kind_of_the_line(ctx, lexicon, reading, state)
    if answer is None and state.dialogue.mentioned:
        answer = await _dish_then_its_size(ctx, lexicon, reading, state)
    again = (
        _asked_again(lexicon, reading, state)
        or _other_option_asked(lexicon, reading, state)
        or _other_dish_asked(lexicon, reading, state)
        if answer is None
        else None
    )
    if again is None and answer is None:
        again = (
            await _asks_if_it_can(ctx, lexicon, reading)
            or await _dish_onto_a_line(ctx, reading)
            or await _swap_asked_first(ctx, lexicon, reading)
        )
    if answer is not None:
        reading = answer
    elif again is not None:
        reading = again
    elif ctx.chat_model is not None and is_unsure(reading, ctx.confidence_threshold):
        reading = await classify_with_model(
            ctx.chat_model, await ctx.menu.get_menu(), state, reading
        )
    reading = reread(reading, state)
    signed_in = await user_of(ctx) is not None
    intent = resolve_intent(reading, state, signed_in=signed_in)
    if intent is Intent.ASK_ITEM and reading.intent is Intent.ADD_ITEMS:
        # a dish said as a question after one: asked the same way
        reading = replace(reading, intent=intent, asking=reading.asking or "price")
    elif intent is Intent.CHANGE_ITEM and await _asks_of_a_dish(ctx, reading):
        # "can you make the hot chocolate skinny?" with none ordered: asked, not ordered
        intent = Intent.ASK_ITEM
        reading = replace(reading, intent=intent, asking="price")
    dialogue = state.dialogue
    party = party_size(state.text) if not continuing else None
    if party is not None:
        dialogue = replace(dialogue, party=party)  # "we're 4": for "a coke each" later
    counted = groups_counted(state.text) if not continuing else []
    if counted:
        # "for me and my 2 kids": for "the kids each want ..." later
        known = tuple(g for g in dialogue.groups if g[0] not in {who for who, _ in counted})
        dialogue = replace(dialogue, groups=(*known, *counted)[-8:])
    if not continuing and dialogue.listed:
        dialogue = replace(dialogue, listed=())  # the options listed, for one message only
    if not continuing and state.awaiting != "option" and dialogue.options_in_a_row:
        dialogue = replace(dialogue, options_in_a_row=())  # options asked about in a row only
    if picked is not None and reading is picked:
        # the dish picked among those asked about is what was offered, not the first of them
        line = picked.items[0]
        dialogue = replace(dialogue, offer=LineSpec(item=line.item, choices=_specs(line.choices)))
    if state.awaiting == "which_line" and answer is None and dialogue.asked is not None:
        dialogue = replace(dialogue, asked=None, candidates=())  # the question was let go
    update: dict[str, Any] = {
        "intent": intent,
        "reading": reading,
        "signed_in": signed_in,
        "dialogue": dialogue,
        "rest": parts[1:],
    }
    if not continuing:
        update.update(
            messages=[HumanMessage(content=state.text.strip(), id=str(uuid4()))],
            turn=state.turn + 1,
            awaiting=None,
            asked=state.awaiting,
            say=[],
            cards=[],
            quick_replies=[],
        )
    return Command(goto=route(intent, state, signed_in=signed_in), update=update)


__all__ = ["understand"]
