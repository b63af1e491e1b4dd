"""A WebSocket's `?token=` is redacted from the request logs (pure functions, no server)."""

from __future__ import annotations

import logging

from restaurant.api.security import TokenRedaction, redact_token

TOKEN = "Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi0xMjM0NTY3OA"


def test_redact_token_replaces_only_the_token_value() -> None:
    assert redact_token(f"/api/v1/chat/abc?token={TOKEN}") == "/api/v1/chat/abc?token=[redacted]"
    assert (
        redact_token(f"/api/v1/chat/abc?x=1&token={TOKEN}&y=2")
        == "/api/v1/chat/abc?x=1&token=[redacted]&y=2"
    )
    # However the name is spelled, Litestar would read it as `token`: so is it redacted.
    assert TOKEN not in redact_token(f"/c?%74oken={TOKEN}")
    assert TOKEN not in redact_token(f"/c?TOKEN={TOKEN}")
    for text in ("/api/v1/menu", "/api/v1/menu?q=token", "/c?tokens=1", "WebSocket"):
        assert redact_token(text) == text


def test_token_redaction_filters_uvicorn_request_lines() -> None:
    websocket = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5000", f"/api/v1/chat/abc?token={TOKEN}"),
        None,
    )
    access = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/api/v1/me?token={TOKEN}", "1.1", 401),
        None,
    )
    for record in (websocket, access):
        assert TokenRedaction().filter(record)
        line = record.getMessage()
        assert TOKEN not in line and "token=[redacted]" in line
    assert access.args is not None and access.args[-1] == 401  # the formatter's fields stay
