"""The Litestar application factory."""

from __future__ import annotations

import logging
import multiprocessing
import os
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, head
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsPlugin
from litestar.response import File
from litestar.static_files import create_static_files_router
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError, OperationalError

from restaurant.api.analytics import AnalyticsController
from restaurant.api.auth import AuthController
from restaurant.api.cart import CartController
from restaurant.api.chat import AguiController, ChatController, chat_socket
from restaurant.api.deps import provide_menu_service, provide_resources
from restaurant.api.graph import GraphController
from restaurant.api.health import HealthController
from restaurant.api.menu import MenuController
from restaurant.api.orders import OrdersController
from restaurant.api.security import redact_tokens_in_logs
from restaurant.api.sessions import SessionController
from restaurant.api.staff import StaffController
from restaurant.chat.service import chat_lifespan, provide_chat
from restaurant.drain import Drain
from restaurant.lifespan import lifespan_for
from restaurant.processes import die_with_parent
from restaurant.services.menu import MenuNotFound
from restaurant.settings import Settings, get_settings

log = logging.getLogger(__name__)
SEED_IMAGES = Path(__file__).resolve().parents[2] / "seeds" / "images"


def _problem(status: int, title: str, detail: str) -> Response[dict[str, Any]]:
    return Response(
        {"type": "about:blank", "status": status, "title": title, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
    )


def _store_down(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    # The driver's own reason only: SQLAlchemy's message would add the statement.
    reason = getattr(exc, "orig", None) or exc
    log.warning("store unavailable on %s: %s: %s", request.url.path, type(exc).__name__, reason)
    return _problem(
        503, "Service Unavailable", "A data store is not reachable right now; please retry shortly."
    )


def _menu_missing(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    return _problem(503, "Menu Not Loaded", str(exc))


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if isinstance(exc, HTTPException):  # handled by the problem details plugin
        raise exc
    log.exception("unhandled error on %s", request.url.path)
    return _problem(
        500, "Internal Server Error", "Something went wrong on our side; it has been logged."
    )


_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


async def _json_bodies_only(request: Request[Any, Any, Any]) -> None:
    """A request body to the API is JSON, said so by its Content-Type: a form or `text/plain`
    body is what another site's page can send without asking (a CSRF shape), so it gets 415."""
    if request.method not in _WITH_BODY or not request.url.path.startswith("/api/"):
        return
    headers = request.headers
    if headers.get("content-length", "0") == "0" and "transfer-encoding" not in headers:
        return  # no body: "POST /sessions", "/cancel"
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise HTTPException(
            status_code=415,
            detail="Send the body as JSON, with Content-Type: application/json.",
        )


def _head_of_index(index: Path) -> Any:
    """`HEAD /`, which Litestar's static router (html mode) answers only for files by name:
    uptime checks and `curl -I` ask for the page itself."""

    @head("/", name="frontend/index-head", include_in_schema=False)
    async def index_head() -> File:
        return File(path=index, filename=index.name, content_disposition_type="inline")

    return index_head


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the application; `settings` must carry store URLs (`restaurant serve` fills them)."""
    settings = settings or get_settings()
    redact_tokens_in_logs()  # a WebSocket's ?token= never reaches the request logs in full
    route_handlers: list[Any] = [HealthController, MenuController]
    route_handlers += [ChatController, AguiController, chat_socket, GraphController]
    route_handlers += [SessionController, AuthController, CartController, OrdersController]
    route_handlers += [StaffController, AnalyticsController]
    if SEED_IMAGES.is_dir():
        route_handlers.append(
            create_static_files_router(
                path="/static/menu", directories=[SEED_IMAGES], name="menu-images"
            )
        )
    if settings.frontend_dir.is_dir():
        route_handlers.append(
            create_static_files_router(
                path="/", directories=[settings.frontend_dir], html_mode=True, name="frontend"
            )
        )
        route_handlers.append(_head_of_index(settings.frontend_dir / "index.html"))
    drain = Drain()  # set on SIGTERM by `restaurant serve` (restaurant/drain.py)
    return Litestar(
        route_handlers=route_handlers,
        state=State({"drain": drain}),
        middleware=[drain.middleware],
        lifespan=[lifespan_for(settings), chat_lifespan()],
        dependencies={
            "resources": Provide(provide_resources, sync_to_thread=False),
            "menu_service": Provide(provide_menu_service, sync_to_thread=False),
            "chat": Provide(provide_chat, sync_to_thread=False),
        },
        plugins=[ProblemDetailsPlugin(ProblemDetailsConfig(enable_for_all_http_exceptions=True))],
        exception_handlers={
            MenuNotFound: _menu_missing,
            RedisError: _store_down,
            OperationalError: _store_down,
            DBAPIError: _store_down,
            OSError: _store_down,
            Exception: _unexpected,
        },
        # Production serves no docs unless API_DOCS asks: the schema maps every route for a prober.
        openapi_config=OpenAPIConfig(
            title="Restaurant ordering assistant",
            version="1.0.0",
            path="/api/docs",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        )
        if settings.docs_served
        else None,
        debug=False,
        before_request=_json_bodies_only,
    )


def worker_app() -> Litestar:
    """One worker of `restaurant serve --workers N` (uvicorn's factory): settings from the
    environment the supervisor prepared, store URLs included; the worker ends with it."""
    supervisor = multiprocessing.parent_process()
    if supervisor is not None:  # spawned by uvicorn's supervisor, not run by hand
        # uvicorn replaces a worker that dies, but nothing stops a worker whose supervisor dies
        # (kill -9): it would keep the socket and serve on, unsupervised. SIGTERM stops it
        # gracefully; a supervisor already gone before the prctl shows as a new parent pid.
        die_with_parent()
        if os.getppid() != supervisor.pid:
            raise SystemExit("the supervisor of this worker is gone")
    # As `restaurant` does in the supervisor: uvicorn configures only its own loggers.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return create_app(Settings())
