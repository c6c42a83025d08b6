"""FAL2xx: route handlers stay thin transport code (RULES.md §3).

A route handler is a function decorated ``@<x>.get/post/.../websocket(path, ...)``
in any module (:func:`~flake8_fastapi_layers.analysis.route_of`).  FAL203 (raw
SQL literals) applies to ``router`` and ``service`` modules, FAL204 (pydantic
models) to ``router`` modules, FAL207 (magic status integers) to every module
but tests; the other codes follow route handlers wherever they are.
"""

from __future__ import annotations

from . import fal201, fal202, fal203, fal204, fal205, fal206, fal207, fal208

RULES = (
    fal201.RULE,
    fal202.RULE,
    fal203.RULE,
    fal204.RULE,
    fal205.RULE,
    fal206.RULE,
    fal207.RULE,
    fal208.RULE,
)
CHECKERS = (
    fal201.SyncRouteHandler,
    fal202.DataAccessInRoute,
    fal203.RawSqlInRouterOrService,
    fal204.SchemaInRouter,
    fal205.BusinessLogicInRoute,
    fal206.RouteWithoutResponseType,
    fal207.MagicHttpStatus,
    fal208.RouteWithoutAuth,
)
