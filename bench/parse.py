"""Benchmark the offline understanding: exact-match accuracy per menu and sentences per second.

    uv run python bench/parse.py                          # the dev orders of every menu
    uv run python bench/parse.py --menu sub               # one menu
    uv run python bench/parse.py tests/unit/data/orders_human.jsonl   # any file with expected items

Speed is sentences per CPU second of this single-threaded process (wall-clock speed is reported
beside it, and drops when other work shares the machine).

A line is right when its order lines match the expected ones as an unordered multiset of
(item, quantity, set of choices). A line of a given file names its menu in a "menu" field, or the
file is named after the menu, or `--menu` says which. Speed is measured on one core, reading each
sentence once more after scoring (lexicon built beforehand), and every run stops after
`--seconds` per file so the benchmark stays bounded. Results go to bench/results/parse.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.menu import load_menu
from graph.nlu import Lexicon, read

MENUS = ("pizzeria", "burger", "burrito", "coffee", "sub")
ROOT = Path(__file__).resolve().parent.parent

Line = tuple[str, int, frozenset[tuple[str, str, str | None, bool]]]


def _canon(items: list[dict[str, Any]]) -> Counter[Line]:
    """Order lines as an unordered multiset; within a line, choices as a set."""
    out: Counter[Line] = Counter()
    for it in items:
        choices = frozenset(
            (c["group"], c["option"], c.get("qualifier"), bool(c.get("exclude")))
            for c in it.get("choices", [])
        )
        out[(it["item"], int(it.get("quantity", 1)), choices)] += 1
    return out


@dataclass
class Score:
    """Accuracy and speed of one file against one menu."""

    source: str
    menu: str
    sentences: int = 0
    exact: int = 0
    intent_checked: int = 0
    intent_right: int = 0
    sentences_per_second: float = 0.0  # per CPU second of one core
    wall_sentences_per_second: float = 0.0
    truncated: bool = False
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Share of sentences whose items match exactly."""
        return self.exact / self.sentences if self.sentences else 0.0


def _progress(label: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  {label}: {done}/{total}", end="", file=sys.stderr, flush=True)
    elif done == total or done % 500 == 0:
        print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)


def score_rows(
    lexicon: Lexicon, rows: list[dict[str, Any]], source: str, menu: str, seconds: float
) -> Score:
    """Score rows against one lexicon, then time reading them again."""
    score = Score(source=source, menu=menu)
    deadline = time.perf_counter() + seconds
    for n, row in enumerate(rows, 1):
        reading = read(lexicon, row["text"]).to_json()
        score.sentences += 1
        expected = row.get("items", [])
        if _canon(reading["items"]) == _canon(expected):
            score.exact += 1
        elif len(score.misses) < 20:
            score.misses.append(
                {"text": row["text"], "expected": expected, "got": reading["items"]}
            )
        if "intent" in row:
            score.intent_checked += 1
            score.intent_right += reading["intent"] == row["intent"]
        if n % 100 == 0 or n == len(rows):
            _progress(f"{menu} {source}", n, len(rows))
        if time.perf_counter() > deadline:
            score.truncated = True
            break
    texts = [row["text"] for row in rows[: score.sentences]]
    started = time.perf_counter()
    cpu_started = time.process_time()
    timed = 0
    for text in texts:
        read(lexicon, text)
        timed += 1
        if time.perf_counter() - started > seconds:
            break
    elapsed = time.perf_counter() - started
    # CPU time of this single-threaded process: the speed of one core, whatever else the
    # machine is running; wall time is kept beside it.
    cpu = time.process_time() - cpu_started
    score.sentences_per_second = round(timed / cpu, 1) if cpu else 0.0
    score.wall_sentences_per_second = round(timed / elapsed, 1) if elapsed else 0.0
    return score


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write bench/results/parse.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="extra jsonl files with expected items")
    parser.add_argument("--menu", choices=MENUS, help="only this menu")
    parser.add_argument("--menus-dir", type=Path, default=ROOT / "tests/data/menus")
    parser.add_argument("--dev-dir", type=Path, default=ROOT / "tests/data/orders-dev")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per file and pass")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/parse.json")
    args = parser.parse_args(argv)

    menus = [args.menu] if args.menu else list(MENUS)
    lexicons: dict[str, Lexicon] = {}
    build_ms: dict[str, float] = {}
    for name in menus:
        started = time.perf_counter()
        lexicons[name] = Lexicon.from_menu(load_menu(args.menus_dir / f"{name}.json"))
        build_ms[name] = round((time.perf_counter() - started) * 1000, 1)

    jobs: list[tuple[str, str, list[dict[str, Any]]]] = []
    for name in menus:
        dev = args.dev_dir / f"{name}.jsonl"
        if dev.exists():
            jobs.append((f"dev:{dev.name}", name, _rows(dev)))
    for path in args.files:
        by_menu: dict[str, list[dict[str, Any]]] = {}
        for row in _rows(path):
            menu = row.get("menu") or (path.stem if path.stem in MENUS else args.menu)
            if menu is None:
                parser.error(f"{path}: rows name no menu; pass --menu")
            if menu in lexicons:
                by_menu.setdefault(menu, []).append(row)
        jobs.extend((str(path), menu, rows) for menu, rows in by_menu.items())

    scores: list[Score] = []
    for source, menu, rows in jobs:
        scores.append(score_rows(lexicons[menu], rows, source, menu, args.seconds))
    if sys.stderr.isatty():
        print(file=sys.stderr)

    print(
        f"{'menu':<10} {'source':<44} {'n':>5} {'exact':>7} {'intent':>7} {'sent/s':>8} "
        f"{'(wall)':>8}"
    )
    for s in scores:
        intent = f"{s.intent_right / s.intent_checked:.1%}" if s.intent_checked else "-"
        flag = " (time limit)" if s.truncated else ""
        print(
            f"{s.menu:<10} {s.source[-44:]:<44} {s.sentences:>5} {s.accuracy:>7.1%} "
            f"{intent:>7} {s.sentences_per_second:>8.0f} {s.wall_sentences_per_second:>8.0f}{flag}"
        )
    total = sum(s.sentences for s in scores)
    speed = (
        round(total / sum(s.sentences / s.sentences_per_second for s in scores if s.sentences), 1)
        if total
        else 0.0
    )
    print(f"overall {speed:.0f} sentences per CPU second on one core")

    result = {
        "benchmark": "parse",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "lexicon_build_ms": build_ms,
        "sentences_per_second": speed,
        "results": [
            {k: v for k, v in asdict(s).items() if k != "misses"}
            | {"accuracy": round(s.accuracy, 4), "first_misses": s.misses[:5]}
            for s in scores
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
