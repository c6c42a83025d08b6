"""FAL104 `domain-imports-infrastructure`: a domain module imports I/O, a
framework or a project layer other than domain and exceptions (RULES.md §2)."""

from __future__ import annotations

import ast

from ...catalogue import Rule, Scope
from ._common import UPWARD, ImportTargetChecker, infrastructure

#: The project layers a domain module may import.
DOMAIN_MAY_IMPORT = frozenset({"domain", "exceptions"})
#: Those it must not import for being above it: FAL101's.
_UPWARD = UPWARD["domain"]

RULE = Rule(
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
)


class DomainImportsInfrastructure(ImportTargetChecker):
    rule = RULE

    def check(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if infrastructure(alias.name):
                    self.report(node, what="infrastructure", module=alias.name)
        elif not node.level and node.module is not None and infrastructure(node.module):
            self.report(node, what="infrastructure", module=node.module)
        here = self.ctx.info.relpath
        for target in self.targets(node):
            if (
                target.layer is not None
                and target.layer not in DOMAIN_MAY_IMPORT
                and target.layer not in _UPWARD
                and target.relpath != here
            ):
                self.report(node, what=f"the {target.layer} layer", module=target.module)
