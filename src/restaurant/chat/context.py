"""The graph's `Context` for one turn, built from the process's `Resources`."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from graph.context import Context
from restaurant.auth.sessions import AuthSession
from restaurant.lifespan import Resources
from restaurant.services.signin import ChatIdentity, TokenHandler


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


__all__ = ["build_context"]
