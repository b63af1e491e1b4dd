"""Pictures of the graph: mermaid text, and SVG or PNG drawn by Graphviz `dot`, offline.

`draw_mermaid_png()` would call a web service, so images go through the local `dot` binary
(Debian package `graphviz`) from a DOT text built from the same drawable graph.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Literal

from langchain_core.runnables.graph import Graph

from graph.builder import build_graph

Format = Literal["mermaid", "svg", "png"]


class PictureError(RuntimeError):
    """The picture cannot be drawn (Graphviz missing or failing)."""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(drawable: Graph) -> str:
    """DOT text for a drawable graph: dashed edges are conditional, as in the mermaid picture."""
    lines = [
        "digraph restaurant {",
        '  graph [rankdir=TB, fontname="Helvetica", bgcolor="white"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f2f0ff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node_id, node in drawable.nodes.items():
        if node_id in ("__start__", "__end__"):
            label = "start" if node_id == "__start__" else "end"
            lines.append(
                f'  {_quote(node_id)} [label={_quote(label)}, shape=oval, fillcolor="#bfb6fc"];'
            )
        else:
            lines.append(f"  {_quote(node_id)} [label={_quote(node.name)}];")
    for edge in drawable.edges:
        attrs = ["style=dashed"] if edge.conditional else []
        if edge.data:
            attrs.append(f"label={_quote(str(edge.data))}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_quote(edge.source)} -> {_quote(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(fmt: Format) -> bytes:
    """The graph as mermaid text, SVG or PNG."""
    drawable = build_graph().get_graph()
    if fmt == "mermaid":
        return drawable.draw_mermaid().encode()
    dot = shutil.which("dot")
    if dot is None:
        raise PictureError("Graphviz 'dot' is not installed (apt-get install -y graphviz).")
    try:
        done = subprocess.run(
            [dot, f"-T{fmt}"],
            input=to_dot(drawable).encode(),
            capture_output=True,
            check=True,
            timeout=60,
        )
    except subprocess.CalledProcessError as exc:
        raise PictureError(f"dot failed: {exc.stderr.decode(errors='replace')}") from exc
    return done.stdout


__all__ = ["PictureError", "render", "to_dot"]
