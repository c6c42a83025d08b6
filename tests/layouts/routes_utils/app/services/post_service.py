from __future__ import annotations

from typing import List, Optional

from sqlalchemy.ext.asyncio import AsyncSession

from exceptions import NotFoundError
from repositories.post_repository import PostRepository
from schemas.post import PostCreate, PostPage, PostResponse


class DuplicateTitleError(Exception):
    """Raised when a post with the same title exists."""


class PostService:
    def __init__(self, db: AsyncSession):  # expect: FAL603
        self.repo = PostRepository(db)

    async def create_post(self, data: PostCreate, user_id: int) -> PostResponse:
        if await self.repo.exists_by_title(data.title):
            raise DuplicateTitleError(data.title)
        post = await self.repo.create(data, user_id)
        return PostResponse.model_validate(post)

    async def get_posts(self, limit: int = 10, offset: int = 0) -> PostPage:
        posts = await self.repo.find_all(limit, offset)
        items: List[PostResponse] = [PostResponse.model_validate(p) for p in posts]
        return PostPage(items=items, total=await self.repo.count(), limit=limit, offset=offset)

    async def get_post(self, post_id: int) -> PostResponse:
        post: Optional[object] = await self.repo.find_by_id(post_id)
        if not post:
            raise NotFoundError(f"Post {post_id} not found")
        return PostResponse.model_validate(post)
