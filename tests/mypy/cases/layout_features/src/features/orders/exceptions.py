from __future__ import annotations


class OrderNotFound(Exception):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id} not found")
