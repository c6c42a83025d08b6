"""FAL401 `repository-raw-return`: a repository returns raw rows or dicts (RULES.md §5)."""

from __future__ import annotations

import ast
from typing import Iterator

from ...analysis import unquote_annotation
from ...catalogue import Rule, Scope
from ...checker import Checker
from ...names import Names

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

RULE = Rule(
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
)


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


class RepositoryRawReturn(Checker):
    rule = RULE

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
            self.report(node, kind=kind, name=name, problem="has no return annotation")
            return
        found = self.raw.raw(node.returns)
        if found is not None:
            self.report(node, kind=kind, name=name, problem=f"returns raw data '{found}'")

