from __future__ import annotations

from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import Base

ModelT = TypeVar("ModelT", bound=Base)


class BaseRepository(Generic[ModelT]):
    model: type[ModelT]

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def find_by_id(self, entity_id: int) -> ModelT | None:
        return await self.db.get(self.model, entity_id)

    async def find_all(self, limit: int, offset: int) -> list[ModelT]:
        result = await self.db.scalars(select(self.model).limit(limit).offset(offset))
        return list(result)

    async def count(self) -> int:
        return await self.db.scalar(select(func.count()).select_from(self.model)) or 0
