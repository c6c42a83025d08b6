"""The walk: one pass per file, dispatching every node to the checkers that want it.

A rule's checker is a :class:`Checker` subclass (in :mod:`flake8_fastapi_layers.rules`,
beside the rule's :class:`~.catalogue.Rule`) with ``visit_<Node>`` /
``leave_<Node>`` methods.  :func:`walk` builds, per file, a dispatch table from
node type to the bound methods of the checkers that apply, then walks the tree
once, iteratively (no recursion limit on deep expressions), keeping the shared
state rules need: the stack of enclosing functions and classes, the ancestors
of the current node and the module's import table.

This module knows no rule: :mod:`flake8_fastapi_layers.engine`, above the rules,
decides which checkers run and hands them to :func:`walk`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Mapping, Sequence, TypeVar

from .catalogue import Rule
from .layers import ModuleInfo, package_of
from .names import Names, local_names

if TYPE_CHECKING:
    from .config import Config

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
State = TypeVar("State")


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    col: int
    code: str
    message: str  # starts with the code, as flake8 wants it


#: Not computed yet (a frame's lazily computed facts).
UNSET: Any = object()


class Frame:
    """A function (or lambda) whose *body* the walk is in."""

    __slots__ = ("node", "is_async", "route", "session_params", "states", "cache")

    def __init__(self, node: FunctionNode) -> None:
        self.node = node
        self.is_async = isinstance(node, ast.AsyncFunctionDef)
        #: facts several rules share, computed once by :mod:`~.analysis`
        #: (``frame_route``, ``session_params``): UNSET until then
        self.route: Any = UNSET
        self.session_params: Any = UNSET
        #: each checker's own state for this function (see Checker.frame_state)
        self.states: dict[Checker, Any] = {}
        self.cache: dict[str, Any] = {}  # transitional: families not yet split


class Context:
    """What rules know about the file being checked."""

    def __init__(
        self,
        tree: ast.Module,
        info: ModuleInfo,
        config: Config,
        lines: Sequence[str] | None,
        rules: Mapping[str, Rule],
        selected: frozenset[str] = frozenset(),
    ) -> None:
        self.tree = tree
        self.info = info
        self.layer = info.layer
        self.config = config
        self._lines = lines
        #: every rule by code (the catalogue's), and the codes the front end selected
        self.rules = rules
        self.selected = selected
        self._reports: dict[str, bool] = {}
        self.names = Names(package_of(info.relpath))
        self.names.scan(tree)
        self.frames: list[Frame] = []
        self.classes: list[ast.ClassDef] = []
        #: ancestors of the node being visited (the node itself excluded)
        self.parents: list[ast.AST] = []
        self.findings: list[Finding] = []

    # -- where are we --------------------------------------------------------

    @property
    def frame(self) -> Frame | None:
        """The innermost function (or lambda) whose body holds the current node."""
        return self.frames[-1] if self.frames else None

    @property
    def parent(self) -> ast.AST | None:
        return self.parents[-1] if self.parents else None

    @property
    def lines(self) -> Sequence[str]:
        return self._lines if self._lines is not None else ()

    # -- reporting -----------------------------------------------------------

    def reports(self, rule: Rule) -> bool:
        """Whether ``rule`` is reported in this file: active in this run (see
        :meth:`Config.is_active`) and its scope covering the module."""
        found = self._reports.get(rule.code)
        if found is None:
            found = self._reports[rule.code] = self.config.is_active(
                rule.code, self.selected
            ) and rule.scope.applies(self.layer, self.config)
        return found

    def add(self, rule: Rule, where: ast.AST | int, col: int, fmt: dict[str, Any]) -> None:
        """Record a finding of ``rule`` at a node (its line and column) or a line number."""
        if not self.reports(rule):
            return
        if isinstance(where, int):
            line = where
        else:
            line = getattr(where, "lineno", 1)
            col = getattr(where, "col_offset", 0)
        self.findings.append(Finding(line, col, rule.code, rule.format(**fmt)))

    def report(self, code: str, where: ast.AST | int, col: int = 0, /, **fmt: Any) -> None:
        """Report ``code`` (a rule of the catalogue) at a node or a line number."""
        self.add(self.rules[code], where, col, fmt)


class Checker:
    """Base of a rule's checker.

    ``rules`` are the rules it reports (one, for a checker of one code).
    ``visit_<Node>(node)`` runs when the walk enters a node of that type and
    ``leave_<Node>(node)`` when it leaves; ``begin()`` and ``end()`` run once
    per module.  A checker runs on a file when one of its rules is reported
    there (:meth:`Context.reports`: the rule's scope and the run's selection).
    """

    #: the rule it reports; ``rules`` is derived from it
    rule: ClassVar[Rule]
    rules: ClassVar[tuple[Rule, ...]] = ()
    _visitors: ClassVar[dict[str, list[tuple[type[ast.AST], str]]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "rule" in cls.__dict__:
            cls.rules = (cls.rule,)

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def begin(self) -> None:
        """Called before the walk."""

    def end(self) -> None:
        """Called after the walk."""

    @classmethod
    def applies(cls, ctx: Context) -> bool:
        return any(ctx.reports(rule) for rule in cls.rules)

    def report(self, where: ast.AST | int, col: int = 0, /, **fmt: Any) -> None:
        """Report this checker's rule (a checker of one code) at a node or a line."""
        (rule,) = self.rules
        self.ctx.add(rule, where, col, fmt)

    def frame_state(self, frame: Frame, factory: Callable[[], State]) -> State:
        """This checker's state for one function, made by ``factory`` on first
        use; it goes away with the frame when the walk leaves the function."""
        found = frame.states.get(self)
        if found is None:
            found = frame.states[self] = factory()
        return found  # type: ignore[no-any-return]  # stored by this method only

    @classmethod
    def handlers(cls) -> dict[str, list[tuple[type[ast.AST], str]]]:
        """``{"visit": [(node type, method name)], "leave": [...]}``, built once."""
        if "_visitors" not in cls.__dict__:
            table: dict[str, list[tuple[type[ast.AST], str]]] = {"visit": [], "leave": []}
            for attr in dir(cls):
                for kind in ("visit", "leave"):
                    prefix = kind + "_"
                    if attr.startswith(prefix):
                        node_type = getattr(ast, attr[len(prefix) :], None)
                        if not (isinstance(node_type, type) and issubclass(node_type, ast.AST)):
                            raise TypeError(f"{cls.__name__}.{attr}: no ast node {attr[len(prefix):]}")
                        table[kind].append((node_type, attr))
            cls._visitors = table
        return cls._visitors


#: Markers on the walk's stack (see :func:`walk`).
_LEAVE, _ENTER_BODY, _LEAVE_BODY = object(), object(), object()

#: Fields whose values are the shared singleton nodes of expression contexts
#: and operators (``Load``, ``Add``, ``Eq`` ...): no rule visits those, and
#: skipping them spares the walk a third of its nodes.
_SINGLETON_FIELDS = frozenset({"ctx", "op", "ops"})
#: Fields that hold plain values (identifiers, flags), never nodes.
_SCALAR_FIELDS = frozenset(
    {"name", "id", "arg", "attr", "kind", "type_comment", "module", "level",
     "conversion", "is_async", "simple", "tag", "kwd_attrs", "asname", "rest"}
)  # fmt: skip
_SCALAR_BY_TYPE: dict[str, frozenset[str]] = {
    "Constant": frozenset({"value"}),
    "MatchSingleton": frozenset({"value"}),
    "Global": frozenset({"names"}),
    "Nonlocal": frozenset({"names"}),
}
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
#: Node types without child nodes worth visiting (see _child_fields): the
#: walk skips them where no checker of the file visits them.
_LEAF_TYPES: tuple[type[ast.AST], ...] = (
    ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.alias,
)  # fmt: skip


def _child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a node type that can hold child nodes worth visiting."""
    skip = _SINGLETON_FIELDS | _SCALAR_FIELDS | _SCALAR_BY_TYPE.get(node_type.__name__, frozenset())
    return tuple(f for f in getattr(node_type, "_fields", ()) if f not in skip)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


Handler = Callable[[Any], None]


class _Isolation:
    """The dispatch tables of one walk, with crash isolation (RULES.md §13).

    An exception in a checker's ``begin``, visitor or ``end`` is reported as
    one finding naming the rule family, the checker is switched off for the
    rest of the file, and every other checker goes on.
    """

    def __init__(self, ctx: Context, checkers: list[Checker]) -> None:
        self.ctx = ctx
        #: node type -> the bound visitors (``enter``) / leavers (``leave``)
        self.enter: dict[type[ast.AST], list[Handler]] = {}
        self.leave: dict[type[ast.AST], list[Handler]] = {}
        self.crashed: set[int] = set()  # ids of checkers switched off
        for checker in checkers:
            table = type(checker).handlers()
            for kind, handlers in (("visit", self.enter), ("leave", self.leave)):
                for node_type, attr in table[kind]:
                    handlers.setdefault(node_type, []).append(getattr(checker, attr))

    def call(self, checker: Checker, method: Callable[[], None]) -> None:
        """``begin()`` or ``end()`` of a checker, unless it crashed before."""
        if id(checker) in self.crashed:
            return
        try:
            method()
        except Exception as exc:
            self.crashed_in(checker, exc, None)

    def resume(self, handlers: list[Handler], failed: Handler, exc: Exception, node: ast.AST) -> None:
        """``failed`` raised ``exc`` on ``node``: report and switch its checker off,
        then run the handlers after it for this node, each guarded."""
        rest = handlers[handlers.index(failed) + 1 :]
        self.crashed_in(_owner(failed), exc, node)
        for handler in rest:
            checker = _owner(handler)
            if id(checker) in self.crashed:
                continue
            try:
                handler(node)
            except Exception as exc:
                self.crashed_in(checker, exc, node)

    def crashed_in(self, checker: Checker, exc: Exception, node: ast.AST | None) -> None:
        self.crashed.add(id(checker))
        for table in (self.enter, self.leave):
            for handlers in table.values():
                handlers[:] = [h for h in handlers if _owner(h) is not checker]
        # at the node, else the nearest enclosing one with a position, else line 1
        where = next(
            (n for n in (node, *reversed(self.ctx.parents)) if hasattr(n, "lineno")), None
        )
        self.ctx.findings.append(internal_error(checker, exc, where, self.ctx.config))


def _owner(handler: Handler) -> Checker:
    """The checker a handler (a bound method) belongs to."""
    checker: Checker = getattr(handler, "__self__")  # a Callable has no __self__ for mypy
    return checker


def internal_error(checker: Checker, exc: Exception, node: ast.AST | None, config: Config) -> Finding:
    """The one finding that reports a crash of ``checker`` (at ``node``, else on
    line 1), under its first code that is not disabled."""
    codes = [rule.code for rule in type(checker).rules]
    code = next((c for c in codes if not config.is_disabled(c)), codes[0])
    rule = "/".join(codes)
    message = (
        f"{code} internal error in rule {rule} ({type(checker).__name__}) on this file: "
        f"{describe_error(exc)}; "
        "please report this as a bug of flake8-fastapi-layers with the file"
    )
    return Finding(getattr(node, "lineno", 1), getattr(node, "col_offset", 0), code, message)


def describe_error(exc: BaseException) -> str:
    """``ValueError: text`` on one line, at most 200 characters (internal errors)."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    return detail if len(detail) <= 200 else detail[:199] + "…"


def walk(ctx: Context, checkers: Iterable[Checker]) -> None:
    """Walk ``ctx.tree`` once, calling every checker's visitors.

    A checker that raises is reported and switched off (:class:`_Isolation`);
    the ``try`` around the dispatch costs nothing until something raises.
    """
    checkers = list(checkers)
    isolation = _Isolation(ctx, checkers)
    enter = isolation.enter
    leave = isolation.leave
    for checker in checkers:
        isolation.call(checker, checker.begin)

    names = ctx.names
    parents = ctx.parents
    frames = ctx.frames
    classes = ctx.classes
    child_fields = _CHILD_FIELDS
    leave_types = set(leave)
    # leaves no checker of this file looks at are not even pushed
    dead = frozenset(t for t in _LEAF_TYPES if t not in enter and t not in leave)
    # The stack holds bare nodes to visit; a marker on top of a node means
    # "leave it" or "enter its body" (no tuple per node).
    stack: list[Any] = [ctx.tree]
    pop = stack.pop
    push = stack.append
    push_all = stack.extend
    while stack:
        node = pop()
        if node is _LEAVE:
            node = pop()
            parents.pop()
            node_type = type(node)
            if node_type is ast.ClassDef:
                classes.pop()
            handlers = leave.get(node_type)
            if handlers:
                try:
                    for handler in handlers:
                        handler(node)
                except Exception as exc:
                    isolation.resume(handlers, handler, exc, node)
            continue
        if node is _ENTER_BODY:
            node = pop()
            frames.append(Frame(node))
            names.scopes.append(local_names(node))
            continue
        if node is _LEAVE_BODY:
            frames.pop()
            names.scopes.pop()
            continue
        node_type = type(node)
        handlers = enter.get(node_type)
        if handlers:
            try:
                for handler in handlers:
                    handler(node)
            except Exception as exc:
                isolation.resume(handlers, handler, exc, node)
        if node_type in _FUNCTIONS:
            push(node)
            push(_LEAVE)
            parents.append(node)
            # decorators, defaults and annotations belong to the outer scope
            push(_LEAVE_BODY)
            push_all(reversed(node.body))
            push(node)
            push(_ENTER_BODY)
            if node.returns is not None:
                push(node.returns)
            push(node.args)
            push_all(reversed(node.decorator_list))
            type_params = getattr(node, "type_params", None)
            if type_params:
                push_all(reversed(type_params))
            continue
        if node_type is ast.Lambda:
            push(node)
            push(_LEAVE)
            parents.append(node)
            push(_LEAVE_BODY)
            push(node.body)
            push(node)
            push(_ENTER_BODY)
            push(node.args)
            continue
        if node_type is ast.ClassDef:
            classes.append(node)
        elif node_type is ast.ImportFrom or node_type is ast.Import:
            if frames or classes:  # module-level ones were scanned up front
                names.add_import(node)
        fields = child_fields.get(node_type)
        if fields is None:
            fields = child_fields[node_type] = _child_fields(node_type)
        mark = len(stack)
        push(node)
        push(_LEAVE)
        for field in reversed(fields):
            value = getattr(node, field, None)
            if value is None:
                continue
            if type(value) is list:
                for child in reversed(value):
                    if child is not None and type(child) not in dead:
                        push(child)
            elif type(value) not in dead:
                push(value)
        if len(stack) == mark + 2 and node_type not in leave_types and node_type is not ast.ClassDef:
            del stack[mark:]  # a leaf: no descendants to see it as a parent, nothing to leave
        else:
            parents.append(node)

    for checker in checkers:
        isolation.call(checker, checker.end)
