"""The graph package stands alone: no service imports, and it draws itself offline."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from graph.picture import render
from graph.routes import NODES


def test_graph_imports_no_service_code() -> None:
    code = (
        "import sys, graph.builder, graph.memory, graph.picture, graph.tools\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('litestar', 'sqlalchemy', 'sqlmodel', 'restaurant')]\n"
        "print(','.join(sorted(bad)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_graph_picture_mermaid_names_every_node() -> None:
    text = render("mermaid").decode()
    for node in ("understand", "respond", *NODES):
        assert node in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graph_picture_svg_and_png_come_from_dot() -> None:
    assert b"<svg" in render("svg")
    assert render("png").startswith(b"\x89PNG")
