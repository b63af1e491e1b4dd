"""A chat harness: the compiled graph, in-memory services and real Redis checkpoints.

`Chat.say(text)` runs one turn the way the service does (custom + updates streams, durability
"exit") and returns what it emitted: the reply, the cards, the tool calls and the state after.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver

from graph.builder import build_graph
from graph.checkpoint import redis_checkpointer
from graph.context import Context
from graph.memory import MemoryCart, MemoryIdentity, MemoryMenu, MemoryOrders
from graph.menu import Menu, load_menu
from graph.nlu import Lexicon
from graph.state import TurnInput
from restaurant.dev.embedded import EmbeddedServers

REPO = Path(__file__).resolve().parents[2]
DEMO_MENU = REPO / "seeds" / "demo.json"
SHARED_MENUS = REPO / "tests" / "data" / "menus"


class Clock:
    """A settable clock so resend waits and ready times are deterministic."""

    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Turn:
    """What one turn emitted."""

    text: str
    reply: str
    message: AIMessage
    cards: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    state: dict[str, Any]

    @property
    def tool_names(self) -> list[str]:
        return [t["name"] for t in self.tools]

    @property
    def card_names(self) -> list[str]:
        return [c["name"] for c in self.cards]

    def card(self, name: str) -> dict[str, Any]:
        """The data of the (last) card with this name; fails if there is none."""
        found: list[dict[str, Any]] = [c["data"] for c in self.cards if c["name"] == name]
        assert found, f"no {name} card in {self.card_names}; reply: {self.reply!r}"
        return found[-1]

    def tool(self, name: str) -> dict[str, Any]:
        """The (last) call of this tool; fails if there is none."""
        found = [t for t in self.tools if t["name"] == name]
        assert found, f"no {name} call in {self.tool_names}; reply: {self.reply!r}"
        return found[-1]


@dataclass
class Chat:
    """One customer's chat session against the compiled graph."""

    menu: Menu
    saver: BaseCheckpointSaver[str]
    clock: Clock = field(default_factory=Clock)
    user_id: UUID | None = None
    chat_model: BaseChatModel | None = None
    confidence_threshold: float = 0.6
    session_id: str = field(default_factory=lambda: f"s-{uuid.uuid4().hex[:12]}")
    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.catalog = MemoryMenu(self.menu)
        self.cart = MemoryCart(self.menu)
        self.orders = MemoryOrders(self.cart, clock=self.clock)
        self.identity = MemoryIdentity(fixed_code="246810", clock=self.clock)
        self.lexicon = Lexicon.from_menu(self.menu)
        self.graph = build_graph(checkpointer=self.saver)

    @property
    def config(self) -> RunnableConfig:
        return {"configurable": {"thread_id": self.session_id}}

    def context(self) -> Context:
        """A fresh Context per turn, as the service builds one per request."""
        return Context(
            session_id=self.session_id,
            user_id=self.user_id,
            menu=self.catalog,
            cart=self.cart,
            orders=self.orders,
            identity=self.identity,
            chat_model=self.chat_model,
            lexicon=self.lexicon,
            confidence_threshold=self.confidence_threshold,
            clock=self.clock,
        )

    def restart(self, saver: BaseCheckpointSaver[str]) -> None:
        """A process restart: a new saver and a newly compiled graph, same thread and services."""
        self.saver = saver
        self.graph = build_graph(checkpointer=saver)

    async def say(self, text: str) -> Turn:
        """Run one turn and collect what it emitted."""
        cards: list[dict[str, Any]] = []
        tools: list[dict[str, Any]] = []
        replies: list[dict[str, Any]] = []
        async for mode, event in self.graph.astream(
            TurnInput(text=text),
            self.config,
            context=self.context(),
            stream_mode=["custom", "updates"],
            durability="exit",
        ):
            if mode != "custom" or not isinstance(event, dict):
                continue
            kind = event.get("type")
            if kind == "card":
                cards.append(event)
            elif kind == "tool":
                tools.append(event)
            elif kind == "reply":
                replies.append(event)
        snapshot = await self.graph.aget_state(self.config)
        state = dict(snapshot.values)
        message = state["messages"][-1]
        assert isinstance(message, AIMessage)
        assert len(replies) == 1
        assert replies[0]["text"] == message.content
        # What was streamed is what the stored reply carries.
        assert message.additional_kwargs["cards"] == cards
        turn = Turn(text, str(message.content), message, cards, tools, state)
        self.turns.append(turn)
        return turn

    async def cart_lines(self) -> list[Any]:
        return list((await self.cart.get(self.session_id)).lines)

    async def sign_in(self) -> Turn:
        """Ask to check out and get through the sign-in; returns the turn after the code."""
        await self.say("checkout")
        await self.say("my number is 555 010 2030")
        return await self.say("246810")


@pytest.fixture(scope="session")
def demo_menu() -> Menu:
    """The demo menu (defaults, tags, allergens, an unavailable item)."""
    return load_menu(DEMO_MENU)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis of the graph tests' own: they need no PostgreSQL or MongoDB, and a private
    temporary directory keeps concurrent pytest runs from cleaning up each other's servers."""
    with tempfile.TemporaryDirectory(prefix="graph-redis-") as directory:
        servers = EmbeddedServers(Path(directory))
        servers.start(postgres=False, redis=True, mongo=False)
        try:
            assert servers.redis_url
            yield servers.redis_url
        finally:
            servers.stop()


@pytest.fixture
async def saver(redis_url: str) -> AsyncIterator[BaseCheckpointSaver[str]]:
    """A Redis checkpointer on the session's embedded Redis."""
    async with redis_checkpointer(redis_url) as redis_saver:
        yield redis_saver


ChatFactory = Callable[..., Chat]


@pytest.fixture
def new_chat(saver: BaseCheckpointSaver[str], demo_menu: Menu) -> ChatFactory:
    """Make a chat; by default on the demo menu."""

    def make(menu: Menu | str | None = None, **options: Any) -> Chat:
        if isinstance(menu, str):
            menu = load_menu(SHARED_MENUS / f"{menu}.json")
        return Chat(menu=menu or demo_menu, saver=saver, **options)

    return make


@pytest.fixture
def chat(new_chat: ChatFactory) -> Chat:
    """A chat on the demo menu, not signed in."""
    return new_chat()


__all__ = ["Awaitable", "Chat", "ChatFactory", "Clock", "Turn"]
