"""Settings from the environment."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    database_url: str = "postgresql+psycopg://accounts@localhost/accounts"
    sync_database_url: str = "postgresql+psycopg://accounts@localhost/accounts"
    secret_key: str = "changeme"  # expect: FAL701 -- a default secret ships to production
    algorithm: str = "HS256"
    access_token_expire_minutes: int = 30
    cors_origins: list[str] = ["https://accounts.example.com"]


settings = Settings()
