from __future__ import annotations


class NotFoundError(Exception):
    """A requested entity does not exist."""


class ConflictError(Exception):
    """The change conflicts with existing data."""
