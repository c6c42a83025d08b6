"""FAL702 `sql-built-from-strings`: an f-string, ``%``, ``.format`` or ``+`` is
the statement of ``text(...)`` or ``.execute(...)`` (RULES.md §8)."""

from __future__ import annotations

import ast

from ...analysis import sql_builder
from ...catalogue import EVERY_MODULE, Rule
from ...checker import Checker
from ...names import dotted
from ._common import keyword_value, str_value

RULE = Rule(
    code="FAL702",
    name="sql-built-from-strings",
    message="SQL built with {how} passed to {func}; "
    "bind parameters instead (text('... WHERE id = :id'), {{'id': value}})",
    summary="An f-string, `%`-formatting, `.format(...)` or `+` concatenation is "
    "the statement passed to SQLAlchemy's `text(...)`, or to `<x>.execute(...)`, "
    "`<x>.executemany(...)`, `<x>.exec_driver_sql(...)` (including alembic's "
    "`op.execute(...)`).",
    rationale="SQL must use parameterized statements (guideline 000 §5, 002 "
    "'Security'). Pasting values into the statement text opens the door to SQL "
    "injection and defeats the statement cache; bound parameters are escaped by "
    "the driver.",
    fix="Keep the statement constant and pass values as parameters: "
    "`session.execute(text('SELECT * FROM users WHERE id = :id'), {'id': user_id})`, "
    "or build it with `select()`.",
    bad="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def email_of(session: AsyncSession, user_id: int) -> str | None:
    query = text(f"SELECT email FROM users WHERE id = {user_id}")
    return await session.scalar(query)
""",
    good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def email_of(session: AsyncSession, user_id: int) -> str | None:
    query = text("SELECT email FROM users WHERE id = :id")
    return await session.scalar(query, {"id": user_id})
""",
    scope=EVERY_MODULE,
    reported_on="the call that receives the statement (`text(...)` or `.execute(...)`)",
    limits="Only the statement argument (the first positional one, or "
    "`statement=`/`text=`) is looked at; parameters passed beside it are the fix. "
    "An f-string without placeholders, `%`/`.format` with only literal operands "
    "and `+` of literals are constants and fine; so are placeholders that are "
    "ALL_CAPS names, constants by convention (`f'PRAGMA cache_size={CACHE_SIZE}'`, "
    "`f'DROP INDEX {INDEX_NAME}'`), since identifiers and DDL settings cannot be "
    "bound parameters, and calls of a helper named `*placeholder` with literal "
    "arguments only (`{db.timestamp_placeholder('cutoff')}` renders the bind "
    "placeholder of the database's dialect). Interpolated identifiers held in lower-case names (a "
    "table name from an inspector in a migration) are reported: check them and "
    "`# noqa: FAL702`. A local name is followed one "
    "step: `q = f'...'; db.execute(text(q))` and `q = 'SELECT ...'; q += where` "
    "are reported (the last assignment before the call, in source order, in the "
    "same function). `execute` is matched on any receiver (a cursor, a "
    "connection, a session, `op`); `text` only when it resolves to "
    "SQLAlchemy's or SQLModel's. `+` needs a string literal on one side: "
    "`a + b` of two names is not known to be a string. Not covered: "
    "`' AND '.join(...)`, asyncpg's `fetch/fetchrow/fetchval`, the `databases` "
    "package, `literal_column(...)`.",
)

EXECUTE_METHODS = frozenset({"execute", "executemany", "exec_driver_sql"})
_BUILT = "built"
_LITERAL = "literal"
#: What a function's names were last bound to (see SqlBuiltFromStrings._vars).
_Vars = dict[str, str]


def _is_constant(node: ast.AST) -> bool:
    """A literal, or an ALL_CAPS name (a constant by convention, not a value).

    Iterative: a tuple nested a thousand deep must not exhaust the stack.
    """
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Constant):
            continue
        if isinstance(current, ast.Name):
            if not current.id.isupper():
                return False
        elif isinstance(current, (ast.Tuple, ast.List)):
            pending.extend(current.elts)
        elif isinstance(current, ast.JoinedStr):
            pending.extend(v.value for v in current.values if isinstance(v, ast.FormattedValue))
        elif not _is_placeholder_call(current):
            return False
    return True


def _is_placeholder_call(node: ast.AST) -> bool:
    """``db.timestamp_placeholder("cutoff")``: a helper named ``*placeholder``
    called with literals only returns a bind placeholder (``:cutoff``), not a value."""
    if not isinstance(node, ast.Call) or node.keywords:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return (
        isinstance(name, str)
        and name.lower().endswith("placeholder")
        and all(isinstance(arg, ast.Constant) for arg in node.args)
    )


def _string_operands(node: ast.AST) -> list[ast.expr]:
    """Operands of a ``+`` chain, left to right (iterative)."""
    operands: list[ast.expr] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            pending.append(current.right)
            pending.append(current.left)
        elif isinstance(current, ast.expr):
            operands.append(current)
    return operands


def _format_receiver(node: ast.AST) -> ast.AST | None:
    """``s`` in ``s % x`` / ``s.format(x)``, else None."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return node.left
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return node.func.value
    return None


def _is_stringish(node: ast.AST) -> bool:
    """A string literal, an f-string, or ``'...' % x`` / ``'...'.format(x)``."""
    current: ast.AST | None = node
    while current is not None:
        if isinstance(current, ast.JoinedStr) or str_value(current) is not None:
            return True
        current = _format_receiver(current)
    return False


def string_build(node: ast.AST) -> str | None:
    """How ``node`` pastes values into a string: 'an f-string', ..., or None."""
    current = node
    while True:
        if isinstance(current, ast.JoinedStr):
            return None if _is_constant(current) else "an f-string"
        if isinstance(current, ast.BinOp):
            if isinstance(current.op, ast.Mod):
                left = current.left
                if isinstance(left, ast.Constant) and not isinstance(left.value, str):
                    return None  # arithmetic
                if not _is_constant(current.right):
                    return "%-formatting"
                current = left  # "..." % CONST: look at the left side
                continue
            if isinstance(current.op, ast.Add):
                operands = _string_operands(current)
                has_string = any(_is_stringish(o) for o in operands)
                if has_string and not all(_is_constant(o) for o in operands):
                    return "+ concatenation"
            return None
        if (
            isinstance(current, ast.Call)
            and isinstance(current.func, ast.Attribute)
            and current.func.attr == "format"
            and not all(
                _is_constant(a) for a in [*current.args, *(k.value for k in current.keywords)]
            )
        ):
            return ".format()"
        return None


class SqlBuiltFromStrings(Checker):
    rule = RULE

    def begin(self) -> None:
        #: local name -> _BUILT or _LITERAL, at the module's top level
        self.module_vars: _Vars = {}

    def _vars(self) -> _Vars:
        """The names the current function (or the top level) last bound to a
        string: ``_BUILT`` (values pasted in) or ``_LITERAL``."""
        frame = self.ctx.frame
        if frame is None:
            return self.module_vars
        return self.frame_state(frame, _Vars)

    def _record(self, target: ast.expr, value: ast.expr) -> None:
        if not isinstance(target, ast.Name):
            return
        variables = self._vars()
        if string_build(value) is not None:
            variables[target.id] = _BUILT
        elif str_value(value) is not None:
            variables[target.id] = _LITERAL
        else:
            variables.pop(target.id, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1:
            self._record(node.targets[0], node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._record(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if not (isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add)):
            return
        variables = self._vars()
        state = variables.get(node.target.id)
        if string_build(node.value) is not None or (
            state is not None and not _is_constant(node.value)
        ):
            variables[node.target.id] = _BUILT

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        statement: ast.expr | None
        if isinstance(func, ast.Attribute) and func.attr in EXECUTE_METHODS:
            statement = node.args[0] if node.args else keyword_value(node, "statement")
            where = f"{dotted(func) or '.' + func.attr}()"
        elif (
            isinstance(func, ast.Name) or isinstance(func, ast.Attribute) and func.attr == "text"
        ) and sql_builder(node, self.ctx.names) == "text":
            statement = node.args[0] if node.args else keyword_value(node, "text")
            where = "text()"
        else:
            return
        if statement is None:
            return
        how = string_build(statement)
        if how is None and isinstance(statement, ast.Name):
            if self._vars().get(statement.id) == _BUILT:
                how = f"strings (via '{statement.id}')"
        if how is not None:
            self.report(node, how=how, func=where)
