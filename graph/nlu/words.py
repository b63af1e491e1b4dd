"""The ordering language that no menu spells out: numbers, amounts, negations, connectives, fillers.

Every phrase here is written as a customer types it; `graph.nlu.text.phrase_tokens` turns it into
the token tuple the grammar matches. A menu phrase of the same length wins over these, except
where the grammar says otherwise (a qualifier that is also an option, such as coffee's "light").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from graph.nlu.text import phrase_tokens


class Kind(Enum):
    """What a grammar phrase does to the order being read."""

    NUM = "num"  # a quantity
    QUAL = "qual"  # an amount for the next option: light or extra
    NEG = "neg"  # the options that follow are left off
    WITH = "with"  # the options that follow belong to the item just named
    AND = "and"  # joins options or order lines
    STOP = "stop"  # ends a clause: "." and clause-opening words
    TIMES = "times"  # "pizza x 2"
    HEAD = "head"  # a generic noun after an item name: "turkey sub", "coke bottle"
    FILLER = "filler"  # words that carry nothing for the order


def _words(block: str) -> list[str]:
    return block.split()


_UNITS = _words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)

NUMBER_WORDS: dict[str, int] = {w: i + 1 for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100})


def is_count(word: str) -> bool:
    """Whether a word is a count, in digits or as a number word ("3", "three")."""
    return word in NUMBER_WORDS or word.isdigit()


def count_of(word: str) -> int | None:
    """The number a count word says ("3", "three": 3), or None for any other word."""
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def count_pattern(most: int) -> str:
    """A regex for a count said in digits or as a word up to `most`: "(?:\\d+|one|two|three)"."""
    return "(?:" + "|".join([r"\d+", *(w for w, n in NUMBER_WORDS.items() if n <= most)]) + ")"


# The verbs that take a dish or an option off the order ("scratch the latte", "lose the
# onions"): the one table the readers build their removal patterns from. "take" also orders
# ("I'll take a latte"), so a pattern where an order could stand leaves it out.
TAKE_OFF_VERBS = frozenset(
    {
        "take", "remove", "drop", "delete", "cancel", "scratch", "scrap", "lose", "ditch", "nix",
        "minus", "skip",
    }
)  # fmt: skip


# The words letting go of what was just said ("scratch that", "never mind it", "forget this"):
# the one pattern the readers build their take-back rules from.
LET_GO_OF_IT = r"(?:never ?mind|nvm|forget|scratch) (?:that|it|this)"


def verbs_pattern(verbs: frozenset[str]) -> str:
    """A regex alternation of verbs, in a stable order (longest first)."""
    return "|".join(sorted(verbs, key=lambda verb: (-len(verb), verb)))


_NUM_PHRASES: dict[str, int] = {
    "a": 1,
    "an": 1,
    "single": 1,
    "a single": 1,
    "just one": 1,
    "only one": 1,
    "just a": 1,
    "only a": 1,
    "another": 1,
    "one more": 1,
    "another one": 1,
    "one more of": 1,
    "a couple": 2,
    "a couple of": 2,
    "couple": 2,
    "couple of": 2,
    "a couple more": 2,
    "a pair of": 2,
    "pair of": 2,
    "a few": 3,
    "few": 3,
    "a dozen": 12,
    "dozen": 12,
    "half a dozen": 6,
    "half dozen": 6,
    "a half dozen": 6,
    "both": 2,
    "the other": 1,
    "the other one": 1,
    "the second": 1,
    "the second one": 1,
    "the third": 1,
    "the third one": 1,
    "the last one": 1,
    "the first": 1,
    "the first one": 1,
    "first one": 1,
    "second one": 1,
    "third one": 1,
    "the fourth": 1,
    "the fourth one": 1,
    "the last": 1,
}
# Numbers said as words and as digits: "twenty five", "25".
for _tens, _value in (("twenty", 20), ("thirty", 30), ("forty", 40)):
    for _unit, _u in list(NUMBER_WORDS.items())[:9]:
        _NUM_PHRASES[f"{_tens} {_unit}"] = _value + _u

# Articles count one but are not a said quantity ("a pizza" vs "one pizza").
ARTICLES = frozenset({"a", "an", "just a", "only a"})
# Amounts vague enough that "with ham and a few olives" still talks about the same item.
VAGUE = ARTICLES | {"another", "a few", "few", "a couple", "a couple of", "couple of", "couple"}

_EXTRA = """extra | xtra | x tra | lots of | lot of | a lot of | lots | lotsa | plenty of |
loads of | heavy on | heavy on the | go heavy on | go heavy on the | heavy | heavy with |
a whole lot of | whole lot of | a whole bunch of | whole bunch of | a bunch of | bunch of |
tons of | a ton of | double | more | additional | generous | a generous amount of |
a good amount of | loaded with | load up on | load up on the | load it up with | pile on the |
pile on | pile of | a ton of | lots and lots of | more of | triple | a heap of | heaps of |
lots more | extra extra | double up on | double up on the | heavy handed with | a big helping of |
a large amount of | a large amount | large amount | a big amount | big amount"""

_LIGHT = """light | lite | light on | light on the | go light on | go light on the | a little |
a little bit of | a little bit | little bit of | little | just a little | only a little |
a lil | a lil bit of | a lil bit | lil | lil bit of | a wee bit of |
just a little bit of | only a little bit of | just a little bit | only a little bit |
a bit of | a tiny bit of | tiny bit of |
a tiny bit | only a bit | just a bit | a bit | bit of | only a bit of | just a bit of | easy on |
easy on the | go easy on | go easy on the | not much | not many | not a lot of | not too much |
not too many | not so much | less | a touch of | touch of | a dash of | a sprinkle of |
a hint of | hint of | a smidge of | a pinch of | minimal | barely any | hardly any |
a small amount of | just a touch of | a light amount of | not a lot | light amount of | a few |
only some | just some | a splash of | splash of | lightly | not too heavy on |
not too heavy on the | sparse | a small amount | small amount | small amount of"""

# "hot" in the name of a warm dish ("hot cocoa", "hot dogs"), which says nothing of spice
WARM_DISH = re.compile(
    r"\bhot (?=(?:cocoa|chocolates?|choc|dogs?|teas?|coffees?|drinks?|water|cider)\b)", re.I
)

_NEG = """no | without | without any | with no | hold | hold the | skip | skip the | avoid |
avoid the | i hate | dont add | dont add any | do not add | do not add any | dont want |
dont want any | do not want | do not want any | dont put | dont put any | do not put |
doesnt want | doesnt want any | does not want | does not want any |
do not put any | not | none | minus | leave off | leave off the | leave out | leave out the |
except | but no | but without | no more | absolutely no | definitely no | never | nothing | sans |
cut the | ditch the | lose the | no need for | free of | dont include | do not include |
i dont like | allergic to | not any | zero | drop the | with out | w o | nix the | dont give me |
dont give me any | please no | but hold the | and hold the | remove the | take off the |
take out the | get rid of the | dont need | dont need any | no added | instead of |
in place of | rather than"""

_WITH_WORDS = """with | w | topped with | with some | add | add some | adding | and add | added |
sub in | swap in | substitute | substitute in | switch to | sub it with |
include | including | comes with | on it | that has | that have | which has | loaded up with |
extra toppings | toppings | topping | the toppings | make it | make it a | make it an |
make that | make that a | make that an | make them | make those | make mine | make it with"""

_AND = """and | , | also | and also | as well as | along with | plus | or | nor | then |
and then | alongside | together with | on the side and | and i also want | and then also"""

_STOPS = """. | : | but | i | id | ill | im | ive | want | wanna | gimme | lemme | give | get |
can | could | would | please | thanks | thank you | let me | let me get | let me have |
let me get a | i want | i need | need | we | wed | well | our | us | take | make | yes | yeah |
ok | okay | now | next | just | only | never mind | nevermind | nvm"""

_TIMES = "x | times | count"

# Units that open an order line the way a number does: "a side of queso", "two bags of chips".
_UNITS_OF = """order | orders | side | sides | bag | bags | cup | cups | glass | glasses |
bottle | bottles | can | cans | serving | servings | plate | plates | piece | pieces | box |
boxes | pack | packs | packet | packets | slice | slices | order of the"""

# Generic nouns that follow an item name and add nothing ("turkey sub", "two orders of fries").
_HEADS = """sub | subs | sandwich | sandwiches | sandwiche | sandwhich | sandwhiches | sammich |
sammy | hoagie | hoagies | hero | heroes | footlong | footlongs | foot long | six inch | 6 inch |
drink | drinks | soda | sodas | pop | pops | soft drink | soft drinks | beverage | beverages |
cup | cups | glass | glasses | can | cans | bottle | bottles | bag | bags | side | sides | order |
orders | serving | servings | one | ones | flavor | flavored | style | kind | type | size |
sized | portion | portions | piece | pieces | each | item | items"""

_FILLERS = """of | of the | of those | of them | the | some | my | me | for | for me | to | like |
have | order | to order | please | pls | plz | thx | on | top | on top | on the side |
on the top | on it | in it | in | it | its | is | be | maybe | um | uh | hmm | ok |
so | too | as well | also | again | more | all | that | this | these | those | those | them |
there | here | hey | hi | hello | sure | would like | id like | like to | i would like |
i would love | love | lets | go | going | gonna | gotta | do | does | did | have | having |
wanna | want to | try | trying | feel | feeling | prefer | wish | getting | place | put in |
grab | bring | bring me | send | send me | deliver | delivery | pickup | pick up | will | shall |
may | might | must | get me | can i | could i | can we | could we | can you | can u | may i |
i think | think | tho | though |
actually | really | definitely | absolutely | probably | guess | yo | sup | hiya | folks | guys |
dude | buddy | man | boss | chief | friend | today | tonight | right now | asap | quick |
quickly | fast | real | just a | thing | things | stuff | something | also want | want some |
one of the | one of those | of em | each | | them with | it with | all with | each with |
all of them with | all of them | both of them |
with everything else | everything else | that is all | thats all | thats it | that will be all |
thatll be all | thatll do | that will do | that is it | done | im done | and thats it |
and thats all | ty | cheers | thank | thanks so much | thank you so much | sir | maam | mate |
bro | fam | pal | okay | alright | all right | great | good | cool | awesome | perfect | nice |
fine | hungry | starving | lunch | dinner | breakfast | meal | food | snack | party | family |
kids | kid | wife | husband | friends | roommate | myself | yourself | you | your | u | ur | am |
are | was | were | been | being | has | had | got | gotten | put it | pop in | throw in |
toss in | throw | toss | pop | add on | addition | additionally | in addition | in addition to |
lastly | finally | first | firstly | second | secondly | after that | what | whats | how | about |
how about | what about | yep | yup | ya | k | kk | d | s | ll | m | ve | re | t | o | im gonna |
going to | order up | up | cooked | made | fresh | hot | cold | warm | nice and | well done |
crispy | dont | do not | not | out | off | away | as | at | by | if | when | than | then | other |
another one | same | ones | one each | mine | yours | his | her | their | they | he | she | we |
it be | itd | itll | thatd | thatll | black"""


# Breads, wraps and preparation words that no menu here lists, so they are not mistaken for dishes
# ("italian bread" is not the Italian sub).
_PREPARATION = """italian bread | italian herbs and cheese | herbs and cheese | herb and cheese |
wheat bread | white bread | honey oat | multigrain | flatbread | wrap | on wheat | on white |
on rye | rye | sourdough bread | whole wheat | toasted | not toasted | melt | grilled | well done |
footlong | foot long | six inch | 6 inch | 12 inch | twelve inch | on the side | to go | for here |
for pickup | for pick up | for delivery | regular crust | original crust | normal crust |
hand tossed | hand tossed crust | handtossed | classic crust | on one half | on half |
on half of it | on the other half | on the other | on the other one | on one side |
on one of them | on one of those | for one of them |
on the other side | half and half | on one | on top of it | on both | on both halves |
on either | on each | on all | on all of them | for both | for all | on either one | on each one |
on any | on any of them | on all three | on all 3 | on every one | on both of those |
on all of it | on both of them | on either of them |
on the whole pizza | on the whole thing | on the whole | the whole | on the entire |
the other half | other half | one half | half the | the other side |
the entire | room for cream | room for milk | with room for cream |
with room | leave room | leave room for cream | some room"""


def _split(block: str) -> list[str]:
    return [p.strip() for p in block.replace("\n", " ").split("|") if p.strip()]


def _build() -> dict[tuple[str, ...], tuple[Kind, object]]:
    table: dict[tuple[str, ...], tuple[Kind, object]] = {}

    def put(phrases: list[str], kind: Kind, value: object = None) -> None:
        for phrase in phrases:
            toks = phrase_tokens(phrase)
            if toks and toks not in table:
                table[toks] = (kind, value)

    # Order matters: the first kind to claim a phrase keeps it.
    for phrase, value in _NUM_PHRASES.items():
        put([phrase], Kind.NUM, value)
    for word, value in NUMBER_WORDS.items():
        table[(word,)] = (Kind.NUM, value)
    for unit in _split(_UNITS_OF):
        put([f"a {unit} of", f"an {unit} of"], Kind.NUM, 1)
        put([f"{unit} of", f"{unit} of the", f"{unit} of those"], Kind.NUM, None)
    for block, amount in ((_EXTRA, "extra"), (_LIGHT, "light")):
        phrases = _split(block)
        put(phrases, Kind.QUAL, amount)
        # "just a tiny bit of", "only extra": the hedge must not read as "just a" (one).
        hedged = [f"{hedge} {p}" for p in phrases for hedge in ("just", "only", "but")]
        put(hedged, Kind.QUAL, amount)
    put(_split(_NEG), Kind.NEG)
    put(_split(_WITH_WORDS), Kind.WITH)
    put(_split(_AND), Kind.AND)
    put(_split(_TIMES), Kind.TIMES)
    put(_split(_STOPS), Kind.STOP)
    put(_split(_HEADS), Kind.HEAD)
    put(_split(_FILLERS), Kind.FILLER)
    put(_split(_PREPARATION), Kind.FILLER)
    return table


GRAMMAR: dict[tuple[str, ...], tuple[Kind, object]] = _build()
GRAMMAR_MAX = max(len(k) for k in GRAMMAR)


def amount_before(tokens: Sequence[str], at: int) -> str | None:
    """The amount a phrase ending right before token `at` says: "extra" or "light" ("lots of",
    "a little bit of"), "no" ("hold the"); None if none ends there."""
    for length in range(min(at, GRAMMAR_MAX), 0, -1):
        kind, value = GRAMMAR.get(tuple(tokens[at - length : at]), (None, None))
        if kind is Kind.QUAL:
            return str(value)
        if kind is Kind.NEG:
            return "no"
    return None


# The longest grammar phrase each word starts (a word that starts none is absent).
GRAMMAR_FROM: dict[str, int] = {}
for _phrase in GRAMMAR:
    GRAMMAR_FROM[_phrase[0]] = max(GRAMMAR_FROM.get(_phrase[0], 0), len(_phrase))
# "with ham and a side of ranch": an option-only "a side of" still belongs to the item before.
VAGUE_UNITS = frozenset(f"{a} {unit} of" for unit in _split(_UNITS_OF) for a in ("a", "an"))

# Spellings fixed before anything is looked up: chat shorthand and homophones a typo
# distance would not catch ("stake" is two edits from "steak").
TOKEN_FIXES: dict[str, str] = {
    "n": "and",
    "nd": "and",
    "wit": "with",
    "wth": "with",
    "stake": "steak",
    "stakes": "steaks",
    "peice": "piece",
    "chz": "cheese",
    "chix": "chicken",
    "xtra": "extra",
    "dbl": "double",
    "sandwhich": "sandwich",
    "sandwiche": "sandwich",
    "sandwhiches": "sandwiches",
    "trpl": "triple",
    "lrg": "large",
    "sml": "small",
}

# Nouns that make the option word before them part of a dish the menu does not have
# ("garlic knots", "onion rings", "chicken wings").
DISH_NOUNS = frozenset(
    _words(
        "knots rings wings sticks bites nuggets strips tenders fingers bread breadsticks rolls "
        "balls poppers soup soups cake cakes pie pies rolls dip dips melt wrap wraps bowl bowls "
        "nachos tots sliders fries muffin muffins bagel bagels croissant croissants"
    )
)

# Measures after a number that keep it from opening a new order line: "2 sugars", "a 16 inch
# pizza", "for 10 people"; and those that do so only before "of" ("2 pumps of vanilla", where
# "a drizzle" alone is an add-in).
MEASURES = frozenset(
    _words(
        "sugar sugars inch inches topping toppings ingredient ingredients people persons person "
        "pump pumps squirt squirts "
        "adults pm am minutes mins min hours oclock percent oz ounce ounces fl ml liter liters "
        "litre litres cl"
    )
)
MEASURES_OF = frozenset(
    _words(
        "pump pumps squirt squirts scoop scoops spoon spoons spoonful spoonfuls packet packets "
        "splash splashes dash dashes drizzle drizzles shot shots"
    )
)

# Head nouns that say the options before them are a drink's ("2 small drinks", "a large soda").
_DRINK_HEADS = """drink | drinks | soda | sodas | pop | pops | soft drink | soft drinks | beverage |
beverages"""
DRINK_HEADS = frozenset(_split(_DRINK_HEADS))

# The generic nouns after a dish's name ("sub", "sandwich", "hoagie"): a kind's, no dish's own
HEAD_WORDS = frozenset(w for phrase in _split(_HEADS) for w in phrase.split())

# "No cheese, sub jalapenos": a head noun that, right after a left-off option, swaps one in.
SUBSTITUTE_HEADS = frozenset({"sub", "subs"})

# "Two pizzas, first with ham, second with olives": an ordinal before options counts one of
# the items said before it (elsewhere, as in "first, a pizza", it is a filler).
ORDINALS = frozenset(_words("first second third fourth fifth last"))

# Said after the options of the last line: they go on every line ("no onions on either").
SPREAD = frozenset(
    {
        "on either",
        "on any",
        "on any of them",
        "on all three",
        "on all 3",
        "on every one",
        "on both of those",
        "all",
        "each",
        "all with",
        "each with",
        "all of them with",
        "all of them",
        "both of them",
        "on both",
        "on each",
        "on all",
        "on all of them",
        "for both",
        "for all",
        "on either one",
        "on each one",
        "on all of it",
        "on both of them",
        "on either of them",
    }
)

# Plain English words a customer uses around an order: never typo-corrected into a menu word and
# never reported as an unknown dish.
COMMON_WORDS = frozenset(
    _words(
        """
    a about above after again against all almost also always am an and any anything anyway are
    around as at away back bad be because been before being below best better between big bit
    both but by call came can cant cause change check checkout close come could couldnt day did
    didnt do does doesnt doing done dont down during each either else enough even ever every
    everything few find first for from full get gets give go goes going gone good got great had
    half happy has have having he hello help her here hers hey hi him his hold home hope how
    however i if in instead into is isnt it its just keep kind know last later least less let
    like little long look lot lots love made make many may maybe me mean mind mine more most
    much must my myself need never new next nice no nope not nothing now of off oh ok okay old
    on once one only or other our out over own please plus pretty put quite rather really right
    said same say see she should show since so some something soon sorry still such sure take
    than thank thanks that thats the their them then there these they thing things think this
    those though through time to today too try two under until up upon us use very want wanted
    wants was way we well were what whats when where which while who whole why will wish with
    without would wouldnt yeah yes yet you your yours yep yup nah hmm um uh ah oops wait hang
    sec second minute hour tomorrow tonight order orders ordered ordering menu cart basket total
    price cost costs much cheap expensive dollar dollars bucks cents calories ingredients
    allergens allergy allergic contain contains gluten dairy nut nuts vegetarian vegan spicy
    halal popular kosher healthy options option available serve serves sell sells offer offers
    recommend recommendation special specials deal deals address street st ave avenue road rd
    blvd lane apt suite phone number code text message send resend pickup delivery deliver
    delivered pick dine eat here status track where cancel remove delete clear start over reset
    empty bye goodbye later cheers thanks thx ty tasty yummy delicious hungry starving lunch
    dinner breakfast meal food drink drinks stuff people person guys everyone family friends
    feed feeding fed
    kids please pls plz gimme lemme gonna wanna gotta lets youre im ive id ill hes shes weve
    were theyre isnt arent wasnt werent hasnt havent hadnt wont wouldnt shouldnt couldnt cant
    dont doesnt didnt also actually basically literally just tho though cuz coz bc btw asap
    pronto quick fast soon yet already again swap switch switched replace instead rather
    substitute sub
    make made turn change changed upgrade downgrade size sizes bigger smaller larger small
    medium large extra regular add added adding put throw toss hold skip leave keep forget
    scratch scrap never mind nevermind wrong mistake oops correct right exactly perfect great
    awesome
    cool fine good sounds sound works work done finished complete ready pay paying card cash
    confirm confirmed place placing placed submit checkout anyone anybody someone somebody each
    every per piece pieces whatever sometime hot cold warm fresh free wheres whos hows whens whys
    heres theres main oak elm maple pine park church hill first second third north south east
    west apartment unit floor building house office work school hotel room table seat guess idea
    else anymore plain simple normal usual same whats thats lol haha omg wow hmmm ummm erm ahh huh
    yikes whoa woah jeez geez oof eek welp
    meh cafe caffe cuppa daughter son mom dad mother father brother sister fried deep frozen
    wondering wonder meant mean means baby boyfriend girlfriend partner boss coworker coworkers
    colleague colleagues team coming comes arriving joining joined cancelled canceled getting
    taking having eating sharing bringing leaving staying waiting thinking looking showing
    anyway guests night morning evening afternoon rough tired week weekend early forgot
    left huge tiny biggest largest smallest party meeting game movie roommate husband wife
    sprinkled drizzled dusted topped guy theirs ours hers his mine yours rush hurry crew inside
    bailed flaked
        """
    )
)

# Words that make an option a sauce even when its name does not say so ("what sauces do you
# have?": chipotle southwest, ranch and mayo among the "... sauce" options).
SAUCE_WORDS = frozenset({"sauce", "sauces", "dressing", "ranch", "mayo", "mayonnaise", "mustard",
                         "chipotle", "aioli", "ketchup", "vinaigrette", "sriracha", "bbq",
                         "barbecue", "teriyaki", "tahini", "tzatziki", "pesto"})  # fmt: skip
# The words a customer asks for sauces by.
SAUCE_KINDS = frozenset({"sauce", "dressing", "condiment", "spread", "dip"})

# What a dish is, by words of its name or of an option on it, where the menu's tags say nothing
# ("the one without meat", "the fishy one", "the spicy one", "the hot drink", "the one in the
# tortilla"): each trait and the words that say it. A name that says "veggie" or "vegan" says no
# meat ("veggie burger"); "hot" before a warm dish's name says no spice (`WARM_DISH`).
DISH_WORDS: dict[str, tuple[str, ...]] = {
    "vegetarian": ("vegetarian", "veggie", "veggies", "vegan", "meatless", "garden", "tofu",
                   "sofritas", "plant based", "vegetable", "vegetables", "falafel"),
    "spicy": ("spicy", "hot", "jalapeno", "jalapenos", "buffalo", "diavola", "chipotle",
              "habanero", "sriracha", "chili", "chile", "fiery"),
    "meat": ("meat", "meats", "beef", "steak", "chicken", "ham", "turkey", "bacon", "pork",
             "pepperoni", "sausage", "salami", "barbacoa", "carnitas", "chorizo", "meatball",
             "meatballs", "burger", "burgers", "hamburger", "cheeseburger", "cold cut",
             "prosciutto", "brisket", "pastrami", "lamb", "veal", "duck", "wings", "nuggets",
             "hot dog", "bologna", "gyro", "kebab"),
    "beef": ("beef", "steak", "barbacoa", "meatball", "meatballs", "burger", "burgers",
             "hamburger", "cheeseburger", "brisket", "pastrami"),
    "pork": ("pork", "ham", "bacon", "pepperoni", "sausage", "salami", "carnitas", "chorizo",
             "prosciutto"),
    "fish": ("fish", "tuna", "anchovy", "anchovies", "salmon", "shrimp", "seafood", "crab",
             "lobster", "prawn", "prawns", "cod", "sardine", "sardines", "clam", "clams",
             "calamari", "tilapia", "mahi"),
    # drinks served hot, unless their name or an option says iced
    "hot": ("hot", "coffee", "espresso", "latte", "cappuccino", "americano", "macchiato",
            "mocha", "cortado", "flat white", "tea", "cocoa", "chai", "cider"),
    "iced": ("iced", "ice", "cold", "frozen", "shake", "shakes", "smoothie", "frappe",
             "frappuccino", "cold brew", "soda", "juice", "lemonade"),
    "coffee": ("coffee", "espresso", "latte", "cappuccino", "americano", "macchiato", "mocha",
               "cortado", "flat white", "cold brew"),
    "tortilla": ("burrito", "taco", "quesadilla", "wrap", "tortilla", "enchilada", "fajita"),
}  # fmt: skip
# The words a customer names a line by its trait with, and whether the line has it ("the fishy
# one") or not ("the meatless one"); "non", "not", "no" before one, "free" or "less" after it,
# say not.
TRAIT_SAID: dict[str, tuple[str, bool]] = {
    "meat": ("meat", True), "meaty": ("meat", True), "meats": ("meat", True),
    "meatless": ("meat", False), "vegetarian": ("meat", False), "veggie": ("meat", False),
    "vegan": ("meat", False), "veg": ("meat", False),
    "beef": ("beef", True), "beefy": ("beef", True), "pork": ("pork", True),
    "fish": ("fish", True), "fishy": ("fish", True), "seafood": ("fish", True),
    "spicy": ("spicy", True), "spicier": ("spicy", True), "spiciest": ("spicy", True),
    "mild": ("spicy", False), "hot": ("hot", True), "warm": ("hot", True),
    "cold": ("hot", False), "iced": ("hot", False),
    "coffee": ("coffee", True), "tortilla": ("tortilla", True), "wrapped": ("tortilla", True),
}  # fmt: skip
