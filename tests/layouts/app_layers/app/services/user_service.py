from __future__ import annotations

from typing import Any

from app.core.security import create_access_token, hash_password, verify_password
from app.models.user import User
from app.repositories.user_repository import UserRepository
from app.schemas.user import Token, UserCreate, UserRead


class UserNotFoundError(Exception):
    pass


class EmailTakenError(Exception):
    pass


class InvalidCredentialsError(Exception):
    pass


class UserService:
    def __init__(self, repo: UserRepository) -> None:
        self.repo = repo

    async def register(self, data: UserCreate) -> UserRead:
        if await self.repo.get_by_email(data.email) is not None:
            raise EmailTakenError(data.email)
        user = await self.repo.create(data.email, hash_password(data.password))
        return UserRead.model_validate(user)

    async def login(self, email: str, password: str) -> Token:
        user = await self.repo.get_by_email(email)
        if user is None or not verify_password(password, user.hashed_password):
            raise InvalidCredentialsError()
        return Token(access_token=create_access_token(str(user.id)))

    async def get(self, user_id: int) -> User:
        user = await self.repo.get(user_id)
        if user is None:
            raise UserNotFoundError(user_id)
        return user

    async def list_active(self, page: int, size: int) -> list[UserRead]:
        users = await self.repo.list_active(offset=(page - 1) * size, limit=size)
        return [UserRead.model_validate(user) for user in users]

    async def profile_summary(self, user_id: int) -> dict[str, Any]:  # expect: FAL606, FAL607
        user = await self.get(user_id)
        return {"id": user.id, "email": user.email, "role": user.role}
