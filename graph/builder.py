"""The restaurant graph: understand the message, run one flow, reply once.

```
START -> understand -> one flow, by intent (graph.routes.ROUTES)
add_items, edit_cart, clear_cart -> understand | check_out | respond
    (the message's next request; a checkout in progress is updated)
sign_in   -> check_out | track_order | cancel_order | respond   (the request it interrupted)
others    -> respond -> END
```
"""

from __future__ import annotations

from typing import Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graph.context import Context
from graph.nodes import (
    add_items,
    answer_question,
    answer_restaurant,
    cancel_order,
    chat,
    check_out,
    clarify,
    clear_cart,
    edit_cart,
    respond,
    show_cart,
    show_menu,
    sign_in,
    track_order,
    understand,
)
from graph.routes import route_after_answer, route_after_cart, route_after_sign_in
from graph.state import State, TurnInput

# Every turn ends here, and it never changes the cart (the runner reads it for the snapshot then).
FINAL_NODE = "respond"
_CART_NODES = ("add_items", "edit_cart", "clear_cart")
# Questions a message may ask before or after another request of its own.
_QUESTION_NODES = ("show_menu", "answer_question", "answer_restaurant", "show_cart")
_ANSWER_NODES = (
    "check_out",
    "track_order",
    "cancel_order",
    "chat",
    "clarify",
)


# LangGraph runs a plain function on a conditional edge in a thread pool (`run_in_executor`): a
# thread hop inside every cart and sign-in step. A coroutine runs inline, in the turn's task.
async def _after_cart(state: State) -> Literal["understand", "check_out", "respond"]:
    return route_after_cart(state)


async def _after_answer(state: State) -> Literal["understand", "respond"]:
    return route_after_answer(state)


async def _after_sign_in(
    state: State,
) -> Literal["check_out", "track_order", "cancel_order", "respond"]:
    return route_after_sign_in(state)


def build_graph(
    *, checkpointer: BaseCheckpointSaver[str] | None = None
) -> CompiledStateGraph[State, Context, TurnInput, State]:
    """Compile the restaurant graph (named "restaurant")."""
    builder = StateGraph(State, context_schema=Context, input_schema=TurnInput)
    for node in (
        understand,
        sign_in,
        show_menu,
        answer_question,
        answer_restaurant,
        add_items,
        edit_cart,
        show_cart,
        clear_cart,
        check_out,
        track_order,
        cancel_order,
        chat,
        clarify,
        respond,
    ):
        builder.add_node(node)
    builder.add_edge(START, "understand")
    for name in _CART_NODES:
        builder.add_conditional_edges(name, _after_cart, ["understand", "check_out", "respond"])
    for name in _QUESTION_NODES:
        builder.add_conditional_edges(name, _after_answer, ["understand", "respond"])
    builder.add_conditional_edges(
        "sign_in", _after_sign_in, ["check_out", "track_order", "cancel_order", "respond"]
    )
    for name in _ANSWER_NODES:
        builder.add_edge(name, FINAL_NODE)
    builder.add_edge(FINAL_NODE, END)
    return builder.compile(checkpointer=checkpointer, name="restaurant")


__all__ = ["FINAL_NODE", "build_graph"]
