"""FAL302 `response-in-service`: a service builds an HTTP response (RULES.md §4)."""

from __future__ import annotations

import ast

from ...analysis import RESPONSE_CLASS_NAMES, RESPONSE_CLASSES, sql_builder
from ...catalogue import Rule
from ...checker import Checker
from ._common import SERVICES, LocalClasses, covered_by_session_query, describe

RULE = Rule(
    code="FAL302",
    name="response-in-service",
    message="service constructs HTTP response {name}; return data and let the "
    "router build the response",
    summary="A service builds a fastapi/starlette response (`Response`, "
    "`JSONResponse`, `HTMLResponse`, `PlainTextResponse`, `RedirectResponse`, "
    "`StreamingResponse`, `FileResponse`, `ORJSONResponse`, `UJSONResponse`).",
    rationale="Services must not know about HTTP: status codes, headers and "
    "media types are the router's decisions. A service that returns a response "
    "cannot be reused outside a request.",
    fix="Return plain data (a schema, a domain object, bytes or an async iterator) "
    "and construct the response in the route handler.",
    bad="""\
# app/services/report_service.py
from __future__ import annotations

from fastapi.responses import JSONResponse

from app.domain.report import Report


def summary(report: Report) -> JSONResponse:
    return JSONResponse({"total": report.total})
""",
    good="""\
# app/services/report_service.py
from __future__ import annotations

from app.domain.report import Report
from app.schemas.report import ReportSummary


def summary(report: Report) -> ReportSummary:
    return ReportSummary(total=report.total)
""",
    scope=SERVICES,
    reported_on="the call",
    limits="Resolved through imports (`fastapi`, `fastapi.responses`, "
    "`starlette.responses`) plus subclasses and aliases defined in the same module. "
    "Response classes of other packages (`sse_starlette`) are not known. HTTP types "
    "in service signatures are the mypy plugin's `fal-http-type-in-service`.",
)


class ResponseInService(Checker):
    rule = RULE

    def begin(self) -> None:
        self.responses = LocalClasses(self.ctx.tree, self.ctx.names, RESPONSE_CLASSES)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        names = self.ctx.names
        if isinstance(func, ast.Name):
            # only an import of a response class or a local subclass/alias can resolve
            if (
                func.id not in self.responses.derived
                and names.table.get(func.id) not in RESPONSE_CLASSES
            ):
                return
        elif not isinstance(func, ast.Attribute) or func.attr not in RESPONSE_CLASS_NAMES:
            return
        target = self.responses.resolve(func)
        if target is None:
            return
        if (
            isinstance(func, ast.Name)
            and sql_builder(node, names) is not None
            and covered_by_session_query(node, self.ctx)
        ):
            return  # also SQLAlchemy's builder, passed to a session query: FAL303's
        self.report(node, name=describe(func, target, self.responses))
