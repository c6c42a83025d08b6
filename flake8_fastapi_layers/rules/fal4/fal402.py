"""FAL402 `legacy-query-api`: SQLAlchemy 1.x ``session.query(...)`` (RULES.md §5)."""

from __future__ import annotations

import ast

from ...analysis import session_method_call
from ...catalogue import Rule, Scope
from ...checker import Checker
from ...names import dotted

#: The legacy query method, as `session_method_call` takes it.
QUERY = frozenset({"query"})

RULE = Rule(
    code="FAL402",
    name="legacy-query-api",
    message="SQLAlchemy 1.x query API '{call}'; use select() with "
    "session.execute()/session.scalars()",
    summary="`<session>.query(...)`: the legacy SQLAlchemy 1.x `Query` API, "
    "called on a session-like object.",
    rationale="SQLAlchemy 2.0's `select()` API is the supported one: `Query` is "
    "legacy, does not work with `AsyncSession`, and types poorly.",
    fix="Build the statement with `select(...)` and run it with "
    "`session.execute(...)` or `session.scalars(...)`.",
    bad="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy.orm import Session

from app.models.user import User


def active_users(session: Session) -> list[User]:
    return session.query(User).filter(User.active).all()
""",
    good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User


def active_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.active)))
""",
    scope=Scope(except_layers=frozenset({"migration"})),
    reported_on="the call",
    limits="A session-like object is a name `db`/`session`/`db_session`, a "
    "parameter annotated `Session`/`AsyncSession`, or an attribute `.db`/"
    "`.session`/`._session`. Not in `migration` modules (applied revisions are not "
    "edited). A first argument that is a string literal (`db.query(\"...\")`) is "
    "another library's query method, not SQLAlchemy's, and is not reported. In a "
    "route handler the same call is also FAL202, in a service also FAL303.",
)


class LegacyQueryApi(Checker):
    rule = RULE

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "query"):
            return
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return  # db.query("...") of another library
        if session_method_call(node, QUERY, self.ctx) is not None:
            receiver = dotted(func.value) or "session"
            self.report(node, call=f"{receiver}.query(...)")
