"""Domain errors with stable error codes for the API payloads."""

from __future__ import annotations


class BillingError(Exception):
    code = "billing_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvoiceNotFound(BillingError):
    code = "invoice_not_found"


class InvoiceAlreadyPaid(BillingError):
    code = "invoice_already_paid"


class DuplicateInvoiceNumber(BillingError):
    code = "duplicate_invoice_number"
