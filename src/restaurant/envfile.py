"""The production `.env` that `restaurant env --production` prints: fresh random secrets, and the
one value only the operator knows (the SMS gateway's webhook) as a commented, required line.

compose.yaml reads these names: the passwords build the store URLs of every app container, the
rest reaches the app through `env_file`. `.env.example` explains every other setting.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

SMS_URL_EXAMPLE = "https://sms-gateway.example.com/send"


def production_env(*, sms_url: str | None = None, site_address: str = ":80") -> str:
    """A production `.env` for compose with new secrets (hex: safe inside URLs)."""
    sms_line = f"AUTH__SMS_URL={sms_url}" if sms_url else f"# AUTH__SMS_URL={SMS_URL_EXAMPLE}"
    written = datetime.now(UTC).strftime("%Y-%m-%d")
    return f"""\
# Production settings for `docker compose up`, written by `restaurant env --production` on
# {written} with fresh random secrets. Keep this file private (git ignores it) and the same on
# every machine of one deployment. .env.example explains every other setting.
ENVIRONMENT=production

# The public address: a domain name whose DNS points here gets HTTPS from Let's Encrypt. The
# session cookie is Secure in production, so browsers keep it only over HTTPS (or on localhost).
SITE_ADDRESS={site_address}

# The stores: compose builds DB__URL and MONGO__URL from these.
POSTGRES_USER=restaurant
POSTGRES_PASSWORD={secrets.token_hex(24)}
POSTGRES_DB=restaurant
MONGO_USER=restaurant
MONGO_PASSWORD={secrets.token_hex(24)}

# Signs sessions and one-time codes: the same for every replica.
AUTH__SECRET_KEY={secrets.token_hex(32)}

# Sign-in codes go by SMS through your gateway's webhook (docs/sms.md), which checks this bearer
# token (or put here the one your gateway issued).
AUTH__SMS_SENDER=http
# REQUIRED: the webhook's URL. Until it is set, the app and the migrate step refuse to start
# and name AUTH__SMS_URL.
{sms_line}
AUTH__SMS_TOKEN={secrets.token_hex(32)}
"""


__all__ = ["production_env"]
