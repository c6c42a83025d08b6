"""Name resolution: what a name or attribute chain means under a module's imports.

Built once per module and shared by every rule (RULES.md §12): rules ask "is
this call ``time.sleep``?" and get the same answer for ``time.sleep()``,
``import time as t; t.sleep()`` and ``from time import sleep as nap; nap()``.
Unresolvable names are not guessed at.
"""

from __future__ import annotations

import ast
import builtins
from typing import Iterable

_BUILTINS = frozenset(dir(builtins))


class Names:
    """Import table of one module: local name -> fully qualified name."""

    __slots__ = ("table", "module_defs", "package", "scopes")

    def __init__(self, package: str | None = None) -> None:
        self.table: dict[str, str] = {}
        #: names bound at module level by def/class/assignment (they shadow builtins)
        self.module_defs: set[str] = set()
        #: dotted package of the module, to resolve relative imports, if known
        self.package = package
        #: names bound locally by the enclosing functions (the walker keeps it):
        #: a parameter or local named like an import hides the import
        self.scopes: list[frozenset[str]] = []

    # -- building ------------------------------------------------------------

    def scan(self, tree: ast.Module) -> None:
        """Record module-level imports and definitions (no full walk).

        Imports and definitions nested in module-level ``if``/``try``/``with``
        blocks (``if TYPE_CHECKING:``, ``try: import x except ImportError``)
        count too; imports inside functions are added by the walker as it
        meets them.
        """
        pending: list[list[ast.stmt]] = [tree.body]
        while pending:
            for stmt in pending.pop():
                if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    self.add_import(stmt)
                elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    self.module_defs.add(stmt.name)
                elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                    for target in targets:
                        self.module_defs.update(bound_names(target))
                elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
                    pending.append(stmt.body)
                    pending.append(getattr(stmt, "orelse", []))
                    if isinstance(stmt, ast.Try):
                        pending.append(stmt.finalbody)
                        for handler in stmt.handlers:
                            pending.append(handler.body)
                elif type(stmt).__name__ == "TryStar":  # Python 3.11+: try/except*
                    for attr in ("body", "orelse", "finalbody"):
                        pending.append(getattr(stmt, attr, []))
                    for handler in getattr(stmt, "handlers", []):
                        pending.append(handler.body)

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.table[alias.asname] = alias.name
                else:
                    # ``import a.b.c`` binds ``a``; ``a.b.c.f`` resolves textually.
                    top = alias.name.partition(".")[0]
                    self.table[top] = top
            return
        base = self.absolute_module(node.module, node.level)
        for alias in node.names:
            if alias.name == "*":
                continue
            self.table[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name

    def absolute_module(self, module: str | None, level: int) -> str:
        """``from ..x import`` -> an absolute dotted name when the package is known."""
        if not level:
            return module or ""
        if self.package is not None:
            parts = self.package.split(".") if self.package else []
            if level - 1 <= len(parts):
                kept = parts[: len(parts) - (level - 1)]
                return ".".join([*kept, *([module] if module else [])])
        return "." * level + (module or "")

    # -- queries -------------------------------------------------------------

    def qualname(self, node: ast.AST) -> str | None:
        """Fully qualified name of a ``Name``/``Attribute`` chain, or None."""
        attrs: list[str] = []
        while isinstance(node, ast.Attribute):  # iterative: chains can be long
            attrs.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        name = node.id
        for scope in self.scopes:
            if name in scope:
                return None
        resolved = self.table.get(name)
        if resolved is None:
            if name in _BUILTINS and name not in self.module_defs and not attrs:
                return f"builtins.{name}"
            return None
        if attrs:
            return resolved + "." + ".".join(reversed(attrs))
        return resolved

    def call_name(self, node: ast.AST) -> str | None:
        """Qualified name of the callee when ``node`` is a call, else None."""
        if isinstance(node, ast.Call):
            return self.qualname(node.func)
        return None


def local_names(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> frozenset[str]:
    """Names a function binds itself: parameters, and what the top level of
    its body assigns or defines (imports excluded: they resolve like module
    imports).  Nested blocks are not scanned: a known limit."""
    args = node.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    if args.vararg:
        names.add(args.vararg.arg)
    if args.kwarg:
        names.add(args.kwarg.arg)
    if not isinstance(node, ast.Lambda):
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    names.update(bound_names(target))
            elif isinstance(stmt, (ast.AnnAssign, ast.For, ast.AsyncFor)):
                names.update(bound_names(stmt.target))
    return frozenset(names)


def dotted(node: ast.AST) -> str | None:
    """The source text of a plain ``a.b.c`` chain (no resolution), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def bound_names(target: ast.AST) -> Iterable[str]:
    """Names an assignment target binds (``a``, ``a, (b, *c)``)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from bound_names(element)
    elif isinstance(target, ast.Starred):
        yield from bound_names(target.value)
