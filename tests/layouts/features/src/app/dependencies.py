"""Dependency providers: the request-scoped session, the services, the current user."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings, get_settings
from app.db import AsyncSessionLocal
from features.orders.repository import OrderRepository
from features.orders.service import OrderService
from features.users.repository import UserRepository
from features.users.schemas import UserRead
from features.users.service import UserService

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/users/token")

AUDIENCE = os.getenv("SHOP_AUTH_AUDIENCE", "shop-api")  # expect: FAL705 -- belongs in Settings


async def get_db_session() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


DBSession = Annotated[AsyncSession, Depends(get_db_session)]


def get_user_service(session: DBSession) -> UserService:
    return UserService(UserRepository(session))


def get_order_service(session: DBSession) -> OrderService:
    # dependencies may wire any layer together
    return OrderService(OrderRepository(session), UserRepository(session))


async def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)],
    settings: Annotated[Settings, Depends(get_settings)],
    users: Annotated[UserService, Depends(get_user_service)],
) -> UserRead:
    credentials_error = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        payload = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            audience=AUDIENCE,
        )
    except jwt.PyJWTError as exc:
        raise credentials_error from exc
    return await users.get_user(int(payload["sub"]))
