from __future__ import annotations

import subprocess

from fastapi import BackgroundTasks
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.post import Post
from app.repositories import post_repository
from app.utils.http import PostGone


async def publish(db: AsyncSession, post_id: int, tasks: BackgroundTasks) -> Post:  # E: fal-http-type-in-service
    post = await post_repository.get_post(db, post_id)
    if post is None:
        raise PostGone()  # E: fal-http-outside-edge
    subprocess.run(["notify", str(post_id)], check=False)  # E: fal-blocking-in-async
    return post
