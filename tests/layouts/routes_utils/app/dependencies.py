"""Dependency injection."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from config import settings
from repositories.post_repository import PostRepository
from services.admin_service import AdminService
from services.post_service import PostService

engine = create_async_engine(settings.database_url)
async_session_maker = async_sessionmaker(engine, expire_on_commit=False)


async def get_db() -> AsyncIterator[AsyncSession]:
    async with async_session_maker() as session:
        yield session


async def get_post_service(db: AsyncSession = Depends(get_db)) -> PostService:
    return PostService(db)


async def get_admin_service(db: AsyncSession = Depends(get_db)) -> AdminService:
    return AdminService(PostRepository(db))
