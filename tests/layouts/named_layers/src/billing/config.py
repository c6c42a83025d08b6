"""Settings: every value comes from the environment (pydantic-settings)."""

from __future__ import annotations

from typing import Literal

from pydantic import PostgresDsn, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BILLING_")

    environment: Literal["dev", "stage", "prod"] = "dev"
    database_url: PostgresDsn
    archive_database_url: str = "postgresql://billing@localhost/billing_archive"
    payment_provider_api_key: SecretStr
    pdf_template_dir: str = "templates/invoices"
    api_prefix: str = "/api/v1"


settings = Settings()  # type: ignore[call-arg]  # values come from the environment
