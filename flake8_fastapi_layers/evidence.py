"""What a module visibly does: evidence for its layer (RULES.md §1).

A module's path says what it should be; its code says what it is.  Evidence
beats names: a module that defines routes or creates an ``APIRouter`` is a
router whatever its name; a module that assigns ``revision`` and
``down_revision`` and defines ``upgrade()`` is an Alembic revision wherever it
lives; a module under ``models/`` that declares no ORM class and imports no
ORM is not an ORM model module.

Evidence is read from the source text first (one regular-expression search
per fact: most modules show none of the markers and are never parsed again),
then confirmed on the syntax tree.  A checked file passes the tree it already
has; an imported module's file is read (regular files only, with a size cap)
and parsed at most once per process.  Nothing is imported or executed.

This module depends on nothing else of the package but :mod:`.files`: layer detection
(:mod:`.layers`) and the rules (:mod:`.analysis`) both use it.
"""

from __future__ import annotations

import ast
import functools
import os
import re
from dataclasses import dataclass

from .files import read_regular_file

#: Route-defining methods of an ``APIRouter``/``FastAPI`` (RULES.md §3).
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "options", "head", "trace", "api_route", "websocket"}
)
#: Methods that register a route imperatively (class-based controllers).
ROUTE_REGISTRARS = frozenset({"add_api_route", "add_api_websocket_route"})
#: Packages whose import makes a module an ORM module (RULES.md §1, ``model``).
ORM_PACKAGES = frozenset(
    {"sqlalchemy", "sqlmodel", "tortoise", "peewee", "ormar", "beanie", "odmantic",
     "mongoengine", "piccolo", "pony", "gino", "databases"}
)  # fmt: skip
#: Class-body names that declare a mapped table.
ORM_CLASS_MARKERS = frozenset({"__tablename__", "__table__", "__table_args__"})

_ROUTE_TEXT = re.compile(
    r"@[^\n]*\.(?:" + "|".join(sorted(ROUTE_METHODS)) + r")\s*\("
    r"|\bAPIRouter\s*\(|\.add_api(?:_websocket)?_route\s*\("
)
_REVISION_TEXT = re.compile(r"^down_revision\b", re.M)
_UPGRADE_TEXT = re.compile(r"^(?:async\s+)?def\s+upgrade\s*\(", re.M)
_ORM_TEXT = re.compile(
    r"\b(?:" + "|".join(sorted(ORM_PACKAGES)) + r")\b|__table(?:name)?__|^\s*from\s+\.", re.M
)


@dataclass(frozen=True)
class Evidence:
    """The facts about one module that layer detection weighs."""

    #: a route handler it defines, or a router it creates: ``"defines route
    #: 'list_users'"``, ``"creates an APIRouter"``; empty when none
    router: str = ""
    #: an Alembic revision by its content
    revision: bool = False
    #: declares an ORM class or imports an ORM package (or, relatively, its siblings)
    orm: bool = False


NO_EVIDENCE = Evidence()


def route_decorator(func: ast.AST) -> tuple[ast.Call, str, ast.expr | None] | None:
    """``(decorator, method, path)`` of a function decorated as a route
    (``@<x>.<method>(path, ...)``), else None.

    Lenient about the receiver (any ``<x>.get(...)``), strict about the shape:
    the decorator must be a call with a path (positional or ``path=``) that is
    not a non-string constant, which keeps ``@cache.get`` and ``@app.get()``
    look-alikes out.
    """
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    for decorator in func.decorator_list:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
            continue
        method = decorator.func.attr
        if method not in ROUTE_METHODS:
            continue
        path: ast.expr | None = decorator.args[0] if decorator.args else None
        if path is None:
            for keyword in decorator.keywords:
                if keyword.arg == "path":
                    path = keyword.value
        if path is None or isinstance(path, ast.Constant) and not isinstance(path.value, str):
            continue
        return decorator, method, path
    return None


def _callee_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def router_evidence(tree: ast.Module) -> str:
    """What makes the module a router, in words; empty when nothing does."""
    for node in ast.walk(tree):
        if route_decorator(node) is not None:
            return f"defines route '{getattr(node, 'name', '?')}'"
        if isinstance(node, ast.Call):
            name = _callee_name(node)
            if name == "APIRouter":
                return "creates an APIRouter"
            if name in ROUTE_REGISTRARS and (node.args or node.keywords):
                return f"registers a route with {name}()"
    return ""


def is_revision(tree: ast.Module) -> bool:
    """Module-level ``revision`` and ``down_revision`` assignments and ``def upgrade``."""
    assigned: set[str] = set()
    upgrade = False
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            assigned.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            assigned.add(stmt.target.id)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "upgrade":
            upgrade = True
    return upgrade and {"revision", "down_revision"} <= assigned


def is_orm(tree: ast.Module) -> bool:
    """Imports an ORM package (or its siblings, relatively: a package gathering
    its model modules), or declares a mapped class or a ``Table``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.partition(".")[0] in ORM_PACKAGES for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").partition(".")[0] in ORM_PACKAGES:
                return True
        elif isinstance(node, ast.ClassDef):
            for stmt in node.body:
                targets = (
                    stmt.targets if isinstance(stmt, ast.Assign)
                    else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
                )  # fmt: skip
                if any(isinstance(t, ast.Name) and t.id in ORM_CLASS_MARKERS for t in targets):
                    return True
    return False


def evidence_of(source: str, tree: ast.Module | None = None) -> Evidence:
    """The evidence of a module's source (``tree``: its parsed form, if at hand).

    Each fact is looked for in the text first; only a module whose text shows
    a marker is parsed (when no tree is given) and examined.  A source that
    does not parse shows no evidence.
    """
    wants_router = _ROUTE_TEXT.search(source) is not None
    wants_revision = _REVISION_TEXT.search(source) is not None and _UPGRADE_TEXT.search(source)
    wants_orm = _ORM_TEXT.search(source) is not None
    if not (wants_router or wants_revision or wants_orm):
        return NO_EVIDENCE
    if tree is None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return NO_EVIDENCE
    return Evidence(
        router=router_evidence(tree) if wants_router else "",
        revision=bool(wants_revision) and is_revision(tree),
        orm=wants_orm and is_orm(tree),
    )


def read_source(path: str) -> str | None:
    """The text of a regular file of at most MAX_FILE_BYTES bytes, else None
    (see :func:`~.files.read_regular_file`); undecodable bytes are replaced."""
    data = read_regular_file(path)
    return None if data is None else data.decode("utf-8", errors="replace")


def file_evidence(path: str) -> Evidence:
    """The evidence of the module at ``path`` (read, never imported); none for a
    file that cannot be read.  Cached by path, modification time and size."""
    try:
        info = os.stat(path)
    except OSError:
        return NO_EVIDENCE
    return _file_evidence(path, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=16384)
def _file_evidence(path: str, mtime_ns: int, size: int) -> Evidence:
    source = read_source(path)
    return NO_EVIDENCE if source is None else evidence_of(source)


def clear_caches() -> None:
    _file_evidence.cache_clear()
