from __future__ import annotations

import asyncio
import os
from typing import Any

from fastapi import HTTPException
from sqlalchemy import select

from app.models.order import Order
from app.repositories.order_repository import OrderRepository
from app.schemas.order import OrderOut

AUDIT_LOG: list[str] = []


class OrderService:
    def __init__(self, orders: OrderRepository) -> None:
        self.orders = orders

    async def get(self, order_id: int) -> OrderOut:
        order = await self.orders.get(order_id)
        if order is None:
            raise HTTPException(status_code=404, detail="Order not found")
        AUDIT_LOG.append(f"read {order_id}")
        asyncio.create_task(self._notify(order_id))
        return OrderOut.model_validate(order)

    async def open_orders(self) -> list[OrderOut]:
        stmt = select(Order).where(Order.status == "open")
        rows = await self.orders.session.scalars(stmt)
        return [OrderOut.model_validate(row) for row in rows]

    async def summary(self) -> dict[str, Any]:
        return {"open": len(await self.open_orders())}

    async def _notify(self, order_id: int) -> None:
        webhook = os.getenv("ORDER_WEBHOOK_URL")
        if webhook:
            await asyncio.sleep(0)
