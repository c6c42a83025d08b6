from __future__ import annotations

from fastapi import APIRouter

from app.repositories import crud
from app.repositories.item_repository import ItemRepository

router = APIRouter()


@router.get("/admin/count")
async def count() -> int:
    repo = ItemRepository({})  # E: fal-router-uses-repository
    return crud.count_items(repo.items)  # E: fal-router-uses-repository
