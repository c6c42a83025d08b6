from __future__ import annotations

import time

from sqlalchemy.orm import Session

from app.errors import Conflict


async def sync(session: Session) -> None:
    # other_plugin makes these return int / str; mypy_layers_plugin reports too.
    slept: int = time.sleep(1)  # E: fal-blocking-in-async
    committed: int = session.commit()  # E: fal-blocking-in-async
    error: str = Conflict()  # E: fal-http-outside-edge
    del slept, committed, error
