from __future__ import annotations

# Re-exported under another name: still the same class to mypy.
from app.core.http_errors import NotFound as Missing

__all__ = ["Missing"]
