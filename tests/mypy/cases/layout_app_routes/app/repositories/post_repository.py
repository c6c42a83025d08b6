from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.post import Post
from app.schemas.post import PostOut


async def get_post(db: AsyncSession, post_id: int) -> Post | None:
    return await db.get(Post, post_id)


async def get_post_out(db: AsyncSession, post_id: int) -> PostOut | None:
    post = await db.get(Post, post_id)
    return None if post is None else {"id": post.id, "title": post.title}


async def search(db: AsyncSession, term: str) -> list[dict[str, Any]]:  # E: fal-repository-raw-return
    result = await db.execute(text("select id, title from post where title like :t"), {"t": term})
    return [dict(row) for row in result.mappings().all()]


async def count(db: AsyncSession) -> int:
    result = await db.scalars(select(Post.id))
    return len(result.all())
