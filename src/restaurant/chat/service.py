"""Wiring of the chat: the runner over the process's compiled graph, its turn store (event log,
run lock, checkpoint) and transcript writer, created by a Litestar lifespan after `Resources`
and put on `app.state.chat`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from litestar import Litestar
from litestar.datastructures import State

from graph.context import Context
from restaurant.auth.sessions import AuthSession, Lookup
from restaurant.chat.context import build_context
from restaurant.chat.events import EventLog
from restaurant.chat.lock import SessionLock
from restaurant.chat.order_updates import ChatOrderUpdates
from restaurant.chat.runner import ChatRunner
from restaurant.chat.store import RedisTurnStore
from restaurant.chat.transcripts import TranscriptWriter
from restaurant.db.documents import init_documents
from restaurant.lifespan import Resources
from restaurant.services.signin import ChatIdentity, TokenHandler
from restaurant.settings import ChatSettings


@dataclass(frozen=True)
class Caller:
    """Who sent a message: their session, their address (for per-address limits), and where a
    new session token goes if the turn signs them in (their connection only)."""

    auth: AuthSession
    client: str = "unknown"
    on_token: TokenHandler | None = None


@dataclass
class Chat:
    """The chat's process-wide parts."""

    runner: ChatRunner[Caller]
    events: EventLog
    lock: SessionLock
    transcripts: TranscriptWriter
    options: ChatSettings


def create_chat(resources: Resources) -> Chat:
    """Build the chat over the shared clients and the graph compiled once on `resources`."""
    options = resources.settings.chat

    async def contexts(session_id: str, caller: Caller) -> Context:
        return await build_context(
            resources, caller.auth, session_id, client=caller.client, on_token=caller.on_token
        )

    def lookups(session_id: str, context: Context) -> list[Lookup]:
        # Before sign-in the first node asks whom the chat belongs to: read with the run lock,
        # on the event log's Redis (the sessions' too).
        if context.user_id is None and isinstance(context.identity, ChatIdentity):
            return [context.identity.user_lookup(session_id)]
        return []

    async def init() -> None:
        await init_documents(resources.mongo, resources.settings.mongo.database)

    events = EventLog(
        resources.redis, maxlen=options.events_maxlen, ttl_seconds=options.events_ttl_seconds
    )
    lock = SessionLock(
        resources.redis,
        ttl_seconds=options.lock_ttl_seconds,
        wait_seconds=options.lock_wait_seconds,
    )
    transcripts = TranscriptWriter(init=init)
    runner: ChatRunner[Caller] = ChatRunner(
        graph=resources.graph,
        contexts=contexts,
        store=RedisTurnStore(events, lock, resources.graph.checkpointer, lookups=lookups),
        transcripts=transcripts,
        user_of=lambda caller: str(caller.auth.user_id) if caller.auth.user_id else None,
        max_waiting=options.max_waiting,
    )
    return Chat(runner=runner, events=events, lock=lock, transcripts=transcripts, options=options)


def chat_lifespan() -> Any:
    """A lifespan (after the resources one) that starts the chat and drains it on shutdown."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        chat = create_chat(app.state.resources)
        chat.transcripts.start()
        app.state.chat = chat
        # The staff's moves of an order are written to the customer's chat.
        order_events = app.state.resources.services.order_events
        graph = app.state.resources.graph

        async def remember(session_id: str, message: AIMessage) -> None:
            config: RunnableConfig = {"configurable": {"thread_id": session_id}}
            await graph.aupdate_state(config, {"messages": [message]}, as_node="respond")

        updates = ChatOrderUpdates(chat.events, chat.lock, chat.runner.hub, remember)
        order_events.add(updates)
        updates.start()
        app.state.order_updates = updates
        try:
            yield
        finally:
            order_events.remove(updates)
            # Turns in flight finish (an order being placed is placed) before the pools close.
            await chat.runner.close(chat.options.shutdown_grace_seconds)
            await updates.close(chat.options.shutdown_grace_seconds)
            await chat.transcripts.stop()

    return lifespan


def provide_chat(state: State) -> Chat:
    """The process's chat."""
    chat: Chat = state.chat
    return chat


__all__ = ["Caller", "Chat", "chat_lifespan", "create_chat", "provide_chat"]
