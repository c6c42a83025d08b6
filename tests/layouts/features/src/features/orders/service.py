"""Use cases of the orders feature."""

from __future__ import annotations

from fastapi import HTTPException, status  # expect: FAL103
from sqlalchemy.exc import IntegrityError

from features.users.exceptions import UserNotFoundError
from features.users.repository import UserRepository  # expect: FAL105 -- call the users service

from .exceptions import DuplicateOrderError, OrderNotFoundError
from .models import Order, OrderStatus
from .repository import OrderRepository
from .schemas import OrderCreate, OrderRead


class OrderService:
    def __init__(self, orders: OrderRepository, users: UserRepository) -> None:
        self.orders = orders
        self.users = users

    async def place(self, user_id: int, data: OrderCreate) -> OrderRead:
        if await self.users.get(user_id) is None:
            raise UserNotFoundError(user_id)
        order = Order(user_id=user_id, idempotency_key=data.idempotency_key, total=data.total)
        try:
            order = await self.orders.add(order)
        except IntegrityError as exc:  # expect: FAL403 -- the repository should translate it
            raise DuplicateOrderError() from exc
        return OrderRead.model_validate(order)

    async def list_for_user(self, user_id: int, *, limit: int = 50) -> list[OrderRead]:
        orders = await self.orders.list_for_user(user_id, limit=limit)
        return [OrderRead.model_validate(order) for order in orders]

    async def cancel(self, user_id: int, order_id: int) -> OrderRead:
        order = await self.orders.get_for_update(order_id)
        if order is None or order.user_id != user_id:
            raise OrderNotFoundError(order_id)
        if order.status is not OrderStatus.PENDING:
            raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Not cancellable")  # expect: FAL301
        order.status = OrderStatus.CANCELLED
        return OrderRead.model_validate(order)
