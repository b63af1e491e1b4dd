"""Whole conversations through the real chat API, judged against conversation files.

Each conversation of `tests/data/dialogues-dev/VENUE.jsonl`, `tests/data/dialogues/VENUE.jsonl` and
the blind batches `tests/data/dialogues-blind*/VENUE.jsonl` (when present; the format is
`tests/data/dialogue-format.md`) is held in a fresh chat session: `POST /api/v1/sessions`, one
message a turn over SSE (`POST /api/v1/chat/{id}/stream`) or the WebSocket, the reply's text and
the MENU_CARD / CART_CARD of every turn collected, then the cart read with
`GET /api/v1/chat/{id}/cart`, and the whole judged by `bench/dialogue_judge.py`: the
cart as an unordered multiset of lines without default choices, and each turn's checks.

    uv run python -m bench.dialogues                       # every venue, own stores and app
    uv run python -m bench.dialogues --venue coffee -v     # one venue; show each failure
    uv run python -m bench.dialogues --transport ws        # over the WebSocket instead of SSE
    uv run python -m bench.dialogues --file my.jsonl --venue burger
    uv run python -m bench.dialogues --url http://127.0.0.1:8000 [--venue V] [--no-import]

By default the runner starts what it measures, like the other benchmarks (`bench/harness.py`):
embedded PostgreSQL, Redis and MongoDB-wire servers in a temporary directory, then for each venue
it imports the venue's menu with the operator's command (`restaurant import-menu FILE`) and runs
`restaurant serve` with `RESTAURANT=VENUE`: the service serves the one restaurant its settings
name, so every venue gets an app process of its own (a few seconds each), on the same stores.

With `--url` it talks to a service already running. That service serves one restaurant, so only
that venue is run: the one `--venue` names, or else the one `GET /api/v1/menu` says it serves.
Unless `--no-import`, the venue's menu is first imported with `restaurant import-menu`, which
reaches the database the way an operator's shell does (`DB__URL`, `.env`, or the servers of a
`make run` found under `DATA_DIR`), and the runner waits until the service answers with that
menu. A service serving another restaurant is refused with what to do (start it with
`RESTAURANT=VENUE`). With `--no-import` the menu is assumed to be loaded as it should be.

It prints a table per venue and set of conversations (dev, own, blind1...): conversations passed,
carts right, conversations whose checks all held (of those with checks), and conversations with a
turn that ended in an error; with `--verbose`, each failing conversation first: its turns, the
replies, the expected and the actual cart. Results go to `bench/results/dialogues.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench.dialogue_judge import (
    Dialogue,
    Held,
    TurnSeen,
    Verdict,
    describe,
    format_cart,
    judge,
    load_dialogues,
)
from bench.harness import RESULTS, ROOT, app_server, embedded_stores, say, write_results

DATA = ROOT / "tests" / "data"
VENUES = ("pizzeria", "burger", "burrito", "coffee", "sub", "demo")
TRANSPORTS = ("sse", "ws")
TURN_SECONDS = 60.0
TERMINAL = ("RUN_FINISHED", "RUN_ERROR")


def menu_file(venue: str) -> Path:
    """The menu a venue's conversations are written against (demo: the seeded demo menu)."""
    return ROOT / "seeds" / "demo.json" if venue == "demo" else DATA / "menus" / f"{venue}.json"


# directory -> the tag in conversation ids: the development set, ours, and the batches written
# blind (by writers who saw only the menus and the format, measured before any fix for them)
TAGS = {
    "dialogues-dev": "dev",
    "dialogues": "own",
    "dialogues-blind1": "blind1",
    "dialogues-blind2": "blind2",
    "dialogues-blind3": "blind3",
    "dialogues-blind4": "blind4",
    "dialogues-blind5": "blind5",
    "dialogues-blind6": "blind6",
    "dialogues-blind7": "blind7",
    "dialogues-blind8": "blind8",
    "dialogues-blind9": "blind9",
    "dialogues-blind10": "blind10",
    "dialogues-blind11": "blind11",
    "dialogues-blind12": "blind12",
    "dialogues-blind13": "blind13",
    "dialogues-blind14": "blind14",
    "dialogues-blind15": "blind15",
    "dialogues-blind16": "blind16",
    "dialogues-blind17": "blind17",
    "dialogues-blind18": "blind18",
    "dialogues-blind19": "blind19",
    "dialogues-blind20": "blind20",
    "dialogues-blind21": "blind21",
    "dialogues-blind22": "blind22",
    "dialogues-blind23": "blind23",
    "dialogues-blind24": "blind24",
    "dialogues-blind25": "blind25",
    "dialogues-blind26": "blind26",
    "dialogues-blind27": "blind27",
    "dialogues-blind28": "blind28",
    "dialogues-blind29": "blind29",
    "dialogues-blind30": "blind30",
    "dialogues-blind31": "blind31",
    "dialogues-blind32": "blind32",
    "dialogues-blind33": "blind33",
    "dialogues-blind34": "blind34",
    "dialogues-blind35": "blind35",
    "dialogues-blind36": "blind36",
    "dialogues-blind37": "blind37",
    "dialogues-blind38": "blind38",
    "dialogues-blind39": "blind39",
    "dialogues-blind40": "blind40",
    "dialogues-blind41": "blind41",
    "dialogues-blind42": "blind42",
    "dialogues-blind43": "blind43",
    "dialogues-blind44": "blind44",
    "dialogues-blind45": "blind45",
    "dialogues-blind46": "blind46",
    "dialogues-blind47": "blind47",
    "dialogues-blind48": "blind48",
    "dialogues-blind49": "blind49",
    "dialogues-blind50": "blind50",
    "dialogues-blind51": "blind51",
    "dialogues-blind52": "blind52",
    "dialogues-blind53": "blind53",
    "dialogues-blind54": "blind54",
    "dialogues-blind55": "blind55",
    "dialogues-blind56": "blind56",
    "dialogues-blind57": "blind57",
    "dialogues-blind58": "blind58",
    "dialogues-blind59": "blind59",
    "dialogues-blind60": "blind60",
    "dialogues-blind61": "blind61",
    "dialogues-blind62": "blind62",
    "dialogues-blind63": "blind63",
    "dialogues-blind64": "blind64",
    "dialogues-blind65": "blind65",
    "dialogues-blind66": "blind66",
    "dialogues-blind67": "blind67",
    "dialogues-blind68": "blind68",
    "dialogues-blind69": "blind69",
    "dialogues-blind70": "blind70",
    "dialogues-blind71": "blind71",
    "dialogues-blind72": "blind72",
    "dialogues-blind73": "blind73",
    "dialogues-blind74": "blind74",
    "dialogues-blind75": "blind75",
    "dialogues-blind76": "blind76",
    "dialogues-blind77": "blind77",
    "dialogues-blind78": "blind78",
    "dialogues-blind79": "blind79",
    "dialogues-blind80": "blind80",
    "dialogues-blind81": "blind81",
    "dialogues-blind82": "blind82",
    "dialogues-blind83": "blind83",
    "dialogues-blind84": "blind84",
}


def tag_of(path: Path) -> str:
    """The tag in the ids of a file's conversations: dev, own, or the file's name."""
    return TAGS.get(path.parent.name, path.stem)


def conversation_files(venue: str) -> list[Path]:
    """A venue's conversation files that exist: the development ones, ours, the blind ones."""
    files = [DATA / directory / f"{venue}.jsonl" for directory in TAGS]
    return [path for path in files if path.is_file()]


def dialogues_of(venue: str) -> list[Dialogue]:
    """Every conversation of a venue, the development ones first."""
    return [d for p in conversation_files(venue) for d in load_dialogues(p, venue, tag_of(p))]


# --- holding a conversation through the API ------------------------------------------------------


async def _sse_events(response: httpx.Response) -> list[dict[str, Any]]:
    """The AG-UI events of one SSE response (comments and keep-alives skipped)."""
    events: list[dict[str, Any]] = []
    data: list[str] = []
    async for line in response.aiter_lines():
        if line == "":
            if data:
                events.append(json.loads("\n".join(data)))
            data = []
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    if data:
        events.append(json.loads("\n".join(data)))
    return events


class _Sse:
    """One turn a request: `POST /api/v1/chat/{id}/stream`, read until the stream ends."""

    def __init__(self, client: httpx.AsyncClient, session_id: str, headers: dict[str, str]):
        self.client, self.path, self.headers = client, f"/api/v1/chat/{session_id}/stream", headers

    async def say(self, text: str) -> list[dict[str, Any]]:
        async with self.client.stream(
            "POST", self.path, json={"message": text}, headers=self.headers
        ) as response:
            if response.status_code != 200:
                body = (await response.aread()).decode(errors="replace")[:300]
                raise RuntimeError(f"SSE answered {response.status_code}: {body}")
            return await _sse_events(response)


class _Ws:
    """One WebSocket for the conversation: the history run read first, then a run a message."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    async def run(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        while not events or events[-1].get("type") not in TERMINAL:
            events.append(json.loads(await self.connection.recv()))
        return events

    async def say(self, text: str) -> list[dict[str, Any]]:
        await self.connection.send(json.dumps({"type": "message", "text": text}))
        return await self.run()


@contextlib.asynccontextmanager
async def _transport(
    kind: str, client: httpx.AsyncClient, session_id: str, headers: dict[str, str]
) -> Any:
    if kind == "sse":
        yield _Sse(client, session_id, headers)
        return
    url = str(client.base_url).rstrip("/").replace("http", "ws", 1)
    async with websockets.connect(
        f"{url}/api/v1/chat/{session_id}", additional_headers=headers, open_timeout=TURN_SECONDS
    ) as connection:
        socket = _Ws(connection)
        await asyncio.wait_for(socket.run(), TURN_SECONDS)  # the history
        yield socket


async def hold(client: httpx.AsyncClient, dialogue: Dialogue, transport: str = "sse") -> Held:
    """Hold one conversation in a fresh chat session; never raises: failures are in `Held`.
    The session's token goes as a bearer header (keep `client` from storing cookies)."""
    held = Held()
    try:
        created = await client.post("/api/v1/sessions")
        if created.status_code != 201:
            held.failure = f"POST /api/v1/sessions answered {created.status_code}"
            return held
        session_id, token = created.json()["session_id"], created.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        async with _transport(transport, client, session_id, headers) as chat:
            for text in dialogue.turns:
                events = await asyncio.wait_for(chat.say(text), TURN_SECONDS)
                held.turns.append(TurnSeen.of_events(text, events))
                for event in events:  # a sign-in hands the session a new token
                    if event.get("type") == "CUSTOM" and event.get("name") == "SESSION_TOKEN":
                        headers["Authorization"] = f"Bearer {event['value']['token']}"
        cart = await client.get(f"/api/v1/chat/{session_id}/cart", headers=headers)
        if cart.status_code != 200:
            held.failure = f"GET .../cart answered {cart.status_code}"
            return held
        held.cart = list(cart.json()["lines"])
    except Exception as exc:  # a conversation that breaks is reported, the others go on
        held.failure = f"{transport}: {type(exc).__name__}: {exc}"
    return held


async def hold_all(
    base: str, work: Sequence[tuple[Dialogue, str]], concurrency: int = 8
) -> list[Held]:
    """Hold (conversation, transport) pairs, up to `concurrency` sessions at once; in order."""
    gate = asyncio.Semaphore(concurrency)
    # An idle connection is dropped after 2 s, before the server's keep-alive timeout (uvicorn's
    # 5 s, which httpx's default equals) can close it just as a turn is sent on it: on a busy
    # machine that race failed a conversation's first turn with a ReadError.
    limits = httpx.Limits(
        max_connections=2 * concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2
    )
    async with httpx.AsyncClient(base_url=base, timeout=TURN_SECONDS, limits=limits) as client:
        # Every conversation is a customer of its own: the session cookie one gets must not
        # make the next one's POST /api/v1/sessions a second chat in the same sign-in session.
        client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))

        async def one(dialogue: Dialogue, transport: str) -> Held:
            async with gate:
                return await hold(client, dialogue, transport)

        return list(await asyncio.gather(*(one(d, t) for d, t in work)))


# --- menus --------------------------------------------------------------------------------------


def import_menu(path: Path, env: dict[str, str] | None = None) -> int | None:
    """`restaurant import-menu PATH`, as an operator runs it; the menu version it reports."""
    done = subprocess.run(
        [sys.executable, "-m", "restaurant.cli", "import-menu", str(path)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise SystemExit(f"restaurant import-menu {path} failed:\n{done.stderr[-2000:]}")
    say(f"  {done.stdout.strip()}")
    found = re.search(r"menu version (\d+)", done.stdout)
    return int(found.group(1)) if found else None


def served_menu(base: str) -> dict[str, Any] | None:
    """`GET /api/v1/menu` of a running service (None when it has no menu to serve)."""
    try:
        answer = httpx.get(f"{base}/api/v1/menu", timeout=10)
    except httpx.HTTPError as exc:
        raise SystemExit(f"{base} does not answer: {exc}") from None
    return answer.json() if answer.status_code == 200 else None


def wait_for_menu(base: str, venue: str, version: int | None, timeout: float = 30) -> None:
    """Wait until the service answers with this venue's menu (at least this version): it
    rereads the menu's version every MENU_CACHE_SECONDS."""
    deadline = time.monotonic() + timeout
    menu = None
    while time.monotonic() < deadline:
        menu = served_menu(base)
        if menu and menu["restaurant"]["key"] == venue and menu["version"] >= (version or 0):
            return
        time.sleep(0.5)
    serving = menu["restaurant"]["key"] if menu else "no menu"
    raise SystemExit(
        f"{base} serves {serving!r}, not the {venue!r} menu just imported: the service serves "
        f"the restaurant its RESTAURANT setting names; restart it with RESTAURANT={venue}"
    )


# --- the run -------------------------------------------------------------------------------------


@dataclass
class VenueRun:
    """A venue's conversations, what holding them produced, and the verdicts."""

    venue: str
    dialogues: list[Dialogue]
    transport: str
    held: list[Held] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    seconds: float = 0.0

    def hold(self, base: str, concurrency: int) -> None:
        """Hold every conversation against the service at `base`, then judge them."""
        started = time.monotonic()
        work = [(d, self.transport) for d in self.dialogues]
        self.held = asyncio.run(hold_all(base, work, concurrency))
        self.seconds = time.monotonic() - started
        self.verdicts = [judge(d, h) for d, h in zip(self.dialogues, self.held, strict=True)]

    def rows(self) -> list[dict[str, Any]]:
        """Counts per set of conversations (dev, own...), in the order they came."""
        tags = list(dict.fromkeys(d.tag for d in self.dialogues))
        pairs = list(zip(self.dialogues, self.verdicts, strict=True))
        return [
            {"venue": self.venue, "set": tag, **tally([p for p in pairs if p[0].tag == tag])}
            for tag in tags
        ]

    def records(self) -> list[dict[str, Any]]:
        """One record a conversation; failing ones with their turns, replies and carts."""
        out = []
        for dialogue, held, verdict in zip(self.dialogues, self.held, self.verdicts, strict=True):
            record: dict[str, Any] = {
                "id": dialogue.id,
                "source": dialogue.source,
                "transport": self.transport,
                "passed": verdict.passed,
                "cart_right": verdict.cart_right,
                "checks_right": verdict.checks_right,
                "turns_held": f"{len(held.turns)}/{len(dialogue.turns)}",
                "cart_read": held.cart is not None,
            }
            if not verdict.passed:
                record |= {
                    "turns": [{"text": t.text, "reply": t.reply} for t in held.turns],
                    "expected_cart": format_cart(verdict.expected),
                    "actual_cart": format_cart(verdict.actual),
                    "check_failures": verdict.check_failures,
                    "errors": verdict.errors,
                }
            out.append(record)
        return out


def tally(pairs: Sequence[tuple[Dialogue, Verdict]]) -> dict[str, int]:
    """Conversations, passed, carts right, checks all right (of those with checks), errors."""
    with_checks = [v for d, v in pairs if d.checks]
    return {
        "conversations": len(pairs),
        "passed": sum(v.passed for _, v in pairs),
        "cart_right": sum(v.cart_right for _, v in pairs),
        "with_checks": len(with_checks),
        "checks_right": sum(v.checks_right for v in with_checks),
        "with_errors": sum(bool(v.errors) for _, v in pairs),
    }


def totals(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """The counts of several rows added up."""
    keys = ("conversations", "passed", "cart_right", "with_checks", "checks_right", "with_errors")
    return {k: sum(row[k] for row in rows) for k in keys}


def print_table(rows: Sequence[dict[str, Any]]) -> None:
    """Passed, carts right, checks right and errors per venue and set, then the totals."""
    print(f"{'venue':<10} {'set':<6} {'passed':>9} {'cart right':>11} {'checks right':>13} errors")
    sets = list(dict.fromkeys(row["set"] for row in rows))
    lines = list(rows)
    if len(rows) > 1:
        lines += [
            {"venue": "total", "set": tag, **totals([r for r in rows if r["set"] == tag])}
            for tag in sets
        ]
    if len(sets) > 1:
        lines.append({"venue": "total", "set": "all", **totals(rows)})
    for row in lines:
        n = row["conversations"]
        print(
            f"{row['venue']:<10} {row['set']:<6} {row['passed']:>4}/{n:<4} "
            f"{row['cart_right']:>6}/{n:<4} {row['checks_right']:>8}/{row['with_checks']:<4} "
            f"{row['with_errors']:>6}"
        )


def print_failures(run: VenueRun) -> None:
    """Each failing conversation of a venue, as the tests show it."""
    for dialogue, held, verdict in zip(run.dialogues, run.held, run.verdicts, strict=True):
        if not verdict.passed:
            print(describe(dialogue, held, verdict), end="\n\n")


@contextlib.contextmanager
def own_service() -> Iterator[Any]:
    """Embedded stores of this run; yields `serve(venue)`, a context manager for an app
    process serving that venue, whose menu it imports first."""
    with embedded_stores(prefix="dialogues-") as stores:

        @contextlib.contextmanager
        def serve(venue: str) -> Iterator[str]:
            say(f"{venue}: importing {menu_file(venue).relative_to(ROOT)}")
            import_menu(menu_file(venue), {"DB__URL": stores.postgres_url})
            with app_server(stores, name=f"app-{venue}", env={"RESTAURANT": venue}) as server:
                yield server.base

        yield serve


def main(argv: list[str] | None = None) -> int:
    """Run the conversations, print the tables, write the results; 0 unless nothing ran."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--venue", action="append", choices=VENUES, help="only this venue")
    parser.add_argument("--file", type=Path, help="only this conversation file (venue: its name)")
    parser.add_argument("--transport", choices=TRANSPORTS, default="sse")
    parser.add_argument("--url", help="a running service instead of stores and apps of our own")
    parser.add_argument("--no-import", action="store_true", help="with --url: menu already there")
    parser.add_argument("--concurrency", type=int, default=8, help="sessions at once")
    parser.add_argument("-v", "--verbose", action="store_true", help="show failing conversations")
    parser.add_argument("--out", type=Path, default=RESULTS / "dialogues.json")
    args = parser.parse_args(argv)
    if args.no_import and not args.url:
        parser.error("--no-import goes with --url (a run of our own imports every menu)")

    venues: list[str] = list(args.venue or VENUES)
    if args.file is not None:
        venue = args.venue[0] if args.venue else args.file.stem
        if venue not in VENUES or (args.venue and len(args.venue) > 1):
            parser.error(f"--file {args.file}: name its venue with one --venue {VENUES}")
        plan = {venue: load_dialogues(args.file, venue, tag_of(args.file))}
    else:
        if args.url and not args.venue:
            menu = served_menu(args.url.rstrip("/"))
            if menu is None:
                parser.error(f"{args.url} serves no menu yet: name the venue with --venue")
            venues = [menu["restaurant"]["key"]]
        if args.url and len(venues) > 1:
            parser.error("a running service serves one restaurant: give one --venue")
        plan = {v: dialogues_of(v) for v in venues}
    plan = {v: ds for v, ds in plan.items() if ds}
    if not plan:
        parser.error("no conversations to run")

    runs = [VenueRun(v, ds, args.transport) for v, ds in plan.items()]
    if args.url:
        base = args.url.rstrip("/")
        run = runs[0]
        serving = served_menu(base)
        if serving is not None and serving["restaurant"]["key"] != run.venue:
            parser.error(
                f"{base} serves {serving['restaurant']['key']!r}, not {run.venue!r}: the service "
                f"serves the restaurant its RESTAURANT setting names; restart it with "
                f"RESTAURANT={run.venue}"
            )
        if not args.no_import:
            path = menu_file(run.venue).relative_to(ROOT)
            say(f"{run.venue}: importing {path} with restaurant import-menu")
            version = import_menu(menu_file(run.venue))
            wait_for_menu(base, run.venue, version)
        elif serving is None:
            parser.error(f"{base} serves no menu: import {run.venue!r}'s (drop --no-import)")
        say(f"{run.venue}: {len(run.dialogues)} conversations over {run.transport} at {base}")
        run.hold(base, args.concurrency)
    else:
        with own_service() as serve:
            for run in runs:
                with serve(run.venue) as base:
                    say(f"{run.venue}: {len(run.dialogues)} conversations over {run.transport}")
                    run.hold(base, args.concurrency)

    if args.verbose:
        for run in runs:
            print_failures(run)
    rows = [row for run in runs for row in run.rows()]
    print_table(rows)
    path = write_results(
        "dialogues",
        {
            "command": " ".join(
                ["python -m bench.dialogues", *(argv if argv is not None else sys.argv[1:])]
            ),
            "settings": {
                "transport": args.transport,
                "url": args.url,
                "files": sorted({d.source.split(":")[0] for r in runs for d in r.dialogues}),
            },
            "rows": rows,
            "seconds": {run.venue: round(run.seconds, 2) for run in runs},
            "summary": totals(rows)
            | {
                "by_set": {
                    tag: totals([r for r in rows if r["set"] == tag])
                    for tag in dict.fromkeys(r["set"] for r in rows)
                }
            },
            "conversations": [rec for r in runs for rec in r.records()],
        },
        args.out,
    )
    say(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
