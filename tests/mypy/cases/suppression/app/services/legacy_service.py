from __future__ import annotations

import time

from fastapi import HTTPException


async def poll() -> None:
    time.sleep(1)  # fal-blocking-in-async is disabled for this module
    raise HTTPException(500)  # E: fal-http-outside-edge
