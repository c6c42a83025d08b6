from __future__ import annotations

from typing import TypedDict


class PostOut(TypedDict):
    id: int
    title: str
