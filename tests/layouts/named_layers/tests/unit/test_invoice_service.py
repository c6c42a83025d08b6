from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest.mock import AsyncMock

import pytest

from billing.domain.errors import InvoiceAlreadyPaid, InvoiceNotFound
from billing.domain.invoice import Invoice, InvoiceStatus, LineItem
from billing.repository.invoices import InvoiceRepository
from billing.service.invoices import InvoiceService


def make_invoice(status: InvoiceStatus = InvoiceStatus.ISSUED) -> Invoice:
    lines = [LineItem("Hosting", 2, Decimal("9.995"))]
    return Invoice("INV-000001", 7, date(2024, 5, 1), lines, status, id=1)


def test_total_rounds_each_line() -> None:
    assert make_invoice().total == Decimal("19.99")


async def test_pay_twice_is_rejected() -> None:
    repo = AsyncMock(spec=InvoiceRepository)
    repo.get.return_value = make_invoice(InvoiceStatus.PAID)
    with pytest.raises(InvoiceAlreadyPaid):
        await InvoiceService(repo).pay(1)


async def test_missing_invoice() -> None:
    repo = AsyncMock(spec=InvoiceRepository)
    repo.get.return_value = None
    with pytest.raises(InvoiceNotFound):
        await InvoiceService(repo).get(99)
