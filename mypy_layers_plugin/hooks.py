"""The mypy plugin: five type-aware checks of RULES.md §11.

How it hooks into mypy
----------------------
*Calls* are checked where mypy checks them, in the caller's module, through
call hooks keyed by the callee's full name:

* ``get_function_hook`` for ``HTTPException`` and its subclasses: mypy calls
  it both for ``NotFound(...)`` and for ``raise NotFound`` (a class object),
  always with the class's own full name, however it was imported or aliased;
* ``get_function_signature_hook`` / ``get_method_signature_hook`` for blocking
  functions, I/O methods of sync clients (``Session.execute`` …) and anything
  defined in a repository module.  Signature hooks run once, before overload
  matching, which matters because ``Session.execute`` or ``subprocess.run``
  are overloaded and return-type hooks fire only speculatively for those.

Selectors are narrow: a getter answers with a hook only for full names that
are one of ours (an ``HTTPException`` subclass, a name of the blocking list,
a method of a sync client class or of a class defined in a repository
module), decided once per name and cached.  Every hook *passes through*: it
asks the rest of the plugin chain for its hook for the same name and returns
what that hook returns (or mypy's default), so neither mypy's default plugin
nor another plugin loses a hook to this one.

*Definitions* (``fal-repository-raw-return``, ``fal-http-type-in-service``)
have no hook in mypy.  The first time one of our hooks fires while a
repository or service module is being checked, the plugin reads the analysed
signatures of that module (:mod:`.sweep`) and reports through that module's
checker.  A trigger that fires in every module with an ordinary class is the
``__init_subclass__`` call mypy checks for each class definition (not for
enums, NamedTuples, TypedDicts or classes with a custom metaclass); method
calls on sessions and HTTP types and the check hooks cover the rest.

Reports go through the checker of the module being checked, at the
offending node, with one of the ``fal-*`` error codes, past mypy's
speculative error watchers (see :func:`._internals.report`).
"""

from __future__ import annotations

import os
from typing import Any, Callable

from mypy.errorcodes import ErrorCode
from mypy.nodes import (
    CallExpr,
    Context,
    Decorator,
    FuncDef,
    MypyFile,
    OverloadedFuncDef,
    SymbolNode,
    TypeAlias,
    TypeInfo,
    Var,
)
from mypy.options import Options
from mypy.plugin import (
    FunctionContext,
    FunctionSigContext,
    MethodSigContext,
    Plugin,
    ReportConfigContext,
)
from mypy.types import CallableType, FunctionLike, Instance, Type, get_proper_type

from flake8_fastapi_layers.blocking import (
    BLOCKING_CALLS,
    BlockingOptions,
    alternative,
    blocking_calls,
)

from . import _internals
from .blocking import SYNC_CLIENTS, SyncClient, client_active
from .codes import (
    BLOCKING_IN_ASYNC,
    FAL,
    HTTP_OUTSIDE_EDGE,
    ROUTER_USES_REPOSITORY,
    REPOSITORY_RAW_RETURN,
    HTTP_TYPE_IN_SERVICE,
)
from .project import Facts, Project, config_data, config_problem
from .sweep import repository_findings, service_findings
from .typeinfo import HTTP_EXCEPTIONS, has_base

#: Layers where HTTPException must not be raised or constructed (FAL301).
HTTP_FREE_LAYERS = frozenset({"service", "repository", "domain", "model", "schema"})
#: The synthetic call mypy checks for every class definition.
CLASS_TRIGGER = "builtins.object.__init_subclass__"
#: Session-like classes whose calls wake the definition sweep in repository
#: modules written as plain functions (``async def get(db: AsyncSession)``).
TRIGGER_CLASSES = frozenset(
    {
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlalchemy.ext.asyncio.engine.AsyncConnection",
        "starlette.requests.HTTPConnection",
        "starlette.responses.Response",
        "starlette.background.BackgroundTasks",
        "starlette.datastructures.UploadFile",
    }
)

_DEBUG = bool(os.environ.get("FAL_MYPY_DEBUG"))  # noqa: FAL705  (a debugging switch, not a setting)

# Reasons a callee is ours.
_HTTP = "http"
_BLOCKING = "blocking"
_REPOSITORY = "repository"
_TRIGGER = "trigger"
_ERROR = "error"  # classifying the name raised: reported where it is called

#: What an internal error of the plugin asks the user to do.
_BUG_REPORT = "please report this as a bug of flake8-fastapi-layers (mypy_layers_plugin) with the file"
#: The checks a hook runs, as internal errors name them.
_HTTP_CHECK = "FAL301 (fal-http-outside-edge)"
_CALL_CHECK = "FAL501/FAL102 (fal-blocking-in-async, fal-router-uses-repository)"


class Callee:
    """What the plugin knows about one callee full name (cached)."""

    __slots__ = ("reasons", "display", "client", "method", "module", "label")

    def __init__(
        self,
        reasons: frozenset[str],
        display: str = "",
        client: SyncClient | None = None,
        method: str = "",
        module: str = "",
        label: str = "",
    ) -> None:
        self.reasons = reasons
        self.label = label  # what a router called: "Repo.get", "Repo()", "get_user()"
        self.display = display  # name shown in messages
        self.client = client  # the sync client whose I/O method this is
        self.method = method  # the method name, for client methods
        self.module = module  # defining module, for repository callees


_NOTHING = Callee(frozenset())


class LayersPlugin(Plugin):
    """Entry point class; see the module docstring."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.project = Project()
        self._guard: set[tuple[str, str]] = set()
        self._functions: dict[str, Callee] = {}
        self._methods: dict[str, Callee] = {}
        self._resolved: dict[str, str | None] = {}
        self._list_union: frozenset[str] | None = None  # loaded on first use
        self._by_leaf: dict[str, tuple[str, ...]] = {}  # last component -> list names
        self._seen_configs: set[int] = set()
        self._swept: dict[str, object] = {}
        self._config_reported: dict[str, object] = {}
        self._module_paths: dict[str, str] = {}
        self._classify_errors_reported: set[str] = set()

    # -- mypy plugin API: build-level hooks -------------------------------

    def set_modules(self, modules: dict[str, MypyFile]) -> None:
        super().set_modules(modules)
        self._forget()

    def report_config_data(self, ctx: ReportConfigContext) -> Any:
        return config_data(ctx.path)

    def get_additional_deps(self, file: MypyFile) -> list[tuple[int, str, int]]:
        """No extra dependencies: the hook mypy calls for every module it
        parses, before any check, is where a broken ``[tool.fastapi-layers]``
        governing a module of the build stops it, with one error line."""
        problem = config_problem(file.path)
        if problem is not None:
            _internals.stop_build(problem)
        return []

    # -- mypy plugin API: hook selectors ------------------------------------

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        if self._guard and ("function", fullname) in self._guard:
            return None
        callee = self._function(fullname)
        if _HTTP not in callee.reasons:
            return None

        def hook(ctx: FunctionContext) -> Type:
            self._guarded(
                _HTTP_CHECK, lambda: self._on_http(fullname, callee, ctx.api, ctx.context), ctx
            )
            nxt = self._next("get_function_hook", fullname, ctx.api)
            return nxt(ctx) if nxt is not None else ctx.default_return_type

        return hook

    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        if self._guard and ("function_signature", fullname) in self._guard:
            return None
        callee = self._function(fullname)
        if not callee.reasons & {_BLOCKING, _REPOSITORY, _ERROR}:
            return None

        def hook(ctx: FunctionSigContext) -> FunctionLike:
            self._guarded(
                _CALL_CHECK, lambda: self._on_call(fullname, callee, ctx.api, ctx.context), ctx
            )
            nxt = self._next("get_function_signature_hook", fullname, ctx.api)
            return nxt(ctx) if nxt is not None else ctx.default_signature

        return hook

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        if self._guard and ("method_signature", fullname) in self._guard:
            return None
        callee = self._method(fullname)
        if not callee.reasons:
            return None

        def hook(ctx: MethodSigContext) -> FunctionLike:
            self._guarded(
                _CALL_CHECK, lambda: self._on_call(fullname, callee, ctx.api, ctx.context), ctx
            )
            nxt = self._next("get_method_signature_hook", fullname, ctx.api)
            return nxt(ctx) if nxt is not None else ctx.default_signature

        return hook

    # -- pass-through -------------------------------------------------------

    def _next(self, getter: str, fullname: str, api: Any) -> Any:
        """The hook the rest of the chain has for ``fullname``, or None."""
        chain = _internals.plugin_chain(api)
        if chain is None or chain is self:
            return None
        key = (getter[4:-5], fullname)  # "get_function_hook" -> "function"
        self._guard.add(key)
        try:
            return getattr(chain, getter)(fullname)
        finally:
            self._guard.discard(key)

    @staticmethod
    def _guarded(
        what: str, check: Callable[[], None], ctx: FunctionContext | FunctionSigContext | MethodSigContext
    ) -> None:
        """Run one check; an unexpected error must neither crash the user's mypy
        run nor pass silently: it becomes one error at the call being checked
        (``FAL_MYPY_DEBUG=1`` raises it instead)."""
        try:
            check()
        except Exception as exc:
            if _DEBUG:
                raise
            _internal_error(ctx.api, ctx.context, what, _describe(exc))

    # -- selectors: what a full name is ---------------------------------------

    def _forget(self) -> None:
        self.project.refresh()
        self._classify_errors_reported.clear()
        self._functions.clear()
        self._methods.clear()
        self._resolved.clear()
        self._module_paths.clear()
        self._seen_configs.clear()
        self._list_union = None
        self._by_leaf = {}

    def _lookup(self, fullname: str) -> SymbolNode | None:
        if self._modules is None or "." not in fullname or fullname.startswith("<"):
            return None
        try:
            sym = self.lookup_fully_qualified(fullname)
        except Exception:  # pragma: no cover - odd names from other plugins
            return None
        return sym.node if sym is not None else None

    def _module_of(self, fullname: str) -> str | None:
        """The module that defines ``fullname`` (longest known prefix)."""
        modules = self._modules or {}
        head = fullname
        while "." in head:
            head = head.rsplit(".", 1)[0]
            if head in modules:
                return head
        return None

    def _module_layer(self, module: str | None) -> str | None:
        if module is None or self._modules is None:
            return None
        tree = self._modules.get(module)
        path = getattr(tree, "path", None)
        if not isinstance(path, str) or not path:
            return None
        return self.project.layer(path)

    def _resolve(self, name: str) -> str | None:
        """Full name of what a list entry (``requests.get``) refers to."""
        if name in self._resolved:
            return self._resolved[name]
        node = self._lookup(name)
        if isinstance(node, Decorator):
            node = node.func
        result = getattr(node, "fullname", None) if node is not None else None
        if result is not None:  # unresolved names may resolve later in the build
            self._resolved[name] = result
        return result

    def _blocking_names(self) -> frozenset[str]:
        """Every name of the blocking lists seen in this build (FAL501's
        defaults plus each configuration's extras); a selector, refined per
        module in :meth:`_check_blocking`."""
        if self._list_union is None:
            self._set_list(BLOCKING_CALLS)
        assert self._list_union is not None
        return self._list_union

    def _set_list(self, names: frozenset[str]) -> None:
        self._list_union = names
        by_leaf: dict[str, list[str]] = {}
        for name in sorted(names):
            by_leaf.setdefault(name.rsplit(".", 1)[-1], []).append(name)
        self._by_leaf = {leaf: tuple(group) for leaf, group in by_leaf.items()}

    def _named(self, leaf: str) -> tuple[str, ...]:
        """List names ending in ``.leaf``."""
        self._blocking_names()
        return self._by_leaf.get(leaf, ())

    def _in_list(self, fullname: str) -> str | None:
        """The list entry naming ``fullname`` (directly or via a re-export)."""
        candidates = self._named(fullname.rsplit(".", 1)[-1])
        if not candidates:
            return None
        if fullname in candidates:
            return fullname
        top = fullname.split(".", 1)[0]
        for name in candidates:
            if name.split(".", 1)[0] == top and self._resolve(name) == fullname:
                return name
        return None

    def _function(self, fullname: str) -> Callee:
        cached = self._functions.get(fullname)
        if cached is None:
            cached = _NOTHING
            try:
                cached = self._classify_function(fullname)
            except Exception as exc:  # a bug: reported where the name is called
                if _DEBUG:
                    raise
                cached = Callee(frozenset({_ERROR}), _describe(exc))
            self._functions[fullname] = cached
        return cached

    def _classify_function(self, fullname: str) -> Callee:
        node = self._lookup(fullname)
        if isinstance(node, TypeAlias):
            target = get_proper_type(node.target)
            node = target.type if isinstance(target, Instance) else None
        if isinstance(node, Var):  # nap = time.sleep
            typ = get_proper_type(node.type)
            definition = typ.definition if isinstance(typ, CallableType) else None
            target_name = getattr(definition, "fullname", None)
            if isinstance(target_name, str) and target_name != fullname:
                return self._function(target_name)
            return _NOTHING
        reasons: set[str] = set()
        display = fullname
        module: str = ""
        if isinstance(node, TypeInfo):
            if has_base(node, HTTP_EXCEPTIONS):
                reasons.add(_HTTP)
            module = node.module_name
        elif isinstance(node, (FuncDef, OverloadedFuncDef, Decorator)):
            func = node.func if isinstance(node, Decorator) else node
            # A method (its ``info`` is a real class; FakeInfo is falsy) is
            # called through an instance or class: method hooks handle it.
            module = "" if func.info else (self._module_of(fullname) or "")
        else:
            return _NOTHING
        entry = self._in_list(fullname)
        if entry is not None and not (
            isinstance(node, TypeInfo) and any(has_base(node, [c.fullname]) for c in SYNC_CLIENTS)
        ):
            reasons.add(_BLOCKING)
            display = entry
        if module and self._module_layer(module) == "repository":
            reasons.add(_REPOSITORY)
        if not reasons:
            return _NOTHING
        short = fullname.rsplit(".", 1)[-1]
        label = f"{short}()" if isinstance(node, TypeInfo) else short
        return Callee(frozenset(reasons), display, module=module, label=label)

    def _method(self, fullname: str) -> Callee:
        cached = self._methods.get(fullname)
        if cached is None:
            cached = _NOTHING
            try:
                cached = self._classify_method(fullname)
            except Exception as exc:  # a bug: reported where the name is called
                if _DEBUG:
                    raise
                cached = Callee(frozenset({_ERROR}), _describe(exc))
            self._methods[fullname] = cached
        return cached

    def _classify_method(self, fullname: str) -> Callee:
        if fullname == CLASS_TRIGGER:
            return Callee(frozenset({_TRIGGER}))
        if "." not in fullname:
            return _NOTHING
        owner, method = fullname.rsplit(".", 1)
        info = self._lookup(owner)
        if not isinstance(info, TypeInfo):
            return _NOTHING
        reasons: set[str] = set()
        display = f"{info.name}.{method}"
        client: SyncClient | None = None
        for candidate in SYNC_CLIENTS:
            if method in candidate.methods and has_base(info, [candidate.fullname]):
                client = candidate
                reasons.add(_BLOCKING)
                base = candidate.fullname.rsplit(".", 1)[-1]
                display = f"{base}.{method}"
                if base != info.name:
                    display += f"' on '{info.name}"  # quoted by the message
                break
        if _BLOCKING not in reasons:
            entry = self._method_in_list(info, method)
            if entry is not None:
                reasons.add(_BLOCKING)
                display = entry
        module = info.module_name
        dunder = method.startswith("__") and method.endswith("__")
        if not dunder and self._module_layer(module) == "repository":
            reasons.add(_REPOSITORY)
        if has_base(info, TRIGGER_CLASSES):
            reasons.add(_TRIGGER)
        if not reasons:
            return _NOTHING
        return Callee(frozenset(reasons), display, client, method, module, f"{info.name}.{method}")

    def _method_in_list(self, info: TypeInfo, method: str) -> str | None:
        """A ``pkg.Class.method`` entry of the list naming this method (or the
        same method of a base class)."""
        for name in self._named(method):
            node = self._lookup(name.rsplit(".", 1)[0])
            if isinstance(node, TypeInfo) and has_base(info, [node.fullname]):
                return name
        return None

    # -- checks -------------------------------------------------------------

    def _enter(self, api: Any) -> Facts | None:
        """Facts of the module being checked, or None when nothing is to be
        reported there (installed code, broken config)."""
        path = getattr(api, "path", None)
        if not isinstance(path, str):
            return None
        facts = self.project.facts(path)
        if facts is None:
            return None
        if facts.config is not None and id(facts.config) not in self._seen_configs:
            self._learn(facts)
        tree = _internals.current_tree(api)
        if facts.error is not None:
            check = _internals.check_pass(api)
            if check is None or self._config_reported.get(path) is not check:
                self._config_reported[path] = check
                context = Context(line=1, column=0)
                _internals.report(
                    api, f"fastapi-layers configuration: {facts.error}", context, FAL
                )
            return None
        if facts.layer in ("repository", "service") and tree is not None:
            # Once per check of the module: mypy makes a new checker scope
            # for each (dmypy re-uses the checker and the tree).
            scope = _internals.check_pass(api)
            if scope is None or self._swept.get(path) is not scope:
                self._swept[path] = scope
                try:
                    self._sweep(api, facts, tree)
                except Exception as exc:
                    if _DEBUG:
                        raise
                    check = "FAL401 (fal-repository-raw-return)"
                    if facts.layer == "service":
                        check = "FAL103 (fal-http-type-in-service)"
                    _internal_error(api, Context(line=1, column=0), check, _describe(exc))
        return facts

    def _learn(self, facts: Facts) -> None:
        """A configuration seen for the first time may add blocking names."""
        assert facts.config is not None
        self._seen_configs.add(id(facts.config))
        names = blocking_calls(facts.config)
        known = self._blocking_names()
        if not names <= known:
            self._set_list(known | names)
            self._functions.clear()
            self._methods.clear()

    def _sweep(self, api: Any, facts: Facts, tree: Any) -> None:
        if facts.layer == "repository":
            if not facts.active(REPOSITORY_RAW_RETURN.code):
                return
            findings = repository_findings(tree)
        else:
            if not facts.active(HTTP_TYPE_IN_SERVICE.code):
                return
            findings = service_findings(tree)
        for finding in findings:
            _internals.report(api, finding.message, finding.node, finding.code)

    @staticmethod
    def _report(api: Any, context: Context, code: ErrorCode, message: str) -> None:
        # A finding seen on several passes (overload items, a deferred
        # function checked twice) is one line: mypy drops duplicate messages.
        _internals.report(api, message, context, code)

    def _on_http(self, fullname: str, callee: Callee, api: Any, context: Context) -> None:
        facts = self._enter(api)
        if facts is None or facts.layer not in HTTP_FREE_LAYERS:
            return
        if not facts.active(HTTP_OUTSIDE_EDGE.code):
            return
        short = fullname.rsplit(".", 1)[-1]
        what = "HTTPException" if short == "HTTPException" else f"HTTPException subclass '{short}'"
        verb = "constructed" if isinstance(context, CallExpr) else "raised"
        self._report(
            api,
            context,
            HTTP_OUTSIDE_EDGE,
            f"FAL301 {what} {verb} in {facts.layer} module; raise a domain exception "
            "and translate it to HTTP at the edge (router, dependency or exception handler)",
        )

    def _on_call(self, fullname: str, callee: Callee, api: Any, context: Context) -> None:
        facts = self._enter(api)
        if facts is None:
            return
        if _ERROR in callee.reasons:
            if fullname not in self._classify_errors_reported:  # once, at its first call
                self._classify_errors_reported.add(fullname)
                _internal_error(api, context, f"the checks of calls to '{fullname}'", callee.display)
            return
        if _BLOCKING in callee.reasons and facts.active(BLOCKING_IN_ASYNC.code):
            self._check_blocking(fullname, callee, api, context, facts)
        if (
            _REPOSITORY in callee.reasons
            and facts.layer == "router"
            and facts.active(ROUTER_USES_REPOSITORY.code)
        ):
            self._report(
                api,
                context,
                ROUTER_USES_REPOSITORY,
                f"FAL102 router calls repository '{callee.label}' (defined in '{callee.module}'); "
                "call a service method instead and let the service use the repository",
            )

    def _check_blocking(
        self, fullname: str, callee: Callee, api: Any, context: Context, facts: Facts
    ) -> None:
        func = _internals.enclosing_function(api)
        if not isinstance(func, FuncDef) or not func.is_coroutine:
            return
        assert facts.config is not None
        names = blocking_calls(facts.config)
        if callee.client is not None:
            client = callee.client
            allowed = set(facts.config.options(BlockingOptions).allowed_calls)
            # Allowing the class (any of its names) allows its methods too;
            # "requests.Session.get" allows one method.
            if allowed & client.list_names or not client_active(client, names):
                return
            qualified = {f"{n}.{callee.method}" for n in client.list_names | {client.fullname}}
            if allowed & qualified:
                return
            alt = client.alternative
        else:
            if callee.display not in names:
                return
            alt = alternative(callee.display)
        self._report(
            api,
            context,
            BLOCKING_IN_ASYNC,
            f"FAL501 blocking call '{callee.display}' in async def '{func.name}' stalls the "
            f"event loop; use {alt}",
        )


def _describe(exc: BaseException) -> str:
    """``ValueError: text`` on one line, at most 200 characters."""
    from flake8_fastapi_layers.checker import describe_error  # the core: on first use

    return describe_error(exc)


def _internal_error(api: Any, context: Context, what: str, detail: str) -> None:
    """One mypy error (code ``fal``) for an unexpected error of the plugin itself,
    the way pydantic's mypy plugin reports its own: never silent, never an
    INTERNAL ERROR of mypy."""
    _internals.report(
        api,
        f"fastapi-layers internal error in {what}: {detail}; {_BUG_REPORT}",
        context,
        FAL,
    )
