from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ItemResponse:
    id: int
    name: str
