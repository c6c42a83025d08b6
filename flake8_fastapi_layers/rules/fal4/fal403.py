"""FAL403 `db-error-outside-repository`: a router or service catches a DB error (RULES.md §5)."""

from __future__ import annotations

import ast

from ...catalogue import Rule, Scope
from ...checker import Checker
from ...names import dotted

#: DB-API driver packages: every exception class they define is a database error.
DRIVER_PACKAGES = ("psycopg2", "psycopg", "asyncpg", "sqlite3", "aiosqlite", "pymysql",
                   "aiomysql", "MySQLdb", "cx_Oracle", "oracledb", "pyodbc")
DB_ERROR_MODULES = ("sqlalchemy.exc.", "sqlalchemy.orm.exc.", "sqlmodel.exc.")
#: ``sqlalchemy.exc`` classes for mistakes in using the library (a bad URL passed
#: to ``make_url``, an unknown dialect, a statement that does not compile):
#: configuration/programming errors, not errors of the database.
NOT_DB_ERRORS = frozenset(
    {
        "ArgumentError",
        "NoSuchModuleError",
        "ObjectNotExecutableError",
        "NoForeignKeysError",
        "AmbiguousForeignKeysError",
        "CompileError",
        "UnsupportedCompilationError",
        "IdentifierError",
    }
)

RULE = Rule(
    code="FAL403",
    name="db-error-outside-repository",
    message="{layer} handles database error '{name}'; catch it in the repository "
    "and raise a domain exception",
    summary="An `except` clause in a router or service catches a database error: "
    "a class of `sqlalchemy.exc` (`IntegrityError`, `NoResultFound`, "
    "`DBAPIError`, `SQLAlchemyError` …) or of a DB-API driver (`psycopg2`, "
    "`asyncpg`, `sqlite3` …).",
    rationale="Repositories translate database errors into domain exceptions "
    "(`IntegrityError` → `EmailAlreadyTaken`); a router or service that catches "
    "them depends on the storage engine and duplicates the translation.",
    fix="Catch the error in the repository method that caused it, raise a domain "
    "exception from it, and catch that in the service or router.",
    bad="""\
# app/services/user_service.py
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.domain.user import User
from app.exceptions import EmailTaken
from app.repositories.user_repository import UserRepository


async def register(users: UserRepository, user: User) -> User:
    try:
        return await users.add(user)
    except IntegrityError as exc:
        raise EmailTaken(user.email) from exc
""",
    good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.exceptions import EmailTaken
from app.models.user import User


async def add(session: AsyncSession, user: User) -> User:
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise EmailTaken(user.email) from exc
    return user
""",
    scope=Scope(layers=frozenset({"router", "service"})),
    reported_on="the `except` line",
    limits="Names are resolved through imports (`from sqlalchemy.exc import "
    "IntegrityError`, `sqlalchemy.exc.IntegrityError`, `sa_exc.NoResultFound`, "
    "tuples); an `IntegrityError` the module does not import from a database "
    "package is not guessed at. `sqlalchemy.exc` classes for misuse of the library "
    "rather than database failures (`ArgumentError` from `make_url(...)`, "
    "`NoSuchModuleError`, `CompileError` and their kin, warnings) are not "
    "reported. A handler whose last statement is a bare `raise` "
    "(roll back or log, then re-raise) does not handle the error and is not "
    "reported: transaction control is allowed in services.",
)


def is_db_error(qualified: str | None) -> bool:
    if qualified is None:
        return False
    last = qualified.rpartition(".")[2]
    if qualified.startswith(DB_ERROR_MODULES):
        return last not in NOT_DB_ERRORS and not last.endswith("Warning")
    top, _, rest = qualified.partition(".")
    return top in DRIVER_PACKAGES and bool(rest) and last[:1].isupper()


class DbErrorOutsideRepository(Checker):
    rule = RULE

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        caught = node.type
        if caught is None:
            return
        if node.body and isinstance(node.body[-1], ast.Raise) and node.body[-1].exc is None:
            return  # cleanup (rollback, log) and re-raise: not handled here
        elements = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        for element in elements:
            if is_db_error(self.ctx.names.qualname(element)):
                name = dotted(element) or ast.unparse(element)
                self.report(node, layer=self.ctx.layer, name=name)
                return

