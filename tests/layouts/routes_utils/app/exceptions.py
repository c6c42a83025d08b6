from __future__ import annotations


class NotFoundError(Exception):
    """Raised when resource not found"""


class ValidationError(Exception):
    """Raised when validation fails"""
