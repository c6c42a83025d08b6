"""FAL303 `query-in-service`: a service runs or builds a query (RULES.md §4)."""

from __future__ import annotations

import ast

from ...analysis import RESPONSE_CLASSES, SQL_BUILDERS, session_method_call, sql_builder
from ...catalogue import Rule
from ...checker import Checker
from ...names import dotted
from ._common import QUERY_METHODS, SERVICES, LocalClasses, root_builder

RULE = Rule(
    code="FAL303",
    name="query-in-service",
    message="service {what}; move the query into a repository method",
    summary="A service runs a query: `execute`, `scalars`, `scalar`, `query` or "
    "`exec` called on a session-like object, or SQLAlchemy's `select(...)` / "
    "`text(...)` built in the service.",
    rationale="Services hold business rules; repositories own data access. Queries "
    "in a service tie the use case to the schema and the ORM, and make the service "
    "impossible to unit-test with a fake repository.",
    fix="Add a repository method that runs the query and returns domain objects; "
    "call it from the service. Transaction control (`begin`, `commit`, "
    "`rollback`) may stay in the service.",
    bad="""\
# app/services/user_service.py
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def active_users(session: AsyncSession) -> list[User]:
    result = await session.scalars(select(User).where(User.active))
    return list(result)
""",
    good="""\
# app/services/user_service.py
from __future__ import annotations

from app.models.user import User
from app.repositories.user_repository import UserRepository


async def active_users(users: UserRepository) -> list[User]:
    return await users.list_active()
""",
    scope=SERVICES,
    reported_on="the call",
    limits="A session-like object is a name `db`/`session`/`db_session`, a "
    "parameter annotated `Session`/`AsyncSession`, or an attribute `.db`/"
    "`.session`/`._session`. `select`/`text` count only when they resolve to "
    "SQLAlchemy or SQLModel. A builder passed straight into a reported session "
    "call (`session.execute(select(User).where(...))`) is reported once, on the "
    "session call; a statement built on one line and executed on another is "
    "reported on both lines. `session.query(...)` is also FAL402.",
)


class QueryInService(Checker):
    rule = RULE

    def begin(self) -> None:
        #: builder calls already covered by the session call they are passed to
        self.covered: set[int] = set()
        self._responses: LocalClasses | None = None

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        names = self.ctx.names
        if isinstance(func, ast.Name):
            if names.table.get(func.id) not in SQL_BUILDERS:
                return  # a builder is an import of one
        elif isinstance(func, ast.Attribute):
            if func.attr in QUERY_METHODS:
                method = session_method_call(node, QUERY_METHODS, self.ctx)
                if method is not None:
                    receiver = dotted(func.value) or "session"
                    self.report(node, what=f"runs a query with '{receiver}.{method}(...)'")
                    for arg in node.args:
                        root = root_builder(arg, names)
                        if root is not None:
                            self.covered.add(id(root))
                return
            if func.attr not in ("select", "text"):
                return
        else:
            return
        if id(node) in self.covered:
            return
        builder = sql_builder(node, names)
        if builder is None:
            return
        if isinstance(func, ast.Name) and func.id in names.module_defs and self._is_response(func):
            return  # rebound to a response class of the module: FAL302's
        self.report(node, what=f"builds a SQL query with '{builder}(...)'")

    def _is_response(self, func: ast.Name) -> bool:
        if self._responses is None:
            self._responses = LocalClasses(self.ctx.tree, self.ctx.names, RESPONSE_CLASSES)
        return func.id in self._responses.derived
