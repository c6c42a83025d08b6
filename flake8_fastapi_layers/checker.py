"""One walk per file, dispatching to every rule family.

A rule family is a :class:`Checker` subclass in :mod:`flake8_fastapi_layers.rules`
with ``visit_<Node>`` / ``leave_<Node>`` methods.  :func:`check_tree` builds,
per file, a dispatch table from node type to the bound methods of the families
that apply (their codes not disabled, their layers matching), then walks the
tree once, iteratively (no recursion limit on deep expressions), keeping the
shared state rules need: the stack of enclosing functions and classes, the
ancestors of the current node and the module's import table.
"""

from __future__ import annotations

import ast
import io
import os
import tokenize
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Iterable, Iterator, Sequence

from .catalogue import CATALOGUE, load
from .config import Config, ConfigError, config_for
from .layers import ModuleInfo, module_info
from .names import Names, local_names

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    col: int
    code: str
    message: str  # starts with the code, as flake8 wants it


class Frame:
    """A function (or lambda) whose *body* the walk is in."""

    __slots__ = ("node", "is_async", "cache")

    def __init__(self, node: FunctionNode) -> None:
        self.node = node
        self.is_async = isinstance(node, ast.AsyncFunctionDef)
        #: per-function facts computed once and shared by rules (route info …)
        self.cache: dict[str, Any] = {}


class Context:
    """What rules know about the file being checked."""

    def __init__(
        self,
        tree: ast.Module,
        info: ModuleInfo,
        config: Config,
        lines: Sequence[str] | None,
    ) -> None:
        self.tree = tree
        self.info = info
        self.layer = info.layer
        self.config = config
        self._lines = lines
        self.names = Names(package_of(info.relpath))
        self.names.scan(tree)
        self.frames: list[Frame] = []
        self.classes: list[ast.ClassDef] = []
        #: ancestors of the node being visited (the node itself excluded)
        self.parents: list[ast.AST] = []
        self.findings: list[Finding] = []
        self._comments: list[tuple[int, str]] | None = None

    # -- where are we --------------------------------------------------------

    @property
    def frame(self) -> Frame | None:
        """The innermost function (or lambda) whose body holds the current node."""
        return self.frames[-1] if self.frames else None

    @property
    def in_async_body(self) -> bool:
        """Directly inside an ``async def`` body (not a nested def or lambda)."""
        return bool(self.frames) and self.frames[-1].is_async

    @property
    def parent(self) -> ast.AST | None:
        return self.parents[-1] if self.parents else None

    @property
    def lines(self) -> Sequence[str]:
        return self._lines if self._lines is not None else ()

    def comments(self) -> list[tuple[int, str]]:
        """``(line, text)`` of every comment, read with :mod:`tokenize` (cached)."""
        if self._comments is None:
            found: list[tuple[int, str]] = []
            try:
                readline = io.StringIO("".join(self.lines)).readline
                for token in tokenize.generate_tokens(readline):
                    if token.type == tokenize.COMMENT:
                        found.append((token.start[0], token.string))
            except (tokenize.TokenError, SyntaxError, IndentationError):
                pass  # keep the comments read so far
            self._comments = found
        return self._comments

    # -- reporting -----------------------------------------------------------

    def report(self, code: str, where: ast.AST | int, col: int = 0, /, **fmt: Any) -> None:
        """Report ``code`` at a node (its line and column) or at a line number."""
        if self.config.is_disabled(code):
            return
        if isinstance(where, int):
            line = where
        else:
            line = getattr(where, "lineno", 1)
            col = getattr(where, "col_offset", 0)
        self.findings.append(Finding(line, col, code, CATALOGUE[code].format(**fmt)))


class Checker:
    """Base of a rule family.  Subclasses set ``codes`` and define visitors.

    ``visit_<Node>(node)`` runs when the walk enters a node of that type and
    ``leave_<Node>(node)`` when it leaves; ``begin()`` and ``end()`` run once
    per module.  ``layers`` (if not None) restricts the family to modules of
    those layers.
    """

    codes: ClassVar[tuple[str, ...]] = ()
    layers: ClassVar[frozenset[str] | None] = None
    _visitors: ClassVar[dict[str, list[tuple[type[ast.AST], str]]]]

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def begin(self) -> None:
        """Called before the walk."""

    def end(self) -> None:
        """Called after the walk."""

    @classmethod
    def applies(cls, ctx: Context) -> bool:
        if cls.layers is not None and ctx.layer not in cls.layers:
            return False
        return not all(ctx.config.is_disabled(code) for code in cls.codes)

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


def package_of(relpath: str) -> str:
    """Dotted package of a module from its path relative to the project root
    (the package itself for an ``__init__.py``; a leading ``src/`` dropped)."""
    parts = relpath.split("/")[:-1]
    if parts and parts[0] == "src":
        parts = parts[1:]
    return ".".join(p for p in parts if p.isidentifier())


def module_name(relpath: str) -> str:
    """Dotted name of a module from its path relative to the project root."""
    package = package_of(relpath)
    stem = relpath.rpartition("/")[2].rpartition(".")[0]
    if stem == "__init__" or not stem.isidentifier():
        return package
    return f"{package}.{stem}" if package else stem


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
    codes = type(checker).codes
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


def _applicable(ctx: Context) -> list[Checker]:
    from .rules import FAMILIES

    return [family(ctx) for family in FAMILIES if family.applies(ctx)]


def check_tree(
    tree: ast.Module,
    path: str | os.PathLike[str],
    lines: Sequence[str] | None = None,
    config: Config | None = None,
    root: str | None = None,
) -> list[Finding]:
    """Run every applicable rule on a parsed module; findings sorted by position.

    ``config`` defaults to the nearest ``pyproject.toml``'s (which may raise
    :class:`ConfigError`); ``root`` overrides project-root detection.
    """
    load()
    if config is None:
        config = config_for(path)
    info = module_info(path, config.layer_map, config.first_party, root)
    ctx = Context(tree, info, config, lines)
    walk(ctx, _applicable(ctx))
    return sorted(set(ctx.findings))


def check_source(
    source: str,
    path: str | os.PathLike[str] = "module.py",
    config: Config | None = None,
    root: str | None = None,
) -> list[Finding]:
    """Parse and check source text (raises SyntaxError on a file that does not parse)."""
    tree = ast.parse(source, filename=os.fspath(path))
    return check_tree(tree, path, source.splitlines(keepends=True), config, root)


def check_path(path: str | os.PathLike[str], config: Config | None = None) -> list[Finding]:
    """Read, parse and check one file."""
    with tokenize.open(os.fspath(path)) as handle:
        source = handle.read()
    return check_source(source, path, config)


def iter_python_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Every ``*.py`` file under ``paths`` (files given directly are kept), sorted."""
    skip = {".git", ".hg", ".tox", ".venv", "venv", "__pycache__", "node_modules", ".mypy_cache"}
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            for directory, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.endswith(".egg-info"))
                for filename in sorted(filenames):
                    if filename.endswith(".py"):
                        yield os.path.join(directory, filename)
        else:
            yield path


__all__ = [
    "Checker",
    "ConfigError",
    "Context",
    "Finding",
    "Frame",
    "check_path",
    "check_source",
    "check_tree",
    "describe_error",
    "iter_python_files",
    "module_name",
    "package_of",
    "walk",
]
