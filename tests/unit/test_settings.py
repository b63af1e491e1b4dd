"""Settings: nested env groups, and a production start that refuses placeholders."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from restaurant.settings import Settings

URLS = {
    "DB__URL": "postgresql+asyncpg://u:p@db/restaurant",
    "REDIS__URL": "redis://redis:6379/0",
    "MONGO__URL": "mongodb://mongo:27017",
    # production sends codes to an SMS gateway (tests/integration/test_production.py)
    "AUTH__SMS_SENDER": "http",
    "AUTH__SMS_URL": "https://sms.example/send",
    "AUTH__SMS_TOKEN": "t" * 32,
}


def test_settings_reads_nested_groups_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB__URL", "postgresql+asyncpg://a@b/c")
    monkeypatch.setenv("LLM__API_KEY", "sk-test")
    monkeypatch.setenv("PORT", "9000")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.db.url == "postgresql+asyncpg://a@b/c"
    assert settings.llm.configured
    assert settings.port == 9000
    assert settings.redis.url is None  # embedded


def test_settings_production_refuses_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in URLS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="AUTH__SECRET_KEY must be set"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("AUTH__SECRET_KEY", "x" * 40)
    assert Settings(_env_file=None).environment == "production"  # type: ignore[call-arg]


def test_settings_production_refuses_embedded_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("AUTH__SECRET_KEY", "x" * 40)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    message = str(caught.value)
    assert "DB__URL must be set" in message
    assert "REDIS__URL must be set" in message
    assert "MONGO__URL must be set" in message


def test_settings_llm_pool_from_single_key() -> None:
    settings = Settings(_env_file=None, llm={"api_key": "k", "base_url": "http://127.0.0.1:9/v1"})  # type: ignore[call-arg]
    pool = settings.llm.pool()
    assert len(pool) == 1
    assert pool[0].base_url == "http://127.0.0.1:9/v1"
    assert not Settings(_env_file=None).llm.configured  # type: ignore[call-arg]
