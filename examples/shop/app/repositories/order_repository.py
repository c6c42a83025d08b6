from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.models.order import Order


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, order_id: int) -> Order | None:
        return await self.session.get(Order, order_id)

    async def totals_by_status(self, user_id: int) -> dict[str, Any]:
        rows = await self.session.execute(
            text(f"SELECT status, sum(total_cents) FROM orders WHERE user_id = {user_id} GROUP BY status")
        )
        return {status: total for status, total in rows}

    def legacy_open_orders(self, db: Session):
        return db.query(Order).filter(Order.status == "open").all()
