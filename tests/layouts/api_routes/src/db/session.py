"""DB session management."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from src.core.config import get_settings

_settings = get_settings()
engine = create_async_engine(
    _settings.database_url,
    pool_size=_settings.db_pool_size,
    connect_args={"server_settings": {"statement_timeout": str(_settings.db_statement_timeout_ms)}},
)
AsyncSessionLocal = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
