from __future__ import annotations

from typing import Annotated, Iterator

import httpx
from fastapi import Depends
from sqlalchemy.orm import Session, sessionmaker

from repositories.item_repository import ItemRepository
from services.item_service import ItemService

SessionLocal = sessionmaker()


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


def get_repository(session: Annotated[Session, Depends(get_session)]) -> ItemRepository:
    return ItemRepository(session)


def get_service(repo: Annotated[ItemRepository, Depends(get_repository)]) -> ItemService:
    return ItemService(repo, httpx.Client())


Repository = Annotated[ItemRepository, Depends(get_repository)]
Service = Annotated[ItemService, Depends(get_service)]
