"""Caddy with the repository's Caddyfile in front of a stub upstream: what the proxy itself does.

The stub answers instantly and streams on a fixed schedule, so these checks are exact: an SSE
event arrives before its stream ends and uncompressed, JSON is compressed, the SPA falls back to
index.html, and a dead replica in the list costs no request.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from restaurant.dev.stack import caddy_environment, start_caddy
from restaurant.processes import free_port

pytestmark = pytest.mark.skipif(
    shutil.which("caddy") is None, reason="caddy is not installed (`make system-deps` installs it)"
)

STREAM_GAP = 1.5  # seconds between the stub's two SSE events
BIG_JSON = json.dumps({"items": [{"name": f"dish {i}", "price": "9.50"} for i in range(200)]})


class Stub(BaseHTTPRequestHandler):
    """/health/ready, a JSON document, and an SSE stream of two events STREAM_GAP apart."""

    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        """Answer the three stub routes."""
        if self.path == "/health/ready":
            self._send(200, "application/json", b'{"status": "ok"}')
        elif self.path == "/api/v1/menu":
            self._send(200, "application/json", BIG_JSON.encode())
        elif self.path == "/api/v1/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(b"id: 1\nevent: message\ndata: first\n\n")
            self.wfile.flush()
            time.sleep(STREAM_GAP)
            self.wfile.write(b"id: 2\nevent: message\ndata: second\n\n")
            self.wfile.flush()
        else:
            self._send(404, "application/json", b'{"status": 404}')

    def do_POST(self) -> None:
        """Echo the size of the JSON body it was sent."""
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(200, "application/json", json.dumps({"received": len(body)}).encode())

    def _send(self, status: int, media_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Proxy:
    """Caddy at `base_url` in front of the stub."""

    base_url: str


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """Caddy on a free port; its upstreams are the stub and a port nobody listens on."""
    root = tmp_path_factory.mktemp("caddy-proxy")
    frontend = root / "dist"
    (frontend / "assets").mkdir(parents=True)
    (frontend / "index.html").write_text("<!doctype html><title>app</title><div id=root></div>")
    (frontend / "assets" / "index-abc123.js").write_text("console.log('app');\n" * 100)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    dead = free_port()  # a replica that has crashed: nothing listens there
    port = free_port()
    upstreams = f"127.0.0.1:{server.server_address[1]} 127.0.0.1:{dead}"
    env = caddy_environment(port, upstreams, frontend, root / "caddy")
    caddy = start_caddy(env, root / "caddy.log")
    try:
        yield Proxy(base_url=f"http://127.0.0.1:{port}")
    finally:
        caddy.terminate()
        caddy.wait(15)
        server.shutdown()
        server.server_close()


def test_stack_proxy_streams_sse_unbuffered_and_uncompressed(proxy: Proxy) -> None:
    """The first event arrives well before the stream ends, with no Content-Encoding."""
    headers = {"Accept-Encoding": "zstd, gzip", "Accept": "text/event-stream"}
    started = time.monotonic()
    with httpx.stream("GET", f"{proxy.base_url}/api/v1/events", headers=headers, timeout=10) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in r.headers
        arrivals = []
        for chunk in r.iter_raw():
            arrivals.append((time.monotonic() - started, chunk))
    first_at = next(at for at, chunk in arrivals if b"data: first" in chunk)
    ended_at = arrivals[-1][0]
    assert first_at < STREAM_GAP / 2, f"first event after {first_at:.2f} s: buffered"
    assert ended_at >= STREAM_GAP
    assert b"".join(chunk for _, chunk in arrivals).count(b"data: ") == 2


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_stack_proxy_compresses_json(proxy: Proxy, encoding: str) -> None:
    """API JSON is compressed with what the client asks for, and decodes to the same document."""
    response = httpx.get(
        f"{proxy.base_url}/api/v1/menu", headers={"Accept-Encoding": encoding}, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert "Accept-Encoding" in response.headers["vary"]
    if encoding == "gzip":
        assert response.json() == json.loads(BIG_JSON)


def test_stack_proxy_retries_past_a_dead_replica(proxy: Proxy) -> None:
    """With one listed replica down, every request still succeeds (retried on the live one)."""
    statuses = [
        httpx.get(f"{proxy.base_url}/api/v1/menu", timeout=10).status_code for _ in range(20)
    ]
    assert statuses == [200] * 20


def _stub() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"127.0.0.1:{server.server_address[1]}"


def test_stack_proxy_never_blames_the_live_replica_for_a_dead_ones_post(tmp_path: Path) -> None:
    """A replica dies between health checks; POSTs with a body reach it before Caddy knows.

    Caddy 2.6 retried such a POST on the live replica without its body (it does not keep it), that
    try failed, and the failure counted against the live replica: with `max_fails 1` both were
    out and every request got 503 "no upstreams available" for `fail_duration`. Now a POST with a
    body is not retried: the few that reach the dead replica fail (502) and count against it
    alone, and everything after them is served by the live one."""
    root = tmp_path
    (root / "dist").mkdir()
    (root / "dist" / "index.html").write_text("<!doctype html><title>app</title>")
    live, live_address = _stub()
    dying, dying_address = _stub()
    port = free_port()
    env = caddy_environment(port, f"{live_address} {dying_address}", root / "dist", root / "caddy")
    caddy = start_caddy(env, root / "caddy.log")
    base, admin = f"http://127.0.0.1:{port}", f"http://{env['CADDY_ADMIN']}"
    try:
        time.sleep(0.5)  # both have passed Caddy's first health check
        dying.shutdown()
        dying.server_close()  # refused from now on; Caddy's next check is up to 2 s away
        body, json_type = b'{"message": "a coke"}', {"Content-Type": "application/json"}
        first = [
            httpx.post(f"{base}/api/v1/echo", content=body, headers=json_type, timeout=10)
            for _ in range(12)
        ]
        assert all(r.status_code in (200, 502) for r in first), [r.status_code for r in first]
        assert [r.status_code for r in first].count(502) <= 2  # max_fails: then it is out
        after = [
            httpx.post(f"{base}/api/v1/echo", content=body, headers=json_type, timeout=10)
            for _ in range(20)
        ]
        after += [httpx.get(f"{base}/api/v1/menu", timeout=10) for _ in range(20)]
        assert [r.status_code for r in after] == [200] * 40
        assert {r.json()["received"] for r in after[:20]} == {len(body)}
        fails = {
            u["address"]: u["fails"] for u in httpx.get(f"{admin}/reverse_proxy/upstreams").json()
        }
        assert fails[live_address] == 0, fails
    finally:
        caddy.terminate()
        caddy.wait(15)
        live.shutdown()
        live.server_close()


def test_stack_proxy_serves_the_spa(proxy: Proxy) -> None:
    """Files from the build; client-side routes get index.html; a missing asset is a 404."""
    home = httpx.get(f"{proxy.base_url}/", timeout=10)
    assert home.status_code == 200
    assert "<div id=root>" in home.text
    assert home.headers["cache-control"] == "no-cache"
    deep = httpx.get(f"{proxy.base_url}/orders/42", timeout=10)
    assert deep.status_code == 200
    assert deep.text == home.text
    asset = httpx.get(
        f"{proxy.base_url}/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"}
    )
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert asset.headers["content-encoding"] == "gzip"
    assert httpx.get(f"{proxy.base_url}/assets/missing-000.js", timeout=10).status_code == 404


def test_stack_proxy_sets_security_headers(proxy: Proxy) -> None:
    """Static pages and API answers both carry the security headers; no HSTS on plain HTTP."""
    for path in ("/", "/api/v1/menu"):
        headers = httpx.get(f"{proxy.base_url}{path}", timeout=10).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp
        assert f"ws://127.0.0.1:{proxy.base_url.rsplit(':', 1)[1]}" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in headers
        assert "server" not in headers
