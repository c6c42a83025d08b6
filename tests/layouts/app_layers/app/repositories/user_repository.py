from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.models.user import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def list_active(self, *, offset: int = 0, limit: int = 50) -> Sequence[User]:
        stmt = select(User).where(User.is_active).order_by(User.id).offset(offset).limit(limit)
        return (await self.session.scalars(stmt)).all()

    async def create(self, email: str, hashed_password: str) -> User:
        user = User(email=email, hashed_password=hashed_password)
        self.session.add(user)
        await self.session.commit()
        await self.session.refresh(user)
        return user


def count_active_sync(db: Session) -> int:
    """Used by the nightly report script, which still runs on a sync session."""
    return db.query(User).filter(User.is_active).count()  # expect: FAL402
