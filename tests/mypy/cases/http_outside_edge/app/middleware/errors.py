from __future__ import annotations

from fastapi import HTTPException


def to_http(code: int) -> HTTPException:
    return HTTPException(code)  # middleware: fine
