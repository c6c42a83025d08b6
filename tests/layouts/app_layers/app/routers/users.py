from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.security import OAuth2PasswordRequestForm

from app.dependencies import get_current_active_user, get_user_service
from app.models.user import User
from app.schemas.user import Token, UserCreate, UserRead
from app.services.user_service import (
    EmailTakenError,
    InvalidCredentialsError,
    UserNotFoundError,
    UserService,
)

router = APIRouter(tags=["users"])


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def register(  # expect: FAL208 -- public sign-up, not allowlisted in config
    data: UserCreate, service: UserService = Depends(get_user_service)
) -> UserRead:
    try:
        return await service.register(data)
    except EmailTakenError:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Email already registered")


@router.post("/auth/token", response_model=Token)
async def login(  # expect: FAL208 -- the login route is public too
    form: OAuth2PasswordRequestForm = Depends(), service: UserService = Depends(get_user_service)
) -> Token:
    try:
        return await service.login(form.username, form.password)
    except InvalidCredentialsError as exc:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED, detail="Incorrect email or password"
        ) from exc


@router.get("/users/me", response_model=UserRead)
async def read_me(current_user: User = Depends(get_current_active_user)) -> User:
    return current_user


@router.get("/users", response_model=list[UserRead])
async def list_users(
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=200),
    current_user: User = Depends(get_current_active_user),
    service: UserService = Depends(get_user_service),
) -> list[UserRead]:
    return await service.list_active(page, size)


@router.get("/users/{user_id}", response_model=UserRead)
async def read_user(
    user_id: int,
    current_user: User = Depends(get_current_active_user),
    service: UserService = Depends(get_user_service),
) -> User:
    try:
        user = await service.get(user_id)
    except UserNotFoundError:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    if user.id != current_user.id and current_user.role != "admin":
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Not allowed")
    return user
