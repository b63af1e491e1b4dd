"""Liveness and readiness: readiness checks every store."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import sqlalchemy as sa
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from restaurant.lifespan import Resources

log = logging.getLogger(__name__)


async def _check(name: str, probe: Any) -> tuple[str, str]:
    try:
        await asyncio.wait_for(probe, timeout=2)
    except Exception as exc:  # any failure means "not ready"
        # The reason goes to the log only: it names hosts, sockets and paths, which the public
        # endpoint must not.
        log.warning("readiness: %s is down: %s: %s", name, type(exc).__name__, exc)
        return name, "down"
    return name, "ok"


class HealthController(Controller):
    """`/health`: for load balancers and orchestrators."""

    path = "/health"
    tags = ["health"]

    @get("/live", summary="The process is up")
    async def live(self) -> dict[str, str]:
        """Always ok while the process serves requests."""
        return {"status": "ok"}

    @get("/ready", summary="Every store answers")
    async def ready(
        self, request: Request[Any, Any, Any], resources: NamedDependency[Resources]
    ) -> Response[dict[str, Any]]:
        """200 when PostgreSQL, Redis and MongoDB answer, 503 naming the ones that don't (why is
        in the log); 503 "draining" once the process got SIGTERM (restaurant/drain.py)."""
        if request.app.state.drain.draining:
            # Out of the proxy's rotation before it stops listening; requests are still served.
            return Response({"status": "draining"}, status_code=503)

        async def postgres() -> None:
            async with resources.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))

        results = dict(
            await asyncio.gather(
                _check("postgres", postgres()),
                _check("redis", resources.redis.ping()),
                _check("mongo", resources.mongo.admin.command("ping")),
            )
        )
        ok = all(v == "ok" for v in results.values())
        return Response(
            {"status": "ok" if ok else "unavailable", "checks": results},
            status_code=200 if ok else 503,
        )
