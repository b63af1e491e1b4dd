"""Whole conversations through the real chat API, one test each (tests/data/dialogue-format.md).

Every conversation of `tests/data/dialogues-dev/VENUE.jsonl`, `tests/data/dialogues/VENUE.jsonl` and
the blind batches `tests/data/dialogues-blind*/VENUE.jsonl` is held in a fresh chat session of the
app on a real socket (PostgreSQL, Redis, MongoDB), over SSE, or over the WebSocket for every fifth
one, then judged by `bench/dialogue_judge.py`: the cart read with `GET /api/v1/chat/{id}/cart` and
each turn's checks. A failure shows the turns, the replies, and the expected and actual carts.

The app serves the restaurant its settings name, so each venue gets its menu imported into this
module's database and an app of its own. The first test of a venue holds all of that venue's
selected conversations at once, in parallel sessions, and each test then judges its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bench.dialogue_judge import Dialogue, Held, describe, judge
from bench.dialogues import VENUES, dialogues_of, hold_all, menu_file
from restaurant.db.migrate import upgrade
from restaurant.services.menu_import import import_menu_file
from restaurant.settings import Settings
from tests.integration.chat_support import LiveServer

REPO = Path(__file__).resolve().parents[2]
WEBSOCKET_EVERY = 5  # the 5th, 10th, ... conversation of a venue goes over the WebSocket


# Conversations known to end wrong, and why: each is a strict xfail, so fixing one shows up as a
# failure until it is taken off this list.
KNOWN_OPEN: dict[str, str] = {}


def _cases() -> list[object]:
    cases: list[object] = []
    for venue in VENUES:
        for n, dialogue in enumerate(dialogues_of(venue), start=1):
            transport = "ws" if n % WEBSOCKET_EVERY == 0 else "sse"
            marks = []
            if dialogue.id in KNOWN_OPEN:
                marks.append(pytest.mark.xfail(reason=KNOWN_OPEN[dialogue.id], strict=True))
            cases.append(pytest.param(dialogue, transport, id=dialogue.id, marks=marks))
    return cases


class Venues:
    """One app at a time, serving one venue; what each conversation produced, by id."""

    def __init__(self, settings: Settings, database_url: str, wanted: list[tuple[Dialogue, str]]):
        self.settings = settings.model_copy(
            update={"db": settings.db.model_copy(update={"url": database_url})}
        )
        self.database_url = database_url
        self.wanted = wanted
        self.held: dict[str, Held] = {}
        self.server: LiveServer | None = None

    async def held_for(self, dialogue: Dialogue, transport: str) -> Held:
        """The conversation as held: its whole venue is held on the first call for it."""
        if dialogue.id not in self.held:
            await self._hold_venue(dialogue.venue, (dialogue, transport))
        return self.held[dialogue.id]

    async def _hold_venue(self, venue: str, asked: tuple[Dialogue, str]) -> None:
        self.stop()
        engine = create_async_engine(self.database_url)
        try:
            await import_menu_file(async_sessionmaker(engine), menu_file(venue))
        finally:
            await engine.dispose()
        self.server = LiveServer(self.settings.model_copy(update={"restaurant": venue}))
        self.server.start()
        work = [(d, t) for d, t in self.wanted if d.venue == venue and d.id not in self.held]
        if asked not in work:
            work.append(asked)
        for (dialogue, _), held in zip(work, await hold_all(self.server.url, work), strict=True):
            self.held[dialogue.id] = held

    def stop(self) -> None:
        """Stop the app of the venue held last."""
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture(scope="module")
def dialogue_db(make_database: Callable[[str], str]) -> str:
    """A migrated database of this module's own: the venues' menus go into it."""
    url = make_database("dialogues")
    upgrade(url)
    return url


@pytest.fixture(scope="module")
async def venues(
    request: pytest.FixtureRequest, app_settings: Settings, dialogue_db: str
) -> AsyncIterator[Venues]:
    """The conversations this run selected (`-k` included), held venue by venue."""
    wanted = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is request.module and callspec is not None:
            wanted.append((callspec.params["dialogue"], callspec.params["transport"]))
    held = Venues(app_settings, dialogue_db, wanted)
    yield held
    held.stop()


@pytest.mark.parametrize(("dialogue", "transport"), _cases())
async def test_dialogue_ends_with_its_cart_and_checks(
    venues: Venues, dialogue: Dialogue, transport: str
) -> None:
    held = await venues.held_for(dialogue, transport)
    verdict = judge(dialogue, held)
    if not verdict.passed:
        pytest.fail(f"over {transport}:\n{describe(dialogue, held, verdict)}", pytrace=False)


@pytest.mark.slow
def test_dialogues_runner_holds_a_file_and_writes_results(tmp_path: Path) -> None:
    """`python -m bench.dialogues` end to end on two conversations: its own stores, the menu
    imported with the CLI, the app as a process, the WebSocket; the verdicts are not asserted."""
    conversations = tmp_path / "two.jsonl"
    lines = (REPO / "tests/data/dialogues-dev/coffee.jsonl").read_text().splitlines()[:2]
    conversations.write_text("\n".join(lines) + "\n")
    out = tmp_path / "dialogues.json"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "bench.dialogues", "--file", str(conversations)),
            *("--venue", "coffee", "--transport", "ws", "--verbose", "--out", str(out)),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "coffee" in done.stdout and "/2" in done.stdout
    report = json.loads(out.read_text())
    assert report["command"].startswith("python -m bench.dialogues --file")
    assert [(r["venue"], r["set"]) for r in report["rows"]] == [("coffee", "two")]
    assert report["summary"]["conversations"] == 2
    # Every turn was sent and answered, and the cart read (a RUN_ERROR is the graph's: judged).
    for conversation in report["conversations"]:
        held, turns = conversation["turns_held"].split("/")
        assert held == turns, conversation
        assert conversation["cart_read"], conversation
    assert [c["id"] for c in report["conversations"]] == ["coffee-two-01", "coffee-two-02"]
    assert all(c["transport"] == "ws" for c in report["conversations"])
