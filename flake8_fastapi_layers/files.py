"""Finding the Python files to check under the paths a user gives."""

from __future__ import annotations

import os
from typing import Callable, Iterable, Iterator

#: Directories never descended into.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".tox", ".venv", "venv", "__pycache__", "node_modules", ".mypy_cache"}
)


def iter_python_files(
    paths: Iterable[str | os.PathLike[str]],
    onerror: Callable[[OSError], object] | None = None,
) -> Iterator[str]:
    """Every ``*.py`` file under ``paths`` (files given directly are kept), sorted.

    ``onerror``, if given, gets the error of each path that does not exist and
    of each directory that cannot be listed (those are skipped); without it,
    a path given that does not exist is yielded as it is.
    """
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            for directory, dirnames, filenames in os.walk(path, onerror=onerror):
                dirnames[:] = sorted(
                    d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")
                )
                for filename in sorted(filenames):
                    if filename.endswith(".py"):
                        yield os.path.join(directory, filename)
        else:
            if onerror is not None:
                try:
                    os.stat(path)
                except OSError as exc:
                    onerror(exc)
                    continue
            yield path
