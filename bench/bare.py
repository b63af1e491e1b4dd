"""The reference the benchmarks compare against: Litestar doing almost nothing, same uvicorn.

    uv run python bench/bare.py --port 8765 [--body-file menu.json] [--workers 2]

- `GET /json`: a small dict serialised by Litestar (the framework's own limit for a JSON API);
- `GET /bytes`: pre-encoded bytes (the body of `--body-file`, e.g. the menu), same size as ours;
- WebSocket `/ws`: echoes each text frame back (the limit for a chat transport).

uvicorn runs exactly as `restaurant serve` runs it: one process, uvloop and httptools (uvicorn's
"auto" picks them when installed), the same host, the same WebSocket frame limit. With
`--workers N` (as `restaurant serve --workers N`): N worker processes on one socket under
uvicorn's supervisor, each building the app with `worker_app`.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn
from litestar import Litestar, Response, WebSocket, get, websocket

DEFAULT_BODY = b'{"status":"ok"}'
BODY_FILE_ENV = "BARE_BODY_FILE"  # how the supervisor hands `--body-file` to its workers


def build_app(body: bytes) -> Litestar:
    """A Litestar app with the three reference endpoints."""

    @get("/json", sync_to_thread=False)
    def small_json() -> dict[str, Any]:
        """A small JSON object."""
        return {"status": "ok", "items": [1, 2, 3], "name": "bare"}

    @get("/bytes", sync_to_thread=False)
    def pre_encoded() -> Response[bytes]:
        """Pre-encoded JSON bytes."""
        return Response(body, media_type="application/json")

    @websocket("/ws")
    async def echo(socket: WebSocket[Any, Any, Any]) -> None:
        """Echo text frames until the client closes."""
        await socket.accept()
        try:
            while True:
                await socket.send_text(await socket.receive_text())
        except Exception:  # the client went away: the echo ends with it
            return

    return Litestar(route_handlers=[small_json, pre_encoded, echo], debug=False)


def worker_app() -> Litestar:
    """The app of one worker under uvicorn's supervisor (`--workers N`); it ends with the
    supervisor, as the service's workers do."""
    if multiprocessing.parent_process() is not None:
        from restaurant.processes import die_with_parent

        die_with_parent()
    logging.basicConfig(level=logging.WARNING)
    body_file = os.environ.get(BODY_FILE_ENV)
    return build_app(Path(body_file).read_bytes() if body_file else DEFAULT_BODY)


def main() -> None:
    """Serve the reference app on 127.0.0.1."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body-file", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (default 1)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    # The same uvicorn.run arguments as `restaurant serve` (src/restaurant/cli.py).
    options: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": args.port,
        "log_level": "warning",
        "proxy_headers": True,
        "forwarded_allow_ips": "127.0.0.1",
        "ws_max_size": 65536,
    }
    if args.workers <= 1:
        body = args.body_file.read_bytes() if args.body_file else DEFAULT_BODY
        uvicorn.run(build_app(body), **options)
        return
    if args.body_file:
        os.environ[BODY_FILE_ENV] = str(args.body_file.resolve())
    uvicorn.run("bench.bare:worker_app", factory=True, workers=args.workers, **options)


if __name__ == "__main__":
    main()
