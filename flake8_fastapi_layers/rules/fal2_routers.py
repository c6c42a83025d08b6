"""FAL2xx: route handlers stay thin transport code (RULES.md §3).

A route handler is a function decorated ``@<x>.get/post/.../websocket(path, ...)``
in any module (:func:`~flake8_fastapi_layers.analysis.route_of`).  FAL203 (raw
SQL literals) applies to ``router`` and ``service`` modules, FAL204 (pydantic
models) to ``router`` modules, FAL207 (magic status integers) to every module
but tests; the other codes follow route handlers wherever they are.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Iterator

from ..analysis import (
    MAX_ANNOTATION_CHARS,
    MAX_ANNOTATION_DEPTH,
    last_name,
    RESPONSE_CLASSES,
    ROUTE_METHODS,
    SESSION_NAMES,
    is_client_type,
    frame_route,
    is_http_exception,
    is_session_like,
    parse_string_annotation,
    route_of,
    sql_builder,
)
from ..catalogue import Rule, Scope, option
from ..checker import Checker, Context, Frame
from ..config import Config
from ..layers import module_name
from ..names import Names, dotted
from ._includes import MAX_FILE_BYTES, ScannedModule, including_modules, scan_module

#: FAL202: session methods that read or write data.
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
#: FAL202 methods that are also HTTP client verbs (aiohttp/httpx/requests sessions).
HTTP_VERBS = frozenset({"get", "delete"})

#: FAL205: statements that count as control flow.
CONTROL_FLOW: tuple[type[ast.AST], ...] = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Match,
    ast.Try,
)
_TRY_STAR: type[ast.AST] | None = getattr(ast, "TryStar", None)

#: FAL203: keywords where prose lives.
TEXT_KEYWORDS = frozenset({"description", "summary", "title", "detail", "help"})
LOGGER_NAMES = frozenset({"log", "logger", "logging", "logs", "loguru"})

#: FAL204: the pydantic model bases, by qualified name.
PYDANTIC_BASES = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic.v1.BaseModel",
        "pydantic.v1.main.BaseModel",
        "pydantic.RootModel",
        "pydantic.root_model.RootModel",
        "pydantic.generics.GenericModel",
        "pydantic.v1.generics.GenericModel",
        "sqlmodel.SQLModel",
        "sqlmodel.main.SQLModel",
    }
)

#: FAL207: constant names that differ between Python versions; starlette's names.
_STATUS_NAMES = {
    413: "REQUEST_ENTITY_TOO_LARGE",
    414: "REQUEST_URI_TOO_LONG",
    416: "REQUESTED_RANGE_NOT_SATISFIABLE",
    422: "UNPROCESSABLE_ENTITY",
}

# -- FAL203: the statement shapes ---------------------------------------------

_NAME_PART = (
    r'(?:[\w$]+|"[^"\n]+"|`[^`\n]+`|\[[^\]\n]+\]|\{[^{}\n]*\}|%\(\w+\)s|%s)'
)
_NAME = rf"{_NAME_PART}(?:\s*\.\s*{_NAME_PART})*"
_LEAD = r"\A\s*(?:(?:--[^\n]*(?:\n|\Z)|/\*.*?\*/)\s*)*\(*\s*"
_SQL_SHAPES = [
    re.compile(_LEAD + pattern, re.IGNORECASE | re.DOTALL)
    for pattern in (
        rf"(?P<k1>select)\s+.+?\s+(?P<k2>from)\s+(?P<name>{_NAME})",
        rf"(?P<k1>insert)\s+(?:(?:or\s+)?(?:replace|ignore|abort|fail|rollback)\s+)?"
        rf"(?P<k2>into)\s+(?P<name>{_NAME})",
        rf"(?P<k1>update)\s+(?:only\s+)?(?P<name>{_NAME})\s+(?:(?:as\s+)?\w+\s+)?(?P<k2>set)\b",
        rf"(?P<k1>delete)\s+(?P<k2>from)\s+(?P<name>{_NAME})",
        rf"(?P<k1>with)\s+(?:recursive\s+)?(?P<name>{_NAME})\s*(?:\([^()]*\)\s*)?"
        rf"(?P<k2>as)\s*(?:(?:not\s+)?materialized\s*)?\(",
    )
]
_SQL_START = frozenset("siudw-/(")
#: stands in for an f-string placeholder or a ``+``-concatenated operand
_PLACEHOLDER = "{_}"


def sql_statement(text: str) -> str | None:
    """``"SELECT … FROM users"`` when ``text`` starts like an SQL statement.

    Case-insensitive, but each keyword must be written all upper or all lower
    case: ``"Select items from the list"`` is prose, ``"select * from t"`` is SQL.
    """
    if len(text) < 10 or text.lstrip()[:1].lower() not in _SQL_START:
        return None
    for pattern in _SQL_SHAPES:
        match = pattern.match(text)
        if match is None:
            continue
        k1, k2 = match.group("k1"), match.group("k2")
        if not all(k.isupper() or k.islower() for k in (k1, k2)):
            continue
        name = " ".join(match.group("name").split()).replace(_PLACEHOLDER, "{…}")
        head = k1.upper()
        if head == "SELECT":
            return f"SELECT … FROM {name}"
        if head == "INSERT":
            return f"INSERT INTO {name}"
        if head == "UPDATE":
            return f"UPDATE {name} SET"
        if head == "DELETE":
            return f"DELETE FROM {name}"
        return f"WITH {name} AS ("
    return None


#: What the route-handler rules look at.
ROUTE_HANDLERS = Scope(subject="route handlers")


@dataclass(frozen=True)
class ControlFlowOptions:
    """``[tool.fastapi-layers.FAL205]``"""

    max_control_flow: int = option(
        2, "Most control-flow statements a route handler may have.", minimum=0
    )


@dataclass(frozen=True)
class AuthOptions:
    """``[tool.fastapi-layers.FAL208]``"""

    auth_dependencies: tuple[str, ...] = option(
        ("get_current_user", "get_current_active_user"),
        "Names of the dependency callables that authenticate (matched by "
        "their last name, or a dotted name by the resolved or written name).",
    )
    auth_annotations: tuple[str, ...] = option(
        (),
        "Names of imported `Annotated` aliases that carry an auth "
        'dependency, e.g. `["CurrentUser"]`.',
    )
    public_paths: tuple[str, ...] = option(
        (),
        'Path globs that need no auth, e.g. `["/health", "/auth/*"]`; '
        "matched against the decorator's path and against it prefixed with the "
        "module's `APIRouter(prefix=...)`.",
    )


RULES: tuple[Rule, ...] = (
    Rule(
        code="FAL201",
        name="sync-route-handler",
        message="route handler '{name}' is a plain def; make it 'async def' "
        "and await async services",
        summary="A route handler is declared with `def` instead of `async def`.",
        rationale="All route handlers must be `async def`. FastAPI runs a plain `def` "
        "handler in a thread pool of limited size; under load requests queue for a "
        "thread, and the handler tempts callers into blocking, sync database access.",
        fix="Declare the handler `async def` and call async services (`await`), with an "
        "`AsyncSession` underneath.",
        bad="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    return service.get_user(user_id)
""",
        good="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    return await service.get_user(user_id)
""",
        scope=ROUTE_HANDLERS,
        reported_on="the `def` line",
        limits="Websocket routes are included. A handler is recognised by its decorator "
        "(`@<x>.get(path, ...)` etc. with a path argument); routes added with "
        "`add_api_route(...)` are not seen.",
    ),
    Rule(
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
    ),
    Rule(
        code="FAL203",
        name="raw-sql-in-router-or-service",
        message="raw SQL '{statement}' in a {layer} module; "
        "move the query into a repository",
        summary="A string literal in a `router` or `service` module starts like an SQL "
        "statement: `SELECT … FROM <name>`, `INSERT INTO <name>`, `UPDATE <name> SET`, "
        "`DELETE FROM <name>` or `WITH <name> AS (` (case-insensitive).",
        rationale="SQL belongs to the repository layer. Queries written in routers or "
        "services spread the schema through the code base and bypass the repository "
        "that should own it.",
        fix="Move the statement into a repository method (preferably as a SQLAlchemy "
        "`select()`), and call it through the service.",
        bad="""\
# app/services/report_service.py
from __future__ import annotations

from app.domain.order import Order
from app.repositories.order_repository import OrderRepository

UNPAID = "SELECT id, total FROM orders WHERE paid = false"


async def unpaid_orders(orders: OrderRepository) -> list[Order]:
    return await orders.fetch_raw(UNPAID)
""",
        good="""\
# app/services/report_service.py
from __future__ import annotations

from app.domain.order import Order
from app.repositories.order_repository import OrderRepository


async def unpaid_orders(orders: OrderRepository) -> list[Order]:
    return await orders.list_unpaid()
""",
        scope=Scope(layers=frozenset({"router", "service"})),
        reported_on="the string literal (an f-string: the f-string)",
        limits="Prose is told apart by case: each keyword must be written all upper or "
        "all lower case, so `\"Select items from the list\"` is not SQL while "
        "`\"select * from items\"` is. Exempt: docstrings and every other bare string "
        "statement (they are never executed), arguments of logging calls (a receiver "
        "named `logger`, `log`, `logging`, `_logger`, `self.logger`, …), and strings "
        "under the keywords `description=`, `summary=`, `title=`, `detail=`, `help=`. "
        "An f-string placeholder, `%s`, `{}` or the right operand of `+` stands for the "
        "table name (`f\"SELECT * FROM {table}\"` is SQL). SQL assembled so that no single "
        "literal has the statement shape is not seen.",
    ),
    Rule(
        code="FAL204",
        name="schema-in-router",
        message="pydantic model '{name}' is defined in a router module; "
        "move it to the schema layer",
        summary="A class deriving from pydantic `BaseModel` (or `RootModel`, "
        "`GenericModel`) or from `SQLModel` without `table=True` is defined in a "
        "`router` module.",
        rationale="Pydantic request/response schemas live in the schema layer, not "
        "inline in routers, so that services, tests and other routers can share them "
        "without importing a router.",
        fix="Move the class to `schemas.py` (or `schemas/<feature>.py`) and import it.",
        bad="""\
# app/routers/users.py
from __future__ import annotations

from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    email: str
""",
        good="""\
# app/schemas/user.py
from __future__ import annotations

from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    email: str
""",
        scope=Scope(layers=frozenset({"router"})),
        reported_on="the `class` line",
        limits="Bases are resolved through the module's imports: a project's own base "
        "class (`from app.schemas.base import BaseModel`, `class Foo(BaseSchema)`) is "
        "not guessed to be pydantic, but a class deriving from a pydantic model defined "
        "earlier in the same module is reported too. A `SQLModel` class with "
        "`table=True` is an ORM model, not a schema.",
    ),
    Rule(
        code="FAL205",
        name="business-logic-in-route",
        message="route handler '{name}' has {count} control-flow statements (max {max}); "
        "move the business logic into a service",
        summary="A route handler's body has more than N control-flow statements "
        "(`if`, `for`, `while`, `with`, `match`, `try`, and their async forms; "
        "comprehensions excluded), default N=2.",
        rationale="Routers must not contain business logic: branches and loops in a "
        "handler are decisions that belong in a service, where they can be unit-tested "
        "without HTTP.",
        fix="Move the decisions into a service method; keep in the handler only the "
        "call and the translation of domain exceptions into HTTP errors.",
        bad="""\
# app/routers/orders.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status

from app.dependencies import get_current_user
from app.schemas.order import OrderIn, OrderOut
from app.services.order_service import OrderService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/orders")
async def place_order(order: OrderIn, service: OrderService = Depends()) -> OrderOut:
    if order.total > 1000:
        order.needs_review = True
    for line in order.lines:
        if line.quantity <= 0:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="Empty order line")
    return await service.place(order)
""",
        good="""\
# app/routers/orders.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status

from app.dependencies import get_current_user
from app.exceptions import InvalidOrder
from app.schemas.order import OrderIn, OrderOut
from app.services.order_service import OrderService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/orders")
async def place_order(order: OrderIn, service: OrderService = Depends()) -> OrderOut:
    try:
        return await service.place(order)
    except InvalidOrder as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=exc.reason) from exc
""",
        scope=ROUTE_HANDLERS,
        reported_on="the `def` line",
        options=ControlFlowOptions,
        limits="Not counted: a `try` (with no `else`) whose `except` handlers only raise "
        "`HTTPException` (or re-raise with a bare `raise`), optionally after logging "
        "calls; an `if` with no "
        "`else` whose body only raises `HTTPException` and whose test is `x is None`, "
        "`x == None` or `not x` (the not-found check). The statements *inside* a "
        "translating `try` body count as usual. Any other `try` counts as one. `elif` "
        "counts as another `if`. Statements in functions and lambdas nested in the "
        "handler count towards the handler. Because these exemptions only relax the "
        "rule, the raised class is matched by name (any `...HTTPException`, so a "
        "project's `NotFoundHTTPException` translates too). `not x` cannot tell a "
        "missing result from input validation (`if not url: raise HTTPException(...)`); "
        "both are exempt. A translating handler or not-found guard may log and assign "
        "plain names (composing the message) before it raises.",
    ),
    Rule(
        code="FAL206",
        name="route-without-response-type",
        message="route handler '{name}' declares no response type; "
        "add response_model= or a return annotation",
        summary="A route declares neither `response_model=` nor a return annotation "
        "(and has no `response_class=` and no `status_code=204`).",
        rationale="Return typed response models: the response type drives output "
        "validation, filtering of internal fields and the OpenAPI schema; without it "
        "whatever the handler returns is serialised as is.",
        fix="Annotate the return type (`-> UserOut`) or pass `response_model=UserOut`.",
        bad="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()):
    return await service.get_user(user_id)
""",
        good="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    return await service.get_user(user_id)
""",
        scope=ROUTE_HANDLERS,
        reported_on="the `def` line",
        limits="Websocket routes have no response and are exempt. Any `response_model=` "
        "counts as a declaration, `response_model=None` included (FastAPI's explicit "
        "opt-out). `status_code` 204 may be written `204`, `status.HTTP_204_NO_CONTENT` "
        "or `HTTPStatus.NO_CONTENT`. With stacked route decorators, any of them may "
        "declare the response.",
    ),
    Rule(
        code="FAL207",
        name="magic-http-status",
        message="magic HTTP status {value} in {where}; use {constant}",
        summary="An integer literal is the status code of a route decorator "
        "(`status_code=201`), of `HTTPException` (`HTTPException(404)`, "
        "`HTTPException(status_code=404)`) or of a fastapi/starlette response "
        "(`JSONResponse(..., status_code=500)`).",
        rationale="Use status codes from `fastapi.status` (or `http.HTTPStatus`): a "
        "named constant says what the number means and a typo in a name fails loudly.",
        fix="Write `status.HTTP_404_NOT_FOUND` (`from fastapi import status`) or "
        "`HTTPStatus.NOT_FOUND`.",
        bad="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    user = await service.find_user(user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user
""",
        good="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    user = await service.find_user(user_id)
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user
""",
        scope=Scope(except_layers=frozenset({"test"})),
        reported_on="the integer",
        limits="Test modules are exempt: asserting or faking a literal status is what "
        "tests do. Seen: the `status_code` keyword of route decorators and of "
        "`add_api_route(...)`, the status of `HTTPException` (first positional or "
        "`status_code=`) and of the fastapi/starlette response classes (second "
        "positional or `status_code=`), resolved through imports. Not seen: keys of "
        "`responses={404: ...}`, assignments `response.status_code = 404`, and a "
        "project's own subclasses of `HTTPException` or `JSONResponse`.",
    ),
    Rule(
        code="FAL208",
        name="route-without-auth",
        message="route handler '{name}' ({route}) has no auth dependency; add "
        "Depends({dependency}) or list the path in public-paths",
        summary="A route has no parameter whose default or `Annotated` metadata is "
        "`Depends(<auth dependency>)`/`Security(<auth dependency>)`, and its path is not "
        "in the public allowlist.",
        rationale="Auth must be enforced via `Depends(get_current_user)`; a route "
        "without it is public, and client-supplied user IDs must never be trusted.",
        fix="Add a parameter `user: User = Depends(get_current_user)` (or "
        "`Annotated[User, Depends(get_current_user)]`), or allowlist the path if it is "
        "public on purpose.",
        bad="""\
# app/routers/orders.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.schemas.order import OrderOut
from app.services.order_service import OrderService

router = APIRouter()


@router.get("/orders")
async def list_orders(service: OrderService = Depends()) -> list[OrderOut]:
    return await service.list_orders()
""",
        good="""\
# app/routers/orders.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.domain.user import User
from app.schemas.order import OrderOut
from app.services.order_service import OrderService

router = APIRouter()


@router.get("/orders")
async def list_orders(
    user: User = Depends(get_current_user), service: OrderService = Depends()
) -> list[OrderOut]:
    return await service.list_orders(owner_id=user.id)
""",
        scope=ROUTE_HANDLERS,
        reported_on="the `def` line",
        default_on=False,
        options=AuthOptions,
        limits="Also auth: `dependencies=[Depends(<auth>)]` in the route decorator; the "
        "router the decorator is called on, when it is created in the same module as "
        "`APIRouter(dependencies=[Depends(<auth>)])` (or `FastAPI(...)`); a same-module "
        "alias `CurrentUser = Annotated[User, Depends(<auth>)]` (and aliases of it); "
        "imported aliases named in `auth-annotations`; and a same-module function whose "
        "parameters depend on an auth dependency (it becomes one). `Depends`/`Security` "
        "are matched by name, `Depends(factory(...))` by the factory's name. "
        "A router also gets auth where it is included, in any module of the project "
        "(read, not imported, only when FAL208 is on, the first 20,000 files in path "
        "order; regular files only: a FIFO, device or socket named `*.py`, also behind "
        f"a symlink, is never opened for reading; a file over {MAX_FILE_BYTES:,} bytes is "
        "skipped, so a route included with auth only there is reported; `site-packages` "
        "and files under the `test` layer are ignored, since tests include routers "
        "bare): `app.include_router(orders.router, "
        "dependencies=[Depends(<auth>)])`, or `include_router` into a router created "
        "with auth, itself included with auth, and so on; every place that includes "
        "the router must give auth. A router created inside a function (a router "
        "factory) counts, and so does a dependencies list it names that the same "
        "function builds (`deps.append(Depends(<auth>))`, also under an `if`: auth "
        "switched by configuration is still auth). The included router is followed "
        "through the including module's imports (`from .orders import router`, "
        "`from . import orders` then `orders.router`), not through re-exports of "
        f"another package. String annotations over {MAX_ANNOTATION_CHARS:,} characters or "
        f"nested over {MAX_ANNOTATION_DEPTH} levels are not read (by any rule). "
        "Not seen: auth done inside the handler body.",
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}


# -- helpers ------------------------------------------------------------------


def _route_decorators(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.Call]:
    """Every decorator of ``func`` shaped like a route decorator."""
    for decorator in func.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ROUTE_METHODS
        ):
            yield decorator


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword
    return None


def _is_204(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value == 204 and not isinstance(node.value, bool)
    return last_name(node) in ("HTTP_204_NO_CONTENT", "NO_CONTENT")


def _int_literal(node: ast.expr | None) -> ast.Constant | None:
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        return node
    return None


def status_constant(value: int) -> str:
    """The named constant to suggest for a status integer."""
    try:
        name = _STATUS_NAMES.get(value) or HTTPStatus(value).name
    except ValueError:
        return "a named constant"
    return f"status.HTTP_{value}_{name} (fastapi.status)"


def _is_logger(receiver: ast.expr) -> bool:
    name = last_name(receiver)
    if name is None:
        return False
    name = name.strip("_").lower()
    return name in LOGGER_NAMES or name.endswith("logger")


def _is_depends(call: ast.AST) -> bool:
    """``Depends(...)``/``Security(...)``, however imported (lenient)."""
    if not isinstance(call, ast.Call):
        return False
    name = last_name(call.func)
    return name in ("Depends", "Security")


def _raises_http(stmt: ast.stmt) -> bool:
    """``raise <...>HTTPException(...)``: matched by the class's name, leniently.

    This only *exempts* code from FAL205, so a project's ``NotFoundHTTPException``
    or an unresolvable ``HTTPException`` counts as translation too.
    """
    if not isinstance(stmt, ast.Raise) or stmt.exc is None:
        return False
    exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
    name = last_name(exc)
    return name is not None and name.endswith("HTTPException")


def _is_log_stmt(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and _is_logger(stmt.value.func.value)
    )


def _only_raises_http(body: list[ast.stmt], bare_raise: bool) -> bool:
    """A block that only raises ``HTTPException``, after optional logging and
    assignments to plain names (composing the message: ``msg = f"..."``)."""
    if not body:
        return False
    *head, last = body
    if not all(_is_log_stmt(s) or isinstance(s, ast.Pass) or _names_a_value(s) for s in head):
        return False
    if bare_raise and isinstance(last, ast.Raise) and last.exc is None:
        return True
    return _raises_http(last)


def _names_a_value(stmt: ast.stmt) -> bool:
    """``msg = ...`` / ``msg: str = ...``: binds a plain name, nothing else."""
    if isinstance(stmt, ast.Assign):
        return all(isinstance(t, ast.Name) for t in stmt.targets)
    return isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)


def _none_check(test: ast.expr) -> bool:
    """``x is None``, ``x == None``, ``not x``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return isinstance(test.operand, (ast.Name, ast.Attribute, ast.NamedExpr))
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
    ):
        right = test.comparators[0]
        return isinstance(right, ast.Constant) and right.value is None
    return False


def _is_translating_try(node: ast.AST) -> bool:
    handlers: list[ast.ExceptHandler] = getattr(node, "handlers", [])
    if not handlers or getattr(node, "orelse", None):
        return False
    return all(_only_raises_http(h.body, bare_raise=True) for h in handlers)


def _is_not_found_guard(node: ast.If) -> bool:
    return not node.orelse and _none_check(node.test) and _only_raises_http(node.body, False)


def _all_params(args: ast.arguments) -> list[tuple[ast.arg, ast.expr | None]]:
    """``(parameter, default)`` pairs."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults.extend(args.defaults)
    pairs = list(zip(positional, defaults))
    pairs.extend(zip(args.kwonlyargs, args.kw_defaults))
    return pairs


def _annotated_metadata(annotation: ast.expr | None) -> list[ast.expr]:
    """The metadata of ``Annotated[T, m1, m2]`` (also quoted), else []."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        annotation = parse_string_annotation(annotation)  # bounded: long or deep strings are None
    if (
        isinstance(annotation, ast.Subscript)
        and last_name(annotation.value) == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        return list(annotation.slice.elts[1:])
    return []


# -- the checkers -------------------------------------------------------------


class RouteChecker(Checker):
    """FAL201, FAL202, FAL205, FAL206, FAL207, FAL208: route handlers and statuses."""

    rules = (_BY_CODE["FAL201"], _BY_CODE["FAL202"], _BY_CODE["FAL205"], _BY_CODE["FAL206"], _BY_CODE["FAL207"], _BY_CODE["FAL208"],)

    def begin(self) -> None:
        ctx = self.ctx
        self.max_flow = ctx.config.options(ControlFlowOptions).max_control_flow
        self.check_status = ctx.layer != "test"
        #: id(handler node) -> control-flow statements counted so far
        self.flow: dict[int, int] = {}
        #: ids of select()/text() calls already covered by a reported session call
        self.covered: set[int] = set()
        self._auth: _AuthFacts | None = None

    # -- handlers: def line -------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_def(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_def(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave_def(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._leave_def(node)

    def _enter_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not node.decorator_list:
            return
        decorators = list(_route_decorators(node))
        if not decorators:
            return
        if self.check_status:
            for decorator in decorators:
                keyword = _keyword(decorator, "status_code")
                if keyword is not None:
                    self._status(keyword.value, "the route decorator")
        route = route_of(node)
        if route is None:
            return
        ctx = self.ctx
        self.flow[id(node)] = 0
        if isinstance(node, ast.FunctionDef):
            ctx.report("FAL201", node, name=node.name)
        if route.method != "websocket" and node.returns is None and not any(
            _declares_response(d) for d in decorators
        ):
            ctx.report("FAL206", node, name=node.name)
        if ctx.reports(_BY_CODE["FAL208"]):
            self._check_auth(node, decorators, route.method, route.path)

    def _leave_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        count = self.flow.pop(id(node), None)
        if count is not None and count > self.max_flow:
            self.ctx.report("FAL205", node, name=node.name, count=count, max=self.max_flow)

    # -- FAL205: control flow ------------------------------------------------

    def _handler(self) -> Frame | None:
        """The innermost route handler whose body (or nested code) we are in."""
        frames = self.ctx.frames
        if not frames:
            return None
        cache = frames[-1].cache
        if "fal2_handler" in cache:
            handler: Frame | None = cache["fal2_handler"]
            return handler
        handler = None
        for frame in reversed(frames):
            if frame_route(frame) is not None:
                handler = frame
                break
        cache["fal2_handler"] = handler
        return handler

    def _count(self, node: ast.AST) -> None:
        handler = self._handler()
        if handler is not None:
            key = id(handler.node)
            if key in self.flow:
                self.flow[key] += 1

    def visit_If(self, node: ast.If) -> None:
        if not _is_not_found_guard(node):
            self._count(node)

    def visit_For(self, node: ast.For) -> None:
        self._count(node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._count(node)

    def visit_While(self, node: ast.While) -> None:
        self._count(node)

    def visit_With(self, node: ast.With) -> None:
        self._count(node)
        self._note_client_sessions(node)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._count(node)
        self._note_client_sessions(node)

    def visit_Match(self, node: ast.Match) -> None:
        self._count(node)

    def visit_Try(self, node: ast.Try) -> None:
        if not _is_translating_try(node):
            self._count(node)

    if _TRY_STAR is not None:

        def visit_TryStar(self, node: ast.AST) -> None:
            if not _is_translating_try(node):
                self._count(node)

    # -- FAL202: data access ---------------------------------------------------

    def _client_names(self, handler: Frame) -> set[str]:
        names: set[str] | None = handler.cache.get("fal2_clients")
        if names is None:
            names = set()
            handler.cache["fal2_clients"] = names
        return names

    def _note_client_sessions(self, node: ast.With | ast.AsyncWith) -> None:
        handler = self._handler()
        if handler is None:
            return
        for item in node.items:
            target = item.optional_vars
            if isinstance(target, ast.Name) and target.id in SESSION_NAMES:
                if is_client_type(item.context_expr, self.ctx):
                    self._client_names(handler).add(target.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.value, ast.Call):
            return
        target = node.targets[0]
        if isinstance(target, ast.Name) and target.id in SESSION_NAMES:
            handler = self._handler()
            if handler is not None and is_client_type(node.value, self.ctx):
                self._client_names(handler).add(target.id)

    def _is_db_session(self, receiver: ast.expr, handler: Frame) -> bool:
        """A session by the shared test, unless the handler bound that name to
        an HTTP client (``async with aiohttp.ClientSession() as session``)."""
        if not is_session_like(receiver, self.ctx):
            return False
        return not (isinstance(receiver, ast.Name) and receiver.id in self._client_names(handler))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            attr = func.attr
            if attr in DATA_METHODS:
                handler = self._handler()
                if (
                    handler is not None
                    and not (attr in HTTP_VERBS and self._http_request_shape(node))
                    and self._is_db_session(func.value, handler)
                ):
                    receiver = dotted(func.value) or "session"
                    self._cover_builders(node)
                    name = getattr(handler.node, "name", "<lambda>")
                    self.ctx.report(
                        "FAL202", node, name=name, what=f"calls {receiver}.{attr}()"
                    )
                    return
            elif attr == "add_api_route" and self.check_status:
                keyword = _keyword(node, "status_code")
                if keyword is not None:
                    self._status(keyword.value, "add_api_route()")
        if id(node) in self.covered:
            self.covered.discard(id(node))
        elif self.ctx.frames and last_name(func) in ("select", "text"):
            builder = sql_builder(node, self.ctx.names)
            if builder is not None:
                handler = self._handler()
                if handler is not None:
                    name = getattr(handler.node, "name", "<lambda>")
                    self.ctx.report("FAL202", node, name=name, what=f"builds {builder}()")
                    return
        if self.check_status and (node.args or node.keywords):
            self._status_call(node)

    def _http_request_shape(self, call: ast.Call) -> bool:
        """``session.get("https://...")``, ``session.get(url=...)``, ``with s.get(u) as r``.

        ``Session.get(Model, id)`` takes a class; an HTTP client's ``get`` takes a
        URL and is often used as a context manager (aiohttp); a DB session's never.
        """
        if isinstance(self.ctx.parent, ast.withitem) or _keyword(call, "url") is not None:
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

    # -- FAL207: magic status integers ----------------------------------------

    def _status_call(self, node: ast.Call) -> None:
        if not self.check_status:
            return
        name = last_name(node.func)
        if name is None:
            return
        if name.endswith("HTTPException"):
            if not is_http_exception(node.func, self.ctx.names):
                return
            position = 0
            where = "HTTPException()"
        elif name.endswith("Response"):
            if self.ctx.names.qualname(node.func) not in RESPONSE_CLASSES:
                return
            position = 1
            where = f"{name}()"
        else:
            return
        keyword = _keyword(node, "status_code")
        if keyword is not None:
            self._status(keyword.value, where)
        elif len(node.args) > position and not any(
            isinstance(a, ast.Starred) for a in node.args[: position + 1]
        ):
            self._status(node.args[position], where)

    def _status(self, value: ast.expr, where: str) -> None:
        literal = _int_literal(value)
        if literal is not None:
            code = literal.value
            assert isinstance(code, int)
            self.ctx.report(
                "FAL207", literal, value=code, where=where, constant=status_constant(code)
            )

    # -- FAL208: auth --------------------------------------------------------------

    def _check_auth(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        decorators: list[ast.Call],
        method: str,
        path: str | None,
    ) -> None:
        if self._auth is None:
            ctx = self.ctx
            self._auth = _AuthFacts(ctx.tree, ctx.names, ctx.config)
        facts = self._auth
        receivers = [dotted(d.func.value) for d in decorators if isinstance(d.func, ast.Attribute)]
        if facts.public(path, receivers):
            return
        if any(facts.covered_router(r) for r in receivers if r):
            return
        if any(facts.deps_list_has_auth(_keyword(d, "dependencies")) for d in decorators):
            return
        if facts.signature_has_auth(node.args):
            return
        if receivers and all(r and facts.router_authenticated(r, self.ctx) for r in receivers):
            return
        label = f"{method.upper()} {path}" if path is not None else method.upper()
        self.ctx.report(
            "FAL208", node, name=node.name, route=label, dependency=facts.first_dependency
        )


def _declares_response(decorator: ast.Call) -> bool:
    if _keyword(decorator, "response_model") or _keyword(decorator, "response_class"):
        return True
    status = _keyword(decorator, "status_code")
    return status is not None and _is_204(status.value)


class _AuthFacts:
    """What the module says about auth (FAL208), computed once on first use.

    A bounded scan of module-level statements: aliases ``X = Annotated[...,
    Depends(auth)]``, functions whose parameters depend on auth (they become auth
    dependencies themselves), and routers created with auth ``dependencies=``.
    """

    def __init__(self, tree: ast.Module, names: Names, config: Config) -> None:
        self.names = names
        options = config.options(AuthOptions)
        configured = options.auth_dependencies
        self.first_dependency = configured[0] if configured else "get_current_user"
        self.dependencies = set(configured)
        self.annotations = set(options.auth_annotations)
        self.public_globs = options.public_paths
        #: router variable -> (prefix, has auth dependencies)
        self.routers: dict[str, tuple[str, bool]] = {}
        #: routers of every scope of the module, read on first need
        self._scanned: ScannedModule | None = None
        body = tree.body
        functions = [s for s in body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
        changed = True
        # aliases and provider functions may build on one another: to a fixpoint
        while changed:
            changed = False
            for stmt in body:
                alias = _alias_assignment(stmt)
                if alias is not None and alias[0] not in self.annotations:
                    if self.annotation_has_auth(alias[1]):
                        self.annotations.add(alias[0])
                        changed = True
            for function in functions:
                if function.name not in self.dependencies and self.signature_has_auth(
                    function.args
                ):
                    self.dependencies.add(function.name)
                    changed = True
        for stmt in body:
            if (
                isinstance(stmt, (ast.Assign, ast.AnnAssign))
                and isinstance(stmt.value, ast.Call)
                and last_name(stmt.value.func) in ("APIRouter", "FastAPI")
            ):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                prefix_node = _keyword(stmt.value, "prefix")
                prefix = ""
                if prefix_node is not None and isinstance(prefix_node.value, ast.Constant):
                    prefix = str(prefix_node.value.value)
                auth = self.deps_list_has_auth(_keyword(stmt.value, "dependencies"))
                for target in targets:
                    name = dotted(target)
                    if name:
                        self.routers[name] = (prefix, auth)

    def is_auth_callable(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Call):  # Depends(RoleChecker(...)), Depends(auth(scopes))
            node = node.func
        text = dotted(node)
        if text is None:
            return False
        if text in self.dependencies or text.rpartition(".")[2] in self.dependencies:
            return True
        qualified = self.names.qualname(node)
        return qualified is not None and qualified in self.dependencies

    def is_auth_marker(self, node: ast.AST) -> bool:
        """``Depends(<auth>)`` / ``Security(<auth>)``."""
        if not _is_depends(node):
            return False
        assert isinstance(node, ast.Call)
        dependency: ast.AST | None = node.args[0] if node.args else None
        keyword = _keyword(node, "dependency")
        if keyword is not None:
            dependency = keyword.value
        return dependency is not None and self.is_auth_callable(dependency)

    def annotation_has_auth(self, annotation: ast.expr | None) -> bool:
        if annotation is None:
            return False
        if any(self.is_auth_marker(m) for m in _annotated_metadata(annotation)):
            return True
        text = annotation.value if isinstance(annotation, ast.Constant) else dotted(annotation)
        if not isinstance(text, str):
            return False
        return text in self.annotations or text.rpartition(".")[2] in self.annotations

    def signature_has_auth(self, args: ast.arguments) -> bool:
        for arg, default in _all_params(args):
            if default is not None and self.is_auth_marker(default):
                return True
            if self.annotation_has_auth(arg.annotation):
                return True
        return False

    def deps_list_has_auth(self, keyword: ast.keyword | None) -> bool:
        if keyword is None or not isinstance(keyword.value, (ast.List, ast.Tuple)):
            return False
        return any(self.is_auth_marker(element) for element in keyword.value.elts)

    def covered_router(self, receiver: str) -> bool:
        return self.routers.get(receiver, ("", False))[1]

    def router_authenticated(self, receiver: str, ctx: Context) -> bool:
        """The router a route is on gets auth where it is created (in any scope
        of this module) or where it is included (in any module)."""
        if self._scanned is None:
            self._scanned = scan_module(ctx.tree, ctx.info.relpath, ctx.names)
        scanned = self._scanned
        module = module_name(ctx.info.relpath)
        key = f"{module}.{receiver}"
        function = next(
            (p for p in reversed(ctx.parents) if isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef))),
            None,
        )
        if function is not None and f"{module}.{function.name}.<locals>.{receiver}" in scanned.routers:
            key = f"{module}.{function.name}.<locals>.{receiver}"
        site = scanned.routers.get(key)
        if site is not None and any(self.is_auth_marker(d) for d in site.dependencies):
            return True
        return _included_auth(ctx.info.root, ctx.config).authenticated(key)

    def public(self, path: str | None, receivers: list[str | None]) -> bool:
        if path is None or not self.public_globs:
            return False
        candidates = {_normalise(path)}
        for receiver in receivers:
            if receiver and receiver in self.routers:
                candidates.add(_normalise(self.routers[receiver][0] + path))
        return any(
            fnmatch.fnmatchcase(candidate, _normalise(glob))
            for candidate in candidates
            for glob in self.public_globs
        )


class _IncludedAuth:
    """Which routers of a project are included with auth, from any module.

    A router is authenticated when it is created with an auth dependency, or
    when every place that includes it (outside tests, which include routers
    bare to exercise them) passes an auth dependency or includes it into an
    authenticated router.
    """

    def __init__(self, root: str, config: Config) -> None:
        #: router key -> created with an auth dependency
        self.own: dict[str, bool] = {}
        #: router key -> (key of the router it is included into, include has auth)
        self.parents: dict[str, list[tuple[str, bool]]] = {}
        self._memo: dict[str, bool] = {}
        for module in including_modules(root):
            if config.layer_map.classify(module.relpath) == "test":
                continue
            facts = _AuthFacts(module.tree, module.names, config)
            for key, site in module.routers.items():
                self.own[key] = any(facts.is_auth_marker(d) for d in site.dependencies)
            for include in module.includes:
                auth = any(facts.is_auth_marker(d) for d in include.dependencies)
                self.parents.setdefault(include.child, []).append((include.parent, auth))

    def authenticated(self, key: str) -> bool:
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        self._memo[key] = False  # a cycle of includes adds no auth
        parents = self.parents.get(key, [])
        result = self.own.get(key, False) or (
            bool(parents) and all(auth or self.authenticated(p) for p, auth in parents)
        )
        self._memo[key] = result
        return result


@functools.lru_cache(maxsize=8)
def _included_auth(root: str, config: Config) -> _IncludedAuth:
    return _IncludedAuth(root, config)


def _normalise(path: str) -> str:
    path = path if path.startswith("/") else "/" + path
    return path.rstrip("/") or "/"


def _alias_assignment(stmt: ast.stmt) -> tuple[str, ast.expr] | None:
    """``X = Annotated[...]``, ``X: TypeAlias = ...``, ``type X = ...``."""
    name: object = None
    value: object = None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        name, value = stmt.targets[0], stmt.value
    elif isinstance(stmt, ast.AnnAssign):
        name, value = stmt.target, stmt.value
    elif type(stmt).__name__ == "TypeAlias":
        name, value = getattr(stmt, "name", None), getattr(stmt, "value", None)
    if isinstance(name, ast.Name) and isinstance(value, (ast.Subscript, ast.Name, ast.Attribute)):
        return name.id, value
    return None


class SqlLiteralChecker(Checker):
    """FAL203: raw SQL literals in routers and services."""

    rules = (_BY_CODE["FAL203"],)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not isinstance(value, str) or len(value) < 10:
            return
        parent = self.ctx.parent
        if isinstance(parent, (ast.JoinedStr, ast.Expr)):
            return  # part of an f-string (checked whole), or a docstring / bare string
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add) and parent.left is node:
            value = value + _PLACEHOLDER
        self._check(node, value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        parent = self.ctx.parent
        if isinstance(parent, (ast.FormattedValue, ast.Expr)):
            return
        parts: list[str] = []
        for part in node.values[:12]:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                parts.append(part.value)
            else:
                parts.append(_PLACEHOLDER)
        self._check(node, "".join(parts))

    def _check(self, node: ast.expr, text: str) -> None:
        statement = sql_statement(text)
        if statement is None or self._prose_context(node):
            return
        if len(statement) > 60:
            statement = statement[:57] + "…"
        self.ctx.report("FAL203", node, statement=statement, layer=self.ctx.layer)

    def _prose_context(self, node: ast.AST) -> bool:
        """Under a text keyword or an argument of a logging call."""
        child: ast.AST = node
        for parent in reversed(self.ctx.parents):
            if isinstance(parent, ast.stmt):
                return False
            if isinstance(parent, ast.keyword) and parent.arg in TEXT_KEYWORDS:
                return True
            if (
                isinstance(parent, ast.Call)
                and child is not parent.func
                and isinstance(parent.func, ast.Attribute)
                and _is_logger(parent.func.value)
            ):
                return True
            child = parent
        return False


class RouterModelChecker(Checker):
    """FAL204: pydantic models defined in router modules."""

    rules = (_BY_CODE["FAL204"],)

    def begin(self) -> None:
        self.local_models: set[str] = set()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if not node.bases:
            return
        names = self.ctx.names
        is_model = False
        for base in node.bases:
            if isinstance(base, ast.Subscript):  # RootModel[list[int]], Generic-ish
                base = base.value
            if isinstance(base, ast.Name) and base.id in self.local_models:
                is_model = True
                break
            if names.qualname(base) in PYDANTIC_BASES:
                is_model = True
                break
        if not is_model:
            return
        table = _keyword_of_class(node, "table")
        if table is not None and isinstance(table, ast.Constant) and table.value is True:
            return
        self.local_models.add(node.name)
        self.ctx.report("FAL204", node, name=node.name)


def _keyword_of_class(node: ast.ClassDef, name: str) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


CHECKERS = [RouteChecker, SqlLiteralChecker, RouterModelChecker]
