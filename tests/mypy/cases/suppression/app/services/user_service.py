from __future__ import annotations

import time

from fastapi import HTTPException, Request


class UserService:
    async def get(self, user_id: int) -> int:
        if user_id < 0:
            raise HTTPException(400)  # type: ignore[fal-http-outside-edge]  # translated by the caller
        if user_id == 0:
            raise HTTPException(404)  # type: ignore[fal]  # E: unused-ignore (covered; mypy asks for the sub-code)
        if user_id == 1:
            raise HTTPException(404)  # E: fal-http-outside-edge
        time.sleep(0.1)  # type: ignore[fal-blocking-in-async]  # startup only
        time.sleep(0.1)  # E: fal-blocking-in-async
        return user_id

    def from_request(self, request: Request) -> str:  # FAL103 disabled in [tool.fastapi-layers]
        return str(request.url)
