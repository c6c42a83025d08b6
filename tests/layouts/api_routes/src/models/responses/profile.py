"""API response models."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict

from src.models.domain.profile import Profile


class ProfileResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    handle: str
    display_name: str
    bio: str
    avatar_url: str | None

    @classmethod
    def from_domain(cls, profile: Profile) -> ProfileResponse:
        return cls.model_validate(profile)
