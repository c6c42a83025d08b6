from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from models.post import Post
from repositories.base_repository import BaseRepository
from schemas.post import PostCreate
from services.post_service import DuplicateTitleError  # expect: FAL101 -- errors belong in exceptions


class PostRepository(BaseRepository[Post]):
    model = Post

    async def exists_by_title(self, title: str) -> bool:
        return bool(await self.db.scalar(select(exists().where(Post.title == title))))

    async def create(self, data: PostCreate, user_id: int):  # expect: FAL401
        post = Post(**data.model_dump(), user_id=user_id)
        self.db.add(post)
        try:
            await self.db.commit()
        except IntegrityError as exc:
            await self.db.rollback()
            raise DuplicateTitleError(data.title) from exc
        await self.db.refresh(post)
        return post
