"""Custom exception classes, mapped to HTTP status codes by one handler."""

from __future__ import annotations

from fastapi import status


class DomainException(Exception):
    def __init__(self, message: str, status_code: int = status.HTTP_400_BAD_REQUEST) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
