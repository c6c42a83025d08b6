"""Invoice use cases."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi.responses import StreamingResponse  # expect: FAL103
from loguru import logger

from billing.domain.errors import InvoiceNotFound
from billing.domain.invoice import Invoice
from billing.repository.invoices import InvoiceRepository


def _read_template(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


class InvoiceService:
    def __init__(self, invoices: InvoiceRepository) -> None:
        self.invoices = invoices

    async def create(self, invoice: Invoice) -> Invoice:
        created = await self.invoices.add(invoice)
        logger.info("created invoice {} for customer {}", created.number, created.customer_id)
        return created

    async def get(self, invoice_id: int) -> Invoice:
        invoice = await self.invoices.get(invoice_id)
        if invoice is None:
            raise InvoiceNotFound(f"invoice {invoice_id} does not exist")
        return invoice

    async def pay(self, invoice_id: int) -> Invoice:
        invoice = await self.get(invoice_id)
        invoice.mark_paid()
        await self.invoices.save_status(invoice)
        return invoice

    async def render_pdf(self, invoice_id: int) -> StreamingResponse:
        invoice = await self.get(invoice_id)
        template_dir = os.getenv("BILLING_PDF_TEMPLATE_DIR", "templates")  # expect: FAL705

        header = await asyncio.to_thread(_read_template, Path(template_dir) / "header.pdf")

        async def chunks() -> AsyncIterator[bytes]:
            yield header
            yield f"invoice {invoice.number}".encode()

        return StreamingResponse(chunks(), media_type="application/pdf")  # expect: FAL302
