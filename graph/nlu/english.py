"""Whether a word is a word of English: then it is meant as written, not a misspelled menu word.

The words and how often each is used come from pyspellchecker's English dictionary (word counts
from film subtitles): a well-kept library's data rather than a list of our own, which would only
ever hold the words we had already been bitten by ("night", "share", "twins").
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib.resources import files

# Uses in the dictionary's corpus from which a word is everyday English: "twins" (10,271) and
# "covers" (13,790) are; "peperoni" (50) and "carmel" (84) are slips of the menu's words.
_COMMON = 1_000


@cache
def _words() -> frozenset[str]:
    """The everyday words, read once per process on the first word the menu lacks. The counts
    are read straight from the package's file: building a SpellChecker costs five times as
    much and keeps all 160,000 words."""
    try:
        raw = (files("spellchecker") / "resources" / "en.json.gz").read_bytes()
        counts: dict[str, int] = json.loads(gzip.decompress(raw))
    except (OSError, ValueError):  # a later release may keep its dictionaries elsewhere
        from spellchecker import SpellChecker

        counts = dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    return frozenset(word for word, uses in counts.items() if uses >= _COMMON)


def is_english(word: str) -> bool:
    """Whether a lowercase word is everyday English."""
    return word in _words()


__all__ = ["is_english"]
