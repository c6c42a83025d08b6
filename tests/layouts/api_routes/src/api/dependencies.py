"""Dependency injection."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated
from uuid import UUID

import httpx
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from src.core.security import InvalidTokenError, subject_of
from src.db.session import AsyncSessionLocal
from src.repositories.profile_repository import ProfileRepository
from src.services.avatar_service import AvatarService
from src.services.profile_service import ProfileService

bearer = HTTPBearer()


async def get_db_session() -> AsyncGenerator[AsyncSession, None]:
    async with AsyncSessionLocal() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


DBSession = Annotated[AsyncSession, Depends(get_db_session)]


def get_http_client(request: Request) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.app.state.http_client
    return client


def get_profile_service(session: DBSession) -> ProfileService:
    return ProfileService(ProfileRepository(session), session)


def get_avatar_service(
    session: DBSession, client: Annotated[httpx.AsyncClient, Depends(get_http_client)]
) -> AvatarService:
    return AvatarService(ProfileRepository(session), client)


async def get_current_user(
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
) -> UUID:
    try:
        return UUID(subject_of(credentials.credentials))
    except (InvalidTokenError, ValueError) as exc:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Invalid token") from exc


CurrentUser = Annotated[UUID, Depends(get_current_user)]
Profiles = Annotated[ProfileService, Depends(get_profile_service)]
Avatars = Annotated[AvatarService, Depends(get_avatar_service)]
