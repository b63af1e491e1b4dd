"""The graph's picture for the frontend's graph page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency

from restaurant.lifespan import Resources


class GraphController(Controller):
    """`/api/v1/graph`: the agent's nodes and edges, drawn as mermaid."""

    path = "/api/v1/graph"
    tags = ["graph"]

    @get("/", summary="The agent graph as mermaid text and its node names")
    async def get_graph(self, resources: NamedDependency[Resources]) -> dict[str, Any]:
        """`{"mermaid": "...", "nodes": [...], "edges": [...]}` of the compiled graph."""
        drawable = resources.graph.get_graph()
        nodes = [n for n in drawable.nodes if n not in ("__start__", "__end__")]
        edges = [
            {"source": e.source, "target": e.target, "conditional": e.conditional}
            for e in drawable.edges
        ]
        return {"mermaid": drawable.draw_mermaid(), "nodes": nodes, "edges": edges}


__all__ = ["GraphController"]
