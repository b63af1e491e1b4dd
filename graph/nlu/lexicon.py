"""Surface forms of one menu's items and options, with typo tolerance, built once per menu."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from graph.menu import Item, Menu, OptionGroup
from graph.nlu.english import is_english
from graph.nlu.text import phrase_tokens
from graph.nlu.words import COMMON_WORDS, GRAMMAR, NUMBER_WORDS

# Short forms people type that no menu lists; added only when the full form is on the menu.
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "pep": ("pepperoni",),
    "peps": ("pepperoni",),
    "pepp": ("pepperoni",),
    "roni": ("pepperoni",),
    "pepperonni": ("pepperoni",),
    "shroom": ("mushroom", "mushrooms"),
    "shrooms": ("mushrooms", "mushroom"),
    "mozz": ("mozzarella",),
    "parm": ("parmesan",),
    "pinapple": ("pineapple",),
    "jalapeño": ("jalapeno",),
    "jalapeños": ("jalapenos",),
    "japs": ("jalapenos", "jalapeno"),
    "jalapeno peppers": ("jalapeno peppers", "jalapenos"),
    "jalapeno pepper": ("jalapeno pepper", "jalapenos"),
    "jalapenos peppers": ("jalapeno peppers", "jalapenos"),
    "japs peppers": ("jalapeno peppers",),
    "oj": ("orange juice",),
    "choc chip": ("chocolate chip",),
    "mac nut": ("macadamia nut",),
    "doc pepper": ("dr pepper",),
    "dp": ("dr pepper",),
    "mtn dew": ("mountain dew",),
    "coca cola": ("coke",),
    "cola": ("coke",),
    "diet cola": ("diet coke",),
    "zero coke": ("coke zero",),
    "7up": ("7 up", "seven up"),
    "sprit": ("sprite",),
    "lemonaid": ("lemonade",),
    "iced teas": ("iced tea",),
    "sweet tea": ("iced tea",),
    "cap": ("cappuccino",),
    "capp": ("cappuccino",),
    "cappuccinos": ("cappuccino",),
    "cappucino": ("cappuccino",),
    "capuccino": ("cappuccino",),
    "expresso": ("espresso",),
    "decaffeinated": ("decaf",),
    "quesadila": ("quesadilla",),
    "quesadillas": ("quesadilla",),
    "sour creme": ("sour cream",),
    "pico": ("pico de gallo",),
    "fajita veg": ("fajita veggies",),
    "fajitas": ("fajita veggies",),
    "vegetables": ("veggies",),
    "veg": ("veggie",),
    "vegetable": ("veggie",),
    "cheesburger": ("cheeseburger",),
    "cheezburger": ("cheeseburger",),
    "hamburgers": ("hamburger",),
    "choc shake": ("chocolate shake",),
    "chocolate milkshake": ("chocolate shake",),
    "vanilla milkshake": ("vanilla shake",),
    "strawberry milkshake": ("strawberry shake",),
    "hot choc": ("hot chocolate",),
    "cocoa": ("hot cocoa", "hot chocolate"),
    "whip": ("whipped cream",),
    "whipped": ("whipped cream",),
    "sweet potato": ("sweet potato fries",),
    "tots": (),
    "sauteed onions": ("fried onions",),
    "grilled onions": ("fried onions",),
    "mushies": ("mushrooms",),
    "xl": ("extra large",),
    "x large": ("extra large",),
    "lg": ("large",),
    "lrg": ("large",),
    "sm": ("small",),
    "sml": ("small",),
    "med": ("medium",),
    "reg": ("regular",),
    "jumbo": ("extra large",),
    "big": ("large",),
    "tall": ("small",),
    "grande": ("regular", "medium"),
    "venti": ("large",),
    "thin": ("thin crust",),
    "thick": ("thick crust",),
    "stuffed": ("stuffed crust",),
    "deep": ("deep dish",),
    "gluten free": ("gluten free crust",),
    "keto": ("keto crust",),
    "cauliflower": ("cauliflower crust",),
    "sourdough": ("sourdough crust",),
    "new york": ("new york style",),
    "ny style": ("new york style",),
    "ny": ("new york style",),
    "meat lovers pizza": ("meat lovers",),
    "meaty": ("meat lovers",),
    "hawaian": ("hawaiian",),
    "hawaiin": ("hawaiian",),
    "margarita": ("margherita",),
    "marg": ("margherita",),
    "the works": ("with the works", "everything"),
    "with the works": ("everything",),
    "vegi": ("veggie",),
    "veggy": ("veggie",),
    "bottled": ("bottle",),
    "canned": ("can",),
    "liter": ("1 liter",),
    "litre": ("1 liter",),
    "2 litre": ("2 liter",),
    "two litre": ("2 liter",),
    "1 litre": ("1 liter",),
    "3 litre": ("3 liter",),
    "2l": ("2 liter",),
    "2 l": ("2 liter",),
    "1 l": ("1 liter",),
    "3 l": ("3 liter",),
    "20 oz": ("20 fl oz",),
    "twenty ounce": ("20 fl oz",),
    "20 ounce": ("20 fl oz",),
    "12 oz": ("12 fl oz",),
    "twelve ounce": ("12 fl oz",),
    "12 ounce": ("12 fl oz",),
    "8 oz": ("8 ounce",),
    "16.9 oz": ("16.9 fl oz",),
    "7.5 oz": ("7.5 fl oz",),
    "500ml": ("500 ml",),
    "half liter": ("500 ml",),
    "16 oz": ("16 ounce",),
    "bbq": ("bbq sauce",),
    "barbecue": ("bbq sauce",),
    "ranch dressing": ("ranch",),
    "mayo": ("mayonnaise",),
    "mayonaise": ("mayonnaise",),
    "mayonaisse": ("mayonnaise",),
    "catsup": ("ketchup",),
    "pickels": ("pickles",),
    "tomatos": ("tomatoes",),
    "tomatoe": ("tomato",),
    "onion rings": (),
    "cukes": ("cucumbers",),
    "cuke": ("cucumber",),
    "pepper jack": ("pepperjack",),
    "provalone": ("provolone",),
    "americn cheese": ("american cheese",),
    "black olive": ("black olives",),
    "vinegar": ("red wine vinegar",),
    "oil and vinegar": (),
    "honey mustard dressing": ("honey mustard",),
    "chipotle sauce": ("chipotle southwest",),
    "chipotle southwest sauce": ("chipotle southwest",),
    "southwest": ("chipotle southwest",),
    "sweet onion teriyaki": ("sweet onion chicken teriyaki",),
    "teriyaki": ("chicken teriyaki",),
    "teriyaki chicken": ("chicken teriyaki",),
    "meatball": ("meatball marinara",),
    "veggie delite": ("veggie",),
    "veggie delight": ("veggie",),
    "spicy italian": ("italian",),
    "meatball sub": ("meatball marinara",),
    "meatballs": ("meatball marinara",),
    "blt": (),
    "philly": ("steak and cheese",),
    "philly cheesesteak": ("steak and cheese",),
    "cheesesteak": ("steak and cheese",),
    "cheese steak": ("steak and cheese",),
    "steak n cheese": ("steak and cheese",),
    "steak & cheese": ("steak and cheese",),
    "chicken bacon ranch": ("chicken and bacon ranch",),
    "chicken n bacon ranch": ("chicken and bacon ranch",),
    "cold cut": ("cold cut combo",),
    "cold cuts": ("cold cut combo",),
    "bmt": ("italian",),
    "italian bmt": ("italian",),
    "roast chicken": ("roasted chicken",),
    "vickies": ("miss vickies",),
    "miss vickie": ("miss vickies",),
    "ms vickies": ("miss vickies",),
    "lays original": ("lays classic",),
    "regular lays": ("lays classic",),
    "plain chips": ("lays classic",),
    "nacho cheese doritos": ("doritos nacho cheese",),
    "cheesecake cookie": ("raspberry cheesecake cookie",),
    "macadamia": ("macadamia cookie",),
    "white chocolate macadamia": ("white chip macadamia nut",),
    "white chocolate macadamia nut": ("white chip macadamia nut",),
    "fruit punch": ("super fruit punch",),
    "honest kids": ("super fruit punch",),
    "juice box": ("super fruit punch",),
    "vitaminwater": ("vitamin water",),
    "dasani": ("water",),
    "bottled water": ("water",),
    "bottle water": ("water",),
    "aqua": ("water",),
    "chocolate milk": (),
    "2 percent milk": ("low fat milk",),
    "skim": ("skim milk", "skinny"),
    "fizzy": ("sparkling water",),
    "seltzer": ("sparkling water",),
    "soda water": ("sparkling water",),
    "club soda": ("sparkling water",),
    "mineral water": ("sparkling water",),
    "pellegrino water": ("pellegrino",),
    "perrier water": ("perrier",),
    "izzy": ("izze",),
    "peach juice": ("peach orange juice",),
    "apple juices": ("apple juice",),
    "lemonades": ("lemonade",),
    "black teas": ("black tea",),
    "unsweetened tea": ("black tea",),
    "mexican coke": ("mexican coca cola",),
    "queso dip": ("queso",),
    "queso blanco": ("queso",),
    "tortilla chips": ("chips",),
    "chips and guac": (),
    "burito": ("burrito",),
    "buritto": ("burrito",),
    "burritto": ("burrito",),
    "sofrita": ("sofritas",),
    "sofritos": ("sofritas",),
    "brisket": ("barbacoa",),
    "shredded beef": ("barbacoa",),
    "pulled pork": ("carnitas",),
    "vegetarian": ("veggie",),
    "no meat": (),
    "white": ("white rice",),
    "brown": ("brown rice",),
    "black": ("black beans",),
    "pinto": ("pinto beans",),
    "pintos": ("pinto beans",),
    "blacks": ("black beans",),
    "corn": ("corn salsa",),
    "tomato salsa": ("fresh tomato salsa",),
    "hot salsa": ("red chili salsa",),
    "hot sauce": ("red chili salsa",),
    "medium salsa": ("green chili salsa",),
    "tomatillo": ("green chili salsa",),
    "lettuces": ("lettuce",),
    "romaine": ("romaine lettuce",),
    "salsa verde": ("green salsa",),
    "verde": ("green salsa",),
    "salsa roja": ("red salsa",),
    "avocado": ("guacamole",),
    "avo": ("guacamole",),
    "avocados": ("guacamole",),
    "sourcream": ("sour cream",),
    "guacomole": ("guacamole",),
    "shot": ("an espresso shot",),
    "espresso shot": ("an espresso shot",),
    "double shot": ("two shots",),
    "double shots": ("two shots",),
    "2 shots": ("two shots",),
    "3 shots": ("three shots",),
    "4 shots": ("four shots",),
    "2 extra shots": ("two extra shots",),
    "3 extra shots": ("three extra shots",),
    "triple shot": ("three shots",),
    "1 shot": ("one espresso shot",),
    "shot of espresso": ("a shot of espresso",),
    "nonfat": ("non fat",),
    "sugar free": ("sugar free lemonade",),
    "caramel": ("caramel syrup",),
    "hazelnut": ("hazelnut syrup",),
    "raspberry": ("raspberry syrup",),
    "iced coffee": (),
    "drip": ("drip coffee",),
    "house coffee": ("drip coffee",),
    "black coffee": ("drip coffee",),
    "cup of joe": ("coffee",),
    "joe": ("coffee",),
    "dark roast coffee": (),
    "flat white": (),
    "special sauce": ("spread",),
    "secret sauce": ("spread",),
    "house sauce": ("spread",),
    "burger sauce": ("spread",),
    "blonde": ("light roast",),
    "blonde roast": ("light roast",),
    "bell pepper": ("green pepper", "peppers"),
    "bell peppers": ("green peppers", "peppers"),
    "green bell peppers": ("green peppers",),
    "red bell peppers": ("red peppers",),
    "mocha": (),
}


# Two options said as one phrase; rewritten to both when the menu has both.
_PAIRS: dict[str, str] = {
    "salt and pepper": "salt and black pepper",
    "salt n pepper": "salt and black pepper",
    # said as a list ("salt, pepper, oil and vinegar"): still the pair
    "salt, pepper": "salt and black pepper",
    "salt pepper": "salt and black pepper",
    "pepper and salt": "black pepper and salt",
    "oil, vinegar": "oil and red wine vinegar",
    "oil and vinegar": "oil and red wine vinegar",
    "oil vinegar": "oil and red wine vinegar",
    "oil n vinegar": "oil and red wine vinegar",
    "lettuce tomato": "lettuce and tomato",
}


@dataclass(frozen=True, slots=True)
class OptionRef:
    """One option a phrase can name; `label` when the phrase is the option's own label."""

    group: str
    option: str
    label: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """What a menu phrase can stand for: items, options, or both ("guacamole" at a burrito bar)."""

    items: tuple[str, ...] = ()
    options: tuple[OptionRef, ...] = ()


@dataclass
class _Builder:
    phrases: dict[tuple[str, ...], tuple[list[str], list[OptionRef]]] = field(default_factory=dict)
    explicit: set[tuple[str, ...]] = field(default_factory=set)

    def add_item(self, toks: tuple[str, ...], key: str, explicit: bool) -> None:
        """Let a phrase name an item."""
        if not toks:
            return
        items, _ = self.phrases.setdefault(toks, ([], []))
        if explicit:
            self.explicit.add(toks)
        if key not in items:
            items.append(key)

    def add_option(self, toks: tuple[str, ...], ref: OptionRef, explicit: bool) -> None:
        """Let a phrase name an option; a label match marks the option's own name."""
        if not toks:
            return
        _, options = self.phrases.setdefault(toks, ([], []))
        if explicit:
            self.explicit.add(toks)
        for i, known in enumerate(options):
            if (known.group, known.option) == (ref.group, ref.option):
                if ref.label and not known.label:
                    options[i] = ref
                return
        options.append(ref)


def _inflections(toks: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Singular and plural forms of a phrase's last word, and the phrase written as one word."""
    head, last = toks[:-1], toks[-1]
    forms: set[str] = set()
    if last.isalpha() and len(last) > 2:
        if last.endswith("ies"):
            forms.add(last[:-3] + "y")
        elif last.endswith(("ches", "shes", "sses", "oes", "xes")):
            forms.update({last[:-2], last[:-1]})
        elif last.endswith("s") and not last.endswith("ss"):
            forms.add(last[:-1])
        else:
            if last.endswith("y") and last[-2] not in "aeiou":
                forms.add(last[:-1] + "ies")
            elif last.endswith(("ch", "sh", "ss", "x", "o")):
                forms.update({last + "es", last + "s"})
            else:
                forms.add(last + "s")
    out = [(*head, form) for form in sorted(forms)]
    if 1 < len(toks) <= 3 and all(t.isalpha() for t in toks):
        out.append(("".join(toks),))
    return out


# Words people use for one another inside longer names ("all the veggies").
_SAME_WORDS = {
    "vegetables": "veggies",
    "veggies": "vegetables",
    "vegetable": "veggie",
    "veggie": "vegetable",
}
_DIGITS = {str(value): word for word, value in NUMBER_WORDS.items() if value <= 20}
_NUMBER_OF = {word: digit for digit, word in _DIGITS.items()}


def _said_otherwise(
    toks: tuple[str, ...],
    distinctive: frozenset[str],
    one_thing: Callable[[tuple[str, ...]], bool],
) -> list[tuple[str, ...]]:
    """A name with its numbers written the other way, and a long name without one inner word
    when what is left still has a word only this name uses ("white chip macadamia cookies",
    but not "chicken sandwich" for the chicken teriyaki sandwich) or is found, in order, in the
    names of one thing only ("tomatillo red salsa", but not "nantucket orange juice")."""
    out: list[tuple[str, ...]] = []
    swapped = tuple(_DIGITS.get(t) or _NUMBER_OF.get(t) or t for t in toks)
    if swapped != toks:
        out.append(swapped)
    if len(toks) > 1 and any(t in _SAME_WORDS for t in toks):
        out.append(tuple(_SAME_WORDS.get(t, t) for t in toks))
    if len(toks) >= 3 and all(t.isalpha() for t in toks):
        for i in range(1, len(toks) - 1):
            shorter = toks[:i] + toks[i + 1 :]
            if toks[i] not in _NUMBER_OF and (
                distinctive.intersection(shorter) or one_thing(shorter)
            ):
                out.append(shorter)
    return out


class Lexicon:
    """Item and option surface forms of one menu, looked up by token tuples."""

    def __init__(
        self,
        menu: Menu,
        phrases: dict[tuple[str, ...], Entry],
        misspellings: dict[str, str] | None = None,
    ) -> None:
        self.menu = menu
        self.phrases = phrases
        # First token -> (phrase, replacement) for option pairs this menu has both halves of.
        self.rewrites: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for said, meant in _PAIRS.items():
            said_toks, meant_toks = phrase_tokens(said), phrase_tokens(meant)
            halves = " ".join(meant_toks).split(" and ")
            if all(phrase_tokens(h) in phrases for h in halves):
                self.rewrites.setdefault(said_toks[0], []).append((said_toks, meant_toks))
        self.max_len = max((len(p) for p in phrases), default=1)
        # The longest phrase each word starts, so a lookup tries only lengths that can match.
        self._longest_from: dict[str, int] = {}
        for p in phrases:
            if len(p) > self._longest_from.get(p[0], 0):
                self._longest_from[p[0]] = len(p)
        self._forced: dict[str, str | None] = {}
        # Second word -> the first words of the menu names it continues ("cheese": "blue", ...).
        self._firsts: dict[str, set[str]] = {}
        for p in phrases:
            if len(p) > 1 and p[0].isalpha():
                self._firsts.setdefault(p[1], set()).add(p[0])
        # Respellings the menu takes alone ("burito"), to use where a longer name starts with
        # the word they respell ("burito bowl" is a burrito bowl), or goes on with it ("double
        # cheesburger", "bbq chiken pizza").
        self.openings: frozenset[tuple[str, ...]] = frozenset(p[:2] for p in phrases if len(p) > 1)
        self.pairs: frozenset[tuple[str, str]] = frozenset(
            pair for p in phrases for pair in pairwise(p)
        )
        self.respell: dict[str, str] = {}
        for short, targets in _SHORT_FORMS.items():
            typed = phrase_tokens(short)
            spelled = phrase_tokens(targets[0]) if targets else ()
            if len(typed) == 1 == len(spelled) and typed in phrases and spelled in phrases:
                self.respell[typed[0]] = spelled[0]
        # The first words of a name that only one thing's names start with ("tomatillo red" of
        # "tomatillo red chili salsa"), for "the tomatillo red one".
        starts: dict[tuple[str, ...], set[tuple[str, str, str]]] = {}
        for toks, entry in phrases.items():
            things = {("i", "", key) for key in entry.items} | {
                ("o", ref.group, ref.option) for ref in entry.options
            }
            for end in range(2, len(toks)):
                if toks[:end] not in phrases:
                    starts.setdefault(toks[:end], set()).update(things)
        self.starts: dict[tuple[str, ...], Entry] = {}
        for toks, things in starts.items():
            if len({(kind, key) for kind, _, key in things}) == 1:
                self.starts[toks] = Entry(
                    tuple(key for kind, _, key in things if kind == "i"),
                    tuple(OptionRef(group, key) for kind, group, key in things if kind == "o"),
                )
        # First word -> the longest start of one dish's name it opens, three words or more ("white
        # chip macadamia" of "white chip macadamia nut").
        self.dish_starts: dict[str, int] = {}
        for toks, entry in self.starts.items():
            if len(toks) >= 3 and entry.items and not entry.options:
                self.dish_starts[toks[0]] = max(self.dish_starts.get(toks[0], 0), len(toks))
        # The nouns each item's longer names end with ("pizza", "pizzas" for the cheese pizza).
        self.item_nouns: dict[str, frozenset[str]] = {}
        for toks, entry in phrases.items():
            if len(toks) > 1:
                for key in entry.items:
                    self.item_nouns[key] = self.item_nouns.get(key, frozenset()) | {toks[-1]}
        self.items: dict[str, Item] = {item.key: item for item in menu.items()}
        self.groups: dict[str, OptionGroup] = {g.key: g for g in menu.option_groups}
        # The words of each group's own name ("dip", "sauce", "dressing"): said right after an
        # option of the group they are part of it ("marinara dip", "bbq to dip").
        self.group_words: dict[str, frozenset[str]] = {}
        for group in menu.option_groups:
            for word in _group_words(group):
                self.group_words[word] = self.group_words.get(word, frozenset()) | {group.key}
        # The options that are meats, and the groups of two or more of them (a filling, a
        # protein, half of its options meats or more): "extra meat" and "double protein" are
        # more of the one chosen there.
        self.meat_options: frozenset[tuple[str, str]] = frozenset(
            (group.key, option.key)
            for group in menu.option_groups
            for option in group.options
            if _MEATS.intersection(re.findall(r"[a-z]+", option.label.lower()))
        )
        self.protein_groups: frozenset[str] = frozenset(
            group.key
            for group in menu.option_groups
            if sum((group.key, option.key) in self.meat_options for option in group.options)
            >= max(2, len(group.options) / 2)
        )
        # Group keys an item takes, in the item's order: the first listed wins an ambiguous word.
        self.accepts: dict[str, dict[str, int]] = {
            item.key: {g: i for i, g in enumerate(item.option_groups) if g in self.groups}
            for item in menu.items()
        }
        # The items that take each group: who can take an option, without asking every item.
        self.takers: dict[str, frozenset[str]] = {}
        for key, taken in self.accepts.items():
            for taken_group in taken:
                self.takers[taken_group] = self.takers.get(taken_group, frozenset()) | {key}
        self.vocab: frozenset[str] = frozenset(t for p in phrases for t in p)
        # Menu words never said alone and not plain language ("pepers" of "dr pepers").
        plain = {t for p in GRAMMAR for t in p} | COMMON_WORDS
        self.partial: frozenset[str] = frozenset(
            t for p in phrases for t in p if (t,) not in phrases and t not in plain and len(t) >= 4
        )
        self._word_uses: dict[str, int] = {}
        for p in phrases:
            for t in p:
                self._word_uses[t] = self._word_uses.get(t, 0) + 1
        for typo, word in (misspellings or {}).items():
            self.respell.setdefault(typo, word)
        grammar_words = frozenset(t for p in GRAMMAR for t in p)
        self.known: frozenset[str] = self.vocab | grammar_words | COMMON_WORDS
        self._plain_words: frozenset[str] = grammar_words | COMMON_WORDS
        # Menu words, then the few ordering words whose typos change a reading ("wiht", "extar").
        self._fuzzy_vocab: list[str] = sorted(
            w for w in self.vocab | _TYPO_PRONE if w.isalpha() and len(w) >= 4
        )
        self._item_names: list[str] = []
        self._item_name_keys: list[str] = []
        for item in menu.items():
            for name in {item.label.lower(), *(a.lower() for a in item.aliases)}:
                self._item_names.append(name)
                self._item_name_keys.append(item.key)
        self._corrections: dict[str, str | None] = {}
        # English words read as a dish's name where one is due ("a lrg late")
        self._dish_corrections: dict[str, str | None] = {}
        # Items named by the restaurant's own kind ("coffee" at the coffee shop): the default
        # when a customer names only options ("a large dark roast").
        house = menu.restaurant.key.lower()
        self.house_items: frozenset[str] = frozenset(
            item.key
            for item in menu.items()
            if house in {a.lower() for a in item.aliases} | {item.label.lower(), item.key}
        )
        # The category of each item ("3 bags of chips: a doritos, ..." names sides).
        self.category: dict[str, str] = {
            item.key: category.key for category in menu.categories for item in category.items
        }
        # Items of a drinks category: what "a large soda" or "2 small drinks" can be.
        self.drinks: frozenset[str] = frozenset(
            item.key
            for category in menu.categories
            if {"drink", "drinks", "beverage", "beverages"}
            & set(f"{category.key} {category.label}".lower().replace("_", " ").split())
            for item in category.items
        )

    def ends_name(self, item: str, words: Sequence[str]) -> bool:
        """Whether a longer name of the item ends with these words ("fries" of "sweet potato
        fries")."""
        tail = tuple(words)
        return any(
            key == item
            and len(name.split()) > len(tail)
            and tuple(name.split()[-len(tail) :]) == tail
            for name, key in zip(self._item_names, self._item_name_keys, strict=True)
        )

    def in_name(self, item: str, words: Sequence[str]) -> bool:
        """Whether a name of the item has all these words ("mexican" of "mexican coca cola")."""
        said = set(words)
        return any(
            key == item and said <= set(name.split())
            for name, key in zip(self._item_names, self._item_name_keys, strict=True)
        )

    def names_with(self, word: str) -> list[str]:
        """The dishes' names (labels and aliases, lower case) that have this word."""
        return [name for name in self._item_names if word in name.split()]

    def items_with(self, words: Sequence[str]) -> tuple[str, ...]:
        """The dishes (keys) a name of which has all these words ("shake": every shake)."""
        said = set(words)
        return tuple(
            dict.fromkeys(
                key
                for name, key in zip(self._item_names, self._item_name_keys, strict=True)
                if said <= set(name.split())
            )
        )

    def of_kind(self, word: str, singular: Callable[[str], str]) -> tuple[str, ...]:
        """The dishes (keys) a name of which ends with this noun, as the noun of the dish
        ("chips" of "lays chips", not of "chocolate chips" when "chocolate chip cookie" is also
        its name), in the menu's order; nouns compared by their `singular`."""
        form = singular(word)
        names = [
            (tuple(singular(w) for w in name.split()), key)
            for name, key in zip(self._item_names, self._item_name_keys, strict=True)
        ]
        return tuple(
            dict.fromkeys(
                key
                for name, key in names
                if name[-1] == form
                and not any(
                    k == key and len(n) > len(name) and n[: len(name)] == name for n, k in names
                )
            )
        )

    @classmethod
    def from_menu(cls, menu: Menu) -> Lexicon:
        """Build the lexicon for a menu: labels, keys, aliases and their generated variants."""
        b = _Builder()
        for item in menu.items():
            names = {item.label, item.key.replace("_", " "), *item.aliases}
            for name in names:
                b.add_item(phrase_tokens(name), item.key, explicit=True)
        for group in menu.option_groups:
            for option in group.options:
                label = phrase_tokens(option.label)
                b.add_option(label, OptionRef(group.key, option.key, label=True), explicit=True)
                names = {option.key.replace("_", " "), *option.aliases}
                for name in names:
                    b.add_option(phrase_tokens(name), OptionRef(group.key, option.key), True)
                for name in _dropped_heads(option.label, group):
                    b.add_option(phrase_tokens(name), OptionRef(group.key, option.key), False)
        # "bbq sauce" for the Smoky BBQ wing sauce: a name of the option followed by a word of
        # its group's name names it as fully as its label does.
        for group in menu.option_groups:
            heads = _group_words(group)
            for option in group.options:
                for name in option.aliases:
                    toks = phrase_tokens(name)
                    if len(toks) < 2 or toks[-1] not in heads:
                        continue
                    found = b.phrases.get(toks[:-1])
                    if found and any(
                        (r.group, r.option) == (group.key, option.key) for r in found[1]
                    ):
                        b.add_option(toks, OptionRef(group.key, option.key, label=True), True)
        # "kalamata" for Kalamata Olives, "banana" for Banana Peppers: the distinctive word of an
        # option's name, when no other name on the menu uses it.
        owners: dict[str, set[str]] = {}
        for toks, (items, options) in b.phrases.items():
            for tok in toks:
                owners.setdefault(tok, set()).update(
                    [f"i:{k}" for k in items] + [f"o:{r.option}" for r in options]
                )
        for group in menu.option_groups:
            for option in group.options:
                words = phrase_tokens(option.label)
                if len(words) != 2 or words[1] not in _PLAIN_HEADS or words[0] in _NOT_ALONE:
                    continue
                if owners.get(words[0], set()) <= {f"o:{option.key}"} and len(words[0]) >= 4:
                    b.add_option((words[0],), OptionRef(group.key, option.key), False)
        # Numbers said the other way ("2 shots of espresso" for "two shots of espresso") and
        # long names said without one inner word ("white chip macadamia cookies", "tomatillo
        # green salsa"): added only where they name one thing and the menu spells out nothing
        # else that way.
        # An option of the same key in several groups (a pizza's and a drink's "small") is one
        # thing said; two different options or items are not.
        otherwise: dict[tuple[str, ...], set[tuple[str, str, str]]] = {}
        named_by: dict[str, set[str]] = {}
        for toks in b.explicit:
            items, options = b.phrases[toks]
            for tok in toks:
                named_by.setdefault(tok, set()).update(
                    [f"i:{key}" for key in items] + [f"o:{ref.option}" for ref in options]
                )
        distinctive = frozenset(tok for tok, keys in named_by.items() if len(keys) == 1)
        names_with: dict[str, list[tuple[tuple[str, ...], set[str]]]] = {}
        for toks in b.explicit:
            items, options = b.phrases[toks]
            things = {f"i:{key}" for key in items} | {f"o:{ref.option}" for ref in options}
            for tok in set(toks):
                names_with.setdefault(tok, []).append((toks, things))

        def one_thing(shorter: tuple[str, ...]) -> bool:
            found: set[str] = set()
            for name, things in names_with.get(shorter[0], ()):
                words = iter(name)
                if all(tok in words for tok in shorter):
                    found |= things
            return len(found) == 1

        for toks in list(b.explicit):
            items, options = b.phrases[toks]
            owners_of = {("i", "", key) for key in items} | {
                ("o", ref.group, ref.option) for ref in options
            }
            for form in _said_otherwise(toks, distinctive, one_thing):
                otherwise.setdefault(form, set()).update(owners_of)
        for form, owners_of in otherwise.items():
            if form in b.phrases or len({(kind, key) for kind, _, key in owners_of}) != 1:
                continue
            for kind, group_key, key in owners_of:
                if kind == "i":
                    b.add_item(form, key, explicit=False)
                else:
                    b.add_option(form, OptionRef(group_key, key), explicit=False)
        # A misspelling the menu lists for one option ("cinamon" for the cinnamon roast) is a
        # misspelling of the word, which may name more ("cinnamon" the topping too).
        singles = [t for t in b.explicit if len(t) == 1 and len(t[0]) >= 5 and t[0].isalpha()]
        for typo in singles:
            items, options = b.phrases[typo]
            mine = {(r.group, r.option) for r in options}
            for word in singles:
                if word == typo or word[0][0] != typo[0][0]:
                    continue
                more_items, more = b.phrases[word]
                theirs = {(r.group, r.option) for r in more}
                if (
                    mine < theirs
                    and set(items) <= set(more_items)
                    and OSA.distance(typo[0], word[0]) <= 2
                ):
                    for ref in more:
                        b.add_option(typo, OptionRef(ref.group, ref.option, ref.label), False)
        misspellings = _misspellings(b)
        # Inflected and run-together forms never override a phrase the menu spells out.
        for toks, (items, options) in list(b.phrases.items()):
            for form in _inflections(toks):
                if form in b.explicit:
                    continue
                for key in items:
                    b.add_item(form, key, explicit=False)
                for ref in options:
                    b.add_option(form, OptionRef(ref.group, ref.option), explicit=False)
        for short, targets in _SHORT_FORMS.items():
            toks = phrase_tokens(short)
            if toks in b.explicit:
                continue
            for target in targets:
                found = b.phrases.get(phrase_tokens(target))
                if found:
                    for key in found[0]:
                        b.add_item(toks, key, explicit=False)
                    for ref in found[1]:
                        b.add_option(toks, OptionRef(ref.group, ref.option), explicit=False)
                    break
        # A made-up name that says an option and then an item which takes it ("bottled water"
        # where bottles are a container) is read word by word, keeping the option.
        takes = {item.key: set(item.option_groups) for item in menu.items()}
        for toks in [t for t in b.phrases if len(t) > 1 and t not in b.explicit]:
            first, rest = b.phrases.get(toks[:1]), b.phrases.get(toks[1:])
            if (
                first is not None
                and rest is not None
                and not first[0]
                and first[1]
                and rest[0]
                and not rest[1]
                and all(any(ref.group in takes[key] for ref in first[1]) for key in rest[0])
            ):
                del b.phrases[toks]
        # An option whose own label is the phrase comes first ("cinnamon" is the topping named
        # Cinnamon before the roast that lists it as an alias): what is read when only one is
        phrases = {
            toks: Entry(tuple(items), tuple(sorted(options, key=lambda ref: not ref.label)))
            for toks, (items, options) in b.phrases.items()
            if items or options
        }
        return cls(menu, phrases, misspellings)

    def lookup(self, tokens: Sequence[str], start: int) -> tuple[int, Entry | None]:
        """The longest menu phrase starting at `start`: its length in tokens and entry."""
        if start >= len(tokens):
            return 0, None
        longest = self._longest_from.get(tokens[start], 0)
        end = min(len(tokens), start + longest)
        for stop in range(end, start, -1):
            entry = self.phrases.get(tuple(tokens[start:stop]))
            if entry is not None:
                return stop - start, entry
        return 0, None

    def correct(self, word: str, *, force: bool = False, dish: bool = False) -> str | None:
        """The menu word a misspelled word most likely meant, or None when nothing is close;
        `force` corrects even a word the menu knows (inside some other name), `dish` says a
        dish's name is expected here (right after a size: "a lrg late")."""
        if dish and not force:
            meant = self.correct(word, force=False)
            if meant is not None or not is_english(word):
                return meant
            if word in self._dish_corrections:
                return self._dish_corrections[word]
            fixed = self._fixed(word, force=False)
            entry = self.phrases.get((fixed,)) if fixed is not None else None
            meant = fixed if entry is not None and entry.items else None
            if len(self._dish_corrections) < _CORRECTIONS_MAX:
                self._dish_corrections[word] = meant
            return meant
        cache = self._forced if force else self._corrections
        if word in cache:
            return cache[word]
        best = self._fixed(word, force=force)
        if best is not None and not force and is_english(word) and not _swapped(word, best):
            # "share" is no misspelled "shake", nor "twins" "thins": a word of English is
            # meant as written, unless two of its letters were swapped ("fires", "fries")
            best = None
        # A plain dict is safe to share between threads here: entries are only ever added, and
        # two threads computing the same word store the same answer. Bounded, so a stream of
        # gibberish cannot grow it without end.
        if len(cache) < _CORRECTIONS_MAX:
            cache[word] = best
        return best

    def _fixed(self, word: str, *, force: bool) -> str | None:
        """The closest menu word to a word, English or not."""
        best: str | None = None
        plural = f"{word[:-2]}ies" if word.endswith("ys") and word[-3:-2] not in "aeiou" else ""
        if plural in self.vocab and word not in self.known:
            # "frys", "pattys": the plural of a word ending in a consonant and "y"
            best = plural
        elif word.isalpha() and len(word) >= 4 and (force or word not in self.known):
            limit = 1 if len(word) <= 5 else 2
            found = process.extract(
                word, self._fuzzy_vocab, scorer=OSA.distance, score_cutoff=limit, limit=10
            )
            # Among the closest words: one with the same first letter (a typo rarely changes
            # it), then one the word is a letter short of (the commonest slip: "pino" for
            # "pinto"), then the word more phrases use ("burrito" over the listed typo
            # "burito", so "brrito bowl" still finds "burrito bowl"), then the nearest length.
            ranked = sorted(
                [f for f in found if f[0] != word],
                key=lambda f: (
                    f[1],
                    str(f[0])[0] != word[0],
                    len(str(f[0])) != len(word) + 1,
                    -self._word_uses.get(str(f[0]), 0),
                    abs(len(str(f[0])) - len(word)),
                ),
            )
            if ranked and (ranked[0][1] <= 1 or str(ranked[0][0])[0] == word[0]):
                best = str(ranked[0][0])
        if best is None and len(word) >= 3 and word.isalpha() and word not in self.known:
            best = self._spelled_out(word)
        return best

    def _spelled_out(self, word: str) -> str | None:
        """The one menu word a word of consonants only spells without its vowels, first and
        last letter kept ("brgr" for burger, "stk" for steak; from four letters on, a doubled
        letter or the c of "ck" may go too: "chkn" for chicken)."""
        if any(c in "aeiouy" for c in word):
            return None
        found: str | None = None
        for known in self._fuzzy_vocab:
            if known[0] == word[0] and known[-1] == word[-1] and _without_vowels(word, known):
                known = self.respell.get(known, known)  # "chiken", listed: chicken
                if found is not None and found != known:
                    return None
                found = known
        return found

    def correct_before(self, word: str, following: str) -> str | None:
        """The menu word a short or abbreviated word meant, told by the word after it: the one
        first word of a name continued by `following` that the word misspells by one letter or
        abbreviates ("blu cheese", "blk beans")."""
        found: str | None = None
        for first in self._firsts.get(following, ()):
            if first[0] != word[0] or first == word:
                continue
            if OSA.distance(word, first) <= 1 or _abbreviates(word, first):
                if found is not None:
                    return None
                found = first
        return found

    def is_dish_word(self, word: str) -> bool:
        """Whether a word left over after reading may name a dish: unknown, or a menu word said
        on its own that names nothing alone ("shake" at a burger bar, "chicken" at a sub shop)."""
        return word not in self._plain_words

    def is_known(self, word: str) -> bool:
        """Whether a word is a menu word or ordinary ordering language."""
        return word in self.known

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Item keys whose names are closest to a misspelled or unknown dish name."""
        query = text.lower().strip()
        if not query:
            return []
        found = process.extract(
            query, self._item_names, scorer=_name_score, limit=limit * 4, score_cutoff=55
        )
        keys: list[str] = []
        for _, _, index in found:
            key = self._item_name_keys[index]
            if key not in keys:
                keys.append(key)
        return keys[:limit]

    def accepted_group(self, item: str, options: Iterable[OptionRef]) -> OptionRef | None:
        """Of the options a phrase can name, the one this item takes (label, then group order)."""
        groups = self.accepts.get(item, {})
        best: OptionRef | None = None
        for ref in options:
            if ref.group not in groups:
                continue
            if (
                best is None
                or (ref.label and not best.label)
                or (ref.label == best.label and groups[ref.group] < groups[best.group])
            ):
                best = ref
        return best


def _group_words(group: OptionGroup) -> set[str]:
    """The last word of a group's key and of its label, singular and plural ("sauce" and "dip"
    for a Dipping Sauce group keyed "dip"; "dipping" too), when no plain word."""
    words: set[str] = set()
    label = re.sub(r"[^a-z ]", "", group.label.lower()).split()
    for word in (group.key.split("_")[-1], label[-1] if label else ""):
        if len(word) < 3 or not word.isalpha():
            continue
        words.add(word)
        if word.endswith("s") and not word.endswith("ss"):
            words.add(word[:-1])
        elif not word.endswith("s"):
            words.add(f"{word}s")
    for word in label:
        stem = word.removesuffix("ing")
        if stem != word and (stem in words or stem[:-1] in words):
            words.add(word)  # "dipping" for a group keyed "dip"
    return words - COMMON_WORDS


def _misspellings(b: _Builder) -> dict[str, str]:
    """Misspellings the menu lists for a word ("chiken" for chicken), to respell as the word
    where a longer name goes on with it ("bbq chiken pizza"): a listed word that names nothing
    the word does not name, one or two letters off it, starting alike and no plural of it, where
    the word is the one more names use."""
    uses: dict[str, int] = {}
    for toks in b.phrases:
        for tok in toks:
            uses[tok] = uses.get(tok, 0) + 1
    singles: dict[str, list[str]] = {}
    for toks in b.explicit:
        if len(toks) == 1 and toks[0].isalpha() and len(toks[0]) >= 5:
            singles.setdefault(toks[0][0], []).append(toks[0])
    out: dict[str, str] = {}
    for words in singles.values():
        for typo in words:
            items, options = b.phrases[(typo,)]
            mine = {(r.group, r.option) for r in options}
            best: str | None = None
            for word in words:
                if (
                    word == typo
                    or uses.get(word, 0) <= uses.get(best or typo, 0)
                    or typo.startswith(word)
                    or word.startswith(typo)
                ):
                    continue
                more_items, more = b.phrases[(word,)]
                if (
                    set(items) <= set(more_items)
                    and mine <= {(r.group, r.option) for r in more}
                    and OSA.distance(typo, word) <= 2
                ):
                    best = word
            if best is not None:
                out[typo] = best
    return out


def _without_vowels(short: str, word: str) -> bool:
    """Whether `short` is `word` without its vowels (from four letters on, also without a
    doubled letter or the c before a k)."""
    at = 0
    for i, c in enumerate(word):
        if at < len(short) and c == short[at]:
            at += 1
        elif not (
            c in "aeiouy"
            or (
                len(short) >= 4
                and ((i and word[i - 1] == c) or (c == "c" and word[i + 1 : i + 2] == "k"))
            )
        ):
            return False
    return at == len(short)


def _abbreviates(short: str, word: str) -> bool:
    """Whether `short` is `word` with letters left out, keeping its consonants ("blk", "grn")."""
    letters = iter(word)
    if not all(c in letters for c in short):
        return False
    consonants = [c for c in word if c not in "aeiou"]
    return len(short) >= max(2, len(consonants) - 1)


def _name_score(query: str, name: str, **_: object) -> float:
    """How close a dish name is to what a customer typed: whole-string similarity, word-set
    similarity, or the query inside a longer name, plus a bonus for a word in common."""
    whole = fuzz.ratio(query, name)
    words = 0.9 * fuzz.token_set_ratio(query, name)
    longer = len(query) > 3 and len(name) >= len(query) - 2
    inside = 0.85 * fuzz.partial_ratio(query, name) if longer else 0.0
    shared = 15.0 if set(query.split()) & set(name.split()) else 0.0
    return float(max(whole, words, inside) + shared)


# Meats by name, to know which options "meat" and "protein" mean.
_MEATS = frozenset(
    {"chicken", "steak", "beef", "pork", "carnitas", "barbacoa", "chorizo", "ham", "turkey",
     "bacon", "sausage", "pepperoni", "salami", "brisket", "lamb", "shrimp", "fish", "tuna",
     "meatball", "meatballs", "prosciutto", "pastrami", "asada", "pastor"}
)  # fmt: skip

_CORRECTIONS_MAX = 50_000
_TYPO_PRONE = frozenset(
    [
        "with",
        "without",
        "extra",
        "large",
        "medium",
        "small",
        "light",
        "please",
        "hold",
        "order",
        "plus",
    ]
)
_GENERIC_HEADS = ("crust", "sauce", "syrup", "roast", "cheese", "dressing")
_PLAIN_HEADS = frozenset(
    {"olives", "olive", "glaze", "onions", "onion", "peppers", "pepper", "tomatoes", "veggies"}
)
# Words that say too little alone ("a white pizza" is no order of white onions).
_NOT_ALONE = frozenset(
    {
        "white",
        "black",
        "red",
        "green",
        "yellow",
        "hot",
        "sweet",
        "fresh",
        "regular",
        "plain",
        "dried",
        "grilled",
        "roasted",
        "fried",
        "cherry",
        "spicy",
        "mild",
        "extra",
        "light",
    }
)


def _dropped_heads(label: str, group: OptionGroup) -> list[str]:
    """Label minus its generic noun: "thin" for "Thin Crust", "caramel" for "Caramel Syrup"."""
    words = re.sub(r"[^a-z0-9 ]", " ", label.lower()).split()
    if len(words) < 2 or words[-1] not in _GENERIC_HEADS:
        return []
    short = " ".join(words[:-1])
    # A shortened name that another option of the group already uses would only confuse.
    for other in group.options:
        if other.label.lower() == short or short in (a.lower() for a in other.aliases):
            return []
    return [short]


def _swapped(word: str, other: str) -> bool:
    """Whether two words differ by two neighbouring letters swapped ("fires", "fries")."""
    if len(word) != len(other) or word == other:
        return False
    at = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
    return len(at) == 2 and at[1] == at[0] + 1 and word[at[0]] == other[at[1]]
