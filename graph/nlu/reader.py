"""`read`: one message against one menu's lexicon, to a `Reading`.

Pure and synchronous: the lexicon is only read (its typo cache only grows), so one lexicon can
serve every thread.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from graph.intents import Intent
from graph.nlu.edits import (
    WITH_JUST,
    find_refs,
    group_edit,
    item_words,
    joined_refs,
    kind_group,
    kind_words,
    read_edit,
    singular,
    the_dish_with,
)
from graph.nlu.grammar import OrderParse, Span, parse_order, scan
from graph.nlu.intent import (
    ORDER_VERB,
    WHICH_KINDS,
    address_in,
    allergens_in,
    classify,
    max_price_in,
    order_type_in,
    tags_in,
)
from graph.nlu.lexicon import Lexicon, OptionRef
from graph.nlu.people import (
    GROUP_WORDS,
    Mention,
    copied_from,
    handed_out,
    is_group,
    is_person,
    line_positions,
    mentions,
    name_said,
    names_in,
    owner_said,
    party_size,
    subject_before,
    who,
    whose_each,
)
from graph.nlu.reading import Asking, Choice, Edit, EditOp, OrderLine, Reading, Ref
from graph.nlu.text import normalize, tokenize
from graph.nlu.words import (
    COMMON_WORDS,
    DRINK_HEADS,
    GRAMMAR,
    LET_GO_OF_IT,
    MEASURES,
    NUMBER_WORDS,
    ORDINALS,
    TAKE_OFF_VERBS,
    Kind,
    amount_before,
    count_of,
    count_pattern,
    is_count,
    verbs_pattern,
)

# Words a menu question is about ("vegan", "drinks"), kept in its search text.
_QUERY_KEEP = frozenset(
    [
        "spicy",
        "vegetarian",
        "vegan",
        "halal",
        "healthy",
        "cheap",
        "hot",
        "cold",
        "sweet",
        "gluten",
        "dairy",
        "nut",
        "nuts",
        "drink",
        "drinks",
        "food",
        "lunch",
        "breakfast",
        "popular",
        "new",
        "special",
        "specials",
    ]
)
# Words of a menu question that are not what is being looked for.
_QUERY_STOP = (
    # Single grammar words only: a word of a longer phrase ("milk" of "room for milk") can be
    # exactly what is asked about.
    frozenset({p[0] for p in GRAMMAR if len(p) == 1} | COMMON_WORDS)
    | frozenset(
        [
            "menu",
            "anything",
            "something",
            "options",
            "whats",
            "got",
            "sell",
            "serve",
            "offer",
            "under",
            "below",
            "dollars",
            "bucks",
            "cheaper",
            "than",
            "free",
            "kind",
            "kinds",
            "sort",
            "type",
            "types",
            "choices",
            "available",
            "list",
            "show",
            "recommend",
            "suggest",
            "carry",
        ]
    )
) - _QUERY_KEEP


_MODIFIER_START = re.compile(r"^(?:with|no|without|extra|light|hold|add|easy|less|more)\b")
_FROM_ITEM = re.compile(r"\b(?:from|off|off of|on) (?:the|my|that|this|those|both) \w+")
# "take off the sausage pizza": the verb's "off", the dish after it is what goes
_VERB_OFF = re.compile(r"\b(take|knock|cross) off\b")


def _query(lexicon: Lexicon, tokens: list[str]) -> str | None:
    words = [t for t in tokens if t.isalpha() and t not in _QUERY_STOP and len(t) > 1]
    return " ".join(words) or None


_EDITS: dict[Intent, EditOp] = {
    Intent.CHANGE_ITEM: "change",
    Intent.REMOVE_ITEMS: "remove",
    Intent.REPEAT_ITEMS: "repeat",
}
# "add olives to both", "deep dish for the ham one": a preposition before a reference makes an
# order of options an edit of that line.
_TO_LINE = frozenset({"on", "to", "onto", "for", "in", "into", "of"})
_ASKING: tuple[tuple[Asking, re.Pattern[str]], ...] = (
    ("price", re.compile(r"\b(?:how much|price|prices|cost|costs|hm+ for|how expensive)\b")),
    (
        "sizes",
        re.compile(
            r"\b(?:what sizes?|which sizes?|sizes (?:do|does|are|can|have|come)|how big|"
            r"how large|comes? in|(?:any|other|different) sizes?|sizes?\?|size options)\b"
        ),
    ),
    (
        "contents",
        re.compile(
            r"\b(?:whats? (?:in|on)|what is (?:in|on)|what comes (?:on|in|with)|ingredients|"
            r"made (?:of|with)|come with|comes with|tell me (?:more )?about|describe|"
            r"whats (?:a|an|the)|what is (?:a|an|the))\b"
        ),
    ),
    (
        "recommend",
        re.compile(
            r"\b(?:recommend\w*|suggest\w*|whats good|what is good|whats popular|popular|"
            r"best ?sellers?|favou?rites?|signature|what should i (?:get|have|order)|"
            r"good here|famous for|specialty)\b"
        ),
    ),
    (
        "dietary",
        re.compile(
            r"\b(?:vegetarian|vegan|veggie|meatless|gluten|dairy|lactose|halal|kosher|nuts?|"
            r"allerg\w*|spicy|healthy|plant based)\b"
        ),
    ),
    (
        "contents",
        # "does it have honey on it?": what the dish holds (after the dietary words: "does it
        # have nuts?" is answered with the allergens)
        re.compile(
            r"\b(?:(?:does|do) (?:it|that|this|they|those|the \w+(?: \w+)?) (?:have|has|contain|"
            r"include)|(?:is|are) there \w+(?: \w+)? (?:in|on) (?:it|that|this|them|those))\b"
        ),
    ),
    (
        "has",
        re.compile(
            r"\b(?:do (?:you|u|yall|you guys) (?:have|has|carry|sell|offer|do|make|got)|"
            r"(?:you|u) (?:guys )?(?:have|got)|got any|is there|are there|can i get|can i have|"
            r"any)\b"
        ),
    ),
)
# A quantity no line can have, as typed: negative, fractional, zero, or beyond 99.
_BAD_QUANTITY = re.compile(
    r"(?<![\w$.,#/:-])(-\s?\d+(?:\.\d+)?|\d+\.\d+|\d{3,}|0+)(?![\w.,:/-]*\d)"
)


def asking_in(norm: str) -> Asking | None:
    """What a question asks: a price, the sizes, what is in a dish, whether there is something,
    a recommendation, a dietary need."""
    for kind, rx in _ASKING:
        if rx.search(norm):
            return kind
    return None


def _bad_quantity(lexicon: Lexicon, text: str) -> str | None:
    """A quantity said for items that no order can have ("-5 pizzas", "2.5 cokes", "0 cokes")."""
    for match in _BAD_QUANTITY.finditer(text):
        value = match.group(1).replace(" ", "")
        if match.group(1).startswith("- ") and text[: match.start()].strip():
            continue  # a dash between words sets off a list: "3 pizzas - 2 pepperoni, 1 cheese"
        after = tokenize(text[match.end() :])[:4]
        if after and after[0] in MEASURES:
            continue  # "2.5 liter", "100 ml"
        if any(lexicon.lookup(after, k)[0] for k in range(min(len(after), 3))) or (
            after[:2] in (["of", "them"], ["of", "those"]) or after[:1] == ["more"]
        ):
            return value
    return None


_REFERRING = frozenset(
    {
        Intent.UNKNOWN,
        Intent.ADD_ITEMS,
        Intent.CHANGE_ITEM,
        Intent.REMOVE_ITEMS,
        Intent.REPEAT_ITEMS,
        Intent.ASK_ITEM,
        Intent.BROWSE_MENU,
    }
)


def _named_outside(lexicon: Lexicon, tokens: list[str], refs: list[tuple[int, int, Ref]]) -> bool:
    """Whether an item is named outside the references ("two pizzas, ham on the other")."""
    i = 0
    while i < len(tokens):
        inside = next((end for start, end, _ in refs if start <= i < end), None)
        if inside is not None:
            i = inside
            continue
        length, entry = lexicon.lookup(tokens, i)
        if length and entry is not None and entry.items and not entry.options:
            return True
        i += max(length, 1)
    return False


def _kind_ordered_first(
    lexicon: Lexicon, tokens: list[str], refs: list[tuple[int, int, Ref]], order: OrderParse
) -> bool:
    """Whether a dish is ordered by its kind before the first line pointed at ("and a medium
    veggie for my cousin, no mushrooms on that one"): the pronoun is that new dish, as said."""
    if not order.lines or not all(line.inferred for line in order.lines):
        return False
    first = min(start for start, _, ref in refs)
    for i in range(first - 1):
        if tokens[i] not in ("a", "an", "one") and not is_count(tokens[i]):
            continue
        at = i + 1
        while at < first:
            length, entry = lexicon.lookup(tokens, at)
            if not length or entry is None or not entry.options:
                break
            if any(kind_group(ref.group) for ref in entry.options):
                return True
            at += length
    return False


_OPTION_CUES = frozenset({"extra", "more", "light", "less", "double", "no", "without", "easy"})


def _dish_at(lexicon: Lexicon, norm: str, found: re.Match[str]) -> bool:
    """Whether a dish's name starts where a match ends ("no queso": yes; "no capers": no), or
    after the options that say which one ("no shrimp pizza after all")."""
    tokens = norm[found.end() - len(found.group(0).split()[-1]) :].split()
    at = 0
    while True:
        length, entry = lexicon.lookup(tokens, at)
        if not length or entry is None:
            return False
        if entry.items:
            return True
        at += length  # an option naming the dish's line: the dish may follow


def _option_said(lexicon: Lexicon, tokens: list[str]) -> bool:
    """Whether every dish a message names is also an option said as one ("extra guac")."""
    found = False
    i = 0
    while i < len(tokens):
        length, entry = lexicon.lookup(tokens, i)
        if length and entry is not None and entry.items:
            if not entry.options or not (
                i and (tokens[i - 1] in _OPTION_CUES or amount_before(tokens, i))
            ):
                return False
            found = True
        i += max(length, 1)
    return found


_ANOTHER = frozenset({"another", "more", "also", "too", "own"})
_OF_HERS = frozenset(
    {"with", "without", "w", "no", "gets", "should", "needs", ",", ".", ":", "too"}
)


def _someones(tokens: list[str], names: frozenset[str]) -> bool:
    """Whether a message changes someone's dish ("the kids' ones light on the pepperoni",
    "mine with no mayo", "add an extra shot to mine"), rather than ordering one for them ("and a
    coke for my dad")."""
    said = mentions(tokens, names)
    if any(t in ("another", "more") for t in tokens) and any(m.kind == "for" for m in said):
        return False  # "one more for my son, just ketchup on his": his is the one ordered
    if any(
        t in ("to", "on", "onto", "in")
        and (
            tokens[k + 1 : k + 2] in (["mine"], ["his"], ["hers"])
            # "add sour cream to her taco" (the dish's words are blanked)
            or tokens[k + 1 : k + 3] in (["her", "_"], ["his", "_"], ["their", "_"])
            # "add an extra shot to Paul's", "on my wife's"
            or any(m.start in (k + 1, k + 2) and m.kind == "possessive" for m in said)
        )
        for k, t in enumerate(tokens)
    ):
        return True
    if any(
        t in ("put", "make", "change", "switch", "swap", "turn", "do")
        and (
            tokens[k + 1 : k + 2] in (["mine"], ["his"], ["hers"], ["theirs"])
            # "make mom's a medium too", "change my brother's to decaf"
            or any(m.start in (k + 1, k + 2) and m.kind == "possessive" for m in said)
        )
        for k, t in enumerate(tokens)
    ):
        return True  # "ok put mine on a sourdough crust", "make hers a large"
    if any(
        t in ("his", "her", "their") and tokens[k + 1 : k + 2] == ["_"] and tokens[k - 1] != "for"
        for k, t in enumerate(tokens)
        if k
    ) and not any(t in _ANOTHER for t in tokens):
        return True  # "my wife wants her mocha with an extra shot": her dish, whatever it gets
    if _HIS_OWN.search(" ".join(tokens)) and not any(t in _ANOTHER for t in tokens):
        return True  # "Jo wants hers on a gluten free crust": her dish, whatever it gets
    if any(t in ("a", "an", "another", "more", "also", "too") for t in tokens):
        return False
    if any(
        m.kind == "subject" and tokens[m.end : m.end + 1] == [":"] and "_" in tokens[m.end :]
        for m in said
    ):
        return False  # "husband: barbacoa burrito, extra salsa": his dish, ordered
    # ("i want two cokes" is an order, not a change of the speaker's dish)
    if any(m.kind != "for" and not (m.person == "me" and m.kind == "subject") for m in said):
        return True
    # "but hers with no crumbles", "his with extra cheese"
    return any(
        t in ("hers", "his", "theirs") and (k + 1 == len(tokens) or tokens[k + 1] in _OF_HERS)
        for k, t in enumerate(tokens)
    )


def _new_for_someone(order: OrderParse, tokens: list[str], norm: str) -> bool:
    """Whether a message about someone orders them a dish of their own, counted ("and the kids
    get two personal size pepperoni pizzas") or said so ("my roommate wants her own small
    pizza"), with no word of a dish they have ("his", "mine") or of one it replaces."""
    counted = any(line.quantity_said and not line.inferred for line in order.lines)
    # ("jake wants his own small pizza": "his" of "his own" is no dish he has)
    theirs = [t for k, t in enumerate(tokens) if t in _THEIRS and tokens[k + 1 : k + 2] != ["own"]]
    # "the twins are gonna share one large hawaiian": a dish for them to share is a new one
    shared = bool(order.lines) and not _SHARING.isdisjoint(tokens)
    return (counted or shared or "own" in tokens) and not theirs and _INSTEAD.search(norm) is None


_SHARING = frozenset({"share", "sharing", "split", "splitting"})


def _modifier_start(lexicon: Lexicon, tokens: list[str], norm: str) -> bool:
    """Whether a message opens with a word that changes an option ("extra cheese", "no onions"),
    not with an option whose name starts with it ("extra large meat lovers pizza")."""
    if _MODIFIER_START.match(norm) is None:
        return False
    spans = scan(lexicon, tokens)
    return not (spans and spans[0].kind == "menu" and spans[0].end - spans[0].start > 1)


def _options_listed(lexicon: Lexicon, tokens: list[str]) -> bool:
    """Whether a message only lists options ("jalapenos and chipotle", "lettuce tomato onion")."""
    spans = scan(lexicon, tokens)
    options = [s for s in spans if s.kind == "menu" and s.entry is not None and s.entry.options]
    return len(options) > 1 and all(
        (span.kind == "menu" and span.entry is not None and not span.entry.items)
        or span.kind in (Kind.AND, Kind.FILLER)
        or span.text in (",", "too", "also", "please", "pls")
        for span in spans
    )


def _dishes_masked(spans: list[Span]) -> list[str]:
    """The corrected tokens with the words of dishes' names blanked: the baby carrots are no
    baby."""
    return [
        "_" if span.kind == "menu" and span.entry is not None and span.entry.items else word
        for span in spans
        for word in span.text.split()
    ]


def _pointing(refs: list[tuple[int, int, Ref]], tokens: list[str]) -> bool:
    """Whether a message points at lines already ordered ("to both", "on the ham one"), not
    at more of them ("and also one with pepperoni")."""
    adding = bool(_ALSO_ONE.search(" ".join(tokens)))
    for start, _, ref in refs:
        if adding and ref.implied:
            continue
        if (
            ref.pronoun
            or ref.every
            or ref.other
            or ref.ordinal is not None
            or ref.count is not None
        ):
            return True
        if start and tokens[start - 1] in _TO_LINE and not _serving_of(tokens, start):
            return True
    return False


# "a small order of the baby carrots", "a bag of the chips": a serving, not a line
_SERVINGS = frozenset({"order", "orders", "side", "sides", "bag", "bags", "cup", "cups", "bowl"})


def _serving_of(tokens: list[str], start: int) -> bool:
    return start >= 2 and tokens[start - 1] == "of" and tokens[start - 2] in _SERVINGS


# "actually", "no,", "sorry, just": what opens a correction of the last order rather than more.
_CORRECTION = re.compile(
    r"^(?:(?:and|but|oh|um+|uh+|hmm+|ok|okay|so|well|on second thought)\b[\s,.!]*)*"
    # ("hmm, 2 izzes": a pause, then a count said again)
    r"(?:oops|sorry|no|nope|nah|wait|actually|actualy|acutally|hold on|make (?:it|that)|"
    r"hm+[\s,.]+(?=(?:\d+|one|two|three|four|five|six)\b)|"
    r"(?:i|he|she|they|we) (?:meant|mean|means)|change (?:it|that) to|scratch that|just|only)\b"
)
_CORRECTION_LAST = re.compile(r"^(?:\d+|two|three|four|five|six|one) [a-z ]+ (?:actually|instead)$")
_MORE = re.compile(r"\b(?:also|another|more|plus|as well|too|add|extra)\b")
_MORE_NOT_TOO = re.compile(r"\b(?:also|another|more|plus|as well|add|extra)\b")
_MIND_CHANGED = re.compile(r"\bchanged (?:his|her|their|my) mind\b")
_AGAIN_START = re.compile(
    r"^(?:and |n |ok |okay |oh |also |actually |um |so |then |add |i(?:ll| will|d| would)? "
    r"(?:have|take|get|like) |(?:can|could|may) i (?:get|have) |(?:give|get|bring) me |"
    r"let me (?:get|have) )*"
    # ("same burger again for my sister": the dish's noun said between)
    r"(?:another|one more|\w+ more|(?:the )?(?:exact )?same(?: again| one| thing| [a-z]+ again)?"
    r" (?=for|of)|"
    # "same again on the cappuccino": that line once more
    r"same(?: thing)? again (?=on )|"
    r"a (?:second|third|fourth|2nd|3rd|4th)(?= one\b| [a-z])(?! (?:sec|second|minute|moment)\b)|"
    r"double (?:it|that|them|those|the|my|this|these|everything))\b(?! (?:thing|question|time)\b)"
)
# "first ...", ", 2nd ...", "and the third ...": a clause opening with a place
_PLACE_OPENS = re.compile(
    r"(?:^|[,.;] |\band )(?:the )?(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b"
)
_SAME_WAY = re.compile(
    r"\b(?:same way|the same|same thing|just like (?:it|that|the other|the first|before)|"
    r"like (?:the other|the first|before|that one)|same as (?:the other|the first|before))\b"
)


# "another one with bacon", "one more without onions": the line again, changed
_MORE_THEN_OPTIONS = re.compile(
    r"^(?:and |ok |okay |oh |also |actually |add )*(?:another|one more)(?: one)?"
    r"(?: for (?:my |the |his |her |our |their )?\w+)? ?, ?(?=\w)(?!(?:a|an|one)\b)"
)
_AGAIN_WITH = re.compile(
    r"^(?:and |n |ok |okay |oh |also |actually |um |so |add )*(?:another|one more)(?: one)? "
    r"(?:with|without|w|no|but|in|on|like|and make it)\b"
)
# "the same pizza for my friend but swap ...": a dish copied, changed (not "the same but add
# bacon to mine", a copy, then a change of it)
_SAME_DISH_BUT = re.compile(r"\bsame (?!but\b|for\b)[a-z]+\b.*\bbut\b")
# "same burrito again", "and the salad again for my friend": that line once more
_DISH_AGAIN = re.compile(r"\b(?:the|that|same) (?:[a-z]+ ){1,3}?again\b")
# "the same but hot", "my husband wants the same plus bacon": a copy, changed
_SAME_BUT = re.compile(
    r"(?:^(?:and |n |ok |okay |oh |also |then |um |so |do |make |give me )*(?:(?:and )?(?:the|a) )?"
    r"|\b(?:the|a) (?:exact |very )?|\b(?:a second|another|one more)(?: one)? ?, ?)same "
    r"(?:\w+ |, ){0,4}?"
    r"(?:with|without|but|except|only|plus)\b"
)
# "in a lettuce wrap", "on a brioche bun", "and on a cauliflower crust": an article, not a count
_ON_A = re.compile(r"^(?:(?:and|also|oh|ok|okay|plus|actually|n) )*(?:in|on|with|as) (?:a|an) ")
# "caramel in both", "syrup in all three": the count is of the lines the options go in
_IN_ALL = re.compile(r"\b(?:in|into|on|onto|to|for) (?:all|both|each)\b")
# "how much extra is barbacoa", "is bacon extra": the word asks what it costs, no double portion
_EXTRA_COST = re.compile(r"^(?:\w+ )*?how much extra\b|\b(?:is|are|cost|costs) (?:\w+ ){1,3}extra$")
# "on second thought no queso", "no fries after all": a dish not wanted any more
_NO_DISH = re.compile(
    r"^(?:(?:on second thought|actually|oh|and|but|ok|okay|hmm|wait|so|nah|"
    r"(?:i )?(?:changed|change) my mind|change of plans?)(?: ?,)? )*"
    r"(?:no|no more|skip the|skip) "
    r"(?!thanks|thank|problem|worries|way|thats|that|sorry|wait|actually|i\b|its|it\b|,)\w+"
)
_ON_THE_SIDE = re.compile(r"^(?:and |also |plus |oh )*(?:a|an|one|some) .*\bon the side$")
_SO_COUNT = re.compile(r"\bso (?:just |only )?(?:\d+|one|two|three|four|five|six) \w+$")
_INSTEAD = re.compile(r"\binstead\b")
# "scratch the cocoa, get me a shake instead", "and a side of guac instead" (after one was taken
# off): the dish "instead" is of something taken off, so it is an order, not a line changed
_TAKEN_OFF_FIRST = re.compile(
    r"^(?:and|plus|also)\b|\b(?:scratch|drop|remove|delete|cancel|ditch|lose|get rid of)\b"
)
# "too pricey, ...", "that's too much": "too" saying how, not "as well"
_TOO_SO = re.compile(r"\btoo (?!(?:please|pls|thanks|then|and|for|with|plus|,)\b)(?=[a-z])")
_WANTS_SAME = re.compile(
    r"\b(?:wants?|would like|d like|will have|is having) (?:one|another|the same|exactly the same|"
    r"the exact same)\b|"
    r"\bone for (?:my |the |our )?\w+ too\b"
)
_ONE_FOR = re.compile(r"^(?:(?:and|also|plus|oh|ok|okay|n|then)\s+)*(?:1|one) for\b")
_THEIR_MIND = re.compile(
    r"\b(?:instead|rather|changed (?:his|her|their|my) mind|switched (?:over )?to|"
    r"(?:doesn'?t|does not|don'?t|do not) want (?:the |his |her |their |my )?(?:\w+ ){1,3}?"
    r"any ?more)\b"
)
_ALSO_ONE = re.compile(r"\b(?:also|plus|another|too|as well)\b")
_INSTEAD_OF = re.compile(r"\b(?:instead of|rather than|in place of)\b")
# "a decaf, not a regular", "he wants a cheeseburger not a hamburger": the dish in place of one
_NOT_THAT = re.compile(
    r"(?:, not (?:a |an |the )?| not (?:a|an|the) )(?!one$|two$|three$|four$|five$|\d+$)\w+"
    r"(?: \w+)?$"
)
_ONLY_AFTER = re.compile(
    r"^(?:and |n |ok |so )*(?:(?:only|just) (?:\d+|one|two|three|four|five) (?:(?!with\b)\w+ ?)"
    r"{1,3}(?:too|as well|also)?$|(?:\d+|one|two|three|four|five) (?:(?!with\b)\w+ ){1,3}"
    r"(?:only|just)$)"
)
_BUT = re.compile(r"\b(?:but|only|just|except)\b")
# "another turkey without the guac": the option of the line copied, left off (as "but")
_WITHOUT_THE = re.compile(r"\b(?:without|minus|hold|skip) the\b")


def _left_off(order: OrderParse, norm: str) -> bool:
    """Whether the only options a dish is said with are the ones it is said without, named as
    the copied line's ("a second turkey without the guac")."""
    said = [c for line in order.lines if not line.inferred for c in line.choices]
    return bool(said) and all(c.exclude for c in said) and _WITHOUT_THE.search(norm) is not None


def _again_start(norm: str) -> re.Match[str] | None:
    """Where a message opens by asking for the same again ("another one with bacon"); not
    "another friend just showed up, she wants ...", a new person."""
    found = _AGAIN_START.match(norm)
    if found is None:
        return None
    after = norm[found.end() :].split(maxsplit=1)
    return None if after and is_person(after[0]) else found


def _another_not_option(lexicon: Lexicon, norm: str) -> bool:
    """Whether "another"/"one more" opens a message that ends by saying an option the new one
    lacks ("and another normal espresso, not decaf": one more, plain; not the decaf changed)."""
    if _again_start(norm) is None:
        return False
    found = _NOT_THAT.search(norm)
    if found is None:
        return False
    words = found.group().split()
    entry = lexicon.phrases.get(tuple(words[-1:]))
    return entry is not None and bool(entry.options) and not entry.items


def _names_a_line(refs: list[tuple[int, int, Ref]], tokens: list[str]) -> bool:
    """Whether the message opens with a line named ("the vanilla one") and says more after."""
    if not refs:
        return False
    start, end, ref = refs[0]
    lead = tokens[:start]
    if tokens[start] == "another":
        return False  # "another diet coke, large this time": one more, not that line
    return ref.named and end < len(tokens) and all(t in ("and", "oh", "ok", ",") for t in lead)


_COPY_OPENERS = frozenset({"and", "oh", "ok", "okay", "also", "then", "plus", "n", "now", ","})


def _copy_for_someone(tokens: list[str], names: frozenset[str]) -> bool:
    """Whether a message opens with someone else, then "the same" or "too, but": "my daughter
    the same but add mushrooms", "and Jen the same", "my son too but with whipped cream"."""
    start = 0
    while start < len(tokens) and tokens[start] in _COPY_OPENERS:
        start += 1
    said = mentions(tokens, names)
    if not said or said[0].start != start or said[0].person == "me":
        return False
    after = tokens[said[0].end : said[0].end + 8]
    wants = after[:1] in (["wants"], ["needs"], ["gets"], ["likes"])
    if wants:
        # "my friend wants the exact same but ...", "my gf wants that too but ...": the same
        after = after[1:]
    if after[:1] == ["the"]:
        after = after[1:]
    if after[:1] in (["exact"], ["very"], ["exactly"]):
        after = after[1:]
    if after[:1] == ["same"]:
        return after[1:2] != ["as"]  # ("my son the same as his sister": hers, read elsewhere)
    if wants and after[:1] in (["that"], ["it"], ["one"], ["those"]):
        after = after[1:]  # ("my gf wants that too but cauliflower rice instead of brown")
    elif wants and after[:1] in (["a"], ["an"]) and "too" in after[2:5]:
        # "my wife wants a chicken sandwich too but blue cheese instead of bacon": the one said
        # before, copied, changed
        after = after[after.index("too", 2) :]
    return after[:1] in (["too"], ["also"]) and "but" in after[1:3]


# "i'll have the same but add bacon to mine", "can i get the same, with no onions on mine": the
# speaker orders a copy of the last, changed ("mine" is the copy, not a dish they have)
_SAME_FOR_ME_BUT = re.compile(
    r"^(?:(?:and|oh|ok|okay|also|then|so|um|n) )*"
    r"(?:i(?:ll|d| will| would)? (?:just )?(?:have|take|get|do|like|want|need)|"
    r"(?:can|could|may) i (?:just )?(?:get|have|do)|(?:give|get) me|gimme|let me (?:get|have)) "
    r"(?:exactly )?the (?:exact )?same(?: thing| one)?(?: ,)? (?:but|with|without|except|no)\b"
)


def _in_conversation(
    lexicon: Lexicon,
    intent: Intent,
    norm: str,
    tokens: list[str],
    refs: list[tuple[int, int, Ref]],
    order: OrderParse,
    masked: list[str],
    names: frozenset[str],
) -> Intent:
    """The intent of a message that points back at the order so far, read as an edit of it.
    `order` is what the grammar read in it; `masked`, the tokens with dishes' words blanked."""
    named = any(not line.inferred for line in order.lines)
    if intent in (Intent.ADD_ITEMS, Intent.CHANGE_ITEM, Intent.UNKNOWN) and (
        _copy_for_someone(tokens, names) or _SAME_FOR_ME_BUT.match(norm)
    ):
        # "my daughter the same but add mushrooms", "my son too but with whipped cream": a
        # copy of the last for them, changed (not their dish changed); "i'll have the same but
        # add bacon to mine": for the speaker
        return Intent.REPEAT_ITEMS
    if (
        intent in (Intent.ADD_ITEMS, Intent.CHANGE_ITEM)
        and not named
        and _ONE_WITH_THE_SAME.search(norm)
    ):
        # "I want a large one with the same toppings": a copy of the last, large
        return Intent.REPEAT_ITEMS
    if intent is Intent.ADD_ITEMS and AS_MANY.search(norm):
        return intent  # "and just as many cokes": an order, counted by the last one
    if intent is Intent.ADD_ITEMS and _ONE_OF_THOSE_TOO.match(norm):
        # "and a small one of those too": another of the line, as said
        return Intent.REPEAT_ITEMS
    if (
        intent in (Intent.CHANGE_ITEM, Intent.UNKNOWN)
        or (intent is Intent.ADD_ITEMS and not order.lines)  # ("cancel his order")
    ) and _whose_taken_off(norm, names):
        return Intent.REMOVE_ITEMS  # "take Sam's off", "cancel hers": that person's lines
    # a dish named with options of its own ("one more chicken sandwich with extra pickles" is
    # that sandwich ordered, not a copy of the last)
    dressed = any(line.choices and not line.inferred for line in order.lines)
    if intent is Intent.ADD_ITEMS and _ON_THE_SIDE.search(norm):
        return intent  # "also a guacamole on the side": the side dish, ordered
    if (
        intent is Intent.ADD_ITEMS
        and WITH_JUST.search(norm)
        and named
        # ("the twins want their pizza with just cheese": their dish, changed)
        and not _someones(masked, names)
    ):
        return intent  # "one more medium pizza with just pepperoni": a new one, as said
    if (
        intent is Intent.ADD_ITEMS
        and any(r.words and not r.items for _, _, r in refs)
        and not named
    ):
        return Intent.CHANGE_ITEM  # "ill try the curly ones": a line or a dish by its word
    no_dish = _NO_DISH.match(norm)
    if intent is Intent.ADD_ITEMS and no_dish is not None and _dish_at(lexicon, norm, no_dish):
        return Intent.REMOVE_ITEMS  # "on second thought no queso"
    if intent is Intent.ADD_ITEMS and _option_said(lexicon, tokens):
        return Intent.CHANGE_ITEM  # "extra guac actually": the topping, on the line with it
    if (
        intent is Intent.ADD_ITEMS
        and order.lines
        and all(line.inferred and not line.quantity_said for line in order.lines)
        # ("my gf wants a small margherita": a pizza of her own, by its kind)
        and not any(t in ("a", "an", "one", "same") or is_count(t) for t in tokens)
        and any(m.kind == "subject" and m.person != "me" for m in mentions(tokens, names))
    ):
        return Intent.CHANGE_ITEM  # "he wants sour cream and guac too": on his dish
    if (
        intent is Intent.ADD_ITEMS
        and order.lines
        and all(line.inferred for line in order.lines)
        and _ONE_OF_THEIRS.match(norm)
        and not _MORE.search(norm)
    ):
        return Intent.CHANGE_ITEM  # "one of the kids wants a small": one of theirs, small
    if intent in (Intent.ADD_ITEMS, Intent.UNKNOWN) and _WANTS_SAME.search(norm):
        return Intent.REPEAT_ITEMS  # "my coworker wants exactly the same pizza"
    if (
        intent in (Intent.ADD_ITEMS, Intent.CHANGE_ITEM)
        and _ONE_FOR.match(norm)
        and len(mentions(tokens, names)) == 1
    ):
        # "and one for my wife with just lettuce and tomato": one more of the dish just
        # ordered, for her, as she wants it (not "one for me, one for my wife": who each is)
        return Intent.REPEAT_ITEMS
    if (
        intent in (Intent.ADD_ITEMS, Intent.UNKNOWN)
        and _someones(masked, names)
        and not _new_for_someone(order, masked, norm)
    ):
        return Intent.CHANGE_ITEM  # "my husband's bowl with brown rice", "mine with no mayo"
    if (
        intent is Intent.ADD_ITEMS
        and _THEIR_MIND.search(norm)
        # ("..., also ketchup only" after "instead": more of how the new one is; "I changed my
        # mind, I'll have a tuna too": like hers, in place of mine)
        and not (_MORE_NOT_TOO if _MIND_CHANGED.search(norm) else _MORE).search(
            norm.partition(" instead ,")[0].replace(" any more", "")
        )
        and any(m.kind != "for" for m in mentions(tokens, names))
    ):
        # "my husband changed his mind, he wants an americano instead", "my mom would rather
        # have a decaf drip coffee": the dish in place of theirs
        return Intent.CHANGE_ITEM
    if intent is Intent.ADD_ITEMS:
        if (
            # ("1st pepperoni, 2nd ham, 3rd same as the first": units of a line, by place)
            (_SAME_WAY.search(norm) and len(_PLACE_OPENS.findall(norm)) < 2)
            or _SAME_BUT.search(norm)
            or _DISH_AGAIN.search(norm)
            or (
                _again_start(norm)
                and not (dressed and _BUT.search(norm) is None and not _left_off(order, norm))
                and (
                    _pointing(refs, tokens)
                    or bool(refs)  # "add another pepperoni one"
                    or _named_outside(lexicon, tokens, [])
                    or _BUT.search(norm) is not None
                    or _AGAIN_WITH.match(norm) is not None
                    # "and one more for my kid, small, no whipped cream": no dish named, so
                    # another of the last, as said ("one more for my brother, a medium with
                    # ham" is a new one)
                    or (
                        _MORE_THEN_OPTIONS.match(norm) is not None
                        and all(line.inferred for line in order.lines)
                    )
                )
            )
        ):
            # "another chicken sandwich, same way", "one more of the pork one", "one more
            # order of fries" (the cart decides: a dish not in it is simply ordered), "another
            # one with bacon" (a copy of the line, changed)
            return Intent.REPEAT_ITEMS
        if (
            refs
            and _pointing(refs, tokens)
            and not _named_outside(lexicon, tokens, refs)
            and not _kind_ordered_first(lexicon, tokens, refs, order)
        ):
            # "add olives to both", "make the second pizza large too": options for lines
            # already ordered, not a new line
            return Intent.CHANGE_ITEM
        if (
            _names_a_line(refs, tokens)
            and (
                not ORDER_VERB.search(norm)
                # ("the party one, gimme stuffed crust": what that line is to get, no dish named)
                or (not named and tokens[refs[0][1] : refs[0][1] + 1] == [","])
            )
        ):
            # "and the vanilla one large", "the coffee small": a line named, then how it changes
            return Intent.CHANGE_ITEM
        if (
            _INSTEAD_OF.search(norm)
            or (_NOT_THAT.search(norm) and not _another_not_option(lexicon, norm))
            or (_INSTEAD.search(norm) and _pointing(refs, tokens))
        ):
            # ("can i get that as tacos instead")
            # "can i get red peppers instead of green", "i want latte, not americano"
            return Intent.CHANGE_ITEM
        if _ONLY_AFTER.search(norm) or _SO_COUNT.search(norm):
            # "1 izze only", "one of the guys doesnt want a drink so 4 teas": how many
            return Intent.CHANGE_ITEM
        if (
            _CORRECTION.match(norm)
            or _CORRECTION_LAST.search(norm)
            or (_INSTEAD.search(norm) and not _TAKEN_OFF_FIRST.search(norm))
        ) and not _MORE.search(_TOO_SO.sub("", norm)):
            # "no, two tacos", "just one diet coke", "actually a sprite", "ill do a single
            # cheeseburger instead": the last order corrected (the cart decides which line; a
            # dish not in it is still ordered)
            return Intent.CHANGE_ITEM
    if intent in (Intent.CHANGE_ITEM, Intent.UNKNOWN) and (
        (
            intent is Intent.CHANGE_ITEM
            and _again_start(norm)
            and (refs or _BUT.search(norm) or _INSTEAD_OF.search(norm))
        )
        or _SAME_BUT.search(norm)
    ):
        # "another one of those but iced", "double the cookie", "one more but chicken instead
        # of barbacoa", "the same bowl with steak instead of chicken", "the same but hot for my
        # friend": a changed copy
        return Intent.REPEAT_ITEMS
    if (
        intent is Intent.UNKNOWN
        and refs
        and (
            _pointing(refs, tokens)
            or _names_a_line(refs, tokens)
            or (ORDER_VERB.search(norm) is not None and any(r.words for _, _, r in refs))
        )
    ):
        # "american cheese on the second", "and the shake large"; "ill try the curly ones": a
        # line or a dish by a word of its name
        return Intent.CHANGE_ITEM
    return intent


# "is the margherita pizza vegetarian?": the diet asked about, said after the dish
_IS_IT_DIET = re.compile(
    r"\b(?:is|are) .+ (?P<diet>vegan|vegetarian|veggie|gluten free|dairy free|keto|halal|kosher)"
    r"(?: [?.!])*$"
)


def _diet_asked(lexicon: Lexicon, norm: str, lines: tuple[OrderLine, ...]) -> tuple[OrderLine, ...]:
    """The dishes of "is the margherita pizza vegetarian?" without the vegetarian kind the word
    also names: the question asks whether the margherita is, it orders no vegetarian style
    beside it ("is the vegetarian pizza vegan?" likewise)."""
    found = _IS_IT_DIET.search(norm)
    if found is None:
        return lines
    entry = lexicon.lookup(found.group("diet").split(), 0)[1]
    if entry is None or not entry.options:
        return lines
    asked = {(ref.group, ref.option) for ref in entry.options}
    out = []
    for line in lines:
        other = {c.group for c in line.choices if (c.group, c.option) not in asked}
        kept = tuple(
            c for c in line.choices if (c.group, c.option) not in asked or c.group not in other
        )
        out.append(replace(line, choices=kept))
    return tuple(out)


# "and with each cheeseburger too", "one for every taco": the dish just added, for those lines
AND_WITH_EACH = re.compile(
    r"^(?:(?:and|also|plus|oh|ok|okay)[\s,]+)*(?:one |1 )?"
    r"(?:(?:with|for|to go with) (?:each|every)|per)\b",
    re.I,
)
# "and just as many cokes", "the same number of fries": as many as the dish just ordered
# (not "twice as many")
AS_MANY = re.compile(r"(?<!twice )(?<!half )\b(?:as many|the same (?:number|amount) of)\b")
# "and a small one of those too", "a large one of them as well": one more of the line, so
_ONE_OF_THOSE_TOO = re.compile(
    r"^(?:(?:oh|ok|okay),? )*(?:(?P<more>and|also|plus),? )?(?:a|an|one) (?:[a-z]+ ){1,3}one of "
    r"(?:those|these|them|that)(?(more)(?: (?:too|as well|also))?| (?:too|as well|also))[.!]?$"
)
_ONE_WITH_THE_SAME = re.compile(
    r"\b(?:a|an|another) (?:[a-z]+ ){0,3}one,? with (?:the )?same (?:toppings|fillings|stuff|"
    r"ingredients|options|everything|extras)\b|"
    # "and a small one just like it", "and the same in large": a copy of the last, so changed
    r"\b(?:a|an|another) (?:[a-z]+ ){0,3}one,? (?:just |exactly )?like (?:it|that|this)\b|"
    r"^(?:and|also|plus),? (?:the )?same(?: thing| one| again)? in (?:a |an )?[a-z]+$"
)
# "one of the kids wants a small": one of a group, the options only of the dish they have
_ONE_OF_THEIRS = re.compile(
    r"^(?:(?:oh|and|ok|okay|so|but|actually|wait),? )*one of (?:the|my|our) [a-z]+s "
    r"(?:wants|would like|needs|prefers|should get|gets)\b"
)
# "take Sam's off", "cancel my wife's", "remove hers": a person's lines taken off, their dish
# unsaid
_WHOSE_OFF = re.compile(
    r"^(?:(?:so|and|then|please|pls|just|ok|okay|actually|oh|wait),? )*"
    rf"(?:{verbs_pattern(TAKE_OFF_VERBS)}|get rid of)(?: off| out)?(?: all(?: of)?)?"
    r" (?P<whose>(?:(?:my|our|the) )?[a-z]+)"
    r"(?: (?:order|orders|one|food|meal|stuff|things|items|drinks))?"
    r"(?: (?:off|out|too|please|pls|as well|then))*$"
)

# "his stuff", "her order", "all of theirs": every line of a person's, taken off
_ALL_THEIRS = re.compile(
    r"\b(?:his|her|their|[a-z]+s) (?:stuff|things|items|order|orders|food)\b"
    r"|\ball (?:of )?(?:his|hers|theirs)\b"
)


def _whose_taken_off(norm: str, names: frozenset[str]) -> bool:
    """Whether a message only takes a person's lines off ("take Sam's off", "cancel hers")."""
    found = _WHOSE_OFF.match(norm)
    if found is None:
        return False
    word = found.group("whose").split()[-1]
    if word in ("his", "hers", "theirs", "mine"):
        return True
    return word.endswith("s") and (
        name_said(word, names) is not None or (is_person(word) and " " in found.group("whose"))
    )


# Where a message may hold a second request: "make it 3 cokes and add a ginger ale", "remove
# the fries, and make the coke a large". A clause boundary followed by a verb of its own.
# "add jalapenos to it too, and a large diet coke": a change of a line said by a pronoun, then
# a dish of its own
_THEN_A_DISH = re.compile(
    r"(?:(?<=\bit)|(?<=\bthem)|(?<=\bboth)|(?<=\btoo)|(?<=\bwell))"
    r"(?:,\s*|\s+)(?:and|plus)\s+(?=(?:a|an|one|two|three|four|five|six|\d+)\s)",
    re.I,
)
# "4 subs. bacon on all of them except sam's": the sentence that leaves people out of all of
# them, an edit of what was ordered before it
_ALL_BUT_PEOPLE_NEXT = re.compile(
    r"[.!;]\s+(?=[^.!;?]*\b(?:all|each|every|everyone|everybody)\b[^.!;?]*?\b(?:except|but)"
    rf"(?: for)? (?!(?:the|a|an|no|not|with|without|extra|{count_pattern(20)})\b)[a-z])",
    re.I,
)
_NEXT_REQUEST = re.compile(
    r"(?:[,.;]\s*(?:(?:and|then|also|plus|but)\s+)*|\s+(?:and|then|also|plus|but)\s+"
    r"(?:(?:and|then|also|plus|but)\s+)*)(?=(?:please\s+)?"
    # ("scratch the last one, just make it 2 of the hamburgers": the second request)
    r"(?:(?:just|only)\s+(?=make\b))?"
    # ("2 cokes, make that 3, and fries": the count put right in the same breath)
    rf"(?:add|make(?! that {count_pattern(20)}\s*(?:[,.;]|$|and\b))|remove|take|change|"
    r"swap|switch|put|get|give|throw|toss|drop|forget|scratch|cancel|can you|could you|can i|"
    r"could i|(?:can|could) (?:the|it|that|they|those)|"
    r"i(?:ll| will| would|d)? (?:also )?"
    r"(?:like|want|need|have|take)|i also|"
    # "no hamburger for him, he'll just have a salad": what the person has instead
    r"(?:he|she|they)(?:['’]?ll| will) (?:just |only )?(?:have|take|get)|"
    # "she wants a cherry coke, and he wants the same drink": the copy, after the order
    # ("a burger and fries for me and my wife will have the same but with guac", "... and the
    # same for my bf": the copy for another, after the order)
    # ("..., my daughter the same with pineapple added": the verb left out)
    r"(?:he|she|they|my \w+) (?:(?:wants?|would like|will have|(?:is|are) having|gets?) )?"
    r"(?:exactly |just )?(?:the )?same\b|(?:exactly )?(?:the )?same (?:thing )?for\b|"
    r"(?:mine|hers|his|theirs) (?:with|without|w|no|gets|should|needs)|"
    # "... a burrito with carnitas. The bowl is for my daughter, she wants it with no sour
    # cream": whose a dish just ordered is, and how they want it
    r"the (?:\w+ ){1,3}?(?:one )?(?:is|['’]?s) (?:for|mine|hers|his|theirs)|"
    # "the veggie one gets guac, and everyone gets sour cream": the rest of the order too
    r"(?:everyone|everybody|all of them|the rest) (?:gets?|wants?|should)|"
    r"(?:\w+ ){1,2}one (?:gets?|should|needs))\b)",
    re.I,
)
_SWAP_THEM = re.compile(
    r"^(?:and |then )?(?:(?:swap|switch|replace|exchange|change|sub) (?:them|it|those|that|this) "
    r"(?:for|with|to|into) |(?:make|do) (?:it|that|them) (?=(?:a|an|one)\b))",
    re.I,
)
_TAKE_OFF = re.compile(
    r"^(?:(?:hmm+|um+|oh|ok|okay|so|and|actually|wait|no),? )*"
    rf"(?:please )?(?:{verbs_pattern(TAKE_OFF_VERBS)}|get rid of)\b|\b(?:off|out|please)\b",
    re.I,
)
# "scratch the latte, just a large cappuccino for me": a line taken off, then the dish instead
# "two of the lattes decaf, and whipped cream on the hot chocolates", "..., and 2 of the
# cheeseburgers without onions": a change of other lines
_AND_ON_THE = re.compile(
    r"[,.;]\s*(?:and|plus)\s+(?=(?:[\w-]+\s+){1,4}(?:on|onto|in|for) (?:the|both|all|each)\b|"
    r"(?:\d+|one|two|three|four|five|six) of (?:the|those|them|these)\b)",
    re.I,
)
# "ok add bbq sauce then, and a mountain dew", "ok then no cheese please, and a medium sweet
# potato fries": options for the line that takes them, then a dish of its own
_ADD_THEN_A_DISH = re.compile(
    r"^(?:(?:ok|okay|so|oh|yes|yeah|sure|then|and|great|perfect|fine)\b[\s,]*)*"
    r"(?:add|put|throw|no|without|hold|extra)\b[^,.;]*(,)\s*(?:and|plus)\s+"
    r"(?=(?:a|an|one|two|three|four|\d+)\s)",
    re.I,
)
_OFF_THEN_A_DISH = re.compile(
    # (not "take": "I'll take the latte, just a large")
    rf"\b(?:{verbs_pattern(TAKE_OFF_VERBS - {'take', 'minus'} | {'forget'})})\b[^,]*,\s*"
    r"((?:just|only|instead) (?:a|an|one|two|three|\d+)\s)",
    re.I,
)
# "swap them", "switch the peppers around", "I got them backwards", "mixed them up"
_SWAPPED = re.compile(
    r"\b(?:swap|switch|backwards?|mixed (?:them |those |it )?up|mix(?:ed)? up|the other way"
    r"(?: around| round)?|the wrong way|reversed?)\b",
    re.I,
)
# "put the honey on the latte and hazelnut on the americano", "no onions on the italian and no
# tomatoes on the cold cut": each option said on a line
_EACH_ON = re.compile(
    r"(?:\b(?:put|move|have|do)\s+)?(?:\bthe\s+)?\b(?P<a>(?:no\s+)?[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:on|onto|in|to)\s+the\s+(?P<x>[\w-]+(?:\s+[\w-]+)?)\s*,?\s*and\s+(?:(?:put|move)\s+)?"
    r"(?:the\s+)?(?P<b>(?:no\s+)?[\w-]+(?:\s+[\w-]+)?)\s+(?:on|onto|in|to)\s+the\s+"
    r"(?P<y>[\w\s-]+?)\s*(?:instead|then|please)?\s*[.!]*$",
    re.I,
)
_CART_EDITS = frozenset({Intent.CHANGE_ITEM, Intent.REMOVE_ITEMS, Intent.REPEAT_ITEMS})
# what a request beside an edit may be: an order, or taking what was offered ("one of each")
_TAKING = frozenset({Intent.ADD_ITEMS, Intent.AFFIRM})
_OPENER_ONLY = re.compile(
    r"^(?:(?:no|oh|wait|actually|sorry|hmm+|um+|ok|okay|so|and|on second thought|hold on|"
    r"(?:one|just one) (?:more|last) thing|another thing|"
    # ("that's one too many, take one back off": why, before the removal)
    r"(?:that'?s |that is |its )?(?:way |one |two |\d+ )?too (?:many|much))"
    r"[\s,.!]*)+$",
    re.I,
)


def _swapped_over(lexicon: Lexicon, text: str) -> list[str] | None:
    """ "Swap them, I mean honey on the latte and hazelnut on the americano", "I got them
    backwards: no onions on the italian and no tomatoes on the cold cut": options traded
    between two lines, each moved onto the line said (and so off the one that had it), one
    after the other."""
    found = _EACH_ON.search(text)
    if found is None:
        return None
    moves = []
    for what, dish in ((found["a"], found["x"]), (found["b"], found["y"])):
        words = tokenize(what)
        said = words[1:] if words[0] == "no" else words
        width, entry = lexicon.lookup(said, 0)
        if entry is None or not entry.options or entry.items or width != len(said):
            return None
        refs = find_refs(lexicon, tokenize(f"the {dish}"))
        if not refs or not refs[0][2].items:
            return None
        moves.append(f"move the {what} to the {dish}")
    return moves


def _only_a_line(lexicon: Lexicon, part: str) -> bool:
    """Whether a part of a message only names a line ("and the one with ham")."""
    _, said = owner_said(tokenize(part))  # "my wife's salad, could you add bacon"
    tokens = [t for t in said if t not in ("and", "oh", "ok", "so", "for", "as", ",", ".")]
    if not tokens:
        return True
    if (
        tokens[0] not in ("the", "my", "that", "this", "those", "these")
        and len(tokens) <= 3
        # ("and 3 fries. make one of them curly": an order; "two of those" is lines)
        and not (is_count(tokens[0]) and tokens[1:2] != ["of"])
    ):
        tokens = ["the", *tokens]  # "(my wife's) salad"
    refs = find_refs(lexicon, tokens)
    return bool(refs) and refs[0][0] == 0 and refs[0][1] >= len(tokens)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[a-z]|\d+ (?:actually|please|pls|instead)\b)", re.I)
# "I'll take the large one", "one of each please": taking what was offered
_TAKES = re.compile(r"\b(?:take|have|get|want|one of)\b.*\b(?:it|that|one|those|them|this|each)\b")
_QUESTIONS = frozenset(
    {Intent.ASK_ITEM, Intent.BROWSE_MENU, Intent.ASK_RESTAURANT, Intent.VIEW_CART}
)
_ORDERS = frozenset(
    {Intent.ADD_ITEMS, Intent.CHANGE_ITEM, Intent.REMOVE_ITEMS, Intent.REPEAT_ITEMS}
)


# "doesn't", "do not", "wont": the words of not wanting, one list for the rules that read them
_NOT = r"(?:doesn['’]?t|does not|don['’]?t|do not|didn['’]?t|did not|won['’]?t)"
# "Nate doesn't want his americano anymore", "Linda isn't coming, she was the decaf latte":
# someone's dish taken off, said as what they no longer want (not "I", whose words are a removal
# already, nor options: "she doesn't want the onions" is left to the edit reader)
_NOT_THEIRS_WORDS = re.compile(
    rf"\b(?:{_NOT}|no longer) (?:want|need)s?\b|\b(?:isn['’]?t|is not|won['’]?t) "
    r"(?:coming|joining|making it)\b",
    re.I,
)
_NOT_THEIRS = re.compile(
    r"^(?P<lead>(?:(?:oh|ok|okay|so|and|actually|wait|hmm|um|also|but|sorry|ah|nvm),? )*)"
    r"(?P<who>(?:(?:my|our|the) (?=[a-z]+s\b))?[a-z]+) "
    rf"(?:{_NOT} (?:want|need)|no longer (?:wants|needs)) "
    r"(?:(?:his|her|their|the|that) (?P<what>[^,.;!?]+?)|(?:a|an|any) (?P<some>[^,.;!?]+?)"
    # "the kids don't want drinks": a group's dishes of a kind, said bare
    r"|(?P<bare>[a-z]+s))"
    r"(?: (?:anymore|any more|after all|now|either|today))?(?=\s*(?:[,.;!?]|$)|\s+so\b)"
    r"|^(?P<lead2>(?:(?:oh|ok|okay|so|and|actually|wait|hmm|um|also|but|sorry|ah),? )*)"
    r"(?P<who2>(?:(?:my|our) )?[a-z]+) (?:isn['’]?t|is not|won['’]?t be) (?:coming|joining)"
    r"(?: (?:anymore|any more|after all|today|tonight))?\s*[,.;]\s*(?:and )?(?:she|he|they)"
    r"(?:['’]s| was| is| had| has| ordered| wanted| got) (?:the )?(?P<had>[^,.;!?]+?)\s*[.!]?$",
    re.I,
)
# A remark at the end of a message on what someone dislikes: "..., my brother hates coke",
# "..., she's allergic to nuts" (never "..., she hates coke so a sprite")
_DISLIKE_AFTER = re.compile(
    r"\s*[,;.!]\s*(?:(?:cause|because|since|as|cuz|coz) )?(?:(?:my|our|his|her) )?[a-z]+"
    r"(?:['’]s| is)? (?:hates?|(?:doesn['’]?t|does not|don['’]?t|do not) (?:like|eat|drink)|"
    r"can['’]?t stand|allergic to|not a fan of)\b"
    # ("take the onions off, my son hates them": whose they are, said after)
    r"(?:(?!\b(?:so|but|instead|wants?|get|make|them|it|those|these|that)\b)"
    r"[^,.;!?])*[.!]?\s*$",
    re.I,
)
# "..., they'll share my coke": why, said after (what they share is ordered already)
_SHARE_AFTER = re.compile(
    r"\s*[,;.!]\s*(?:(?:and|so|since|cause|because|cuz) )?(?:they|he|she|we)"
    r"(?:['’]?ll| will| can| could)? (?:just )?(?:share|split)\b[^,.;!?]*[.!]?\s*$",
    re.I,
)
# "..., he'll have an iced latte too": what they have instead, after
_HAS_INSTEAD = re.compile(
    r"\s*[,.;!]\s*(?:(?:and|so|but) )?(?:he|she|they)(?:['’]?ll| will| would|['’]?d)? "
    r"(?:just )?(?:have|take|get|like|wants?|prefers?)\b",
    re.I,
)


def _among(who: str, people: Iterable[str]) -> bool:
    """Whether someone said ("Lin", "my brother") is one of the conversation's people."""
    said = who.lower().removeprefix("my ").removeprefix("our ")
    return any(p.lower().removeprefix("my ").removeprefix("our ") == said for p in people)


_WANTS_INSTEAD = re.compile(r"\s*[,.;]?\s*(?:and |but )?(?:he|she|they) wants?\b", re.I)
_NOT_SOMEONE = frozenset(
    {"i", "we", "you", "they", "it", "that", "this", "there", "which", "who", "one", "everyone"}
)


# what is said after someone's dishes are not wanted that asks for nothing more: "..., skip
# those", "..., they have juice at home", "..., they'll share my coke", "..., just the tea", "...
# so just 2", "..., just 1 minute maid for me" (what is left, as it is then)
_NOTHING_MORE = re.compile(
    r"^\s*[,.;!]?\s*(?:(?:and|so|but|then),? )?(?:"
    r"(?:just )?(?:skip|remove|drop|cancel|lose|scrap|nix|ditch) (?:those|them|it|that|these)"
    r"|(?:they|he|she)(?:['’]?ll| will)? (?:share|split)\b[^.;!?]*"
    r"|(?:they|he|she) (?:already )?(?:have|has|got|had) [^.;!?]*\b(?:at home|already)"
    rf"|(?:just|only) (?:the\b|{count_pattern(20)}\b)[^.;!?]*"
    r")(?: (?:then|now|lol|thanks|thx|pls|please))*[\s.!]*$",
    re.I,
)


def _not_theirs(lexicon: Lexicon, text: str, people: Iterable[str]) -> str:
    """ "Nate doesn't want his americano anymore, he'll have ...": "take off Nate's americano,
    he'll have ..."; "Linda isn't coming, she was the decaf latte": "take off Linda's decaf
    latte" (a person with no line of it gives up one unit of it)."""
    found = _NOT_THEIRS.match(text)
    if found is None or _WANTS_INSTEAD.match(text, found.end()):
        return text  # (", he wants a tuna": a swap of theirs, read as one)
    who = found.group("who") or found.group("who2")
    what = found.group("what") or found.group("some") or found.group("had") or found.group("bare")
    if who.lower() in _NOT_SOMEONE or not what:
        return text
    if found.group("bare") and not is_group(who.lower().split()[-1]):
        return text  # ("Sam doesn't want fries" is no group's: one of them, below)
    if found.group("some") and not _among(who, people):
        return text  # ("my brother doesn't want a drink", with none his: one of them, below)
    said = parse_order(lexicon, tokenize(what))
    group = is_group(who.lower().split()[-1])  # ("the kids don't want the juices": a kind)
    if said.loose_choices or not (
        (said.lines and not said.inferred) or found.group("some") or group
    ):
        return text  # ("she doesn't want the onions": an option, left to the edit reader)
    whose = {"he": "his", "she": "her"}.get(who.lower())
    if whose is None:
        words = who.split()
        # ("the kids' juices", "Nate's americano")
        own = "'" if is_group(words[-1].lower()) else "'s"
        whose = " ".join([*words[:-1], words[-1][:1].upper() + words[-1][1:] + own])
        if len(words) > 1:
            whose = whose.lower()
        elif own == "'":
            whose = f"the {whose.lower()}"  # ("kids don't want drinks": the kids')
    rest = text[found.end() :]
    if group and _NOTHING_MORE.match(rest):
        rest = ""  # ("the kids don't want the juices, just the tea": what is left)
    if rest.strip(" .!") and not _HAS_INSTEAD.match(rest):
        return text  # ("Jen doesn't want the hot chocolate, remove it", "..., just one gatorade")
    lead = found.group("lead") or found.group("lead2") or ""
    return f"{lead}take off {whose} {what}{rest}"


# "that one's mine.", "the hawaiian is mine.": a sentence that only says whose a line is
_WHOSE_FIRST = re.compile(
    r"^\s*((?:that|this|the [\w ]+?)(?: one)?(?:['’]s| is) (?:mine|his|hers|theirs))"
    r"\s*[.!;]\s+",
    re.I,
)


# "..., so 2 cokes and 1 diet coke": what the order comes to, after why
_SO_COUNTED = re.compile(r"[,.;]\s*so\s+(?=(?:\d+|one|two|three|four|five|six)\b)", re.I)


def _so_the_counts(lexicon: Lexicon, text: str) -> str | None:
    """ "Tom wants a diet coke instead, so 2 cokes and 1 diet coke, all cans": a change, then
    "so" and how many of each dish the order comes to; those counts are the request, said as
    a correction (the change said first is part of them)."""
    found = _SO_COUNTED.search(text)
    if found is None:
        return None
    before, after = text[: found.start()], text[found.end() :]
    said = read(lexicon, after, conversation=True)
    first = read(lexicon, before, conversation=True)
    dishes = {line.item for line in said.items}
    if (
        len(said.items) < 2
        or not all(line.quantity_said for line in said.items)
        or not first.items
        or not {line.item for line in first.items} <= dishes
        or (first.follow_up or first.intent) not in (*_CART_EDITS, Intent.ADD_ITEMS)
        or (first.edit is None and not _INSTEAD.search(before.lower()))
    ):
        return None
    return f"actually {after}"


# "the barbacoa guy doesnt want a drink", "my son doesn't need his coke": someone else's
# dish not wanted, said alone
_NOT_WANTED = re.compile(
    r"^(?:(?:actually|oh|and|so|but|ok|okay|wait|sorry|also|hmm|um|ah),? )*"
    rf"(?P<who>[a-z]+(?: [a-z]+){{0,3}}) {_NOT} "
    r"(?:want|need) (?:(?P<det>a|an|one|the|his|her|their) )?(?P<what>[a-z]+(?: [a-z]+){0,2})"
    r"(?: (?:anymore|any more|after all|either|now|today))?[.! ]*$",
    re.I,
)
_TAIL_CUT = re.compile(r"\s*[,;]|\s+so\s+(?=just|only)", re.I)
_SO_MANY = re.compile(
    r"^(?P<why>.+?)[,.;]?\s+so\s+(?:just |only )?(?P<count>\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten)(?: then| now| total| in total| in all| altogether)?[.!]*\s*$",
    re.I,
)
# "one more for my brother", "plus another one", "2 more": more of the dish, whose count "so 4"
# then says (no dish named: the line talked about)
_ONE_MORE = re.compile(r"^(?:(?:and|plus|oh|ok|okay|also) )*(?:(?:one|two|\d+) more|another)\b")


def _not_wanted(lexicon: Lexicon, text: str) -> str | None:
    """ "actually the barbacoa guy doesnt want a drink": one of those dishes taken off, when
    someone other than the speaker does not want a dish (or a kind: "a drink") said alone; not
    an option ("he doesnt want the onions" is said of a dish)."""
    found = _NOT_WANTED.match(text)
    tail = _TAIL_CUT.search(text)
    if found is None and tail is not None and _NOTHING_MORE.match(text[tail.start() :]):
        # "he doesn't want a coke, just one then": what is left, said after
        found = _NOT_WANTED.match(text[: tail.start()])
    if found is None or found.group("who").lower().split()[-1] in ("i", "we", "you"):
        return None
    # ("mark doesn't want water": one of the waters, as "a water" says it)
    det = (found.group("det") or "one").lower()
    removal = f"take off {'one' if det in _ONE_OF else det} {found.group('what')}"
    reading = read(lexicon, removal, conversation=True)
    edit = reading.edit
    if (
        reading.intent is not Intent.REMOVE_ITEMS
        or edit is None
        or any(line.choices for line in reading.items)
        or (edit.ref is not None and (edit.ref.options or not (edit.ref.words or edit.ref.items)))
        or (edit.ref is None and not reading.items)
    ):
        return None
    return removal


# "add chips for the table", "and add a queso for the kids": a dish added, for someone
_ADD_FOR = re.compile(
    r"^(?:(?:and|also|oh|ok|okay|please|pls|then|can you|could you),? )*add\b.* for "
    r"(?:the|my|our|us|everyone|all of us)(?: (?P<who>[a-z]+))?$"
)
_SAME_AS = re.compile(r"\bsame as\b", re.I)


def _so_many(lexicon: Lexicon, text: str, people: Iterable[str]) -> str | None:
    """ "Ana doesn't want one, so 4", "two more guys are coming, so 6 then": why, and the count
    alone the line meant comes to (not of someone with a dish of their own: "Ty isn't coming,
    so just 2" takes theirs off)."""
    found = _SO_MANY.match(text)
    if found is None:
        return None
    why = " ".join(tokenize(found.group("why")))
    more = _ONE_MORE.search(why) is not None  # ("plus one more for my brother, so 4")
    if not more and any(_among(word, people) for word in why.split()):
        return None
    if not (more or _COMING.search(why) or _PARTY_GREW.search(why) or _NOT_ONE.search(why)):
        return None
    if parse_order(lexicon, tokenize(found.group("why"))).lines:
        return None
    return f"make it {found.group('count')}"


_SO_IN_ALL = re.compile(
    r"^(?P<before>.+?)[,;]?\s+(?:so\s+(?:thats\s+|that's\s+)?|thats\s+|that's\s+)(?P<count>\d+|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve)(?: (?P<noun>[a-z]+))?(?: (?:total|in total|altogether|"
    r"all together|in all))?[.!]*\s*$",
    re.I,
)
_EVERYONE = re.compile(
    r"\b(?:everyone|everybody|each|every one|all of (?:us|them)|both|all a?round)\b", re.I
)
_ONE_WORD = re.compile(r"\b(?:a|an|one)\b", re.I)


def _so_in_all(lexicon: Lexicon, text: str) -> str | None:
    """ "Everyone wants a can of pepsi, so 4 cans", "burgers all around with bacon, thats 3":
    one dish for each of them, and how many that makes, said after: the count of the dish."""
    found = _SO_IN_ALL.match(text)
    if found is None:
        return None
    before = found.group("before")
    if _EVERYONE.search(before) is None:
        return None  # ("a large pizza so 2": not said to be one each)
    said = parse_order(lexicon, tokenize(before))
    if len(said.lines) != 1 or said.lines[0].quantity_said or said.lines[0].inferred:
        return None
    noun = found.group("noun")
    if noun is not None:
        line = said.lines[0]
        keys = (line.item, *(c.option for c in line.choices))
        words = {w for key in keys for w in key.split("_")}
        named = parse_order(lexicon, tokenize(noun))
        if not (
            singular(noun.lower()) in words
            or singular(noun.lower()) in kind_words(lexicon)
            or any(c in line.choices for c in named.loose_choices)
            or any(x.item == line.item for x in named.lines)
        ):
            return None
    article = _ONE_WORD.search(before)
    if article is None:
        return f"{found.group('count')} {before}"  # ("burgers all around")
    return f"{before[: article.start()]}{found.group('count')}{before[article.end() :]}"


# "make that 2, one of them wants ...": a count, then a clause of its own
_COUNT_FIRST = re.compile(
    r"^(?:(?:oh|ok|okay|actually|wait|no|sorry|and),? )*(?:make (?:that|it)|just|only) "
    r"(?:\d+|one|two|three|four|five|six)\s*[,.;]\s*",
    re.I,
)


_COUNT_THEN_SAME = re.compile(
    r"^(?P<count>(?:(?:oh|ok|okay|actually|wait|no|sorry|and),? )*make (?:that|it|mine|his|hers|"
    r"theirs|this) (?:\d+|two|three|four|five|six)\b[^,.;]*?)\s*[,.;]\s*"
    r"(?:(?:since|as|because|cause|cuz) )?(?:he|she|they|my [a-z]+|[a-z]+) "
    r"(?:wants?|would like|will have|(?:is|are) having|gets?|(?:will|'ll) take) "
    r"(?:exactly |just )?(?:the )?same(?: thing| one| sandwich| sub| order)?"
    r"(?: too| as well| also)?[ .!]*$",
    re.I,
)


def _count_then_same(text: str) -> str | None:
    """ "Make that two, my coworker wants the same thing", "make mine 2, my friend wants the
    same": the count is the request, the copy only says who the one more is for (no copy on
    top of it)."""
    found = _COUNT_THEN_SAME.match(text.strip())
    return found.group("count") if found is not None else None


def _count_then_why(lexicon: Lexicon, text: str) -> str | None:
    """ "Make that 2, one of them wants a small hot chocolate instead" after 3 coffees: the
    count is what the swap of one of them leaves, the swap is the request."""
    found = _COUNT_FIRST.match(text)
    if found is None:
        return None
    rest = text[found.end() :]
    edit = read(lexicon, rest, conversation=True).edit
    if (
        edit is None
        or edit.op != "change"
        or edit.ref is None
        or not edit.ref.count
        or edit.item is None
        or not edit.instead
    ):
        return None
    return rest


def _asked_and_ordered(lexicon: Lexicon, text: str) -> list[str]:
    """The sentences of a message that asks a question and orders (or edits) in sentences of
    their own, in order, without the ones that only say "great" or "thanks"; else nothing."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    if len(sentences) < 2 or WHICH_KINDS.match(normalize(sentences[-1]).strip(" ?.!")):
        # ("chips? which kinds": the kinds of the dish before, one question)
        return []
    kept: list[str] = []
    kinds: set[str] = set()
    for sentence in sentences:
        reading = read(lexicon, sentence, conversation=True)
        intent = reading.follow_up or reading.intent
        if intent in _QUESTIONS:
            kinds.add("question")
        elif kept and intent is Intent.CHANGE_ITEM and _count_only(reading):
            kinds.add("order")  # "and a gatorade. 2 actually": the count put right after it
        elif intent in _ORDERS or (intent is Intent.AFFIRM and _TAKES.search(sentence.lower())):
            kinds.add("order")
        else:
            continue
        kept.append(sentence)
    if (
        len(kept) > 1
        and kinds == {"order"}
        and _count_only(read(lexicon, kept[-1], conversation=True))
    ):
        return kept
    if kinds == {"question"} and len(kept) == 1:
        return kept  # "Okay, I'll pick up then. How long will pickup take?"
    return kept if kinds == {"question", "order"} else []


def _count_only(reading: Reading) -> bool:
    """Whether an edit only sets how many ("2 actually", "make it three")."""
    edit = reading.edit
    return (
        reading.intent is Intent.CHANGE_ITEM
        and edit is not None
        and edit.quantity is not None
        and not reading.items
        and not (edit.item or edit.choices or edit.drop or edit.groups or edit.parts)
        and (edit.ref is None or not edit.ref.named)
    )


def _remark(reading: Reading) -> bool:
    """Whether a part of a message asks for nothing and names nothing ("Marcus bailed")."""
    if reading.items or reading.choices:
        return False
    edit = reading.edit
    if edit is not None and reading.intent is Intent.CHANGE_ITEM and edit.op == "change":
        # "the cousin is lactose intolerant, cancel the vanilla one": no line, nothing to do,
        # words the menu doesn't know (not "my wife" of "my wife and I would like ...")
        return (
            edit.ref is None
            and bool(edit.unknown)
            and not (
                edit.item
                or edit.choices
                or edit.drop
                or edit.sibling
                or edit.groups
                or edit.quantity
                or edit.parts
                or edit.plain
                or edit.like
            )
        )
    return reading.intent is Intent.UNKNOWN and edit is None and not reading.unknown


# A word after "with" that ends its clause ("..., mine with mild")
_WITH_LAST = re.compile(r"\bwith (?P<word>[a-z]+)(?=\s*(?:[,.;!]|$|\band\b))", re.I)


def _noun_said_once(lexicon: Lexicon, text: str) -> str:
    """ "his with spicy salsa, mine with mild": the noun of an option said before, left out
    after a word the menu knows only with it ("mild salsa", another option of the same
    group), said again."""
    for found in _WITH_LAST.finditer(text):
        word = found.group("word").lower()
        if lexicon.lookup([word], 0)[0]:
            continue
        noun = _noun_left_out(lexicon, tokenize(text[: found.start()]), word, items=False)
        if noun is not None:
            end = found.end("word")
            return _noun_said_once(lexicon, f"{text[:end]} {noun}{text[end:]}")
    return text


def _noun_left_out(lexicon: Lexicon, said: list[str], word: str, *, items: bool) -> str | None:
    """The last word of a name said before (of a dish, or an option) that `word` needs to name
    another of the same kind: "salsa" for "mild" after "spicy salsa"."""
    for at in range(len(said)):
        length, entry = lexicon.lookup(said, at)
        if length < 2 or entry is None:
            continue
        noun = said[at + length - 1]
        again, other = lexicon.lookup([word, noun], 0)
        if again != 2 or other is None:
            continue
        if items and entry.items and other.items:
            return noun
        groups = {option.group for option in entry.options}
        if not items and any(option.group in groups for option in other.options):
            return noun
    return None


# "is the chocolate shake dearer than the strawberry?": the dish compared, its noun left out
_THAN_LAST = re.compile(r"\bthan (?:the |a |an )?(?P<word>[a-z]+)(?=\s*[?.!]?\s*$)", re.I)


def _dish_noun_said_once(lexicon: Lexicon, text: str) -> str:
    """ "is the chocolate shake more expensive than the strawberry?": the noun of the dish said
    before, left out after a word the menu knows only with it, said again."""
    found = _THAN_LAST.search(text)
    if found is None:
        return text
    word = found.group("word").lower()
    if lexicon.lookup([word], 0)[0]:
        return text
    noun = _noun_left_out(lexicon, tokenize(text[: found.start()]), word, items=True)
    if noun is None:
        return text
    end = found.end("word")
    return f"{text[:end]} {noun}{text[end:]}"


def _party_news(lexicon: Lexicon, part: str) -> bool:
    """Whether a part of a message only says the party changed ("one more person is coming",
    "Ben can't make it"), naming nothing on the menu: why, before the request."""
    lowered = part.lower()
    if _PARTY_GREW.search(lowered) is None and _COMING.search(lowered) is None:
        return False
    tokens = tokenize(part)
    if any(
        tokens[m.start - 1 : m.start] not in (["more"], ["another"])
        for m in mentions(tokens, names_in(lexicon, part, ()))
    ):
        # ("my husband is joining us, add a meat lovers for him": whose it is; "one more
        # friend is coming" names nobody)
        return False
    said = parse_order(lexicon, tokens)
    return not said.lines and not said.loose_choices


_CLAUSE_END = re.compile(r",\s*(?:and\s+)?")
# "the tuna with pickles and the turkey with bacon and guac": a line named after "and"
_AND_THE = re.compile(r"\s+and\s+(?=the\s)", re.I)
_AND = re.compile(r"\s+and\s+", re.I)


_FOR_THEN_THEY = re.compile(
    r"\b(?:is|are|s) (?:for [a-z]+(?: [a-z]+)?|(?:my |our )?[a-z]+['’]?s|his|hers|theirs)"
    r"\s*[,;]\s*(?:and )?(?:he|she|they)\b",
    re.I,
)


def _changes_one_by_one(lexicon: Lexicon, text: str, people: Iterable[str] = ()) -> list[str]:
    """ "All with brown rice and black beans. Cheese on the chicken and steak ones.": changes
    said in sentences of their own, each carried out in turn (an order said over sentences
    stays whole: "Two large pizzas. The first with pepperoni.")."""
    # ("mine with ham, jen's with mushrooms": the people named in the whole, in each part)
    people = names_in(lexicon, text, people)
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip(" .!")]
    if len(sentences) >= 2:
        readings = [read(lexicon, s, conversation=True, people=people) for s in sentences]
        if (
            all(_changes_a_line(r) for r in readings)
            or _ordered_then_changed(lexicon, readings)
            or _ordered_then_again(readings)
        ):
            return sentences
        return [text]  # ("guatemalan then. large": the dish just asked about, said whole)
    clauses = [s.strip() for s in _CLAUSE_END.split(text) if s.strip(" .!")]
    if len(clauses) < 2:
        clauses = [s.strip() for s in _AND_THE.split(text) if s.strip(" .!")]
    bare = len(clauses) < 2
    if bare:
        # "put black beans in the steak one and pinto in the chicken one": each clause names
        # its own line by what it has (read below: every clause must)
        clauses = [s.strip() for s in _AND.split(text) if s.strip(" .!")]
    if len(clauses) < 2:
        return [text]
    # "the chicken one gets corn salsa, the carnitas one gets green salsa": in clauses, each
    # naming its line and what changes (not "first one pepperoni, second one bbq chicken", the
    # units of one line shared out, nor "the dbl is for my gf, no onions on it")
    if _FOR_THEN_THEY.search(text):
        # "one of the lattes is for Raj, he wants hazelnut syrup", "one of the chicken
        # sandwiches is Lily's, she wants no mayo": his (hers), so changed
        return [text]
    readings = [read(lexicon, s, conversation=True, people=people) for s in clauses]
    # ("make both extra large, and the latte decaf": the first may change the lines it points
    # at, the ones after name theirs)
    first = readings[0].edit
    first_names_its_line = _changes_a_line(readings[0], named=True) or (
        # (at a bare "and" the first clause names its line too: "my youngest wants ham and
        # pineapple on hers instead of pepperoni" is one change of hers; unless the units are
        # counted out: "make those 2 chocolate chip and 1 white chip macadamia")
        (not bare or _counted(clauses[1]))
        and _changes_a_line(readings[0])
        and first is not None
        and first.changes
    )
    if not first_names_its_line or not all(
        # ("mine with sour cream, the other two with guac": the others than the one before)
        _changes_a_line(r, named=True) or _changes_the_others(r)
        for r in readings[1:]
    ):
        return [text]  # (not "make the espresso and the americano decaf": both, decaf)
    whole = read(lexicon, text, conversation=True).edit
    if whole is not None and whole.parts and not all(_by_option(r) for r in readings):
        # (but "the keto one large, the cauliflower one small": each clause names a line by
        # an option it has, and no unit of one line is named so)
        return [text]
    return clauses


def _counted(clause: str) -> bool:
    """Whether a clause opens with a count ("1 white chip macadamia", "two with bacon")."""
    return is_count(clause.split(maxsplit=1)[0].lower())


def _changes_the_others(reading: Reading) -> bool:
    """Whether a reading changes the lines other than those just said ("the other two with
    guac")."""
    edit = reading.edit
    return (
        _changes_a_line(reading)
        and edit is not None
        and edit.ref is not None
        and edit.ref.other
        and edit.changes
    )


def _by_option(reading: Reading) -> bool:
    """Whether an edit names its line by an option the line has ("the keto one")."""
    ref = reading.edit.ref if reading.edit is not None else None
    return ref is not None and bool(ref.options) and ref.ordinal is None and not ref.ordinals


def _ordered_then_changed(lexicon: Lexicon, readings: Sequence[Reading]) -> bool:
    """ "Also a lemonade. And the wrap, make it two.": a dish ordered, then a change of a line
    ordered before, named by what it is (not "Two pizzas. The first with ham.", nor a line of
    the dishes just ordered)."""
    if len(readings) != 2:
        return False
    first, then = readings
    edit = then.edit
    if (
        (first.follow_up or first.intent) is not Intent.ADD_ITEMS
        or not first.items
        or any(line.inferred for line in first.items)
        or (then.follow_up or then.intent) is not Intent.CHANGE_ITEM
        or edit is None
        or edit.ref is None
        or not (edit.ref.items or edit.ref.words)
        or edit.ref.ordinal is not None
        or not edit.changes
    ):
        return False
    ordered = {line.item for line in first.items}
    return not set(edit.ref.items) & ordered and not any(
        set(edit.ref.words) & item_words(lexicon, item) for item in ordered
    )


def _ordered_then_again(readings: Sequence[Reading]) -> bool:
    """ "A large latte for me. Same for my two colleagues.": a dish ordered, then the same
    again for others, each a request of its own (the copy is of what was just ordered); more
    orders may follow ("Alex wants a chicken sandwich. Priya wants the same with bacon added.
    I'll take a salad.")."""
    if len(readings) < 2 or len(readings) > 4:
        return False
    first = readings[0]
    if (first.follow_up or first.intent) is not Intent.ADD_ITEMS or not first.items:
        return False

    def again(reading: Reading) -> bool:
        if reading.intent is Intent.REPEAT_ITEMS:
            return reading.edit is not None and reading.edit.again and not reading.items
        # ("Priya wants the same with bacon added": a changed copy, its options as items)
        return (
            reading.follow_up is Intent.REPEAT_ITEMS
            and reading.edit is not None
            and reading.edit.again
            and all(line.inferred for line in reading.items)
        )

    def ordered(reading: Reading) -> bool:
        return (
            reading.intent is Intent.ADD_ITEMS
            and reading.follow_up is None
            and bool(reading.items)
            and not any(line.inferred for line in reading.items)
        )

    if len(readings) == 2:
        return again(readings[1])
    return any(again(r) for r in readings[1:]) and all(again(r) or ordered(r) for r in readings[1:])


def _changes_a_line(reading: Reading, *, named: bool = False) -> bool:
    """Whether a reading changes a line it refers to (`named`: by what it is or has, saying
    what changes)."""
    edit = reading.edit
    if (reading.follow_up or reading.intent) is not Intent.CHANGE_ITEM or edit is None:
        return False
    if not named:
        # ("the hawaiian is mine. she wants mushrooms added to hers": whose names it too)
        return edit.ref is not None or edit.owner is not None
    # ("mine with vanilla, hers skinny": whose it is names it too; not "the tuna is for Priya,
    # she wants it with spinach", where the first only says whose)
    # (nor "she's getting one of the classic cheeseburgers": which, and how many, is no change)
    ref = edit.ref
    changes = replace(edit, quantity=None)
    if ref is not None and edit.item in ref.items:
        changes = replace(changes, item=None)
    return changes.changes and (ref.named if ref is not None else edit.owner is not None)


def _starts_with_dish(lexicon: Lexicon, text: str) -> bool:
    """Whether a text starts with a dish's name and what it comes with ("burger with cheese";
    not "cappuccino skinny", where "one of the cappuccino" would name a line)."""
    words = tokenize(text)
    length, entry = lexicon.lookup(words, 0) if words else (0, None)
    return (
        entry is not None
        and bool(entry.items)
        and not entry.options
        and words[length : length + 1] in (["with"], ["w"], ["without"], ["no"])
    )


def _options_added(reading: Reading) -> bool:
    """Whether an order only names options, counted by nothing ("add bbq sauce"): for the line
    that takes them, not a dish of its own."""
    return (
        reading.intent is Intent.ADD_ITEMS
        and bool(reading.items)
        and reading.inferred
        and not reading.counted
        and reading.ref is None
    )


def _idle(reading: Reading) -> bool:
    """Whether a reading is an edit that changes nothing."""
    edit = reading.edit
    return edit is not None and edit.op == "change" and not (edit.changes or edit.unknown)


# "all with cheese except mine, mine just lettuce": every unit but someone's, and theirs after
# "all with swiss and lettuce, except bob, he wants cheddar instead of swiss": all of them so,
# but one person's unit, which that person says how to make
_ALL_BUT_ONE_WANTS = re.compile(
    r"^(?P<all>[^,.;]*?\b(?:all|each|every|everyone|everybody)\b[^,.;]*?),? except(?: for)? "
    r"(?P<who>(?:my )?[a-z]+)\s*,?\s*(?:who|he|she) (?:wants?|gets?|needs?|would like|will have"
    r"|is having)\s+(?P<how>[^.;!?]+?)[\s.!]*$",
    re.I,
)


# "mushrooms on each one, dan's the only one who wants pepperoni": all but dan's, then his
_ONLY_ONE_WANTS = re.compile(
    r"^(?P<all>[^,.;]*?\b(?:all|each|every|everyone|everybody)\b[^,.;]*?)\s*[,;.]\s*"
    r"(?:but |and )?(?P<who>(?:my )?[a-z]+?)(?:['’]?s| is) the only one (?:who|that) "
    r"(?:wants?|gets?|needs?) (?P<how>[^.;!?]+?)[\s.!]*$",
    re.I,
)


def _all_but_one_wants(found: re.Match[str]) -> list[str]:
    """The requests of "all X except bob, he wants Y": with "instead of", all of them X and
    bob's one made Y in its place; else all but bob's X, and bob's Y."""
    every, person, how = found.group("all"), found.group("who"), found.group("how")
    if " instead of " in f" {how} ":
        return [every, f"one of them for {person} with {how}"]
    return [f"{every} except {person}", f"{person} wants {how}"]


_ALL_BUT_THEIRS = re.compile(
    r"^(?:(?:ok|okay|oh|and|so|actually),? )*(?:all|every one|all of them|the rest)\b"
    r"(?P<what>[^,.;:]+?),? (?:except|but not|but|apart from|other than)(?: for)? "
    r"(?P<whose>mine|his|hers|theirs|[a-z]+['’]s)\s*[,.;:]\s*(?:(?P=whose)\b(?: is| gets)?)?"
    r"\s*(?!(?:he|she|they|i|we|it)\b)(?P<how>[a-z].*?)[.!]*$",
    re.I,
)

# "everyone gets fries, theres 3 of us, sara wants hers large": what everyone gets, then one
# person's unit of it made different
_ALL_THEN_THEIRS = re.compile(
    r"^(?P<all>.*\b(?:everyone|everybody|all of us|we all)\b.*?)\s*[,;.]\s*"
    r"(?P<theirs>(?:(?:and|but) )?(?:my |our )?[a-z]+ (?:wants?|gets?|would like|needs?) "
    r"(?:his|hers|theirs)\b.*)$",
    re.I,
)


# "my brother wants the same but strawberry, and my sister wants chocolate": after a copy
# changed, another person's wish said bare (no dish, no article) is a copy too, changed so
_SOMEONE_WANTS = r"((?:my|our) \w+|he|she) (?:wants|would like|will have|gets) "
_SAME_TOO = re.compile(
    rf"^(?:and\s+)?{_SOMEONE_WANTS}"
    r"(?!(?:a|an|the|one|some|same|it|that|this|his|her|their|to|no|nothing|what)\b)(?!\d)",
    re.I,
)
_THEN_SAME_TOO = re.compile(rf"[,;]\s*(?=(?:and\s+)?{_SOMEONE_WANTS})", re.I)


def _flavour_too(lexicon: Lexicon, part: str) -> str:
    """ "my sister wants chocolate" after "my brother wants the same but strawberry": "my sister
    wants the same but chocolate", when the word is a flavour of the dish, not an option (whose
    copy it would go on is not clear)."""
    copied = _SAME_TOO.sub(r"\1 wants the same but ", part)
    if copied == part:
        return part
    edit = read(lexicon, copied, conversation=True).edit
    if edit is None or edit.op != "repeat" or not edit.sibling or edit.choices:
        return part
    return copied


def _also_the_same(lexicon: Lexicon, text: str) -> list[int]:
    """Where another person's bare wish starts after a changed copy ("..., my brother wants the
    same but strawberry, and my sister wants chocolate"): a request of its own."""
    copied = _SAME_BUT.search(text.lower())
    if copied is None:
        return []
    return [
        m.start()
        for m in _THEN_SAME_TOO.finditer(text, copied.end())
        if _SAME_TOO.match(text[m.end() :])
        and _flavour_too(lexicon, text[m.end() :].split(",")[0]) != text[m.end() :].split(",")[0]
    ]


def requests(lexicon: Lexicon, text: str, people: Iterable[str] = ()) -> list[str]:
    """A message cut into the requests it makes, when it mixes an edit of the order with more
    ("actually make it 3 cokes and add a can of ginger ale") or a question with an order in
    sentences of their own ("is there a lunch size? If so, a lunch size pizza"); else the
    message whole. Orders alone are never cut: the grammar reads "a pizza and a coke" as one
    order."""
    text = whose_each(lexicon, text)  # "3 burgers: mine plain, lucy's with bacon": one order
    # "one iced, the other one normal": the units of a line ordered, one way and the other
    # ("one burger with cheese, the other with jalapenos": one of the burgers)
    text = _ONE_THE_OTHER.sub(
        lambda found: (
            f"{found.group(1)}one of "
            + ("the " if _starts_with_dish(lexicon, text[found.end() :]) else "them ")
        ),
        text,
    )
    # "veggie one gets guac", "tofu one: brown rice": the one of that option, as "the veggie
    # one" says it
    text = _BARE_ONE.sub(lambda m: f"{m.group(1)}the {m.group(2)}", text)
    if " for " in text and (one := _ONE_IS_FOR.match(text)) is not None:
        # "one is for my bf, his with no sour cream": one of them for him, so made
        text = _one_is_for(one)
    they_want = _ALL_BUT_ONE_WANTS.match(text) if "except" in text else None
    if they_want is not None:
        return _all_but_one_wants(they_want)
    only_one = _ONLY_ONE_WANTS.match(text) if "the only one" in text else None
    if only_one is not None:
        # "mushrooms on each one, dan's the only one who wants pepperoni instead"
        # ("..., my son's the only one who wants pineapple": his one has it too)
        every, who, how = only_one.group("all"), only_one.group("who"), only_one.group("how")
        if not re.search(r"\binstead\b", how):
            return [every, f"one of them for {who} with {how}"]
        return [f"{every} except {who}", f"{who} wants {how}"]
    but_theirs = _ALL_BUT_THEIRS.match(text) if " but " in text or "except" in text else None
    if but_theirs is not None:
        # "all with cheese and bacon except mine, mine just lettuce and tomato": theirs as
        # said, then the others as all of them are
        return [
            f"{but_theirs.group('whose')} {but_theirs.group('how')}",
            f"the others {but_theirs.group('what').strip()}",
        ]
    all_then = _ALL_THEN_THEIRS.match(text) if " his" in text or " hers" in text else None
    if all_then is not None:
        return [all_then.group("all"), *requests(lexicon, all_then.group("theirs"), people)]
    if text.count(" with ") >= 2:
        text = _noun_said_once(lexicon, text)
    if " those" in text or " them" in text or " em" in text:
        text = _NO_THEN_FORGET.sub(r"\g<no>", text)  # "no jalapenos, forget those": one request
    shared = _SHARE_AFTER.search(text) if "share" in text or "split" in text else None
    if shared is not None and shared.start() > 0:
        # "kids don't want drinks, they'll share my coke": why, no request
        text = text[: shared.start()]
    if _NOT_THEIRS_WORDS.search(text):
        text = _not_theirs(lexicon, text, people)
    dislike = _DISLIKE_AFTER.search(text)
    if dislike is not None and dislike.start() > 0:
        # "make the coke a mountain dew, my brother hates coke": why, no request
        text = text[: dislike.start()]
    whose = _WHOSE_FIRST.match(text)
    if whose is not None and text[whose.end() :].strip():
        # "that one's mine. my husband wants the same bowl but chicken": whose the line is,
        # then the rest, each a request of its own
        return [whose.group(1), *requests(lexicon, text[whose.end() :], people)]
    swapped = _swapped_over(lexicon, text) if _SWAPPED.search(text) else None
    if swapped:
        return swapped
    off_on = _OFF_THEN_ON.match(text)
    if off_on is not None and _off_then_on(lexicon, off_on) != text:
        return [text]  # "take off the tomato, add onions instead": one swap, read whole
    if " the " in f" {text.lower()}" and _dish_person_gone(lexicon, text) is not None:
        return [text]  # "the veggie bowl person left. remove it": one removal, read whole
    asked = _asked_and_ordered(lexicon, text)
    if asked:
        return asked
    counts = (
        _so_the_counts(lexicon, text)
        or _count_then_why(lexicon, text)
        or _count_then_same(text)
        or (_so_many(lexicon, text, people) if " so " in text.lower() else None)
        or (_so_in_all(lexicon, text) if " so " in text or "that" in text else None)
    )
    if counts is not None:
        return [counts]
    if " want" in text or " need" in text:
        taken_off = _not_wanted(lexicon, text)
        if taken_off is not None:
            return [taken_off]
    # ("Beth wants the same as Ali but add feta": the copy's change too)
    # ("the same pizza for my friend but swap the onions for mushrooms": the copy's change)
    again = (
        _again_start(text.lower()) is not None
        # ("my bf wants the same but add black olives": the copy's change too)
        or _SAME_BUT.search(text.lower()) is not None
        or _SAME_AS.search(text) is not None
        or _SAME_DISH_BUT.search(text.lower()) is not None
        or _DISH_AGAIN.search(text.lower()) is not None
    )
    cuts = [
        m.start()
        for m in _NEXT_REQUEST.finditer(text)
        # "one more but add bacon on it": the copy's change, not a request of its own
        if m.start() > 0 and not (again and "but" in m.group(0).lower())
    ]
    # ("scratch that, make it keto crust": the change said in place of what was let go, one
    # request)
    let_go = _let_go_for(lexicon, text) if _LET_GO_WORDS.search(text) else None
    cuts = sorted(
        {
            *cuts,
            *(m.start() for m in _THEN_A_DISH.finditer(text)),
            *(m.start(1) for m in _OFF_THEN_A_DISH.finditer(text)),
            *(m.start() for m in _AND_ON_THE.finditer(text)),
            *(m.start(1) for m in _ADD_THEN_A_DISH.finditer(text)),
            *(_also_the_same(lexicon, text) if "same" in text else ()),
            *(
                m.end()
                for m in (_ALL_BUT_PEOPLE_NEXT.finditer(text) if ". " in text else ())
                if " except " in text or " but " in text
            ),
        }
    )
    if let_go is not None:
        cuts = [cut for cut in cuts if cut >= let_go.end()]
    if not cuts:
        return _changes_one_by_one(lexicon, text, people)
    parts: list[str] = []
    start = 0
    for cut in cuts[:3]:
        part = text[start:cut].strip(" ,.;")
        words = tokenize(part)
        if len(part.split()) >= 2 and not (
            _OPENER_ONLY.match(part) or all(w in _FILLERS or w == "," for w in words)
        ):
            # ("no wait, take the olives off": the opener is not a request of its own)
            parts.append(part)
            start = cut
    parts.append(text[start:].strip(" ,.;"))
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return [text]
    parts = [
        _flavour_too(lexicon, part) if k and _SAME_BUT.search(parts[k - 1].lower()) else part
        for k, part in enumerate(parts)
    ]
    unwanted = _UNWANTED.search(parts[0].lower()) if len(parts) == 2 else None
    if unwanted is not None and _TAKEN_OFF.match(parts[1]):
        # "one of the kids doesnt want a hot chocolate, take one off": one removal, of what
        # is not wanted when the removal names no dish
        if parse_order(lexicon, tokenize(parts[1])).lines:
            return [parts[1]]
        return [f"take off {unwanted.group('what')}"]
    too_many = _TOO_MANY_OF.match(parts[0]) if len(parts) == 2 else None
    if too_many is not None and _TAKEN_OFF.match(parts[1]):
        taken = _taken_too_many(lexicon, too_many.group("what"), parts[1])
        if taken is not None:
            return [taken]
    readings = [read(lexicon, part, conversation=True) for part in parts]
    if len(parts) == 2 and _copy_said_twice(readings[0], readings[1]):
        # "now he wants what im having. make his like mine": the one copy, said twice
        return [parts[0]]
    intents = [r.follow_up or r.intent for r in readings]
    if len(parts) == 2 and intents[0] is Intent.REMOVE_ITEMS:
        swap = _SWAP_THEM.match(parts[1])
        if swap is not None:
            # "take the apple slices off, swap them for baby carrots", "scratch the ginger ale,
            # make it a dr pepper": one swap
            gone = _TAKE_OFF.sub("", parts[0]).strip(" ,")
            return [f"swap {gone} for {parts[1][swap.end() :]}"]
    if not any(intent in _CART_EDITS for intent in intents) and not (
        len(parts) == 2 and _ADD_THEN_A_DISH.match(text) and _options_added(readings[0])
    ):
        return [text]
    said = [
        k for k, r in enumerate(readings) if not _remark(r) and not _party_news(lexicon, parts[k])
    ]
    if not said:
        return [text]
    if len(said) < len(parts):
        # "ugh Marcus bailed. take off one chicken sandwich": the remark is no request (but
        # "Jo changed her mind, take the red onions off hers" says whose: read whole)
        if _whose_remark(lexicon, parts, said, people):
            return [text]
        parts, readings = [parts[k] for k in said], [readings[k] for k in said]
        intents = [intents[k] for k in said]
        if len(parts) == 1:
            return parts
    if (_only_a_line(lexicon, parts[0]) and not _ordered_then_again(readings)) or _idle(
        readings[0]
    ):
        # "and the one with ham, can you make that a thin crust", "oh, the hot chocolate is for
        # my kid, make it small": the first part only says which line (not "chicken sandwich
        # for me, my husband wants the same plus bacon": a dish said bare, ordered, then copied)
        return [text]
    if not all(intent in _CART_EDITS or intent in _TAKING for intent in intents):
        return [text]
    # "two medium pizzas. mine with anchovies, his just pepperoni": a change may go on in
    # clauses of its own, each naming its line
    return [
        clause
        for part, intent in zip(parts, intents, strict=True)
        for clause in (
            _changes_one_by_one(lexicon, part, people)
            if intent in _CART_EDITS and "," in part
            else [part]
        )
    ]


def _copy_said_twice(first: Reading, then: Reading) -> bool:
    """Whether a message's second part orders the first part's copy of someone's line again,
    with nothing of its own (no dish, option, count or change)."""
    a, b = first.edit, then.edit
    return (
        a is not None
        and b is not None
        and a.like is not None
        and a.like == b.like
        and a.op == b.op == "repeat"
        and (a.owner is None or b.owner is None or a.owner == b.owner)
        and not (b.items or b.choices or b.drop or b.groups or b.quantity or b.item_words)
        and not (b.sibling or b.unknown or b.instead or b.kept)
    )


def _taken_too_many(lexicon: Lexicon, what: str, removal: str) -> str | None:
    """ "too many fries" then "take 2 off": the units taken off the dish said too many of, when
    the removal names no dish of its own and says how many."""
    dish = parse_order(lexicon, tokenize(what))
    if not dish.lines or dish.unknown or dish.loose_choices:
        return None
    said = parse_order(lexicon, tokenize(removal))
    if said.lines:
        return None
    edit = read(lexicon, removal, conversation=True).edit
    count = edit.quantity if edit is not None else None
    if edit is None or count is None or (edit.ref is not None and edit.ref.named):
        return None
    return f"take off {count} of the {what}"


def _whose_remark(
    lexicon: Lexicon, parts: Sequence[str], said: Sequence[int], people: Iterable[str]
) -> bool:
    """Whether a remark names the person whose "his" or "hers" the request after it says."""
    for k, part in enumerate(parts[:-1]):
        if k in said or k + 1 not in said:
            continue
        names = names_in(lexicon, part, people)
        who_said = [
            m for m in mentions(tokenize(part), names) if m.person != "me" and m.person[0] != "~"
        ]
        if who_said and _THEIR_WORDS.intersection(tokenize(parts[k + 1])):
            return True
    return False


_CHANGE_VERB = re.compile(r"[,.]\s*(?:and |then |oh |but )?(?:make|change|switch|swap|turn)\b")


def _ordered_first(lexicon: Lexicon, norm: str) -> bool:
    """Whether a message orders dishes before it says how to change one of them: then the
    change is part of the order, not a correction of an earlier one."""
    found = _CHANGE_VERB.search(norm)
    if found is None:
        return False
    head = parse_order(lexicon, norm[: found.start()].split())
    return bool(head.lines) and not head.inferred


# "one more thing, ...", "oh and another thing": what opens a request without being one
_PREAMBLE = re.compile(
    r"^(?:(?:oh|and|also|ok|okay|so|n) )*(?:one more thing|another thing|one last thing)"
    r"(?: (?:,|\.))?"
)


# Words that only open a message ("ok whatever, remove the 7 up", "hmm yeah, two of those").
_DIGIT = re.compile(r"\d")
_FILLERS = frozenset(
    {"ok", "okay", "whatever", "alright", "hmm", "hm", "um", "uh", "so", "well", "yeah", "yep"}
    | {"oh", "ah", "right", "cool", "great", "sweet", "fine", "hey", "lol", "haha", "perfect"}
    | {"never", "mind", "nevermind"}  # "ok never mind, add a large iced tea"
)


_WHEN_ORDERED = re.compile(
    r"\b(?:whatever|what|the thing|the one|the item|the dish) i (?:ordered|got|had|asked for|"
    r"said|picked) (first|last)\b"
)


def _when_ordered(tokens: list[str]) -> list[str]:
    """ "Whatever i ordered first" is "the first one": a line by its place in the order."""
    text = " ".join(tokens)
    found = _WHEN_ORDERED.search(text)
    if found is None:
        return tokens
    return f"{text[: found.start()]}the {found.group(1)} one{text[found.end() :]}".split()


def _of_those(tokens: list[str]) -> list[str]:
    """ "make one of those chocolate": one of them made chocolate, not one of the chocolate
    ones (the word after "those" ends the message)."""
    for at in range(1, len(tokens) - 1):
        if (
            tokens[at] in ("those", "these")
            and tokens[at - 1] == "of"
            and all(t in ("please", "pls", "instead", ",", ".", "!") for t in tokens[at + 2 :])
            and any(t in ("make", "change", "turn", "switch") for t in tokens[:at])
        ):
            return [*tokens[:at], "them", *tokens[at + 1 :]]
    return tokens


def _of_the_many(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "2 of the 6 with extra cheese", "one of the 2 large pepperoni ones should be stuffed
    crust": how many the line has, said again, is no count of its own: "2 of them with extra
    cheese", "one of the large pepperoni ones"."""
    for at in range(1, len(tokens) - 2):
        if not (
            tokens[at] == "of"
            and is_count(tokens[at - 1])
            and tokens[at + 1] in ("the", "those", "these", "my", "our")
            and is_count(tokens[at + 2])
            # ("2 of the one with guac": one line, so many of it)
            and count_of(tokens[at + 2]) != 1
        ):
            continue
        rest = tokens[at + 3 :]
        if (
            rest
            and (lexicon.lookup(rest, 0)[0] or rest[0] in ("ones", "of"))
            and not _options_only(lexicon, rest)
        ):
            return [*tokens[: at + 2], *rest]  # "of the 2 large pepperoni ones"
        # "of the 6 with extra cheese", "2 of the 6 decaf" (options alone: what they become)
        return [*tokens[: at + 1], "them", *rest]
    return tokens


def _one_named_first(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "cheese one thick crust", "veggie one gluten free crust": a line named by its options
    and "one", then what it becomes, with no "the" said: the one ordered ("the cheese one")."""
    k = 0
    while k < len(tokens):
        length, entry = lexicon.lookup(tokens, k)
        if not length or entry is None or entry.items or not entry.options:
            break
        k += length
    if not k or tokens[k : k + 1] not in (["one"], ["ones"]) or k + 1 >= len(tokens):
        return tokens
    return ["the", *tokens] if _options_only(lexicon, tokens[k + 1 :]) else tokens


def _dishes_then_all(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "lattes both large", "the 5 drip coffees all large": lines named in the plural, then
    "all" and options alone: every one of them changed ("all 5 drip coffees large"), no more of
    them ordered."""
    start = 1 if tokens[:1] == ["the"] else 0
    start += start < len(tokens) and is_count(tokens[start])
    length, entry = lexicon.lookup(tokens, start)
    end = start + length
    if (
        entry is None
        or not entry.items
        or singular(tokens[end - 1]) == tokens[end - 1]
        or tokens[end : end + 1] not in (["all"], ["both"], ["each"])
        or end + 1 >= len(tokens)
        or not _options_only(lexicon, tokens[end + 1 :])
    ):
        return tokens
    every = "both" if tokens[end] == "both" else "all"
    return [every, *tokens[1 if tokens[:1] == ["the"] else 0 : end], *tokens[end + 1 :]]


def _options_only(lexicon: Lexicon, words: list[str]) -> bool:
    """Whether words are options of the menu and nothing else ("decaf", "large and iced")."""
    k = 0
    while k < len(words):
        length, entry = lexicon.lookup(words, k)
        if words[k] in (",", "and", "please", "pls", "plz", ".", "!"):
            length = 1
        elif not length or entry is None or entry.items or not entry.options:
            return False
        k += length
    return True


def _counted_those(tokens: list[str]) -> list[str]:
    """ "ok two of those and chips": the count is of those, not of the chips (read from the
    message's text where those are known)."""
    for at in range(1, len(tokens) - 2):
        if (
            tokens[at : at + 2] in (["of", "those"], ["of", "these"])
            and is_count(tokens[at - 1])
            and tokens[at + 2] in ("and", "plus")
            and not any(t in ("make", "change", "turn") for t in tokens[:at])
        ):
            return [*tokens[: at - 1], *tokens[at + 2 :]]
    return tokens


_ADDING_VERBS = frozenset({"add", "put", "throw"})
_AMOUNTS = frozenset({"no", "hold", "without", "extra", "light", "double"})
_SAID_LAST = frozenset({"either", "too", "also", "please", "pls", "thanks", "."})
_THAT_ONE = (["that", "one"], ["this", "one"], ["it"], ["that"])
_OF_IT = (["of", "those"], ["of", "them"], ["of", "these"], ["of", "it"], ["of", "that"])


def _line_first(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "the one w bacon add cheese", "the one with extra onions, make that one no mustard",
    "the fries, three of those": a line named first, then the change, read as the change said
    of that line."""
    lead = 1 if tokens[0] in ("and", "oh", "ok", "also", "so") else 0
    refs = find_refs(lexicon, tokens)
    found = next((f for f in refs if f[0] == lead), None)
    if found is None or not (
        found[2].options
        or found[2].words
        or found[2].traits
        or found[2].unlike
        or found[2].ordinal is not None
    ):
        return tokens  # ("the last thing, make it two of those": the last line)
    start, end, _ = found
    if any(s > end and tokens[s - 1] in (",", "and", ";") for s, _, _ in refs):
        # ("the first bowl add sour cream, the second one add guac": a change for each line
        # named, read in its clause)
        return tokens
    if tokens[end : end + 1] in (["thing"], ["item"]):
        end += 1  # "the last thing, ..."
    line = tokens[start:end]
    rest = tokens[end + 1 :] if tokens[end : end + 1] == [","] else tokens[end:]
    if not rest:
        return tokens
    if rest[0] in _ADDING_VERBS and len(rest) > 1:
        return [*tokens[:start], *rest, "to", *line]
    if rest[0] in _AMOUNTS:
        # ("the tofu one no cheese, and no sour cream either": "either" stays last, no line)
        tail = len(rest)
        while tail > 1 and rest[tail - 1] in _SAID_LAST:
            tail -= 1
        return [*tokens[:start], *rest[:tail], "on", *line, *rest[tail:]]
    counted = rest[1:] if rest[0] in ("please", "pls") and len(rest) > 3 else rest
    if (
        is_count(counted[0])
        and counted[1:2] == ["of"]
        and counted[2:3] in (["them"], ["those"], ["it"])
    ):
        # "and the sandwich, please two of them": that many of the line named
        return [*tokens[:start], "make", *line, counted[0], *counted[3:]]
    if rest[0] in ("make", "change", "turn"):
        for said in _THAT_ONE:
            if rest[1 : 1 + len(said)] == said:
                after = rest[1 + len(said) :]
                if len(after) == 3 and is_count(after[0]) and after[1:] in _OF_IT:
                    after = after[:1]  # "the last thing, make it two of those": two of it
                return [*tokens[:start], rest[0], *line, *after]
    return tokens


def _meant(tokens: list[str]) -> list[str]:
    """ "by peppers i meant banana peppers", "by salsa i mean the corn one": the word said
    before, replaced ("banana peppers instead of peppers", "corn salsa instead of salsa")."""
    text = " ".join(tokens)
    found = _BY_MEANT.search(text)
    if found is None:
        return tokens
    said, meant = found.group(1), found.group(2)
    one = _THE_X_ONE.fullmatch(meant)
    if one is not None:
        meant = f"{one.group(1)} {said}"  # "the corn one": corn salsa
    # (on every line it was said of)
    return f"{text[: found.start()]}{meant} instead of {said} on all of them".split()


_BY_MEANT = re.compile(
    r"\bby (?:the )?((?:\w+ ){0,2}\w+) i (?:meant|mean|meant to say)(?: ,)? (.+)$"
)
_THE_X_ONE = re.compile(r"(?:the |a )?(\w+(?: \w+)?) one")


# Words that take back what was just said and say it again: "white rice, no wait brown rice".
_TAKE_BACK = frozenset(
    {
        "no wait",
        "wait no",
        "no sorry",
        "sorry no",
        "sorry",
        "no no",
        "i mean",
        "i meant",
        "or rather",
        "no actually",
        "actually",
        "make that",
        "no make that",
        "scratch that",
        "no scratch that",
        "actually scratch that",
    }
)
_TAKE_BACK_WORDS = frozenset(w for phrase in _TAKE_BACK for w in phrase.split())
_TAKE_BACK_FIRST = frozenset(phrase.split()[0] for phrase in _TAKE_BACK)
_ALSO = frozenset({"too", "also", "as", "aswell", "plus"})  # ("as well": its "as")
_CUT = frozenset({",", "and"})  # where a line said before starts


def _taken_back(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """A slip put right in the same breath: "white rice, no wait brown rice" is brown rice,
    "americano large, no sorry extra large" an extra large one, "a coke, no wait a sprite" a
    sprite, "a large hawaiian no wait a large margherita" a large margherita, "3 shakes, no
    sorry, 2" two. What follows the words of taking back replaces the option of the same kind,
    the dish, the phrase or the number said just before them; anything else ("sorry, can i get a
    coke") is left alone."""
    if not _TAKE_BACK_WORDS.intersection(tokens):
        return tokens
    if "." in tokens:
        tokens = _paused(tokens)
    spans = scan(lexicon, tokens)
    texts = [span.text for span in spans]
    for at in range(1, len(spans)):
        end = _take_back_end(texts, at)
        if end is None:
            continue
        more = _take_back_end(texts, end) if end < len(texts) else None
        while more is not None and more > end:  # "sorry i mean 3": words of taking back twice
            end = more
            more = _take_back_end(texts, end) if end < len(texts) else None
        again = end  # where the words said again start ("no wait, with tuna": at tuna)
        while again < len(spans) and texts[again] in (",", "with"):
            again += 1
        after = again
        while after < len(spans) and spans[after].kind is Kind.NUM:
            after += 1
        if _ALSO.intersection(texts[again:]):
            continue  # "a burger and fries, actually a shake too": one more, not instead
        before = at
        while before and texts[before - 1] == ",":
            before -= 1
        counted = again < after  # (said again from a number)
        qualified = after  # "extra pepperoni, sorry, extra provolone": the option after its words
        while not counted and qualified < len(spans) and spans[qualified].kind is Kind.QUAL:
            qualified += 1
        if qualified > after and qualified < len(spans) and spans[qualified].entry is not None:
            after = qualified
        new = spans[after] if after < len(spans) else None
        if new is None or new.entry is None:
            kept = _number_again(spans, texts, before, again, after)
            if kept is None:
                continue
            return _taken_back(lexicon, " ".join(kept).split())
        said = _said_before(spans, before, new)
        if said is None:
            continue
        start = _phrase_start(spans, said)
        if new.entry.items and counted:
            start = _listed_again(spans, start, again)
        if new.entry.items:
            # the dish again: the phrase said before gives way, but for the options said before
            # its dish when the dish comes bare ("large coke no wait diet coke")
            bare = again == after
            carried = [
                text
                for span, text in zip(spans[start:said], texts[start:said], strict=True)
                if bare and span.entry is not None and not span.entry.items
            ]
            kept = [*texts[:start], *carried, *texts[again:]]
        elif counted:
            # a phrase said again from its number: it takes the place of the old one, with the
            # old one's dish if it names none ("2 large lattes, no wait, 2 extra large")
            stop = _phrase_end(spans, texts, after)
            dish = _dishes(spans, after, stop)
            dish = [] if dish else _carried(spans, start, before, after, stop)
            kept = [*texts[:start], *texts[again:stop], *dish, *texts[stop:]]
        else:  # an option again: in the place of the one it replaces
            rest = texts[after + 1 :]
            if rest[:2] == ["not", texts[said]]:
                rest = rest[2:]  # "extra pepperoni, sorry, extra provolone not pepperoni"
            old = said
            while again < after and old and spans[old - 1].kind is Kind.QUAL:
                old -= 1  # (its words said again take the place of the old ones)
            kept = [*texts[:old], *texts[again : after + 1], *texts[said + 1 : before], *rest]
        return _taken_back(lexicon, " ".join(kept).split())
    return tokens


def _listed_again(spans: list[Span], start: int, again: int) -> int:
    """Where the words taken back start when those said again list dishes from their numbers:
    "2 large chips and queso, i mean 2 chips and 2 queso" says both again, so both phrases
    before give way, not just the last one."""
    named = {
        item
        for span in spans[again:]
        if span.kind is not Kind.STOP and span.entry is not None
        for item in span.entry.items
    }
    while start > 1 and spans[start - 1].text in _CUT:
        earlier = _phrase_start(spans, start - 2)
        dishes = [s.entry.items for s in spans[earlier : start - 1] if s.entry and s.entry.items]
        if not dishes or not named.intersection(dishes[0]):
            break
        start = earlier
    return start


def _names_dish(span: Span) -> bool:
    """Whether the span names a dish."""
    return span.entry is not None and bool(span.entry.items)


def _carried(spans: list[Span], start: int, before: int, after: int, stop: int) -> list[str]:
    """What a phrase said again from its number keeps of the one it replaces when it names no
    dish: the dish, and the options said before it that the new words do not say again ("2
    large pepperoni pizzas, wait no, 3 large" is 3 large pepperoni pizzas)."""
    said = {ref.group for s in spans[after:stop] if s.entry is not None for ref in s.entry.options}
    dish = next((k for k in range(start, before) if _names_dish(spans[k])), None)
    if dish is None:
        return []
    return [
        s.text
        for s in spans[start:dish]
        if s.entry is not None and not said.intersection(ref.group for ref in s.entry.options)
    ] + _dishes(spans, dish, before)


def _paused(tokens: list[str]) -> list[str]:
    """ "an americano... wait no, a drip coffee": dots before words of taking back are a pause
    (a comma), not the end of a sentence."""
    out: list[str] = []
    for k, tok in enumerate(tokens):
        if tok == "." and k + 1 < len(tokens) and tokens[k + 1] == ".":
            continue  # (the dots but the last)
        following = tokens[k + 1] if k + 1 < len(tokens) else ""
        paused = tok == "." and k and tokens[k - 1] == "." and following in _TAKE_BACK_FIRST
        if tok == "." and k and tokens[k - 1] == "." and not paused:
            out.append(".")
            continue
        out.append("," if paused else tok)
    return out


def _dishes(spans: list[Span], start: int, stop: int) -> list[str]:
    """The words of the dishes named between two spans."""
    return [span.text for span in spans[start:stop] if _names_dish(span)]


def _phrase_start(spans: list[Span], at: int) -> int:
    """Where the phrase that holds span `at` starts: after a stop, a comma, an "and" or a
    filler ("can i have")."""
    start = at
    while (
        start
        and spans[start - 1].kind not in (Kind.STOP, Kind.FILLER)
        and spans[start - 1].text not in _CUT
    ):
        start -= 1
    return start


def _phrase_end(spans: list[Span], texts: list[str], at: int) -> int:
    """Where the phrase that starts at span `at` ends: at a stop, a comma or an "and"."""
    end = at
    while end < len(spans) and spans[end].kind is not Kind.STOP and texts[end] not in _CUT:
        end += 1
    return end


def _number_again(
    spans: list[Span], texts: list[str], before: int, again: int, after: int
) -> list[str] | None:
    """ "3 chocolate shakes, no sorry, 2": a number alone said again replaces the number that
    starts the phrase before, or that follows its first words when they name nothing ("make it
    3 cokes, no, 4"); None when that is not what was said."""
    if after != again + 1 or (after < len(spans) and _phrase_end(spans, texts, after) != after):
        return None
    start = _phrase_start(spans, before - 1) if before else 0
    while start < before and spans[start].kind is not Kind.NUM and spans[start].entry is None:
        start += 1
    if start >= before or spans[start].kind is not Kind.NUM:
        return None
    return [*texts[:start], texts[again], *texts[start + 1 : before], *texts[after:]]


def _take_back_end(texts: list[str], at: int) -> int | None:
    """Where words of taking back that start at `at` end (one or two words, a comma between;
    a lone "no" between commas too: "medium well, no, well done")."""
    if texts[at] != "," and texts[at].split(" ", 1)[0] not in _TAKE_BACK_FIRST:
        return None  # (a span's text may be words: its first one starts the phrase)
    if texts[at] == "no" and at + 1 < len(texts) and texts[at + 1] == "," and texts[at - 1] == ",":
        return at + 2
    words: list[str] = []
    end = at
    while end < len(texts) and len(words) < 3:
        if texts[end] != ",":
            words.append(texts[end])
        end += 1
        if " ".join(words) in _TAKE_BACK and (
            end == len(texts) or " ".join([*words, texts[end]]) not in _TAKE_BACK
        ):
            return end
    return None


def _said_before(spans: list[Span], before: int, new: Span) -> int | None:
    """The span before `before` that `new` takes the place of: the dish just named when `new`
    is a dish, else the nearest option of the same group in the same phrase."""
    assert new.entry is not None
    groups = {ref.group for ref in new.entry.options}
    dish = False  # (an option of a dish said before this one's is not what is taken back)
    for k in range(before - 1, -1, -1):
        span = spans[k]
        if span.kind is Kind.STOP or (dish and span.text in _CUT):
            return None
        if span.entry is None:
            if k == before - 1 and k and spans[k - 1].kind is Kind.WITH and span.kind != Kind.NUM:
                return k  # "with hot.. i mean jalapenos": a word begun and taken back
            continue
        dish = dish or bool(span.entry.items)
        if k and spans[k - 1].text in ("not", "no", "by", "without"):
            return None  # "not anchovies, i meant artichokes", "by peppers i meant ..."
        if new.entry.items:
            return k if span.entry.items else None
        if groups & {ref.group for ref in span.entry.options} and not span.entry.items:
            return k
    return None


def _wanted_for(
    lexicon: Lexicon, tokens: list[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """ "Me and my bro want chicken burritos and my dad wants a steak one": each dish as said
    for its people ("2 chicken burritos for me and my bro and a steak one for my dad"), so that
    each is a line of its own, as many as the people when the dish is said in the plural with
    no count. Only when a dish is said after the people, with an article, a count or a plural."""
    wants = [k for k, t in enumerate(tokens) if t in _WANTS and 0 < k < len(tokens) - 1]
    if len(wants) < 2 and not _two_want(tokens, names):
        return tokens
    clauses = []
    for k in wants:
        # ("me and my coworker both want a bowl": one each)
        each = tokens[k - 1] in _EACH_OF_US
        subject = subject_before(tokens, k - each, names)
        if subject is None:
            return tokens
        clauses.append((subject[0], k, subject[1], each))
    out = list(tokens[: clauses[0][0]])
    for n, (start, k, people, each) in enumerate(clauses):
        end = clauses[n + 1][0] if n + 1 < len(clauses) else len(tokens)
        said = list(tokens[k + 1 : end])
        if each and people > 1 and said[:1] in (["a"], ["an"], ["one"]):
            said[0] = str(people)
        while said and said[-1] in _CUT:
            said.pop()
        spans = scan(lexicon, said)
        dish = [s for s in spans if s.entry is not None and s.entry.items]
        if not said or "same" in said or said[0] in _PRONOUN_WORDS:
            return tokens  # "my wife wants the same", "she wants hers without onions"
        counted = spans[0].kind is Kind.NUM  # ("a steak one": the dish said before)
        plural = bool(dish) and dish[0].text.endswith("s") and not counted
        if not counted and not plural:
            return tokens
        count = [str(people)] if plural and people > 1 else []
        cut = tokens[k + 1 + len(said) : end]  # the "and" before the next people
        whom = [_OBJECT.get(w, w) for w in tokens[start : k - each]]
        out += [*count, *said, "for", *whom, *cut]
    return out


def _each_for(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "2 bowls pls, chicken for me n steak for my roomie": one of the dish counted for each
    person, with the options said for them ("2 bowls: one chicken for me, one steak for my
    roomie"), not one dish with every option. Only when as many people are named as the count
    says, each right after their options."""
    if "for" not in tokens:
        return tokens  # (a list of people "for" needs the word: most orders, read fast)
    said = [m for m in mentions(tokens) if m.kind == "for"]
    if len(said) < 2:
        return tokens
    spans = scan(lexicon, tokens[: said[0].start])
    dish = next((n for n, s in enumerate(spans) if s.entry is not None and s.entry.items), None)
    if dish is None or not dish or spans[dish - 1].kind is not Kind.NUM:
        return tokens
    count = spans[dish - 1].text
    if NUMBER_WORDS.get(count, int(count) if count.isdigit() else 0) != len(said):
        return tokens
    clauses = []
    start = spans[dish].end
    for mention in said:
        clause = list(tokens[start : mention.start])
        while clause and clause[0] in _BETWEEN:
            clause.pop(0)
        found = scan(lexicon, clause)
        if not clause or not all(
            (s.entry is not None and s.entry.options and not s.entry.items)
            or s.text in ("and", "with", "w")
            for s in found
        ):
            return tokens
        clauses.append([*clause, *tokens[mention.start : mention.end]])
        start = mention.end
    if any(t not in _BETWEEN for t in tokens[start:]):
        return tokens
    out = [*tokens[: spans[dish].end], ":"]
    for clause in clauses:
        out += ["one", *clause, ","]
    return out[:-1]


_BETWEEN = frozenset({",", ":", ".", "!", "and", "n", "&", "pls", "please", "plz", "thanks"})


_EACH_OF_US = frozenset({"both", "each"})


def _two_want(tokens: list[str], names: frozenset[str]) -> bool:
    """Whether one "want" has two people or more before it ("me and my bro want ...")."""
    k = next((k for k, t in enumerate(tokens) if t in _WANTS and k), None)
    if k is not None and tokens[k - 1] in _EACH_OF_US:
        k -= 1  # "me and my bro both want ..."
    subject = subject_before(tokens, k, names) if k is not None else None
    return subject is not None and subject[1] > 1


_PRONOUN_WORDS = frozenset({"his", "hers", "theirs", "mine", "the", "that", "this", "it"})


def _theirs_alike(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "An americano for me, and my friend wants hers iced": one more of the dish just named,
    as that person wants it ("and one iced for my friend"). Only after one dish said once: "two
    italians for me and my wife, she wants hers without onions" is one of the two."""
    for k in range(2, len(tokens) - 1):
        if tokens[k] not in _WANTS or tokens[k + 1] not in ("hers", "his", "theirs"):
            continue
        start = k
        while start and tokens[start - 1] not in _CUT:
            start -= 1
        who = tokens[start:k]
        before = scan(lexicon, tokens[:start])
        dishes = [s for s in before if s.entry is not None and s.entry.items]
        counted = any(s.kind is Kind.NUM and s.text not in ("a", "an", "one", "1") for s in before)
        if not who or len(dishes) != 1 or counted:
            return tokens
        end = k + 2
        while end < len(tokens) and tokens[end] not in _CUT:
            end += 1
        person = [_OBJECT.get(w, w) for w in who]
        return [*tokens[:start], "one", *tokens[k + 2 : end], "for", *person, *tokens[end:]]
    return tokens


_WANTS = frozenset({"wants", "want", "wanted", "likes", "takes", "gets"})
_OBJECT = {"she": "her", "he": "him", "they": "them", "i": "me"}


def each_theirs(
    lexicon: Lexicon, tokens: list[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """ "My friend and I want burritos. Mine is steak with pinto beans, his is chicken with black
    beans", "3 lunch size pizzas. Sarah wants pepperoni, Mike wants veggie": one of the dish for
    each person, as each wants it, said as a list ("2 burritos: one steak with pinto beans for
    me, one chicken with black beans for my friend"). Only after one dish said for the people
    named, with every "his" or "hers" one of them; `names` are people's names
    (`people.names_in`). The cart reads it too, for whom each line is."""
    if _THEIRS.isdisjoint(tokens) and names.isdisjoint(tokens):
        return tokens  # no "mine", "his", "hers" and no name: nobody's own list
    starts = [
        k
        for k, tok in enumerate(tokens)
        if (k == 0 or tokens[k - 1] in (",", ".", "and", ";", ":"))
        and (
            (tok in _THEIRS and tokens[k + 1 : k + 2] in _THEIRS_IS)
            # ("Mine chicken with black beans. Hers steak with pinto beans.")
            or (tok in _THEIRS and k + 1 < len(tokens) and _menu_word(lexicon, tokens, k + 1))
            or (tok in names and tokens[k + 1 : k + 2] in _NAME_WANTS)
            or (tok in ("me", "myself") and tokens[k + 1 : k + 2] == [":"])  # "Me: a mocha"
        )
    ]
    if len(starts) < 2:
        return tokens
    head = tokens[: starts[0]]
    spans = scan(lexicon, head)
    dishes = [s for s in spans if s.entry is not None and s.entry.items]
    if len(dishes) != 1 or " ".join(s.text for s in spans).split() != head:
        return tokens
    people = [m for m in mentions(head) if m.person != "me"]
    # the dish with the words said right before it ("lunch size pizzas")
    at = spans.index(dishes[0])
    while at and spans[at - 1].entry is not None and spans[at - 1].kind != Kind.NUM:
        at -= 1
    counted = head[spans[at].start - 1 : spans[at].start]
    if not people and _MY_ONE.intersection(head) and counted in (["a"], ["an"], ["one"]):
        return tokens  # "I'd like a large pepperoni. Jo wants a veggie": the speaker's own dish
    dish = head[spans[at].start : dishes[0].end]
    out: list[str] = [str(len(starts)), *dish, ":"]
    for n, at in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(tokens)
        # ("mine is steak", "mine with steak", "mine steak")
        linked = tokens[at + 1 : at + 2] in (*_THEIRS_IS, *_NAME_WANTS) and tokens[at + 1] != "with"
        said = tokens[at + 2 : end] if linked else tokens[at + 1 : end]
        said = said[1:] if said[:1] == ["like"] else said  # "sam would like ..."
        while said and said[-1] in (",", ".", "and", ";", "!"):
            said.pop()
        person = [tokens[at]] if tokens[at] in names else _whose(tokens[at], people, head)
        if person is None or not said:
            return tokens
        out += ["one", *said, "for", *person, ","]
    return out[:-1]


def _menu_word(lexicon: Lexicon, tokens: list[str], at: int) -> bool:
    """Whether a dish or an option of the menu is said at `at`."""
    length, entry = lexicon.lookup(tokens, at)
    return bool(length) and entry is not None and bool(entry.items or entry.options)


_MY_ONE = frozenset({"i", "id", "ill", "im", "me", "mine", "myself"})
_THEIRS_IS = (["is"], ["will"], ["gets"], ["with"], [":"], ["should"])
_NAME_WANTS = (["wants"], ["gets"], ["will"], ["would"], [":"], ["-"], ["has"], ["is"])


def as_listed(
    lexicon: Lexicon, tokens: list[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """A message's words with each dish of a counted list said on its own ("3 burritos:
    carnitas for me, barbacoa for my husband" is "1 burritos with carnitas for me, 1 burritos
    with barbacoa for my husband"), as the grammar reads them: where the cart finds whom each
    line is for."""
    tokens = then_whose(lexicon, tokens, names)
    return _listed(lexicon, _each_for(lexicon, each_theirs(lexicon, tokens, names)))


def then_whose(
    lexicon: Lexicon, tokens: list[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """ "1 americano, 1 latte and 1 cappuccino. americano is mine, latte is for Nadia,
    cappuccino for Omar": the dishes ordered, then whose each one is; said as "1 americano for
    me, 1 latte for nadia and 1 cappuccino for omar" (each dish ordered once). Only when every
    clause after the order is a dish it ordered and the person it is for."""
    for cut in reversed([k for k, tok in enumerate(tokens) if tok == "."][-3:]):
        said = _whose_each(lexicon, tokens[:cut], tokens[cut + 1 :], names)
        if said is not None:
            return said
    return tokens


_BIG = frozenset({"big", "large", "huge", "giant", "massive", "small", "little"})


def _big_order(tokens: list[str]) -> list[str]:
    """ "big order for 6 friends!!", "a large order today": how big the order is, no size of a
    dish (but "a large order of fries" is the fries' size)."""
    return [
        t
        for k, t in enumerate(tokens)
        if not (
            t in _BIG
            and tokens[k + 1 : k + 2] in (["order"], ["group"], ["party"])
            and tokens[k + 2 : k + 3] != ["of"]
        )
    ]


# How big a bottle is, said by its measure ("2 liter", "20 oz")
_MEASURES = frozenset({"liter", "liters", "litre", "litres", "l", "oz", "ounce", "ounces", "ml"})
# Words of bigness that are no menu's size names ("large" and "small" are)
_VAGUE_BIG = frozenset({"big", "huge", "giant", "massive", "little"})


def _big_measure(tokens: list[str]) -> list[str]:
    """ "a big 2 liter sprite": the measure says how big, "big" says it again, no size of its
    own (a drink with a size and a volume would get both)."""
    return [
        t
        for k, t in enumerate(tokens)
        if not (
            t in _VAGUE_BIG
            and is_count(tokens[k + 1] if k + 1 < len(tokens) else "")
            and tokens[k + 2 : k + 3]
            and tokens[k + 2] in _MEASURES
        )
    ]


def _for_an_occasion(lexicon: Lexicon, tokens: list[str], names: frozenset[str]) -> list[str]:
    """ "6 coffees for a meeting, all large", "pizzas for a birthday party": what the order is
    for, said with an article before words the menu lacks, after a dish and up to a stop, is no
    dish ("a" counts none)."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        if (
            tokens[k] == "for"
            and tokens[k + 1 : k + 2] in (["a"], ["an"])
            # (what dishes said before are for: "how long for a pickup order?" orders none)
            and any((e := lexicon.lookup(tokens, j)[1]) is not None and e.items for j in range(k))
        ):
            end = k + 2
            while end < len(tokens) and end - k < 5 and tokens[end] not in _OCCASION_ENDS:
                word = tokens[end]
                if lexicon.lookup(tokens, end)[0] or is_person(word) or word in names:
                    break
                if is_count(word) or word in NUMBER_WORDS:
                    break
                end += 1
            else:
                # (up to a break or the end: "Tom just left for a meeting so scratch his" runs
                # on past the occasion, into the request)
                if end > k + 2 and (end == len(tokens) or tokens[end] in _OCCASION_ENDS):
                    k = end
                    continue
        out.append(tokens[k])
        k += 1
    # (not "I'm getting coffee for a morning meeting": the dish said bare is what the order is
    # for, no dish of it; the occasion left to say so. Asked only when an occasion would be
    # cut, as it scans the menu's words)
    if len(out) < len(tokens) and _occasion_only(lexicon, [t for t in tokens if t not in ".!"]):
        return tokens
    return out


_OCCASION_ENDS = frozenset({",", ".", "!", "?", ":", ";"})


def _all_the_same_dish(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "6 coffees for a meeting, all large drip": the dish said again after "all" and its
    options is the one counted before (its name finished), no word of its own."""
    for k, tok in enumerate(tokens):
        if tok not in ("all", "each", "both") or not k:
            continue
        end = k + 1
        while end < len(tokens):
            length, entry = lexicon.lookup(tokens, end)
            if not length or entry is None or entry.items:
                break
            end += length
        length, entry = lexicon.lookup(tokens, end)
        if entry is None or not entry.items or end + length != len(tokens):
            continue
        if any(
            (said := lexicon.lookup(tokens, j)[1]) is not None and said.items == entry.items
            for j in range(k)
        ):
            return tokens[:end]
    return tokens


_ENDS_A_DISH = frozenset({"and", ",", ".", "!", "with", "please", "plus"})
_BEFORE_A_DISH = frozenset({"and", ",", "ok", "okay", "so", "then", "yes", "yeah", "plus"})


def _options_on_each(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "cheddar on a turkey sub and swiss on a ham sub": options said before "on a" dish,
    after another dish, are that dish's ("and a ham sub with swiss"), not the one before's;
    each dish said so is said the same way ("a turkey sub with cheddar and ...")."""
    out = list(tokens)
    after_a_dish = False
    for at in range(len(tokens) - 2, 0, -1):
        if tokens[at] != "on" or tokens[at + 1] not in ("a", "an"):
            continue
        length, entry = lexicon.lookup(tokens, at + 2)
        if not length or entry is None or not entry.items:
            continue
        end = at + 2 + length
        while end < len(tokens) and tokens[end] not in _ENDS_A_DISH:
            if lexicon.lookup(tokens, end)[0]:
                break
            end += 1
        start = at
        while start > 0:
            size, said = lexicon.lookup(tokens, start - 1)
            option = bool(size) and said is not None and bool(said.options) and not said.items
            if not option and (tokens[start - 1] != "and" or not 1 < start < at):
                break
            start -= 1
        if tokens[start : start + 1] == ["and"]:
            start += 1
        if start == at or (start and tokens[start - 1] not in _BEFORE_A_DISH):
            continue
        after_a_dish = after_a_dish or any(
            (said := lexicon.lookup(tokens, j)[1]) is not None and said.items for j in range(start)
        )
        run = tokens[start:at]
        out[start:end] = [tokens[at + 1], *tokens[at + 2 : end], "with", *run]
    return out if after_a_dish else tokens


def _one_each_alike(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "garlic fries and curly fries, one of each, medium": a "one of each" between dishes
    each named once and options alone is no count, the options go on every one of them ("...,
    all medium")."""
    for k in range(1, len(tokens) - 2):
        said = 3 if tokens[k : k + 3] == ["one", "of", "each"] else 0
        said = said or (2 if tokens[k : k + 2] == ["one", "each"] else 0)
        rest = tokens[k + said :]
        rest = rest[1:] if rest[:1] == [","] else rest
        if not said or not rest or not _options_only(lexicon, rest):
            continue
        dishes = 0
        j = 0
        while j < k:
            length, entry = lexicon.lookup(tokens, j)
            if entry is not None and entry.items:
                dishes += 1
            elif tokens[j] not in (",", "and", "a", "an", "the", "ok", "okay", "then"):
                break  # ("2 lattes and 2 mochas, one each ...": counted)
            j += length or 1
        if j == k and dishes > 1:
            return [*tokens[:k], "all", *rest]
    return tokens


def _so_many_of_each(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "apple slices and milk, 2 of each": dishes each named bare, then how many of each, at
    the end: so many of every one of them ("2 apple slices and 2 milk")."""
    at = next(
        (
            k
            for k in range(1, len(tokens) - 2)
            if tokens[k + 1 : k + 3] == ["of", "each"] and is_count(tokens[k])
        ),
        -1,
    )
    rest = tokens[at + 3 :] if at > 0 else []
    if at < 0 or any(t not in (".", "!", "please", "pls", "plz") for t in rest):
        return tokens
    head = tokens[: at - 1] if tokens[at - 1] == "," else tokens[:at]
    starts: list[int] = []
    for start, _ in _dish_spans(lexicon, head):
        while start and (said := lexicon.lookup(head, start - 1))[0] == 1:
            if said[1] is None or said[1].items:
                break
            start -= 1  # ("large fries": the count before its options)
        if start and (head[start - 1] in _COUNTED or is_count(head[start - 1])):
            return tokens  # ("a burger and 2 fries, 2 of each": counted already)
        starts.append(start)
    if len(starts) < 2:
        return tokens
    out = list(head)
    for start in reversed(starts):
        out[start:start] = [tokens[at]]
    return [*out, *rest]


def _occasion_dropped(
    lexicon: Lexicon, tokens: list[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """ "getting coffee for the office. 2 iced lattes, 1 americano", "coffee for 5 please: 5
    lattes", "coffee run for the team. ...": an opening sentence that names a dish bare as what
    the order is for a crowd or a place is no dish of it; the order follows."""
    cut = next((k for k, tok in enumerate(tokens) if tok in (".", ":", "!")), -1)
    if cut < 0 or cut + 1 >= len(tokens):
        return [] if _occasion_only(lexicon, tokens[:cut] if cut > 0 else tokens) else tokens
    if cut < 2:
        return tokens
    head = tokens[:cut]
    dishes = [k for k in range(cut) if _dish_word(lexicon, head, k)]
    if len(dishes) != 1:
        return tokens
    at = dishes[0]
    length = lexicon.lookup(head, at)[0]
    before = head[:at]
    if any(
        lexicon.lookup(head, k)[0] or _DIGIT.match(t) or t in NUMBER_WORDS
        for k, t in enumerate(before)
    ) or any(t in ("a", "an", "one", "the", "some") for t in before):
        return tokens  # ("a coffee for the office": a coffee)
    after = head[at + length :]
    if after[:1] == ["run"]:
        after = after[1:]
    elif after[:1] != ["for"]:
        return tokens
    if after and (after[:1] != ["for"] or len(after) < 2):
        return tokens  # ("roommates coffee run! Me: ...": what the run is for, said after)
    whom = after[1:]
    whom = whom[1:] if whom[:1] and whom[0] in ("the", "our", "my", "a") else whom
    if (
        whom
        and whom[0] not in NUMBER_WORDS
        and not whom[0].isdigit()
        and (is_person(whom[0]) or whom[0] in names or whom[0] in ("me", "us", "table", "myself"))
    ):
        return tokens  # ("coffee for my wife. and 2 lattes": hers)
    rest = tokens[cut + 1 :]
    if not any(_dish_word(lexicon, rest, k) for k in range(len(rest))):
        return tokens
    return rest


# Whom an order is for, when it is several people or a place ("for the office"), beside the
# people's words in the plural ("my roommates")
_CROWDS = frozenset(
    {"everyone", "everybody", "all", "us", "office", "team", "crew", "group", "gang", "squad"}
    | {"party", "family", "fam", "club", "meeting", "class", "house", "table", "folks", "whole"}
)
_CROWD_WORDS = _CROWDS | GROUP_WORDS
# What a count of people is said as: "5 of us", "7 guys", "6 people", "my 3 roommates"
_HEADCOUNT = frozenset({"people", "ppl", "persons", "guys", "total", *_CROWDS})
# Words before the dish that make it one ordered or not ("a pizza", "add pizza", "so no pizza"),
# and words anywhere that hand it out ("coffee for everyone", "fries for us to share")
_NOT_BARE = frozenset(
    {"a", "an", "one", "the", "some", "another", "more", "any", "of", "no", "not", "without"}
)
_GOES_ON = frozenset({"add", "plus", "also", "and"})
_HANDED_OUT = frozenset({"each", "every", "everyone", "everybody", "all", "share", "split"})
_GROUP_HAS = frozenset({"get", "gets", "want", "wants", ":"})


def _crowd_dish_dropped(lexicon: Lexicon, tokens: list[str], text: str) -> list[str]:
    """ "pizza for the softball team!", "need pizzas for the office", "me and my 3 roommates
    are getting pizza", "game night pizza, 5 of us": a message whose one menu word is a dish
    named bare (no count, no option, no article) beside the crowd it is for says what the
    order will be, no dish of it yet ("a pizza for the team", "pizza for my son" stay)."""
    if _CROWD_WORDS.isdisjoint(tokens):
        return tokens  # (no crowd named: most messages, spared the scan of the menu's words)
    dish: tuple[int, int] | None = None
    k = 0
    while k < len(tokens):
        length = lexicon.lookup(tokens, k)[0]
        if length:
            if dish is not None or not _dish_word(lexicon, tokens, k):
                return tokens
            dish = (k, k + length)
        k += max(length, 1)
    if (
        dish is None
        or any(t in _NOT_BARE for t in tokens[: dish[0]])
        or tokens[0] in _GOES_ON
        or (dish[0] and tokens[dish[0] - 1] in _GOES_ON)
        or _HANDED_OUT & set(tokens)
        # ("adults get cheeseburgers, kids get hamburgers", "kids: chicken quesadillas", "kids
        # hot chocolates": what those people have, said to each)
        or any(
            t in GROUP_WORDS and (tokens[k + 1] in _GROUP_HAS or k + 1 == dish[0])
            for k, t in enumerate(tokens[: dish[0]])
        )
    ):
        return tokens
    crowd = False
    some = singular(tokens[dish[1] - 1]) != tokens[dish[1] - 1]
    for k, t in enumerate(tokens):
        if t.endswith("s") and f"{t[:-1]}'s" in text:
            continue  # ("add guac to my husband's": one person's)
        if _DIGIT.match(t) or t in NUMBER_WORDS:
            after = " ".join(tokens[k + 1 : k + 3])
            if (
                after != "of us"
                and after.split(" ")[0] not in _HEADCOUNT
                and not is_person(after.split(" ")[0])
            ):
                return tokens  # ("pizza for the team, 3 of them": a count of the dish)
            if some:
                return tokens  # ("my two kids want hamburgers": one each)
        crowd = crowd or t in _CROWD_WORDS
    if not crowd:
        return tokens
    return [*tokens[: dish[0]], "food", *tokens[dish[1] :]]


# The words without which no message is an occasion's order: a run, for whom, who wants it
_OCCASION_WORDS = frozenset({"run", "for", "want", "wants", "need", "needs"})


def _occasion_only(lexicon: Lexicon, tokens: list[str]) -> bool:
    """ "coffee run for the office, 5 people", "getting coffee for the boys", "team of 6 wants
    coffee": a message whose one dish is said bare (no count, no article, no option) as what
    a crowd's order is, a run or for several people: no dish of it, the order follows (but
    "coffee for my wife", "a coffee for the office", "we all want coffee" order it)."""
    if not _OCCASION_WORDS.intersection(tokens):
        return False  # (most messages: spared the scan of the menu's words)
    dishes = (k for k in range(len(tokens)) if _dish_word(lexicon, tokens, k))
    dishes_said = list(itertools.islice(dishes, 2))  # (a second one is enough to say no)
    if len(dishes_said) != 1:
        return False
    at = dishes_said[0]
    length = lexicon.lookup(tokens, at)[0]
    before, after = tokens[:at], tokens[at + length :]
    if singular(tokens[at + length - 1]) != tokens[at + length - 1]:
        return False  # ("lattes for the office": some lattes)
    if (
        any(lexicon.lookup(before, k)[0] for k in range(len(before)))
        or any(
            t in ("a", "an", "one", "the", "some", "each", "every", "all", "both") for t in before
        )
        or (before and (before[-1] in NUMBER_WORDS or before[-1].isdigit()))
    ):
        return False  # ("5 hot chocolates for the kids")
    if any(lexicon.lookup(after, k)[0] for k in range(len(after))):
        return False  # ("pizza for 4 people, large, half pepperoni": that pizza)
    if after[:1] == ["run"]:
        return True
    if _HANDED_OUT & set(after):
        return False  # ("hot chocolate for each of my 3 kids": one each)
    if after[:1] == ["for"]:
        whom = [t for t in after[1:] if t not in ("the", "my", "our", "a")]
        # ("steak and cheese for me and my boyfriend": one each of the dish, for two people
        # named one by one)
        one_by_one = all(
            t in ("and", ",", "&", "me", "myself") or (is_person(t) and not is_group(t))
            for t in whom
        )
        return (
            bool(whom)
            and (
                whom[0] in _CROWDS
                # ("getting coffee for a morning meeting": a crowd's words said last)
                or (len(whom) <= 3 and whom[-1] in _CROWDS and after[1:2] != [whom[0]])
                or is_group(whom[0])
                or (party_size(" ".join(after)) is not None and not one_by_one)
            )
        )
    # "team of 6 wants coffee": a party counted wants the dish, nothing more said
    verb = next((k for k, t in enumerate(before) if t in ("want", "wants", "need", "needs")), -1)
    return not after and verb == len(before) - 1 and party_size(" ".join(before[:verb])) is not None


def _counted_by_people(
    lexicon: Lexicon, tokens: list[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """ "lattes for me and my sister", "iced teas for Jo, Sam and me", "medium pizzas with
    pineapple for me and my sister": a dish said in the plural with no count (its options
    after it or not), or said bare and then "both" or "each" of them, for people listed one by
    one, is one for each of them ("2 lattes for me and my sister")."""
    if "for" not in tokens:
        return tokens
    said = [m for m in mentions(tokens, names) if m.kind == "for"]
    for n, first in enumerate(said):
        if tokens[first.start] != "for" or first.start < 1:
            continue
        listed = [first]
        for m in said[n + 1 :]:
            if any(t not in (",", "and", "&") for t in tokens[listed[-1].end : m.start]):
                break
            listed.append(m)
        if len(listed) < 2 or any(is_group(m.person) for m in listed):
            continue
        start, end = next(
            (
                (at, end)
                for at, end in reversed(_dish_spans(lexicon, tokens))
                if end == first.start
                or (
                    end < first.start
                    and tokens[end] in ("with", "w")
                    and _options_only(lexicon, tokens[end + 1 : first.start])
                )
            ),
            (-1, -1),
        )
        if start < 0:
            continue
        entry = lexicon.lookup(tokens, start)[1]
        word = tokens[end - 1]
        unit = [*tokens[start : end - 1], singular(word)]
        one = lexicon.lookup(unit, 0)
        # ("cappuccino for me and my sister, both with an extra shot": said one, then both)
        both = [t for t in tokens[listed[-1].end : listed[-1].end + 2] if t != ","][:1]
        if word == singular(word) and both not in (["both"], ["each"]):
            continue
        if entry is None or one[0] != len(unit) or one[1] is None:
            continue
        if set(one[1].items) != set(entry.items):
            continue
        while start and lexicon.lookup(tokens, start - 1)[0] == 1:
            option = lexicon.lookup(tokens, start - 1)[1]
            if option is None or option.items:
                break
            start -= 1  # ("iced lattes for ...")
        k = start - 1
        while k >= 0 and tokens[k] not in _PHRASE_ENDS:
            k -= 1
        if any(t in _COUNTED or is_count(t) for t in tokens[k + 1 : start]):
            continue  # ("two medium deep dish pizzas for me and my dad", "a latte for ...")
        return [*tokens[:start], str(len(listed)), *tokens[start:]]
    return tokens


_PHRASE_ENDS = frozenset({",", ".", ":", ";", "and", "&", "-", "!", "?", "plus"})
_COUNTED = frozenset({"a", "an", "the", "some", "of", "those", "these", "my", "one"})


def _dish_spans(lexicon: Lexicon, tokens: list[str]) -> list[tuple[int, int]]:
    """Where the dishes a message names start and end, left to right."""
    out: list[tuple[int, int]] = []
    at = 0
    while at < len(tokens):
        length, entry = lexicon.lookup(tokens, at)
        if length and entry is not None and entry.items:
            out.append((at, at + length))
        at += max(length, 1)
    return out


def _dish_word(lexicon: Lexicon, tokens: list[str], at: int) -> bool:
    length, entry = lexicon.lookup(tokens, at)
    return bool(length) and entry is not None and bool(entry.items)


_WHOSE_VERBS = frozenset({"is", "are", "s", "goes", "go", "was", "were"})
_WHOSE_SEPARATORS = frozenset({",", "and", "&", ";", "."})


def _whose_each(
    lexicon: Lexicon, head: list[str], tail: list[str], names: frozenset[str]
) -> list[str] | None:
    """The order of `head` with whose each dish is, as `tail` says it; None when `tail` says
    anything more."""
    dishes: list[tuple[int, int, frozenset[str]]] = []
    i = 0
    while i < len(head):
        length, entry = lexicon.lookup(head, i)
        if length and entry is not None and entry.items:
            dishes.append((i, i + length, frozenset(entry.items)))
        i += max(length, 1)
    if len(dishes) < 2:
        return None
    said = mentions(tail, names)
    owned: dict[int, list[str]] = {}
    i = 0
    while i < len(tail):
        if tail[i] in _WHOSE_SEPARATORS or tail[i] == "the":
            i += 1
            continue
        length, entry = lexicon.lookup(tail, i)
        if not length or entry is None or not entry.items:
            return None
        j = i + length
        j += 1 if tail[j : j + 1] in (["one"], ["ones"]) else 0
        j += 1 if j < len(tail) and tail[j] in _WHOSE_VERBS else 0
        people = [m for m in said if m.start == j]
        if not people or people[0].person.startswith("~"):
            return None
        for m in said:
            if m.start <= people[-1].start:
                continue
            between = tail[people[-1].end : m.start]
            if m.kind != "for" or any(t not in (",", "and", "&") for t in between):
                break
            people.append(m)  # "for me and my husband"
        which = [
            k
            for k, (_, _, items) in enumerate(dishes)
            if items & set(entry.items) and k not in owned
        ]
        if len(which) != 1:
            return None
        words: list[str] = []
        for m in people:
            person = m.person
            name = person == "me" or name_said(person, names) is not None
            words += [*(["and"] if words else []), *([person] if name else ["my", person])]
        owned[which[0]] = words
        i = people[-1].end
    if not owned:
        return None
    out: list[str] = []
    start = 0
    for k, (_, end, _) in enumerate(dishes):
        if k not in owned:
            continue
        stop = dishes[k + 1][0] if k + 1 < len(dishes) else len(head)
        seps = [j for j in range(end, stop) if head[j] in _WHOSE_SEPARATORS]
        at = seps[-1] if seps else stop
        if k + 1 < len(dishes) and not seps:
            return None
        while at - 1 >= end and head[at - 1] in _WHOSE_SEPARATORS:
            at -= 1
        out += [*head[start:at], "for", *owned[k]]
        start = at
    return [*out, *head[start:]]


def _whose(word: str, people: Sequence[Mention], head: list[str]) -> list[str] | None:
    """The words of the person a "mine", "his" or "hers" of `each_theirs` is: the speaker,
    or the one other person named before (of that sex, when the words say it)."""
    if word in ("mine", "mines", "me", "myself"):
        return ["me"]
    person = who("~his" if word == "his" else "~her", [m.person for m in people])
    said = next((m for m in people if m.person == person), None)
    if said is None:
        return None
    return ["my" if w in ("the", "our") else w for w in head[said.start : said.end]]


_THEIRS = frozenset({"mine", "mines", "his", "hers"})


def _on_the_copy(tokens: list[str]) -> list[str]:
    """ "The same for my husband but add onion on his": his is the copy being ordered, so the
    words that point at it are no reference to a line already there."""
    text = " ".join(tokens)
    if "same" not in tokens or _SAME_BUT.search(text) is None or _ON_THEIRS.search(text) is None:
        return tokens
    return _ON_THEIRS.sub("", text).split()


_ON_THEIRS = re.compile(r"\b(?:on|to|for|in) (?:his|hers|theirs|him|her|them|it)\b")


SAME_STUFF_LAST = re.compile(
    r"\b(?:with|w) (?:all )?(?:the )?same (?:toppings|fillings|stuff|ingredients|options|"
    r"everything|extras|things|add ons|addons|fixings)(?: on it| in it| too| as well)?"
    r"(?: please| pls)?[\s.!]*$"
)


def with_the_same(lexicon: Lexicon, line: OrderLine, before: OrderLine) -> OrderLine:
    """The line with the options of the line before it that its item takes, in the groups it
    said nothing of ("a steak burrito" stays steak)."""
    said = {c.group for c in line.choices}
    added = []
    for choice in before.choices:
        ref = lexicon.accepted_group(line.item, [OptionRef(choice.group, choice.option)])
        if ref is None or ref.group in said:
            continue
        added.append(replace(choice, group=ref.group, option=ref.option))
    return replace(line, choices=(*line.choices, *added))


# "and two more chicken bowls exactly the same as that one": the dish said before it
_SAME_AS_THAT = re.compile(
    r"\b(?:exactly |just )?(?:the )?same as (?:that one|that|the last one|the one before|"
    r"the previous one|the one before it|the one i just said)\b"
)


def _same_as_that(
    lexicon: Lexicon, tokens: list[str], lines: Sequence[OrderLine]
) -> tuple[OrderLine, ...] | None:
    """An order's dish said "the same as that one": with the options of the one before it,
    in the groups it says nothing of (as `with_the_same`)."""
    found = _SAME_AS_THAT.search(" ".join(tokens))
    if found is None:
        return None
    at = len(" ".join(tokens)[: found.start()].split())
    places = line_positions(lexicon, tokens, lines)
    if len(places) != len(lines):
        return None
    before = [k for k, place in enumerate(places) if place < at]
    if len(before) < 2:
        return None
    k = before[-1]
    copy, source = lines[k], lines[k - 1]
    if copy.item != source.item:
        return None
    return (*lines[:k], with_the_same(lexicon, copy, source), *lines[k + 1 :])


def _same_as_dish(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "And a burrito with the same stuff" after a bowl, "a ham sub the same way" after a
    turkey one: the same thing, but as a burrito (as the ham sub)."""
    found = _WITH_THE_SAME.fullmatch(" ".join(tokens))
    if found is None:
        return tokens
    dish = found.group("dish").split()
    named = [lexicon.lookup(dish, k)[1] for k in range(len(dish))]
    if not any(e is not None and e.items for e in named) and not (
        # "and a small one the same way": the dish before, made as said
        dish[-1:] == ["one"]
        and found.group("count")
        and any(e is not None and e.options for e in named)
    ):
        return tokens
    # (not "make that 2 turkeys, both the same way", "make that 2 of the turkey subs, same
    # way": words that name a line already ordered, or a clause before, are no other dish)
    if _NAMES_A_LINE.intersection(dish):
        return tokens
    # ("chicken sandwich the same please"; "tacos done the same way, two of them")
    count = found.group("many") or found.group("count") or "a"
    return ["same", "thing", "but", "as", *count.split(), *dish]


_NAMES_A_LINE = frozenset(
    {
        "make",
        "that",
        "this",
        "these",
        "those",
        "both",
        "all",
        "of",
        "the",
        "them",
        ",",
        "it",
        "mine",
        "his",
        "hers",
        "theirs",
        "each",
        "change",
        "turn",
        "switch",
        "swap",
        "update",
        "bump",
    }
)

_WITH_THE_SAME = re.compile(
    # (not "one more pizza exactly the same": that pizza again)
    r"(?!.*\b(?:more|another|again)\b)(?!.*\bexactly (?!like\b))"
    r"(?:(?:and|also|plus|add|i want|i'll have|i'd like|can i (?:also )?(?:get|have)) )*"
    r"(?:(?P<count>a|an|one|two|three|four|\d+) )?"
    r"(?!(?:more|other|another|the|my|his|her|their|our|that|this|it|them|those|same)\b)"
    r"(?P<dish>.+?) "
    r"(?:(?:with|w) (?:all )?the same"
    r"(?: stuff| things?| toppings| fillings?| everything| options| ingredients| fixings|"
    r" changes| modifications| setup)?"
    r"(?: in it| on it)?|(?:made |done |set up |fixed |prepared )?(?:the )?same(?: way)?|"
    # "a cheeseburger set up exactly like it", "a medium one made identical"
    r"(?:made |done |set up |fixed |prepared )?(?:exactly |just )?"
    r"(?:like (?:it|that|that one|the other one|the other|the first one|the first)|identical))"
    r"(?: please| pls| too| as well)?(?: ,)?(?: (?P<many>two|three|four|\d+) of them)?[ .!]*"
)


def _kinds_counted(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "3 vanilla and 1 chocolate" after vanilla shakes: counts of kinds said by the word
    that tells the dishes apart; with the word they share ("3 vanilla shake and 1 chocolate
    shake") the grammar reads them as the dishes."""
    counted = [
        k + 1
        for k, tok in enumerate(tokens[:-1])
        if is_count(tok) and tokens[k + 1].isalpha() and not lexicon.lookup(tokens, k + 1)[0]
    ]
    if len(counted) < 2:
        return tokens
    shared: set[str] | None = None
    for at in counted:
        word = tokens[at]
        heads = {
            name.split()[1]
            for name in lexicon.names_with(word)
            if len(name.split()) == 2 and name.split()[0] == word
        }
        shared = heads if shared is None else shared & heads
    if not shared or len({singular(h) for h in shared}) != 1:
        return tokens
    head = min(shared, key=len)  # ("shake", "shakes": one word)
    return [w for k, tok in enumerate(tokens) for w in ((tok, head) if k in counted else (tok,))]


_NOT_A_KIND = frozenset({"of", "with", "w", "more", "less", "x", "and", "or", "for", "each"})


def _kinds_run_on(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "one chocolate one vanilla": counted kinds listed without an "and", read as "one
    chocolate and one vanilla"."""
    out = list(tokens)
    for k in range(len(tokens) - 2, 1, -1):
        if not (is_count(tokens[k]) and is_count(tokens[k - 2])):
            continue
        said, kind = tokens[k - 1], tokens[k + 1]
        if said in _NOT_A_KIND or kind in _NOT_A_KIND or is_count(said) or not kind.isalpha():
            continue
        if lexicon.lookup(tokens, k - 1)[0] or lexicon.names_with(said):
            out.insert(k, "and")
    return out


def _on_every(tokens: list[str]) -> list[str]:
    """ "ranch with all three", "bacon with both": the options on every line, as "on all"."""
    for at, tok in enumerate(tokens[:-1]):
        if tok == "with" and at and tokens[at + 1] in ("all", "both", "each"):
            rest = tokens[at + 2 : at + 3]
            if not rest or rest[0] in ("of", "three", "four", "five", "3", "4", "5", "two", "2"):
                return [*tokens[:at], "on", *tokens[at + 1 :]]
    return tokens


_ONE_WITH = re.compile(
    r"^(?:(?:and|ok|okay|so|oh|also|n|actually|then) ,? ?)*"
    r"(?:the|my) (?:\w+ ){1,3}ones? (?=(?:with|w) )"
)


def _one_with(tokens: list[str]) -> list[str]:
    """ "the chicken one with sour cream", the whole message: that line, and what it gets (as
    "the chicken one, with sour cream"), not a line with both."""
    found = _ONE_WITH.match(" ".join(tokens))
    if found is None or "," in tokens:
        return tokens
    at = len(found.group(0).split())
    return [*tokens[:at], ",", *tokens[at:]]


_OFF_THEN_JUST = re.compile(
    r"\b(?:off|remove|no|without|hold|drop|skip|lose|scratch|cancel|forget|ditch)\b"
    # ("ok no then, just a plain large latte": a plain no, nothing taken off)
    r"(?!(?: (?:then|thanks|thank you|wait|sorry|actually|worries))* ,)[^,]*, "
    # ("cancel the pizza, just do a large margherita": a dish ordered in its place, not left)
    r"(?:just|only) (?!(?:do|have|get|go with|give me|make it)\b)(?:the )?[a-z0-9 ]+$"
)


def _what_stays(tokens: list[str]) -> list[str]:
    """ "take the olives off, just tuna", "scratch the margherita, just the two meat lovers":
    what is left, said after what comes off; only the first part changes anything."""
    if _OFF_THEN_JUST.search(" ".join(tokens)) is None:
        return tokens
    at = len(tokens) - 1 - tokens[::-1].index(",")
    # ("no olives, just ham and mushrooms" may add the mushrooms: left to read as said)
    return tokens if "and" in tokens[at:] else tokens[:at]


_IDIOMS = frozenset({"side", "house", "top", "bottom", "go", "rocks", "way"})


_THE_OTHER = re.compile(r"^(\s*one\b[^,]*),\s*(?:and\s+)?(?:the other(?: one)?|one)\b", re.I)


# "could you tell me if you have ginger ale?", "I was wondering whether the salad has meat in
# it": a question asked indirectly
_INDIRECT = re.compile(
    r"^(?P<lead>.*?)\b(?:(?:can|could|would) you (?:please )?tell me|i (?:was|am|m) wondering|"
    r"(?:do|does) (?:you|anyone) know|i(?:d| would) like to know|(?:may|can) i ask)"
    r" (?:if|whether) (?P<rest>.+)$",
    re.I | re.S,
)
_INDIRECT_SUBJECT = re.compile(
    r"^(?:(?P<you>you|u)\b|(?P<there>there (?:is|are)|theres)\b|"
    r"(?P<the>(?:the|your|a|an) (?:\w+ ){1,3}?)"
    r"(?P<verb>has|have|contains|comes with|come with|is|are)\b)",
    re.I,
)
_DO_FORM = {"has": "have", "have": "have", "contains": "contain", "comes with": "come with"}


# "carrots for a side, small", "fries as my side": what the dish is had as, no side of its own
_AS_A_SIDE = re.compile(
    r"\b(?P<dish>[a-z]+) (?:for|as) (?:a|my|the) side\b(?! of\b)(?=\s*(?:[,.!?]|$|and\b|please\b))",
    re.I,
)
# "full city roast, is that dark?", "the cold brew - is it sweet?": a thing named, then asked
# about ("a latte, is that ok?" asks whether it may be ordered: an order)
_THEN_ASKED = re.compile(
    r"^\s*(?:(?:and|so|ok|okay|um|hmm|oh)[\s,]+)*(?:the )?(?P<what>(?:[a-z-]+ ){0,3}[a-z-]+)"
    r"\s*[,-]+\s*(?:is|are) (?:that|it|they|those|these) (?P<how>(?!(?:ok|okay|possible|"
    r"alright|all right|fine|cool|doable|available|right|correct|good|enough|too)\b)"
    r"(?:[a-z-]+ ?){1,3})\s*\?\s*$",
    re.I,
)
# "can vegan pepperoni go on a pizza", "what about vegan pepperoni, can that go on a pizza": a
# question whether the dish takes it, with or without its question mark (never an order)
_GO_ON = re.compile(
    r"^(?P<lead>\s*(?:(?:and|so|ok|okay|um|hi|hey|oh|also)[\s,]+)*)"
    r"(?:(?:what|how) about (?P<named>[a-z][a-z -]*?)\s*[,.;]\s*)?"
    r"(?:can|could|would|will|does|do) (?P<what>[a-z][a-z -]*?) (?:go|goes|be added|be put) "
    r"(?:on|onto|in|into) (?P<dish>(?:a|an|your) [a-z]+(?: [a-z]+)?)\s*[?.!]*\s*$",
    re.I,
)
_IT_WORDS = frozenset({"it", "that", "this", "they", "those", "these", "them"})


def _goes_on(found: re.Match[str]) -> str:
    """ "can that go on a pizza" as "can i get vegan pepperoni on a pizza?", asked."""
    what, named = found.group("what"), found.group("named")
    if what.lower() in _IT_WORDS:
        if named is None:
            return found.group(0)
        what = named
    return f"{found.group('lead')}can i get {what} on {found.group('dish')}?"


# "the lowest priced burger", "the less pricey one", "higher priced": said as the rules know it
_PRICED_SO = re.compile(
    r"\b(?:(lowest|highest)[ -]priced|(lower|higher)[ -]priced|(less|more|most|least) pricey)\b",
    re.I,
)
_PRICED_AS = {
    "lowest": "cheapest",
    "highest": "most expensive",
    "lower": "cheaper",
    "higher": "more expensive",
    "less": "cheaper",
    "more": "pricier",
    "most": "priciest",
    "least": "cheapest",
}


def _priced_as(found: re.Match[str]) -> str:
    """ "cheapest" for "lowest priced", "cheaper" for "less pricey"."""
    return _PRICED_AS[next(g for g in found.groups() if g is not None).lower()]


# "which drink is cheapest", "what cookie costs the most", "which side is the least
# expensive": the superlative said after its kind, asked as "what's the cheapest drink"
_WHICH_IS_EXTREME = re.compile(
    r"^(?P<lead>\s*(?:(?:and|so|ok|okay|um|hi|hey|oh)[\s,]+)*)(?:which|what|wat)"
    r"(?P<kind>(?: (?!is\b|are\b|costs?\b)[a-z]+){1,3}?)(?:(?:s| is| are| would be)(?: the)? "
    r"(?:(?P<low>cheapest|least expensive|lowest priced)|most expensive|priciest|dearest)|"
    r" costs?(?: the)? (?:(?P<least>least)|most))"
    r"(?: (?:one|ones|thing|item|option))?(?P<tail>(?: on (?:the|your) menu| here)?)\s*\??\s*$",
    re.I,
)


def _which_is_extreme(found: re.Match[str]) -> str:
    """ "what's the cheapest drink" for "which drink is cheapest"; "which one is the
    cheapest" keeps its "one" (of what was just shown)."""
    kind = found.group("kind").strip()
    how = "cheapest" if found.group("low") or found.group("least") else "most expensive"
    if kind in ("one", "ones", "of them", "of those", "of these"):
        return f"{found.group('lead')}which {kind} is the {how}{found.group('tail')}"
    return f"{found.group('lead')}whats the {how} {kind}{found.group('tail')}"


# "any shakes other than chocolate?", "got any sides besides fries": the others of a kind
# asked about, as "do you have any shakes other than chocolate?" (no order of the one named)
_ANY_BESIDES = re.compile(
    r"^(?P<lead>\s*(?:(?:and|so|ok|okay|um|hi|hey|oh)[\s,]+)*)(?:(?:you|u)(?: guys)? )?"
    r"(?:got|have)? ?any (?P<rest>[a-z ]{1,30}? (?:besides|other than|apart from|aside from|"
    r"except(?: for)?) [^,.;!]+\??)\s*$",
    re.I,
)
_ASIDE_CUE = re.compile(r"besides|other than|apart from|aside from|except")

_IS_THERE = re.compile(
    r"^\s*(?:(?:and|so|ok|okay|um|hi|hey|oh)[\s,]+)*(?:is|are) there (?:any |some |a |an )?"
    r"(?P<what>(?:(?!in\b|on\b|with\b)[a-z-]+\s*){1,4}?)\s*\?\s*$",
    re.I,
)


def _asked_directly(text: str) -> str:
    """An indirect question asked directly ("could you tell me if you have ginger ale?": "do
    you have ginger ale?"), so it is never read as an order; other text as it is."""
    found = _INDIRECT.match(text)
    if found is None:
        return text
    rest = found.group("rest").rstrip(" .?!")
    subject = _INDIRECT_SUBJECT.match(rest)
    if subject is None:
        return text
    if subject.group("you"):
        asked = f"do {rest}"
    elif subject.group("there"):
        asked = f"is there {rest[subject.end() :].strip()}"
    else:
        verb = subject.group("verb").lower()
        thing = subject.group("the").strip()
        if verb in ("is", "are"):
            asked = f"{verb} {thing} {rest[subject.end() :].strip()}"
        else:
            does = "do" if verb in ("have", "come with") else "does"
            asked = f"{does} {thing} {_DO_FORM.get(verb, verb)} {rest[subject.end() :].strip()}"
    return f"{found.group('lead')}{asked.strip()}?"


_FOR_EACH = re.compile(
    r"\bfor each (?:one )?of (?P<whose>the|my|our|his|her|their) (?P<who>\w+)"
    r"|\bfor each (?P<one>kid|child|person|guest|boy|girl)\b",
    re.I,
)


_MANY = {"child": "children", "person": "people"}
_NOT_WANTING = re.compile(
    r"^(?:(?:actually|oh|so|and|ok|okay|um|wait|sorry|hmm|ah)[\s,]+)*"
    rf"(?P<who>(?:my |our )?[a-z]+) {_NOT} want (?:a|an|the|his|her|any) "
    r"(?P<what>[a-z][a-z ]*?)(?: (?:actually|after all|anymore|any more|either|today))?"
    r"(?:\s*[,.;!]\s*(?P<tail>.*?))?[\s.!]*$",
    re.I,
)


def _taken_off_theirs(lexicon: Lexicon, found: re.Match[str], names: frozenset[str]) -> str | None:
    """A person's dish they no longer want, said as taking it off theirs, when the rest of the
    message orders nothing ("..., no drink for him"); None when it is no such message."""
    who, what, tail = found.group("who"), found.group("what"), found.group("tail") or ""
    person = who.split()[-1].lower()
    if not (is_person(person) or person in names):
        return None
    dish = parse_order(lexicon, tokenize(what))
    if len(dish.lines) != 1 or dish.lines[0].inferred or dish.unknown:
        return None
    rest = parse_order(lexicon, tokenize(tail)) if tail else None
    if rest is not None and (rest.lines or rest.loose_choices or _WANTS_MORE.search(tail)):
        return None
    return f"take {who}'s {what} off"


_WANTS_MORE = re.compile(r"\b(?:wants?|would like|instead|rather|but|add|get|have)\b", re.I)
_ONE_OF_THOSE_GONE = re.compile(
    r"\b(?:he|she|they|[a-z]+) (?:was|is|had|has|got) one of the (?P<which>[a-z]+(?: [a-z]+)?) "
    r"ones?\b",
    re.I,
)
_WENT = re.compile(r"\b(?:went|gone|headed|going) home\b|\bhad to (?:leave|go)\b", re.I)
# "the veggie bowl person left. remove it", "oh the steak guy isn't coming": someone named by
# their dish is gone, and nothing else is said but that it goes
_DISH_PERSON_GONE = re.compile(
    r"^(?:(?:oh|ok|okay|so|actually|wait|and|also)[\s,]+)*the (?P<what>[a-z]+(?: [a-z]+){0,2}) "
    r"(?:person|guy|girl|lady|dude|kid)(?P<why> [a-z' ]+?)"
    r"(?:[.,!]*\s*(?:so )?(?:(?:remove|cancel|drop|delete|take off|skip) (?:it|that|that one"
    r"|theirs|his|hers|their order|his order|her order)|take (?:it|that|theirs|his|hers) off))?"
    r"[.!]*$",
    re.I,
)


def _dish_person_gone(lexicon: Lexicon, text: str) -> str | None:
    """ "the veggie bowl person left. remove it", "the steak guy can't come": one of the dish
    that names them taken off ("take off one veggie bowl"), or None."""
    gone = _DISH_PERSON_GONE.match(text)
    if gone is None or not _dish_spans(lexicon, tokenize(gone.group("what"))):
        return None
    why = gone.group("why").lower().replace("'", "").replace("’", "")
    if _COMING.search(why) is None and _WENT.search(why) is None:
        return None
    return f"take off one {gone.group('what')}"


# "the decaf should be the cappuccino not the latte", "the bacon was meant for the hamburger,
# not the cheeseburger": an option on the wrong line, moved onto the other
_OPTION_MEANT_FOR = re.compile(
    r"\bthe (?P<what>[a-z]+(?: [a-z]+)?) (?:should (?:be|go|have been)|"
    r"was (?:supposed|meant) to (?:be|go)|was (?:meant )?for|is for)"
    r" (?:on |with |for |in |onto )?(?P<to>the [a-z ]+?)\s*,?\s*(?:and )?not "
    r"(?:on |with |for |in )?the [a-z ]+?[\s.!]*$",
    re.I,
)


def _option_meant_for(lexicon: Lexicon, text: str) -> str | None:
    """ "the decaf should be the cappuccino not the latte": the option moved onto the line it
    was meant for ("move the decaf to the cappuccino"), or None (a dish said: "the burger should
    be the cheeseburger")."""
    found = _OPTION_MEANT_FOR.search(text)
    if found is None:
        return None
    what = tokenize(found.group("what"))
    said = parse_order(lexicon, what)
    if _dish_spans(lexicon, what) or not (said.loose_choices or said.lines):
        return None
    return f"{text[: found.start()]}move the {found.group('what')} to {found.group('to')}"


_MADE_ALSO_WITH = re.compile(
    r"^(?P<head>(?:(?:ok|okay|and|oh|actually|so|wait)[\s,]+)*(?:make|change|switch|swap|turn) "
    r"[^,.]+?)\s*,?\s*also with\b",
    re.I,
)
_KEEP_TAIL = re.compile(
    r"\s*[,;.]\s*(?:and |but |just |please )*keep (?:the|her|his|my|their|our) [a-z' ]+?"
    r"(?: (?:though|tho|too|as well|please|pls))?[\s.!]*$",
    re.I,
)
# "switch mine to lettuce, his stays tomato": another's line as it is, no change of it
_STAYS_TAIL = re.compile(
    r"\s*[,;.]\s*(?:and |but |while )*(?:his|hers|her|theirs|their|the other|[a-z]+'s)"
    r"(?: (?!stays?\b|remains?\b)[a-z]+)? (?:stays?|can stay|remains?)"
    r"(?: (?:as (?:is|it is)|the same|[a-z]+(?: [a-z]+)?))?[\s.!]*$",
    re.I,
)
# "2 cheeseburgers for the kids, and a small apple slices for each of them": the group counted
_COUNTED_FOR_THEM = re.compile(
    rf"\b(?P<n>{count_pattern(10)}) (?P<what>[a-z][a-z ]*?) for (?P<whose>the|my|our) "
    r"(?P<who>[a-z]+)\b(?P<mid>[^.?!]*?)\b(?:a|an|one) (?P<dish>[a-z][a-z ]*?) for each of them\b",
    re.I,
)


def _as_many_for_them(found: re.Match[str]) -> str:
    who, n = found.group("who"), found.group("n")
    if not is_person(who) or n.lower() in ("a", "an", "one", "1"):
        return found.group(0)
    group = f"for {found.group('whose')} {who}"
    return f"{n} {found.group('what')} {group}{found.group('mid')}{n} {found.group('dish')} {group}"


def _for_them_each(found: re.Match[str]) -> str:
    if found.group("one"):
        one = found.group("one").lower()
        return f"for the {_MANY.get(one, one + 's')}, one each"
    who = found.group("who")
    return f"for {found.group('whose')} {who}, one each" if is_person(who) else found.group(0)


_ALL_WANT = re.compile(
    r"^\s*(?:(?:and|oh|ok|okay|so)[\s,]+)*(?:everyone|everybody|we all|all of us) "
    r"(?:wants?|would like|likes?|gets?|will have|'ll have)[\s,]+(?P<what>.+?)"
    r"(?P<but>,? (?:except|but not|apart from|other than)(?: for)? .+?)?[\s.!]*$",
    re.I,
)
_FOR_ALL_N = re.compile(
    rf"\bfor all (?:{count_pattern(20)})\b(?!\s+(?:of|people|kids|guys|adults)\b)", re.I
)
_EXCEPT_WHOSE = re.compile(
    r"(\b(?:all|each|every|everyone|everybody)\b[^.;!?]*?\b(?:except|but)(?: for)? )"
    r"((?!the\b|one\b)[a-z]+)['’]s\b",
    re.I,
)
# "one of them is for my son, put cheese on his", "one is for my bf, his with no sour cream":
# whose a unit is, then how theirs is made
_ONE_IS_FOR = re.compile(
    r"^(?P<lead>\s*(?:(?:and|oh|ok|okay|so|also)[\s,]+)*)(?:one|1)"
    r"(?P<of> of (?:them|those|these|the [a-z]+))? (?:is|will be) for (?P<who>[a-z ]+?)\s*[,.;]\s*"
    r"(?:and\s+)?(?P<rest>.*\b(?:his|hers|theirs|her one|his one)\b.*)$",
    re.I,
)
_NOT_ONE_PERSON = re.compile(r"\b(?:and|for|one|me|i)\b", re.I)
_THEIR_UNIT = re.compile(r"\b(?:his|hers|theirs|her one|his one)\b", re.I)
_HE_WANTS = re.compile(
    r"^(?:he|she|they)(?:'d| would)? (?:wants?|like|likes|needs?|gets?) (?=his\b|hers\b|theirs\b)",
    re.I,
)


def _one_is_for(found: re.Match[str]) -> str:
    """One clause of "one is for X, his with ...": "one of them for X with ..."."""
    # ("one is for my roommate, he wants his with an extra shot": his, as "his with" says it)
    rest = _HE_WANTS.sub("", found.group("rest"))
    # ("one is for me and one for Sam, and Sam wants his large": each one's, said before)
    if len(_THEIR_UNIT.findall(rest)) != 1 or _NOT_ONE_PERSON.search(found.group("who")):
        return found.group(0)
    unit = f"one{found.group('of') or ' of them'} for {found.group('who')}"
    return f"{found.group('lead')}{_THEIR_UNIT.sub(unit, rest)}"


# "except Jamie who wants a hot chocolate", "except for my mom, she'll have a tea"
_EXCEPT_THEM = re.compile(
    r"^\s*(?:(?:and|oh|ok|okay|but)[\s,]+)*except(?: for)? (?P<who>(?:my |our |the )?[a-z]+)"
    r",? (?:who|he|she|they)? ?(?:wants?|gets?|would like|will have|'ll have|is having|needs?)"
    r"[\s,]+(?P<what>.+?)[\s.!]*$",
    re.I,
)
_COUNT_WORD = count_pattern(10)
_NOT_THAT_MANY = re.compile(
    # ("sorry my count was off, we need 4 pepperoni not 2": a clause of why, with no count)
    rf"^\s*(?:(?:(?!\b{_COUNT_WORD}\b)[a-z' ])+[,.;:!]\s*)?"
    r"(?:(?:actually|no|oh|ok|sorry|i said|i meant|(?:he|she|they|we|i) (?:wants?|said|"
    rf"meant|needs?))[\s,]+)*(?P<n>{_COUNT_WORD})(?: (?P<what>[a-z][a-z ]*?))?,? not {_COUNT_WORD}"
    r"[\s.!]*$",
    re.I,
)
# "3 cookies is enough", "2 teas will do": the count the line should have, said as enough
_ENOUGH = re.compile(
    r"^\s*(?:(?:ok|okay|oh|hmm+|actually|no|so|um+|uh+|eh+|ah|well|wait),?\s+)*"
    rf"(?P<n>{_COUNT_WORD}) "
    r"(?P<what>[a-z][a-z ]*?),? (?:(?:is|are|should be|would be) (?:enough|plenty)|"
    r"(?:will|should|would) do)(?: (?:for us|for me|actually|then|i think|thanks))*[\s.!]*$",
    re.I,
)
# "no wait, instead of the espresso i want a large latte": what is instead said first, the dish
# wanted after it (read as "a large latte instead of the espresso")
_INSTEAD_FIRST = re.compile(
    r"^(?P<lead>(?:(?:no|nah|wait|actually|sorry|oh|ok|okay|hmm+|um+|and|so)[\s,.]+)*)instead of "
    r"(?P<old>[a-z' ]+?)(?: ?,\s*| )(?:(?:i|we)(?:ll| will|d| would)? (?:want|like|have|take|get|"
    r"do)|(?:can|could) (?:i|we) (?:get|have|do)|give me|get me|make it|let me get|lets do|just|"
    # ("instead of sour cream do guac": the verb alone)
    r"do|put|use|go with|sub in)"
    r"(?: (?:a|an))? (?P<new>[^.!?;]+)",
    re.I,
)
# "take the bacon off and do chicken instead", "remove the tomato, banana peppers instead",
# "take off the steak and do carnitas": an option taken off, another put in its place
_NOT_A_BREAK = r"(?:(?!\b(?:and|then|but|off|out)\b)[a-z' ])+?"
_OFF_THEN_ON = re.compile(
    r"^(?P<lead>(?:(?:no|nah|wait|actually|sorry|oh|ok|okay|hmm+|um+|and|so)[\s,.]+)*)"
    rf"(?:{verbs_pattern(TAKE_OFF_VERBS | {'pull'})}|get rid of) (?:off |out )?"
    rf"(?P<old>{_NOT_A_BREAK})(?: off| out)?(?: ?, ?| )(?:(?:and|then|but) )?"
    r"(?P<verb>(?:just )?(?:do|put|add|use|get|give me|go with|sub in|throw on|try|"
    r"(?:i|we)(?:'?ll| will|'?d| would)? (?:want|like|have|take|get|do)|"
    r"(?:can|could) (?:i|we|you) (?:get|have|do|put|add)) )?"
    rf"(?P<new>{_NOT_A_BREAK})(?: on(?: it| there| top)?)?(?P<instead> instead| in its place)?"
    r"(?: please| pls| thanks)?[\s.!]*$",
    re.I,
)
# what may stand beside options in "take off the X": determiners, amounts, "and"
_BESIDE_OPTIONS = frozenset({Kind.FILLER, Kind.QUAL, Kind.AND})


def _just_options(lexicon: Lexicon, text: str) -> bool:
    """Whether words say options and nothing else ("the sour cream", "extra guac"), a phrase
    that names a dish too counted as its option."""
    spans = scan(lexicon, tokenize(text))
    return any(s.kind == "menu" for s in spans) and all(
        (s.kind == "menu" and s.entry is not None and s.entry.options) or s.kind in _BESIDE_OPTIONS
        for s in spans
    )


def _off_then_on(lexicon: Lexicon, found: re.Match[str]) -> str:
    """ "take the bacon off and do chicken instead": read as "swap the bacon for chicken", when
    a verb or "instead" says the second option is put on and both are options only."""
    old, new = found.group("old").strip(), found.group("new").strip()
    if not (found.group("verb") or found.group("instead")):
        return found.string
    if not (_just_options(lexicon, old) and _just_options(lexicon, new)):
        return found.string
    return f"{found.group('lead')}swap {old} for {new}"


# "make the cokes 2 and the doritos just 1": each line's count said after it
_THE_LINE_COUNT = re.compile(
    rf"\bthe ((?:[a-z]+ ){{0,2}}?[a-z]+) (?:just |only )?({_COUNT_WORD})(?= *(?:,|\band\b|\.|$))",
    re.I,
)
_JUST_THE_ONE = re.compile(
    r"\b(?:just|only) the one\b(?! (?:with|without|that|which|in|on|for|i|you|we)\b)", re.I
)
# "the curly fries sound good, a medium one": the dish liked, then how it is wanted
_LIKED_THEN_ONE = re.compile(
    r"^(?:(?:ok|okay|oh|mm+|hmm+),? )?(?:the |those |that )?(?P<what>[a-z][a-z' -]*?) "
    r"(?:sounds?|looks?|seems?) (?:good|great|nice|tasty|yummy|delicious|perfect)\b[\s,.!-]*"
    r"(?P<rest>(?:(?:i'?ll|i will|i'?d|let me) (?:have|take|get|like|try) |(?:give|get) me )?"
    r"(?:a|an) (?:[a-z-]+ ){1,3}?)one\b",
    re.I,
)
# "and a small one with the same toppings": the line again, in another size or such
_ONE_LIKE_IT = re.compile(
    r"^(?P<lead>(?:(?:ok|okay|and|also|oh|plus|then),? )*)(?:a|an|one|another) "
    r"(?P<opts>(?:[a-z-]+ ){1,3}?)one,? (?:with|w) (?:the )?same (?:toppings|fillings|options|"
    r"stuff|everything|ingredients|extras|things|add-ons|addons)\b(?: on it| in it)?",
    re.I,
)
# "an espresso in dark roast and a cappuccino with the same roast": the option said before
# in the message whose name ends in that word
_SAME_OPTION = re.compile(r"\b(?:the )?same (?P<word>[a-z]+)\b", re.I)


def _option_said_before(lexicon: Lexicon, found: re.Match[str]) -> str:
    """The last option named before `found` whose name ends in its word ("the same roast" after
    "italian roast": "italian roast"); what was said when there is none."""
    word = found.group("word").lower()
    tokens = tokenize(found.string[: found.start()].lower())
    for end in range(len(tokens), 0, -1):
        if tokens[end - 1] != word:
            continue
        for start in range(max(0, end - 4), end - 1):
            size, entry = lexicon.lookup(tokens, start)
            if entry is not None and entry.options and not entry.items and start + size == end:
                return " ".join(tokens[start:end])
    return found.group(0)


# "and of the other two, one without pickles": which lines first, then how many of them
_OF_THEM_FIRST = re.compile(
    r"^(?P<lead>(?:(?:and|ok|okay|so|oh|also|then),? )*)(?:out )?of (?P<which>(?:the |those |"
    r"these )?(?:other )?(?:[a-z]+ )?(?:two|three|four|five|six|\d+|them|those|these)),? "
    rf"(?P<count>{count_pattern(5)})\b",
    re.I,
)
# "switch the juice to apple": the new dish said by the word that sets it apart
_TO_A_KIND = re.compile(
    r"\b(?:switch|change|swap|make|turn) (?:the|my|that|this) (?P<noun>[a-z]+) (?:to|for|into) "
    r"(?:an? |the )?(?P<word>[a-z]+)[\s.!]*$",
    re.I,
)
# "olives are fine, leave them on", "leave the onions on": what was left off, put back
_LEAVE_ON = re.compile(
    r"\b(?:(?P<said>[a-z]+(?: [a-z]+)?) (?:is|are) (?:fine|ok|okay|good)(?: actually)?"
    r"[\s,.;!]+(?:just )?)?(?:leave|keep) (?:(?:it|them)|the (?P<named>[a-z]+(?: [a-z]+)?)) on\b"
)
# "actually no jalapenos, forget those": the options said no to let go, not the line ("no guac,
# scratch that" takes the "no" back, read as it is)
_NO_THEN_FORGET = re.compile(
    r"(?P<no>\b(?:no|without|hold the|skip the) "
    r"(?!(?:wait|sorry|actually|thanks|thank|worries|problem|need|hold|one|more|nvm|never)\b)"
    r"\w[^,.;]*?)\s*[,.;-]?\s*"
    r"(?:just )?(?:forget|scratch|skip|ditch|drop|lose|nix) (?:those|them|em|'em)"
    r"(?: (?:actually|please|pls|thanks))?[\s.!]*$",
    re.I,
)
# "wait onions are fine on it actually", "the pickles are ok after all": an option left off,
# wanted back
_FINE_AFTER_ALL = re.compile(
    r"^\s*(?:(?:oh|um+|uh+|hmm+|ok|okay|wait|actually|no|nah|sorry|you know what)[\s,.]+)*"
    r"(?:the )?(?P<said>[a-z]+(?: [a-z]+)?) (?:is|are|'re|'s) (?:fine|ok|okay|good|alright)"
    r"(?: (?:on|with|in) (?:it|there|them|that|those|mine|the \w+))?"
    r"(?: (?:actually|after all|then|too|i guess|i think))*[\s.!]*$",
    re.I,
)
# (the sentence it ends stays one: "no onions on second thought. mushrooms and olives" says no
# "no" of the mushrooms)
_SECOND_THOUGHT = re.compile(r"\bon second thoughts?\b(?P<stop>\s*[.!;](?=\s))?[\s,.!;]*", re.I)
# "no wait large", "nah sorry two": the words of taking back, not "no" before an option
_NO_WAIT = re.compile(
    r"^(\s*(?:(?:oh|um+|uh+|hmm+)[\s,]+)?(?:no|nah))\s+(?=(?:wait|sorry|actually|hold on)\b)",
    re.I,
)
# "scratch that, caramel not hazelnut", "scratch that make it keto crust", "forget it, change it
# to a large": what was just said let go, then the change meant in its place
_LET_GO_FOR = re.compile(
    r"^\s*(?:(?:oh|ah|um+|hmm+|ok|okay|no|wait|actually|sorry)[\s,]+)*"
    rf"{LET_GO_OF_IT}(?:\s*[,.;:!-]+\s*(?=\w)|\s+(?=(?:make|change|switch|turn)\b))",
    re.I,
)
_CHANGE_SAID = re.compile(r"(?:make|change|switch|turn)\b", re.I)
_LET_GO_WORDS = re.compile(LET_GO_OF_IT, re.I)


def _let_go_for(lexicon: Lexicon, text: str) -> re.Match[str] | None:
    """Where the words letting go of what was just said end, when a change is said in its place:
    "scratch that, make it keto crust", "forget it change it to a large" (a change verb), or
    "scratch that, french roast" (options alone). The line is then changed so, not taken off;
    None for anything else ("scratch that, and a coke", "never mind that")."""
    found = _LET_GO_FOR.match(text)
    if found is None:
        return None
    rest = text[found.end() :]
    said = parse_order(lexicon, tokenize(rest))
    if _CHANGE_SAID.match(rest):
        # (not "scratch that, make it a calzone": nothing on the menu said instead)
        return found if said.lines or said.loose_choices else None
    if not said.lines and _options_instead(said.loose_choices):
        return found  # "scratch that, both with provolone": the options in place of the last
    return found if said.lines and all(line.inferred for line in said.lines) else None


def _options_instead(choices: Sequence[Choice]) -> bool:
    """Whether options said alone after letting go of the last change are put on in its place
    ("scratch that, provolone"), not taken off ("scratch that, no onions")."""
    return bool(choices) and not any(c.exclude for c in choices)


# "oh wait, and a cookie", "actually, also a coke": something forgotten, added, no correction
_WAIT_AND = re.compile(
    r"^\s*(?:(?:oh|ah|um+|hmm+|ok|okay)[\s,]+)*(?:wait|actually|oops|sorry|hold on)[\s,.!]+"
    r"(?=(?:and|also|plus)\b)",
    re.I,
)
_NVM_JUST = re.compile(
    r"^\s*(?:(?:ok|okay|oh|so|ah)[\s,]+)*(?:nvm|never ?mind)"
    r"(?:[\s,.]*(?=(?:just|only|add|give|get|gimme|can|could|i'?ll|i want|i'd|make|change|"
    r"switch)\b)"
    r"|\s*[.!]+\s*(?=\w))",
    re.I,
)
_BARE_ONE = re.compile(
    r"((?:^|[,.;]\s*|\band\s+)(?:and |ok |so |then |oh )*)"
    r"((?!(?:the|a|an|my|his|her|their|that|this|each|every|any|no|which|what)\b)[a-z]+"
    r"(?: [a-z]+)? one(?: (?:gets?|should|needs)\b|\s*:))",
    re.I,
)
_ONE_THE_OTHER = re.compile(
    r"^((?:(?:and|ok|okay|so|um|oh|actually|wait|sorry|no)\W+)*(?:only |just )?)one (?!of\b)"
    r"(?=[^,]+(?:,| and) the other\b)",
    re.I,
)
_A_DIFFERENT_ONE = re.compile(
    r"\b(?:a|one|another) different one(?: of (?:them|those|these))?"
    r"(?= (?:with|w|without|no|gets?|has|should|is|can)\b)",
    re.I,
)
_UNITS_SHOULD = re.compile(
    r"^(?:(?:actually|ok|okay|oh|and|but|so|wait|um|no|sorry)\W+)*(?:only |just )?"
    r"(?:one|two|three|\d+)(?= (?:should|shall|must|needs? to|has to|is|gets?|can have|will have)"
    # (not "one is for me and one for Dan": whose each is, no option)
    r" (?!\w+ more\b|for\b|mine\b|his\b|hers\b|theirs\b))",
    re.I,
)
_THE_PART = re.compile(
    r"\b(?:drop|remove|take off|scratch|scrap|ditch|nix|cut|lose|skip|forget|leave off|hold|"
    r"get rid of) the ((?:\w+ ){0,2}?\w+)"
    r" (?:part|bit)\b",
    re.I,
)
# (not "one of the cokes should be a seven up", "the second one should be stuffed crust": those
# are read as they are)
_SHOULD_BE = re.compile(
    r"(?<!\bof )\b(the|my|his|her|their|our) "
    r"(?!(?:\w+ ){0,2}?(?:ones?|first|second|third|fourth|last|other)\b)((?:\w+ ){0,2}?\w+) "
    r"(?:should|needs to|has to|must) be "
    r"(?:on |in |with |made with |made on )?(?:a |an )?",
    re.I,
)


def _made_so(lexicon: Lexicon, found: re.Match[str]) -> str:
    """ "the shake should be strawberry": "change the shake to strawberry"; "the pepperoni
    should be on a thin crust", the line its option names: "make the pepperoni one thin crust"."""
    owner, said = found.group(1), found.group(2)
    words = tokenize(said)
    length, entry = lexicon.lookup(words, 0)
    if length == len(words) and entry is not None and entry.items and not entry.options:
        return f"change {owner} {said} to "
    return f"make {owner} {said} one "


_JUST_THEN = re.compile(
    r"^\s*(?:(?:ok|okay|fine|alright|hmm+|oh|ah)[\s,]+)*just (?:the|my) [a-z' ]+? then\b"
    r"[\s,.]*(?:and|plus|&)?\s*",
    re.I,
)
_BARE_PLACE = re.compile(
    r"(^\s*|,\s*|\band\s+)(first|second|third|last)\b(?=\s+(?:one|w|with|no|without)\b)", re.I
)


def _the_other(text: str) -> str:
    """ "one iced, the other one normal": two parts of a line, said as "one iced and one
    normal"; "first one w black beans, second w pinto" as "the first ..., the second ..."."""
    return _BARE_PLACE.sub(r"\1the \2", _THE_OTHER.sub(r"\1 and one", text, count=1))


def _a_second(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "add a second quesadilla, same thing": another of a dish ordered, as "another"."""
    if "just" in tokens or "only" in tokens:
        return tokens  # "a second pizza, small, with just pesto": a new one, as said
    for at in range(len(tokens) - 2):
        if tokens[at] == "a" and tokens[at + 1] in ("second", "third", "2nd", "3rd"):
            entry = lexicon.lookup(tokens, at + 2)[1]
            if entry is not None and (entry.items or _kind_of_one_dish(lexicon, entry.options)):
                # ("a second hawaiian": a pizza of that kind)
                return [*tokens[:at], "another", *tokens[at + 2 :]]
    return tokens


def _kind_of_one_dish(lexicon: Lexicon, options: Sequence[OptionRef]) -> bool:
    """Whether a phrase is one option of a group only one dish takes (a pizza's "hawaiian")."""
    if len(options) != 1:
        return False
    group = options[0].group
    return sum(group in item.option_groups for item in lexicon.menu.items()) == 1


# what a dish named by an option comes after ("off the large", "on the spicy")
_OFF_THE = frozenset({"off", "from", "on", "onto", "in"})
# the words of an amount said "on" its option ("light on the sour cream", "go easy on the salt")
_AMOUNT_ON = frozenset({"light", "lite", "easy", "heavy", "extra", "lots", "more", "less"})


def _the_option_one(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "take the jalapenos off the large", "the onions from the spicy", "extra pepperoni on the
    large": a dish named by an option after "off the", "from the", "on the", as "the large
    one"."""
    for at, tok in enumerate(tokens[:-2]):
        if tok not in _OFF_THE or tokens[at + 1] not in ("the", "my", "that"):
            continue
        if tokens[at + 2] in _IDIOMS or not any(lexicon.lookup(tokens, k)[0] for k in range(at)):
            continue  # "on the side"; "take off the mayo": the mayo is what comes off
        if at and tokens[at - 1] in _AMOUNT_ON:
            continue  # "light on the sour cream": the amount of an option, no line named
        length, entry = lexicon.lookup(tokens, at + 2)
        end = at + 2 + length
        if (
            entry is not None
            and entry.options
            and not entry.items
            and (end == len(tokens) or tokens[end] in (",", ".", "!", "?", "too", "please", "pls"))
        ):
            return [*tokens[:end], "one", *tokens[end:]]
    return tokens


# What stands between an option and its amount said after it: "provolone, extra", "swap the
# salsa for corn salsa, still extra", "switch to brown rice but keep it light"
_THEN_AMOUNT = re.compile(r"(?:, )?(?:(?:but|and) )?(?:still|keep (?:it|that|them)(?: still)?)|,")


def _amount_after(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "provolone then, extra", "the red chili one please, light", "corn salsa, still extra":
    the amount of the option said just before (as "extra provolone then")."""
    end = len(tokens)
    while end and tokens[end - 1] in ("please", "pls", ".", "!"):
        end -= 1
    if end < 3 or tokens[end - 1] not in ("extra", "light"):
        return tokens
    between = next(
        (
            width
            for width in range(min(5, end - 2), 0, -1)
            if _THEN_AMOUNT.fullmatch(" ".join(tokens[end - 1 - width : end - 1]))
        ),
        0,
    )
    if not between:
        return tokens
    for at in range(end - 2 - between, -1, -1):
        length, entry = lexicon.lookup(tokens, at)
        if (length and entry is not None and entry.options and not entry.items) or (
            at and tokens[at - 1] == "the"  # ("the red chili one": after its article)
        ):
            # ("ranch sauce, extra": the whole name the last word ends, not the plain sauce)
            at = min(
                [at]
                + [
                    before
                    for before in range(max(0, at - 3), at)
                    if _option_span(lexicon, tokens, before) > at - before
                ]
            )
            return [*tokens[:at], tokens[end - 1], *tokens[at : end - 1 - between], *tokens[end:]]
    return tokens


def _option_span(lexicon: Lexicon, tokens: list[str], at: int) -> int:
    """How many tokens from `at` name an option (0 if none does)."""
    length, entry = lexicon.lookup(tokens, at)
    return length if entry is not None and entry.options and not entry.items else 0


def _for_both(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "and apple slices for both kids", "fries for both", "fries for all three": one each,
    as many of the dish as the people."""
    for at in range(1, len(tokens) - 1):
        if tokens[at] != "for":
            continue
        if tokens[at + 1] == "both":
            count, said = "two", at + 2
        elif tokens[at + 1] == "all" and at + 2 < len(tokens) and is_count(tokens[at + 2]):
            count, said = tokens[at + 2], at + 3  # "for all 3 of them"
        else:
            continue
        tail = [t for t in tokens[said:] if t not in (".", "!", "please", "pls")]
        if len(tail) > 2 or not all(t == "of" or is_person(t) or t in ("us", "them") for t in tail):
            return tokens
        start = 0
        while start < at and tokens[start] in ("and", "plus", "also", "oh", "ok", ","):
            start += 1
        head = parse_order(lexicon, tokens[start:at])
        if (
            len(head.lines) == 1
            and not head.lines[0].inferred
            and not head.lines[0].quantity_said
            and tokens[start] not in ("a", "an", "one")
        ):
            return [*tokens[:start], count, *tokens[start:at]]
        return tokens
    return tokens


def _ordinals_listed(tokens: list[str]) -> list[str]:
    """ "first pepperoni, second veggie, third ham": one each, in order (as "first one ...")."""
    starts = [
        at
        for at, tok in enumerate(tokens[:-1])
        if tok in ORDINALS
        and (at == 0 or tokens[at - 1] in (",", "and", ".", "the"))
        and tokens[at + 1] not in ("one", "ones", "of", ",", ".")
    ]
    if len(starts) < 2:
        return tokens
    out = list(tokens)
    for at in reversed(starts):
        out.insert(at + 1, "one")
    return out


_SO_SAID = frozenset({"actually", "instead", "then", "just", "only"})
_SIGN_OFF = frozenset({"instead", "then", "please", "pls", "thanks", ".", "!"})


def _option_at(lexicon: Lexicon, tokens: list[str], at: int) -> tuple[int, set[str]]:
    """The width of the option phrase at `at` (0 when none, or when it names a dish too) and
    its groups."""
    width, entry = lexicon.lookup(tokens, at)
    if entry is None or entry.items or not entry.options:
        return 0, set()
    return width, {ref.group for ref in entry.options}


def _no_this_but_that(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "no mustard, mayo", "the tuna no spinach actually, cucumbers": on a line ordered
    before, the second option of the kind takes the place of the first (read as "no mustard,
    with mayo"), when it ends the message. A new order ("a sub, no onions, peppers") and a
    list with "no" again or "and" stay as they are."""
    at = next((k for k, t in enumerate(tokens) if t in ("no", "without")), len(tokens))
    if any(t in ("a", "an", "another") or is_count(t) for t in tokens[:at]):
        return tokens
    width, groups = _option_at(lexicon, tokens, at + 1)
    comma = at + 1 + width
    while width and comma < len(tokens) and tokens[comma] in _SO_SAID:
        comma += 1
    if not width or tokens[comma : comma + 1] != [","]:
        return tokens
    then = comma + 1
    while then < len(tokens) and tokens[then] in _SO_SAID:
        then += 1
    width, others = _option_at(lexicon, tokens, then)
    if not width or not groups & others or not _SIGN_OFF.issuperset(tokens[then + width :]):
        return tokens
    return [*tokens[:then], "with", *tokens[then:]]


def _no_then_option(lexicon: Lexicon, text: str, no_wait: re.Match[str]) -> str:
    """ "no wait large": large, not "no large", when an option of the menu follows the words
    of taking back ("no wait hot" is read as before, by its opposite)."""
    words = tokenize(text[no_wait.end() :])
    start = 0
    while start < len(words) and words[start] in ("wait", "sorry", "actually", "hold", "on", ","):
        start += 1
    _, entry = lexicon.lookup(words, start)
    if entry is None or not entry.options or entry.items:
        return text
    return f"{no_wait.group(1)}, {text[no_wait.end() :]}"


def _not_having(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "the non-decaf ones", "the non skinny latte", "make the non-iced large": the lines
    without that option (read as "the ones without decaf"), where "non X" is no menu phrase of
    its own ("non fat milk" stays)."""
    for at in range(len(tokens) - 2, -1, -1):
        if tokens[at] != "non" or lexicon.lookup(tokens, at)[0]:
            continue
        width, entry = lexicon.lookup(tokens, at + 1)
        if entry is None or not entry.options or entry.items:
            continue
        option, after = tokens[at + 1 : at + 1 + width], at + 1 + width
        if after < len(tokens) and tokens[after] in ("one", "ones"):
            noun, end = [tokens[after]], after + 1
        else:
            size, dish = lexicon.lookup(tokens, after)
            size = size if dish is not None and dish.items and not dish.options else 0
            noun, end = (tokens[after : after + size], after + size) if size else (["one"], after)
        tokens = [*tokens[:at], *noun, "without", *option, *tokens[end:]]
    return tokens


def _the_ones(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "2 cookies, the white chip ones": the count, then which (read as "2 white chip
    cookies"); "3 raspberry ones": the one dish with a word in its name that the menu has
    nowhere else."""
    out = list(tokens)
    for at in range(len(out) - 1, 0, -1):
        if out[at] not in ("ones", "one"):
            continue
        for width in (1, 2) if out[at] == "ones" else ():
            the = at - width - 1
            if the >= 3 and out[the - 1 : the + 1] == [",", "the"] and is_count(out[the - 3]):
                return [*out[: the - 2], *out[the + 1 : at], out[the - 2], *out[at + 1 :]]
        word = out[at - 1]
        if not word.isalpha() or word in COMMON_WORDS or lexicon.lookup(out, at - 1)[0]:
            continue
        dish = the_dish_with(lexicon, [word])
        if dish is not None:
            out[at - 1 : at + 1] = lexicon.items[dish].label.lower().split()
    return out


# what may follow "everything" at the end of a message ("in everything please")
_TRAILING = frozenset({"please", "pls", "then", ",", ".", "!"})


def _but_the(tokens: list[str]) -> list[str]:
    """The words after "everything" less a dish left out ("except the salad")."""
    if tokens[:1] in (["except"], ["but"]):
        skip = 3 if tokens[1:2] == ["for"] else 2
        if tokens[skip - 1 : skip] == ["the"]:
            return [t for t in tokens[skip + 1 :] if t in _TRAILING]
    return tokens


def _everything(tokens: list[str]) -> list[str]:
    """ "everything with white rice": every line ordered ("all with ..."), not a dish; "make
    it three of everything": of each line, not the burger that comes with everything; "put
    black beans in everything", "make everything decaf": on every line."""
    for at, tok in enumerate(tokens):
        if (
            tok == "everything"
            and at
            and tokens[at - 1] in ("of", "in", "on", "to", "onto")
            and all(t in _TRAILING for t in _but_the(tokens[at + 1 :]))
        ):
            said = ["each"] if tokens[at - 1] == "of" else ["all", "of", "them"]
            return [*tokens[:at], *said, *tokens[at + 1 :]]
    for at, tok in enumerate(tokens[:-1]):
        if tok == "everything" and at and tokens[at - 1] in ("make", "turn"):
            return [*tokens[:at], "them", "all", *tokens[at + 1 :]]  # "make everything decaf"
        if (
            tok == "everything"
            and tokens[at + 1] in ("with", "gets", "should", "needs", "on")
            and all(t in ("and", "ok", "okay", "so", "oh", ",") for t in tokens[:at])
        ):
            return [*tokens[:at], "all", *tokens[at + 1 :]]
    return tokens


def _after_reason(
    lexicon: Lexicon, tokens: list[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """ "2 people just cancelled, so 4 of each": the request after a reason that names nothing
    on the menu; "Jo changed her mind, take the red onions off hers": off Jo's (the person
    the reason names is whose "hers" is)."""
    rest = _reason_dropped(lexicon, tokens)
    if len(rest) == len(tokens):
        return tokens
    said = [
        m
        for m in mentions(tokens[: len(tokens) - len(rest)], names)
        if m.person != "me" and not m.person.startswith("~")
    ]
    at = next((k for k, t in enumerate(rest) if t in _THEIR_WORDS), None)
    if len(said) != 1 or at is None:
        return rest
    person = said[0].person
    words = tokens[said[0].start : said[0].end]
    whose = [f"{person}s"] if person in names else [*words[:-1], f"{words[-1].rstrip('s')}s"]
    return [*rest[:at], *whose, *rest[at + 1 :]]


_THEIR_WORDS = frozenset({"his", "hers", "her", "their", "theirs"})


def _counts_after_why(lexicon: Lexicon, tokens: list[str], names: frozenset[str]) -> list[str]:
    """ "one person bailed, so 3 burritos and 3 cokes", "ben cancelled on us so only 3 dr
    peppers", "dad says only 2 tacos": after why the party changed, or who says it, the counts
    the order comes to, said as a correction of the lines (never more of them)."""
    if not any(t in ("so", "says", "said") for t in tokens):
        return tokens  # (most messages: read fast)
    for at, token in enumerate(tokens[1:-2], start=1):
        head = tokens[:at]
        unwanted = False  # "Ana doesn't want a drink, so 3 cokes": what she doesn't want
        if token == "so":
            why = " ".join(head)
            # ("mom wants tuna too, so 2 tunas and no turkey": what she wants is why, too)
            unwanted = _DOESNT_WANT.search(why) is not None or (
                _WANTS_TOO.search(why) is not None and bool(mentions(head, names))
            )
            if not (_COMING.search(why) or _PARTY_GREW.search(why) or unwanted):
                continue
        elif token in ("says", "said"):
            who = mentions(head, names)
            if len(who) != 1 or who[0].start != 0 or who[0].end != at:
                continue  # ("dad says ...": only the one who says it before)
        else:
            continue
        rest = tokens[at + 1 :]
        counted = rest[1:] if rest[0] in ("only", "just") else rest
        if not counted or not is_count(counted[0]):
            return tokens
        gone = mentions(head, names) if token == "so" and _COMING.search(" ".join(head)) else []
        if len(gone) == 1 and gone[0].person in names and all(t in _BARE for t in counted[1:]):
            # "ty can't make it, so only 2": the count says no dish, theirs comes off
            return ["take", f"{gone[0].person}s", "off"]
        said = parse_order(lexicon, counted)
        if (
            not said.lines
            or said.loose_choices
            or not all(line.quantity_said for line in said.lines)
            or (parse_order(lexicon, _who_by_dish(head)).lines and not unwanted)
        ):
            return tokens
        return rest if counted is not rest else ["actually", *rest]
    return tokens


# Words for someone of a group, named by what they eat ("the bowl people", "the steak guy")
_ONES_OF_A_GROUP = frozenset({"people", "person", "guy", "guys", "girl", "girls", "folks", "one"})


def _who_by_dish(tokens: list[str]) -> list[str]:
    """ "one of the bowl people left": the words before a person's word name who, not a dish
    (the words up to "the" taken out)."""
    if not _ONES_OF_A_GROUP.intersection(tokens) and not any(map(is_person, tokens)):
        return tokens
    for at, token in enumerate(tokens[1:], start=1):
        if (token in _ONES_OF_A_GROUP or is_person(token)) and "the" in tokens[:at]:
            the = at - 1 - tokens[:at][::-1].index("the")
            if 0 < at - the - 1 <= 2:
                return [*tokens[: the + 1], *tokens[at:]]
    return tokens


_MAKING = frozenset({"make", "change", "switch", "swap", "turn"})


def _reason_dropped(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """The request after a reason that names nothing on the menu (`_after_reason`)."""
    for at in range(1, len(tokens) - 2):
        if (
            tokens[at] == ","
            and tokens[at - 1] in _PRICIER
            and _PRICED.search(" ".join(tokens[:at]))
        ):
            # "oh wait chicken is more, go back to barbacoa": what a choice costs is why
            return tokens[at + 1 :]
        if tokens[at] == "," and tokens[at + 1] == "so":
            head = parse_order(lexicon, tokens[:at])
            if not head.lines and not head.loose_choices:
                return tokens[at + 2 :]
        if tokens[at] == "so" and tokens[at + 1] in _MAKING:
            # "two of the kids don't eat meat so make one of the 4 a veggie": why, then the
            # change, when the why orders nothing
            head = parse_order(lexicon, tokens[:at])
            if not head.lines and not head.loose_choices:
                return tokens[at + 1 :]
        if tokens[at] == "so" and _DISLIKES.search(" ".join(tokens[:at])):
            # "she doesnt like basil so no basil on hers", "my daughter doesn't like a thick
            # crust, so thin crust on all of them": what she dislikes is the reason (not "one
            # of the guys doesnt want a drink so 4 teas", which is said as a whole)
            head = parse_order(lexicon, tokens[:at])
            if tokens[at + 1] in _LEAVE_OFF or (
                head.loose_choices and all(line.inferred for line in head.lines)
            ):
                return tokens[at + 1 :]
        if (
            tokens[at] in (",", ".", "so")
            and (
                tokens[at + 1] in _TAKING_OFF
                # "Omar isn't coming anymore so no cappuccino": no dish of his, after why
                or (tokens[at + 1] == "no" and _COMING.search(" ".join(tokens[:at])) is not None)
            )
        ):
            # "Mark's out today so take off one pepperoni", "my daughter isnt hungry, take her
            # burrito off": what is taken off after why, when the why names nothing ordered
            said = tokens[:at]
            if _DISLIKES.search(" ".join(said)) and len(said) > 2:
                # "one of the kids doesnt want a hot chocolate, take one off": why, once
                return tokens[at + 1 :]
            head = parse_order(lexicon, said)
            if (
                not head.lines
                and not head.loose_choices
                and head.loose_quantity is None
                # ("no wait, take the olives off": a correction, no why; "Ben bailed" is one)
                and (len(said) > 2 or _COMING.search(" ".join(said)) is not None)
            ):
                return tokens[at + 1 :]
    return tokens


_PRICIER = frozenset({"more", "less", "cheaper", "pricier", "expensive", "much"})
# "chicken is more", "the large is too expensive", "that costs a lot more": a price remarked on
_PRICED = re.compile(
    r"\b(?:is|are|its|costs?)(?: (?:a lot|a bit|way|much|too|so|kinda|more))? "
    r"(?:more|less|cheaper|pricier|expensive|much)$"
)
# "two more guys just walked in", "a few more kids showed up": the party grew
_PARTY_GREW = re.compile(
    r"\b(?:walked in|showed up|show up|showing up|turned up|came|joined|joining|arrived|"
    r"(?:are|is) coming)\b"
)
_COMING = re.compile(
    r"\b(?:isnt|is not|arent|cant|cannot|can not|wont|not) (?:coming|joining|make it|here|in)\b"
    r"|\b(?:cant|cannot|can not|wont|couldnt|not) (?:come|join)\b"
    r"|\b(?:bailed|cancelled|canceled|left)\b"
)
# "mom wants tuna too", "he wants one as well": someone else's wish, said as why
_WANTS_TOO = re.compile(
    r"\b(?:wants|would like|will have|is having)\b.* (?:too|as well|also)(?: [,.;])?$"
)
_BARE = frozenset({"now", "then", "please", "pls", "total", "of", "them", "us", ".", "!"})
_DOESNT_WANT = re.compile(rf"\b{_NOT} (?:want|need)\b")
_NOT_ONE = re.compile(rf"\b{_NOT} (?:want|need) (?:one|any)\b")
_UNWANTED = re.compile(rf"\b{_NOT} (?:want|need) (?P<what>(?:a|an|one|the) .+)$")
# "thats too many fries, take 2 off", "we got way too many cookies": the dish there are too
# many of, which a removal after it naming no dish takes the units off
_TOO_MANY_OF = re.compile(
    r"^(?:(?:hmm+|um+|uh+|oh|ok|okay|so|well|wait|and|actually|ugh),? )*"
    r"(?:(?:that'?s|that is|it'?s|its|there(?:'?s| is| are)|(?:i|we) (?:got|ordered|have)) )?"
    r"(?:way |a bit |a little |one |two |\d+ )?too many (?P<what>[\w' -]+?)\s*$",
    re.I,
)
_TAKEN_OFF = re.compile(
    rf"^\s*(?:so |just |please |pls )?(?:{verbs_pattern(TAKE_OFF_VERBS)})\b", re.I
)
# "is it possible to get a side of fries", "would it be possible to put hot peppers on it":
# asked whether it can be done, the same request as "can i get", "could you put"
_IS_IT_POSSIBLE = re.compile(
    r"\b(?:(?:is|would|will) (?:it|that) (?:be )?|(?:its|it'?s|it is) )?possible "
    r"(?:for (?P<who>me|us|you|u) )?to (?P<verb>get|have|order|grab|"
    r"put|add|do|make|leave|hold|take|swap|switch|change|throw)\b",
    re.I,
)
_ASKED_FOR_ONESELF = frozenset({"get", "have", "order", "grab"})


def _possible_to(found: re.Match[str]) -> str:
    verb = found.group("verb")
    if verb.lower() in _ASKED_FOR_ONESELF and found.group("who") not in ("you", "u"):
        return f"can {'we' if found.group('who') == 'us' else 'i'} {verb}"
    return f"could you {verb}"


# "stuffed crust if u can", "no onions if possible": asked politely, the same request
_IF_YOU_CAN = re.compile(
    r"\s*,?\s*\b(?:if (?:you|u) (?:can|could|dont mind|do not mind)|if possible|"
    r"if (?:thats|that is|its|it is) (?:ok|okay|alright|possible))\s*[.!]*\s*$",
    re.I,
)
_WHAT_IS_LEFT = re.compile(
    r"\b(?:what(?:ever)?(?:['’]?s| is)? (?:left(?: over)?|remaining)|what(?:ever)? remains|"
    r"(?:the|whichever) (?:ones?|things?|items?|drinks?) (?:(?:that(?:['’]?s| is| are)|which "
    r"(?:is|are)) )?(?:left(?: over)?|remaining)|"
    r"(?:every|any)thing (?:that(?:['’]?s| is) )?(?:left|remaining))\b",
    re.I,
)
_COUNTED_BEFORE = re.compile(r"\b(?:one|two|three|\d+|half|some) (?:of|iced|hot)\b|\bone\b", re.I)
_THANKS_AFTER = re.compile(
    r"[.!,]\s*(?:thank you|thanks|thx|ty|cheers)(?: (?:so much|very much|kindly|a lot|again))?"
    r"[.!]*\s*$",
    re.I,
)

# Doubt between two dishes: "should i get the hawaiian or a bbq chicken pizza", "torn between the
# chicken sandwich and the burger", "im thinking a burrito... or a bowl...", "a chocolate shake or
# actually vanilla idk", "hmm or should i get a cappuccino": nothing ordered yet, asked about
_DOUBT = re.compile(
    r"\b(?:should i|torn|thinking|debating|deciding|choosing|undecided|idk|dunno|not sure|"
    r"cant decide|can't decide|either)\b",
    re.I,
)
_DOUBT_WORDS = re.compile(
    r"^(?:.*?\b(?:should i|torn between|thinking|debating|deciding between|choosing between|"
    r"undecided between)\b)?(?:\s*(?:(?:get|go with|go for|do|have|order|try|about|of|either|"
    r"the )(?=\s)))*",
    re.I,
)
_TORN_BETWEEN = re.compile(r"\bbetween (?P<a>[^.,;?!]+?) and (?P<b>[^.,;?!]+)", re.I)
_OR_ELSE = re.compile(
    r"(?P<a>[^.,;?!]*?)[.\s]*\bor\s+(?:(?:maybe|actually|else|should i|"
    r"(?<=i )(?:get|go with|go for|do|have|order|try))\s+)*(?P<b>[^.,;?!]+)",
    re.I,
)
_DISH_START = frozenset({"a", "an", "the", "one", "two", "some"})
_DOUBT_TAIL = re.compile(
    r"(?:\s+(?:idk|i dunno|dunno|lol|ngl|ugh+|maybe|then|instead|tho|though|right))+$", re.I
)


# "how about the full city vs the italian, which is darker?": two things compared, a question
# ("which is darker, the full city or the italian?"), no change to the line that has one
_VERSUS = re.compile(
    r"^(?P<lead>.*?)(?:\b(?:how|what) about )?"
    r"(?P<a>(?:the |a |an )?(?:[\w']+ ){0,2}[\w']+) (?:vs\.?|versus) "
    r"(?P<b>(?:the |a |an )?[\w' ]+?)\s*(?:[,.;]\s*(?P<ask>(?:which|what|whats|how)\b[^?.!]*))?"
    r"\s*[?.!]*\s*$",
    re.I,
)
_ASKED_BEFORE = re.compile(r"\b(?:how|what|whats|which|price|prices|cost|costs)\b")
# "hmm wait is the mediterranean style basically that?": the words of a correction before a
# question are no correction
_WAIT_ASKED = re.compile(
    r"^(?:(?:hmm+|hm+|oh|ok|okay|um+|uh+|so|and),?\s+)*(?:wait|hold on)[,.!]*\s+"
    r"(?=(?:is|are|does|what|whats|which|how(?! about))\b[^?]*\?\s*$)",
    re.I,
)


def _phrase_from(lexicon: Lexicon, words: list[str]) -> int:
    """Where the words of a dish start ("umm can i get a chocolate shake": at its article)."""
    return next(
        (
            at
            for at, word in enumerate(words)
            if word in _DISH_START or word.isdigit() or lexicon.lookup(words, at)[0]
        ),
        len(words),
    )


# "a large hawaiian? yeah a large hawaiian.": the dish asked of oneself, then said again
_SAID_AGAIN = re.compile(
    r"(?P<before>[^.?!,;]*?)\?+\s*(?:yeah|yea|yes|yep|yup|ya)\b[,!.]?\s*(?P<again>[^.?!,;]+)",
    re.I,
)


def _said_again(lexicon: Lexicon, found: re.Match[str]) -> str:
    """A dish said with a question mark, then said again after "yeah": one dish, as said the
    second time ("hazelnut latte large"), the words before the first kept."""
    before, again = found.group("before"), found.group("again")
    items = {line.item for line in parse_order(lexicon, tokenize(again)).lines}
    words = tokenize(before)
    if not items or {line.item for line in parse_order(lexicon, words).lines} != items:
        return found.group(0)  # ("a coke? yeah and a sprite": another dish)
    lead = " ".join(words[: _phrase_from(lexicon, words)])
    return f"{' ' if before[:1].isspace() else ''}{lead} {again}".replace("  ", " ")


def _undecided(lexicon: Lexicon, text: str) -> str:
    """A choice left open between two dishes, as asking what differs ("whats the difference
    between the hawaiian and a bbq chicken pizza?"): no dish ordered, both asked about, so "ok
    bowl" or "ok ill just get the chicken sandwich then" orders the one chosen. One dish said
    after "or should i get" (the other already ordered) is asked about alone."""
    found = _TORN_BETWEEN.search(text) or _OR_ELSE.search(text)
    if found is None:
        return text
    words = tokenize(_DOUBT_WORDS.sub("", found.group("a")).strip(" ."))
    first = " ".join(words[_phrase_from(lexicon, words) :])
    second = _DOUBT_TAIL.sub("", found.group("b").strip())
    firsts = parse_order(lexicon, tokenize(first)).lines
    seconds = parse_order(lexicon, tokenize(second)).lines
    if firsts and not seconds and first.split()[-1] not in second.split():
        # "a chocolate shake or vanilla": the dish's noun said once
        second = f"{second} {first.split()[-1]}"
        seconds = parse_order(lexicon, tokenize(second)).lines
    if not firsts and any(not line.inferred for line in seconds):
        first = ""  # "hmm or should i get a cappuccino": the other one ordered before
    said = [part for part in (first, second) if part]
    kinds = [{line.item for line in parse_order(lexicon, tokenize(part)).lines} for part in said]
    if not kinds or not all(len(kind) == 1 for kind in kinds) or first == second:
        return text  # (each side one dish: "the hawaiian or a bbq chicken pizza" are two)
    rest = f"{text[: found.start()]} {text[found.end() :]}"
    ordered = {line.item for line in parse_order(lexicon, tokenize(rest)).lines}
    if not ordered <= set.union(*kinds):
        return text  # ("and 2 cokes, should i get the wings or the fries": more ordered)
    if len(said) == 1:
        return f"whats {second} like?"
    return f"whats the difference between {first} and {second}?"


_LEAVE_OFF = frozenset({"no", "without", "hold", "skip", "leave", "take", "remove", "put"})
_DISLIKES = re.compile(
    r"\b(?:(?:doesnt|dont|didnt|does not|do not|wont|cant|cannot|can not) "
    r"(?:like|eat|want|do|have|stand)|hates?|allergic|intolerant)\b"
)


# "ok no worries, a blackberry izze then": not the "no" of a correction
# A capitalized word that acts as a person: before what a person does, or "for Jake"
_NAME = re.compile(
    r"\b([A-Z][a-z]{2,})(?= (?:is|isnt|isn't|wants|says|said|just|can't|cant|doesn't|doesnt|"
    r"won't|will|would|bailed|left|likes|needs|hates|called|asked|wanted|prefers)\b)"
    r"|\bfor ([A-Z][a-z]{2,})\b(?! [a-z]+ (?:pizza|burger|sub)s?\b)"
)


def _names(lexicon: Lexicon, text: str) -> frozenset[str]:
    """People's names in a message ("Ah, Sam isn't coming in today", "one small for Emma"):
    never reported as dishes the menu lacks."""
    found = set()
    for match in _NAME.finditer(text):
        word = (match.group(1) or match.group(2)).lower()
        if word not in lexicon.known:
            found.add(word)
    return frozenset(found)


def _names_masked(lexicon: Lexicon, tokens: list[str], names: frozenset[str]) -> list[str]:
    """The tokens with people's names (and their possessives) as a person's word, for the
    grammar: "make Sam's a large" is no ham ("sams"), "make Ben's a medium" no beans."""
    if not names or all(name_said(t, names) is None for t in tokens):
        return tokens
    out: list[str] = []
    for t in tokens:
        if (lexicon.is_known(t) and t not in names) or name_said(t, names) is None:
            out.append(t)  # (a menu's word only when it was said as a name: "Joe wants ...")
        elif t in names:
            out.append("friend")
        else:
            out.extend(("my", "friends"))  # ("make my friend's a medium")
    return out


def _someone(word: str, names: frozenset[str]) -> bool:
    """Whether a word the menu lacks is a person ("boys", "priya", "priyas"), no dish."""
    return is_person(word) or name_said(word, names) is not None


def _for_the_few(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "a large veggie pizza for the two vegetarians", "for the 3 of us": who it is for (as
    "for them"), no count of dishes."""
    for at in range(len(tokens) - 3):
        if tokens[at] != "for" or tokens[at + 1] != "the":
            continue
        if not is_count(tokens[at + 2]):
            continue
        entry = lexicon.lookup(tokens, at + 3)[1]
        if entry is not None and entry.items:
            continue  # "for the two pizzas": the dishes
        end = at + 5 if tokens[at + 3 : at + 5] == ["of", "us"] else at + 4
        return [*tokens[:at], "for", "them", *tokens[end:]]
    return tokens


def _plainly(tokens: list[str]) -> list[str]:
    """ "please just take the bbq chicken one off": the removal, said plainly."""
    while len(tokens) > 2 and tokens[0] in ("please", "just", "pls") and tokens[1] in _TAKE_VERBS:
        tokens = tokens[1:]
    return tokens


_TAKE_VERBS = TAKE_OFF_VERBS | {"just"}
_TAKING_OFF = TAKE_OFF_VERBS  # what opens a removal after why
_HESITATION = re.compile(r"h?m{2,}|hm+|h+m+|um+|uh+|ugh+|erm+|eh+|lol|haha+|welp|ooh+|argh+|meh")
_NO_WORRIES = re.compile(
    r"^(?:(?:ok|okay|oh|ah|alright|aw|ahh?) )*(?:no (?:worries|problem|probs?|biggie|bother)|"
    r"thats (?:ok|okay|fine|alright)|oh well)(?: ,| \.| !)*(?= )"
)


# Words that make a clause about the order: how much of an option, or which dish it is.
_SAYS_HOW = frozenset(
    {"little", "bit", "lots", "lot", "light", "extra", "easy", "heavy", "more", "less", "double"}
    | {"triple", "no", "without", "plain", "them", "those", "these", "it", "that", "both", "all"}
    | {"normal", "regular", "usual"}  # "less vanilla, just normal"
)


_REMARKING = frozenset({"hes", "shes", "theyre", "im", "were", "he", "she", "they", "its", "lol"})
_WANTING = frozenset(
    {"wants", "want", "would", "needs", "need", "will", "wanted", "also", "too", "getting", "gets"}
)


def _before_reason(lexicon: Lexicon, tokens: list[str], *, request: bool = False) -> list[str]:
    """ "make that 5, forgot myself", "only 3 lemonades, one of my friends left lol": the
    request before a remark that names nothing on the menu and no one it is for (`request`:
    the words before it are one, though they name no dish: "make his like mine, he ...")."""
    if "," not in tokens[1:-1]:
        return tokens
    at = len(tokens) - 1 - tokens[::-1].index(",")
    tail = tokens[at + 1 :]
    # "take off the jalapenos, too hot for me", "..., it's too spicy for him": why, not who
    too = (tail[:1] == ["too"] and len(tail) > 1) or (tail[:1] == ["its"] and tail[1:2] == ["too"])
    if (
        not tail
        or ("for" in tail and not too)
        or any(t.endswith("s") and t[:-1] in ("mine", "his") for t in tail)
    ):
        return tokens
    if tail[-1] in ("one", "ones") and "the" in tail[:3]:
        return tokens  # "add sour cream to her taco, she's the chicken one": which one
    party = _COMING.search(" ".join(tail)) or _PARTY_GREW.search(" ".join(tail))
    if party and not parse_order(lexicon, tail).lines:
        # "make that 7, two more guys just walked in": why, though it says "more"
        return tokens[:at]
    if (
        tail[0] in ("but", "same")
        or tail[tail[0] == "the"] in ORDINALS
        or _SAYS_HOW.intersection(tail)
    ):
        # "oregano on it, but just a little", "the fries, please two of them", "one more, same
        # but hot", "..., 3rd same as the first"
        return tokens
    said = parse_order(lexicon, tail)
    remark = too or (
        tail[0] in _REMARKING
        and not _WANTING.intersection(tail[:3])
        and all(line.inferred for line in said.lines)  # ("she's getting the classic one")
    )
    if not remark and (said.lines or said.loose_choices or not (said.unknown or len(tail) >= 2)):
        return tokens  # ("he's obsessed with ketchup", "she loves cheese": a remark all the same)
    if (
        len(tail) <= 3
        and tail[0] in NUMBER_WORDS
        and (len(tail) == 1 or tail[1] in ("plain", "regular", "normal", "each", "more", "less"))
    ):
        return tokens  # "2 burgers, one plain": a part of the order
    if is_count(tail[0]) and said.loose_quantity is not None and not (said.unknown or said.lines):
        return tokens[: at + 2]  # "the baked ones, two bags": how many of them
    if tokens[at - 2 : at] in (["too", "many"], ["too", "much"]):
        return tokens  # "that's one too many, take one off": the remark comes first
    if request:
        # ("Jordan changed his mind, he wants the exact same as Sam's": who wants it, no remark)
        return tokens[:at] if remark else tokens
    head = parse_order(lexicon, tokens[:at])
    if head.lines or head.loose_choices or head.loose_quantity is not None:
        return tokens[:at]
    return tokens


_NO_THEN = frozenset(
    {"actually", "wait", "sorry", "swap", "switch", "change", "make", "put", "replace", "let"}
)


def _recounted(tokens: list[str]) -> bool:
    """ "hmm, 2 izzes" after 3: a pause, then a count said again, which makes it a correction
    (the "hmm" is kept for the intent to see)."""
    said = tokens[2] if tokens[1] == "," else tokens[1]
    return tokens[0].startswith("hm") and (said.isdigit() or said in NUMBER_WORDS)


def _without_preamble(tokens: list[str]) -> list[str]:
    while len(tokens) > 2 and _HESITATION.fullmatch(tokens[0]) and not _recounted(tokens):
        # "hmm and add bacon", "ugh, actually make all 3 steak": a sound, not a word of the order
        tokens = tokens[2:] if tokens[1] in (",", ".", "!") else tokens[1:]
    tokens = _plainly(tokens)
    if tokens[0:1] in (["no"], ["nah"], ["nope"]) and tokens[1:2] == [","] and len(tokens) > 3:
        tokens = tokens[2:] if tokens[2] in _NO_THEN else tokens  # ("no, actually swiss")
    if (
        (len(tokens) > 3 or tokens[1:2] == ["actually"])
        and tokens[0] in ("no", "nah", "nope")
        and tokens[1] in _NO_THEN
    ):
        # "no actually swap the provolone for swiss": a no to what was, not "no provolone"
        tokens = tokens[1:]
    found = _NO_WORRIES.match(" ".join(tokens))
    if found is not None:
        tokens = " ".join(tokens)[found.end() :].split()
    if (
        "," in tokens[:4]
        and all(t in _FILLERS for t in tokens[: tokens.index(",")])
        and not (len(tokens) > 2 and _recounted(tokens))
    ):
        rest = tokens[tokens.index(",") + 1 :]
        if len(rest) > 1:
            tokens = rest  # "ok whatever, remove the 7 up"
    if len(tokens) < 4 or tokens[0] not in ("one", "another", "oh", "and", "also", "ok", "so"):
        return tokens
    found = _PREAMBLE.match(" ".join(tokens))
    return " ".join(tokens)[found.end() :].split() if found is not None else tokens


_ONE_OF = frozenset({"one", "a", "an", "1"})


_ALIKE = frozenset({"both", "all", "the", "same", "identical", "alike", "exactly", ","})


def _all_alike(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "2 burritos both the same: chicken, white rice": a count of a dish, said to be alike,
    then what goes on every one (as "2 burritos with chicken, white rice"), not one kind each."""
    colon = tokens.index(":")
    start = colon
    while start and tokens[start - 1] in _ALIKE:
        start -= 1
    said = set(tokens[start:colon])
    if not said & {"same", "identical", "alike"} or not start:
        return tokens
    at = start - 1
    while at > 0 and not lexicon.lookup(tokens, at)[0]:
        at -= 1
    length, entry = lexicon.lookup(tokens, at)
    counted = any(is_count(t) for t in tokens[max(0, at - 3) : at])
    if entry is None or not entry.items or at + length != start or not counted:
        return tokens
    return [*tokens[:start], "with", *tokens[colon + 1 :]]


def _total_listed(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "I need 5 burgers: 3 cheeseburgers, 1 hamburger, 1 veggie burger", "7 cans of soda: 4
    coke, 3 sprite", "4 drinks: 2 lattes 2 americanos": a total of the dishes, then each counted,
    summing to it; the total is no dish of its own, the options said with it ("cans of") go on
    each of its parts."""
    colon = tokens.index(":")
    at = next((k for k in range(colon - 1, max(colon - 5, -1), -1) if is_count(tokens[k])), -1)
    if at < 0 or colon - at < 2:
        return tokens
    shared: list[str] = []
    named = False
    k = at + 1
    while k < colon:
        length, entry = lexicon.lookup(tokens, k)
        if entry is not None and entry.items:
            named = True
        elif entry is not None and entry.options:
            shared += tokens[k : k + length]
        elif tokens[k] in DRINK_HEADS:
            named, length = True, 1
        elif tokens[k] != "of" or not shared:
            return tokens
        k += max(length, 1)
    if not named:
        return tokens
    end = next((k for k in range(colon + 1, len(tokens)) if tokens[k] in (".", "!", ":")), None)
    tail = tokens[colon + 1 : end]
    counts: list[int] = []
    said: list[str] = []
    for k, tok in enumerate(tail):
        after_dish = k > 1 and bool(lexicon.lookup(tail, k - 1)[1] and not is_count(tail[k - 1]))
        if (k == 0 or tail[k - 1] in (",", "and", "&", "+") or after_dish) and is_count(tok):
            found = lexicon.lookup(tail, k + 1)[1]
            if found is None or not found.items:
                return tokens  # ("three tacos: one chicken, one steak": kinds of the dish)
            counts.append(NUMBER_WORDS.get(tok) or int(tok))
            said += [*([","] if after_dish else []), tok, *shared]
        else:
            said.append(tok)
    if len(counts) < 2 or sum(counts) != (NUMBER_WORDS.get(tokens[at]) or int(tokens[at])):
        return tokens
    return [*tokens[:at], *said, *tokens[len(tokens) if end is None else end :]]


def _listed(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "Three quesadillas: chicken, steak and veggie", "3 large pizzas - one pepperoni, one
    hawaiian, one veggie supreme": a count of one dish, then as many kinds of it, each its own
    line (the words before the list go on each); said again as "1 quesadillas with chicken, 1
    quesadillas with steak, ..." for the grammar."""
    if ":" in tokens:
        tokens = _list_counted(lexicon, tokens)
    for at, tok in enumerate(tokens):
        count = NUMBER_WORDS.get(tok) or (int(tok) if tok.isdigit() else 0)
        if not 2 <= count <= 6:
            continue
        more = tokens[at + 1 : at + 2] == ["more"]  # "3 more pizzas: ..."
        end = at + 1 + more
        while end < len(tokens) and end - at <= 4:
            length, entry = lexicon.lookup(tokens, end)
            if not length or entry is None:
                end = len(tokens)  # only options between the count and the dish
                break
            end += length
            if entry.items:
                break
        else:
            continue
        if end >= len(tokens):
            continue
        if lexicon.lookup(tokens, end - 1)[1] is None:
            continue
        # ("3 bowls for me and the roommates: ...": who they are for may come before the colon,
        # and what goes on each: "3 bowls please, all with brown rice: chicken, steak, tofu")
        colon = next((j for j in range(end, min(end + 12, len(tokens))) if tokens[j] == ":"), -1)
        head = _shared_head(lexicon, tokens[end:colon]) if colon > end else []
        if not head and (
            colon > end + 7
            or (colon > end and any(lexicon.lookup(tokens, j)[0] for j in range(end, colon)))
        ):
            colon = -1
        # "2 burritos, carnitas for Jay and chicken for Mel": whom each is for makes it a list;
        # "two burritos. mine steak, hers chicken with mild salsa": whose each is
        whose = colon < 0 and tokens[end] == ","
        owned = (
            colon < 0
            and tokens[end] in (",", ".", ";", "-")
            and tokens[end + 1 : end + 2] in (["mine"], ["his"], ["hers"], ["theirs"])
        )
        if colon < 0 and tokens[end] != "one" and not whose and not owned:
            continue
        rest = tokens[colon + 1 if colon >= 0 else end + (whose or owned) :]
        # ("4 bowls: chicken, steak, barbacoa, and veggie. And 4 waters": the list ends with
        # its sentence)
        stop = next((k for k in range(len(rest) - 1) if rest[k] in (".", "!", ";")), len(rest))
        rest, after = rest[:stop], rest[stop:]
        rest, shared = _shared_tail(rest)
        shared = shared or head
        entries = _entries(rest, count)
        if entries is None and whose and _apart(lexicon, halves := _cut_at(rest, "and")):
            entries = halves if len(halves) == count else None  # "2 pizzas, small and large"
        if owned and entries is not None:
            if not all(entry[0] in _WHOSE_ONE for entry in entries):
                continue
            entries = [[*entry[1:], "for", _WHOSE_ONE[entry[0]]] for entry in entries]
            whose = True
        if entries is None or not all(_kind_of(lexicon, entry) for entry in entries):
            continue
        if any(entry[0] in ("the", "other") for entry in entries):
            continue  # ("two pizzas: one with ham, and the other with ...": the grammar's)
        if (
            whose
            and not all("for" in entry[1:] for entry in entries)
            and not _apart(lexicon, entries)
        ):
            continue
        unit = ["1", *tokens[at + 1 + more : end], "with"]
        said = [word for entry in entries for word in (*unit, *entry, *shared, ",")]
        return [*tokens[:at], *said[:-1], *after]
    return tokens


def _apart(lexicon: Lexicon, entries: list[list[str]]) -> bool:
    """ "three lattes, small, large and extra large": each entry one option of a group a dish
    has one of, the same group for all, so that no one dish has them all: one dish each."""
    shared: set[str] | None = None
    for entry in entries:
        length, found = lexicon.lookup(entry, 0)
        if length != len(entry) or found is None or found.items:
            return False
        groups = {r.group for r in found.options if lexicon.groups[r.group].select == "one"}
        shared = groups if shared is None else shared & groups
        if not shared:
            return False
    return len({tuple(entry) for entry in entries}) == len(entries)


def _one_in_each(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "a margherita in small, medium and large", "small, medium and large pepperoni pizzas":
    one dish in each of several options of a group a dish has one of (its sizes), as "1 small
    margherita, 1 medium margherita and 1 large margherita"."""
    for k, tok in enumerate(tokens):
        if tok != "and" or not k:
            continue
        last = lexicon.lookup(tokens, k + 1)[0]
        if not last:
            continue
        entries = [tokens[k + 1 : k + 1 + last]]
        end = k - (tokens[k - 1] == ",")  # ("small, medium, and large")
        while end > 0:
            start = next(
                (s for s in range(max(end - 3, 0), end) if lexicon.lookup(tokens, s)[0] == end - s),
                -1,
            )
            if start < 0:
                break
            entries.insert(0, tokens[start:end])
            if start < 2 or tokens[start - 1] != ",":
                break
            end = start - 1
        if len(entries) < 2 or not _apart(lexicon, entries):
            continue
        first = start
        after = k + 1 + last
        dish = _names_end(lexicon, tokens, after)
        lead = next(
            (
                a
                for a in range(max(first - 5, 0), first - 2)
                if tokens[a] in _ONE_OF and _all_named(lexicon, tokens[a + 1 : first - 1])
            ),
            -1,
        )
        if lead >= 0 and tokens[first - 1] == "in":
            head = tokens[lead + 1 : first - 1]  # "a margherita in ..."
        elif dish > after and singular(tokens[dish - 1]) != tokens[dish - 1]:
            head, lead, after = tokens[after:dish], first, dish  # "... large pepperoni pizzas"
        else:
            continue
        ones = [["1", *entry, *head, ","] for entry in entries]
        ones[-2][-1] = "and"
        said = [word for one in ones for word in one][:-1]
        return [*tokens[:lead], *said, *tokens[after:]]
    return tokens


def _names_end(lexicon: Lexicon, tokens: list[str], at: int) -> int:
    """Where the menu names said one after another from `at` end ("pepperoni pizzas ...")."""
    while at < len(tokens) and (length := lexicon.lookup(tokens, at)[0]):
        at += length
    return at


def _all_named(lexicon: Lexicon, words: list[str]) -> bool:
    """Whether words are menu names only, one after another ("pepperoni pizza")."""
    return bool(words) and _names_end(lexicon, words, 0) == len(words)


# "mine", "hers": whom the one said is for
_WHOSE_ONE = {"mine": "me", "his": "him", "hers": "her", "theirs": "them"}


def _shared_head(lexicon: Lexicon, words: list[str]) -> list[str]:
    """ "please, all with brown rice and black beans", ", all medium" between a count of a dish
    and the list of its kinds: what goes on each of them ("and brown rice and black beans");
    else nothing."""
    for k, word in enumerate(words[:-1]):
        if word not in ("all", "each", "both") or not all(w in (",", "please") for w in words[:k]):
            continue
        if words[k + 1] == "with" and k + 2 < len(words):
            return ["and", *words[k + 2 :]]
        rest = words[k + 1 :]
        if all(
            (entry := lexicon.lookup(rest, j)[1]) is not None and not entry.items
            for j in range(len(rest))
            if lexicon.lookup(rest, j)[0] or rest[j] not in (",", "and")
        ):
            return ["and", *rest]
    return []


def _list_counted(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "pizzas for the boys: sausage, sausage, pepperoni", "burritos: chicken, chicken, and
    steak": a dish said in the plural and uncounted, then a list of its kinds; as many as the
    list has entries, counted as said ("3 pizzas for the boys: ...")."""
    colon = tokens.index(":")
    dish = next(
        (
            k
            for k in range(colon)
            if (entry := lexicon.lookup(tokens, k)[1]) is not None
            and entry.items
            and lexicon.lookup(tokens, k)[0] == 1
            and singular(tokens[k]) != tokens[k]
        ),
        -1,
    )
    if dish < 0 or any(lexicon.lookup(tokens, k)[1] for k in range(dish + 1, colon)):
        return tokens
    start = dish
    while start and (entry := lexicon.lookup(tokens, start - 1)[1]) is not None and entry.options:
        start -= 1
    if any(
        is_count(t) or t in ("a", "an", "the", "some", "my", "your", "of", "those")
        for t in tokens[max(start - 4, 0) : dish]
    ):
        return tokens  # ("3 lunch size pizzas: ...": counted already)
    rest = tokens[colon + 1 :]
    stop = next((k for k in range(len(rest) - 1) if rest[k] in (".", "!", ";")), len(rest))
    listed, _ = _shared_tail(rest[:stop])
    if "," not in listed:
        return tokens
    counts = [n for n in range(6, 1, -1) if _entries(listed, n) is not None]
    entries = _entries(listed, counts[0]) if counts else None
    if entries is None or not all(_kind_of(lexicon, entry) for entry in entries):
        return tokens
    return [*tokens[:start], str(counts[0]), *tokens[start:]]


_AFTER_BOTH = frozenset({",", ".", "with", "and", "please", "!", "on", "in"})


def _both_options(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "a bowl with chicken and steak both, with white rice", "caesar and ranch both on the
    sub": the "both" is the two options said before it, not two more bowls."""
    for k in range(3, len(tokens)):
        if tokens[k] != "both" or tokens[k - 2] != "and":
            continue
        if k + 1 < len(tokens) and tokens[k + 1] not in _AFTER_BOTH:
            continue
        entry = lexicon.lookup(tokens, k - 1)[1]
        if entry is not None and entry.options and not entry.items:
            return [*tokens[:k], *tokens[k + 1 :]]
    return _both_put_on(lexicon, _both_of_options(lexicon, tokens))


# what "both" of two options comes after: a verb of ordering or "with" ("get both chicken and
# steak", "with both ham and pineapple"); said first, "both white rice and black beans" after
# two lines is the two lines
_BOTH_OPTIONS_AFTER = frozenset(
    {"get", "have", "want", "order", "take", "like", "need", "with", "w", "do", "add", "put"}
)


def _both_of_options(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "both chicken and steak in a bowl", "can i get both bacon and avocado on it": the
    "both" is the two options together on one dish, not two dishes."""
    for k in range(len(tokens) - 3):
        if tokens[k] != "both" or not k or tokens[k - 1] not in _BOTH_OPTIONS_AFTER:
            continue
        size, first = lexicon.lookup(tokens, k + 1)
        if first is None or not first.options or first.items:
            continue
        at = k + 1 + max(size, 1)
        if tokens[at : at + 1] != ["and"]:
            continue
        second = lexicon.lookup(tokens, at + 1)[1]
        if second is not None and second.options and not second.items:
            return [*tokens[:k], *tokens[k + 1 :]]
    return tokens


def _both_put_on(lexicon: Lexicon, tokens: list[str]) -> list[str]:
    """ "corn salsa and green salsa, both on a chicken burrito", "kalamata and green olives,
    put both of those on a medium pie": the "both" is the options said before it, put on the
    one dish after it, not two dishes."""
    for k in range(3, len(tokens)):
        if tokens[k] != "both":
            continue
        after = k + 1 + (2 if tokens[k + 1 : k + 2] == ["of"] else 0)
        if tokens[k + 1 : k + 2] == ["of"] and tokens[k + 2 : k + 3] not in (
            ["those"],
            ["them"],
            ["these"],
        ):
            continue
        if tokens[after : after + 1] not in (["on"], ["in"], ["onto"], ["to"]) or tokens[
            after + 1 : after + 2
        ] not in (["a"], ["an"], ["one"], ["my"]):
            continue
        options = dishes = 0
        at = 0
        while at < k:
            size, entry = lexicon.lookup(tokens, at)
            if entry is not None and entry.items:
                dishes += 1
            elif entry is not None and entry.options:
                options += 1
            at += max(size, 1)
        if options >= 2 and not dishes and "and" in tokens[:k]:
            return [*tokens[:k], *tokens[after:]]
    return tokens


def _shared_tail(rest: list[str]) -> tuple[list[str], list[str]]:
    """ "chicken, steak and carnitas, all with white rice": the list, and what goes on each of
    its entries ("and white rice"); no such tail, the list as it is and nothing."""
    for k in range(len(rest) - 2, 0, -1):
        if rest[k] in (",", ".", "and", ";") and rest[k + 1] in ("all", "each", "both"):
            shared = rest[k + 2 :]
            shared = shared[2:] if shared[:2] == ["of", "them"] else shared
            shared = shared[1:] if shared[:1] == ["with"] else shared
            shared = [t for t in shared if t not in (".", "!")]
            if shared:
                return rest[:k], ["and", *shared]
    return rest, []


def _entries(rest: list[str], count: int) -> list[list[str]] | None:
    """The list after "three quesadillas:" cut into `count` entries, without their "one" or
    "a"; None when it does not cut into that many. "And" cuts only in a list with commas or
    before "one" ("two burritos: chicken and barbacoa" is two of one kind, with both)."""
    rest = rest[:-1] if rest and rest[-1] in (".", "!") else rest
    commas = "," in rest
    entries: list[list[str]] = [[]]
    for k, tok in enumerate(rest):
        after = rest[k + 1] if k + 1 < len(rest) else ""
        if tok == "," or (tok == "and" and (commas or after in _ONE_OF)):
            if entries[-1]:
                entries.append([])
        else:
            entries[-1].append(tok)
    entries = [_no_one(e[1:] if e[:1] and e[0] in _ONE_OF else e) for e in entries]
    if commas and len(entries) > count:
        # "pepperoni, ham and pineapple, and spinach": the commas cut, an "and" joins a kind's
        # two options
        cut: list[list[str]] = [[]]
        for tok in rest:
            if tok == ",":
                cut.append([])
            else:
                cut[-1].append(tok)
        cut = [e[1:] if e[:1] == ["and"] else e for e in cut if e]
        if len(cut) == count:
            entries = [_no_one(e[1:] if e[:1] and e[0] in _ONE_OF else e) for e in cut]
    if len(entries) == 1 and not commas:
        # "two bowls: chicken with white rice and steak with brown rice": each with its own
        # ("carnitas for Jay and chicken for Mel": each for someone)
        halves = _cut_at(entries[0], "and")
        if all("with" in half for half in halves) or all("for" in half[1:] for half in halves):
            entries = halves
    return entries if len(entries) == count and all(entries) else None


def _no_one(entry: list[str]) -> list[str]:
    """ "small one with extra cheese": the entry's options, without the "one (with)"."""
    if "one" not in entry[1:]:
        return entry
    at = entry.index("one", 1)
    return entry[:at] + entry[at + 1 + (entry[at + 1 : at + 2] == ["with"]) :]


def _cut_at(words: list[str], word: str) -> list[list[str]]:
    cut: list[list[str]] = [[]]
    for tok in words:
        if tok == word:
            cut.append([])
        else:
            cut[-1].append(tok)
    return cut


def _kind_of(lexicon: Lexicon, entry: list[str]) -> bool:
    """Whether an entry of such a list names options only (a kind of the dish, no other dish
    and no count of its own)."""
    if is_count(entry[0]):
        return False
    if entry[0] in ("plain", "regular", "normal") and not any(
        lexicon.lookup(entry, at)[0] for at in range(len(entry))
    ):
        return True  # "4 lattes: vanilla for Mel, hazelnut for Jay, plain for me"
    said = False
    at = 0
    while at < len(entry):
        length, found = lexicon.lookup(entry, at)
        if length and found is not None:
            if found.items and not found.options:
                return False
            said = said or bool(found.options)
        at += max(length, 1)
    return said


# "wants his as a bowl", "would like hers in a cup": their own dish, said as theirs
# "the two new hires want", "and my 3 cousins want": how many want it
_SO_MANY_WANT = re.compile(
    rf"^(?:(?:and|so|also|oh) )*(?:the |my |our |these |those )?(?P<n>{count_pattern(20)})"
    r" (?:[a-z]+ ){1,2}(?:want|get|would like|will have|ll have|need)\b"
)
_HIS_OWN = re.compile(r"\b(?:wants?|would like|d like|will have|ll have) (?:his|hers|theirs)\b")
# What a message that orders a copy of someone's order has ("same as mine", "like her dad's")
_COPIED = re.compile(r"\bsame\b(?: \w+){0,2} as\b|\blike\b|\bwhat\b", re.I)


# "make his like mine": the pronoun of the person whose the copy is
_THEIR_COPY = {"his": "~his", "hers": "~her", "her": "~her", "theirs": "~their"}


def _not_that_dish(lexicon: Lexicon, tokens: Sequence[str]) -> int:
    """Where a last clause starts that says no to one dish and nothing else ("..., not the
    hamburger", ". no hamburger"); 0 when there is none."""
    stops = [k for k, t in enumerate(tokens) if t in (",", ".")]
    if not stops or stops[-1] + 2 >= len(tokens) or tokens[stops[-1] + 1] not in ("no", "not"):
        return 0
    at = stops[-1]
    said = parse_order(lexicon, [t for t in tokens[at + 2 :] if t not in _THE_WORDS])
    dish = said.lines[0] if len(said.lines) == 1 else None
    if dish is None or dish.inferred or said.unknown or said.loose_choices:
        return 0
    return at


_THE_WORDS = frozenset({"the", "his", "her", "a", "an", "more", "longer"})


# "same as mine but keep it small": what the copy is to be
_KEPT_AS = frozenset({"it", "that", "his", "hers", "her", "them", "theirs"})


# "the same thing as", "same order as": no kind of dish
_NO_KIND = frozenset({"thing", "things", "order", "stuff", "way", "one", "ones", "exact", "again"})


def _copy_of_someones(lexicon: Lexicon, text: str, names: frozenset[str]) -> Reading | None:
    """ "Same as mine for Jo", "Jo wants the same as Sam", "my daughter wants a quesadilla too,
    same as her brother's", "Leo wants his as a bowl, same fillings as mine", "she wants a
    turkey like her dad's instead of the ham": a copy of that person's line (changed as the
    rest of the message says), for whom the rest names; read as the rest, then made a copy.
    (The cart keeps the copy apart for its person: "take the ranch off Jo's" later.)"""
    tokens = tokenize(text)
    found = copied_from(tokens, names)
    if found is None:
        return None
    person, start, end = found
    rest = [*tokens[:start], *tokens[end:]]
    while rest and rest[-1] in (",", ".", "same"):
        rest.pop()  # "my son wants one too, same as his sister's"
    for k in range(len(rest) - 3, 0, -1):
        if rest[k - 1] == "but" and rest[k] == "keep" and rest[k + 1] in _KEPT_AS:
            # "like mine but keep it small": the copy made so (what it is now is no copy)
            del rest[k : k + 2]
    if "," in rest[1:-1]:
        # "make his like mine, he keeps stealing sips": the remark after the copy says nothing
        rest = _before_reason(lexicon, rest, request=True)
    # "he wants exactly what im getting, the veggie burger and the fries. no hamburger": the
    # copy in place of the dish said not wanted
    not_that = _not_that_dish(lexicon, rest)
    if not_that:
        rest = rest[:not_that]
    said_of = mentions(rest, names)
    for_whom = [m for m in said_of if m.kind in ("for", "subject")]
    owner = for_whom[0].person if for_whom else None
    named = [m.person for m in said_of if m.person != "me" and not m.person.startswith("~")]
    if owner is not None and owner.startswith("~") and len(set(named)) == 1:
        owner = named[0]  # "my son changed his mind, he wants ...": the son
    if owner is None and not named:
        # "make his like mine", "change hers to the same as mine": whose line is copied over
        owner = next((_THEIR_COPY[t] for t in rest if t in _THEIR_COPY), None)
    said = read(lexicon, " ".join(rest or ["same"]), conversation=True, people=names)
    edit = said.edit
    if said.intent is Intent.ADD_ITEMS and said.items:
        # "a quesadilla too": their quesadilla; "Leo wants his as a bowl": his own dish made a
        # bowl, with their fillings
        dishes = [line for line in said.items if not line.inferred]
        if len(dishes) == 1 and _HIS_OWN.search(" ".join(rest)):
            edit = Edit(op="change", ref=Ref(pronoun=True), item=dishes[0].item, instead=True)
        else:
            edit = Edit(
                op="repeat",
                items=tuple((line.item,) for line in dishes),
                choices=tuple(c for line in said.items for c in line.choices),
                quantity=next((line.quantity for line in dishes if line.quantity_said), None),
                # "grandpa changed his mind, he wants a tuna like grandma's": in place of his
                instead=bool(not_that) or _THEIR_MIND.search(" ".join(rest)) is not None,
            )
    elif edit is None or edit.op == "remove":
        # "the two new hires want the same as the boss": one copy each
        many = _SO_MANY_WANT.match(" ".join(rest))
        count = (count_of(many.group("n")) or 0) if many is not None else 0
        edit = Edit(op="repeat", quantity=count if 1 < count <= 99 else None)
    elif edit.op == "change" and edit.ref is not None and edit.ref.items and edit.item is None:
        # "he wants a meatball marinara like his dad's instead of the tuna": that dish
        # ("the veggie burger and the fries": the lines named, each its own reference)
        refs = (edit.ref, *edit.ref.joined)
        meant = [key for ref in refs for key in ref.items]
        swap = [x.item for x in said.items if not x.inferred and x.item not in meant]
        if swap:
            edit = replace(edit, item=swap[0], choices=())
        elif not (edit.choices or edit.drop or edit.groups or edit.quantity or edit.unknown):
            # "he wants what i'm getting, the veggie burger and the fries": the dishes of theirs
            # named, copied
            edit = Edit(
                op="repeat",
                items=tuple((key,) for key in meant),
                instead=bool(not_that) or _THEIR_MIND.search(" ".join(rest)) is not None,
            )
    elif not (edit.op == "change" and edit.item is not None and edit.ref is not None):
        # ("she wants a turkey instead of the ham": that line becomes a copy of theirs)
        edit = replace(edit, op="repeat", ref=None, again=False, double=False)
    edit = replace(edit, owner=owner, like=person)
    kind = tokens[start - 1] if start >= 2 and tokens[start - 2] == "same" else None
    if edit.op == "repeat" and not edit.items and kind is not None and kind not in _NO_KIND:
        # "the same drink as the kids": of their lines, the drinks
        edit = replace(edit, item_words=(kind,))
    if edit.op == "repeat" and edit.quantity is None:
        # "Sarah and Tom want the same as my boss": one copy for each of them
        wants = next((k for k, t in enumerate(rest) if t in _WANTS), None)
        if wants is not None:
            each = wants and rest[wants - 1] in _EACH_OF_US
            subject = subject_before(rest, wants - each, names)
            if subject is not None and subject[1] > 1:
                edit = replace(edit, quantity=subject[1])
    intent = Intent.REPEAT_ITEMS if edit.op == "repeat" else Intent.CHANGE_ITEM
    return Reading(text=text, intent=intent, confidence=0.9, refers_to_last=True, edit=edit)


_ONLY_ON_OTHER = re.compile(
    r"^(?P<off>.*\b(?:no|without|hold the|take (?:the )?\w+ off)\b.*\bon (?:the|my|his|her) .+?)"
    r"\s*[,;]?\s*(?:but )?(?:just|only|keep (?:them|it)) on (?:the|my|his|her) [a-z ]+[.!]?$",
)
# "sour cream on just one", "extra cheese for only two of them": that many of the line
_ON_JUST_SOME = re.compile(
    r"\b(on|onto|in|to|for) (?:just|only) (?=(?:one|two|three|four|\d+)\b(?! more\b))"
)
# "half of them with pepperoni", "make half of those extra cheese": half said as a count of units
_HALF_OF = re.compile(
    r"\bhalf(?= of (?:them|those|these)\b)"
    # "half with onions half without": a half opening the message, then what it has
    r"|(?:^|(?<=^and )|(?<=^ok )|(?<=^so )|(?<=^make ))half"
    r"(?= (?:with|w|without|no|plain|extra)\b)",
    re.I,
)
# ... "and half with red salsa", "the other half plain": the other half, once one half is said
_OTHER_HALF = re.compile(
    r"\b(?:the )?other half\b|(?:(?<=\band )|(?<=, )|(?<=[a-z] ))half\b"
    r"(?= (?:of (?:them|those|these)|with|w|plain|without|no|extra)\b)",
    re.I,
)


def halves_said(text: str, whole: int | None = None) -> str:
    """ "4 tacos, half of them with chicken and the other half with steak": half said as a
    count, of the number said before it, else of `whole` (the units of the line talked about),
    as "2 of them ... the other 2"; as said when that is no even number."""
    found = _HALF_OF.search(text)
    if found is None:
        return text
    said = [
        NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else 0)
        for word in re.findall(r"[a-z]+|\d+", text[: found.start()].lower())
    ]
    units = next((n for n in reversed(said) if n), whole)
    if units is None or units < 2 or units % 2:
        return text  # ("3 tacos, half of them ...": no half is a count of them)
    half = str(units // 2)
    rest = _HALF_OF.sub(half, text[found.start() :], count=1)

    def other_half(other: re.Match[str]) -> str:
        said = other.group(0).lower().replace("half", half)
        before = other.string[: other.start()].rstrip().lower()
        # ("half with onions half without": the halves joined as "... and 5 without")
        bare = said == half and not before.endswith((",", " and"))
        return f"and {said}" if bare else said

    rest = _OTHER_HALF.sub(other_half, rest)
    return text[: found.start()] + rest


# "kalamata olives, not the regular ones": "ones" is the noun said just before, the plain kind
# of it (no regular size)
_PLAIN_ONES = re.compile(
    r"\b(?P<head>[a-z]+)(?P<between>,? (?:not|instead of|rather than|in place of) (?:the |my )?"
    r"(?:regular|normal|plain|ordinary|original)) ones?\b",
    re.I,
)


def _plain_ones(lexicon: Lexicon, found: re.Match[str]) -> str:
    """ "olives not the regular ones" as "olives not the regular olives" when the word before
    names something on the menu."""
    head = found.group("head").lower()
    length, entry = lexicon.lookup([head], 0)
    if not length or entry is None or not (entry.options or entry.items):
        return found.group(0)
    return f"{found.group('head')}{found.group('between')} {head}"


# "x2", "and x3 pls" as a message of its own: the count of the line just ordered, as "make it
# 2" says it
_BARE_TIMES = re.compile(
    r"^\s*(?:(?:and|ok|okay|oh|so|actually|make it|make that)[\s,]+)*"
    r"(?:x ?(?P<n>\d+)|(?P<m>\d+) ?x)(?: (?:please|pls|plz|then|instead))?[\s.!]*$",
    re.I,
)
# "bump it to 8", "raise that to 6", "drop them down to 2": the count moved, as "make it 8"
_COUNT_MOVED = re.compile(
    r"^\s*(?:(?:and|ok|okay|oh|so|actually|um+|hmm+|eh+|wait|sorry|can you|could you|pls|please)"
    r"[\s,]+)*(?:bump|raise|increase|up|bring|lower|drop|cut|reduce|knock)"
    r"(?: (?:it|that|them|those|this|these|the order))?(?: (?:up|down|back))? to "
    rf"(?P<n>{_COUNT_WORD})\b(?! ?(?:%|percent))",
    re.I,
)
# "no honey sorry, simple syrup": the apology ends what is not wanted, its "no" goes no further
_NO_THEN_SORRY = re.compile(
    r"^(?P<no>\s*(?:(?:oh|um+|uh+|hmm+|ok|okay|actually|wait)[\s,]+)*(?:no|without) [a-z][a-z ]*?)"
    r"\s+(?:sorry|my bad|oops|i mean|i meant)\s*[,;]\s*(?=\w)",
    re.I,
)
# "hmm vanilla instead actually" after a chocolate shake: a word of another dish's name, as
# "a vanilla one instead"
_WORD_INSTEAD = re.compile(
    r"^\s*(?:(?:hmm+|um+|uh+|eh+|oh|ah|ok|okay|no|nah|actually|wait|sorry|make it)[\s,.]+)*"
    r"(?P<word>[a-z]+) instead(?: (?:actually|then|please|pls|i think))*[\s.!]*$",
    re.I,
)
# "nvm 2", "never mind, 3 then" after a count: the count put right, no line taken off
_NVM_COUNT = re.compile(
    rf"^\s*(?:(?:ok|okay|oh|so|ah|wait)[\s,]+)*(?:nvm|never ?mind)[\s,.!]*(?:x ?)?"
    rf"(?P<n>{_COUNT_WORD})(?: (?:please|pls|plz|then|instead))?[\s.!]*$",
    re.I,
)
# "1 large 1 small", "2 w/ onions, 1 w/o": units of the line counted out with digits, as "one
# large one small" says them
_ONE_BY_DIGIT = re.compile(
    r"^\s*(?:(?:and|ok|okay|oh|so|actually|make it|make them)[\s,]+)*\d+ [a-z/][^\d]*?[\s,]\d+ "
    r"[a-z/]",
    re.I,
)
_DIGIT_ONE = re.compile(r"\b1(?= [a-z/])", re.I)
# "none of them with pickles", "neither gets onions": every one of them without it
_NONE_WITH = re.compile(
    r"\b(?P<what>none|neither)(?P<of> of (?:them|those|these|the [a-z]+))?"
    r" (?:with|gets?|has|have|wants?|getting)\b(?! (?:any|anything|everything|the same)\b)",
    re.I,
)
# "each one with a different cheese: provolone, swiss, pepperjack", "a different sauce on
# each - ranch, bbq and honey mustard": one unit with each option listed
_EACH_DIFFERENT = re.compile(
    r"\b(?:(?:each|every)(?: one| of them)?(?: with| gets?| has| having)(?: a)? different"
    r"|(?:with )?(?:a )?different (?:\w+ )?(?:on|for|in) (?:each|every)(?: one| of them)?"
    r"|all (?:with )?different)"
    r"(?: [a-z]+)?\s*[:,-]?\s+(?P<list>[a-z][a-z ]*?(?:(?:,|, and| and| or| &) [a-z][a-z ]*?)+)"
    r"\s*[.!]*$",
    re.I,
)
_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+(?:and|or|&)\s+)", re.I)
# "one of each shake", "one of each kind of fries": every dish of that kind, one of each
_EACH_KIND_AFTER = re.compile(
    r"\b(?:one|1) of (?:each|every)(?: (?:kind|type|flavou?r|sort|variety))?(?: of)?(?: the)?"
    r" (?P<word>[a-z]+)\b",
    re.I,
)
# "3 juices for the kids, one of each kind", "chips for everyone, one of each kind you have":
# the kind named first, then one of each of its dishes (a list of them after says no more)
_EACH_KIND_BEFORE = re.compile(
    r"(?:\b(?P<count>\d+|two|three|four|five|six|seven|eight|some) )?\b(?P<word>[a-z]+)"
    r"(?P<mid>(?: for (?:[a-z]+ ){0,2}?[a-z]+)?)\s*[,:;-]?\s*(?:one|1) of (?:each|every)"
    r"(?P<kind> (?:kind|type|flavou?r|sort|variety))?"
    r"(?: (?:you (?:have|got|guys have|carry)|there is|on the menu))?"
    r"(?P<list>\s*[.:,-]\s*[a-z][a-z ,&]*)?[.!]*",
    re.I,
)
# ", large", ": medium": how the dishes listed are, said after them
_HOW_AFTER = re.compile(r"^\s*[,:-]\s*(?:in )?(?!all\b|each\b|both\b)[a-z]+\s*[.!]*$", re.I)


# "one of each with chicken: burrito, bowl and taco", "one of each, iced: latte, americano":
# how every one is, said between "one of each" and the list of them
_EACH_HOW_LISTED = re.compile(
    r"\b(?:one|1) of (?:each|every)(?: one)?\s*,?\s+(?P<how>(?!of\b|kind\b|type\b)[a-z][a-z ]*?)"
    r"\s*[:-]\s*(?P<list>[a-z][a-z ,&]*?)\s*(?=[.!;]|$)",
    re.I,
)


def _each_how_listed(lexicon: Lexicon, text: str) -> str:
    """ "one of each with chicken: burrito, bowl and taco", "one of each in large: margherita,
    hawaiian, mexican": one of every dish (or kind of a dish) listed, each counted, and how
    they all are said after them, as "1 burrito, 1 bowl and 1 taco, all with chicken"."""
    found = _EACH_HOW_LISTED.search(text)
    if found is None:
        return text
    how = found.group("how").lower()
    said = parse_order(lexicon, tokenize(how))
    if not said.loose_choices or not all(line.inferred for line in said.lines):
        return text  # (only options, no dish of its own)
    words = tokenize(found.group("list").lower())
    entries: list[list[str]] = [[]]
    at = 0
    while at < len(words):
        length = lexicon.lookup(words, at)[0]
        if not length and words[at] in (",", "and", "&"):
            entries.append([])  # ("steak and cheese" is one name, no cut)
        elif length or words[at] not in ("a", "an", "one", "1"):
            entries[-1] += words[at : at + max(length, 1)]
        at += max(length, 1)
    entries = [entry for entry in entries if entry]
    if len(entries) < 2 or not all(lexicon.lookup(entry, 0)[0] for entry in entries):
        return text
    ones = [f"1 {' '.join(entry)}" for entry in entries]
    every = how if how.startswith(("with ", "in ")) else f"with {how}"
    listed = f"{', '.join(ones[:-1])} and {ones[-1]}, all {every}"
    return f"{text[: found.start()]}{listed}{text[found.end() :]}"


def _kind_of_dishes(lexicon: Lexicon, word: str) -> tuple[str, ...]:
    """The dishes a kind's word names ("shake": every shake), with those listed between them
    in one category of the menu ("chips": the doritos listed among the chips); none unless two
    or more."""
    named = lexicon.of_kind(word.lower(), singular)
    if len(named) < 2 or len({lexicon.category.get(key) for key in named}) != 1:
        return ()
    category = lexicon.category.get(named[0])
    listed = [key for key in lexicon.items if lexicon.category.get(key) == category]
    at = [listed.index(key) for key in named]
    return tuple(listed[min(at) : max(at) + 1])


def _one_of_every(lexicon: Lexicon, keys: Sequence[str]) -> str:
    """ "a chocolate shake, a strawberry shake and a vanilla shake": one of each dish."""
    names = [lexicon.items[key].label.lower() for key in keys]
    ones = [f"{'an' if name[0] in 'aeiou' else 'a'} {name}" for name in names]
    return f"{', '.join(ones[:-1])} and {ones[-1]}"


def _each_kind(lexicon: Lexicon, text: str) -> str:
    """ "One of each cookie", "one of each kind of fries, large", "chips for everyone, one of
    each kind you have": one of every dish of that kind, each named (how they are, said after,
    "large", is how all of them are)."""
    after = _EACH_KIND_AFTER.search(text)
    mid = ""
    if after is not None and (keys := _kind_of_dishes(lexicon, after.group("word"))):
        start, end = after.span()
    else:
        before = _EACH_KIND_BEFORE.search(text)
        if before is None or not (keys := _kind_of_dishes(lexicon, before.group("word"))):
            return text
        previous = tokenize(text[: before.start("word")])[-1:]
        if previous and lexicon.items_with([previous[0], before.group("word").lower()]):
            return text  # ("garlic fries and curly fries, one of each kind": those two)
        count = before.group("count")
        if count is None and before.group("kind") is None:
            return text  # ("fries, one of each": of the dishes named before)
        if count is not None and count.lower() != "some" and count_of(count.lower()) != len(keys):
            return text
        listed = before.group("list")
        names = {w for key in keys for w in lexicon.items[key].label.lower().split()}
        start, end = before.span()
        if listed and not set(tokenize(listed)) <= names | {"and", "n", "&", ",", "."}:
            end = before.start("list")  # (what is said after is no list of them)
        mid = before.group("mid")
    rest = text[end:]
    if _HOW_AFTER.match(rest):
        said = parse_order(lexicon, tokenize(rest))
        if not said.lines and said.loose_choices:
            rest = re.sub(r"^\s*[,:-]\s*", ", all ", rest)  # ("..., large": all of them large)
    return f"{text[:start]}{_one_of_every(lexicon, keys)}{mid}{rest}"


# "that new one", "the one you just added": a unit of the line the last turn added or grew
_NEW_ONE = re.compile(
    r"\b(?:that|the|this) (?:new|newest|latest|added) one\b|\bthe one (?:you )?just added\b",
    re.I,
)
# "double the pepperoni on the new york one": more of an option, not the dish twice
_DOUBLE_THE = re.compile(r"\bdouble (?:up )?(?:on )?(?:the|my) (?P<what>[a-z]+(?: [a-z]+)?)")


def _doubled(lexicon: Lexicon, found: re.Match[str]) -> str:
    """ "double the pepperoni" as "extra pepperoni" when the words name an option and no dish
    ("double the cookie" is two cookies)."""
    words = found.group("what").split()
    length, entry = lexicon.lookup(words, 0)
    if length and entry is not None and entry.options and not entry.items:
        return "extra " + found.group("what")
    return found.group(0)


# "only one extra cocoa, not two", "just one more, not two": a count of units added said again
_FEWER_MORE = re.compile(
    rf"\b(?:just |only )?(?P<wanted>{count_pattern(9)}) (?:extra|more)"
    r"(?P<what> (?!of\b|please\b|not\b)[a-z]+)?,? (?:not|instead of) (?P<said>\w+)\b"
)


def _fewer_more(lexicon: Lexicon, found: re.Match[str]) -> str:
    """ "only one extra cocoa, not two" as "take off one cocoa": the units said too many come
    off the line ("just one more, not two" after "2 more hot chocolates": 2 of 3; not "two
    extra shots not three": an option counted)."""
    wanted = count_of(found.group("wanted"))
    said = count_of(found.group("said"))
    if wanted is None or said is None or said <= wanted:
        return found.group(0)
    what = found.group("what")
    head = found.group(0)[: found.end("what") - found.start()] if what else ""
    if head and parse_order(lexicon, tokenize(head)).loose_choices:
        return found.group(0)
    return f"take off {said - wanted}{found.group('what') or ''}"


# "one of the extra ones", "both extra sandwiches", "the extra fries": units added, or an
# amount of an option ("the extra bacon"); "only one extra, so two in all": so many of them kept
_EXTRA_UNITS = re.compile(
    rf"\b(?:the|those|these|both|{count_pattern(9)}) extra (?P<what>[a-z]+)(?!\w)|"
    rf"\b(?:just|only|keep) (?P<kept>{count_pattern(9)}) extra(?= ?(?:,|not\b|so\b|$))"
)


def _units_added(lexicon: Lexicon, norm: str) -> tuple[bool, int | None]:
    """Whether a message points at the units of a line added last ("just one of the extra
    ones", "scratch the extra fries"), not at an option's amount ("no, the extra bacon"); and
    how many of them it keeps when it says so alone ("only one extra, so two in all")."""
    found = _EXTRA_UNITS.search(norm)
    if found is None:
        return False, None
    if found.group("kept"):
        return True, count_of(found.group("kept"))
    said = found.group("what")
    if singular(said) == "one" or singular(said) in kind_words(lexicon):
        return True, None
    entry = lexicon.lookup([said], 0)[1] or lexicon.lookup([singular(said)], 0)[1]
    return entry is not None and bool(entry.items) and not entry.options, None


def _not_by_extra(ref: Ref | None) -> Ref | None:
    """A reference to the units added last without the option "extra" would name as part of
    its name ("one of the extra ones" is no extra large one)."""
    if ref is None or ("extra",) not in ref.option_words:
        return ref
    kept = [(o, w) for o, w in zip(ref.options, ref.option_words, strict=True) if w != ("extra",)]
    return replace(ref, options=tuple(o for o, _ in kept), option_words=tuple(w for _, w in kept))


def _not_extra(choices: Sequence[Choice]) -> tuple[Choice, ...]:
    return tuple(replace(c, qualifier=None) if c.qualifier == "extra" else c for c in choices)


# "stick with the steak", "i'll stay with my latte": what the customer keeps, as "keep the"
_STICK_WITH = re.compile(
    r"\b(?:stick|stay) with (?=(?:the|my|that|this|it|those|them|these)\b)", re.I
)


def read(
    lexicon: Lexicon, text: str, *, conversation: bool = False, people: Iterable[str] = ()
) -> Reading:
    """What a message means against a menu: intent, order lines and the details asked for.

    Read alone (`restaurant parse`), an order is an order. In a `conversation` (something
    ordered or asked about already), an order may also point back at it ("and the one with
    ham large", "another one with bacon"): `follow_up` then says how, with the `edit`. The
    conversation's `people` ("wife", "priya") are who "make Priya's gluten free" can be about."""
    names = names_in(lexicon, text, people)
    if conversation and _COPIED.search(text):
        copy = _copy_of_someones(lexicon, text, names)
        if copy is not None:
            return copy
    thanked = _THANKS_AFTER.search(text)
    if thanked is not None and len(text[: thanked.start()].split()) >= 3:
        text = text[: thanked.start()]  # "I will have one of those as well. Thank you kindly."
    text = whose_each(lexicon, text)  # "3 burgers: mine plain, lucy's with bacon"
    if conversation and (" left" in text or " remain" in text):
        # "make what's left a large" (after lines came off): every line still ordered, unless
        # units were counted out before it ("one of them iced and what's left hot")
        left = _WHAT_IS_LEFT.search(text)
        if left is not None and not _COUNTED_BEFORE.search(text[: left.start()]):
            text = f"{text[: left.start()]}all of them{text[left.end() :]}"
    if "possible " in text:
        text = _IS_IT_POSSIBLE.sub(_possible_to, text)
    if " vs" in text or " versus " in text:
        versus = _VERSUS.match(text)
        # ("how much is a small pepperoni vs a medium one": asked already, read as it was)
        if versus is not None and _ASKED_BEFORE.search(versus.group("lead")) is None:
            ask = (versus.group("ask") or "which is better").strip()
            text = f"{versus.group('lead')}{ask}, {versus.group('a')} or {versus.group('b')}?"
    if "wait" in text or "hold on" in text:
        text = _WAIT_ASKED.sub("", text)
    if "?" in text and ("ye" in text or "ya" in text):
        text = _SAID_AGAIN.sub(lambda found: _said_again(lexicon, found), text)
    if (" or " in text or "between " in text) and _DOUBT.search(text) is not None:
        text = _undecided(lexicon, text)
    if " if " in text or " whether " in text:
        text = _IF_YOU_CAN.sub("", text)
        text = _asked_directly(text)
    if " go" in text or " be " in text:
        text = _GO_ON.sub(_goes_on, text)
    if ("priced" in text or "pricey" in text) and _PRICED_SO.search(text):
        text = _PRICED_SO.sub(_priced_as, text)
    if ("est" in text or "most" in text or "least" in text) and (
        extreme := _WHICH_IS_EXTREME.match(text)
    ) is not None:
        text = _which_is_extreme(extreme)
    if "any " in text and _ASIDE_CUE.search(text) and (others := _ANY_BESIDES.match(text)):
        text = f"{others.group('lead')}do you have any {others.group('rest')}"
    if "there" in text:
        # "is there hazelnut?": as "do you have hazelnut?" ("is there meat in the salad?" stays)
        text = _IS_THERE.sub(r"do you have \g<what>?", text)
    if "?" in text and (then_asked := _THEN_ASKED.match(text)) is not None:
        # "full city roast, is that dark?": asked about, as "is the full city roast dark?"
        text = f"is the {then_asked.group('what')} {then_asked.group('how')}?"
    if " than " in text:
        text = _dish_noun_said_once(lexicon, text)
    if " side" in text:
        text = _AS_A_SIDE.sub(
            lambda found: (
                found.group("dish")
                if lexicon.names_with(singular(found.group("dish").lower()))
                or lexicon.names_with(found.group("dish").lower())
                else found.group(0)
            ),
            text,
        )
    if conversation and " on " in text:
        # "no olives on the margherita, just on the mediterranean": where it stays is no change
        text = _ONLY_ON_OTHER.sub(r"\g<off>", text)
    if conversation and ("just " in text or "only " in text):
        text = _ON_JUST_SOME.sub(r"\1 ", text)
    if conversation and "double" in text:
        text = _DOUBLE_THE.sub(lambda found: _doubled(lexicon, found), text)
    if conversation and " not " in text:
        text = _FEWER_MORE.sub(lambda found: _fewer_more(lexicon, found), text)
    if conversation and " one" in text and (" not " in text or " of " in text or " than " in text):
        text = _PLAIN_ONES.sub(lambda found: _plain_ones(lexicon, found), text)
    if conversation and " one" in text:
        # "extra cheese on that new one" after one more of a pizza: one of that line's units
        text = _NEW_ONE.sub("one of them", text)
    if "half" in text:
        text = halves_said(text)
    if " of e" in text and (" each" in text or " every" in text):
        text = _each_kind(lexicon, _each_how_listed(lexicon, text))
    if "different" in text and (different := _EACH_DIFFERENT.search(text)) is not None:
        # ... one with each of them, in turn
        ones = [f"one with {what}" for what in _LISTED.split(different.group("list")) if what]
        text = f"{text[: different.start()]}{', '.join(ones[:-1])} and {ones[-1]}"
    if "none" in text or "neither" in text:
        text = _NONE_WITH.sub(
            lambda found: (
                f"{'both' if found.group('what').lower() == 'neither' else 'all'}"
                f"{found.group('of') or ''} without"
            ),
            text,
        )
    if "each of them" in text:
        # "2 burgers for the kids, and a small fries for each of them": as many as they are
        text = _COUNTED_FOR_THEM.sub(_as_many_for_them, text)
    if conversation and "want" in text and (unwanted := _NOT_WANTING.match(text)) is not None:
        # "paul doesnt want a coke actually, no drink for him": his coke comes off
        text = _taken_off_theirs(lexicon, unwanted, names) or text
    if (
        conversation
        and "one of the" in text
        and (gone := _ONE_OF_THOSE_GONE.search(text)) is not None
        and (_COMING.search(text.lower()) or _WENT.search(text))
    ):
        # "Carlos left, he was one of the plain ones, so just 3 subs": one of those comes off
        text = f"take off one of the {gone.group('which')} ones"
    if conversation and (removal := _dish_person_gone(lexicon, text)) is not None:
        text = removal
    if conversation and " not " in text and (moved := _option_meant_for(lexicon, text)):
        text = moved
    if conversation and "also with" in text:
        # "make one of the hams a veggie, also with lettuce and tomato": how the new one is
        text = _MADE_ALSO_WITH.sub(r"\g<head> with", text)
    if conversation and (" with " in text and ("stick" in text or "stay" in text)):
        # "ok stick with the steak. add extra provolone": the line kept as it is, as "keep"
        text = _STICK_WITH.sub("keep ", text)
    if conversation and "keep" in text:
        # "Zoe wants a shake too, keep her lemonade": what stays as it is, no order of it
        text = _KEEP_TAIL.sub("", text)
    if conversation and (" stay" in text or " remain" in text):
        text = _STAYS_TAIL.sub("", text)
    if conversation and "each" in text:
        # "apple slices for each of the kids", "a punch for each kid": one each, for them
        text = _FOR_EACH.sub(_for_them_each, text)
    if conversation and ("except" in text or " but " in text) and "s" in text:
        # "bacon on all of them except sam's": sam's unit, said by his name (never "hams")
        text = _EXCEPT_WHOSE.sub(r"\g<1>\g<2>", text)
    if conversation and " for all " in text and (for_all := _FOR_ALL_N.search(text)) is not None:
        # "thin crust for all 4": on all four, when what comes before is options alone ("a
        # coke for all 4 of us" orders)
        said = parse_order(lexicon, tokenize(text[: for_all.start()]))
        if said.loose_choices and all(line.inferred for line in said.lines):
            text = f"{text[: for_all.start()]}on all{text[for_all.start() + 7 :]}"
    if conversation and (found := _ALL_WANT.match(text)) is not None:
        # "everyone wants lettuce and tomatoes": options for every dish ("everyone wants a
        # coke" stays one each)
        said = parse_order(lexicon, tokenize(found.group("what")))
        if all(line.inferred for line in said.lines) and (said.lines or said.loose_choices):
            # ("everyone wants a can of pepsi, so 4 cans": a dish named, one each)
            # ("everyone wants sour cream except the bowl": all of them but the bowl)
            text = f"{found.group('what')} on all of them{found.group('but') or ''}"
    if conversation and "except" in text and (but := _EXCEPT_THEM.match(text)) is not None:
        # "except Jamie who wants a hot chocolate" after "everyone gets a latte": one of theirs
        text = f"but {but.group('who')} wants {but.group('what')} instead"
    if conversation and " not " in text and (count_fixed := _NOT_THAT_MANY.match(text)):
        # "he wants 3 tacos not 2", "actually 3 tacos, not 2": the line's count put right
        # ("hmm, 2 not 3": the count alone, of the line just ordered)
        text = f"make it {count_fixed.group('n')} {count_fixed.group('what') or ''}".rstrip()
    if conversation and "instead of" in text and (first := _INSTEAD_FIRST.match(text)):
        new, old = first.group("new").strip(), first.group("old").strip()
        text = f"{first.group('lead')}{new} instead of {old}{text[first.end() :]}"
    if conversation and (off_on := _OFF_THEN_ON.match(text)) is not None:
        text = _off_then_on(lexicon, off_on)
    if conversation and (enough := _ENOUGH.match(text)) is not None:
        text = f"make it {enough.group('n')} {enough.group('what')}"
    if conversation and text.startswith("make the ") and len(_THE_LINE_COUNT.findall(text)) > 1:
        # only for two lines or more: one line's "make the first one two", "make the wings 24"
        # (a wing count) and "make the steak ones just 2" are read as they stand
        text = "make " + _THE_LINE_COUNT.sub(r"\2 \1", text[5:])
    if conversation and "the one" in text:
        text = _JUST_THE_ONE.sub("just one", text)  # "actually just the one hawaiian is fine"
    if " one" in text and (liked := _LIKED_THEN_ONE.match(text)) is not None:
        # "the curly fries sound good, a medium one": one order of them, medium
        what = liked.group("what")
        text = f"{liked.group('rest')}{what}{text[liked.end() :]}"
    if conversation and "same" in text and (alike := _ONE_LIKE_IT.match(text)) is not None:
        # "and a small one with the same toppings": another of the line, small
        made = alike.group("opts").strip()
        text = f"{alike.group('lead')}another one but {made}{text[alike.end() :]}"
    if "same " in text:
        text = _SAME_OPTION.sub(lambda found: _option_said_before(lexicon, found), text)
    if conversation and "of " in text and (first := _OF_THEM_FIRST.match(text)) is not None:
        # "and of the other two, one without pickles": one of the other two without pickles
        lead, which = first.group("lead"), first.group("which")
        text = f"{lead}{first.group('count')} of {which}{text[first.end() :]}"
    if conversation and (kind := _TO_A_KIND.search(text)) is not None:
        noun, word = singular(kind.group("noun").lower()), kind.group("word").lower()
        if not lexicon.lookup([word], 0)[0] and the_dish_with(lexicon, (word, noun)) is not None:
            # "switch the juice to apple": to the apple juice
            text = f"{text[: kind.end('word')]} {noun}{text[kind.end('word') :]}"
    let_go = _let_go_for(lexicon, text) if conversation else None
    if let_go is not None:
        # "scratch that, french roast", "scratch that make it keto crust": the change said
        # instead, no line taken off
        rest = text[let_go.end() :]
        said = parse_order(lexicon, tokenize(rest))
        if not said.lines and "instead" not in rest and _options_instead(said.loose_choices):
            # "scratch that, both with provolone": the options in place of those just said
            text = f"{rest.rstrip(' .!')} instead"
        else:
            text = f"never mind that, {rest}"
    if conversation and (wait := _WAIT_AND.match(text)) is not None:
        text = text[wait.end() :]
    if conversation and (no_wait := _NO_WAIT.match(text)) is not None:
        text = _no_then_option(lexicon, text, no_wait)
    if conversation and (" those" in text or " them" in text or " em" in text):
        text = _NO_THEN_FORGET.sub(r"\g<no>", text)
    if conversation and (" fine" in text or " ok" in text or " good" in text or "alright" in text):
        fine = _FINE_AFTER_ALL.match(text)
        if fine is not None:
            fine_words = tokenize(fine.group("said"))
            size, entry = lexicon.lookup(fine_words, 0)
            if size == len(fine_words) and entry is not None and entry.options and not entry.items:
                text = f"put the {fine.group('said')} back on"
    if conversation and " on" in text and (kept := _LEAVE_ON.search(text)) is not None:
        what = kept.group("named") or kept.group("said")
        if what is not None:
            text = f"{text[: kept.start()]}put the {what} back on{text[kept.end() :]}"
    if conversation and (" all " in text or " both " in text or " each " in text):
        # "lattes both large", "the 5 drip coffees all large": every one of them changed
        words = tokenize(text)
        every = _dishes_then_all(lexicon, words)
        text = " ".join(every) if every is not words else text
    if conversation and "thought" in text:
        # "on second thought, two of those"
        text = _SECOND_THOUGHT.sub(
            lambda found: "actually. " if found.start() and found.group("stop") else "actually ",
            text,
        )
    if conversation and (
        " sorry" in text or " my bad" in text or " oops" in text or " i mean" in text
    ):
        text = _NO_THEN_SORRY.sub(r"\g<no>. ", text)
    if conversation and "instead" in text and (kind_of := _WORD_INSTEAD.match(text)) is not None:
        word = kind_of.group("word").lower()
        if not lexicon.lookup([word], 0)[0] and lexicon.items_with([word]):
            text = f"a {word} one instead"
    if conversation and " to " in text and (moved_to := _COUNT_MOVED.match(text)) is not None:
        text = f"make it {moved_to.group('n')}{text[moved_to.end() :]}"
    if conversation and (bare := _BARE_TIMES.match(text)) is not None:
        text = f"make it {bare.group('n') or bare.group('m')}"
    if conversation and "n" in text and (count_again := _NVM_COUNT.match(text)) is not None:
        text = f"actually {count_again.group('n')}"
    if (
        conversation
        and "1 " in text
        and _ONE_BY_DIGIT.match(text)
        # ("2 shakes and 1 water": dishes counted, an order)
        and all(line.inferred for line in parse_order(lexicon, tokenize(text)).lines)
    ):
        text = _DIGIT_ONE.sub("one", text)
    if conversation:
        # "ok nvm just the americano", "ok nvm. add small fries", "ok nvm. lemonade then", "nvm
        # make it extra large": the question or the last choice dropped, not the dish
        text = _the_other(_NVM_JUST.sub("", text))
        # "ok just the cheeseburger then, and a root beer" after asking about another dish: the
        # line it has stays as it is, the rest is the order
        rest = _JUST_THEN.sub("", text)
        text = rest if rest.strip() else text
        # "drop the skinny part": the option, never the line
        text = _THE_PART.sub(r"no \1", text)
        # "one of them decaf" ... "and a different one with an extra shot": another unit of
        # the line, not the one just changed
        text = _A_DIFFERENT_ONE.sub("one of the other ones", text)
        # "2 lattes" ... "only one should be skinny", "one gets mayo": units of the line
        text = _UNITS_SHOULD.sub(r"\g<0> of them", text)
        if " be " in text:
            text = _SHOULD_BE.sub(lambda found: _made_so(lexicon, found), text)
    tokens = tokenize(text)
    if "order" in tokens or "group" in tokens or "party" in tokens:
        tokens = _big_order(tokens)
    if _VAGUE_BIG.intersection(tokens) and _MEASURES.intersection(tokens):
        tokens = _big_measure(tokens)
    if "for" in tokens:
        tokens = _for_an_occasion(lexicon, tokens, names)
    if "all" in tokens or "each" in tokens or "both" in tokens:
        tokens = _one_each_alike(lexicon, _all_the_same_dish(lexicon, tokens))
    if "each" in tokens:
        tokens = _so_many_of_each(lexicon, tokens)
    if "?" not in text:
        tokens = _crowd_dish_dropped(lexicon, tokens, text.lower())
    if ":" in tokens:
        tokens = _all_alike(lexicon, tokens)
    if ":" in tokens:
        # ("4 drinks: 2 lattes 2 americanos. lattes for my sisters, ...": the parts, then whose)
        tokens = _total_listed(lexicon, tokens)
    tokens = then_whose(lexicon, _occasion_dropped(lexicon, tokens, names), names)
    if conversation:
        tokens = _kinds_run_on(lexicon, tokens)
    tokens = _counted_by_people(lexicon, tokens, names)
    tokens = _taken_back(lexicon, _without_preamble(each_theirs(lexicon, tokens, names)))
    tokens = _theirs_alike(lexicon, _wanted_for(lexicon, _each_for(lexicon, tokens), names))
    tokens = _for_the_few(lexicon, _listed(lexicon, _both_options(lexicon, tokens)))
    if "and" in tokens:
        tokens = _one_in_each(lexicon, tokens)
    if "on" in tokens:
        tokens = _options_on_each(lexicon, tokens)
    if conversation and ("no" in tokens or "without" in tokens) and "," in tokens:
        tokens = _no_this_but_that(lexicon, tokens)
    if conversation and "non" in tokens:
        tokens = _not_having(lexicon, tokens)
    if "ones" in tokens or "one" in tokens:
        tokens = _the_ones(lexicon, tokens)
    if conversation:
        tokens = _counts_after_why(lexicon, tokens, names)
        tokens = _when_ordered(_before_reason(lexicon, _after_reason(lexicon, tokens, names)))
        if "first" in tokens or "second" in tokens:
            tokens = _ordinals_listed(tokens)
        if "both" in tokens or "all" in tokens:
            tokens = _for_both(lexicon, tokens)
        tokens = _plainly(_on_the_copy(_same_as_dish(lexicon, tokens)))
        tokens = _kinds_counted(lexicon, tokens)
        tokens = _the_option_one(lexicon, _on_every(_everything(_meant(tokens))))
        if "extra" in tokens or "light" in tokens:
            tokens = _amount_after(lexicon, tokens)
        if "of" in tokens:
            tokens = _of_the_many(lexicon, tokens)
        if "those" in tokens or "these" in tokens:
            tokens = _counted_those(_of_those(tokens))
        tokens = _what_stays(_one_with(_a_second(lexicon, tokens)))
        if "one" in tokens or "ones" in tokens:
            tokens = _one_named_first(lexicon, tokens)
        if tokens[:1] == ["the"] or tokens[1:2] == ["the"]:
            tokens = _line_first(lexicon, tokens)
    masked_for = _names_masked(lexicon, tokens, names)
    order = parse_order(lexicon, masked_for)
    aside = _names(lexicon, text) - names if order.unknown else frozenset()
    if aside:
        # "Ah, Sam isn't coming in today", "same for Kevin": a person, no word of the order
        tokens = ["friend" if t in aside else t for t in tokens]
        order = parse_order(lexicon, tokens)
    norm = " ".join(tokens)
    named_items = bool(order.lines) and not order.inferred
    guess = classify(
        norm if masked_for is tokens else " ".join(masked_for),
        text,
        has_items=bool(order.lines),
        named_items=named_items,
        has_options=bool(order.loose_choices),
        has_quantity=order.loose_quantity is not None,
        unknown_words=sum(1 for w in order.unknown if not _someone(w, names)),
        content_words=order.menu_spans + len(order.unknown),
        bare_options=(order.inferred or not order.lines)
        and (
            not order.counted
            or _ON_A.match(norm) is not None
            or _IN_ALL.search(norm) is not None  # "and vanilla syrup in all three"
        )
        and (
            len(order.loose_choices) == 1
            or _modifier_start(lexicon, tokens, norm)
            or (not order.lines and _options_listed(lexicon, tokens))
        ),
    )
    intent = guess.intent
    if let_go is not None and intent is Intent.REMOVE_ITEMS:
        intent = Intent.CHANGE_ITEM  # "scratch that, make the sausage one a large": no removal
    if (
        intent is Intent.CHANGE_ITEM
        and conversation
        and named_items
        and " for " in norm
        and (added := _ADD_FOR.match(norm)) is not None
        and not lexicon.lookup([added.group("who")], 0)[0]
    ):
        intent = Intent.ADD_ITEMS  # "add chips for the table": a dish, for them (no edit)
    if text.rstrip().endswith("*") and order.lines and len(tokens) <= 3:
        # "lol sprites*": the last message's typo put right, not a new order
        intent = Intent.CHANGE_ITEM
    if intent is Intent.CHANGE_ITEM and named_items and _ordered_first(lexicon, norm):
        intent = Intent.ADD_ITEMS  # "a cheeseburger and fries, make the fries large": one order
    fields: dict[str, Any] = {}
    details = guess.details
    lines = tuple(order.lines)
    refs: list[tuple[int, int, Ref]] = []
    fixed = tokens
    if (
        intent is Intent.UNKNOWN
        or (intent is Intent.DENY and conversation and len(tokens) > 2)
        or (intent is Intent.ADD_ITEMS and conversation and not order.lines)
    ) and group_edit(lexicon, tokens):
        # "light on the rice for both", "no beans on mine", "i'd like the rice light" (nothing
        # ordered: the amount of the line's rice)
        intent = Intent.CHANGE_ITEM
    if intent in _REFERRING and (conversation or intent is not Intent.ADD_ITEMS):
        # The tokens as the grammar corrected them ("cheesburgers"), for the references.
        spans = scan(lexicon, tokens)
        fixed = " ".join(span.text for span in spans).split()
        if names and len(fixed) == len(tokens):
            # "no olives on Sam's": a name is never a misspelled menu word ("sams", "ham")
            fixed = [t if _someone(t, names) else f for t, f in zip(tokens, fixed, strict=True)]
        refs = find_refs(lexicon, fixed)
        masked = _dishes_masked(spans)
        follow_up = _in_conversation(lexicon, intent, norm, fixed, refs, order, masked, names)
        if intent is Intent.ADD_ITEMS:
            # Read alone, the message is an order (what `restaurant parse` shows); after one,
            # it may edit it: the graph decides with the cart in view.
            fields["follow_up"] = follow_up if follow_up is not intent else None
            if ("each" in norm or "every" in norm or "per" in norm) and AND_WITH_EACH.match(norm):
                # "and with each cheeseburger too": the dish before, one for each of those,
                # an order (the graph counts them)
                fields["follow_up"] = None
        else:
            intent = follow_up
    if (
        intent is Intent.REMOVE_ITEMS
        and any(line.choices for line in lines)
        and _FROM_ITEM.search(_VERB_OFF.sub(r"\1", norm))
    ):
        # "take the onions off the burger": options removed from an item, not the item
        intent = Intent.CHANGE_ITEM
        lines = tuple(
            replace(
                line, choices=tuple(replace(c, exclude=True, qualifier=None) for c in line.choices)
            )
            for line in lines
        )
    elif intent is Intent.REMOVE_ITEMS:
        # "remove the large fries": the "remove" is not a "no" on the size
        lines = tuple(
            replace(line, choices=tuple(replace(c, exclude=False) for c in line.choices))
            for line in lines
        )
    if intent is Intent.ADD_ITEMS and len(lines) >= 2 and SAME_STUFF_LAST.search(norm):
        # "a chicken bowl with rice and beans, plus a steak burrito with the same stuff": the
        # last dish with what the one before it has (what it takes, and said itself first)
        lines = (*lines[:-1], with_the_same(lexicon, lines[-1], lines[-2]))
        fields["follow_up"] = None
    elif intent is Intent.ADD_ITEMS and len(lines) >= 2 and " same as " in norm:
        copied = _same_as_that(lexicon, tokens, lines)
        if copied is not None:
            lines = copied
            fields["follow_up"] = None
    if intent in (Intent.ADD_ITEMS, Intent.REMOVE_ITEMS, Intent.ASK_ITEM):
        fields["items"] = lines
        if intent is Intent.ADD_ITEMS:
            # "a large then, and a cheeseburger": options said for no dish (the one offered)
            fields["choices"] = tuple(order.loose_choices)
        fields["refers_to_last"] = bool(details.get("refers_to_last", False))
        if fields["refers_to_last"] and not order.lines:
            # "another one", "remove two of them": how many of the last line
            fields["quantity"] = order.loose_quantity
    elif intent is Intent.CHANGE_ITEM:
        if named_items and not details.get("refers_to_last"):
            fields["items"] = lines
        else:
            fields["refers_to_last"] = True
            fields["items"] = tuple(order.lines) if named_items else ()
            fields["choices"] = tuple(order.loose_choices)
            quantity = order.loose_quantity
            if quantity is None and len(order.lines) == 1 and order.lines[0].quantity_said:
                quantity = order.lines[0].quantity
            fields["quantity"] = quantity
    elif intent in (Intent.AFFIRM, Intent.UNKNOWN) and order.loose_choices and not order.lines:
        # "ok 1 small", "1 small" to a dish offered: taken, with its options
        fields["choices"] = tuple(order.loose_choices)
        fields["quantity"] = order.loose_quantity
    elif intent is Intent.BROWSE_MENU:
        fields["tags"] = tags_in(norm)
        fields["max_price"] = max_price_in(text)
        fields["exclude_allergens"] = allergens_in(norm)
        fields["query"] = _query(lexicon, tokens)
        fields["items"] = tuple(order.lines)
        if (fields["tags"] or fields["exclude_allergens"]) and fields["query"]:
            asked = fields["query"].split()
            if len(asked) > 1 and lexicon.lookup(asked, 0)[0] == len(asked):
                # "is there vegan pepperoni?", "do you do gluten free crust?": the menu's own
                # name of a dish or an option, no dietary search ("anything vegan?" is one)
                fields["tags"], fields["exclude_allergens"] = (), ()
    elif intent is Intent.PROVIDE_PHONE:
        fields["phone"] = details.get("phone")
    elif intent is Intent.PROVIDE_CODE:
        fields["code"] = details.get("code")
    elif intent in (Intent.ORDER_STATUS, Intent.CANCEL_ORDER):
        fields["order_number"] = details.get("order_number")
    edit_intent = fields.get("follow_up") or intent
    if edit_intent in _EDITS:
        fields["edit"] = read_edit(lexicon, fixed, _EDITS[edit_intent], names)
        edit = fields["edit"]
        if (
            edit.op == "remove"
            and edit.ref is None
            and edit.owner is not None
            and _ALL_THEIRS.search(norm)
        ):
            # "take off his stuff", "cancel her order": every line of theirs
            fields["edit"] = edit = replace(edit, ref=Ref(every=True, plural=True))
        grown, many = _units_added(lexicon, norm)
        if not grown and "extra" in text.lower():
            # (in the words as said: "only one extra, so two total" is not only "two total")
            grown, many = _units_added(lexicon, " ".join(tokenize(text)))
        if edit.op != "repeat" and grown:
            # ("take both extra sandwiches off": two of them)
            quantity = edit.quantity if edit.op == "change" else fields.get("quantity")
            fields["edit"] = replace(
                edit,
                ref=_not_by_extra(edit.ref),
                added=True,
                quantity=many or edit.quantity or quantity,
            )
    fields["inferred"] = order.inferred
    fields["counted"] = order.counted
    if order.paired and intent is Intent.ADD_ITEMS:
        fields["paired"] = tuple(order.paired)
    if intent is Intent.ADD_ITEMS:
        if "and" in fixed or "&" in fixed:
            refs = joined_refs(lexicon, fixed, refs)  # "give the bowl and the taco sour cream"
        fields["ref"] = next((ref for _, _, ref in refs if ref.named), None)
    if intent in (Intent.ASK_ITEM, Intent.BROWSE_MENU):
        fields["asking"] = asking_in(norm)
        if fields["asking"] == "dietary" and fields.get("items"):
            fields["items"] = _diet_asked(lexicon, norm, fields["items"])
        if (
            fields["asking"] == "dietary"
            and intent is Intent.BROWSE_MENU
            and not (fields["tags"] or fields["exclude_allergens"])
        ):
            fields["asking"] = "has"
        if not named_items:
            # "do you have tofu?": the options asked about, not the dish they were read onto
            fields["choices"] = tuple(
                dict.fromkeys(
                    [*order.loose_choices, *(c for line in order.lines for c in line.choices)]
                )
            )
        fields["ref"] = next((ref for _, _, ref in refs if ref.named or ref.pronoun), None)
        if tokens.count("extra") == 1 and _EXTRA_COST.search(norm):
            fields["choices"] = _not_extra(fields.get("choices", ()))
            fields["items"] = tuple(
                replace(line, choices=_not_extra(line.choices)) for line in fields["items"]
            )
        if fields["ref"] is None and details.get("refers_to_last") and not lines:
            fields["ref"] = Ref(pronoun=True)  # "how much?": what was just ordered
    if intent in (Intent.ADD_ITEMS, Intent.CHANGE_ITEM, Intent.REPEAT_ITEMS) and _DIGIT.search(
        text
    ):
        fields["bad_quantity"] = _bad_quantity(lexicon, text)
    if intent in (Intent.CHECKOUT, Intent.ADD_ITEMS):
        fields["order_type"] = order_type_in(norm)
        fields["address"] = address_in(text, bare=intent is Intent.CHECKOUT)
    if conversation and intent is Intent.UNKNOWN and handed_out(tokenize(text), names):
        # "for me, Rita and Paul" after three espressos: who each is for
        intent, fields["edit"] = Intent.CHANGE_ITEM, Edit(op="change")
    looks_for_dish = intent in (
        Intent.ADD_ITEMS,
        Intent.ASK_ITEM,
        Intent.BROWSE_MENU,
        Intent.REMOVE_ITEMS,
        Intent.CHANGE_ITEM,
    )
    return Reading(
        text=text,
        intent=intent,
        confidence=guess.confidence,
        # "for the boys": a person, not a dish the menu lacks
        unknown=tuple(w for w in order.unknown if not _someone(w, names)) if looks_for_dish else (),
        **fields,
    )
