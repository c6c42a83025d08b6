from __future__ import annotations

from httpx import AsyncClient

SIGNUP = {"email": "grace@example.com", "password": "a-long-enough-password"}


async def test_register_then_login(client: AsyncClient) -> None:
    response = await client.post("/api/v1/users", json=SIGNUP)
    assert response.status_code == 201
    token = await client.post(
        "/api/v1/auth/token", data={"username": SIGNUP["email"], "password": SIGNUP["password"]}
    )
    assert token.status_code == 200
    assert token.json()["token_type"] == "bearer"


async def test_register_twice_conflicts(client: AsyncClient) -> None:
    await client.post("/api/v1/users", json=SIGNUP)
    response = await client.post("/api/v1/users", json=SIGNUP)
    assert response.status_code == 409
