"""HTTP routes of the orders feature (every route needs a signed-in user)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status

from app.dependencies import get_current_user, get_order_service
from features.users.schemas import UserRead

from .exceptions import DuplicateOrderError, OrderNotFoundError
from .schemas import OrderCreate, OrderRead
from .service import OrderService

router = APIRouter(prefix="/orders", tags=["orders"], dependencies=[Depends(get_current_user)])

Orders = Annotated[OrderService, Depends(get_order_service)]
CurrentUser = Annotated[UserRead, Depends(get_current_user)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "Duplicate idempotency key"}},
)
async def place_order(payload: OrderCreate, orders: Orders, user: CurrentUser) -> OrderRead:
    try:
        return await orders.place(user.id, payload)
    except DuplicateOrderError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail="Duplicate order") from exc


@router.get("")
async def list_orders(orders: Orders, user: CurrentUser, limit: int = 50) -> list[OrderRead]:
    return await orders.list_for_user(user.id, limit=limit)


@router.post("/{order_id}/cancel")
async def cancel_order(order_id: int, orders: Orders, user: CurrentUser) -> OrderRead:
    try:
        return await orders.cancel(user.id, order_id)
    except OrderNotFoundError as exc:
        raise HTTPException(404, detail=str(exc)) from exc  # expect: FAL207, FAL704
