"""One-time codes: random six digits, stored as a keyed MAC bound to the phone; the senders."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from restaurant.auth.otp import OtpService, new_code
from restaurant.auth.senders import FileOutbox, HttpSender, SendError, sender_from
from restaurant.settings import Settings


def _otp(secret: str) -> OtpService:
    # Constructing a client opens no connection; nothing here talks to Redis.
    return OtpService(Redis(), FileOutbox(Path("unused")), secret=secret)


def test_otp_codes_are_six_random_digits() -> None:
    codes = [new_code() for _ in range(5000)]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(set(codes)) > 4900
    assert any(c.startswith("0") for c in codes)  # leading zeros are kept
    assert len({c[0] for c in codes}) == 10


def test_otp_mac_is_keyed_and_bound_to_the_phone() -> None:
    otp = _otp("a" * 32)
    mac = otp.code_mac("+12125550123", "123456")
    assert len(mac) == 64 and "123456" not in mac
    assert mac == otp.code_mac("+12125550123", "123456")
    assert mac != otp.code_mac("+12125550124", "123456")  # the same code for another phone
    assert mac != _otp("b" * 32).code_mac("+12125550123", "123456")  # another secret


def test_otp_keys_name_no_phone() -> None:
    keys = _otp("a" * 32).keys("+12125550123", "f" * 64)
    assert set(keys) == {"code", "lock", "cool", "sent", "rate", "fails"}
    assert all("2125550123" not in key and "f" * 32 not in key for key in keys.values())


def test_otp_a_code_and_its_tries_belong_to_the_requester() -> None:
    otp = _otp("a" * 32)
    mine, theirs = otp.keys("+12125550123", "a" * 64), otp.keys("+12125550123", "b" * 64)
    for name in ("code", "lock", "cool", "sent"):  # the requester's own
        assert mine[name] != theirs[name]
    for name in ("rate", "fails"):  # the phone's, whoever asks
        assert mine[name] == theirs[name]


async def test_otp_outbox_appends_one_json_line_per_message(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path / "nested" / "outbox.jsonl")
    await outbox.send("+12125550123", "012345", "012345 is your code")
    await outbox.send("+12125550124", "999999", "999999 is your code")
    lines = [json.loads(line) for line in outbox.path.read_text().splitlines()]
    assert [(m["to"], m["code"]) for m in lines] == [
        ("+12125550123", "012345"),
        ("+12125550124", "999999"),
    ]
    assert set(lines[0]) == {"to", "code", "text", "sent_at"}


async def test_otp_http_sender_posts_with_a_bearer_token() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"id": "m1"})

    sender = HttpSender("https://sms.example/send", "tok", transport=httpx.MockTransport(answer))
    await sender.send("+12125550123", "123456", "123456 is your code")
    assert seen[0].headers["authorization"] == "Bearer tok"
    assert json.loads(seen[0].content) == {"to": "+12125550123", "text": "123456 is your code"}


async def test_otp_http_sender_reports_errors() -> None:
    refused = HttpSender(
        "https://sms.example/send",
        transport=httpx.MockTransport(lambda r: httpx.Response(401, text="bad token")),
    )
    with pytest.raises(SendError, match="401: bad token"):
        await refused.send("+12125550123", "123456", "text")

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    unreachable = HttpSender("https://sms.example/send", transport=httpx.MockTransport(down))
    with pytest.raises(SendError, match="unreachable"):
        await unreachable.send("+12125550123", "123456", "text")


def test_otp_sender_from_settings(tmp_path: Path) -> None:
    file_settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    sender = sender_from(file_settings)
    assert isinstance(sender, FileOutbox) and sender.path == tmp_path / "outbox.jsonl"
    http_settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        auth={"sms_sender": "http", "sms_url": "https://sms.example/send", "sms_token": "t"},
    )
    assert isinstance(sender_from(http_settings), HttpSender)
