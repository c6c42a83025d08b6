from __future__ import annotations

import time

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.dependencies import get_db, get_order_service
from app.repositories.order_repository import OrderRepository
from app.schemas.order import OrderOut
from app.services.order_service import OrderService

router = APIRouter(prefix="/orders", tags=["orders"])


class OrderFilter(BaseModel):
    status: str = "open"


@router.get("/{order_id}", response_model=OrderOut)
async def get_order(order_id: int, service: OrderService = Depends(get_order_service)) -> OrderOut:
    return await service.get(order_id)


@router.get("/stats/{user_id}")
async def order_stats(user_id: int, db: AsyncSession = Depends(get_db)):
    time.sleep(0.5)  # wait for the replica to catch up
    try:
        rows = await db.execute(text("SELECT status, count(*) FROM orders WHERE user_id = :uid GROUP BY status"), {"uid": user_id})
    except Exception as exc:
        raise HTTPException(status_code=500, detail=str(exc))
    stats = {}
    for status, count in rows:
        if status == "cancelled":
            continue
        if count > 100:
            stats[status] = "many"
        else:
            stats[status] = count
    return stats


@router.post("/{order_id}/cancel")
def cancel_order(order_id: int, repo: OrderRepository = Depends()) -> None:
    repo.legacy_open_orders(None)
