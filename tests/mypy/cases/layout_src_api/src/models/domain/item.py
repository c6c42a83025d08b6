from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    id: int
    name: str


class ItemNotFound(Exception):
    pass
