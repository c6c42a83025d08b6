"""What FAL101, FAL102, FAL104 and FAL105 share: the layer sets and the
first-party modules an import statement imports (RULES.md §2)."""

from __future__ import annotations

import ast
from typing import Iterator

from ...analysis import is_framework_module
from ...checker import Checker
from ...layers import ImportTarget
from .fal103 import HTTP_FREE_LAYERS, FrameworkImportOptions, framework_import

#: importer layer -> layers it must not import (FAL101).
UPWARD: dict[str, frozenset[str]] = {
    "repository": frozenset({"service", "router"}),
    "service": frozenset({"router"}),
    "model": frozenset({"router", "service", "repository"}),
    "schema": frozenset({"router", "service", "repository"}),
    "domain": frozenset({"router", "service", "repository"}),
    "exceptions": frozenset({"router", "service", "repository"}),
}
#: Packages a domain module must not import (FAL104).
INFRASTRUCTURE = ("sqlalchemy", "sqlmodel", "alembic", "httpx", "requests", "redis")


def infrastructure(dotted: str) -> bool:
    """``dotted`` is infrastructure (or in it), which a domain module must not import."""
    return dotted.partition(".")[0] in INFRASTRUCTURE


class ImportTargetChecker(Checker):
    """Base of the codes that judge the first-party modules (:meth:`targets`)
    each import statement imports: :meth:`check` runs on every import."""

    def begin(self) -> None:
        self.allowed = self.ctx.config.options(FrameworkImportOptions).allowed_modules

    def visit_Import(self, node: ast.Import) -> None:
        self.check(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.check(node)

    def check(self, node: ast.Import | ast.ImportFrom) -> None:
        raise NotImplementedError

    def targets(self, node: ast.Import | ast.ImportFrom) -> Iterator[ImportTarget]:
        """The first-party modules ``node`` imports, each once (for ``import a, b``:
        once per name).  None of a name that FAL103 or FAL104 reports instead:
        the HTTP framework in a layer that must not import it (and every
        ``from fastapi import ...``), or infrastructure in a domain module."""
        info = self.ctx.info
        layer = self.ctx.layer
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name
                if layer in HTTP_FREE_LAYERS and framework_import(name, self.allowed):
                    continue
                if layer == "domain" and infrastructure(name):
                    continue
                target = info.resolve_import(name)
                if target is not None:
                    yield target
            return
        module, level = node.module, node.level
        if not level and module is not None:
            if is_framework_module(module):
                return
            if layer == "domain" and infrastructure(module):
                return
        seen: set[str] = set()
        for alias in node.names:
            target = info.resolve_import(module, level, alias.name)
            if target is not None and target.relpath not in seen:
                seen.add(target.relpath)
                yield target
