"""FastAPI Depends() providers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from billing.config import settings
from billing.repository.invoices import InvoiceRepository
from billing.service.invoices import InvoiceService

engine = create_async_engine(str(settings.database_url))
SessionFactory = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionFactory() as session, session.begin():
        yield session


def get_invoice_service(session: Annotated[AsyncSession, Depends(get_session)]) -> InvoiceService:
    return InvoiceService(InvoiceRepository(session))


async def get_current_user(
    authorization: Annotated[str, Header()],
    x_api_key: Annotated[str | None, Header(alias="X-API-Key")] = None,
) -> int:
    if x_api_key is not None and x_api_key == settings.payment_provider_api_key.get_secret_value():
        return 0  # the payment provider's webhook acts as the system user
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() != "bearer" or not credentials.isdigit():
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Not authenticated")
    return int(credentials)
