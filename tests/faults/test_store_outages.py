"""PostgreSQL, Redis and the MongoDB wire server restarted one after another under load, the app
left running: during each outage a request gets a clear RUN_ERROR or 503 (never a 500, never a
hang past the client's bound), and afterwards every session's turns succeed again.

The stores are an EmbeddedServers set of this module's own, so the session's shared servers are
never touched. tests/integration/test_chat_stores.py stops Redis under one quiet session; here
every store goes, with several sessions chatting and reading their carts meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from restaurant.db.migrate import upgrade
from restaurant.dev.embedded import EmbeddedServers
from restaurant.services.menu_import import import_menu_file
from restaurant.settings import Settings
from tests.integration.chat_support import LiveServer, Session, new_session

REPO = Path(__file__).resolve().parents[2]
SESSIONS = 4
BOUND = 20.0  # seconds: a request still unanswered by then is a hang


@pytest.fixture(scope="module")
def own_stores() -> Iterator[EmbeddedServers]:
    """All three stores in a temporary directory of their own, migrated and seeded."""
    directory = Path(tempfile.mkdtemp(prefix="faults-stores-"))
    servers = EmbeddedServers(directory)
    servers.start()
    assert servers.postgres_url

    async def seed(url: str) -> None:
        engine = create_async_engine(url)
        await import_menu_file(async_sessionmaker(engine), REPO / "seeds" / "demo.json")
        await engine.dispose()

    upgrade(servers.postgres_url)
    asyncio.run(seed(servers.postgres_url))
    yield servers
    servers.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def outage_live(app_settings: Settings, own_stores: EmbeddedServers) -> Iterator[LiveServer]:
    """The app on a real socket over the module's own stores."""
    settings = app_settings.model_copy(
        update={
            "db": app_settings.db.model_copy(update={"url": own_stores.postgres_url}),
            "redis": app_settings.redis.model_copy(update={"url": own_stores.redis_url}),
            "mongo": app_settings.mongo.model_copy(
                update={"url": own_stores.mongo_url, "database": "faults_outage"}
            ),
        }
    )
    with LiveServer(settings) as server:
        yield server


@dataclass
class Tally:
    """What the load saw: outcomes by kind, and anything not allowed."""

    outcomes: dict[str, int] = field(default_factory=dict)
    bad: list[str] = field(default_factory=list)

    def add(self, kind: str) -> None:
        self.outcomes[kind] = self.outcomes.get(kind, 0) + 1


async def _turn(client: httpx.AsyncClient, session: Session, tally: Tally) -> str:
    """One SSE chat turn; returns "ok", "RUN_ERROR:<code>", "503" or "bad"."""
    try:
        response = await client.post(
            f"/api/v1/chat/{session.session_id}/stream",
            json={"message": "a coke"},
            headers=session.headers,
        )
    except httpx.TimeoutException:
        tally.bad.append("a chat turn got no answer within the bound")
        return "bad"
    if response.status_code == 503:
        problem = response.json()
        if not response.headers["content-type"].startswith("application/problem+json"):
            tally.bad.append(f"503 without problem details: {response.text[:200]}")
        elif not problem.get("detail") or "Traceback" in response.text:
            tally.bad.append(f"503 without a clear message: {response.text[:200]}")
        return "503"
    if response.status_code != 200:
        tally.bad.append(f"chat turn: {response.status_code} {response.text[:300]}")
        return "bad"
    events = [
        json.loads(line[5:]) for line in response.text.splitlines() if line.startswith("data:")
    ]
    last = events[-1] if events else {}
    if last.get("type") == "RUN_FINISHED":
        return "ok"
    if last.get("type") == "RUN_ERROR" and last.get("code") and last.get("message"):
        if "Traceback" in last["message"]:
            tally.bad.append(f"RUN_ERROR with a traceback: {last['message'][:200]}")
        return f"RUN_ERROR:{last['code']}"
    tally.bad.append(f"chat turn ended with {last}")
    return "bad"


async def _cart(client: httpx.AsyncClient, session: Session, tally: Tally) -> str:
    """GET the session's cart over REST; returns "ok", "503" or "bad"."""
    try:
        response = await client.get(
            f"/api/v1/chat/{session.session_id}/cart", headers=session.headers
        )
    except httpx.TimeoutException:
        tally.bad.append("a cart read got no answer within the bound")
        return "bad"
    if response.status_code == 200:
        return "ok"
    if response.status_code == 503 and response.json().get("detail"):
        return "503"
    tally.bad.append(f"cart: {response.status_code} {response.text[:300]}")
    return "bad"


async def _load(
    client: httpx.AsyncClient, sessions: list[Session], tally: Tally, stop: asyncio.Event
) -> None:
    """Each session chats and reads its cart back to back until told to stop."""

    async def one(session: Session) -> None:
        while not stop.is_set():
            tally.add(await _turn(client, session, tally))
            tally.add("cart " + await _cart(client, session, tally))
            await asyncio.sleep(0.05)

    await asyncio.gather(*(one(s) for s in sessions))


async def _all_recover(client: httpx.AsyncClient, sessions: list[Session]) -> bool:
    """Whether every session gets a successful turn again within 30 s of the store's return."""
    for _ in range(60):
        tally = Tally()
        results = await asyncio.gather(*(_turn(client, s, tally) for s in sessions))
        if all(r == "ok" for r in results):
            return True
        await asyncio.sleep(0.5)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("store", ["redis", "postgres", "mongo"])
async def test_store_outage_under_load_is_clear_and_recovers_without_a_restart(
    outage_live: LiveServer, own_stores: EmbeddedServers, store: str
) -> None:
    """Stop one store under load: clear RUN_ERROR/503s, no 500, no hang; then service resumes."""
    live = outage_live
    sessions = [await new_session(live.url) for _ in range(SESSIONS)]
    async with httpx.AsyncClient(base_url=live.url, timeout=BOUND) as client:
        warm = Tally()
        assert [await _turn(client, s, warm) for s in sessions] == ["ok"] * SESSIONS

        before, during = Tally(), Tally()
        stop = asyncio.Event()
        load = asyncio.create_task(_load(client, sessions, before, stop))
        await asyncio.sleep(0.5)
        stop.set()
        await load

        own_stores.stop_server(store)
        try:
            stop = asyncio.Event()
            load = asyncio.create_task(_load(client, sessions, during, stop))
            await asyncio.sleep(2.0)
            ready = await client.get("/health/ready")
            stop.set()
            await load
        finally:
            await asyncio.to_thread(own_stores.start_server, store)

        assert await _all_recover(client, sessions), f"turns did not succeed again after {store}"
        after = Tally()
        results = await asyncio.gather(*(_cart(client, s, after) for s in sessions))
        assert results == ["ok"] * SESSIONS
        assert (await client.get("/health/ready")).status_code == 200
        if store == "mongo":
            # What could not be written while MongoDB was away is written now, none dropped.
            transcripts = live.chat.transcripts
            for _ in range(100):
                if transcripts.describe()["pending"] == 0:
                    break
                await asyncio.sleep(0.2)
            stats = transcripts.describe()
            assert stats["pending"] == 0 and stats["dropped"] == 0, stats

    assert not before.bad and not during.bad and not after.bad, before.bad + during.bad
    assert set(before.outcomes) == {"ok", "cart ok"}
    assert ready.status_code == 503  # readiness tells a balancer which store is missing
    assert ready.json()["checks"][store] == "down"
    assert "/" not in ready.text and "Error" not in ready.text  # no paths or errors in public
    if store == "mongo":
        # Transcripts are written off the hot path: MongoDB away fails and slows no turn.
        assert set(during.outcomes) == {"ok", "cart ok"}, during.outcomes
    else:
        refused = {k for k in during.outcomes if k.startswith("RUN_ERROR") or k.endswith("503")}
        assert refused, during.outcomes
        assert "RUN_ERROR:STORE_UNAVAILABLE" in during.outcomes or "503" in during.outcomes
