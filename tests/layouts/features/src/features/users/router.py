"""HTTP routes of the users feature: parse, call the service, translate errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from app.dependencies import get_current_user, get_user_service

from .exceptions import EmailAlreadyRegisteredError, InvalidCredentialsError, UserNotFoundError
from .schemas import TokenRead, UserCreate, UserRead
from .service import UserService

router = APIRouter(prefix="/users", tags=["users"])

Users = Annotated[UserService, Depends(get_user_service)]


@router.post("/register", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def register(payload: UserCreate, users: Users) -> UserRead:
    try:
        return await users.register(payload)
    except EmailAlreadyRegisteredError as exc:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail="Email already registered"
        ) from exc


@router.post("/token", summary="Select a user from the directory and issue a token")
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], users: Users
) -> TokenRead:
    try:
        return await users.authenticate(form.username, form.password)
    except InvalidCredentialsError as exc:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect e-mail or password",
            headers={"WWW-Authenticate": "Bearer"},
        ) from exc


@router.get("/me")
async def read_me(current: Annotated[UserRead, Depends(get_current_user)]) -> UserRead:
    return current


@router.get("/")
async def list_users(  # expect: FAL205 -- clamping and filtering are service decisions
    users: Users,
    current: Annotated[UserRead, Depends(get_current_user)],
    domain: str | None = None,
    limit: int = 50,
) -> list[UserRead]:
    if not current.is_admin:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Admins only")
    if limit > 200:
        limit = 200
    if limit < 1:
        limit = 1
    result = await users.list_users(limit)
    if domain is not None:
        result = [user for user in result if user.email.endswith("@" + domain)]
    return result


@router.get("/{user_id}")
async def read_user(
    user_id: int, users: Users, _: Annotated[UserRead, Depends(get_current_user)]
) -> UserRead:
    try:
        return await users.get_user(user_id)
    except UserNotFoundError as exc:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found") from exc


@router.post("/{user_id}/welcome", status_code=status.HTTP_204_NO_CONTENT)
async def resend_welcome(
    user_id: int, users: Users, _: Annotated[UserRead, Depends(get_current_user)]
) -> None:
    await users.resend_welcome(user_id)
