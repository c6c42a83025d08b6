from __future__ import annotations

from fastapi import HTTPException


def parse_quantity(raw: str) -> int:
    if not raw.isdigit():
        raise HTTPException(422, "quantity")  # E: fal-http-outside-edge
    return int(raw)
