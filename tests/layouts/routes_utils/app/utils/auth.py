"""Authentication helper shared by the routes."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/token", scheme_name="password")
TOKEN_PREFIX = "Bearer"


@dataclass(frozen=True)
class User:
    id: int
    email: str


async def get_current_user(token: str = Depends(oauth2_scheme)) -> User:
    user_id, _, email = token.partition(":")
    if not user_id.isdigit():
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Invalid token")
    return User(int(user_id), email)
