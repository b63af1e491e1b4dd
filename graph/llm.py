"""The chat-model hook of the offline path: when the offline reading is unsure, a configured
model classifies the message with structured output. Kept small on purpose; the full model path
(tool calling, an endpoint pool) builds on `graph.tools.TOOLS`.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from graph.intents import Intent, OrderType
from graph.menu import Menu
from graph.models import ChoiceSpec
from graph.nlu.reading import Choice, OrderLine, Reading
from graph.prompts import CLASSIFY
from graph.state import State

log = logging.getLogger(__name__)


def _last_question(state: State) -> str:
    for message in reversed(state.messages):
        if isinstance(message, AIMessage):
            return str(message.content)
    return "(none)"


class _LineOut(BaseModel):
    item: str
    quantity: int = 1
    choices: list[ChoiceSpec] = Field(default_factory=list)


class _Classification(BaseModel):
    """What the customer's message means."""

    intent: Intent
    items: list[_LineOut] = Field(default_factory=list)
    refers_to_last: bool = False
    quantity: int | None = None
    phone: str | None = None
    code: str | None = None
    order_type: OrderType | None = None
    address: str | None = None
    order_number: str | None = None
    query: str | None = None


async def classify_with_model(
    model: BaseChatModel, menu: Menu, state: State, reading: Reading
) -> Reading:
    """Ask the chat model what an unclear message means; keep the offline reading on failure."""
    prompt = CLASSIFY.format(
        intents=", ".join(i.value for i in Intent),
        items=", ".join(i.key for i in menu.items()),
        last_question=_last_question(state),
    )
    try:
        structured = model.with_structured_output(_Classification)
        result = await structured.ainvoke([SystemMessage(prompt), HumanMessage(reading.text)])
    except Exception:  # a flaky model must not break a turn the offline reading can answer
        log.warning("model classification failed; using the offline reading", exc_info=True)
        return reading
    if not isinstance(result, _Classification):
        return reading
    lines = tuple(
        OrderLine(
            item=line.item,
            quantity=line.quantity,
            quantity_said=True,
            choices=tuple(Choice(c.group, c.option, c.qualifier, c.exclude) for c in line.choices),
        )
        for line in result.items
        if menu.item(line.item) is not None
    )
    return replace(
        reading,
        intent=result.intent,
        items=lines or reading.items,
        confidence=1.0,
        refers_to_last=result.refers_to_last,
        quantity=result.quantity,
        phone=result.phone or reading.phone,
        code=result.code or reading.code,
        order_type=result.order_type or reading.order_type,
        address=result.address or reading.address,
        order_number=result.order_number or reading.order_number,
        query=result.query or reading.query,
    )


__all__ = ["classify_with_model"]
