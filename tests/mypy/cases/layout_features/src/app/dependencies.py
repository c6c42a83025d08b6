from __future__ import annotations

from typing import Annotated, AsyncIterator

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from features.orders.repository import OrderRepository
from features.orders.service import OrderService

SessionLocal = async_sessionmaker()


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


def get_order_repository(
    session: Annotated[AsyncSession, Depends(get_session)],
) -> OrderRepository:
    return OrderRepository(session)


def get_order_service(
    repo: Annotated[OrderRepository, Depends(get_order_repository)],
) -> OrderService:
    return OrderService(repo)


OrderRepositoryDep = Annotated[OrderRepository, Depends(get_order_repository)]
OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
