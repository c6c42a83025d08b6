from __future__ import annotations

from fastapi import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException


class NotFound(HTTPException):
    def __init__(self, detail: str = "not found") -> None:
        super().__init__(404, detail)


class Gone(NotFound):  # a subclass of a subclass
    pass


class Teapot(StarletteHTTPException):  # starlette's base counts too
    def __init__(self) -> None:
        super().__init__(418)
