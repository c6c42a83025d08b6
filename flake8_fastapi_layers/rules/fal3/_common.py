"""What several FAL3xx codes share: local subclasses and aliases of framework
classes (FAL301, FAL302), and the statement a session query covers (FAL302,
FAL303)."""

from __future__ import annotations

import ast
from typing import Iterator

from ...analysis import session_method_call, sql_builder
from ...catalogue import Scope
from ...checker import Context
from ...names import Names, dotted

#: The service rules' modules (FAL302-FAL304).
SERVICES = Scope(layers=frozenset({"service"}))
#: Session methods that run a query (FAL303); transactions are allowed.
QUERY_METHODS = frozenset({"execute", "scalars", "scalar", "query", "exec"})


def module_classes(tree: ast.Module) -> Iterator[ast.ClassDef | ast.Assign]:
    """Module-level class definitions and assignments, including those nested in
    module-level ``if``/``try`` blocks (no walk into functions or classes)."""
    pending: list[list[ast.stmt]] = [tree.body]
    while pending:
        for stmt in pending.pop():
            if isinstance(stmt, (ast.ClassDef, ast.Assign)):
                yield stmt
            elif isinstance(stmt, ast.If):
                pending.extend([stmt.body, stmt.orelse])
            elif isinstance(stmt, ast.Try):
                pending.extend([stmt.body, stmt.orelse, stmt.finalbody])
                pending.extend(handler.body for handler in stmt.handlers)


class LocalClasses:
    """Which module-level names mean (a subclass of) one of ``targets``.

    ``targets`` are qualified class names (``fastapi.HTTPException``).  A class
    defined in the module shadows an imported name of the same name; a local
    class derives from a target when one of its bases is a target or another
    local class that does (followed to a fixed point); a module-level alias
    ``X = <target>`` means the target.  Used for FAL301 and FAL302 (and by
    FAL303 to leave a response alone).
    """

    def __init__(self, tree: ast.Module, names: Names, targets: frozenset[str]) -> None:
        self.names = names
        self.targets = targets
        self.defined: set[str] = set()
        #: local name -> the target it means or derives from
        self.derived: dict[str, str] = {}
        classes: list[ast.ClassDef] = []
        aliases: list[tuple[str, ast.expr]] = []
        for stmt in module_classes(tree):
            if isinstance(stmt, ast.ClassDef):
                classes.append(stmt)
                self.defined.add(stmt.name)
            elif len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                if isinstance(stmt.value, (ast.Name, ast.Attribute)):
                    aliases.append((stmt.targets[0].id, stmt.value))
        changed = True
        while changed:
            changed = False
            for cls in classes:
                if cls.name in self.derived:
                    continue
                for base in cls.bases:
                    target = self.resolve(base)
                    if target is not None:
                        self.derived[cls.name] = target
                        changed = True
                        break
            for alias, value in aliases:
                if alias not in self.derived and alias not in self.defined:
                    target = self.resolve(value)
                    if target is not None:
                        self.derived[alias] = target
                        changed = True

    def resolve(self, node: ast.AST) -> str | None:
        """The target that ``node`` (a class reference) means, or None."""
        if isinstance(node, ast.Name):
            found = self.derived.get(node.id)
            if found is not None:
                return found
            if node.id in self.defined:
                return None  # a local class of that name, not the framework's
        elif not isinstance(node, ast.Attribute):
            return None
        qualified = self.names.qualname(node)
        return qualified if qualified in self.targets else None


def describe(node: ast.AST, target: str, local: LocalClasses) -> str:
    """``'HTTPException'``, ``'NotFound' (a subclass of 'HTTPException')`` or
    ``'HE' (fastapi.HTTPException)``."""
    text = dotted(node) or "?"
    short = target.rpartition(".")[2]
    if text.rpartition(".")[2] == short:
        return f"'{text}'"
    if isinstance(node, ast.Name) and node.id in local.defined:
        return f"'{text}' (a subclass of '{short}')"
    return f"'{text}' ({target})"


def root_builder(node: ast.AST, names: Names) -> ast.Call | None:
    """The builder call at the root of ``select(X).where(...).limit(...)``: the
    first SQL builder met going down callees and attribute owners, or None."""
    while True:
        if isinstance(node, ast.Call):
            if sql_builder(node, names) is not None:
                return node
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return None


def covered_by_session_query(node: ast.Call, ctx: Context) -> bool:
    """Whether the call being visited is the :func:`root_builder` of a positional
    argument of a session query (``session.execute(select(X).where(...))``):
    FAL303 reports that statement once, on the session call."""
    child: ast.AST = node
    for parent in reversed(ctx.parents):
        if (isinstance(parent, ast.Call) and parent.func is child) or (
            isinstance(parent, ast.Attribute) and parent.value is child
        ):
            child = parent
            continue
        return (
            isinstance(parent, ast.Call)
            and any(arg is child for arg in parent.args)
            and session_method_call(parent, QUERY_METHODS, ctx) is not None
            and root_builder(child, ctx.names) is node
        )
    return False
