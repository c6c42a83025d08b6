from __future__ import annotations

from fastapi import HTTPException


class OrderRepository:
    def get(self, order_id: int) -> int:
        if order_id < 0:
            raise HTTPException(400)  # E: fal-http-outside-edge
        return order_id
