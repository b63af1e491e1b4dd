"""Instructions the offline reading spends on a sentence, counted by valgrind's callgrind.

    uv run python bench/instructions.py                          # this checkout, 400 sentences
    uv run python bench/instructions.py --root ../other-checkout # another checkout, to compare
    uv run python bench/instructions.py --sentences 2000

Sentences per CPU second drift with the machine (`bench/README.md`: the same code read 4,263 one
day and 1,469 the next); an instruction count does not, as callgrind counts what the process
executes whatever else runs beside it. So two checkouts compare on any day, even while other work
runs. Two runs under callgrind each build every menu's lexicon; one then reads none of the
hand-written orders (`tests/unit/data/orders_human*.jsonl`) and the other the first N: the
difference over N is the instructions a sentence costs. The hash seed is fixed so that both runs
take the same paths. Needs valgrind (Debian: `apt-get install valgrind`). Results go to
`bench/results/instructions.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MENUS = ("pizzeria", "burger", "burrito", "coffee", "sub")
_TOTAL = re.compile(r"^(?:summary|totals): (\d+)", re.M)


def read_orders(root: Path, count: int) -> int:
    """Build every menu's lexicon, then read the first `count` hand-written orders (the run
    under valgrind)."""
    from graph.menu import load_menu
    from graph.nlu import Lexicon, read

    menus = root / "tests" / "data" / "menus"
    lexicons = {m: Lexicon.from_menu(load_menu(menus / f"{m}.json")) for m in MENUS}
    rows = []
    for path in sorted((root / "tests" / "unit" / "data").glob("orders_human*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    orders = [row for row in rows if row.get("menu") in lexicons][:count]
    for row in orders:
        read(lexicons[row["menu"]], row["text"])
    return len(orders)


def instructions(root: Path, count: int) -> int:
    """The instructions of a run that reads `count` orders, from callgrind's totals."""
    with tempfile.TemporaryDirectory(prefix="callgrind-") as directory:
        out = Path(directory) / "callgrind.out"
        path = f"{root}{os.pathsep}{root / 'src'}"
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": path}
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable]
        command += [str(Path(__file__).resolve()), "--root", str(root), "--read", str(count)]
        subprocess.run(command, env=env, check=True, capture_output=True, cwd=root)
        found = _TOTAL.search(out.read_text(encoding="utf-8", errors="replace"))
        if found is None:
            raise SystemExit(f"no totals in callgrind's output for {root}")
        return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--sentences", type=int, default=400, help="how many orders to read")
    parser.add_argument("--read", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.read is not None:  # the run under valgrind
        sys.path[:0] = [str(root), str(root / "src")]
        read_orders(root, args.read)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    if args.sentences < 1:
        raise SystemExit("--sentences must be 1 or more")
    # Once without valgrind first, so that Python's byte-code caches are written: otherwise the
    # first counted run (the base) alone compiles the checkout's modules, and the difference
    # over N would leave out what the compiling cost, more for a checkout with more code.
    path = f"{root}{os.pathsep}{root / 'src'}"
    warm = [sys.executable, str(Path(__file__).resolve()), "--root", str(root), "--read", "1"]
    subprocess.run(warm, env={**os.environ, "PYTHONPATH": path}, check=True, cwd=root)
    base = instructions(root, 0)
    total = instructions(root, args.sentences)
    per_sentence = (total - base) / args.sentences
    print(f"{root}: {per_sentence:,.0f} instructions a sentence ({args.sentences} sentences)")
    result = {
        "benchmark": "instructions",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "root": root.name,
        "sentences": args.sentences,
        "instructions_base": base,
        "instructions_total": total,
        "instructions_per_sentence": round(per_sentence),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "instructions.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
