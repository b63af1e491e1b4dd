"""HTTP benchmark: the menu API against a bare Litestar endpoint, in the same run.

    uv run python -m bench.http_api                    # 10 s per endpoint, 64 connections
    uv run python -m bench.http_api --seconds 3 --connections 16   # a quick look
    uv run python -m bench.http_api --workers 2        # the app and the bare app, two workers each

(Named http_api, not http: a bench/http.py would shadow the standard library's `http` for
every script run from this directory.)

The app runs through `restaurant serve` on real PostgreSQL, Redis and MongoDB-wire servers; the
reference (`bench/bare.py`) runs under the same uvicorn settings, one process each by default
(`--workers N`: N worker processes each under uvicorn's supervisor), on 127.0.0.1.
The load comes from wrk (Debian's `wrk`; `make system-deps` installs it), one thread, in its own
process. Endpoints, one after the other (never two at once, so each has the CPU the load
generator leaves):

- `bare /json`: a small dict serialised by Litestar, the framework's limit;
- `bare /bytes`: the menu's own uncompressed bytes, pre-encoded: the limit for that body size;
- `GET /api/v1/menu`: the whole menu (cached, pre-encoded, with an ETag) as browsers ask for
  it (`Accept-Encoding: gzip`: 5 KB, gzipped once per menu version), and `menu identity`, the
  same uncompressed (66 KB);
- `GET /api/v1/menu/items?q=...`: typo-tolerant search, queries rotated by a wrk Lua script.

Writes bench/results/http.json and bench/results/http.png.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    RESULTS,
    Stores,
    Ticker,
    app_server,
    bare_server,
    busy_note,
    embedded_stores,
    save_bar_chart,
    say,
    server_processes,
    tree_cpu_seconds,
    write_results,
)

# Searches a customer would type, typos included; wrk rotates through them.
QUERIES = ["pizza", "margarita", "vegan", "coke", "chiken", "salad", "spicy", "tiramisu"]

# wrk's Lua hooks: rotate request paths, then print one machine-readable line when done.
WRK_LUA = r"""
local paths = {%(paths)s}
local headers = {%(headers)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%%d,"duration_us":%%d,"bytes":%%d,' ..
    '"errors":{"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d},' ..
    '"latency_us":{"p50":%%d,"p90":%%d,"p99":%%d,"max":%%d,"mean":%%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def wrk_binary() -> str:
    """The wrk executable, or exit with how to install it."""
    found = shutil.which("wrk")
    if found is None:
        sys.exit("wrk is not installed: `make system-deps` (or `apt-get install -y wrk`)")
    return found


def run_wrk(
    label: str,
    base: str,
    paths: list[str],
    *,
    seconds: int,
    connections: int,
    workdir: Path,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Load `paths` (rotated) on `base` with wrk; its counts, rate and latency percentiles."""
    script = workdir / f"{''.join(c if c.isalnum() else '_' for c in label)}.lua"
    lua_headers = ", ".join(
        f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()
    )
    script.write_text(
        WRK_LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "headers": lua_headers}
    )
    argv = [
        wrk_binary(),
        "-t1",  # one load thread: the other core is the server's
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        base + paths[0],
    ]
    say(f"  {label}: {seconds} s, {connections} connections ...")
    with Ticker(label, lambda: "running", every=max(2.0, seconds / 4)):
        done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(raw["errors"].values())
    seconds_run = raw["duration_us"] / 1e6
    result = {
        "label": label,
        "paths": paths,
        "headers": headers or {},
        "connections": connections,
        "seconds": round(seconds_run, 2),
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / seconds_run, 1),
        "bytes_per_request": round(raw["bytes"] / max(raw["requests"], 1)),
        "errors": errors,
        "error_kinds": raw["errors"],
        "latency_ms": {k: round(v / 1000, 2) for k, v in raw["latency_us"].items()},
    }
    say(
        f"    -> {result['requests_per_second']:.0f} req/s, p50 {result['latency_ms']['p50']} ms,"
        f" p99 {result['latency_ms']['p99']} ms, errors {errors}"
    )
    return result


def check_endpoints(app_base: str, bare_base: str) -> bytes:
    """Fail early unless every endpoint answers 200 with JSON; the menu body."""
    with urllib.request.urlopen(app_base + "/api/v1/menu", timeout=10) as response:
        menu = bytes(response.read())
    for url in [
        app_base + "/api/v1/menu/items?q=pizza",
        bare_base + "/json",
        bare_base + "/bytes",
    ]:
        with urllib.request.urlopen(url, timeout=10) as response:
            json.loads(response.read())
    json.loads(menu)
    return menu


def bench(args: argparse.Namespace, stores: Stores) -> dict[str, Any]:
    """Run every endpoint one after the other and compare."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    try:
        with app_server(stores, workers=args.workers) as app:
            # The bare app serves the menu's own bytes, so /bytes is the same payload as ours.
            with urllib.request.urlopen(app.base + "/api/v1/menu", timeout=10) as response:
                body_file = workdir / "menu.json"
                body_file.write_bytes(response.read())
            with bare_server(workdir, body_file=body_file, workers=args.workers) as bare:
                check_endpoints(app.base, bare.base)
                runs: list[dict[str, Any]] = []
                gzip = {"Accept-Encoding": "gzip"}
                plain = {"Accept-Encoding": "identity"}
                plan = [
                    ("bare /json", bare, ["/json"], plain),
                    ("bare /bytes", bare, ["/bytes"], plain),
                    ("menu", app, ["/api/v1/menu"], gzip),  # what every browser asks for
                    ("menu identity", app, ["/api/v1/menu"], plain),
                    ("search", app, [f"/api/v1/menu/items?q={q}" for q in QUERIES], gzip),
                ]
                for label, server, paths, headers in plan:
                    # The server's process tree: with workers, the supervisor and all of them.
                    cpu_before = tree_cpu_seconds(server.pid)
                    result = run_wrk(
                        label,
                        server.base,
                        paths,
                        seconds=args.seconds,
                        connections=args.connections,
                        workdir=workdir,
                        headers=headers,
                    )
                    # CPU the server used per request: tells framework cost from waiting.
                    used = tree_cpu_seconds(server.pid) - cpu_before
                    result["server_cpu_us_per_request"] = round(
                        used / max(result["requests"], 1) * 1e6, 1
                    )
                    runs.append(result)
                    time.sleep(0.5)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    by = {r["label"]: r for r in runs}
    bare_rps = by["bare /json"]["requests_per_second"]
    menu_rps = by["menu"]["requests_per_second"]
    return {
        "load_generator": "wrk -t1 (one thread), rotated paths via Lua",
        "server": f"uvicorn, {server_processes(args.workers)}, uvloop + httptools, 127.0.0.1, "
        "LOG_LEVEL=WARNING; the bare app with the same workers",
        "workers": args.workers,
        "seconds_per_endpoint": args.seconds,
        "connections": args.connections,
        "runs": runs,
        "summary": {
            "menu_requests_per_second": menu_rps,
            "menu_identity_requests_per_second": by["menu identity"]["requests_per_second"],
            "search_requests_per_second": by["search"]["requests_per_second"],
            "bare_json_requests_per_second": bare_rps,
            "bare_bytes_requests_per_second": by["bare /bytes"]["requests_per_second"],
            "menu_vs_bare_json": round(menu_rps / bare_rps, 3) if bare_rps else 0.0,
            "errors": sum(r["errors"] for r in runs),
            "targets": {"menu_rps": 2000, "menu_vs_bare_json": 0.6},
            "met": menu_rps >= 2000 and bare_rps > 0 and menu_rps / bare_rps >= 0.6,
        },
    }


def main() -> None:
    """Parse options, start the stores and servers, load each endpoint, save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per endpoint (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers of the app and the bare app (1)"
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON path (default results/)")
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args()
    wrk_binary()
    with embedded_stores() as stores:
        report = bench(args, stores)
    path = write_results("http", report, args.out)
    if not args.no_plot:
        runs = report["runs"]
        save_bar_chart(
            RESULTS / "http.png",
            f"HTTP requests/s (wrk, uvicorn {server_processes(args.workers)})",
            [r["label"] for r in runs],
            [r["requests_per_second"] for r in runs],
            "requests/s",
            target=2000,
            note=busy_note(),
        )
    summary = report["summary"]
    print(json.dumps(summary, indent=2))
    say(f"wrote {path}")


if __name__ == "__main__":
    main()
