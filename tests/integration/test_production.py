"""Production mode (issue 17, point 6): the `.env` that `restaurant env --production` writes starts
the service through compose's variables; every unsafe setting is refused by name; no API docs
unless asked; Secure cookies; codes go to the SMS gateway's webhook.

compose.yaml is read as compose reads it: the app's `environment` interpolated from `.env`, over
the `.env` itself (`env_file`). There is no Docker engine here, so that is what runs the app.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from dotenv import dotenv_values
from litestar.testing import AsyncTestClient
from pydantic import ValidationError

from restaurant.app import create_app
from restaurant.envfile import production_env
from restaurant.settings import Settings, production_problems, settings_error
from tests.conftest import redis_db_url
from tests.fakes.sms_gateway import FakeSmsGateway, sms_gateway

__all__ = ["sms_gateway"]

REPO = Path(__file__).resolve().parents[2]
SMS_URL = "https://sms-gateway.example.com/send"
REDIS_DB = 13  # this module's own Redis database (sign-in limits of its own)
_VARIABLE = re.compile(r"\$\{([A-Za-z0-9_]+)(?:(:-|:\?)([^}]*))?\}")


def _dotenv(text: str) -> dict[str, str]:
    return {k: v for k, v in dotenv_values(stream=io.StringIO(text)).items() if v is not None}


def _interpolate(value: str, variables: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name, kind, rest = match.groups()
        if variables.get(name):
            return variables[name]
        if kind == ":?":
            raise AssertionError(f"compose stops: {rest}")
        return rest or ""

    return _VARIABLE.sub(one, value)


def compose_env(dotenv: str) -> dict[str, str]:
    """The app container's environment that compose makes from this `.env`."""
    variables = _dotenv(dotenv)
    app = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]["app"]
    environment = {k: _interpolate(str(v), variables) for k, v in app["environment"].items()}
    return {**variables, **environment}


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Sets a whole environment for `Settings()`; nothing from the shell's settings leaks in."""
    names = {name.upper() for name in Settings.model_fields}
    for key in list(os.environ):
        if key.split("__", 1)[0] in names:
            monkeypatch.delenv(key)

    def use(env: dict[str, str]) -> Settings:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return Settings(_env_file=None)  # type: ignore[call-arg]

    return use


def _refusal(environ: Any, env: dict[str, str]) -> str:
    with pytest.raises(ValidationError) as caught:
        environ(env)
    return settings_error(caught.value)


def test_production_env_file_validates_through_compose(environ: Any) -> None:
    dotenv = production_env(sms_url=SMS_URL)
    assert "change-me" not in dotenv
    settings = environ(compose_env(dotenv))
    assert settings.environment == "production"
    assert settings.auth.cookie_secure and not settings.docs_served
    assert settings.auth.sms_sender == "http" and settings.auth.sms_url == SMS_URL
    values = _dotenv(dotenv)
    assert settings.db.url and f":{values['POSTGRES_PASSWORD']}@postgres:" in settings.db.url
    assert settings.mongo.url and f":{values['MONGO_PASSWORD']}@mongo:" in settings.mongo.url
    # Fresh secrets each time.
    assert _dotenv(production_env())["AUTH__SECRET_KEY"] != values["AUTH__SECRET_KEY"]


def test_production_env_file_names_the_sms_url_the_operator_adds(environ: Any) -> None:
    dotenv = production_env()
    assert re.search(r"^# REQUIRED: .*\n.*\n# AUTH__SMS_URL=", dotenv, re.M)
    message = _refusal(environ, compose_env(dotenv))
    assert "AUTH__SMS_URL must be set" in message
    for fine in ("AUTH__SECRET_KEY", "DB__URL", "MONGO__URL", "AUTH__SMS_TOKEN"):
        assert fine not in message


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("AUTH__SECRET_KEY=change-me-in-production", "AUTH__SECRET_KEY"),
        ("AUTH__SECRET_KEY=short", "AUTH__SECRET_KEY"),
        ("POSTGRES_PASSWORD=change-me-postgres-password", "DB__URL holds a placeholder"),
        ("MONGO_PASSWORD=change-me-mongo-password", "MONGO__URL holds a placeholder"),
        ("AUTH__SMS_SENDER=file", "AUTH__SMS_SENDER must be http"),
        ("AUTH__SMS_TOKEN=", "AUTH__SMS_TOKEN must be set"),
        ("AUTH__SMS_TOKEN=change-me-sms-token", "AUTH__SMS_TOKEN must be set"),
        ("AUTH__COOKIE_SECURE=false", "AUTH__COOKIE_SECURE=false is refused"),
    ],
)
def test_production_refuses_each_unsafe_setting_by_name(
    environ: Any, line: str, named: str
) -> None:
    env = compose_env(production_env(sms_url=SMS_URL) + line + "\n")  # a later line wins
    assert named in _refusal(environ, env)
    (problem,) = production_problems(environ(env | {"ENVIRONMENT": "development"}))
    assert named in problem


def test_production_refuses_the_env_example_placeholders(environ: Any) -> None:
    message = _refusal(environ, compose_env((REPO / ".env.example").read_text()))
    for named in ("AUTH__SECRET_KEY", "DB__URL", "MONGO__URL", "AUTH__SMS_URL"):
        assert named in message
    assert "POSTGRES_PASSWORD" in message and "MONGO_PASSWORD" in message


def test_production_migrate_exits_naming_the_setting_and_no_secret(tmp_path: Path) -> None:
    """compose's one-shot migrate says why it stops, and prints none of the secrets."""
    dotenv = production_env()
    env = {
        k: v
        for k, v in os.environ.items()
        if k.split("__", 1)[0] not in {n.upper() for n in Settings.model_fields}
    }
    env |= compose_env(dotenv)
    done = subprocess.run(
        [sys.executable, "-m", "restaurant.cli", "migrate"],
        cwd=tmp_path,  # no .env from the checkout
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "AUTH__SMS_URL must be set" in done.stderr
    for name in ("POSTGRES_PASSWORD", "MONGO_PASSWORD", "AUTH__SECRET_KEY", "AUTH__SMS_TOKEN"):
        assert _dotenv(dotenv)[name] not in done.stdout + done.stderr, name


async def test_production_app_starts_from_the_env_file(
    environ: Any,
    sms_gateway: FakeSmsGateway,
    seeded_db: str,
    redis_url: str,
    mongo_url: str,
    tmp_path: Path,
) -> None:
    """The generated settings on the test's stores: ready, no docs, a Secure cookie, and a
    sign-in code through the gateway's webhook."""
    dotenv = production_env(sms_url=sms_gateway.url)
    sms_gateway.token = _dotenv(dotenv)["AUTH__SMS_TOKEN"]
    settings = environ(
        compose_env(dotenv)
        | {
            "DB__URL": seeded_db,
            "REDIS__URL": redis_db_url(redis_url, REDIS_DB),
            "MONGO__URL": mongo_url,
            "MONGO__DATABASE": "test_production",
            "DATA_DIR": str(tmp_path),
        }
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        assert (await client.get("/health/ready")).status_code == 200
        for docs in ("/api/docs", "/api/docs/openapi.json", "/api/docs/swagger"):
            assert (await client.get(docs)).status_code == 404, docs
        created = await client.post("/api/v1/sessions")
        assert created.status_code == 201
        cookie = created.headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie
        token = created.json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        phone = "+12125550177"
        sent = await client.post("/api/v1/auth/otp", json={"phone": phone}, headers=bearer)
        assert sent.status_code == 200, sent.text
        (code,) = sms_gateway.codes(phone)
        verified = await client.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": code}, headers=bearer
        )
        assert verified.status_code == 200, verified.text
    assert not (tmp_path / "outbox.jsonl").exists()  # no code went to a file

    asked = settings.model_copy(update={"api_docs": True})
    async with AsyncTestClient(app=create_app(asked)) as client:
        assert (await client.get("/api/docs/openapi.json")).status_code == 200
