from __future__ import annotations

from fastapi import HTTPException


def validate(quantity: int) -> None:
    if quantity < 0:
        raise HTTPException(422)  # E: fal-http-outside-edge
