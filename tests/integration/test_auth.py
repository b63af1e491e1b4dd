"""OTP sign-in on real Redis and PostgreSQL: codes, tries, the lock, expiry, resend limits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from graph.models import AuthFailure, SignedIn, SignInStarted
from restaurant.auth.otp import CodeAccepted, CodeSent, OtpService
from restaurant.auth.senders import FileOutbox, SendError
from restaurant.auth.sessions import new_chat_id
from restaurant.chat.context import build_context
from restaurant.lifespan import Resources
from restaurant.services.signin import ChatIdentity, SignInService
from tests.integration.auth_support import (
    ask_code,
    forget_address_limits,
    last_code,
    new_caller,
    new_phone,
    resources_of,
    verify_code,
    wrong_code,
)

# Requesters of codes in the tests that drive `OtpService` directly (a session's token hash).
OWNER, STRANGER = "a" * 64, "b" * 64


@pytest.fixture(autouse=True)
async def fresh_address_budget(resources: Resources) -> AsyncIterator[None]:
    """Every request of the test client comes from 'testclient': give each test a fresh budget."""
    await forget_address_limits(resources)
    yield
    await forget_address_limits(resources)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


async def test_auth_wrong_code_then_right_code(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await new_caller(client)
    phone = new_phone()
    sent = await ask_code(client, caller, f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}")
    assert sent.status_code == 200
    assert sent.json() == {"phone": f"+1******{phone[-4:]}", "resend_after": 30, "expires_in": 300}
    outbox = resources_of(client).settings.outbox_path
    message = json.loads(outbox.read_text().splitlines()[-1])
    assert set(message) == {"to", "code", "text", "sent_at"}
    assert message["to"] == phone  # normalised to E.164
    code = message["code"]
    assert len(code) == 6 and code.isdigit() and code in message["text"]

    wrong = _problem(await verify_code(client, caller, phone, wrong_code(code)), 400)
    assert wrong["tries_left"] == 4
    assert wrong["reason"] == "wrong_code"
    assert (await client.get("/api/v1/me", headers=caller.headers)).json()["signed_in"] is False

    before = caller.headers
    right = await verify_code(client, caller, phone, code)
    assert right.status_code == 200
    assert right.json()["phone"] == phone
    assert caller.headers != before  # a new token (tests/integration/test_auth_rotation.py)
    me = (await client.get("/api/v1/me", headers=caller.headers)).json()
    assert me == {
        "signed_in": True,
        "user_id": right.json()["user_id"],
        "phone": f"+1******{phone[-4:]}",
    }
    used = _problem(await verify_code(client, caller, phone, code), 400)  # a code works once
    assert used["reason"] in ("no_challenge", "expired")

    # The same phone signs in as the same user on another session (which has a resend
    # cooldown of its own: the first session's code was just sent).
    other = await new_caller(client)
    assert (await ask_code(client, other, phone)).status_code == 200
    again = await verify_code(client, other, phone, last_code(outbox, phone))
    assert again.json()["user_id"] == right.json()["user_id"]


async def test_auth_five_wrong_tries_lock_the_code(client: AsyncTestClient[Any]) -> None:
    caller = await new_caller(client)
    phone = new_phone()
    await ask_code(client, caller, phone)
    code = last_code(resources_of(client).settings.outbox_path, phone)
    for tries_left in (4, 3, 2, 1):
        assert (
            _problem(await verify_code(client, caller, phone, wrong_code(code)), 400)["tries_left"]
            == tries_left
        )
    locked = _problem(await verify_code(client, caller, phone, wrong_code(code)), 423)
    assert locked["reason"] == "locked" and locked["tries_left"] == 0
    # Locked means locked: the right code, and a new code, are refused too.
    still = await verify_code(client, caller, phone, code)
    assert _problem(still, 423)["reason"] == "locked"
    assert 0 < int(still.headers["retry-after"]) <= 900
    assert _problem(await ask_code(client, caller, phone), 423)["reason"] == "locked"
    assert (await client.get("/api/v1/me", headers=caller.headers)).json()["signed_in"] is False


async def test_auth_concurrent_guesses_cannot_beat_the_lock(client: AsyncTestClient[Any]) -> None:
    caller = await new_caller(client)
    phone = new_phone()
    await ask_code(client, caller, phone)
    code = last_code(resources_of(client).settings.outbox_path, phone)
    guesses = [f"{n:06d}" for n in range(30) if f"{n:06d}" != code][:25]
    responses = await asyncio.gather(*(verify_code(client, caller, phone, g) for g in guesses))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(400) == 4  # exactly max_attempts - 1 guesses were ever compared wrong
    assert statuses.count(423) == 21
    assert _problem(await verify_code(client, caller, phone, code), 423)["reason"] == "locked"


async def test_auth_right_codes_at_once_sign_in_once(client: AsyncTestClient[Any]) -> None:
    caller = await new_caller(client)
    phone = new_phone()
    await ask_code(client, caller, phone)
    code = last_code(resources_of(client).settings.outbox_path, phone)
    responses = await asyncio.gather(*(verify_code(client, caller, phone, code) for _ in range(5)))
    assert sorted(r.status_code for r in responses) == [200, 400, 400, 400, 400]


async def test_auth_codes_expire(resources: Resources, tmp_path: Any) -> None:
    otp = OtpService(
        resources.redis, FileOutbox(tmp_path / "outbox.jsonl"), secret="s" * 32, ttl_seconds=1
    )
    phone = new_phone()
    sent = await otp.send(phone, "192.0.2.1", requester=OWNER)
    assert isinstance(sent, CodeSent) and sent.expires_in == 1
    code = json.loads((tmp_path / "outbox.jsonl").read_text())["code"]
    await asyncio.sleep(1.3)
    expired = await otp.verify(phone, code, requester=OWNER)
    assert isinstance(expired, AuthFailure) and expired.reason == "expired"
    never = await otp.verify(new_phone(), code, requester=OWNER)
    assert isinstance(never, AuthFailure) and never.reason == "no_challenge"
    # "expired" is the owner's to hear: another requester is told what it would be told of
    # any number it never asked a code for.
    stranger = await otp.verify(phone, code, requester=STRANGER)
    assert stranger == never


async def test_auth_a_resent_code_keeps_the_tries_used(resources: Resources, tmp_path: Any) -> None:
    outbox = tmp_path / "outbox.jsonl"
    otp = OtpService(resources.redis, FileOutbox(outbox), secret="s" * 32, resend_seconds=1)
    phone = new_phone()
    await otp.send(phone, requester=OWNER)
    first = last_code(outbox, phone)
    for _ in range(3):
        assert isinstance(await otp.verify(phone, wrong_code(first), requester=OWNER), AuthFailure)
    await asyncio.sleep(1.1)
    assert isinstance(await otp.send(phone, requester=OWNER), CodeSent)
    second = last_code(outbox, phone)
    wrong = await otp.verify(phone, wrong_code(second), requester=OWNER)
    assert isinstance(wrong, AuthFailure) and wrong.tries_left == 1
    # The replaced code no longer works; the new one does.
    if first != second:
        stale = await otp.verify(phone, first, requester=OWNER)
        assert isinstance(stale, AuthFailure) and stale.reason == "locked"
    else:
        assert isinstance(await otp.verify(phone, second, requester=OWNER), CodeAccepted)


async def test_auth_resends_are_limited_per_phone(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await new_caller(client)
    phone = new_phone()
    assert (await ask_code(client, caller, phone)).status_code == 200
    soon = await ask_code(client, caller, phone)
    body = _problem(soon, 429)
    retry = int(soon.headers["retry-after"])
    assert 0 < retry <= 30
    assert body["retry_after"] == retry and body["reason"] == "too_soon"
    otp = resources_of(client).services.otp
    auth = await resources.services.sessions.resolve(caller.token)
    assert auth is not None
    cooldown = otp.keys(phone, auth.token_hash)["cool"]
    for _ in range(otp.phone_limit - 1):
        await resources.redis.delete(cooldown)  # as if the 30 seconds had passed
        assert (await ask_code(client, caller, phone)).status_code == 200
    await resources.redis.delete(cooldown)
    capped = await ask_code(client, caller, phone)
    assert "this number" in _problem(capped, 429)["detail"]
    assert 30 < int(capped.headers["retry-after"]) <= otp.phone_window


async def test_auth_sends_are_limited_per_client_address(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    otp = resources_of(client).services.otp
    callers = [await new_caller(client) for _ in range(3)]
    for i in range(otp.address_limit):
        assert (await ask_code(client, callers[i % 3], new_phone())).status_code == 200
    refused = await ask_code(client, callers[0], new_phone())
    assert "from this address" in _problem(refused, 429)["detail"]
    assert int(refused.headers["retry-after"]) > 0
    # Another address still gets codes: the limit is the address's, not everyone's.
    other = await resources.services.otp.send(new_phone(), "198.51.100.23", requester=OWNER)
    assert isinstance(other, CodeSent)


async def test_auth_redis_never_holds_a_code_or_a_phone(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await new_caller(client)
    phone = new_phone()
    await ask_code(client, caller, phone)
    code = last_code(resources_of(client).settings.outbox_path, phone)
    seen: list[bytes] = []
    async for key in resources.redis.scan_iter(match="otp:*"):
        seen.append(key)
        kind = await resources.redis.type(key)
        if kind == b"hash":
            for field, value in (await resources.redis.hgetall(key)).items():
                seen += [field, value]
        elif kind == b"string":
            seen.append(await resources.redis.get(key))
    assert any(b"otp:code:" in k for k in seen)
    blob = b"\n".join(seen)
    assert code.encode() not in blob
    assert phone[1:].encode() not in blob and phone[-7:].encode() not in blob


async def test_auth_bad_input_is_a_clear_problem(client: AsyncTestClient[Any]) -> None:
    caller = await new_caller(client)
    h = caller.headers
    invalid = _problem(await ask_code(client, caller, "+1 555 010 2030"), 400)
    assert invalid["reason"] == "invalid_phone" and "valid phone number" in invalid["detail"]
    words = _problem(await ask_code(client, caller, "call me maybe"), 400)
    assert words["reason"] == "invalid_phone"
    short = _problem(await ask_code(client, caller, "12345"), 400)
    assert short["reason"] == "invalid_phone"
    malformed = await client.post(
        "/api/v1/auth/otp", content=b'{"phone": ', headers={**h, "Content-Type": "application/json"}
    )
    _problem(malformed, 400)
    unknown = await client.post(
        "/api/v1/auth/otp", json={"phone": new_phone(), "admin": True}, headers=h
    )
    assert "admin" in json.dumps(_problem(unknown, 400))
    missing = await client.post("/api/v1/auth/verify", json={"phone": new_phone()}, headers=h)
    assert "code" in json.dumps(_problem(missing, 400))
    letters = await client.post(
        "/api/v1/auth/verify", json={"phone": new_phone(), "code": "abcdef"}, headers=h
    )
    _problem(letters, 400)
    huge = await client.post(
        "/api/v1/auth/otp",
        content=b'{"phone": "' + b"1" * 100_000 + b'"}',
        headers={**h, "Content-Type": "application/json"},
    )
    _problem(huge, 413)
    nobody = await client.post("/api/v1/auth/otp", json={"phone": new_phone()})
    assert _problem(nobody, 401)["detail"]


async def test_auth_chat_and_rest_are_one_sign_in(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    """A code asked for inside the chat (Identity) signs the REST session in, and vice versa."""
    caller = await new_caller(client)
    auth = await resources.services.sessions.resolve(caller.token)
    assert auth is not None
    tokens: list[str] = []
    context = await build_context(
        resources, auth, caller.session_id, on_token=lambda token, _: tokens.append(token)
    )
    phone = new_phone()
    started = await context.identity.start_sign_in(caller.session_id, phone)
    assert isinstance(started, SignInStarted) and started.phone == phone
    too_soon = await context.identity.resend_code(caller.session_id)
    assert isinstance(too_soon, AuthFailure) and too_soon.reason == "too_soon"
    assert await context.identity.current_user(caller.session_id) is None
    code = last_code(resources.settings.outbox_path, phone)
    wrong = await context.identity.verify_code(caller.session_id, wrong_code(code))
    assert isinstance(wrong, AuthFailure) and wrong.tries_left == 4
    # The same pending code, checked over REST, signs in the session that owns the chat.
    assert (await verify_code(client, caller, phone, code)).status_code == 200
    assert tokens == []  # REST answered the new token; the chat's identity hands none
    user = await context.identity.current_user(caller.session_id)
    assert user is not None
    me = (await client.get("/api/v1/me", headers=caller.headers)).json()
    assert me["user_id"] == str(user)
    rebuilt = await build_context(
        resources,
        (await resources.services.sessions.resolve(caller.token)) or auth,
        caller.session_id,
    )
    assert rebuilt.user_id == user
    assert rebuilt.lexicon is context.lexicon  # one Lexicon per menu version, shared

    # And the other way: a code asked for over REST is verified inside the chat.
    second = await new_caller(client)
    second_auth = await resources.services.sessions.resolve(second.token)
    assert second_auth is not None
    phone2 = new_phone()
    await ask_code(client, second, phone2)
    chat = await build_context(
        resources, second_auth, second.session_id, on_token=lambda token, _: tokens.append(token)
    )
    signed = await chat.identity.verify_code(
        second.session_id, last_code(resources.settings.outbox_path, phone2)
    )
    assert isinstance(signed, SignedIn) and signed.phone == phone2
    # The chat's sign-in handed the session's new token to the caller's connection.
    assert len(tokens) == 1
    assert (await client.get("/api/v1/me", headers=second.headers)).status_code == 401
    second.token = tokens[0]
    assert (await client.get("/api/v1/me", headers=second.headers)).json()["signed_in"] is True


async def test_auth_chat_identity_reads_its_first_answer_as_the_turn_begins(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    """A turn's context starts reading whether its chat signed in as it is built (alongside the
    turn's other reads); the first question takes that answer, later ones read again, and a
    sign-in inside the chat is never answered from before it."""
    caller = await new_caller(client)
    auth = await resources.services.sessions.resolve(caller.token)
    assert auth is not None and auth.user_id is None
    context = await build_context(resources, auth, caller.session_id)
    assert await context.identity.current_user(caller.session_id) is None
    phone = new_phone()
    await ask_code(client, caller, phone)
    code = last_code(resources.settings.outbox_path, phone)
    assert (await verify_code(client, caller, phone, code)).status_code == 200
    user = await context.identity.current_user(caller.session_id)  # read again
    assert user is not None

    second = await new_caller(client)
    second_auth = await resources.services.sessions.resolve(second.token)
    assert second_auth is not None
    chat = await build_context(resources, second_auth, second.session_id)
    phone2 = new_phone()
    await ask_code(client, second, phone2)
    signed = await chat.identity.verify_code(
        second.session_id, last_code(resources.settings.outbox_path, phone2)
    )
    assert isinstance(signed, SignedIn)
    assert await chat.identity.current_user(second.session_id) == signed.user_id


class _Broken:
    """A sender whose provider is down."""

    async def send(self, phone: str, code: str, text: str) -> None:
        raise SendError("SMS provider answered 503: maintenance")


async def test_auth_a_failed_send_is_reported(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await new_caller(client)
    otp = resources_of(client).services.otp
    working, otp.sender = otp.sender, _Broken()
    try:
        failed = await ask_code(client, caller, new_phone())
    finally:
        otp.sender = working
    body = _problem(failed, 502)
    assert "could not be sent" in body["detail"]

    # Inside the chat the customer gets a sentence to act on, not an error.
    services = resources.services
    broken = OtpService(resources.redis, _Broken(), secret="s" * 32)
    identity = ChatIdentity(
        SignInService(broken, services.sessions, services.users, services.carts)
    )
    result = await identity.start_sign_in(caller.session_id, new_phone())
    assert isinstance(result, AuthFailure)
    assert "couldn't be sent" in result.message and result.retry_after == 30
    gone = await identity.start_sign_in(new_chat_id(), new_phone())
    assert isinstance(gone, AuthFailure) and "expired" in gone.message
