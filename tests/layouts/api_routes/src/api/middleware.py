"""Custom middleware: a per-client rate limit."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from src.core.config import get_settings

_hits: defaultdict[str, list[float]] = defaultdict(list)
_blocked: set[str] = set()
_blocked_lock = asyncio.Lock()


class RateLimitMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        client = request.client.host if request.client else "unknown"
        if client in _blocked:
            return JSONResponse(status_code=403, content={"detail": "Blocked"})  # expect: FAL207
        now = time.monotonic()
        window = [t for t in _hits[client] if now - t < 60.0]
        window.append(now)
        _hits[client] = window  # expect: FAL504 -- read-modify-write across an await
        if len(window) > 10 * get_settings().rate_limit_per_minute:
            async with _blocked_lock:
                _blocked.add(client)
        if len(window) > get_settings().rate_limit_per_minute:
            return JSONResponse(status_code=429, content={"detail": "Too many requests"})  # expect: FAL207
        return await call_next(request)
