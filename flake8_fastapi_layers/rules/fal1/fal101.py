"""FAL101 `upward-import`: a layer imports a layer above it (RULES.md §2)."""

from __future__ import annotations

import ast

from ...catalogue import Rule, Scope
from ._common import UPWARD, ImportTargetChecker

RULE = Rule(
    code="FAL101",
    name="upward-import",
    message="{layer} imports {target_layer} '{module}' (upward import); "
    "move the shared code down a layer or pass it in",
    summary="A layer imports a layer above it: a repository imports a service or "
    "router, a service imports a router, or a model, schema, domain or exceptions "
    "module imports a router, service or repository.",
    rationale="Dependencies point one way, router → service → repository → model. "
    "An upward import couples the lower layer to HTTP or use-case code, makes it "
    "impossible to test alone, and is the first step to an import cycle.",
    fix="Move what both layers need (a schema, a domain type, an exception) into a "
    "lower layer, or have the caller pass it in.",
    bad="""\
# app/repositories/user_repository.py
from __future__ import annotations

from app.services.user_service import normalise_email
""",
    good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from app.domain.user import normalise_email
""",
    scope=Scope(layers=frozenset(UPWARD)),
    reported_on="the import statement",
)


class UpwardImport(ImportTargetChecker):
    rule = RULE

    def check(self, node: ast.Import | ast.ImportFrom) -> None:
        layer = self.ctx.layer
        assert layer is not None  # the scope's layers
        upward = UPWARD[layer]
        here = self.ctx.info.relpath
        for target in self.targets(node):
            if target.layer in upward and target.relpath != here:
                self.report(node, layer=layer, target_layer=target.layer, module=target.module)
