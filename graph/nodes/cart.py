"""The cart flows: add what was ordered, edit lines already there, show the cart, empty it.

Edits follow the conversation: `graph.dialogue.plan_edit` maps "make the second one large",
"add olives to both", "one of them with no mayo" or "same again" onto cart lines, and the steps
it plans are carried out with the same tools a model calls. A reference that could mean two
lines is asked about, with the candidates as quick replies; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.runtime import Runtime
from rapidfuzz import fuzz

from graph import search
from graph.cards import cart_card
from graph.context import Context
from graph.dialogue import (
    Add,
    Dialogue,
    Missing,
    Plan,
    Remove,
    Split,
    Update,
    apply_edit,
    before_edit,
    dish_options,
    fitted,
    kept_as_before,
    kept_of_change,
    named,
    names_kind,
    one_of_a_family,
    pick,
    plan_edit,
    plan_undo,
    put_back,
    puts_back,
    with_choices,
)
from graph.intents import Intent
from graph.llm import edit_with_model
from graph.menu import Item, Menu
from graph.models import (
    MAX_QUANTITY,
    CartChange,
    CartError,
    CartLineRead,
    CartRead,
    ChoiceRead,
    ChoiceSpec,
    LineSpec,
)
from graph.nlu import Lexicon, read
from graph.nlu.edits import (
    MADE_SO,
    adds_on,
    find_refs,
    item_words,
    read_edit,
    singular,
    the_dish_with,
)
from graph.nlu.intent import ORDER_VERB
from graph.nlu.people import (
    group_size,
    groups_counted,
    handed_out,
    is_group,
    is_person,
    left_out,
    line_positions,
    listed_for,
    members,
    mentions,
    names_in,
    owner_said,
    owners,
    party_size,
    who,
)
from graph.nlu.reader import (
    AND_WITH_EACH,
    AS_MANY,
    SAME_STUFF_LAST,
    as_listed,
    with_the_same,
)
from graph.nlu.reading import Choice, Edit, OrderLine, Reading, Ref
from graph.nlu.text import tokenize
from graph.nlu.words import COMMON_WORDS, HEAD_WORDS, count_of, count_pattern
from graph.nodes.turn import Reply, lexicon_of
from graph.pricing import money, paused_message, price_line
from graph.replies import ADDED, ANYTHING_ELSE, REMOVED, describe_line, join, price
from graph.routes import by_price, of_those, quantity_in, takes_offer
from graph.state import State
from graph.tools import run_tool
from graph.tools.cart import (
    OptionKey,
    add_to_cart,
    remove_from_cart,
    split_cart_line,
    update_cart_line,
    view_cart,
)
from graph.tools.cart import (
    clear_cart as clear_cart_tool,
)


def _specs(choices: Sequence[Choice]) -> list[ChoiceSpec]:
    return [
        ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
        for c in choices
    ]


def _lines(reading: Reading) -> list[LineSpec]:
    return _specs_of(reading.items)


_EACH_OF_US = re.compile(
    r"\b(?:each of us|every one of us|everyone|everybody|each person|one each)\b"
    r"|\beach(?: too| as well| please| pls)?[\s.!]*$"  # ("and fries each too")
    # "the twins each want a quesadilla", "all four of us want a medium minute maid"
    # "my roommates both want ...", "we both want ..."
    r"|\b(?:each|both|all) (?:wants?|gets?|needs?|would like|will have|'ll have|have)\b"
    rf"|\ball {count_pattern(10)} of us\b"
    r"|\beach of (?:my|our|the|her|his|their) (?:\d+|\w+) \w+s\b"  # "for each of my 3 kids"
    # "all veggie burgers" after "ordering for 4 coworkers": the dish for each of them
    r"|^(?:(?:and|ok|okay|so|then)[\s,]+)*all (?!of\b|the\b|with\b|without\b|in\b|on\b|for\b)"
    r"(?:\w+ ){0,3}?\w+s\b",
    re.I,
)
# "all three of us want ...": the party, each of them (not "burritos for everyone: ...")
_ALL_OF_US = re.compile(
    r"\b(?:all (?:\w+ )?of us|each of us|every one of us)\b"
    # "everyone gets fries and a coke", "the kids each get ...", "we all want ...": each of
    # them, as the one who wants it
    r"|\b(?:everyone|everybody)(?:['’]s| is)? (?:wants|gets|getting|needs|having)\b"
    r"|\b(?:each|all|both) (?:want|get|need)s?\b",
    re.I,
)
_BOTH_WANT = re.compile(
    r"(?<!\bwe )\bboth (?:wants?|gets?|needs?|would like|will have|'ll have|have)\b"
)
# "we both want ...", "we'll each have ...": the people of the conversation, one each
_WE_EACH = re.compile(r"\bwe(?:['’]?ll| will)? (?:both|each)\b", re.I)
# "everyone gets X except Jo who wants Y", "all of us want X but Sam, he wants Y"
_ALL_BUT = re.compile(
    r"\b(?:everyone|everybody|all of us|we all)\b[^.;]*?"
    r"\b(?:except(?: for)?|but|apart from|other than)\s+(?!not\b|no\b|with)",
    re.I,
)
# "everyone at the table wants a pepperoni, thats 4": how many they are, said at the end
_THATS_SO_MANY = re.compile(
    rf"[,.;-]\s*(?:so |and )?(?:that['’]?s|that is|makes?|so)\s+(?P<n>{count_pattern(20)})"
    r"(?: (?:of (?:us|them)|people|pizzas|total|in all))?[\s.!]*$",
    re.I,
)
# ... who is left out: the words up to the clause's end ("except sam and jo, theres 5 of us")
_LEFT_OUT = re.compile(r"[^,.;!?]*?(?=\s*(?:[,.;!?]|\b(?:who|he|she|they|wants?|gets?)\b|$))")
# "tuna for everyone except sam, 4 subs total": as many as they are, said as the dishes in all
_IN_ALL = re.compile(
    rf"\b(?P<n>{count_pattern(20)}) (?:[a-z]+ )?(?:total|in total|in all|altogether)\b", re.I
)
# "a 2 liter coke for everyone to share": one, shared
_TO_SHARE = re.compile(r"\b(?:to share|for sharing|to split)\b", re.I)


def _left_out(lexicon: Lexicon, reading: Reading, dialogue: Dialogue) -> int:
    """How many of everyone the message leaves out of their dish ("an espresso for everyone
    except sam": one; "except me and my wife": two): 0 unless each one said is a person (a
    name: no word of the menu nor of plain English)."""
    but = _ALL_BUT.search(reading.text)
    if but is None or (found := _LEFT_OUT.match(reading.text.lower(), but.end())) is None:
        return 0
    names = names_in(lexicon, reading.text, dialogue.people)
    said = [part.split()[-1] for part in found.group(0).split(" and ") if part.strip()]
    people = [
        word
        for word in said
        if word in ("me", "i")
        or word in names
        or is_person(word)
        or (word.isalpha() and word not in COMMON_WORDS and not lexicon.lookup([word], 0)[0])
    ]
    return len(people) if people and len(people) == len(said) else 0


def _spared_for(lexicon: Lexicon, reading: Reading, dialogue: Dialogue) -> tuple[str, ...]:
    """The people "everyone ... except" leaves out of an option for all ("everyone gets guac
    except me and jo"), each of them a person; none otherwise."""
    but = _ALL_BUT.search(reading.text)
    if but is None or (found := _LEFT_OUT.match(reading.text.lower(), but.end())) is None:
        return ()
    names = names_in(lexicon, reading.text, dialogue.people)
    return left_out(
        tokenize(found.group(0)),
        names,
        lambda w: w in lexicon.known or bool(lexicon.lookup([w], 0)[0]),
    )


def _for_each(text: str) -> bool:
    """Whether a message orders one of something for each of them (not one to share)."""
    return _EACH_OF_US.search(text) is not None and _TO_SHARE.search(text) is None


def _each_of_us(
    lexicon: Lexicon, reading: Reading, dialogue: Dialogue, cart: CartRead
) -> int | None:
    """How many "each of us" is: as the message says ("there are 4 of us"); for a group named
    now, as many as each of its dishes ("two ham subs for the kids" ... "kids want cookies, one
    each"); else the speaker and the people named in the conversation, or with nobody named,
    one a main dish ordered ("two chicken subs, 2 orange juices" ... "a cookie for each of
    us"), unless they said how many they are earlier. None when that is not known."""
    named = mentions(tokenize(reading.text), names_in(lexicon, reading.text, dialogue.people))
    subjects = {m.person for m in named if m.kind == "subject"}
    counted = dict(groups_counted(reading.text))
    if len(subjects) == 1 and len(counted) > 1 and (group := next(iter(subjects))) in counted:
        return counted[group]  # "two adults two kids. the kids each want ...": the kids
    said = party_size(reading.text) or group_size(reading.text)
    if said is None and (in_all := _IN_ALL.search(reading.text)) is not None:
        said = count_of(in_all.group("n").lower())
    if said is None and (so_many := _THATS_SO_MANY.search(reading.text)) is not None:
        said = count_of(so_many.group("n").lower())
    if said is not None:
        return said
    if _BOTH_WANT.search(reading.text):
        return 2  # "my roommates both want a cheeseburger"
    groups = {p for m in named if is_group(p := who(m.person, dialogue.people) or m.person)}
    if len(groups) == 1:
        group = groups.pop()
        # ("for me and my 2 kids" ... "the kids each want ..."): as many as they were said to be
        size = _group_size(dialogue, cart, group)
        others = {p for p in dialogue.people if not p.startswith("~")} - {"me", group}
        me_too = "me" in dialogue.people and not others
        if size is None and dialogue.party is not None and me_too and dialogue.party > 2:
            # "lunch for me and my two kids" ... "the kids each want a ham sub": all but me
            return dialogue.party - 1
        return size
    if dialogue.party is not None:
        return dialogue.party
    people = {p for p in dialogue.people if not p.startswith("~")} | {"me"}
    if len(people) == 1 and not named:
        return _mains_ordered(lexicon.menu, cart)
    if len(people) < 2 or any(is_group(p) for p in people):
        return None
    return len(people)


# "2 tacos each for ...", "..., 2 each", "..., one each please": so many for each person, the
# "each" ending its clause
_SO_MANY_EACH = re.compile(
    r"\beach(?=\s*(?:$|[,.;!]|for\b|too\b|as well\b|please\b|pls\b|thanks\b))", re.I
)


def _so_many_each(reading: Reading) -> int | None:
    """How many one dish is when so many of it are said for each of the people the message
    counts: "2 tacos each for me and my 2 brothers" is 6, "tacos for the 5 boys, 2 each" 10,
    "me and 2 coworkers want americanos, one each" 3 (the count before the people is theirs,
    not the dish's). None when the message says no "each" so or does not count the people."""
    if len(reading.items) != 1 or "each" not in reading.text.lower():
        return None
    found = _SO_MANY_EACH.search(reading.text)
    people = party_size(reading.text) or group_size(reading.text) if found else None
    if found is None or people is None:
        return None
    # the count nearest before "each" in its clause ("2 each", "2 steak tacos each", "a shake
    # each"), not past the people ("me and 2 coworkers want americanos each": one each)
    before = tokenize(reading.text[: found.start()])
    per = 1
    for word in reversed(before[-5:]):
        if word in (",", ".", ";", ":", "!") or is_person(word):
            break
        if (count := count_of(word) or (1 if word in ("a", "an") else None)) is not None:
            per = count
            break
    total = per * people
    return total if 1 < total <= 99 else None


# a group of people one each: "the twins each want", "for the kids, one each"
_ONE_EACH = [",", "one", "each"]


def _each_of_a_group(
    lexicon: Lexicon, reading: Reading, dialogue: Dialogue, everyone: int | None
) -> list[int | None]:
    """How many each line of a message is when it is one each for the group it names beside
    other people ("a diet coke for me, my wife wants a ginger ale and the twins each want a
    cherry coke"; "I'll have a latte, the kids each get a hot chocolate"): as many as the group
    is for the group's lines with no count of their own, None for the others. Empty when the
    message is for the group alone (all its lines are) or the group's number is not known."""
    if len(reading.items) != len(_lines(reading)):
        return []
    tokens = tokenize(reading.text)
    names = names_in(lexicon, reading.text, dialogue.people)
    said = mentions(tokens, names)
    groups = {m.person for m in said if is_group(m.person)}
    if len(groups) != 1 or len({m.person for m in said}) < 2:
        return []
    group = groups.pop()
    # ("for each of the kids" reads as "for the kids, one each")
    marked = any(
        m.person == group
        and (tokens[m.end : m.end + 1] == ["each"] or tokens[m.end : m.end + 3] == _ONE_EACH)
        for m in said
    )
    said_now = dict(groups_counted(reading.text))
    count = said_now.get(group) or dialogue.group_count(group) or everyone
    if not marked or count is None:
        return []
    whose = owners(tokens, line_positions(lexicon, tokens, reading.items), names)
    return [
        count if person == group and not line.quantity_said and line.quantity == 1 else None
        for person, line in zip(whose, reading.items, strict=True)
    ]


def _for_counted_groups(lexicon: Lexicon, reading: Reading, dialogue: Dialogue) -> list[int | None]:
    """How many each line of a message is when it is for a group whose number is known (said
    now or before: "two adults two kids" ... "adults get cheeseburgers, kids get hamburgers";
    "2 adults 2 kids. adults: steak burritos"): as many as the group for a dish said bare or in
    the plural, so many for each of them when "each" follows ("kids: one chicken taco each",
    "my 2 kids want chips and a quesadilla each"); None for the others ("a hamburger for the
    kids" stays one). Empty when no line is."""
    if _TO_SHARE.search(reading.text) is not None:
        return []
    names = names_in(lexicon, reading.text, dialogue.people)
    tokens = as_listed(lexicon, tokenize(reading.text), names)
    said = mentions(tokens, names)
    if not any(is_group(m.person) for m in said):
        return []
    now = dict(groups_counted(reading.text))
    positions = line_positions(lexicon, tokens, reading.items)
    whose = owners(tokens, positions, names)
    out: list[int | None] = []
    for k, (person, line) in enumerate(zip(whose, reading.items, strict=True)):
        at = positions[k]
        if person is None:
            # "kids hot chocolates, small": theirs, said right before the dish
            first = _dish_start(lexicon, tokens, at)[0]
            person = next((m.person for m in said if m.end == first and is_group(m.person)), None)
        count = (now.get(person) or dialogue.group_count(person)) if person else None
        if count is None or not is_group(person or ""):
            out.append(None)
            continue
        # the group's clause: from their words to the next people named, or the end
        start = max((m.end for m in said if m.person == person and m.end <= at), default=0)
        end = min((m.start for m in said if m.start > at), default=len(tokens))
        clause = tokens[start:end]
        if "each" in clause:
            # "2 each": so many for each of them; "my 2 kids want chips ... each": the count
            # said is theirs, not the dish's
            said_each = clause.index("each")
            per = count_of(clause[said_each - 1]) if said_each else None
            first = _dish_start(lexicon, tokens, positions[k])[0]
            per = per or (count_of(tokens[first - 1]) if first else None)
            out.append(count * (per or 1))
        elif (
            line.quantity == 1
            and _said_bare(lexicon, tokens, at)
            # ("lunch for 3 coworkers: steak and cheese, turkey, veggie": dishes listed for
            # them are handed out, one each)
            and sum(start <= p < end for p in positions) == 1
        ):
            out.append(count)
        else:
            out.append(None)
    return out if any(out) else []


def _said_bare(lexicon: Lexicon, tokens: Sequence[str], at: int) -> bool:
    """Whether a dish at `at` is said with no article or count before it and its options
    ("cheeseburgers", "chicken and bacon ranch"), in the plural or not sized ("large pizza"
    is one whole dish)."""
    start, sized = _dish_start(lexicon, tokens, at)
    if start > 0 and (tokens[start - 1] in _ONE_WORDS or count_of(tokens[start - 1])):
        return False
    length, own = lexicon.lookup(tokens, at)
    word = tokens[at + length - 1] if length else ""
    sized = sized or (own is not None and any("size" in o.group for o in own.options))
    return bool(word) and (singular(word) != word or not sized)


def _dish_start(lexicon: Lexicon, tokens: Sequence[str], at: int) -> tuple[int, bool]:
    """Where a dish at `at` starts with the options said before it ("large thin crust
    pepperoni"), and whether one of those is a size."""
    start, sized = at, False
    while start > 0:
        found = next(
            (
                (j, entry)
                for j in range(start - 1, max(-1, start - 4), -1)
                if (said := lexicon.lookup(tokens, j))[1] is not None
                and j + said[0] == start
                and (entry := said[1]) is not None
                and entry.options
                and not entry.items
            ),
            None,
        )
        if found is None:
            break
        start = found[0]
        sized = sized or any("size" in o.group for o in found[1].options)
    return start, sized


def _bare_for_several(lexicon: Lexicon, reading: Reading, dialogue: Dialogue) -> int | None:
    """How many a dish said bare, with no count or article, is for the people it is for, named
    one by one ("steak and cheese for me and my boyfriend": one each), or None ("a steak and
    cheese for me and my boyfriend" may be one to share)."""
    tokens = tokenize(reading.text)
    at = line_positions(lexicon, tokens, reading.items)[0]
    if _TO_SHARE.search(reading.text) is not None:
        return None  # ("a large pizza ... for me and my dad to share": the one)
    # the dish's own options said before it ("a large pizza", "Large deep dish w/ ..."): the
    # article or count is before them, and a dish said by its size is one whole dish
    own = lexicon.lookup(tokens, at)[1]  # (an inferred dish is where its first option is said)
    start, sized = _dish_start(lexicon, tokens, at)
    sized = sized or (
        own is not None and not own.items and any("size" in o.group for o in own.options)
    )
    if start > 0 and tokens[start - 1] in _ONE_WORDS:
        return None
    if sized:
        return None
    names = names_in(lexicon, reading.text, dialogue.people)
    said = [m for m in mentions(tokens, names) if m.kind == "for" and m.start > at]
    people = {m.person for m in said}
    if len(said) < 2 or len(people) != len(said) or any(is_group(p) for p in people):
        return None
    return len(said)


_ONE_WORDS = frozenset({"a", "an", "one", "1", "the", "that", "this", "some", "my", "our"})


# "a tea for each of them", "a cookie for both of them": one for each person named, not the speaker
_EACH_OF_THEM = re.compile(r"\bfor (?:each|both|every one|all) of them\b", re.I)


def _each_of_them(dialogue: Dialogue, cart: CartRead) -> int | None:
    """How many "each of them" is: the people of the conversation but the speaker ("a salad
    for my mom and a quesadilla for my dad" ... "and a tea for each of them"), or a group's
    number when they are one group; None when that is not known."""
    people = {p for p in dialogue.people if not p.startswith("~") and p != "me"}
    if len(people) == 1 and is_group(group := next(iter(people))):
        return _group_size(dialogue, cart, group)
    if not people and len(dialogue.groups) == 1:
        return dialogue.groups[0][1]  # "three kids here, ..." ... "a shake for each of them"
    if len(people) < 2 or any(is_group(p) for p in people):
        return None
    return len(people)


# "fries with each burger", "a drink for every sandwich", "a cookie per sub": one each of lines
_WITH_EACH = re.compile(
    r"\b(?:(?:with|for|to go with) (?:each|every)|per)"
    r"(?: (?:single|one))?(?: of (?:the|those|these|my|our|them))? [a-z]",
    re.I,
)


def _per_dish(
    lexicon: Lexicon, reading: Reading, lines: list[LineSpec], cart: CartRead, dialogue: Dialogue
) -> tuple[list[LineSpec], int] | None:
    """The one dish ordered "with each" dish of the cart, and how many units those lines hold
    ("3 chicken sandwiches" ... "small fries with each sandwich": 3); None unless one dish is
    ordered, with no count of its own, and the lines named are in the cart."""
    ref = reading.ref
    if ref is None or not ref.every or not ref.named:
        return None
    meant = named(lexicon, cart.lines, ref)
    if not meant:
        return None
    # ("a coke with each burger": the burger is the lines meant, no new one)
    new = [
        (spec, said)
        for spec, said in zip(lines, reading.items, strict=True)
        if said.item not in ref.items or said.quantity_said or said.choices
    ]
    count = sum(line.quantity for line in meant)
    if not new and AND_WITH_EACH.match(reading.text):
        # "small fries with each sandwich" ... "and with each cheeseburger too": the dish just
        # added, again
        last = [line for line in cart.lines if line.id in dialogue.last and line not in meant]
        if len(last) != 1:
            return None
        choices = tuple(
            ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
            for c in last[0].choices
            if not c.default
        )
        return [LineSpec(item=last[0].item, choices=choices)], count
    if len(new) != 1 or (new[0][1].quantity_said and new[0][1].quantity != 1):
        return None
    return [new[0][0]], count


def _as_many_as_last(dialogue: Dialogue, cart: CartRead) -> int | None:
    """How many "as many" is ("4 cheeseburgers" ... "and just as many cokes"): the count of the
    lines the latest turn touched, when they hold one count; None when not."""
    counts = {line.quantity for line in cart.lines if line.id in dialogue.last}
    return counts.pop() if len(counts) == 1 else None


def _group_size(dialogue: Dialogue, cart: CartRead, group: str) -> int | None:
    """How many a group is: as many as they were said to be ("for me and my 2 kids"), else,
    when every dish ordered for it alone came in the same number, that number."""
    said = dialogue.group_count(group)
    if said:
        return said
    theirs = {i for i, p in dialogue.owners if p == group and dialogue.sharers(i) == 1}
    counts = {line.quantity for line in cart.lines if line.id in theirs}
    return counts.pop() if len(counts) == 1 and 1 < min(counts) <= 99 else None


def _mains_ordered(menu: Menu, cart: CartRead) -> int | None:
    """How many main dishes the cart holds, when that is two or more, another course has as
    many and none has more: one for each of the party, as a waiter would count them ("two
    large pizzas" alone may be for four)."""
    courses: dict[int, int] = {}
    for line in cart.lines:
        category = next((c for c in menu.categories if menu.item(line.item) in c.items), None)
        rank = search.course(category) if category is not None else 0
        courses[rank] = courses.get(rank, 0) + line.quantity
    mains = courses.get(0, 0)
    alike = sum(1 for total in courses.values() if total == mains)
    return mains if 1 < mains <= 99 and alike > 1 and max(courses.values()) == mains else None


def suggestions(lexicon: Lexicon, menu: Menu, word: str, skip: str | None = None) -> list[Item]:
    """Up to three available items whose names are closest to a word the menu did not know."""
    found: list[Item] = []
    for key in lexicon.suggest(word, limit=4):
        item = menu.item(key)
        if item is not None and item.available and key != skip and item not in found:
            found.append(item)
    return found[:3]


def _dish_like(lexicon: Lexicon, word: str, text: str) -> bool:
    """Whether an unknown word stands where a dish would ("a pepperoni calzone", "two
    lasagnas"): right after a count, an article or a menu word."""
    tokens = tokenize(text)
    first = word.split()[0]
    if first not in tokens:
        return False
    at = tokens.index(first)
    before = tokens[at - 1] if at else ""
    return (
        before in _COUNTING
        or before.isdigit()
        or bool(lexicon.lookup(tokens, at - 1)[0] if at else 0)
    )


_COUNTING = frozenset({"a", "an", "one", "two", "three", "four", "some", "another", "more"})


def _near(word: str, item: Item) -> bool:
    """Whether a word is a near miss of an item's name (a typo, not another word)."""
    names = (item.label.lower(), *(a.lower() for a in item.aliases))
    return max(fuzz.ratio(word.lower(), name) for name in names) >= 80


def did_you_mean(word: str, items: Sequence[Item], reply: Reply) -> str:
    """ "I couldn't find "calzone" on the menu. Did you mean ...?" """
    names = join((i.label for i in items), "or")
    if not items:
        return f'I couldn\'t find "{word}" on the menu. Want me to show you the menu?'
    return reply.pick(
        f"dym:{word}",
        (
            f'I couldn\'t find "{word}" on the menu. Did you mean {names}?',
            f'Sorry, we don\'t have "{word}". Did you mean {names}?',
        ),
    )


def _quantity_limit(said: str) -> str:
    return (
        f'I can\'t order "{said}" of something: quantities are whole numbers from 1 to '
        f"{MAX_QUANTITY}. How many would you like?"
    )


def _added_text(lines: Sequence[CartLineRead], currency: str, reply: Reply) -> str:
    total = money(sum((line.line_total for line in lines), Decimal("0")))
    what = join(describe_line(line) for line in lines)
    return reply.pick("added", ADDED).format(what=what, total=price(total, currency))


def _cart(change: CartChange | CartRead) -> CartRead:
    return change.cart if isinstance(change, CartChange) else change


async def add_items(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Put what was ordered into the cart (or the dish just asked about, on a "yes"). Options
    said with no item and no count ("add whipped cream", "and the coffee small") go on the line
    already ordered that takes them; a generic item is never made up for them."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    dialogue = state.dialogue
    if reading.bad_quantity is not None:
        reply.line(_quantity_limit(reading.bad_quantity))
        return reply.update()
    lines = _lines(reading)
    lexicon = await lexicon_of(ctx)
    everyone = None
    if _for_each(reading.text):
        everyone = _each_of_us(lexicon, reading, dialogue, await ctx.cart.get(ctx.session_id))
    # ("a bag of lays for each of us": one each, however the one is said)
    one_said = len(lines) == 1 and (
        not reading.items[0].quantity_said or reading.items[0].quantity == 1
    )
    if everyone is None and one_said and _EACH_OF_THEM.search(reading.text) is not None:
        everyone = _each_of_them(dialogue, await ctx.cart.get(ctx.session_id))
    if everyone is None and one_said and AS_MANY.search(reading.text) is not None:
        everyone = _as_many_as_last(dialogue, await ctx.cart.get(ctx.session_id))
    if everyone is None and _WITH_EACH.search(reading.text) is not None:
        # "small fries with each sandwich": as many as the cart holds of that dish
        per = _per_dish(lexicon, reading, lines, await ctx.cart.get(ctx.session_id), dialogue)
        if per is not None:
            lines, everyone = per
            one_said = True
            counted = set(reading.ref.words) if reading.ref is not None else set()
            reading = replace(
                reading, unknown=tuple(w for w in reading.unknown if w not in counted)
            )
    if everyone is None and one_said and not reading.items[0].quantity_said:
        everyone = _bare_for_several(lexicon, reading, dialogue)
    theirs = _each_of_a_group(lexicon, reading, dialogue, everyone) if len(lines) > 1 else []
    so_many = _so_many_each(reading)
    if so_many is not None:
        # "2 tacos each for me and my 2 brothers": so many for each of the people counted
        lines = [lines[0].model_copy(update={"quantity": so_many})]
    elif any(theirs):
        # "diet coke for me and the twins each want a cherry coke": the group's dish, one each
        lines = [
            spec if count is None else spec.model_copy(update={"quantity": count})
            for spec, count in zip(lines, theirs, strict=True)
        ]
    elif everyone is not None and one_said:
        # "and a can of coke for each of us": one for everyone of the conversation ("an
        # espresso for everyone except sam": for all but sam)
        left_out = _left_out(lexicon, reading, dialogue)
        quantity = everyone - left_out if everyone > left_out else everyone
        lines = [lines[0].model_copy(update={"quantity": quantity})]
    elif (
        everyone is not None
        and len(lines) > 1
        and _ALL_OF_US.search(reading.text) is not None
        and _ALL_BUT.search(reading.text) is None
        and len({line.item for line in reading.items}) == len(reading.items) == len(lines)
    ):
        # "all three of us want cheeseburgers and medium fries": one of each dish for each
        # (not "two cokes, one for each of us": those two)
        lines = [
            spec.model_copy(update={"quantity": everyone})
            if said.quantity == 1 and not said.quantity_said
            else spec
            for spec, said in zip(lines, reading.items, strict=True)
        ]
    elif (
        everyone is not None
        and len(lines) > 1
        and _ALL_BUT.search(reading.text) is not None
        and not reading.items[0].quantity_said
        and everyone > sum(line.quantity for line in lines[1:])
    ):
        # "everyone gets a latte except Jo who wants a tea": the others get the first dish
        rest = sum(line.quantity for line in lines[1:])
        lines = [lines[0].model_copy(update={"quantity": everyone - rest}), *lines[1:]]
    # ... with nobody named: one for now, and how many they are asked
    head_count = one_said and everyone is None and _for_each(reading.text)
    offer = dialogue.offer
    if (
        dialogue.last_edit == "remove"
        and _AND_THE.match(reading.text)
        and reading.items
        and not any(line.choices or line.quantity_said for line in reading.items)
    ):
        # "remove one orange juice" ... "and the lays": taken off as well
        gone = Edit(op="remove", ref=Ref(items=tuple(line.item for line in reading.items)))
        done = await _edited(state, runtime, reply, gone, ask=False)
        if done is not None:
            return reply.update(**{**done, "intent": Intent.REMOVE_ITEMS})
    topping = _bare_topping(await ctx.menu.get_menu(), reading) if offer is None else ()
    if topping:
        # "oh and guac!" after a bowl: the topping on it, not a side of guacamole; "everyone
        # wants guac" after bowls of several kinds: on every one of them
        every = Ref(every=True, plural=True) if _ALL_OF_US.search(reading.text) else None
        if every is not None and (spared_for := _spared_for(lexicon, reading, dialogue)):
            # "everyone gets guac except me": a unit each of those left out, theirs
            every = replace(every, spared=len(spared_for), spared_for=spared_for)
        edit = Edit(op="change", ref=every, choices=topping)
        cart = await ctx.cart.get(ctx.session_id)
        plan = plan_edit(edit, cart, dialogue, await lexicon_of(ctx))
        if plan.steps:
            update = await _carry_out(state, runtime, reply, plan, edit, cart, dialogue)
            return reply.update(intent=Intent.CHANGE_ITEM, **update)
    named = {line.item for line in reading.items if not line.inferred}
    if (
        offer is not None
        and offer.item not in named
        and not _fits_no_offer(await ctx.menu.get_menu(), offer.item, reading)
    ) and (
        state.intent is Intent.AFFIRM
        or (not lines and quantity_in(reading) is not None)
        or any(line.inferred for line in reading.items)
        or (
            state.asked == "suggestion"
            # ("two large pizzas, one plain and one with pepperoni" after "did you mean
            # coffee?": the options are the pizzas', no answer to that)
            and (bool(_loose(reading)) or takes_offer(reading.text))
        )
        # "the cheaper one then, and a lemonade": of the dishes asked about, beside another
        or (len(dialogue.asked_about) > 1 and by_price(reading.text) is not None)
    ):
        menu = await ctx.menu.get_menu()
        lines = _taken_offers(menu, dialogue, reading)
        reading = replace(reading, unknown=())
        if len(lines) == 1 and lines[0].quantity == 1 and _for_each(reading.text):
            # "ok one of those for each of us"
            if everyone is not None:
                lines = [lines[0].model_copy(update={"quantity": everyone})]
            head_count = everyone is None
    elif (
        lines
        and len(reading.items) == 1
        and reading.items[0].choices
        and (for_line := _FOR_LINE.match(reading.text)) is not None
        and dialogue.mentioned
        and {singular(w) for w in for_line.group(1).lower().split()}
        & item_words(await lexicon_of(ctx), reading.items[0].item)
    ):
        # "and for the espresso, put one extra shot": options for the line that dish is ("for
        # my son, a burger" orders one)
        said = reading.items[0]
        change = Edit(op="change", ref=Ref(items=(said.item,)), choices=said.choices)
        done = await _edited(state, runtime, reply, change)
        if done is not None:
            return done
    elif (
        lines
        and (
            (said_of_line := _said_of_a_line(reading))
            or (dialogue.mentioned and _restates(shared := _options_shared(reading)))
        )
        and not _for_another(lexicon, reading, dialogue, await ctx.cart.get(ctx.session_id))
    ):
        # "and the coffee small", "the one with ham large", "cokes in cans": a line said again
        # with options; "two large pepperoni pizzas" beside a small one stays an order
        cart = await ctx.cart.get(ctx.session_id)
        restated = _restated(lexicon, reading, cart) or _restated_apart(reading, cart, dialogue)
        each = _restated_each(lexicon, reading, cart) if restated is None else []
        if restated is None and not each and not said_of_line and shared is not reading:
            # "fries and cokes large", "turkey and ham ones with swiss": each of those lines
            each = _restated_each(lexicon, shared, cart)
        # "fries large, coke large": each line said again, each with its options
        done = await _each_edited(state, runtime, reply, each) if each else None
        if done is not None:
            return done
        if restated is None and said_of_line and _sized_anew(lexicon, reading, dialogue, cart):
            said_of_line = False  # "lg sausage" after "lg pepperoni": another pizza
        choices = tuple(c for line in reading.items for c in line.choices)
        # ("my husband will have the double cheeseburger": a dish named with nothing to change
        # on a line is ordered)
        # for someone the message names ("the raspberry one" after a cookie stays that line)
        named_bare = (
            any(not line.inferred for line in reading.items)
            and not choices
            and bool(
                mentions(tokenize(reading.text), names_in(lexicon, reading.text, dialogue.people))
            )
        )
        if restated is None and said_of_line and not named_bare:
            restated = Edit(op="change", ref=reading.ref, choices=choices)
        if restated is not None and restated.owner is None:
            # "the ham for my daughter with just american cheese": her line from now on; "his
            # burger no tomato": his (his unit of the burgers for him and me)
            whose = owner_said(
                tokenize(reading.text), names_in(lexicon, reading.text, dialogue.people)
            )[0]
            restated = replace(restated, owner=_copied_for(lexicon, state, dialogue) or whose)
        if restated is not None and not restated.instead and adds_on(reading.text):
            restated = replace(restated, adding=True)  # "add steak too": beside the chicken
        if restated is not None:
            done = await _edited(state, runtime, reply, restated, cart)
            if done is not None:
                return done
    elif _same_count_too(reading, dialogue):
        # "make that 5 pizzas" then "and 5 cokes too": the coke line set the same way
        said = reading.items[0]
        change = Edit(op="change", ref=Ref(items=(said.item,)), quantity=said.quantity)
        done = await _edited(state, runtime, reply, change, ask=False)
        if done is not None:
            return done
    if reading.paired:
        # "and chips and queso": the side the menu's sources pair them into, and the chips too
        lines += [LineSpec(item=key) for key in reading.paired]
    same = _SAME_GROUP.search(reading.text)
    if same is not None and lines and dialogue.last:
        # "and a hot cocoa, same size": that choice of the line talked about last
        cart = await ctx.cart.get(ctx.session_id)
        before = [line for line in cart.lines if line.id in dialogue.last]
        if before:
            menu = await ctx.menu.get_menu()
            lines = [_same_choice(menu, spec, before[-1], same.group(1)) for spec in lines]
    if lines and state.asked == "anything_else" and _asked_can_i(lexicon, state):
        await _said_again_after_asking(state, runtime, lines)
    update = await _add(state, runtime, reply, reading, lines, head_count=head_count)
    return reply.update(**update)


# "can I add jalapenos to it", "can i get half chicken half steak?": asked rather than ordered
# "can I add jalapenos to it", "can you make a latte iced", "can I get honey in a latte instead
# of sugar": whether a dish may be had some way
_CAN_IT_BE = re.compile(
    r"^(?:(?:ok|okay|so|and|hmm+|um+|hey|oh)[\s,]+)*(?:can|could) (?:i|we|you|u) "
    r"(?:add|put|get|have|do|make)\b",
    re.I,
)


def _asked_can_i(lexicon: Lexicon, state: State) -> bool:
    """Whether the message before this one asked whether the customer could have some options
    (on the dish talked about, which it names not; or on a dish it names with them)."""
    said = [m for m in state.messages if isinstance(m, HumanMessage)]
    if len(said) < 2:
        return False
    before = str(said[-2].content).strip().lower()
    lines = read(lexicon, before, conversation=True).items
    if _CAN_IT_BE.match(before) is None:
        return False
    if all(line.inferred for line in lines):
        return True
    return (
        len(lines) == 1
        and not lines[0].inferred
        and not lines[0].quantity_said
        and bool(lines[0].choices)
    )


async def _said_again_after_asking(
    state: State, runtime: Runtime[Context], lines: list[LineSpec]
) -> None:
    """ "can I add jalapenos to it" about a chicken sandwich (one went in) ... "ok do that, one
    chicken sandwich with jalapenos" (or "two ... with jalapenos"): the order says that line
    again, with all it has and maybe more; it takes its place rather than come beside it."""
    ctx = runtime.context
    cart = await ctx.cart.get(ctx.session_id)
    last = [line for line in cart.lines if line.id in state.dialogue.last]
    if len(last) != 1 or last[0].quantity != 1:
        return
    had = {(c.group, c.option, c.exclude) for c in last[0].choices if not c.default}
    for spec in lines:
        said = {(c.group, c.option, c.exclude) for c in spec.choices}
        if spec.item == last[0].item and had <= said:
            await run_tool(remove_from_cart, runtime, state, line_id=last[0].id)
            return


async def _each_edited(
    state: State, runtime: Runtime[Context], reply: Reply, edits: Sequence[Edit]
) -> dict[str, Any] | None:
    """Each line said again, edited in turn without asking; None when one of them is not."""
    done = None
    for edit in edits:
        done = await _edited(state, runtime, reply, edit, ask=False)
        if done is None:
            return None
        state = replace(state, dialogue=done["dialogue"])
    return done


async def _edited(
    state: State,
    runtime: Runtime[Context],
    reply: Reply,
    change: Edit,
    cart: CartRead | None = None,
    *,
    ask: bool = True,
) -> dict[str, Any] | None:
    """An order that turns out to edit a line ("and the coffee small"), carried out, or a
    question when it fits two (unless not `ask`); None when no line fits it."""
    ctx = runtime.context
    cart = cart or await ctx.cart.get(ctx.session_id)
    plan = plan_edit(change, cart, state.dialogue, await lexicon_of(ctx))
    if plan.ask is not None and ask:
        return reply.update(
            **_ask(reply, change, plan.ask.candidates, cart, dialogue=state.dialogue)
        )
    if plan.ask is not None or plan.missing is not None:
        return None
    update = await _carry_out(state, runtime, reply, plan, change, cart, state.dialogue)
    return reply.update(intent=Intent.CHANGE_ITEM, **update)


_EXTREME = re.compile(r"\b(?:biggest|largest|(smallest|tiniest))\b(?! (?:of|one of)\b)", re.I)


def _extreme_size(menu: Menu, spec: LineSpec, at: int) -> LineSpec:
    """The line in its biggest (`at` -1) or smallest (0) size, unless a size was said."""
    item = menu.item(spec.item)
    group = menu.size_group(item) if item is not None else None
    if group is None or not group.options or any(c.group == group.key for c in spec.choices):
        return spec
    size = ChoiceSpec(group=group.key, option=group.options[at].key)
    return spec.model_copy(update={"choices": (*spec.choices, size)})


_TOO = re.compile(r"\b(?:too|as well|also)\b", re.I)


def _same_count_too(reading: Reading, dialogue: Dialogue) -> bool:
    """Whether an order of a counted dish follows a change of how many ("make that 5
    pizzas") with "too": the same change for that dish's line ("and 5 cokes too then")."""
    last = dialogue.last_change
    return (
        dialogue.last_edit == "change"
        and last is not None
        and last.quantity is not None
        and not (last.choices or last.drop or last.parts)
        and len(reading.items) == 1
        and reading.items[0].quantity_said
        and not reading.items[0].choices
        and not reading.items[0].inferred
        and _TOO.search(reading.text) is not None
    )


_SAME_GROUP = re.compile(r"\b(?:same|matching) (\w+)\b", re.I)


def _choice_specs(choices: Sequence[ChoiceRead]) -> list[ChoiceSpec]:
    return [
        ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
        for c in choices
    ]


def _words(text: str) -> set[str]:
    return {singular(w) for w in re.findall(r"[a-z]+", text.lower())}


def _same_choice(menu: Menu, spec: LineSpec, before: CartLineRead, word: str) -> LineSpec:
    """A new line with the choice a line before has in the group a word names ("size")."""
    word = singular(word.lower())
    said = {c.group for c in spec.choices}
    copied = [
        c for c in before.choices if not c.exclude and word in _words(f"{c.group} {c.group_label}")
    ]
    choices = list(spec.choices)
    item = menu.item(spec.item)
    for choice in _choice_specs(copied):
        fit = fitted(menu, item, choice) if item is not None else None
        if fit is not None and fit.group not in said:
            choices.append(fit)
    return spec.model_copy(update={"choices": tuple(choices)})


# "cokes in cans", "rings lg w chipotle mayo", "1 burger w/o onion" after three were ordered: a dish
# already in the cart said again with options and no word of ordering more
_MORE = re.compile(
    # ("my sister wants her own small pizza": a dish of hers, ordered)
    r"\b(?:another|more|also|plus|too|add|as well|and a|and an|extra \w+ \w+s|"
    r"(?:his|her|their|my) own)\b|^(?:a|an|and)\b",
    re.I,
)


def _for_whom(
    lexicon: Lexicon,
    reading: Reading,
    specs: Sequence[LineSpec],
    added: Sequence[CartLineRead],
    dialogue: Dialogue,
) -> Dialogue:
    """Who each line just ordered is for ("two cheeseburgers for the kids, a bacon burger for
    my husband"), kept for "no onions on his" later."""
    names = names_in(lexicon, reading.text, dialogue.people)
    tokens = as_listed(lexicon, tokenize(reading.text), names)  # "mine is steak, his chicken"
    said = mentions(tokens, names)
    others = [p for p in dialogue.people if p != "me" and not p.startswith("~")]
    everyone = ["me", *others]
    if (
        not said
        and added
        and (_WE_EACH.search(reading.text) or _ALL_OF_US.search(reading.text))
        and others
        and not any(map(is_group, others))
        and all(len(everyone) == each.quantity for each in added)
    ):
        # "we both want a medium seven up" after my husband's burger and mine, "fries and a
        # shake for each of us": one each
        for each in added:
            dialogue = dialogue.shared(each.id, everyone)
        return dialogue
    if not said:
        return dialogue
    for mention in said:
        dialogue = dialogue.owned((), who(mention.person, dialogue.people, new=True))
    if len(specs) != len(reading.items) or any(
        spec.item != line.item and not line.inferred
        for spec, line in zip(specs, reading.items, strict=True)
    ):
        # not the lines of this message (a dish offered before; but "ok one with steak for my
        # son" after its price is that dish, for him)
        return dialogue
    positions = line_positions(lexicon, tokens, reading.items)
    people = owners(tokens, positions, names)
    several = listed_for(tokens, positions, names) if len(added) > 1 else [[]] * len(specs)
    free = list(added)
    for spec, whose, theirs in zip(specs, people, several, strict=True):
        person = who(whose, dialogue.people)
        line = next((x for x in free if x.item == spec.item), None)
        if line is None:
            continue
        free.remove(line)
        sharing = [s for t in theirs if (s := who(t, dialogue.people))]
        if 1 < len(sharing) == len(theirs) <= line.quantity and not any(map(is_group, sharing)):
            # "2 hot chocolates for the kids and 2 lattes for me and my husband", "two steak
            # bowls for Jo and Kai, and a quesadilla for me": one each
            dialogue = dialogue.shared(line.id, sharing)
            continue
        dialogue = dialogue.owned([line.id], person)
    named = list(dict.fromkeys(p for m in said if (p := who(m.person, dialogue.people))))
    if "me" not in named and any(
        m.kind == "subject" and tuple(tokens[max(0, m.start - 2) : m.start]) in _ME_AND
        for m in said
    ):
        named.insert(0, "me")  # "me n my bro want 2 hamburgers": one each
    named = [
        p
        for k, p in enumerate(named)
        # "for me and 2 coworkers, Ben and Nina": the coworkers are Ben and Nina
        if not (is_group(p) and len([q for q in named[k + 1 : k + 3] if not is_group(q)]) == 2)
    ]
    groups = sum(1 for p in named if is_group(p))
    if (
        len(added) == 1
        and 1 < len(named) <= added[0].quantity - groups
        and (not groups or (groups == 1 and named[0] == "me"))
    ):
        # "two italians for me and my wife": one each, told apart when one of them changes;
        # "for me and 2 coworkers: 3 chicken bowls": mine, and theirs; "three hot chocolates
        # for me and my two kids": the kids have the rest
        dialogue = dialogue.shared(added[0].id, named)
    elif (
        len(added) > 1
        and _ALL_OF_US.search(reading.text) is not None
        and len({line.quantity for line in added}) == 1
        and 1 < len(named) <= added[0].quantity - groups
        and (not groups or (groups == 1 and named[0] == "me"))
    ):
        # "for me and 2 friends. all three of us want cheeseburgers and fries": one of each
        # for each of them
        for line in added:
            dialogue = dialogue.shared(line.id, named)
    return dialogue


def _copied_for(lexicon: Lexicon, state: State, dialogue: Dialogue) -> str | None:
    """Who a copy is for ("same again for my wife", "same for Sam"), as the message says."""
    assert state.reading is not None
    text = state.reading.text
    names = names_in(lexicon, text, dialogue.people)
    said = [m for m in mentions(tokenize(text), names) if m.kind == "for"]
    return who(said[0].person, dialogue.people) if said else None


def _handed_out(
    lexicon: Lexicon, reading: Reading, dialogue: Dialogue, cart: CartRead, reply: Reply
) -> dict[str, Any] | None:
    """ "One for me, one for my wife and one for my daughter" after three cheeseburgers: who
    each is for, kept for "my wife wants bacon on hers"; the cart stays as it is."""
    people = handed_out(tokenize(reading.text), names_in(lexicon, reading.text, dialogue.people))
    line = cart.line(dialogue.last[0]) if len(dialogue.last) == 1 else None
    if not people or line is None or line.quantity < len(people):
        return None
    for person in people:
        dialogue = dialogue.owned((), who(person, dialogue.people))
    named = [who(person, dialogue.people) or person for person in people]
    reply.line(f"Got it: {join(f'one for {_yours(person)}' for person in named)}.")
    reply.line(reply.pick("else", ANYTHING_ELSE))
    return reply.update(dialogue=dialogue.shared(line.id, named), awaiting="anything_else")


def _for_another(lexicon: Lexicon, reading: Reading, dialogue: Dialogue, cart: CartRead) -> bool:
    """ "chicken burrito for me with white rice and cheese" after a tofu burrito for my sister,
    "dad: barbacoa burrito, light sour cream" after a bowl for mom: a dish said for someone
    whose line of it (or of its kind) is not: theirs, ordered (not hers, changed)."""
    if " for " not in f" {reading.text.lower()} " and ":" not in reading.text:
        return False
    names = names_in(lexicon, reading.text, dialogue.people)
    tokens = tokenize(reading.text)
    said = [
        m
        for m in mentions(tokens, names)
        if m.kind == "for" or (m.kind == "subject" and tokens[m.end : m.end + 1] == [":"])
    ]
    if len(said) != 1:
        return False
    person = who(said[0].person, dialogue.people, new=True) or said[0].person
    items = {line.item for line in reading.items}
    ids = {line.id for line in cart.lines if line.item in items} or {
        line.id for item in items for line in named(lexicon, cart.lines, Ref(items=(item,)))
    }
    whose = {p for i, p in dialogue.owners if i in ids}
    return bool(ids) and bool(whose) and person not in whose and len(whose) == len(ids)


_ME_AND = frozenset({("me", "and"), ("me", "n"), ("me", "&"), ("i", "and")})


def _whose_said(
    lexicon: Lexicon, reading: Reading, dialogue: Dialogue, cart: CartRead, reply: Reply
) -> dict[str, Any] | None:
    """ "the hawaiian is mine", "the latte is for my mom": whose the one line named is, kept
    for "she wants mushrooms on hers" (it is not hers); the cart stays as it is."""
    edit = reading.edit
    if (
        edit is None
        or edit.op != "change"
        or edit.changes
        or edit.owner is None
        or edit.ref is None
        or edit.ref.count
        or edit.ref.ordinal is not None
        or edit.ref.other
        or edit.ref.every
    ):
        return None
    person = who(edit.owner, dialogue.people, new=True) or (
        None if edit.owner.startswith("~") else edit.owner
    )
    if edit.ref.named:
        lines = named(lexicon, cart.lines, edit.ref)
    else:  # "that one's mine": the line talked about last
        lines = [line for line in cart.lines if line.id in dialogue.last]
    if person is None or len(lines) != 1 or lines[0].quantity > 1:
        return None
    line = lines[0]
    if edit.ref.items and line.item not in edit.ref.items:
        # "Emma wants the veggie burger" beside a cheeseburger: another burger, not that one
        said = {singular(w) for w in edit.ref.words}
        if not said <= item_words(lexicon, line.item):
            return None
    reply.line(f"Got it, {describe_line(line)} is for {_yours(person)}.")
    reply.line(reply.pick("else", ANYTHING_ELSE))
    return reply.update(dialogue=dialogue.owned([line.id], person), awaiting="anything_else")


def _yours(person: str) -> str:
    """ "you", "your wife", "Rita" (a name)."""
    if person == "me":
        return "you"
    return f"your {person}" if is_person(person) else person.capitalize()


def _tidy(menu: Menu, spec: LineSpec) -> LineSpec:
    """A line without "no X" where X's pick-one group has another pick ("balsamic instead of
    the house dressing": the balsamic is the dressing, nothing more to leave off), nor "not
    decaf", "not iced" (a new dish is made so only when asked)."""
    kept = _tidy_choices(menu, spec.choices)
    return spec if len(kept) == len(spec.choices) else spec.model_copy(update={"choices": kept})


def _tidy_choices(menu: Menu, choices: Sequence[ChoiceSpec]) -> tuple[ChoiceSpec, ...]:
    picked = {c.group for c in choices if not c.exclude}
    return tuple(
        c
        for c in choices
        if not (
            c.exclude
            and (
                c.option in MADE_SO
                or (
                    c.group in picked
                    and (group := menu.group(c.group)) is not None
                    and group.select == "one"
                )
            )
        )
    )


def _bare_topping(menu: Menu, reading: Reading) -> tuple[Choice, ...]:
    """The option a dish said bare ("plus guac", "oh and guac!") is, when it is one too."""
    if (
        reading.counted
        or reading.paired
        or not reading.items
        or any(line.choices for line in reading.items)
    ):
        return ()
    options = dish_options(menu, [line.item for line in reading.items])
    if len(options) != len(reading.items) or _MORE_DISH.search(reading.text):
        return ()
    return tuple(options)


_MORE_DISH = re.compile(r"\b(?:side|order|another|cup|bowl|bag)\b", re.I)


def _said_of_a_line(reading: Reading) -> bool:
    """Whether an order only puts options on a line: read onto an inferred dish and counted
    by nothing ("and the coffee small"), or said of a line named ("the one with ham large")."""
    return (reading.inferred and not reading.counted) or (
        reading.ref is not None
        and not any(line.quantity_said for line in reading.items)
        and _ON_THE_SIDE.search(reading.text) is None  # "a guacamole on the side"
    )


# ("for me a medium pizza with chicken, thin crust": an order for someone, no line)
_FOR_LINE = re.compile(
    r"^(?:and |also |oh |ok |okay |now |then )*(?:for|on) (?!me\b|myself\b|us\b|him\b|her\b)"
    # ("for mike a veggie burger, no mayo": a dish ordered for someone, not a line)
    r"(?:the |my )?((?:(?!a |an )[\w]+ )*?[\w]+),",
    re.I,
)
_ON_THE_SIDE = re.compile(r"\bon the side\b", re.I)


def _restates(reading: Reading) -> bool:
    """Whether an order only names dishes with options, no article, no word of more."""
    return (
        bool(reading.items)
        and all(line.choices and not line.inferred for line in reading.items)
        and (not reading.counted or all(line.quantity_said for line in reading.items))
        and not ORDER_VERB.search(reading.text.lower())
        and not _MORE.search(reading.text)
    )


def _options_shared(reading: Reading) -> Reading:
    """ "Fries and cokes large", "turkey and ham ones with swiss": dishes listed bare, uncounted,
    with options said once after the last of them, which are every one's; else as read."""
    *first, last = reading.items or (None,)
    if (
        not first
        or last is None
        or reading.counted
        or not last.choices
        or any(line.choices or line.inferred or line.quantity_said for line in first)
        or last.inferred
        or last.quantity_said
    ):
        return reading
    items = tuple(replace(line, choices=last.choices) for line in first)
    return replace(reading, items=(*items, last))


def _restated(lexicon: Lexicon, reading: Reading, cart: CartRead) -> Edit | None:
    """The edit a restated dish makes: its options on the cart's line of that dish (on that
    many of its units, when fewer were counted); None unless the dish is in the cart once.
    "large fries" with garlic fries in the cart is those fries."""
    if not _restates(reading) or len(reading.items) != 1:
        return None
    said = reading.items[0]
    lines = [line for line in cart.lines if line.item == said.item]
    if not lines:
        # ("tuna with american cheese" after a turkey sub: another sub, not that one; a kind's
        # nouns, sub or sandwich, name no dish of it)
        # ("buffalo chicken with ranch" after a chicken teriyaki: every word said of the dish
        # is the line's, as "large fries" is the curly fries')
        own = item_words(lexicon, said.item, own=True) - HEAD_WORDS
        words = {singular(t) for t in tokenize(reading.text.lower())} & own
        lines = [
            line
            for line in named(lexicon, list(cart.lines), Ref(items=(said.item,)))
            if words and words <= item_words(lexicon, line.item)
        ]
    if len(lines) != 1 or _another_of_it(lexicon, reading, said, lines[0]):
        return None
    count = said.quantity if said.quantity_said else None
    if count == lines[0].quantity and _ALL_OF_THEM.match(reading.text):
        count = None  # "all 3 hot chocolates small with whipped cream": the whole line
    if count is not None and count >= lines[0].quantity:
        return None
    ref = Ref(items=(lines[0].item,), count=count)
    return Edit(op="change", ref=ref, choices=said.choices)


_ALL_OF_THEM = re.compile(r"^\W*(?:(?:and|oh|ok|okay|so)\W+)*(?:all|both)\b", re.I)
_PUT_RIGHT = re.compile(r"^\W*(?:no|nah|wait|sorry|oops|actually|make|change|i meant)\b", re.I)


def _sized_anew(lexicon: Lexicon, reading: Reading, dialogue: Dialogue, cart: CartRead) -> bool:
    """ "lg sausage", "med veggie thin crust" after "lg pepperoni": a size first, then what
    the dish has, as a dish with no name is ordered, while the line talked about has a size
    said already: another one ("large" alone, "extra cheese, large" change the line)."""
    if not reading.inferred or reading.ref is not None or len(reading.items) != 1:
        return False
    said = reading.items[0]
    tokens = tokenize(reading.text.lower())
    first = next((k for k, t in enumerate(tokens) if t not in ("and", "oh", ",")), len(tokens))
    entry = lexicon.lookup(tokens, first)[1]
    if entry is None:
        return False
    size = next((o.group for o in entry.options if _a_size(lexicon, o.group)), None)
    if size is None or all(c.group == size for c in said.choices):
        return False
    last = [line for line in cart.lines if line.id in dialogue.last and line.item == said.item]
    return any(c.group == size and not c.default for line in last for c in line.choices)


def _a_size(lexicon: Lexicon, group: str) -> bool:
    found = lexicon.groups.get(group)
    return found is not None and found.is_size


def _another_of_it(lexicon: Lexicon, reading: Reading, said: OrderLine, line: CartLineRead) -> bool:
    """ "Chicken burrito" after "steak burrito", "regular latte" after "small latte": the dish
    ordered the way it is ordered (an option before its name), leaving out what the line has
    said of a group it names, and no word of putting it right: another one, not the line
    changed ("fries large" on medium fries, "americano small" change it)."""
    had = {(c.group, c.option) for c in line.choices if not c.default and not c.exclude}
    now = {(c.group, c.option) for c in said.choices if not (c.exclude or c.qualifier)}
    # ("medium pizza with roasted garlic and arugula" on the one with roasted garlic: what it
    # had, said again with more)
    other = [
        group
        for group in {g for g, _ in now} & {g for g, _ in had}
        if not {pair for pair in had if pair[0] == group} <= now
    ]
    if not other or _PUT_RIGHT.match(reading.text):
        return False
    tokens = tokenize(reading.text.lower())
    options = {(c.group, c.option) for c in said.choices}
    for k in range(len(tokens)):
        entry = lexicon.lookup(tokens, k)[1]
        if entry is None:
            continue
        if said.item in entry.items:
            return False  # the dish's name first: what it is to be ("latte iced")
        if any((o.group, o.option) in options for o in entry.options):
            return True
    return False


def _restated_apart(reading: Reading, cart: CartRead, dialogue: Dialogue) -> Edit | None:
    """ "Two large drip coffees, one with honey and one with vanilla syrup" right after two drip
    coffees: the same units said again, each with its options, so the line is shared out
    between them; None unless the message counts just the units of the one line of that dish
    the last turn ordered, and keeps what that line had."""
    if not _restates(reading) or len(reading.items) < 2:
        return None
    dishes = {said.item for said in reading.items}
    lines = [line for line in cart.lines if line.item in dishes]
    if len(dishes) != 1 or len(lines) != 1 or lines[0].id not in dialogue.last:
        return None
    line = lines[0]
    if sum(said.quantity for said in reading.items) != line.quantity:
        return None
    had = {(c.group, c.option, c.qualifier, c.exclude) for c in line.choices if not c.default}
    for said in reading.items:
        if not had <= {(c.group, c.option, c.qualifier, c.exclude) for c in said.choices}:
            return None
    parts = tuple((said.quantity, said.choices) for said in reading.items)
    return Edit(op="change", ref=Ref(items=(line.item,)), parts=parts)


def _restated_each(lexicon: Lexicon, reading: Reading, cart: CartRead) -> list[Edit]:
    """The edits of several dishes restated at once, each the one line of its dish in the cart
    ("fries large, coke large"); none unless every dish is."""
    if not _restates(reading) or len(reading.items) < 2:
        return []
    edits = []
    for said in reading.items:
        one = _restated(lexicon, replace(reading, items=(said,)), cart)
        if one is None:
            return []
        edits.append(one)
    targets = [edit.ref.items for edit in edits if edit.ref is not None]
    return edits if len(set(targets)) == len(edits) else []


_UNDO = re.compile(
    r"\b(?:never ?mind(?: that| it)?|nvm|undo(?: that| it)?|scratch that|cancel that|forget that|"
    r"go back|(?:put|bring|add) (?:it|them|those|that|these|em|'em) back|as it was|"
    r"keep it as (?:it was|before))\b(?! (?:the|my|your)\b)",
    re.I,
)
# "hmm no, ranch is better", "nah put the olives back": the latest change not wanted
_SAID_NO = re.compile(
    r"^\W*(?:(?:hmm+|um+|uh+|oh|wait|actually|ok|okay)[\s,.]+)*"
    r"(?:nah|nope|no(?=\s*[,.!]|\s+(?:wait|actually|sorry)\b))",
    re.I,
)
# "sorry, I meant the chicken one, not the steak", "wait, not the chicken ones, just the steak",
# "no wait, I wanted to remove the peach one": the latest edit was meant for another line
_NOT_THAT_LINE = re.compile(
    r"(?:^|[,.;]\s*|\s)not (?:the|my|on the|to the|from the) (?:\w+ ){0,3}?\w+(?: ones?)?"
    r"(?:\s*[,.;!]\s*(?:(?:just|only|but)\s+)?|\s*$)",
    re.I,
)
_MEANT_LINE = re.compile(
    r"^(?:(?:sorry|oops|oh|no|wait|ah|um|hmm|my bad)\W+)*(?:i|we) (?:meant|wanted to|meant to)"
    r"\s+(?=(?:the|remove|take|put|add|make)\b)",
    re.I,
)
_AND = re.compile(r"^\s*(?:and|also|plus)\b", re.I)
_AND_THE = re.compile(r"^\s*(?:oh |ok )?(?:and|also) (?:the|my|that) [\w ]+[.!]?\s*$", re.I)
_SET = re.compile(r"\b(?:make|change|set|turn)\b", re.I)  # "and make it 3 of the pizzas"
# "ok, one of each": every dish asked about ("one with both" is options, not dishes)
_BOTH_OF = re.compile(r"\b(?:both|all) of (?:them|those|these)\b", re.I)
_EACH = re.compile(
    r"\b(?:of each|each of|both of (?:them|those)|all of them|all three|all 3)\b|"
    r"\b(?:take|get|have|want|order|grab|do) (?:them |those )?both\b(?! (?:with|on|in)\b)|"
    r"^(?:ok |okay |yes |yeah |sure )*both(?: (?:please|then|of them))?$",
    re.I,
)


def _taken_offers(menu: Menu, dialogue: Dialogue, reading: Reading) -> list[LineSpec]:
    """What taking the dish offered orders: as many as said, with the options said now ("ok,
    one of those with extra parmesan"; "two, one with everything and one with lettuce": one
    line each), every dish asked about for "one of each", and the dishes named beside it ("one
    of those and a side of carrots")."""
    named = [line for line in reading.items if not line.inferred]
    inferred = [line for line in reading.items if line.inferred]
    offer = dialogue.offer
    assert offer is not None
    dearer = by_price(reading.text)
    counted_by = of_those(reading.text)
    if _EACH.search(reading.text) and dialogue.asked_about:
        # "ok, one of each": every dish asked about (once, if asked about twice)
        offers = list({(s.item, s.choices): s for s in dialogue.asked_about}.values())
        if _BOTH_OF.search(reading.text):
            counted_by = 1  # "ok both of those": the dishes, one of each
    elif dearer is not None and len(dialogue.asked_about) > 1:
        # "2 of the cheaper one": of the dishes asked about, by their price
        priced = sorted(dialogue.asked_about, key=lambda spec: _unit_price(menu, spec))
        offers = [priced[-1] if dearer else priced[0]]
    elif len(inferred) > 1 and len({line.choices for line in inferred}) > 1:
        offered = {(c.group, c.option) for c in offer.choices}
        if any(offered & {(c.group, c.option) for c in line.choices} for line in inferred):
            # "ok a large hawaiian for him and a small margherita for me" after the hawaiian
            # was asked about: the dish that names it takes it, the others are as said
            offer = offer.model_copy(update={"choices": ()})
        offers = [
            with_choices(menu, offer, line.choices).model_copy(update={"quantity": line.quantity})
            for line in inferred
        ]
        return [*offers, *_specs_of(named)]
    else:
        offers = [offer]
    said = [
        *reading.choices,
        *(c for line in inferred for c in line.choices),
        *(reading.edit.choices if reading.edit is not None and not named else ()),
    ]
    units = _units_of_offer(reading) if len(offers) == 1 and not named else None
    if units is not None:
        # "ok 2 of them, one with guac": that many of the dish offered, the one apart
        parted = {c for _, choices in units for c in choices}
        shared = [c for c in said if c not in parted]
        return [
            with_choices(menu, offer, [*shared, *choices]).model_copy(update={"quantity": count})
            for count, choices in units
        ]
    if dearer is not None and (_AMONG.search(reading.text) or _PICKED_ONE.search(reading.text)):
        # "the cheaper of the two": the two are the dishes compared, not how many ("the
        # cheaper one, two please": two of it)
        text = _PICKED_ONE.sub("", _AMONG.sub("", reading.text))
        reading = replace(reading, text=text, quantity=None)
    counted = next((line.quantity for line in inferred if line.quantity_said), None)
    quantity = (
        counted_by  # "ok two of those and a small pizza", "one of each, both small"
        or counted
        or (quantity_in(reading) if not named else None)
        or offer.quantity
    )
    taken = [
        with_choices(menu, kind_replaced(menu, spec, said), said).model_copy(
            update={"quantity": quantity}
        )
        for spec in offers
    ]
    return [*taken, *_specs_of(named)]


def _units_of_offer(reading: Reading) -> list[tuple[int, tuple[Choice, ...]]] | None:
    """How many of a dish offered are ordered, in parts with their own options, when a count
    is said and then some of them apart: "ok 2 of them, one with guac" (two, one of the two
    with guacamole), "I'll take 3, one of them decaf"; None when the message says no such
    thing."""
    edit = reading.edit
    if edit is None:
        return None
    if edit.parts and not edit.parts[0][1]:
        total, rest = edit.parts[0][0], edit.parts[1:]
        said = sum(count for count, _ in rest)
        if total <= said:
            return None
        others = sum(1 for count, _ in rest if not count)
        if others:
            # "2 of them, one iced and the other hot": the other is the rest
            if others > 1 or said + 1 > total:
                return None
            rest = tuple((count or total - said, choices) for count, choices in rest)
            said = total
        plain = [(total - said, ())] if total > said else []
        return [*plain, *rest]
    some = edit.ref.count if edit.ref is not None and edit.ref.plural else None
    if edit.quantity and some and some < edit.quantity and edit.choices and not edit.parts:
        return [(edit.quantity - some, ()), (some, tuple(edit.choices))]
    return None


def _fits_no_offer(menu: Menu, offered: str, reading: Reading) -> bool:
    """A dish said by its options that the dish offered does not take ("2 extra large
    meatlovers" after "did you mean water?"): an order of its own, no answer to the offer."""
    item = menu.item(offered)
    return item is not None and any(
        line.inferred and any(fitted(menu, item, c) is None for c in line.choices)
        for line in reading.items
    )


def _loose(reading: Reading) -> list[Choice]:
    """The options a message says for no dish it names."""
    named = [c for line in reading.items if not line.inferred for c in line.choices]
    return [c for c in reading.choices if c not in named]


def kind_replaced(
    menu: Menu, spec: LineSpec, said: Sequence[Choice], *, named: bool = False
) -> LineSpec:
    """The dish offered without its kind when another kind of the same family is said ("the
    difference between the new york style and the chicago style?" ... "I'll try the chicago
    style"), or, `named`, any other kind when one is named as a dish ("what's on the supreme"
    ... "and the meat lovers?"); a topping said beside another stays beside it."""
    heads = {
        (c.group, _last_word(menu, c)) for c in said if names_kind(menu, c) and not c.qualifier
    }
    if named and heads:
        kinds = {group for group, _ in heads}
        heads |= {
            (c.group, _last_word(menu, c))
            for c in spec.choices
            if c.group in kinds and names_kind(menu, c)
        }
    parts = {
        (c.group, _last_word(menu, c))
        for c in said
        if one_of_a_family(menu, c) and not c.qualifier and not c.exclude
    }
    if not heads and not parts:
        return spec
    kept = tuple(
        c
        for c in spec.choices
        if ((c.group, _last_word(menu, c)) not in heads or not names_kind(menu, c))
        # ("do you have keto crust?" ... "ok cauliflower then": that crust in its place)
        and ((c.group, _last_word(menu, c)) not in parts or not one_of_a_family(menu, c))
    )
    return spec.model_copy(update={"choices": kept})


def _last_word(menu: Menu, choice: Choice | ChoiceSpec) -> str:
    group = menu.group(choice.group)
    option = group.option(choice.option) if group is not None else None
    return option.label.lower().split()[-1] if option is not None else ""


_PICKED_ONE = re.compile(
    r"\bthe (?:more expensive|pricier|priciest|dearer|cheaper|cheapest|less expensive) ones?\b",
    re.I,
)
_AMONG = re.compile(r"\bof (?:the|them|those|these) (?:two|three|four|2|3|4)\b", re.I)


def _unit_price(menu: Menu, spec: LineSpec) -> Decimal:
    """One of the dish as asked about, with its options ("a small latte" or "a large one")."""
    item = menu.item(spec.item)
    if item is None:
        return Decimal("0")
    try:
        return price_line(menu, "q", item, 1, spec.choices).unit_price
    except CartError:
        return item.price


def _specs_of(lines: Sequence[OrderLine]) -> list[LineSpec]:
    return [
        LineSpec(item=line.item, quantity=line.quantity, choices=tuple(_specs(line.choices)))
        for line in lines
    ]


async def _add(
    state: State,
    runtime: Runtime[Context],
    reply: Reply,
    reading: Reading,
    lines: list[LineSpec],
    *,
    head_count: bool = False,
) -> dict[str, Any]:
    """Add the lines, say what went in and what did not, and ask what comes next (how many
    they are, for `head_count`: "a coke for each of us" with nobody named)."""
    ctx = runtime.context
    full = await ctx.menu.get_menu()
    lexicon = await lexicon_of(ctx)
    dialogue = replace(state.dialogue, offer=None, asked_about=(), last_edit=None, undo=())
    update: dict[str, Any] = {}
    offer: LineSpec | None = None
    change: CartChange | None = None
    extreme = _EXTREME.search(reading.text)
    if extreme is not None and lines:
        # "a huge coke. biggest you have", "the biggest latte then": the last of its sizes
        lines = [_extreme_size(full, spec, 0 if extreme.group(1) else -1) for spec in lines]
    if lines and len(lines) == len(reading.items):
        # "two adults two kids" ... "adults get cheeseburgers, kids get hamburgers": one each
        # (the lines not counted out already: "a coke for each of us")
        counted = _for_counted_groups(lexicon, reading, dialogue)
        lines = [
            spec.model_copy(update={"quantity": count})
            if count is not None and spec.item == line.item and spec.quantity == line.quantity
            else spec
            for spec, line, count in zip(
                lines, reading.items, counted or [None] * len(lines), strict=True
            )
        ]
    if lines:
        lines = [_tidy(full, spec) for spec in lines]
        _, change = await run_tool(add_to_cart, runtime, state, items=lines)
        assert change is not None
        if change.lines:
            reply.line(_added_text(change.lines, change.cart.currency, reply))
            dialogue = dialogue.touched([line.id for line in change.lines], change.cart)
            dialogue = replace(dialogue, added=tuple(lines))
            dialogue = _for_whom(lexicon, reading, lines, change.lines, dialogue)
        for refusal in change.refused:
            text = refusal.message
            sold_out = full.item(refusal.item) if refusal.reason == "unavailable" else None
            if sold_out is not None:
                # The closest dishes still available: its category first, then like names.
                alternatives = search.alternatives(full, sold_out)
                if alternatives:
                    text += f" How about {join((a.label for a in alternatives), 'or')} instead?"
                    offer = offer or LineSpec(item=alternatives[0].key)
            elif refusal.reason in ("unknown_item", "unavailable"):
                alternatives = suggestions(
                    lexicon, full, refusal.item.replace("_", " "), skip=refusal.item
                )
                if alternatives:
                    text += f" How about {join((a.label for a in alternatives), 'or')}?"
                    offer = offer or LineSpec(item=alternatives[0].key)
            reply.line(text)
    for word in reading.unknown:
        alternatives = suggestions(lexicon, full, word)
        if change is not None and change.lines and not _dish_like(lexicon, word, reading.text):
            # Something was ordered: the other words were talk ("for the grown-ups"), unless
            # one is a near miss of a dish's name (a typo)
            alternatives = [a for a in alternatives if _near(word, a)]
            if not alternatives:
                continue
        reply.line(did_you_mean(word, alternatives, reply))
        if alternatives and offer is None:
            offer = LineSpec(item=alternatives[0].key)
    if change is not None and change.lines:
        reply.card(cart_card(change.cart))
        paused = paused_message(full)
        if paused is not None and len(change.cart.lines) == len(change.lines):
            # The cart's first lines: told now rather than at checkout.
            reply.line(f"{paused} I'll keep your cart for when we're taking orders again.")
    if offer is not None:
        dialogue = replace(dialogue, offer=offer)
        update["awaiting"] = "suggestion"
        reply.offer("Yes", "No")
    elif change is not None and change.lines and head_count:
        reply.line("How many of you are there? I've put in one for now.")
        update["awaiting"] = "head_count"
    elif change is not None and change.lines:
        reply.line(reply.pick("else", ANYTHING_ELSE))
        update["awaiting"] = "anything_else"
    elif not lines and not reading.unknown:
        reply.line("What would you like to add?")
    update["dialogue"] = dialogue
    return update


# --- edits ------------------------------------------------------------------------------------


async def edit_cart(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Change, remove or repeat lines already in the cart, as the conversation refers to them."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    lexicon = await lexicon_of(ctx)
    cart = await ctx.cart.get(ctx.session_id)
    dialogue = state.dialogue
    if reading.bad_quantity is not None:
        reply.line(_quantity_limit(reading.bad_quantity))
        return reply.update()
    edit = reading.edit
    handed = _handed_out(lexicon, reading, dialogue, cart, reply) or _whose_said(
        lexicon, reading, dialogue, cart, reply
    )
    if handed is not None:
        return handed
    if state.asked == "suggestion" and _offer_let_go(edit, dialogue, cart):
        # "ok skip that, just a medium margherita" after a dish's price: no to the dish offered
        reply.line("Okay, I'll leave that out.")
        if not state.rest:
            reply.line(reply.pick("else", ANYTHING_ELSE))
        return reply.update(dialogue=replace(dialogue, offer=None, asked_about=()))
    if (
        state.asked == "suggestion"
        and dialogue.offer is not None
        and edit is not None
        and edit.op == "change"
        and not edit.items
        and not reading.text.rstrip().endswith("?")
        # ("ok the salad then" after the vegan burger was offered: the salad, not the offer)
        and not _names_another(lexicon, edit, dialogue.offer)
        and (
            (cart.empty and (edit.changes or edit.ref is not None))
            or (
                (edit.choices or edit.quantity or edit.parts)
                and edit.ref is not None
                and edit.ref.pronoun
                and edit.ref.plural
            )
        )
    ):
        # "great, 2 of those, small", "ok a small one with extra cheese": the dish offered
        return await add_items(replace(state, intent=Intent.AFFIRM), runtime)
    moved = await _meant_another_line(state, runtime, reply, lexicon, cart)
    if moved is not None:
        return moved
    each = (
        _restated_each(lexicon, reading, cart)
        if edit is not None and edit.op == "change" and edit.ref is None
        else []
    )
    if each and all(not plan_edit(e, cart, dialogue, lexicon).missing for e in each):
        # "no wait, large cappuccino and small latte": each line said again, as it should be
        done = await _each_edited(state, runtime, reply, each)
        if done is not None:
            return done
    taken_back = bool(dialogue.undo) and (
        kept_as_before(lexicon, reading.text, cart, dialogue)
        or (
            edit is not None
            and _SAID_NO.match(reading.text) is not None
            and puts_back(edit, cart, dialogue)
        )
    )
    if (
        dialogue.undo
        and (taken_back or _UNDO.search(reading.text))
        # ("keep the basil and put the arugula on as well": the rest is done after)
        and (
            edit is None
            or ((edit.ref is None or edit.ref.pronoun) and (taken_back or not edit.changes))
        )
    ):
        # "never mind that, keep it large": the latest edit taken back
        partly = kept_of_change(lexicon, reading.text, cart, dialogue) if taken_back else None
        plan = partly or plan_undo(cart, dialogue, lexicon)
        if plan.missing is None:
            undo = Edit(op="change", ref=Ref(pronoun=True))
            said_before = len(reply.say)
            update = await _carry_out(state, runtime, reply, plan, undo, cart, dialogue)
            dialogue = replace(update["dialogue"], undo=())
            after = await ctx.cart.get(ctx.session_id)
            more = plan_edit(edit, after, dialogue, lexicon) if edit and edit.changes else None
            if edit is not None and more is not None and more.steps:
                # "go back to the chicken sandwich, with lettuce": then the rest of it
                del reply.say[said_before:]  # say only how it ends up
                update = await _carry_out(state, runtime, reply, more, edit, after, dialogue)
                dialogue = update["dialogue"]
            update["dialogue"] = dialogue
            return reply.update(**update)
    if state.asked == "which_line" and dialogue.asked is not None and reading.edit is None:
        chosen = _chosen(reading, dialogue, cart, lexicon)
        if not chosen:
            return reply.update(
                **_ask(reply, dialogue.asked, dialogue.candidates, cart, again=True)
            )
        edit = dialogue.asked
        dialogue = replace(dialogue, asked=None, candidates=())
        plan = apply_edit(edit, chosen, cart, dialogue, lexicon)
    elif reading.edit is not None:
        edit = reading.edit
        if edit.drop and dialogue.undo:
            edit = put_back(edit, cart, dialogue)
        if (
            edit.op == "change"
            and edit.quantity is not None
            and edit.ref is not None
            and (edit.ref.every or edit.ref.pronoun)
            and dialogue.party is not None
            and _ALL_OF_US.search(reading.text) is not None
            and _ALL_BUT.search(reading.text) is None
        ):
            # "4 steak tacos and 4 chicken tacos for the 4 of us, everyone gets one of each":
            # so many for each of the party
            edit = replace(edit, quantity=edit.quantity * dialogue.party)
        if (
            _names_a_new_dish(lexicon, edit, reading, cart)
            or _in_place_of_removed(edit, reading, dialogue, cart)
            or _for_a_group_with_none(lexicon, edit, reading, dialogue)
            # "my roommate: large new york style with pepperoni" after a pizza for me: hers,
            # ordered by its options (not mine changed)
            or (
                edit.op == "change"
                and edit.ref is None
                and reading.items
                and _for_another(lexicon, reading, dialogue, cart)
            )
        ):
            # "my daughter wants the chicken sandwich": no line is that dish, and nothing is
            # said to change: it is ordered (for her)
            update = await _add(state, runtime, reply, reading, _lines(reading))
            return reply.update(intent=Intent.ADD_ITEMS, **update)
        if (
            dialogue.last_edit == "remove"
            and edit.op == "change"
            and edit.quantity is not None
            and not (edit.item or edit.choices or edit.drop or edit.groups or edit.sibling)
            and _AND.match(reading.text)
            and not _SET.search(reading.text)
        ):
            edit = replace(edit, op="remove")  # "take off 2 cokes" ... "and 1 of the subs"
        plan = plan_edit(edit, cart, dialogue, lexicon)
    else:
        reply.line("What would you like to change?")
        return reply.update()
    if plan.missing is not None and ctx.chat_model is not None and plan.missing.reason != "empty":
        # The offline reading could not map the edit: the model may, with the edit tools, each
        # call checked against the menu and the cart before anything changes.
        answer = await edit_with_model(ctx.chat_model, runtime, state, cart)
        if answer is not None:
            after = await ctx.cart.get(ctx.session_id)
            reply.line(answer)
            reply.card(cart_card(after))
            return reply.update(dialogue=dialogue.pruned(after), awaiting="anything_else")
    if plan.ask is not None:
        return reply.update(**_ask(reply, edit, plan.ask.candidates, cart, dialogue=dialogue))
    if plan.missing is not None:
        return reply.update(
            **await _missing(state, runtime, reply, reading, edit, plan.missing, cart)
        )
    update = await _carry_out(state, runtime, reply, plan, edit, cart, dialogue)
    others = [
        spec
        for spec in _lines(reading)
        if edit.op == "change"
        and edit.item is not None
        and spec.item != edit.item
        and all(line.item != spec.item for line in cart.lines)
        # ("switch the chips to doritos": the chips said are the line's, no dish to add)
        and not (edit.ref is not None and spec.item in edit.ref.items)
    ]
    if edit.op == "remove" and not others and _IN_ITS_PLACE.search(reading.text.lower()):
        # "actually no coffee, she'll just have a water": what is had in its place is ordered
        gone = {step.line_id for step in plan.steps if isinstance(step, Remove)}
        removed = {line.item for line in cart.lines if line.id in gone}
        said_of = set(edit.ref.items) & removed if edit.ref is not None else set()
        named = set(said_of)
        others = []
        kept: list[OrderLine] = []
        for spec, said in zip(_lines(reading), reading.items, strict=False):
            if not gone:
                continue
            if (
                said.choices
                and not said.inferred
                and spec.item not in removed
                and sum(line.item == spec.item for line in cart.lines) == 1
            ):
                # "cancel the espresso, just do an extra shot in the cappuccino": a line still
                # ordered named with options is changed, no new dish
                kept.append(said)
                continue
            if spec.item in named:
                # "cancel that pizza, i'll just do a large margherita": the dish named first is
                # the one taken off, one of it said again with its options is the new one
                named.discard(spec.item)
                continue
            if spec.item in said_of and said.choices:
                others.append(spec)  # (its dish may be known by its options: "a margherita")
            elif (
                not said.inferred
                and spec.item not in removed
                and all(line.item != spec.item for line in cart.lines)
            ):
                others.append(spec)
        gone_lines = [line for line in cart.lines if line.id in gone]
        if (
            len(others) == 1
            and len(gone_lines) == 1
            and SAME_STUFF_LAST.search(reading.text.lower())
        ):
            # "cancel the quesadilla and do a steak burrito with the same stuff": the options of
            # the line taken off that the new dish takes go on it
            was = gone_lines[0]
            before = OrderLine(
                item=was.item,
                quantity=was.quantity,
                choices=tuple(Choice(c.group, c.option, c.qualifier) for c in was.choices),
            )
            said = next(line for line in reading.items if line.item == others[0].item)
            others = _specs_of([with_the_same(lexicon, said, before)])
        for said in kept:
            dialogue = update["dialogue"]
            after = await ctx.cart.get(ctx.session_id)
            said_then = Edit(op="change", ref=Ref(items=(said.item,)), choices=said.choices)
            then = plan_edit(said_then, after, dialogue, lexicon)
            if then.missing is None and then.ask is None and then.steps:
                update = await _carry_out(state, runtime, reply, then, said_then, after, dialogue)
    if others:
        # "actually one coke and one diet coke, both large": the new dish is ordered too (the
        # cart is not left empty)
        reply.say[:] = [line for line in reply.say if line != _EMPTY_NOW]
        state = replace(state, dialogue=update["dialogue"])
        update = {**update, **await _add(state, runtime, reply, reading, others)}
    return reply.update(**update)


_EMPTY_NOW = "Your cart is empty now."
_TO_BE = re.compile(r"\b(?:make|change|set|turn|switch|swap|instead|into)\b", re.I)


def _offer_let_go(edit: Edit | None, dialogue: Dialogue, cart: CartRead) -> bool:
    """Whether "skip that", "forget it" says no to the dish offered, which the cart does not
    hold (nothing of it to take off)."""
    offer = dialogue.offer
    ref = edit.ref if edit is not None else None
    return (
        offer is not None
        and edit is not None
        and edit.op == "remove"
        and ref is not None
        and ref.pronoun
        and not (ref.items or ref.words or ref.count or ref.plural)
        and not any(line.item == offer.item for line in cart.lines)
    )


def _names_another(lexicon: Lexicon, edit: Edit, offer: LineSpec) -> bool:
    """Whether an edit's reference names a dish other than the one offered ("ok the salad
    then", "ill try the curly ones" after the french fries)."""
    ref = edit.ref
    if ref is None:
        return False
    if ref.items:
        return offer.item not in ref.items
    words = {singular(w) for w in ref.words}
    return bool(words) and not words <= item_words(lexicon, offer.item)


# Said of a dish in place of one taken off: "she'll just have a water", "get me a latte instead"
_IN_ITS_PLACE = re.compile(
    r"\b(?:just|instead|rather|(?:ll|will|\bi\b|she|he|they|we) (?:just )?(?:have|take|get|do)|"
    r"get (?:me|her|him|us|them)|give (?:me|her|him|us|them)|"
    # "cancel the tuna, do a black forest ham", "nvm the lemonade, dr pepper": the dish said
    # after the line taken off, on its own
    r"(?:,|\band) (?:do|have|go with)|^[^,]+, (?!(?:and|but|then|please|thanks|thank)\b)\w+)\b"
)


def _in_place_of_removed(edit: Edit, reading: Reading, dialogue: Dialogue, cart: CartRead) -> bool:
    """ "skip my americano, get me a large latte instead": right after a line was taken off, a
    dish said "instead" that no line is is ordered, not made of another line."""
    return (
        dialogue.last_edit == "remove"
        and edit.op == "change"
        and edit.instead
        and edit.item is not None
        and (edit.ref is None or (edit.ref.pronoun and not edit.ref.named))
        and not (edit.drop or edit.groups or edit.parts)
        and len(reading.items) == 1
        and reading.items[0].item == edit.item
        and not reading.items[0].inferred
        and all(line.item != edit.item for line in cart.lines)
    )


def _for_a_group_with_none(
    lexicon: Lexicon, edit: Edit, reading: Reading, dialogue: Dialogue
) -> bool:
    """ "adults get cheeseburgers with everything, kids get plain hamburgers", "kids want
    hamburgers with no pickles": dishes said for a group that has none yet, as they want them,
    are ordered for them, no line changed."""
    person = who(edit.owner, dialogue.people) if edit.owner is not None else None
    if person is None or not is_group(person) or edit.op != "change" or edit.instead:
        return False
    each = {person, *members(person, dialogue.people)}
    ref = edit.ref
    return (
        # ("kids each get ...", "there's 3 of them": the people, no lines)
        (ref is None or not (ref.items or ref.words or ref.options or ref.ordinal or ref.other))
        # ("the little one's pizza, can it have extra cheese?": "it" is a line there)
        and not (ref is not None and ref.pronoun and not ref.plural)
        and not (edit.drop or edit.groups or edit.parts)
        and bool(reading.items)
        and all(not line.inferred or _one_said(lexicon, reading, line) for line in reading.items)
        and (edit.item is None or edit.item in {line.item for line in reading.items})
        and not any(p in each for _, p in dialogue.owners)
    )


def _one_said(lexicon: Lexicon, reading: Reading, line: OrderLine) -> bool:
    """Whether a dish told by its options is said as one ordered ("a personal size pepperoni"),
    an article or a count before them."""
    tokens = tokenize(reading.text)
    at = line_positions(lexicon, tokens, [line])[0]
    start = _dish_start(lexicon, tokens, at)[0]
    return start > 0 and (tokens[start - 1] in ("a", "an") or bool(count_of(tokens[start - 1])))


def _names_a_new_dish(lexicon: Lexicon, edit: Edit, reading: Reading, cart: CartRead) -> bool:
    """Whether an edit only names dishes exactly, none of them in the cart, with the options
    said for them ("could you also add a small order of the baby carrots")."""
    ref = edit.ref
    said = {c for line in reading.items for c in line.choices}
    return (
        edit.op == "change"
        and not (edit.item or edit.drop or edit.groups or edit.parts or edit.sibling)
        and not edit.instead  # ("i meant the popper burger, not the poppers": a swap)
        and set(edit.choices) <= said
        and _TO_BE.search(reading.text) is None
        and ref is not None
        and bool(ref.items)
        and bool(reading.items)
        and not any(line.item in ref.items for line in cart.lines)
        # ("no onion on the burger": the burger in the cart, whichever it is)
        and not any(set(ref.words) <= item_words(lexicon, line.item) for line in cart.lines)
        and all(line.item in ref.items and not line.inferred for line in reading.items)
    )


def _chosen(reading: Reading, dialogue: Dialogue, cart: CartRead, lexicon: Lexicon) -> list[str]:
    said = reading.text.strip().lower().rstrip(".!")
    for line in cart.lines:
        if line.id in dialogue.candidates and said in (
            describe_line(line).lower(),
            f"the {describe_line(line).lower()}",
        ):
            return [line.id]
    if said in ("both", "all", "all of them", "both of them", "either", "each"):
        return list(dialogue.candidates)
    return pick(reading.ref, dialogue.candidates, cart, lexicon)


def _ask(
    reply: Reply,
    edit: Edit,
    candidates: Sequence[str],
    cart: CartRead,
    *,
    dialogue: Dialogue | None = None,
    again: bool = False,
) -> dict[str, Any]:
    """ "Which one do you mean: the large pizza with sausage or the medium one?" """
    lines = [line for line in cart.lines if line.id in candidates]
    names = [describe_line(line) for line in lines]
    lead = "Sorry, which one:" if again else "Which one do you mean:"
    reply.line(f"{lead} {join(names, 'or')}?")
    answers = [name[:1].upper() + name[1:] for name in names]
    if edit.op != "remove" or len(lines) == 2:
        answers.append("Both" if len(lines) == 2 else "All of them")
    reply.offer(*answers)
    reply.card(cart_card(cart))
    base = dialogue if dialogue is not None else None
    update: dict[str, Any] = {"awaiting": "which_line"}
    if base is not None:
        update["dialogue"] = replace(base, asked=edit, candidates=tuple(candidates))
    return update


async def _missing(
    state: State,
    runtime: Runtime[Context],
    reply: Reply,
    reading: Reading,
    edit: Edit,
    missing: Missing,
    cart: CartRead,
) -> dict[str, Any]:
    """Nothing in the cart fits the edit: say why, or (a new dish named) order it."""
    lexicon = await lexicon_of(runtime.context)
    named = _dish_said(lexicon, edit) if missing.reason in ("empty", "no_line") else None
    if named is not None and edit.op != "remove":
        # "2 raspberry ones please", "and one white chip": no line is one, but exactly one dish
        # on the menu has those words in its name
        count = (edit.ref.count if edit.ref is not None else None) or edit.quantity or 1
        menu = await runtime.context.menu.get_menu()
        spec = with_choices(menu, LineSpec(item=named, quantity=count), edit.choices)
        update = await _add(state, runtime, reply, replace(reading, unknown=()), [spec])
        update["intent"] = Intent.ADD_ITEMS
        return update
    if edit.op != "remove" and len(edit.sibling) > 1 and missing.reason in ("empty", "no_line"):
        # "a large strawberry one and a small chocolate one" after the shakes were listed
        menu = await runtime.context.menu.get_menu()
        specs = _siblings_ordered(lexicon, menu, reading.text)
        if specs:
            update = await _add(state, runtime, reply, replace(reading, unknown=()), specs)
            update["intent"] = Intent.ADD_ITEMS
            return update
    if missing.reason == "empty":
        if reading.items and edit.op != "remove":
            return await _add(state, runtime, reply, reading, _lines(reading))
        reply.line("Your cart is empty, so there's nothing to change yet. What can I get you?")
        return {}
    if missing.reason == "nothing_added":
        reply.line("There's nothing to repeat yet. What can I get you?")
        return {}
    if (
        (missing.reason == "no_line" or (missing.reason == "not_taken" and edit.ref is None))
        and edit.op != "remove"
        and reading.items
    ):
        in_cart = {line.item for line in cart.lines}
        if not any(line.item in in_cart for line in reading.items):
            # "actually add a coke": a change naming items not in the cart is an addition.
            update = await _add(state, runtime, reply, reading, _lines(reading))
            update["intent"] = Intent.ADD_ITEMS
            return update
    if missing.reason == "no_line":
        if edit.items or (edit.ref is not None and edit.ref.named):
            names = join(_named(edit, runtime, cart))
            reply.line(f"I don't see {names} in your cart.")
        else:
            reply.line("Which item do you mean?")
        reply.card(cart_card(cart))
        return {}
    if missing.reason == "not_taken":
        what = join(sorted({_option_label(runtime, c) for c in edit.choices})) or "that"
        meant = [line for line in cart.lines if line.id in state.dialogue.last]
        if len(meant) == 1 and (edit.ref is None or edit.ref.pronoun):
            # "make it a thin crust" after a coke: say which line it was tried on
            reply.line(f"{_capital(describe_line(meant[0]))} doesn't come with {what}.")
        else:
            reply.line(f"Nothing in your cart takes {what}.")
        return {}
    if missing.reason == "unknown_item":
        reply.line(f'I couldn\'t find "{missing.detail}" on the menu.')
        return {}
    reply.line("That's how it is already.")
    reply.card(cart_card(cart))
    ref = edit.ref
    kept = [x.id for x in cart.lines if ref is not None and ref.items and x.item in ref.items]
    if len(kept) == 1:
        # "ok keep the gatorade": that line is talked about ("make it 3" next is of it)
        return {"dialogue": state.dialogue.touched(kept)}
    return {}


_PART = re.compile(r"\s*(?:,|\band\b|\bplus\b|&)\s*", re.I)


def _siblings_ordered(lexicon: Lexicon, menu: Menu, text: str) -> list[LineSpec]:
    """Each "a large strawberry one" of a message as the one dish its words name, with the
    options said beside them; nothing unless every part names one."""
    specs: list[LineSpec] = []
    for part in filter(None, _PART.split(text)):
        said = read_edit(lexicon, tokenize(part), "change")
        key = _dish_said(lexicon, said)
        if key is None:
            return []
        spec = LineSpec(item=key, quantity=said.quantity or 1)
        specs.append(with_choices(menu, spec, said.choices))
    return specs


def _dish_said(lexicon: Lexicon, edit: Edit) -> str | None:
    """The one dish whose names hold all the words a reference used ("2 raspberry ones"), or a
    sibling's ("a strawberry one"), if exactly one does. People are no dish: "kids party - 6
    kids" orders no honest kids fruit punch."""
    ref = edit.ref
    if ref is not None and ref.options and not ref.items and not edit.changes:
        # "the jalapeno ones" after the chips were listed, none in the cart: the chips whose
        # name has the word, not a line with jalapenos
        said = (*ref.words, *(w for words in ref.option_words for w in words))
    elif (ref is not None and (ref.items or ref.options)) or not (
        (ref is not None and ref.words) or edit.sibling
    ):
        return None
    else:
        said = (*(ref.words if ref is not None else ()), *edit.item_words, *edit.sibling)
    if all(is_person(word) for word in said):
        return None
    return the_dish_with(lexicon, (singular(w) for w in said))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _named(edit: Edit, runtime: Runtime[Context], cart: CartRead) -> list[str]:
    lexicon = runtime.context.lexicon
    keys = [k for keys in edit.items for k in keys[:1]]
    if edit.ref is not None:
        keys += list(edit.ref.items[:1])
        words = list(edit.ref.words)
    else:
        words = []
    labels = []
    for key in keys:
        item = lexicon.items.get(key) if lexicon is not None else None
        labels.append(f"a {item.label.lower()}" if item is not None else key.replace("_", " "))
    return labels or [f"a {w}" for w in words] or ["that"]


def _option_label(runtime: Runtime[Context], choice: Choice) -> str:
    lexicon = runtime.context.lexicon
    group = lexicon.groups.get(choice.group) if lexicon is not None else None
    option = group.option(choice.option) if group is not None else None
    return option.label.lower() if option is not None else choice.option.replace("_", " ")


def _diff(
    line: CartLineRead, choices: Sequence[ChoiceSpec]
) -> tuple[list[ChoiceSpec], list[OptionKey]]:
    """New said choices as what to merge on and what to take off the line's said ones."""
    before = {(c.group, c.option): c for c in line.choices if not c.default}
    after = {(c.group, c.option): c for c in choices}
    remove = [OptionKey(group=g, option=o) for (g, o) in before if (g, o) not in after]
    merge = [
        c
        for key, c in after.items()
        if key not in before
        or (before[key].qualifier, before[key].exclude) != (c.qualifier, c.exclude)
    ]
    return merge, remove


async def _meant_another_line(
    state: State, runtime: Runtime[Context], reply: Reply, lexicon: Lexicon, cart: CartRead
) -> dict[str, Any] | None:
    """The latest edit taken back and done to the line meant instead: "sorry, I meant the
    chicken one, not the steak" (the same change), "no wait, I wanted to remove the peach one"
    (its own edit, of the same kind). None when the message is no such correction."""
    dialogue = state.dialogue
    text = (state.reading.text if state.reading is not None else "").lower()
    if not dialogue.undo or dialogue.last_edit not in ("change", "remove"):
        return None
    said = _NOT_THAT_LINE.sub(" ", text, count=1)
    meant = _MEANT_LINE.match(said)
    if said == text and meant is None:
        return None
    gone = _NOT_THAT_LINE.search(text)
    refs = find_refs(lexicon, tokenize(gone.group(0))) if gone is not None else []
    if meant is not None:
        said = said[meant.end() :] if meant.group(0).rstrip().endswith("to") else said
    edit = read_edit(lexicon, tokenize(said), dialogue.last_edit)
    ref = edit.ref
    if ref is None or not ref.named or ref.pronoun:
        return None
    last = dialogue.last_change
    if not edit.changes and edit.op == "change":
        if last is None or dialogue.last_edit != "change":
            return None
        edit = replace(last, ref=ref, again=False, parts=(), owner=None)
    elif gone is None and edit.op == "change" and (last is None or not _alike(edit, last)):
        return None  # ("I meant to add fries": no change said again for another line)
    first = plan_edit(edit, cart, dialogue, lexicon)
    undone = {line_id for line_id, _ in dialogue.undo}
    if not first.steps or set(first.targets) == undone:
        return None
    if refs and not _was_edited(refs[0][2], edit, cart, dialogue, lexicon):
        return None  # "add cheese to the burger, not the fries": no line the latest edit had
    back = plan_undo(cart, dialogue, lexicon)
    if back.missing is not None:
        return None
    said_before = len(reply.say)
    update = await _carry_out(
        state, runtime, reply, back, Edit(op="change", ref=Ref(pronoun=True)), cart, dialogue
    )
    after = await runtime.context.cart.get(runtime.context.session_id)
    dialogue = replace(update["dialogue"], undo=())
    plan = plan_edit(edit, after, dialogue, lexicon)
    if plan.steps:
        del reply.say[said_before:]  # say only how it ends up
        update = await _carry_out(state, runtime, reply, plan, edit, after, dialogue)
    return reply.update(**update)


def _alike(edit: Edit, last: Edit) -> bool:
    """Whether two changes do the same: the same dish, options in and options out."""
    return (edit.item, set(edit.choices), set(edit.drop), edit.sibling) == (
        last.item,
        set(last.choices),
        set(last.drop),
        last.sibling,
    )


def _was_edited(ref: Ref, edit: Edit, cart: CartRead, dialogue: Dialogue, lexicon: Lexicon) -> bool:
    """Whether the line "not the steak" names is one the latest edit changed or removed."""
    undone = {line_id for line_id, _ in dialogue.undo}
    gone = [before.item for line_id, before in dialogue.undo if before and not cart.line(line_id)]
    if any(
        item in ref.items or (ref.words and set(ref.words) <= item_words(lexicon, item))
        for item in gone
    ):
        return True
    found = plan_edit(replace(edit, ref=ref), cart, dialogue, lexicon)
    return bool(found.targets) and set(found.targets) <= undone


async def _carry_out(
    state: State,
    runtime: Runtime[Context],
    reply: Reply,
    plan: Plan,
    edit: Edit,
    cart: CartRead,
    dialogue: Dialogue,
) -> dict[str, Any]:
    """Run a plan's steps with the cart tools and say what changed."""
    touched: list[str] = []
    changed: list[CartLineRead] = []
    removed: list[str] = []
    problems: list[str] = []
    current = cart
    added_specs: list[LineSpec] = []
    added: list[CartLineRead] = []  # new lines: "one more but iced"
    for step in plan.steps:
        line = current.line(step.line_id) if not isinstance(step, Add) else None
        if line is None and not isinstance(step, Add):
            continue  # a line an earlier step of the plan took away: nothing left to change
        if isinstance(step, (Update, Split)):
            assert line is not None
            if isinstance(step, Update):
                tool, quantity, item = update_cart_line, step.quantity, step.item
                wanted = step.choices
            else:  # split off `quantity` units of the line as a line of their own
                tool, quantity, wanted = split_cart_line, step.line.quantity, step.line.choices
                item = step.line.item if step.line.item != line.item else None
            if wanted is not None:
                wanted = _tidy_choices(await runtime.context.menu.get_menu(), wanted)
            merge, remove = _diff(line, wanted) if wanted is not None else ([], [])
            content, change = await run_tool(
                tool,
                runtime,
                state,
                line_id=step.line_id,
                quantity=quantity,
                item=item,
                choices=merge or None,
                remove_options=remove or None,
            )
            if change is None:
                problems.append(content.removeprefix("Not changed: "))
                continue
            current = change.cart
            changed.extend(change.lines)
            touched.extend(line.id for line in change.lines)
        elif isinstance(step, Remove):
            assert line is not None
            content, after = await run_tool(
                remove_from_cart, runtime, state, line_id=step.line_id, quantity=step.units
            )
            if after is None:
                problems.append(content.removeprefix("Not removed: "))
                continue
            current = after
            removed.append(describe_line(line, quantity=step.units or line.quantity))
            if step.units:
                kept = after.line(step.line_id)
                if kept is not None:
                    touched.append(kept.id)
        elif isinstance(step, Add):
            added_specs.append(step.line)
    if added_specs:
        _, change = await run_tool(add_to_cart, runtime, state, items=added_specs)
        if change is not None:
            current = change.cart
            added = list(change.lines)
            touched.extend(line.id for line in change.lines)
            problems.extend(r.message for r in change.refused)
    update: dict[str, Any] = {}
    if removed:
        what = join(removed)
        reply.line(
            reply.pick("removed", REMOVED).format(what=what, What=what[:1].upper() + what[1:])
        )
    # each line as it ended up (a split line may have changed twice)
    latest = {line.id: line for line in current.lines}
    changed = [latest[i] for i in dict.fromkeys(line.id for line in changed) if i in latest]
    if changed:
        reply.line(_changed_text(edit, changed, current, reply))
    if added:
        reply.line(_added_text(added, current.currency, reply))
    for note in plan.notes:
        reply.line(f"The new choice doesn't come with {note}, so I left that off.")
    for problem in problems:
        reply.line(problem)
    if current.empty:
        reply.line(_EMPTY_NOW)
        update["checkout"] = None
    elif removed and not changed:
        reply.line(f"Your subtotal is {price(current.subtotal, current.currency)}.")
    reply.card(cart_card(current))
    after = dialogue.touched(touched, current)
    if removed and not touched:
        # what the turn was about is gone: no line is "it" now ("just 1 diet coke" after the
        # cokes were taken off orders a diet coke, it turns no burger into one)
        after = replace(after, last=())
    made = [line.id for line in current.lines if cart.line(line.id) is None]
    person = who(edit.owner, dialogue.people)
    spared = edit.ref is not None and bool(edit.ref.spared_for)
    if made and person is None and edit.op == "change" and len(made) == 1 and not spared:
        # "one of them with no mayo for Ana": the unit split off is hers
        person = _copied_for(await lexicon_of(runtime.context), state, dialogue)
    elif made and person is None and edit.op == "repeat":
        # "make another one just like it for my roommate, chicken instead": the copy is theirs
        person = _copied_for(await lexicon_of(runtime.context), state, dialogue)
    if (
        made
        and person is not None
        and (person not in {p for _, p in dialogue.owners} or edit.op == "repeat")
    ):
        # "one of the burritos is my son's, no cheese"; "another coworker wants one too, but
        # skinny" (a copy is a unit more: the shares of the line copied stay)
        after = after.owned(made, person)
    elif made and person is not None:
        # "mine with extra bacon": my unit, split off, and the one talked about ("mine without
        # the pineapple, give me ham instead": the ham on it too)
        split = [step.line_id for step in plan.steps if isinstance(step, Split)]
        after = replace(after.claimed(made, person, split or None), last=tuple(made))
    elif (
        edit.op == "change"
        and person is not None
        and not is_group(person)
        and len(set(touched)) == 1
        and (line := current.line(touched[0])) is not None
        and not any(
            i == line.id and (line.quantity > 1 or not is_group(p)) for i, p in dialogue.owners
        )
    ):
        # "the ham for my daughter with just american cheese", "my wife wants hers large" on
        # the one line no one has yet (or the one left of those for a group): hers now
        after = after.owned([line.id], person)
    elif (
        person is not None
        and not is_group(person)
        and edit.op == "change"
        and len(set(touched)) == 1
        and person not in {p for _, p in dialogue.owners}
    ):
        # "the cappuccino is for my mom, she wants it decaf", "the latte is mine, with vanilla":
        # the line they named is theirs, for "my mom changed her mind" later
        after = after.owned(touched, person)
    elif (
        edit.op == "repeat"
        and (person := person or _copied_for(await lexicon_of(runtime.context), state, dialogue))
        is not None
    ):
        # "my friend wants one too", "same again for my wife": each line copied holds a unit of
        # hers, told apart when she changes it
        for line_id in touched if not is_group(person) else ():
            had = [p for i, p in dialogue.owners if i == line_id] or ["me"]
            if person not in had:
                after = after.shared(line_id, [*had, person])
    spared_for = edit.ref.spared_for if edit.ref is not None else ()
    kept = [s.line_id for s in plan.steps if isinstance(s, Split) and current.line(s.line_id)]
    if spared_for and len(kept) == 1:
        # "bacon on all of them except sam's": the units left as they were are sam's
        after = (
            after.owned(kept, spared_for[0])
            if len(spared_for) == 1
            else after.shared(kept[0], spared_for)
        )
    update["dialogue"] = replace(
        after,
        last_edit=edit.op,
        undo=before_edit(cart, current, plan),
        last_change=edit if edit.op == "change" and edit.changes else dialogue.last_change,
    )
    if added_specs:
        update["dialogue"] = replace(update["dialogue"], added=tuple(added_specs))
    if state.checkout is None and not current.empty and (changed or removed or added):
        reply.line(reply.pick("else", ANYTHING_ELSE))
        update["awaiting"] = "anything_else"
    return update


def _changed_text(edit: Edit, lines: Sequence[CartLineRead], cart: CartRead, reply: Reply) -> str:
    what = join(describe_line(line) for line in lines)
    total = money(sum((line.line_total for line in lines), Decimal("0")))
    if edit.op == "repeat":
        return reply.pick(
            "again", ("Sure, that's now {what} ({total}).", "Added: now {what} ({total}).")
        ).format(what=what, total=price(total, cart.currency))
    return reply.pick(
        "updated",
        (
            "Done, that's now {what} ({total}).",
            "Updated: {what} ({total}).",
            "Changed it to {what} ({total}).",
        ),
    ).format(what=what, total=price(total, cart.currency))


# --- the cart as a whole ----------------------------------------------------------------------


async def show_cart(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Show what is in the cart."""
    reply = Reply(state, runtime)
    _, current = await run_tool(view_cart, runtime, state)
    update: dict[str, Any] = {}
    if current.empty:
        reply.line("Your cart is empty. What can I get you?")
    else:
        what = join(describe_line(line) for line in current.lines)
        reply.line(f"You have {what}. Subtotal {price(current.subtotal, current.currency)}.")
        reply.card(cart_card(current))
        reply.line(reply.pick("else", ANYTHING_ELSE))
        update["awaiting"] = "anything_else"
        update["dialogue"] = state.dialogue.pruned(current)
    return reply.update(**update)


async def clear_cart(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Empty the cart, once the customer has confirmed it ("start over")."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    if state.asked == "confirm_clear":
        if state.intent is Intent.DENY:
            reply.line("Okay, I've kept your cart as it is.")
            return reply.update()
        _, current = await run_tool(clear_cart_tool, runtime, state)
        reply.line(
            reply.pick(
                "clear",
                (
                    "Okay, I've emptied your cart. What would you like instead?",
                    "Cart cleared. Let's start fresh. What can I get you?",
                ),
            )
        )
        reply.card(cart_card(current))
        return reply.update(checkout=None, dialogue=Dialogue())
    current = await ctx.cart.get(ctx.session_id)
    if current.empty:
        reply.line("Your cart is already empty. What can I get you?")
        return reply.update(checkout=None, dialogue=Dialogue())
    count = sum(line.quantity for line in current.lines)
    items = "1 item" if count == 1 else f"{count} items"
    reply.line(
        f"Do you want me to empty your cart ({items}, {price(current.subtotal, current.currency)})?"
    )
    reply.card(cart_card(current))
    reply.offer("Yes", "No")
    return reply.update(awaiting="confirm_clear")


__all__ = [
    "add_items",
    "clear_cart",
    "did_you_mean",
    "edit_cart",
    "kind_replaced",
    "show_cart",
    "suggestions",
]
