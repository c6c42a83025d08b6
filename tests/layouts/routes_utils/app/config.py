"""Settings and configuration."""

from __future__ import annotations

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql+asyncpg://blog@localhost/blog"
    kafka_bootstrap_servers: str = "localhost:9092"
    debug: bool = False
    page_size_max: int = 100


settings = Settings()
