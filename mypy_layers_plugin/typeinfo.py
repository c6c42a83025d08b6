"""Questions about analysed mypy types: is it raw data, is it an HTTP type.

Only mypy's public node and type classes are used (``mypy.nodes``,
``mypy.types``).  Every walk is bounded and cycle-safe.
"""

from __future__ import annotations

from typing import Callable, Iterable

from mypy.nodes import TypeInfo
from mypy.types import (
    AnyType,
    Instance,
    LiteralType,
    NoneType,
    ProperType,
    TupleType,
    Type,
    TypeAliasType,
    TypedDictType,
    TypeOfAny,
    TypeType,
    UnionType,
    get_proper_type,
)

HTTP_EXCEPTIONS: frozenset[str] = frozenset(
    {"starlette.exceptions.HTTPException", "fastapi.exceptions.HTTPException"}
)

#: Transport types a service must not take or return (RULES.md §11), by the
#: class that defines them; subclasses count.  ``HTTPConnection`` is the base
#: of ``Request`` and ``WebSocket``.
HTTP_TYPES: frozenset[str] = frozenset(
    {
        "starlette.requests.HTTPConnection",
        "starlette.requests.Request",
        "starlette.websockets.WebSocket",
        "starlette.responses.Response",
        "starlette.background.BackgroundTasks",
        "starlette.datastructures.UploadFile",
        "fastapi.background.BackgroundTasks",
        "fastapi.datastructures.UploadFile",
    }
)

#: Raw-data classes for fal-repository-raw-return; subclasses count.
RAW_MAPPINGS: frozenset[str] = frozenset({"builtins.dict", "typing.Mapping"})
RAW_SQL: frozenset[str] = frozenset(
    {
        "sqlalchemy.engine.row.Row",
        "sqlalchemy.engine.row.RowMapping",
        "sqlalchemy.engine.result.Result",
        "sqlalchemy.engine.result.MappingResult",
        "sqlalchemy.engine.cursor.CursorResult",
        "sqlalchemy.ext.asyncio.result.AsyncResult",
        "sqlalchemy.ext.asyncio.result.AsyncMappingResult",
    }
)
#: ``Any`` that the user wrote (or a generic without arguments: bare ``tuple``,
#: ``list``); not the ``Any`` of a missing annotation or an unresolved import.
_RAW_ANY: frozenset[int] = frozenset({TypeOfAny.explicit, TypeOfAny.from_omitted_generics})

_MAX_DEPTH = 8


def has_base(info: TypeInfo, fullnames: Iterable[str]) -> str | None:
    """The first of ``fullnames`` in the MRO of ``info``, or None."""
    wanted = fullnames if isinstance(fullnames, (set, frozenset)) else frozenset(fullnames)
    for base in getattr(info, "mro", None) or ():
        name = getattr(base, "fullname", None)
        if name in wanted:
            return name
    return None


def _walk(
    typ: Type | None,
    hit: Callable[[ProperType], bool],
    *,
    into_types: bool,
    depth: int = 0,
    seen: frozenset[int] = frozenset(),
) -> ProperType | None:
    """The first component of ``typ`` for which ``hit`` is true.

    Looks at the type itself, the members of a union, the items of a tuple and
    the arguments of a generic (``list[X]``, ``Sequence[X]``, ``Page[X]``),
    through type aliases; not into callables or TypedDicts (structured data).
    """
    if typ is None or depth > _MAX_DEPTH:
        return None
    if isinstance(typ, TypeAliasType):
        if id(typ.alias) in seen:
            return None
        seen = seen | {id(typ.alias)}
    proper = get_proper_type(typ)
    if proper is None:
        return None
    if hit(proper):
        return proper
    children: list[Type] = []
    if isinstance(proper, UnionType):
        children = list(proper.items)
    elif isinstance(proper, TupleType):
        fallback = proper.partial_fallback.type.fullname
        if fallback == "builtins.tuple":  # a NamedTuple is structured data
            children = list(proper.items)
    elif isinstance(proper, Instance):
        children = list(proper.args)
    elif isinstance(proper, TypeType) and into_types:
        children = [proper.item]
    for child in children:
        found = _walk(child, hit, into_types=into_types, depth=depth + 1, seen=seen)
        if found is not None:
            return found
    return None


def _is_raw(proper: ProperType) -> bool:
    if isinstance(proper, AnyType):
        return proper.type_of_any in _RAW_ANY
    if isinstance(proper, TupleType):  # SQLAlchemy 2.1's Row is a tuple type
        return has_base(proper.partial_fallback.type, RAW_SQL) is not None
    if isinstance(proper, Instance):
        info = proper.type
        if info.fullname == "builtins.object":
            return True
        if has_base(info, RAW_MAPPINGS) is not None:
            return not _typed_lookup(proper)
        return has_base(info, RAW_SQL) is not None
    return False


_BUILTIN_MODULES = ("builtins.", "typing.", "collections.", "uuid.", "datetime.", "decimal.")


def _is_class(proper: ProperType) -> bool:
    """An instance of a project's (or library's) own class, not a builtin."""
    return isinstance(proper, Instance) and not proper.type.fullname.startswith(_BUILTIN_MODULES)


def _typed_lookup(mapping: Instance) -> bool:
    """``dict[int, User]``, ``Mapping[UUID, list[Order]]``, ``dict[UUID, int]``: a
    lookup of typed values, as FAL401 sees it: its values have no raw part and
    hold a class, or its keys are not strings (ids, enums)."""
    if len(mapping.args) != 2:
        return False
    key, value = mapping.args
    if raw_component(value) is not None or raw_component(key) is not None:
        return False
    if _walk(value, _is_class, into_types=False) is not None:
        return True
    proper_key = get_proper_type(key)
    return not (
        isinstance(proper_key, Instance)
        and proper_key.type.fullname in ("builtins.str", "builtins.bytes")
    )


def raw_component(typ: Type | None) -> ProperType | None:
    """The part of a return type that is raw data (``dict``, ``Mapping``,
    ``Any``, ``object``, ``Row``, ``RowMapping``, ``Result``), or None."""
    if isinstance(get_proper_type(typ), TypedDictType):
        return None
    return _walk(typ, _is_raw, into_types=False)


def _is_http(proper: ProperType) -> bool:
    return isinstance(proper, Instance) and has_base(proper.type, HTTP_TYPES) is not None


def http_component(typ: Type | None) -> ProperType | None:
    """The part of a parameter or return type that is an HTTP transport type."""
    return _walk(typ, _is_http, into_types=True)


def describe(typ: Type | None, depth: int = 0) -> str:
    """A short, readable rendering of a type for messages: ``dict[str, Any]``."""
    if typ is None:
        return "?"
    if depth > 4:
        return "..."
    if isinstance(typ, TypeAliasType) and typ.alias is not None:
        name = typ.alias.name
        if typ.args:
            return f"{name}[{', '.join(describe(a, depth + 1) for a in typ.args)}]"
        return name
    proper = get_proper_type(typ)
    if isinstance(proper, AnyType):
        return "Any"
    if isinstance(proper, NoneType):
        return "None"
    if isinstance(proper, Instance):
        name = proper.type.name
        if proper.type.fullname == "builtins.tuple" and len(proper.args) == 1:
            return f"tuple[{describe(proper.args[0], depth + 1)}, ...]"
        if proper.args:
            return f"{name}[{', '.join(describe(a, depth + 1) for a in proper.args)}]"
        return name
    if isinstance(proper, UnionType):
        return " | ".join(describe(i, depth + 1) for i in proper.items)
    if isinstance(proper, TupleType):
        if proper.partial_fallback.type.fullname != "builtins.tuple":
            return proper.partial_fallback.type.name
        return f"tuple[{', '.join(describe(i, depth + 1) for i in proper.items)}]"
    if isinstance(proper, TypeType):
        return f"type[{describe(proper.item, depth + 1)}]"
    if isinstance(proper, LiteralType):
        return f"Literal[{proper.value_repr()}]"
    if isinstance(proper, TypedDictType):
        return proper.fallback.type.name
    return str(proper)
