"""Where a project includes its routers: FAL208's one look beyond the module.

A route is also authenticated when its router is ``include_router``-ed into a
router created with an auth dependency, or included with one
(``app.include_router(orders.router, dependencies=[Depends(auth)])``), in any
module of the project.  This module finds those include sites; FAL208
(:mod:`.fal208`) decides which of them carry auth.

The project's files are read, never imported: once per process and project
root, and only when FAL208 is on and a route's own module does not settle
its auth; at most :data:`MAX_FILES` of them, regular files only (a FIFO, a
device or a socket named ``*.py``, also behind a symlink, is never read) of
at most :data:`MAX_FILE_BYTES` bytes (a bigger file is skipped); only files
whose text mentions ``include_router`` are parsed, and a file that does not
parse is skipped.
Routers are named by where they live: a module-level ``router`` of
``app/routers/orders.py`` is ``app.routers.orders.router`` (how the including
module's imports resolve it), a router built inside a function is
``<module>.<function>.<locals>.<variable>``.
"""

from __future__ import annotations

import ast
import functools
import itertools
import os
from dataclasses import dataclass, field

from ...analysis import keyword
from ...files import MAX_FILE_BYTES, iter_python_files, read_regular_file
from ...layers import module_name, package_of
from ...names import Names, dotted

#: Files read at most per project (in sorted order): a bound for a root that
#: is not a project (a file checked in a home directory without any marker).
MAX_FILES = 20_000
_INSTALLED = f"{os.sep}site-packages{os.sep}"
_SCOPE_BARRIERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class RouterSite:
    """A router created by ``APIRouter(...)``/``FastAPI(...)``, and the
    dependencies it gets: its ``dependencies=`` value, and what the same scope
    appends to the list that value names (``deps.append(Depends(auth))``)."""

    dependencies: list[ast.expr] = field(default_factory=list)


@dataclass
class IncludeSite:
    """``<parent>.include_router(<child>, dependencies=[...])``."""

    child: str
    parent: str
    dependencies: list[ast.expr]


@dataclass
class ScannedModule:
    """The routers one module creates and includes."""

    relpath: str  # relative to the project root, '/'-separated
    tree: ast.Module
    names: Names
    routers: dict[str, RouterSite]
    includes: list[IncludeSite]


def is_router_call(node: ast.AST) -> bool:
    """``APIRouter(...)``, ``FastAPI(...)``, or a router class by its name
    (``VersionedAPIRouter``)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return isinstance(name, str) and (name == "FastAPI" or name.endswith("Router"))


@functools.lru_cache(maxsize=8)
def including_modules(root: str) -> tuple[ScannedModule, ...]:
    """Every module under ``root`` that calls ``include_router``."""
    found: list[ScannedModule] = []
    for path in itertools.islice(iter_python_files([root]), MAX_FILES):
        if _INSTALLED in path:
            continue  # a virtual environment under another name than .venv/venv
        source = read_regular_file(path)
        if source is None or b"include_router" not in source:
            continue
        try:
            tree = ast.parse(source, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # the file's own run reports it; here it includes nothing
        relpath = os.path.relpath(path, root).replace(os.sep, "/")
        found.append(scan_module(tree, relpath))
    return tuple(found)


def scan_module(tree: ast.Module, relpath: str, names: Names | None = None) -> ScannedModule:
    """Routers created and included in every scope of a module (``names``: the
    module's import table, when the caller has it)."""
    module = module_name(relpath)
    if names is None:
        names = Names(package_of(relpath))
        names.scan(tree)
    scanned = ScannedModule(relpath, tree, names, {}, [])
    walking, names.scopes = names.scopes, []  # resolve as at module level
    try:
        _scan_scope(scanned, module, module, tree.body)  # first: functions use its routers
        for function in _functions(tree.body):
            _scan_scope(scanned, module, f"{module}.{function.name}.<locals>", function.body)
    finally:
        names.scopes = walking
    return scanned


def _functions(body: list[ast.stmt]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function defined in ``body``, at any depth, by statements only
    (functions are statements: no expression is walked)."""
    out: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    pending = list(body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append(stmt)
        pending.extend(_blocks(stmt))
    return out


def _blocks(stmt: ast.stmt) -> list[ast.stmt]:
    """The statements directly nested in a compound statement."""
    children: list[ast.stmt] = []
    for attr in ("body", "orelse", "finalbody"):
        children.extend(getattr(stmt, attr, ()))
    for handler in getattr(stmt, "handlers", ()):
        children.extend(handler.body)
    for case in getattr(stmt, "cases", ()):
        children.extend(case.body)
    return children


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements of one scope in source order, compound blocks flattened,
    nested functions and classes left out."""
    out: list[ast.stmt] = []
    pending = list(reversed(body))
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, _SCOPE_BARRIERS):
            continue
        out.append(stmt)
        pending.extend(reversed(_blocks(stmt)))
    return out


def _scan_scope(scanned: ScannedModule, module: str, prefix: str, body: list[ast.stmt]) -> None:
    """Routers, dependency lists and include calls of one scope (``prefix``)."""
    lists: dict[str, list[ast.expr]] = {}
    local: set[str] = set()

    def key(variable: str) -> str:
        """A router variable of this scope, else of the module, by its key."""
        if variable in local:
            return f"{prefix}.{variable}"
        return f"{module}.{variable}"

    for stmt in _statements(body):
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = stmt.value
            for target in targets:
                name = dotted(target)
                if name is None:
                    continue
                if isinstance(value, (ast.List, ast.Tuple)):
                    lists[name] = list(value.elts)
                elif isinstance(value, ast.Call) and is_router_call(value):
                    local.add(name)
                    scanned.routers[key(name)] = RouterSite(_dependencies(value, lists))
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add):
            name = dotted(stmt.target)
            if name is not None and name in lists:
                lists[name].extend(_elements(stmt.value, lists, 0))
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            func = call.func
            receiver = dotted(func.value) if isinstance(func, ast.Attribute) else None
            if receiver is None or not call.args:
                continue
            assert isinstance(func, ast.Attribute)
            if func.attr in ("append", "insert") and receiver in lists:
                lists[receiver].append(call.args[-1])
            elif func.attr == "extend" and receiver in lists:
                lists[receiver].extend(_elements(call.args[0], lists, 0))
            elif func.attr == "include_router":
                argument = call.args[0]
                name = dotted(argument)
                child: str | None
                if name is not None and (name in local or f"{module}.{name}" in scanned.routers):
                    child = key(name)
                else:
                    child = scanned.names.qualname(argument)
                if child is not None:
                    dependencies = _dependencies(call, lists)
                    scanned.includes.append(IncludeSite(child, key(receiver), dependencies))


def _dependencies(call: ast.Call, lists: dict[str, list[ast.expr]]) -> list[ast.expr]:
    """The dependency expressions a ``dependencies=`` keyword gives: a list or
    tuple display, either branch of a conditional (authentication switched by
    configuration is still authentication), or a list built by name earlier in
    the same scope."""
    dependencies = keyword(call, "dependencies")
    return [] if dependencies is None else _elements(dependencies, lists, 0)


def _elements(node: ast.expr, lists: dict[str, list[ast.expr]], depth: int) -> list[ast.expr]:
    if depth > 4:
        return []
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    if isinstance(node, ast.IfExp):
        return _elements(node.body, lists, depth + 1) + _elements(node.orelse, lists, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _elements(node.left, lists, depth + 1) + _elements(node.right, lists, depth + 1)
    name = dotted(node)
    if name is not None and name in lists:
        return list(lists[name])
    return []
