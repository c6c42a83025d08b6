from __future__ import annotations

from fastapi import Request


def tenant(request: Request) -> str:  # dependencies read requests: fine
    return str(request.headers)
