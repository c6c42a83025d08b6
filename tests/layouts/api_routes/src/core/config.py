"""Pydantic settings."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROFILES_", env_file=".env")

    environment: str = Field(default_factory=lambda: os.getenv("APP_ENV", "dev"))
    database_url: str = "postgresql+asyncpg://profiles@localhost:5432/profiles"
    db_pool_size: int = 10
    db_statement_timeout_ms: int = 5_000
    jwt_public_key: SecretStr
    avatar_cdn_url: str = "https://cdn.example.com/avatars"
    gravatar_api_token: SecretStr | None = None
    rate_limit_per_minute: int = 120
    cors_origins: list[str] = ["https://app.example.com"]


@lru_cache
def get_settings() -> Settings:
    return Settings()
