from __future__ import annotations

from fastapi import HTTPException


class PostGone(HTTPException):
    def __init__(self) -> None:
        super().__init__(410, "post removed")
