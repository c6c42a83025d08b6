from __future__ import annotations

from fastapi import APIRouter, HTTPException

from app.core.http_errors import NotFound
from app.exceptions import OrderNotFound
from app.services.order_service import OrderService

router = APIRouter()


@router.get("/orders/{order_id}")
async def read_order(order_id: int) -> int:
    try:
        return await OrderService().get(order_id)
    except OrderNotFound:
        raise NotFound() from None  # the router is the edge: fine
    except ValueError:
        raise HTTPException(400) from None
