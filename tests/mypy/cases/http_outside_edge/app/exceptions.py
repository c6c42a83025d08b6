from __future__ import annotations


class OrderError(Exception):
    """A domain exception: what services should raise."""


class OrderNotFound(OrderError):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id} not found")
