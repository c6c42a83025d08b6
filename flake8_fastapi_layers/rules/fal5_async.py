"""FAL5xx: async code (RULES.md §6).

FAL501–FAL504 look only at code directly inside an ``async def`` body (a
nested plain ``def`` or a lambda is a frame of its own and runs wherever it is
called).  FAL505 looks at every function of the layered application code.

What blocks is :mod:`flake8_fastapi_layers.blocking`, shared with the mypy
plugin's ``fal-blocking-in-async`` so that both front ends agree.
"""

from __future__ import annotations

import ast
import functools
from typing import TYPE_CHECKING, Iterable

from ..analysis import all_args, is_session_like
from ..blocking import (
    ASYNC_SESSION_CLASSES,
    BlockingOptions,
    ASYNC_SESSIONMAKERS,
    SYNC_SESSION_CLASSES,
    SYNC_SESSIONMAKERS,
    alternative,
    blocking_calls,
)
from ..catalogue import Rule, Scope
from ..checker import Checker, Frame
from ..layers import LAYERS
from ..names import bound_names, dotted

if TYPE_CHECKING:
    from ..config import Config

# -- FAL502: work pushed to a thread ----------------------------------------------

THREAD_OFFLOADS: frozenset[str] = frozenset(
    {
        "asyncio.to_thread",
        "asyncio.threads.to_thread",
        "fastapi.concurrency.run_in_threadpool",
        "starlette.concurrency.run_in_threadpool",
        "anyio.to_thread.run_sync",
    }
)

# -- FAL503: spawning tasks ------------------------------------------------------------

TASK_SPAWNERS: frozenset[str] = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
    }
)
LOOP_GETTERS: frozenset[str] = frozenset(
    {
        "asyncio.get_event_loop",
        "asyncio.get_running_loop",
        "asyncio.new_event_loop",
        "asyncio.events.get_event_loop",
        "asyncio.events.get_running_loop",
        "asyncio.events.new_event_loop",
    }
)
_LOOP_GETTER_NAMES = frozenset(q.rpartition(".")[2] for q in LOOP_GETTERS)
_LOOP_NAMES = frozenset({"loop", "_loop", "event_loop", "_event_loop"})

# -- FAL504: shared state ---------------------------------------------------------------

#: Methods that change a list, dict, set, deque … in place.
MUTATING_METHODS: frozenset[str] = frozenset(
    {
        "append", "appendleft", "extend", "extendleft", "insert", "remove",
        "pop", "popleft", "popitem", "clear", "update", "add", "discard",
        "setdefault", "sort", "reverse", "rotate",
        "difference_update", "intersection_update", "symmetric_difference_update",
    }
)  # fmt: skip
MUTABLE_CONSTRUCTORS: dict[str, str] = {
    "builtins.list": "list",
    "builtins.dict": "dict",
    "builtins.set": "set",
    "builtins.bytearray": "bytearray",
    "collections.defaultdict": "defaultdict",
    "collections.deque": "deque",
    "collections.OrderedDict": "OrderedDict",
    "collections.Counter": "Counter",
    "collections.ChainMap": "ChainMap",
    "weakref.WeakValueDictionary": "WeakValueDictionary",
    "weakref.WeakKeyDictionary": "WeakKeyDictionary",
    "weakref.WeakSet": "WeakSet",
}
_LOCK_WORDS = ("lock", "mutex")
#: a global holding the guard itself (created lazily) is not shared state
_GUARD_WORDS = ("lock", "mutex", "semaphore")
_LIFECYCLE_WORDS = ("lifespan", "startup", "shutdown")
#: storing a task in a module-level registry is how FAL503 is fixed
_KEEP_METHODS = frozenset({"add", "append", "appendleft", "insert", "setdefault"})

# -- FAL505: sessions made by hand ---------------------------------------------------------

#: Project session factories, matched by name (RULES.md FAL505 names them).
SESSION_FACTORY_NAMES: frozenset[str] = frozenset(
    {"SessionLocal", "AsyncSessionLocal", "async_session", "async_session_maker"}
)
SESSION_EXEMPT_LAYERS: frozenset[str] = frozenset(
    {"dependencies", "app", "config", "test", "migration"}
)

#: What FAL501-FAL504 look at.
ASYNC_BODIES = Scope(subject="code directly inside `async def` bodies")

RULES: tuple[Rule, ...] = (
    Rule(
        code="FAL501",
        name="blocking-call-in-async",
        message="blocking call '{name}' in async def '{func}' stalls the event loop; "
        "use {alternative}",
        summary="A blocking call directly inside an `async def`: `time.sleep`, "
        "`requests.get/post/…`, `requests.Session()`, `urllib.request.urlopen`, the "
        "`httpx` module helpers and `httpx.Client()`, `subprocess.run/call/check_call/"
        "check_output/Popen`, `os.system`, `os.popen`, built-in `open()` and `input()`, "
        "`socket.create_connection`, and sync SQLAlchemy: `create_engine()`, "
        "`sessionmaker(...)()`, `Session(...)`.",
        rationale="An `async def` runs on the event loop: while a blocking call waits, "
        "every other request on the worker waits too. Guideline: do not call blocking "
        "I/O in async handlers; all DB operations use `AsyncSession`.",
        fix="Use the async equivalent (`await asyncio.sleep`, `httpx.AsyncClient`, "
        "`asyncio.create_subprocess_exec`, `anyio.open_file`, `create_async_engine` + "
        "`AsyncSession`), or move non-database blocking work to "
        "`await asyncio.to_thread(func, ...)`.",
        bad="""\
# app/services/rates_service.py
from __future__ import annotations

import requests

RATES_URL = "https://rates.example.com/latest"


async def fetch_rates() -> dict[str, float]:
    return requests.get(RATES_URL, timeout=5).json()
""",
        good="""\
# app/services/rates_service.py
from __future__ import annotations

import httpx

RATES_URL = "https://rates.example.com/latest"


async def fetch_rates(client: httpx.AsyncClient) -> dict[str, float]:
    response = await client.get(RATES_URL, timeout=5)
    return response.json()
""",
        scope=ASYNC_BODIES,
        reported_on="the call",
        options=BlockingOptions,
        limits="`requests.*` means the request helpers (`get`, `post`, `put`, `patch`, "
        "`delete`, `head`, `options`, `request`) and `Session()`/`session()`; other "
        "names of the package (`requests.exceptions.*`, `requests.Request`) do no I/O. "
        "Names are resolved through the module's imports (`import time as t`, "
        "`from time import sleep as nap`); `open` shadowed by a module-level def or an "
        "import (`from aiofiles import open`) is not the built-in, and methods called "
        "`open` (`path.open()`, `self.open()`) are not resolved. Passing a blocking "
        "function to `asyncio.to_thread`/`run_in_executor` is not a call of it. Code in "
        "a nested `def` or lambda is not checked (it runs where it is called). Only "
        "creating a `requests.Session`/`httpx.Client`/sync `Session` is flagged; calling "
        "methods on one is the mypy plugin's `fal-blocking-in-async`. "
        "`sessionmaker(..., class_=AsyncSession)(...)` is async and not flagged; a "
        "module-level `X = sessionmaker(...)` makes `X()` in the same module a sync "
        "session. In `test` modules `time.sleep` is left to FAL901 (one finding per "
        "offence). The default list is `BLOCKING_CALLS` in "
        "`flake8_fastapi_layers.rules.fal5_async`.",
        mypy_code="fal-blocking-in-async",
    ),
    Rule(
        code="FAL502",
        name="db-call-in-thread",
        message="database work pushed to a thread with '{offload}' in async def "
        "'{func}' (uses '{session}'); use an AsyncSession and await the query",
        summary="Inside an `async def`, `<loop>.run_in_executor`, `asyncio.to_thread`, "
        "`run_in_threadpool` (fastapi/starlette) or `anyio.to_thread.run_sync` is given "
        "a callable or arguments that reference a session-like object.",
        rationale="Guideline: do not use `run_in_executor` for DB calls; all DB "
        "operations use `AsyncSession` with native async drivers. A sync session in a "
        "thread pool ties up a thread per query, is not thread-safe when shared with "
        "the request, and hides the blocking design.",
        fix="Use `AsyncSession` (`create_async_engine`, `async_sessionmaker`) and "
        "`await session.execute(...)` in a repository.",
        bad="""\
# app/repositories/user_repository.py
from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.user import User


async def all_users(session: Session) -> list[User]:
    users = await asyncio.to_thread(session.scalars, select(User))
    return list(users)
""",
        good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def all_users(session: AsyncSession) -> list[User]:
    users = await session.scalars(select(User))
    return list(users)
""",
        scope=ASYNC_BODIES,
        reported_on="the call",
        limits="A session-like object is found by the shared rule (names `db`, "
        "`session`, `db_session`, attributes `.db`/`.session`, parameters annotated "
        "`Session`/`AsyncSession`) anywhere in the callable or the arguments, including "
        "`db.query`, `lambda: db.execute(...)` and `functools.partial(session.execute, "
        "...)`; a reference to a session factory (`SessionLocal`, `AsyncSessionLocal`, "
        "`async_session`, `async_session_maker`) or to SQLAlchemy's `Session` counts "
        "too. A helper that opens its own session inside the thread, passed without a "
        "session argument, cannot be seen; a non-database object named `session` "
        "(say a `requests.Session`) is taken for a database session, as in FAL202.",
    ),
    Rule(
        code="FAL503",
        name="untracked-task",
        message="task from '{spawner}' is discarded in async def '{func}'; keep a "
        "reference (a set of tasks, a TaskGroup) or use BackgroundTasks",
        summary="The result of `asyncio.create_task(...)`, `asyncio.ensure_future(...)` "
        "or `<loop>.create_task(...)` is thrown away (the call is an expression "
        "statement).",
        rationale="The event loop keeps only weak references to tasks: an untracked task "
        "can be garbage-collected mid-flight, its exceptions are never seen and "
        "shutdown cannot wait for it. Guideline: background work uses `BackgroundTasks` "
        "or a task queue, never an untracked `asyncio.create_task()`.",
        fix="Use `BackgroundTasks.add_task`, an `asyncio.TaskGroup`, or keep the task "
        "(`tasks.add(task); task.add_done_callback(tasks.discard)`).",
        bad="""\
# app/routers/orders.py
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.schemas.order import OrderIn, OrderOut
from app.services.mail_service import send_confirmation
from app.services.order_service import OrderService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/orders")
async def place_order(order: OrderIn, service: OrderService = Depends()) -> OrderOut:
    placed = await service.place(order)
    asyncio.create_task(send_confirmation(placed.id))
    return placed
""",
        good="""\
# app/routers/orders.py
from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends

from app.dependencies import get_current_user
from app.schemas.order import OrderIn, OrderOut
from app.services.mail_service import send_confirmation
from app.services.order_service import OrderService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/orders")
async def place_order(
    order: OrderIn, background: BackgroundTasks, service: OrderService = Depends()
) -> OrderOut:
    placed = await service.place(order)
    background.add_task(send_confirmation, placed.id)
    return placed
""",
        scope=ASYNC_BODIES,
        reported_on="the call",
        limits="A loop is `asyncio.get_event_loop()`/`get_running_loop()`/"
        "`new_event_loop()` (called in place or assigned to a name in the function or "
        "the module) or a name or attribute `loop`/`_loop`/`event_loop`. "
        "`asyncio.create_task(x).add_done_callback(cb)` as a statement discards the task "
        "too. A task group's `tg.create_task(...)`, an awaited task and a task passed to "
        "a call (`tasks.add(asyncio.create_task(...))`) are fine. A task assigned to a "
        "local that is then forgotten is not detected. As RULES.md §6 says, only async "
        "bodies are checked: a plain `def` helper that calls `asyncio.create_task` "
        "(it needs a running loop, so it is called from async code) is not.",
    ),
    Rule(
        code="FAL504",
        name="unguarded-shared-state",
        message="unguarded shared state in async def '{func}': {what} '{name}'; guard it "
        "with 'async with <lock>:' or keep the state in a request-scoped dependency",
        summary="Inside an `async def` and outside `async with <…lock…>`: a `global` "
        "statement whose name is rebound, or a mutation of a module-level list, dict or "
        "set (literal, comprehension or constructor such as `dict()`, `defaultdict()`, "
        "`deque()`): item assignment, augmented item assignment, `del x[...]`, or a "
        "mutating method (`append`, `extend`, `insert`, `remove`, `pop`, `popitem`, "
        "`clear`, `update`, `add`, `discard`, `setdefault`, `sort`, …).",
        rationale="Guideline: never share mutable state between coroutines without "
        "locks. Module state is shared by every request on the worker (and not shared "
        "between workers), so it is a source of races and of inconsistent answers.",
        fix="Keep the state in a store injected through a dependency (database, cache, "
        "`app.state`), or guard each change with an `asyncio.Lock`.",
        bad="""\
# app/services/login_service.py
from __future__ import annotations

import secrets

from app.domain.user import User

_sessions: dict[str, User] = {}


async def log_in(user: User) -> str:
    token = secrets.token_urlsafe()
    _sessions[token] = user
    return token
""",
        good="""\
# app/services/login_service.py
from __future__ import annotations

import asyncio
import secrets

from app.domain.user import User

_sessions: dict[str, User] = {}
_sessions_lock = asyncio.Lock()


async def log_in(user: User) -> str:
    token = secrets.token_urlsafe()
    async with _sessions_lock:
        _sessions[token] = user
    return token
""",
        scope=ASYNC_BODIES,
        reported_on="the `global` statement, the assignment/`del` statement or the "
        "mutating call",
        limits="A `global` statement is reported only when the function rebinds one of "
        "its names outside a lock (`global x` followed by reads only, or by a rebinding "
        "inside `async with lock:`, is fine). Any `async with`/`with` whose context "
        "expression names something containing `lock` or `mutex` (`_lock`, "
        "`self.cache_lock`, `lock_for(key)`, `_locks.setdefault(key, Lock())`) guards its "
        "body, and `await <…lock…>.acquire()` guards the rest of the function. Lifecycle "
        "hooks run before requests are served and are exempt: async defs whose name "
        "contains `lifespan`, `startup` or `shutdown`, or decorated with "
        "`@<app>.on_event(...)` (FastAPI's own lifespan example fills a module dict). "
        "Call sites are not followed: a helper named otherwise (`close_session`) that "
        "only `lifespan` calls, in another module, is reported; name it after its "
        "role (`shutdown_session`) or silence it with `# noqa: FAL504` and a reason. "
        "Module-level containers whose name contains `lock` (a registry of locks) are "
        "exempt. A parameter or a local (or enclosing-function local) of the same name "
        "shadows the module-level one. A name that some module-level branch binds to "
        "something else (`POOL = RedisDict(...)` / `else: POOL = {}`) is not known to be "
        "a container and is skipped. Storing a new task in a module-level registry "
        "(`_tasks.add(task)`, `_jobs[key] = task`, with `task = asyncio.create_task(...)`) "
        "is the FAL503 remedy and is not reported. No credit is given for the absence "
        "of an `await` between a read and a write: the code stays correct only until "
        "someone adds one. Class attributes and `self.` state are not tracked; "
        "mutations through a helper function or an alias are not seen.",
    ),
    Rule(
        code="FAL505",
        name="session-created-by-hand",
        message="{layer} creates a database session by hand with '{name}'; "
        "take a request-scoped session injected with Depends from the dependencies layer",
        summary="A database session is created with `SessionLocal()`, "
        "`AsyncSessionLocal()`, `async_session()`, `async_session_maker()`, "
        "`sessionmaker(...)()`, `Session(engine)` or `AsyncSession(engine)` outside the "
        "`dependencies`, `app`, `config`, `test` and `migration` layers.",
        rationale="Guideline: database sessions are scoped per request via dependency "
        "injection. A session opened inside a service or repository escapes the "
        "request's transaction, cannot be replaced in tests and is easily leaked.",
        fix="Write one provider (`async def get_db_session(): async with "
        "AsyncSessionLocal() as session: yield session`) in the dependencies layer and "
        "take `session: AsyncSession = Depends(get_db_session)`.",
        bad="""\
# app/services/user_service.py
from __future__ import annotations

from app.db import AsyncSessionLocal
from app.repositories import user_repository


async def count_users() -> int:
    async with AsyncSessionLocal() as session:
        return await user_repository.count(session)
""",
        good="""\
# app/services/user_service.py
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.repositories import user_repository


async def count_users(session: AsyncSession) -> int:
    return await user_repository.count(session)
""",
        scope=Scope(layers=frozenset(LAYERS) - SESSION_EXEMPT_LAYERS, subject="any function (sync or async) and module level"),
        reported_on="the call",
        limits="`SessionLocal`, `AsyncSessionLocal`, `async_session` and "
        "`async_session_maker` are project objects, matched by name (as a name or an "
        "attribute, also `SessionLocal.begin()`); a name bound at module level to "
        "`sessionmaker(...)`/`async_sessionmaker(...)` counts too; `Session`, "
        "`AsyncSession` and the session makers are resolved to sqlalchemy/sqlmodel. "
        "Modules without a layer (`db/session.py`, `database.py`, scripts) are not "
        "checked: that is where session plumbing and one-off scripts live. A provider "
        "that creates the session and yields it (`db = SessionLocal(); yield db`, "
        "`async with async_session() as s: yield s`) is a dependency provider and is "
        "not reported, wherever it lives.",
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}

_STATE = "fal5"


class _FrameState:
    """Per-function facts this family collects while walking a body."""

    __slots__ = (
        "guard", "acquired", "bound", "params", "globals", "rebound",
        "loops", "tasks", "sessions", "provided", "lifecycle",
    )  # fmt: skip

    def __init__(self) -> None:
        self.guard = 0  # depth of enclosing lock-guarded `(async) with`
        self.acquired = False  # `await <lock>.acquire()` seen
        self.bound: set[str] = set()  # local names shadowing module mutables
        self.params: frozenset[str] | None = None
        self.globals: dict[str, ast.Global] = {}
        self.rebound: set[str] = set()  # global names rebound outside a lock
        self.loops: set[str] = set()  # names bound to an event loop
        self.tasks: set[str] = set()  # names bound to a new task
        #: FAL505 candidates: (call, what, variable the session is bound to)
        self.sessions: list[tuple[ast.Call, str, str | None]] = []
        self.provided: set[str] = set()  # session variables that are yielded
        self.lifecycle: bool | None = None


@functools.lru_cache(maxsize=64)
def _settings(
    config: Config,
) -> tuple[frozenset[str], frozenset[str], bool]:
    """Per-configuration facts, computed once (a Config hashes by identity)."""
    blocking = blocking_calls(config)
    attrs = frozenset(q.rpartition(".")[2] for q in blocking | THREAD_OFFLOADS)
    sessionmaker_allowed = not SYNC_SESSIONMAKERS.isdisjoint(
        config.options(BlockingOptions).allowed_calls
    )
    return blocking, attrs, sessionmaker_allowed


class AsyncChecker(Checker):
    rules = (_BY_CODE["FAL501"], _BY_CODE["FAL502"], _BY_CODE["FAL503"], _BY_CODE["FAL504"], _BY_CODE["FAL505"],)

    def begin(self) -> None:
        ctx = self.ctx
        config = ctx.config
        self.blocking, self.attrs, self.sessionmaker_allowed = _settings(config)
        self.on = {rule.code: ctx.reports(rule) for rule in self.rules}
        self.in_test = ctx.layer == "test"
        self.check_sessions = self.on["FAL505"] and (
            ctx.layer is not None and ctx.layer not in SESSION_EXEMPT_LAYERS
        )
        self.states: dict[int, _FrameState] = {}
        self.guards: set[int] = set()  # ids of lock-guarding with statements
        #: module-level mutable containers: name -> kind ("dict", "list", …)
        self.mutables: dict[str, str] = {}
        #: module-level names bound to sessionmaker(...) (sync) / any session maker
        self.sync_factories: set[str] = set()
        self.factories: set[str] = set()
        self.module_loops: set[str] = set()
        self._scan_module()

    # -- module scan -------------------------------------------------------------

    def _scan_module(self) -> None:
        names = self.ctx.names
        others: set[str] = set()  # bound at module level to something else too
        pending: list[list[ast.stmt]] = [self.ctx.tree.body]
        while pending:
            for stmt in pending.pop():
                if isinstance(stmt, ast.Assign):
                    targets = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
                    value: ast.expr | None = stmt.value
                elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    targets = [stmt.target.id]
                    value = stmt.value
                elif isinstance(stmt, (ast.If, ast.Try)):
                    pending.extend([stmt.body, stmt.orelse])
                    if isinstance(stmt, ast.Try):
                        pending.append(stmt.finalbody)
                        pending.extend(handler.body for handler in stmt.handlers)
                    continue
                else:
                    continue
                if not targets or value is None:
                    continue
                kind = self._mutable_kind(value)
                if kind is not None:
                    for target in targets:
                        if not _has_lock_word(target):
                            self.mutables[target] = kind
                    continue
                others.update(targets)
                if isinstance(value, ast.Call):
                    qualified = names.call_name(value)
                    if qualified in SYNC_SESSIONMAKERS or qualified in ASYNC_SESSIONMAKERS:
                        self.factories.update(targets)
                        if qualified in SYNC_SESSIONMAKERS and not self._async_class(value):
                            self.sync_factories.update(targets)
                    elif qualified in LOOP_GETTERS:
                        self.module_loops.update(targets)
        for name in others:
            self.mutables.pop(name, None)

    def _mutable_kind(self, value: ast.expr) -> str | None:
        if isinstance(value, (ast.List, ast.ListComp)):
            return "list"
        if isinstance(value, (ast.Dict, ast.DictComp)):
            return "dict"
        if isinstance(value, (ast.Set, ast.SetComp)):
            return "set"
        if isinstance(value, ast.Call):
            qualified = self.ctx.names.call_name(value)
            if qualified is not None:
                return MUTABLE_CONSTRUCTORS.get(qualified)
        return None

    def _async_class(self, call: ast.Call) -> bool:
        """``sessionmaker(..., class_=AsyncSession)``: an async session maker."""
        for keyword in call.keywords:
            if keyword.arg == "class_":
                value = keyword.value
                if self.ctx.names.qualname(value) in ASYNC_SESSION_CLASSES:
                    return True
                name = value.id if isinstance(value, ast.Name) else getattr(value, "attr", "")
                return "Async" in name
        return False

    # -- per-function state ----------------------------------------------------------

    def _state(self, frame: Frame) -> _FrameState:
        state = frame.cache.get(_STATE)
        if state is None:
            state = frame.cache[_STATE] = _FrameState()
            self.states[id(frame.node)] = state
        assert isinstance(state, _FrameState)
        return state

    def _leave_function(self, node: ast.AST) -> None:
        state = self.states.pop(id(node), None)
        if state is None:
            return
        func = getattr(node, "name", "<lambda>")
        for name in sorted(state.rebound):
            stmt = state.globals.get(name)
            if stmt is not None:
                self.ctx.report(
                    "FAL504", stmt, func=func, what="global statement rebinding", name=name
                )
                # one finding per global statement
                for other in [n for n, s in state.globals.items() if s is stmt]:
                    state.globals.pop(other, None)
        for call, what, variable in state.sessions:
            if variable is None or variable not in state.provided:
                self._report_session(call, what)

    leave_FunctionDef = _leave_function
    leave_AsyncFunctionDef = _leave_function
    leave_Lambda = _leave_function

    def _guarded(self, state: _FrameState) -> bool:
        return state.guard > 0 or state.acquired

    def _lifecycle(self, frame: Frame, state: _FrameState) -> bool:
        if state.lifecycle is None:
            node = frame.node
            name = getattr(node, "name", "").lower()
            found = any(word in name for word in _LIFECYCLE_WORDS)
            if not found:
                for decorator in getattr(node, "decorator_list", ()):
                    if (
                        isinstance(decorator, ast.Call)
                        and isinstance(decorator.func, ast.Attribute)
                        and decorator.func.attr == "on_event"
                    ):
                        found = True
            state.lifecycle = found
        return state.lifecycle

    def _shadowed(self, name: str) -> bool:
        """``name`` is a parameter or local of an enclosing function, not the module's."""
        frames = self.ctx.frames
        for index in range(len(frames) - 1, -1, -1):
            frame = frames[index]
            state = self._state(frame)
            if name in state.globals:
                return False
            if state.params is None:
                state.params = frozenset(arg.arg for arg in all_args(frame.node.args))
            if name in state.params or name in state.bound:
                return True
        return False

    # -- bindings (FAL504 shadowing and globals, FAL503 loops) --------------------------

    def _bind(self, target: ast.AST, value: ast.expr | None = None) -> None:
        frames = self.ctx.frames
        if not frames:
            return
        frame = frames[-1]
        existing = frame.cache.get(_STATE)
        watched: Iterable[str] = self.mutables
        if isinstance(existing, _FrameState) and existing.globals:
            watched = {*self.mutables, *existing.globals}
        if not watched:
            names: Iterable[str] = ()
        elif isinstance(target, ast.Name):
            names = (target.id,)
        else:
            names = bound_names(target)
        for name in names:
            if name in watched:
                state = self._state(frame)
                if name in state.globals:
                    if (
                        frame.is_async
                        and not _has_lock_word(name)
                        and not self._guarded(state)
                        and not self._lifecycle(frame, state)
                    ):
                        state.rebound.add(name)
                elif name in self.mutables:
                    state.bound.add(name)
        if isinstance(value, ast.Call) and frame.is_async:
            if _creates_task(value):
                self._state(frame).tasks.update(bound_names(target))
            elif (
                not isinstance(value.func, ast.Attribute)
                or value.func.attr in _LOOP_GETTER_NAMES
            ) and self.ctx.names.call_name(value) in LOOP_GETTERS:
                self._state(frame).loops.update(bound_names(target))

    def visit_Assign(self, node: ast.Assign) -> None:
        if not self.ctx.frames:
            return
        for target in node.targets:
            self._bind(target, node.value)
            self._store_target(target, node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self.ctx.frames and node.value is not None:
            self._bind(node.target, node.value)
            self._store_target(node.target, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if self.ctx.frames:
            self._bind(node.target)
            self._store_target(node.target, node)

    def visit_Delete(self, node: ast.Delete) -> None:
        if self.ctx.frames:
            for target in node.targets:
                self._bind(target)
                self._store_target(target, node)

    def visit_For(self, node: ast.For) -> None:
        self._bind(node.target)

    visit_AsyncFor = visit_For

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target)

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._bind(node.optional_vars)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name and self.ctx.frames and node.name in self.mutables:
            self._state(self.ctx.frames[-1]).bound.add(node.name)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        if self.ctx.frames:
            state = self._state(self.ctx.frames[-1])
            state.bound.update(n for n in node.names if n in self.mutables)

    def visit_Global(self, node: ast.Global) -> None:
        frame = self.ctx.frame
        if frame is None or not frame.is_async or not self.on["FAL504"]:
            return
        state = self._state(frame)
        for name in node.names:
            state.globals.setdefault(name, node)

    # -- FAL504: mutations ----------------------------------------------------------------

    def _store_target(self, target: ast.AST, stmt: ast.stmt) -> None:
        """``x[k] = …``, ``x[k] += …``, ``del x[k]`` on a module-level mutable."""
        if not isinstance(target, ast.Subscript):
            if isinstance(target, (ast.Tuple, ast.List)):
                for element in target.elts:
                    self._store_target(element, stmt)
            return
        base: ast.expr = target
        while isinstance(base, ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name) and base.id in self.mutables:
            if isinstance(stmt, ast.Assign) and self._is_task(stmt.value):
                return  # a task registry: `tasks[key] = task` keeps the task
            how = "item deletion" if isinstance(stmt, ast.Delete) else "item assignment"
            self._mutation(base.id, stmt, how)

    def _mutation(self, name: str, node: ast.AST, how: str) -> None:
        frame = self.ctx.frame
        if frame is None or not frame.is_async or not self.on["FAL504"]:
            return
        state = self._state(frame)
        if self._guarded(state) or self._lifecycle(frame, state) or self._shadowed(name):
            return
        self.ctx.report(
            "FAL504",
            node,
            func=getattr(frame.node, "name", "<lambda>"),
            what=f"{how} on module-level {self.mutables[name]}",
            name=name,
        )

    def _enter_with(self, node: ast.With | ast.AsyncWith) -> None:
        frame = self.ctx.frame
        if frame is None or not frame.is_async or not self.mutables and not self._has_globals(
            frame
        ):
            return
        if any(_mentions_lock(item.context_expr) for item in node.items):
            self._state(frame).guard += 1
            self.guards.add(id(node))

    def _leave_with(self, node: ast.With | ast.AsyncWith) -> None:
        if id(node) in self.guards:
            self.guards.discard(id(node))
            frame = self.ctx.frame
            if frame is not None:
                self._state(frame).guard -= 1

    visit_With = _enter_with
    visit_AsyncWith = _enter_with
    leave_With = _leave_with
    leave_AsyncWith = _leave_with

    def _is_task(self, node: ast.expr) -> bool:
        """A new task, or a name bound to one in this function (FAL503's remedy)."""
        if isinstance(node, ast.Call):
            return _creates_task(node)
        if isinstance(node, ast.Name):
            frame = self.ctx.frame
            state = frame.cache.get(_STATE) if frame is not None else None
            return isinstance(state, _FrameState) and node.id in state.tasks
        return False

    def _has_globals(self, frame: Frame) -> bool:
        state = frame.cache.get(_STATE)
        return isinstance(state, _FrameState) and bool(state.globals)

    # -- calls ------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        frames = self.ctx.frames
        if frames and frames[-1].is_async:
            self._async_call(node, frames[-1])
        if self.check_sessions:
            self._session_call(node)

    def _async_call(self, node: ast.Call, frame: Frame) -> None:
        ctx = self.ctx
        func = node.func
        # resolve only callees whose last name could matter (cheap early exit)
        if isinstance(func, ast.Attribute) and func.attr not in self.attrs:
            qualified = None
        else:
            qualified = ctx.names.qualname(func)
        on = self.on
        if qualified is not None:
            if qualified in self.blocking and on["FAL501"]:
                if not (self.in_test and qualified == "time.sleep"):
                    self._report_blocking(node, frame, qualified)
                return
            if qualified in THREAD_OFFLOADS:
                if on["FAL502"]:
                    self._offload(node, frame, qualified.rpartition(".")[2], node.args)
                return
        if isinstance(func, ast.Attribute):
            attr = func.attr
            if attr in MUTATING_METHODS:
                base = func.value
                while isinstance(base, ast.Subscript):
                    base = base.value
                if (
                    isinstance(base, ast.Name)
                    and base.id in self.mutables
                    and not (attr in _KEEP_METHODS and any(self._is_task(a) for a in node.args))
                ):
                    self._mutation(base.id, node, f"'.{attr}()'")
            elif attr == "run_in_executor":
                if on["FAL502"]:
                    self._offload(node, frame, "run_in_executor", node.args[1:])
            elif attr == "acquire":
                if _mentions_lock(func.value):
                    self._state(frame).acquired = True
        elif isinstance(func, ast.Call) and on["FAL501"] and not self.sessionmaker_allowed:
            inner = ctx.names.call_name(func)
            if inner in SYNC_SESSIONMAKERS and not self._async_class(func):
                self._report_blocking(node, frame, "sqlalchemy.orm.sessionmaker(...)()")
        elif (
            isinstance(func, ast.Name)
            and func.id in self.sync_factories
            and on["FAL501"]
            and not self.sessionmaker_allowed
            and ctx.names.qualname(func) is None
        ):
            self._report_blocking(node, frame, f"{func.id}() (a sync sessionmaker)")

    def _report_blocking(self, node: ast.Call, frame: Frame, name: str) -> None:
        qualified = "sqlalchemy." if "sessionmaker" in name else name
        self.ctx.report(
            "FAL501",
            node,
            name=name,
            func=getattr(frame.node, "name", "<lambda>"),
            alternative=alternative(qualified),
        )

    def _offload(self, node: ast.Call, frame: Frame, offload: str, args: list[ast.expr]) -> None:
        payload: list[ast.expr] = [*args, *(k.value for k in node.keywords)]
        for expr in payload:
            session = self._session_reference(expr)
            if session is not None:
                self.ctx.report(
                    "FAL502",
                    node,
                    offload=offload,
                    func=getattr(frame.node, "name", "<lambda>"),
                    session=session,
                )
                return

    def _session_reference(self, expr: ast.expr) -> str | None:
        ctx = self.ctx
        for sub in ast.walk(expr):  # one argument: a bounded walk
            if isinstance(sub, ast.Name):
                if (
                    sub.id in SESSION_FACTORY_NAMES
                    or sub.id in self.factories
                    or is_session_like(sub, ctx)
                    or ctx.names.qualname(sub) in SYNC_SESSION_CLASSES
                ):
                    return sub.id
            elif isinstance(sub, ast.Attribute):
                if sub.attr in SESSION_FACTORY_NAMES or is_session_like(sub, ctx):
                    return _short(dotted(sub) or sub.attr)
        return None

    # -- FAL503 --------------------------------------------------------------------------

    def visit_Expr(self, node: ast.Expr) -> None:
        frames = self.ctx.frames
        if not (frames and frames[-1].is_async and self.on["FAL503"]):
            return
        call = node.value
        if not isinstance(call, ast.Call):
            return
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "add_done_callback"
            and isinstance(func.value, ast.Call)
        ):
            call = func.value
        spawner = self._spawner(call)
        if spawner is not None:
            self.ctx.report(
                "FAL503",
                call,
                spawner=spawner,
                func=getattr(frames[-1].node, "name", "<lambda>"),
            )

    def _spawner(self, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr not in ("create_task", "ensure_future"):
                return None
            if func.attr == "create_task" and self._is_loop(func.value):
                return f"{_short(dotted(func.value) or '<loop>')}.create_task"
        elif not isinstance(func, ast.Name):
            return None
        qualified = self.ctx.names.qualname(func)
        if qualified in TASK_SPAWNERS:
            return qualified
        return None

    def _is_loop(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            if node.id in _LOOP_NAMES or node.id in self.module_loops:
                return True
            for frame in self.ctx.frames:
                state = frame.cache.get(_STATE)
                if isinstance(state, _FrameState) and node.id in state.loops:
                    return True
            return False
        if isinstance(node, ast.Attribute):
            return node.attr in _LOOP_NAMES
        if isinstance(node, ast.Call):
            return self.ctx.names.call_name(node) in LOOP_GETTERS
        return False

    # -- FAL505 --------------------------------------------------------------------------

    def _session_call(self, node: ast.Call) -> None:
        func = node.func
        what: str | None = None
        names = self.ctx.names
        if isinstance(func, ast.Name):
            name = func.id
            if name in SESSION_FACTORY_NAMES or name in self.factories:
                what = f"{name}()"
            elif name in ("Session", "AsyncSession"):
                qualified = names.qualname(func)
                if qualified in SYNC_SESSION_CLASSES or qualified in ASYNC_SESSION_CLASSES:
                    what = f"{name}(...)"
        elif isinstance(func, ast.Attribute):
            attr = func.attr
            if attr in SESSION_FACTORY_NAMES:
                what = f"{_short(dotted(func) or attr)}()"
            elif attr == "begin":
                base = func.value
                base_name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                if base_name in SESSION_FACTORY_NAMES or (
                    isinstance(base, ast.Name) and base_name in self.factories
                ):
                    what = f"{_short(dotted(func) or 'begin')}()"
            elif attr in ("Session", "AsyncSession"):
                qualified = names.qualname(func)
                if qualified in SYNC_SESSION_CLASSES or qualified in ASYNC_SESSION_CLASSES:
                    what = f"{_short(dotted(func) or attr)}(...)"
        elif isinstance(func, ast.Call):
            inner = names.call_name(func)
            if inner in SYNC_SESSIONMAKERS or inner in ASYNC_SESSIONMAKERS:
                what = f"{inner.rpartition('.')[2]}(...)()"
        if what is None:
            return
        frame = self.ctx.frame
        if frame is None:
            self._report_session(node, what)
            return
        self._state(frame).sessions.append((node, what, self._bound_to(node)))

    def _bound_to(self, node: ast.Call) -> str | None:
        """The variable a new session is bound to: ``db = X()``, ``with X() as db``."""
        parent = self.ctx.parent
        if isinstance(parent, ast.withitem) and parent.context_expr is node:
            target: ast.AST | None = parent.optional_vars
        elif isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
        elif isinstance(parent, ast.AnnAssign):
            target = parent.target
        else:
            return None
        return target.id if isinstance(target, ast.Name) else None

    def _report_session(self, node: ast.Call, what: str) -> None:
        self.ctx.report("FAL505", node, layer=self.ctx.layer or "module", name=what)

    def _yield(self, node: ast.Yield | ast.YieldFrom) -> None:
        if not self.check_sessions:
            return
        frame = self.ctx.frame
        value = node.value
        if frame is not None and isinstance(value, ast.Name):
            state = frame.cache.get(_STATE)
            if isinstance(state, _FrameState) and state.sessions:
                state.provided.add(value.id)

    visit_Yield = _yield


# -- helpers (candidates for analysis.py) ------------------------------------------------


def _short(text: str, limit: int = 60) -> str:
    """A name for a message: long chains keep their tail."""
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def _creates_task(call: ast.Call) -> bool:
    """``create_task(...)``/``ensure_future(...)``, on asyncio, a loop or a task group."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("create_task", "ensure_future")


def _has_lock_word(name: str, words: tuple[str, ...] = _GUARD_WORDS) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in words)


def _mentions_lock(expr: ast.expr) -> bool:
    """A context expression that names a lock: ``_lock``, ``self.cache_lock``,
    ``lock_for(key)``, ``_locks.setdefault(key, asyncio.Lock())``."""
    for sub in ast.walk(expr):  # one `with` item: a bounded walk
        if isinstance(sub, ast.Name):
            if _has_lock_word(sub.id, _LOCK_WORDS):
                return True
        elif isinstance(sub, ast.Attribute):
            if _has_lock_word(sub.attr, _LOCK_WORDS):
                return True
    return False


CHECKERS = [AsyncChecker]
