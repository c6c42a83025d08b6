from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class BaseRepository(Generic[T]):
    def __init__(self, items: dict[int, T]) -> None:
        self.items = items

    def get(self, item_id: int) -> T | None:
        return self.items.get(item_id)
