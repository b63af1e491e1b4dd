"""Analytics benchmark: the managers' queries over 100,000 transcript turns, MongoDB-wire server.

    uv run python -m bench.analytics                    # 100,000 turns, 5 runs of each query
    uv run python -m bench.analytics --turns 2000 --runs 2

Seeds the embedded MongoDB-wire server (nx-27017, `restaurant.dev.embedded`) through the
transcripts' own writer (`restaurant.services.transcripts.write_transcripts`, batches of 1,000
in time order),
so the documents have the shape the app writes: conversations of 3-12 turns, about 30% of them
ending in an order (its ORDER_DATA card with 1-4 lines and their options, and its
`order_placed` event, which the writer gives the same lines), started over 30 days with lunch
and dinner peaks, one message in 14 not understood. Then times each query of
`restaurant.services.analytics.AnalyticsService` over the whole 30 days on the restaurant's
clock (America/New_York), `--runs` times, and reports the median of each (target: under 1 s
each). The figures each query returns are checked against what was seeded. Writes
bench/results/analytics.json (and analytics.png unless `--no-plot`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    RESULTS,
    busy_note,
    embedded_stores,
    save_bar_chart,
    say,
    write_results,
)

ZONE = ZoneInfo("America/New_York")
FIRST_DAY = date(2026, 11, 1)
DAYS = 30
TARGET_MS = 1000.0
DATABASE = "bench_analytics"
BATCH = 1000

# (key, label, unit price): a small menu, the first ones ordered more often.
ITEMS = [
    ("pepperoni-pizza", "Pepperoni Pizza", Decimal("14.50")),
    ("margherita-pizza", "Margherita Pizza", Decimal("12.00")),
    ("chicken-bowl", "Chicken Bowl", Decimal("11.25")),
    ("steak-bowl", "Steak Bowl", Decimal("13.75")),
    ("caesar-salad", "Caesar Salad", Decimal("9.50")),
    ("garlic-knots", "Garlic Knots", Decimal("5.00")),
    ("buffalo-wings", "Buffalo Wings", Decimal("10.99")),
    ("coke", "Coke", Decimal("2.50")),
    ("lemonade", "Lemonade", Decimal("3.25")),
    ("brownie", "Brownie", Decimal("4.00")),
]
# (group, group label, option, label, price, exclude, default)
CHOICES = [
    ("size", "Size", "large", "Large", Decimal("3.00"), False, False),
    ("size", "Size", "medium", "Medium", Decimal("0.00"), False, True),
    ("cheese", "Cheese", "extra-cheese", "Extra cheese", Decimal("1.50"), False, False),
    ("toppings", "Toppings", "onions", "Onions", Decimal("0.00"), True, False),
    ("sauce", "Sauce", "ranch", "Ranch", Decimal("0.75"), False, False),
]
MISSED = [
    "do you have halal options",
    "can i pay with bitcoin",
    "is the chef single",
    "whats the wifi password",
    "do you cater weddings",
    "can my dog come in",
    "how many calories in everything",
]
SAID = ["hi", "show me the menu", "two large pepperoni pizzas", "add a coke", "what's in the bowl"]
INTENTS = ["greet", "browse_menu", "add_items", "ask_item", "view_cart", "change_item"]


@dataclass
class Seeded:
    """What was written, to check the queries' figures against."""

    turns: int = 0
    conversations: int = 0
    orders: int = 0
    not_understood: int = 0
    revenue: Decimal = Decimal("0")
    items: dict[str, int] = field(default_factory=dict)
    turns_to_order: list[int] = field(default_factory=list)
    minutes_to_order: list[float] = field(default_factory=list)


def _hour(rng: random.Random) -> float:
    """An hour of the day with lunch and dinner peaks (local time)."""
    peak = rng.random()
    if peak < 0.35:
        return min(max(rng.gauss(12.5, 1.0), 10.0), 23.5)
    if peak < 0.85:
        return min(max(rng.gauss(19.0, 1.3), 10.0), 23.5)
    return rng.uniform(10.0, 23.5)


def _order_card(rng: random.Random, number: str, seeded: Seeded) -> dict[str, Any]:
    lines = []
    total = Decimal("0")
    for n in range(rng.randint(1, 4)):
        key, label, price = ITEMS[min(int(rng.expovariate(0.35)), len(ITEMS) - 1)]
        quantity = rng.choice([1, 1, 1, 2, 2, 3])
        choices = []
        for group, group_label, option, option_label, extra, exclude, default in CHOICES:
            if rng.random() < 0.3:
                choices.append(
                    {
                        "group": group,
                        "group_label": group_label,
                        "option": option,
                        "label": option_label,
                        "qualifier": None,
                        "exclude": exclude,
                        "price": str(extra),
                        "default": default,
                    }
                )
                price += extra
        line_total = price * quantity
        total += line_total
        seeded.items[key] = seeded.items.get(key, 0) + quantity
        lines.append(
            {
                "id": f"{number}-{n}",
                "item": key,
                "label": label,
                "quantity": quantity,
                "choices": choices,
                "unit_price": str(price),
                "line_total": str(line_total),
            }
        )
    seeded.revenue += total
    return {
        "type": "card",
        "name": "ORDER_DATA",
        "data": {
            "number": number,
            "type": "pickup",
            "status": "placed",
            "address": None,
            "lines": lines,
            "subtotal": str(total),
            "delivery_fee": "0.00",
            "tax": "0.00",
            "total": str(total),
            "currency": "USD",
            "placed_at": "",
            "estimated_ready_at": "",
        },
    }


def conversations(turns: int, seed: int) -> tuple[list[Any], Seeded]:
    """Transcript records of conversations until `turns` turns, and what they hold."""
    from restaurant.services.transcripts import TranscriptRecord

    rng = random.Random(seed)
    seeded = Seeded()
    records: list[TranscriptRecord] = []
    while seeded.turns < turns:
        length = min(rng.randint(3, 12), turns - seeded.turns)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        local = datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(hours=_hour(rng))
        at = started = local.astimezone(UTC)
        session = f"bench-{seeded.conversations:06d}"
        ordering = length >= 3 and rng.random() < 0.3
        seeded.conversations += 1
        for turn in range(1, length + 1):
            cards: list[dict[str, Any]] = []
            tools: list[str] = []
            if ordering and turn == length:
                text, intent, tools = "yes place it", "affirm", ["place_order"]
                seeded.orders += 1
                seeded.turns_to_order.append(turn)
                seeded.minutes_to_order.append((at - started).total_seconds() / 60)
                cards = [_order_card(rng, f"B{seeded.orders:06d}", seeded)]
            elif rng.random() < 1 / 14:
                text, intent = rng.choice(MISSED), "unknown"
                seeded.not_understood += 1
            else:
                text, intent = rng.choice(SAID), rng.choice(INTENTS)
            records.append(
                TranscriptRecord(
                    session_id=session,
                    turn=turn,
                    user_text=text,
                    reply_text="ok",
                    intent=intent,
                    tools=tools,
                    cards=cards,
                    latency_ms=round(rng.uniform(5, 40), 2),
                    created_at=at,
                )
            )
            seeded.turns += 1
            at += timedelta(seconds=rng.uniform(5, 60))
    return records, seeded


async def seed(url: str, turns: int, seed_value: int) -> Seeded:
    """Write the conversations into a fresh database, in the app's batches."""
    from pymongo import AsyncMongoClient

    from restaurant.db.documents import init_documents
    from restaurant.services.transcripts import write_transcripts

    records, seeded = conversations(turns, seed_value)
    # In time order, as the app writes them: a batch's turns fall in a few quarters of an hour
    # (one `TurnCount` update each), not all over the month.
    records.sort(key=lambda r: r.created_at)
    client: AsyncMongoClient[Any] = AsyncMongoClient(url)
    await client.drop_database(DATABASE)
    await init_documents(client, DATABASE)
    started = time.perf_counter()
    for n in range(0, len(records), BATCH):
        await write_transcripts(records[n : n + BATCH])
        if n and n % (20 * BATCH) == 0:
            say(f"  {n:,} turns written ({time.perf_counter() - started:.0f} s)")
    took = time.perf_counter() - started
    say(f"  {len(records):,} turns, {seeded.orders:,} orders in {took:.1f} s")
    return seeded


async def measure(url: str, runs: int, seeded: Seeded) -> dict[str, Any]:
    """Time each query `runs` times over the whole range; check its figures."""
    from pymongo import AsyncMongoClient

    from restaurant.db.documents import init_documents
    from restaurant.services.analytics import AnalyticsService

    client: AsyncMongoClient[Any] = AsyncMongoClient(url)
    await init_documents(client, DATABASE)
    service = AnalyticsService(ZONE)
    window = service.window(FIRST_DAY, FIRST_DAY + timedelta(days=DAYS))
    queries: dict[str, Callable[[], Awaitable[Any]]] = {
        "per_day": lambda: service.per_day(window),
        "order_figures": lambda: service.order_figures(window),
        "top_items": lambda: service.top_items(window),
        "top_options": lambda: service.top_options(window),
        "pace": lambda: service.pace(window),
        "understanding": lambda: service.understanding(window),
    }
    timings: dict[str, dict[str, Any]] = {}
    answers: dict[str, Any] = {}
    for name, query in queries.items():
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            answers[name] = await query()
            seconds.append(time.perf_counter() - started)
        median = statistics.median(seconds) * 1000
        timings[name] = {
            "median_ms": round(median, 1),
            "runs_ms": [round(s * 1000, 1) for s in seconds],
        }
        runs_ms = ", ".join(f"{s * 1000:.0f}" for s in seconds)
        say(f"  {name:14} median {median:8.1f} ms  ({runs_ms})")
    await client.close()
    figures = answers["order_figures"]
    checks = {
        "conversations": [sum(d.conversations for d in answers["per_day"]), seeded.conversations],
        "orders": [figures.orders, seeded.orders],
        "orders_per_day": [sum(d.orders for d in answers["per_day"]), seeded.orders],
        "revenue": [str(figures.revenue), str(seeded.revenue)],
        "not_understood": [answers["understanding"].not_understood, seeded.not_understood],
        "turns": [answers["understanding"].turns, seeded.turns],
        "median_turns_to_order": [
            answers["pace"].median_turns,
            float(statistics.median(seeded.turns_to_order)) if seeded.orders else None,
        ],
        "median_minutes_to_order": [
            answers["pace"].median_minutes,
            round(statistics.median(seeded.minutes_to_order), 2) if seeded.orders else None,
        ],
        "top_item": [
            answers["top_items"][0].item if answers["top_items"] else None,
            min(seeded.items, key=lambda k: (-seeded.items[k], k)) if seeded.items else None,
        ],
    }
    return {
        "queries": timings,
        "checks": {
            k: {"measured": v[0], "seeded": v[1], "ok": v[0] == v[1]} for k, v in checks.items()
        },
        "figures": {
            "conversion": round(figures.conversion, 4),
            "average_order_value": str(figures.average_order_value),
            "median_turns_to_order": answers["pace"].median_turns,
            "median_minutes_to_order": answers["pace"].median_minutes,
            "not_understood_share": round(answers["understanding"].share, 4),
        },
    }


def main() -> None:
    """Parse options, start the stores, seed, time the queries, save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=100_000, help="turns seeded (100,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each query (5)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args()
    with embedded_stores() as stores:
        say(f"seeding {args.turns:,} turns ...")
        seeded = asyncio.run(seed(stores.mongo_url, args.turns, args.seed))
        say(f"timing each query {args.runs} times ...")
        result = asyncio.run(measure(stores.mongo_url, args.runs, seeded))
    slowest = max(q["median_ms"] for q in result["queries"].values())
    correct = all(c["ok"] for c in result["checks"].values())
    result["summary"] = {
        "turns": seeded.turns,
        "conversations": seeded.conversations,
        "orders": seeded.orders,
        **{f"{name}_ms": q["median_ms"] for name, q in result["queries"].items()},
        "slowest_ms": slowest,
        "figures_match_seed": correct,
        "targets": {"each_query_ms": TARGET_MS},
        "met": slowest < TARGET_MS and correct,
    }
    result["settings"] = {
        "server": "nx-27017 (the embedded MongoDB-wire server, SQLite underneath)",
        "range": f"{FIRST_DAY} to {FIRST_DAY + timedelta(days=DAYS)} in {ZONE.key}",
        "runs": args.runs,
        "seed": args.seed,
    }
    path = write_results("analytics", result, args.out)
    if not args.no_plot:
        save_bar_chart(
            RESULTS / "analytics.png",
            f"Analytics queries over {seeded.turns:,} turns (median of {args.runs})",
            list(result["queries"]),
            [q["median_ms"] for q in result["queries"].values()],
            "ms",
            target=TARGET_MS,
            note=busy_note(),
        )
    print(json.dumps(result["summary"], indent=2))
    say(f"wrote {path}")
    if not correct:
        raise SystemExit("the queries' figures differ from what was seeded: see checks")


if __name__ == "__main__":
    main()
