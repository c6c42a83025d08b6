"""FAL4xx: repositories return typed data and own database errors (RULES.md §5)."""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis import unquote_annotation, session_method_call
from ..catalogue import Rule, Scope
from ..checker import Checker, Context
from ..names import Names, dotted

#: Qualified names that are raw data in a repository's return type (FAL401).
RAW_TYPES = frozenset(
    {
        "builtins.dict",
        "builtins.object",
        "typing.Dict",
        "typing.Any",
        "typing.Mapping",
        "typing.MutableMapping",
        "typing_extensions.Any",
        "collections.abc.Mapping",
        "collections.abc.MutableMapping",
    }
)
#: SQLAlchemy result types, by last component, under any ``sqlalchemy.*`` module.
RAW_SQLALCHEMY = frozenset({"Row", "RowMapping", "Result", "CursorResult"})
#: Dict-like types whose values may be typed domain objects (``dict[int, User]``).
MAPPINGS = frozenset(
    {
        "builtins.dict",
        "typing.Dict",
        "typing.Mapping",
        "typing.MutableMapping",
        "collections.abc.Mapping",
        "collections.abc.MutableMapping",
    }
)
TUPLES = frozenset({"builtins.tuple", "typing.Tuple"})
#: Wrappers whose every argument is looked into: ``Optional[X]``, ``list[X]`` …
_CONTAINER_NAMES = (
    "Optional", "Union", "List", "Sequence", "MutableSequence", "Iterable", "Iterator",
    "AsyncIterable", "AsyncIterator", "Collection", "Set", "FrozenSet", "AbstractSet",
    "MutableSet", "Awaitable", "Coroutine", "Generator", "AsyncGenerator", "Deque",
)
CONTAINERS = frozenset(
    {f"{module}.{name}" for module in ("typing", "typing_extensions", "collections.abc")
     for name in _CONTAINER_NAMES}
    | {"builtins.list", "builtins.set", "builtins.frozenset", "collections.deque"}
)
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
#: Builtin scalars: a ``dict[str, int]`` is still a bag of values, not a domain object.
SCALARS = frozenset(
    f"builtins.{name}"
    for name in ("str", "int", "float", "bool", "bytes", "complex", "bytearray", "list",
                 "dict", "set", "frozenset", "tuple", "object", "type")
)

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

RULES: tuple[Rule, ...] = (
    Rule(
        code="FAL401",
        name="repository-raw-return",
        message="repository {kind} '{name}' {problem}; return typed domain objects "
        "(an ORM model, dataclass or schema), not raw rows or dicts",
        summary="A public function or method of a repository has no return annotation, "
        "or returns `dict`, `Dict`, `Mapping`, `MutableMapping`, `Any`, `object`, "
        "SQLAlchemy's `Row`, `RowMapping`, `Result`, `CursorResult`, or a bare `tuple` "
        "(directly, in a union/`Optional`, or as the item of a list, sequence, "
        "iterator or tuple).",
        rationale="Repository methods must return typed domain objects, not raw dicts "
        "or `Row`s: callers then depend on column names and driver types, mypy cannot "
        "check them, and a schema change breaks code far away from the query.",
        fix="Map rows to an ORM model, a dataclass or a pydantic schema and annotate "
        "the method with it (`-> list[User]`, `-> User | None`).",
        bad="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import users_table


async def get_user(session: AsyncSession, user_id: int) -> RowMapping | None:
    result = await session.execute(select(users_table).where(users_table.c.id == user_id))
    return result.mappings().first()
""",
        good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)
""",
        scope=Scope(layers=frozenset({"repository"}), subject="public functions and methods"),
        reported_on="the `def` line",
        limits="Checked: module-level functions and methods of classes (not nested "
        "functions, which are not API). Exempt: names starting with `_` (private "
        "helpers and dunders such as `__init__`), methods of private classes, property "
        "setters/deleters, and the implementation of an `@overload`ed function (its "
        "overloads are checked). Properties are checked like methods. Names are "
        "resolved through imports (`typing.Dict`, `collections.abc.Mapping`, "
        "`sqlalchemy.engine.Row`); a project's own class named `Result` or `Row` is "
        "not SQLAlchemy's, and an unresolved name is not guessed at. String "
        "annotations are parsed. A mapping whose value type is a class that is not a "
        "builtin or raw type (`dict[int, User]`, `Mapping[UUID, list[Order]]`) is a "
        "typed lookup of domain objects and is not reported, and so is a mapping "
        "keyed by something other than a string with typed values (`dict[UUID, int]`: "
        "a count per id); `dict[str, int]` and `dict[str, Any]` (records keyed by "
        "column names) are. `tuple[int, str]` is typed; `tuple`, `Tuple` and "
        "`tuple[Any, ...]` are not. A bare `list` and SQLAlchemy's `ScalarResult` are "
        "not in the contract and not reported.",
        mypy_code="fal-repository-raw-return",
    ),
    Rule(
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
    ),
    Rule(
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
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}


# -- FAL401 ---------------------------------------------------------------------


class RawReturn:
    """Decides whether a return annotation is raw data, resolving names."""

    def __init__(self, names: Names) -> None:
        self.names = names

    def qualname(self, node: ast.expr) -> str | None:
        qualified = self.names.qualname(node)
        if qualified is not None and qualified.startswith("typing_extensions."):
            return "typing." + qualified.partition(".")[2]
        return qualified

    def is_raw_name(self, qualified: str | None) -> bool:
        if qualified is None:
            return False
        if qualified in RAW_TYPES:
            return True
        last = qualified.rpartition(".")[2]
        return qualified.startswith("sqlalchemy.") and last in RAW_SQLALCHEMY

    def is_typed_lookup(self, key: ast.expr, value: ast.expr) -> bool:
        """``dict[UUID, int]``: keyed by something other than a string (ids,
        enums), typed values; a record keyed by column names (``dict[str, int]``)
        is not."""
        if self.raw(key) is not None or self.raw(value) is not None:
            return False
        return self.qualname(key) not in ("builtins.str", "builtins.bytes")

    def raw(self, node: ast.expr | None, depth: int = 0) -> str | None:
        """The offending part of the annotation, as source text, or None."""
        if node is None or depth > 20:
            return None
        parsed = unquote_annotation(node)
        if parsed is None:
            return None
        node = parsed
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.raw(node.left, depth + 1) or self.raw(node.right, depth + 1)
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self.qualname(node)
            if self.is_raw_name(qualified) or qualified in TUPLES:
                return ast.unparse(node)
            return None
        if isinstance(node, ast.Subscript):
            outer = self.qualname(node.value)
            args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if outer in ANNOTATED:
                return self.raw(args[0], depth + 1) if args else None
            if outer in MAPPINGS:
                if len(args) == 2 and (self.is_entity(args[1]) or self.is_typed_lookup(*args)):
                    return None
                return ast.unparse(node)
            if self.is_raw_name(outer):
                return ast.unparse(node)
            if outer in TUPLES or outer in CONTAINERS:
                if outer is not None and outer.endswith(".Coroutine"):
                    args = args[-1:]  # Coroutine[yield, send, RETURN]
                elif outer is not None and outer.endswith("Generator"):
                    args = args[:1]  # (Async)Generator[YIELD, send(, return)]
                for arg in args:
                    found = self.raw(arg, depth + 1)
                    if found is not None:
                        return found
        return None

    def is_entity(self, node: ast.expr, depth: int = 0) -> bool:
        """A class of the project or a library that is not a builtin or raw type,
        or a list/sequence/optional of one."""
        parsed = unquote_annotation(node)
        if parsed is None or depth > 20:
            return False
        node = parsed
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self.qualname(node)
            if qualified is not None and (
                qualified in SCALARS
                or self.is_raw_name(qualified)
                or qualified.startswith(("typing.", "builtins.", "collections."))
            ):
                return False
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            sides = [side for side in (node.left, node.right) if not _is_none(side)]
            return bool(sides) and all(self.is_entity(side, depth + 1) for side in sides)
        if isinstance(node, ast.Subscript) and self.qualname(node.value) in CONTAINERS:
            args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            entities = [a for a in args if not _is_none(a)]
            return bool(entities) and all(self.is_entity(a, depth + 1) for a in entities)
        return False


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _decorator_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[str]:
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Call):
            decorator = decorator.func
        if isinstance(decorator, ast.Attribute):
            yield decorator.attr
        elif isinstance(decorator, ast.Name):
            yield decorator.id


class RepositoryChecker(Checker):
    rules = (_BY_CODE["FAL401"],)

    def begin(self) -> None:
        self.raw = RawReturn(self.ctx.names)
        #: (id of the enclosing class or module, name) of @overload-ed functions
        self.overloaded: set[tuple[int, str]] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._check(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._check(node)

    def _check(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        ctx = self.ctx
        if ctx.frames or node.name.startswith("_"):
            return  # nested functions, private helpers and dunders are not API
        classes = ctx.classes
        if any(cls.name.startswith("_") for cls in classes):
            return
        decorators = set(_decorator_names(node))
        if decorators & {"setter", "deleter"}:
            return
        scope = (id(classes[-1]) if classes else 0, node.name)
        if "overload" in decorators:
            self.overloaded.add(scope)
        elif scope in self.overloaded:
            return  # the implementation behind checked overloads
        kind = "method" if classes else "function"
        name = ".".join([*(cls.name for cls in classes), node.name])
        if node.returns is None:
            ctx.report("FAL401", node, kind=kind, name=name, problem="has no return annotation")
            return
        found = self.raw.raw(node.returns)
        if found is not None:
            ctx.report("FAL401", node, kind=kind, name=name, problem=f"returns raw data '{found}'")


# -- FAL402 ---------------------------------------------------------------------


class LegacyQueryChecker(Checker):
    rules = (_BY_CODE["FAL402"],)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "query"):
            return
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return  # db.query("...") of another library
        if session_method_call(node, frozenset({"query"}), self.ctx) is not None:
            receiver = dotted(func.value) or "session"
            self.ctx.report("FAL402", node, call=f"{receiver}.query(...)")


# -- FAL403 ---------------------------------------------------------------------


def is_db_error(qualified: str | None) -> bool:
    if qualified is None:
        return False
    last = qualified.rpartition(".")[2]
    if qualified.startswith(DB_ERROR_MODULES):
        return last not in NOT_DB_ERRORS and not last.endswith("Warning")
    top, _, rest = qualified.partition(".")
    return top in DRIVER_PACKAGES and bool(rest) and last[:1].isupper()


class DbErrorChecker(Checker):
    rules = (_BY_CODE["FAL403"],)

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
                self.ctx.report("FAL403", node, layer=self.ctx.layer, name=name)
                return


CHECKERS = [RepositoryChecker, LegacyQueryChecker, DbErrorChecker]
