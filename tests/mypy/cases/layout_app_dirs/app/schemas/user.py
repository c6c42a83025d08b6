from __future__ import annotations

from dataclasses import dataclass


@dataclass
class UserRead:
    id: int
    email: str
