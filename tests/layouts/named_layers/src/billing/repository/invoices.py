"""Invoice persistence: maps rows to domain invoices and back."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from billing.domain.errors import DuplicateInvoiceNumber
from billing.domain.invoice import Invoice, InvoiceStatus, LineItem
from billing.repository.models import InvoiceRow, LineRow


def _to_domain(row: InvoiceRow) -> Invoice:
    lines = [LineItem(line.description, line.quantity, line.unit_price) for line in row.lines]
    return Invoice(row.number, row.customer_id, row.issued_on, lines, InvoiceStatus(row.status), row.id)


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, invoice_id: int) -> Invoice | None:
        row = await self.session.get(InvoiceRow, invoice_id)
        return _to_domain(row) if row is not None else None

    async def list_for_customer(self, customer_id: int) -> list[Invoice]:
        stmt = select(InvoiceRow).where(InvoiceRow.customer_id == customer_id).order_by(InvoiceRow.id)
        return [_to_domain(row) for row in await self.session.scalars(stmt)]

    async def by_ids(self, ids: list[int]) -> dict[int, Invoice]:
        rows = await self.session.scalars(select(InvoiceRow).where(InvoiceRow.id.in_(ids)))
        return {row.id: _to_domain(row) for row in rows}

    async def add(self, invoice: Invoice) -> Invoice:
        row = InvoiceRow(
            number=invoice.number,
            customer_id=invoice.customer_id,
            issued_on=invoice.issued_on,
            status=invoice.status.value,
            lines=[LineRow(description=l.description, quantity=l.quantity, unit_price=l.unit_price) for l in invoice.lines],
        )
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise DuplicateInvoiceNumber(f"invoice number {invoice.number} is taken") from exc
        invoice.id = row.id
        return invoice

    async def save_status(self, invoice: Invoice) -> None:
        row = await self.session.get(InvoiceRow, invoice.id)
        if row is not None:
            row.status = invoice.status.value


def purge_drafts_before(archive_engine: Engine, cutoff: date) -> int:
    """Maintenance task run by the nightly cron, outside any request."""
    with Session(archive_engine) as session, session.begin():  # expect: FAL505
        result = session.execute(
            delete(InvoiceRow).where(InvoiceRow.status == "draft", InvoiceRow.issued_on < cutoff)
        )
        return result.rowcount
