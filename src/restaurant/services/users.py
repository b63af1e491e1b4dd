"""Customers by verified phone: created on their first successful sign-in."""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from restaurant.db.engine import engine_of
from restaurant.db.models import User
from restaurant.db.models.base import utcnow

USER = User.metadata.tables["app_user"]

_NEW_USER = insert(USER)
# One statement: two first sign-ins of one phone at once still make one user.
_UPSERT = _NEW_USER.on_conflict_do_update(
    index_elements=[USER.c.phone], set_={"last_login_at": _NEW_USER.excluded.last_login_at}
).returning(USER.c.id)


class UserService:
    """Finds or creates the `app_user` row of a phone."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        # A single statement needs no transaction around it: AUTOCOMMIT, no BEGIN and COMMIT.
        self._autocommit = engine_of(sessions).execution_options(isolation_level="AUTOCOMMIT")

    async def upsert(self, phone: str) -> UUID:
        """The user id of an E.164 phone, creating the user on first sign-in."""
        now = utcnow()
        async with self._autocommit.connect() as conn:
            result = await conn.execute(
                _UPSERT, {"id": uuid4(), "phone": phone, "created_at": now, "last_login_at": now}
            )
            user_id: UUID = result.scalar_one()
            return user_id


__all__ = ["UserService"]
