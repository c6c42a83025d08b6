from __future__ import annotations

from fastapi import HTTPException


def not_found() -> HTTPException:
    return HTTPException(404)  # no layer: fine
