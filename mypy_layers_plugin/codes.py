"""The plugin's mypy error codes: one parent ``fal`` and a sub-code per check.

``disable_error_code = ["fal"]`` turns every check off; each sub-code can be
disabled, re-enabled (``--enable-error-code``) or ignored on a line
(``# type: ignore[fal-http-outside-edge]``) like any mypy error code.
"""

from __future__ import annotations

from typing import Final

from mypy.errorcodes import ErrorCode

CATEGORY: Final = "FastAPI layers"

FAL: Final = ErrorCode("fal", "FastAPI layered-architecture checks (mypy_layers_plugin)", CATEGORY)

HTTP_OUTSIDE_EDGE: Final = ErrorCode(
    "fal-http-outside-edge",
    "HTTPException (or a subclass) raised or constructed below the HTTP edge (FAL301)",
    CATEGORY,
    sub_code_of=FAL,
)
BLOCKING_IN_ASYNC: Final = ErrorCode(
    "fal-blocking-in-async",
    "Blocking call, resolved by type, directly inside an async def (FAL501)",
    CATEGORY,
    sub_code_of=FAL,
)
ROUTER_USES_REPOSITORY: Final = ErrorCode(
    "fal-router-uses-repository",
    "A router calls a function or method defined in a repository module (FAL102)",
    CATEGORY,
    sub_code_of=FAL,
)
REPOSITORY_RAW_RETURN: Final = ErrorCode(
    "fal-repository-raw-return",
    "A repository function or method is declared to return raw data (FAL401)",
    CATEGORY,
    sub_code_of=FAL,
)
HTTP_TYPE_IN_SERVICE: Final = ErrorCode(
    "fal-http-type-in-service",
    "A service function takes or returns an HTTP transport type (FAL103)",
    CATEGORY,
    sub_code_of=FAL,
)

#: mypy code -> the FAL code it mirrors (RULES.md §11).
MIRRORS: Final[dict[str, str]] = {
    HTTP_OUTSIDE_EDGE.code: "FAL301",
    BLOCKING_IN_ASYNC.code: "FAL501",
    ROUTER_USES_REPOSITORY.code: "FAL102",
    REPOSITORY_RAW_RETURN.code: "FAL401",
    HTTP_TYPE_IN_SERVICE.code: "FAL103",
}

ALL_CODES: Final[tuple[ErrorCode, ...]] = (
    HTTP_OUTSIDE_EDGE,
    BLOCKING_IN_ASYNC,
    ROUTER_USES_REPOSITORY,
    REPOSITORY_RAW_RETURN,
    HTTP_TYPE_IN_SERVICE,
)
