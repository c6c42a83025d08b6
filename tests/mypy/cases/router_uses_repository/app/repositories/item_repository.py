from __future__ import annotations

from app.repositories.base import BaseRepository


class ItemRepository(BaseRepository[str]):
    def names(self) -> list[str]:
        return list(self.items.values())
