"""FAL3xx: services stay free of HTTP and of queries (RULES.md §4).

FAL301 (``HTTPException`` outside the edge) applies to service, repository,
domain, model and schema modules; FAL302-FAL304 to service modules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from ..analysis import (
    HTTP_EXCEPTIONS,
    RESPONSE_CLASS_NAMES,
    RESPONSE_CLASSES,
    session_method_call,
    sql_builder,
)
from ..catalogue import Rule, Scope, option
from ..checker import Checker
from ..names import Names, dotted

#: Layers where raising or building ``HTTPException`` is an offence (FAL301).
HTTP_FREE_LAYERS = frozenset({"service", "repository", "domain", "model", "schema"})
#: Session methods that run a query (FAL303); transactions are allowed.
QUERY_METHODS = frozenset({"execute", "scalars", "scalar", "query", "exec"})
#: Decorators that make a method an attribute, not an operation (FAL304).
PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
PROTOCOL_CLASSES = frozenset({"typing.Protocol", "typing_extensions.Protocol"})

#: The service rules' modules.
SERVICES = Scope(layers=frozenset({"service"}))


@dataclass(frozen=True)
class GodServiceOptions:
    """``[tool.fastapi-layers.FAL304]``"""

    max_public_methods: int = option(
        20, "The most public methods a service class may have.", minimum=1
    )


RULES: tuple[Rule, ...] = (
    Rule(
        code="FAL301",
        name="http-exception-outside-edge",
        message="{layer} {verb} HTTP exception {name}; raise a domain exception "
        "and translate it to HTTP at the edge (router, exception handler)",
        summary="fastapi's or starlette's `HTTPException` (however imported, or a "
        "subclass defined in the same module) is raised or constructed in a service, "
        "repository, domain, model or schema module.",
        rationale="Services must raise domain exceptions, not `HTTPException`: a status "
        "code is a transport decision. Business code that raises HTTP errors cannot be "
        "reused from a worker, a CLI or another service, and its tests need HTTP.",
        fix="Define a domain exception (`UserNotFound`) in the exceptions module, raise "
        "it here, and map it to a status code in the router or in an exception handler "
        "registered on the app.",
        bad="""\
# app/services/user_service.py
from __future__ import annotations

from fastapi import HTTPException, status

from app.domain.user import User
from app.repositories.user_repository import UserRepository


async def get_user(users: UserRepository, user_id: int) -> User:
    user = await users.get(user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    return user
""",
        good="""\
# app/services/user_service.py
from __future__ import annotations

from app.domain.user import User
from app.exceptions import UserNotFound
from app.repositories.user_repository import UserRepository


async def get_user(users: UserRepository, user_id: int) -> User:
    user = await users.get(user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user
""",
        scope=Scope(layers=HTTP_FREE_LAYERS),
        reported_on="the `raise` statement (once, for `raise HTTPException(...)`), or "
        "the call when the exception is constructed without being raised",
        limits="Names are resolved through the module's imports: `from fastapi import "
        "HTTPException as HE`, `fastapi.exceptions.HTTPException`, "
        "`starlette.exceptions.HTTPException`, and module-level aliases "
        "(`NotFound = HTTPException`). A class named `HTTPException` defined in the "
        "module itself is a domain exception and is not reported. A subclass of "
        "`HTTPException` defined in the same module (directly or through other local "
        "classes) is reported when raised or constructed; subclasses defined in other "
        "modules are the mypy plugin's `fal-http-outside-edge`. Catching "
        "`HTTPException` (`except`, `isinstance`) is not reported; the import itself "
        "is FAL103.",
        mypy_code="fal-http-outside-edge",
    ),
    Rule(
        code="FAL302",
        name="response-in-service",
        message="service constructs HTTP response {name}; return data and let the "
        "router build the response",
        summary="A service builds a fastapi/starlette response (`Response`, "
        "`JSONResponse`, `HTMLResponse`, `PlainTextResponse`, `RedirectResponse`, "
        "`StreamingResponse`, `FileResponse`, `ORJSONResponse`, `UJSONResponse`).",
        rationale="Services must not know about HTTP: status codes, headers and "
        "media types are the router's decisions. A service that returns a response "
        "cannot be reused outside a request.",
        fix="Return plain data (a schema, a domain object, bytes or an async iterator) "
        "and construct the response in the route handler.",
        bad="""\
# app/services/report_service.py
from __future__ import annotations

from fastapi.responses import JSONResponse

from app.domain.report import Report


def summary(report: Report) -> JSONResponse:
    return JSONResponse({"total": report.total})
""",
        good="""\
# app/services/report_service.py
from __future__ import annotations

from app.domain.report import Report
from app.schemas.report import ReportSummary


def summary(report: Report) -> ReportSummary:
    return ReportSummary(total=report.total)
""",
        scope=SERVICES,
        reported_on="the call",
        limits="Resolved through imports (`fastapi`, `fastapi.responses`, "
        "`starlette.responses`) plus subclasses and aliases defined in the same module. "
        "Response classes of other packages (`sse_starlette`) are not known. HTTP types "
        "in service signatures are the mypy plugin's `fal-http-type-in-service`.",
    ),
    Rule(
        code="FAL303",
        name="query-in-service",
        message="service {what}; move the query into a repository method",
        summary="A service runs a query: `execute`, `scalars`, `scalar`, `query` or "
        "`exec` called on a session-like object, or SQLAlchemy's `select(...)` / "
        "`text(...)` built in the service.",
        rationale="Services hold business rules; repositories own data access. Queries "
        "in a service tie the use case to the schema and the ORM, and make the service "
        "impossible to unit-test with a fake repository.",
        fix="Add a repository method that runs the query and returns domain objects; "
        "call it from the service. Transaction control (`begin`, `commit`, "
        "`rollback`) may stay in the service.",
        bad="""\
# app/services/user_service.py
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def active_users(session: AsyncSession) -> list[User]:
    result = await session.scalars(select(User).where(User.active))
    return list(result)
""",
        good="""\
# app/services/user_service.py
from __future__ import annotations

from app.models.user import User
from app.repositories.user_repository import UserRepository


async def active_users(users: UserRepository) -> list[User]:
    return await users.list_active()
""",
        scope=SERVICES,
        reported_on="the call",
        limits="A session-like object is a name `db`/`session`/`db_session`, a "
        "parameter annotated `Session`/`AsyncSession`, or an attribute `.db`/"
        "`.session`/`._session`. `select`/`text` count only when they resolve to "
        "SQLAlchemy or SQLModel. A builder passed straight into a reported session "
        "call (`session.execute(select(User).where(...))`) is reported once, on the "
        "session call; a statement built on one line and executed on another is "
        "reported on both lines. `session.query(...)` is also FAL402.",
    ),
    Rule(
        code="FAL304",
        name="god-service",
        message="service class '{name}' has {count} public methods (max {maximum}); "
        "split it by use case",
        summary="A class in a service module has more than N public methods "
        "(default 20).",
        rationale="A service that does everything (users, e-mail, payments, reports) "
        "has many reasons to change, many collaborators, and tests that need all of "
        "them. Split it along use cases or aggregates.",
        fix="Split the class into services per use case or aggregate; move helpers "
        "that need no service state into functions.",
        bad="""\
# app/services/post_service.py
from __future__ import annotations

from app.domain.post import Comment, Post, Report


class PostService:  # 21 public methods: posts, comments, moderation, mail and billing
    async def create(self, post: Post) -> Post: ...
    async def update(self, post: Post) -> Post: ...
    async def delete(self, post_id: int) -> None: ...
    async def publish(self, post_id: int) -> None: ...
    async def unpublish(self, post_id: int) -> None: ...
    async def feed(self, user_id: int) -> list[Post]: ...
    async def search(self, text: str) -> list[Post]: ...
    async def add_comment(self, comment: Comment) -> Comment: ...
    async def edit_comment(self, comment: Comment) -> Comment: ...
    async def delete_comment(self, comment_id: int) -> None: ...
    async def like(self, post_id: int, user_id: int) -> None: ...
    async def unlike(self, post_id: int, user_id: int) -> None: ...
    async def report(self, report: Report) -> None: ...
    async def hide(self, post_id: int) -> None: ...
    async def ban_author(self, post_id: int) -> None: ...
    async def notify_followers(self, post_id: int) -> None: ...
    async def send_digest(self, user_id: int) -> None: ...
    async def charge_promotion(self, post_id: int, cents: int) -> None: ...
    async def refund_promotion(self, post_id: int) -> None: ...
    async def export_csv(self, user_id: int) -> bytes: ...
    async def stats(self, post_id: int) -> int: ...
""",
        good="""\
# app/services/post_service.py
from __future__ import annotations

from app.domain.post import Post


class PostService:  # comments, moderation, mail and billing have services of their own
    async def create(self, post: Post) -> Post: ...
    async def update(self, post: Post) -> Post: ...
    async def delete(self, post_id: int) -> None: ...
    async def publish(self, post_id: int) -> None: ...
    async def feed(self, user_id: int) -> list[Post]: ...
""",
        scope=SERVICES,
        reported_on="the `class` line",
        options=GodServiceOptions,
        limits="Public methods are the `def`/`async def` statements directly in the "
        "class body whose names do not start with `_` (dunders and private helpers do "
        "not count); static and class methods count; a name defined several times "
        "(`@overload`s) counts once; properties (`@property`, `@cached_property`, "
        "`@x.setter`) are attributes, not operations, and do not count; nested classes "
        "and inherited methods do not count. Every class of a service module counts "
        "except `Protocol` classes (interfaces of collaborators) and exception "
        "classes (deriving from a built-in exception or named `...Error`/"
        "`...Exception`).",
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}


# -- shared helpers (candidates for analysis.py) -------------------------------


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
    ``X = <target>`` means the target.  Used for FAL301 and FAL302.
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


# -- FAL301 ---------------------------------------------------------------------


class HttpExceptionChecker(Checker):
    rules = (_BY_CODE["FAL301"],)

    def begin(self) -> None:
        self.local = LocalClasses(self.ctx.tree, self.ctx.names, HTTP_EXCEPTIONS)
        self.raised: set[int] = set()

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if exc is None:
            return
        cls = exc.func if isinstance(exc, ast.Call) else exc
        target = self.local.resolve(cls)
        if target is not None:
            self.raised.add(id(exc))
            name = describe(cls, target, self.local)
            self.ctx.report("FAL301", node, layer=self.ctx.layer, verb="raises", name=name)

    def visit_Call(self, node: ast.Call) -> None:
        if id(node) in self.raised:
            return
        func = node.func
        if isinstance(func, ast.Name):
            # only an imported name or a local subclass/alias can mean it
            if func.id not in self.local.derived and func.id not in self.local.names.table:
                return
        elif not isinstance(func, ast.Attribute) or func.attr != "HTTPException":
            return
        target = self.local.resolve(func)
        if target is not None:
            name = describe(func, target, self.local)
            self.ctx.report("FAL301", node, layer=self.ctx.layer, verb="constructs", name=name)


# -- FAL302-FAL304 --------------------------------------------------------------


class ServiceChecker(Checker):
    rules = (_BY_CODE["FAL302"], _BY_CODE["FAL303"], _BY_CODE["FAL304"],)

    def begin(self) -> None:
        self.responses = LocalClasses(self.ctx.tree, self.ctx.names, RESPONSE_CLASSES)
        self.max_methods = self.ctx.config.options(GodServiceOptions).max_public_methods
        #: builder calls already covered by the session call they are passed to
        self.covered: set[int] = set()

    def visit_Call(self, node: ast.Call) -> None:
        if id(node) in self.covered:
            return
        ctx = self.ctx
        func = node.func
        if isinstance(func, ast.Name):
            # only an imported name or a local subclass/alias can resolve
            if func.id not in ctx.names.table and func.id not in self.responses.derived:
                return
            candidate = True
        elif isinstance(func, ast.Attribute):
            name = func.attr
            if name in QUERY_METHODS:
                # FAL303: a query on a session
                method = session_method_call(node, QUERY_METHODS, ctx)
                if method is not None:
                    receiver = dotted(func.value) or "session"
                    ctx.report("FAL303", node, what=f"runs a query with '{receiver}.{method}(...)'")
                    for arg in node.args:
                        self._cover_builders(arg)
                return
            candidate = name in RESPONSE_CLASS_NAMES or name in ("select", "text")
        else:
            return
        if not candidate:
            return
        # FAL302: a response
        target = self.responses.resolve(func)
        if target is not None:
            ctx.report("FAL302", node, name=describe(func, target, self.responses))
            return
        # FAL303: a query builder
        builder = sql_builder(node, ctx.names)
        if builder is not None:
            ctx.report("FAL303", node, what=f"builds a SQL query with '{builder}(...)'")

    def _cover_builders(self, node: ast.AST) -> None:
        """Mark the builder at the root of ``select(X).where(...).limit(...)``."""
        while True:
            if isinstance(node, ast.Call):
                if sql_builder(node, self.ctx.names) is not None:
                    self.covered.add(id(node))
                    return
                node = node.func
            elif isinstance(node, ast.Attribute):
                node = node.value
            else:
                return

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if not self.ctx.reports(_BY_CODE["FAL304"]) or self._exempt_class(node):
            return
        public: set[str] = set()
        for stmt in node.body:
            if (
                isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                and not stmt.name.startswith("_")
                and not _is_property(stmt)
            ):
                public.add(stmt.name)
        if len(public) > self.max_methods:
            self.ctx.report(
                "FAL304", node, name=node.name, count=len(public), maximum=self.max_methods
            )

    def _exempt_class(self, node: ast.ClassDef) -> bool:
        if node.name.endswith(("Error", "Exception")):
            return True
        names = self.ctx.names
        for base in node.bases:
            if isinstance(base, ast.Subscript):
                base = base.value
            qualified = names.qualname(base)
            if qualified is None:
                continue
            if qualified in PROTOCOL_CLASSES:
                return True
            if qualified.startswith("builtins.") and qualified.endswith(("Error", "Exception")):
                return True
        return False


def _is_property(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in PROPERTY_DECORATORS:
            return True
        if isinstance(decorator, ast.Attribute) and (
            decorator.attr in PROPERTY_DECORATORS
            or decorator.attr in ("setter", "getter", "deleter")
        ):
            return True
    return False


CHECKERS = [HttpExceptionChecker, ServiceChecker]
