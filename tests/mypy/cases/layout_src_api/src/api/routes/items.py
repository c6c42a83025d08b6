from __future__ import annotations

from fastapi import APIRouter, HTTPException

from api.dependencies import Repository, Service
from models.domain.item import ItemNotFound
from models.responses.item import ItemResponse

router = APIRouter(prefix="/items")


@router.get("/{item_id}")
async def read_item(item_id: int, service: Service) -> ItemResponse:
    try:
        item = await service.get(item_id)
    except ItemNotFound:
        raise HTTPException(404) from None
    return ItemResponse(id=item.id, name=item.name)


@router.get("/{item_id}/direct")
def read_direct(item_id: int, repo: Repository) -> ItemResponse | None:
    item = repo.get(item_id)  # E: fal-router-uses-repository
    return None if item is None else ItemResponse(id=item.id, name=item.name)
