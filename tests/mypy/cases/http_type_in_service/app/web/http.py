from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


class TenantRequest(Request):
    """A project subclass, defined away from the service that uses it."""


class ProblemResponse(JSONResponse):
    pass


# Re-exported through a project module.
HttpRequest = Request
