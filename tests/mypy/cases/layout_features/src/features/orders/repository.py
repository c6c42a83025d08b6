from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from features.orders.models import Order


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, order_id: int) -> Order | None:
        return await self.session.get(Order, order_id)

    async def totals(self) -> dict[str, Any]:  # E: fal-repository-raw-return
        result = await self.session.execute(select(Order.total))
        return {"rows": result.all()}
