"""Layer detection: which architectural layer a module, or an import, belongs to.

Shared by the flake8 plugin, the mypy plugin and the CLI.  Everything here is a
pure function of paths, dotted names and the configuration, plus ``os.stat``
look-ups (cached) to tell a submodule from a name; nothing imports or executes
the code being checked.

Patterns (RULES.md §1) are ``/``-separated globs over a module's path relative
to its project root:

* a *file pattern* (``router.py``, ``*_service.py``, ``db/models.py``) matches
  the trailing components of the path;
* a *directory pattern* ends in ``/`` (``routers/``, ``models/domain/``) and
  matches a run of enclosing directories; the nearest enclosing match wins.

Precedence: ``test``, then ``migration``, then file patterns, then the nearest
directory pattern.  Among matches at the same place the longer pattern wins,
then the order of :data:`LAYERS`.  One refinement of RULES.md: a file directly
in a router directory and named like a data layer (``routers/models.py``,
``routes/schemas.py``) is a router: it serves the ``/models`` resource.
"""

from __future__ import annotations

import functools
import operator
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Mapping, Sequence

#: Canonical layer names, in tie-break order.
LAYERS: tuple[str, ...] = (
    "router",
    "service",
    "repository",
    "schema",
    "model",
    "domain",
    "exceptions",
    "dependencies",
    "config",
    "middleware",
    "app",
    "migration",
    "test",
)

#: Default detection patterns of RULES.md §1.
DEFAULT_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "router": (
        "router.py", "routers.py", "routes.py", "endpoints.py", "views.py",
        "*_router.py", "*_routes.py",
        "routers/", "router/", "routes/", "endpoints/", "views/", "api/",
    ),
    "service": (
        "service.py", "services.py", "*_service.py",
        "services/", "service/", "usecases/", "use_cases/",
    ),
    "repository": (
        "repository.py", "repositories.py", "*_repository.py", "repo.py",
        "repos.py", "crud.py", "*_crud.py",
        "repositories/", "repository/", "repos/", "crud/", "dal/",
    ),
    "schema": (
        "schemas.py", "schema.py", "*_schema.py", "*_schemas.py",
        "schemas/", "schema/", "dto/", "models/requests/", "models/responses/",
    ),
    "model": ("models.py", "*_model.py", "*_models.py", "db/models.py", "models/"),
    "domain": ("domain/", "models/domain/"),
    "exceptions": ("exceptions.py", "errors.py", "exceptions/"),
    "dependencies": ("dependencies.py", "deps.py", "dependencies/"),
    "config": ("config.py", "settings.py", "core/"),
    "middleware": ("middleware.py", "middlewares.py", "middleware/", "middlewares/"),
    "app": ("main.py", "app.py", "asgi.py", "__main__.py"),
    "migration": ("alembic/versions/", "migrations/versions/"),
    "test": ("test_*.py", "*_test.py", "conftest.py", "tests/", "test/"),
}

#: One router module per resource is the convention: in these directories a
#: file named after the data layers (``models.py``, ``schemas.py``) names the
#: resource its routes serve, so it stays a router.  (``api/`` is not among
#: them: ``api/deps.py`` and ``api/middleware.py`` are their own layers.)
ROUTER_DIR_NAMES = frozenset({"routers", "router", "routes", "endpoints", "views"})
RESOURCE_NAMED_LAYERS = frozenset({"model", "schema"})

#: Files that mark a project root, in the order RULES.md gives them.
ROOT_MARKERS: tuple[str, ...] = ("pyproject.toml", "setup.cfg", "tox.ini", ".flake8")
#: Weaker marks of a project root, used when none of ROOT_MARKERS is found
#: (an application checkout with a requirements file and no packaging): the
#: nearest directory holding any of them.
FALLBACK_MARKERS: tuple[str, ...] = ("requirements.txt", ".git", ".hg")


class PatternError(ValueError):
    """A layer pattern that cannot be used."""


#: A component matcher: does one path component (a name without ``/``) match?
ComponentMatcher = Callable[[str], bool]
#: The tokens of ``**``: inside a pattern it matches zero or more whole
#: components (``**/``), at its end one or more (``**``).
_ANY_DIRS = "**/"
_ANY_TAIL = "**"


@dataclass(frozen=True)
class Pattern:
    """One compiled layer pattern.

    Matching works on path components, never through a backtracking regex:
    a component glob is matched in time linear in the name (fixed-length
    pieces between its ``*``, each found at its leftmost place) and ``**``
    runs a small state machine over the components, so any glob costs at
    most O(len(pattern) * len(path)).
    """

    text: str
    layer: str
    is_dir: bool
    length: int  # number of path components: longer is more specific
    #: One matcher per component, or ``_ANY_DIRS`` / ``_ANY_TAIL`` for ``**``.
    tokens: tuple[ComponentMatcher | str, ...] = field(compare=False, repr=False)
    #: The last component when it is a plain name (the classifier's index key).
    last_literal: str | None = field(default=None, compare=False)
    #: Without ``**``: the matcher of each component (the pattern has a fixed length).
    fixed: tuple[ComponentMatcher, ...] = field(default=(), compare=False, repr=False)

    def matches(self, parts: Sequence[str], end: int) -> bool:
        """Whether the pattern matches ``parts[:end]`` at its end: a run of
        trailing components (``db/models.py`` matches ``src/db/models.py``)."""
        if not self.fixed:
            return _match_any_dirs(self.tokens, parts, end)
        start = end - self.length
        if start < 0:
            return False
        for offset, matcher in enumerate(self.fixed):
            if not matcher(parts[start + offset]):
                return False
        return True


def _match_any_dirs(
    tokens: tuple[ComponentMatcher | str, ...], parts: Sequence[str], end: int
) -> bool:
    """A pattern with ``**`` against ``parts[:end]``.

    The states are how many tokens are matched so far; they advance one
    component at a time, and a match may start at any component: at most
    ``len(tokens)`` component matches per component.
    """
    done = len(tokens)
    states: set[int] = set()
    for index in range(end):
        part = parts[index]
        states.add(0)  # a match may start here
        for state in sorted(states):  # '**/' may take no component: skip it
            while state < done and tokens[state] == _ANY_DIRS and state + 1 not in states:
                state += 1
                states.add(state)
        advanced: set[int] = set()
        for state in states:
            if state == done:
                if tokens[-1] == _ANY_TAIL and part:
                    advanced.add(done)  # a trailing '**' takes one more component
                continue
            token = tokens[state]
            if token == _ANY_DIRS:
                if part:
                    advanced.add(state)  # one more whole component
            elif token == _ANY_TAIL:
                if part:
                    advanced.add(done)
            elif not isinstance(token, str) and token(part):
                advanced.add(state + 1)
        states = advanced
    return done in states


def _compile(regex: str) -> re.Pattern[str]:
    """``re.compile`` without the FutureWarning Python gives for a class
    such as ``[[a]`` or ``[a--]`` (a nested set or set operation some day;
    today, and in globs, plain characters)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(regex)


class _Piece:
    """A fixed-length run of a component glob between two ``*``: literal
    characters, ``?`` and ``[...]`` classes, one character each."""

    __slots__ = ("length", "text", "regex")

    def __init__(self, atoms: list[tuple[str, str | None]]) -> None:
        self.length = len(atoms)
        chars = [char for _, char in atoms if char is not None]
        self.text: str | None = None
        self.regex: re.Pattern[str] | None = None
        if len(chars) == len(atoms):
            self.text = "".join(chars)
        else:  # one character per atom: no quantifier, nothing to backtrack
            self.regex = _compile("".join(fragment for fragment, _ in atoms))

    def at(self, name: str, pos: int) -> bool:
        if self.text is not None:
            return name.startswith(self.text, pos)
        assert self.regex is not None
        return self.regex.match(name, pos) is not None

    def find(self, name: str, pos: int, end: int) -> int:
        """The leftmost place of the piece in ``name[pos:end]``, or -1."""
        if self.text is not None:
            return name.find(self.text, pos, end)
        assert self.regex is not None
        found = self.regex.search(name, pos, end)
        return -1 if found is None else found.start()


def _pieces(component: str) -> list[_Piece]:
    """Split one component glob at its ``*`` into fixed-length pieces.

    ``?`` is any one character; a ``[...]`` class ends at the first ``]``
    after its first character (``[]a]`` and ``[!]a]`` hold a ``]``),
    ``[!...]`` (like ``[^...]``) negates it.  Wildcards never match ``/``:
    they live inside one component.
    """
    pieces: list[_Piece] = []
    atoms: list[tuple[str, str | None]] = []  # (regex fragment, literal character)
    i = 0
    while i < len(component):
        ch = component[i]
        if ch == "*":
            pieces.append(_Piece(atoms))
            atoms = []
        elif ch == "?":
            atoms.append(("[^/]", None))
        elif ch == "[":
            end = component.find("]", i + 2 if component[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                raise PatternError("unclosed '[' in glob")
            body = component[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            fragment = "[" + body + "]"
            try:
                _compile(fragment)  # alone: one class, one character
            except re.error as exc:
                raise PatternError(
                    f"bad character class {component[i : end + 1]!r}: {exc.msg}"
                ) from None
            atoms.append((f"(?:{fragment})", None))
            i = end
        else:
            atoms.append((re.escape(ch), ch))
        i += 1
    pieces.append(_Piece(atoms))
    return pieces


def _component_matcher(component: str) -> ComponentMatcher:
    """A matcher for one component glob, linear in the name: the first and
    last pieces are anchored, each middle piece is taken at its leftmost
    place (which never loses a match)."""
    pieces = _pieces(component)
    if len(pieces) == 1:  # no '*'
        only = pieces[0]
        if only.text is not None:
            return only.text.__eq__
        assert only.regex is not None
        return functools.partial(_full, only.regex)
    head, *middle, tail = pieces
    if not middle and head.text is not None and tail.text is not None:
        prefix, suffix = head.text, tail.text  # the common 'test_*.py', '*_service.py'
        if not prefix:
            return operator.methodcaller("endswith", suffix)  # '*' alone: endswith('')
        if not suffix:
            return operator.methodcaller("startswith", prefix)
        return functools.partial(_affixes, prefix, suffix, len(prefix) + len(suffix))
    shortest = sum(piece.length for piece in pieces)
    return functools.partial(_match_pieces, head, tuple(middle), tail, shortest)


def _full(regex: re.Pattern[str], name: str) -> bool:
    return regex.fullmatch(name) is not None


def _affixes(prefix: str, suffix: str, shortest: int, name: str) -> bool:
    return len(name) >= shortest and name.startswith(prefix) and name.endswith(suffix)


def _match_pieces(
    head: _Piece, middle: tuple[_Piece, ...], tail: _Piece, shortest: int, name: str
) -> bool:
    if len(name) < shortest or not head.at(name, 0):
        return False
    end = len(name) - tail.length
    if not tail.at(name, end):
        return False
    pos = head.length
    for piece in middle:
        found = piece.find(name, pos, end)
        if found < 0:
            return False
        pos = found + piece.length
    return True


def compile_pattern(text: str, layer: str) -> Pattern:
    """Compile a layer pattern; raise :class:`PatternError` with the reason."""
    if not isinstance(text, str) or not text.strip():
        raise PatternError("empty pattern")
    if text != text.strip():
        raise PatternError("pattern has leading or trailing spaces")
    if "\\" in text:
        raise PatternError("use '/' as the path separator")
    if text.startswith("/"):
        raise PatternError("patterns are relative to the project root; drop the leading '/'")
    is_dir = text.endswith("/")
    parts = text.rstrip("/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise PatternError("empty, '.' or '..' path component")
    if not is_dir and not parts[-1].endswith(".py") and "*" not in parts[-1]:
        raise PatternError(
            "a file pattern must name a .py file; end a directory pattern with '/'"
        )
    tokens: list[ComponentMatcher | str] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":  # any number of whole components
            tokens.append(_ANY_TAIL if last else _ANY_DIRS)
        elif "**" in part:
            raise PatternError("'**' must be a whole path component")
        else:
            tokens.append(_component_matcher(part))
    final = parts[-1]
    literal = None if any(ch in final for ch in "*?[") else final
    fixed = () if "**" in parts else tuple(t for t in tokens if not isinstance(t, str))
    return Pattern(text, layer, is_dir, len(parts), tuple(tokens), literal, fixed)


@dataclass(frozen=True)
class _Index:
    """Patterns with their precedence rank (place in the list): those whose
    last component is a plain name by that name, the others (wildcards,
    ``**``) apart; a lookup merges the two by rank."""

    by_last: Mapping[str, tuple[tuple[int, Pattern], ...]]
    other: tuple[tuple[int, Pattern], ...]

    @classmethod
    def of(cls, patterns: Iterable[Pattern]) -> _Index:
        by_last: dict[str, list[tuple[int, Pattern]]] = {}
        other: list[tuple[int, Pattern]] = []
        for rank, pattern in enumerate(patterns):
            if pattern.last_literal is None:
                other.append((rank, pattern))
            else:
                by_last.setdefault(pattern.last_literal, []).append((rank, pattern))
        return cls({name: tuple(ranked) for name, ranked in by_last.items()}, tuple(other))

    def first(self, parts: Sequence[str], end: int) -> Pattern | None:
        """The first pattern (by rank) that matches ``parts[:end]`` at its end."""
        best: tuple[int, Pattern] | None = None
        for ranked in self.by_last.get(parts[end - 1], ()):
            if ranked[1].matches(parts, end):
                best = ranked
                break
        for rank, pattern in self.other:
            if best is not None and rank > best[0]:
                break
            if pattern.matches(parts, end):
                return pattern
        return best[1] if best is not None else None

    def nearest_dir(self, parts: Sequence[str]) -> Pattern | None:
        """The first pattern matching the nearest enclosing directory that
        any pattern matches (``parts`` is a file's path)."""
        for end in range(len(parts) - 1, 0, -1):
            found = self.first(parts, end)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, eq=False)  # hashed by identity: used as a cache key
class LayerMap:
    """Compiled patterns of every layer: the thing that classifies paths."""

    file_patterns: tuple[Pattern, ...]
    dir_patterns: tuple[Pattern, ...]
    _files: _Index = field(init=False, repr=False)
    _dirs: _Index = field(init=False, repr=False)
    _special: tuple[tuple[str, _Index, _Index], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        set_field = functools.partial(object.__setattr__, self)
        set_field("_files", _Index.of(self.file_patterns))
        set_field("_dirs", _Index.of(self.dir_patterns))
        set_field("_special", tuple(
            (
                special,
                _Index.of(p for p in self.file_patterns if p.layer == special),
                _Index.of(p for p in self.dir_patterns if p.layer == special),
            )
            for special in ("test", "migration")
        ))  # fmt: skip

    @classmethod
    def build(cls, patterns: Mapping[str, Sequence[str]]) -> LayerMap:
        order = {name: i for i, name in enumerate(LAYERS)}
        compiled = [
            compile_pattern(text, layer)
            for layer in sorted(patterns, key=lambda n: order.get(n, len(order)))
            for text in patterns[layer]
        ]
        # Longest first, then layer order: the first match is the winner.
        compiled.sort(key=lambda p: (-p.length, order.get(p.layer, len(order))))
        return cls(
            tuple(p for p in compiled if not p.is_dir),
            tuple(p for p in compiled if p.is_dir),
        )

    def classify(self, relpath: str) -> str | None:
        """Layer of a module given its ``/``-separated path relative to the root."""
        return _classify(self, relpath)


@functools.lru_cache(maxsize=8192)
def _classify(layer_map: LayerMap, relpath: str) -> str | None:
    path = relpath.replace(os.sep, "/").lstrip("/")
    parts = path.split("/")
    end = len(parts)
    for special, files, dirs in layer_map._special:
        if files.first(parts, end) is not None or dirs.nearest_dir(parts) is not None:
            return special
    found = layer_map._files.first(parts, end)
    if found is not None:
        if found.layer in RESOURCE_NAMED_LAYERS and end > 1 and parts[-2] in ROUTER_DIR_NAMES:
            # ``routers/models.py`` holds the routes of the /models resource
            return "router"
        return found.layer
    found = layer_map._dirs.nearest_dir(parts)
    return found.layer if found is not None else None


DEFAULT_LAYER_MAP = LayerMap.build(DEFAULT_PATTERNS)


# --------------------------------------------------------------------------
# Project roots, source roots and modules
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def find_project_root(directory: str) -> str:
    """Directory of the nearest ``pyproject.toml`` (else setup.cfg/tox.ini/.flake8).

    Without those, the nearest directory with a ``requirements.txt``, ``.git``
    or ``.hg`` (an application checkout: its packages may be namespace
    packages without ``__init__.py``).  Without any marker (an unpacked wheel),
    the directory that holds the outermost package (the last parent with an
    ``__init__.py``) is the root, as mypy finds packages; failing that the
    directory itself.
    """
    start = os.path.abspath(directory)
    for marker in ROOT_MARKERS:
        found = _nearest(start, (marker,), os.path.isfile)
        if found is not None:
            return found
    found = _nearest(start, FALLBACK_MARKERS, os.path.exists)
    if found is not None:
        return found
    current = start
    while os.path.isfile(os.path.join(current, "__init__.py")):
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return current


def _nearest(start: str, names: tuple[str, ...], present: Callable[[str], bool]) -> str | None:
    """``start`` or its nearest parent directory holding one of ``names``."""
    current = start
    while True:
        if any(present(os.path.join(current, name)) for name in names):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


@functools.lru_cache(maxsize=65536)
def _exists(path: str) -> tuple[bool, bool]:
    """(is a file, is a directory), cached: the tree does not change in one run."""
    return os.path.isfile(path), os.path.isdir(path)


def _is_module_at(base: str, name: str) -> bool:
    is_file, _ = _exists(os.path.join(base, name + ".py"))
    if is_file:
        return True
    _, is_dir = _exists(os.path.join(base, name))
    return is_dir


@dataclass(frozen=True)
class ImportTarget:
    """An import resolved to a first-party module and its layer."""

    module: str  # dotted name as written (relative ones resolved when possible)
    relpath: str  # path of the module relative to the project root, '/'-separated
    layer: str | None
    feature: str | None


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


def feature_of(relpath: str) -> str | None:
    """``<a>`` for a path under ``features/<a>/``, else None."""
    parts = relpath.split("/")
    for i, part in enumerate(parts[:-2]):
        if part == "features":
            return parts[i + 1]
    return None


@dataclass(frozen=True, eq=False)  # hashed by identity: used as a cache key
class ModuleInfo:
    """Where a checked file sits: its root, path, layer and import context."""

    path: str  # absolute path of the file
    root: str  # project root
    relpath: str  # path relative to root, '/'-separated
    layer: str | None
    feature: str | None
    source_roots: tuple[str, ...]  # absolute dirs where first-party top-levels live
    first_party: frozenset[str]  # top-level names declared first-party in config
    layer_map: LayerMap

    # -- imports -----------------------------------------------------------

    def is_first_party(self, top: str) -> bool:
        return top in self.first_party or any(
            _is_module_at(base, top) for base in self.source_roots
        )

    def resolve_import(
        self, module: str | None, level: int = 0, name: str | None = None
    ) -> ImportTarget | None:
        """Layer of ``import module`` / ``from [.]module import name``.

        Returns None for anything that is not first-party (``sqlalchemy.orm``,
        ``fastapi.routing``): those are never project layers.
        """
        # Keyed by what the answer depends on, not by this object: files of one
        # directory share their imports' answers.
        here = os.path.dirname(self.path) if level else ""
        return _resolve_import(
            self.root, self.source_roots, self.first_party, self.layer_map,
            here, module, level, name,
        )  # fmt: skip


@functools.lru_cache(maxsize=65536)
def _resolve_import(
    root: str,
    roots: tuple[str, ...],
    first_party: frozenset[str],
    layer_map: LayerMap,
    here: str,
    module: str | None,
    level: int,
    name: str | None,
) -> ImportTarget | None:
    parts = module.split(".") if module else []
    if level:
        base_dir = here
        for _ in range(level - 1):
            base_dir = os.path.dirname(base_dir)
        dotted = "." * level + (module or "")
        return _target_under(root, layer_map, base_dir, parts, name, dotted)
    if not parts:
        return None
    top = parts[0]
    bases = [b for b in roots if _is_module_at(b, top)]
    if not bases:
        if top not in first_party:
            return None
        bases = [root]
    return _target_under(root, layer_map, bases[0], parts, name, module or "")


def _target_under(
    root: str,
    layer_map: LayerMap,
    base_dir: str,
    parts: list[str],
    name: str | None,
    dotted: str,
) -> ImportTarget | None:
    module_path = os.path.join(base_dir, *parts) if parts else base_dir
    candidate: str | None = None
    if name is not None and name != "*":
        sub = os.path.join(module_path, name)
        is_file, _ = _exists(sub + ".py")
        _, is_dir = _exists(sub)
        if is_file or is_dir:
            candidate = sub + (".py" if is_file else "/__init__.py")
        elif not _exists(module_path + ".py")[0] and not _exists(module_path)[1]:
            # Nothing on disk: a lower-case name that is itself a layer file
            # name (``from . import service``) is taken as a submodule.
            guess = sub + ".py"
            if name.islower() and layer_map.classify(
                os.path.basename(guess)
            ) not in (None, "app"):
                candidate = guess
    if candidate is None:
        if parts:
            is_file, _ = _exists(module_path + ".py")
            _, is_dir = _exists(module_path)
            candidate = module_path + ("/__init__.py" if is_dir and not is_file else ".py")
        else:
            candidate = os.path.join(module_path, "__init__.py")
    rel = _relpath(candidate, root)
    if rel is None:
        return None
    if name and name != "*" and (
        candidate.endswith(f"/{name}.py") or candidate.endswith(f"/{name}/__init__.py")
    ):
        dotted = dotted + name if dotted.endswith(".") else f"{dotted}.{name}"
    return ImportTarget(
        dotted,
        rel,
        layer_map.classify(rel),
        feature_of(rel),
    )


def _relpath(path: str, root: str) -> str | None:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # different drives on Windows
        return None
    rel = rel.replace(os.sep, "/")
    if rel.startswith("../"):
        return None
    return rel


def source_roots(root: str, file_dir: str) -> tuple[str, ...]:
    """Where first-party top-level packages may live for a file in ``file_dir``.

    The project root, its ``src/``, and every directory between the root and
    the file (so an ``app/`` source root importing ``services.x`` works).
    """
    return _source_roots(os.path.abspath(root), os.path.abspath(file_dir))


@functools.lru_cache(maxsize=4096)
def _source_roots(root: str, file_dir: str) -> tuple[str, ...]:
    roots = [root]
    src = os.path.join(root, "src")
    if _exists(src)[1]:
        roots.append(src)
    rel = _relpath(file_dir, root)
    if rel and rel != ".":
        current = root
        for part in rel.split("/"):
            current = os.path.join(current, part)
            if current not in roots:
                roots.append(current)
    return tuple(roots)


def module_info(
    path: str | os.PathLike[str],
    layer_map: LayerMap = DEFAULT_LAYER_MAP,
    first_party: Iterable[str] = (),
    root: str | None = None,
) -> ModuleInfo:
    """Classify the file at ``path`` (which need not exist)."""
    abspath = os.path.abspath(os.fspath(path))
    directory = os.path.dirname(abspath)
    project_root = os.path.abspath(root) if root else find_project_root(directory)
    rel = _relpath(abspath, project_root)
    if rel is None:  # file outside its root (only with an explicit root)
        rel = PurePosixPath(Path(abspath).name).as_posix()
    return ModuleInfo(
        path=abspath,
        root=project_root,
        relpath=rel,
        layer=layer_map.classify(rel),
        feature=feature_of(rel),
        source_roots=source_roots(project_root, directory),
        first_party=frozenset(first_party),
        layer_map=layer_map,
    )


def clear_caches() -> None:
    """Forget cached file-system facts (for long-lived processes such as dmypy)."""
    for cached in (find_project_root, _exists, _source_roots, _resolve_import):
        cached.cache_clear()
