from typing import Mapping

class HTTPException(Exception):
    status_code: int
    detail: str
    def __init__(
        self, status_code: int, detail: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None: ...

class WebSocketException(Exception):
    def __init__(self, code: int, reason: str | None = None) -> None: ...
