"""Data access of the orders feature."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Order, OrderStatus


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_for_update(self, order_id: int) -> Order | None:
        stmt = select(Order).where(Order.id == order_id).with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def list_for_user(self, user_id: int, *, limit: int = 50) -> list[Order]:
        stmt = (
            select(Order)
            .where(Order.user_id == user_id)
            .order_by(Order.created_at.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(stmt))

    async def add(self, order: Order) -> Order:
        self.session.add(order)
        await self.session.flush()
        return order

    async def totals_by_status(self, user_id: int) -> list[tuple[OrderStatus, Decimal]]:
        stmt = (
            select(Order.status, func.sum(Order.total))
            .where(Order.user_id == user_id)
            .group_by(Order.status)
        )
        rows = await self.session.execute(stmt)
        return list(rows.tuples())  # type: ignore  # expect: FAL605
