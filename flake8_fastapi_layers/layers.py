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
import os
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Pattern:
    """One compiled layer pattern."""

    text: str
    layer: str
    is_dir: bool
    length: int  # number of path components: longer is more specific
    regex: re.Pattern[str]


def _component_regex(component: str) -> str:
    """Translate one glob component (``*``, ``?``, ``[...]``) to a regex."""
    out: list[str] = []
    i = 0
    while i < len(component):
        ch = component[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = component.find("]", i + 2 if component[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                raise PatternError("unclosed '[' in glob")
            body = component[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


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
    body = ""
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":  # any number of whole components
            body += "[^/]+(?:/[^/]+)*" if last else "(?:[^/]+/)*"
        elif "**" in part:
            raise PatternError("'**' must be a whole path component")
        else:
            body += _component_regex(part) + ("" if last else "/")
    try:
        regex = re.compile("(?:^|/)" + body + r"\Z")
    except re.error as exc:  # pragma: no cover - _component_regex guards this
        raise PatternError(str(exc)) from None
    return Pattern(text, layer, is_dir, len(parts), regex)


@dataclass(frozen=True, eq=False)  # hashed by identity: used as a cache key
class LayerMap:
    """Compiled patterns of every layer: the thing that classifies paths."""

    file_patterns: tuple[Pattern, ...]
    dir_patterns: tuple[Pattern, ...]

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
    for special in ("test", "migration"):
        for pattern in layer_map.file_patterns + layer_map.dir_patterns:
            if pattern.layer != special:
                continue
            if pattern.is_dir:
                if _nearest_dir(path, (pattern,)) is not None:
                    return special
            elif pattern.regex.search(path):
                return special
    for pattern in layer_map.file_patterns:
        if pattern.regex.search(path):
            if pattern.layer in RESOURCE_NAMED_LAYERS and _parent_name(path) in ROUTER_DIR_NAMES:
                # ``routers/models.py`` holds the routes of the /models resource
                return "router"
            return pattern.layer
    return _nearest_dir(path, layer_map.dir_patterns)


def _parent_name(path: str) -> str:
    return path.rpartition("/")[0].rpartition("/")[2]


def _nearest_dir(path: str, patterns: Iterable[Pattern]) -> str | None:
    patterns = tuple(patterns)
    directory = path.rpartition("/")[0]
    while directory:
        for pattern in patterns:
            if pattern.regex.search(directory):
                return pattern.layer
        directory = directory.rpartition("/")[0]
    return None


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
