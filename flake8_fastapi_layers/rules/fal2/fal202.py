"""FAL202 `data-access-in-route`: a route handler uses a database session or
builds a query (RULES.md §3)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...analysis import (
    SESSION_NAMES,
    is_client_type,
    is_session_like,
    keyword,
    last_name,
    sql_builder,
)
from ...catalogue import Rule
from ...checker import Checker, Frame
from ...names import dotted
from ._common import ROUTE_HANDLERS, route_handler

#: Session methods that read or write data.
DATA_METHODS = frozenset(
    {
        "execute",
        "scalars",
        "scalar",
        "query",
        "add",
        "add_all",
        "delete",
        "merge",
        "flush",
        "commit",
        "refresh",
        "get",
        "exec",
    }
)
#: Data methods that are also HTTP client verbs (aiohttp/httpx/requests sessions).
HTTP_VERBS = frozenset({"get", "delete"})

RULE = Rule(
    code="FAL202",
    name="data-access-in-route",
    message="route handler '{name}' {what} (data access); move it into a "
    "repository and call a service",
    summary="A route handler calls `execute`, `scalars`, `scalar`, `query`, `add`, "
    "`add_all`, `delete`, `merge`, `flush`, `commit`, `refresh`, `get` or `exec` on a "
    "session-like object, or builds SQLAlchemy/SQLModel `select(...)`/`text(...)`.",
    rationale="Routers are transport only: they parse the request, call a service "
    "and shape the response. SQL and session handling belong in the repository "
    "layer, where they can be tested and reused.",
    fix="Add a repository method for the query and a service method that uses it; "
    "inject the service into the handler.",
    bad="""\
# app/routers/posts.py
from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.dependencies import get_current_user, get_db
from app.models.post import Post
from app.schemas.post import PostCreate, PostOut

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/posts")
async def create_post(data: PostCreate, db: AsyncSession = Depends(get_db)) -> PostOut:
    post = Post(**data.model_dump())
    db.add(post)
    await db.commit()
    return PostOut.model_validate(post)
""",
    good="""\
# app/routers/posts.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.schemas.post import PostCreate, PostOut
from app.services.post_service import PostService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/posts")
async def create_post(data: PostCreate, service: PostService = Depends()) -> PostOut:
    return await service.create_post(data)
""",
    scope=ROUTE_HANDLERS,
    reported_on="the call",
    limits="Session-like means: named `db`, `session` or `db_session`, a parameter "
    "annotated `Session`/`AsyncSession`, or an attribute `.db`/`.session` "
    "(`request.state.db`, `self.session`). Not database sessions, hence not "
    "reported: `request.session` (and `.session` of a parameter annotated "
    "`Request`/`WebSocket`/`HTTPConnection`), which is Starlette's session dict; a "
    "`session` bound in the handler by `with`/assignment to an `aiohttp`, `httpx`, "
    "`requests` or boto client, or a `session` parameter annotated with such a type; "
    "and `get`/`delete` calls shaped like HTTP requests (a string or f-string first "
    "argument, a `url=` keyword, or used as a `with` context manager), since "
    "`Session.get(Model, id)` takes a class and is no context manager. "
    "Code in functions and lambdas nested in a handler counts as the handler's. "
    "`db.execute(select(...))` is reported once, on the session call, not again on "
    "the `select(...)` inside its arguments.",
)


@dataclass
class _Handler:
    """What FAL202 learns about one route handler as the walk goes through it."""

    #: session-like names the handler bound to an HTTP client
    #: (``async with aiohttp.ClientSession() as session``, ``session = httpx.Client()``)
    clients: set[str] = field(default_factory=set)


class DataAccessInRoute(Checker):
    rule = RULE

    def begin(self) -> None:
        #: ids of select()/text() calls already covered by a reported session call
        self.covered: set[int] = set()

    def visit_With(self, node: ast.With) -> None:
        self._note_clients(node)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._note_clients(node)

    def _note_clients(self, node: ast.With | ast.AsyncWith) -> None:
        handler = route_handler(self.ctx)
        if handler is None:
            return
        for item in node.items:
            target = item.optional_vars
            if isinstance(target, ast.Name) and target.id in SESSION_NAMES:
                if is_client_type(item.context_expr, self.ctx):
                    self.frame_state(handler, _Handler).clients.add(target.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.value, ast.Call):
            return
        target = node.targets[0]
        if isinstance(target, ast.Name) and target.id in SESSION_NAMES:
            handler = route_handler(self.ctx)
            if handler is not None and is_client_type(node.value, self.ctx):
                self.frame_state(handler, _Handler).clients.add(target.id)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            attr = func.attr
            if attr in DATA_METHODS:
                self._data_call(node, func, attr)
                return
        if last_name(func) not in ("select", "text"):
            return
        if id(node) in self.covered:
            self.covered.discard(id(node))
            return
        if not self.ctx.frames:
            return
        builder = sql_builder(node, self.ctx.names)
        if builder is not None:
            handler = route_handler(self.ctx)
            if handler is not None:
                self.report(node, name=_name(handler), what=f"builds {builder}()")

    def _data_call(self, node: ast.Call, func: ast.Attribute, attr: str) -> None:
        handler = route_handler(self.ctx)
        if (
            handler is not None
            and not (attr in HTTP_VERBS and self._http_request_shape(node))
            and self._is_db_session(func.value, handler)
        ):
            receiver = dotted(func.value) or "session"
            self._cover_builders(node)
            self.report(node, name=_name(handler), what=f"calls {receiver}.{attr}()")

    def _is_db_session(self, receiver: ast.expr, handler: Frame) -> bool:
        """A session by the shared test, unless the handler bound that name to
        an HTTP client (``async with aiohttp.ClientSession() as session``)."""
        if not is_session_like(receiver, self.ctx):
            return False
        if not isinstance(receiver, ast.Name):
            return True
        return receiver.id not in self.frame_state(handler, _Handler).clients

    def _http_request_shape(self, call: ast.Call) -> bool:
        """``session.get("https://...")``, ``session.get(url=...)``, ``with s.get(u) as r``.

        ``Session.get(Model, id)`` takes a class; an HTTP client's ``get`` takes a
        URL and is often used as a context manager (aiohttp); a DB session's never.
        """
        if isinstance(self.ctx.parent, ast.withitem) or keyword(call, "url") is not None:
            return True
        first = call.args[0] if call.args else None
        return isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant) and isinstance(first.value, str)
        )

    def _cover_builders(self, call: ast.Call) -> None:
        """Mark ``select(...)``/``text(...)`` at the root of each argument."""
        for arg in call.args:
            root: ast.AST = arg
            while True:
                if isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute):
                    root = root.func.value
                elif isinstance(root, ast.Attribute):
                    root = root.value
                else:
                    break
            if isinstance(root, ast.Call) and sql_builder(root, self.ctx.names):
                self.covered.add(id(root))


def _name(handler: Frame) -> str:
    """The handler's name (a route handler is a ``def``, never a lambda)."""
    return getattr(handler.node, "name", "<lambda>")
