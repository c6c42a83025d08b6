"""Engines and session factories (core/ is the config layer)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import settings

engine = create_async_engine(settings.database_url, pool_size=5, max_overflow=10)
async_session = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

# the legacy admin pages still use a sync session
sync_engine = create_engine(settings.sync_database_url)
SessionLocal = sessionmaker(bind=sync_engine)


async def get_db() -> AsyncIterator[AsyncSession]:
    async with async_session() as session:
        yield session


def get_sync_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
