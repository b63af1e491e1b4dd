"""Staff accounts: who works at the restaurant, by the phone they sign in with, and their role.

A staff member signs in exactly as a customer does (phone and one-time code); what makes the
session a staff session is that its verified phone is in the `staff` table. The role is read
from the table on each staff request rather than kept in the session, so `restaurant staff
remove` or a changed role takes effect at once, not when a session expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from restaurant.db.engine import engine_of
from restaurant.db.models import Staff, StaffRole
from restaurant.db.models.base import utcnow

STAFF = Staff.metadata.tables["staff"]
MAX_NAME = 200

_COLUMNS = (STAFF.c.id, STAFF.c.phone, STAFF.c.name, STAFF.c.role)
_BY_PHONE = sa.select(*_COLUMNS).where(STAFF.c.phone == sa.bindparam("phone"))
_MANAGERS_FIRST = sa.case((STAFF.c.role == StaffRole.MANAGER.value, 0), else_=1)
_ALL = sa.select(*_COLUMNS).order_by(_MANAGERS_FIRST, STAFF.c.name, STAFF.c.phone)
_NEW = insert(STAFF)
# One statement: adding a phone again updates its name and role; `inserted` tells which it was
# (a row an upsert updated has a transaction id in xmax, a new one 0).
_UPSERT = _NEW.on_conflict_do_update(
    index_elements=[STAFF.c.phone],
    set_={"name": _NEW.excluded.name, "role": _NEW.excluded.role},
).returning(*_COLUMNS, sa.literal_column("xmax = 0").label("inserted"))
_REMOVE = sa.delete(STAFF).where(STAFF.c.phone == sa.bindparam("phone")).returning(STAFF.c.id)


@dataclass(frozen=True)
class StaffMember:
    """A staff member as the endpoints see them."""

    id: UUID
    phone: str  # E.164
    name: str
    role: StaffRole

    def may(self, role: StaffRole) -> bool:
        """Whether this member may do what `role` may: a manager may do all a kitchen may."""
        return role is StaffRole.KITCHEN or self.role is StaffRole.MANAGER


def _member(row: sa.RowMapping) -> StaffMember:
    return StaffMember(
        id=row["id"], phone=row["phone"], name=row["name"], role=StaffRole(row["role"])
    )


class StaffService:
    """Adds, lists, removes and looks up staff members (phones already normalised)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        # Single statements: AUTOCOMMIT, no BEGIN and COMMIT around them.
        self._autocommit = engine_of(sessions).execution_options(isolation_level="AUTOCOMMIT")

    async def add(self, phone: str, name: str, role: StaffRole) -> tuple[StaffMember, bool]:
        """Add a member, or update the name and role of the phone's; True if it was new."""
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise ValueError(f"A staff member needs a name of 1 to {MAX_NAME} characters.")
        async with self._autocommit.connect() as conn:
            row = (
                (
                    await conn.execute(
                        _UPSERT,
                        {
                            "id": uuid4(),
                            "phone": phone,
                            "name": name,
                            "role": role.value,
                            "created_at": utcnow(),
                        },
                    )
                )
                .mappings()
                .one()
            )
        return _member(row), bool(row["inserted"])

    async def list(self) -> list[StaffMember]:
        """Every member: managers, then the kitchen, by name."""
        async with self._autocommit.connect() as conn:
            return [_member(row) for row in (await conn.execute(_ALL)).mappings()]

    async def remove(self, phone: str) -> bool:
        """Remove the phone's member; False if there was none. Their moves stay in the audit."""
        async with self._autocommit.connect() as conn:
            return (await conn.execute(_REMOVE, {"phone": phone})).first() is not None

    async def member(self, phone: str | None) -> StaffMember | None:
        """The member who signs in with this phone, if any."""
        if not phone:
            return None
        async with self._autocommit.connect() as conn:
            row = (await conn.execute(_BY_PHONE, {"phone": phone})).mappings().one_or_none()
        return _member(row) if row is not None else None


__all__ = ["StaffMember", "StaffService"]
