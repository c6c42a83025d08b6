from typing import Any, Mapping

class Response:
    status_code: int
    def __init__(
        self,
        content: Any = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
    ) -> None: ...

class JSONResponse(Response): ...
class PlainTextResponse(Response): ...
class RedirectResponse(Response):
    def __init__(self, url: str, status_code: int = 307) -> None: ...
