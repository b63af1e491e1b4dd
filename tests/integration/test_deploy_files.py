"""The deployment files: the Caddyfile validates and says what it should, compose.yaml follows the
compose specification and has the intended topology, the Dockerfile and .env.example hold up.

No Docker engine is needed: Caddy (the Debian package, `make system-deps`) validates and adapts
the Caddyfile, check-jsonschema carries the compose specification.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from restaurant.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CADDYFILE = REPO / "Caddyfile"
COMPOSE = REPO / "compose.yaml"
README = REPO / "README.md"
DOCKERFILE = REPO / "Dockerfile"
ENV_EXAMPLE = REPO / ".env.example"

needs_caddy = pytest.mark.skipif(
    shutil.which("caddy") is None, reason="caddy is not installed (`make system-deps` installs it)"
)

STATIC_ENV = {
    "SITE_ADDRESS": "http://127.0.0.1:8080",
    "APP_UPSTREAMS": "127.0.0.1:18001 127.0.0.1:18002",
    "FRONTEND_ROOT": "/srv/frontend",
}
COMPOSE_ENV = {
    "SITE_ADDRESS": "shop.example.com",
    "APP_DISCOVERY": "dns",
    "APP_DNS_NAME": "app",
    "APP_PORT": "8000",
    "FRONTEND_ROOT": "/srv/frontend",
}


def _caddy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {*STATIC_ENV, *COMPOSE_ENV}}
    return subprocess.run(
        ["caddy", *args, "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _adapted(env: dict[str, str]) -> dict[str, Any]:
    result = _caddy("adapt", env=env)
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def _handlers(config: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [node for node in _walk(config) if node.get("handler") == name]


@needs_caddy
@pytest.mark.parametrize("env", [STATIC_ENV, COMPOSE_ENV], ids=["make-stack", "compose"])
def test_caddyfile_validates(env: dict[str, str]) -> None:
    """`caddy validate` accepts the Caddyfile as `make stack` and compose configure it."""
    result = _caddy("validate", env=env)
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
    assert "not formatted" not in result.stderr  # `caddy fmt --overwrite Caddyfile` fixes it


@needs_caddy
def test_caddyfile_proxies_the_api_to_every_replica_with_health_checks() -> None:
    """/api, /health and /static go to the listed replicas, checked, retried and streamed."""
    config = _adapted(STATIC_ENV)
    proxies = _handlers(config, "reverse_proxy")
    assert len(proxies) == 2  # requests with a body, and the others (see the next test)
    for proxy in proxies:
        assert [u["dial"] for u in proxy["upstreams"]] == ["127.0.0.1:18001", "127.0.0.1:18002"]
        assert proxy["health_checks"]["active"]["uri"] == "/health/ready"
        assert proxy["health_checks"]["passive"]["fail_duration"] > 0
        assert proxy["load_balancing"]["selection_policy"]["policy"] == "least_conn"
        assert proxy["flush_interval"] == -1  # SSE is streamed, not buffered
        # Caddy closes an idle connection before uvicorn's keep-alive (5 s) would.
        assert proxy["transport"]["keep_alive"]["idle_timeout"] < 5_000_000_000
    routes = [node for node in _walk(config) if "handle" in node and "match" in node]
    proxied = [r for r in routes if any(h.get("handler") == "subroute" for h in r["handle"])]
    paths = {p for route in proxied for m in route["match"] for p in m.get("path", [])}
    assert {"/api/*", "/health/*", "/static/*"} <= paths


@needs_caddy
@pytest.mark.parametrize("env", [STATIC_ENV, COMPOSE_ENV], ids=["make-stack", "compose"])
def test_caddyfile_retries_only_requests_without_a_body(env: dict[str, str]) -> None:
    """A request with a body is never retried on another replica (Caddy would send it without
    its body, and count that failure against the healthy replica: issue 17, point 12); the rest
    are retried for a while, and a replica is out after two failures, not one."""
    config = _adapted(env)
    with_body, without_body = _handlers(config, "reverse_proxy")
    matchers = [
        m
        for node in _walk(config)
        if any(h.get("handler") == "reverse_proxy" for h in _walk(node.get("handle", [])))
        for m in node.get("match", [])
        if "not" in m
    ]
    assert matchers == [
        {"not": [{"method": ["GET", "HEAD", "OPTIONS"]}, {"header": {"Content-Length": ["0"]}}]}
    ]
    assert "try_duration" not in with_body.get("load_balancing", {})
    assert without_body["load_balancing"]["try_duration"] >= 1_000_000_000
    for proxy in (with_body, without_body):
        assert proxy["health_checks"]["passive"]["max_fails"] == 2


@needs_caddy
def test_caddyfile_finds_compose_replicas_by_dns() -> None:
    """In compose the replicas are every A record of `app`, so `--scale app=3` just works."""
    for proxy in _handlers(_adapted(COMPOSE_ENV), "reverse_proxy"):
        assert proxy["dynamic_upstreams"] == {
            "source": "a",
            "name": "app",
            "port": "8000",
            "refresh": 5_000_000_000,
        }
        assert "upstreams" not in proxy


@needs_caddy
def test_caddyfile_serves_the_spa_with_a_fallback_to_index() -> None:
    """Static files come from FRONTEND_ROOT; unknown paths get index.html."""
    config = _adapted(STATIC_ENV)
    roots = {node["root"] for node in _handlers(config, "vars") if "root" in node}
    assert roots == {"/srv/frontend"}
    assert _handlers(config, "file_server")
    rewrites = [node for node in _walk(config) if node.get("file", {}).get("try_files")]
    assert any("/index.html" in node["file"]["try_files"] for node in rewrites)


@needs_caddy
def test_caddyfile_compresses_text_but_never_event_streams() -> None:
    """zstd and gzip for text and JSON; text/event-stream is left alone so events flush."""
    (encode,) = _handlers(_adapted(STATIC_ENV), "encode")
    assert set(encode["encodings"]) == {"zstd", "gzip"}
    types = encode["match"]["headers"]["Content-Type"]
    assert "application/json*" in types
    assert "text/html*" in types
    assert not [t for t in types if "event-stream" in t or t in {"*", "text/*"}]


@needs_caddy
def test_caddyfile_sets_security_headers() -> None:
    """CSP without inline scripts, nosniff, referrer policy, framing denied; HSTS on TLS only."""
    config = _adapted(COMPOSE_ENV)
    headers: dict[str, list[str]] = {}
    hsts_matchers = []
    for route in _walk(config):
        for handler in route.get("handle", []) if isinstance(route.get("handle"), list) else []:
            if handler.get("handler") == "headers":
                for name, values in handler.get("response", {}).get("set", {}).items():
                    headers.setdefault(name, []).extend(values)
                    if name == "Strict-Transport-Security":
                        hsts_matchers.extend(route.get("match", []))
    assert headers["X-Content-Type-Options"] == ["nosniff"]
    assert headers["Referrer-Policy"]
    assert headers["X-Frame-Options"] == ["DENY"]
    (csp,) = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no inline scripts, no eval
    assert directives["img-src"] == "'self' data:"
    assert "'self'" in directives["connect-src"]
    assert "ws://" in directives["connect-src"] and "wss://" in directives["connect-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert hsts_matchers == [{"protocol": "https"}]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def test_compose_follows_the_compose_specification() -> None:
    """compose.yaml validates against the compose specification (check-jsonschema's copy)."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_app_scales_behind_caddy() -> None:
    """The app has no fixed name and no published port; Caddy publishes 80 and 443."""
    services = _compose()["services"]
    assert set(services) >= {"caddy", "app", "migrate", "postgres", "redis", "mongo"}
    app = services["app"]
    assert "container_name" not in app
    assert "ports" not in app
    assert app["deploy"]["replicas"] >= 2
    assert app["build"]["context"] == "."
    caddy = services["caddy"]
    assert caddy["image"].startswith("caddy:")
    published = {str(p).split(":")[0] for p in caddy["ports"]}
    assert {"80", "443"} <= published
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert caddy["environment"]["APP_DISCOVERY"] == "dns"
    assert caddy["environment"]["APP_DNS_NAME"] == "app"
    for name, service in services.items():
        if name != "caddy":
            assert "ports" not in service, f"{name} must not publish a port"


def _default(value: str) -> int:
    """The default of a `${NAME:-default}` setting in compose.yaml."""
    match = re.fullmatch(r"\$\{\w+:-(\d+)\}", value)
    assert match, value
    return int(match.group(1))


def test_compose_replicas_fit_postgres_connections() -> None:
    """replicas x (pool + overflow) <= max_connections - 10, the README's rule, with the pool a
    setting of its own in compose and PostgreSQL's limit set explicitly."""
    services = _compose()["services"]
    env = services["app"]["environment"]
    per_replica = _default(env["DB__POOL_SIZE"]) + _default(env["DB__MAX_OVERFLOW"])
    command = " ".join(services["postgres"]["command"])
    found = re.search(r"max_connections=(\S+)", command)
    assert found, command
    limit = _default(found.group(1))
    replicas = services["app"]["deploy"]["replicas"]
    assert replicas * per_replica <= limit - 10, (replicas, per_replica, limit)
    assert "replicas x (pool + overflow)" in README.read_text()


def test_compose_trusts_forwarded_for_from_caddy_alone() -> None:
    """The apps take X-Forwarded-For only from Caddy's fixed address on the edge network, never
    from any peer (a client reaching a replica could name any address and pass the limits)."""
    services = _compose()["services"]
    trusted = services["app"]["environment"]["FORWARDED_ALLOW_IPS"]
    assert trusted != "*"
    assert services["caddy"]["networks"]["edge"]["ipv4_address"] == trusted
    subnet = _compose()["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(trusted) in ipaddress.ip_network(subnet)
    assert Settings(_env_file=None).forwarded_allow_ips == ""  # type: ignore[call-arg]


def test_compose_runs_migrations_before_the_app() -> None:
    """migrate (migrate, then seed) completes before any app replica starts."""
    services = _compose()["services"]
    migrate = services["migrate"]
    command = " ".join(migrate["command"])
    assert command.index("restaurant migrate") < command.index("restaurant seed")
    assert migrate["restart"] == "no"
    assert services["app"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert migrate["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_compose_stores_are_healthy_before_use() -> None:
    """Every store has a health check; the app waits for all of them, Caddy for the app."""
    services = _compose()["services"]
    expected_images = {"postgres": "postgres:16", "redis": "redis:7", "mongo": "mongo:7"}
    for name, image in expected_images.items():
        assert services[name]["image"] == image
        assert services[name]["healthcheck"]["test"], name
        assert services["app"]["depends_on"][name] == {"condition": "service_healthy"}
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "appendonly" in " ".join(services["redis"]["command"])
    assert services["caddy"]["depends_on"]["app"] == {"condition": "service_healthy"}
    assert services["caddy"]["healthcheck"]["test"]


def test_compose_keeps_state_in_named_volumes() -> None:
    """Store data, Caddy's certificates and the frontend live in named volumes."""
    compose = _compose()
    volumes = set(compose["volumes"])
    services = compose["services"]

    def named(service: str) -> set[str]:
        return {v.split(":")[0] for v in services[service]["volumes"] if not v.startswith(".")}

    assert named("postgres") == {"pgdata"}
    assert named("redis") == {"redisdata"}
    assert named("mongo") == {"mongodata"}
    assert named("caddy") == {"frontend", "caddy_data", "caddy_config"}
    assert named("assets") == {"frontend"}
    assert {"pgdata", "redisdata", "mongodata", "frontend", "caddy_data", "caddy_config"} <= volumes


def test_compose_reads_configuration_from_env_and_requires_the_secrets() -> None:
    """Settings come from .env; compose refuses to start without the must-change secrets."""
    text = COMPOSE.read_text()
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    assert {"POSTGRES_PASSWORD", "MONGO_PASSWORD", "AUTH__SECRET_KEY"} <= required
    example = ENV_EXAMPLE.read_text()
    for name in required:
        assert re.search(rf"^{name}=", example, re.M), f"{name} is required by compose.yaml"
    app = _compose()["services"]["app"]
    assert app["env_file"][0]["path"] == ".env"
    assert app["environment"]["ENVIRONMENT"] == "production"


def test_compose_redis_has_a_memory_limit_and_never_evicts() -> None:
    """Full, Redis refuses writes rather than evicting a limit, a lock or a session (README)."""
    command = _compose()["services"]["redis"]["command"]
    flags = dict(zip(command[1::2], command[2::2], strict=False))
    assert flags["--maxmemory-policy"] == "noeviction"
    assert re.fullmatch(r"\$\{REDIS_MAXMEMORY:-\d+[kmg]b\}", flags["--maxmemory"])
    assert re.search(r"^# REDIS_MAXMEMORY=", ENV_EXAMPLE.read_text(), re.M)
    assert "maxmemory-policy noeviction" in README.read_text()


def test_compose_path_writes_env_with_fresh_secrets() -> None:
    """The README and compose.yaml start from `restaurant env --production > .env`."""
    for text in (README.read_text(), COMPOSE.read_text()):
        assert "restaurant env --production > .env" in text


def _setting_names(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _setting_names(annotation, f"{prefix}{name.upper()}__")
        else:
            yield f"{prefix}{name.upper()}"


def test_env_example_lists_every_setting() -> None:
    """Each Settings field appears in .env.example (set or commented), so none is a secret."""
    example = ENV_EXAMPLE.read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.M))
    missing = sorted(set(_setting_names(Settings)) - listed)
    assert not missing, f".env.example does not list: {missing}"


def test_env_example_marks_the_secrets() -> None:
    """Every secret set in .env.example is a placeholder marked CHANGE ME."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    for name in ("AUTH__SECRET_KEY", "POSTGRES_PASSWORD", "MONGO_PASSWORD"):
        (index,) = [i for i, line in enumerate(lines) if line.startswith(f"{name}=")]
        assert "change-me" in lines[index]
        assert any("CHANGE ME" in line for line in lines[max(0, index - 3) : index]), name


def _dockerfile() -> str:
    return DOCKERFILE.read_text()


def test_dockerfile_builds_the_frontend_then_the_app() -> None:
    """Two stages: Node builds the frontend with npm ci; Python 3.11 slim installs with uv."""
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", _dockerfile(), re.M | re.I)
    images = [image for image, _ in stages]
    assert len(stages) >= 2
    assert images[0].startswith("node:20")
    assert images[-1].startswith("python:3.11-slim")
    text = _dockerfile()
    assert "npm ci" in text
    assert "uv sync --locked --no-dev" in text
    assert re.search(r"^COPY --from=frontend .*dist", text, re.M)
    for path in ("migrations/", "seeds/", "src/", "graph/"):
        assert re.search(rf"^COPY {path}", text, re.M), path


def test_dockerfile_runs_unprivileged_with_a_health_check() -> None:
    """The last USER is not root; HEALTHCHECK probes readiness; CMD serves on 0.0.0.0."""
    text = _dockerfile()
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0", "0:0"}
    assert re.search(r"^HEALTHCHECK .*\n?.*/health/ready", text, re.M)
    assert re.search(r"HOST=0\.0\.0\.0", text)
    (cmd,) = re.findall(r"^CMD (\[.*\])", text, re.M)
    assert json.loads(cmd) == ["restaurant", "serve", "--no-seed"]


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    """The build context excludes .env, local data, virtualenvs and node_modules."""
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".env", ".data", ".venv", "**/node_modules", ".git"} <= ignored
