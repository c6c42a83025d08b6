from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, status

from dependencies import get_post_service
from exceptions import NotFoundError
from schemas.post import PostCreate, PostPage, PostResponse
from services.post_service import DuplicateTitleError, PostService
from utils.auth import User, get_current_user

router = APIRouter(prefix="/posts", tags=["posts"])


def send_email_notification(email: str, message: str) -> None:
    """Runs after the response, in the threadpool (BackgroundTasks)."""


@router.post("/", response_model=PostResponse, status_code=201)  # expect: FAL207
async def create_post(
    post_data: PostCreate,
    background_tasks: BackgroundTasks,
    current_user: User = Depends(get_current_user),
    service: PostService = Depends(get_post_service),
) -> PostResponse:
    """Create a new post."""
    try:
        post = await service.create_post(post_data, current_user.id)
    except DuplicateTitleError:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Post with this title exists")
    background_tasks.add_task(send_email_notification, "admin@example.com", "New post")
    return post


@router.get("/")
async def list_posts(
    limit: int = 10,
    offset: int = 0,
    current_user: User = Depends(get_current_user),
    service: PostService = Depends(get_post_service),
) -> PostPage:
    return await service.get_posts(limit, offset)


@router.get("/{post_id}", response_model=PostResponse)
async def get_post(
    post_id: int,
    current_user: User = Depends(get_current_user),
    service: PostService = Depends(get_post_service),
) -> PostResponse:
    try:
        return await service.get_post(post_id)
    except NotFoundError as e:
        raise HTTPException(status_code=404, detail=str(e))  # expect: FAL207, FAL704
