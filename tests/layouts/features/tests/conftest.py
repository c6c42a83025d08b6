from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone

import pytest
from httpx import ASGITransport, AsyncClient

from app.dependencies import get_current_user
from app.main import app
from features.users.schemas import UserRead


@pytest.fixture
def current_user() -> UserRead:
    return UserRead(
        id=1,
        email="ada@example.com",
        full_name="Ada",
        is_admin=False,
        created_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
    )


@pytest.fixture
async def client(current_user: UserRead) -> AsyncIterator[AsyncClient]:
    app.dependency_overrides[get_current_user] = lambda: current_user
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as ac:
        yield ac
    app.dependency_overrides.clear()
