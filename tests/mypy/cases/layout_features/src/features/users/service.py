from __future__ import annotations

from fastapi import Request


class UserService:
    def current_user_id(self, request: Request) -> int:  # E: fal-http-type-in-service
        return int(request.headers.get("x-user-id", "0"))
