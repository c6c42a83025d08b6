"""Definition-site checks: read the analysed signatures of one module.

``fal-repository-raw-return`` and ``fal-http-type-in-service`` are about a
``def``, not a call, and mypy has no hook that fires per definition (see
python/mypy#13668 and #6537).  When a repository or service module is being
type-checked, the plugin walks that module's *semantically analysed* tree
once (every signature is analysed by then: aliases resolved, imports
followed) and yields its findings; the caller reports them through the
checker of that very module, so they land in the right file, respect its
per-module options and ``# type: ignore[...]`` comments, and are cached and
replayed like mypy's own errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from mypy.errorcodes import ErrorCode
from mypy.nodes import (
    ARG_STAR,
    ARG_STAR2,
    Block,
    ClassDef,
    Decorator,
    FuncDef,
    IfStmt,
    MypyFile,
    OverloadedFuncDef,
    Statement,
)
from mypy.types import AnyType, CallableType, Instance, Type, TypeOfAny, get_proper_type

from .codes import HTTP_TYPE_IN_SERVICE, REPOSITORY_RAW_RETURN
from .typeinfo import describe, http_component, raw_component


@dataclass(frozen=True)
class Finding:
    node: FuncDef
    code: ErrorCode
    message: str


def _defs(body: list[Statement], owner: ClassDef | None) -> Iterator[tuple[FuncDef, ClassDef | None]]:
    """Functions and methods written at module level or in (nested) classes,
    including those under ``if``; not functions nested in functions, and not
    methods a plugin generated (a dataclass's ``__init__``)."""
    for defn, cls in _all_defs(body, owner):
        if not defn.name.isidentifier():
            continue
        if cls is not None:
            sym = cls.info.names.get(defn.name) if cls.info else None
            if sym is not None and sym.plugin_generated:
                continue
        yield defn, cls


def _all_defs(
    body: list[Statement], owner: ClassDef | None
) -> Iterator[tuple[FuncDef, ClassDef | None]]:
    for stmt in body:
        if isinstance(stmt, FuncDef):
            yield stmt, owner
        elif isinstance(stmt, Decorator):
            yield stmt.func, owner
        elif isinstance(stmt, OverloadedFuncDef):
            if stmt.impl is not None:
                impl = stmt.impl
                yield (impl.func if isinstance(impl, Decorator) else impl), owner
            else:
                for item in stmt.items[:1]:
                    yield (item.func if isinstance(item, Decorator) else item), owner
        elif isinstance(stmt, ClassDef):
            yield from _all_defs(stmt.defs.body, stmt)
        elif isinstance(stmt, IfStmt):
            for block in stmt.body:
                yield from _all_defs(block.body, owner)
            if isinstance(stmt.else_body, Block):
                yield from _all_defs(stmt.else_body.body, owner)


def declared_return(defn: FuncDef) -> Type | None:
    """The declared return type (``T`` for ``async def f() -> T``), or None
    when the function has no return annotation."""
    sig = defn.type
    if not isinstance(sig, CallableType) or defn.unanalyzed_type is None:
        return None
    unanalyzed = defn.unanalyzed_type
    if isinstance(unanalyzed, CallableType) and unanalyzed.implicit:
        return None
    ret = sig.ret_type
    if defn.is_coroutine:
        proper = get_proper_type(ret)
        if (
            isinstance(proper, Instance)
            and proper.type.fullname == "typing.Coroutine"
            and len(proper.args) == 3
        ):
            ret = proper.args[2]
    proper_ret = get_proper_type(ret)
    if isinstance(proper_ret, AnyType) and proper_ret.type_of_any == TypeOfAny.unannotated:
        return None
    return ret


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def repository_findings(tree: MypyFile) -> Iterator[Finding]:
    """Public functions and methods of a repository module declared to return raw data."""
    for defn, owner in _defs(tree.defs, None):
        if not _is_public(defn.name) or (owner is not None and not _is_public(owner.name)):
            continue
        ret = declared_return(defn)
        if ret is None:
            continue
        raw = raw_component(ret)
        if raw is None:
            continue
        what = f"method '{owner.name}.{defn.name}'" if owner is not None else f"function '{defn.name}'"
        declared = describe(ret)
        part = describe(raw)
        detail = f"'{declared}'" if part == declared else f"'{declared}' (contains '{part}')"
        yield Finding(
            defn,
            REPOSITORY_RAW_RETURN,
            f"FAL401 repository {what} returns raw data {detail}; "
            "return a domain entity, an ORM model or a schema instead",
        )


def service_findings(tree: MypyFile) -> Iterator[Finding]:
    """Functions and methods of a service module that take or return HTTP types."""
    for defn, owner in _defs(tree.defs, None):
        sig = defn.type
        if not isinstance(sig, CallableType):
            continue
        unanalyzed = defn.unanalyzed_type
        problems: list[str] = []
        skip_first = owner is not None and not defn.is_static
        for index, (name, kind, arg_type) in enumerate(
            zip(sig.arg_names, sig.arg_kinds, sig.arg_types)
        ):
            if index == 0 and skip_first:
                continue
            if isinstance(unanalyzed, CallableType) and index < len(unanalyzed.arg_types):
                pa = get_proper_type(arg_type)
                if isinstance(pa, AnyType) and pa.type_of_any == TypeOfAny.unannotated:
                    continue
            hit = http_component(arg_type)
            if hit is None:
                continue
            prefix = "*" if kind == ARG_STAR else "**" if kind == ARG_STAR2 else ""
            problems.append(f"'{describe(hit)}' (parameter '{prefix}{name}')")
        parts = [f"takes {', '.join(problems)}"] if problems else []
        ret = declared_return(defn)
        if ret is not None:
            hit = http_component(ret)
            if hit is not None:
                parts.append(f"returns '{describe(hit)}'")
        if not parts:
            continue
        what = f"method '{owner.name}.{defn.name}'" if owner is not None else f"function '{defn.name}'"
        yield Finding(
            defn,
            HTTP_TYPE_IN_SERVICE,
            f"FAL103 service {what} {' and '.join(parts)}: HTTP types belong to the edge; "
            "take and return plain values (the router reads the request and builds the response)",
        )
