"""Transactional e-mail through the mail provider's HTTP API."""

from __future__ import annotations

import httpx

from app.config import get_settings


class Mailer:
    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self.client = client or httpx.AsyncClient(base_url=get_settings().mail_api_url, timeout=5.0)

    async def send_welcome(self, email: str) -> None:
        response = await self.client.post("/messages", json={"to": email, "template": "welcome"})
        response.raise_for_status()
