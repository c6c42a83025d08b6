"""FAL705 `environment-read-outside-config`: ``os.environ``/``os.getenv`` read
outside the config layer (RULES.md §8)."""

from __future__ import annotations

import ast
from typing import Iterator

from ...catalogue import Rule, Scope
from ...checker import Checker
from ...names import dotted
from ._common import str_value

RULE = Rule(
    code="FAL705",
    name="environment-read-outside-config",
    message="{where} reads the environment ('{expr}'); "
    "read settings from a pydantic-settings BaseSettings in the config layer",
    summary="`os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)` (however "
    "imported), or `'X' in os.environ`, outside the `config` layer.",
    rationale="Configuration lives in one place: a pydantic-settings "
    "`BaseSettings` in the config layer that validates and types every variable "
    "at start-up (guidelines 000 §5, 001 'Configuration and Secrets', 002). "
    "Scattered environment reads are untyped, unvalidated and invisible to "
    "whoever deploys the service.",
    fix="Add a field to the settings class and depend on `settings` (or "
    "`Depends(get_settings)`).",
    bad="""\
# app/services/payment_service.py
from __future__ import annotations

import os

PAYMENT_TIMEOUT = float(os.getenv("PAYMENT_TIMEOUT", "10"))
""",
    good="""\
# app/services/payment_service.py
from __future__ import annotations

from app.core.config import settings

PAYMENT_TIMEOUT = settings.payment_timeout
""",
    scope=Scope(except_layers=frozenset({"config", "test", "migration"})),
    reported_on="the environment read",
    limits="Writes are not reads: `os.environ['X'] = ...`, `del os.environ['X']` "
    "and `os.environ.setdefault(...)` as a statement are not reported "
    "(`setdefault` whose result is used is). Passing the whole environment on "
    "(`dict(os.environ)`, `env={**os.environ}`) is not a settings read. Reads "
    "inside the body of a class deriving from pydantic's or pydantic-settings' "
    "`BaseSettings` are configuration wherever that class lives and are not "
    "reported. Alembic's `env.py` is not in `migration` (only `versions/` is). "
    "Reading a variable that the same function (or the module's top level) "
    "also writes with `os.environ['X'] = ...` adjusts the process environment "
    "(`os.environ['PATH'] = os.getenv('PATH', '') + ':/opt/bin'`) and is not "
    "reported; the key must be a string literal in both places.",
)

ENV_READ_CALLS = frozenset({"os.getenv", "os.getenvb", "os.environ.get", "os.environb.get"})
ENVIRONS = frozenset({"os.environ", "os.environb"})
SETTINGS_BASES = frozenset(
    {
        "pydantic_settings.BaseSettings",
        "pydantic_settings.main.BaseSettings",
        "pydantic.BaseSettings",
        "pydantic.v1.BaseSettings",
        "pydantic.env_settings.BaseSettings",
    }
)


def _maybe_environ(node: ast.AST) -> bool:
    """Cheap pre-check: ``<x>.environ`` or any bare name (``from os import environ as E``)."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("environ", "environb")
    return isinstance(node, ast.Name)


class EnvironmentReadOutsideConfig(Checker):
    rule = RULE

    def begin(self) -> None:
        layer = self.ctx.layer
        self.where = f"{layer} module" if layer else "module outside the config layer"
        #: the environment keys the module's top level writes (computed on first use)
        self.module_written: frozenset[str] | None = None

    def _report(self, node: ast.AST, expr: str, key: ast.expr | None = None) -> None:
        if self._in_settings_class():
            return
        name = str_value(key)
        if name is not None and name in self._written_keys():
            return  # os.environ["PATH"] = os.getenv("PATH", "") + ":/opt/bin"
        self.report(node, where=self.where, expr=expr)

    def _written_keys(self) -> frozenset[str]:
        """Keys the enclosing function (or the module's top level) writes with
        ``os.environ[key] = ...``: reading one there adjusts the process
        environment (read-modify-write), it does not read a setting."""
        frame = self.ctx.frame
        if frame is not None:
            node = frame.node
            return self.frame_state(frame, lambda: self._environ_writes(ast.walk(node)))
        if self.module_written is None:
            # the top level only, not the bodies of functions and classes
            self.module_written = self._environ_writes(
                node
                for stmt in self.ctx.tree.body
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                for node in ast.walk(stmt)
            )
        return self.module_written

    def _environ_writes(self, nodes: Iterator[ast.AST]) -> frozenset[str]:
        """The literal keys of ``os.environ[key] = ...`` (or ``+=``) among ``nodes``."""
        keys = set()
        for node in nodes:
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if (
                        isinstance(target, ast.Subscript)
                        and self.ctx.names.qualname(target.value) in ENVIRONS
                    ):
                        key = str_value(target.slice)
                        if key is not None:
                            keys.add(key)
        return frozenset(keys)

    def _in_settings_class(self) -> bool:
        names = self.ctx.names
        return any(
            names.qualname(base) in SETTINGS_BASES
            for cls in self.ctx.classes
            for base in cls.bases
        )

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        value = node.value
        if _maybe_environ(value) and self.ctx.names.qualname(value) in ENVIRONS:
            self._report(node, f"{dotted(value) or 'os.environ'}[...]", node.slice)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in ("get", "getenv", "getenvb", "setdefault"):
                return
        elif not isinstance(func, ast.Name):
            return
        qualified = self.ctx.names.qualname(func)
        if qualified in ENV_READ_CALLS:
            key = node.args[0] if node.args else None
            self._report(node, f"{dotted(func) or qualified}(...)", key)
        elif qualified == "os.environ.setdefault" and not isinstance(self.ctx.parent, ast.Expr):
            self._report(node, f"{dotted(func) or qualified}(...)")

    def visit_Compare(self, node: ast.Compare) -> None:
        for op, comparator in zip(node.ops, node.comparators):
            if (
                isinstance(op, (ast.In, ast.NotIn))
                and _maybe_environ(comparator)
                and self.ctx.names.qualname(comparator) in ENVIRONS
            ):
                self._report(node, f"... in {dotted(comparator) or 'os.environ'}")
