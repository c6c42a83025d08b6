"""Liveness and readiness probes (public)."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse
from sqlalchemy import text

from src.api.dependencies import DBSession

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(session: DBSession) -> JSONResponse:
    await session.execute(text("SELECT 1"))  # expect: FAL202 -- even a probe query belongs in a repository
    return JSONResponse({"status": "ready"}, status_code=status.HTTP_200_OK)
