from __future__ import annotations

from fastapi import HTTPException, status


class UserNotFound(Exception):
    """A domain error: services raise it, the router translates it."""

    def __init__(self, user_id: int) -> None:
        super().__init__(f"user {user_id} not found")
        self.user_id = user_id


class NotFoundHTTP(HTTPException):
    """An HTTPException subclass defined away from where it is raised."""

    def __init__(self, detail: str = "not found") -> None:
        super().__init__(status.HTTP_404_NOT_FOUND, detail)


class GoneHTTP(NotFoundHTTP):
    pass
