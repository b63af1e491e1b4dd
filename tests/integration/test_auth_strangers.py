"""Sign-in that strangers cannot block (issue 17, point 2), on real Redis and PostgreSQL.

A code's tries belong to the session that asked for it: another session's guesses are never
compared with it, never use up its tries and never lock its owner out, and the answer they get is
the one a number without any code gets. A cap of wrong tries per number a day (from every
session, each with a code of its own) still stops guessing spread over many sessions.
tests/faults/test_abuse.py sends 50 strangers' guesses at once over a real socket.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from graph.models import AuthFailure
from restaurant.auth.otp import CodeAccepted, CodeSent, OtpService
from restaurant.auth.senders import FileOutbox
from restaurant.lifespan import Resources
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


@pytest.fixture(autouse=True)
async def fresh_address_budget(resources: Resources) -> None:
    await forget_address_limits(resources)


def _answer(response: Any) -> tuple[int, str, str, str | None]:
    """Everything a guesser learns from an answer: status, media type, body, Retry-After."""
    media = response.headers["content-type"].split(";")[0]
    return (
        response.status_code,
        media,
        json.dumps(response.json(), sort_keys=True),
        response.headers.get("retry-after"),
    )


async def test_auth_strangers_guess_learns_nothing_and_costs_the_owner_nothing(
    client: AsyncTestClient[Any],
) -> None:
    owner, stranger = await new_caller(client), await new_caller(client)
    phone = new_phone()
    assert (await ask_code(client, owner, phone)).status_code == 200
    code = last_code(resources_of(client).settings.outbox_path, phone)

    # A number with the owner's code pending, and one nobody asked a code for: one answer.
    pending = [
        await verify_code(client, stranger, phone, wrong_code(code, n)) for n in range(1, 12)
    ]
    nothing = await verify_code(client, stranger, new_phone(), wrong_code(code))
    assert nothing.status_code == 400 and nothing.json()["reason"] == "no_challenge"
    assert {_answer(r) for r in pending} == {_answer(nothing)}
    # Even the right code: it is the owner's, not the stranger's.
    assert _answer(await verify_code(client, stranger, phone, code)) == _answer(nothing)

    # The owner hears about its own code: all five tries are left, then the code works.
    mine = await verify_code(client, owner, phone, wrong_code(code))
    assert mine.status_code == 400 and mine.json()["reason"] == "wrong_code"
    assert mine.json()["tries_left"] == 4
    right = await verify_code(client, owner, phone, code)
    assert right.status_code == 200, right.text


async def test_auth_a_stranger_locking_itself_out_leaves_the_owner_alone(
    client: AsyncTestClient[Any],
) -> None:
    owner, stranger = await new_caller(client), await new_caller(client)
    phone = new_phone()
    outbox = resources_of(client).settings.outbox_path
    assert (await ask_code(client, owner, phone)).status_code == 200
    code = last_code(outbox, phone)
    # The stranger asks a code of its own for the owner's number (no cooldown of the owner's
    # stands in its way, so that says nothing either) and spends its five tries.
    assert (await ask_code(client, stranger, phone)).status_code == 200
    theirs = last_code(outbox, phone)
    answers = [
        await verify_code(client, stranger, phone, wrong_code(theirs, n)) for n in range(1, 6)
    ]
    assert [a.json().get("tries_left") for a in answers] == [4, 3, 2, 1, 0]
    assert answers[-1].status_code == 423
    assert (await ask_code(client, stranger, phone)).status_code == 423  # locked out: itself
    assert (await verify_code(client, stranger, phone, theirs)).status_code == 423

    # The owner was never locked: its code, sent before the stranger's, still signs in.
    right = await verify_code(client, owner, phone, code)
    assert right.status_code == 200, right.text
    again = await new_caller(client)  # and the number still gets codes for other sessions
    assert (await ask_code(client, again, phone)).status_code == 200


async def test_auth_wrong_tries_on_a_number_are_capped_per_day(
    client: AsyncTestClient[Any], resources: Resources, tmp_path: Path
) -> None:
    """Guessing spread over many sessions, each with its own code, ends at the number's daily
    cap: no new code for anyone; a code already sent keeps its own tries and still works."""
    outbox = tmp_path / "outbox.jsonl"
    otp = OtpService(
        resources.redis,
        FileOutbox(outbox),
        secret="s" * 32,
        max_attempts=5,
        phone_limit=100,
        phone_fail_limit=7,
    )
    phone = new_phone()
    owner = "owner".ljust(40, "x")
    assert isinstance(await otp.send(phone, requester=owner), CodeSent)
    owners = last_code(outbox, phone)
    # Two sessions, each with a code of its own: 5 wrong tries, then 2, reach the cap of 7.
    for guesser, tries in (("first", 5), ("second", 2)):
        requester = guesser.ljust(40, "x")
        assert isinstance(await otp.send(phone, requester=requester), CodeSent)
        theirs = last_code(outbox, phone)
        for n in range(1, tries + 1):
            wrong = await otp.verify(phone, wrong_code(theirs, n), requester=requester)
            assert isinstance(wrong, AuthFailure)
    capped = await otp.send(phone, requester="latecomer".ljust(40, "x"))
    assert isinstance(capped, AuthFailure) and capped.reason == "locked"
    assert capped.retry_after is not None and 23 * 3600 < capped.retry_after <= 24 * 3600
    assert "today" in capped.message
    # The owner's code, sent before, is not the guessers' to lock.
    assert isinstance(await otp.verify(phone, owners, requester=owner), CodeAccepted)

    # Every key the codes left in Redis expires; the cap's lasts the day.
    keys = otp.keys(phone, owner)
    assert 23 * 3600 < await resources.redis.ttl(keys["fails"]) <= 24 * 3600
    async for key in resources.redis.scan_iter(match="otp:*"):
        assert await resources.redis.ttl(key) != -1, key  # -1: no expiry (-2: just expired)


async def test_auth_the_daily_cap_is_a_setting(client: AsyncTestClient[Any]) -> None:
    resources = resources_of(client)
    settings, otp = resources.settings.auth, resources.services.otp
    assert otp.phone_fail_limit == settings.otp_phone_fail_limit == 30
    assert otp.phone_fail_window == settings.otp_phone_fail_window_seconds == 24 * 3600
