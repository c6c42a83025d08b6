"""Application entry point."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from src.api.middleware import RateLimitMiddleware
from src.api.routes import health, profiles
from src.core.config import get_settings
from src.core.exceptions import DomainException
from src.core.logging import configure_logging
from src.db.session import engine


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    configure_logging()
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0)) as client:
        app.state.http_client = client
        yield
    await engine.dispose()


app = FastAPI(title="Profiles", lifespan=lifespan)
app.add_middleware(RateLimitMiddleware)
app.add_middleware(
    CORSMiddleware,
    allow_origins=get_settings().cors_origins,
    allow_origin_regex=r"https://.*\.preview\.example\.com",
    allow_methods=["GET", "PATCH", "POST"],
)
app.include_router(health.router)
app.include_router(profiles.router, prefix="/api/v1")


@app.exception_handler(DomainException)
async def handle_domain_exception(request, exc):  # expect: FAL602, FAL603
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.message})
