from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OrderRead:
    id: int
    total: int
