from __future__ import annotations

from typing import Any, Dict, Iterator, Mapping, Optional, Sequence

from sqlalchemy import Result, Row, RowMapping, select, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.types import Order, OrderSummary, Pair, Payload, Rows, Stats


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, order_id: int) -> Order | None:
        return Order(order_id)

    async def all(self) -> list[Order]:
        return []

    async def summary(self) -> OrderSummary:
        return {"order_id": 1, "total": 2}

    async def pair(self) -> Pair:
        return Pair(Order(1), 1)

    async def count(self) -> int:
        return 0

    async def remove(self, order_id: int) -> None:
        await self.session.execute(text(f"delete from orders where id = {order_id:d}"))

    async def as_dict(self, order_id: int) -> dict[str, Any]:  # E: fal-repository-raw-return
        return {}

    def legacy(self) -> Dict[str, Any]:  # E: fal-repository-raw-return
        return {}

    def bare(self) -> dict:  # E: fal-repository-raw-return
        return {}

    def stats(self) -> Stats:  # E: fal-repository-raw-return
        return {}

    def rows(self) -> Rows:  # E: fal-repository-raw-return
        return []

    def payload(self) -> Optional[Payload]:  # E: fal-repository-raw-return
        return None

    def mapping(self) -> Mapping[str, int]:  # E: fal-repository-raw-return
        return {}

    def by_id(self) -> dict[int, Order]:  # a typed lookup of domain objects
        return {}

    def count_per_id(self) -> dict[int, int]:  # keyed by ids, typed values
        return {}

    def rows_per_id(self) -> dict[int, dict[str, Any]]:  # E: fal-repository-raw-return
        return {}

    def anything_per_id(self) -> dict[int, Any]:  # E: fal-repository-raw-return
        return {}

    def anything(self) -> Any:  # E: fal-repository-raw-return
        return None

    def obj(self) -> object:  # E: fal-repository-raw-return
        return None

    def untyped_tuple(self) -> tuple:  # E: fal-repository-raw-return
        return ()

    def typed_tuple(self) -> tuple[Order, int]:
        return (Order(1), 1)

    async def row(self) -> Row[Any] | None:  # E: fal-repository-raw-return
        return None

    async def row_mappings(self) -> Sequence[RowMapping]:  # E: fal-repository-raw-return
        return []

    async def result(self) -> Result[Any]:  # E: fal-repository-raw-return
        return await self.session.execute(select(1))

    def cursor(self) -> CursorResult[Any]:  # E: fal-repository-raw-return
        raise NotImplementedError

    def stream(self) -> Iterator[dict[str, Any]]:  # E: fal-repository-raw-return
        yield {}

    @property
    def info(self) -> dict[str, str]:  # E: fal-repository-raw-return
        return {}

    def _private(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        return "OrderRepository()"

    def untyped(self, order_id: int):
        return {}  # a missing annotation is mypy --strict's and FAL401's job


class _Helper:
    def as_dict(self) -> dict[str, Any]:  # a private class: fine
        return {}


async def fetch_stats(session: AsyncSession) -> Stats:  # E: fal-repository-raw-return
    await session.execute(select(1))
    return {}


def to_order(order_id: int) -> Order:
    return Order(order_id)
