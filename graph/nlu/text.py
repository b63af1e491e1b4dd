"""Turning a customer's message into lowercase word tokens the lexicon and grammar share."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_WITHOUT = re.compile(r"\bw/o\b|\bw/out\b")
_WITH = re.compile(r"\bw/")
# "w spinach and cucumbers": a bare "w" opening a message is "with" (elsewhere the grammar
# reads it, and "123 w 45th st" is west)
_W_FIRST = re.compile(r"^((?:and |n |oh |ok )?)w (?=[a-z])")
# "x-large", "x-lg": a size, spelled out before "2 x-large" could read as "2 x" (two times).
_X_SIZE = re.compile(r"\bx-?(?:large|lg|lrg|larg)\b")
# "tacos (3)", "(x2)": a count set apart in brackets is a multiplication.
_COUNT_BRACKETS = re.compile(r"\(\s*x?\s*(\d+)\s*x?\s*\)")
# '6" sub', "12'' pizza": inches.
_INCHES = re.compile(r"(\d)\s*(?:\"|'')")
# "2x pizza" and "pizza x2": the x is a multiplication sign, not a word.
_TIMES_BEFORE = re.compile(r"\b(\d+)\s*x\b")
_TIMES_AFTER = re.compile(r"\bx\s*(\d+)\b")
# "20oz", "2liter", "7up": a number glued to a unit or a name.
_DIGIT_WORD = re.compile(r"(\d)([a-z])")
# "the 2nd one": an ordinal written with digits, before "2nd" is cut into "2 nd".
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth"}
_ORDINAL = re.compile(r"\b(1st|2nd|3rd|4th|5th)\b")
_WORD_DIGIT = re.compile(r"([a-z])(\d)")
# "20 fl. oz.", "lg. coke", "dr. pepper": an abbreviation's dot does not end a sentence.
_ABBREVIATION = re.compile(r"\b(fl|oz|lg|lrg|med|sm|reg|dr|pcs|pc|qty|xl|approx|ea)\.")
# Sentence punctuation becomes a "." token; a decimal point between digits stays.
_STOP = re.compile(r"(?<!\d)\.|\.(?!\d)|[!?;]")
# A colon opens a list ("three pizzas: a margherita, a hawaiian"); brackets set a clause apart.
_COLON = re.compile(r":(?!\d)")
# So does a dash set apart between a plural and a counted dish ("two pizzas - a margherita and a
# bbq chicken", "two pizzas please - a ..."), not one inside a word ("gluten-free") or a range
# ("2 - 3").
_LIST_DASH = re.compile(r"(?<=[a-z]s)((?: please| pls)?) +-+ +(?=(?:a|an|one|two|three|four|\d+) )")
# "pepperoni, sausage, mushroom - all large": what goes on every one, after a dash
_DASH_ALL = re.compile(r" +[-–—]+ +(?=(?:all|each|both|every one)\b)")
_BRACKETS = re.compile(r"[()\[\]]")
_DIGIT = re.compile(r"\d")
# "wat sizes 4 cappucino": chat's "4" for "for" after what is asked about, not a count
_FOR_4 = re.compile(
    r"\b(sizes?|options|choices|flavou?rs|toppings|prices?|extras|add ?ons) 4 (?=[a-z])"
)
_OTHER = re.compile(r"[^a-z0-9.,': ]+")
# Chat shorthand and the usual slips spelled out where the rules read whole words: "nvm the
# fries", "no onions actualy".
_SHORTHANDS = {
    "nvm": "never mind",
    "actualy": "actually",
    "acutally": "actually",
    "actully": "actually",
    "actuly": "actually",
    "milkshake": "shake",
    "milkshakes": "shakes",
}
_SHORTHAND = re.compile(r"\b(?:" + "|".join(_SHORTHANDS) + r")\b")
# "my daughter changed hers to a chicken sandwich", "he switched his coke for a sprite": the
# change said as done, read as the change asked for (not "I changed my mind")
_DONE_CHANGE = re.compile(
    r"\b(changed|switched|swapped) (?=(?:hers|his|mine|theirs|"
    r"(?:her|his|my|their) (?!mind\b)[a-z]+(?: [a-z]+)?) (?:to|for|into|with)\b)"
)
_ASKED_CHANGE = {"changed": "change", "switched": "switch", "swapped": "swap"}
# "she'd rather have baby carrots than apple slices": the one in place of the other, as
# "instead of" says it
_RATHER_THAN = re.compile(r"\b(rather (?:have|get|take|do|go with) [a-z0-9 ,]{1,40}?) than\b")

# "sprite -> coke", "large => medium": an arrow swaps what is before it for what is after it,
# read as "change sprite to coke" (the verb put at the start of the arrow's clause)
_ARROW = re.compile(
    r"(^|[,.;!?:] *)((?:(?:and|oh|ok|okay|also|then|n|actually|wait|sorry|pls|please) )*)"
    r"([^,.;!?:]*?) *(?:-+>|=+>|\u2192|\u27a1) *"
)


def normalize(text: str) -> str:
    """Lowercase the message and spell its punctuation the way the menu aliases are spelled."""
    s = text.translate(_QUOTES).lower()
    if ">" in s or "\u2192" in s or "\u27a1" in s:
        s = _ARROW.sub(r"\1\2change \3 to ", s)
    if not s.isascii():
        # "jalapeño", "café": the letter without its accent, as the menus spell them
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    if '"' in s or "''" in s:
        s = _INCHES.sub(r"\1 inch ", s)
    if "(" in s:
        s = _COUNT_BRACKETS.sub(r" x \1 ", s)
    if "w/" in s:
        s = _WITHOUT.sub(" without ", s)
        s = _WITH.sub(" with ", s)
    if s.startswith(("w ", "and w ", "n w ", "oh w ", "ok w ")):
        s = _W_FIRST.sub(r"\1with ", s)
    s = s.replace("&", " and ").replace("+", " and ")
    s = s.replace("'", "")
    if "nvm" in s or "act" in s or "milkshake" in s:
        s = _SHORTHAND.sub(lambda m: _SHORTHANDS[m.group(0)], s)
    if "ed " in s:
        s = _DONE_CHANGE.sub(lambda m: f"{_ASKED_CHANGE[m.group(1)]} ", s)
    if "rather" in s and " than " in s:
        s = _RATHER_THAN.sub(r"\1 instead of", s)
    if "x-" in s or "xl" in s:
        s = _X_SIZE.sub("extra large", s)
    # Each pattern below needs a digit, a stop, a colon or a bracket: most messages have none,
    # and a test for the character is cheaper than a substitution that finds nothing.
    if _DIGIT.search(s):
        s = _FOR_4.sub(r"\1 for ", s)
        s = _TIMES_BEFORE.sub(r"\1 ", s)
        s = _TIMES_AFTER.sub(r" x \1", s)
        s = _ORDINAL.sub(lambda m: _ORDINALS[m.group(1)], s)
        s = _DIGIT_WORD.sub(r"\1 \2", s)
        s = _WORD_DIGIT.sub(r"\1 \2", s)
    if "." in s:
        s = _ABBREVIATION.sub(r"\1 ", s)
    if "." in s or "!" in s or "?" in s or ";" in s:
        s = _STOP.sub(" . ", s)
    if ":" in s:
        s = _COLON.sub(" : ", s)
    if " -" in s or " –" in s or " —" in s:
        s = _DASH_ALL.sub(" , ", s)
        s = _LIST_DASH.sub(r"\1 : ", s)
    if "(" in s or ")" in s or "[" in s or "]" in s:
        s = _BRACKETS.sub(" , ", s)
    s = s.replace(",", " , ")
    return _OTHER.sub(" ", s)


def tokenize(text: str) -> list[str]:
    """The message as word tokens; commas and sentence stops are tokens of their own."""
    return normalize(text).split()


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A menu alias or label as tokens, normalized exactly like a message."""
    return tuple(tokenize(phrase.replace("-", " ")))
