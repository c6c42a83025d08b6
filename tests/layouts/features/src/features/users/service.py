"""Use cases of the users feature."""

from __future__ import annotations

import asyncio
import logging

from shared.mailer import Mailer
from shared.security import create_access_token, hash_password, verify_password

from .exceptions import EmailAlreadyRegisteredError, InvalidCredentialsError, UserNotFoundError
from .models import User
from .repository import UserRepository
from .schemas import TokenRead, UserCreate, UserRead

logger = logging.getLogger(__name__)

# welcome mails in flight: kept so the tasks are not garbage-collected
_pending_mails: set[asyncio.Task[None]] = set()


class UserService:
    def __init__(self, users: UserRepository, mailer: Mailer | None = None) -> None:
        self.users = users
        self.mailer = mailer or Mailer()

    async def register(self, data: UserCreate) -> UserRead:
        if await self.users.get_by_email(data.email) is not None:
            raise EmailAlreadyRegisteredError(data.email)
        user = await self.users.add(
            User(
                email=data.email,
                full_name=data.full_name,
                hashed_password=hash_password(data.password),
            )
        )
        task = asyncio.create_task(self.mailer.send_welcome(user.email))
        _pending_mails.add(task)
        task.add_done_callback(_pending_mails.discard)
        logger.info("registered user %s", user.id)
        return UserRead.model_validate(user)

    async def authenticate(self, email: str, password: str) -> TokenRead:
        user = await self.users.get_by_email(email)
        if user is None or not verify_password(password, user.hashed_password):
            raise InvalidCredentialsError()
        return TokenRead(access_token=create_access_token(str(user.id)), token_type="bearer")

    async def get_user(self, user_id: int) -> UserRead:
        user = await self.users.get(user_id)
        if user is None:
            raise UserNotFoundError(user_id)
        return UserRead.model_validate(user)

    async def list_users(self, limit: int) -> list[UserRead]:
        return [UserRead.model_validate(user) for user in await self.users.list(limit)]

    async def resend_welcome(self, user_id: int) -> None:
        user = await self.get_user(user_id)
        asyncio.create_task(self.mailer.send_welcome(user.email))  # expect: FAL503
