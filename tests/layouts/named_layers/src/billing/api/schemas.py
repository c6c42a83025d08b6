"""Request/response contracts of the billing API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from billing.domain.invoice import InvoiceStatus


class LineItemIn(BaseModel):
    description: str = Field(min_length=1, max_length=200)
    quantity: int = Field(gt=0)
    unit_price: Decimal = Field(gt=0, decimal_places=2)


class InvoiceIn(BaseModel):
    number: str = Field(pattern=r"^INV-\d{6}$")
    customer_id: int
    lines: list[LineItemIn] = Field(min_length=1)


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    customer_id: int
    issued_on: date
    status: InvoiceStatus
    total: Decimal


class ErrorOut(BaseModel):
    code: str
    message: str
