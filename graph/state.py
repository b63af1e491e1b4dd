"""The graph's state: the conversation, what it refers to, and where each flow stands.

Typed all the way down: the reading of a message (`graph.nlu.reading`), the dialogue state
(`graph.dialogue.Dialogue`), checkout and sign-in progress are frozen dataclasses or pydantic
models that LangGraph's serializer stores and revives as they are (`CHECKPOINT_TYPES` lists them
for its allowlist). An assistant reply is one `AIMessage` per turn carrying its cards in
`additional_kwargs["cards"]`, so the service rebuilds the history, cards included, from the
checkpoint alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from langchain_core.messages import AnyMessage
from langgraph.channels import UntrackedValue
from langgraph.graph.message import add_messages

from graph.cards import AuthStep, Card
from graph.dialogue import Dialogue
from graph.intents import Intent, OrderType
from graph.models import ChoiceSpec, LineSpec
from graph.nlu.reading import Choice, Edit, OrderLine, Reading, Ref

CheckoutStep = Literal["order_type", "address", "confirm"]
# What the last reply asked, so "yes", "no" or a bare answer is read against it.
Awaiting = Literal[
    "anything_else",
    "suggestion",
    "option",  # "want it on your coffee?" after a question about an option (`Dialogue.options`)
    "order_type",
    "address",
    "confirm",
    "phone",
    "code",
    "clarify",
    "which_line",  # "which one do you mean?" (`Dialogue.asked`)
    "confirm_clear",  # "empty your cart?"
    "confirm_cancel",  # "cancel order #...?" (`State.cancelling`)
    "head_count",  # "how many of you are there?" after "a coke for each of us"
]


@dataclass(frozen=True, slots=True)
class Checkout:
    """Checkout progress."""

    step: CheckoutStep
    order_type: OrderType | None
    address: str | None
    key: str  # idempotency key of this checkout: a retried "yes" places one order


@dataclass(frozen=True, slots=True)
class Pending:
    """A request the sign-in interrupted, carried out once the phone is verified."""

    intent: Intent
    reading: Reading


@dataclass(kw_only=True)
class TurnInput:
    """What a turn starts from: the customer's message."""

    text: str


@dataclass(kw_only=True)
class State:
    """Conversation and flow state, checkpointed per thread (= chat session)."""

    messages: Annotated[list[AnyMessage], add_messages] = field(default_factory=list)
    text: str = ""  # this turn's message
    rest: list[str] = field(default_factory=list)  # its further requests, handled in turn
    turn: int = 0  # turns so far, seeds the choice of reply wording
    intent: Intent = Intent.UNKNOWN  # what this turn is handled as
    # this turn's message as understood: needed only within the turn, so never checkpointed
    # (reviving the last turn's reading at the start of every turn was work for nothing)
    reading: Annotated[Reading | None, UntrackedValue(object)] = None
    signed_in: bool = False
    auth_step: AuthStep | None = None
    phone: str | None = None  # E.164 of the sign-in in progress
    pending: Pending | None = None
    reminded: bool = False  # the sign-in in progress was offered again after another request
    checkout: Checkout | None = None
    awaiting: Awaiting | None = None  # what this turn's reply asks (set by the flows)
    asked: Awaiting | None = None  # what the previous reply asked: this turn answers it
    dialogue: Dialogue = field(default_factory=Dialogue)
    last_order: str | None = None  # number of the order placed or shown last
    cancelling: str | None = None  # the order a "yes" cancels
    say: list[str] = field(default_factory=list)  # this turn's reply so far, one part a node
    cards: list[Card] = field(default_factory=list)  # this turn's cards so far
    quick_replies: list[str] = field(default_factory=list)  # answers offered with the reply


# The classes the checkpoint stores inside the state's values: the serializer revives these and
# nothing else of ours.
CHECKPOINT_TYPES: tuple[tuple[str, str], ...] = tuple(
    (cls.__module__, cls.__name__)
    for cls in (
        Checkout,
        Pending,
        Dialogue,
        Reading,
        Edit,
        Ref,
        Choice,
        OrderLine,
        Intent,
        OrderType,
        LineSpec,
        ChoiceSpec,
    )
)

__all__ = [
    "CHECKPOINT_TYPES",
    "AuthStep",
    "Awaiting",
    "Card",
    "Checkout",
    "CheckoutStep",
    "Pending",
    "State",
    "TurnInput",
]
