"""Data access layer for profiles."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from src.db.models import ProfileRow
from src.models.domain.profile import Profile

SEARCH_SQL = text(
    "SELECT id FROM profiles WHERE handle % :term ORDER BY similarity(handle, :term) DESC LIMIT :n"
)


class ProfileNotFoundError(LookupError):
    pass


class ProfileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, profile_id: UUID) -> Profile | None:
        row = await self._session.get(ProfileRow, profile_id)
        return Profile.from_row(row) if row is not None else None

    async def get_by_handle(self, handle: str) -> Profile | None:
        row = await self._session.scalar(select(ProfileRow).where(ProfileRow.handle == handle))
        return Profile.from_row(row) if row is not None else None

    async def search_ids(self, term: str, limit: int = 20) -> list[UUID]:
        result = await self._session.execute(SEARCH_SQL, {"term": term, "n": limit})
        return list(result.scalars())

    async def search_by_prefix(self, prefix: str) -> list[UUID]:
        stmt = text(f"SELECT id FROM profiles WHERE handle LIKE '{prefix}%'")  # expect: FAL702
        return list((await self._session.execute(stmt)).scalars())

    async def handles_for(self, sql: str) -> list[str]:
        return list((await self._session.execute(text(sql))).scalars())

    async def update(self, profile_id: UUID, **changes) -> Profile:  # expect: FAL604
        stmt = (
            update(ProfileRow)
            .where(ProfileRow.id == profile_id)
            .values(**changes)
            .returning(ProfileRow)
        )
        row = await self._session.scalar(stmt)
        if row is None:
            raise ProfileNotFoundError(profile_id)
        return Profile.from_row(row)
