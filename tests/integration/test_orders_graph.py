"""The compiled graph on the real services: a whole order, sign-in included, lands in PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langgraph.checkpoint.base import BaseCheckpointSaver

from graph.builder import build_graph
from graph.checkpoint import redis_checkpointer
from graph.state import TurnInput
from restaurant.auth.sessions import AuthSession
from restaurant.chat.context import build_context
from restaurant.lifespan import Resources, open_resources
from restaurant.settings import Settings
from tests.integration.auth_support import last_code, new_phone


@pytest.fixture(scope="module")
async def resources(app_settings: Settings) -> AsyncIterator[Resources]:
    async with open_resources(app_settings) as resources:
        yield resources


@pytest.fixture
async def saver(redis_url: str) -> AsyncIterator[BaseCheckpointSaver[str]]:
    async with redis_checkpointer(redis_url) as redis_saver:
        yield redis_saver


class Talk:
    """One customer's chat on the real services, a Context built per turn like the service."""

    def __init__(
        self, resources: Resources, saver: BaseCheckpointSaver[str], session_id: str, token: str
    ) -> None:
        self.resources = resources
        self.graph = build_graph(checkpointer=saver)
        self.session_id = session_id
        self.token = token

    async def auth(self) -> AuthSession:
        auth = await self.resources.services.sessions.resolve(self.token)
        assert auth is not None
        return auth

    def _take_token(self, token: str, expires_in: int) -> None:
        self.token = token  # a sign-in in the chat hands the session a new token

    async def say(self, text: str) -> tuple[str, list[dict[str, Any]]]:
        cards: list[dict[str, Any]] = []
        config: Any = {"configurable": {"thread_id": self.session_id}}
        context = await build_context(
            self.resources, await self.auth(), self.session_id, on_token=self._take_token
        )
        async for mode, event in self.graph.astream(
            TurnInput(text=text), config, context=context, stream_mode=["custom", "updates"]
        ):
            if mode == "custom" and isinstance(event, dict) and event.get("type") == "card":
                cards.append(event)
        message = (await self.graph.aget_state(config)).values["messages"][-1]
        assert isinstance(message, AIMessage)
        return str(message.content), cards


async def test_orders_graph_a_whole_order_on_the_real_services(
    resources: Resources, saver: BaseCheckpointSaver[str]
) -> None:
    created = await resources.services.sessions.create()
    talk = Talk(resources, saver, created.session_id, created.token)
    await talk.say("a margherita pizza and a coke")
    cart = await resources.services.carts.get(created.session_id)
    assert [line.item for line in cart.lines] == ["margherita_pizza", "coke"]

    reply, cards = await talk.say("checkout")
    assert any(c["name"] == "AUTH_REQUIRED" for c in cards)
    phone = new_phone()
    reply, cards = await talk.say(f"my number is {phone[2:]}")
    code_card = next(c for c in cards if c["name"] == "AUTH_REQUIRED")["data"]
    assert code_card["step"] == "code" and code_card["phone"].endswith(phone[-4:])
    reply, _ = await talk.say(last_code(resources.settings.outbox_path, phone))
    assert "pickup" in reply.lower()
    user_id = (await talk.auth()).user_id
    assert user_id is not None  # the chat's sign-in signed the session in

    reply, _ = await talk.say("pickup please")
    assert "$18.36" in reply  # 14.00 + 3.00 + 8% tax: the same totals as the in-memory desk
    reply, cards = await talk.say("yes")
    order = next(c for c in cards if c["name"] == "ORDER_DATA")["data"]
    assert order["status"] == "placed" and order["total"] == "18.36"
    assert f"#{order['number']}" in reply
    stored = await resources.services.orders.get(user_id, order["number"])
    assert stored is not None and str(stored.total) == "18.36"
    assert (await resources.services.carts.get(created.session_id)).empty

    reply, _ = await talk.say(f"where is my order {order['number']}")
    assert order["number"] in reply
    reply, _ = await talk.say(f"cancel order {order['number']}")
    assert "?" in reply  # cancelling asks first
    still = await resources.services.orders.get(user_id, order["number"])
    assert still is not None and still.status.value == "placed"
    reply, _ = await talk.say("yes")
    cancelled = await resources.services.orders.get(user_id, order["number"])
    assert cancelled is not None and cancelled.status.value == "cancelled"
