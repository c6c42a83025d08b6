from __future__ import annotations

from typing import Annotated, AsyncIterator

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.repositories.user_repository import UserRepository
from app.services.user_service import UserService

SessionLocal = async_sessionmaker()


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def get_repository(session: SessionDep) -> UserRepository:
    return UserRepository(session)


def get_service(repo: Annotated[UserRepository, Depends(get_repository)]) -> UserService:
    return UserService(repo)


# The router imports only these aliases, never the repository module.
RepositoryDep = Annotated[UserRepository, Depends(get_repository)]
ServiceDep = Annotated[UserService, Depends(get_service)]
