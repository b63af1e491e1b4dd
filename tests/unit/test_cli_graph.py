"""`restaurant graph` writes the picture in every format, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from restaurant.cli import main

NODES = ("understand", "sign_in", "show_menu", "edit_cart", "check_out", "respond")


@pytest.mark.parametrize(
    ("fmt", "magic"), [("mermaid", b"graph TD"), ("svg", b"<svg"), ("png", b"\x89PNG")]
)
def test_cli_graph_writes_each_format(tmp_path: Path, fmt: str, magic: bytes) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(main, ["graph", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert magic in data[:4096]
    if fmt != "png":
        text = data.decode()
        assert all(node in text for node in NODES)


def test_cli_graph_refuses_an_unknown_format() -> None:
    result = CliRunner().invoke(main, ["graph", "--format", "gif"])
    assert result.exit_code == 2
    assert "'gif' is not one of" in result.output
