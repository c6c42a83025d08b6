"""The result cache of ``fastapi-layers check``: an unchanged re-run reads
each file, hashes it and prints what it found last time.

Where: ``.fastapi-layers-cache/`` in each checked file's project root (as
``.ruff_cache/`` and ``.mypy_cache/`` sit beside the project), or the
directory given by ``--cache-dir`` or ``$FASTAPI_LAYERS_CACHE_DIR``.  The
directory holds a ``.gitignore`` of ``*`` (so nothing in it is ever
committed) and a ``CACHEDIR.TAG`` (so backups skip it); one JSON file per
project root and selection.  JSON, never pickle: a cache directory committed
by someone else can at worst cost a re-check, never run code.

An entry holds one file's findings (after ``# noqa``, before ``--select``/
``--ignore``/``per-file-ignores``, which are applied to cached and fresh
findings alike) and is used only when every input it was computed from is
unchanged:

* the file's content (a BLAKE2 hash of its bytes) and its path in the project;
* the configuration: the governing ``pyproject.toml``'s content, and
  ``alembic.ini`` at the project root;
* the codes the run computes (``--select``/``--ignore`` and the
  off-by-default codes named);
* the tool: its version, the hash of its own source files (an edited
  checkout invalidates everything), flake8's version (its ``noqa`` regex)
  and the Python version (its parser);
* the project's layout: every directory and ``.py`` file name under the
  root, which is what resolving imports to layers looks at (adding
  ``services/`` can make ``import services.x`` first-party);
* for FAL208, whose verdict depends on where *other* modules
  ``include_router`` a router: the content of every module of the project
  that mentions ``include_router``.  Only computed when FAL208 is.

Whatever else a check comes to read from other files (say, layer evidence
read from an imported module's source) must be added to the key the same
way, or a re-run answers from a stale entry.

Not cached: files that cannot be read or parsed (``E902``/``E999``), and
files under a hidden directory of the project (the layout key leaves hidden
directories out).  A project root holding more than :data:`MAX_ENTRIES`
names is not cached either.  A cache that cannot be read is treated as
empty; one that cannot be written is silently not written: the check never
fails because of its cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from . import __version__
from .files import SKIP_DIRS, iter_python_files

#: The cache directory's name in a project root.
CACHE_DIR_NAME = ".fastapi-layers-cache"
#: Environment variable naming another cache directory.
CACHE_DIR_ENV = "FASTAPI_LAYERS_CACHE_DIR"
#: Bumped when the stored format changes.
FORMAT = 1
#: Names (directories and ``.py`` files) above which a root is not cached.
MAX_ENTRIES = 100_000
#: Codes whose findings in a file depend on the content of other files.
CROSS_FILE_CODES = frozenset({"FAL208"})
#: What marks a module that FAL208's include scan reads.
_INCLUDE_MARK = b"include_router"

_GITIGNORE = "# Automatically created by fastapi-layers.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by fastapi-layers.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

#: One file's cached result: its layer and its findings as
#: ``[line, col, code, message, source line]`` lists.
Payload = dict[str, Any]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _join(*parts: str) -> bytes:
    return "\0".join(parts).encode("utf-8", "surrogateescape")


_environment: str | None = None


def environment_key() -> str:
    """The tool itself: versions, and the hash of this package's source files."""
    global _environment
    if _environment is None:
        import flake8  # type: ignore[import-untyped, unused-ignore]  # flake8 ships no types

        package = os.path.dirname(os.path.abspath(__file__))
        sources = hashlib.blake2b(digest_size=16)
        for directory, dirnames, filenames in os.walk(package):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    path = os.path.join(directory, name)
                    sources.update(_join(os.path.relpath(path, package)))
                    with open(path, "rb") as handle:
                        sources.update(handle.read())
        _environment = digest(
            _join(
                str(FORMAT),
                __version__,
                sources.hexdigest(),
                getattr(flake8, "__version__", ""),
                sys.implementation.cache_tag or "",
                sys.version,
            )
        )
    return _environment


def _hidden(relpath: str) -> bool:
    return any(part.startswith(".") for part in relpath.split("/")[:-1])


@dataclass
class _Root:
    """The cache of one project root and selection."""

    root: str
    store: str  # the JSON file
    entries: dict[str, list[Any]] = field(default_factory=dict)
    dirty: bool = False
    layout: str | None = None  # None: not cacheable
    includes: str | None | bool = False  # False: not computed yet; None: not cacheable
    loaded: bool = False


class Cache:
    """Findings of files, keyed by everything they were computed from.

    ``directory``: where the stores live (None: each root's own
    ``.fastapi-layers-cache``); ``selection``: a text naming the codes the run
    computes; ``read``: how the run reads a source file (``bytes``, raising
    ``OSError``), used for the include scan's inputs.
    """

    def __init__(
        self, directory: str | None, selection: str, read: Callable[[str], bytes]
    ) -> None:
        self.directory = directory
        self.selection = selection
        self.read = read
        self._roots: dict[str, _Root] = {}
        self._configs: dict[str | None, str] = {}
        self.hits = 0
        self.misses = 0

    # -- keys --------------------------------------------------------------

    def key(
        self,
        root: str,
        relpath: str,
        content: bytes,
        config_source: str | None,
        cross_file: bool,
    ) -> str | None:
        """The key of a file's entry, or None when the file is not cached."""
        if _hidden(relpath):
            return None
        state = self._root(root)
        if state.layout is None:
            return None
        includes = ""
        if cross_file:
            if state.includes is False:
                state.includes = self._includes_key(root)
            if state.includes is None:
                return None
            includes = str(state.includes)
        return digest(
            _join(
                environment_key(),
                self.selection,
                self._config_key(root, config_source),
                state.layout,
                includes,
                relpath,
                digest(content),
            )
        )

    def _config_key(self, root: str, source: str | None) -> str:
        found = self._configs.get(source)
        if found is None:
            parts = [source or ""]
            for path in (source, os.path.join(root, "alembic.ini")):
                if path is None:
                    continue
                try:
                    parts.append(digest(self.read(path)))
                except OSError:
                    parts.append("-")
            found = self._configs[source] = digest(_join(*parts))
        return found

    def _includes_key(self, root: str) -> str | None:
        """The content of every module under ``root`` that FAL208's include
        scan may read (a superset: every ``.py`` file mentioning ``include_router``)."""
        hashed = hashlib.blake2b(digest_size=16)
        for count, path in enumerate(iter_python_files([root])):
            if count >= MAX_ENTRIES:
                return None
            try:
                data = self.read(path)
            except (OSError, ValueError):
                hashed.update(_join("unreadable", path))
                continue
            if _INCLUDE_MARK in data:
                hashed.update(_join(os.path.relpath(path, root), digest(data)))
        return hashed.hexdigest()

    # -- entries -----------------------------------------------------------

    def get(self, root: str, relpath: str, key: str) -> Payload | None:
        state = self._root(root)
        self._load(state)
        entry = state.entries.get(relpath)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
            payload = entry[1]
            if _valid(payload):
                self.hits += 1
                return payload  # type: ignore[no-any-return]  # checked by _valid
        self.misses += 1
        return None

    def put(self, root: str, relpath: str, key: str, payload: Payload) -> None:
        state = self._root(root)
        self._load(state)
        state.entries[relpath] = [key, payload]
        state.dirty = True

    def save(self) -> None:
        """Write every store that changed (never raises)."""
        for state in self._roots.values():
            if not state.dirty:
                continue
            state.entries = {
                relpath: entry
                for relpath, entry in state.entries.items()
                if os.path.exists(os.path.join(state.root, relpath))
            }
            try:
                _write(state.store, {"format": FORMAT, "root": state.root, "entries": state.entries})
            except (OSError, ValueError, TypeError):
                pass  # a read-only tree: no cache, same results
            state.dirty = False

    # -- roots -------------------------------------------------------------

    def _root(self, root: str) -> _Root:
        state = self._roots.get(root)
        if state is None:
            directory = self.directory or os.path.join(root, CACHE_DIR_NAME)
            name = digest(_join(str(FORMAT), root, self.selection))
            state = self._roots[root] = _Root(
                root=root,
                store=os.path.join(directory, f"{name}.json"),
                layout=layout_key(root),
            )
        return state

    def _load(self, state: _Root) -> None:
        if state.loaded:
            return
        state.loaded = True
        try:
            with open(state.store, "rb") as handle:
                data = json.load(handle)
        except (OSError, ValueError, RecursionError):
            return
        if (
            isinstance(data, dict)
            and data.get("format") == FORMAT
            and data.get("root") == state.root
            and isinstance(data.get("entries"), dict)
        ):
            state.entries = data["entries"]


def layout_key(root: str) -> str | None:
    """A hash of every directory and ``.py`` file name under ``root`` (hidden
    directories, ``__pycache__`` and the cache itself left out; the contents of
    ``SKIP_DIRS`` not listed), or None for a root with more than
    :data:`MAX_ENTRIES` of them."""
    hashed = hashlib.blake2b(digest_size=16)
    count = 0
    for directory, dirnames, filenames in os.walk(root):
        relative = os.path.relpath(directory, root)
        kept = sorted(
            d for d in dirnames if not d.startswith(".") and d not in ("__pycache__", CACHE_DIR_NAME)
        )
        dirnames[:] = [d for d in kept if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        listed = [d for d in kept if d in dirnames or d.isidentifier()]
        files = sorted(f for f in filenames if f.endswith(".py"))
        count += len(listed) + len(files)
        if count > MAX_ENTRIES:
            return None
        hashed.update(_join(relative, "d", *listed, "f", *files, ""))
    return hashed.hexdigest()


def _valid(payload: Any) -> bool:
    if not isinstance(payload, dict):
        return False
    layer, findings = payload.get("layer"), payload.get("findings")
    if not (layer is None or isinstance(layer, str)) or not isinstance(findings, list):
        return False
    return all(
        isinstance(f, list)
        and len(f) == 5
        and isinstance(f[0], int)
        and isinstance(f[1], int)
        and all(isinstance(part, str) for part in f[2:])
        for f in findings
    )


def _write(store: str, data: dict[str, Any]) -> None:
    directory = os.path.dirname(store)
    if not os.path.isdir(directory):
        os.makedirs(directory, exist_ok=True)
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
                handle.write(text)
    # a new file beside the store, created as open() creates files (the umask
    # decides its mode), then renamed over it: readers never see half a store
    temporary = os.path.join(directory, f".tmp-{os.getpid()}-{secrets.token_hex(4)}.json")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(temporary, store)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def default_directory(option: str | None) -> str | None:
    """``--cache-dir``, else ``$FASTAPI_LAYERS_CACHE_DIR``, else None (each root's own)."""
    chosen = option or os.environ.get(CACHE_DIR_ENV) or None
    return os.path.abspath(chosen) if chosen else None


def selection_key(computed: Iterable[str], named_off: Iterable[str]) -> str:
    """A text naming what a run computes (part of every key)."""
    return ",".join(sorted(computed)) + "|" + ",".join(sorted(named_off))


__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_DIR_NAME",
    "CROSS_FILE_CODES",
    "Cache",
    "default_directory",
    "environment_key",
    "layout_key",
    "selection_key",
]
