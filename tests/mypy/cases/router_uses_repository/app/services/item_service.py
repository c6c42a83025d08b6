from __future__ import annotations

from typing import Protocol

from app.repositories.item_repository import ItemRepository


class ItemReader(Protocol):
    """A port the service layer owns; the repository implements it."""

    def names(self) -> list[str]: ...


class ItemService:
    def __init__(self, repo: ItemRepository) -> None:
        self.repo = repo

    def names(self) -> list[str]:
        return self.repo.names()  # a service may use the repository


def build_service() -> ItemService:
    return ItemService(ItemRepository({}))  # not a router: fine
