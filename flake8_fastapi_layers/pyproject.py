"""Which ``pyproject.toml`` governs a directory: the nearest one at or above it.

Its own tiny module (``os`` only) so that the mypy plugin's warm runs, which
ask this for every module in ``report_config_data``, need not import the rest
of the core.
"""

from __future__ import annotations

import functools
import os


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
