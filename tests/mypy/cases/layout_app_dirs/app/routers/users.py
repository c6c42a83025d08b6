from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from app.core.errors import UserNotFound
from app.dependencies import RepositoryDep, ServiceDep
from app.schemas.user import UserRead

router = APIRouter(prefix="/users")


@router.get("/{user_id}")
async def read_user(user_id: int, service: ServiceDep) -> UserRead:
    try:
        user = await service.get(user_id)
    except UserNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND) from None  # the edge: fine
    return UserRead(id=user.id, email=user.email)


@router.get("/{user_id}/raw")
async def read_raw(user_id: int, repo: RepositoryDep) -> UserRead:
    user = await repo.get(user_id)  # E: fal-router-uses-repository
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return UserRead(id=user.id, email=user.email)
