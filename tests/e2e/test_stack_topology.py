"""The whole stack through Caddy (`make stack`'s topology): two app processes behind the
Caddyfile, on real stores. Health, compression and headers on real answers, the chat's SSE and
WebSocket through the proxy, load spread over both apps, and a conversation that carries on after
one app is killed with SIGKILL.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.sync.client import connect

from restaurant.dev.stack import Stack

ORDER = "I'd like a margherita pizza"


def _client(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.base_url, timeout=30)


def _session(client: httpx.Client) -> tuple[str, str]:
    response = client.post("/api/v1/sessions")
    if response.status_code in (404, 405):
        pytest.skip("POST /api/v1/sessions is not served yet")
    assert response.status_code == 201, response.text
    body = response.json()
    return body["session_id"], body["token"]


def _events(chunks: list[bytes]) -> list[dict[str, Any]]:
    text = b"".join(chunks).decode()
    return [
        json.loads(line.removeprefix("data:").strip())
        for block in text.split("\n\n")
        for line in block.splitlines()
        if line.startswith("data:")
    ]


def _turn(client: httpx.Client, session_id: str, text: str) -> tuple[httpx.Headers, list[bytes]]:
    """One chat turn over SSE; the raw chunks as they arrived."""
    with client.stream(
        "POST",
        f"/api/v1/chat/{session_id}/stream",
        json={"message": text},
        headers={"Accept-Encoding": "zstd, gzip", "Accept": "text/event-stream"},
    ) as response:
        if response.status_code in (404, 405):
            pytest.skip("POST /api/v1/chat/{id}/stream is not served yet")
        assert response.status_code == 200, response.read()
        return response.headers, list(response.iter_raw())


def _requests_served(stack: Stack, index: int, path: str) -> int:
    log = (stack.data_dir / "logs" / f"app-{index}.log").read_text(errors="replace")
    return log.count(f'"GET {path} HTTP/1.1" 200')


def test_stack_is_ready_through_caddy(stack: Stack) -> None:
    """/health/ready answers 200 through Caddy, every store ok."""
    response = httpx.get(f"{stack.base_url}/health/ready", timeout=10)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_stack_menu_is_compressed_with_security_headers(stack: Stack, encoding: str) -> None:
    """The seeded menu through Caddy: compressed as asked, with the security headers."""
    response = httpx.get(
        f"{stack.base_url}/api/v1/menu", headers={"Accept-Encoding": encoding}, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert response.headers["etag"]
    headers = response.headers
    assert "script-src 'self';" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in headers  # plain HTTP here
    if encoding == "gzip":
        assert response.json()["categories"]


def test_stack_serves_the_frontend_and_menu_images(stack: Stack) -> None:
    """`/` is the built app (or the placeholder page), client routes fall back to it, and the
    menu images under /static come from the app."""
    home = httpx.get(f"{stack.base_url}/", timeout=10)
    assert home.status_code == 200
    assert home.headers["content-type"].startswith("text/html")
    assert httpx.get(f"{stack.base_url}/graph", timeout=10).text == home.text
    menu = httpx.get(f"{stack.base_url}/api/v1/menu", timeout=10).json()
    images = [
        item["image"]
        for category in menu["categories"]
        for item in category.get("items", [])
        if str(item.get("image") or "").startswith("/static/")
    ]
    if not images:
        pytest.skip("the seeded menu has no /static images")
    image = httpx.get(f"{stack.base_url}{images[0]}", timeout=10)
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/")


def test_stack_spreads_requests_over_both_apps(stack: Stack) -> None:
    """Requests through Caddy reach both app processes.

    Caddy sends each request to the app with the fewest open ones (`lb_policy least_conn`), so
    the test first waits until neither holds a stream of an earlier test: a stream whose browser
    has gone stays open until Caddy's next write to it fails, at the stream's next keep-alive
    comment (15 s), and until then every short request rightly goes to the other app. On a busy
    machine an app may also sit out a health check for a moment, so requests go on until both
    served some, or 30 s pass."""
    deadline = time.monotonic() + 60
    while any(u["num_requests"] for u in stack.upstreams()) and time.monotonic() < deadline:
        time.sleep(0.5)
    path = "/api/v1/menu/items?q=pizza"
    before = [_requests_served(stack, i, path) for i in (0, 1)]
    sent, served = 0, [0, 0]
    deadline = time.monotonic() + 30
    while not all(served) and time.monotonic() < deadline:
        for _ in range(10):
            assert httpx.get(f"{stack.base_url}{path}", timeout=10).is_success
        sent += 10
        time.sleep(0.3)  # the access log lines land a moment after the responses
        served = [_requests_served(stack, i, path) - b for i, b in zip((0, 1), before, strict=True)]
    assert all(count > 0 for count in served), (served, stack.upstreams(), _health(stack))
    assert sum(served) <= sent


def _health(stack: Stack) -> list[tuple[int | str, float]]:
    """Each app's /health/ready, asked directly: its status (or error) and seconds taken."""
    answers: list[tuple[int | str, float]] = []
    for index in range(len(stack.app_ports)):
        started = time.monotonic()
        try:
            status: int | str = httpx.get(
                f"{stack.app_url(index)}/health/ready", timeout=10
            ).status_code
        except httpx.HTTPError as error:
            status = repr(error)
        answers.append((status, round(time.monotonic() - started, 3)))
    return answers


def test_stack_streams_a_chat_turn_over_sse(stack: Stack) -> None:
    """A turn's events arrive one by one through Caddy, uncompressed, in order."""
    with _client(stack) as client:
        session_id, _ = _session(client)
        headers, chunks = _turn(client, session_id, ORDER)
    assert headers["content-type"].startswith("text/event-stream")
    assert "content-encoding" not in headers
    events = _events(chunks)
    assert events[0]["type"] == "RUN_STARTED"
    assert events[-1]["type"] == "RUN_FINISHED"
    # Unbuffered: the first event came in a read of its own, before the run finished.
    first = next(i for i, chunk in enumerate(chunks) if b"RUN_STARTED" in chunk)
    last = next(i for i, chunk in enumerate(chunks) if b"RUN_FINISHED" in chunk)
    assert first < last, "the whole turn arrived in one piece: the proxy buffered it"


def test_stack_chats_over_a_websocket(stack: Stack) -> None:
    """The chat WebSocket upgrades through Caddy and carries a turn both ways."""
    with _client(stack) as client:
        session_id, token = _session(client)
    address = urlsplit(stack.base_url).netloc
    url = f"ws://{address}/api/v1/chat/{session_id}?token={token}"
    with connect(url, open_timeout=10, close_timeout=5) as socket:
        socket.send(json.dumps({"type": "message", "text": ORDER}))
        seen: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            event = json.loads(socket.recv(timeout=30))
            seen.append(event["type"])
            if event["type"] == "RUN_ERROR":
                pytest.fail(f"the run failed: {event}")
            if event["type"] == "RUN_FINISHED" and "TOOL_CALL_START" in seen:
                break
    assert "RUN_STARTED" in seen
    assert "TOOL_CALL_START" in seen  # the order was handled, not just the history replayed


def test_stack_keeps_chatting_after_an_app_is_killed(stack: Stack) -> None:
    """kill -9 one app mid-conversation: the next turns go to the other, with the whole history."""
    with _client(stack) as client:
        session_id, token = _session(client)
        client.headers["Authorization"] = f"Bearer {token}"
        _, chunks = _turn(client, session_id, ORDER)
        assert _events(chunks)[-1]["type"] == "RUN_FINISHED"

        stack.kill_app(0)
        try:
            assert stack.apps[0].poll() is not None
            statuses = [client.get("/api/v1/menu").status_code for _ in range(20)]
            assert statuses == [200] * 20
            _, chunks = _turn(client, session_id, "and a coke")
            types = [event["type"] for event in _events(chunks)]
            assert "RUN_ERROR" not in types
            assert types[-1] == "RUN_FINISHED"
            history = client.get(f"/api/v1/chat/{session_id}/messages")
            assert history.status_code == 200
            users = [m for m in history.json()["messages"] if m["role"] == "user"]
            assert len(users) == 2  # the first turn, served before the kill, is still there
            assert client.get("/health/ready").status_code == 200
        finally:
            stack.restart_app(0)

    # Back to two: the restarted app takes traffic again.
    before = _requests_served(stack, 0, "/api/v1/menu/items?q=cola")
    for _ in range(30):
        assert httpx.get(f"{stack.base_url}/api/v1/menu/items?q=cola", timeout=10).is_success
    time.sleep(0.5)
    assert _requests_served(stack, 0, "/api/v1/menu/items?q=cola") > before
