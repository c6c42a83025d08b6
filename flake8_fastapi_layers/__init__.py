"""flake8-fastapi-layers: architecture and typing rules of FastAPI backends, as FAL codes."""

from __future__ import annotations

__version__ = "0.1.0"
