from __future__ import annotations

from typing import Any


# No layer by default; the config test moves utils/ into the repository layer.
class RowFormatter:
    def as_row(self, name: str) -> dict[str, Any]:
        return {"name": name}
