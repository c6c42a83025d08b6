from __future__ import annotations

from app.exceptions import NotFoundError
from app.repositories.user_repository import UserRepository
from app.schemas.user import UserOut


class UserService:
    def __init__(self, users: UserRepository) -> None:
        self.users = users

    async def get(self, user_id: int) -> UserOut:
        user = await self.users.by_id(user_id)
        if user is None:
            raise NotFoundError(f"user {user_id}")
        return UserOut.model_validate(user)

    async def by_token(self, token: str) -> UserOut | None:
        user = await self.users.by_token(token)
        return UserOut.model_validate(user) if user else None
