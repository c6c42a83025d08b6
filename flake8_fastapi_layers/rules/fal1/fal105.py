"""FAL105 `cross-feature-reach-in`: a feature imports another feature's
repository or models (RULES.md §2)."""

from __future__ import annotations

import ast

from ...catalogue import Rule, Scope
from ._common import ImportTargetChecker

#: RULES.md §2: "app, dependencies, test, migration may import anything".
MAY_IMPORT_ANYTHING = frozenset({"app", "dependencies", "test", "migration"})
#: What a feature owns and keeps to itself.
OWNED_LAYERS = frozenset({"repository", "model"})

RULE = Rule(
    code="FAL105",
    name="cross-feature-reach-in",
    message="feature '{feature}' imports the {target_layer} '{module}' of feature "
    "'{other}'; call that feature's service instead",
    summary="In a `features/<name>/` layout, a module of one feature imports the "
    "repository or ORM models of another feature.",
    rationale="Each feature owns its data. Reaching into another feature's "
    "repository or models bypasses its business rules and couples the two "
    "features' storage.",
    fix="Call the other feature's service (or a public function it exports).",
    bad="""\
# src/features/orders/service.py
from __future__ import annotations

from features.users.repository import UserRepository
""",
    good="""\
# src/features/orders/service.py
from __future__ import annotations

from features.users.service import UserService
""",
    scope=Scope(
        except_layers=MAY_IMPORT_ANYTHING,
        subject="imports in modules under `features/<name>/`",
    ),
    reported_on="the import statement",
)


class CrossFeatureReachIn(ImportTargetChecker):
    rule = RULE

    def check(self, node: ast.Import | ast.ImportFrom) -> None:
        feature = self.ctx.info.feature
        if feature is None:
            return  # not in a feature
        for target in self.targets(node):
            other = target.feature
            if other is not None and other != feature and target.layer in OWNED_LAYERS:
                self.report(
                    node, feature=feature, target_layer=target.layer, module=target.module, other=other
                )
