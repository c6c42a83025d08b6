"""Invoice entity and its rules: pure Python, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from billing.api.schemas import LineItemIn  # expect: FAL104 -- the domain must not know API payloads
from billing.domain.errors import InvoiceAlreadyPaid

CENT = Decimal("0.01")


class InvoiceStatus(str, Enum):
    DRAFT = "draft"
    ISSUED = "issued"
    PAID = "paid"


@dataclass(frozen=True)
class LineItem:
    description: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Invoice:
    number: str
    customer_id: int
    issued_on: date
    lines: list[LineItem] = field(default_factory=list)
    status: InvoiceStatus = InvoiceStatus.DRAFT
    id: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))

    def mark_paid(self) -> None:
        if self.status is InvoiceStatus.PAID:
            raise InvoiceAlreadyPaid(f"invoice {self.number} is already paid")
        self.status = InvoiceStatus.PAID

    @classmethod
    def from_request(cls, number: str, customer_id: int, items: list[LineItemIn]) -> Invoice:
        lines = [LineItem(i.description, i.quantity, i.unit_price) for i in items]
        return cls(number=number, customer_id=customer_id, issued_on=date.today(), lines=lines)
