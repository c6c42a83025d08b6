from __future__ import annotations

import pytest
from httpx import AsyncClient


@pytest.mark.asyncio
async def test_create_post(client: AsyncClient) -> None:
    response = await client.post("/api/v1/posts/", json={"title": "Test", "content": "Content"})
    assert response.status_code == 201
    data = response.json()
    assert data["title"] == "Test"
    assert "id" in data


@pytest.mark.asyncio
async def test_get_post_not_found(client: AsyncClient) -> None:
    response = await client.get("/api/v1/posts/999")
    assert response.status_code == 404
