"""Wiring: the process-wide services, created once beside the pools (`Resources.services`)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graph.menu import Menu
from graph.nlu import Lexicon
from restaurant.auth.limits import AddressLimit
from restaurant.auth.otp import OtpService
from restaurant.auth.senders import sender_from
from restaurant.auth.sessions import SessionService
from restaurant.services.board import BoardService
from restaurant.services.carts import CartService
from restaurant.services.catalog import CatalogService
from restaurant.services.menu import MenuService
from restaurant.services.order_events import BoardEvents, BoardFeed, OrderEventsFanOut
from restaurant.services.orders import OrderService
from restaurant.services.signin import SignInService
from restaurant.services.users import UserService
from restaurant.settings import Settings


class LexiconCache:
    """One `Lexicon` per menu wording: built on the first turn after an import, then shared.

    A new menu version that only marks dishes or options sold out (or back) says every word
    as before, so it keeps the lexicon: a kitchen's toggle never makes the next turn wait
    for a rebuild (about a second on a big menu)."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._wording: str | None = None
        self._lexicon: Lexicon | None = None
        self._lock = asyncio.Lock()

    async def get(self, menu: Menu, version: int) -> Lexicon:
        """The lexicon of this menu version."""
        if self._lexicon is not None and self._version == version:
            return self._lexicon
        async with self._lock:
            if self._lexicon is None or self._version != version:
                wording = _wording(menu)
                if self._lexicon is None or wording != self._wording:
                    # Building takes a while on a big menu; off the event loop, once a wording.
                    self._lexicon = await asyncio.to_thread(Lexicon.from_menu, menu)
                    self._wording = wording
                self._version = version
            return self._lexicon


def _wording(menu: Menu) -> str:
    """A digest of the menu without what is available: what the lexicon is built from."""
    return hashlib.sha256(
        json.dumps(_unavailable_left_out(menu.model_dump(mode="json")), sort_keys=True).encode()
    ).hexdigest()


def _unavailable_left_out(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unavailable_left_out(v) for k, v in value.items() if k != "available"}
    if isinstance(value, list):
        return [_unavailable_left_out(v) for v in value]
    return value


@dataclass
class Services:
    """The long-lived service objects, created once per process beside the pools."""

    catalog: CatalogService
    carts: CartService
    orders: OrderService
    sessions: SessionService
    otp: OtpService
    users: UserService
    signin: SignInService
    lexicons: LexiconCache
    new_sessions: AddressLimit  # POST /api/v1/sessions per client address
    # Told of each placed and moved order: the board stream first, the chat's listener once the
    # chat starts (`restaurant.chat.order_updates`).
    order_events: OrderEventsFanOut
    board_feed: BoardFeed

    @classmethod
    def build(
        cls,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        redis: Redis,
        menu: MenuService,
    ) -> Services:
        """Wire every service from the settings and the shared clients."""
        auth = settings.auth
        carts = CartService(sessions, menu)
        session_service = SessionService(redis, ttl_seconds=auth.session_ttl_seconds)
        otp = OtpService(
            redis,
            sender_from(settings),
            secret=auth.secret_key.get_secret_value(),
            ttl_seconds=auth.otp_ttl_seconds,
            max_attempts=auth.otp_max_attempts,
            resend_seconds=auth.otp_resend_seconds,
            phone_fail_limit=auth.otp_phone_fail_limit,
            phone_fail_window=auth.otp_phone_fail_window_seconds,
        )
        users = UserService(sessions)
        board_feed = BoardFeed(redis)
        order_events = OrderEventsFanOut(BoardEvents(board_feed, BoardService(sessions)))
        return cls(
            catalog=CatalogService(menu),
            carts=carts,
            orders=OrderService(sessions, menu, events=order_events),
            sessions=session_service,
            otp=otp,
            users=users,
            signin=SignInService(otp, session_service, users, carts, region=auth.default_region),
            lexicons=LexiconCache(),
            new_sessions=AddressLimit(
                redis,
                name="sessions",
                limit=auth.new_sessions_per_address,
                window_seconds=auth.new_sessions_window_seconds,
                secret=auth.secret_key.get_secret_value(),
            ),
            order_events=order_events,
            board_feed=board_feed,
        )


__all__ = ["LexiconCache", "Services"]
