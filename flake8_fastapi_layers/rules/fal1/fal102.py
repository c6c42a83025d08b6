"""FAL102 `router-imports-repository`: a router imports a repository (RULES.md §2)."""

from __future__ import annotations

import ast

from ...catalogue import Rule, Scope
from ._common import ImportTargetChecker

RULE = Rule(
    code="FAL102",
    name="router-imports-repository",
    message="router imports repository '{module}'; call a service instead",
    summary="A router module imports a repository module directly.",
    rationale="Routers stay thin: they parse the request, call a service and shape "
    "the response. A router that talks to a repository skips the service layer, so "
    "business rules end up in the handler.",
    fix="Add (or use) a service method and depend on the service; the dependency "
    "provider wires the repository into the service.",
    bad="""\
# app/routers/users.py
from __future__ import annotations

from app.repositories.user_repository import UserRepository
""",
    good="""\
# app/routers/users.py
from __future__ import annotations

from app.services.user_service import UserService
""",
    scope=Scope(layers=frozenset({"router"})),
    reported_on="the import statement",
    mypy_code="fal-router-uses-repository",
)


class RouterImportsRepository(ImportTargetChecker):
    rule = RULE

    def check(self, node: ast.Import | ast.ImportFrom) -> None:
        here = self.ctx.info.relpath
        for target in self.targets(node):
            if target.layer == "repository" and target.relpath != here:
                self.report(node, module=target.module)
