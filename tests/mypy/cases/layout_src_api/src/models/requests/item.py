from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ItemCreate:
    name: str
