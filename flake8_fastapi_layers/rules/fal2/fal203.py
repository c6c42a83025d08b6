"""FAL203 `raw-sql-in-router-or-service`: an SQL statement in a string literal of a
router or service module (RULES.md §3)."""

from __future__ import annotations

import ast
import re

from ...catalogue import Rule, Scope
from ...checker import Checker
from ._common import is_logger

#: Keywords where prose lives.
TEXT_KEYWORDS = frozenset({"description", "summary", "title", "detail", "help"})

# -- the statement shapes ---------------------------------------------------------

_NAME_PART = (
    r'(?:[\w$]+|"[^"\n]+"|`[^`\n]+`|\[[^\]\n]+\]|\{[^{}\n]*\}|%\(\w+\)s|%s)'
)
_NAME = rf"{_NAME_PART}(?:\s*\.\s*{_NAME_PART})*"
_LEAD = r"\A\s*(?:(?:--[^\n]*(?:\n|\Z)|/\*.*?\*/)\s*)*\(*\s*"
_SQL_SHAPES = [
    re.compile(_LEAD + pattern, re.IGNORECASE | re.DOTALL)
    for pattern in (
        rf"(?P<k1>select)\s+.+?\s+(?P<k2>from)\s+(?P<name>{_NAME})",
        rf"(?P<k1>insert)\s+(?:(?:or\s+)?(?:replace|ignore|abort|fail|rollback)\s+)?"
        rf"(?P<k2>into)\s+(?P<name>{_NAME})",
        rf"(?P<k1>update)\s+(?:only\s+)?(?P<name>{_NAME})\s+(?:(?:as\s+)?\w+\s+)?(?P<k2>set)\b",
        rf"(?P<k1>delete)\s+(?P<k2>from)\s+(?P<name>{_NAME})",
        rf"(?P<k1>with)\s+(?:recursive\s+)?(?P<name>{_NAME})\s*(?:\([^()]*\)\s*)?"
        rf"(?P<k2>as)\s*(?:(?:not\s+)?materialized\s*)?\(",
    )
]
_SQL_START = frozenset("siudw-/(")
#: stands in for an f-string placeholder or a ``+``-concatenated operand
_PLACEHOLDER = "{_}"


def sql_statement(text: str) -> str | None:
    """``"SELECT … FROM users"`` when ``text`` starts like an SQL statement.

    Case-insensitive, but each keyword must be written all upper or all lower
    case: ``"Select items from the list"`` is prose, ``"select * from t"`` is SQL.
    """
    if len(text) < 10 or text.lstrip()[:1].lower() not in _SQL_START:
        return None
    for pattern in _SQL_SHAPES:
        match = pattern.match(text)
        if match is None:
            continue
        k1, k2 = match.group("k1"), match.group("k2")
        if not all(k.isupper() or k.islower() for k in (k1, k2)):
            continue
        name = " ".join(match.group("name").split()).replace(_PLACEHOLDER, "{…}")
        head = k1.upper()
        if head == "SELECT":
            return f"SELECT … FROM {name}"
        if head == "INSERT":
            return f"INSERT INTO {name}"
        if head == "UPDATE":
            return f"UPDATE {name} SET"
        if head == "DELETE":
            return f"DELETE FROM {name}"
        return f"WITH {name} AS ("
    return None


RULE = Rule(
    code="FAL203",
    name="raw-sql-in-router-or-service",
    message="raw SQL '{statement}' in a {layer} module; "
    "move the query into a repository",
    summary="A string literal in a `router` or `service` module starts like an SQL "
    "statement: `SELECT … FROM <name>`, `INSERT INTO <name>`, `UPDATE <name> SET`, "
    "`DELETE FROM <name>` or `WITH <name> AS (` (case-insensitive).",
    rationale="SQL belongs to the repository layer. Queries written in routers or "
    "services spread the schema through the code base and bypass the repository "
    "that should own it.",
    fix="Move the statement into a repository method (preferably as a SQLAlchemy "
    "`select()`), and call it through the service.",
    bad="""\
# app/services/report_service.py
from __future__ import annotations

from app.domain.order import Order
from app.repositories.order_repository import OrderRepository

UNPAID = "SELECT id, total FROM orders WHERE paid = false"


async def unpaid_orders(orders: OrderRepository) -> list[Order]:
    return await orders.fetch_raw(UNPAID)
""",
    good="""\
# app/services/report_service.py
from __future__ import annotations

from app.domain.order import Order
from app.repositories.order_repository import OrderRepository


async def unpaid_orders(orders: OrderRepository) -> list[Order]:
    return await orders.list_unpaid()
""",
    scope=Scope(layers=frozenset({"router", "service"})),
    reported_on="the string literal (an f-string: the f-string)",
    limits="Prose is told apart by case: each keyword must be written all upper or "
    "all lower case, so `\"Select items from the list\"` is not SQL while "
    "`\"select * from items\"` is. Exempt: docstrings and every other bare string "
    "statement (they are never executed), arguments of logging calls (a receiver "
    "named `logger`, `log`, `logging`, `_logger`, `self.logger`, …), and strings "
    "under the keywords `description=`, `summary=`, `title=`, `detail=`, `help=`. "
    "An f-string placeholder, `%s`, `{}` or the right operand of `+` stands for the "
    "table name (`f\"SELECT * FROM {table}\"` is SQL). SQL assembled so that no single "
    "literal has the statement shape is not seen.",
)


class RawSqlInRouterOrService(Checker):
    rule = RULE

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not isinstance(value, str) or len(value) < 10:
            return
        parent = self.ctx.parent
        if isinstance(parent, (ast.JoinedStr, ast.Expr)):
            return  # part of an f-string (checked whole), or a docstring / bare string
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add) and parent.left is node:
            value = value + _PLACEHOLDER
        self._check(node, value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        parent = self.ctx.parent
        if isinstance(parent, (ast.FormattedValue, ast.Expr)):
            return
        parts: list[str] = []
        for part in node.values[:12]:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                parts.append(part.value)
            else:
                parts.append(_PLACEHOLDER)
        self._check(node, "".join(parts))

    def _check(self, node: ast.expr, text: str) -> None:
        statement = sql_statement(text)
        if statement is None or self._prose_context(node):
            return
        if len(statement) > 60:
            statement = statement[:57] + "…"
        self.report(node, statement=statement, layer=self.ctx.layer)

    def _prose_context(self, node: ast.AST) -> bool:
        """Under a text keyword or an argument of a logging call."""
        child: ast.AST = node
        for parent in reversed(self.ctx.parents):
            if isinstance(parent, ast.stmt):
                return False
            if isinstance(parent, ast.keyword) and parent.arg in TEXT_KEYWORDS:
                return True
            if (
                isinstance(parent, ast.Call)
                and child is not parent.func
                and isinstance(parent.func, ast.Attribute)
                and is_logger(parent.func.value)
            ):
                return True
            child = parent
        return False
