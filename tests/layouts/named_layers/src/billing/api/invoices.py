"""Invoice endpoints: HTTP concerns and auth guards only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, WebSocket, status
from fastapi.responses import StreamingResponse
from sqlalchemy.exc import IntegrityError

from billing.api.deps import get_current_user, get_invoice_service
from billing.api.schemas import InvoiceIn, InvoiceOut
from billing.domain.errors import InvoiceAlreadyPaid, InvoiceNotFound
from billing.domain.invoice import Invoice
from billing.service.invoices import InvoiceService

router = APIRouter(prefix="/invoices", tags=["invoices"])

Service = Annotated[InvoiceService, Depends(get_invoice_service)]
UserId = Annotated[int, Depends(get_current_user)]


def to_out(invoice: Invoice) -> InvoiceOut:
    return InvoiceOut.model_validate(invoice)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_invoice(payload: InvoiceIn, service: Service, user_id: UserId) -> InvoiceOut:
    invoice = Invoice.from_request(payload.number, payload.customer_id, payload.lines)
    try:
        return to_out(await service.create(invoice))
    except IntegrityError as exc:  # expect: FAL403 -- the repository already translates it
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="Duplicate number") from exc


@router.get("/{invoice_id}")
async def get_invoice(invoice_id: int, service: Service, user_id: UserId) -> InvoiceOut:
    try:
        return to_out(await service.get(invoice_id))
    except InvoiceNotFound as exc:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=exc.message) from exc


@router.post("/{invoice_id}/pay")
async def pay_invoice(invoice_id: int, service: Service, user_id: UserId) -> InvoiceOut:
    try:
        return to_out(await service.pay(invoice_id))
    except InvoiceNotFound as exc:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=exc.message) from exc
    except InvoiceAlreadyPaid as exc:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=exc.message) from exc


@router.get("/{invoice_id}/pdf", response_class=StreamingResponse)
async def invoice_pdf(invoice_id: int, service: Service, user_id: UserId):  # expect: FAL603
    return await service.render_pdf(invoice_id)


@router.websocket("/ws/status")
def invoice_status(websocket: WebSocket) -> None:  # expect: FAL201, FAL208
    raise NotImplementedError("the status stream is not built yet")
