from __future__ import annotations

from typing import Any


class UserRepository:
    def raw(self) -> dict[str, Any]:  # fal-repository-raw-return is disabled globally
        return {}
