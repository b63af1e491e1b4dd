"""The HTTP SMS sender against a real (fake) gateway on a socket: the contract of docs/sms.md."""

from __future__ import annotations

import json

import pytest

from restaurant.auth.senders import HttpSender, SendError, sender_from
from restaurant.processes import free_port
from restaurant.settings import Settings
from tests.fakes.sms_gateway import TOKEN, FakeSmsGateway, sms_gateway

__all__ = ["sms_gateway"]

PHONE = "+12125550123"
TEXT = "123456 is your Restaurant sign-in code. It expires in 5 minutes."


async def test_sms_gateway_gets_json_with_the_bearer_token(sms_gateway: FakeSmsGateway) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        auth={"sms_sender": "http", "sms_url": sms_gateway.url, "sms_token": TOKEN},
    )
    await sender_from(settings).send(PHONE, "123456", TEXT)
    (request,) = sms_gateway.requests
    assert request.path == "/send"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {"to": PHONE, "text": TEXT}
    assert sms_gateway.codes(PHONE) == ["123456"]


async def test_sms_gateway_refusals_are_send_errors(sms_gateway: FakeSmsGateway) -> None:
    with pytest.raises(SendError, match="401"):
        await HttpSender(sms_gateway.url, "wrong-token").send(PHONE, "123456", TEXT)
    sms_gateway.status = 503
    with pytest.raises(SendError, match="503"):
        await HttpSender(sms_gateway.url, TOKEN).send(PHONE, "123456", TEXT)
    # A redirect is not followed (the token would go with it) and is no delivery.
    sms_gateway.status = 302
    sms_gateway.headers["Location"] = "http://127.0.0.1:9/elsewhere"
    with pytest.raises(SendError, match="302"):
        await HttpSender(sms_gateway.url, TOKEN).send(PHONE, "123456", TEXT)
    assert len(sms_gateway.requests) == 3
    assert sms_gateway.messages == []


async def test_sms_gateway_unreachable_is_a_send_error() -> None:
    closed = f"http://127.0.0.1:{free_port()}/send"  # nothing listens there
    with pytest.raises(SendError, match="unreachable"):
        await HttpSender(closed, TOKEN, timeout=2).send(PHONE, "123456", TEXT)
