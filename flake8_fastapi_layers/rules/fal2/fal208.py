"""FAL208 `route-without-auth`: a route with no auth dependency (RULES.md §3).

The module's own facts (:class:`_AuthFacts`) are read once per file, on the
first route; where the module's routers are included, in any module of the
project, is read once per project root (:mod:`._includes`), and only when a
route's own module does not settle its auth.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
from dataclasses import dataclass

from ...analysis import (
    MAX_ANNOTATION_CHARS,
    MAX_ANNOTATION_DEPTH,
    all_args,
    keyword,
    last_name,
    parse_string_annotation,
    route_of,
)
from ...catalogue import Rule, option
from ...checker import Checker, Context
from ...config import Config
from ...layers import module_name
from ...names import Names, dotted
from ._common import ROUTE_HANDLERS, route_decorators
from ._includes import MAX_FILE_BYTES, ScannedModule, including_modules, scan_module

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


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


RULE = Rule(
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
)


class RouteWithoutAuth(Checker):
    rule = RULE

    def begin(self) -> None:
        self._auth: _AuthFacts | None = None

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.check(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.check(node)

    def check(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not node.decorator_list:
            return
        route = route_of(node)
        if route is None:
            return
        ctx = self.ctx
        if self._auth is None:
            self._auth = _AuthFacts(ctx.tree, ctx.names, ctx.config)
        facts = self._auth
        decorators = list(route_decorators(node))
        path = route.path
        receivers = [dotted(d.func.value) for d in decorators if isinstance(d.func, ast.Attribute)]
        if facts.public(path, receivers):
            return
        if any(facts.covered_router(r) for r in receivers if r):
            return
        if any(facts.deps_list_has_auth(keyword(d, "dependencies")) for d in decorators):
            return
        if facts.signature_has_auth(node.args):
            return
        if receivers and all(r and facts.router_authenticated(r, ctx) for r in receivers):
            return
        method = route.method
        label = f"{method.upper()} {path}" if path is not None else method.upper()
        self.report(node, name=node.name, route=label, dependency=facts.first_dependency)


def _is_depends(call: ast.AST) -> bool:
    """``Depends(...)``/``Security(...)``, however imported (lenient)."""
    if not isinstance(call, ast.Call):
        return False
    name = last_name(call.func)
    return name in ("Depends", "Security")


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


class _AuthFacts:
    """What the module says about auth, computed once on first use.

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
                prefix_node = keyword(stmt.value, "prefix")
                prefix = ""
                if isinstance(prefix_node, ast.Constant):
                    prefix = str(prefix_node.value)
                auth = self.deps_list_has_auth(keyword(stmt.value, "dependencies"))
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
        named = keyword(node, "dependency")
        if named is not None:
            dependency = named
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
        """A parameter's default or ``Annotated`` metadata is an auth marker
        (``*args``/``**kwargs`` are not dependencies: not read)."""
        defaults = (*args.defaults, *args.kw_defaults)
        if any(default is not None and self.is_auth_marker(default) for default in defaults):
            return True
        return any(
            self.annotation_has_auth(arg.annotation)
            for arg in all_args(args)
            if arg is not args.vararg and arg is not args.kwarg
        )

    def deps_list_has_auth(self, dependencies: ast.expr | None) -> bool:
        """A ``dependencies=`` list or tuple display with an auth marker."""
        if not isinstance(dependencies, (ast.List, ast.Tuple)):
            return False
        return any(self.is_auth_marker(element) for element in dependencies.elts)

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
            (p for p in reversed(ctx.parents) if isinstance(p, _FUNCTIONS)),
            None,
        )
        if function is not None:
            local = f"{module}.{function.name}.<locals>.{receiver}"
            if local in scanned.routers:
                key = local
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
