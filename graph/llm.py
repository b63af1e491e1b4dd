"""The chat-model path: used only when `Context.chat_model` is set, and never trusted alone.

- `is_unsure` / `classify_with_model`: the offline reading comes first; the model classifies
  (structured output) only a message the reading is unsure of, and its answer is mapped back
  onto the same `Reading`, keeping only items and options the menu has.
- `answer_with_tools`: a free-form question nothing else understood is answered by the model
  with the read-only tools bound natively (their docstrings are the prompt). Who the customer
  is comes from `Context`, never from the model's arguments.
- `write_reply`: the model rewrites the reply the nodes built, streamed as it comes through
  `guarded`: each number is held back until complete, and the stream stops before a number
  the facts don't have (an invented price never reaches the customer); then, or when the
  finished reply dropped a price or the question, the nodes' own text is sent. The pieces go
  out as `text` events on the custom stream (with `PooledChatModel`, read with no LangChain run:
  `TextStreaming`).

Any failure (timeout, 5xx, every endpoint cooling, malformed output) returns the offline answer
for that turn: the customer always gets one. Calls are tagged so the streaming layer can tell
them apart in traces: the classifier and the tool-choosing calls carry `nostream` plus
`classifier` / `tools`; the reply (when not read as plain text) carries `reply`.
"""

from __future__ import annotations

import json
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable
from uuid import uuid4

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool
from langgraph.constants import TAG_NOSTREAM
from langgraph.prebuilt import ToolRuntime
from langgraph.runtime import Runtime
from pydantic import BaseModel, Field, ValidationError

from graph.context import Context
from graph.intents import Intent, OrderType
from graph.menu import Menu
from graph.models import CartRead, ChoiceSpec, LineSpec
from graph.nlu.reading import Choice, OrderLine, Qualifier, Reading
from graph.prompts import ANSWER, CLASSIFY, EDIT, REPLY, REPLY_INPUT
from graph.state import Card, State
from graph.tools.cart import (
    add_to_cart,
    remove_from_cart,
    split_cart_line,
    update_cart_line,
    view_cart,
)
from graph.tools.menu import describe_item, search_menu
from graph.tools.orders import get_order_status

log = logging.getLogger(__name__)

CLASSIFIER_TAGS = ["classifier", TAG_NOSTREAM]  # a reading, never text for the customer
TOOLS_TAGS = ["tools", TAG_NOSTREAM]  # the tools report themselves on the custom stream
REPLY_TAGS = ["reply"]  # the customer's reply (a chat model without `astream_text`)
# Read-only on purpose: changing the cart or placing an order goes through the nodes, where the
# confirmation step and the auth gate are enforced.
QUESTION_TOOLS: list[BaseTool] = [search_menu, describe_item, view_cart, get_order_status]
# The cart edits a model may make when the offline reading could not map one (`edit_with_model`);
# every call is checked against the menu and the cart before any of a round's calls runs.
EDIT_TOOLS: list[BaseTool] = [update_cart_line, split_cart_line, remove_from_cart, add_to_cart]
MAX_TOOL_ROUNDS = 3
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONEY = re.compile(r"\d+\.\d{2}\b")
_SIGNED_NUMBER = re.compile(r"[$€£]?(\d+(?:[.,]\d+)*)")  # a number with the sign it belongs to


class ModelUnavailable(Exception):
    """No model can answer right now (e.g. every endpoint is cooling down): answer offline."""


def is_unsure(reading: Reading, threshold: float) -> bool:
    """Whether the offline reading needs the model: unknown intent or confidence under threshold."""
    return reading.intent is Intent.UNKNOWN or reading.confidence < threshold


def _log_failure(what: str, exc: Exception) -> None:
    if isinstance(exc, ModelUnavailable):
        log.info("%s: %s; answering offline", what, exc)
    else:
        log.warning("%s failed; answering offline", what, exc_info=exc)


def _last_question(state: State) -> str:
    for message in reversed(state.messages):
        if isinstance(message, AIMessage):
            return str(message.content)
    return "(none)"


def _menu_text(menu: Menu) -> tuple[str, str]:
    items = "\n".join(
        f"{i.key}: {i.label}" + (f" [{', '.join(i.option_groups)}]" if i.option_groups else "")
        for i in menu.items()
        if i.available
    )
    groups = "\n".join(
        f"{g.key}: {', '.join(o.key for o in g.options)}" for g in menu.option_groups
    )
    return items, groups or "(none)"


# The schemas below keep to what OpenAI's strict structured outputs accept: no defaults other
# than None, no numeric bounds (the mapping clamps instead).


class _ChoiceOut(BaseModel):
    group: str = Field(description="option group key")
    option: str = Field(description="option key inside the group")
    qualifier: Qualifier | None = Field(default=None, description="'light' or 'extra'")
    exclude: bool | None = Field(default=None, description="true for 'no X' / 'without X'")


class _LineOut(BaseModel):
    item: str = Field(description="menu item key")
    quantity: int | None = None
    choices: list[_ChoiceOut] | None = None


class Classification(BaseModel):
    """What the customer's message means."""

    intent: Intent
    items: list[_LineOut] | None = None
    refers_to_last: bool | None = None
    quantity: int | None = None
    phone: str | None = None
    code: str | None = None
    order_type: OrderType | None = None
    address: str | None = None
    order_number: str | None = None
    query: str | None = None
    tags: list[str] | None = None
    max_price: float | None = None
    exclude_allergens: list[str] | None = None


def _known_choices(menu: Menu, item_key: str, choices: list[_ChoiceOut]) -> tuple[Choice, ...]:
    item = menu.item(item_key)
    groups = {g.key: g for g in menu.groups_of(item)} if item else {}
    return tuple(
        Choice(c.group, c.option, c.qualifier, bool(c.exclude))
        for c in choices
        if c.group in groups and groups[c.group].option(c.option) is not None
    )


def reading_from(classification: Classification, menu: Menu, reading: Reading) -> Reading:
    """The model's classification as a `Reading`, keeping only what the menu has."""
    result = classification
    lines = tuple(
        OrderLine(
            item=line.item,
            quantity=min(max(line.quantity or 1, 1), 99),
            quantity_said=line.quantity is not None,
            choices=_known_choices(menu, line.item, line.choices or []),
        )
        for line in result.items or []
        if menu.item(line.item) is not None
    )
    known_tags = {t for i in menu.items() for t in i.tags}
    known_allergens = {a for i in menu.items() for a in i.allergens}
    max_price = reading.max_price
    if result.max_price is not None and result.max_price > 0:
        max_price = Decimal(str(result.max_price))
    return replace(
        reading,
        intent=result.intent,
        items=lines or reading.items,
        # The model named the dishes: the words the offline reading could not place are read.
        unknown=() if lines else reading.unknown,
        confidence=1.0,
        refers_to_last=bool(result.refers_to_last),
        quantity=result.quantity if result.quantity and 0 < result.quantity < 100 else None,
        phone=result.phone or reading.phone,
        code=result.code or reading.code,
        order_type=result.order_type or reading.order_type,
        address=result.address or reading.address,
        order_number=result.order_number or reading.order_number,
        query=result.query or reading.query,
        tags=tuple(t for t in result.tags or [] if t in known_tags) or reading.tags,
        max_price=max_price,
        exclude_allergens=tuple(a for a in result.exclude_allergens or [] if a in known_allergens)
        or reading.exclude_allergens,
    )


async def classify_with_model(
    model: BaseChatModel, menu: Menu, state: State, reading: Reading
) -> Reading:
    """Ask the chat model what an unsure message means; keep the offline reading on failure."""
    items, groups = _menu_text(menu)
    prompt = CLASSIFY.format(
        intents=", ".join(i.value for i in Intent),
        items=items,
        groups=groups,
        last_question=_last_question(state),
    )
    config: RunnableConfig = {"tags": CLASSIFIER_TAGS, "run_name": "classify_with_model"}
    try:
        structured = model.with_structured_output(Classification)
        result = await structured.ainvoke(
            [SystemMessage(prompt), HumanMessage(reading.text)], config=config
        )
    except Exception as exc:  # a flaky model must not break a turn the offline reading can answer
        _log_failure("model classification", exc)
        return reading
    if not isinstance(result, Classification):
        log.warning("model classification returned %r; using the offline reading", type(result))
        return reading
    return reading_from(result, menu, reading)


# --- free-form questions -----------------------------------------------------------------------


def _history(state: State, turns: int = 3) -> list[BaseMessage]:
    """The last few exchanges as plain text messages (cards and ids left out)."""
    plain: list[BaseMessage] = []
    for message in state.messages[-2 * turns :]:
        if isinstance(message, HumanMessage):
            plain.append(HumanMessage(str(message.content)))
        elif isinstance(message, AIMessage) and message.content:
            plain.append(AIMessage(str(message.content)))
    return plain


async def _call_tool(
    call: ToolCall, runtime: Runtime[Context], state: State, tools: dict[str, BaseTool]
) -> ToolMessage:
    call_id = call.get("id") or "call_unknown"
    tool = tools.get(call["name"])
    if tool is None:
        return ToolMessage(
            f"There is no tool named {call['name']!r}.", tool_call_id=call_id, status="error"
        )
    tool_runtime: ToolRuntime[Context, Any] = ToolRuntime(
        state=state,
        context=runtime.context,
        config={},
        stream_writer=runtime.stream_writer,
        tool_call_id=call_id,
        store=runtime.store,
    )
    try:
        # Identity is in `runtime.context`: the model's arguments never name the customer.
        result = await tool.ainvoke(
            {**call, "id": call_id, "args": {**call["args"], "runtime": tool_runtime}}
        )
    except (ValidationError, ValueError, TypeError) as exc:
        return ToolMessage(
            f"Invalid arguments for {call['name']}: {exc}", tool_call_id=call_id, status="error"
        )
    if isinstance(result, ToolMessage):
        return result
    return ToolMessage(str(result), tool_call_id=call_id)


async def answer_with_tools(
    model: BaseChatModel, runtime: Runtime[Context], state: State
) -> str | None:
    """Answer a free-form question with the read-only tools; None when the model can't."""
    menu = await runtime.context.menu.get_menu()
    tools = {t.name: t for t in QUESTION_TOOLS}
    messages: list[BaseMessage] = [
        SystemMessage(
            ANSWER.format(restaurant=menu.restaurant.name, currency=menu.restaurant.currency)
        ),
        *_history(state),
        HumanMessage(state.text),
    ]
    facts: list[str] = [state.text]
    config: RunnableConfig = {"tags": TOOLS_TAGS, "run_name": "answer_with_tools"}
    try:
        bound = model.bind_tools(QUESTION_TOOLS)
        for _ in range(MAX_TOOL_ROUNDS):
            answer = await bound.ainvoke(messages, config=config)
            if not isinstance(answer, AIMessage):
                return None
            messages.append(answer)
            if not answer.tool_calls:
                text = answer.text.strip()
                if text and grounded(text, "\n".join(facts)):
                    return text
                log.warning("model answer not grounded in the tool results: %r", text)
                return None
            for call in answer.tool_calls:
                result = await _call_tool(call, runtime, state, tools)
                facts.append(str(result.content))
                messages.append(result)
    except Exception as exc:
        _log_failure("model answer", exc)
        return None
    log.warning("model kept calling tools after %d rounds; answering offline", MAX_TOOL_ROUNDS)
    return None


# --- cart edits --------------------------------------------------------------------------------


def _cart_lines_text(cart: CartRead) -> str:
    if cart.empty:
        return "(the cart is empty)"
    rows = []
    for line in cart.lines:
        said = [
            f"{c.group}.{c.option}"
            + (f" ({c.qualifier})" if c.qualifier else "")
            + (" (left off)" if c.exclude else "")
            for c in line.choices
            if not c.default
        ]
        rows.append(f"[{line.id}] {line.quantity} x {line.item}: {', '.join(said) or 'as is'}")
    return "\n".join(rows)


def _choice_problem(menu: Menu, item_key: str, choices: list[Any]) -> str | None:
    item = menu.item(item_key)
    if item is None:
        return f"There is no item {item_key!r} on the menu."
    groups = {g.key: g for g in menu.groups_of(item)}
    for raw in choices:
        try:
            choice = ChoiceSpec.model_validate(raw)
        except ValidationError as exc:
            return f"Invalid choice {raw!r}: {exc.errors()[0]['msg']}"
        group = groups.get(choice.group)
        if group is None or group.option(choice.option) is None:
            return f"{item.label} has no option {choice.group}.{choice.option}."
    return None


def check_edit_call(call: ToolCall, menu: Menu, cart: CartRead) -> str | None:
    """Why a model's cart edit must not run (an unknown line, item or option, a quantity out
    of range), or None when the menu and the cart allow it."""
    args = call.get("args") or {}
    line_id = args.get("line_id")
    line = cart.line(str(line_id)) if line_id is not None else None
    if call["name"] != "add_to_cart" and line is None:
        return f"There is no cart line {line_id!r}; the lines are listed in the instructions."
    quantity = args.get("quantity")
    if quantity is not None and (not isinstance(quantity, int) or not 1 <= quantity <= 99):
        return "Quantities are whole numbers from 1 to 99."
    if call["name"] == "add_to_cart":
        for raw in args.get("items") or []:
            try:
                spec = LineSpec.model_validate(raw)
            except ValidationError as exc:
                return f"Invalid item {raw!r}: {exc.errors()[0]['msg']}"
            problem = _choice_problem(menu, spec.item, [c.model_dump() for c in spec.choices])
            if problem:
                return problem
        return None
    assert line is not None
    if call["name"] == "split_cart_line" and quantity is not None and quantity >= line.quantity:
        return f"Line {line.id} has {line.quantity}; split off fewer than that."
    item = args.get("item") or line.item
    return _choice_problem(menu, item, list(args.get("choices") or []))


async def edit_with_model(
    model: BaseChatModel, runtime: Runtime[Context], state: State, cart: CartRead
) -> str | None:
    """Let the model make a cart edit the offline reading could not map; its reply, or None
    when it changed nothing (or failed)."""
    menu = await runtime.context.menu.get_menu()
    items, groups = _menu_text(menu)
    tools = {t.name: t for t in EDIT_TOOLS}
    messages: list[BaseMessage] = [
        SystemMessage(
            EDIT.format(
                restaurant=menu.restaurant.name,
                lines=_cart_lines_text(cart),
                items=items,
                groups=groups,
            )
        ),
        *_history(state),
        HumanMessage(state.text),
    ]
    changed = False
    config: RunnableConfig = {"tags": TOOLS_TAGS, "run_name": "edit_with_model"}
    try:
        bound = model.bind_tools(EDIT_TOOLS)
        for _ in range(MAX_TOOL_ROUNDS):
            answer = await bound.ainvoke(messages, config=config)
            if not isinstance(answer, AIMessage):
                return None
            messages.append(answer)
            if not answer.tool_calls:
                text = answer.text.strip()
                return (text or None) if changed else None
            current = await runtime.context.cart.get(runtime.context.session_id)
            problems = [check_edit_call(call, menu, current) for call in answer.tool_calls]
            for call, problem in zip(answer.tool_calls, problems, strict=True):
                call_id = call.get("id") or "call_unknown"
                if any(problems):
                    # Nothing of a round runs unless all of it may: no half-made edit.
                    text = problem or "Not run: another call of this round was refused."
                    messages.append(ToolMessage(text, tool_call_id=call_id, status="error"))
                    continue
                result = await _call_tool(call, runtime, state, tools)
                changed = changed or not str(result.content).startswith("Not ")
                messages.append(result)
    except Exception as exc:
        _log_failure("model edit", exc)
        return None
    return None


# --- replies -----------------------------------------------------------------------------------


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def grounded(
    reply: str, facts: str, *, draft: str = "", allowed: frozenset[str] | None = None
) -> bool:
    """Whether a reply names only the facts' numbers and keeps the draft's money and question
    (`allowed`: the facts' numbers when already known)."""
    if not _numbers(reply) <= (_numbers(facts) if allowed is None else allowed):
        return False
    if not set(_MONEY.findall(draft)) <= set(_MONEY.findall(reply)):
        return False
    return not (draft.rstrip().endswith("?") and "?" not in reply)


class UngroundedReply(ValueError):
    """The model named a number the facts don't have."""


# A number (with its currency sign) that the next token may still extend: held back until done.
_OPEN_NUMBER = re.compile(r"(?:[$€£]?\d[\d.,]*|[$€£])$")


@runtime_checkable
class TextStreaming(Protocol):
    """A chat model that streams plain text without LangChain's runs (`PooledChatModel`)."""

    def astream_text(self, messages: list[BaseMessage]) -> AsyncIterator[str]:
        """The reply's text in pieces as they arrive."""
        ...


async def _chunk_text(model: BaseChatModel, messages: list[BaseMessage]) -> AsyncIterator[str]:
    config: RunnableConfig = {"tags": REPLY_TAGS, "run_name": "write_reply"}
    async for chunk in model.astream(messages, config=config):
        if chunk.text:
            yield chunk.text


def _model_text(model: BaseChatModel, messages: list[BaseMessage]) -> AsyncIterator[str]:
    if isinstance(model, TextStreaming):
        return model.astream_text(messages)
    return _chunk_text(model, messages)  # any other LangChain chat model


def _grounded_part(text: str, allowed: frozenset[str]) -> str:
    """The text before the first number the facts don't have (all of it when none)."""
    for number in _SIGNED_NUMBER.finditer(text):
        if number.group(1).replace(",", "") not in allowed:
            return text[: number.start()]
    return text


async def _whole_numbers(source: AsyncIterator[str]) -> AsyncIterator[str]:
    """The source's text in pieces that never end inside a number."""
    held = ""
    async for text in source:
        held += text
        open_number = _OPEN_NUMBER.search(held)
        cut = open_number.start() if open_number else len(held)
        ready, held = held[:cut], held[cut:]
        if ready:
            yield ready
    if held:
        yield held


async def guarded(source: AsyncIterator[str], allowed: frozenset[str]) -> AsyncIterator[str]:
    """A model's reply relayed piece by piece, each number held back until it is complete, and
    stopped (`UngroundedReply`) before the first number not in `allowed`: an invented price
    never streams. The caller closes `source`."""
    async for text in _whole_numbers(source):
        # A piece may hold several tokens (the source coalesces them under load): what comes
        # before an invented number is sent, as it would have been token by token.
        grounded_text = _grounded_part(text, allowed)
        if grounded_text:
            yield grounded_text
        if grounded_text != text:
            raise UngroundedReply(f"a number not in the facts: {text[len(grounded_text) :]!r}")


async def write_reply(
    model: BaseChatModel,
    state: State,
    draft: str,
    *,
    restaurant: str,
    write: Callable[[dict[str, Any]], None],
) -> AIMessage | None:
    """The model's wording of the nodes' reply, streamed to `write` as `text` events (the
    custom stream) while it is checked; None to send the draft as it is."""
    facts, fact_numbers = _facts(state.cards) if state.cards else ("(none)", set())
    messages: list[BaseMessage] = [
        SystemMessage(REPLY.format(restaurant=restaurant)),
        HumanMessage(REPLY_INPUT.format(text=state.text, draft=draft, facts=facts[:4000])),
    ]
    known = f"{draft}\n{facts}\n{state.text}"
    allowed = frozenset(_numbers(draft) | fact_numbers | _numbers(state.text))
    message_id = str(uuid4())
    parts: list[str] = []
    source = _model_text(model, messages)
    try:
        async for piece in guarded(source, allowed):
            parts.append(piece)
            write({"type": "text", "id": message_id, "delta": piece})
    except UngroundedReply as exc:
        log.warning("model reply stopped: %s", exc)
        return None
    except Exception as exc:
        _log_failure("model reply", exc)
        return None
    finally:
        if isinstance(source, AsyncGenerator):
            await source.aclose()  # a stopped reply frees its connection now
    text = "".join(parts).strip()
    if not text:
        return None
    if not grounded(text, known, draft=draft, allowed=allowed):
        log.warning("model reply refused (a fact of the draft is missing): %r", text)
        return None
    return AIMessage(content=text, id=message_id)


def card_facts(cards: list[Card]) -> str:
    """The cards as the JSON facts the reply model reads."""
    return _facts(cards)[0]


# A menu card's items, encoded and scanned for numbers once per item dict: `cards.item_data`
# shares one dict per (menu, item) and never changes it, and a whole menu's card is too large to
# encode and scan again for every reply the model words.
# An entry holds the dict itself, so its id cannot be reused while cached.
_ITEM_FACTS: OrderedDict[int, tuple[dict[str, Any], str, frozenset[str]]] = OrderedDict()
_ITEM_FACTS_MAX = 4096


def _item_facts(item: dict[str, Any]) -> tuple[str, frozenset[str]]:
    key = id(item)
    hit = _ITEM_FACTS.get(key)
    if hit is not None and hit[0] is item:
        return hit[1], hit[2]
    text = json.dumps(item, default=str)
    numbers = frozenset(_numbers(text))
    _ITEM_FACTS[key] = (item, text, numbers)
    if len(_ITEM_FACTS) > _ITEM_FACTS_MAX:
        _ITEM_FACTS.popitem(last=False)
    return text, numbers


def _facts(cards: list[Card]) -> tuple[str, set[str]]:
    """The cards' JSON (as `json.dumps` writes it) and the numbers in it."""
    texts: list[str] = []
    numbers: set[str] = set()
    for card in cards:
        data = card["data"]
        items = data.get("items")
        if card["name"] != "MENU_CARD" or not isinstance(items, list) or [*data][-1] != "items":
            text = json.dumps({"card": card["name"], **data}, default=str)
            numbers |= _numbers(text)
            texts.append(text)
            continue
        head = json.dumps(
            {"card": card["name"], **{k: v for k, v in data.items() if k != "items"}}, default=str
        )
        numbers |= _numbers(head)
        parts: list[str] = []
        for item in items:
            if isinstance(item, dict):
                text, found = _item_facts(item)
                numbers |= found
            else:
                text = json.dumps(item, default=str)
                numbers |= _numbers(text)
            parts.append(text)
        texts.append(f'{head[:-1]}, "items": [{", ".join(parts)}]}}')
    # A number never spans two parts: every separator is ", " or "\n".
    return f"[{', '.join(texts)}]", numbers


__all__ = [
    "CLASSIFIER_TAGS",
    "EDIT_TOOLS",
    "QUESTION_TOOLS",
    "REPLY_TAGS",
    "TOOLS_TAGS",
    "Classification",
    "ModelUnavailable",
    "TextStreaming",
    "UngroundedReply",
    "answer_with_tools",
    "card_facts",
    "check_edit_call",
    "classify_with_model",
    "edit_with_model",
    "grounded",
    "guarded",
    "is_unsure",
    "reading_from",
    "write_reply",
]
