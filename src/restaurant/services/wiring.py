"""Wiring: the process-wide services, and the graph `Context` built for one turn from them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graph.context import Context
from graph.menu import Menu
from graph.nlu import Lexicon
from restaurant.auth.limits import AddressLimit
from restaurant.auth.otp import OtpService
from restaurant.auth.senders import sender_from
from restaurant.auth.sessions import AuthSession, SessionService
from restaurant.auth.signin import ChatIdentity, SignInService, TokenHandler
from restaurant.auth.users import UserService
from restaurant.services.carts import CartService
from restaurant.services.catalog import CatalogService
from restaurant.services.menu import MenuService
from restaurant.services.orders import OrderService
from restaurant.settings import Settings

if TYPE_CHECKING:
    from restaurant.lifespan import Resources


class LexiconCache:
    """One `Lexicon` per menu version: built on the first turn after an import, then shared."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._lexicon: Lexicon | None = None
        self._lock = asyncio.Lock()

    async def get(self, menu: Menu, version: int) -> Lexicon:
        """The lexicon of this menu version."""
        if self._lexicon is not None and self._version == version:
            return self._lexicon
        async with self._lock:
            if self._lexicon is None or self._version != version:
                # Building takes a while on a big menu; off the event loop, once per version.
                self._lexicon = await asyncio.to_thread(Lexicon.from_menu, menu)
                self._version = version
            return self._lexicon


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
        return cls(
            catalog=CatalogService(menu),
            carts=carts,
            orders=OrderService(sessions, menu),
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
        )


async def build_context(
    resources: Resources,
    auth: AuthSession,
    chat_session_id: str,
    chat_model: BaseChatModel | None = None,
    *,
    client: str = "unknown",
    on_token: TokenHandler | None = None,
) -> Context:
    """The graph's Context for one turn on a chat the caller owns (check with `require_chat`);
    a sign-in in the turn hands the session's new token to `on_token`."""
    services = resources.services
    identity = ChatIdentity(
        services.signin, client=client, session=auth.token_hash, on_token=on_token
    )
    snapshot = await resources.menu.snapshot()
    return Context(
        session_id=chat_session_id,
        user_id=auth.user_id,
        menu=services.catalog,
        cart=services.carts.for_user(auth.user_id),
        orders=services.orders,
        identity=identity,
        # The pooled model built in the lifespan (None when no LLM is configured).
        chat_model=chat_model if chat_model is not None else resources.chat_model,
        lexicon=await services.lexicons.get(snapshot.menu, snapshot.version),
        confidence_threshold=resources.settings.llm.confidence_threshold,
    )


__all__ = ["LexiconCache", "Services", "build_context"]
