"""SIGTERM drains `restaurant serve` (src/restaurant/drain.py), on a real socket: readiness says
503 at once while every request is still served, with `Connection: close`; an open chat socket is
closed with 1012 once the drain time is up; then the port stops listening and the server ends."""

from __future__ import annotations

import json
import signal
import threading
import time
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from restaurant.app import create_app
from restaurant.drain import DrainingServer
from restaurant.processes import free_port
from restaurant.settings import Settings

DRAIN = 1.5


def _until(check: Any, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} within {timeout:.0f} s"
        time.sleep(0.05)


@pytest.fixture
def served(app_settings: Settings) -> Any:
    """The app under the draining server, in a thread (the test sends it the SIGTERM)."""
    app = create_app(app_settings)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = DrainingServer(config, app.state.drain, drain_seconds=DRAIN, grace_seconds=5)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _until(lambda: server.started, "the server started", 60)
    yield server, thread, f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


def test_drain_keeps_serving_while_readiness_says_503_then_stops(served: Any) -> None:
    server, thread, address = served
    base = f"http://{address}"
    assert httpx.get(f"{base}/health/ready", timeout=10).status_code == 200
    session = httpx.post(f"{base}/api/v1/sessions", timeout=10).json()
    url = f"ws://{address}/api/v1/chat/{session['session_id']}?token={session['token']}"
    with connect(url, open_timeout=10) as socket:
        while json.loads(socket.recv(timeout=10))["type"] != "RUN_FINISHED":
            pass  # the history
        server.handle_exit(signal.SIGTERM, None)
        began = time.monotonic()
        time.sleep(0.3)  # the server's next tick starts the drain
        ready = httpx.get(f"{base}/health/ready", timeout=10)
        assert ready.status_code == 503 and ready.json() == {"status": "draining"}
        menu = httpx.get(f"{base}/api/v1/menu", timeout=10)  # still served...
        assert menu.status_code == 200
        assert menu.headers["connection"] == "close"  # ...on a connection it then closes
        socket.send(json.dumps({"type": "message", "text": "a coke"}))  # still answered
        events = []
        while not events or events[-1]["type"] not in ("RUN_FINISHED", "RUN_ERROR"):
            events.append(json.loads(socket.recv(timeout=10)))
        assert events[-1]["type"] == "RUN_FINISHED"
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert time.monotonic() - began >= DRAIN - 0.1  # not before the drain time was up
    thread.join(15)  # no socket left open: uvicorn's own shutdown, then the lifespan's
    assert not thread.is_alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/health/live", timeout=2)
