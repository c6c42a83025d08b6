from typing import Any

class Response:
    status_code: int
    def json(self, **kwargs: Any) -> Any: ...
