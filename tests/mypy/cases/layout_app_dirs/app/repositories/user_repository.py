from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.types import Stats
from app.models.user import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def list(self) -> Sequence[User]:
        result = await self.session.scalars(select(User))
        return result.all()

    async def raw_by_email(self, email: str) -> dict[str, Any]:  # E: fal-repository-raw-return
        return {"email": email}

    async def stats(self) -> Stats:  # E: fal-repository-raw-return
        return {"users": 1}

    async def rows(self) -> Sequence[Row[Any]]:  # E: fal-repository-raw-return
        result = await self.session.execute(select(User.id))
        return result.all()

    def _to_dict(self, user: User) -> dict[str, Any]:  # private helper: fine
        return {"id": user.id}
