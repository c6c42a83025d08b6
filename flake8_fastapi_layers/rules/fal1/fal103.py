"""FAL103 `http-framework-in-core`: a service, repository, model or domain module
imports fastapi or starlette (RULES.md §2)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...analysis import is_framework_module
from ...catalogue import Rule, Scope, option
from ...checker import Checker

#: The layers that must not import the HTTP framework.
HTTP_FREE_LAYERS = frozenset({"service", "repository", "model", "domain"})


@dataclass(frozen=True)
class FrameworkImportOptions:
    """``[tool.fastapi-layers.FAL103]``"""

    allowed_modules: tuple[str, ...] = option(
        (),
        "Dotted modules or names that may be imported anyway, e.g. "
        '`["fastapi.concurrency"]`; an entry allows everything below it.',
    )


RULE = Rule(
    code="FAL103",
    name="http-framework-in-core",
    message="{layer} imports the HTTP framework '{module}'; "
    "keep fastapi/starlette at the edge (routers, dependencies, middleware)",
    summary="A service, repository, model or domain module imports `fastapi` or "
    "`starlette` (or a submodule, or a name from one).",
    rationale="Services must not import FastAPI or HTTP-specific types: business "
    "code that knows about HTTP cannot be reused from a CLI, a worker or a test "
    "without a request.",
    fix="Raise a domain exception instead of `HTTPException`, take plain values "
    "instead of `Request`, and translate at the edge.",
    bad="""\
# app/services/user_service.py
from __future__ import annotations

from fastapi import HTTPException
""",
    good="""\
# app/services/user_service.py
from __future__ import annotations

from app.exceptions import UserNotFound
""",
    scope=Scope(layers=HTTP_FREE_LAYERS),
    reported_on="the import statement",
    options=FrameworkImportOptions,
    limits="Look-alike packages (`fastapi_pagination`, `fastapi_users`) are not "
    "the framework. Imports under `if TYPE_CHECKING:` count: the type still leaks.",
    mypy_code="fal-http-type-in-service",
)


def framework_import(dotted: str, allowed: tuple[str, ...]) -> bool:
    """``dotted`` is the framework, or in it, and ``allowed-modules`` does not allow it."""
    if not is_framework_module(dotted):
        return False
    return not any(dotted == a or dotted.startswith(a + ".") for a in allowed)


class HttpFrameworkInCore(Checker):
    rule = RULE

    def begin(self) -> None:
        self.allowed = self.ctx.config.options(FrameworkImportOptions).allowed_modules

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if framework_import(alias.name, self.allowed):
                self.report(node, layer=self.ctx.layer, module=alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module
        if node.level or module is None or not is_framework_module(module):
            return
        # name the first name it may not import (fastapi.X)
        for alias in node.names:
            dotted = f"{module}.{alias.name}"
            if framework_import(dotted, self.allowed):
                self.report(node, layer=self.ctx.layer, module=dotted)
                return
