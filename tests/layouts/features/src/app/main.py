"""Composition root: builds the FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from app.config import get_settings
from app.db import engine
from features.orders.router import router as orders_router
from features.users.exceptions import UserNotFoundError
from features.users.router import router as users_router
from shared.middleware.request_id import RequestIdMiddleware
from shared.middleware.timing import TimingMiddleware

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


async def user_not_found_handler(request: Request, exc: UserNotFoundError) -> JSONResponse:
    logger.info("user %s not found", exc.user_id)
    return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": "User not found"})


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="Shop", version="1.0.0", lifespan=lifespan)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(TimingMiddleware)
    app.add_exception_handler(UserNotFoundError, user_not_found_handler)  # type: ignore[arg-type]  # starlette types handlers loosely
    app.include_router(users_router, prefix="/api/v1")
    app.include_router(orders_router, prefix="/api/v1")
    return app


app = create_app()


@app.get("/health", include_in_schema=False)
async def health() -> dict[str, str]:
    return {"status": "ok"}
