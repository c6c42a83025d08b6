from __future__ import annotations

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql+asyncpg://localhost/shop"
    token_url: str = "/auth/token"
    secret_key: str = "changeme"
    access_token_expire_minutes: int = 30


settings = Settings()
