from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException

class HTTPException(StarletteHTTPException):
    def __init__(
        self, status_code: int, detail: Any = None, headers: dict[str, str] | None = None
    ) -> None: ...

class RequestValidationError(Exception): ...
