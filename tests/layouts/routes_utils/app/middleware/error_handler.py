"""Turns unhandled exceptions into JSON errors."""

from __future__ import annotations

import logging
import os
import traceback

from fastapi import Request, status
from fastapi.responses import JSONResponse

logger = logging.getLogger(__name__)


async def unhandled_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    if os.getenv("APP_DEBUG") == "1":  # expect: FAL705 -- use settings.debug
        return JSONResponse(
            status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
            content={"detail": "Internal server error", "trace": traceback.format_exc()},  # expect: FAL704
        )
    return JSONResponse(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content={"detail": "Internal server error"},
    )
