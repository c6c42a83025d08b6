from __future__ import annotations

from fastapi import HTTPException


def require_token(token: str) -> str:
    if not token:
        raise HTTPException(401)  # dependencies are the edge too
    return token
