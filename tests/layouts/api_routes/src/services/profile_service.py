"""Business logic for profiles."""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.db.models import ProfileRow
from src.models.domain.profile import Profile, normalise_handle
from src.models.requests.profile import ProfileUpdateRequest
from src.repositories.profile_repository import ProfileRepository

logger = logging.getLogger(__name__)


class ProfileNotFound(Exception):
    def __init__(self, key: object) -> None:
        super().__init__(f"profile {key} not found")


class ProfileService:
    """Select profiles from the repository and apply the editing rules."""

    def __init__(self, repo: ProfileRepository, session: AsyncSession) -> None:
        self.repo = repo
        self.session = session

    async def get(self, profile_id: UUID) -> Profile:
        profile = await self.repo.get(profile_id)
        if profile is None:
            raise ProfileNotFound(profile_id)
        return profile

    async def get_by_handle(self, handle: str) -> Profile:
        profile = await self.repo.get_by_handle(normalise_handle(handle))
        if profile is None:
            logger.info("SELECT by handle %s FROM cache missed", handle)
            raise ProfileNotFound(handle)
        return profile

    async def update(self, profile_id: UUID, data: ProfileUpdateRequest) -> Profile:
        changes = data.model_dump(exclude_unset=True)
        async with self.session.begin():
            return await self.repo.update(profile_id, **changes)

    async def recently_updated(self, limit: int) -> list[Profile]:
        stmt = select(ProfileRow).order_by(ProfileRow.updated_at.desc()).limit(limit)  # expect: FAL303
        rows = await self.session.scalars(stmt)  # expect: FAL303
        return [Profile.from_row(row) for row in rows]

    async def stale_handles(self) -> list[str]:
        query = "SELECT handle FROM profiles WHERE updated_at < now() - interval '1 year'"  # expect: FAL203
        return await self.repo.handles_for(query)
