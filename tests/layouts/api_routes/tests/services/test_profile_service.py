from __future__ import annotations

import asyncio
from unittest.mock import AsyncMock
from uuid import uuid4

import pytest

from src.models.domain.profile import Profile
from src.services.profile_service import ProfileNotFound, ProfileService


def make_profile(handle: str = "ada") -> Profile:
    return Profile(uuid4(), handle, "Ada", "", None)


async def test_get_by_handle_normalises() -> None:
    repo = AsyncMock()
    repo.get_by_handle.return_value = make_profile()
    service = ProfileService(repo, AsyncMock())
    assert (await service.get_by_handle("  ADA ")).handle == "ada"
    repo.get_by_handle.assert_awaited_once_with("ada")


async def test_missing_profile_raises(mocker: pytest.MonkeyPatch) -> None:
    repo = AsyncMock()
    repo.get.return_value = None
    await asyncio.sleep(0)
    with pytest.raises(ProfileNotFound):
        await ProfileService(repo, AsyncMock()).get(uuid4())
