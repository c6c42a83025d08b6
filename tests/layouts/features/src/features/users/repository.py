"""Data access of the users feature."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .exceptions import EmailAlreadyRegisteredError
from .models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        result = await self.session.scalars(select(User).where(User.email == email))
        return result.first()

    async def list(self, limit: int) -> list[User]:
        result = await self.session.scalars(select(User).order_by(User.id).limit(limit))
        return list(result)

    async def add(self, user: User) -> User:
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise EmailAlreadyRegisteredError(user.email) from exc
        return user

    async def count_by_domain(self) -> dict[str, int]:  # expect: FAL401 -- raw mapping of scalars
        domain = func.split_part(User.email, "@", 2)
        rows = await self.session.execute(select(domain, func.count()).group_by(domain))
        return {name: count for name, count in rows.tuples()}
