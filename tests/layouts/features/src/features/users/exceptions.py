"""Domain errors of the users feature."""

from __future__ import annotations


class UserError(Exception):
    """Base class of the users feature's errors."""


class UserNotFoundError(UserError):
    def __init__(self, user_id: int) -> None:
        super().__init__(f"user {user_id} not found")
        self.user_id = user_id


class EmailAlreadyRegisteredError(UserError):
    def __init__(self, email: str) -> None:
        super().__init__("email already registered")
        self.email = email


class InvalidCredentialsError(UserError):
    """Wrong e-mail or password."""
