"""`restaurant serve --workers 2`: one socket, two worker processes under uvicorn's supervisor.

The server runs as a subprocess on the session's stores (the seeded database, a Redis database of
its own). Which worker answers is read from /proc, not from an API: a worker is a child of the
supervisor, and the server side of each established connection to the port is a socket in one
worker's file table.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import websockets
from pydantic import ValidationError

from restaurant.processes import free_port
from restaurant.settings import Settings
from tests.conftest import redis_db_url
from tests.integration.chat_support import Socket, cards, types

WORKERS = 2
_CREDENTIALS = ("LLM__", "AUTH__SMS_")


@dataclass
class Served:
    """A running `restaurant serve --workers 2` and where it logs."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def _children(pid: int) -> set[int]:
    """The live child processes of `pid` (zombies left out), from /proc/*/stat."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(stat.parent.name))
    return found


def workers_of(pid: int) -> set[int]:
    """The supervisor's worker processes (its other child is multiprocessing's resource
    tracker)."""
    workers = set()
    for child in _children(pid):
        with contextlib.suppress(OSError):
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.add(child)
    return workers


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def holders(port: int, pids: set[int]) -> dict[int, int]:
    """How many established connections to 127.0.0.1:`port` each of `pids` holds."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            inodes.add(fields[9])
    counts = {}
    for pid in pids:
        held = 0
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:[") and target[8:-1] in inodes:
                        held += 1
        counts[pid] = held
    return counts


def wait_until(
    check: Callable[[], bool], what: str, timeout: float, served: Served | None = None
) -> None:
    """Poll `check()` until it is true; fail with `what` (and the server's log) after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(
        f"{what} within {timeout:.0f} s" + (f":\n{served.tail()}" if served else "")
    )


def _ready(served: Served) -> bool:
    if served.process.poll() is not None:
        raise AssertionError(f"serve exited with {served.process.returncode}:\n{served.tail()}")
    try:
        return httpx.get(f"{served.url}/health/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def serve_workers(
    database_url: str, redis_url: str, mongo_url: str, data_dir: Path
) -> Iterator[Served]:
    """`restaurant serve --workers 2 --no-seed` until the block ends (then SIGKILL if alive)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CREDENTIALS)}
    env |= {
        "DB__URL": database_url,
        "REDIS__URL": redis_url,
        "MONGO__URL": mongo_url,
        "MONGO__DATABASE": "test_workers",
        "DATA_DIR": str(data_dir),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    }
    log = data_dir / "serve.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "restaurant.cli", "serve", "--no-seed", "--workers", "2"],
            cwd=data_dir,  # no .env from the checkout
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(process, port, log)
    try:
        wait_until(lambda: _ready(served), "the server did not answer /health/ready", 60, served)
        wait_until(lambda: len(workers_of(process.pid)) == WORKERS, "two workers", 30, served)
        yield served
    finally:
        workers = workers_of(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait(10)
        # They end with the supervisor (PR_SET_PDEATHSIG); one that did not must not outlive
        # the test, and is a failure.
        try:
            wait_until(lambda: not any(_alive(w) for w in workers), "workers gone", 15)
        except AssertionError:
            for worker in filter(_alive, workers):
                os.kill(worker, signal.SIGKILL)
            raise


@pytest.fixture(scope="module")
def served(
    seeded_db: str, redis_url: str, mongo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """Two workers on the seeded database and a Redis database of their own (db 9)."""
    with serve_workers(
        seeded_db, redis_db_url(redis_url, 9), mongo_url, tmp_path_factory.mktemp("workers")
    ) as running:
        yield running


async def _spread(served: Served, workers: set[int], seconds: float = 90) -> dict[int, int]:
    """Bursts of keep-alive connections until every worker holds one of a burst (a worker
    accepts only once its app has started: from a fresh clone on a busy machine, two workers
    compiling and importing everything at once took over 20 s); the connections each held in
    the last burst."""
    counts: dict[int, int] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        burst = [httpx.AsyncClient(base_url=served.url, timeout=10) for _ in range(8)]
        try:
            answers = await asyncio.gather(
                *(c.get("/api/v1/menu/items", params={"q": "pizza"}) for c in burst)
            )
            assert {a.status_code for a in answers} == {200}
            counts = holders(served.port, workers)
        finally:
            await asyncio.gather(*(c.aclose() for c in burst))
        if all(counts.values()):
            break
        await asyncio.sleep(0.2)
    return counts


def test_settings_workers_default_one_from_env_at_least_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings(_env_file=None).workers == 1  # type: ignore[call-arg]
    monkeypatch.setenv("WORKERS", "3")
    assert Settings(_env_file=None).workers == 3  # type: ignore[call-arg]
    monkeypatch.setenv("WORKERS", "0")
    with pytest.raises(ValidationError, match="workers"):
        Settings(_env_file=None)  # type: ignore[call-arg]


async def test_serve_workers_answer_from_two_processes(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.url, timeout=10) as client:
        menu = await client.get("/api/v1/menu")
    assert menu.status_code == 200 and menu.json()["categories"]
    workers = workers_of(served.process.pid)
    assert len(workers) == WORKERS
    counts = await _spread(served, workers)
    assert all(counts.values()), f"connections by worker: {counts}"


async def test_serve_workers_run_a_chat_turn_over_websocket(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.url, timeout=10) as client:
        created = await client.post("/api/v1/sessions")
    assert created.status_code == 201, created.text
    body = created.json()
    url = f"ws://127.0.0.1:{served.port}/api/v1/chat/{body['session_id']}"
    headers = {"Authorization": f"Bearer {body['token']}"}
    async with websockets.connect(url, additional_headers=headers) as connection:
        ws = Socket(connection)
        assert types(await ws.run())[-1] == "RUN_FINISHED"  # the history run
        added = await ws.say("two cokes")
    assert types(added)[-1] == "RUN_FINISHED", json.dumps(added)[-1000:]
    assert cards(added, "CART_CARD")[-1]["lines"][0]["quantity"] == 2
    # Whichever worker takes the next socket reads the conversation from the stores.
    async with websockets.connect(url, additional_headers=headers) as connection:
        history = await Socket(connection).run()
    messages = history[1]["messages"]
    assert [m["content"] for m in messages if m["role"] == "user"] == ["two cokes"]


async def test_serve_workers_replace_a_killed_worker(served: Served) -> None:
    before = workers_of(served.process.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    async with httpx.AsyncClient(base_url=served.url, timeout=10) as client:
        for _ in range(10):  # the survivor answers meanwhile
            assert (await client.get("/api/v1/menu")).status_code == 200
            await asyncio.sleep(0.05)

    def replaced() -> bool:
        now = workers_of(served.process.pid)
        return len(now) == WORKERS and len(now - before) == 1 and victim not in now

    await asyncio.to_thread(wait_until, replaced, "a new worker for the killed one", 30, served)
    workers = workers_of(served.process.pid)
    counts = await _spread(served, workers, seconds=60)
    assert all(counts.values()), f"connections by worker after the restart: {counts}"


def test_serve_workers_stop_with_the_supervisor_on_sigterm(served: Served) -> None:
    workers = workers_of(served.process.pid)
    assert len(workers) == WORKERS
    served.process.send_signal(signal.SIGTERM)
    served.process.wait(10)
    assert served.process.returncode == 0, served.tail()
    wait_until(lambda: not any(_alive(w) for w in workers), "every worker ended", 5)


@pytest.mark.slow  # a server of its own: another ~10 s
def test_serve_workers_end_when_the_supervisor_is_killed(
    seeded_db: str, redis_url: str, mongo_url: str, tmp_path: Path
) -> None:
    with serve_workers(seeded_db, redis_db_url(redis_url, 9), mongo_url, tmp_path) as running:
        workers = workers_of(running.process.pid)
        running.process.kill()  # SIGKILL: no chance to stop its workers
        running.process.wait(10)
        wait_until(lambda: not any(_alive(w) for w in workers), "orphaned workers ended", 15)
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{running.url}/api/v1/menu", timeout=5)
