from __future__ import annotations

from typing import Any, NamedTuple, TypedDict

Stats = dict[str, int]  # an alias defined away from its users
Rows = list[Stats]


class Order:
    def __init__(self, order_id: int) -> None:
        self.order_id = order_id


class OrderSummary(TypedDict):  # structured: a TypedDict is not raw data
    order_id: int
    total: int


class Pair(NamedTuple):
    order: Order
    quantity: int


Payload = dict[str, Any]
