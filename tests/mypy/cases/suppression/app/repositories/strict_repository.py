from __future__ import annotations

from typing import Any


class StrictRepository:
    def raw(self) -> dict[str, Any]:  # E: fal-repository-raw-return
        return {}

    def ignored(self) -> dict[str, Any]:  # type: ignore[fal-repository-raw-return]  # legacy API
        return {}
