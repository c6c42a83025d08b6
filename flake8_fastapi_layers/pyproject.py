"""Which ``pyproject.toml`` governs a directory, and reading one safely.

Its own tiny module (``os`` and ``tomllib`` only) so that the mypy plugin's
warm runs, which ask this for every module in ``report_config_data``, need
not import the rest of the core.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
import sys
from typing import Any, Callable, Iterable, Iterator, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]  # 3.10 only

#: Larger files are refused unread (a real pyproject.toml is a few kB; the
#: TOML parser takes about 0.35 s per MB).
MAX_PYPROJECT_BYTES = 4 * 1024 * 1024

#: Directories ``fastapi-layers check`` does not enter (nor ``*.egg-info``);
#: flake8 has its own ``--exclude``.
SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".tox", ".venv", "venv", "__pycache__", "node_modules", ".mypy_cache"}
)


#: A parsed TOML file: free-form tables (what other tools put there is theirs).
TOMLDocument = dict[str, Any]


class PyprojectError(ValueError):
    """A ``pyproject.toml`` that cannot be read; ``str()`` is the problem."""


@functools.lru_cache(maxsize=4096)
def nearest_pyproject(directory: str) -> str | None:
    """The nearest ``pyproject.toml`` in ``directory`` (absolute) or above it."""
    current = directory
    while True:
        candidate = os.path.join(current, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def read_pyproject(path: str) -> TOMLDocument:
    """The TOML document of ``path``; :class:`PyprojectError` for anything
    that is not a readable regular file of UTF-8 TOML of a sane size, never
    another exception (an encoding, a nesting or an integer that the parser
    cannot take included)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise PyprojectError("not a regular file")
        if info.st_size > MAX_PYPROJECT_BYTES:
            raise PyprojectError(_too_large(info.st_size))
        with open(path, "rb") as handle:
            raw = handle.read(MAX_PYPROJECT_BYTES + 1)
    except OSError as exc:
        raise PyprojectError(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_PYPROJECT_BYTES:  # grew since the stat
        raise PyprojectError(_too_large(len(raw)))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PyprojectError("UTF-16 text; TOML files are UTF-8: save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise PyprojectError("starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PyprojectError(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); TOML files are UTF-8"
        ) from None
    try:
        document: TOMLDocument = tomllib.loads(text)
    except RecursionError:
        raise PyprojectError("invalid TOML: values nested too deeply to read") from None
    except MemoryError:  # pragma: no cover - depends on the machine
        raise PyprojectError("invalid TOML: too large to read") from None
    except ValueError as exc:  # TOMLDecodeError, or an integer of 5,000 digits
        raise PyprojectError(f"invalid TOML: {exc}") from None
    return document


def _too_large(size: int) -> str:
    return f"too large ({size:,} bytes; at most {MAX_PYPROJECT_BYTES:,} are read)"


def governing_pyprojects(
    paths: Iterable[str],
    exclude: Sequence[str] | None = None,
    filename_patterns: Sequence[str] = ("*.py",),
) -> Iterator[str]:
    """Every ``pyproject.toml`` that governs a file a run over ``paths`` checks.

    For each path, the nearest one at or above it; below a directory, every
    ``pyproject.toml`` of a nested project that governs at least one file
    matching ``filename_patterns``.  One ``os.walk`` per directory argument,
    nothing parsed.  Directories not entered: with ``exclude`` (flake8's
    patterns), those flake8 excludes, matched as flake8 does (the base name,
    then the absolute path); without, those of ``fastapi-layers check``
    (:data:`SKIPPED_DIRS`, ``*.egg-info``).  Each file is yielded once.
    """
    seen: set[str] = set()
    exclusion = _any_of(exclude or ())
    wanted = _any_of(filename_patterns)

    def excluded(path: str) -> bool:
        if exclusion is None:
            return False
        name = os.path.normcase(os.path.basename(path))
        if name not in (".", "..") and exclusion(name):
            return True
        return exclusion(os.path.normcase(os.path.abspath(path))) is not None

    def skipped(directory: str, name: str) -> bool:
        if exclude is None:
            return name in SKIPPED_DIRS or name.endswith(".egg-info")
        return excluded(os.path.join(directory, name))

    def new(pyproject: str | None) -> Iterator[str]:
        if pyproject is not None and pyproject not in seen:
            seen.add(pyproject)
            yield pyproject

    for path in paths:
        if path == "-" or excluded(path):
            continue
        full = os.path.abspath(path)
        is_dir = os.path.isdir(full)
        yield from new(nearest_pyproject(full if is_dir else os.path.dirname(full)))
        if not is_dir:
            continue
        # Walked as given, so that names are the ones flake8 matches patterns against.
        governing = {path: nearest_pyproject(full)}
        for directory, dirnames, filenames in os.walk(path):
            pyproject = governing.pop(directory)
            own = os.path.join(directory, "pyproject.toml")
            if directory != path and "pyproject.toml" in filenames and os.path.isfile(own):
                pyproject = os.path.abspath(own)
            dirnames[:] = [d for d in dirnames if not skipped(directory, d)]
            for d in dirnames:
                governing[os.path.join(directory, d)] = pyproject
            if pyproject is None or pyproject in seen:
                continue
            for filename in filenames:
                name = os.path.join(directory, filename)
                if wanted is not None and wanted(os.path.normcase(name)) and not excluded(name):
                    yield from new(pyproject)
                    break


def _any_of(patterns: Sequence[str]) -> Callable[[str], object] | None:
    """One matcher for several ``fnmatch`` patterns (what flake8 tries one by one)."""
    if not patterns:
        return None
    return re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns)).match
