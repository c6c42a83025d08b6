"""Imports avatars from external URLs into the CDN."""

from __future__ import annotations

import asyncio
from uuid import UUID

import httpx
import requests
from tenacity import retry, stop_after_attempt, wait_exponential

from src.core.config import get_settings
from src.db.session import AsyncSessionLocal
from src.repositories.profile_repository import ProfileRepository

_cache_lock = asyncio.Lock()
_recent_imports: dict[UUID, str] = {}


class AvatarTooLargeError(Exception):
    pass


class AvatarService:
    max_bytes = 2 * 1024 * 1024

    def __init__(self, repo: ProfileRepository, client: httpx.AsyncClient) -> None:
        self.repo = repo
        self.client = client

    @retry(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.2))
    async def import_avatar(self, profile_id: UUID, source_url: str) -> str:
        response = await self.client.get(source_url, timeout=10.0)
        response.raise_for_status()
        if len(response.content) > self.max_bytes:
            raise AvatarTooLargeError(source_url)
        cdn_url = f"{get_settings().avatar_cdn_url}/{profile_id}.png"
        await self.client.put(cdn_url, content=response.content)
        await self.repo.update(profile_id, avatar_url=cdn_url)
        async with _cache_lock:
            _recent_imports[profile_id] = cdn_url
        return cdn_url

    async def import_many(self, sources: dict[UUID, str]) -> None:
        async with asyncio.TaskGroup() as tg:
            for profile_id, url in sources.items():
                tg.create_task(self.import_avatar(profile_id, url))

    async def gravatar_exists(self, email_hash: str) -> bool:
        response = requests.head(f"https://gravatar.com/avatar/{email_hash}?d=404", timeout=3)  # expect: FAL501
        return response.status_code == 200


async def purge_missing_avatars() -> int:
    """Nightly job: clears avatar URLs whose CDN object is gone."""
    async with AsyncSessionLocal() as session:  # expect: FAL505 -- not request-scoped
        repo = ProfileRepository(session)
        purged = 0
        for profile_id in await repo.search_ids("", limit=1_000):
            purged += 1
            await repo.update(profile_id, avatar_url=None)
        await session.commit()
        return purged
