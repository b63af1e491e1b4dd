"""`PooledChatModel`: one LangChain chat model over the endpoint pool, so the graph sees a plain
`BaseChatModel`.

Each call asks the pool for an endpoint and runs on that endpoint's own `ChatOpenAI` (no retries
of its own: the pool decides). A 429, a 5xx, a refused connection or a bad key moves the call to
the next healthy endpoint (each endpoint at most once per call); a timeout does not, since the
customer has already waited as long as the turn allows, and the graph answers offline instead.
A stream moves only before its first chunk: after that the customer has seen part of it.
`bind_tools` takes `ChatOpenAI`'s own tool formatting; `with_structured_output` uses the classify
model (`json_schema` response format by default, or function calling).

A plain text stream (the reply: no tools, no response format) is posted with aiohttp and read
from the server's events directly instead of through the SDK's client and typed chunks (`_Wire`
says why), and every event that arrived while the reader
was busy comes as one chunk: token by token while the service keeps up, coarser under load, the
same text. Otherwise every token would cost a pydantic chunk built and dumped again, two
chat-model runs, an AG-UI event, a stream entry and a WebSocket frame, most of a streamed reply's
work. The reply itself is read with `astream_text`: the same stream as plain strings, with no
chat-model run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Generic, Literal, TypeVar

import aiohttp
import httpx2
import openai
import yarl
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.output_parsers.openai_tools import PydanticToolsParser
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_openai import ChatOpenAI
from openai._streaming import ServerSentEvent, SSEDecoder
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from redis.asyncio import Redis

from restaurant.llm.pool import Endpoint, EndpointPool, Lease, PoolConfig, retry_after_seconds
from restaurant.settings import LLMSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
# Tokens a call is assumed to produce before it says: reserved in the window, corrected after.
COMPLETION_ESTIMATE = 256
# Tokens reserved for a turn's first call before its messages are known (`for_turn`): within a
# reply's estimates here (430 to 1,430: prompt, draft and facts), made the call's own estimate
# when it is made.
RESERVED_ESTIMATE = 1024


def estimate_tokens(messages: Sequence[BaseMessage]) -> int:
    """A cheap upper-side estimate of a call's tokens (about four characters a token)."""
    chars = sum(len(m.text) + 16 for m in messages)
    return chars // 4 + COMPLETION_ESTIMATE


def _used_tokens(message: BaseMessage) -> int | None:
    usage = getattr(message, "usage_metadata", None)
    return int(usage["total_tokens"]) if usage else None


class _Ahead(Generic[T]):
    """Reads an async iterator in a task of its own; `take` hands over everything that arrived
    since the last take (one item when the reader keeps up, more when it is behind)."""

    def __init__(self, source: AsyncIterator[T]) -> None:
        self._source = source
        self._ready: list[T] = []
        self._error: BaseException | None = None
        self._done = False
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        try:
            async for item in self._source:
                self._ready.append(item)
                self._wake.set()
        except Exception as exc:
            self._error = exc
        finally:
            self._done = True
            self._wake.set()

    async def take(self) -> list[T]:
        """The items that arrived since the last call, waiting for one; [] at the end."""
        while not self._ready and not self._done:
            self._wake.clear()
            await self._wake.wait()
        items, self._ready = self._ready, []
        if not items and self._error is not None:
            raise self._error
        return items

    async def aclose(self) -> None:
        """Stop reading (a reader that stopped early) and close the source."""
        if not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if isinstance(self._source, AsyncGenerator):
            await self._source.aclose()


def _usage(usage: dict[str, Any]) -> UsageMetadata:
    prompt = int(usage.get("prompt_tokens") or 0)
    completion = int(usage.get("completion_tokens") or 0)
    total = usage.get("total_tokens")
    return UsageMetadata(
        input_tokens=prompt,
        output_tokens=completion,
        total_tokens=int(total) if total is not None else prompt + completion,
    )


def _is_plain_text(client: ChatOpenAI, kwargs: dict[str, Any]) -> bool:
    """Whether a call streams only text: no tools, functions or response format."""
    special = ("tools", "functions", "response_format", "n")
    return not any(k in kwargs or k in client.model_kwargs for k in special) and not (
        client._use_responses_api({**kwargs, **client.model_kwargs})
    )


@dataclass(frozen=True, slots=True)
class _Piece:
    """What arrived of a text stream at once: its text, and the usage and finish when said."""

    text: str
    usage: UsageMetadata | None = None
    info: dict[str, Any] | None = None

    @property
    def tokens(self) -> int | None:
        return self.usage["total_tokens"] if self.usage else None


class _Wire:
    """The plain text streams' HTTP: a POST and its server-sent events over aiohttp directly.

    Why not the SDK's client: its request building, headers, auth flow and the httpx2 layer over
    the same aiohttp transport are work on the path of every turn the model words, which the bare
    POST does without (bench/README.md, "Model turns, third round"). The SDK still makes the
    errors: a 4xx/5xx becomes its own exception (from its `_make_status_error_from_response`,
    Retry-After headers included), a timeout its `APITimeoutError`, a refused or broken
    connection its `APIConnectionError`, so the pool settles them exactly as the SDK's. Its SSE
    decoder reads the events.
    """

    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=timeout_seconds, sock_read=timeout_seconds
        )
        self._session: aiohttp.ClientSession | None = None
        self._headers: dict[int, dict[str, str]] = {}
        self._proxies: dict[str, tuple[yarl.URL | None, aiohttp.BasicAuth | None]] = {}

    def _headers_of(self, client: ChatOpenAI) -> dict[str, str]:
        headers = self._headers.get(id(client))
        if headers is None:
            root = client.root_async_client
            every = {**root.default_headers, **root.auth_headers}
            headers = {k: v for k, v in every.items() if isinstance(v, str)}  # no Omit markers
            self._headers[id(client)] = headers
        return headers

    def _proxy_of(self, url: str) -> tuple[yarl.URL | None, aiohttp.BasicAuth | None]:
        """The proxy for `url` from the environment (HTTP(S)_PROXY, NO_PROXY), looked up once
        per endpoint: a session that trusts the environment looks it up, and reads .netrc, in a
        thread for every request (two thread hops a model call)."""
        found = self._proxies.get(url)
        if found is None:
            try:
                found = aiohttp.helpers.get_env_proxy_for_url(yarl.URL(url))
            except LookupError:  # no proxy for it
                found = (None, None)
            self._proxies[url] = found
        return found

    async def post(
        self, client: ChatOpenAI, body: dict[str, Any], options: dict[str, Any]
    ) -> aiohttp.ClientResponse:
        """POST a chat completion; the response once its status is 2xx (SDK errors otherwise)."""
        if self._session is None or self._session.closed:
            # Made here, in the event loop that uses it.
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        url = f"{str(client.root_async_client.base_url).rstrip('/')}/chat/completions"
        headers = {**self._headers_of(client), **(options.get("headers") or {})}
        timeout = options.get("timeout")
        proxy, proxy_auth = self._proxy_of(url)
        try:
            response = await self._session.post(
                url,
                data=json.dumps(body).encode(),
                headers=headers,
                params=options.get("params"),
                proxy=proxy,
                proxy_auth=proxy_auth,
                timeout=aiohttp.ClientTimeout(sock_connect=timeout, sock_read=timeout)
                if isinstance(timeout, int | float)
                else self._timeout,
            )
            if response.status < 400:
                return response
            content = await response.read()
        except TimeoutError as exc:
            raise openai.APITimeoutError(request=httpx2.Request("POST", url)) from exc
        except aiohttp.ClientError as exc:
            raise openai.APIConnectionError(request=httpx2.Request("POST", url)) from exc
        error = httpx2.Response(
            response.status,
            headers=list(response.headers.items()),
            content=content,
            request=httpx2.Request("POST", url),
        )
        raise client.root_async_client._make_status_error_from_response(error)

    @staticmethod
    async def events(response: aiohttp.ClientResponse) -> AsyncIterator[ServerSentEvent]:
        """The response's server-sent events as they arrive (read errors as the SDK's)."""

        async def received() -> AsyncIterator[bytes]:
            try:
                async for data in response.content.iter_any():
                    yield data
            except TimeoutError as exc:
                raise openai.APITimeoutError(
                    request=httpx2.Request("POST", str(response.url))
                ) from exc
            except aiohttp.ClientError as exc:
                request = httpx2.Request("POST", str(response.url))
                raise openai.APIConnectionError(request=request) from exc

        async for event in SSEDecoder().aiter_bytes(received()):
            yield event

    async def aclose(self) -> None:
        """Close the connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _text_pieces(
    client: ChatOpenAI,
    wire: _Wire,
    messages: list[BaseMessage],
    stop: list[str] | None,
    **kwargs: Any,
) -> AsyncGenerator[_Piece, None]:
    """A plain text completion streamed from the server's events, one piece per batch of events
    that arrived together (errors as the SDK raises them)."""
    options = {"stream_options": {"include_usage": True}, **kwargs, "stream": True}
    payload = client._get_request_payload(messages, stop=stop, **options)
    request: dict[str, Any] = {
        "headers": payload.pop("extra_headers", None),
        "params": payload.pop("extra_query", None),
        "timeout": payload.pop("timeout", None),
    }
    extra_body = payload.pop("extra_body", None) or {}
    response = await wire.post(client, {**payload, **extra_body}, request)
    ahead = _Ahead(wire.events(response))
    yielded = False
    try:
        while events := await ahead.take():
            text: list[str] = []
            usage: UsageMetadata | None = None
            info: dict[str, Any] = {}
            for event in events:
                if event.data.startswith("[DONE]"):
                    continue
                data = event.json()
                if not isinstance(data, dict):
                    continue
                if data.get("error"):
                    error = data["error"]
                    message = error.get("message") if isinstance(error, dict) else None
                    raise openai.APIError(
                        message=message
                        if isinstance(message, str) and message
                        else "An error occurred during streaming",
                        request=httpx2.Request("POST", str(response.url)),
                        body=error,
                    )
                if data.get("usage"):
                    usage = _usage(data["usage"])
                for choice in data.get("choices") or ():
                    delta = choice.get("delta") or {}
                    text.append(delta.get("content") or "")
                    if choice.get("finish_reason"):
                        info["finish_reason"] = choice["finish_reason"]
                        if data.get("model"):
                            info["model_name"] = data["model"]
            content = "".join(text)
            if content or usage or info or not yielded:
                yielded = True
                yield _Piece(content, usage, info or None)
    finally:
        await ahead.aclose()
        if response.content.at_eof():
            response.release()  # the connection goes back to the pool
        else:
            response.close()  # stopped early: a half-read stream is not reused


async def _text_stream(
    client: ChatOpenAI,
    wire: _Wire,
    messages: list[BaseMessage],
    stop: list[str] | None,
    **kwargs: Any,
) -> AsyncIterator[ChatGenerationChunk]:
    """`_text_pieces` as LangChain chunks."""
    pieces = _text_pieces(client, wire, messages, stop, **kwargs)
    try:
        async for piece in pieces:
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content=piece.text,
                    usage_metadata=piece.usage,
                    response_metadata={"model_provider": "openai"},
                ),
                generation_info=piece.info,
            )
    finally:
        await pieces.aclose()


class PooledChatModel(BaseChatModel):
    """A chat model spread over an `EndpointPool`: one `ChatOpenAI` per endpoint."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pool: EndpointPool
    clients: dict[str, ChatOpenAI]
    model_name: str  # writes replies and answers questions
    structured_model_name: str  # classifies (structured output)
    wire: _Wire = Field(default_factory=lambda: _Wire(20.0))  # plain text streams' HTTP
    _reserved: asyncio.Task[Lease] | None = PrivateAttr(default=None)  # see `for_turn`

    @classmethod
    def from_settings(
        cls, settings: LLMSettings, redis: Redis, *, config: PoolConfig | None = None
    ) -> PooledChatModel:
        """The pool of `settings.llm.pool()` with its state in `redis`."""
        endpoints = [Endpoint.of(entry) for entry in settings.pool()]
        config = config or PoolConfig(
            cooldown_seconds=settings.cooldown_seconds,
            failure_threshold=settings.breaker_failures,
            open_seconds=settings.breaker_open_seconds,
            # A probe holds a half-open endpoint at least as long as a call may take.
            probe_seconds=max(settings.timeout_seconds * 2, 30.0),
        )
        # The SDK's HTTP client logs every request at INFO: a line per model call, through the
        # log queue and its thread, on every model turn. The pool logs what matters.
        logging.getLogger("httpx2").setLevel(logging.WARNING)
        # The SDK's aiohttp transport (`openai[aiohttp]`) instead of its default httpx2 one:
        # less work a streamed reply, and it answers sooner (bench/README.md, third round).
        # One client (one connection pool) for every endpoint, closed by `aclose`.
        http = openai.DefaultAioHttpClient(timeout=settings.timeout_seconds)
        clients = {
            endpoint.id: ChatOpenAI(
                model=settings.reply_model,
                base_url=endpoint.base_url,
                # An OpenAI-compatible server without keys still needs a non-empty header.
                api_key=endpoint.api_key or "unused",
                timeout=settings.timeout_seconds,
                max_retries=0,
                stream_usage=True,
                http_async_client=http,
            )
            for endpoint in endpoints
        }
        return cls(
            pool=EndpointPool(redis, endpoints, config),
            clients=clients,
            model_name=settings.reply_model,
            structured_model_name=settings.classify_model,
            wire=_Wire(settings.timeout_seconds),
        )

    def for_turn(self) -> PooledChatModel:
        """This model for one turn, with an endpoint already being reserved for its first call.

        A turn on the model path makes its first call (the reply) after reading its
        checkpoint, classifying and changing the cart; reserving its endpoint then was a round
        trip to Redis between the cart's change and the model's request, added to every such
        turn's latency. Made when the turn starts, the reservation overlaps that work.
        `release` gives it back if the turn never called the model (it failed first)."""
        turn = self.model_copy()
        reserved = asyncio.create_task(self.pool.acquire(RESERVED_ESTIMATE))
        # A reservation that failed (every endpoint cooling) fails its call; never unretrieved.
        reserved.add_done_callback(lambda t: t.cancelled() or t.exception())
        turn._reserved = reserved
        return turn

    def release(self) -> None:
        """Give back the endpoint `for_turn` reserved, if no call took it."""
        reserved, self._reserved = self._reserved, None
        if reserved is not None:
            pool = self.pool

            def give_back(task: asyncio.Task[Lease]) -> None:
                if not task.cancelled() and task.exception() is None:
                    pool.give_back(task.result())

            reserved.add_done_callback(give_back)

    async def _lease(self, estimate: int, tried: set[str]) -> Lease:
        """An endpoint for a call: the turn's reservation for its first, else a new one."""
        reserved, self._reserved = self._reserved, None
        if reserved is None:
            return await self.pool.acquire(estimate, exclude=tried)
        return self.pool.resized(await reserved, estimate)  # PoolExhausted as acquire raises

    async def aclose(self) -> None:
        """Write the pool's pending records and close the HTTP connections (at shutdown)."""
        await self.pool.recorded()
        await self.wire.aclose()
        closed: set[int] = set()
        for client in self.clients.values():
            http = client.root_async_client._client
            if id(http) not in closed:
                closed.add(id(http))
                await http.aclose()

    @property
    def _llm_type(self) -> str:
        return "pooled-openai"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "endpoints": sorted(self.clients)}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        raise NotImplementedError("PooledChatModel is async only: use ainvoke/astream")

    async def _settle(self, lease: Lease, exc: BaseException) -> bool:
        """Record how a call failed; whether it may move to another endpoint."""
        endpoint = lease.endpoint.id
        if isinstance(exc, openai.RateLimitError):
            seconds = await self.pool.rate_limited(lease, retry_after_seconds(exc.response.headers))
            log.warning("endpoint %s rate limited (429); cooling for %.1fs", endpoint, seconds)
            return True
        if isinstance(exc, openai.APITimeoutError | TimeoutError):
            state = await self.pool.failed(lease)
            log.warning("endpoint %s timed out; breaker %s", endpoint, state)
            return False
        if isinstance(exc, openai.APIConnectionError | openai.AuthenticationError) or (
            isinstance(exc, openai.APIStatusError) and exc.status_code >= 500
        ):
            state = await self.pool.failed(lease)
            log.warning("endpoint %s failed (%s); breaker %s", endpoint, type(exc).__name__, state)
            return True
        # A bad request or an unreadable answer is not the endpoint's health.
        await self.pool.released(lease)
        return False

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        estimate = estimate_tokens(messages)
        tried: set[str] = set()
        while True:
            lease = await self._lease(estimate, tried)
            client = self.clients[lease.endpoint.id]
            try:
                # run_manager stays out: this model's own run reports tokens and the result.
                result = await client._agenerate(messages, stop=stop, **kwargs)
            except Exception as exc:
                if await self._settle(lease, exc):
                    tried.add(lease.endpoint.id)
                    continue
                raise
            used = [_used_tokens(g.message) for g in result.generations]
            self.pool.record_success(lease, sum(u for u in used if u) or None)
            return result

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        def open_stream(client: ChatOpenAI) -> AsyncIterator[ChatGenerationChunk]:
            if _is_plain_text(client, kwargs):
                return _text_stream(client, self.wire, messages, stop, **kwargs)
            return client._astream(messages, stop=stop, **kwargs)

        chunks = self._leased(messages, open_stream, lambda c: _used_tokens(c.message))
        try:
            async for chunk in chunks:
                yield chunk
        finally:
            await chunks.aclose()  # a reader that stops early frees the endpoint's stream now

    async def astream_text(self, messages: list[BaseMessage]) -> AsyncIterator[str]:
        """The reply model's text for `messages` in pieces as they arrive, without LangChain's
        runs and callbacks (`graph.llm.TextStreaming`): for the customer's reply, where they
        and the chunk objects are work per piece that nothing reads. Same failover as `astream`.
        """

        def open_stream(client: ChatOpenAI) -> AsyncIterator[_Piece]:
            return _text_pieces(client, self.wire, messages, None)

        pieces = self._leased(messages, open_stream, lambda p: p.tokens)
        try:
            async for piece in pieces:
                if piece.text:
                    yield piece.text
        finally:
            await pieces.aclose()

    async def _leased(
        self,
        messages: list[BaseMessage],
        open_stream: Callable[[ChatOpenAI], AsyncIterator[T]],
        tokens: Callable[[T], int | None],
    ) -> AsyncGenerator[T, None]:
        """A stream from an endpoint of the pool, moving on to the next one while nothing has
        arrived yet; the endpoint's success or failure recorded."""
        estimate = estimate_tokens(messages)
        tried: set[str] = set()
        while True:
            lease = await self._lease(estimate, tried)
            stream = open_stream(self.clients[lease.endpoint.id])
            try:
                # Errors before the first chunk (429, 5xx, refused) may still move elsewhere.
                first: T | None = await anext(stream)
            except StopAsyncIteration:
                first = None
            except Exception as exc:
                if await self._settle(lease, exc):
                    tried.add(lease.endpoint.id)
                    continue
                raise
            break
        used = 0
        settled = False
        try:
            if first is not None:
                used += tokens(first) or 0
                yield first
            async for item in stream:
                used += tokens(item) or 0
                yield item
        except Exception as exc:
            settled = True
            await self._settle(lease, exc)
            raise
        finally:
            if not settled:
                # Finished, or the reader stopped early (a guard): the endpoint answered either
                # way, so its breaker closes and a half-open probe is released.
                if isinstance(stream, AsyncGenerator):
                    await stream.aclose()  # frees the HTTP connection now, not at collection
                self.pool.record_success(lease, used or None)

    def _template(self) -> ChatOpenAI:
        return next(iter(self.clients.values()))

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools formatted exactly as `ChatOpenAI.bind_tools` formats them."""
        bound = self._template().bind_tools(tools, tool_choice=tool_choice, **kwargs)
        return self.bind(**getattr(bound, "kwargs", {}))

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        method: Literal["json_schema", "function_calling"] = "json_schema",
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """Structured output from the classify model, as a pydantic instance (or a dict)."""
        if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
            raise TypeError("PooledChatModel.with_structured_output takes a pydantic class")
        model_class: type[BaseModel] = schema
        llm: Runnable[LanguageModelInput, AIMessage]
        parser: Runnable[Any, Any]
        if method == "function_calling":
            name = convert_to_openai_tool(model_class)["function"]["name"]
            llm = self.bind_tools(
                [model_class],
                tool_choice=name,
                parallel_tool_calls=False,
                strict=strict,
                model=self.structured_model_name,
                **kwargs,
            )
            parser = PydanticToolsParser(tools=[model_class], first_tool_only=True)
        else:
            # ChatOpenAI sends a pydantic class as a strict json_schema response format.
            llm = self.bind(response_format=model_class, model=self.structured_model_name, **kwargs)

            def parse(message: AIMessage) -> BaseModel:
                parsed = message.additional_kwargs.get("parsed")
                if isinstance(parsed, model_class):
                    return parsed
                if isinstance(parsed, dict):
                    return model_class.model_validate(parsed)
                return model_class.model_validate_json(message.text)

            parser = RunnableLambda(parse)
        if not include_raw:
            return llm | parser
        parsed = RunnablePassthrough.assign(
            parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
        )
        fallback = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=llm) | parsed.with_fallbacks(
            [fallback], exception_key="parsing_error"
        )


__all__ = ["COMPLETION_ESTIMATE", "PooledChatModel", "estimate_tokens"]
