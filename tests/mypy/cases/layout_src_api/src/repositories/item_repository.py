from __future__ import annotations

from typing import Sequence

from sqlalchemy import RowMapping, select
from sqlalchemy.orm import Session

from db.models import ItemRow
from models.domain.item import Item


class ItemRepository:
    """A sync repository: fine in sync code, blocking when awaited code calls it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, item_id: int) -> Item | None:
        row = self.session.get(ItemRow, item_id)
        return None if row is None else Item(row.id, row.name)

    def export(self) -> Sequence[RowMapping]:  # E: fal-repository-raw-return
        return self.session.execute(select(ItemRow)).mappings().all()

    def session_for_tests(self) -> Session:
        return self.session
