"""API request models."""

from __future__ import annotations

from pydantic import BaseModel, Field, HttpUrl


class ProfileUpdateRequest(BaseModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=100)
    bio: str | None = Field(default=None, max_length=2_000)


class AvatarImportRequest(BaseModel):
    source_url: HttpUrl
