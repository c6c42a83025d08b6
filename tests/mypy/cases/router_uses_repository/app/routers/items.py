from __future__ import annotations

from fastapi import APIRouter

from app.dependencies import ItemRepo, Items, Reader

router = APIRouter()


@router.get("/items")
async def list_items(service: Items) -> list[str]:
    return service.names()  # through the service: fine


@router.get("/items/raw")
async def list_raw(repo: ItemRepo) -> list[str]:
    # The router never imports the repository module: the type says it.
    return repo.names()  # E: fal-router-uses-repository


@router.get("/items/{item_id}")
async def read_item(item_id: int, repo: ItemRepo) -> str | None:
    return repo.get(item_id)  # E: fal-router-uses-repository


@router.get("/reader")
async def read_names(reader: Reader) -> list[str]:
    return reader.names()  # a service-layer Protocol: fine
