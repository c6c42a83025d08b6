"""Request and response models of the orders feature."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from .models import OrderStatus


class OrderCreate(BaseModel):
    idempotency_key: str = Field(min_length=8, max_length=64)
    total: Decimal = Field(gt=0, max_digits=10, decimal_places=2)


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    total: Decimal
    status: OrderStatus
    created_at: datetime
