from __future__ import annotations

from app.core.http_errors import NotFound


def check(total: int) -> None:
    if total < 0:
        raise NotFound("bad total")  # E: fal-http-outside-edge
