from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status

from dependencies import get_admin_service
from repositories.post_repository import PostRepository  # expect: FAL102
from schemas.post import PostPage
from services.admin_service import AdminService
from utils.auth import User, get_current_user

router = APIRouter(prefix="/admin", tags=["admin"])

ADMINS = frozenset({"root@example.com"})


@router.get("/posts")
async def admin_posts(  # expect: FAL205 -- the paging policy is business logic
    limit: int = 50,
    offset: int = 0,
    current_user: User = Depends(get_current_user),
    service: AdminService = Depends(get_admin_service),
) -> PostPage:
    if current_user.email not in ADMINS:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Admins only")
    if offset < 0:
        offset = 0
    while limit > 100:
        limit //= 2
    return await service.list_posts(limit, offset)


@router.post("/maintenance/reindex", status_code=status.HTTP_204_NO_CONTENT)
async def reindex(
    current_user: User = Depends(get_current_user),
    service: AdminService = Depends(get_admin_service),
    posts: PostRepository = Depends(),
) -> None:
    await service.rebuild_search_index()
