from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.repositories.item_repository import ItemRepository
from app.services.item_service import ItemReader, ItemService


def get_repository() -> ItemRepository:
    return ItemRepository({1: "a"})  # the DI wiring builds repositories


def get_service(repo: Annotated[ItemRepository, Depends(get_repository)]) -> ItemService:
    return ItemService(repo)


def get_reader() -> ItemReader:
    return ItemRepository({})


ItemRepo = Annotated[ItemRepository, Depends(get_repository)]
Items = Annotated[ItemService, Depends(get_service)]
Reader = Annotated[ItemReader, Depends(get_reader)]
