"""FAL6xx: typing discipline on the architecture surfaces (RULES.md §7).

Every module but the ``migration`` and ``test`` layers.  FAL602-FAL604 check
functions and methods of modules that have a layer (``annotations-everywhere =
true`` widens them to every module); FAL605 finds ``type: ignore`` comments
with a regex and tells them from strings with the tree (no full tokenize);
FAL601 looks at the module's first statements only.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Iterator, Sequence

from ..analysis import parse_string_annotation
from ..catalogue import Rule, Scope
from ..checker import Checker, Context

FunctionDef = ast.FunctionDef | ast.AsyncFunctionDef

#: Layers the whole family skips.
EXEMPT_LAYERS = frozenset({"migration", "test"})

ANY_TYPES = frozenset({"typing.Any", "typing_extensions.Any"})
#: What makes ``dict[K, V]`` a blob rather than a mapping: V is one of these.
BLOB_VALUE_TYPES = ANY_TYPES | {"builtins.object"}
DICT_TYPES = frozenset({"builtins.dict", "typing.Dict", "typing_extensions.Dict"})
#: ``Optional[...]``/``Union[...]``/``Annotated[...]`` and the sequence
#: wrappers FAL606 looks through (``list[dict[str, Any]]`` is a list of blobs).
OPTIONAL_TYPES = frozenset({"typing.Optional", "typing_extensions.Optional"})
UNION_TYPES = frozenset({"typing.Union", "typing_extensions.Union"})
ANNOTATED_TYPES = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
LITERAL_TYPES = frozenset({"typing.Literal", "typing_extensions.Literal"})
SEQUENCE_TYPES = frozenset(
    {
        "builtins.list",
        "typing.List",
        "typing.Sequence",
        "collections.abc.Sequence",
    }
)
STATICMETHOD = frozenset({"builtins.staticmethod", "staticmethod"})
#: Pydantic decorators whose function's types are dictated by pydantic: a
#: ``mode="before"`` validator takes and returns the raw input dict (or ``Any``),
#: a serializer returns the dict it serializes to, a computed field is a field.
PYDANTIC_HOOKS = frozenset(
    {
        "validator",
        "root_validator",
        "field_validator",
        "model_validator",
        "field_serializer",
        "model_serializer",
        "computed_field",
    }
)
#: Overrides of pydantic's own dict-returning methods: the base fixes the type.
PYDANTIC_DICT_METHODS = frozenset({"model_dump", "model_json_schema", "dict"})
#: Dunder methods whose signature FAL607 still checks (the public constructor
#: and call signatures); other dunders implement a protocol whose types are
#: dictated by it (``__exit__``, ``__eq__``, ``__getstate__``).
PUBLIC_DUNDERS = frozenset({"__init__", "__new__", "__call__"})

#: ``# type: ignore`` inside a comment token: what follows ``ignore`` must not
#: continue a word (``ignored``, ``ignore-errors`` are not the directive).
TYPE_IGNORE_RE = re.compile(r"#\s*type:\s*ignore(?![\w-])")
#: The rest after ``ignore``: optional ``[codes]``, then optional ``# why``.
IGNORE_TAIL_RE = re.compile(r"\s*(?:\[(?P<codes>[^\]#]*)\])?(?P<rest>.*)\Z", re.DOTALL)
#: Comment segments that are another tool's directive, not an explanation
#: (``expect:`` is this project's fixture marker).
DIRECTIVE_RE = re.compile(
    r"\s*(?:noqa\b|type:|pyright:|mypy:|pragma\b|nosec\b|fmt:|isort:|pylint:|ruff:|expect:)",
    re.IGNORECASE,
)

#: Modules the family applies to, and the architecture surfaces in them.
TYPED_MODULES = Scope(except_layers=EXEMPT_LAYERS)
SURFACES = Scope(except_layers=EXEMPT_LAYERS, layered=True, subject="functions and methods")
PUBLIC_SURFACES = Scope(except_layers=EXEMPT_LAYERS, subject="public functions and methods")

RULES: tuple[Rule, ...] = (
    Rule(
        code="FAL601",
        name="missing-future-annotations",
        message="{subject} lacks 'from __future__ import annotations'; "
        "add it as the first import of the module",
        summary="A module that has code does not start with "
        "`from __future__ import annotations`.",
        rationale="The typing rules ask for `from __future__ import annotations` at the "
        "top of every module: annotations become lazy strings, so forward references "
        "and `X | None` work everywhere, type-only imports can live under "
        "`if TYPE_CHECKING:`, and every module follows the same typing conventions.",
        fix="Add `from __future__ import annotations` after the module docstring "
        "(ruff/isort `required-imports` can add it automatically).",
        bad='''\
# app/services/user_service.py
"""User use cases."""
from app.repositories.user_repository import UserRepository
''',
        good='''\
# app/services/user_service.py
"""User use cases."""
from __future__ import annotations

from app.repositories.user_repository import UserRepository
''',
        scope=TYPED_MODULES,
        reported_on="line 1",
        limits="Modules with no code are exempt: an empty file, or one holding only "
        "comments, a docstring, `pass` or `...` (an empty `__init__.py`). A re-export "
        "`__init__.py` (imports and `__all__`) has code and needs the import: it is one "
        "line, auto-fixers add it, and the first function added later is covered. Stub "
        "files (`.pyi`) are exempt: their annotations are never evaluated.",
    ),
    Rule(
        code="FAL602",
        name="unannotated-parameter",
        message="{subject} has unannotated parameter(s) {params}; annotate every parameter",
        summary="A function or method of a layered module has a parameter without a type "
        "annotation (`self`/`cls` excepted; `*args`/`**kwargs` are FAL604).",
        rationale="All function signatures must have full type annotations: the "
        "signatures of routers, services and repositories are the contracts between "
        "layers, and an unannotated parameter is `Any` to the type checker.",
        fix="Annotate the parameter with the type callers pass.",
        bad="""\
# app/services/user_service.py
from __future__ import annotations

from app.domain.user import User
from app.repositories.user_repository import UserRepository


async def register(users: UserRepository, email, name: str) -> User:
    return await users.add(User(email=email, name=name))
""",
        good="""\
# app/services/user_service.py
from __future__ import annotations

from app.domain.user import User
from app.repositories.user_repository import UserRepository


async def register(users: UserRepository, email: str, name: str) -> User:
    return await users.add(User(email=email, name=name))
""",
        scope=SURFACES,
        reported_on="the `def` line",
        limits="The first parameter of a method (a def directly in a class body that is "
        "not a `@staticmethod`) is exempt whatever its name: `self`, `cls` of a "
        "`@classmethod`, `__new__`, `__init_subclass__`, a metaclass's `mcs`. Functions "
        "nested in a function (closures, decorator wrappers, methods of local classes) "
        "are not architecture surfaces and are left to `mypy --strict`; so are lambdas.",
    ),
    Rule(
        code="FAL603",
        name="missing-return-annotation",
        message="{subject} has no return annotation; annotate it ({hint})",
        summary="A function or method of a layered module has no return annotation "
        "(`__init__` included: `-> None`).",
        rationale="All function signatures must have full type annotations; without a "
        "return annotation callers get `Any` and layer contracts (a repository returning "
        "typed objects, a service returning a domain type) cannot be checked.",
        fix="Add the return type; `-> None` for functions that return nothing, "
        "including `__init__`.",
        bad="""\
# app/services/user_service.py
from __future__ import annotations

from app.repositories.user_repository import UserRepository


class UserService:
    def __init__(self, users: UserRepository):
        self.users = users
""",
        good="""\
# app/services/user_service.py
from __future__ import annotations

from app.repositories.user_repository import UserRepository


class UserService:
    def __init__(self, users: UserRepository) -> None:
        self.users = users
""",
        defers_to=("FAL401", "FAL206"),
        scope=SURFACES,
        reported_on="the `def` line",
        limits="Nested functions and lambdas are exempt (see FAL602). A public function or "
        "method of a repository module without a return annotation is left to FAL401, "
        "which reports exactly that there (unless FAL401 is disabled in "
        "`[tool.fastapi-layers]`). A route handler with neither a return annotation nor "
        "`response_model=` is reported by both FAL206 (declare the response type) and "
        "FAL603 (complete the signature): `response_model=` alone satisfies FAL206 only; "
        "a return annotation fixes both.",
    ),
    Rule(
        code="FAL604",
        name="untyped-star-args",
        message="{subject} leaves {params} untyped; annotate or spell out the parameters",
        summary="`*args` or `**kwargs` of a function or method of a layered module has no "
        "annotation.",
        rationale="Untyped `**kwargs` are forbidden by the typing rules: they accept "
        "anything, so a typo in a keyword or a wrong value type reaches the service or "
        "repository unchecked.",
        fix="List the parameters explicitly, or annotate them (`**filters: str`, "
        "`**kwargs: Unpack[UserFilters]`).",
        bad="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def find_users(session: AsyncSession, **filters) -> list[User]:
    return list(await session.scalars(select(User).filter_by(**filters)))
""",
        good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def find_users(session: AsyncSession, **filters: str) -> list[User]:
    return list(await session.scalars(select(User).filter_by(**filters)))
""",
        scope=SURFACES,
        reported_on="the `def` line",
        limits="Nested functions (decorator wrappers forwarding `*args, **kwargs`) and "
        "lambdas are exempt (see FAL602).",
    ),
    Rule(
        code="FAL605",
        name="unexplained-type-ignore",
        message="'# type: ignore' {problem}; write '# type: ignore[<error-code>]  # <why>'",
        summary="A `# type: ignore` comment lacks an error code in brackets or an "
        "explanation after it.",
        rationale="`# type: ignore` without explanation is forbidden: a bare ignore hides "
        "every error on the line, including ones introduced later, and nobody can tell "
        "whether it is still needed.",
        fix="Name the error code(s) and say why: "
        "`# type: ignore[arg-type]  # stubs lag upstream`.",
        bad="""\
# app/services/crm_service.py
from __future__ import annotations

from legacy_crm import lookup  # type: ignore
""",
        good="""\
# app/services/crm_service.py
from __future__ import annotations

from legacy_crm import lookup  # type: ignore[import-untyped]  # the vendor ships no stubs
""",
        scope=TYPED_MODULES,
        reported_on="the line of the comment",
        limits="Only comments count (told apart from strings as tokenize does): "
        "`# type: ignore` inside a string "
        "is not flagged. Spacing variants (`#type:ignore[x]#why`) are accepted. The "
        "explanation must follow the bracket after a `#` and must not be only another "
        "tool's directive (`# noqa: E501`). Other tools' ignores (`# pyright: ignore`) "
        "are not checked.",
    ),
    Rule(
        code="FAL606",
        name="bare-dict-return",
        message="{subject} returns {annotation}; return a typed model "
        "(pydantic model, dataclass or TypedDict) for structured data",
        summary="A public function or method is annotated to return `dict`, `Dict`, "
        "`dict[str, Any]` or `Dict[str, Any]`.",
        rationale="A bare dict return for structured data is forbidden: its keys and value "
        "types are invisible to the type checker and to readers, and every caller "
        "re-learns its shape.",
        fix="Return a pydantic model, a dataclass or a `TypedDict`.",
        bad="""\
# app/services/profile_service.py
from __future__ import annotations

from app.domain.user import User


def profile_of(user: User) -> dict:
    return {"name": user.name, "email": user.email}
""",
        good="""\
# app/services/profile_service.py
from __future__ import annotations

from app.domain.user import User
from app.schemas.profile import Profile


def profile_of(user: User) -> Profile:
    return Profile(name=user.name, email=user.email)
""",
        defers_to=("FAL401",),
        scope=PUBLIC_SURFACES,
        reported_on="the `def` line",
        limits="Flagged: bare `dict`/`Dict`/`typing.Dict` and a dict whose value type is "
        "`Any` or `object` (`dict[str, Any]`, `Dict[Any, Any]`), also as `Optional[...]`, "
        "`X | None`, a `Union` member, the first argument of `Annotated`, or the item of "
        "`list`/`List`/`Sequence`; string annotations are read too. A dict with a real "
        "value type (`dict[str, int]`) is a mapping, not structured data, and is not "
        "flagged; neither is `Mapping`. Type aliases are not followed: for genuinely "
        "free-form JSON (a JSON schema, a provider payload) name it, "
        "`JSONObject = dict[str, Any]`, and return the alias. Exempt: private functions "
        "(leading `_`), methods of private classes, nested functions, dunder methods "
        "(types dictated by a protocol, e.g. `__getstate__`), pydantic validators and "
        "serializers (`@field_validator`, `@model_validator`, `@root_validator`, "
        "`@validator`, `@field_serializer`, `@model_serializer`, `@computed_field`: "
        "pydantic dictates their types) and overrides of pydantic's `model_dump`, "
        "`model_json_schema` and `dict`. Repository modules are left to FAL401, which "
        "covers dict returns there (unless FAL401 is disabled in `[tool.fastapi-layers]`).",
    ),
    Rule(
        code="FAL607",
        name="any-in-public-signature",
        message="{subject} uses Any in its signature ({where}); "
        "use a precise type, a TypeVar or a Protocol",
        summary="`typing.Any` appears in a parameter or return annotation of a public "
        "function or method.",
        rationale="The guidelines say to avoid `Any`: it switches type checking off for "
        "everything that flows through the signature, across layer boundaries.",
        fix="Use the precise type, a `TypeVar`, a `Protocol` or `object`.",
        bad="""\
# app/services/audit_service.py
from __future__ import annotations

from typing import Any

from app.repositories.audit_repository import AuditRepository


async def record(audit: AuditRepository, event: Any) -> None:
    await audit.add(event)
""",
        good="""\
# app/services/audit_service.py
from __future__ import annotations

from app.domain.audit import AuditEvent
from app.repositories.audit_repository import AuditRepository


async def record(audit: AuditRepository, event: AuditEvent) -> None:
    await audit.add(event)
""",
        scope=PUBLIC_SURFACES,
        reported_on="the `def` line",
        default_on=False,
        limits="`Any` is resolved through the imports (`typing.Any`, "
        "`typing_extensions.Any`, `import typing as t; t.Any`), also inside string "
        "annotations and nested types; values inside `Literal[...]`, `Annotated` "
        "metadata and calls (`Depends(...)`) are not types and are skipped. Exempt: "
        "private functions, methods of private classes, nested functions, dunder methods "
        "other than `__init__`, `__new__` and `__call__`, and pydantic validators and "
        "serializers (a `mode=\"before\"` validator takes `Any` by design). Type aliases "
        "are not followed.",
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}

# -- helpers (candidates for analysis.py: annotation reading is shared by FAL401) --


def subscript_items(node: ast.Subscript) -> list[ast.expr]:
    """The type arguments of ``X[a, b]`` (``[a]`` for ``X[a]``)."""
    inner = node.slice
    if isinstance(inner, ast.Tuple):
        return list(inner.elts)
    return [inner]


class TypeReader:
    """Reads annotations with names resolved through the module's imports."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def qualname(self, node: ast.AST) -> str | None:
        return self.ctx.names.qualname(node)

    def is_blob_dict(self, node: ast.AST | None, depth: int = 0) -> bool:
        """``dict``/``Dict`` bare, or with value type Any/object, possibly wrapped."""
        if node is None or depth > 8:
            return False
        parsed = parse_string_annotation(node)
        if parsed is not None:
            return self.is_blob_dict(parsed, depth + 1)
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self.qualname(node) in DICT_TYPES
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.is_blob_dict(node.left, depth + 1) or self.is_blob_dict(
                node.right, depth + 1
            )
        if not isinstance(node, ast.Subscript):
            return False
        base = self.qualname(node.value)
        items = subscript_items(node)
        if base in DICT_TYPES:
            return len(items) == 2 and self.is_any(items[1], BLOB_VALUE_TYPES)
        if base in UNION_TYPES:
            return any(self.is_blob_dict(item, depth + 1) for item in items)
        if base in OPTIONAL_TYPES or base in SEQUENCE_TYPES or base in ANNOTATED_TYPES:
            return self.is_blob_dict(items[0], depth + 1)
        return False

    def is_any(self, node: ast.AST, names: frozenset[str] = ANY_TYPES) -> bool:
        parsed = parse_string_annotation(node)
        if parsed is not None:
            node = parsed
        return isinstance(node, (ast.Name, ast.Attribute)) and self.qualname(node) in names

    def mentions_any(self, node: ast.AST | None) -> bool:
        """``Any`` anywhere in a type expression (not in Literal values or metadata)."""
        if node is None:
            return False
        pending: list[tuple[ast.AST, int]] = [(node, 0)]
        while pending:
            current, depth = pending.pop()
            if depth > 8:
                continue
            if isinstance(current, (ast.Name, ast.Attribute)):
                if self.qualname(current) in ANY_TYPES:
                    return True
            elif isinstance(current, ast.Constant):
                parsed = parse_string_annotation(current)
                if parsed is not None:
                    pending.append((parsed, depth + 1))
            elif isinstance(current, ast.Subscript):
                base = self.qualname(current.value)
                if base in LITERAL_TYPES:
                    continue
                items = subscript_items(current)
                if base in ANNOTATED_TYPES:
                    items = items[:1]
                pending.extend((item, depth + 1) for item in items)
                pending.append((current.value, depth + 1))
            elif isinstance(current, ast.BinOp):
                pending.append((current.left, depth + 1))
                pending.append((current.right, depth + 1))
            elif isinstance(current, (ast.Tuple, ast.List)):
                pending.extend((item, depth + 1) for item in current.elts)
            # calls, lambdas, ...: values, not types
        return False


def _all_params(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def _is_staticmethod(func: FunctionDef, ctx: Context) -> bool:
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id == "staticmethod":
            return True
        if ctx.names.qualname(decorator) in STATICMETHOD:
            return True
    return False


def _is_pydantic_hook(func: FunctionDef, ctx: Context) -> bool:
    """Decorated with a pydantic validator or serializer (however imported)."""
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = ctx.names.qualname(target)
        if (
            qualified is not None
            and qualified.partition(".")[0] == "pydantic"
            and qualified.rpartition(".")[2] in PYDANTIC_HOOKS
        ):
            return True
    return False


def _enclosing_scope(ctx: Context) -> ast.AST | None:
    """The nearest class or function around the node being visited (None: module)."""
    for parent in reversed(ctx.parents):
        if isinstance(parent, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return parent
    return None


def _quoted(names: Iterator[str] | list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


class TypingChecker(Checker):
    rules = (_BY_CODE["FAL601"], _BY_CODE["FAL602"], _BY_CODE["FAL603"], _BY_CODE["FAL604"], _BY_CODE["FAL605"], _BY_CODE["FAL606"], _BY_CODE["FAL607"],)

    def begin(self) -> None:
        ctx = self.ctx
        self.types = TypeReader(ctx)
        #: FAL602-FAL604 apply here (an architecture surface)
        self.surface = any(ctx.reports(_BY_CODE[c]) for c in ("FAL602", "FAL603", "FAL604"))
        self.layer_word = f"{ctx.layer} " if ctx.layer else ""
        self._check_future_import()
        self._check_type_ignores()

    # -- FAL601 ----------------------------------------------------------------

    def _check_future_import(self) -> None:
        ctx = self.ctx
        if not ctx.reports(_BY_CODE["FAL601"]) or ctx.info.relpath.endswith(".pyi"):
            return
        has_code = False
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__" and not stmt.level:
                if any(alias.name == "annotations" for alias in stmt.names):
                    return
                has_code = True
                continue
            if isinstance(stmt, ast.Pass) or (
                isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            ):
                continue  # a docstring, `...`, `pass`: not code
            has_code = True
            break  # a __future__ import after code would not even compile
        if has_code:
            ctx.report("FAL601", 1, subject=f"{self.layer_word}module")

    # -- FAL605 ----------------------------------------------------------------

    def _check_type_ignores(self) -> None:
        ctx = self.ctx
        if not ctx.reports(_BY_CODE["FAL605"]):
            return
        for lineno, text in type_ignore_comments(ctx.tree, ctx.lines):
            problem = type_ignore_problem(text)
            if problem is not None:
                ctx.report("FAL605", lineno, problem=problem)

    # -- FAL602-FAL607 -----------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._check_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._check_function(node)

    def _check_function(self, node: FunctionDef) -> None:
        ctx = self.ctx
        if ctx.frames:
            return  # nested in a function: a local helper, not a surface
        scope = _enclosing_scope(ctx)
        is_method = isinstance(scope, ast.ClassDef)
        classes = [c.name for c in ctx.classes]
        qualified = ".".join([*classes, node.name])
        subject = f"{self.layer_word}{'method' if is_method else 'function'} '{qualified}'"
        params = _all_params(node.args)
        if is_method and not _is_staticmethod(node, ctx):
            positional = [*node.args.posonlyargs, *node.args.args]
            if positional:
                params = [p for p in params if p is not positional[0]]

        if self.surface:
            missing = [p.arg for p in params if p.annotation is None]
            if missing:
                ctx.report("FAL602", node, subject=subject, params=_quoted(missing))
            if node.returns is None:
                if node.name == "__init__":
                    hint = "-> None"
                elif _yields(node):
                    iterator = "AsyncIterator" if isinstance(node, ast.AsyncFunctionDef) else "Iterator"
                    hint = f"-> {iterator}[...] for a generator"
                else:
                    hint = "-> None if it returns nothing"
                ctx.report("FAL603", node, subject=subject, hint=hint)
            star = []
            if node.args.vararg is not None and node.args.vararg.annotation is None:
                star.append(f"*{node.args.vararg.arg}")
            if node.args.kwarg is not None and node.args.kwarg.annotation is None:
                star.append(f"**{node.args.kwarg.arg}")
            if star:
                ctx.report("FAL604", node, subject=subject, params=" and ".join(star))

        name = node.name
        if any(c.startswith("_") for c in classes):
            return  # a private class's methods are not public API
        is_dunder = name.startswith("__") and name.endswith("__") and len(name) > 4
        if name.startswith("_") and not is_dunder:
            return
        if _is_pydantic_hook(node, ctx):
            return  # pydantic dictates these types
        types = self.types
        if (
            not is_dunder
            and not (is_method and name in PYDANTIC_DICT_METHODS)
            and types.is_blob_dict(node.returns)
        ):
            ctx.report(
                "FAL606",
                node,
                subject=subject,
                annotation=_annotation_text(node.returns),
            )
        if (not is_dunder or name in PUBLIC_DUNDERS) and ctx.reports(_BY_CODE["FAL607"]):
            where = [p.arg for p in params if types.mentions_any(p.annotation)]
            for star_arg, prefix in ((node.args.vararg, "*"), (node.args.kwarg, "**")):
                if star_arg is not None and types.mentions_any(star_arg.annotation):
                    where.append(prefix + star_arg.arg)
            if types.mentions_any(node.returns):
                where.append("return")
            if where:
                ctx.report("FAL607", node, subject=subject, where=_quoted(where))


def _annotation_text(node: ast.AST | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return f"'{node.value}'"
    try:
        return f"'{ast.unparse(node)}'"
    except Exception:  # pragma: no cover - unparse handles every parsed node
        return "a dict"


#: A ``type: ignore`` directive anywhere in the source (cheap pre-filter).
TYPE_IGNORE_ANYWHERE_RE = re.compile(r"#[ \t]*type:[ \t]*ignore")
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def type_ignore_comments(tree: ast.Module, lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """``(line, comment)`` of every comment holding a ``type: ignore`` directive.

    The same answer as reading every comment with :mod:`tokenize`, at a fraction
    of the cost (tokenize in pure Python costs about one ``ast.parse``): a regex
    finds the few candidate lines, and the tree says whether a ``#`` on such a
    line lies inside a string literal (only the innermost statement around the
    line is looked at); a literal over several lines, which may be implicitly
    concatenated parts with comments between them, is tokenized on its own.
    """
    if not lines:
        return
    source = "".join(lines)
    match = TYPE_IGNORE_ANYWHERE_RE.search(source)
    if match is None:
        return
    seen: set[int] = set()
    while match is not None:
        lineno = source.count("\n", 0, match.start()) + 1
        if lineno not in seen and lineno <= len(lines):
            seen.add(lineno)
            comment = _comment_on(tree, lines, lineno)
            if comment is not None:
                yield lineno, comment
        match = TYPE_IGNORE_ANYWHERE_RE.search(source, match.end())


def _comment_on(tree: ast.Module, lines: Sequence[str], lineno: int) -> str | None:
    """The comment on a physical line (``#`` to the end), or None."""
    line = lines[lineno - 1]
    if "#" not in line:
        return None
    spans: list[tuple[int, float]] = []
    for node in _strings_on(tree, lineno):
        first, last = node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno
        end_col = getattr(node, "end_col_offset", None)
        if first != last:
            # a literal over several lines may be implicitly concatenated parts
            # with a comment between them: read that small literal's comments
            comment = _comment_inside(lines, node, lineno)
            if comment is not None:
                return comment
        start = node.col_offset if first == lineno else 0
        end: float = end_col if last == lineno and end_col is not None else float("inf")
        spans.append((start, end))
    encoded_upto = 0
    last_index = 0
    index = line.find("#")
    while index != -1:
        # col_offset counts UTF-8 bytes
        encoded_upto += len(line[last_index:index].encode("utf-8", "surrogatepass"))
        last_index = index
        if not any(start <= encoded_upto < end for start, end in spans):
            return line[index:].rstrip("\r\n")
        index = line.find("#", index + 1)
    return None


def _comment_inside(lines: Sequence[str], node: ast.expr, lineno: int) -> str | None:
    """A comment on ``lineno`` between the parts of a multi-line string literal."""
    first = node.lineno
    last = getattr(node, "end_lineno", None)
    end_col = getattr(node, "end_col_offset", None)
    if last is None or end_col is None or last > len(lines):
        return None
    head = lines[first - 1].encode("utf-8", "surrogatepass")[node.col_offset :]
    tail = lines[last - 1].encode("utf-8", "surrogatepass")[:end_col]
    middle = "".join(lines[first : last - 1])
    segment = (
        "("
        + head.decode("utf-8", "surrogatepass")
        + middle
        + tail.decode("utf-8", "surrogatepass")
        + "\n)\n"
    )
    try:
        for token in tokenize.generate_tokens(io.StringIO(segment).readline):
            if token.type == tokenize.COMMENT and first + token.start[0] - 1 == lineno:
                return token.string
    except (tokenize.TokenError, SyntaxError, UnicodeError):
        return None
    return None


def _strings_on(tree: ast.Module, lineno: int) -> Iterator[ast.expr]:
    """String literals (and f-strings) of the innermost statement covering a line."""
    # no statement around the line: a comment-only or blank line
    statements = _innermost_statements(tree.body, lineno)
    nodes = [node for stmt in statements for node in _header_nodes(stmt)]
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.JoinedStr) or (
                isinstance(sub, ast.Constant) and isinstance(sub.value, (str, bytes))
            ):
                first = getattr(sub, "lineno", None)
                last = getattr(sub, "end_lineno", None)
                if first is not None and last is not None and first <= lineno <= last:
                    yield sub


def _first_line(stmt: ast.stmt) -> int:
    first: int = stmt.lineno
    decorators = getattr(stmt, "decorator_list", None)
    if isinstance(decorators, list):
        for decorator in decorators:
            line = getattr(decorator, "lineno", first)
            if isinstance(line, int) and line < first:
                first = line
    return first


def _innermost_statements(body: list[ast.stmt], lineno: int) -> list[ast.stmt]:
    """The innermost statements whose lines (decorators included) hold ``lineno``.

    Several only for simple statements sharing a line (``x = 1; y = 2``).
    """
    found: list[ast.stmt] = []
    while True:
        covering = [
            stmt
            for stmt in body
            if _first_line(stmt) <= lineno <= (getattr(stmt, "end_lineno", None) or stmt.lineno)
        ]
        if not covering:
            return found
        found = covering
        body = []
        if len(covering) == 1:
            for block in _blocks(covering[0]):
                if block and _first_line(block[0]) <= lineno <= (
                    getattr(block[-1], "end_lineno", None) or block[-1].lineno
                ):
                    body = block
                    break
        if not body:
            return found


def _blocks(stmt: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists nested in a compound statement."""
    for field in _BLOCK_FIELDS:
        value = getattr(stmt, field, None)
        if not isinstance(value, list):
            continue
        if field in ("handlers", "cases"):
            for item in value:
                block = getattr(item, "body", None)
                if isinstance(block, list):
                    yield block
        else:
            yield value


def _header_nodes(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The parts of a statement outside its nested blocks (a simple statement: all of it)."""
    for field, value in ast.iter_fields(stmt):
        if field in _BLOCK_FIELDS:
            if field in ("handlers", "cases") and isinstance(value, list):
                for item in value:
                    for sub_field, sub_value in ast.iter_fields(item):
                        if sub_field != "body" and isinstance(sub_value, ast.AST):
                            yield sub_value
            continue
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, ast.AST))


def type_ignore_problem(comment: str) -> str | None:
    """What is missing from a ``# type: ignore`` comment, or None if it is fine.

    ``comment`` is one comment token (``#`` to the end of the line).  Each
    ``type: ignore`` directive in it needs a non-empty ``[codes]`` bracket and,
    after it, a ``#`` segment that explains (not just another tool's directive).
    """
    problem: str | None = None
    # Python's tokenizer (and so mypy) honours the directive only at the start
    # of a comment: ``# noqa # type: ignore`` and prose quoting it are not one.
    for match in filter(None, [TYPE_IGNORE_RE.match(comment)]):
        tail = IGNORE_TAIL_RE.match(comment, match.end())
        codes = tail.group("codes") if tail else None
        rest = tail.group("rest") if tail else ""
        has_codes = bool(codes and codes.strip(" ,"))
        has_why = any(
            segment.strip() and not DIRECTIVE_RE.match(segment)
            for segment in _explanation_segments(rest)
        )
        if has_codes and has_why:
            continue
        if not has_codes and not has_why:
            problem = "has no error code and no explanation"
        elif not has_codes:
            problem = "has no error code in brackets"
        else:
            problem = "has no explanation after the error code"
        break
    return problem


def _explanation_segments(rest: str) -> list[str]:
    """``#``-separated segments after the directive (text before a ``#`` is not one)."""
    stripped = rest.lstrip()
    if not stripped.startswith("#"):
        return []
    segments = stripped.split("#")[1:]
    # stop at the next type: ignore directive; it is judged on its own
    kept: list[str] = []
    for segment in segments:
        if re.match(r"\s*type:\s*ignore(?![\w-])", segment):
            break
        kept.append(segment)
    return kept


def _yields(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the function's own body (not nested functions) yields: only
    asked of functions already reported, so the extra look is bounded."""
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return False


CHECKERS = [TypingChecker]
