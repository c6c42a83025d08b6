"""Application factory."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from billing.api import invoices
from billing.config import settings
from billing.domain.errors import BillingError


async def billing_error_handler(request: Request, exc: BillingError) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_400_BAD_REQUEST,
        content={"code": exc.code, "message": exc.message},
    )


def create_app() -> FastAPI:
    app = FastAPI(title="Billing", openapi_url=f"{settings.api_prefix}/openapi.json")
    app.include_router(invoices.router, prefix=settings.api_prefix)
    app.add_exception_handler(BillingError, billing_error_handler)  # type: ignore[arg-type]  # handler narrower than Exception
    return app


app = create_app()
