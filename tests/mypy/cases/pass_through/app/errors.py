from __future__ import annotations

from fastapi import HTTPException


class Conflict(HTTPException):
    def __init__(self) -> None:
        super().__init__(409)
