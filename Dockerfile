# syntax=docker/dockerfile:1
# The app image: the frontend is built in a Node stage, the service is installed with uv from
# uv.lock in a slim Python stage that also carries the built frontend (compose's `assets` service
# copies it from here into the volume Caddy serves). Runs as an unprivileged user.
#
#   docker build -t restaurant-app .        (compose.yaml builds it as `restaurant-app`)

# ---- 1. the frontend ----------------------------------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build/frontend
# The lockfile first: the dependency layer is reused until package*.json change.
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# ---- 2. the service -----------------------------------------------------------------------------
FROM python:3.11-slim AS app

# uv, pinned, from its official image.
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /usr/local/bin/

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app

# Third-party dependencies only, exactly as locked: this layer survives code changes.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --no-dev --no-install-project

# The project itself. `restaurant` finds migrations/ and seeds/ next to src/ (the install is
# editable, so its paths resolve to /app).
COPY pyproject.toml uv.lock README.md alembic.ini ./
COPY src/ src/
COPY graph/ graph/
COPY migrations/ migrations/
COPY seeds/ seeds/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev

COPY --from=frontend /build/frontend/dist/ frontend/dist/

# An unprivileged user owns only what it writes: the data directory (the one-time-code outbox of
# the file sender) and the assets hand-off directory that compose mounts a volume on.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/.data /srv/frontend \
    && chown app:app /app/.data /srv/frontend

ENV PATH=/app/.venv/bin:$PATH \
    ENVIRONMENT=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/app/.data \
    FRONTEND_DIR=/app/frontend/dist

USER app
EXPOSE 8000

# Ready means every store answers: the same check Caddy uses to route traffic.
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/ready' % os.environ.get('PORT', '8000'), timeout=2)"]

# Migrations and the seed are the one-shot `migrate` service's job; `serve` re-checks that the
# schema is at head (a no-op) and serves. Exec form: the server gets SIGTERM directly and stops
# gracefully.
CMD ["restaurant", "serve", "--no-seed"]
