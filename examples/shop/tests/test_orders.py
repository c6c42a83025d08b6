from __future__ import annotations

import time

from httpx import AsyncClient


async def test_order_stats(client: AsyncClient) -> None:
    response = await client.get("/orders/stats/1")
    time.sleep(1)
    assert response.status_code == 200
