"""All configuration, read once from the environment (and `.env`): nothing else reads os.environ."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-in-production"
PLACEHOLDER_MARK = "change-me"  # what every placeholder of .env.example starts with


class DatabaseSettings(BaseModel):
    """PostgreSQL; no URL means an embedded server under `data_dir`."""

    url: str | None = Field(default=None, description="postgresql+asyncpg://user:pass@host/db")
    # 20 kept open: at 10, connections beyond the pool opened and closed under load (each new
    # one preparing its statements again). Workers x replicas x (pool + overflow) must fit the
    # server's max_connections (100 by default).
    pool_size: int = 20
    max_overflow: int = 10
    echo: bool = False


class RedisSettings(BaseModel):
    """Redis (checkpoints, OTP codes, rate limits, sessions); no URL means embedded."""

    url: str | None = Field(default=None, description="redis://host:6379/0 or unix:///path")
    # A bounded, blocking pool: the default pool raised MaxConnectionsError at 100 sessions here.
    max_connections: int = 64
    checkpoint_ttl_seconds: int = 1800
    # Off: each conversation keeps only its newest checkpoint (the service never reads the
    # history), so its Redis memory stays one checkpoint's instead of growing every turn.
    checkpoint_history: bool = False


class MongoSettings(BaseModel):
    """MongoDB (transcripts, analytics events); no URL means an embedded wire server."""

    url: str | None = Field(default=None, description="mongodb://host:27017")
    database: str = "restaurant"


class LLMEndpoint(BaseModel):
    """One OpenAI-compatible endpoint of the pool."""

    base_url: str | None = None
    api_key: SecretStr | None = None
    requests_per_minute: int = 60
    tokens_per_minute: int = 60_000


class LLMSettings(BaseModel):
    """The optional model; with no endpoint the offline understanding answers alone."""

    api_key: SecretStr | None = None
    base_url: str | None = None
    endpoints: list[LLMEndpoint] = Field(default_factory=list)
    classify_model: str = "gpt-4o-mini"
    reply_model: str = "gpt-4o-mini"
    timeout_seconds: float = 20.0
    cooldown_seconds: float = 60.0  # after a 429 without Retry-After
    breaker_failures: int = 3  # consecutive failures that open an endpoint's circuit breaker
    breaker_open_seconds: float = 30.0  # then one probe is let through
    # Below this offline confidence the model is asked to classify.
    confidence_threshold: float = 0.6

    @property
    def configured(self) -> bool:
        """Whether any model endpoint is configured."""
        return bool(self.endpoints or self.api_key or self.base_url)

    def pool(self) -> list[LLMEndpoint]:
        """Every endpoint: the listed ones, or the single api_key/base_url pair."""
        if self.endpoints:
            return list(self.endpoints)
        if self.api_key or self.base_url:
            return [LLMEndpoint(base_url=self.base_url, api_key=self.api_key)]
        return []


class AuthSettings(BaseModel):
    """One-time codes and sessions."""

    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_resend_seconds: int = 30
    # Tries belong to the session that asked for the code (auth/otp.py); this cap counts wrong
    # tries on a number from every session, and past it the number gets no new code until the
    # window ends: guessing spread over many sessions stops, and a code already sent still works.
    otp_phone_fail_limit: int = Field(
        default=30, ge=1, description="wrong code tries on one phone, from anyone, per window"
    )
    otp_phone_fail_window_seconds: int = Field(
        default=24 * 3600, ge=60, description="the window of `otp_phone_fail_limit`"
    )
    session_ttl_seconds: int = 1800
    sms_sender: Literal["file", "http"] = "file"
    outbox_path: Path | None = None  # default: <data_dir>/outbox.jsonl
    sms_url: str | None = None  # the HTTP sender's webhook (docs/sms.md); required in production
    sms_token: SecretStr | None = None
    cookie_secure: bool = False  # production: always Secure (an explicit false is refused)
    default_region: str = "US"
    # Some tens a minute leave room for a restaurant's customers behind one NAT and stop a script
    # minting sessions by the thousand (each holds Redis keys until it expires).
    new_sessions_per_address: int = Field(
        default=30, ge=1, description="POST /api/v1/sessions one client address may make a window"
    )
    new_sessions_window_seconds: int = Field(
        default=60, ge=1, description="the window of `new_sessions_per_address`"
    )


class ChatSettings(BaseModel):
    """Limits of the chat transports, the per-session run lock and the event log."""

    max_message_bytes: int = Field(default=4096, gt=0, description="a message's UTF-8 size")
    max_waiting: int = Field(
        default=8, gt=0, description="messages of one session running or queued in a process"
    )
    lock_ttl_seconds: float = Field(
        default=30.0, gt=0, description="a run lock's lease (renewed while the turn runs)"
    )
    lock_wait_seconds: float = Field(
        default=120.0, gt=0, description="how long a message waits for its session's lock"
    )
    events_maxlen: int = Field(default=5000, gt=0, description="AG-UI events kept per session")
    events_ttl_seconds: int = Field(
        default=24 * 3600, gt=0, description="how long a session's events are kept for resuming"
    )
    ping_seconds: float = Field(default=15.0, gt=0, description="keep-alive of idle streams")
    shutdown_grace_seconds: float = Field(
        default=10.0, ge=0, description="how long turns in flight may finish at shutdown"
    )


class Settings(BaseSettings):
    """The service's whole configuration; env vars use `__` for groups (DB__URL, LLM__API_KEY)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_nested_delimiter="__", extra="ignore", env_prefix=""
    )

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(
        default=1,
        ge=1,
        description=(
            "uvicorn worker processes of `restaurant serve` on one socket, under uvicorn's"
            " supervisor (which replaces a dead one); like replicas, they share only the stores."
            " A turn is CPU-bound in one process: more than one worker uses more than one core."
        ),
    )
    data_dir: Path = Path(".data")
    restaurant: str = "demo"  # which imported restaurant the assistant serves
    # How stale a replica's menu may be: a sold out or a pause reaches every replica's chat
    # within it (checkout reads the menu's version each time).
    menu_cache_seconds: float = 1.0
    frontend_dir: Path = Path("frontend/dist")
    log_level: str = "INFO"
    # Proxies whose X-Forwarded-For is trusted (client addresses feed the per-address limits),
    # as uvicorn reads them: addresses or networks, comma-separated. None by default (`make run`
    # has no proxy, and a client could name any address); `make stack` names its Caddy on
    # loopback, compose names Caddy's fixed address.
    forwarded_allow_ips: str = ""
    allowed_origins: list[str] = Field(
        default_factory=list,
        description=(
            "Pages (scheme://host[:port]) that may open the chat WebSocket besides the app's own"
            " origin, as a JSON list; a browser's handshake from any other page is refused (403)."
        ),
    )
    api_docs: bool | None = Field(
        default=None,
        description="serve the OpenAPI docs at /api/docs; unset: in development only",
    )
    drain_seconds: float = Field(
        default=3.0,
        ge=0,
        description=(
            "After SIGTERM, how long `restaurant serve` goes on serving while /health/ready says"
            " 503, so that the proxy's health checks (every 2 s in the Caddyfile) take the replica"
            " out of rotation before it stops listening (restaurant/drain.py)."
        ),
    )
    gc_full_collect_seconds: float = Field(
        default=300.0,
        gt=0,
        description=(
            "Seconds between the full garbage collections each process runs on a schedule"
            " instead of CPython's thresholds, whose full collections stalled turns under load."
        ),
    )

    db: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    mongo: MongoSettings = Field(default_factory=MongoSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    chat: ChatSettings = Field(default_factory=ChatSettings)

    @model_validator(mode="after")
    def _production_is_configured(self) -> Settings:
        if self.environment != "production":
            return self
        problems = production_problems(self)
        if problems:
            raise ValueError(
                "production settings refused: "
                + "; ".join(problems)
                + " (`restaurant env --production > .env` writes a safe .env)"
            )
        # Production is served over HTTPS (Caddy): the session cookie never travels in clear.
        self.auth = self.auth.model_copy(update={"cookie_secure": True})
        return self

    @property
    def docs_served(self) -> bool:
        """Whether /api/docs and the OpenAPI schema are served: API_DOCS, else development only."""
        return self.environment == "development" if self.api_docs is None else self.api_docs

    @property
    def outbox_path(self) -> Path:
        """Where the file sender writes one-time codes."""
        return self.auth.outbox_path or self.data_dir / "outbox.jsonl"


def _placeholder(value: str | None) -> bool:
    return value is not None and PLACEHOLDER_MARK in value.lower()


def production_problems(settings: Settings) -> list[str]:
    """What production refuses in these settings, each naming its variable."""
    problems = []
    auth = settings.auth
    secret = auth.secret_key.get_secret_value()
    if _placeholder(secret) or len(secret) < 32:
        problems.append("AUTH__SECRET_KEY must be set to a random value of 32+ characters")
    # compose builds the URLs from the passwords in .env: the message names both
    for name, url, source in (
        ("DB__URL", settings.db.url, "POSTGRES_PASSWORD"),
        ("REDIS__URL", settings.redis.url, "its password"),
        ("MONGO__URL", settings.mongo.url, "MONGO_PASSWORD"),
    ):
        if not url:
            problems.append(f"{name} must be set (embedded servers are for development)")
        elif _placeholder(url):
            problems.append(
                f"{name} holds a placeholder password ('{PLACEHOLDER_MARK}...'): set {source}"
            )
    if auth.sms_sender != "http":
        problems.append(
            "AUTH__SMS_SENDER must be http (a file outbox reaches no customer; docs/sms.md)"
        )
    if not auth.sms_url:
        problems.append("AUTH__SMS_URL must be set to the SMS gateway's webhook (docs/sms.md)")
    token = auth.sms_token.get_secret_value() if auth.sms_token else ""
    if not token or _placeholder(token):
        problems.append("AUTH__SMS_TOKEN must be set to the webhook's bearer token (docs/sms.md)")
    if "cookie_secure" in auth.model_fields_set and not auth.cookie_secure:
        problems.append("AUTH__COOKIE_SECURE=false is refused: production cookies are Secure")
    return problems


def settings_error(exc: ValidationError) -> str:
    """What is wrong with the environment, each problem by its variable, and no value echoed
    (pydantic's own message repeats part of the input, secrets included)."""
    lines = []
    for error in exc.errors(include_url=False, include_input=False):
        message = error["msg"].removeprefix("Value error, ")
        name = "__".join(str(part) for part in error["loc"]).upper()
        lines.append(f"{name}: {message}" if name else message)
    return "\n".join(lines)


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
