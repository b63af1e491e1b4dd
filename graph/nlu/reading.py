"""What the offline understanding read in one message: the contract between graph.nlu and nodes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from graph.intents import Intent, OrderType

Qualifier = Literal["light", "extra"]
# What an edit of earlier lines does: change a line (its item, options, quantity), remove it
# (or some units), or order it again.
EditOp = Literal["change", "remove", "repeat"]
# What a question asks about an item or the restaurant.
Asking = Literal["price", "sizes", "contents", "has", "recommend", "dietary", "options", "other"]


def frozen_fields(obj: Any) -> None:
    """Give back the tuples a checkpoint stored as lists (msgpack has one array type), so a
    revived value equals and hashes like the one stored. For frozen dataclasses' `__post_init__`."""
    for name in obj.__dataclass_fields__:
        value = getattr(obj, name)
        if isinstance(value, list):
            object.__setattr__(obj, name, _tupled(value))


def _tupled(value: Any) -> Any:
    return tuple(_tupled(v) for v in value) if isinstance(value, list | tuple) else value


@dataclass(frozen=True, slots=True)
class Choice:
    """One option said for an order line: `group`/`option` are menu keys."""

    group: str
    option: str
    qualifier: Qualifier | None = None
    exclude: bool = False

    def to_json(self) -> dict[str, Any]:
        """The `restaurant parse` form: qualifier and exclude only when said."""
        out: dict[str, Any] = {"group": self.group, "option": self.option}
        if self.qualifier:
            out["qualifier"] = self.qualifier
        if self.exclude:
            out["exclude"] = True
        return out


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One item the message names, with what was said about it (no defaults filled in)."""

    item: str
    quantity: int = 1
    choices: tuple[Choice, ...] = ()
    quantity_said: bool = False  # "pizza" vs "one pizza": matters for "actually 3 of them"
    inferred: bool = False  # the item was only inferred from the options ("a large with ham")

    def __post_init__(self) -> None:
        frozen_fields(self)

    def to_json(self) -> dict[str, Any]:
        """The `restaurant parse` form of a line."""
        return {
            "item": self.item,
            "quantity": self.quantity,
            "choices": [c.to_json() for c in self.choices],
        }


@dataclass(frozen=True, slots=True)
class Ref:
    """Which cart lines a message points at: "it", "both", "the second pizza", "the one with
    ham", "one of them". Resolved against the cart and the dialogue by `graph.dialogue`.

    Every field narrows the lines: `items` and `words` name what the line is (item keys, or
    class nouns such as "burger" or "drink"), `options` what it has (each entry: the options
    one phrase can mean; a line matches when it has one of them), `without` what it lacks,
    `traits` and `unlike` what it is and is not by words no menu spells out ("the fishy one",
    "the one without meat": `graph.nlu.words.TRAIT_SAID`).
    """

    pronoun: bool = False  # "it", "that", "them": the lines the conversation is about
    plural: bool = False  # "them", "those", "the pizzas"
    every: bool = False  # "both", "all of them", "either", "each"
    ordinal: int | None = None  # 1 = the first, 2 = the second, -1 = the last, 0 = the middle
    ordinals: tuple[int, ...] = ()  # more of them: "the first and third"
    other: bool = False  # "the other one"
    count: int | None = None  # "one of them", "two of the pizzas": units out of the line
    implied: bool = False  # counted with no "of" ("one with no onions"): units, never a total
    items: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    options: tuple[tuple[tuple[str, str], ...], ...] = ()
    option_words: tuple[tuple[str, ...], ...] = ()  # the words of each option phrase said
    without: tuple[tuple[tuple[str, str], ...], ...] = ()
    but: tuple[str, ...] = ()  # "everything except the salad": the dishes left out
    sized: int = 0  # "the bigger one": 1, the line of the biggest size; "the smaller": -1
    total: int | None = None  # "all three": how many units every line meant makes
    spared: int = 0  # "all of them except one", "all but two": the units left out of them
    # "all of them except sam's", "everyone but me and jo": whose the units left out are
    spared_for: tuple[str, ...] = ()
    # "the fries and the coke", "the burrito and bowl": other lines named beside these, all meant
    joined: tuple[Ref, ...] = ()
    # "the ones that are just pepperoni": none of the other options of those kinds either
    only: bool = False
    traits: tuple[str, ...] = ()  # "the spicy one", "the hot drink": "spicy", "hot"
    unlike: tuple[str, ...] = ()  # "the meatless one", "the one that's not coffee"
    one: bool = False  # "the buffalo one": a line named by what it has, never the option alone

    def __post_init__(self) -> None:
        frozen_fields(self)

    @property
    def named(self) -> bool:
        """Whether the reference says what the line is or has (not only "it" or "both")."""
        return bool(
            self.items
            or self.words
            or self.options
            or self.without
            or self.but
            or self.sized
            or self.traits
            or self.unlike
        )


@dataclass(frozen=True, slots=True)
class Edit:
    """A change to lines already in the cart, as said: what to do, to which lines, with what.

    `ref` is None when the message names no line: the edit then goes to the lines that take its
    options, or to the line the conversation is about. `items` are the items named in the
    message outside the reference ("just one diet coke", "remove the fries"), each as every
    item key its phrase can mean.
    """

    op: EditOp
    ref: Ref | None = None
    items: tuple[tuple[str, ...], ...] = ()
    item: str | None = None  # the line's new item (a swap)
    item_words: tuple[str, ...] = ()  # the words that named it ("diet cokes", "cookie")
    sibling: tuple[str, ...] = ()  # "a chocolate one": words of a sibling of the line's item
    choices: tuple[Choice, ...] = ()  # options to put on the line
    drop: tuple[Choice, ...] = ()  # options to take off ("X instead of Y": Y)
    # "light on the rice", "no beans": an option group by its own word (group, qualifier, exclude)
    groups: tuple[tuple[str, Qualifier | None, bool], ...] = ()
    instead: bool = False  # said "instead": new options replace the line's in their group
    # "make it brown rice": what the line is to be, so an option of the same kind (white rice)
    # gives way
    alike: bool = False
    # "no actually swiss" on a ham sub with american cheese: said in place of the line's one
    # option of that group, whatever its name
    corrected: bool = False
    # "one with bacon, the other plain": the parts (of `parts`) said plain, without what the
    # others get when the line has it
    plain_parts: tuple[int, ...] = ()
    # "make it a hawaiian", "change the other one to a large pepperoni": the options said as the
    # dish itself, so the option that named the line's kind gives way (not its crust or size)
    as_dish: bool = False
    quantity: int | None = None  # new quantity; units to remove; copies to add
    again: bool = False  # "same again": the last turn's additions, once more
    double: bool = False  # "double that": as many again
    unknown: tuple[str, ...] = ()  # words said for the line that the menu does not have
    # "two of them with whipped cream and one with crumbles": units of the line, each with
    # its own options (how many, the options)
    parts: tuple[tuple[int, tuple[Choice, ...]], ...] = ()
    # how many of each of `items` were said ("take off one pizza and one fanta"); None: all
    amounts: tuple[int | None, ...] = ()
    moved: bool = False  # "move the bacon onto the chicken one": taken off the line that has it
    # whose lines ("my husband's bowl", "the kids' ones", "mine"; "~his" etc. for a pronoun)
    owner: str | None = None
    plain: bool = False  # "just a plain one": none of the options added to it
    # "same size and crust but just pepperoni": options a plain copy keeps (group, option)
    kept: tuple[tuple[str, str], ...] = ()
    # whose line a copy is of ("same as mine for Jo", "a turkey like her dad's"); `owner` is
    # then who the copy is for
    like: str | None = None
    # "just one of the extra ones", "scratch the extra fries": of the units the latest edit added
    added: bool = False
    # "add steak too", "also chicken": the options go on beside the line's own, even in a group
    # that is never left empty (a filling), which a new option otherwise takes over
    adding: bool = False
    # "make it three, the third one plain": `quantity` is the new total of the lines meant, the
    # units beyond theirs made with `choices` (or plain)
    more_to: bool = False
    # "put the tomato back on", "leave them on": an option the line left off, as the dish was
    back: bool = False
    # "go heavy on it", "lots of it": an amount of no option named, the one the line was just
    # ordered with
    amount: Qualifier | None = None

    def __post_init__(self) -> None:
        frozen_fields(self)

    @property
    def changes(self) -> bool:
        """Whether the edit says what to change, not only which line ("the hot chocolate")."""
        return bool(
            self.item
            or self.sibling
            or self.choices
            or self.drop
            or self.groups
            or self.quantity
            or self.parts
            or self.plain
        )


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the offline understanding got from one message.

    `items` are the lines ordered (add_items) or referred to (remove_items, change_item,
    ask_item). For change_item, `refers_to_last` is true when the message points back ("make
    that large", "actually 3 of them"); then `quantity`/`choices` hold the new values.
    `confidence` is 0..1: below the configured threshold the LLM (when there is one) decides.
    """

    text: str
    intent: Intent
    items: tuple[OrderLine, ...] = ()
    confidence: float = 1.0
    refers_to_last: bool = False
    quantity: int | None = None  # a new quantity without an item ("actually 3 of them")
    choices: tuple[Choice, ...] = ()  # choices without an item ("make that large")
    phone: str | None = None  # digits as said, normalised later by the identity service
    code: str | None = None  # a one-time code
    order_type: OrderType | None = None
    address: str | None = None
    order_number: str | None = None
    query: str | None = None  # free text for menu search ("something spicy")
    tags: tuple[str, ...] = ()  # dietary tags asked for ("vegetarian", "spicy")
    max_price: Decimal | None = None  # "under $12"
    exclude_allergens: tuple[str, ...] = ()  # "without nuts", "dairy free"
    unknown: tuple[str, ...] = ()  # words that looked like an item but matched nothing
    inferred: bool = False  # an item was only inferred from its options ("a large pepperoni")
    counted: bool = False  # a number or an article was said ("a decaf" vs "decaf please")
    # Items the menu's sources read into a pair ("chips" of "chips and queso", the queso side):
    # in a conversation, people mean both.
    paired: tuple[str, ...] = ()
    # An order read alone that, after an order, edits it ("just one diet coke", "another one
    # of the first", "add olives to both"): the intent then, with `edit`.
    follow_up: Intent | None = None
    edit: Edit | None = None  # change_item, remove_items, repeat_items: the edit as said
    ref: Ref | None = None  # a line the message names: "how much is that?", "the coffee small"
    asking: Asking | None = None  # ask_item, browse_menu: what the question is about
    bad_quantity: str | None = None  # a quantity no order can have ("-5", "2.5", "0"), as said

    def __post_init__(self) -> None:
        frozen_fields(self)

    def to_json(self) -> dict[str, Any]:
        """The `restaurant parse` output: `items` only for add_items."""
        items = [line.to_json() for line in self.items] if self.intent is Intent.ADD_ITEMS else []
        return {"text": self.text, "intent": self.intent.value, "items": items}
