"""Facts about code that several rule families share.

Route handlers, session-like objects, ``HTTPException``, SQLAlchemy query
builders, HTTP responses: each is decided here once, with names resolved
through the module's imports (RULES.md §12), so that every rule agrees.
"""

from __future__ import annotations

import ast
import functools
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .names import Names

from .checker import UNSET
from .evidence import ROUTE_METHODS, route_decorator

if TYPE_CHECKING:
    from .checker import Context, Frame

#: The HTTP framework packages (RULES.md FAL103); look-alikes are not them.
FRAMEWORK_PACKAGES = ("fastapi", "starlette")

HTTP_EXCEPTIONS = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.exceptions.HTTPException",
    }
)

#: Response classes of fastapi/starlette, by qualified name.
RESPONSE_CLASS_NAMES = frozenset(
    {
        "Response",
        "JSONResponse",
        "HTMLResponse",
        "PlainTextResponse",
        "RedirectResponse",
        "StreamingResponse",
        "FileResponse",
        "ORJSONResponse",
        "UJSONResponse",
    }
)
RESPONSE_CLASSES = frozenset(
    f"{module}.{name}"
    for module in ("fastapi", "fastapi.responses", "starlette.responses")
    for name in RESPONSE_CLASS_NAMES
)


#: Names that mark a session-like object by name alone (RULES.md FAL202).
SESSION_NAMES = frozenset({"db", "session", "db_session"})
#: ``request.session`` is Starlette's session *dict*: owners of a ``.session``
#: attribute that are HTTP connections, by name or annotation.
CONNECTION_NAMES = frozenset({"request", "req", "websocket", "ws", "conn", "connection"})
CONNECTION_TYPES = frozenset({"Request", "WebSocket", "HTTPConnection"})
#: Packages whose "sessions" are HTTP or cloud clients, not databases.
CLIENT_PACKAGES = frozenset(
    {"aiohttp", "httpx", "requests", "boto3", "aioboto3", "botocore", "aiobotocore", "starlette"}
)
#: Annotation names that mark a session-like parameter.
SESSION_TYPES = frozenset({"Session", "AsyncSession"})

_SQLA_BUILDER_MODULES = (
    "sqlalchemy",
    "sqlalchemy.sql",
    "sqlalchemy.sql.expression",
    "sqlalchemy.future",
    "sqlmodel",
    "sqlmodel.sql.expression",
)
SQL_BUILDERS = frozenset(
    f"{module}.{name}" for module in _SQLA_BUILDER_MODULES for name in ("select", "text")
)


def last_name(node: ast.AST) -> str | None:
    """``c`` for ``c`` or ``a.b.c``, else None (no import resolution)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


#: String annotations longer than this are not read (a rule treats them as
#: unparsable, like a syntax error): real ones are far shorter, and CPython's
#: parser fails on long pathological strings with ``MemoryError`` (``"a b a b
#: …"``) or ``RecursionError`` (``"-----…1"``) at about 3,000 characters.
MAX_ANNOTATION_CHARS = 1000
#: Parsed string annotations nested deeper than this are not read either:
#: rule helpers and ``ast.unparse`` recurse on them.
MAX_ANNOTATION_DEPTH = 40


def parse_string_annotation(node: ast.AST) -> ast.expr | None:
    """The expression inside a string annotation (``"dict[str, Any]"``), if it parses.

    The one reader of annotation strings for every rule: bounded in length
    (:data:`MAX_ANNOTATION_CHARS`) and depth (:data:`MAX_ANNOTATION_DEPTH`);
    whatever is beyond them, or does not parse, is None.
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return parse_annotation_text(node.value)
    return None


@functools.lru_cache(maxsize=512)
def parse_annotation_text(text: str) -> ast.expr | None:
    """:func:`parse_string_annotation` of a string's text (cached: several rules
    read the same annotation; callers never change the tree)."""
    text = text.strip()
    if len(text) > MAX_ANNOTATION_CHARS:
        return None
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" & co: not ours to print
            warnings.simplefilter("ignore")
            body = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ValueError: NUL on 3.10
        return None
    pending: list[tuple[ast.AST, int]] = [(body, 1)]
    while pending:
        current, depth = pending.pop()
        if depth > MAX_ANNOTATION_DEPTH:
            return None
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(current))
    return body


def unquote_annotation(node: ast.expr) -> ast.expr | None:
    """A string annotation parsed, any other annotation as it is; None if unparsable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return parse_string_annotation(node)
    return node


def is_framework_module(dotted: str) -> bool:
    """``fastapi``, ``starlette`` and their submodules; not ``fastapi_users``."""
    top = dotted.partition(".")[0]
    return top in FRAMEWORK_PACKAGES


def is_http_exception(node: ast.AST, names: Names) -> bool:
    """``node`` (a callee or a raised name) is fastapi/starlette ``HTTPException``."""
    return names.qualname(node) in HTTP_EXCEPTIONS


def keyword(node: ast.Call | ast.ClassDef, name: str) -> ast.expr | None:
    """The value of keyword argument ``name`` of a call (or a class statement:
    ``class M(SQLModel, table=True)``), or None; the first one if repeated."""
    for found in node.keywords:
        if found.arg == name:
            return found.value
    return None


# -- routes -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A route handler's decorator: ``@<x>.<method>(path, **keywords)``."""

    decorator: ast.Call
    method: str
    path: str | None  # the literal path, if it is a string literal


def route_of(func: ast.AST) -> Route | None:
    """The route decorator of a function, or None if it is not a route handler
    (the shape is :func:`~.evidence.route_decorator`'s, which layer detection
    uses too: a module is a router by the same test)."""
    found = route_decorator(func)
    if found is None:
        return None
    decorator, method, path_node = found
    path = path_node.value if isinstance(path_node, ast.Constant) else None
    return Route(decorator, method, path if isinstance(path, str) else None)


def frame_route(frame: Frame) -> Route | None:
    """Route info of a frame's function, computed once per function."""
    if frame.route is UNSET:
        frame.route = route_of(frame.node)
    route: Route | None = frame.route
    return route


# -- session-like objects -----------------------------------------------------


def annotation_names(annotation: ast.AST | None) -> Iterator[str]:
    """Last components of the types an annotation names.

    ``Session``, ``orm.Session``, ``"AsyncSession"``, ``Optional[Session]``,
    ``Session | None`` and ``Annotated[AsyncSession, Depends(...)]`` all yield
    the session type.  Iterative: unions can be arbitrarily long.
    """
    pending: list[ast.AST | None] = [annotation]
    while pending:
        node = pending.pop()
        if node is None:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            pending.append(parse_string_annotation(node))
        elif isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.Subscript):
            outer = node.value
            outer_name = outer.id if isinstance(outer, ast.Name) else getattr(outer, "attr", None)
            inner = node.slice
            if outer_name == "Annotated" and isinstance(inner, ast.Tuple) and inner.elts:
                pending.append(inner.elts[0])
            elif outer_name in ("Optional", "Union"):
                elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                pending.extend(reversed(elements))
            elif outer_name is not None:
                yield outer_name
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            pending.append(node.right)
            pending.append(node.left)


def all_args(args: ast.arguments) -> list[ast.arg]:
    """Every parameter of a signature: positional-only, positional, keyword-only, ``*``, ``**``."""
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg:
        found.append(args.vararg)
    if args.kwarg:
        found.append(args.kwarg)
    return found


def session_params(frame: Frame) -> frozenset[str]:
    """Parameters of a frame's function that are session-like (cached)."""
    if frame.session_params is UNSET:
        frame.session_params = frozenset(
            arg.arg
            for arg in all_args(frame.node.args)
            if arg.arg in SESSION_NAMES
            or any(name in SESSION_TYPES for name in annotation_names(arg.annotation))
        )
    params: frozenset[str] = frame.session_params
    return params


def param_annotation(name: str, ctx: Context) -> ast.expr | None:
    """The annotation of the innermost enclosing function's parameter ``name``."""
    for frame in reversed(ctx.frames):
        for arg in all_args(frame.node.args):
            if arg.arg == name:
                return arg.annotation
    return None


def is_client_type(node: ast.AST | None, ctx: Context) -> bool:
    """An annotation or call naming a class of an HTTP/cloud client package."""
    if isinstance(node, ast.Call):
        node = node.func
    if node is None:
        return False
    qualified = ctx.names.qualname(node)
    return qualified is not None and qualified.partition(".")[0] in CLIENT_PACKAGES


def is_session_like(node: ast.AST, ctx: Context) -> bool:
    """A database session by name or annotation (RULES.md FAL202/FAL303).

    ``db``, ``session``, ``db_session``, a parameter annotated ``Session`` or
    ``AsyncSession`` of any enclosing function, and attributes of those names
    (``self.db``, ``self._session``).  Not: a parameter so named but annotated
    with an HTTP client type (``session: aiohttp.ClientSession``), nor
    ``request.session`` / ``websocket.session`` (Starlette's session dict).
    """
    if isinstance(node, ast.Name):
        if node.id in SESSION_NAMES:
            return not is_client_type(param_annotation(node.id, ctx), ctx)
        return any(node.id in session_params(frame) for frame in ctx.frames)
    if isinstance(node, ast.Attribute):
        if node.attr.lstrip("_") not in SESSION_NAMES:
            return False
        owner = node.value
        if node.attr == "session" and isinstance(owner, ast.Name):
            if owner.id in CONNECTION_NAMES:
                return False
            annotation = param_annotation(owner.id, ctx)
            if any(name in CONNECTION_TYPES for name in annotation_names(annotation)):
                return False
        return True
    return False


def session_method_call(node: ast.AST, methods: frozenset[str], ctx: Context) -> str | None:
    """``<session>.<method>(...)`` with method in ``methods``: the method name."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in methods
        and is_session_like(node.func.value, ctx)
    ):
        return node.func.attr
    return None


def sql_builder(node: ast.AST, names: Names) -> str | None:
    """``select``/``text`` when ``node`` calls SQLAlchemy's (or SQLModel's) builder."""
    qualified = names.call_name(node)
    if qualified in SQL_BUILDERS:
        return qualified.rpartition(".")[2]
    return None
