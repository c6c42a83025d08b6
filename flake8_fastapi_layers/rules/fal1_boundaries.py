"""FAL1xx: layer boundaries, reported on the import statement (RULES.md §2)."""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis import is_framework_module
from dataclasses import dataclass

from ..catalogue import Rule, Scope, option
from ..checker import Checker
from ..layers import ImportTarget

#: importer layer -> layers it must not import (FAL101).
UPWARD: dict[str, frozenset[str]] = {
    "repository": frozenset({"service", "router"}),
    "service": frozenset({"router"}),
    "model": frozenset({"router", "service", "repository"}),
    "schema": frozenset({"router", "service", "repository"}),
    "domain": frozenset({"router", "service", "repository"}),
    "exceptions": frozenset({"router", "service", "repository"}),
}
HTTP_FREE_LAYERS = frozenset({"service", "repository", "model", "domain"})
INFRASTRUCTURE = ("sqlalchemy", "sqlmodel", "alembic", "httpx", "requests", "redis")
DOMAIN_MAY_IMPORT = frozenset({"domain", "exceptions"})
#: RULES.md §2: "app, dependencies, test, migration may import anything".
MAY_IMPORT_ANYTHING = frozenset({"app", "dependencies", "test", "migration"})



@dataclass(frozen=True)
class FrameworkImportOptions:
    """``[tool.fastapi-layers.FAL103]``"""

    allowed_modules: tuple[str, ...] = option(
        (),
        "Dotted modules or names that may be imported anyway, e.g. "
        '`["fastapi.concurrency"]`; an entry allows everything below it.',
    )


RULES: tuple[Rule, ...] = (
    Rule(
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
        scope=Scope(layers=frozenset({"repository", "service", "model", "schema", "domain", "exceptions"})),
        reported_on="the import statement",
    ),
    Rule(
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
    ),
    Rule(
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
    ),
    Rule(
        code="FAL104",
        name="domain-imports-infrastructure",
        message="domain imports {what} '{module}'; "
        "keep domain entities and rules free of I/O and frameworks",
        summary="A domain module imports infrastructure (`sqlalchemy`, `sqlmodel`, "
        "`alembic`, `httpx`, `requests`, `redis`) or a project layer other than "
        "`domain` and `exceptions`.",
        rationale="The domain layer holds pure business models and rules; it must be "
        "testable without a database, an HTTP client or the web framework.",
        fix="Keep persistence in repositories and I/O in services; have them map "
        "between domain objects and ORM rows or HTTP payloads.",
        bad="""\
# app/domain/order.py
from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    total_cents: Mapped[int]
""",
        good="""\
# app/domain/order.py
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Order:
    id: int
    total_cents: int
""",
        scope=Scope(layers=frozenset({"domain"})),
        reported_on="the import statement",
        limits="A domain import of a router, service or repository is reported as "
        "FAL101 only, not twice.",
    ),
    Rule(
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
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}


class BoundaryChecker(Checker):
    rules = (_BY_CODE["FAL101"], _BY_CODE["FAL102"], _BY_CODE["FAL103"], _BY_CODE["FAL104"], _BY_CODE["FAL105"],)

    def begin(self) -> None:
        self.allowed = self.ctx.config.options(FrameworkImportOptions).allowed_modules

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check(node, alias.name, [self.ctx.info.resolve_import(alias.name)])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        info = self.ctx.info
        if node.level == 0 and node.module and is_framework_module(node.module):
            # the framework: name the first offending import (fastapi.X)
            for alias in node.names:
                if self._framework(node, f"{node.module}.{alias.name}"):
                    return
            return
        targets = [info.resolve_import(node.module, node.level, alias.name) for alias in node.names]
        dotted = ("." * node.level) + (node.module or "")
        self._check(node, dotted, targets)

    # -- the checks ------------------------------------------------------------

    def _check(self, node: ast.stmt, dotted: str, targets: list[ImportTarget | None]) -> None:
        if self._framework(node, dotted):
            return
        layer = self.ctx.layer
        if layer == "domain" and dotted.partition(".")[0] in INFRASTRUCTURE:
            self.ctx.report("FAL104", node, what="infrastructure", module=dotted)
            return
        seen: set[tuple[str, str]] = set()
        for target in _unique(targets):
            for code, fmt in self._layer_findings(target):
                if (code, target.relpath) not in seen:
                    seen.add((code, target.relpath))
                    self.ctx.report(code, node, **fmt)

    def _framework(self, node: ast.stmt, dotted: str) -> bool:
        if not is_framework_module(dotted) or self.ctx.layer not in HTTP_FREE_LAYERS:
            return False
        if any(dotted == a or dotted.startswith(a + ".") for a in self.allowed):
            return False
        self.ctx.report("FAL103", node, layer=self.ctx.layer, module=dotted)
        return True

    def _layer_findings(self, target: ImportTarget) -> Iterator[tuple[str, dict[str, str]]]:
        layer = self.ctx.layer
        info = self.ctx.info
        module = target.module
        if target.layer is not None and target.relpath != info.relpath:
            if target.layer in UPWARD.get(layer or "", ()):
                yield "FAL101", {"layer": layer or "", "target_layer": target.layer, "module": module}
            elif layer == "router" and target.layer == "repository":
                yield "FAL102", {"module": module}
            elif layer == "domain" and target.layer not in DOMAIN_MAY_IMPORT:
                yield "FAL104", {"what": f"the {target.layer} layer", "module": module}
        if (
            info.feature is not None
            and layer not in MAY_IMPORT_ANYTHING
            and target.feature is not None
            and target.feature != info.feature
            and target.layer in ("repository", "model")
        ):
            yield "FAL105", {
                "feature": info.feature,
                "target_layer": target.layer,
                "module": module,
                "other": target.feature,
            }


def _unique(targets: list[ImportTarget | None]) -> Iterator[ImportTarget]:
    seen: set[str] = set()
    for target in targets:
        if target is not None and target.relpath not in seen:
            seen.add(target.relpath)
            yield target


CHECKERS = [BoundaryChecker]
