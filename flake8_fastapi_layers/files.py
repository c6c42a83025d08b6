"""Finding the Python files to check under the paths a user gives."""

from __future__ import annotations

import os
import stat
from typing import Callable, Iterable, Iterator

#: Bytes read at most from a project file that is not being checked (the FAL208
#: include scan, evidence of imported modules): a bigger ``.py`` file
#: (generated code, data) is skipped.
MAX_FILE_BYTES = 1_000_000

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


def read_regular_file(path: str, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (after following
    symlinks) of at most ``limit`` bytes, else None (also when unreadable).

    Anything else is never opened: reading a FIFO blocks until a writer comes,
    a device such as ``/dev/zero`` never ends.  The file is opened without
    blocking and checked again once open, so a swap after the first look
    cannot make it block either.
    """
    try:
        if not _small_regular(os.stat(path), limit):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    try:
        if not _small_regular(os.fstat(fd), limit):
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        return None  # grew past the limit while being read
    except OSError:
        return None
    finally:
        os.close(fd)


def _small_regular(status: os.stat_result, limit: int) -> bool:
    return stat.S_ISREG(status.st_mode) and status.st_size <= limit
