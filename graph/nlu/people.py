"""Who a dish is for: "two cheeseburgers for the kids, a bacon burger for my husband", and later
"no onions on his", "the kids' ones light on the pepperoni", "mine with no mayo".

`mentions` finds the people a message names, where, and how ("for the kids" after or before a
dish, "my husband wants ..." before it); `owners` gives each ordered line the person it is for;
`owner_said` finds the person an edit is about and takes their words out of the message, so the
rest reads as any edit. Which cart lines a person has is kept in `graph.dialogue.Dialogue`.
Pure functions over tokens (`graph.nlu.text.tokenize`: apostrophes are gone, so "husband's" is
"husbands").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from graph.nlu.english import is_english
from graph.nlu.lexicon import Lexicon
from graph.nlu.reading import OrderLine
from graph.nlu.words import NUMBER_WORDS, count_of, count_pattern

# A person's words -> who they are (one key for every spelling and number).
_PEOPLE = {
    "husband": "husband",
    "hubby": "husband",
    "wife": "wife",
    "partner": "partner",
    "son": "son",
    "daughter": "daughter",
    "kid": "kids",
    "kids": "kids",
    "child": "kids",
    "children": "kids",
    "childrens": "kids",
    "boy": "boys",
    "boys": "boys",
    "girl": "girls",
    "girls": "girls",
    "baby": "baby",
    "mom": "mom",
    "mum": "mom",
    "mother": "mom",
    "dad": "dad",
    "father": "dad",
    "brother": "brother",
    "bro": "brother",
    "brothers": "brothers",
    "sister": "sister",
    "sis": "sister",
    "sisters": "sisters",
    "friend": "friend",
    "friends": "friends",
    "boss": "boss",
    "coworker": "coworker",
    "colleague": "coworker",
    "coworkers": "coworkers",
    "colleagues": "coworkers",
    "roommate": "roommate",
    "roommates": "roommates",
    "roomie": "roommate",
    "girlfriend": "girlfriend",
    "boyfriend": "boyfriend",
    "bf": "boyfriend",  # ("gf" is gluten free on a menu)
    "grandma": "grandma",
    "grandpa": "grandpa",
    "grandmother": "grandma",
    "grandfather": "grandpa",
    "grandkid": "grandkids",
    "grandkids": "grandkids",
    "grandchild": "grandkids",
    "grandchildren": "grandkids",
    "grandson": "grandson",
    "granddaughter": "granddaughter",
    "aunt": "aunt",
    "auntie": "aunt",
    "uncle": "uncle",
    "cousin": "cousin",
    "niece": "niece",
    "nephew": "nephew",
    "twin": "kids",
    "twins": "kids",
    "triplets": "kids",
    "adults": "adults",
    "guests": "guests",
    "buddy": "buddy",
    "pal": "buddy",
    "intern": "intern",
    "interns": "interns",
    "neighbor": "neighbor",
    "neighbors": "neighbors",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
}
_ONES = {"little one": "little one", "little ones": "kids", "two of us": "us", "table": "us"}
_ELDEST = frozenset({"youngest", "oldest", "eldest", "littlest"})
_MALE = frozenset(
    {"husband", "son", "boys", "dad", "brother", "boyfriend", "grandpa", "uncle", "nephew", "he"}
    | {"grandson"}
)
_FEMALE = frozenset(
    {"wife", "daughter", "girls", "mom", "sister", "girlfriend", "grandma", "aunt", "niece", "she"}
    | {"granddaughter"}
)
_PLURAL = frozenset(
    {"kids", "boys", "girls", "brothers", "sisters", "friends", "coworkers", "roommates"}
    | {"adults", "us", "grandkids", "neighbors"}
)
_GENDERED = _MALE | _FEMALE
_UNNAMED = {"~his": "he", "~her": "she"}  # a man or woman the words mean, not named
_HE_WILL = {"hell": "~his", "hed": "~his", "shell": "~her", "shed": "~her"}
_WANTS = frozenset(
    {"wants", "want", "would", "wanted", "needs", "likes", "says", "said", "gets", "will", "is"}
    | {"get"}  # ("the kids get cheeseburgers")
)
_OWN = frozenset({"my", "the", "our", "his", "her", "your"})
# Words ending in s after "the kids'" that are no dish: verbs, and "ones" (the lines themselves)
_NOT_NOUNS = frozenset(
    {"was", "has", "gets", "wants", "needs", "likes", "does", "goes", "says", "ones"}
)
_ME_SUBJECT = ("i", "id", "ill", "im")  # "i'd like", "i'll have"


@dataclass(frozen=True, slots=True)
class Mention:
    """A person a message names: where (token span), who, and how ("for" the person, or the
    person as the subject: "my husband wants ...")."""

    start: int
    end: int
    person: str
    kind: str  # "for", "subject", "possessive"


def _person_at(
    tokens: Sequence[str], i: int, names: frozenset[str] = frozenset()
) -> tuple[int, str] | None:
    """A person's words starting at i (after "my", "the"): (tokens taken, person). A name of
    `names` is a person too, and so is its possessive ("priyas": the apostrophe is gone)."""
    name = name_said(tokens[i], names) if i < len(tokens) and names else None
    if name is not None:
        return 1, name
    j = i
    while j < len(tokens) and tokens[j] in _OWN:
        j += 1
    two = " ".join(tokens[j : j + 2])
    if j + 1 < len(tokens) and (two in _ONES or two.rstrip("s") in _ONES):
        # (a last word alone, "for the table", is one word: below)
        key = _ONES.get(two) or _ONES[two.rstrip("s")]
        return j + 2 - i, key
    if j < len(tokens) and tokens[j] in _ONES:
        return j + 1 - i, _ONES[tokens[j]]
    word = tokens[j] if j < len(tokens) else ""
    if word in ("gf", "gfs") and j > i and tokens[j - 1] in ("my", "his", "your"):
        word = "girlfriend"  # "my gf" ("gf" alone is gluten free on a menu)
    if word in _ELDEST and j > i:
        # "my youngest wants ham on hers", "for our oldest son": one of the kids
        son = tokens[j + 1 : j + 2] and tokens[j + 1] in _ONE_CHILD
        return j + (2 if son else 1) - i, "kids"
    person = _PEOPLE.get(word) or (_PEOPLE.get(word[:-1]) if word.endswith("s") else None)
    then = tokens[j + 1] if j + 1 < len(tokens) else ""
    if person is None or (
        j == i
        and word in ("kid", "boy", "girl", "baby", "friend")
        and then not in _WANTS  # ("friend wants extra foam": a person all the same)
    ):
        return None  # "kid" alone is too often a word of a dish ("kid's meal")
    if then in names:
        # "my coworker Ana wants ...", "for my friend Jo", "friend Kate": the one person, by name
        return j + 2 - i, then
    return j + 1 - i, person


def _may_say_someone(tokens: Sequence[str], names: frozenset[str]) -> bool:
    """Whether `_person_at` can find anyone in the tokens: a name, or a word of a person
    (most orders say none; `mentions` runs on every message, several times)."""
    return bool(names) or not _PERSON_WORDS.isdisjoint(tokens)


def mentions(tokens: Sequence[str], names: frozenset[str] = frozenset()) -> list[Mention]:
    """The people a message names, left to right; `names` are people's names (`names_in`)."""
    found: list[Mention] = []
    someone = _may_say_someone(tokens, names)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "for" and i + 1 < len(tokens) and tokens[i + 1] in ("me", "myself"):
            found.append(Mention(i, i + 2, "me", "for"))
            i += 2
            continue
        if tok == "for" and tokens[i + 1 : i + 2] in (["her"], ["him"]):
            # "a latte for her and an espresso for me": the woman (or man) the words mean
            found.append(Mention(i, i + 2, "~her" if tokens[i + 1] == "her" else "~his", "for"))
            i += 2
            continue
        if tok in ("give", "get") and tokens[i + 1 : i + 2] in (["him"], ["her"]):
            # "give him two of those": his line
            found.append(
                Mention(i + 1, i + 2, "~her" if tokens[i + 1] == "her" else "~his", "possessive")
            )
            i += 2
            continue
        if tok == "me" and tokens[i + 1 : i + 2] == [":"]:
            found.append(Mention(i, i + 1, "me", "subject"))  # "Kids: 3 hamburgers. Me: a salad"
            i += 1
            continue
        if tok == "me" and _listed_after_for(tokens, i, found):
            found.append(Mention(i, i + 1, "me", "for"))  # "for my wife and me"
            i += 1
            continue
        if tok in ("mine", "mines", "myself"):  # ("mine's the chicken one")
            found.append(Mention(i, i + 1, "me", "possessive"))
            i += 1
            continue
        if (
            tok in _ME_SUBJECT
            and (
                tokens[i + 1 : i + 2] in (["like"], ["want"], ["have"])
                # "I would like a small hot chocolate", "I will have the tuna"
                or (
                    tokens[i + 1 : i + 2] in (["would"], ["will"])
                    and tokens[i + 2 : i + 3] in (["like"], ["have"], ["get"], ["take"])
                )
                # "and i'll take a medium pepperoni", "i'll get the steak one"
                or (tok in ("ill", "id") and tokens[i + 1 : i + 2] in (["take"], ["get"]))
                # "the kids get cheeseburgers, i get a salad" (not "can i get")
                or (
                    tok == "i"
                    and tokens[i + 1 : i + 2] == ["get"]
                    and (not i or tokens[i - 1] in (",", ".", "and", "then", "so"))
                )
            )
        ):
            found.append(Mention(i, i + 1, "me", "subject"))
            i += 1
            continue
        if tok in _HE_WILL and tokens[i + 1 : i + 2] in (["have"], ["get"], ["take"], ["like"]):
            # "he'll have a double cheeseburger" (the apostrophe is gone: "hell")
            found.append(Mention(i, i + 1, _HE_WILL[tok], "subject"))
            i += 1
            continue
        verb = tokens[i + 2 : i + 3] if tokens[i + 1 : i + 2] in (["only"], ["just"]) else None
        if tok in ("she", "he") and bool(_WANTS.intersection(verb or tokens[i + 1 : i + 2])):
            # "she wants an italian", "he only wants 3": the woman named last (or whoever was)
            found.append(Mention(i, i + 1, "~her" if tok == "she" else "~his", "subject"))
            i += 1
            continue
        after_article = i > 0 and tokens[i - 1] in ("a", "an")  # "a kids meal": a dish
        at = (
            _person_at(tokens, i + 1 if tok == "for" else i, names)
            if someone and not after_article
            else None
        )
        if at is None:
            i += 1
            continue
        length, person = at
        word = tokens[i + length - 1]
        if i and _count(tokens[i - 1]) > 1 and word.endswith("s") and person == word[:-1]:
            person = word  # "for me and 2 coworkers": several of them
        start = i
        end = i + length + (1 if tok == "for" else 0)
        after = tokens[end] if end < len(tokens) else ""
        kind = (
            "for"
            if tok == "for"
            # ("for me, my wife wants a mocha": she is who wants it)
            or (_listed_after_for(tokens, start, found) and after not in _WANTS)
            else "subject"
            if after in _WANTS
            or after in ("say", "wants", "like", ":")
            # "Joe's changing his order" (the apostrophe gone): Joe is
            or (
                word.endswith("s")
                and not person.endswith("s")
                and (after.endswith("ing") or after in ("not", "gonna"))
                and after not in ("topping", "filling", "stuffing", "dressing", "icing")
            )
            # "me and my husband each want ...": who wants it
            or (after in ("each", "both") and end + 1 < len(tokens) and tokens[end + 1] in _WANTS)
            # "sam wants a dr pepper, ana a pellegrino": the verb said once, for both
            or (
                after in ("a", "an")
                and start > 0
                and tokens[start - 1] in (",", "and")
                and any(m.kind == "subject" and m.person != "me" for m in found)
            )
            else "possessive"
        )
        if person == "little one" and kind == "possessive":
            # "the little one gluten free crust": the smaller line ("for the little one", "the
            # little one wants ..." and "the little one's pizza" are a child's)
            i = end
            continue
        found.append(Mention(start, end, person, kind))
        i = end
    return found


def _listed_after_for(tokens: Sequence[str], at: int, found: Sequence[Mention]) -> bool:
    """Whether a person at `at` is one more of a "for" list ("for me, Dan and Kim")."""
    if not found or found[-1].kind != "for":
        return False
    between = tokens[found[-1].end : at]
    # ("for me and two friends": how many of them said too)
    return bool(between) and all(
        t in (",", "and", "&") or t in NUMBER_WORDS or t.isdigit() for t in between
    )


def line_positions(
    lexicon: Lexicon, tokens: Sequence[str], lines: Sequence[OrderLine]
) -> list[int]:
    """Where each ordered line's dish (or, inferred, its first option) is said, in order."""
    spans: list[tuple[int, int, frozenset[str], frozenset[tuple[str, str]]]] = []
    i = 0
    while i < len(tokens):
        length, entry = lexicon.lookup(tokens, i)
        if length and entry is not None:
            options = frozenset((o.group, o.option) for o in entry.options)
            spans.append((i, i + length, frozenset(entry.items), options))
        i += max(length, 1)
    out: list[int] = []
    used = -1
    for n, line in enumerate(lines):
        said = {(c.group, c.option) for c in line.choices}
        found = [
            pos
            for pos, _, items, options in spans
            if pos > used and (line.item in items or (line.inferred and options & said))
        ]
        # "getting tacos for the family: 3 chicken tacos for my son, ...": the dish where its
        # options (or its count) are said, not where it was named first
        at = next((pos for pos in found if _dressed(tokens, pos, spans, said, line)), None)
        at = at if at is not None and not line.inferred else (found[0] if found else None)
        if at is not None and line.inferred:
            # "large thin crust pepperoni for me, ... a medium thin crust": the options said
            # together are the one dish; the next line's start after them
            k = next(k for k, span in enumerate(spans) if span[0] == at)
            while k + 1 < len(spans) and spans[k + 1][0] == spans[k][1] and spans[k + 1][3] <= said:
                k += 1
            out.append(at)
            used = spans[k][0]
            continue
        if at is None:
            # "3 drip coffees, one for me and two for my coworkers": the dish said once, each
            # line where its count is said; "2 burritos: one steak ... for me, one chicken ...
            # for my friend": the first line's count is said after the dish too, so each of the
            # lines left takes one of the last counts
            counts = [
                k
                for k in range(used + 1, len(tokens))
                if NUMBER_WORDS.get(tokens[k], int(tokens[k]) if tokens[k].isdigit() else 0)
                == line.quantity
            ]
            at = counts[max(0, len(counts) - (len(lines) - n))] if counts else used + 1
            # "2 lattes, one iced for me and one with oat milk for my husband": a unit carved
            # out is where its own options are said, at the count just before them
            where = next((p for p, _, _, o in spans if p > used and o & said), None)
            before = [k for k in counts if where is not None and k < where]
            at = before[-1] if before else at
        out.append(at)
        used = at
    return out


def _dressed(
    tokens: Sequence[str],
    at: int,
    spans: Sequence[tuple[int, int, frozenset[str], frozenset[tuple[str, str]]]],
    said: set[tuple[str, str]],
    line: OrderLine,
) -> bool:
    """Whether a dish's word at `at` is where its line is said: its options or its count just
    before it ("3 chicken tacos"), or the line has neither to tell."""
    if not said and line.quantity == 1:
        return True
    near = [s for s in spans if at - 4 <= s[0] < at]
    if any(options & said for _, _, _, options in near):
        return True
    before = tokens[at - 3 : at] if at >= 3 else tokens[:at]
    return any(_count(t) == line.quantity for t in before) and line.quantity > 1


def owners(
    tokens: Sequence[str], positions: Sequence[int], names: frozenset[str] = frozenset()
) -> list[str | None]:
    """The person each line is for: "X for the kids" (after it, before the next dish), else
    the nearest person before it ("my husband wants X", "and for the kids two X")."""
    said = mentions(tokens, names)
    out: list[str | None] = []
    for k, pos in enumerate(positions):
        upto = positions[k + 1] if k + 1 < len(positions) else len(tokens) + 1
        after = [m for m in said if m.kind == "for" and pos < m.start < upto]
        if after and not _opens_clause(tokens, after[0].start):
            # (not "one with ham for me, one with olives for Jo": each said with its own)
            listed = [m for m in said if after[0].start <= m.start < upto and m.kind == "for"]
            prior = max((m.end for m in said if m.kind == "for" and m.end <= pos), default=0)
            group = [n for n in range(k + 1) if positions[n] >= prior]
            if len(group) > 1 and len(listed) == len(group):
                # "a drip coffee, a latte and a hot chocolate for me, my husband and our
                # daughter": who has which is not said
                out[group[0] :] = [None] * (len(group) - 1)
                out.append(None)
                continue
            joined = listed[:1]
            for m in listed[1:]:
                between = tokens[joined[-1].end : m.start]
                if tokens[m.start] == "for" or any(t not in (",", "and", "&") for t in between):
                    break  # (", and for the kids two hamburgers": a "for" of its own)
                joined.append(m)
            later = [n for n in range(k + 1, len(positions)) if positions[n] >= joined[-1].end]
            if len(joined) > 1 and later and len(joined) == 1 + len(later):
                # "2 cappuccinos for me and my friend, one with cinnamon dolce and one with
                # caramel": who has which is not said
                out.append(None)
                continue
            out.append(after[0].person)
            continue
        before = [m for m in said if m.start < pos and m.kind in ("for", "subject")]
        if len(before) > 1 and before[-1].kind == before[-2].kind == "for":
            between = tokens[before[-2].end : before[-1].start]
            one_list = tokens[before[-1].start] != "for"  # (not "..., and for the kids")
            if one_list and all(t in (",", "and", "&") for t in between) and len(positions) > 1:
                # "for me and my wife: a large drip coffee and a small latte": who has which
                # is not said
                out.append(None)
                continue
        taken = {m.start for m in said if any(o == m.person for o in out if o)}
        free = [m for m in before if not (m.kind == "for" and m.start in taken)]
        out.append(free[-1].person if free else None)
    return out


def listed_for(
    tokens: Sequence[str], positions: Sequence[int], names: frozenset[str] = frozenset()
) -> list[list[str]]:
    """The people each line is for when its "for" names several ("2 hot chocolates for the
    kids and 2 lattes for me and my husband": the lattes are mine and my husband's; "2 burgers
    and 2 fries for me and my roommate": both lines are); a line that names one person, or
    none, has none here."""
    said = mentions(tokens, names)
    out: list[list[str]] = []
    for k, pos in enumerate(positions):
        upto = positions[k + 1] if k + 1 < len(positions) else len(tokens) + 1
        after = [m for m in said if pos < m.start < upto]
        listed: list[Mention] = []
        for m in after:
            between = tokens[listed[-1].end : m.start] if listed else ()
            if m.kind != "for" or any(t not in (",", "and", "&") for t in between):
                break
            listed.append(m)
        out.append([m.person for m in listed] if len(listed) > 1 else [])
    for k in reversed(range(len(out) - 1)):
        start = positions[k - 1] if k else -1
        if not out[k] and out[k + 1] and not any(start < m.start < positions[k + 1] for m in said):
            out[k] = out[k + 1]  # the lines listed before it, nobody named for them
    return out


def _opens_clause(tokens: Sequence[str], at: int) -> bool:
    """Whether "for X" at `at` opens what follows ("..., and for the kids two hamburgers")."""
    return at > 0 and tokens[at - 1] in (",", "and", ".", "plus")


# What a person is, said as the reason for a change rather than to name their dish
_IS_WHY = re.compile(
    r"(?:is|s|are|was|got|just got) (?:really |so |very |still )?"
    r"(?:hungry|starving|coming|joining|here|back|over|late|sick|out)\b"
)


def _my_mind(tokens: Sequence[str], mention: Mention) -> bool:
    """Whether the speaker said they changed their mind before saying what they want."""
    before = " ".join(tokens[: mention.start])
    return "changed my mind" in before or "change my mind" in before


# "but for Sam make it steak": whose line the change is of, said first
_OPENERS = frozenset({"but", "and", "oh", "actually", "ok", "okay", "then", "also", "so", "now"})
_CHANGED = frozenset({"make", "change", "switch", "swap", "do", "put", "turn"})


def _changed_for(
    tokens: Sequence[str], mention: Mention, dish_at: Callable[[int], bool] | None = None
) -> bool:
    """Whether "for someone" opens a change of their dish ("but for Sam make it steak", "and
    for her light vanilla": what follows names no dish, nor how many, so it is of hers)."""
    if not all(t in _OPENERS for t in tokens[: mention.start]):
        return False
    after = [t for t in tokens[mention.end : mention.end + 2] if t != ","][:1]
    if after and after[0] in _CHANGED:
        return True
    rest = range(mention.end, len(tokens))
    return (
        dish_at is not None
        and bool(after)
        and after[0] not in _ENDS
        and after[0] not in ("a", "an", "another", "one", "some", "the", "same")
        and count_of(after[0]) is None
        and not any(dish_at(k) for k in rest)
    )


# The words of "..., but not on his": whose line a change is not of
_NOT_THEIRS = frozenset({"not", "on", "for", "to", "but", ",", "and"})

# Words after "i want" that say a dish or a line of its own: "i want one too", "i want it large"
_NOT_OWN = frozenset(
    {"a", "an", "another", "one", "ones", "some", "same", "the", "it", "them", "that", "this"}
    | {"those", "these", "more", "too", "also", "everything", "all", "both"}
)


def _of_own(tokens: Sequence[str], mention: Mention, dish_at: Callable[[int], bool] | None) -> bool:
    """Whether the speaker, wanting something, says only options, of their own dish ("actually
    i want light rice not extra", after a burrito for me and a bowl for my wife)."""
    rest = range(mention.end, len(tokens))
    return (
        dish_at is not None
        and mention.start == sum(1 for t in tokens[: mention.start] if t in _OPENERS)
        and not any(dish_at(k) for k in rest)
        and _NOT_OWN.isdisjoint(tokens[mention.end :])
        and not any(count_of(tokens[k]) is not None for k in rest)
    )


def owner_said(
    tokens: Sequence[str],
    names: frozenset[str] = frozenset(),
    dish_at: Callable[[int], bool] | None = None,
) -> tuple[str | None, list[str]]:
    """The person an edit is about ("my husband's bowl", "the kids' ones", "mine", "no onions
    on his") and the message without their words; "one of the kids" stays "one of them".
    "his", "hers" and "theirs" come back as "~his", "~her", "~their", for `who`. `dish_at`
    says where a dish is named: "to her taco" is "to the taco"."""
    out = list(tokens)
    person: str | None = None
    given: str | None = None
    mention_kind = ""
    said = mentions(tokens, names)
    for mention in said:
        if (
            mention.kind == "for"
            and mention.person != "me"
            and not _changed_for(tokens, mention, dish_at)
        ):
            given = mention.person
            continue  # "a coke for my dad": who an addition is for, not which line
        if (
            mention.person == "me"
            and mention.kind == "subject"
            and not _my_mind(tokens, mention)
            and not _of_own(tokens, mention, dish_at)
        ):
            continue  # "i want two seven ups": the speaker, not their dish (but "i changed my
            # mind, i want a tuna": mine)
        if mention.kind == "subject" and _IS_WHY.match(" ".join(tokens[mention.end :])):
            continue  # "actually 3 double cheeseburgers my roommate is hungry": why, not whose
        person = mention.person
        mention_kind = mention.kind
        if person in _BY_PRONOUN and given is not None and not given.startswith("~"):
            person = given  # "the tuna is for Priya, she wants it with spinach"
        words = tokens[mention.start : mention.end]
        before = tokens[max(0, mention.start - 2) : mention.start]
        replacement = ["them"] if list(before) == ["of", "the"] or before[-1:] == ["of"] else []
        if before[-1:] == ["one"] and not is_group(person) and is_group(f"{person}s"):
            person = f"{person}s"  # "one friend wants ...": one of the friends
        if before[-1:] == ["one"] and is_group(person):
            replacement = ["of", "them"]  # "one twin wants ...": one of the twins
        if not _ELDEST.isdisjoint(words):
            replacement = ["one", "of", "them"]  # "my youngest wants ...": one of the kids
        after = tokens[mention.end] if mention.end < len(tokens) else ""
        if (
            not replacement
            and mention.kind == "possessive"
            and is_group(person)
            and len(after) > 3
            and after.endswith("s")
            and after not in _NOT_NOUNS
        ):
            replacement = ["the"]  # "take off the kids' drinks": the drinks (of theirs)
        if replacement and out[mention.start - 1] == "the":
            out[mention.start - 1] = ""
        out[mention.start : mention.end] = [""] * (len(words) - len(replacement)) + replacement
        break
    if person is not None and mention_kind == "subject":
        for k, tok in enumerate(tokens):
            if (
                tok in ("his", "her", "their")
                and k
                and tokens[k - 1] in ("wants", "want", "needs", "likes", "prefers")
                and k + 1 < len(tokens)
                and tokens[k + 1] not in _ENDS
                and out[k] == tok
                # (a dish or "... one" follows: "Ken wants his decaf" stays an option)
                and (
                    (dish_at is not None and dish_at(k + 1))
                    or "one" in tokens[k + 1 : k + 4]
                    or "ones" in tokens[k + 1 : k + 4]
                )
            ):
                out[k] = "the"  # "my boss wants his pepperoni one on a stuffed crust"
    if person is not None and "not" in tokens:
        # "onions on mine, not on sams", "with ham but not on his": whose line stays as it is,
        # no option said against
        for other in said:
            k = other.start
            while k and tokens[k - 1] in _NOT_THEIRS:
                k -= 1
            if other.person != person and "not" in tokens[k : other.start]:
                out[k : other.end] = [""] * (other.end - k)
    if person is None:
        for k, tok in enumerate(tokens):
            if tok in _PRONOUNS and not any(m.start <= k < m.end for m in said):
                # ("a pizza for his girlfriend": her pizza, not his)
                person = _PRONOUNS[tok]
                out[k] = "it" if k + 1 >= len(tokens) or tokens[k + 1] in _ENDS else ""
                if dish_at is not None and k + 1 < len(tokens) and dish_at(k + 1):
                    out[k] = "the"
                break
    return person, [t for t in out if t]


# "except the one for my grandma", "but the ones for the kids": the person after the dish
_ONE_FOR = (("the", "one", "for"), ("the", "ones", "for"), ("the", "one", "of"), ("for",))
# names said as whose ("all of them except sams"): these endings are of the name itself
_NAME_ENDS = ("ss", "us", "is", "es")


def left_out(
    tokens: Sequence[str], names: frozenset[str], plain: Callable[[str], bool]
) -> tuple[str, ...]:
    """The people said after "except" ("sam", "mine", "tim and ana", "the one for my grandma",
    "mias"), each once; empty unless every one of the words is a person. `plain` says a word is
    of the menu or of plain English (never a name)."""
    said: list[str] = []
    part: list[str] = []
    for tok in [*tokens, "and"]:
        if tok not in ("and", ",", "&"):
            part.append(tok)
            continue
        if not part:
            continue
        for lead in _ONE_FOR:
            if tuple(part[: len(lead)]) == lead and len(part) > len(lead):
                part = part[len(lead) :]
                break
        found = mentions(part, names)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(part):
            said.append(found[0].person)
        elif part in (["me"], ["i"], ["myself"]):
            said.append("me")
        elif len(part) == 1 and part[0].isalpha() and not plain(part[0]):
            word = part[0]
            whose = len(word) > 3 and word.endswith("s") and not word.endswith(_NAME_ENDS)
            said.append(word[:-1] if whose and not plain(word[:-1]) else word)
        else:
            return ()
        part = []
    return tuple(dict.fromkeys(said))


def who(person: str | None, people: Sequence[str], *, new: bool = False) -> str | None:
    """The person an edit names, with "his", "hers" and "theirs" taken as the latest person
    of the conversation they can mean; with `new` (a line ordered "for her"), a woman or man
    not named is someone all the same ("she", "he")."""
    if person is None:
        return None
    if person not in _BY_PRONOUN:
        return person if person in people else _kin(person, people)
    wanted = _BY_PRONOUN[person]
    found = next((p for p in reversed(people) if p in wanted), None)
    # "my boss ... she wants": someone named whose gender the words don't say
    found = found or next((p for p in reversed(people) if p != "me" and p not in _GENDERED), None)
    return found or (_UNNAMED.get(person) if new else None)


def members(group: str, people: Sequence[str]) -> list[str]:
    """The people of the conversation a group is made of: "the kids" after "for my son" and
    "for my daughter"."""
    return [p for p in people if p in _KIN.get(group, ())]


def kin_of_theirs(person: str, people: Sequence[str]) -> str | None:
    """The person of the conversation someone's kin is when the speaker said it of another
    ("same as his sister's" after "for my daughter", "like her dad's" after "for my husband"):
    the latest of the speaker's people it can be; None when none of them can."""
    return next((p for p in reversed(people) if p in _THEIR_KIN.get(person, ())), None)


def _kin(person: str, people: Sequence[str]) -> str:
    """The one person of the conversation a plural can mean: "my friend's" reads as "friends"
    (the apostrophe is gone), and "the kid's one" after "for my son" is the son's."""
    near = [p for p in reversed(people) if p in _KIN.get(person, ())]
    return near[0] if len(set(near)) == 1 else person


def handed_out(tokens: Sequence[str], names: frozenset[str] = frozenset()) -> list[str]:
    """The people of "one for me, one for my wife and one for my daughter": a message that only
    says who each unit of what was just ordered is for (empty for any other message)."""
    said = mentions(tokens, names)
    if len(said) < 2 or any(m.kind != "for" for m in said):
        return []
    rest = [t for k, t in enumerate(tokens) if not any(m.start <= k < m.end for m in said)]
    if rest.count("one") + rest.count("1") not in (0, len(said)):
        return []  # ("for me, Rita and Paul": one each all the same)
    if any(t not in _HANDING for t in rest):
        return []
    return [m.person for m in said]


def copied_from(
    tokens: Sequence[str], names: frozenset[str] = frozenset()
) -> tuple[str, int, int] | None:
    """Whose order a copy is of: "same as mine for Jo", "Jo wants the same as Sam", "and for my
    son the same as his sister", "same fillings as mine", "a turkey like her dad's": that
    person, and where the words that name them start and end ("as mine", "like her dads").
    "Like" takes a possessive only ("i'd like my son to have ..." names no one's order)."""
    for k, tok in enumerate(tokens):
        having = _whats_having(tokens, k, names) if tok == "what" and k else None
        if having is not None:
            return having
        if tok == "as" and "same" in tokens[max(0, k - 3) : k]:
            like = False
        elif tok == "like" and k and tokens[k - 1] not in _LIKING:
            like = True
        else:
            continue
        at = k + 1
        if tokens[at : at + 1] in (["mine"], ["me"], ["myself"]):
            return "me", k, at + 1
        if tokens[at : at + 2] in (["what", "i"], ["what", "ive"], ["what", "im"]):
            end = at + 2 + (1 if tokens[at + 2 : at + 3] in (["got"], ["have"], ["had"]) else 0)
            return "me", k, end  # "same as what i got"
        found = _person_at(tokens, at, names)
        if found is None and not like and tokens[at : at + 1] in (["his"], ["hers"], ["theirs"]):
            return _PRONOUNS[tokens[at]], k, at + 1  # "and same as his for Jordan"
        if found is None and not like and tokens[at : at + 1] in (["her"], ["him"]):
            # "i'll get the same as her instead": the woman named last
            return ("~his" if tokens[at] == "him" else "~her"), k, at + 1
        if found is None:
            continue
        length, person = found
        if like and not tokens[at + length - 1].endswith("s"):
            continue  # ("she would like her sister to ...")
        return person, k, at + length
    return None


def _whats_having(
    tokens: Sequence[str], at: int, names: frozenset[str]
) -> tuple[str, int, int] | None:
    """ "Sam wants what I'm having", "I'll have what she's having", "same as what my wife got":
    the person whose order, and where "what ... having" starts and ends."""
    # ("she wants exactly what i'm having", "just what he got")
    verb = at - 2 if at > 1 and tokens[at - 1] in ("exactly", "just") else at - 1
    if tokens[verb] not in ("want", "wants", "have", "get", "take", "as", "like"):
        return None
    k = at + 1
    word = tokens[k] if k < len(tokens) else ""
    person: str | None
    if word in ("i", "im", "ive", "id"):
        person, k = "me", k + 1
    elif word in ("she", "shes", "he", "hes"):
        person, k = ("~her" if word.startswith("s") else "~his"), k + 1
    else:
        found = _person_at(tokens, k, names)
        if found is None:
            return None
        person, k = found[1], k + found[0]
    while k + 1 < len(tokens) and tokens[k] in ("is", "s", "has", "just", "am", "was"):
        if tokens[k] == "has" and tokens[k + 1] not in _HAVING:
            break  # "what jo has"
        k += 1
    if k >= len(tokens) or tokens[k] not in _HAVING:
        return None
    return person, at, k + 1


def name_said(word: str, names: frozenset[str]) -> str | None:
    """The name of `names` a word is, or whose it is ("priyas": the apostrophe is gone)."""
    if word in names:
        return word
    return word[:-1] if word.endswith("s") and word[:-1] in names else None


def names_in(lexicon: Lexicon, text: str, known: Iterable[str] = ()) -> frozenset[str]:
    """People's first names in a message, lowercase: a word where a person's would stand
    ("Priya wants a small margherita", "a coke for Sam", "make Priya's gluten free", "raj
    says ...", "one for ahmed"), never a word of the menu; and the names the conversation has
    met already (`known`, its people), wherever they are said again.

    A lowercase word after "for" is a name when it is no everyday English word ("for lunch",
    "for now"), or when other names, or people's words, are said the same way too ("large bbq
    chicken for dad, small pepperoni for emma, small mushroom for leo"); said capitalised, or as
    the one who wants or says something, it is."""
    found = {p for p in known if p not in _KEYS}
    if not _MAY_NAME.search(text):
        return frozenset(found)  # (most orders: read fast)
    maybe = set()
    matches = list(_NAMED.finditer(text))
    heads = sum(1 for m in matches if m.group(3))
    # "mine: pepperoni. tom: bbq chicken": a head beside a person's own is a person too
    beside = any(m.group(3) and is_person(m.group(3).lower()) for m in matches)
    listed = False  # a person's word said where the maybe-names are: "for dad, ... for emma"
    for match in matches:
        word = next(g for g in match.groups() if g)
        name = word.lower()
        if match.group(6) and (is_person(name) or name in ("me", "myself")):
            listed = True  # ("... for jake, ... for me, ... for amy": the speaker listed too)
        if name in _NOT_NAMES or is_person(name):
            continue
        if (
            name in lexicon.known
            and match.group(1)
            and word[:1].isupper()
            and _ONLY_PEOPLE.match(text, match.end(1))
        ):
            # "Kim wants an iced latte and Joe wants a large americano": a menu's word, written
            # as a name, before what only a person does
            found.add(name)
            continue
        if name in lexicon.known and not _last_listed(lexicon, match, found):
            continue
        if match.group(3) and (
            name in _LABELS
            or (
                is_english(name)
                and (word.islower() or (heads < 2 and not found))
                and not (beside and heads > 1)
            )
        ):
            # "Correction: 10 diet cokes", "drinks: 2 cokes" (but "Dave: a latte. Maria: a mocha",
            # a word no dictionary has: "Priya: a latte", "liam: chicken bowl", and "Ben: same as
            # Aisha" once others were named)
            continue
        if match.group(7) and word.islower() and is_english(name):
            continue  # "for my son please", "my friend wants"
        if (
            match.group(6)
            and _BE_FOR.search(text, 0, match.start(6))
            and not name.endswith("ing")
            and count_of(name) is None
        ):
            found.add(name)  # "the carnitas ones are for dave": whom they are for, a person
            continue
        if match.group(6) and word.islower() and is_english(name):
            maybe.add(name)  # "for lunch", "for here"; but "... for priya and ... for sam"
            continue
        if match.group(11) and (is_english(f"{name}s") or lexicon.is_known(f"{name}s")):
            continue  # "take the cheese off the onions", "light on pickles"
        found.add(name)
    return frozenset(found | maybe if found or listed else found)


def _last_listed(lexicon: Lexicon, match: re.Match[str], found: set[str]) -> bool:
    """Whether a capitalised word the menu's words hold is the last of a list of names ("for
    me, Jordan and Ty"), no word of a dish."""
    word = match.group(5)
    return bool(word and found and not lexicon.lookup([word.lower()], 0)[0])


def is_group(person: str) -> bool:
    """Whether a person of the conversation is several people ("the kids", "us", "2
    coworkers")."""
    return person in _PLURAL or (person.endswith("s") and person[:-1] in _PEOPLE)


# The words that name several people at once ("kids", "coworkers"): is_person and is_group
GROUP_WORDS = frozenset(
    {word for word in _PLURAL if word in _PEOPLE} | {f"{word}s" for word in _PEOPLE}
)


def _count(word: str) -> int:
    return count_of(word) or 0


def is_person(word: str) -> bool:
    """Whether a word names a person ("husband", "kids"): not a dish the menu lacks."""
    return word in _PEOPLE or (word.endswith("s") and word[:-1] in _PEOPLE) or word == "mine"


def subject_before(
    tokens: Sequence[str], at: int, names: frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """The people that say what they want at `at` ("me and my bro want ...", "my dad wants
    ...", "Mike and Dan want ..."; `names` are people's names): where their words start and how
    many they are; None when no person is the subject. A plural word ("the kids") counts as
    one: how many they are is not said."""
    start, people = at, 0
    while start:
        word = tokens[start - 1]
        if word in names and start > 1 and is_person(tokens[start - 2]):
            pass  # "my coworker Ana wants ...": one person, her name said after who she is
        elif word in ("me", "i") or is_person(word) or word in names:
            people += 1
        elif word not in _OWN and word not in ("and", ","):
            break
        start -= 1
    while start < at and tokens[start] in ("and", ","):
        start += 1
    return (start, people) if people else None


# A name where a person's word would stand: the one who wants or says something (at the start
# of a clause), the one a dish is for (at the end of one), the one whose dish it is ("Priya's").
_NAMED = re.compile(
    r"(?:^|[,.;:!?]\s*|\b(?:and|then|oh|ok|so|also|plus|but|now|actually)\s+)"
    r"([A-Za-z][a-z]+)(?=\s+(?:wants|says|said|would|will|wanted|needs|likes|prefers|gets|"
    r"is (?:having|getting)|can have|could have|"
    # "Maya isn't coming after all, take hers off"
    r"isnt|isn't|is not|wont|won't|cant|can't|doesnt|doesn't|changed|decided|"
    # "Priya is vegetarian, she wants a veggie bowl": who she is, then what she wants
    r"is [\w -]{1,30}[,.;]\s*(?:so )?(?:she|he)\b|"
    # "Mike and Dan want burritos", "Mia & Leo both want a shake": two who want the same
    r"(?:(?:and|&) [A-Z][a-z]+ )?(?:both |each )?want\b)\b)"
    r"|\b([A-Z][a-z]+)['’]s\b"
    r"|(?:^|[,.;!?]\s*)([A-Za-z][a-z]+)(?=\s*:)"
    r"|(?<=[a-z],\s)([A-Z][a-z]+)(?=\s*(?:[,.!?]|\band\b|$))"
    r"|(?<=\band\s)([A-Z][a-z]+)(?=\s*(?:[,.!?]|$))"
    # ("one for me one for sam": each unit's, one after the other)
    r"|\bfor ([A-Za-z][a-z]+)(?=\s*(?:$|[,.;:!?&]|(?:and|please|pls|too|thanks|as well|one)\b))"
    # "my coworker Ana wants ...", "for my friend jo", "his sister Kate": who the person is,
    # then her name
    rf"|\b(?:my|our|his|her) (?:{'|'.join(_PEOPLE)})s? "
    r"([A-Z][a-z]+|[a-z]+(?=\s*(?:$|[,.!?]|wants\b)))"
    r"|\bsame as ([A-Z][a-z]+)\b"  # "Jo wants the same as Sam"
    # "for mike a veggie burger, no mayo": whom a clause's dish is for, said first
    r"|(?:^|[,.;:!?]\s*|\b(?:and|then|oh|ok|so|also|plus|now)\s+)for ([A-Za-z][a-z]+)"
    r"(?= (?:a|an)\s)"
    # "mine with ham, jen's with just mushrooms": whose the clause's dish is, said first
    r"|(?:^|[,.;]\s*(?:and\s+)?)([a-z]{3,})['’]s(?=\s+(?:with|gets|has|is|just|only|on)\b)"
    # "take the cheese off toms", "extra rice on mayas": whose dish, its apostrophe gone
    r"|\b(?:off|on|onto|from) ([A-Za-z][a-z]+)s(?=\s*(?:$|[,.;!?]|too\b|please\b|pls\b))"
)
_ONLY_PEOPLE = re.compile(
    r"\s+(?:wants|says|said|wanted|needs|likes|prefers|changed|decided|is (?:having|getting))\b"
)
# What a message with a name in one of those places has somewhere
# "the carnitas ones are for ...", "that one's for ...": whom a line is for, said of it
_BE_FOR = re.compile(r"\b(?:is|are|was|were|[a-z]+['’]s) (?:(?:all|both|just|only) )?for $", re.I)
_MAY_NAME = re.compile(
    r"[A-Z:'’]|\b(?:wants|says|said|would|will|wanted|needs|likes|prefers|gets|is|can|could|for)\b"
    r"|\b(?:off|on|onto|from) [a-z]+s\s*(?:[,.;!?]|too\b|please\b|pls\b|$)"
)
# Words before a colon that head a message, not a person's order ("Correction: 2 cokes")
_LABELS = frozenset(
    {"correction", "update", "edit", "note", "change", "changes", "addition", "fix", "also"}
    | {"plus", "reminder", "question", "order", "total", "drinks", "food", "sides", "extras"}
)
# Words in those places that are no one's name
_NOT_NAMES = frozenset(
    {
        "i", "he", "she", "it", "we", "they", "you", "who", "that", "this", "which", "what",
        "one", "each", "both", "all", "everyone", "everybody", "someone", "somebody", "nobody",
        "anyone", "anybody", "me", "him", "her", "us", "them", "here", "there", "now", "later",
        "today", "tonight", "tomorrow", "lunch", "dinner", "breakfast", "pickup", "delivery",
        "sure", "real", "free", "good", "takeout", "myself", "yourself", "everything",
        "nothing", "something", "the", "a", "an", "my", "your", "our", "his", "hers",
        "thanks", "thank", "please", "cheers", "bye", "sorry", "yes", "no", "great", "perfect",
        "cool", "awesome", "actually", "also", "wait", "hello", "hi", "hey", "ok", "okay", "done",
        "total", "same", "either", "none", "instead", "too", "then", "dessert", "drinks",
        "starters", "sides", "mains", "example", "instance", "once",
    }
)  # fmt: skip
# The words `_person_at` can take as a person, beside names (the gate of `mentions`): the first
# word of each of `_ONES`, the kids by age, "my gf", and every word `is_person` takes.
_PERSON_WORDS = frozenset(
    {k.split()[0] for k in _ONES}
    | _ELDEST
    | {"gf", "gfs"}
    | {*_PEOPLE, *(f"{word}s" for word in _PEOPLE), "mine"}  # what `is_person` takes
)
_KEYS = frozenset({*_PEOPLE.values(), *_ONES.values(), *_UNNAMED.values(), "me"})
# "his" stands for the latest man or boy named, and so on
_PRONOUNS = {"his": "~his", "hers": "~her", "her": "~her", "theirs": "~their", "their": "~their"}
_BY_PRONOUN = {"~his": _MALE, "~her": _FEMALE, "~their": _PLURAL}
# A plural that also reads a possessive ("my friend's" is "friends"): the one person it can be
_KIN = {
    "kids": frozenset({"son", "daughter"}),
    "grandkids": frozenset({"grandson", "granddaughter"}),
    "boys": frozenset({"son"}),
    "girls": frozenset({"daughter"}),
    **{
        f"{single}s": frozenset({single})
        for single in ("friend", "brother", "sister", "coworker", "roommate")
    },
}
# "my youngest", "the oldest one", "our eldest son": one of the kids
_ONE_CHILD = frozenset({"one", "kid", "child", "son", "daughter", "boy", "girl"})
_HAVING = frozenset({"having", "got", "has", "had", "ordered", "getting", "gets", "get"})
# Words before "like" that make it a wish ("i'd like", "she would like"), not "like hers"
_LIKING = frozenset(
    {"i", "id", "d", "would", "you", "we", "they", "he", "she", "dont", "doesnt", "really", "also"}
)
# Someone's kin said of a child or a parent of the speaker's ("her brother", "his sister",
# "her dad"): who they are to the speaker
_THEIR_KIN = {
    "brother": ("son", "boys", "kids"),
    "brothers": ("son", "boys", "kids"),
    "sister": ("daughter", "girls", "kids"),
    "sisters": ("daughter", "girls", "kids"),
    "dad": ("husband", "partner", "me"),
    "mom": ("wife", "partner", "me"),
    "son": ("brother",),
    "daughter": ("sister",),
}
_HANDING = frozenset({"one", "1", "and", ",", ".", "!", "each", "then", "so", "ok"})
_ENDS = frozenset({"please", "too", "also", ",", ".", "as", "pls", "thanks"})


__all__ = [
    "GROUP_WORDS",
    "Mention",
    "copied_from",
    "groups_counted",
    "handed_out",
    "is_group",
    "is_person",
    "kin_of_theirs",
    "left_out",
    "line_positions",
    "listed_for",
    "members",
    "mentions",
    "name_said",
    "names_in",
    "owner_said",
    "owners",
    "subject_before",
    "who",
]


# How many the party is, as a message says it: "there are 4 of us", "we're 3", "family of
# four", "ordering for 3", "for me and 2 coworkers", "a tea for each of my 3 kids"
_COMPANY = (
    r"(?:friends|coworkers|co-workers|colleagues|kids|children|roommates|brothers|sisters"
    r"|boys|girls|buddies|guys|people|adults|others)"
)
_PARTY = re.compile(
    rf"\b(?:(?:there are|theres|there's|we are|we're|were) (?P<n1>\d+|\w+)"
    rf"(?= of us\b| {_COMPANY}\b|\s*(?:[.,!?:]|$))"
    r"|(?P<n2>\d+|\w+) of us|for (?P<n3>\d+|\w+) (?:people|persons|of us)"
    r"|(?:party|family|group|table|team|crew|squad|gang) of (?P<n4>\d+|\w+)"
    # "lunch for 5 coworkers", "dinner for us four", "order for 6 please"
    rf"|for (?P<n7>\d+|\w+) (?:\w+ )?{_COMPANY}|for us (?P<n8>\d+|\w+)"
    # "roommates (4)", "the carpool crew (4)", "my team (5) wants subs"
    rf"|(?:{_COMPANY}|crew|team|group|family|party|office|squad|gang|us) \((?P<n10>\d+)(?=\))"
    # "team lunch - 6 people", "family dinner, 4 people", "hey, 4 roommates here", "ok so 3
    # people": the count said on its own (not "3 kids want burgers", "2 kids meals")
    r"|(?:(?<=^)|(?<=[-,.;:!(] )|(?<=[,;:!(-])|(?<=\bso ))"
    rf"(?P<n11>\d+|\w+) {_COMPANY}(?=\s*(?:[.,!?;)]|$|here\b|total\b|today\b|tonight\b))"
    # "lunch for 4", "coffees for 3: ...", "order for 6 please": a count for whom, ending its
    # clause
    r"|for (?!everyone\b|everybody\b)(?P<n9>\d+|\w+)(?=\s*(?:[.,!?:;)]|please\b|pls\b|$))"
    r"|ordering for (?P<n5>\d+|(?!me\b)\w+)\b(?! \w+s\b| \()"
    rf"|(?:me|myself) and (?:my )?(?P<more>\d+|\w+) (?:\w+ )?{_COMPANY}"
    rf"|each of (?:my|our|the) (?P<n6>\d+|\w+) {_COMPANY}"
    # "chips for everyone, 7": how many everyone is, said after
    r"|\b(?:everyone|everybody|all of us|each of us),? (?P<n12>\d+|\w+)(?=\s*(?:[.!]|$)))\b",
    re.I,
)


# How many a group named is, as its words say: "the twins", "my 3 kids", "both boys"
_GROUP_SIZE = re.compile(
    rf"\b(?P<two>twins|both (?:of )?(?:the |my |our )?{_COMPANY}|both (?:boys|girls)"
    # "my parents both want a latte", "they both want a large pizza"
    r"|both(?= (?:want|get|need|would|will|have|are having)\b))\b"
    # "me and my husband each want our own", "Jo, Al and I each get a taco"
    r"|(?P<listed>(?:(?:my |our )?\w+, )*(?:my |our )?\w+ and (?:my |our )?\w+) each"
    r"(?= (?:want|get|need|would|will|have)\b)"
    r"|\b(?P<three>triplets)\b"
    rf"|\b(?:the|my|our|all|all the) (?P<n>\d+|\w+) (?:\w+ )?{_COMPANY}\b",
    re.I,
)


def group_size(text: str) -> int | None:
    """How many the one group a message names is, when its words say it ("the twins each
    want a quesadilla", "my 3 kids"), or None."""
    found = list(_GROUP_SIZE.finditer(text))
    if len(found) != 1:
        return None
    match = found[0]
    if match.group("two"):
        return 2
    if match.group("listed"):
        said = [w.split()[-1] for w in re.split(r", | and ", match.group("listed"))]
        if all(w.lower() in ("me", "i") or is_person(w.lower()) or w[:1].isupper() for w in said):
            return len(said)
        return None
    if match.group("three"):
        return 3
    word = match.group("n").lower()
    count = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
    return count if count is not None and 1 < count <= 99 else None


# The groups a message counts: "my 2 kids", "me and 3 coworkers", "the two interns", "the
# twins", "2 adults and 2 kids", "kids each want ..., there's 3 of them"
_GROUP_COUNTED = re.compile(
    r"\b(?P<two>twins)\b|\b(?P<three>triplets)\b"
    # (not "2 kids meals", "3 kids size cups": a dish for children)
    r"|\b(?:(?:my|our|the|her|his|their|all|all the) )?"
    rf"(?P<n>{count_pattern(20)}) (?P<who>[a-z]+s)\b"
    r"(?! (?:meals?|menus?|size|sized|portions?|combos?|cups?|drinks?|specials?)\b)",
    re.I,
)
# "..., there's 3 of them", "..., we have 2": how many the one group just named is
_THEY_ARE = re.compile(
    r"\b(?:there(?:['’]?s| is| are)|theres|we have|we got|they(?:['’]?re| are))"
    r" (?P<n>\d+|[a-z]+)(?: of them)?\s*(?:[.,!?;]|$)",
    re.I,
)


def groups_counted(text: str) -> list[tuple[str, int]]:
    """The groups of people a message says the number of, each as (who, how many): "for me
    and my 2 kids" is ("kids", 2), "the twins" ("kids", 2), "kids each get a taco, there's 3
    of them" ("kids", 3)."""
    found: list[tuple[str, int]] = []
    for match in _GROUP_COUNTED.finditer(text):
        if match.group("two") or match.group("three"):
            found.append(("kids", 2 if match.group("two") else 3))
            continue
        word = match.group("who").lower()
        count = _count(match.group("n").lower())
        if is_group(word) and word in _PEOPLE and 1 < count <= 99:
            found.append((_PEOPLE[word], count))
    said = _THEY_ARE.search(text)
    if said is not None and not found:
        named = {_PEOPLE[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _PEOPLE}
        count = _count(said.group("n").lower())
        if len(named) == 1 and is_group(next(iter(named))) and 1 < count <= 99:
            found.append((named.pop(), count))
    return found


# "two adults two kids", "dinner for 2 adults and 2 kids": the party counted group by group
_PARTY_BY_GROUP = re.compile(
    rf"\b{count_pattern(20)} {_COMPANY}"
    rf"(?:\s*(?:,|and|&|\+|plus)?\s*{count_pattern(20)} {_COMPANY})+\b",
    re.I,
)


def party_size(text: str) -> int | None:
    """How many people the message says the party is (2 to 99), or None."""
    by_group = _PARTY_BY_GROUP.search(text)
    if by_group is not None:
        total = sum(n for _, n in groups_counted(by_group.group(0)))
        if 1 < total <= 99:
            return total
    for found in _PARTY.finditer(text):
        word = next(w for w in found.groups() if w is not None).lower()
        count = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        if count is not None and found.group("more") is not None:
            count += 1  # and the speaker
        if count is not None and 1 < count <= 99:
            return count
    listed = _ORDERING_FOR.search(text)
    return _party_listed(listed.group("who")) if listed is not None else None


# "ordering for grandma, grandpa and me", "coffee for my parents and me", "a burger each for
# me and my sister": whom the order is for, listed one by one
_ORDERING_FOR = re.compile(
    r"(?:^|\border(?:ing)? |\beach |^(?:hi|hey|hello)?[,!\s]*(?:ordering |order )?[a-z]+ )for "
    r"(?P<who>[a-z ,&]+? (?:and|&) [a-z ]+?)\s*(?:[.!?:;]|$)",
    re.I,
)
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+")
_PAIRS = frozenset({"parents", "grandparents", "twins", "in-laws", "inlaws"})


def _party_listed(said: str) -> int | None:
    """How many the people listed are ("my parents and my two brothers": 4), or None when
    one of them is not counted (a plural with no number: "me and the kids")."""
    total = 0
    parts = _LIST_SPLIT.split(said.strip())
    for part in parts:
        words = [w for w in part.lower().split() if w not in _OWN]
        if len(words) == 1 and words[0] in _PAIRS:
            total += 2
        elif len(words) == 1 and (
            words[0] in ("me", "myself")
            or (is_person(words[0]) and not is_group(words[0]))
            or part[:1].isupper()  # a name
        ):
            total += 1
        elif len(words) == 2 and (count := _count(words[0])) and is_group(words[1]):
            total += count
        else:
            return None
    return total if len(parts) > 1 and 1 < total <= 99 else None


# "3 cheeseburgers. mine with extra pickles, lucy's with no tomato and ben's plain": a count of
# one dish, then each person's unit of it said by whose it is
_WHOSE = r"(?:mine|(?:my|our) [a-z]+(?:'s|s')?|[a-z]+(?:'s|s'|s))"
_HOW = r"(?:is|gets?|w/|w|with|without|no|plain|just|only)"
_THEIRS_EACH = re.compile(
    rf"^(?P<lead>.*?\b(?P<n>\d+|two|three|four|five|six|seven|eight)\b[^.,:;]*?)"
    rf"\s*(?:[.,:;]|\s-)\s*(?P<rest>{_WHOSE} (?:{_HOW}\b|[a-z]).*)$",
    re.I,
)
# where each person's part may start; "mine iced": a menu's word right after a possessive
_THEIR_PART = re.compile(
    rf"(?:^|\s*,\s*(?:and\s+)?|\s+(?:and|&|then)\s+)(?P<who>{_WHOSE}) (?:(?P<how>{_HOW})\b)?",
    re.I,
)
_MORE_THEIRS = re.compile(r"(?:and )?(?:mine|his|hers|theirs|(?:my|our) \w+|\w+'s)\b", re.I)
_THEIRS_CUE = ("mine ", "'s ", "s with ", "s w ", "s w/", "s is ", "s plain", "s no ", "s just ")
# Words ending in s that are no one's: "3 burgers, this with ...", "2 teas, it's ..."
_NO_ONES = frozenset(
    {"its", "it's", "thats", "that's", "this", "lets", "let's", "ones", "others", "plus", "yes"}
    | {"his", "hers", "theirs", "was", "is", "has", "as", "us", "both", "yours", "ours", "whats"}
)
_PLAIN_SAID = frozenset({"plain", "just plain", "regular", "normal", "as is", "nothing on it"})


def whose_each(lexicon: Lexicon, text: str) -> str:
    """ "3 cheeseburgers. mine with extra pickles, lucys with no tomato and ben's plain", as
    "3 cheeseburgers. one plain for ben, one with extra pickles for me and one with no tomato
    for lucy": each unit carved out, said with whom it is for, so each person's line is theirs
    for later edits ("lucy wants bacon too"). The plain ones come first, where the count's
    own line stands (what is left of it once the others are carved out)."""
    low = text.lower()
    if not any(cue in low for cue in _THEIRS_CUE):
        return text
    found = _THEIRS_EACH.match(text)
    if found is None:
        return text
    rest = found.group("rest")
    anchored = False
    stop = re.search(r"[.;!?](?:\s|$)", rest)
    tail = rest[stop.start() :] if stop else ""
    rest = rest[: stop.start()] if stop else rest
    if _MORE_THEIRS.match(tail.lstrip(".;!? ")):
        return text  # ("Mine tofu with white rice. His carnitas.": the parts in sentences)
    starts: list[tuple[re.Match[str], str]] = []
    for part in _THEIR_PART.finditer(rest):
        person, sure = _whose(lexicon, part.group("who").lower())
        after = rest[part.end() :].split()
        if person is None or (
            part.group("how") is None
            and not (
                (sure or part.group("who").lower() == "mine")
                and after
                and _menu_word(lexicon, after[0].lower().strip(",."))
            )
        ):
            said = part.group("who").lower()
            if part.start() == 0 or part.group("how") is not None or said in _NO_ONES:
                return text  # ("mine with jalapenos, his with pickles": the grammar's own)
            continue  # ("mine with pickles and onions": no one's part, more of mine)
        starts.append((part, person))
        anchored = anchored or sure
    count = count_of(found.group("n").lower()) or 0
    counted = found.group("lead")[found.end("n") :].split()[:1]
    if not starts or len(starts) > count or (counted and is_person(counted[0].lower())):
        return text  # (not "me and 2 friends each want ...": people counted, no dish)
    plain: list[str] = []
    dressed: list[str] = []
    said_in_turn: list[str] = []
    for k, (part, person) in enumerate(starts):
        end = starts[k + 1][0].start() if k + 1 < len(starts) else len(rest)
        how = (part.group("how") or "").lower()
        what = rest[part.end() : end].strip(" ,")
        if not _WANTS.isdisjoint(what.lower().split()):
            return text  # ("mine with ham, and lucy wants olives": hers said another way)
        bare = not how
        if how in ("is", "get", "gets"):
            how = ""
        elif how in ("w", "w/"):
            how = "with"
        said = f"{how} {what}".strip().lower()
        said_plain = said in _PLAIN_SAID or said.startswith("plain")
        if said_plain:
            plain.append(f"one plain for {person}")
        elif how in ("with", "without") or bare:
            dressed.append(f"one {said} for {person}")
        else:
            dressed.append(f"one with {said} for {person}")
        said_in_turn.append((plain if said_plain else dressed)[-1])
    if not anchored:
        return text
    # (more than were said for: the plain ones stay in place, apart from what is left)
    ones = [*plain, *dressed] if len(starts) == count else said_in_turn
    listed = f"{', '.join(ones[:-1])} and {ones[-1]}" if len(ones) > 1 else ones[0]
    return f"{found.group('lead')}, {listed}{tail}"


def _whose(lexicon: Lexicon, said: str) -> tuple[str | None, bool]:
    """Who a possessive is ("mine": me, "my sons": my son, "lucys": lucy), and whether it
    surely names a person (the speaker, a person's word, an apostrophe), not just a word in s."""
    if said == "mine":
        return "me", True
    words = said.split()
    word = words[-1]
    base = word[:-2] if word.endswith("'s") else word[:-1] if word.endswith(("s'", "s")) else word
    if len(words) == 2:
        return (f"{words[0]} {base}", True) if is_person(base) or is_person(word) else (None, False)
    if word in _NO_ONES or len(base) < 2 or lexicon.is_known(base) or lexicon.is_known(word):
        return None, False
    return base, "'" in word or is_person(base)


def _menu_word(lexicon: Lexicon, word: str) -> bool:
    """Whether a word alone is a dish or an option of the menu ("iced", not "coming")."""
    length, entry = lexicon.lookup([word], 0)
    return bool(length) and entry is not None and bool(entry.items or entry.options)
