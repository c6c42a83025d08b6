from __future__ import annotations

import time

from fastapi import HTTPException, Request

from app.core.errors import GoneHTTP, NotFoundHTTP, UserNotFound
from app.models.user import User
from app.repositories.user_repository import UserRepository


class UserService:
    def __init__(self, repo: UserRepository) -> None:
        self.repo = repo

    async def get(self, user_id: int) -> User:
        user = await self.repo.get(user_id)
        if user is None:
            raise UserNotFound(user_id)
        return user

    async def get_or_404(self, user_id: int) -> User:
        user = await self.repo.get(user_id)
        if user is None:
            raise NotFoundHTTP()  # E: fal-http-outside-edge
        return user

    async def gone(self) -> None:
        raise GoneHTTP  # E: fal-http-outside-edge

    async def check(self, user_id: int) -> None:
        if user_id < 0:
            raise HTTPException(status_code=400)  # E: fal-http-outside-edge
        time.sleep(0.1)  # E: fal-blocking-in-async

    def client_ip(self, request: Request) -> str:  # E: fal-http-type-in-service
        return str(request.url)
