"""Domain errors of the orders feature."""

from __future__ import annotations


class OrderError(Exception):
    """Base class of the orders feature's errors."""


class OrderNotFoundError(OrderError):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id} not found")
        self.order_id = order_id


class DuplicateOrderError(OrderError):
    """The client retried a create with an idempotency key already used."""
