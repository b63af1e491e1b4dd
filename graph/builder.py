"""The restaurant graph: understand the message, run one flow, reply once.

```
START -> classify_intent -> auth_gate | menu | cart | checkout | help | fallback
cart      -> checkout | auth_gate | respond   (back to the step that was in progress)
auth_gate -> checkout | respond               (resume the flow the sign-in interrupted)
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
    auth_gate,
    cart,
    checkout,
    classify_intent,
    fallback,
    help,
    menu,
    respond,
)
from graph.routes import route_after_auth_gate, route_after_cart
from graph.state import State, TurnInput

# Every turn ends here, and it never changes the cart (the runner reads it for the snapshot then).
FINAL_NODE = "respond"


# LangGraph runs a plain function on a conditional edge in a thread pool (`run_in_executor`): a
# thread hop inside every cart and sign-in step, which waits for the GIL whenever the event loop
# is busy with other turns. A coroutine runs inline, in the turn's own task.
async def _after_cart(state: State) -> Literal["checkout", "auth_gate", "respond"]:
    return route_after_cart(state)


async def _after_auth_gate(state: State) -> Literal["checkout", "respond"]:
    return route_after_auth_gate(state)


def build_graph(
    *, checkpointer: BaseCheckpointSaver[str] | None = None
) -> CompiledStateGraph[State, Context, TurnInput, State]:
    """Compile the restaurant graph (named "restaurant")."""
    builder = StateGraph(State, context_schema=Context, input_schema=TurnInput)
    builder.add_node(classify_intent)
    builder.add_node(auth_gate)
    builder.add_node(menu)
    builder.add_node(cart)
    builder.add_node(checkout)
    builder.add_node(help)
    builder.add_node(fallback)
    builder.add_node(respond)
    builder.add_edge(START, "classify_intent")
    builder.add_conditional_edges("cart", _after_cart, ["checkout", "auth_gate", "respond"])
    builder.add_conditional_edges("auth_gate", _after_auth_gate, ["checkout", "respond"])
    for node in ("menu", "checkout", "help", "fallback"):
        builder.add_edge(node, FINAL_NODE)
    builder.add_edge(FINAL_NODE, END)
    return builder.compile(checkpointer=checkpointer, name="restaurant")


__all__ = ["FINAL_NODE", "build_graph"]
