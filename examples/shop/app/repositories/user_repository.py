from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.exceptions import ConflictError
from app.models.user import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def by_token(self, token: str) -> User | None:
        result = await self.session.scalars(select(User).where(User.api_token == token))
        return result.first()

    async def add(self, email: str, token: str) -> User:
        user = User(email=email, api_token=token)
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise ConflictError(f"user {email} exists") from exc
        return user
