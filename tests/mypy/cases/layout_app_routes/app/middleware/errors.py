from __future__ import annotations

from fastapi import HTTPException


def as_http(status: int) -> HTTPException:
    return HTTPException(status)
