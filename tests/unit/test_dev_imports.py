"""Production imports none of `restaurant.dev` (the embedded servers and `make stack`)."""

from __future__ import annotations

import subprocess
import sys

_DEV_MODULES = "[m for m in sys.modules if m.split('.')[:2] == ['restaurant', 'dev']]"


def _dev_modules_after(code: str) -> str:
    """Run `code` in a fresh interpreter; the `restaurant.dev` modules it imported, if any."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(','.join(sorted({_DEV_MODULES})))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_dev_imports_none_from_app() -> None:
    code = "import restaurant.app, restaurant.cli, restaurant.lifespan, restaurant.drain"
    assert _dev_modules_after(code) == ""


def test_dev_imports_none_when_every_store_url_is_set() -> None:
    code = (
        "from restaurant.cli import stores\n"
        "from restaurant.settings import Settings\n"
        "settings = Settings(\n"
        "    db={'url': 'postgresql+asyncpg://u:p@db:5432/restaurant'},\n"
        "    redis={'url': 'redis://redis:6379/0'},\n"
        "    mongo={'url': 'mongodb://mongo:27017'},\n"
        ")\n"
        "with stores(settings) as ready:\n"
        "    assert ready is settings\n"
    )
    assert _dev_modules_after(code) == ""


def test_dev_imports_embedded_when_a_store_url_is_missing() -> None:
    """The check above is not vacuous: the development path does reach `restaurant.dev`."""
    code = "import restaurant.dev.embedded"
    assert "restaurant.dev.embedded" in _dev_modules_after(code).split(",")
