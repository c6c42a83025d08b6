from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OrderCreate(BaseModel):
    total_cents: int = Field(gt=0, description="Select from the price list")


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    total_cents: int
    status: str
