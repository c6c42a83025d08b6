from __future__ import annotations

import requests
from fastapi import HTTPException

from features.orders.exceptions import OrderNotFound
from features.orders.models import Order
from features.orders.repository import OrderRepository


class OrderService:
    def __init__(self, repo: OrderRepository) -> None:
        self.repo = repo

    async def get(self, order_id: int) -> Order:
        order = await self.repo.get(order_id)
        if order is None:
            raise OrderNotFound(order_id)
        return order

    async def pay(self, order_id: int) -> None:
        order = await self.get(order_id)
        if order.total <= 0:
            raise HTTPException(422, "nothing to pay")  # E: fal-http-outside-edge
        requests.post("https://payments/charge", json={"total": order.total})  # E: fal-blocking-in-async
