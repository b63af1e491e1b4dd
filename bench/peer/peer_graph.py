"""Our graph for LangGraph's own server (`langgraph dev`), on the in-memory services.

The server builds a run's context from the request's `context` dict; our `Context` needs service
objects a request can't carry, so `PeerContext` gives every field but the session id a default:
one set of `graph.memory` services for the process (as one database would be), no stores, no
model. Like our own bench servers (`bench.harness.demo_menu_always_open`), it serves the demo
restaurant open around the clock, so the run does not depend on the hour. The compiled graph is
exactly `graph.builder.build_graph()`; the server adds its own in-memory checkpointer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from graph.builder import build_graph
from graph.context import CartStore, Context, Identity, MenuCatalog, OrderDesk
from graph.memory import MemoryCart, MemoryIdentity, MemoryMenu, MemoryOrders
from graph.menu import load_menu
from graph.nlu import Lexicon
from graph.venue import always_open

DEMO_MENU = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"
CODE = "246810"  # MemoryIdentity's fixed one-time code: the bench says it back


@dataclass(frozen=True)
class _Services:
    menu: MemoryMenu
    cart: MemoryCart
    orders: MemoryOrders
    identity: MemoryIdentity
    lexicon: Lexicon


@cache
def services() -> _Services:
    """The process's one set of in-memory services (built on first use, not at import)."""
    menu = always_open(load_menu(DEMO_MENU))
    cart = MemoryCart(menu)
    return _Services(
        menu=MemoryMenu(menu),
        cart=cart,
        orders=MemoryOrders(cart),
        identity=MemoryIdentity(fixed_code=CODE),
        lexicon=Lexicon.from_menu(menu),
    )


@dataclass(kw_only=True)
class PeerContext(Context):
    """`Context` with defaults, so `PeerContext(session_id=thread_id)` is a whole one."""

    session_id: str = "peer"
    user_id: UUID | None = None
    menu: MenuCatalog = field(default_factory=lambda: services().menu)
    cart: CartStore = field(default_factory=lambda: services().cart)
    orders: OrderDesk = field(default_factory=lambda: services().orders)
    identity: Identity = field(default_factory=lambda: services().identity)
    lexicon: Lexicon | None = field(default_factory=lambda: services().lexicon)


def make_graph() -> Any:
    """The restaurant graph, its context built from the request's `context` dict."""
    graph = build_graph()
    graph.context_schema = PeerContext
    return graph
