"""A second mypy plugin for the pass-through test.

It hooks names mypy_layers_plugin also hooks and changes what mypy infers
there, so the test sees whether both plugins ran.
"""

from __future__ import annotations

from typing import Callable

from mypy.plugin import FunctionContext, FunctionSigContext, MethodSigContext, Plugin
from mypy.types import FunctionLike, Type


def _returns_int(ctx: FunctionSigContext | MethodSigContext) -> FunctionLike:
    return ctx.default_signature.copy_modified(
        ret_type=ctx.api.named_generic_type("builtins.int", [])
    )


def _returns_str(ctx: FunctionContext) -> Type:
    return ctx.api.named_generic_type("builtins.str", [])


class OtherPlugin(Plugin):
    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return _returns_int if fullname == "time.sleep" else None

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        return _returns_int if fullname == "sqlalchemy.orm.session.Session.commit" else None

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return _returns_str if fullname == "app.errors.Conflict" else None


def plugin(version: str) -> type[Plugin]:
    return OtherPlugin
