"""OTP guessing and cross-user access over the real HTTP API, under concurrency.

tests/integration/test_auth.py already races 25 guesses through the in-process client and
tests/integration/test_ownership.py walks every foreign id one request at a time; here the
requests go over a real socket, all at once, from many sessions.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import httpx

from graph.models import LineSpec
from restaurant.lifespan import open_resources
from restaurant.settings import Settings
from tests.integration.auth_support import new_phone
from tests.integration.chat_support import LiveServer, code_for, live, outbox_lines

__all__ = ["live"]


async def _session(client: httpx.AsyncClient) -> dict[str, str]:
    created = await client.post("/api/v1/sessions")
    assert created.status_code == 201, created.text
    client.cookies.clear()
    body: dict[str, str] = created.json()
    return {"Authorization": f"Bearer {body['token']}", "session_id": body["session_id"]}


def _bearer(session: dict[str, str]) -> dict[str, str]:
    return {"Authorization": session["Authorization"]}


async def _signed_in(client: httpx.AsyncClient, settings: Settings) -> dict[str, str]:
    session = await _session(client)
    phone = new_phone()
    after = outbox_lines(settings)
    sent = await client.post("/api/v1/auth/otp", json={"phone": phone}, headers=_bearer(session))
    assert sent.status_code == 200, sent.text
    code = code_for(settings, phone[-4:], after=after)
    verified = await client.post(
        "/api/v1/auth/verify", json={"phone": phone, "code": code}, headers=_bearer(session)
    )
    assert verified.status_code == 200, verified.text
    client.cookies.clear()
    session["Authorization"] = f"Bearer {verified.json()['token']}"  # the sign-in's new token
    return session


def _answer(response: httpx.Response) -> tuple[int, str, str, str | None]:
    """Everything a guesser learns from an answer: status, media type, body, Retry-After."""
    media = response.headers["content-type"].split(";")[0]
    body = json.dumps(response.json(), sort_keys=True)
    return response.status_code, media, body, response.headers.get("retry-after")


async def test_abuse_50_concurrent_guesses_from_50_sessions_never_reach_the_owners_code(
    live: LiveServer,
) -> None:
    """50 wrong guesses at once, each from a different session, for a number with a code
    pending: each gets exactly the answer a number without any code gets, the owner's tries
    are untouched and the owner signs in (before: 4 "wrong_code" with tries_left, then 46
    "locked", and the owner was locked out for 15 minutes)."""
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        owner = await _session(client)
        attackers = await asyncio.gather(*(_session(client) for _ in range(50)))
        phone = new_phone()
        after = outbox_lines(live.settings)
        sent = await client.post("/api/v1/auth/otp", json={"phone": phone}, headers=_bearer(owner))
        assert sent.status_code == 200, sent.text
        code = code_for(live.settings, phone[-4:], after=after)
        wrong = [f"{n:06d}" for n in itertools.islice(itertools.count(), 60) if f"{n:06d}" != code]
        guesses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/auth/verify",
                    json={"phone": phone, "code": guess},
                    headers=_bearer(attacker),
                )
                for attacker, guess in zip(attackers, wrong, strict=False)
            )
        )
        # The same guess for a number nobody asked a code for: the answer to compare with.
        nothing = await client.post(
            "/api/v1/auth/verify",
            json={"phone": new_phone(), "code": wrong[0]},
            headers=_bearer(attackers[0]),
        )
        assert nothing.status_code == 400 and nothing.json()["reason"] == "no_challenge"
        assert {_answer(r) for r in guesses} == {_answer(nothing)}
        # The owner's five tries are all there, and the right code signs in.
        mine = await client.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": wrong[0]}, headers=_bearer(owner)
        )
        assert mine.status_code == 400 and mine.json()["tries_left"] == 4, mine.text
        right = await client.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": code}, headers=_bearer(owner)
        )
        assert right.status_code == 200, right.text
        client.cookies.clear()
        signed = {"Authorization": f"Bearer {right.json()['token']}"}
        assert (await client.get("/api/v1/me", headers=signed)).json()["signed_in"] is True
        for session in attackers[:5]:
            me = await client.get("/api/v1/me", headers=_bearer(session))
            assert me.json()["signed_in"] is False


async def test_abuse_two_users_hammering_each_others_ids_get_only_404(
    live: LiveServer,
) -> None:
    """Two signed-in users fire at each other's session, cart line and order ids at once: 404s."""
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        users = [await _signed_in(client, live.settings) for _ in range(2)]
        async with open_resources(live.settings) as resources:
            for user, item in zip(users, ("greek_salad", "coke"), strict=True):
                await resources.services.carts.add(user["session_id"], [LineSpec(item=item)])
        owned: list[dict[str, Any]] = []
        for index, user in enumerate(users):
            placed = await client.post(
                "/api/v1/orders",
                json={"session_id": user["session_id"], "order_type": "pickup"},
                headers={**_bearer(user), "Idempotency-Key": f"abuse-{index}"},
            )
            assert placed.status_code == 201, placed.text
            async with open_resources(live.settings) as resources:
                change = await resources.services.carts.add(
                    user["session_id"], [LineSpec(item="sprite", quantity=2)]
                )
            cart = await client.get(
                f"/api/v1/chat/{user['session_id']}/cart", headers=_bearer(user)
            )
            owned.append(
                {
                    "number": placed.json()["number"],
                    "line": change.lines[0].id,
                    "cart": cart.json(),
                    "history": (
                        await client.get(
                            f"/api/v1/chat/{user['session_id']}/messages", headers=_bearer(user)
                        )
                    ).json(),
                }
            )

        def attacks(me: dict[str, str], them: dict[str, str], theirs: dict[str, Any]) -> list[Any]:
            sid, h = them["session_id"], _bearer(me)
            cart = f"/api/v1/chat/{sid}/cart"
            return [
                client.get(cart, headers=h),
                client.patch(f"{cart}/lines/{theirs['line']}", json={"quantity": 9}, headers=h),
                client.delete(f"{cart}/lines/{theirs['line']}", headers=h),
                client.get(f"/api/v1/chat/{sid}/messages", headers=h),
                client.post(f"/api/v1/chat/{sid}/stream", json={"message": "a coke"}, headers=h),
                client.get(f"/api/v1/orders/{theirs['number']}", headers=h),
                client.post(f"/api/v1/orders/{theirs['number']}/cancel", headers=h),
                client.post(
                    "/api/v1/orders",
                    json={"session_id": sid, "order_type": "pickup"},
                    headers={**h, "Idempotency-Key": f"steal-{sid}"},
                ),
            ]

        calls = []
        for _ in range(10):
            calls += attacks(users[0], users[1], owned[1])
            calls += attacks(users[1], users[0], owned[0])
        responses = await asyncio.gather(*calls)
        assert {r.status_code for r in responses} == {404}, {
            (r.request.method, r.request.url.path, r.status_code) for r in responses
        }
        for user, before in zip(users, owned, strict=True):
            h = _bearer(user)
            assert (
                await client.get(f"/api/v1/chat/{user['session_id']}/cart", headers=h)
            ).json() == before["cart"]
            order = await client.get(f"/api/v1/orders/{before['number']}", headers=h)
            assert order.json()["status"] == "placed"
            mine = (await client.get("/api/v1/orders", headers=h)).json()["orders"]
            assert [o["number"] for o in mine] == [before["number"]]
            history = await client.get(f"/api/v1/chat/{user['session_id']}/messages", headers=h)
            assert history.json() == before["history"]
