"""Edits of lines already ordered: which lines a message points at, and what it does to them.

`read_edit` reads a message such as "make the second pizza large", "add olives to both", "swap
the coke for a sprite", "one of them with no mayo", "take off one of the cookies" or "same
again" into an `Edit`: the reference ("the second pizza", "both", "one of them") as a `Ref`,
and what is said around it (the new item, options to put on or take off, a quantity). Which
cart lines the reference means is decided later, against the cart and the conversation
(`graph.dialogue`); here nothing is known but the menu.

A reference is a pronoun ("it", "them"), a definite noun phrase ("the coke", "my fries", "the
chicken one", "the one with ham", "the first pizza", "the other one"), a whole ("both", "all of
them", "either of them"), or a part of one of those ("one of them", "two of the pizzas"). An
option said with "the" and no noun ("hold the mayo") is an option, not a reference.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeGuard

from graph.nlu.grammar import parse_order
from graph.nlu.lexicon import Entry, Lexicon, OptionRef
from graph.nlu.people import left_out, owner_said
from graph.nlu.reading import Choice, Edit, EditOp, Qualifier, Ref
from graph.nlu.words import (
    COMMON_WORDS,
    GRAMMAR,
    LET_GO_OF_IT,
    NUMBER_WORDS,
    TAKE_OFF_VERBS,
    TRAIT_SAID,
    Kind,
    amount_before,
    count_of,
    count_pattern,
    is_count,
    verbs_pattern,
)

_DETS = frozenset(
    {"the", "my", "that", "this", "those", "these", "our", "your", "ur", "da", "another"}
)
_POINTING = frozenset({"that", "this", "those", "these"})
_IT = frozenset({"it"})
_THEM = frozenset({"them", "em", "they", "those", "these"})
_EVERY = frozenset({"both", "all", "each", "either", "every", "any"})
_INTO = ("on", "to", "in", "onto", "into")  # "vanilla syrup in all three"
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "last": -1,
    "middle": 0,  # of an odd number of lines
    "latter": -1,
    "former": 1,
    "final": -1,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_PLAIN = frozenset({p[0] for p in GRAMMAR if len(p) == 1}) | frozenset(NUMBER_WORDS)
_EDIT_VERBS = frozenset({"make", "change", "switch", "swap", "turn", "do", "have", "want"})
_AFTER_COUNT = frozenset(
    {"with", "without", "w", "no", "to", "into", "for", "a", "an", "as", "on", "in"}
)
_LEADING = frozenset(
    {"and", "ok", "okay", "oh", "actually", "make", "also", "but", "so", "um", "uh", ",", "please"}
)
_ONE = frozenset({"one", "ones"})
_NOT_A_LINE = frozenset({"time", "way", "morning", "evening", "afternoon", "week", "weekend"})
_OFF_WORDS = frozenset({"off", "out", "away", "less"})
_JOIN = frozenset({"and", ",", "but"})  # "two of them iced and one hot"
_MORE_WORDS = frozenset({"and", "also", "plus", "+"})  # "and one small mediterranean": more
_ON_SOME = frozenset({"on", "onto", "in"})  # "sour cream on one", "a shot in two"
_END_WORDS = frozenset({"", ".", "!", "please", "pls", "too", "then", "only", "thanks"})
_OPPOSITES = {"hot": "iced", "warm": "iced", "caffeinated": "decaf", "unsweetened": "sweet"}
# Options a dish is made without unless asked ("not decaf" on a new espresso says nothing more)
MADE_SO = frozenset(_OPPOSITES.values())
_ONTO = frozenset({"on", "onto", "to", "from", "off", "for"})  # "... on the chicken"
_COUNTS = {**NUMBER_WORDS, "a couple": 2, "couple": 2, "a few": 3, "some": 0, "half": 0}
# Words that may stand between a determiner and its noun without naming anything on the menu.
_NOUN_FILLERS = frozenset(
    {"other", "same", "extra", "new", "original", "plain", "regular", "normal", "usual"}
)
# Categories of the usual menus and the words a customer uses for any item in them.
_KINDS = {
    "drink": ("drink", "beverage", "soda", "pop", "bev"),
    "beverage": ("drink", "beverage", "soda", "pop"),
    "sandwich": ("sandwich", "sub", "hoagie", "hero"),
    "sub": ("sandwich", "sub", "hoagie", "hero"),
    "side": ("side",),
    "dessert": ("dessert", "sweet", "treat"),
    "entree": ("entree", "main"),
    "main": ("main", "entree"),
    "pizza": ("pizza", "pie"),
    "burger": ("burger",),
    "coffee": ("coffee", "drink"),
    "cookie": ("cookie",),
    "chip": ("chip", "bag"),
}
# What a dish is served in or as, said before "of" and the dish ("a bag of the baked ones")
_SERVINGS = frozenset({"bag", "order", "cup", "can", "bottle", "glass", "serving", "box", "side"})
_STOP_WORDS = frozenset({"of", "and", "the", "a", "an", "with", "or", "n", "style", "&"})
# Around a trait word: "not", "non", "no" before it and "free", "less" after it say a line
# lacks it ("the non coffee one", "the meat free one"); what opens a trait said after "one"
# ("the one without meat", "the one that's not coffee", "the one in the tortilla").
_NOT_TRAIT = frozenset({"not", "non", "no", "isnt", "aint", "without", "lacks"})
_TRAIT_FREE = frozenset({"free", "less"})
_TRAIT_CUES = frozenset({"with", "w", "without", "that", "thats", "which", "in", "wrapped"})
_SAID_OF = frozenset({"that", "thats", "which"})
_TRAIT_SKIP = frozenset({"is", "s", "has", "have", "got", "in", "a", "an", "the", "some", "any"})

# "swap A for B", "change A to B", "replace A with B"; "substitute B for A" the other way round.
_SWAP = re.compile(
    r"\b(?:swap|switch|change|replace|exchange|trade|substitute|turn|convert|upgrade|"
    r"downgrade|sub(?= (?:in|out|it|that|for)\b))\b"
)
_SWAP_INTO = frozenset({"for", "to", "with", "into", "by"})
_INSTEAD_OF = re.compile(r"\b(?:instead of|rather than|in place of|in stead of|not)\b")
_MAKE = frozenset({"make", "turn"})
_AMOUNT_NOUNS = frozenset({"amount", "portion", "serving", "helping", "bit", "lot"})
_SAID_ON = (["with"], ["w"], ["still"], ["but"])
_BE = frozenset({"be", "become"})  # "two of those cokes should be diet cokes"
_BACK_TO = re.compile(r"\b(?:go|going|switch|change) back to\b|\bback to the\b")
_ARTICLES = frozenset({"a", "an", "into"})
_OPENERS = frozenset({"sorry", "no", "oh", "oops", "wait", "actually", "ah", ",", ".", "and", "um"})
_INSTEAD = re.compile(r"\b(?:instead|in stead|rather)\b")
_IS_FINE = re.compile(
    r"(?:^|, |and |but )((?:\w+ ){0,2}\w+) (?:is|are|r) (?:fine|ok|okay|good|alright)\b"
)
# "normal sauce is fine": the amount as it comes, of an option the line keeps
_NORMAL_AMOUNT = re.compile(r"\b(?:normal|usual|standard)\b")
# "less vanilla, just normal", "not so much ice, the regular amount": an amount said relative
# to the line's, down (or up) to the normal one
_LESS_TO_NORMAL = re.compile(r"\b(?:less|not (?:as|so) much|more)\b")
_AS_NORMAL = re.compile(
    r"\b(?:(?:just|back to|the) (?:normal|regular|usual)(?! \w+(?<!amount)\b)"
    r"|(?:normal|regular|usual|standard) amount)\b"
)
# "with just ham", "only with ham": these options and no others ("with just one extra shot":
# how many of one)
WITH_JUST = re.compile(
    r"\b(?:with (?:just|only)(?! (?:one|two|three|\d+)\b)|(?:just|only) with|"
    r"but (?:just|only)(?! (?:a|an|one|two|\d+)\b))\b"
)
# "nothing else on it", "with nothing extra", "without anything on it": a dish plain
_NOTHING_ON = re.compile(
    r"\bnothing (?:else |extra )?on (?:it|that|this|them|there)\b|"
    r"\b(?:with nothing|without anything|not anything)(?: else| extra)?\b|\bno extras\b"
)
# ("make one of them just pepperoni": the verb before "just" too)
_JUST_OPTIONS = re.compile(
    r"(?:(?:no|nah|wait|sorry|actually|oh|ok|um|,|make|have) )*(?:just|only) "
)
# "double that", "double the shakes" (the dishes; "double the bacon" was read as extra bacon),
# "same again on the pepsis": as many more as the line has
_DOUBLE = re.compile(
    r"\bdouble (?:up )?(?:on )?(?:it|that|them|those|these|this|everything|the|my|both|all)\b|"
    r"\btwice\b|\bsame again (?:on|of) (?:the|those|that|these|this|my|both|all)\b"
)


@dataclass(frozen=True, slots=True)
class _Words:
    """The nouns a customer uses for the items of one menu, and for its option groups."""

    of_item: dict[str, frozenset[str]]  # item key -> class words (singular)
    names: dict[str, frozenset[str]]  # item key -> the words of its own names only
    labels: dict[str, frozenset[str]]  # item key -> the words of its label and key
    nouns: frozenset[str]
    kinds: frozenset[str]  # the nouns of whole categories ("pizza", "sub", "drink")
    groups: dict[str, str]  # a group's own word ("rice", "beans", "sauce") -> group key
    # the last word of options' names when it is no option itself ("provolone cheese", "swiss
    # cheese": "cheese") -> those options
    option_kinds: dict[str, tuple[tuple[str, str], ...]]
    # the words of options' names ("party", "pulled", "pork"): "the pulled pork one"
    option_words: frozenset[str] = frozenset()


def singular(word: str) -> str:
    """A noun without its plural ending: "cookies" -> "cookie", "fries" -> "fry"."""
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "toes", "oes")):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


_WORDS: weakref.WeakKeyDictionary[Lexicon, _Words] = weakref.WeakKeyDictionary()


def _words_of(lexicon: Lexicon) -> _Words:
    """The menu's nouns, built once per lexicon."""
    found = _WORDS.get(lexicon)
    if found is not None:
        return found
    menu = lexicon.menu
    of_item: dict[str, frozenset[str]] = {}
    names: dict[str, frozenset[str]] = {}
    labels: dict[str, frozenset[str]] = {}
    all_kinds: set[str] = {k for ks in _KINDS.values() for k in ks}
    for category in menu.categories:
        kind = {
            singular(w) for w in re.findall(r"[a-z]+", f"{category.key} {category.label}".lower())
        }
        kinds = {k for w in kind for k in _KINDS.get(w, ())} | kind
        all_kinds.update(kinds)
        for item in category.items:
            said = " ".join((item.label, item.key.replace("_", " "), *item.aliases)).lower()
            own = {singular(w) for w in re.findall(r"[a-z]+", said)} - _STOP_WORDS
            names[item.key] = frozenset(own)
            label = f"{item.label} {item.key.replace('_', ' ')}".lower()
            labels[item.key] = frozenset(singular(w) for w in re.findall(r"[a-z]+", label))
            words = own | kinds
            for word in list(words):
                words.update(_KINDS.get(word, ()))
            of_item[item.key] = frozenset(w for w in words if w not in _STOP_WORDS and len(w) > 1)
    groups: dict[str, str] = {}
    for group in menu.option_groups:
        for word in re.findall(r"[a-z]+", f"{group.key} {group.label}".lower()):
            if len(word) > 2 and word not in _STOP_WORDS:
                groups.setdefault(singular(word), group.key)
        if group.key in lexicon.protein_groups:
            # "extra meat", "double protein": the filling's own words, whatever its name
            groups.setdefault("meat", group.key)
            groups.setdefault("protein", group.key)
    option_kinds: dict[str, list[tuple[str, str]]] = {}
    for group in menu.option_groups:
        for option in group.options:
            for name in {option.label.lower(), *(a.lower() for a in option.aliases)}:
                spelled = re.findall(r"[a-z]+", name)
                last = spelled[-1] if len(spelled) > 1 else ""
                if len(last) > 2 and last not in _STOP_WORDS and not lexicon.phrases.get((last,)):
                    kinds_of = option_kinds.setdefault(singular(last), [])
                    if (group.key, option.key) not in kinds_of:
                        kinds_of.append((group.key, option.key))
    nouns = frozenset(w for ws in of_item.values() for w in ws)
    named_by = frozenset(
        singular(w)
        for group in menu.option_groups
        for option in group.options
        for w in re.findall(r"[a-z]+", option.label.lower())
        if len(w) > 2 and w not in _STOP_WORDS
    )
    found = _Words(
        of_item,
        names,
        labels,
        nouns,
        frozenset(all_kinds),
        groups,
        {word: tuple(options) for word, options in option_kinds.items() if len(options) > 1},
        named_by,
    )
    _WORDS[lexicon] = found
    return found


def _opposite_options(lexicon: Lexicon, word: str) -> tuple[tuple[str, str], ...]:
    """The option a plain word says a line lacks ("hot": not iced), when the menu has it and
    the word itself is no menu word."""
    other = _OPPOSITES.get(word)
    if other is None or lexicon.phrases.get((word,)):
        return ()
    entry = lexicon.phrases.get((other,))
    return tuple((o.group, o.option) for o in entry.options) if entry is not None else ()


def kind_words(lexicon: Lexicon) -> frozenset[str]:
    """The nouns of whole categories the menu's items answer to ("pizza", "drink")."""
    return _words_of(lexicon).kinds


def option_kinds(lexicon: Lexicon) -> dict[str, tuple[tuple[str, str], ...]]:
    """Words that end the names of several options and name none themselves ("crust":
    thin crust, stuffed crust) -> those options (group key, option key)."""
    return _words_of(lexicon).option_kinds


def item_words(
    lexicon: Lexicon, item: str, *, own: bool = False, label: bool = False
) -> frozenset[str]:
    """The nouns an item answers to: its names' words and its kind's ("burger", "drink",
    "sub"); with `own`, its names' words only; with `label`, its label's only."""
    words = _words_of(lexicon)
    table = words.labels if label else words.names if own else words.of_item
    return table.get(item, frozenset())


def the_dish_with(lexicon: Lexicon, words: Iterable[str]) -> str | None:
    """The one available dish whose own names hold all these words, if exactly one does ("2
    raspberry ones": the raspberry cheesecake)."""
    wanted = set(words)
    found = [
        key
        for key, item in lexicon.items.items()
        if item.available and wanted <= item_words(lexicon, key, own=True)
    ]
    return found[0] if len(found) == 1 else None


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    ref: Ref


class _Refs:
    """The references of one message, found token by token."""

    def __init__(self, lexicon: Lexicon, tokens: Sequence[str]) -> None:
        self.lex = lexicon
        self.words = _words_of(lexicon)
        self.t = list(tokens)
        self.n = len(tokens)
        # Where the message proper starts, past "and", "ok", "actually", "make":
        self._start = 0
        while self._start < self.n and self.t[self._start] in _LEADING:
            self._start += 1

    def _tok(self, i: int) -> str:
        return self.t[i] if 0 <= i < self.n else ""

    def _menu(self, i: int) -> tuple[int, Entry | None]:
        return self.lex.lookup(self.t, i) if i < self.n else (0, None)

    def _noun(self, i: int) -> bool:
        word = self._tok(i)
        return singular(word) in self.words.nouns and not self.lex.phrases.get((word,))

    def _ordinal(self, i: int) -> tuple[int, int] | None:
        """An ordinal at i: (its value, tokens it takes)."""
        word = self._tok(i)
        if word in _ORDINALS:
            return _ORDINALS[word], 1
        if word.isdigit() and self._tok(i + 1) in _ORDINAL_SUFFIXES:
            return int(word), 2
        return None

    def noun_phrase(
        self,
        i: int,
        *,
        loose: bool = False,
        kinds: bool = True,
        line: bool = False,
        selects: bool = True,
    ) -> tuple[int, Ref] | None:
        """What follows a determiner: [ordinal] [other] modifiers* [one(s) | noun], to a Ref;
        `loose` takes options with no noun too ("two of the supreme"); `line`: a line is
        expected ("no pickles on the chicken"), so an option's name that is also a word of
        dishes' names is that word."""
        j = i
        ordinal: int | None = None
        other = False
        found = self._ordinal(j)
        more: list[int] = []
        if found is not None:
            ordinal, used = found
            j += used
            span = self._tok(j)
            size = NUMBER_WORDS.get(span) or (int(span) if span.isdigit() else 0)
            if ordinal in (1, -1) and 1 < size < 10:
                # "the first two", "the last 3 pizzas": a run of lines
                run = list(range(1, size + 1)) if ordinal == 1 else list(range(-size, 0))
                ordinal, more = run[0], run[1:]
                j += 1
            # "the first and third", "the 1st and the 3rd one", "the first one and the last one"
            while True:
                at = j + (self._tok(j) == "one" and self._tok(j + 1) in ("and", ",", "&"))
                if self._tok(at) not in ("and", ",", "&"):
                    break
                k = at + 1 + (self._tok(at + 1) == "the")
                also = self._ordinal(k)
                if also is None:
                    break
                if self._options_apart(i, k + also[1]):
                    break
                more.append(also[0])
                j = k + also[1]
        count: int | None = None
        plural_other = False
        if self._tok(j) in ("other", "remaining") or (
            self._tok(j) == "others"
            # ("one of the others swap the american for swiss": counted out of them)
            and (loose or self._menu(j + 1)[0] or self._tok(j + 1) in _AFTER_COUNT)
        ):
            # ("the others medium"; "the others changed their minds" names no line)
            other = True
            plural_other = self._tok(j) == "others"
            j += 1
            number = self._tok(j)
            if (number in NUMBER_WORDS and number != "one") or number.isdigit():
                # "the other two": the line not talked about last, all of its units
                count = NUMBER_WORDS.get(number) or int(number)
                j += 1
        items: list[str] = []
        words: list[str] = []
        options: list[tuple[tuple[str, str], ...]] = []
        without: list[tuple[tuple[str, str], ...]] = []
        option_words: list[tuple[str, ...]] = []
        traits: list[str] = []
        unlike: list[str] = []
        plural = False
        head = one = False
        sized = 0
        while j < self.n and not (
            other
            and not self._noun(j)
            and self._tok(j) not in _ONE
            and (count is not None or self._option_only(j))
        ):
            if more and self._option_only(j) and not self._options_then_one(j):
                break  # "the last two small": what they become, not which
            # ("the other two well done", "the other atomic": after it, what they become)
            tok = self._tok(j)
            if tok in _ONE:
                head = True
                one = bool(options)  # "the buffalo one": named by an option said before it
                plural = tok == "ones"
                j += 1
                break
            length, entry = self._menu(j)
            if length and entry is not None:
                last = self._tok(j + length - 1)
                phrase = tuple(singular(t) for t in self.t[j : j + length])
                if entry.items:
                    items.extend(entry.items)
                    words.extend(w for w in phrase if w not in words)
                    plural = plural or (last.endswith("s") and singular(last) != last)
                    head = True
                elif line and not options and all(w in self.words.nouns for w in phrase):
                    words.extend(phrase)
                    head = True
                    j += length
                    break
                elif entry.options:
                    options.append(tuple((o.group, o.option) for o in entry.options))
                    option_words.append(phrase)
                    if self._sizes(entry, last):
                        # "both mediums", "the larges": the lines of that size
                        j += length
                        head = plural = True
                        break
                j += length
                if entry.items and not self._continues(j):
                    break
                continue
            if (
                tok in SIZE_WORDS
                and (self._tok(j + 1) in _ONE or self._noun(j + 1) or self._menu(j + 1)[0])
                # ("for the little one": a child, not the smaller line)
                and not (tok == "little" and self._tok(j + 1) in _ONE and "for" in self.t[:j])
            ):
                # "the bigger one", "the smaller pizza": the line by its size
                sized = SIZE_WORDS[tok]
                j += 1
                continue
            opposite = self._opposite(tok)
            if opposite and (self._tok(j + 1) in _ONE or self._noun(j + 1) or self._menu(j + 1)[0]):
                # "the hot ones": the lines without the iced option
                without.append(opposite)
                j += 1
                continue
            trait = self._trait(j)
            if trait is not None:
                # "the fishy one", "the meatless one", "the hot drink": what the line is
                name, has, j = trait
                (traits if has else unlike).append(name)
                continue
            if self._noun(j):
                words.append(singular(tok))
                plural = plural or singular(tok) != tok
                head = True
                j += 1
                if self._tok(j) in _ONE:
                    continue
                break  # "the pizza thin crust": the noun ends the reference
            if tok in ("and", "n", "&") and options and self._options_then_one(j + 1):
                j += 1  # "the ham and pineapple one": the options that name the line
                continue
            named_by = self._option_words_then_one(j)
            if named_by:
                # "the pulled pork one", "the party one": words of an option's name
                options.append(self._options_with(named_by))
                option_words.append(named_by)
                j += len(named_by)
                continue
            if tok in _NOUN_FILLERS and j + 1 < self.n:
                if tok in ("plain", "regular", "normal") and self._tok(j + 1) in _ONE:
                    words.append(tok)  # "mayo on the plain one": the line with nothing added
                j += 1
                continue
            break
        if (
            head
            and selects
            # ("add pickles to the burger with mayo": after "to", "on", the dish is a line and
            # what it is with singles it out, the change was said before)
            and not options
            and (line or not (items or words))
            and ordinal is None
            and not other
            and self._tok(j) in ("with", "w", "without", "that", "which")
        ):
            # "the one with ham", "the ones without onions": options that single lines out
            # ("the second one with no onion", "the pepperoni ones with no cheese", "the other
            # one with raspberry": the ordinal, "other" or the options before did; the options
            # after are the change)
            k = j + 1
            negative = self._tok(j) == "without"
            if self._tok(k) in ("has", "have", "had"):
                k += 1
            if self._tok(k) in ("no", "out"):
                negative, k = True, k + 1
            said: list[tuple[tuple[str, str], ...]] = []
            said_words: list[tuple[str, ...]] = []
            while k < self.n:
                if self._tok(k) in ("the", "a", "an") and self._menu(k + 1)[0]:
                    k += 1  # "the one with the extra shot": what it has, said with an article
                if self._tok(k) in ("extra", "light", "double") and self._menu(k + 1)[0]:
                    k += 1  # "the one with extra onions": the onions single it out
                length, entry = self._menu(k)
                if not length or entry is None or not entry.options:
                    break
                said.append(tuple((o.group, o.option) for o in entry.options))
                said_words.append(tuple(singular(t) for t in self.t[k : k + length]))
                k += length
                # "the one with ham and olives" goes on; "the one with ham large" stops at ham
                # ("the one with shrimp, can you add garlic": the modal asks, it is no can)
                if (
                    self._tok(k) not in ("and", "or", ",")
                    or not self._menu(k + 1)[0]
                    or (self._tok(k + 1) in _MODALS and self._tok(k + 2) in _MODAL_SUBJECTS)
                ):
                    break
                k += 1
            if said and self._tok(k) not in ("too", "also", "as"):
                # ("the carnitas one with red salsa too": the options are the change)
                (without if negative else options).extend(said)
                if not negative:
                    option_words.extend(said_words)  # "the one with pepperoni": maybe its name
                j = k
        if head and selects and ordinal is None and not other and not (traits or unlike):
            # "the one without meat", "the one that's not coffee", "the one in the tortilla"
            trait = self._trait_after(j)
            if trait is not None:
                name, has, j = trait
                (traits if has else unlike).append(name)
        if other and (count is not None or plural_other):
            head = True
        kind = (
            kinds
            and bool(options)
            and all(kind_group(group) for said in options for group, _ in said)
        )
        if ordinal is None and not other and not head and not ((loose or kind) and options):
            # "the mayo": an option said with "the", not a line ("the hawaiian" is one: its
            # style says what the line is)
            return None
        return j, Ref(
            ordinal=ordinal,
            ordinals=tuple(more),
            other=other,
            plural=plural or count is not None,
            items=tuple(dict.fromkeys(items)),
            words=tuple(words),
            options=tuple(options),
            option_words=tuple(option_words),
            without=tuple(without),
            sized=sized,
            traits=tuple(traits),
            unlike=tuple(unlike),
            one=one,
        )

    def _trait(self, j: int) -> tuple[str, bool, int] | None:
        """A trait said before "one" or a kind's noun at j ("fishy one", "non coffee one", "meat
        free one", "hot drink"): (the trait, whether the line has it, where it ends). A word of
        the menu's names is the menu's, unless a kind's noun follows it ("the hot drink" beside
        a hot cocoa; "the hot one" is the cocoa, `graph.dialogue.named`)."""
        k = j + (self._tok(j) in _NOT_TRAIT)
        said = TRAIT_SAID.get(self._tok(k))
        if said is None or (self._menu(k)[0] and k == j):  # ("the non coffee one": not it)
            return None
        end = k + 1 + (self._tok(k + 1) in _TRAIT_FREE)
        after = self._tok(end)
        negated = k > j or end > k + 1
        if not (
            singular(after) in self.words.kinds
            or (after in _ONE and (negated or not self._noun(k)))
        ):
            return None  # ("the spicy chicken sandwich": a dish the menu may not have)
        name, has = said
        return name, has != negated, end

    def _trait_after(self, j: int) -> tuple[str, bool, int] | None:
        """A trait said after "one" at j ("without meat", "with no fish", "that's not coffee",
        "that isn't spicy", "in the tortilla"): (the trait, whether the line has it, where it
        ends)."""
        if self._tok(j) not in _TRAIT_CUES:
            return None
        has = self._tok(j) != "without"
        k = j + 1
        while self._tok(k) in _TRAIT_SKIP or self._tok(k) in _NOT_TRAIT:
            has = has and self._tok(k) not in _NOT_TRAIT
            k += 1
        said = TRAIT_SAID.get(self._tok(k))
        if (
            said is None
            # ("the one that's not coffee": what it is, said of it, even a dish's name)
            or (self._menu(k)[0] and self._tok(j) not in _SAID_OF)
            or (self._tok(j) == "in" and said[0] != "tortilla")
        ):
            return None
        return said[0], said[1] == has, k + 1

    def _option_words_then_one(self, j: int) -> tuple[str, ...]:
        """The words from j, up to "one" or "ones", when each is a word of an option's name
        and no menu phrase of its own ("pulled pork one"); else none."""
        k = j
        while k < self.n and k - j < 3 and not self._menu(k)[0]:
            word = self._tok(k)
            if not word.isalpha() or singular(word) not in self.words.option_words:
                break
            k += 1
        if k == j or self._tok(k) not in _ONE:
            return ()
        return tuple(singular(t) for t in self.t[j:k])

    def _options_with(self, words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """The options whose names hold all these words ("pulled pork": bbq pulled pork)."""
        return tuple(
            (group.key, option.key)
            for group in self.lex.menu.option_groups
            for option in group.options
            if set(words) <= {singular(w) for w in re.findall(r"[a-z]+", option.label.lower())}
        )

    def _sizes(self, entry: Entry, word: str) -> bool:
        """Whether a word is a size said as a plural noun ("mediums", "larges")."""
        if not word.endswith("s") or singular(word) == word:
            return False
        groups = [self.lex.groups.get(o.group) for o in entry.options]
        return all(group is not None and group.is_size for group in groups)

    def _opposite(self, word: str) -> tuple[tuple[str, str], ...]:
        return _opposite_options(self.lex, word)

    def _options_then_one(self, j: int) -> bool:
        """Whether options' names from j lead to "one" or a dish's noun ("pineapple one")."""
        while self._option_only(j):
            j += self._menu(j)[0]
            if self._tok(j) in ("and", "n", "&"):
                j += 1
        return self._tok(j) in _ONE or self._noun(j)

    def _options_to_end(self, j: int) -> bool:
        """Whether options' names, naming no dish, run from j to the message's end."""
        if not self._option_only(j):
            return False
        while self._option_only(j):
            j += self._menu(j)[0]
            if self._tok(j) in ("and", "n", "&", ","):
                j += 1
        return self._tok(j) in _END_WORDS or self._tok(j) == "instead"

    def _options_apart(self, i: int, after: int) -> bool:
        """Whether "the first" at i had its options said before it ("hazelnut in the first")
        and the ordinal joined to it ending at `after` has its own after it ("and the last one
        plain"): two references, each with its own options."""
        before = i - 1 - (self._tok(i - 1) == "the")
        if self._tok(before) not in _BEFORE_A_LINE:
            return False
        after += self._tok(after) == "one"
        after += self._tok(after) in ("with", "w", "gets")
        return self._option_only(after) or self._tok(after) in _PLAIN_DISH

    def _option_only(self, j: int) -> bool:
        """Whether an option's name, naming no dish, starts at j."""
        length, entry = self._menu(j)
        return bool(length) and entry is not None and not entry.items

    def _option_ends(self, j: int) -> bool:
        """Whether an option's name ends just before j ("guac": a side or a topping)."""
        for k in range(max(0, j - 3), j):
            length, entry = self._menu(k)
            if k + length == j and entry is not None and entry.options:
                return True
        return False

    def _continues(self, j: int) -> bool:
        """Whether a noun phrase goes on past an item word: "the ham sub", "the chicken one"
        (not "the sprites diet": "diet" names items, not a kind of them)."""
        word = self._tok(j)
        return word in _ONE or (singular(word) in self.words.kinds and not self._menu(j)[0])

    def at(self, i: int, *, loose: bool = False) -> _Found | None:
        """The reference starting at token i, if one does (`loose`: inside "one of ...")."""
        tok = self._tok(i)
        # "one of them", "two of the pizzas", "a couple of those"
        count = _COUNTS.get(tok) if not tok.isdigit() else int(tok)
        step = 1
        if tok in ("a", "couple") and self._tok(i + 1) in ("couple", "few"):
            count, step = _COUNTS.get(f"a {self._tok(i + 1)}"), 2
        if (
            count is not None
            and self._tok(i + step) == "of"
            and self._tok(i + step + 1) in ("those", "these", "them")
            and self._menu(i + step + 2)[0]
        ):
            # "make two of those coke zero": two of the line, made the dish named after
            return _Found(i, i + step + 2, Ref(pronoun=True, plural=True, count=count or None))
        if (
            count
            and self._tok(i + step) == "of"
            and self._tok(i + step + 1) == "the"
            and is_count(self._tok(i + step + 2))
            # ("2 of the one with guac": the one line, two of it)
            and count_of(self._tok(i + step + 2)) != 1
        ):
            # "one of the two with extra cheese": the two are the line talked about; "one of
            # the two pizzas": the line that noun names
            end, ref = i + step + 3, Ref(pronoun=True, plural=True, count=count)
            found = self.noun_phrase(end, loose=True)
            if found is not None and (found[1].items or found[1].words):
                end, ref = found[0], replace(found[1], plural=True, count=count)
            return _Found(i, end, ref)
        if count is not None and self._tok(i + step) == "of":
            inner = self.at(i + step + 1, loose=True)
            if inner is not None:
                return _Found(i, inner.end, replace(inner.ref, count=count or None))
        if (
            count
            and self._tok(i + step) == "extra"
            and self._tok(i - 1) in (*_DETS, *_EVERY)
            and self._noun(i + step + 1)
        ):
            step += 1  # "the two extra subs": those subs (the units added, `Edit.added`)
        if count and self._noun(i + step) and not self._menu(i + step)[0] and not self._menu(i)[0]:
            # "take away one chocolate": a word of an item's name, counted
            phrase = self.noun_phrase(i + step)
            # (not "2 bags of baked lays": a measure of the dish said after it)
            if phrase is not None and phrase[1].words and self._tok(phrase[0]) != "of":
                return _Found(i, phrase[0], replace(phrase[1], count=count))
        if count and (
            (
                (i == self._start or self._tok(i - 1) in _EDIT_VERBS or self._tok(i - 1) in _JOIN)
                and self._tok(i + step) in _AFTER_COUNT
            )
            or (self._tok(i - 1) in TAKE_OFF_VERBS and self._tok(i + step) in _OFF_WORDS)
            # "sour cream on one": one of the line, the option put on it
            or (self._tok(i - 1) in _ON_SOME and self._tok(i + step) in _END_WORDS)
            # "add bacon to one" (not "change it to one", a count)
            or (
                self._tok(i - 1) == "to"
                and self._tok(i + step) in _END_WORDS
                and self._option_ends(i - 1)
            )
            # "one skinny" after two lattes: one of them, made what the one option says (not
            # an order said after "and", a dish told by its size and kind, "1 medium veggie",
            # or a count that is part of the option's name, "3 extra shots")
            or (
                i == self._start
                and self._tok(0) not in _MORE_WORDS
                and not self._menu(i)[0]
                and self._option_only(i + step)
                and self._tok(i + step + self._menu(i + step)[0]) in _END_WORDS
            )
        ):
            # ("take one off, just two": one unit goes)
            # "one with no onions", "change one to a cappuccino": some of the line just ordered
            return _Found(i, i + step, Ref(pronoun=True, count=count, implied=True))
        if tok in _EVERY:
            return self._every(i)
        if tok in _POINTING and self._tok(i + 1) in _NOT_A_LINE:
            return None  # "large this time", "that way"
        length, entry = self._menu(i)
        if (
            tok == "the"
            and length > 1
            and entry is not None
            and entry.options
            and not entry.items
            and self._tok(i + length) in _ONE
        ):
            # "the works one": an option whose name starts with "the"
            said = tuple(singular(t) for t in self.t[i : i + length])
            options = (tuple((o.group, o.option) for o in entry.options),)
            return _Found(i, i + length + 1, Ref(options=options, option_words=(said,)))
        total = count_of(self._tok(i + 1)) if tok in ("the", "those", "these") else None
        if total is not None and total > 1 and not self._menu(i + 1)[0]:
            # "the two large ones", "those 3 iced ones": every line of what the words say, so
            # many units in all (the count is which, no new quantity)
            counted = self.noun_phrase(i + 2, kinds=False)
            if (
                counted is not None
                and counted[1].plural
                # ("make the two bottled waters izzes", "the two burritos get extra rice": the
                # lines of that dish)
                and counted[1].named
            ):
                end, ref = counted
                return _Found(i, end, replace(ref, every=True, total=total))
        if tok == "another" and self._tok(i - 1) not in _MAKE and _MAKE & set(self.t[:i]):
            return None  # "make the lemonade another coke": what the line becomes
        if tok in _DETS:
            # ("another one with bacon": a new one, its options the change, not a selector)
            found = self.noun_phrase(
                i + 1, loose=loose, line=self._tok(i - 1) in _ONTO, selects=tok != "another"
            )
            if (
                found is not None
                and tok in ("that", "this")
                and self._tok(i - 1) in _MAKE
                and found[1].words
                and not (found[1].items or found[1].options)
                and all(t in _END_WORDS for t in self.t[found[0] :])
            ):
                # "make that chocolate" on a vanilla shake: what it becomes, no shake named
                found = None
                if not self._menu(i + 1)[0]:
                    return _Found(i, i + 1, Ref(pronoun=True))
            if found is None and tok == "the" and self._tok(i - 1) in _MAKE:
                # "make the pepperoni an extra large": options named, then what the line becomes
                # ("make the mayo a light one", "a regular amount": an amount of the option)
                named = self.noun_phrase(i + 1, loose=True)
                if named is not None and named[1].options and self._tok(named[0]) in ("a", "an"):
                    size = self._menu(named[0] + 1)[0]
                    if size and self._tok(named[0] + 1 + size) not in _AMOUNT_NOUNS:
                        found = named
            if found is not None:
                end, ref = found
                if tok in ("those", "these"):
                    ref = replace(ref, plural=True)
                elif tok in _POINTING and ref == Ref():
                    ref = Ref(pronoun=True)  # "put caramel on that one": the line pointed at
                if ref.words and set(ref.words) <= _SERVINGS and self._tok(end) == "of":
                    # "another bag of the first one": the line said after the serving's word
                    inner = self.at(end + 1, loose=True)
                    if inner is not None:
                        return _Found(i, inner.end, inner.ref)
                return _Found(i, end, ref)
            if tok in _POINTING and not self._menu(i + 1)[0]:
                return _Found(i, i + 1, Ref(pronoun=True, plural=tok in _THEM))
            return None
        if tok in _THEM and self._tok(i + 1) in ("all", "both"):
            return _Found(i, i + 2, Ref(every=True, plural=True))  # "make them all large"
        if tok in _IT or tok in _THEM or (loose and tok == "us"):
            # ("one of us wants ...": one of the lines we all have, as "one of them")
            return _Found(i, i + 1, Ref(pronoun=True, plural=tok in _THEM or tok == "us"))
        if i == self._start and self._ordinal(i) is not None:
            # "middle one add ham too", "2nd burger no pickles": the determiner left out
            found = self.noun_phrase(i)
            if found is not None and (found[1].named or self._tok(found[0] - 1) in _ONE):
                return _Found(i, found[0], found[1])
        return None

    def _every(self, i: int) -> _Found | None:
        tok = self._tok(i)
        j = i + 1
        if (
            self._tok(j) == "of"
            and self._tok(j + 1) in ("those", "these")
            and (
                (self._tok(i - 1) in _MAKE and self._option_only(j + 2))
                or (i == self._start and self._options_to_end(j + 2))
            )
        ):
            # "make both of those 2 liter", "both of those large instead": every one of them,
            # made what the options say
            return _Found(i, j + 2, Ref(every=True, plural=True))
        if self._tok(j) == "of":
            inner = self.at(j + 1, loose=True)
            if inner is not None:
                return _Found(i, inner.end, replace(inner.ref, every=True, pronoun=False))
            return None
        if self._tok(j) in _DETS:
            j += 1
        found = self.noun_phrase(j, kinds=False)  # "both thin crust": what to make them
        if found is not None and (found[1].named or found[1].ordinal is None):
            end, ref = found
            return _Found(i, end, replace(ref, every=True, plural=True))
        total = count_of(self._tok(j))
        counted = self.noun_phrase(j + 1, kinds=False) if total is not None and total > 1 else None
        if counted is not None and counted[1].named:
            # "on all three burritos": every one of the dish, so many in all
            end, ref = counted
            return _Found(i, end, replace(ref, every=True, plural=True, total=total))
        if (
            tok in ("both", "either", "each")
            or (tok == "all" and self._tok(i - 1) in (*_INTO, *_EDIT_VERBS))
            or (tok == "all" and i == self._start)
        ):
            # "make all iced", "all w/ green salsa"; "make all four large": four units in all
            one = self._tok(i + 1) == "one"
            total = NUMBER_WORDS.get(self._tok(i + 1)) or (
                int(self._tok(i + 1)) if self._tok(i + 1).isdigit() else None
            )
            if total is not None and total > 1 and not self._menu(i + 1)[0]:
                # (not "both 2 liter": the number starts an option's name)
                return _Found(i, i + 2, Ref(every=True, plural=True, total=total))
            return _Found(i, i + 1 + one, Ref(every=True, plural=True))
        return None

    def all(self) -> list[_Found]:
        """Every reference in the message, left to right, none inside another."""
        found: list[_Found] = []
        i = 0
        while i < self.n:
            ref = self.at(i)
            if ref is None:
                i += 1
                continue
            found.append(ref)
            i = max(ref.end, i + 1)
        return found


def find_refs(lexicon: Lexicon, tokens: Sequence[str]) -> list[tuple[int, int, Ref]]:
    """The references in a tokenized message: (start, end, ref), left to right."""
    return [(f.start, f.end, f.ref) for f in _Refs(lexicon, tokens).all()]


@dataclass(frozen=True, slots=True)
class _Said:
    """What a part of a message says, as the order grammar reads it."""

    choices: list[Choice]
    items: list[tuple[tuple[str, ...], tuple[str, ...]]]  # (item keys, the phrase's words)
    quantity: int | None
    lines: list[tuple[str, int, tuple[Choice, ...], bool]]
    unknown: list[str]  # words that looked like a dish or an option but matched nothing


def _said(lexicon: Lexicon, tokens: list[str], options_first: bool = False) -> _Said:
    """Options, items and a quantity said in some tokens (the part of a message that is not a
    reference); with `options_first`, a phrase naming an item and an option is the option
    ("swap the sour cream for guac": an option in another's place)."""
    if not tokens:
        return _Said([], [], None, [], [])
    parsed = parse_order(lexicon, tokens)
    lines = [(line.item, line.quantity, line.choices, line.quantity_said) for line in parsed.lines]
    items: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    options: list[Choice] = []
    ordered = {line[0] for line in lines}
    i = 0
    while i < len(tokens):
        length, entry = lexicon.lookup(tokens, i)
        # "add guac": a phrase that names an item and an option is the option unless the
        # grammar ordered it as the item
        if length and entry is not None and entry.items:
            before = set(tokens[max(0, i - 2) : i])
            after = set(tokens[i + length : i + length + 2])
            amount = amount_before(tokens, i)  # ("lots of guac", "hold the guac")
            if amount is None and tokens[i + length : i + length + 1] in (["extra"], ["light"]):
                amount = tokens[i + length]  # "make the guac extra"
            as_option = (
                bool(entry.options)
                and (
                    options_first
                    or not ordered & set(entry.items)
                    or bool(_OPTION_CUE & before)
                    or amount is not None
                    or bool(_OFF_AFTER & after)  # "take the guac off one of them"
                    or tokens[i + length : i + length + 1]
                    in (["on"], ["onto"], ["in"])  # "guac on all"
                )
            )
            if not as_option:
                words = tuple(singular(t) for t in tokens[i : i + length])
                items.append((entry.items, words))
            elif ordered & set(entry.items):
                # "extra guac": the grammar ordered the side; here it is the option
                ref = entry.options[0]
                qualifier: Qualifier | None = (
                    "extra"
                    if before & _EXTRA or amount == "extra"
                    else "light"
                    if before & _LIGHT or amount == "light"
                    else None
                )
                exclude = bool(before & _NEG) or amount == "no"
                options.append(Choice(ref.group, ref.option, qualifier, exclude))
                lines = [line for line in lines if line[0] not in entry.items]
        i += max(length, 1)
    # Options read with an item the grammar inferred from them ("olives" at a pizzeria is a
    # pizza with olives) are options here: the line is the reference's, not a new one.
    choices = list(
        dict.fromkeys([*parsed.loose_choices, *(c for line in lines for c in line[2]), *options])
    )
    quantity = next((count for _, count, _, said in lines if said), parsed.loose_quantity)
    if quantity is None:
        quantity = _set_to(tokens)
    return _Said(choices, items, quantity, lines, list(parsed.unknown))


_MODALS = frozenset({"can", "could", "would", "will"})
_OF_THEM = frozenset({"them", "those", "these"})


def _the_rest(tokens: list[str]) -> list[str]:
    """ "Two of those large, (the) rest (of them) small": the rest as "the others", the units
    not counted (not "the rest of the order")."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        after = tokens[k + 1 : k + 3]
        if tok == "rest" and (not out or out[-1] in ("the", ",", "and")):
            if after[:1] == ["of"] and after[1:] and after[1] not in _OF_THEM:
                out.append(tok)
                k += 1
                continue
            out += ["others"] if out[-1:] == ["the"] else ["the", "others"]
            k += 3 if after[:1] == ["of"] else 1
            continue
        out.append(tok)
        k += 1
    return out


_SUBJECTS_OF_MODAL = frozenset({"you", "u", "ya", "i", "we"})
# Option groups that say what kind of dish a line is (its style, its filling), as opposed to
# what is on it: "remove the hawaiian" removes the pizza, "remove the onions" takes them off.
_KIND_WORDS = ("style", "kind", "type", "flavor", "flavour", "filling", "variety", "roast")


_REMOVE_LINE = re.compile(
    r"^(?:(?:and|oh|ok|okay|actually|please|so|on second thought),? )*(?:remove|delete|forget|"
    r"scratch|cancel|drop|lose|nix|ditch|skip|get rid of|no more|never ?mind)\b"
)


def kind_group(group: str) -> bool:
    """Whether an option group says what kind of dish a line is (its style, its filling)."""
    return any(word in group for word in _KIND_WORDS)


_MODAL_SUBJECTS = frozenset(
    {"you", "u", "i", "we", "ya", "one", "it", "that", "this", "they", "these", "those", "both"}
    | {"the", "my", "all", "each", "either"}
)
_NO_MORE = re.compile(
    r"^(?:(?:actually|oh|and|but|ok|okay|hmm|wait|so),? )*"
    # ("my husband says no hamburger": the person is gone from the words, their verb stays)
    r"(?:(?:says|said|wants|decided),? )?"
    r"(?:no(?! ,? ?(?:wait|actually|sorry|no|make|change|switch|go|i|a|an)\b)|skip|nix)\b"
)
# an option said for a dish ("no onions on the burger", "no cheese for the kids' one")
_ON_A_LINE = re.compile(r"\b(?:on|for|from|in|with)\b")
_FROM_A_LINE = re.compile(r"\b(?:on|from|in|off (?:of )?the)\b")
_DO_ANEW = re.compile(r"[,.;] (?:(?:and|then|but|i ?ll|i will) )?(?:just |only )?(?:do|have|get)\b")
_OFF = re.compile(
    r"\b(?:leave|take|pull|keep|scrape|pick|hold)\b.*\b(?:off|out)\b|"
    r"\b(?:remove|delete|get rid of|lose|ditch|skip|nix|minus|drop|scratch|forget|"
    # ("never mind then, ranch on it": a remark before the change)
    r"never ?mind(?!(?: then| that| it| though| actually)? ,))\b"
)
# Words before a phrase that names both an item and an option ("guac") that make it the option.
_OPTION_CUE = frozenset(
    {"extra", "light", "no", "without", "more", "double", "add", "with", "put", "some", "less"}
    | {"move", "shift"}
    | {"gets", "has"}  # "only one of them gets guac": what the line has
)
# "move the bacon onto the chicken one", "put the bacon on the ham one instead"
_MOVE = re.compile(
    r"\b(?:move|shift|transfer)\b|\bput\b.*\binstead\b|"
    # "bacon on the cheeseburger not the double": off the one, onto the other
    r"\b(?:on|onto) (?:the|my|his|her) [\w' ]+?,? (?:and )?not (?:on )?(?:the|my|his|her)\b"
)
_MOVE_WORDS = frozenset({"move", "shift", "transfer", "onto"})
_OFF_AFTER = frozenset({"off", "from"})
_ON_DISH = frozenset({"on", "onto", "in", "for"})
_HOLD = frozenset({"hold", "skip", "minus", "easy"})
_GO_EASY = frozenset({"light", "easy", "extra", "heavy", "lots", "more", "less", "go"})
_EXTRA = frozenset({"extra", "more", "double"})
_LIGHT = frozenset({"light", "less"})
_NEG = frozenset({"no", "without"})
_ALL_COUNT = re.compile(r"\b(?:all|both|each of) (?:the )?(?:\d+|two|three|four|five|six)\b")
# "make it two", "change that to 3", "... and make it 2": a quantity said as the new value.
_SET_TO = re.compile(
    r"\b(?:make|change|turn|up|down) (?:it|that|them|those|this)? ?(?:to )?(\w+)$|\bto (\w+)$"
)


def _leftover(lexicon: Lexicon, tokens: Sequence[str]) -> list[str]:
    """Words said for a line that are neither the menu's nor plain ordering language ("oat
    milk" at a coffee shop without it)."""
    return [
        word
        for word in _uncovered(lexicon, tokens)
        if word.isalpha() and len(word) > 2 and word not in COMMON_WORDS and word not in _PLAIN
    ]


def _options_named(lexicon: Lexicon, ref: Ref) -> list[OptionRef]:
    """The options the words of a reference name too ("guac": the side and the topping)."""
    words = list(ref.words)
    for start in range(len(words)):
        length, entry = lexicon.lookup(words, start)
        if length and entry is not None and entry.options:
            return list(entry.options[:1])
    return []


_AMOUNTS = (["extra"], ["light"], ["double"])


def _parts(
    lexicon: Lexicon, tokens: Sequence[str], refs: list[tuple[int, int, Ref]]
) -> tuple[tuple[tuple[int, tuple[Choice, ...]], ...], tuple[int, ...]]:
    """ "Two of them with whipped cream and one with crumbles": each count said with its own
    options, when there are two or more; and which parts were said plain ("the other plain")."""
    counted = [
        (start, end, ref.count if ref.count else _number_in(tokens[start:end]) or 0)
        for start, end, ref in refs
        if ref.count or ref.other  # "the other two", "the other": the rest (0)
    ]
    # "the first with white rice and the second with brown": one unit (or line) each
    places = {
        start: ref.ordinal
        for start, end, ref in refs
        # ("3rd same as the first": the first is whose options, not a part)
        if _unit_ordinal(ref)
        and not (ref.count or ref.other)
        and tokens[start - 1 : start] not in (["as"], ["like"])
    }
    counted += [(start, end, 1) for start, end, _ in refs if start in places]
    if places:
        # "1st one pepperoni, 2nd just ham, 3rd with olives": a bare ordinal opening a clause
        # is the next unit too
        for k, tok in enumerate(tokens):
            value = _ORDINALS.get(tok, 0)
            opens = k - (tokens[k - 1 : k] == ["the"])
            if (
                value > 0
                and (not opens or tokens[opens - 1] in (",", "and", ";", "."))
                and not any(start <= k < end for start, end, _ in refs if start in places)
            ):
                places[k] = value
                # ("second one steak": the "one" is the ordinal's, no count of its own)
                counted.append((k, k + 1 + (tokens[k + 1 : k + 2] == ["one"]), 1))
    for k, tok in enumerate(tokens[:-1]):
        # "make the fries one large and one small": a count right before an option ("one with
        # pepperjack one with cheddar": or its "with")
        count = NUMBER_WORDS.get(tok) or (int(tok) if tok.isdigit() else 0)
        at = k + 1
        who = tokens[at : at + 2] in (["of", "us"], ["of", "them"])
        if who:
            at += 2  # "two of us want ranch on it, two want chipotle": who, then what
        if (
            tokens[at : at + 1]
            and tokens[at] in _PART_WANTS
            and at + 1 < len(tokens)
            # (a count of people heads its clause: not "the chicken one gets corn salsa")
            and (tokens[at] in ("with", "w") or who or not k or tokens[k - 1] in (",", "and"))
        ):
            at += 1
        elif tokens[at : at + 1] in (["without"], ["no"]) and at + 1 < len(tokens):
            at += 1  # "one with onions one without onions": a part without an option
        length, entry = lexicon.lookup(tokens, at)
        option = bool(length) and entry is not None and bool(entry.options) and not entry.items
        if count and option and lexicon.lookup(tokens, k)[0] > 1:
            option = False  # "a 2 liter sprite": the number is the option's own word
        if tokens[k + 1] in _PLAIN_DISH and tokens[k + 2 : k + 3] in ([], ["and"], [","], ["one"]):
            option = True  # "one with bacon and one plain": the plain one is a part too
        elif tokens[k + 1] in _PLAIN_DISH and tokens[k + 2 : k + 3] in (["with"], ["w"]):
            # "2 of them pepperoni, 1 plain with extra cheese": plain but for what it is with
            found = lexicon.lookup(tokens, k + 3 + (tokens[k + 3 : k + 4] in _AMOUNTS))[1]
            option = found is not None and bool(found.options) and not found.items
        if (
            count
            and option
            and not any(start <= k < end for start, end, _ in counted)
            # ("no honey on one of them, give that one caramel": the same unit, no part)
            and tokens[k - 1 : k] not in (["that"], ["this"])
        ):
            counted.append((k, k + 1, count))
    counted.sort()
    # "all large, 2 decaf": every unit one way, then a count of them another (the rest as all)
    rest_as_all = len(counted) == 1 and any(
        ref.every and not ref.named and end <= counted[0][0] and tokens[end : end + 1] != ["of"]
        for _, end, ref in refs
    )
    if (len(counted) < 2 and not rest_as_all) or not any(count for *_, count in counted):
        return (), ()
    parts: list[tuple[int, tuple[Choice, ...]]] = []
    plain: list[int] = []
    # "put corn salsa on one of them and green salsa on the other": each part's options said
    # before it
    # ("hazelnut in the first one, caramel in the second and the last one plain": the first
    # ones' before them, the rest's after)
    befores = [bool(start) and tokens[start - 1] in _BEFORE_A_LINE for start, *_ in counted]
    if any(befores[k + 1] and not befores[k] for k in range(len(befores) - 1)):
        befores = [all(befores)] * len(befores)
    for k, (start, end, count) in enumerate(counted):
        stop = counted[k + 1][0] if k + 1 < len(counted) else len(tokens)
        if befores[k]:
            end, stop = (counted[k - 1][1] if k else 0), start - 1
        segment = [t for t in tokens[end:stop] if t not in ("and", ",", ".")]
        choices = _said(lexicon, segment).choices if segment else []
        copied = _SAME_AS_PLACE.match(" ".join(tokens[start:stop])) if start in places else None
        if copied is not None:
            # "3rd same as the first": the options of the unit in that place (said before)
            place = _ORDINALS.get(copied.group(1), 0)
            like = [
                part
                for (at, *_), part in zip(counted, parts, strict=False)
                if places.get(at) == place
            ]
            if like:
                choices = [*like[0][1], *choices]
        if segment in (["without"], ["no"], ["without", "it"]) and parts:
            # "one with sour cream, one without": the other is without the sour cream
            choices = [replace(c, exclude=True, qualifier=None) for c in parts[-1][1]]
        elif segment and all(t in _PLAIN_DISH or t in _ONE for t in segment):
            plain.append(len(parts))
        elif not choices and (opposite := _opposite_part(lexicon, segment or tokens[start:end])):
            # "2 iced and 1 hot": the hot one without the iced the line has
            choices = [Choice(group, option, exclude=True) for group, option in opposite]
        parts.append((count, tuple(choices)))
    if rest_as_all:
        parts.append((0, ()))
    if not any(choices for _, choices in parts):
        return (), ()
    if (
        len(parts) > 2
        and not parts[0][1]
        and 0 not in plain
        and parts[0][0] == sum(count for count, _ in parts[1:])
        and all(count for count, _ in parts[1:])
    ):
        # "2 of them, one with ranch and one with extra buffalo sauce": how many in all, then
        # the parts
        parts, plain = parts[1:], [at - 1 for at in plain]
    for at in plain:
        # "one with bacon, the other plain": the plain one without what the others get
        gone = {(c.group, c.option): c for _, said in parts for c in said if not c.exclude}
        off = tuple(replace(c, exclude=True, qualifier=None) for c in gone.values())
        parts[at] = (parts[at][0], off)
    plains = [k in plain for k in range(len(parts))]
    if len(places) == len(counted):
        # "the second one with brown rice, the first with white rice": in the cart's order
        places_said = [o if (o := places[start] or 0) > 0 else 1000 + o for start, _, _ in counted]
        ordered = sorted(zip(places_said, parts, plains, strict=True), key=lambda p: p[0])
        parts, plains = [part for _, part, _ in ordered], [was for *_, was in ordered]
    if not any(plains):
        # "1st pepperoni, 2nd ham, 3rd same as the first": units made alike are one part
        alike: dict[frozenset[Choice], int] = {}
        merged: list[tuple[int, tuple[Choice, ...]]] = []
        for many, options in parts:
            key = frozenset(options)
            if key in alike:
                at = alike[key]
                merged[at] = (merged[at][0] + many, merged[at][1])
            else:
                alike[key] = len(merged)
                merged.append((many, options))
        if len(merged) > 1:
            parts, plains = merged, [False] * len(merged)
    return tuple(parts), tuple(k for k, was in enumerate(plains) if was)


# "same as the first", "just like the 2nd one": a unit made like the one in that place
_SAME_AS_PLACE = re.compile(
    r"^(?:the )?\w+ (?:one )?(?:(?:is|the|exactly|just|exact) )*(?:same as|like) (?:the |my )?"
    r"(\w+)\b(?! (?!one\b)\w)"
)


def _opposite_part(lexicon: Lexicon, segment: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """What a part said with a plain word lacks ("1 hot", "one of them hot": not iced)."""
    words = [
        t
        for t in segment
        if not (t in _ONE or t in NUMBER_WORDS or t.isdigit())
        and t not in ("of", "them", "those", "please")
    ]
    return _opposite_options(lexicon, words[0]) if len(words) == 1 else ()


# Words between a count and its option: "one with bacon", "two want ranch"
_PART_WANTS = frozenset({"with", "w", "want", "wants", "get", "gets", "like", "likes"})
# Words that pick a line by its size: 1 the biggest of those meant, -1 the smallest.
SIZE_WORDS = {
    "bigger": 1, "biggest": 1, "larger": 1, "largest": 1, "big": 1,
    "smaller": -1, "smallest": -1, "little": -1, "littler": -1,
}  # fmt: skip


def _unit_ordinal(ref: Ref) -> bool:
    """ "The first", "the second one": a place in the cart and nothing else."""
    return ref.ordinal is not None and ref.ordinal > 0 and not ref.ordinals and not ref.named


# "make the guac extra", "the sour cream light please": an amount said after an option, last
_AMOUNT_LAST = frozenset({"extra", "light"})


def _amount_next(lexicon: Lexicon, tokens: Sequence[str], found: tuple[int, int, Ref]) -> bool:
    """Whether a reference is a dish that is also an option with an amount said right after it
    and nothing more ("make the guac extra": the guacamole on the line, not the side)."""
    start, end, ref = found
    rest = [t for t in tokens[end:] if t not in ("please", "pls", "then", "too", ".", "!")]
    if not ref.items or len(rest) != 1 or rest[0] not in _AMOUNT_LAST:
        return False
    at = start + 1 if tokens[start] in ("the", "my", "that") else start
    entry = lexicon.lookup(tokens, at)[1]
    return entry is not None and bool(entry.options) and bool(entry.items)


def _cued(tokens: Sequence[str], start: int) -> bool:
    """Whether what starts at `start` is said as an option: "light on the ...", "leave off
    the ...", "hold the ..."."""
    if start > 1 and tokens[start - 2] == "leave" and tokens[start - 1] in ("off", "out"):
        return True
    if start > 0 and tokens[start - 1] == "hold":
        return True
    return start > 1 and tokens[start - 1] == "on" and tokens[start - 2] in _GO_EASY


def _said_as_option(lexicon: Lexicon, tokens: Sequence[str], found: tuple[int, int, Ref]) -> bool:
    """Whether a reference beside the one an edit is about is an option to put on or take off:
    a dish that is also an option ("take the guac off one of them"), an option that would name
    a line by itself ("for the americano, the french roast"), or anything after "no", "without",
    "extra" ("one of them without the cheese")."""
    start, _, ref = found
    if start and (tokens[start - 1] in _OPTION_CUE or tokens[start - 1] in _HOLD):
        return True
    if ref.items:
        return bool(_options_named(lexicon, ref))
    return bool(ref.options) and not (ref.words or ref.ordinal is not None or ref.pronoun)


_MAKE_COUNT = re.compile(
    r"\b(?:make|change|turn) (that |it |this |them |those )?(one|two|three|four|five|\d+)\b"
    r"(?! of\b)"
)
# ("for a normal amount of mustard", "to a little bit of mayo": the article of an amount, no dish)
_NO_AMOUNT = r"(?! (?:\w+ )?(?:amount|bit|little|lot|touch)\b)"
_FOR_A_DISH = re.compile(
    rf"\b(?:swap|switch|exchange|trade|replace)\b.*\b(?:for|with) (?:a|an)\b{_NO_AMOUNT}"
)
_MAKE_BOTH = re.compile(r"\b(?:make|turn) (?:both|all|all of them|them all|them both) (\w+)$")
_OFF_CUE = re.compile(r"\b(?:no|without|hold|remove|skip|minus|take|leave|lose|nix|ditch)\b")


def _kinds_off(lexicon: Lexicon, tokens: Sequence[str]) -> list[Choice]:
    """ "Without the cheese" where "cheese" names no option but ends the names of several
    (provolone cheese, swiss cheese): whichever of those the line has comes off."""
    kinds = _words_of(lexicon).option_kinds
    out: list[Choice] = []
    for k, tok in enumerate(tokens):
        options = kinds.get(singular(tok))
        if options is None or lexicon.lookup(tokens, k)[0]:
            continue
        before = " ".join(tokens[max(0, k - 3) : k])
        after = tokens[k + 1 : k + 3]
        if _OFF_CUE.search(before) or "off" in after:
            out.extend(Choice(group, option) for group, option in options)
    return out


def _beside(
    lexicon: Lexicon, tokens: Sequence[str], choices: list[Choice], drop: list[Choice]
) -> list[Choice]:
    """ "Switch the red salsa to the green one": the new option is the one of the old one's
    group that the words name, even when they name another option elsewhere first."""
    groups = {d.group for d in drop}
    if any(c.group in groups for c in choices):
        return choices
    words = {singular(t) for t in tokens if t.isalpha() and t not in _STOP_WORDS}
    menu = lexicon.menu
    for key in groups:
        group = menu.group(key)
        if group is None:
            continue
        found = [
            o
            for o in group.options
            if words & {singular(w) for w in re.findall(r"[a-z]+", o.label.lower())}
            and (key, o.key) not in {(d.group, d.option) for d in drop}
        ]
        if len(found) == 1:
            return [Choice(key, found[0].key)]
    return choices


def _uncovered(lexicon: Lexicon, tokens: Sequence[str]) -> list[str]:
    """The words of a message outside every menu name in it ("strawberry" in "a strawberry
    one, large"; none in "blue cheese too")."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        length, _ = lexicon.lookup(tokens, i)
        if length:
            i += length
            continue
        out.append(tokens[i])
        i += 1
    return out


def _numbered(choice: Choice, number: int) -> bool:
    """Whether an option's key ends in a number ("espresso_shot_2" for "two extra shots")."""
    return choice.option.rsplit("_", 1)[-1] == str(number)


# Verbs that open a request after "keep it and ...": where the kept clause ends
_NEXT_VERBS = frozenset({"add", "put", "make", "throw", "change", "swap", "switch", "do", "give"})


def _kept(tokens: list[str]) -> tuple[list[str], list[str]]:
    """A message without its "keep the X" clause, and that clause."""
    if "keep" not in tokens:
        return tokens, []
    at = tokens.index("keep")
    end = next(
        (
            k
            for k in range(at + 1, len(tokens))
            if tokens[k] in (",", ".", "but")
            # "keep it and add cheese too": the clause ends where the next request starts
            or (tokens[k] == "and" and tokens[k + 1 : k + 2] and tokens[k + 1] in _NEXT_VERBS)
        ),
        None,
    )
    if end is None:
        end = len(tokens)
    if tokens[end - 1] in ("off", "out"):
        return tokens, []  # "keep the onions off": off is the change
    return [*tokens[:at], *tokens[end:]], tokens[at + 1 : end]


def _set_to(tokens: Sequence[str]) -> int | None:
    found = _SET_TO.search(" ".join(tokens))
    if found is None:
        return None
    word = found.group(1) or found.group(2)
    if word.isdigit():
        return int(word) if 0 < int(word) < 1000 else None
    return NUMBER_WORDS.get(word)


def _names_dish_at(lexicon: Lexicon, tokens: Sequence[str], word: str) -> bool:
    """Whether a number said starts a dish's name ("7 up", "2 liter coke" is no dish)."""
    for k, tok in enumerate(tokens):
        if tok == word:
            length, entry = lexicon.lookup(list(tokens), k)
            if length > 1 and entry is not None and entry.items:
                return True
    return False


def _more_counted(tokens: Sequence[str]) -> int | None:
    """How many more "another 2 of those" asks for (the count after "another", not its one);
    "2 more of that exact one": the count before "more", not the one of "one"."""
    for k, tok in enumerate(tokens[:-1]):
        if tok == "another" and tokens[k + 2 : k + 3] in ([], ["of"], ["more"], [","]):
            return _number_in(tokens[k + 1 : k + 2])
        if tok == "more" and k and tokens[k + 1] == "of":
            return _number_in(tokens[k - 1 : k])
    return None


def _number_in(tokens: Sequence[str]) -> int | None:
    for tok in tokens:
        if tok.isdigit() and 0 < int(tok) < 1000:
            return int(tok)
        if tok in NUMBER_WORDS:
            return NUMBER_WORDS[tok]
    return None


def _elided(lexicon: Lexicon, new: list[str], was: list[str]) -> list[str]:
    """ "red salsa instead of green": the old option said by its own word, the noun left to the
    new one's ("green salsa", not the greens); as said when that names no option of its kind."""
    if not new or not was or len(was) > 2 or not new[-1].isalpha() or new[-1] in was:
        return was
    put = _said(lexicon, new).choices
    groups = {c.group for c in put}
    if not groups or any(c.group in groups for c in _said(lexicon, was).choices):
        return was
    fuller = [*was, new[-1]]
    full = _said(lexicon, fuller).choices
    # (not when the new words say that option too: "could the olives be green olives instead
    # of black?")
    fits = full and all(c.group in groups and c not in put for c in full)
    return fuller if fits else was


def _amount_at(tokens: Sequence[str], at: int) -> bool:
    """Whether an amount's phrase of more than one word starts at token `at` ("not too much",
    "not a lot of")."""
    return any(
        GRAMMAR.get(tuple(tokens[at : at + length]), (None,))[0] is Kind.QUAL
        for length in range(2, min(len(tokens) - at, 6) + 1)
    )


def _split_swap(lexicon: Lexicon, text: str, rest: list[str]) -> tuple[list[str], list[str], bool]:
    """The new and the old part of a message: "X instead of Y", "swap Y for X", "change the Y
    to X", "X instead"; with whether "instead" was said."""
    joined = " ".join(rest)
    marker = next(
        (
            found
            for found in _INSTEAD_OF.finditer(joined)
            # ("not too much of the chipotle", "not a lot of ice": an amount, nothing swapped)
            if not _amount_at(rest, len(joined[: found.start()].split()))
        ),
        None,
    )
    if marker is not None:
        cut = len(joined[: marker.start()].split())
        width = len(marker.group(0).split())
        if marker.group(0) == "not" and all(t in _OPENERS for t in rest[:cut]):
            # "not big size, medium please": what goes first, what comes after the break
            stop = next(
                (k for k in range(cut + 1, len(rest)) if rest[k] in (".", ",", "but")), len(rest)
            )
            return rest[stop + 1 :], rest[cut + 1 : stop], True
        new = rest[:cut]
        if new[:1] == ["no"] and new[1:2] and new[1] in ("wait", ",", "sorry", "actually"):
            new = new[2:]  # "no wait caramel syrup not vanilla": the no is no "no caramel"
        was = rest[cut + width :]
        two = _INSTEAD_OF.search(" ".join(was)) if "and" in was else None
        joint = was.index("and") if two is not None else 0
        if two is not None and 0 < joint < len(" ".join(was)[: two.start()].split()):
            # "steak instead of chicken and black beans instead of pinto": two swaps
            new2, was2, _ = _split_swap(lexicon, text, was[joint + 1 :])
            if new2 and was2:
                old1 = _elided(lexicon, new, was[:joint])
                return [*new, "and", *new2], [*old1, "and", *was2], True
        brk = next((k for k, t in enumerate(was) if t in (",", ".")), None)
        if brk is not None and (not was[:brk] or was[brk + 1 : brk + 2] in _SAID_ON):
            # "a burger instead of the chicken sandwich, with cheese and bacon", "bbq chicken
            # instead of pepperoni on his, still large": after the break, more of the new
            return [*new, *was[brk + 1 :]], was[:brk], True
        return new, _elided(lexicon, new, was), True
    if _INSTEAD.search(joined):
        said = [t for t in rest if t not in ("instead", "rather")]
        neg = next((k for k, t in enumerate(said) if t in ("no", "without", "hold")), None)
        comma = len(said) - 1 - said[::-1].index(",") if "," in said else -1
        if neg is not None and neg < comma:
            # "one of the pizzas with no ham, mushrooms instead": the ham goes, the mushrooms come
            # (said with its "no": left off, when the line did not have it)
            return [*said[:neg], *said[comma + 1 :]], said[neg:comma], True
        return said, [], True
    just = _JUST_OPTIONS.match(joined)
    if just is not None and not _JUST_COUNTED.search(text):
        # (not "only one of them gets mayo": the "only" counts the units, not the options)
        # "no wait just pineapple": those options and no others of their kind
        after = rest[len(just.group(0).split()) :]
        only = _said(lexicon, after)
        if only.choices and not only.items:
            return after, [], True
    made = _made_other(lexicon, rest)
    if made is not None:
        return made
    if _SWAP.search(text) is None:
        return rest, [], False
    # "swap the provolone for swiss", "change the white rice to brown": the options before the
    # "for"/"to" go, the ones after come.
    verb = next((k for k, t in enumerate(rest) if _SWAP.fullmatch(t)), None)
    into = next(
        (k for k, t in enumerate(rest) if verb is not None and k > verb and t in _SWAP_INTO), None
    )
    if verb is None or into is None or into <= verb + 1:
        return rest, [], False
    before, after = rest[verb + 1 : into], rest[into + 1 :]
    if rest[verb] == "substitute":
        before, after = after, before
    old = _said(lexicon, before)
    if not old.choices or old.items:
        return rest, [], False
    second = after.index("and") if "and" in after else 0
    into2 = next((k for k, t in enumerate(after) if second and k > second and t in _SWAP_INTO), 0)
    if second and into2 and rest[verb] != "substitute":
        # "swap the blue cheese for cheddar and the bacon for onions": two swaps, each option
        # before its "for" going, the one after it coming (kept apart by a comma: "brown and
        # black beans" would share the beans)
        old2 = _said(lexicon, after[second + 1 : into2])
        if old2.choices and not old2.items:
            return (
                [*rest[:verb], *after[:second], ",", *after[into2 + 1 :]],
                [*before, ",", *after[second + 1 : into2]],
                True,
            )
    return [*rest[:verb], *after], before, True


# Words that say a dish as it comes, against a variant of it ("a regular pepsi" for a diet one)
_BEFORE_A_LINE = frozenset({"in", "on", "onto", "to"})
_PLAIN_DISH = frozenset({"regular", "normal", "plain", "original", "ordinary"})
_FORGOTTEN = re.compile(rf"\b{LET_GO_OF_IT}\b")
_KEPT_SAME = re.compile(r"\b(?:same|keep)\b")


def _plain_of(
    lexicon: Lexicon, tokens: Sequence[str], item: str, ref: Ref, choices: list[Choice]
) -> list[Choice]:
    """ "Swap one of the diet pepsis for a regular pepsi": "regular" before a dish whose name
    the line's dish holds and more ("diet pepsi") is the dish as it comes, not an option (a
    regular size) of it."""
    own = item_words(lexicon, item, label=True)
    if not own or not all(own < item_words(lexicon, key, label=True) for key in ref.items):
        return choices
    for k, tok in enumerate(tokens[:-1]):
        if tok not in _PLAIN_DISH:
            continue
        length, entry = lexicon.lookup(list(tokens), k + 1)
        if not length or entry is None or item not in entry.items:
            continue
        _, said = lexicon.lookup([tok], 0)
        meant = {(o.group, o.option) for o in said.options} if said is not None else set()
        return [c for c in choices if (c.group, c.option) not in meant]
    return choices


def _named_after_but(lexicon: Lexicon, tokens: Sequence[str], item: str) -> bool:
    """Whether the dish is named only after "but" ("another 2 liter but make it sprite"): the
    copy is made that dish."""
    if "but" not in tokens:
        return False
    at = tokens.index("but")
    for k in range(len(tokens)):
        length, entry = lexicon.lookup(list(tokens), k)
        if length and entry is not None and item in entry.items and not entry.options:
            return k > at
    return False


def _same_dish_named(lexicon: Lexicon, text: str, item: str) -> bool:
    """Whether the dish is named right after "same" ("same pizza again but ..."): its line is
    the one copied."""
    found = _SAME_DISH.search(text)
    return found is not None and singular(found.group(1)) in item_words(lexicon, item)


def _plain_option_kept(lexicon: Lexicon, tokens: Sequence[str], drop: list[Choice]) -> list[Choice]:
    """ "Alfredo chicken instead of the regular chicken": "regular" before an option is that
    option as it comes, not an option (a regular size) the line gives up."""
    for k, tok in enumerate(tokens[:-1]):
        if tok not in _PLAIN_DISH:
            continue
        length, entry = lexicon.lookup(list(tokens), k + 1)
        if not length or entry is None or not entry.options or entry.items:
            continue
        _, said = lexicon.lookup([tok], 0)
        meant = {(o.group, o.option) for o in said.options} if said is not None else set()
        drop = [c for c in drop if (c.group, c.option) not in meant]
    return drop


def _none_of(lexicon: Lexicon, tokens: Sequence[str]) -> tuple[list[tuple[str, ...]], set[int]]:
    """The dishes said after "no" ("3 lemonades, no tea") and the places of those words, when
    they are dishes and no options ("no cheese" is one)."""
    found: list[tuple[str, ...]] = []
    places: set[int] = set()
    for k, tok in enumerate(tokens[:-1]):
        if tok != "no" or (k and tokens[k - 1] not in (",", "and", "but", ".")):
            continue
        at = k + 1 + (tokens[k + 1] in ("more", "the"))
        length, entry = lexicon.lookup(list(tokens), at)
        if not length or entry is None or not entry.items or entry.options:
            return [], set()
        places |= {k - 1, *range(k, at + length)}
        found.append(entry.items)
    return found, places


def _made_other(lexicon: Lexicon, rest: list[str]) -> tuple[list[str], list[str], bool] | None:
    """ "make the onions red onions", "make the white rice brown rice": an option the line has,
    then the one of its group it becomes, said without a "to"."""
    verb = next((k for k, t in enumerate(rest) if t in _MAKE), None)
    if verb is None or rest[verb + 1 : verb + 2] != ["the"]:
        return None
    start = verb + 2
    end = next((k for k in range(start, len(rest)) if rest[k] in (",", ".", "please")), len(rest))
    for cut in range(start + 1, end):
        old, new = _said(lexicon, rest[start:cut]), _said(lexicon, rest[cut:end])
        if (
            len(old.choices) == 1
            and len(new.choices) == 1
            and not (old.items or new.items)
            and old.choices[0].group == new.choices[0].group
            and old.choices[0].option != new.choices[0].option
        ):
            return [*rest[:verb], *rest[cut:]], rest[start:cut], True
    return None


def _swapped_item(lexicon: Lexicon, rest: list[str]) -> tuple[Ref, list[str]] | None:
    """ "swap one burger for a veggie burger", "make 1 coke a root beer": the item before
    "for"/"to" (or the article, after "make") is the line (a part of it when counted), the one
    after is what it becomes."""
    verb = next((k for k, t in enumerate(rest) if _SWAP.fullmatch(t) or t in _MAKE), None)
    if verb is None:
        return None
    between = _SWAP_INTO | (_ARTICLES if rest[verb] in _MAKE else frozenset())
    into = next((k for k, t in enumerate(rest) if k > verb + 1 and t in between), None)
    if into is None:
        return None
    old = _said(lexicon, rest[verb + 1 : into])
    if len(old.items) != 1 or not _said(lexicon, rest[into + 1 :]).items:
        return None
    keys, words = old.items[0]
    count = next((n for _, n, _, said in old.lines if said), None)
    return Ref(items=keys, words=words, count=count), [*rest[:verb], *rest[into + 1 :]]


# "sorry, I meant the oatmeal cookie": the dish said was meant instead (not "I meant the chicken
# one, not the steak": which line)
_MEANT_DISH = re.compile(
    r"^(?:(?:sorry|oops|oh|no|wait|um|ah)\W+)*(?:i|we) meant (?:the|a|an)\b(?!.*\bnot\b)"
)


def _dish_only(ref: Ref) -> bool:
    """Whether a reference names a dish and nothing else (no option, pronoun, count, place)."""
    return bool(ref.items) and not (
        ref.options or ref.pronoun or ref.count or ref.every or ref.other or ref.ordinal is not None
    )


def _made_last_option(tokens: Sequence[str], found: tuple[int, int, Ref]) -> tuple[int, int, Ref]:
    """ "make 1 of the pep deep dish", "turn two of the large ham thin crust": some of the
    lines named by their options, and nothing said after them to make them: the last option
    is what they become, not which lines."""
    start, end, ref = found
    if (
        ref.count is None
        or len(ref.options) < 2
        or ref.items
        or ref.words
        or end != len(tokens)
        or not start
        or tokens[start - 1] not in _MAKE
        or len(ref.option_words) != len(ref.options)
    ):
        return found
    said = len(ref.option_words[-1])
    kept = replace(ref, options=ref.options[:-1], option_words=ref.option_words[:-1])
    return start, end - said, kept


def _one_of_them(ref: Ref | None) -> TypeGuard[Ref]:
    """Whether a reference is "one of them" and no more (no dish, no option)."""
    return ref is not None and ref.pronoun and bool(ref.count) and not ref.items and not ref.options


# "the ones that's just pepperoni", "the one with only mustard": a line said by what it has alone
_WITH_ONLY = (
    ("with", "just"),
    ("with", "only"),
    ("w", "just"),
    ("thats", "just"),
    ("thats", "only"),
    ("that", "is", "just"),
    ("that", "are", "just"),
    ("that", "has", "just"),
    ("that", "have", "just"),
    ("that", "have", "only"),
    ("that", "has", "only"),
    ("which", "are", "just"),
    ("which", "is", "just"),
    ("which", "have", "just"),
    ("which", "has", "just"),
)


_NEW_ONE = frozenset({"a", "an", "another", "more", "second", "third", "new"})


def _new_one(toks: Sequence[str], noun: int) -> bool:
    """Whether the words before the noun at `noun` ask for a new line ("another large one")
    rather than name one ("the large one")."""
    for word in reversed(toks[max(0, noun - 3) : noun]):
        if word in _NEW_ONE:
            return True
        if word in ("the", "of", "that", "those", "these", "this", "my", "your"):
            return False
    return False


def _with_only(lexicon: Lexicon, toks: list[str]) -> tuple[list[str], int | None]:
    """ "one of the ones that's just pepperoni" as "one of the ones with pepperoni", and where
    the "with" is, when a reference says what the line has and nothing more ("make it with just
    mustard" says no line: what the line is to have)."""
    if "just" not in toks and "only" not in toks:
        return toks, None
    nouns = _words_of(lexicon).nouns
    for k in range(1, len(toks)):
        if toks[k - 1] not in _ONE and singular(toks[k - 1]) not in nouns:
            continue
        if _new_one(toks, k - 1):
            # "a second one with just american cheese", "another large one with just ham": a
            # new line with that alone, no line picked
            continue
        for words in _WITH_ONLY:
            if tuple(toks[k : k + len(words)]) == words and k + len(words) < len(toks):
                return [*toks[:k], "with", *toks[k + len(words) :]], k
    return toks, None


def _start_past(toks: Sequence[str]) -> int:
    """Where a message proper starts, past "and", "ok", "actually"."""
    k = 0
    while k < len(toks) and toks[k] in _LEADING and toks[k] != "make":
        k += 1
    return k


# "make it three, the third one plain", "actually make it 3 double cheeseburgers, the extra one
# also no pickles", "make that 4 and the new one with oat milk": a new total, and what the units
# beyond the old one are
_MORE_TO = re.compile(
    r"^(?:(?:oh|wait|actually|ok|okay|no|sorry|um|and|so|hmm|,) )*"
    r"(?:make|change|bump|up) (?:it|that|them|those|this|these)(?: up)? (?:to )?(?P<count>\w+)"
    r"(?P<dish>(?: (?!the\b|and\b|with\b)[\w'-]+)*?) ?,? (?:and |but |with |plus )?"
    r"(?:the (?:(?:\w+|extra|new|added|additional|last|other) )?(?:one|ones|unit)|one of them) "
    r"(?:should be |is |gets |can be |can have |has |having |also |too |as well )*"
    r"(?P<rest>.+?)(?: (?:please|pls|thanks|too|as well))?$"
)
# "one of the ones that aren't decaf", "the ones that don't have cheese": lines by what they lack
_LACKING = re.compile(
    r"(?<=\bones|\bthem) (?:that|which) (?:arent|are not|dont have|do not have|have no|lack) "
    r"(?P<what>(?:\w+ ?){1,4})$"
)
_MORE_WHICH = frozenset(
    {"extra", "new", "added", "additional", "last", "other", *_ORDINALS, "3rd", "4th", "5th"}
)
_PLAIN_SAID = re.compile(r"^(?:just )?(?:plain|regular|normal|with nothing(?: on it)?)$")


def _more_to(lexicon: Lexicon, text: str) -> Edit | None:
    """ "make it three, the third one plain": the new total, of the lines meant (the dish
    said, else the ones talked about), with what the units beyond them are."""
    found = _MORE_TO.match(text)
    if found is None:
        return None
    which = text[found.end("dish") : found.start("rest")].split()
    if which[-3:] != ["one", "of", "them"] and not _MORE_WHICH & set(which):
        return None
    count = count_of(found.group("count"))
    if count is None or count < 2:
        return None
    dish = found.group("dish").split()
    items = _said(lexicon, dish).items if dish else []
    if dish and (len(items) != 1 or _said(lexicon, dish).choices):
        return None
    rest = found.group("rest").strip(" ,.!")
    plain = _PLAIN_SAID.match(rest) is not None
    said = _said(lexicon, rest.split()) if not plain else None
    if said is not None and (said.items or said.unknown or not said.choices):
        return None
    ref = Ref(items=items[0][0], words=items[0][1]) if items else Ref(pronoun=True)
    return Edit(
        op="change",
        ref=ref,
        quantity=count,
        choices=tuple(said.choices) if said is not None else (),
        plain=plain,
        more_to=True,
    )


def read_edit(
    lexicon: Lexicon, tokens: Sequence[str], op: EditOp, names: frozenset[str] = frozenset()
) -> Edit:
    """The edit a message asks for, given what kind of edit its intent says it is; `names` are
    people's names it may say (`people.names_in`)."""
    toks = [t for t in tokens if t not in ("!", "?")]
    # "can you add mushrooms to it", "can one of those be thin crust": the modal is no option
    # ("you can leave the onions on": nor the modal after its subject)
    toks = [
        t
        for k, t in enumerate(toks)
        if not (
            t in _MODALS
            and (
                (k + 1 < len(toks) and toks[k + 1] in _MODAL_SUBJECTS)
                or (k and toks[k - 1] in _SUBJECTS_OF_MODAL)
            )
        )
    ]
    if "rest" in toks:
        toks = _the_rest(toks)
    but = _ALL_BUT_SOME.match(" ".join(toks)) if "except" in toks or "but" in toks else None
    if but is not None:
        # "bacon on all but one", "onions on all of them except two": the units of the one line
        # meant, less those
        edit = read_edit(lexicon, but.group("all").split(), op, names)
        if edit.ref is not None and edit.ref.every:
            return replace(edit, ref=replace(edit.ref, spared=count_of(but.group("count")) or 0))
    said_but = "except" in toks or "but" in toks
    but = _ALL_BUT_THEM.match(" ".join(toks)) if but is None and said_but else None
    if but is not None and (spared_for := _spared_for(lexicon, but.group("who").split(), names)):
        # "bacon on all of them except sam's", "skinny for all except mine and jo's": a unit
        # each of theirs left out, theirs from now on
        edit = read_edit(lexicon, but.group("all").split(), op, names)
        if edit.ref is not None and edit.ref.every and not edit.ref.spared:
            them = replace(edit.ref, spared=len(spared_for), spared_for=spared_for)
            return replace(edit, ref=them)
    more = _more_to(lexicon, " ".join(toks)) if op == "change" else None
    if more is not None:
        return more
    lacking = _LACKING.search(" ".join(toks))
    if lacking is not None:
        # "add honey to one of the ones that aren't decaf": the lines without it are meant
        what = lacking.group("what").split()
        said = _said(lexicon, what)
        whole = lexicon.lookup(what, 0)[0] == len(what)  # one option, all the words
        if whole and said.choices and not said.items and not said.unknown:
            cut = " ".join(toks)[: lacking.start()].split()
            edit = read_edit(lexicon, cut, op, names)
            if edit.ref is not None and (edit.ref.plural or edit.ref.count is not None):
                without = tuple(((c.group, c.option),) for c in said.choices)
                return replace(edit, ref=replace(edit.ref, without=(*edit.ref.without, *without)))
    before = toks
    owner, toks = owner_said(
        before, names, lambda k: bool((entry := lexicon.lookup(before, k)[1]) and entry.items)
    )
    toks, only_at = _with_only(lexicon, toks)
    text = " ".join(toks)
    refs = find_refs(lexicon, toks)
    if only_at is not None:
        # "one of the ones that's just pepperoni": the line with that and nothing else of it
        refs = [
            (start, end, replace(r, only=True) if r.options and start <= only_at < end else r)
            for start, end, r in refs
        ]
    if _SWAP.search(text) or _BACK_TO.search(text):
        # "change the turkey to the chicken teriyaki", "go back to the hawaiian": what follows
        # "to" is the new dish, not a line
        refs = [
            (start, end, r)
            for start, end, r in refs
            if not (start and toks[start - 1] in _SWAP_INTO and (r.items or r.options))
        ]
    # "light on the onions": however the words read, an option, not the line meant
    refs = [r for r in refs if not _cued(toks, r[0]) and not _amount_next(lexicon, toks, r)]
    if len(refs) == 1 and _MEANT_DISH.match(text) and _dish_only(refs[0][2]):
        refs = []  # "sorry, I meant the oatmeal cookie": the dish meant, no line of the cart
    refs = [_made_last_option(toks, r) for r in refs]
    kind_named: list[Choice] = []
    if refs:
        # "change the cheese on the second one to swiss", "change the cheese to swiss": the
        # kind of option, on the line meant (whichever of that kind it has goes, when the new
        # option takes its place)
        kind_refs = [r for r in refs if _kind_on_a_line(lexicon, toks, r, refs)]
        refs = [r for r in refs if r not in kind_refs]
        kind_named = [
            Choice(group, option)
            for start, end, _ in kind_refs
            for t in toks[start:end]
            for group, option in _words_of(lexicon).option_kinds.get(singular(t), ())
        ]
    if op == "change" and ("and" in toks or "&" in toks):
        refs = joined_refs(lexicon, toks, refs)
    # "make it 2 hot chocolates, both with whipped cream": "both" is the two said, not lines
    refs = [
        r
        for r in refs
        if not (r[2].every and not r[2].named and _of_the_count(lexicon, toks, r[0]))
    ]
    ref = _main_ref(refs)
    spared = _spared(toks, refs, ref)
    if ref is not None and spared:
        # "pinto beans on all of them except the tofu one": every line but those
        ref = replace(ref, without=(*ref.without, *spared))
    spared_dishes = _spared_dishes(toks, refs, ref)
    if ref is not None and spared_dishes:
        # "white rice in everything except the salad": every line but the salad's
        ref = replace(ref, but=spared_dishes)
    off_of = next((r for s, _, r in refs if s and toks[s - 1] in ("off", "from") and r.items), None)
    if off_of is not None and ref is not None and ref.options and not ref.items:
        # "take the skinny off the cappuccino": the line it comes off, not the one it names
        ref = off_of
    if ref is not None and ref.pronoun and ref.count is not None and not ref.named:
        # "one of them wants provolone on the meatball sub" (them: the kids): one of that line
        dish = next(
            (r for s, _, r in refs if s and toks[s - 1] in _ON_DISH and r.items and not r.count),
            None,
        )
        if dish is not None:
            ref = replace(dish, count=ref.count)
        # "the cookies, make one of them oatmeal", "the first one, i need two of those": the
        # lines said first, then what of them
        topic = next(
            (
                r
                for s, e, r in refs
                if s == _start_past(toks)
                and toks[e : e + 1] == [","]
                and (r.named or r.ordinal is not None)
                and not r.count
            ),
            None,
        )
        if dish is None and topic is not None:
            ref = replace(topic, count=ref.count)
    which = next((r for s, _, r in refs if s and toks[s - 1] in _IS and r.options), None)
    if ref is not None and which is not None and ref.items and not ref.options:
        # "add sour cream to her taco, she's the chicken one": which taco is said after
        ref = replace(ref, options=which.options, option_words=which.option_words)
    if _MOVE.search(text):
        # "move the guac to the chicken one": the line it goes to is the one after "to"
        ref = next((r for s, _, r in refs if s and toks[s - 1] in _ONTO), ref)
    # "take the guac off one of the burritos": beside the line meant, a dish that is also an
    # option ("the guac") is the option
    refs = [r for r in refs if r[2] is ref or not _said_as_option(lexicon, toks, r)]
    rest = [t for k, t in enumerate(toks) if not any(s <= k < e for s, e, _ in refs)]
    swapped = _swapped_item(lexicon, rest) if ref is None and op == "change" else None
    if swapped is not None:
        ref, rest = swapped
    rest, kept = _kept(rest)
    new, old, instead = _split_swap(lexicon, text, rest)
    if (_SWAP.search(text) or _BACK_TO.search(text)) and not old and not instead:
        instead = True  # "switch to black beans": the new option takes the old one's place
    new, several = _several_of_a_group(lexicon, new)
    # ("swap the sour cream for guac": only options go, so an option comes in their place)
    out = _said(lexicon, old)
    was_options = bool(old) and bool(out.choices) and not out.items
    said = _said(lexicon, new, options_first=bool(was_options))
    drop: list[Choice] = _kinds_off(lexicon, new)
    if instead and not old and _SWAP.search(text):
        # "swap the sauce for ranch": whichever option of that kind the line has goes
        # (only a kind the option said is of: "change the size to large" on a small pizza
        # names no "party size" or "lunch size" to go)
        kinds = _words_of(lexicon).option_kinds
        instead_of = {(c.group, c.option) for c in said.choices}
        kind_named += [
            Choice(group, option)
            for k, t in enumerate(new)
            if k and new[k - 1] == "the" and not lexicon.lookup(new, k)[0]
            if instead_of & set(kinds.get(singular(t), ()))
            for group, option in kinds.get(singular(t), ())
        ]
        drop = [*drop, *(c for c in dict.fromkeys(kind_named) if c not in drop)]
    if old:
        was = _said(lexicon, old)
        # ("no buffalo sauce on his, ranch instead": left off even when the line lacks it)
        drop = [Choice(c.group, c.option, exclude=c.exclude) for c in was.choices]
        drop = _plain_option_kept(lexicon, old, drop)
        if was.items and ref is None:
            ref = Ref(items=tuple(k for keys, _ in was.items for k in keys))
        elif was.items and _one_of_them(ref):
            # "one of the kids wants a cheeseburger, not a hamburger": one of the hamburgers
            keys = tuple(k for keys, _ in was.items for k in keys)
            ref = replace(ref, pronoun=False, items=keys)
    named = tuple(keys for keys, _ in said.items)
    # The new item: one named outright, not merely inferred from its options.
    item, words = next(
        ((key, w) for key, *_ in said.lines for keys, w in said.items if key in keys),
        (None, ()),
    )
    if (
        ref is not None
        and len(said.items) == 2
        and any(t in _MAKE or t in _BE for t in rest)
        and not any(counted for *_, counted in said.lines)
        and "and" not in rest
    ):
        # "make one of those fries curly fries": the first dish is the line's own noun again,
        # the last is what it becomes
        item, words = next(
            ((key, w) for key, *_ in said.lines[::-1] for keys, w in said.items if key in keys),
            (item, words),
        )
    elif (
        ref is None
        and len(said.items) == 2
        and len(said.lines) == 2
        and any(t in _BE for t in rest)
        and not any(counted for *_, counted in said.lines)
        and "and" not in rest
    ):
        # "oops coffee should be a hot cocoa": the first dish is the line, the last what it
        # becomes
        ref = Ref(items=said.items[0][0], words=said.items[0][1])
        item, words = next(
            ((key, w) for key, *_ in said.lines[1:] for keys, w in said.items[1:] if key in keys),
            (item, words),
        )
    if kept:
        # "take the olives off, keep the green peppers": what is kept is not changed
        stay = {(c.group, c.option) for c in _said(lexicon, kept).choices}
        said = replace(said, choices=[c for c in said.choices if (c.group, c.option) not in stay])
    choices = said.choices
    if drop and choices:
        choices = _beside(lexicon, new, choices, drop)
    quantity = said.quantity
    # ("light on both salsas": the ones the line has, not the one plain "salsa" names)
    choices = [c for c in choices if (c.group, c.option) not in several]
    groups = _group_words(lexicon, new, choices)
    said_amounts = _group_amounts(lexicon, new)
    if said_amounts and choices:
        # "extra rice on his. white rice": the amount said of the group is the new option's
        choices = [
            replace(c, qualifier=said_amounts[c.group])
            if c.group in said_amounts
            and not c.qualifier
            and not c.exclude
            and sum(1 for d in choices if d.group == c.group) == 1
            else c
            for c in choices
        ]
    if op == "change" and ref is not None and _REMOVE_LINE.match(text) and not (item or choices):
        op = "remove"  # "remove the hawaiian": the line its style names
    if (
        op == "remove"
        and item is not None
        and ref is not None
        and (ref.pronoun or instead)
        and not ref.count
        # ("cancel that, just do a cheeseburger with mayo": the new dish said whole, with its
        # own options, is ordered in place of the line, none of the line's carried over)
        and not choices
    ):
        # "scratch that, a chocolate shake", "never mind the cocoa, a root beer instead": the
        # line becomes the new dish
        op = "change"
    elif op == "change" and named and not choices and quantity is None and _NO_MORE.match(text):
        op = "remove"  # "no fries after all"
        ref = ref or Ref(items=tuple(k for keys in named for k in keys))
    elif (
        op in ("change", "remove")
        and named
        and ref is None
        and choices
        and all(c.exclude for c in choices)
        and quantity is None
        and _NO_MORE.match(text)
        and not _ON_A_LINE.search(text)
    ):
        # "no shrimp pizza after all": the pizza with shrimp goes, not its shrimp
        ref = Ref(
            items=tuple(k for keys in named for k in keys),
            options=tuple(((c.group, c.option),) for c in choices),
        )
        choices = []
        op = "remove"
    elif (
        ref is None
        and choices
        and all(kind_group(c.group) for c in choices)
        and (op == "remove" or _REMOVE_LINE.match(text))
    ):
        # "remove the hawaiian", "forget the chicken one": the option says which line it is
        ref = Ref(options=tuple(((c.group, c.option),) for c in choices))
        choices = []
        op = "remove"
    elif op == "remove" and ref is None and choices and not item and quantity is not None:
        # "take off one pepperoni": a pizza named by its topping, one of them
        ref = Ref(options=tuple(((c.group, c.option),) for c in choices), count=quantity)
        choices, quantity = [], None
    elif (
        op == "remove"
        and drop
        and not (choices or item or quantity)
        and ref is not None
        and ref.pronoun
        and ref.count
        and _OFF.search(text)
    ):
        # "take the beans off one of them": the kind of option comes off some of the line
        op = "change"
    elif (
        op in ("change", "remove")
        and choices
        and not item
        and _OFF.search(text)
        # ("forget that pizza, just do a large margherita": the line taken off, then a dish of
        # that kind ordered anew, no options taken off it)
        and not (
            op == "remove"
            and ref is not None
            and ref.items
            and _DO_ANEW.search(text)
            and any(kind_group(c.group) for c in choices)
        )
    ):
        # "leave the onions off the burger", "remove the pickles": options taken off a line
        # (not those said after "just": "leave off the mushrooms, just spinach and feta")
        only = _said(lexicon, toks[toks.index("just") + 1 :]).choices if "just" in toks else []
        drop = [*drop, *(Choice(c.group, c.option, exclude=True) for c in choices if c not in only)]
        choices = []
        op = "change"
    # the dishes a removal names as lines ("the chicken sandwich", "one of the iced teas")
    dishes = [
        r
        for _, _, r in refs
        if r.items and not (r.options or r.pronoun or r.other or r.ordinal is not None)
    ]
    if op == "remove":
        # the count said with each dish named ("remove the large fries": the size says which
        # line, it does not change it)
        amounts = tuple(
            next((n for key, n, _, number in said.lines if key in keys and number), None)
            for keys in named
        )
        if named and not dishes and len(refs) == 1:
            # "take off one shake and one burger": a kind said beside a dish named is the
            # dishes of that kind, one more of the dishes taken off
            kind = refs[0][2]
            keys = lexicon.items_with(kind.words) if _a_kind_only(kind) else ()
            if keys and not any(set(keys) & set(ks) for ks in named):
                # (not "nvm the sweet potato ones": the kind is the dish named, one removal)
                dishes = [replace(kind, items=keys, words=())]
                if kind.count is not None:
                    # ("remove a cheeseburger and one shake": "a" is one, as "one" is)
                    amounts = tuple(
                        n
                        if n is not None
                        else next((m for k, m, _, _ in said.lines if k in ks), None)
                        for n, ks in zip(amounts, named, strict=True)
                    )
        if (
            dishes
            and len(dishes) == len(refs)
            and len(dishes) + len(named) >= 2
            and not (choices or drop)
            # ("take the bacon off the burger": an option off a line)
            and not _FROM_A_LINE.search(text)
        ):
            # "take off one of the cokes, and one of the pizzas too", "cancel the chicken
            # sandwich and one of the iced teas", "drop the buffalo chicken and one gatorade":
            # so many of each dish (all of it when no count is said)
            return Edit(
                op="remove",
                owner=owner,
                items=(*named, *(r.items for r in dishes)),
                amounts=(*amounts, *(r.count for r in dishes)),
            )
        if ref is not None and ref.count is not None:
            quantity = ref.count
        elif quantity is None and len(named) == 1 and _TAKE_AN.search(text) is not None:
            quantity = 1  # "remove a hot chocolate" of three: one of them
        if ref is not None and ref.items and not drop:
            # "nevermind the guac": the side if one was ordered, else the topping
            drop = [Choice(o.group, o.option, exclude=False) for o in _options_named(lexicon, ref)]
        return Edit(
            op="remove",
            owner=owner,
            ref=ref,
            items=named,
            amounts=amounts if len(named) > 1 else (),
            choices=tuple(choices),
            drop=tuple(drop),
            quantity=quantity,
        )
    if (
        op == "change"
        and (ref is None or (ref.pronoun and not ref.named and ref.count is None))
        and not (drop or old or instead)
        and len(said.lines) >= 2
        and len(named) == len(said.lines)
        and all(number for *_, number in said.lines)
        and set(choices) <= {c for _, _, line_choices, _ in said.lines for c in line_choices}
    ):
        # "actually 2 cokes and 2 sprites", "make it 2 cans of sprite and 1 can of fanta": how
        # many of each dish named (the options said with them are for one not ordered yet)
        return Edit(
            op="change",
            owner=owner,
            items=named,
            amounts=tuple(n for _, n, _, _ in said.lines),
            choices=tuple(choices),
        )
    none_of, places = _none_of(lexicon, new) if op == "change" else ([], set())
    if (
        none_of
        and not (drop or old or instead)
        and (ref is None or (ref.pronoun and not ref.named and ref.count is None))
    ):
        # "make it 3 lemonades, no tea": how many of each dish named, none of the one after
        # "no"
        counts = _said(lexicon, [t for k, t in enumerate(new) if k not in places])
        if counts.lines and all(number for *_, number in counts.lines) and not counts.choices:
            return Edit(
                op="change",
                owner=owner,
                items=(*(keys for keys, _ in counts.items), *none_of),
                amounts=(*(n for _, n, _, _ in counts.lines), *(0 for _ in none_of)),
            )
    # "make one of them just a plain pizza", "another chicken sandwich, plain": none of the
    # toppings (unless "plain" is on the menu)
    # ("one more, nothing else on it", "another one without anything extra": plain too)
    said_plain = "plain" in toks and not lexicon.phrases.get(("plain",))
    said_plain = said_plain or _NOTHING_ON.search(text) is not None
    if op == "repeat":
        # "one more, same but hot": the copy without the iced ("another americano but hot and
        # small": with the size said too)
        for word in _uncovered(lexicon, new):
            drop = [
                *drop,
                *(
                    Choice(g, o)
                    for g, o in _opposite_options(lexicon, word)
                    if not any(c.group == g and c.option == o for c in choices)
                ),
            ]
        double = bool(_DOUBLE.search(text))
        swap = None
        if item is not None and (_SAME_BUT.search(text) or _named_after_but(lexicon, toks, item)):
            swap = item  # ("another 2 liter but make it sprite": a copy of the last, that dish)
        if swap is not None:
            # "one more sandwich, same but chicken teriyaki": a copy of the last, that dish
            # ("same chips but with red salsa": in place of the salsa they have, unless more is
            # said: "same salad but with extra bacon", "same burger but add pickles")
            named = ()
            instead = instead or not _MORE_ON_IT.search(text)
            if ref is None and _same_dish_named(lexicon, text, swap):
                # "same pizza again but with alfredo chicken": a copy of the pizza line
                ref = Ref(items=(swap,), words=words)
        whole = bool(_WHOLE_AGAIN.search(text)) and (ref is None or not ref.named)
        if whole:
            # "another order exactly like that": the whole last order; "the exact same for my
            # husband": everything so far
            ref = Ref(every=True, plural=True) if _EVERYTHING_AGAIN.search(text) else None
        elif (
            ref is None
            and not named
            and swap is None
            and _SAME_WAY.search(text)
            and not _A_KIND_ONE.search(text)
            and (of_kind := [c for c in choices if kind_group(c.group) and not c.exclude])
        ):
            # "one more margherita, same way": the line of that kind, copied as it is (not "a
            # chicken one made the same way": the last line again, with that kind)
            ref = Ref(options=tuple(((c.group, c.option),) for c in of_kind))
            choices = [c for c in choices if c not in of_kind]
        elif ref is None and not named and swap is None:
            # "one more shake but vanilla": the line its noun names, made the other flavour
            # ("son too, same drink": the line of that noun, for him)
            noun = _MORE_NOUN.search(text) or _SAME_NOUN.search(text)
            if noun is not None and singular(noun.group(1)) in _words_of(lexicon).nouns:
                ref = Ref(words=(singular(noun.group(1)),))
                rest_words = [t for t in new if t != noun.group(1)]
                flavour = tuple(
                    t
                    for t in rest_words
                    if t in _words_of(lexicon).nouns
                    and t not in _SIBLING_STOP
                    and not lexicon.phrases.get((t,))
                )
                if flavour and not choices:
                    return Edit(op="repeat", owner=owner, ref=ref, sibling=flavour, quantity=1)
        flavour_of_copy: tuple[str, ...] = ()
        but = _BUT_CHANGED.search(text)
        if (
            ref is None
            and not named
            and swap is None
            and not (choices or drop)
            and but is not None
            and _SAME_BUT.search(text)
        ):
            # "same for my brother but chocolate", "the same but strawberry": the copy of the
            # line of that kind made the other flavour
            flavour_of_copy = tuple(
                t
                for t in text[but.end() :].split()
                if t in _words_of(lexicon).nouns
                and t not in _SIBLING_STOP
                and not lexicon.phrases.get((t,))
            )
        # ("same thing again for both", "same again, all of it": each of them as many again)
        every = ref is not None and ref.every and not ref.named
        # ("same again but make the drink a diet coke": all of it again, the line named after
        # "but" changed in the copy)
        changed_in_copy = ref is not None and ref.named and bool(_SAME_AGAIN_BUT.search(text))
        again = (
            (ref is None or whole or every or changed_in_copy)
            and not named
            and (whole or bool(_AGAIN_ONLY.search(text)))
        )
        # "another chicken sandwich, same way": the items name the line; options said with
        # them ("another one of those but iced", "one more double cheeseburger but without
        # jalapenos") change the copy
        own = {
            c
            for key, _, line_choices, _ in said.lines
            if any(key in keys for keys in named) and " but " not in f" {text} "
            for c in line_choices
        }
        own_kinds = (
            [c for c in own if kind_group(c.group)]
            if ref is None and swap is None and _SAME_WAY.search(text)
            else []
        )
        return Edit(
            op="repeat",
            owner=owner,
            ref=ref,
            items=named,
            item=swap,
            item_words=words if swap is not None else (),
            sibling=flavour_of_copy,
            # "and a chicken burrito the same way" after a steak one: the copy, with its kind
            as_dish=bool(own_kinds),
            choices=tuple(
                c for c in choices if c not in own or ref is not None or swap or c in own_kinds
            ),
            drop=tuple(drop),
            # "my daughter the same but light on the rice": the copy's amount of its rice (not
            # "two more drinks like that": the count's "more")
            groups=tuple(groups) if _BUT_CHANGED.search(text) else (),
            instead=instead,
            # "my wife wants the same but with brown rice", "same for my brother but swiss": the
            # copy's option of that kind (white rice, provolone) gives way, unless more is said
            # ("the same but with mushrooms too")
            alike=bool(choices)
            and _SAME_BUT.search(text) is not None
            and not _MORE_ON_IT.search(text)
            and not any(c.exclude or c.qualifier for c in choices),
            quantity=None if double else (_more_counted(toks) or quantity or _number_in(toks)),
            again=again,
            double=double,
            # "another one with just blue cheese": the copy has that and no other topping;
            # "and another chicken sandwich, plain": none of them ("a third one, plain except
            # no onions": none, and without the onions it comes with)
            # ("another taco but steak, plain": of the kind said, with nothing on it)
            plain=WITH_JUST.search(text) is not None
            or (said_plain and all(c.exclude or kind_group(c.group) for c in choices)),
            kept=_kept_same(lexicon, text),
        )
    sibling: tuple[str, ...] = ()
    nouns = _words_of(lexicon).nouns
    if item is not None and ref is None and not choices and not drop and quantity is None:
        # "make fries curly": the dish named is the line, the other word makes it a sibling
        others = tuple(
            t
            for t in new
            if t.isalpha()
            and t in nouns
            and not lexicon.phrases.get((t,))
            and t not in _SIBLING_STOP
            and singular(t) not in item_words(lexicon, item)
        )
        if others and _SWAP_VERB.search(text):
            ref, sibling = Ref(items=(item,), words=words), others
            item, words, named = None, (), ()
    if item is None and not drop and not sibling and (not choices or ref is None):
        # "swap the strawberry shake for a chocolate one", "make it strawberry": words that
        # name an item only together with the line's own noun ("a strawberry one, large")
        free = set(_uncovered(lexicon, new)) if choices else set(new)
        sibling = tuple(
            t
            for k, t in enumerate(new)
            if t.isalpha()
            and t in free
            and t not in _SIBLING_STOP
            # ("just one bag of the baked lays": the serving the dish comes in, no dish)
            and not (singular(t) in _SERVINGS and new[k + 1 : k + 2] == ["of"])
            and not _opposite_options(lexicon, t)  # ("make it hot": not the hot chocolate)
            and (t in nouns if ref is None else (not lexicon.is_known(t) or t in nouns))
        )
    if sibling and ref is None:
        if _ADDING.search(text):
            # "and a strawberry one too": one more, of the sibling of the line talked about
            return Edit(
                op="repeat", sibling=sibling, choices=tuple(choices), quantity=quantity or 1
            )
        if owner is None or not any(
            key for key in lexicon.items if set(sibling) <= item_words(lexicon, key, own=True)
        ):
            # ("mike wants strawberry now": his line that the word makes a sibling; not a kind
            # of dish, "make his drink a large")
            sibling = ()
    if item is not None and ref is not None and ref.items and choices:
        choices = _plain_of(lexicon, new, item, ref, choices)
    kinds = _words_of(lexicon).option_kinds
    unknown = [
        w
        for w in said.unknown or _leftover(lexicon, new)
        if singular(w) not in kinds and w not in _MOVE_WORDS
    ]
    for word in _uncovered(lexicon, new):
        # "make it hot" on an iced latte: the option the word is the opposite of comes off
        opposite = _opposite_options(lexicon, word)
        if opposite and not choices:
            # ("make it hot, not iced": the iced said to go once)
            gone = {(c.group, c.option) for c in drop}
            drop = [*drop, *(Choice(g, o) for g, o in opposite if (g, o) not in gone)]
            unknown = [w for w in unknown if w != word]
    if _LESS_TO_NORMAL.search(text) and _AS_NORMAL.search(text):
        # "less vanilla, just normal" after extra vanilla: less, down to the normal amount
        choices = [replace(c, qualifier=None) if c.qualifier else c for c in choices]
    fine = _IS_FINE.search(text)
    if fine is not None and not _NORMAL_AMOUNT.search(fine.group(1)):
        # "no onion, tomato is fine": the tomato left off before is on again, as it comes (not
        # left off now, nor added); "no wait, medium is fine": the size, chosen
        read = parse_order(lexicon, fine.group(1).split())
        back = {(c.group, c.option) for c in read.loose_choices}
        back |= {(c.group, c.option) for line in read.lines for c in line.choices}
        back = {(g, o) for g, o in back if lexicon.groups[g].select != "one"}
        drop = [*drop, *(Choice(c.group, c.option) for c in choices if (c.group, c.option) in back)]
        choices = [c for c in choices if (c.group, c.option) not in back]
    moved = bool(choices) and bool(_MOVE.search(text))
    if moved:
        instead, quantity = False, None
    plain = said_plain and not choices
    if item is not None and _FORGOTTEN.search(text) and not _KEPT_SAME.search(text):
        # "never mind that, just a hamburger with onions": the dish as said now, not the one
        # let go with its options (unless they are kept: "scratch that, a cheeseburger, same
        # toppings")
        plain = True
    if (
        item is None
        and _FOR_A_DISH.search(text)
        and any(lexicon.groups[c.group].select != "one" and not c.exclude for c in choices)
    ):
        # "swap one of those for a medium mexican": a pizza as said, not the mexican added to
        # the margherita (the size and such stay unless said)
        plain = True
    if (
        ref is not None
        and ref.count is not None
        and not ref.implied
        and not (item or choices or drop or groups or sibling or unknown or plain)
    ):
        # "actually i want two of the supreme", "no wait, 4 of them": how many, not which
        quantity, ref = ref.count, replace(ref, count=None)
    made = _MAKE_COUNT.search(text)
    if made is not None and _names_dish_at(lexicon, toks, made.group(2)):
        made = None  # "make that 7 up a can": the number is the dish's name, no count
    elif (
        made is not None
        and made.group(1) in ("that ", "this ")
        and made.group(2) == "one"
        and (choices or drop)
        and item is None
    ):
        # "make that one iced too": the line pointed at, made so, no count
        made, ref = None, Ref(pronoun=True)
    if made is not None:
        # "make 1 decaf": that many units of the line; "make that one 7 up": how many, and
        # "that one" is no line of its own
        count = _number_in([made.group(2)])
        if (
            made.group(1) is None
            and ref is not None
            and ref.words
            and not (ref.items or ref.options or ref.without or ref.but or ref.sized)
            and not (item or choices or drop or sibling)
            and toks[toks.index(made.group(2)) + 1 :][: len(ref.words)] == list(ref.words)
        ):
            # "make one strawberry instead" on 2 chocolate shakes: one of them, the other
            # flavour (a word of no line's name, right after the count)
            sibling, ref, quantity = ref.words, None, None
        if (
            made.group(1) is None
            # ("change one to strawberry" on 2 vanilla shakes: one of them, the other flavour)
            and (choices or drop or sibling or (item is not None and quantity in (None, 1)))
            and count
            and (ref is None or ref.pronoun)
        ):
            ref, quantity = Ref(pronoun=True, count=count, implied=True), None
        elif quantity is None:
            quantity = count
            if ref is not None and not ref.named and ref.ordinal is None and not ref.every:
                ref = Ref(pronoun=True)
    if quantity is not None and any(_numbered(c, quantity) for c in choices):
        quantity = None  # "make it two extra shots": the two is the option's
    if (
        quantity is not None
        and ref is not None
        and ref.every
        and (choices or item)
        and _ALL_COUNT.search(text) is not None
    ):
        quantity = None  # "make all 3 steak": the three are the lines, all of them
    parts, plain_parts = _parts(lexicon, toks, refs)
    if parts:
        # the line shared out: the one named ("for the chips, one with green salsa and one
        # with corn"), else the one the counts were of
        quantity = None
        shared = next((r for _, _, r in refs if r.named and not r.count and not r.other), None)
        if ref is not None and ref.count and ref.items and ref.plural and not ref.other:
            # "make one of the pies extra jalapenos and the other one light": of that line
            ref = replace(ref, count=None, plural=False)
        elif ref is not None and (ref.other or ref.count or _unit_ordinal(ref)):
            ref = Ref(pronoun=True)  # the line the counts and "the others" are parts of
        if shared is not None and _unit_ordinal(replace(shared, items=(), words=())):
            # "the first bowl add sour cream, the second one add guac": the place is a part's,
            # the dish the line (or lines) shared out
            shared = replace(shared, ordinal=None)
        ref = shared or ref
    if (
        item is not None
        and ref is not None
        and (ref.named or (ref.pronoun and ref.count))
        and not _SWAP_VERB.search(text)
    ):
        # "the steak one gets guac", "two of them want guac": a side that is a topping too
        # goes on the line named (or on the units counted)
        length, entry = lexicon.lookup(list(words), 0)
        # (the dish's whole name, not a word of it: "a meatball marinara instead" is the dish)
        whole = length == len(words) and entry is not None and bool(entry.options)
        option = _options_named(lexicon, Ref(words=words)) if whole else []
        if option and instead and ref.items and not ref.options:
            # ("guac instead of the queso": a dish in place of a dish that takes no guac)
            option = [o for o in option if any(lexicon.accepted_group(k, [o]) for k in ref.items)]
        if option:
            choices = [*choices, Choice(option[0].group, option[0].option)]
            item, words, named = None, (), ()
    both = _MAKE_BOTH.search(text)
    if (
        both is not None
        and ref is not None
        and ref.every
        and ref.words == (both.group(1),)
        and not (item or choices or drop or groups or sibling or quantity or parts)
    ):
        # "make both chocolate" on a chocolate and a strawberry shake: the flavour they become
        sibling, ref = (both.group(1),), replace(ref, words=())
    if (
        ref is not None
        and (ref.words or len(ref.options) == 1)
        and not (ref.items or ref.count or ref.every or ref.ordinal or ref.other)
        and not (item or choices or drop or groups or sibling or quantity or parts or plain)
        and _TAKE_OFF.search(text)
    ):
        # "take off the jalapenos" at a sub shop with jalapeno chips: the topping, no line;
        # "take off the steak" on a chicken and steak burrito: the filling the line names
        pairs = [(o.group, o.option) for o in _options_named(lexicon, ref)]
        pairs = pairs if ref.words else list(ref.options[0][:1])
        if pairs:
            choices, ref = [Choice(pairs[0][0], pairs[0][1], exclude=True)], None
    if (
        item is not None
        and ref is not None
        and ref.named
        and ref.count is None
        and not (ref.plural or ref.every or ref.ordinal)
        and _ONE_SWAPPED.search(text)
    ):
        # "one guy wants a sprite instead of a coke" on four cokes: one of them
        ref = replace(ref, count=1)
    # "actually the other one too": the line named gets the latest change as well
    again = (
        ref is not None
        and bool(_TOO.search(text))
        and not (item or choices or drop or groups or sibling or quantity or parts or plain)
    )
    if instead and not (drop or item) and ref is not None and len(ref.options) == 1:
        # "the one with cheese, make it blue cheese instead": the option that named the line
        # is the one that goes, not every topping it has
        given = [
            (group, option)
            for group, option in ref.options[0]
            if any(c.group == group and c.option != option and not c.exclude for c in choices)
        ]
        if len(given) == 1:
            drop = [Choice(given[0][0], given[0][1])]
    if spared:
        left = {pair for options in spared for pair in options}
        choices = [c for c in choices if not (c.exclude and (c.group, c.option) in left)]
    corrected = (
        bool(choices)
        and _ACTUALLY_ONLY.match(text) is not None
        and not (item or drop or sibling or quantity or parts or groups or plain)
        and not any(c.exclude or c.qualifier for c in choices)
        and not _ADDING.search(text)
    )
    return Edit(
        plain_parts=plain_parts,
        corrected=corrected,
        again=again,
        owner=owner,
        moved=moved,
        parts=parts,
        op="change",
        ref=ref,
        items=named,
        item=item,
        item_words=words,
        sibling=sibling,
        choices=tuple(choices),
        drop=tuple(drop),
        groups=groups,
        instead=instead,
        alike=corrected
        or (bool(_MAKE_IT.search(text)) and not _ADDING.search(text))
        or (
            _CORRECTING.match(text) is not None
            and bool(choices)
            and not any(c.exclude for c in choices)
            and not (_ADDING.search(text) or _ADD_VERB.search(text))
        ),
        as_dish=bool(_AS_DISH.search(text)),
        quantity=quantity,
        unknown=tuple(unknown),
        plain=plain,
        adding=bool(choices) and not instead and adds_on(text),
        back=bool(choices) and " back" in text and _PUT_BACK.search(text) is not None,
        amount=_amount_of_it(text) if not (choices or drop or groups or item) else None,
    )


# "go heavy on it", "lots of it", "easy on that": an amount of what "it" is, no option named
_AMOUNT_OF_IT = re.compile(
    r"\b(?:(?P<more>heavy|heavy handed|lots|a lot|plenty)|(?P<less>light|easy|a little|a bit))"
    r" (?:on|of|with) (?:it|that|them|those)\b"
)


def _amount_of_it(text: str) -> Qualifier | None:
    said = _AMOUNT_OF_IT.search(text)
    if said is None:
        return None
    return "extra" if said.group("more") else "light"


# A swap of one unit: "instead of a coke", "swap a coke for a sprite", "change one coke to ..."
_ONE_SWAPPED = re.compile(
    r"\binstead of (?:a|an|one)\b|\b(?:swap|switch|change|replace|trade) (?:a|an|one)\b(?! of)"
)
_TAKE_AN = re.compile(
    rf"\b(?:take off|get rid of|{verbs_pattern(TAKE_OFF_VERBS)})\s+(?:a|an)\b"
    r"(?! (?:few|couple|bit|lot|little)\b)"
)
_TAKE_OFF = re.compile(
    r"\b(?:take|takes|taking) (?:(?:the|my) \w+ )?(?:off|out)\b|\b(?:remove|without|hold|skip)\b"
)
_MAKE_IT = re.compile(
    r"\b(?:make|have) (?:it|that|this|them|those|both|all|each|the \w+)\b"
    # ("no no, i said thin crust": what was said before, put right)
    r"|\b(?:i|he|she|they|we) (?:meant|means|said)\b"
)
# "make it a hawaiian", "make the other one a large pepperoni", "change it to a mexican" (not
# "make it a large with ham": the options after "with" go on the dish)
_AS_DISH = re.compile(
    r"\b(?:make|have|turn|change|switch|swap)(?: \w+){1,4}? (?:(?:into|to|for|as) )?(?:a|an)"
    rf"{_NO_AMOUNT} "
    r"(?![^,.!?;]*\b(?:with|add|adding|plus|extra|on (?:it|top))\b)"
)
# "actually swiss", "no wait, make it swiss": a correction that says only the option meant
_ACTUALLY_ONLY = re.compile(
    # ("she means green olives": what the one it is for meant)
    r"^(?:(?:no|nah|oh|wait|sorry|um|hmm|ok)\W+)*(?:actually|(?:i|he|she|they|we) "
    r"(?:meant|mean|means))\W+"
    r"(?:(?:make|have) (?:it|that) |just )?(?!add\b|and\b|also\b|put\b|with\b)"
)
# "oh no wait, brown rice on both": the last change put right, its option of the kind gives way
_CORRECTING = re.compile(
    r"^(?:(?:oh|ok|okay|um|hmm|ah)\W+)*(?:(?:no\W+wait|wait|sorry|oops|actually)\b|no\s*,)"
)
_ADD_VERB = re.compile(r"\badd\b")
_TOO = re.compile(r"\b(?:too|also|as well|same for|same with|same thing for)\b")
_SWAP_VERB = re.compile(r"\b(?:make|change|switch|swap|turn)\b")
_ADDING = re.compile(r"\b(?:too|also|as well|plus|another)\b|^(?:and |ok |oh )*(?:a|an|one)\b")
_JUST_COUNTED = re.compile(r"\b(?:just|only) (?:one|two|three|\d+)\b(?! more\b)")
_SAME_BUT = re.compile(r"\bsame\b.*\b(?:but|except|only)\b")
_BUT_CHANGED = re.compile(r"\b(?:but|except)\b")
# "add steak too", "throw in chicken as well", "also steak", "plus chicken": beside what it has
_ADDED_ON = re.compile(r"\b(?:add|adding|too|also|as well|plus|throw in|toss in)\b", re.I)


def adds_on(text: str) -> bool:
    """Whether a message puts options on beside a line's own ("add steak too", "also chicken")."""
    if _ADDED_ON.search(text) is None or _INSTEAD_WORD.search(text) is not None:
        return False
    # "make the chicken one steak too", "make the quesadilla a chicken one too": the line made
    # like another one, its option taken over; no word of putting on beside it
    return _MADE_TOO.search(text) is None or _PUT_ON.search(text) is not None


# "put the tomato back on", "add the cream back": what was left off, as it was (not "go back
# to the hawaiian")
_PUT_BACK = re.compile(r"\bback\b(?! to\b)", re.I)
_MADE_TOO = re.compile(r"\b(?:make|turn)\b.*\b(?:too|as well)\b", re.I)
_PUT_ON = re.compile(r"\b(?:add|adding|plus|throw in|toss in|also)\b", re.I)
_INSTEAD_WORD = re.compile(r"\b(?:instead|rather|replace|swap|switch|change)\b", re.I)
_MORE_ON_IT = re.compile(r"\b(?:add|added|adding|too|also|as well|plus|extra|more)\b")
_WHOLE_AGAIN = re.compile(
    r"\b(?:another|one more|same|the whole) order\b|\b(?:exactly|just) like (?:that|it|before)\b|"
    r"\bthe (?:exact |very )?same(?: thing| order)?(?: for (?:my |the |our )?\w+)?"
    r"(?: please| too)?$|"
    r"\beverything again\b|\ball (?:that |of that |of it )?twice\b"
)
# "the exact same for my husband", "the same order": everything ordered so far, again
_EVERYTHING_AGAIN = re.compile(
    r"\b(?:exact|exactly|very) same\b(?! \w+ ?$)|\b(?:same|whole) order\b|\beverything\b|"
    r"\ball (?:that |of that |of it )?twice\b"
)
_SAME_WHAT = re.compile(r"\bsame (\w+)((?:(?: and| ,)? \w+)*?)(?= but\b| just\b| only\b|$| ,| \.)")


def _kept_same(lexicon: Lexicon, text: str) -> tuple[tuple[str, str], ...]:
    """ "a third one, same size and crust but just pepperoni": the options the words after
    "same" name, by their group ("size") or as the word that ends their names ("crust")."""
    said = _SAME_WHAT.search(text)
    if said is None:
        return ()
    kinds = _words_of(lexicon).option_kinds
    kept: list[tuple[str, str]] = []
    for word in [said.group(1), *said.group(2).split()]:
        word = singular(word)
        kept.extend(kinds.get(word, ()))
        for key, group in lexicon.groups.items():
            if word in key.split("_"):
                kept.extend((key, option.key) for option in group.options)
    return tuple(dict.fromkeys(kept))


_SAME_AGAIN_BUT = re.compile(
    # ("and the same again for my other kid but baby carrots instead of the apples")
    r"^(?:\w+ )?(?:the )?same (?:thing |order )?(?:again,? |(?:again )?for (?:\w+ ){1,3}?)but\b"
)
_SAME_WAY = re.compile(r"\b(?:the )?same (?:way|as that|as the other)\b|\blike that\b")
_A_KIND_ONE = re.compile(r"\b(?:a|an|another)\s+(?:\w+\s+){1,2}one\b")
_MORE_NOUN = re.compile(r"\b(?:one more|another) (\w+)\b")
_SAME_DISH = re.compile(r"\bsame (\w+)")
_SAME_NOUN = re.compile(r"\bsame (\w+)(?=$| for\b| too\b| please\b| as well\b| but\b)")
_AGAIN_ONLY = re.compile(
    r"\b(?:same again|same thing|again|same please|same for|the same|repeat|double)\b"
)
_SIBLING_STOP = frozenset(
    {
        "make",
        "it",
        "a",
        "an",
        "one",
        "ones",
        "swap",
        "switch",
        "change",
        "for",
        "to",
        "into",
        "with",
        "please",
        "pls",
        "plz",
        "actually",
        "instead",
        "the",
        "can",
        "you",
        "i",
        "want",
        "cook",
        "done",
    }
)


def _group_words(
    lexicon: Lexicon, tokens: list[str], choices: list[Choice]
) -> tuple[tuple[str, Qualifier | None, bool], ...]:
    """Option groups named by their own word ("light on the rice", "no beans"): (group,
    qualifier, exclude), for the line's option of that group."""
    words = _words_of(lexicon).groups
    found: list[tuple[str, Qualifier | None, bool]] = []
    said_groups = {c.group for c in choices}
    for k, tok in enumerate(tokens):
        group = words.get(singular(tok))
        if (
            group is None
            or group in said_groups
            or (lexicon.lookup(tokens, k)[0] and not _names_several(lexicon, tokens, k, group))
        ):
            continue
        before = " ".join(tokens[_after_dish(lexicon, tokens, k) : k])
        qualifier: Qualifier | None = (
            "light"
            if re.search(r"\b(?:light|easy|less|little|go easy|not much)\b", before)
            else "extra"
            if re.search(r"\b(?:extra|more|double|heavy|lots)\b", before)
            else None
        )
        exclude = bool(re.search(r"\b(?:no|without|hold|skip)\b", before))
        after = " ".join(tokens[k + 1 : k + 3])
        said = _AMOUNT_AFTER.match(after)
        if (
            not (qualifier or exclude)
            and said is not None
            and not lexicon.lookup(tokens, k + 1 + len(said.group(0).split()))[0]
        ):
            # "make the rice light", "the beans extra please" (not "add extra basil": the
            # amount of the option after it)
            qualifier = "light" if said.group(1) in ("light", "easy") else "extra"
        if qualifier or exclude:
            found.append((group, qualifier, exclude))
    return tuple(found)


def _names_several(lexicon: Lexicon, tokens: Sequence[str], k: int, group: str) -> bool:
    """Whether token `k` is a group's own word in the plural that the menu also gives one of
    its options ("salsas" at a burrito bar, where "salsa" alone is the fresh tomato one): the
    options of that group, several of them."""
    length, entry = lexicon.lookup(tokens, k)
    return (
        length == 1
        and entry is not None
        and not entry.items
        and singular(tokens[k]) != tokens[k]
        and all(o.group == group for o in entry.options)
    )


def group_own_option(lexicon: Lexicon, group: str) -> tuple[str, str] | None:
    """The option a group's own word names alone ("salsa": the fresh tomato salsa), if one does."""
    for word, key in _words_of(lexicon).groups.items():
        length, entry = lexicon.lookup([word], 0)
        if key != group or not length or entry is None or entry.items:
            continue
        options = [(o.group, o.option) for o in entry.options if o.group == group]
        if len(options) == 1:
            return options[0]
    return None


_SEVERAL = frozenset({"both", "all", "each", "either"})


def _several_of_a_group(
    lexicon: Lexicon, tokens: list[str]
) -> tuple[list[str], frozenset[tuple[str, str]]]:
    """ "light on both salsas", "no to all the sauces": a group's own plural word, said with an
    amount, names the line's options of that group; the count before it counts those, not
    dishes. The tokens without that count, and the options the plural word alone would name."""
    words = _words_of(lexicon).groups
    out = list(tokens)
    named: set[tuple[str, str]] = set()
    for k in range(len(tokens) - 1, -1, -1):
        group = words.get(singular(tokens[k]))
        if group is None or not _names_several(lexicon, tokens, k, group):
            continue
        start = k
        while start and out[start - 1] in ("the", "of", *_SEVERAL):
            start -= 1
        uncounted = [*out[:start], *(t for t in out[start:k] if t not in _SEVERAL and t != "of")]
        if group not in {g for g, *_ in _group_words(lexicon, [*uncounted, *out[k:]], [])}:
            continue  # ("both salsas please": no amount, an order of salsa)
        out = [*uncounted, *out[k:]]
        entry = lexicon.lookup(tokens, k)[1]
        named.update((o.group, o.option) for o in (entry.options if entry is not None else ()))
    return out, frozenset(named)


def _after_dish(lexicon: Lexicon, tokens: list[str], k: int) -> int:
    """Where the words before token `k` that can say its amount start: at most four back, and
    after any dish named there ("a double cheeseburger, same toppings": the "double" is the
    burger's)."""
    start = max(0, k - 4)
    j = 0
    while j < k:
        length, entry = lexicon.lookup(tokens, j)
        if length and entry is not None and entry.items and j + length <= k:
            start = max(start, j + length)
        j += max(length, 1)
    return start


def _a_kind_only(ref: Ref) -> bool:
    """Whether a reference says only a word of a kind of dish, with or without a count ("one
    shake", "the drinks"), nothing else that picks lines."""
    return bool(ref.words) and not (
        ref.items
        or ref.options
        or ref.option_words
        or ref.pronoun
        or ref.other
        or ref.ordinal is not None
        or ref.ordinals
        or ref.without
        or ref.but
    )


def _group_amounts(lexicon: Lexicon, tokens: Sequence[str]) -> dict[str, Qualifier]:
    """The amounts said right before a group's own word ("extra rice", "less cheese")."""
    words = _words_of(lexicon).groups
    found: dict[str, Qualifier] = {}
    for k in range(1, len(tokens)):
        group = words.get(singular(tokens[k]))
        amount = _AMOUNT_WORDS.get(tokens[k - 1])
        if group is not None and amount is not None:
            found[group] = amount
    return found


_AMOUNT_WORDS: dict[str, Qualifier] = {
    "extra": "extra",
    "more": "extra",
    "double": "extra",
    "light": "light",
    "less": "light",
}
_AMOUNT_AFTER = re.compile(r"(?:on the |a )?(light|easy|extra|heavy)\b")


def group_edit(lexicon: Lexicon, tokens: Sequence[str]) -> bool:
    """Whether a message changes an option group by its own word ("light on the rice", "no
    beans"), which the order grammar reads as nothing."""
    words = _words_of(lexicon).groups
    if not any(singular(t) in words for t in tokens):
        return False
    return bool(_group_words(lexicon, list(tokens), []))


_IS = frozenset({"is", "s", "shes", "hes", "its", "thats", "was"})


_AND_WORDS = frozenset({"and", "&", ",", "n"})


def _dish_ref(ref: Ref) -> bool:
    """Whether a reference names its lines by what they are, and only so ("the coke", "the
    chicken one"; not "one of them", "the second one", "the other")."""
    return (
        ref.named
        and ref.count is None
        and ref.ordinal is None
        and not (ref.pronoun or ref.other or ref.joined)
    )


def joined_refs(
    lexicon: Lexicon, toks: Sequence[str], refs: list[tuple[int, int, Ref]]
) -> list[tuple[int, int, Ref]]:
    """Lines named side by side, one reference: "the fries and the coke both large", "the
    burrito and bowl with white rice", "both the chicken and turkey with swiss" (every line
    named is meant)."""
    out: list[tuple[int, int, Ref]] = []
    for start, end, ref in refs:
        if out and _dish_ref(ref) and set(toks[out[-1][1] : start]) <= _AND_WORDS:
            first_start, _, first = out[-1]
            if _dish_ref(replace(first, joined=())) and "," not in toks[out[-1][1] : start][-1:]:
                out[-1] = (
                    first_start,
                    end,
                    replace(first, plural=True, joined=(*first.joined, ref)),
                )
                continue
        out.append((start, end, ref))
    joined = []
    for start, end, ref in out:
        while (
            _dish_ref(replace(ref, joined=())) and end + 1 < len(toks) and toks[end] in ("and", "&")
        ):
            # "the burrito and bowl": a dish said bare after the line named
            length, entry = lexicon.lookup(list(toks), end + 1)
            if not length or entry is None or not entry.items or entry.options:
                break
            words = tuple(singular(t) for t in toks[end + 1 : end + 1 + length])
            bare = Ref(items=entry.items, words=words)
            end += 1 + length
            if end < len(toks) and toks[end] in _ONE:
                end += 1
            ref = replace(ref, plural=True, joined=(*ref.joined, bare))
        joined.append((start, end, ref))
    return joined


_EXCEPT = frozenset({"except", "but"})
# "on all of them except one", "on all but two": every line but so many units of them (not
# "except the tofu one", a line named)
_ALL_BUT_SOME = re.compile(
    r"^(?P<all>.*\b(?:all|all of them|each|every one)) (?:except|but)(?: for)? "
    rf"(?P<count>{count_pattern(9)})$"
)


# "on all of them except sam's", "everyone's but mine": the people whose units are left out
_ALL_BUT_THEM = re.compile(
    r"^(?P<all>.*\b(?:all|each|every|everyone|everybody|everyones|everybodys)\b.*?)(?: ,)? "
    r"(?:except|but|apart from|other than)(?: for)? (?P<who>[a-z][a-z ,&]*)$"
)


def _spared_for(lexicon: Lexicon, tokens: list[str], names: frozenset[str]) -> tuple[str, ...]:
    """The people said after "except", when each word there is one (`people.left_out`)."""
    one_for = tokens[:3] in (["the", "one", "for"], ["the", "ones", "for"])
    if not tokens or (tokens[0] in ("the", "one", "a", "no", "not", "with") and not one_for):
        return ()
    return left_out(tokens, names, lambda w: w in lexicon.known or bool(lexicon.lookup([w], 0)[0]))


def _excepted(
    tokens: Sequence[str], refs: list[tuple[int, int, Ref]], ref: Ref | None
) -> list[Ref]:
    """The references said after "except" or "all but" ("except the tofu one", "all but the
    salad"); none unless every line is meant."""
    if ref is None or not ref.every:
        return []
    return [
        other
        for start, _, other in refs
        if other is not ref
        and start
        and (
            tokens[start - 1] in _EXCEPT
            or (start > 1 and tokens[start - 1] == "for" and tokens[start - 2] == "except")
        )
    ]


def _spared(
    tokens: Sequence[str], refs: list[tuple[int, int, Ref]], ref: Ref | None
) -> tuple[tuple[tuple[str, str], ...], ...]:
    """What the lines left out of "all of them" have: "except the tofu one", "all but the
    chicken ones" (the options that name them)."""
    return tuple(
        options
        for other in _excepted(tokens, refs, ref)
        if other.options and not (other.items or other.count or other.every)
        for options in other.options
    )


def _spared_dishes(
    tokens: Sequence[str], refs: list[tuple[int, int, Ref]], ref: Ref | None
) -> tuple[str, ...]:
    """The dishes left out of "all of them": "except the salad"."""
    return tuple(
        item
        for other in _excepted(tokens, refs, ref)
        if other.items and not (other.options or other.count or other.every)
        for item in other.items
    )


def _kind_on_a_line(
    lexicon: Lexicon,
    tokens: Sequence[str],
    found: tuple[int, int, Ref],
    refs: Sequence[tuple[int, int, Ref]],
) -> bool:
    """Whether a reference is only a word for a kind of option ("the cheese") said on another
    reference right after it ("the cheese on the second one"), or swapped for an option of
    that kind ("change the cheese to swiss")."""
    start, end, ref = found
    words = [singular(t) for t in tokens[start:end] if t not in ("the", "that", "this", "my")]
    kinds = _words_of(lexicon).option_kinds
    if (
        len(words) != 1
        or words[0] not in kinds
        or ref.options
        or ref.ordinal is not None
        or ref.count is not None
        or ref.every
    ):
        return False
    if (
        tokens[end : end + 1]
        and tokens[end] in _ON_DISH | {"of"}
        and any(s == end + 1 for s, _, _ in refs)
    ):
        return True
    if end < len(tokens) and tokens[end] in _SWAP_INTO and _SWAP.search(" ".join(tokens)):
        _, entry = lexicon.lookup(tokens, end + 1 + (tokens[end + 1 : end + 2] == ["the"]))
        return entry is not None and any(
            (o.group, o.option) in kinds[words[0]] for o in entry.options
        )
    return False


def _of_the_count(lexicon: Lexicon, tokens: Sequence[str], start: int) -> bool:
    """Whether "both", "all of them" at `start` follows a count of a dish the message orders
    ("make it 3 lattes, all iced"), and so says how those are, not which lines."""
    if not start or tokens[start - 1] not in (",", "and"):
        return False
    counted = False
    for k in range(start):
        if is_count(tokens[k]) and tokens[k] not in ("one", "1"):
            counted = True
        elif counted and (entry := lexicon.lookup(tokens, k)[1]) is not None and entry.items:
            return True
    return False


def _main_ref(refs: list[tuple[int, int, Ref]]) -> Ref | None:
    """The reference an edit is about: the named or counted one, else the first."""
    if not refs:
        return None
    for _, _, ref in refs:
        if ref.count is not None:
            return ref
    for _, _, ref in refs:
        if ref.named or ref.every or ref.ordinal is not None:
            return ref
    return refs[0][2]


__all__ = [
    "MADE_SO",
    "WITH_JUST",
    "find_refs",
    "item_words",
    "joined_refs",
    "option_kinds",
    "read_edit",
    "singular",
]
