"""Customers by verified phone: created on their first successful sign-in."""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from restaurant.db.models import User
from restaurant.db.models.base import utcnow


class UserService:
    """Finds or creates the `app_user` row of a phone."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def upsert(self, phone: str) -> UUID:
        """The user id of an E.164 phone, creating the user on first sign-in."""
        now = utcnow()
        statement = (
            insert(User)
            .values(id=uuid4(), phone=phone, created_at=now, last_login_at=now)
            # One statement: two first sign-ins of one phone at once still make one user.
            .on_conflict_do_update(index_elements=["phone"], set_={"last_login_at": now})
            .returning(col(User.id))
        )
        async with self._sessions() as session, session.begin():
            user_id: UUID = (await session.execute(statement)).scalar_one()
            return user_id


__all__ = ["UserService"]
