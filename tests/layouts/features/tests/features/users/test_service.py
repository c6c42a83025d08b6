from __future__ import annotations

import time
from unittest.mock import AsyncMock

import pytest

from features.users.exceptions import UserNotFoundError
from features.users.schemas import UserCreate
from features.users.service import UserService


async def test_get_user_raises_when_missing() -> None:
    repo = AsyncMock()
    repo.get.return_value = None
    with pytest.raises(UserNotFoundError):
        await UserService(repo, mailer=AsyncMock()).get_user(42)


async def test_register_sends_the_welcome_mail() -> None:
    repo = AsyncMock()
    repo.get_by_email.return_value = None
    mailer = AsyncMock()
    payload = UserCreate(email="ada@example.com", password="correct-horse-battery", full_name="Ada")
    await UserService(repo, mailer=mailer).register(payload)
    time.sleep(0.05)  # expect: FAL901 -- waits for the mail task by wall clock
    mailer.send_welcome.assert_awaited_once_with("ada@example.com")
