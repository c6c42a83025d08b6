"""Which ``pyproject.toml`` governs a directory, and reading one safely.

Its own tiny module (``os`` and ``tomllib`` only) so that the mypy plugin's
warm runs, which ask this for every module in ``report_config_data``, need
not import the rest of the core.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]  # 3.10 only

#: Larger files are refused unread (a real pyproject.toml is a few kB; the
#: TOML parser takes about 0.35 s per MB).
MAX_PYPROJECT_BYTES = 4 * 1024 * 1024

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
