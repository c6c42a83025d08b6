from __future__ import annotations

from typing import Annotated, AsyncIterator

from fastapi import APIRouter, BackgroundTasks, Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.repositories import post_repository
from app.schemas.post import PostOut
from app.services import post_service

router = APIRouter()
SessionLocal = async_sessionmaker()


async def get_db() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


@router.post("/posts/{post_id}/publish")
async def publish(
    post_id: int, tasks: BackgroundTasks, db: Annotated[AsyncSession, Depends(get_db)]
) -> PostOut:
    post = await post_service.publish(db, post_id, tasks)
    return {"id": post.id, "title": post.title}


@router.get("/posts/count")
async def count(db: Annotated[AsyncSession, Depends(get_db)]) -> int:
    return await post_repository.count(db)  # E: fal-router-uses-repository
