# mypy: disable-error-code="fal"
from __future__ import annotations

import time

from fastapi import HTTPException


async def poll() -> None:
    time.sleep(1)  # every fal-* code is off in this file
    raise HTTPException(500)
