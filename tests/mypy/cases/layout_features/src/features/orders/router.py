from __future__ import annotations

from fastapi import APIRouter, HTTPException

from app.dependencies import OrderRepositoryDep, OrderServiceDep
from features.orders.exceptions import OrderNotFound
from features.orders.schemas import OrderRead

router = APIRouter(prefix="/orders")


@router.get("/{order_id}")
async def read_order(order_id: int, service: OrderServiceDep) -> OrderRead:
    try:
        order = await service.get(order_id)
    except OrderNotFound:
        raise HTTPException(404) from None
    return OrderRead(id=order.id, total=order.total)


@router.get("/{order_id}/fast")
async def read_fast(order_id: int, repo: OrderRepositoryDep) -> OrderRead | None:
    order = await repo.get(order_id)  # E: fal-router-uses-repository
    return None if order is None else OrderRead(id=order.id, total=order.total)
