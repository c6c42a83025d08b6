from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import HTTPException


@dataclass
class Cart:
    items: list[str] = field(default_factory=list)

    def add(self, item: str) -> None:
        if item in self.items:
            raise HTTPException(409, "already in cart")  # E: fal-http-outside-edge
        self.items.append(item)


class CartFull(Exception):
    pass
