"""Legacy admin endpoints on a sync session, not yet moved behind a service."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.database import get_sync_db
from app.dependencies import get_current_active_user
from app.models.user import User
from app.repositories.user_repository import count_active_sync  # expect: FAL102
from app.schemas.user import UserRead

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(get_current_active_user)])


class BanRequest(BaseModel):  # expect: FAL204 -- belongs in app/schemas/
    reason: str


@router.get("/stats")
def user_stats(db: Session = Depends(get_sync_db)):  # expect: FAL201, FAL206
    total = db.execute(select(func.count(User.id))).scalar_one()  # expect: FAL202
    return {"users": total, "active": count_active_sync(db)}


@router.post("/users/{user_id}/ban", response_model=UserRead)
async def ban_user(user_id: int, body: BanRequest, db: Session = Depends(get_sync_db)):  # expect: FAL603
    user = await run_in_threadpool(db.get, User, user_id)  # expect: FAL502
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    user.banned_reason = body.reason
    user.is_active = False
    await run_in_threadpool(db.commit)  # expect: FAL502
    return user
