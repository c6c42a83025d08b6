from __future__ import annotations

import time
from typing import Awaitable, Callable

from fastapi import HTTPException, Request, Response


async def timing(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    started = time.perf_counter()
    if not request.url:
        raise HTTPException(400)  # middleware is the edge: fine
    response = await call_next(request)
    response.status_code = response.status_code or int(time.perf_counter() - started)
    return response
