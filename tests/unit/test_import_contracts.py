"""Imports point one way: the contracts in `.importlinter` hold, and no file under src/restaurant
imports itself back through others."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from graph.intents import OrderType
from restaurant.db.models.orders import OrderType as TableOrderType

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
LINT = "import sys, importlinter.cli as c; sys.exit(c.lint_imports(no_cache=True))"


def test_import_contracts_hold() -> None:
    # A process of its own: import-linter configures logging and sys.path as a command does.
    done = subprocess.run(
        [sys.executable, "-c", LINT], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "restaurant").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imported(module: str, path: Path) -> Iterator[str]:
    """Every module name an import statement of the file names, wherever it stands (functions
    and `if TYPE_CHECKING:` blocks included)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            if component:
                cycles.append(sorted([node, *component]))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return cycles


def test_restaurant_files_import_no_cycle() -> None:
    # import-linter's acyclic_siblings compares siblings, so a package's __init__ importing one
    # of its own modules that imports the package back would pass it: this looks at files.
    modules = _modules()
    edges = {
        module: {name for name in _imported(module, path) if name in modules and name != module}
        for module, path in modules.items()
    }
    assert _cycles(edges) == []


def test_db_order_type_matches_the_agent() -> None:
    # The tables keep their own copy of the values, so that they import nothing of the agent.
    assert [t.value for t in TableOrderType] == [t.value for t in OrderType]
