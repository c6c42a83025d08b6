from __future__ import annotations

DATABASE_URL = "postgresql+asyncpg://localhost/app"
