"""A WebSocket's `?token=` never reaches the request logs in full (issue 17, point 5): uvicorn's
access and handshake lines show `token=[redacted]` (restaurant.api.security.TokenRedaction)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import httpx
import pytest
import websockets

from tests.integration.chat_support import LiveServer, Socket, live, new_session

__all__ = ["live"]  # the fixture, imported for pytest


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def request_log() -> Iterator[list[str]]:
    """uvicorn's request lines (access and WebSocket handshakes) at INFO, as a server logs them
    (the test server is quiet otherwise)."""
    handler = _Lines()
    loggers = [logging.getLogger(name) for name in ("uvicorn.access", "uvicorn.error")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield handler.lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_request_log_websocket_query_token_is_redacted(
    live: LiveServer, request_log: list[str]
) -> None:
    session = await new_session(live.url)
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}?token={session.token}"
    ) as socket:
        history = await Socket(socket).run()
    assert history[-1]["type"] == "RUN_FINISHED"  # the query token did authenticate
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        await client.get("/api/v1/menu", params={"token": session.token})
    await asyncio.sleep(0.2)
    handshakes = [line for line in request_log if "WebSocket" in line]
    assert handshakes and all("token=[redacted]" in line for line in handshakes), request_log
    assert any("/api/v1/menu?token=[redacted]" in line for line in request_log), request_log
    assert not any(session.token in line for line in request_log), request_log
