# The two commands: `make run` serves the assistant, `make test` runs every test.
# Everything else is set up by these targets from the package registries.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
APT_PACKAGES := graphviz caddy wrk chromium
STACK_PORT ?= 8080

FRONTEND_SRC := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/staff/index.html frontend/staff/analytics/index.html frontend/package.json frontend/vite.config.ts frontend/tsconfig.json)

.PHONY: frontend frontend-test help run stack test test-fast test-slow lint format deps system-deps graph bench clean

help: ## Show the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

deps: $(UV) ## Install Python dependencies from uv.lock
	$(UV) sync --locked --quiet

system-deps: ## Install Debian packages the tests need, when missing (graphviz, caddy, wrk, chromium)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: deps frontend ## Serve UI and API on http://127.0.0.1:$(PORT) (embedded stores when no URLs are set)
	@# The venv's own entry point, not `uv run`: signals reach the server once, so it stops cleanly.
	PORT=$(PORT) .venv/bin/restaurant serve

stack: deps system-deps frontend ## compose's topology without Docker: Caddy on http://127.0.0.1:$(STACK_PORT), 2 apps, the stores
	.venv/bin/python -m restaurant.dev.stack --port $(STACK_PORT)

test: deps system-deps frontend-test ## Run the whole test suite (browser journeys through Caddy)
	E2E_STACK=1 $(UV) run --locked pytest -q -p no:cacheprovider

# test-fast and test-slow split `make test`'s Python tests in two: together they run all of them.
FAST_TESTS := tests/unit tests/graph tests/integration

test-fast: deps ## While working: unit, graph and integration tests, without @slow, faults or browsers
	$(UV) run --locked pytest -q -p no:cacheprovider -m "not slow" $(FAST_TESTS)

test-slow: deps system-deps ## What test-fast leaves out: @slow tests, fault tests, browser journeys
	$(UV) run --locked pytest -q -p no:cacheprovider -m slow $(FAST_TESTS)
	E2E_STACK=1 $(UV) run --locked pytest -q -p no:cacheprovider tests/faults tests/e2e

lint: deps ## ruff (lint + format check) and mypy --strict
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	$(UV) run --locked mypy

format: deps ## Apply ruff's fixes and formatting
	$(UV) run --locked ruff check --fix .
	$(UV) run --locked ruff format .

graph: deps system-deps ## Draw the agent graph into docs/graph.{svg,png,mmd}
	mkdir -p docs
	$(UV) run --locked restaurant graph --format svg -o docs/graph.svg
	$(UV) run --locked restaurant graph --format png -o docs/graph.png
	$(UV) run --locked restaurant graph --format mermaid -o docs/graph.mmd

bench: deps system-deps ## Run every benchmark, one after the other (~13 min; bench/README.md)
	$(UV) run --locked python -m bench.http_api
	$(UV) run --locked python -m bench.chat
	$(UV) run --locked python -m bench.capacity
	$(UV) run --locked python -m bench.llm
	$(UV) run --locked python -m bench.peer
	$(UV) run --locked python -m bench.analytics

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SRC)
	cd frontend && npm run build

frontend: frontend/dist/index.html ## Build the browser UI when its sources changed

frontend-test: frontend/node_modules/.package-lock.json ## Vitest unit tests of the browser UI
	cd frontend && npx vitest run

clean: ## Remove local data and caches (.data holds the embedded databases)
	rm -rf .data .pytest_cache .mypy_cache .ruff_cache
