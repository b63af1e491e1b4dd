"""The order grammar: which items a message names, how many, and which options go with each.

Reading happens in two steps. `scan` cuts the tokens into spans (a menu phrase, a number, a
qualifier, a negation, ...), longest phrase first. `parse_order` then walks the spans once,
opening an order line at each quantity or item noun and attaching each option to the item it
belongs to: options said before the noun ("large thin crust pizza") wait for it, options said
after it ("pizza with ham") join it, and an option the item does not take goes to the nearest
item that does ("a pizza and a coke with extra cheese"). A count is split over the lines said
after it ("two pizzas: first with ham, second with olives", "two footlongs, turkey and ham"),
a second choice of a one-only group starts a second item ("medium cheese and small pepperoni"),
and options of no dish in particular ("two small drinks") or of a dish the menu lacks ("a large
sprite") are not given to the item next to them.

Every rule reads a shape of sentence, never a sentence: tests/unit/test_nlu_grammar.py holds
the hand-written orders they were checked against (orders_human*.jsonl) and the ones still read
wrong, with why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from graph.nlu.lexicon import Entry, Lexicon, OptionRef
from graph.nlu.people import is_person
from graph.nlu.reading import Choice, OrderLine, Qualifier
from graph.nlu.words import (
    ARTICLES,
    COMMON_WORDS,
    DISH_NOUNS,
    DRINK_HEADS,
    GRAMMAR,
    GRAMMAR_FROM,
    MEASURES,
    MEASURES_OF,
    ORDINALS,
    SPREAD,
    SUBSTITUTE_HEADS,
    TOKEN_FIXES,
    VAGUE,
    VAGUE_UNITS,
    Kind,
    is_count,
)

_MENU = "menu"
# "all with bacon except one", "on all but one": the units left out of what all of them have
_EXCEPT = frozenset({"except", "but"})
_ALL = frozenset({"everything", "the works", "with the works", "all the toppings", "all toppings"})
_COUNTS = frozenset({"a", "an", "one", "two", "three", "1", "2", "3"})
_OF_THEM = frozenset({"of them", "of those", "of these", "of em"})
# "pepperoni on the whole pie", "half the pizza with ham": the dish of the line, named again
_SAME_DISH = frozenset(
    {"on the whole", "the whole", "on the entire", "the entire", "whole", "the", "half the"}
)
# Prepositions before an option said with an article: "on a pretzel bun", "in a cup".
_PLACES = frozenset({"on", "in"})
# Said between an option and an amount for it: "put oregano on it, but just a little".
_ASIDES = frozenset({",", "on it", "in it", "please", "but"})
# "bbq to dip", "ranch for dipping": how an option is to be used, before its group's word.
_TO_USE = frozenset({"to", "for"})
# Where a sentence ends, or a name's colon: "Sam: large meat lovers. Ana: medium vegan".
_ENDS = frozenset({".", "!", ";", ":"})
_BREAKS = frozenset({",", "and", ".", "please", "plus", ":"})
_MEAT_WORDS = frozenset({"meat", "meats", "protein", "proteins"})
# The verbs after a count of people that say what they want ("the two interns want burgers")
_THEY_WANT = frozenset({"want", "wanna", "need", "get"})
# What someone named wants, said before it ("wife wants medium neapolitan")
_SOMEONE_WANTS = frozenset({"wants", "needs", "gets", "likes", "prefers"})
_TOPPINGS = frozenset({"toppings", "topping", "the toppings", "extra toppings"})
_AGAIN = frozenset({"another", "another one", "one more", "one more of"})
_SIDE_PAIRS = frozenset({"chips", "guac", "guacamole", "queso", "queso blanco"})
_EACH_ONE = frozenset(
    {
        "on one",
        "on the other",
        "on the other one",
        "on one of them",
        "on one of those",
        "for one of them",
        "on the second",
        "on the second one",
        "for one",
        "for the other",
        "for the other one",
    }
)


@dataclass(slots=True)
class Span:
    """A run of tokens read as one unit."""

    start: int
    end: int
    kind: Kind | str  # a grammar `Kind`, "menu" for a menu phrase, "word" for anything else
    entry: Entry | None = None
    value: object = None
    text: str = ""


def _number(token: str) -> int | None:
    if token.isdigit() and len(token) <= 3 and int(token) > 0:
        return int(token)
    return None


def _rewrite(lexicon: Lexicon, toks: list[str]) -> list[str]:
    """Spell option pairs out: "salt and pepper" is salt and black pepper at a sub shop."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        for said, meant in lexicon.rewrites.get(toks[i], ()):
            if tuple(toks[i : i + len(said)]) == said:
                out.extend(meant)
                i += len(said)
                break
        else:
            out.append(toks[i])
            i += 1
    return out


def _dish_kinds(lexicon: Lexicon, toks: list[str], at: int) -> list[str]:
    """ "vanilla, chocolate or strawberry shake" with the conjunction at `at`: the tokens with
    the dish noun said after each kind, when each kind and the noun name a dish of its own
    ("vanilla shake", "strawberry shake"); else as they are ("ham and cheese sub" is one dish,
    "pepperoni and mushroom pizza" one pizza with both)."""
    if at + 2 >= len(toks):
        return toks
    head = toks[at + 2]
    kinds = [at - 1, at + 1]
    while kinds[0] >= 2 and toks[kinds[0] - 1] == ",":
        kinds.insert(0, kinds[0] - 2)
    dishes = []
    for k in kinds:
        entry = lexicon.phrases.get((toks[k], head))
        if entry is None or len(entry.items) != 1 or entry.options:
            return toks
        if k != kinds[-1] and lexicon.lookup(toks, k)[0] > 1:
            return toks  # a name of its own runs on past the kind
        dishes.append(entry.items[0])
    if len(set(dishes)) != len(dishes):
        return toks
    out = list(toks)
    for k in reversed(kinds[:-1]):
        out.insert(k + 1, head)
    return out


def _distribute(lexicon: Lexicon, toks: list[str]) -> list[str]:
    """ "Pinto and black beans", "mild or hot salsa": the shared noun said once is meant twice."""
    if "and" not in toks and "or" not in toks:
        return toks  # both readings below stand on the "and" or "or"
    phrases = lexicon.phrases
    for at in range(1, len(toks) - 2):
        if toks[at] in ("and", "or") and (toks[at + 1], toks[at + 2]) in phrases:
            found = _dish_kinds(lexicon, toks, at)
            if found is not toks:
                toks = found
                break
    i = 0
    while i + 3 < len(toks):
        if toks[i + 1] not in ("and", "or"):
            i += 1
            continue
        a, conj, b, head = toks[i : i + 4]
        if conj in ("and", "or") and (a, head) in phrases and (b, head) in phrases:
            entry = phrases[(a, head)]
            # "salsa with corn and spicy salsa": "corn" already ends a phrase of its own
            inside = any(j >= 0 and j + lexicon.lookup(toks, j)[0] > i for j in range(i - 3, i))
            if not inside and entry.options and not entry.items and phrases.get((a,)) != entry:
                toks = [*toks[: i + 1], head, *toks[i + 1 :]]
                i += 4
                continue
        if (
            i + 4 < len(toks)
            and conj == "and"
            and b in _COUNTS
            and (i == 0 or toks[i - 1] in _COUNTS)
            and (a,) not in phrases
            and (a, toks[i + 4]) in phrases
            and (toks[i + 3], toks[i + 4]) in phrases
            and phrases[(a, toks[i + 4])].items
            and phrases[(toks[i + 3], toks[i + 4])].items
        ):
            # "a chocolate and a vanilla shake": two dishes, the noun said once
            toks = [*toks[: i + 1], toks[i + 4], *toks[i + 1 :]]
            i += 5
            continue
        i += 1
    return toks


def _names_option(lexicon: Lexicon, toks: list[str], at: int) -> bool:
    """Whether the menu phrase at `at` names options only (no dish)."""
    found, entry = lexicon.lookup(toks, at)
    return bool(found) and entry is not None and bool(entry.options) and not entry.items


# The last message scanned: `read` scans a message twice (for its order lines and for its
# references). One entry, replaced whole, so threads sharing it only ever miss.
_last_scan: tuple[Lexicon, tuple[str, ...], tuple[Span, ...]] | None = None


def scan(lexicon: Lexicon, tokens: list[str]) -> list[Span]:
    """Cut tokens into spans, correcting misspelled menu words on the way."""
    global _last_scan
    key = tuple(tokens)
    last = _last_scan
    if last is not None and last[0] is lexicon and last[1] == key:
        return list(last[2])  # spans are never changed in place, the list may be
    spans = _scan(lexicon, tokens)
    _last_scan = (lexicon, key, tuple(spans))
    return spans


def _scan(lexicon: Lexicon, tokens: list[str]) -> list[Span]:
    known = lexicon.known
    toks = list(tokens)
    if lexicon.rewrites and any(t in lexicon.rewrites for t in toks):
        toks = _rewrite(lexicon, toks)
        tokens = toks
    phrases = lexicon.phrases
    for i, tok in enumerate(toks):
        if tok in TOKEN_FIXES and (tok,) not in phrases:
            toks[i] = tok = TOKEN_FIXES[tok]
        if tok not in known and tok.isalpha():
            before = phrases.get((toks[i - 1],)) if i else None
            fixed = lexicon.correct(tok, dish=before is not None and not before.items)
            if fixed is None and i + 1 < len(toks):
                fixed = lexicon.correct_before(tok, toks[i + 1])  # "blk beans"
            if fixed is not None:
                toks[i] = fixed
        elif tok in lexicon.respell and (
            (
                i + 1 < len(toks)
                and (tok, toks[i + 1]) not in lexicon.openings
                and (lexicon.respell[tok], toks[i + 1]) in lexicon.openings
            )
            or (
                i
                and (toks[i - 1], tok) not in lexicon.pairs
                and (toks[i - 1], lexicon.respell[tok]) in lexicon.pairs
            )
        ):
            toks[i] = lexicon.respell[tok]  # "burito bowl", "double cheesburger"
        elif i and tok in lexicon.partial and (toks[i - 1], tok) not in phrases:
            # "green pepers": a word the menu knows only inside another name ("dr pepers")
            # is a typo here when its correction joins the word before into a name.
            fixed = lexicon.correct(tok, force=True)
            if fixed is not None and (toks[i - 1], fixed) in phrases:
                toks[i] = fixed
    toks = _distribute(lexicon, toks)
    if len(toks) != len(tokens):
        tokens = toks
    spans: list[Span] = []
    n = len(toks)
    i = 0
    with_since_num = False  # "one with caramel one with vanilla": each "one" counts
    # "the tomatillo red one": the first words of one thing's name, then "one"
    ones = _next_one(toks) if "one" in toks or "ones" in toks else None
    while i < n:
        m_len, entry = lexicon.lookup(toks, i)
        if ones is not None:
            end = ones[min(i + max(m_len, 1) + 1, n)]
            if end < n and end - i < lexicon.max_len:
                begun = lexicon.starts.get(tuple(toks[i:end]))
                if begun is not None:
                    m_len, entry = end - i, begun
        longest = lexicon.dish_starts.get(toks[i], 0)
        for stop in range(min(n, i + longest), i + max(m_len, 2), -1):
            # "a white chip macadamia" for the white chip macadamia nut: three or more of the
            # first words of one dish's name, and no more of it
            begun = lexicon.starts.get(tuple(toks[i:stop]))
            if begun is not None and begun.items and not begun.options:
                m_len, entry = stop - i, begun
                break
        g_len = 0
        g_kind: tuple[Kind, object] | None = None
        top = min(n, i + GRAMMAR_FROM.get(toks[i], 0))
        for stop in range(top, i, -1):
            found = GRAMMAR.get(tuple(toks[i:stop]))
            if found is not None:
                g_len, g_kind = stop - i, found
                break
        if g_len > 1 and g_kind is not None and g_kind[0] is Kind.NUM:
            # "a bottle of coke": a menu phrase starting inside the grammar phrase and reaching
            # its end ("bottle of") is worth more than the grammar phrase.
            for j in range(i + 1, i + g_len):
                inner, _ = lexicon.lookup(toks, j)
                if inner and j + inner >= i + g_len:
                    g_len, g_kind = 0, None
                    for stop in range(j, i, -1):
                        found = GRAMMAR.get(tuple(toks[i:stop]))
                        if found is not None:
                            g_len, g_kind = stop - i, found
                            break
                    break
        num = _number(toks[i])
        if spans:
            if spans[-1].kind is Kind.NUM:
                with_since_num = False
            elif spans[-1].kind is Kind.WITH:
                with_since_num = True
        if toks[i] == "more" and spans and spans[-1].kind is Kind.NUM and i + 1 < n:
            # "1 more chicken bowl", "2 more cokes": how many more of the dish, not extra chicken
            spans.append(Span(i, i + 1, Kind.FILLER, None, None, "more"))
            i += 1
            continue
        after = i + max(g_len, 1)
        if (
            (num is not None or (g_kind is not None and g_kind[0] is Kind.NUM))
            and m_len <= 1
            and after < n
            and (
                (toks[after] in MEASURES and not lexicon.lookup(toks, after)[0])
                or (toks[after] in MEASURES_OF and after + 1 < n and toks[after + 1] == "of")
            )
        ):
            # "2 pumps of vanilla": a count of an option, not of items (but "a sugar free
            # lemonade" or "a liter of coke" count what the measure word starts to name).
            stop = after + 1
            spans.append(Span(i, stop, Kind.FILLER, None, None, " ".join(toks[i:stop])))
            i = stop
            continue
        if (
            m_len > 1
            and (num is not None or (g_kind is not None and g_kind[0] is Kind.NUM))
            and toks[i + m_len - 1] in MEASURES_OF
            and i + m_len + 1 < n
            and toks[i + m_len] == "of"
            and _names_option(lexicon, toks, i + m_len + 1)
        ):
            # "2 shots of vanilla": "2 shots" is also an option (two espresso shots), but here
            # it counts the option after it.
            stop = i + m_len + 1
            spans.append(Span(i, stop, Kind.FILLER, None, None, " ".join(toks[i:stop])))
            i = stop
            continue
        if (
            toks[i] == "one"
            and spans
            and _is_opt(spans[-1])
            and m_len == 0
            and not with_since_num
            and not _after_both(spans)
            and (i + 1 == n or lexicon.lookup(toks, i + 1)[0] == 0)
            and not (
                # "one pepperoni one plain cheese": the "one" before an adjective and an option
                # counts
                i + 2 < n and (toks[i + 1],) not in GRAMMAR and lexicon.lookup(toks, i + 2)[0] > 0
            )
        ):
            # "a large one with ham": "one" stands for the item, it does not count it
            spans.append(Span(i, i + 1, Kind.HEAD, None, None, "one"))
            i += 1
        elif num is not None and m_len <= 1 and g_len <= 1:
            spans.append(Span(i, i + 1, Kind.NUM, None, num, toks[i]))
            i += 1
        elif (
            m_len == 1
            and entry is not None
            and not entry.items
            and spans
            and (spans[-1].kind is Kind.NUM or spans[-1].kind == _MENU)
            and _counted(spans)
            and not lexicon.lookup(toks, i + 1)[0]
            and (named := _kind_of_last(spans, toks[i], lexicon, dishes=False)) is not None
        ):
            # "3 pizzas: a small cheese, ...": an option word said for the dish noun said once
            # before, where the two make a dish's name (the cheese pizza)
            spans.append(Span(i, i + 1, _MENU, lexicon.phrases[named], None, " ".join(named)))
            i += 1
        elif m_len and (
            m_len > g_len or (m_len == g_len and g_kind is not None and g_kind[0] is not Kind.QUAL)
        ):
            stop = i + m_len
            if entry is not None and len(entry.items) == 1 and stop < n:
                # "sweet potatoe fries": the dish's own last word, not another dish
                tail, own = lexicon.lookup(toks, stop)
                if (
                    tail
                    and own is not None
                    and own.items
                    and lexicon.ends_name(entry.items[0], toks[stop : stop + tail])
                ):
                    stop += tail
            spans.append(Span(i, stop, _MENU, entry, None, " ".join(toks[i:stop])))
            i = stop
        elif g_kind is not None:
            alt = entry if m_len == g_len else None
            text = " ".join(toks[i : i + g_len])
            spans.append(Span(i, i + g_len, g_kind[0], alt, g_kind[1], text))
            i += g_len
        elif (
            i + 1 < n
            and toks[i + 1] in ("one", "ones")
            and (named := _kind_of_last(spans, toks[i], lexicon)) is not None
        ):
            # "two chocolate shakes and a strawberry one": the strawberry shake
            spans.append(Span(i, i + 2, _MENU, lexicon.phrases[named], None, " ".join(named)))
            i += 2
        elif (
            _counted(spans)
            and not lexicon.lookup(toks, i + 1)[0]
            and (named := _kind_of_last(spans, toks[i], lexicon)) is not None
        ):
            # "three vanilla shakes and one strawberry", "a large chocolate shake and a medium
            # vanilla": the dish noun said once for both
            spans.append(Span(i, i + 1, _MENU, lexicon.phrases[named], None, " ".join(named)))
            i += 1
        elif (
            (kind_at := i + 2 if i + 1 < n and toks[i + 1] == "," else i + 1) < n
            and (kind_first := (toks[kind_at], toks[i])) in phrases
            and phrases[kind_first].items
            and not lexicon.lookup(toks, kind_at)[0]
            and (kind_at + 1 == n or toks[kind_at + 1] in _BREAKS)
        ):
            # "a large shake, chocolate", "large shake chocolate": the kind said after the
            # dish noun, at the end of its clause
            entry = phrases[kind_first]
            spans.append(Span(i, kind_at + 1, _MENU, entry, None, " ".join(kind_first)))
            i = kind_at + 1
        else:
            spans.append(Span(i, i + 1, "word", None, None, tokens[i]))
            i += 1
    return spans


def _next_one(toks: list[str]) -> list[int]:
    """For each position, where the next "one" or "ones" is (len(toks) when none follows)."""
    out = [len(toks)] * (len(toks) + 1)
    for j in range(len(toks) - 1, -1, -1):
        out[j] = j if toks[j] in ("one", "ones") else out[j + 1]
    return out


def _after_both(spans: list[Span]) -> bool:
    """Whether the spans end with "both" and options ("both large": a "one" after it counts)."""
    for span in reversed(spans):
        if span.kind is Kind.NUM:
            return span.text == "both"
        if not _is_opt(span):
            return False
    return False


def _counted(spans: list[Span]) -> bool:
    """Whether the spans end with a count and options only ("one", "a medium")."""
    for span in reversed(spans):
        if span.kind is Kind.NUM:
            return isinstance(span.value, int)
        if not (_is_opt(span) and span.entry is not None and not span.entry.items):
            return False
    return False


def _kind_of_last(
    spans: list[Span], word: str, lexicon: Lexicon, *, dishes: bool = True
) -> tuple[str, str] | None:
    """The dish "<word> one" names: the word before the last word of a dish noun said before
    ("a vanilla shake and a chocolate one"; "2 cookies: a macadamia and an oatmeal"); with
    `dishes` false, only of a noun that is no dish alone ("pizzas" where each pizza has a name)."""
    for span in reversed(spans):
        if (dishes and span.kind == _MENU and span.entry is not None and span.entry.items) or (
            span.kind == "word" and span.text in lexicon.partial
        ):
            # a dish noun, or a word the menu uses only inside dish names ("two shakes, one
            # chocolate and one vanilla")
            name = (word, span.text.split()[-1])
            found = lexicon.phrases.get(name)
            if found is not None and found.items:
                return name
    return None


@dataclass(slots=True)
class _Said:
    """An option as said: the phrase's possible options, its amount and whether it is left off."""

    refs: tuple[OptionRef, ...]
    qualifier: Qualifier | None
    exclude: bool
    at: int  # span index, to know which options sit right before an item noun


@dataclass(slots=True)
class _Line:
    item: str | None = None
    quantity: int = 1
    said: bool = False  # an explicit number ("one", "2"), not an article
    vague: bool = True  # an article or "a few": may still talk about the previous item
    choices: list[tuple[OptionRef, _Said]] = field(default_factory=list)
    pending: list[_Said] = field(default_factory=list)  # said before any item noun
    loose: list[_Said] = field(default_factory=list)  # said after an item that does not take it
    with_said: bool = False
    inferred: bool = False
    both: bool = False  # opened by "both": options for the two lines before
    bare_without: bool = False  # "and one without": a "no" with nothing after it
    marks: list[int] = field(default_factory=list)  # spans of "on one", "on the other"
    item_at: int = -1  # span index of the item noun
    again: bool = False  # "another one", "and one for my wife": the line before, once more
    pronoun: bool = False  # "a steak one": another of the item next to it, not more options
    paired: bool = False  # "chips and guac": two sides said as one, already joined
    drink: bool = False  # "a large soda": options of some drink, not of the item next to it
    unknown_head: bool = False  # "a large sprite" with no sprite: options of an unknown dish
    heads: bool = False  # "two footlongs, ...": counted by a generic noun before the dish
    counted: bool = False  # opened by a number or an article
    article: bool = False  # opened by "a" or "an"
    plain: bool = False  # "one with no toppings": not the toppings of the line it is carved from
    refused: bool = False  # "no macadamia, one raspberry cheesecake": a dish not wanted
    joined_at: int = -1  # span of its count, when said right after "and" or "plus"
    # "4 burgers, all with bacon except one": the spans between which the options it does not
    # share with the others were said
    excepted: tuple[int, int] | None = None


@dataclass(slots=True)
class OrderParse:
    """What the grammar found: order lines, plus what was said without naming an item."""

    lines: list[OrderLine]
    loose_choices: list[Choice]  # options said with no item ("make that large")
    loose_quantity: int | None  # a quantity with no item ("actually 3 of them")
    unknown: list[str]  # words that matched nothing on the menu
    menu_spans: int  # how many spans were menu phrases
    inferred: bool  # some line's item was inferred from its options alone
    counted: bool  # a number or an article was said ("a decaf" vs "decaf please")
    paired: list[str] = field(default_factory=list)  # items read into a pair ("chips" and guac)


def _instead_next(spans: list[Span], k: int) -> bool:
    """Whether "instead" closes what follows a comma at k ("no ham, mushrooms instead")."""
    for span in spans[k + 1 : k + 5]:
        if span.text.endswith("instead") or span.text.startswith("instead"):
            return True
        if span.kind is Kind.AND:
            return False
    return False


# Verbs that open a clause of their own after a "no" list: "no chipotle, do caesar",
# "no mayo, put mustard on it", "no onions, let's try peppers".
_PUT_ON = frozenset({"do", "put", "use", "try", "throw", "lets", "let's", "go"})


def _puts_on(span: Span) -> bool:
    """Whether span is a verb that puts an option on, said after a comma."""
    return span.kind in (Kind.FILLER, "word") and span.text in _PUT_ON


def _for_whom(between: Sequence[Span]) -> bool:
    """ "americanos for the table, 4": whom the dish is for, set apart before its count."""
    return (
        len(between) > 2
        and between[0].text in ("for", "to")
        and between[-1].text == ","
        and all(b.kind in (Kind.FILLER, "word") for b in between[1:-1])
    )


def _is_opt(span: Span) -> bool:
    return span.kind == _MENU and span.entry is not None and bool(span.entry.options)


def _item_follows(spans: list[Span], k: int) -> bool:
    """Whether a pure item noun comes right after span k, past options and amounts only."""
    for span in spans[k + 1 :]:
        if span.kind == _MENU and span.entry is not None:
            if span.entry.items and not span.entry.options:
                return True
            if span.entry.items:
                return False
            continue
        if span.kind in (Kind.QUAL, Kind.FILLER, Kind.HEAD):
            continue
        return False
    return False


def _after_all(spans: list[Span], k: int) -> bool:
    """Whether span k comes right after "everything" or "the works", past fillers only."""
    for span in reversed(spans[:k]):
        if span.kind in (Kind.FILLER, Kind.WITH):
            continue
        return span.text in _ALL
    return False


# What may follow an amount said after its option: plain words ("cheddar, and lots of it") and
# "extra on both"; another word is what the amount is of ("pepperoni, extra crispy")
_AFTER_AN_AMOUNT = COMMON_WORDS | {"on both"}


def _phrase_ends(spans: list[Span], k: int) -> bool:
    """Whether nothing but fillers comes between span k and the next break."""
    for span in spans[k + 1 :]:
        if span.kind is Kind.FILLER:
            continue
        return span.kind in (Kind.AND, Kind.STOP)
    return True


_WHOSE = ARTICLES | {"the", "that", "my", "his", "her", "their"}


def _on_dish(spans: list[Span], k: int) -> int:
    """Where the words after span k end that only say which dish ("extra on the latte", "light
    for the bowl"): that dish's span, or k itself."""
    if k + 1 >= len(spans) or spans[k + 1].text not in ("on", "for", "in"):
        return k
    for j in range(k + 2, len(spans)):
        span = spans[j]
        if span.kind is Kind.FILLER and span.text in _WHOSE:
            continue
        if span.kind == _MENU and span.entry is not None and span.entry.items:
            return j if not span.entry.options else k
        return k
    return k


def _opt_follows(spans: list[Span], k: int) -> bool:
    for span in spans[k + 1 :]:
        if span.kind in (Kind.FILLER,):
            continue
        return _is_opt(span)
    return False


class _Reader:
    """One pass over the spans of a message; not shared between threads."""

    def __init__(self, lexicon: Lexicon, spans: list[Span]) -> None:
        self.lex = lexicon
        self.spans = spans
        self.lines: list[_Line] = []
        self.cur = _Line()
        self.neg = False
        self.qual: Qualifier | None = None
        # "extra rice (white)": the amount, the groups of the word, whether "on" was said and
        # the word
        self.held: tuple[Qualifier, frozenset[str], bool, str] | None = None
        self.with_scope = False
        self.neg_hit = False  # the current "no" has excluded an option already
        self.neg_list = False  # ... and a comma or "and" has come since
        self.neg_one = False  # the "no" is one entry of a comma list of options
        self.listing = False  # after "three pizzas:", each "a ..." is one of them
        self.last_said: _Said | None = None
        self.unknown_at = -1
        self.unknown: list[str] = []
        self.spread = False  # "... on either": the last line's options go on every line
        self.paired: list[str] = []  # items a pair took in ("chips" of "chips and guac")
        self.spread_from = -1  # ... those said after this span
        self.spread_at = -1  # ... the span of the word that says it ("all", "either")
        self.header: _Line | None = None  # "2 cookies:", a count the lines after it spell out
        self.header_colon = False  # ... said before a colon
        self.heading: _Line | None = None  # "coffee run:", a dish heading the list after it
        self.heading_words = (0, 0)  # ... the unknown words said with it (from, to)
        self.heading_sentence = False  # ... ended by a sentence's end, not a colon
        self.item_unknown = 0  # how many unknown words came before the last item noun

    def _forget(self, said: _Said) -> None:
        for line in (*self.lines, self.cur):
            line.choices = [c for c in line.choices if c[1] is not said]
            line.pending = [s for s in line.pending if s is not said]
            line.loose = [s for s in line.loose if s is not said]

    def close(self) -> None:
        """End the current line (if it holds anything) and open a new one."""
        cur = self.cur
        if (
            cur.item is not None
            or cur.pending
            or cur.loose
            or cur.choices
            or cur.again
            or cur.bare_without
            or cur.plain
            or cur.excepted is not None
        ):
            self.lines.append(cur)
        self.cur = _Line()

    def run(self) -> None:
        """Walk the spans once, building the order lines."""
        spans = self.spans
        skip_next = False
        for k, span in enumerate(spans):
            if skip_next:
                skip_next = False
                continue
            kind = span.kind
            if kind == _MENU:
                self.menu(k, span)
            elif kind is Kind.NUM:
                prev = spans[k - 1] if k else None
                nxt = spans[k + 1] if k + 1 < len(spans) else None
                if (
                    prev is not None
                    and prev.kind is Kind.WITH
                    and self.cur.item is not None
                    and nxt is not None
                    and _is_opt(nxt)
                    and not (nxt.entry is not None and nxt.entry.items)
                ):
                    continue  # "a coffee with 2 creams": a count of an add-in, not of coffees
                if (
                    span.text in ARTICLES
                    and prev is not None
                    and prev.text in _PLACES
                    and k >= 2
                    and (self.cur.item is not None or self.cur.pending or self.cur.counted)
                    and _opt_follows(spans, k)
                ):
                    # "a burger on a pretzel bun", "on a thin crust": the article names the
                    # option the dish is served on, it counts no new dish
                    continue
                if (
                    span.text == "both"
                    and nxt is not None
                    and nxt.text in _OF_THEM
                    and k + 3 < len(spans)
                    and spans[k + 2].text in _PLACES
                    and spans[k + 3].text in ARTICLES
                ):
                    continue  # "put both of those in a latte": the options, one dish
                if (
                    nxt is not None
                    and nxt.text in _OF_THEM
                    and isinstance(span.value, int)
                    and self.cur.item is not None
                    and not self.cur.said
                ):
                    # "steak tacos, three of them": how many of the line just said
                    self.cur.quantity = span.value
                    self.cur.said = True
                    continue
                if (
                    prev is not None
                    and prev.text == ","
                    and (nxt is None or nxt.kind in (Kind.AND, Kind.STOP))
                    and is_count(span.text)
                    and isinstance(span.value, int)
                    and self.cur.item is not None
                    and not self.cur.said
                    and (
                        all(
                            _is_opt(between) or between.text == ","
                            for between in spans[self.cur.item_at + 1 : k]
                        )
                        or _for_whom(spans[self.cur.item_at + 1 : k])
                    )
                ):
                    # "tacos, 3, chicken", "tiramisu, two", "pizza neapolitan, one, size small":
                    # a count set apart after the dish (and its options)
                    self.cur.quantity = span.value
                    self.cur.said = True
                    continue
                if (
                    prev is not None
                    and prev.text in ("of", "for", "are")
                    and nxt is not None
                    and nxt.text in (".", "!", ";")
                    and k + 2 < len(spans)
                    and self.cur.item is None
                    and not self.cur.pending
                ):
                    continue  # "lunch for my crew of 5. a tuna for Al, ...": the party, no count
                after = spans[k + 2] if k + 2 < len(spans) else None
                if (
                    nxt is not None
                    and nxt.kind == "word"
                    and is_person(nxt.text)
                    and (after is None or after.kind in (Kind.STOP, Kind.AND))
                    # ("the two interns want cheeseburgers": what they want, one each)
                    and not (after is not None and after.text in _THEY_WANT)
                ):
                    continue  # "ordering for me and two coworkers.": how many people, no dishes
                excepted = self._all_but(k)
                self.number(span)
                self.cur.excepted = excepted
            elif kind is Kind.QUAL:
                if span.entry is not None and span.entry.options and not _opt_follows(spans, k):
                    self.menu(k, Span(span.start, span.end, _MENU, span.entry, None, span.text))
                elif saids := self._amount_after(k):
                    # "cheese, extra", "oregano on it, but just a little", "oil and vinegar,
                    # light on both": an amount said after its option
                    for said in saids:
                        said.qualifier = "extra" if span.value == "extra" else "light"
                else:
                    self.qual = "extra" if span.value == "extra" else "light"
                    self.neg = False  # "no onions, extra pickles": an amount ends the "no"
            elif kind is Kind.NEG and span.text == "except" and self._bare_before(k):
                # "plain except ketchup", "nothing except mustard": the one option it has,
                # not one left off
                self.neg = False
                self.with_scope = True
            elif kind is Kind.NEG:
                self.neg = True
                self.neg_hit = False
                self.neg_list = False
                # "provolone, lettuce, no olives, oil and vinegar": a "no" that is one entry of
                # a comma list of options leaves off only that entry
                self.neg_one = (
                    k >= 2
                    and spans[k - 1].text == ","
                    and spans[k - 2].kind in (_MENU, "word")
                    and k - 2 != self.cur.item_at
                    and not (self.last_said is not None and self.last_said.exclude)
                ) or (
                    # "no cheese and no sour cream, brown rice": a "no" said again for each
                    # option leaves off only its own
                    k >= 2
                    and spans[k - 1].kind is Kind.AND
                    and self.last_said is not None
                    and self.last_said.exclude
                    and self.last_said.at == k - 2
                )
                self.with_scope = True
                nxt = spans[k + 1] if k + 1 < len(spans) else None
                if nxt is None or nxt.kind in (Kind.AND, Kind.STOP, Kind.NUM):
                    self.cur.bare_without = True
                elif nxt.kind is Kind.WITH and nxt.text in _TOPPINGS:
                    self.cur.plain = True  # "no toppings"
            elif (
                kind is Kind.HEAD
                and span.text in SUBSTITUTE_HEADS
                and self.neg
                and self.last_said is not None
                and (
                    self.last_said.at == k - 1
                    or (self.last_said.at == k - 2 and spans[k - 1].text == ",")
                )
            ):
                # "no cheese sub jalapenos": "sub" swaps an option in, it names no sandwich
                self.neg = False
                self.with_scope = True
            elif kind is Kind.HEAD and span.text in ("one", "ones") and self.cur.item is None:
                self.cur.pronoun = True
            elif kind is Kind.HEAD and span.text in DRINK_HEADS and self.cur.item is None:
                self.cur.drink = True
                self.cur.heads = self.cur.said and self.cur.quantity > 1
            elif kind is Kind.HEAD and self.cur.item is None and not self.cur.pending:
                # "two footlongs, turkey and ham": a count of generic nouns
                self.cur.heads = self.cur.said and self.cur.quantity > 1
            elif kind in (Kind.FILLER, "word") and span.text in ORDINALS and self._counts_one(k):
                span = spans[k] = Span(span.start, span.end, Kind.NUM, None, 1, span.text)
                self.number(span)
            elif kind is Kind.FILLER and span.text in SPREAD:
                # "three pizzas, all with pepperoni" says it of the one line
                if self.lines and not self.spread:
                    self.spread = True
                    self.spread_at = k
                    # the options shared are said after the break before this word
                    self.spread_from = next(
                        (j for j in range(k - 1, -1, -1) if spans[j].kind in (Kind.AND, Kind.STOP)),
                        -1,
                    )
            elif kind is Kind.FILLER and span.text in _EACH_ONE and self.cur.item is not None:
                # "pepperoni on one and sausage on the other": one of the line's items each
                self.cur.marks.append(k)
            elif (
                kind is Kind.AND
                and span.text == ","
                and not self.neg
                and self.cur.item is not None
                and self.cur.said
                and self.cur.quantity > 1
                and all(said.at < self.cur.item_at for _, said in self.cur.choices)
                and not self.cur.loose
                and not (self.listing and self.header_colon)
            ):
                # "two pizzas, a large pepperoni and a medium cheese", "3 large pizzas, a
                # cheese, a margherita and ...": the count, one by one (but "3 cookies: 2
                # chocolate chip, 1 oatmeal" keeps the count before the colon)
                self.listing = True
                self.header = self.cur
                self.header_colon = False
            elif kind is Kind.AND and self.neg and self.neg_one and span.text == ",":
                self.neg = False
            elif kind is Kind.AND and self.qual is not None and not self.neg:
                self.qual = None  # "extra hot, with cream": the amount was for a word we lack
            elif kind is Kind.AND and self.neg and not self.neg_hit:
                # "no beans, mild salsa": the "no" took a word the menu does not know, and ends
                # with it rather than swallowing the list that follows.
                self.neg = False
            elif kind is Kind.AND and self.neg and _instead_next(spans, k):
                self.neg = False  # "no crumbles, honey instead": the honey goes on
            elif kind is Kind.AND and self.neg and k + 1 < len(spans) and _puts_on(spans[k + 1]):
                self.neg = False  # "no chipotle, do caesar": a verb of its own puts it on
            elif kind is Kind.AND and self.neg:
                self.neg_list = True
            elif kind is Kind.WITH:
                self.neg = False
                self.with_scope = True
                self.cur.with_said = True
            elif kind is Kind.STOP and span.text == "but" and _after_all(spans, k):
                # "everything but anchovies", "everything on it but the tomato"
                self.neg = True
                self.with_scope = True
            elif kind is Kind.STOP:
                self.neg = False
                self.qual = None
                self.held = None
                if span.text == ".":
                    self.with_scope = False
                if (
                    span.text in (".", "!")
                    and self.heading is None
                    and self.cur.item is not None
                    and not self.cur.counted
                    and not (self.cur.choices or self.cur.pending or self.cur.loose)
                ):
                    # "the kids want pizza. one small pepperoni and one small ham", "coffee run
                    # for the office! 4 large drip coffees, ...": a dish named uncounted before
                    # a sentence's end may head what the next sentences order
                    self.heading = self.cur
                    self.heading_sentence = True
                    self.heading_words = (self.item_unknown, len(self.unknown))
                    self.listing = False
                if span.text == ":" and self.cur.item is not None and self.cur.quantity > 1:
                    self.listing = True
                    self.header = self.cur
                    self.header_colon = True
                elif (
                    span.text == "."
                    and self.cur.item is not None
                    and self.cur.said
                    and self.cur.quantity > 1
                    and not (self.cur.choices or self.cur.pending or self.cur.loose)
                    and not self.listing
                    # (not the message's last stop, nor a count of a list already headed: "10
                    # cookies, 5 chocolate chip and 5 oatmeal raisin." keeps its header)
                    and k + 1 < len(spans)
                    and self.header is None
                ):
                    # "Two pizzas please. A large pepperoni for me, and a medium ...": a count
                    # of a dish said bare ends its sentence, the next one says them one by one
                    self.listing = True
                    self.header = self.cur
                    self.header_colon = False
                elif (
                    span.text == ":"
                    and self.cur.item is not None
                    and not self.cur.said
                    and not (self.cur.choices or self.cur.pending or self.cur.loose)
                ):
                    # "coffee run for the office: 2 lattes and an americano": a dish named
                    # uncounted before a colon may head the list after it (and the words said
                    # with it are no dishes)
                    self.heading = self.cur
                    self.heading_words = (self.item_unknown, len(self.unknown))
                elif (
                    span.text == ":"
                    and self.cur.item is None
                    and not self.cur.pending
                    and self.cur.said
                    and self.cur.quantity > 1
                ):
                    # "3 footlongs: turkey, italian and tuna", "two drinks: a coke and a sprite":
                    # a count of generic nouns, then the dishes one by one
                    self.listing = True
                    self.cur.quantity = 1
                elif (
                    span.text == ":"
                    and self.cur.item is None
                    and self.cur.pending
                    and self.cur.said
                    and self.cur.quantity > 1
                ):
                    # "2 large: a pepperoni and a hawaiian": a count of options, then one by one
                    # ("3 medium drinks: 2 cokes and a lemonade": options for the dishes after)
                    self.listing = True
                    self.header = self.cur
                    self.header_colon = True
            elif kind is Kind.TIMES:
                nxt = spans[k + 1] if k + 1 < len(spans) else None
                if (
                    nxt is not None
                    and nxt.kind is Kind.NUM
                    and isinstance(nxt.value, int)
                    # "a large pep x2": options said with no dish yet count the dish they name
                    and (self.cur.item is not None or self.cur.pending)
                ):
                    self.cur.quantity = nxt.value
                    self.cur.said = True
                    skip_next = True
            elif kind == "word":
                if self._names_group(k, span.text) or self._heading_noun(k, span.text):
                    continue
                if self.qual is not None:
                    found = self._refer_back(span.text)
                    if spans[k - 1].kind is Kind.QUAL and self.lex.group_words.get(span.text):
                        if not found:
                            # "light on the rice, white rice", "xtra rice (white)": the amount
                            # of the option of that group named next (but "extra beans, black
                            # beans" may be more beans than the black ones)
                            on = "on" in spans[k - 1].text.split()
                            self.held = (self.qual, self.lex.group_words[span.text], on, span.text)
                        self.qual = None
                        continue  # "but light on the rice": the dish's rice, no dish of rice
                self.qual = None  # "double meat": the amount was for a word the menu lacks
                word = span.text
                last = self.last_said
                # "garlic bread": a dish noun right after an option, even one that is also a
                # plain word here ("italian bread")
                dish_noun = word in DISH_NOUNS and last is not None and last.at == k - 1
                if word.isalpha() and len(word) >= 3 and (dish_noun or self.lex.is_dish_word(word)):
                    if dish_noun and last is not None:
                        # "garlic knots": not garlic on the item, a dish of its own.
                        self._forget(last)
                        word = f"{spans[k - 1].text} {word}"
                        pending = self.cur.pending
                        if self.cur.item is None and pending and pending[-1].at == k - 2:
                            self.cur.unknown_head = True  # "a large onion rings"
                    if self.unknown and self.unknown_at == k - 1:
                        # "chicken nuggets": one unknown dish, not two
                        word = f"{self.unknown.pop()} {word}"
                    cur = self.cur
                    if (
                        cur.item is None
                        and cur.pending
                        and (
                            cur.pending[-1].at == k - 1
                            or (cur.pending[-1].at == k - 2 and spans[k - 1].text == "of")
                        )
                        and word not in self.lex.vocab
                    ):
                        # "a large sprite" where there is none, "a 2 liter of root beer": the
                        # size is that dish's
                        cur.unknown_head = True
                    self.unknown.append(word)
                    self.unknown_at = k
        self.close()
        self._drop_header()
        self._drop_heading()
        self._spell_out_heads()
        if any(not line.refused for line in self.lines):
            # "i'll skip the macadamia then, one raspberry cheesecake cookie": only the one
            # wanted is ordered (a message naming only dishes not wanted is left to the intent)
            self.lines = [line for line in self.lines if not line.refused]

    def _spell_out_heads(self) -> None:
        """ "Two footlongs, turkey and ham": the count of generic nouns is spread over the dishes
        named after it without a count of their own."""
        for at, line in enumerate(self.lines):
            if not line.heads or line.item is None:
                continue
            named = 1
            for later in self.lines[at + 1 :]:
                if later.item is None or later.counted or later.pending or named >= line.quantity:
                    break
                named += 1
            if named == line.quantity:
                line.quantity = 1

    def _drop_header(self) -> None:
        """ "2 cookies: 1 chocolate chip and 1 oatmeal raisin": a count before a colon that the
        dishes after it add up to was a heading, not an order line of its own."""
        header = self.header
        at = next((i for i, line in enumerate(self.lines) if line is header), None)
        if header is None or at is None or header.choices:
            return
        if header.item is None:
            self._spread_header(at)
            return
        after = self.lines[at + 1 :]
        kind = self.lex.category.get(header.item or "")
        if (
            after
            and all(line.item is not None and not line.pending for line in after)
            and (
                any(line.item == header.item for line in after)
                # "3 bags of chips: a doritos, a sunchips and a baked lays": dishes of its kind
                or (
                    self.header_colon
                    and all(self.lex.category.get(line.item or "") == kind for line in after)
                )
            )
            and sum(line.quantity for line in after) == header.quantity
        ):
            del self.lines[at]

    def _drop_heading(self) -> None:
        """ "coffee run for the office: 2 large lattes and an americano": a dish named uncounted
        before a colon, with counted dishes of its kind after it, heads the list; the words said
        with it are no dishes either."""
        heading = self.heading
        at = next((i for i, line in enumerate(self.lines) if line is heading), None)
        if heading is None or heading.item is None or at is None:
            return
        key = heading.item
        kind = self.lex.category.get(key)

        def listed(line: _Line) -> bool:
            if line.item is not None:
                return not line.pending and (
                    line.item == key or self.lex.category.get(line.item) == kind
                )
            # "pizza: a large pepperoni and a small cheese": options of that dish
            return bool(line.pending) and all(
                self.lex.accepted_group(key, said.refs) for said in line.pending
            )

        named = [line for line in self.lines[at + 1 :] if not line.unknown_head]
        if self.heading_sentence:
            # after a full stop the dish must be ordered again, counted, and nothing uncounted
            heads = all(n.counted for n in named) and any(
                line.item == key if line.item is not None else listed(line) for line in named
            )
        else:
            heads = bool(named) and all(line.counted and listed(line) for line in named)
        if heads:
            del self.lines[at]
            del self.unknown[slice(*self.heading_words)]
            if self.heading_sentence:
                return
            for line in named:
                if line.item is None and line.pending and not line.drink:
                    # "tacos: 2 chicken 2 steak", "lattes: 2 iced, 1 hot": kinds of the dish
                    # heading them, not of the house's dish
                    refs = [self.lex.accepted_group(key, said.refs) for said in line.pending]
                    line.item = key
                    line.choices.extend(
                        (ref, said) for ref, said in zip(refs, line.pending, strict=True) if ref
                    )
                    line.pending = []

    def _spread_header(self, at: int) -> None:
        """ "3 medium drinks: 2 cokes and a pink lemonade": a count of options before a colon
        is spelled out by the dishes of one kind named after it, each with those options; what
        they leave of the count stays a line of its own ("2 large pizzas, a cheese and a coke")."""
        header = self.lines[at]
        if not header.pending:
            return
        total = 0
        given: list[tuple[_Line, list[tuple[OptionRef, _Said]]]] = []
        kind: str | None = None
        for line in self.lines[at + 1 :]:
            if (
                line.item is None
                or line.pending
                or (header.drink and line.item not in self.lex.drinks)
                or (kind is not None and self.lex.category.get(line.item) != kind)
                or total + line.quantity > header.quantity
            ):
                break
            refs = [self.lex.accepted_group(line.item, said.refs) for said in header.pending]
            if any(ref is None for ref in refs):
                break
            kind = self.lex.category.get(line.item)
            made = {ref.group for ref, _ in line.choices}
            given.append(
                (
                    line,
                    [
                        (ref, said)
                        for ref, said in zip(refs, header.pending, strict=True)
                        if ref is not None and ref.group not in made
                    ],
                )
            )
            total += line.quantity
        if not given:
            return
        for line, choices in given:
            line.choices.extend(choices)
        header.quantity -= total
        if not header.quantity:
            del self.lines[at]

    def number(self, span: Span) -> None:
        """A quantity opens a new line, unless it is a unit that keeps the one said."""
        cur = self.cur
        if span.value is None and cur.item is None:
            # "two sides of queso", "a large order of fries": the unit after a number or a size
            # keeps them
            return
        if cur.item is not None or cur.pending or cur.choices or cur.excepted is not None:
            self.close()
            cur = self.cur
        cur.counted = True
        index = self.spans.index(span)
        if index > 0 and self.spans[index - 1].text in ("and", "plus", "&"):
            cur.joined_at = index
        if isinstance(span.value, int):
            cur.quantity = span.value
            cur.said = span.text not in ARTICLES or self.listing
            cur.vague = span.text in VAGUE or span.text in VAGUE_UNITS
            if span.text in VAGUE_UNITS:
                cur.with_said = False  # "add a side of guac": the side, not the topping
            cur.article = span.text in ARTICLES
            cur.both = span.text == "both"
            cur.again = span.text in _AGAIN or (
                cur.said and self._next_text(span).startswith("for ")
            )
        self.neg = False
        self.qual = None
        self.with_scope = False

    def _all_but(self, k: int) -> tuple[int, int] | None:
        """For a count said right after "all ... except" ("4 tacos, all with green salsa except
        one", "extra ham on all but one"): the spans between which the options said for all of
        them were said, after the dish and the break before them."""
        spans, item_at = self.spans, self.cur.item_at
        if self.cur.item is None or k < 2:
            return None
        before = k - 2 if spans[k - 1].text == "for" else k - 1  # "except for one"
        if spans[before].text not in _EXCEPT:
            return None
        every = next(
            (j for j in range(before - 1, item_at, -1) if spans[j].text in SPREAD),
            None,
        )
        if every is None:
            return None
        start = next(
            (j for j in range(every - 1, item_at, -1) if spans[j].kind in (Kind.AND, Kind.STOP)),
            item_at,
        )
        return start, before

    def _next_text(self, span: Span) -> str:
        index = self.spans.index(span)
        following = self.spans[index + 1 : index + 3]
        return " ".join(s.text for s in following) + " "

    def menu(self, k: int, span: Span) -> None:
        """A menu phrase: decide whether it names an item or an option, and place it."""
        entry = span.entry
        assert entry is not None
        cur = self.cur
        as_item = bool(entry.items)
        if entry.items and entry.options:
            if cur.item is None:
                # "one with guac" names an option; "guac" or "a side of guac" names the side
                # ("sour cream and guac too": one more of the options listed)
                as_item = (
                    not _item_follows(self.spans, k)
                    and not cur.with_said
                    and not self._listing_pending(k)
                )
            else:
                taken = self.lex.accepted_group(cur.item, entry.options)
                as_item = not (
                    taken is not None
                    and (self.with_scope or self.neg or self.qual or self._listing_options(k))
                )
        if as_item:
            before = {s.text for s in self.spans[max(0, k - 2) : k]}
            if (
                cur.item is not None
                and not entry.options
                and (
                    (self.neg and not self.neg_list)
                    or before & {"all", "every", "all of"}
                    or (
                        self.qual is not None
                        and (cur.item in entry.items or self.spans[k - 1].kind is Kind.QUAL)
                    )
                )
            ):
                # "tuna sub, no veggies", "a combo with all the veggies", "steak and cheese with
                # extra steak": not a dish ordered
                self.unknown.append(span.text)
                self.qual = None
                return
            refused = (
                self.neg
                and not self.neg_list
                and cur.item is None
                and not cur.pending
                and k > 0
                and self.spans[k - 1].kind is Kind.NEG
            )
            self.item(k, entry.items)
            if refused:
                self.cur.refused = True
                self.neg = False
            return
        if (
            self.neg
            and self.neg_list
            and not any(self.lex.groups[r.group].excludable for r in entry.options)
        ):
            # "no whip, medium": past a break, a size (which nobody leaves off) ends the "no"
            self.neg = False
        said = _Said(entry.options, self.qual, self.neg, k)
        held = self.held
        if held is not None and any(ref.group in held[1] for ref in entry.options):
            named = bool({held[3], held[3].removesuffix("s")} & set(span.text.split()))
            if said.qualifier is None and not said.exclude and (held[2] or not named):
                said.qualifier = held[0]
            self.held = None
        self.last_said = said
        self.qual = None
        self.neg_hit = self.neg_hit or self.neg
        if cur.item is None:
            if not said.exclude and self._said_again(k, said):
                # "small cheese and small pepperoni": a second size is a second item
                self.close()
            self.cur.pending.append(said)
            return
        ref = self.lex.accepted_group(cur.item, said.refs)
        if ref is not None and not said.exclude and self._second_choice(k, ref):
            # "a medium cheese pizza and small pepperoni": a second size is a second item.
            self.close()
            self.cur.pending.append(said)
        elif ref is not None:
            cur.choices.append((ref, said))
        elif (
            k
            and self.spans[k - 1].kind is Kind.AND
            and self.spans[k].text[:1].isdigit()
            and not said.exclude
        ):
            # "large hawaiian pizza, 12 wings garlic parm": a counted option the dish cannot
            # take, after a break, is the next dish's
            self.close()
            self.cur.pending.append(said)
        else:
            if self.neg_list:
                # "a burger without pickles or onions, large fries": past a break, an option the
                # item cannot take starts the next item and is not under the "without"
                said.exclude = False
            cur.loose.append(said)

    def _names_group(self, k: int, word: str) -> bool:
        """Whether a word at span k names the group of the option said right before it
        ("marinara dip", "bbq to dip", "ranch dressing"): then it is part of that option, and
        says which group's it is."""
        groups = self.lex.group_words.get(word)
        said = self.last_said
        if not groups or said is None:
            return False
        if not (said.at == k - 1 or (said.at == k - 2 and self.spans[k - 1].text in _TO_USE)):
            return False
        refs = tuple(ref for ref in said.refs if ref.group in groups)
        if not refs:
            return False
        if refs != said.refs:
            said.refs = refs
            for line in (*self.lines[-1:], self.cur):
                for i, (_, other) in enumerate(line.choices):
                    if other is not said or line.item is None:
                        continue
                    ref = self.lex.accepted_group(line.item, refs)
                    if ref is not None:
                        line.choices[i] = (ref, said)
                    else:
                        del line.choices[i]
                        line.loose.append(said)
                    break
        return True

    def _heading_noun(self, k: int, word: str) -> bool:
        """Whether a word at span k is the noun of a count heading a list ("3 pizzas: a cheese,
        ...", "two pizzas, a large cheese and ..."), where the menu names each dish listed with
        the noun but never the noun alone: then it names no dish of its own, and a heading that
        says options ("3 large pizzas, ...") is the header the dishes after it spell out."""
        spans = self.spans
        cur = self.cur
        if not (
            word in self.lex.partial
            and cur.item is None
            and cur.said
            and cur.quantity > 1
            and k + 2 < len(spans)
            and spans[k + 1].text in (":", ",")
            and spans[k + 2].kind is Kind.NUM
        ):
            return False
        nouns = self.lex.item_nouns
        if not any(
            span.kind == _MENU
            and span.entry is not None
            and any(word in nouns.get(key, ()) for key in span.entry.items)
            for span in spans[k + 2 :]
        ):
            return False
        if cur.pending:
            # "3 large pizzas, a cheese, a margherita and ...": the size of each
            self.listing = True
            self.header = cur
            self.header_colon = True
        return True

    def _refer_back(self, word: str) -> bool:
        """ "White rice, black beans, heavy on the rice": a generic noun after an amount names the
        option chosen before whose name ends with it; "carnitas bowl, extra meat" (or "double
        protein"), the meats chosen."""
        if word in _MEAT_WORDS:
            lex = self.lex
            meats = [
                said
                for _, said in self.cur.choices
                if not said.exclude
                and any(
                    (ref.group, ref.option) in lex.meat_options
                    if word.startswith("meat")
                    else ref.group in lex.protein_groups
                    for ref in said.refs
                )
            ]
            for said in meats:
                said.qualifier = self.qual
            if meats:
                return True
        groups = self.lex.group_words.get(word) or frozenset()
        for _, said in reversed(self.cur.choices):
            last = self.spans[said.at].text.split()[-1]
            named = len(word) >= 3 and last in (word, word + "s", word.removesuffix("s"))
            # ("mango habanero, extra sauce", "balsamic, but light on the dressing": the word
            # of the option's group)
            if named or any(ref.group in groups for ref in said.refs):
                if not said.exclude:
                    said.qualifier = self.qual
                return True
        return False

    def _bare_before(self, k: int) -> bool:
        """Whether the words before span k say the dish has nothing on it ("plain", "nothing",
        "no toppings"), so that an "except" after them names what it does have."""
        prev = self.spans[k - 1] if k else None
        if prev is None:
            return False
        if prev.text in ("plain", "nothing", "none"):
            return True
        return prev.text in _TOPPINGS and k >= 2 and self.spans[k - 2].kind is Kind.NEG

    def _amount_after(self, k: int) -> list[_Said]:
        """The options an amount at span k is said of, after them: "cheese, extra", "cheddar,
        and lots of it", "cream on the cocoa only, but not too much", "oil and vinegar, light
        on both" (the two said last); none if the amount is the next option's."""
        spans, last = self.spans, self.last_said
        if _opt_follows(spans, k) or last is None or last.exclude or last.qualifier is not None:
            return []
        word = spans[k + 1] if k + 1 < len(spans) else None
        if word is not None and word.kind is Kind.FILLER and word.text not in _AFTER_AN_AMOUNT:
            return []  # ("a pepperoni pizza, extra crispy": the amount of a word the menu lacks)
        end = k + 1
        while end < len(spans) and spans[end].kind is Kind.FILLER and spans[end].text != "on both":
            end += 1
        # "light on both", "extra on both"
        both = end < len(spans) and spans[end].text in ("both", "on both")
        if not _phrase_ends(spans, end if both else _on_dish(spans, k)):
            return []
        for j in range(last.at + 1, k):
            between = spans[j]
            if not (
                between.kind is Kind.FILLER
                or between.text in _ASIDES
                or between.text in ("and", "only", "back")  # ("the honey back, but a little")
                or (j == self.cur.item_at and between.kind == _MENU)
            ):
                return []
        if last.at < self.cur.item_at < k and not any(
            spans[j].text == "," for j in range(self.cur.item_at, k)
        ):
            return []  # ("a chicken burrito for my little bro": no amount of the chicken)
        if not both:
            return [last]
        saids: list[_Said] = []
        for _, said in self.cur.choices:
            if not any(said is seen for seen in saids):
                saids.append(said)
        saids = saids[-2:]
        if all(said is last for said in saids):
            return [last]  # "make the ketchup extra on both": both lines, not two options
        if len(saids) < 2 or saids[-1] is not last:
            return []
        return [said for said in saids if not said.exclude and said.qualifier is None]

    def _counts_one(self, k: int) -> bool:
        """Whether an ordinal at span k picks one of several items said before it."""
        nxt = self.spans[k + 1] if k + 1 < len(self.spans) else None
        if nxt is None or not (nxt.kind is Kind.WITH or _is_opt(nxt)):
            return False
        return any(
            line.item is not None and line.said and line.quantity > 1
            for line in (*self.lines, self.cur)
        )

    def _after_break(self, k: int) -> bool:
        """Whether span k follows "and", a comma, or a sentence's end with at most a name and a
        colon after it ("Sam: large meat lovers. Ana: medium vegan ...")."""
        if k == 0:
            return False
        before = self.spans[k - 1]
        if before.kind is Kind.AND:
            return True
        if before.text in _SOMEONE_WANTS:
            # ", wife wants medium neapolitan": past a break, what someone else wants
            j = k - 2
            while j >= 0 and j >= k - 4 and self.spans[j].kind in ("word", Kind.FILLER):
                if any(is_person(word) for word in self.spans[j].text.split()):
                    if j and self.spans[j - 1].text in ("my", "our", "the", "his", "her"):
                        j -= 1
                    return (
                        j == 0
                        or self.spans[j - 1].kind is Kind.AND
                        or (self.spans[j - 1].kind is Kind.STOP and self.spans[j - 1].text in _ENDS)
                    )
                j -= 1
            return False
        if before.kind is not Kind.STOP or before.text not in _ENDS:
            return False
        if before.text != ":":
            return True
        j = k - 2
        while j >= 0 and self.spans[j].kind in ("word", Kind.FILLER) and j >= k - 4:
            j -= 1
        return j < 0 or (self.spans[j].kind is Kind.STOP and self.spans[j].text in _ENDS)

    def _said_again(self, k: int, said: _Said) -> bool:
        """Whether an option said after "and" or a comma, before any item noun, makes a one-only
        choice the options pending before it made already."""
        if not self._after_break(k):
            return False
        one_only = {r.group for r in said.refs if self.lex.groups[r.group].select == "one"}
        return any(
            not before.exclude and one_only & {r.group for r in before.refs}
            for before in self.cur.pending
        )

    def _second_choice(self, k: int, ref: OptionRef) -> bool:
        """Whether an option said after "and" or a comma makes a one-only choice the current
        line has already made otherwise (or, past a sentence's end, at all: "for my wife: medium
        ... . for me: medium ...")."""
        if not self._after_break(k):
            return False
        if self.lex.groups[ref.group].select != "one":
            return False
        again = self.spans[k - 1].kind is Kind.STOP
        return any(
            made.group == ref.group and (again or made.option != ref.option) and not said.exclude
            for made, said in self.cur.choices
        )

    def _listing_options(self, k: int) -> bool:
        """Whether span k continues a list of options said after the current item's noun
        ("a carnitas burrito, white rice, cheese and guacamole": the guacamole goes on it; so
        does "a steak bowl brown rice sour cream guac", the list said without breaks)."""
        last = self._listed_before(k)
        if last is None and k and self.last_said is not None and self.last_said.at == k - 1:
            last = None if self.last_said.exclude else self.last_said
        return (
            last is not None
            and last.at > self.cur.item_at >= 0
            and any(said is last for _, said in self.cur.choices)
        )

    def _listing_pending(self, k: int) -> bool:
        """Whether span k, right after "and", continues options said before any dish ("sour
        cream and guac")."""
        last = self._listed_before(k)
        return last is not None and any(said is last for said in self.cur.pending)

    def _listed_before(self, k: int) -> _Said | None:
        """The option said last, when it stands right before span k's "and" (not one left off)."""
        j = k - 1
        while j >= 0 and self.spans[j].kind is Kind.AND:
            j -= 1
        last = self.last_said
        if j == k - 1 or last is None or last.at != j or last.exclude:
            return None
        return last

    def item(self, k: int, keys: tuple[str, ...]) -> None:
        """An item noun: name the current line's item, or open a new line for it."""
        cur = self.cur
        if self.listing and not any(line.item in keys for line in (*self.lines, cur)):
            self.listing = False  # "two pizzas, a coke and ...": the list of pizzas is over
        prev = self.spans[k - 1] if k else None
        if (
            cur.item in keys
            and prev is not None
            and prev.entry is not None
            and cur.item in (prev.entry.items)
        ):
            return  # "a pizza pie", "espresso coffee": one dish named twice
        if cur.item in keys and prev is not None and prev.text in _SAME_DISH:
            return  # "pepperoni on the whole pie": the dish being ordered, named again
        if (
            cur.item is not None
            and not cur.choices
            and cur.item_at == k - 2
            and self.spans[k - 1].text in ("and", "with")
            and not cur.paired
            and self.spans[cur.item_at].text in _SIDE_PAIRS
            and self.spans[k].text in _SIDE_PAIRS
        ):
            # "a side of chips and guac" (or "chips with queso") is one side, as the menu's
            # sources record it: the one named last ("chips and guacamole" is the guacamole side).
            if cur.item is not None:
                self.paired.append(cur.item)
            cur.item = keys[0]
            cur.item_at = k
            cur.paired = True  # "chips and guac and chips and queso": two sides
            return
        if cur.item is not None:
            self.close()
            new = self.cur
            new.vague = True
            # Options said right before this noun ("pizza with ham and large coke") are its own.
            moved = self._trailing(cur, k, keys[0])
            new.pending.extend(moved)
            cur = new
        if cur.pending:
            self._split_pending(k, keys[0])
            cur = self.cur
        key = keys[0]
        if len(keys) > 1 and cur.pending:
            for candidate in keys:
                if all(self.lex.accepted_group(candidate, s.refs) for s in cur.pending):
                    key = candidate
                    break
        cur.item = key
        cur.item_at = k
        self.item_unknown = len(self.unknown)
        for said in cur.pending:
            ref = self.lex.accepted_group(key, said.refs)
            if ref is not None:
                cur.choices.append((ref, said))
            else:
                cur.loose.append(said)
        cur.pending = []
        self.neg = False
        self.qual = None
        self.with_scope = False

    def _split_pending(self, k: int, item: str) -> None:
        """Options before a break that the item noun does not take were an item of their own
        ("a large meat lovers and a 2 liter coke")."""
        cur = self.cur
        first = self._run_start(k)
        early = [s for s in cur.pending if s.at < first]
        if not early or all(self.lex.accepted_group(item, s.refs) for s in early):
            return
        late = [s for s in cur.pending if s.at >= first]
        cur.pending = early
        self.lines.append(cur)
        self.cur = _Line(pending=late)

    def _run_start(self, k: int) -> int:
        """Index of the first span of the run of options and amounts that ends right before k."""
        first = k
        while first > 0:
            prev = self.spans[first - 1]
            if prev.kind in (_MENU, Kind.QUAL, Kind.FILLER, Kind.HEAD) and not (
                prev.kind == _MENU
                and prev.entry is not None
                and prev.entry.items
                and not prev.entry.options
            ):
                first -= 1
            else:
                break
        return first

    def _trailing(self, line: _Line, k: int, new_item: str) -> list[_Said]:
        """Options of `line` said right before span k that the new item takes."""
        first = self._run_start(k)
        moved: list[_Said] = []
        choices = list(line.choices)
        # Options move as a contiguous run; a negated one stays with the item it was said for.
        while choices:
            _, said = choices[-1]
            if said.at < first or said.exclude or not self.lex.accepted_group(new_item, said.refs):
                break
            moved.append(said)
            choices.pop()
        line.choices = choices
        for said in list(line.loose):
            if said.at >= first and self.lex.accepted_group(new_item, said.refs):
                moved.append(said)
                line.loose.remove(said)
        return sorted(moved, key=lambda s: s.at)


def _replaces(lexicon: Lexicon, source: _Line, refs: list[OptionRef]) -> bool:
    """Whether new options change what a line already has in a group that does not add up
    ("two tacos with chicken and one with steak": a third taco, not one of the two)."""
    taken = {ref.group for ref, _ in source.choices}
    return any(
        ref.group in taken
        and (lexicon.groups[ref.group].select == "one" or not lexicon.groups[ref.group].excludable)
        for ref in refs
    )


def _inherited(
    lexicon: Lexicon, line: _Line, choices: list[tuple[OptionRef, _Said]]
) -> list[tuple[OptionRef, _Said]]:
    """The choices a line carved out of another keeps: all, or for "one with no toppings" only
    those no one leaves off (its size)."""
    if not line.plain:
        return list(choices)
    return [(ref, said) for ref, said in choices if not lexicon.groups[ref.group].excludable]


def _overridden(
    lexicon: Lexicon, choices: list[tuple[OptionRef, _Said]], new: list[OptionRef]
) -> list[tuple[OptionRef, _Said]]:
    """Choices of a line minus those the new options replace (same option, or one-only group)."""
    named = {(r.group, r.option) for r in new}
    one_only = {r.group for r in new if lexicon.groups[r.group].select == "one"}
    return [
        (ref, said)
        for ref, said in choices
        if (ref.group, ref.option) not in named and ref.group not in one_only
    ]


def _conflicts(lexicon: Lexicon, line: _Line, refs: list[OptionRef]) -> bool:
    taken = {ref.group for ref, _ in line.choices}
    return any(ref.group in taken and lexicon.groups[ref.group].select == "one" for ref in refs)


def _said_for_both(
    lexicon: Lexicon, refs: list[OptionRef], later: _Line
) -> list[tuple[OptionRef, _Said]]:
    """ "One large and one small pepperoni pizza": a line that only says a size, before a line
    that says another size of the dish, shares what that line says before its noun."""
    groups = {ref.group for ref in refs}
    if not groups or any(lexicon.groups[group].select != "one" for group in groups):
        return []
    if not groups <= {ref.group for ref, _ in later.choices}:
        return []
    return [
        (ref, said)
        for ref, said in later.choices
        if ref.group not in groups and said.at < later.item_at and not said.exclude
    ]


def _another_kind(lexicon: Lexicon, before: _Line, line: _Line, refs: list[OptionRef]) -> bool:
    """Whether options said bare, with no dish, name another kind of the dish before them: that
    dish was named by a topping before its noun ("pepperoni pizzas", "bacon cheeseburgers") and
    these are toppings too, said as plainly ("one hawaiian", "a large margherita"; not "one
    with ham", "an extra shot", "one without onions", a size alone, nor after a list of what the
    dish comes with: "an iced latte with raspberry and a drizzle"), right after the count ("3
    steak burritos for me and two friends, all with rice" carves the three up)."""
    named_by = [
        ref
        for ref, said in before.choices
        if said.at < before.item_at
        and not said.exclude
        and lexicon.groups[ref.group].select != "one"
    ]
    return (
        bool(named_by)
        and all(said.at < before.item_at for _, said in before.choices)
        and min(said.at for said in line.pending) == line.joined_at + 1
        and not line.with_said
        and all(said.qualifier is None and not said.exclude for said in line.pending)
        and any(lexicon.groups[ref.group].select != "one" for ref in refs)
    )


def _one_only(lexicon: Lexicon, refs: list[OptionRef]) -> bool:
    return any(lexicon.groups[ref.group].select == "one" for ref in refs)


def _names_house_item(lexicon: Lexicon, neighbour: _Line, refs: list[OptionRef]) -> bool:
    """Whether options said with no item name the house item rather than the item next to them:
    a one-only choice the neighbour did not make ("a hot chocolate and a medium dark roast" is a
    coffee; "a large pepperoni and a small cheese" and "a chicken taco and a steak" are not)."""
    if neighbour.item in lexicon.house_items:
        return False
    made = {ref.group for ref, _ in neighbour.choices}
    return any(lexicon.groups[ref.group].select == "one" and ref.group not in made for ref in refs)


def _able(lexicon: Lexicon, said: list[_Said]) -> list[str]:
    """The items, in the menu's order, that take a group of every option said: the only ones an
    item can be inferred as (the others take none of some option's readings)."""
    able: frozenset[str] | None = None
    for s in said:
        some = frozenset().union(*(lexicon.takers.get(ref.group, ()) for ref in s.refs))
        able = some if able is None else able & some
    return list(lexicon.items) if able is None else [key for key in lexicon.items if key in able]


def _infer_items(lexicon: Lexicon, lines: list[_Line]) -> tuple[list[_Line], bool]:
    """Give an item to lines that only named options ("a large pepperoni and a small cheese")."""
    out: list[_Line] = []
    inferred = False
    source: _Line | None = None
    carved: tuple[_Line, list[tuple[OptionRef, _Said]]] | None = None
    cut: set[int] = set()  # lines carved up already
    for i, line in enumerate(lines):
        if line.item is None and line.unknown_head:
            out.append(line)
            continue
        if (
            line.item is None
            and not line.pending
            and line.said
            and source is not None
            and source.item is not None
            and source.quantity > line.quantity
        ):
            # "two burgers, one plain and one with cheese": the plain one is carved out as is.
            source.quantity -= line.quantity
            line.item = source.item
            line.choices = _inherited(lexicon, line, source.choices)
            out.append(line)
            continue
        if (
            line.item is None
            and not line.pending
            and line.bare_without
            and carved
            and source is not None
            and source.quantity >= line.quantity
        ):
            # "two cokes, one with ice and one without": the other one leaves those options off
            source.quantity -= line.quantity
            line.item = source.item
            left_off = [_Said(s.refs, None, True, s.at) for _, s in carved[1]]
            line.choices = [
                *_overridden(lexicon, source.choices, [r for r, _ in carved[1]]),
                *zip([r for r, _ in carved[1]], left_off, strict=True),
            ]
            out.append(line)
            continue
        if (
            line.bare_without
            and not line.pending
            and not line.choices
            and out
            and out[-1].item is not None
            and ((line.item is None and line.said) or line.item == out[-1].item)
        ):
            # "one burger with grilled onions and one without", "a hot chocolate with whipped
            # cream and a hot chocolate without": another of it, those left off
            before = out[-1]
            said_with = [
                (ref, said)
                for ref, said in before.choices
                if said.at > before.item_at and lexicon.groups[ref.group].excludable
            ]
            if said_with:
                line.item = before.item
                line.choices = [
                    *[c for c in before.choices if c not in said_with],
                    *((ref, _Said(said.refs, None, True, said.at)) for ref, said in said_with),
                ]
                out.append(line)
                continue
        if line.item is None and not line.pending and line.again and out and out[-1].item:
            if line.both:
                continue  # "a burger and a salad, both for me": whose the two are, no more
            # "a large latte and another one": the same line once more
            out[-1].quantity += line.quantity
            continue
        if line.item is not None or not line.pending:
            out.append(line)
            source = line if line.item is not None and line.said and line.quantity > 1 else None
            continue
        prev = out[-1] if out and out[-1].item is not None else None
        nxt = next((x for x in lines[i + 1 :] if x.item is not None), None)

        def fits(item: str, said: list[_Said], drink: bool = line.drink) -> list[OptionRef] | None:
            if drink and item not in lexicon.drinks:
                return None  # "2 small drinks" are no fries
            refs = [lexicon.accepted_group(item, s.refs) for s in said]
            return None if any(r is None for r in refs) else [r for r in refs if r is not None]

        kind_of = source if source is not None and line.said else prev
        if (
            kind_of is not None
            and kind_of is out[-1]
            and kind_of.item is not None
            and line.joined_at >= 0
            and id(kind_of) not in cut
            and (refs := fits(kind_of.item, line.pending)) is not None
            and _another_kind(lexicon, kind_of, line, refs)
        ):
            # "2 pepperoni pizzas and one hawaiian", "a bacon cheeseburger and a jalapeno one":
            # a dish named by its toppings, then another named the same way, is one more of the
            # dish with its own toppings (and the size said before), not those added to it
            groups = {r.group for r in refs}
            line.item = kind_of.item
            line.choices = [
                *(
                    (r, w)
                    for r, w in kind_of.choices
                    if lexicon.groups[r.group].select == "one" and r.group not in groups
                ),
                *zip(refs, line.pending, strict=True),
            ]
            line.pending = []
            line.inferred = inferred = True
            out.append(line)
            source = None
            continue
        if (
            prev is not None
            and prev is out[-1]
            and prev.item is not None
            and not (prev.counted or prev.said or prev.choices or line.both or line.with_said)
            and line.said
            and line.quantity > 1  # ("americano for me, hot, and one iced": another one)
            and (refs := fits(prev.item, line.pending)) is not None
        ):
            # "plus sprites for them, four cans", "cokes, 3 large": the count and the options
            # of the dish named bare just before, said after it
            prev.quantity, prev.said = line.quantity, True
            prev.choices.extend(zip(refs, line.pending, strict=True))
            continue
        if source is not None and source.item is not None and line.said:
            # "two pizzas, one with ham and one with olives": each one is carved out of the two.
            refs = fits(source.item, line.pending)
            same_group = refs is not None and bool(
                {r.group for r in refs} & {r.group for r, _ in source.choices}
            )
            if source.inferred and same_group:
                # "2 pepperoni and 1 cheese": lines side by side ("two smalls, one cheese" is
                # carved: the size and the topping do not overlap)
                refs = None
            if (
                source.inferred
                and refs is not None
                and not line.with_said
                and any(lexicon.groups[r.group].select != "one" for r, _ in source.choices)
                and not _one_only(lexicon, refs)
            ):
                # "3 pepperoni and 2 hawaiian", "3 large ham, 2 margherita": a count of one kind,
                # then a count of another, side by side too, whatever groups the kinds are in (a
                # size carves: "two smalls, one cheese", "2 pepperoni, one large and one small";
                # so does "with": "3 skinny, 2 with vanilla")
                refs = None
            if refs is not None and line.both and source.quantity == line.quantity:
                # "2 iced lattes, both skinny, one with vanilla": the two said again, not carved
                source.choices.extend(zip(refs, line.pending, strict=True))
                continue
            if (
                refs is not None
                and line.excepted is None
                and (
                    _replaces(lexicon, source, refs)
                    or (same_group and line.quantity == source.quantity and id(source) not in cut)
                )
            ):
                # "two large tacos with chicken and one with steak", "2 large pizzas with ham
                # and 2 with olives": more of the same kind, with other fillings or toppings.
                groups = {r.group for r in refs}
                taken = {r.group for r, _ in source.choices}
                # "two large pepperoni pizzas, one large margherita": a size said again with
                # a kind of its own is a dish said anew, with none of the other's toppings
                anew = any(
                    g in taken and lexicon.groups[g].select == "one" for g in groups
                ) and any(g not in taken for g in groups)
                line.item = source.item
                line.choices = [
                    *[
                        (r, w)
                        for r, w in _inherited(lexicon, line, source.choices)
                        if r.group not in groups
                        and not (anew and lexicon.groups[r.group].excludable)
                    ],
                    *zip(refs, line.pending, strict=True),
                ]
                line.pending = []
                out.append(line)
                source = None
                continue
            if refs is not None and source.quantity >= line.quantity:
                # (what is left of a line carved up is no count said: "two thin crust pizzas,
                # one margherita and one hawaiian" carves both)
                cut.add(id(source))
                source.quantity -= line.quantity
                line.item = source.item
                added = list(zip(refs, line.pending, strict=True))
                carved = (line, added)
                kept = _overridden(lexicon, source.choices, refs)
                line.choices = [*_inherited(lexicon, line, kept), *added]
                line.pending = []
                out.append(line)
                continue
        source = None
        if line.both and len(out) >= 2 and all(x.item is not None for x in out[-2:]):
            # "a cheeseburger and a hamburger, both with no pickles"
            fitted = [fits(x.item, line.pending) for x in out[-2:] if x.item is not None]
            if all(f is not None for f in fitted):
                for x, refs in zip(out[-2:], fitted, strict=True):
                    x.choices.extend(zip(refs or [], line.pending, strict=True))
                continue
        house = [key for key in lexicon.house_items if fits(key, line.pending) is not None]
        if (
            prev is not None
            and prev.item is not None
            and line.vague
            and not line.with_said
            and not line.pronoun
        ):
            refs = fits(prev.item, line.pending)
            if (
                refs is not None
                and not _conflicts(lexicon, prev, refs)
                and not (house and _names_house_item(lexicon, prev, refs))
                and not (line.article and _one_only(lexicon, refs))
            ):
                # "a burger with bacon and a side of ranch": more for the item just said; "and
                # a small pepperoni" is another of it (nobody adds a size with "a")
                prev.choices.extend(zip(refs, line.pending, strict=True))
                continue
        target: str | None = None
        carvers: list[_Line] = []
        for carver in lines[i + 1 :] if line.said and line.quantity > 1 else ():
            if carver.item is not None or not carver.pending or not carver.said:
                break
            carvers.append(carver)
        if carvers:
            # "2 larges, one pepperoni one cheese": the lines that carve the count up say what
            # it is, whatever dish comes next
            takers = [
                key
                for key in _able(lexicon, line.pending)
                if fits(key, line.pending) is not None
                and all(fits(key, carver.pending) is not None for carver in carvers)
            ]
            if len(takers) > 1:
                takers = [key for key in takers if key in lexicon.house_items] or takers
            if len(takers) == 1:
                target = takers[0]
        for neighbour in (prev, nxt) if target is None else ():
            if neighbour is None or neighbour.item is None:
                continue
            refs = fits(neighbour.item, line.pending)
            if refs is None:
                continue
            if house and not line.pronoun and _names_house_item(lexicon, neighbour, refs):
                continue
            target = neighbour.item
            break
        if target is None:
            takers = [
                key for key in _able(lexicon, line.pending) if fits(key, line.pending) is not None
            ]
            if len(takers) > 1:
                # Several items take these options: the house item ("coffee" at a coffee shop,
                # "burger" at a burger bar) is what a customer leaves unsaid.
                takers = [key for key in takers if key in lexicon.house_items] or takers
            later = lines[i + 1] if i + 1 < len(lines) else None
            if len(takers) > 1 and line.said and later is not None and later.item is None:
                # "two smalls, one pepperoni and one hawaiian": the lines that carve the two
                # up say what they are.
                takers = [key for key in takers if fits(key, later.pending) is not None] or takers
            if len(takers) == 1:
                target = takers[0]
        if target is None:
            out.append(line)
            continue
        refs = fits(target, line.pending) or []
        line.item = target
        line.choices.extend(zip(refs, line.pending, strict=True))
        line.pending = []
        later = lines[i + 1] if i + 1 < len(lines) else None
        if later is not None and later is nxt and later.item == target and not line.with_said:
            line.choices.extend(_said_for_both(lexicon, refs, later))
        line.inferred = True
        inferred = True
        out.append(line)
        if line.said and line.quantity > 1:
            source = line
    return [line for line in out if line.quantity > 0], inferred


def _split_marked(lexicon: Lexicon, spans: list[Span], line: _Line) -> list[_Line]:
    """ "Two pizzas, pepperoni on one and sausage on the other": a line per marked group of
    options, each with the options said for all of them."""
    if not line.marks or line.item is None or line.quantity < max(len(line.marks), 2):
        # one mark carves one item out of several: "2 pizzas with extra cheese on one of them"
        return [line]
    groups: list[list[tuple[OptionRef, _Said]]] = []
    for mark in line.marks:
        first = mark
        while first > 0:
            before = spans[first - 1]
            if before.text in _EACH_ONE or not (
                before.kind in (_MENU, Kind.QUAL, Kind.NEG, Kind.FILLER) or before.text == "and"
            ):
                break
            first -= 1
        groups.append([c for c in line.choices if first <= c[1].at < mark])
    if not all(groups):
        return [line]
    grouped = {id(c[1]) for group in groups for c in group}
    shared = [c for c in line.choices if id(c[1]) not in grouped]
    parts = [
        _Line(
            item=line.item, quantity=1, said=True, choices=[*shared, *group], item_at=line.item_at
        )
        for group in groups
    ]
    rest = line.quantity - len(groups)
    if rest:
        line.quantity = rest
        line.choices = shared
        return [line, *parts]
    return parts


def _spread(lexicon: Lexicon, lines: list[_Line], after: int, at: int) -> None:
    """ "A cheeseburger and a hamburger with no onions on either": the options said after the
    last item noun (and after the break before "on either", "all") go on every line. Said of
    the line before "all" ("3 cokes and 2 sprites all in cans, plus a ginger ale in a bottle"),
    they go on the lines before it, not on those ordered after."""
    named = [x for x in lines if x.item is not None]
    if not named:
        return
    last = named[-1]
    before = [x for x in named if x.item_at < at]
    if before and before[-1] is not last:
        start = max(before[-1].item_at, after)
        if any(said.at > start for _, said in before[-1].choices):
            last, named = before[-1], before
    start = max(last.item_at, after)
    shared = [(ref, said) for ref, said in last.choices if said.at > start]
    for line in named:
        if line is last or line.item is None:
            continue
        have = {(ref.group, ref.option) for ref, _ in line.choices}
        for _, said in shared:
            ref = lexicon.accepted_group(line.item, said.refs)
            if ref is not None and (ref.group, ref.option) not in have:
                line.choices.append((ref, said))


def _place_loose(lexicon: Lexicon, lines: list[_Line]) -> None:
    """Options an item did not take go to the nearest item that does, earlier ones first."""
    for i, line in enumerate(lines):
        for said in line.loose:
            order = list(range(i - 1, -1, -1)) + list(range(i + 1, len(lines)))
            for j in order:
                other = lines[j]
                if other.item is None:
                    continue
                ref = lexicon.accepted_group(other.item, said.refs)
                if ref is not None:
                    other.choices.append((ref, said))
                    break
        line.loose = []


def _choices(line: _Line) -> tuple[Choice, ...]:
    """The line's choices in the order said, each option once; "pepperoni, extra pepperoni"
    keeps the amount."""
    out: dict[tuple[str, str, bool], Choice] = {}
    for ref, said in sorted(line.choices, key=lambda c: c[1].at):
        mark = (ref.group, ref.option, said.exclude)
        qualifier = None if said.exclude else said.qualifier
        if mark in out and (out[mark].qualifier or not qualifier):
            continue
        out[mark] = Choice(ref.group, ref.option, qualifier, said.exclude)
    return tuple(out.values())


def _one_each(lexicon: Lexicon, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """One option of a one-only group, the one said last: "a regular latte ..., both large"."""
    last: dict[str, Choice] = {}
    for choice in choices:
        if not choice.exclude and lexicon.groups[choice.group].select == "one":
            last[choice.group] = choice
    if len(last) == sum(
        1 for c in choices if not c.exclude and lexicon.groups[c.group].select == "one"
    ):
        return choices
    return tuple(
        c
        for c in choices
        if c.exclude or lexicon.groups[c.group].select != "one" or last[c.group] is c
    )


def _amount_said_again(choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """An option said plain and again with its amount, once with the amount: "i want ranch,
    extra ranch", "cheese, lots of cheese"."""
    amounted = {(c.group, c.option) for c in choices if c.qualifier and not c.exclude}
    if not amounted:
        return choices
    return tuple(
        c for c in choices if c.qualifier or c.exclude or (c.group, c.option) not in amounted
    )


def _qualifier_ok(lexicon: Lexicon, choice: Choice) -> Choice:
    """Drop an amount the group does not offer (a "light" size means nothing)."""
    if choice.qualifier and choice.qualifier not in lexicon.groups[choice.group].qualifiers:
        return Choice(choice.group, choice.option, None, choice.exclude)
    return choice


def _with_that(tokens: Sequence[str]) -> bool:
    """Whether the words say "with that" ("w that", "with those")."""
    return any(a in ("with", "w") and b in ("that", "those") for a, b in pairwise(tokens))


def _joined(lexicon: Lexicon, lines: list[OrderLine], tokens: Sequence[str]) -> list[OrderLine]:
    """Options said apart from their dish ("hazelnut sounds good, a large latte with that",
    "sweet onion sauce then, on a chicken teriyaki sub"): a line whose item was only inferred
    from them, uncounted, beside a line that names that item, is one line with it."""
    if not any(line.inferred for line in lines):
        return lines  # (most messages: nothing to join, and the words need not be looked at)
    out = list(lines)
    # ("a veggie and one with guac", "and another with bacon": a second one)
    more = (
        any(
            a in ("and", "plus", "also") and b in ("one", "another", "a", "an")
            for a, b in pairwise(tokens)
        )
        or "another" in tokens
    )
    # ("latte two, one iced one hot": the ones are parts of the two)
    parts = sum(1 for t in tokens if t == "one") > 1 or any(
        (t.isdigit() and t != "1") or t in ("two", "three", "four", "five", "six") for t in tokens
    )
    i = 0
    while i < len(out):
        line = out[i]
        if not line.inferred or line.quantity > 1 or more or (line.quantity_said and parts):
            i += 1
            continue
        # ("the veggie one then with guac": the one is the veggie; "a veggie and one with guac"
        # is two)
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(out)]
        j = next(
            (
                j
                for j in near
                if out[j].item == line.item
                # ("stuffed crust sounds good, one large pepperoni with that": "that" says the
                # options go on the dish, though it too is known by its options only)
                and (not out[j].inferred or (j > i and _with_that(tokens)))
                and not (line.quantity_said and out[j].quantity_said)
            ),
            None,
        )
        if (
            j is None
            or any(lexicon.groups[c.group].select == "one" for c in line.choices)
            or not _compatible(lexicon, out[j].choices, line.choices)
        ):
            # ("the small one and a hot cocoa": a size says which dish, not the cocoa's size)
            i += 1
            continue
        named = out[j]
        out[j] = replace(named, choices=(*named.choices, *line.choices))
        del out[i]
    return out


def _compatible(lexicon: Lexicon, a: Sequence[Choice], b: Sequence[Choice]) -> bool:
    """Whether two lines' options can be one line's: no pick-one group twice."""
    shared = {c.group for c in a} & {c.group for c in b}
    return all(lexicon.groups[group].select != "one" for group in shared)


def parse_order(lexicon: Lexicon, tokens: list[str]) -> OrderParse:
    """Read the order lines a tokenized message names."""
    spans = scan(lexicon, tokens)
    reader = _Reader(lexicon, spans)
    reader.run()
    raw = reader.lines
    loose_choices: list[Choice] = []
    loose_quantity: int | None = None
    for line in raw:
        if line.item is None:
            for said in line.pending:
                ref = said.refs[0]
                loose_choices.append(Choice(ref.group, ref.option, said.qualifier, said.exclude))
    raw = [part for line in raw for part in _split_marked(lexicon, spans, line)]
    lines, inferred = _infer_items(lexicon, raw)
    _place_loose(lexicon, lines)
    loose_choices = list(_amount_said_again(tuple(loose_choices)))
    if reader.spread:
        _spread(lexicon, lines, reader.spread_from, reader.spread_at)
    for line in lines:
        if line.excepted is not None:
            start, end = line.excepted
            line.choices = [(ref, said) for ref, said in line.choices if not start < said.at < end]
    out: list[OrderLine] = []
    for line in lines:
        if line.item is None:
            continue
        choices = _one_each(lexicon, tuple(_qualifier_ok(lexicon, c) for c in _choices(line)))
        choices = _amount_said_again(choices)
        out.append(OrderLine(line.item, line.quantity, choices, line.said, line.inferred))
    out = _joined(lexicon, out, tokens)
    nums = [
        s
        for s in spans
        if s.kind is Kind.NUM and isinstance(s.value, int) and s.text not in ARTICLES
    ]
    if not out and nums:
        value = nums[-1].value
        loose_quantity = value if isinstance(value, int) else None
    return OrderParse(
        lines=out,
        loose_choices=loose_choices,
        loose_quantity=loose_quantity,
        # ("3 mexican cokes" for the mexican coca cola: a word of the dish's own name is known)
        unknown=[
            word
            for word in reader.unknown
            if not any(lexicon.in_name(line.item, word.split()) for line in out)
        ],
        menu_spans=sum(1 for s in spans if s.kind == _MENU),
        inferred=inferred,
        counted=any(s.kind is Kind.NUM for s in spans),
        paired=reader.paired,
    )
