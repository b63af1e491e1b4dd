"""What every benchmark here shares: servers on 127.0.0.1, progress lines, statistics, results.

The benchmarks start everything they measure themselves, in a temporary directory, on free
loopback ports: embedded PostgreSQL, Redis and MongoDB-wire servers, the app through its real
entry point (`restaurant serve`, uvicorn with uvloop and httptools; `workers` processes under
uvicorn's supervisor when more than one) and the bare reference app (`bench/bare.py`, the same
uvicorn settings). Nothing is sent anywhere else. A server's CPU time and memory are those of its
whole process tree (`tree_cpu_seconds`, `tree_rss_bytes`): the supervisor and its workers.

The scripts are run from the repository root, as files (`uv run python bench/chat.py`) or as
modules (`uv run python -m bench.chat`); either way `bench.*` is importable.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BARE = ROOT / "bench" / "bare.py"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def raise_fd_limit(wanted: int = 65536) -> int:
    """Raise the open-file limit towards `wanted` (children inherit it); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc (0 if it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, from /proc (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields 14 and 15 of stat (utime, stime), counted after the ")" that ends the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """`pid` and every live process below it (children, theirs...), from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        children.setdefault(ppid, []).append(int(stat.parent.name))
    tree: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and its descendants so far, reaped ones included (a worker that died
    and was replaced still counts, through its parent's cutime/cstime): take differences."""
    total = 0.0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Fields 14-17 of stat: utime, stime, cutime, cstime (waited-for children's).
        total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its descendants, summed (pages the processes share, such as
    the interpreter's libraries, count once per process)."""
    return sum(rss_bytes(member) for member in process_tree(pid))


def serving_pids(port: int, pids: Sequence[int]) -> set[int]:
    """Which of `pids` hold the server side of an established connection to 127.0.0.1:`port`
    (from /proc/net/tcp and each process's file descriptors)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # ESTABLISHED
            inodes.add(f"socket:[{fields[9]}]")
    serving = set()
    for pid in pids:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) in inodes:
                    serving.add(pid)
                    break
            except OSError:
                continue
    return serving


def newest_mtime(paths: Sequence[Path]) -> float:
    """The newest modification time of these files and of every file under these directories
    (0 when none exists): whether a build is older than its sources."""
    times = [
        p.stat().st_mtime
        for root in paths
        if root.exists()
        for p in ([root] if root.is_file() else root.rglob("*"))
    ]
    return max(times, default=0.0)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of already sorted values, nearest rank; 0 when empty."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max/mean of latencies given in seconds, reported in milliseconds."""
    values = sorted(seconds)
    if not values:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0, "mean_ms": 0.0}
    return {
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p95_ms": round(percentile(values, 95) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
        "max_ms": round(values[-1] * 1000, 2),
        "mean_ms": round(sum(values) / len(values) * 1000, 2),
    }


def machine() -> dict[str, Any]:
    """What the numbers were measured on, including how busy the machine was."""
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def command() -> str:
    """How this benchmark was started, as `python -m bench.<name> ...`: no machine's paths."""
    script = Path(sys.argv[0]).resolve()
    try:
        head = "python -m " + ".".join(script.relative_to(ROOT).with_suffix("").parts)
    except ValueError:
        head = script.name
    return " ".join([head, *sys.argv[1:]])


def write_results(name: str, report: dict[str, Any], out: Path | None = None) -> Path:
    """Write `bench/results/<name>.json` (or `out`) with the run's metadata; the path written."""
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": name,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command(),
        "machine": machine(),
        **report,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def say(message: str) -> None:
    """A progress line on stderr, flushed at once (stdout stays for the summary)."""
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """No full garbage collections in this process while the block runs (the load generator's
    own: each stopped every client for 100 ms or more every few seconds, and that showed in the
    latencies measured). What exists is frozen first; the young generations are still collected,
    and one full collection runs at the end."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(thresholds[0], thresholds[1], 2**31 - 1)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        gc.collect()


class Ticker:
    """Prints `status()` every `every` seconds from a thread until stopped (progress while
    something else, such as wrk, holds the foreground)."""

    def __init__(self, label: str, status: Any, every: float = 2.0) -> None:
        self._label = label
        self._status = status
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.monotonic()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            say(f"  [{self._label}] {time.monotonic() - self._started:5.1f}s {self._status()}")

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------------------------
# Servers


@dataclass
class Stores:
    """Store URLs for the app: embedded servers of this run's own, in `directory`."""

    directory: Path
    postgres_url: str
    redis_url: str
    mongo_url: str

    def env(self) -> dict[str, str]:
        """The app's environment variables pointing at these stores."""
        return {
            "DB__URL": self.postgres_url,
            "REDIS__URL": self.redis_url,
            "MONGO__URL": self.mongo_url,
        }


@contextlib.contextmanager
def embedded_stores(prefix: str = "bench-") -> Iterator[Stores]:
    """Real PostgreSQL, Redis and MongoDB-wire servers in a temporary directory, then removed."""
    from restaurant.dev.embedded import EmbeddedServers

    directory = Path(tempfile.mkdtemp(prefix=prefix))
    servers = EmbeddedServers(directory / "data")
    say(f"starting embedded PostgreSQL, Redis and MongoDB-wire in {directory} ...")
    started = time.monotonic()
    servers.start()
    say(f"  stores ready in {time.monotonic() - started:.1f} s")
    try:
        assert servers.postgres_url and servers.redis_url and servers.mongo_url
        yield Stores(directory, servers.postgres_url, servers.redis_url, servers.mongo_url)
    finally:
        servers.stop()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Server:
    """A server process of this run on 127.0.0.1:`port`."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        """The process started: with one worker the uvicorn process itself, with several their
        supervisor (measure the whole tree: `tree_cpu_seconds`, `tree_rss_bytes`)."""
        return self.process.pid

    @property
    def base(self) -> str:
        """http://127.0.0.1:port"""
        return f"http://{LOOPBACK}:{self.port}"

    def tail(self, chars: int = 3000) -> str:
        """The end of the server's log."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def _wait_http(server: Server, path: str, timeout: float) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with code {server.process.returncode}:\n{server.tail()}"
            )
        try:
            conn = http.client.HTTPConnection(LOOPBACK, server.port, timeout=2)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} not ready on {path} in {timeout:.0f} s:\n{server.tail()}")


def _wait_workers(server: Server, path: str, timeout: float) -> None:
    """Wait until each of the server's workers has taken a connection: a uvicorn worker accepts
    only once its app has started, and the first one up answers the readiness check alone."""
    import http.client

    deadline = time.monotonic() + timeout
    serving: set[int] = set()
    while time.monotonic() < deadline:
        # Several connections at once: while one worker answers, the others accept.
        connections = [
            http.client.HTTPConnection(LOOPBACK, server.port, timeout=5)
            for _ in range(2 * server.workers + 2)
        ]
        try:
            for connection in connections:
                connection.connect()
            for connection in connections:
                connection.request("GET", path)
            for connection in connections:
                connection.getresponse().read()
            serving = serving_pids(server.port, process_tree(server.pid))
        except OSError:
            pass
        finally:
            for connection in connections:
                connection.close()
        if len(serving) >= server.workers:
            return
        time.sleep(0.2)
    raise RuntimeError(
        f"{server.name}: {len(serving)} of {server.workers} workers answered in {timeout:.0f} s:"
        f"\n{server.tail()}"
    )


def _stop(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    # SIGINT: uvicorn shuts down cleanly (a supervisor stops its workers first) and
    # `restaurant serve` then stops what it started.
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@contextlib.contextmanager
def serve(
    name: str,
    argv: list[str],
    *,
    port: int,
    ready_path: str,
    log_dir: Path,
    env: dict[str, str] | None = None,
    unset: tuple[str, ...] = (),
    cwd: Path = ROOT,
    timeout: float = 90,
    workers: int = 1,
) -> Iterator[Server]:
    """Run `argv` as a server process until the block ends; wait until `ready_path` answers
    (from every one of `workers` worker processes). `env` adds to this process's environment,
    `unset` names variables the server must not see."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    for key in unset:
        full_env.pop(key, None)
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv, cwd=cwd, env=full_env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(name, port, process, log, workers)
    try:
        say(f"starting {name} on {LOOPBACK}:{port} ...")
        _wait_http(server, ready_path, timeout)
        if workers > 1:
            _wait_workers(server, ready_path, timeout)
        yield server
    finally:
        _stop(process)


def app_env(stores: Stores, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for `restaurant serve` on `stores`: quiet logs, private data directory."""
    return {
        **stores.env(),
        "DATA_DIR": str(data_dir),
        # Same log level for the app and the bare reference: no access log line per request.
        "LOG_LEVEL": "WARNING",
        "ENVIRONMENT": "development",
        # Every simulated customer connects from loopback: one address, thousands of sessions.
        "AUTH__NEW_SESSIONS_PER_ADDRESS": "1000000",
        **extra,
    }


def server_processes(workers: int) -> str:
    """How many processes serve, in words, for the results' `settings`."""
    if workers == 1:
        return "one process"
    return f"{workers} worker processes under uvicorn's supervisor (CPU and memory: all of them)"


# The demo restaurant keeps real opening hours; benchmarks and tests place orders at whatever hour
# they run, so their apps serve it open around the clock.


def demo_menu_always_open() -> Any:
    """The demo menu with its restaurant open all day, every day: what the test servers serve,
    so no test that places an order depends on the hour it runs at. The real hours have tests
    of their own, with pinned clocks (tests/unit/test_venue.py, tests/graph, test_orders.py)."""
    from graph.menu import load_menu
    from graph.venue import always_open

    return always_open(load_menu(ROOT / "seeds" / "demo.json"))


async def import_demo_always_open(database_url: str) -> int:
    """Import `demo_menu_always_open()` into a migrated database; the menu version it made."""
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from restaurant.services.menu_import import import_menu

    engine = create_async_engine(database_url)
    try:
        return (await import_menu(async_sessionmaker(engine), demo_menu_always_open())).version
    finally:
        await engine.dispose()


def serve_demo_always_open(database_url: str, app_urls: list[str], timeout: float = 60) -> None:
    """Import the always-open demo menu and wait until every app serves that version (each
    checks for a new one every `MENU_CACHE_SECONDS`)."""
    import asyncio
    import time

    import httpx

    version = asyncio.run(import_demo_always_open(database_url))
    deadline = time.monotonic() + timeout
    for url in app_urls:
        while httpx.get(f"{url}/api/v1/menu", timeout=10).json()["version"] != version:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not serve menu version {version}")
            time.sleep(0.2)


@contextlib.contextmanager
def app_server(
    stores: Stores, *, name: str = "app", env: dict[str, str] | None = None, workers: int = 1
) -> Iterator[Server]:
    """The real service through `restaurant serve --workers N` (migrate, seed the demo menu,
    uvicorn: one process, or N workers under uvicorn's supervisor), serving the demo menu open
    around the clock."""
    port = free_port()
    data_dir = stores.directory / f"{name}-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "restaurant.cli", "serve", "--host", LOOPBACK]
    argv += ["--port", str(port), "--workers", str(workers)]
    with serve(
        name,
        argv,
        port=port,
        ready_path="/health/live",
        log_dir=stores.directory,
        env=app_env(stores, data_dir, **(env or {})),
        workers=workers,
    ) as server:
        server.extra["data_dir"] = data_dir
        server.extra["outbox"] = data_dir / "outbox.jsonl"
        serve_demo_always_open(stores.postgres_url, [server.base])
        yield server


@contextlib.contextmanager
def bare_server(
    log_dir: Path, *, body_file: Path | None = None, workers: int = 1
) -> Iterator[Server]:
    """The bare reference app (`bench/bare.py`): a JSON endpoint and a WebSocket echo, with as
    many uvicorn workers as the app it is compared with."""
    port = free_port()
    argv = [sys.executable, str(BARE), "--port", str(port), "--workers", str(workers)]
    if body_file is not None:
        argv += ["--body-file", str(body_file)]
    with serve(
        "bare",
        argv,
        port=port,
        ready_path="/json",
        log_dir=log_dir,
        env={"LOG_LEVEL": "WARNING"},
        workers=workers,
    ) as server:
        yield server


@contextlib.contextmanager
def profiled(pid: int, path: Path | None, seconds: float) -> Iterator[None]:
    """Sample `pid` and its subprocesses (a supervisor's workers) with py-spy for at most
    `seconds` while the block runs (no-op without a path); writes a flame graph SVG, or folded
    stacks when `path` ends in .txt."""
    if path is None:
        yield
        return
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        say("py-spy not found (uv sync installs it): not profiling")
        yield
        return
    fmt = "raw" if path.suffix == ".txt" else "flamegraph"
    path.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            *(spy, "record", "-p", str(pid), "--subprocesses"),
            *("-o", str(path), "-f", fmt, "-r", "100"),
            *("-d", str(max(1, int(seconds))), "--nonblocking"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        try:
            process.wait(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            process.kill()
        say(f"  profile of pid {pid} written to {path}")


def plot_available() -> bool:
    """Whether matplotlib can be imported (plots are skipped, not failed, without it)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        return False
    return True


def save_bar_chart(
    path: Path,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    ylabel: str,
    *,
    target: float | None = None,
    note: str = "",
) -> Path | None:
    """A bar chart (one bar per label, value printed on it), optionally with a target line."""
    if not plot_available():
        return None
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    bars = ax.bar(list(labels), list(values), color="#4c72b0")
    ax.bar_label(bars, fmt="%.0f")
    if target is not None:
        ax.axhline(target, color="#c44e52", linestyle="--", label=f"target {target:g}")
        ax.legend()
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if note:
        fig.text(0.01, 0.01, note, fontsize=7, color="#555555")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def save_latency_cdf(
    path: Path, title: str, series: dict[str, Sequence[float]], *, note: str = ""
) -> Path | None:
    """Latency distributions (seconds in, milliseconds plotted) as percentile curves."""
    if not plot_available():
        return None
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for label, seconds in series.items():
        values = sorted(seconds)
        if not values:
            continue
        n = len(values)
        ax.plot([v * 1000 for v in values], [100 * (i + 1) / n for i in range(n)], label=label)
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("percentile")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    if note:
        fig.text(0.01, 0.01, note, fontsize=7, color="#555555")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def busy_note() -> str:
    """A footnote for plots: when, and how loaded the machine was."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average {load}"
