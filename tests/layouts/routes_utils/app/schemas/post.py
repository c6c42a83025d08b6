from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, validator


class PostCreate(BaseModel):
    title: str = Field(..., min_length=1, max_length=200)
    content: str = Field(..., min_length=1)
    published: bool = False

    @validator("title")
    def title_must_not_be_empty(cls, v):  # expect: FAL602, FAL603
        if not v.strip():
            raise ValueError("Title cannot be empty")
        return v.strip()


class PostResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    content: str
    published: bool
    created_at: datetime
    updated_at: Optional[datetime] = None


class PostPage(BaseModel):
    items: list[PostResponse]
    total: int
    limit: int
    offset: int
