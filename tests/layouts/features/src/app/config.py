"""Application settings, read from the environment by pydantic-settings."""

from __future__ import annotations

from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="SHOP_")

    database_url: str = "postgresql+asyncpg://shop@localhost:5432/shop"
    jwt_secret: SecretStr
    jwt_algorithm: str = "HS256"
    access_token_expire_minutes: int = 30
    cors_origins: list[str] = ["http://localhost:3000"]
    mail_api_url: str = "http://localhost:8025/api"


@lru_cache
def get_settings() -> Settings:
    return Settings()
