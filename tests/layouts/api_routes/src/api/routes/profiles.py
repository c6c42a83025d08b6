"""API endpoints for profiles."""

from __future__ import annotations

import logging
from uuid import UUID

from fastapi import APIRouter, HTTPException, status

from src.api.dependencies import Avatars, CurrentUser, Profiles
from src.models.requests.profile import AvatarImportRequest, ProfileUpdateRequest
from src.models.responses.profile import ProfileResponse
from src.services.avatar_service import AvatarTooLargeError
from src.services.profile_service import ProfileNotFound

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/profiles", tags=["profiles"])


@router.get("/by-handle/{handle}", response_model=ProfileResponse)
async def get_by_handle(handle: str, service: Profiles, user: CurrentUser) -> ProfileResponse:
    try:
        profile = await service.get_by_handle(handle)
    except ProfileNotFound as exc:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Profile not found") from exc
    return ProfileResponse.from_domain(profile)


@router.patch("/me", response_model=ProfileResponse)
async def update_me(data: ProfileUpdateRequest, service: Profiles, user: CurrentUser) -> ProfileResponse:
    logger.info("Updating profile", extra={"profile_id": str(user)})
    profile = await service.update(user, data)
    return ProfileResponse.from_domain(profile)


@router.post("/me/avatar", status_code=201)  # expect: FAL207
async def import_avatar(body: AvatarImportRequest, avatars: Avatars, user: CurrentUser) -> str:
    try:
        return await avatars.import_avatar(user, str(body.source_url))
    except AvatarTooLargeError as exc:
        raise HTTPException(
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, detail="Avatar too large"
        ) from exc
    except Exception as exc:
        logger.exception("avatar import failed")
        raise HTTPException(
            status_code=status.HTTP_502_BAD_GATEWAY, detail=f"Avatar import failed: {exc}"  # expect: FAL704
        ) from exc


@router.get("/{profile_id}")
async def get_profile(profile_id: UUID, service: Profiles, user: CurrentUser) -> ProfileResponse:
    try:
        return ProfileResponse.from_domain(await service.get(profile_id))
    except ProfileNotFound as exc:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Profile not found") from exc
