"""Which modules are the project's, their configuration and their layer.

Everything here delegates to the shared core (``flake8_fastapi_layers.config``
and ``.layers``): the mypy plugin classifies a file exactly as the flake8
plugin does.  This module only adds a cache keyed by path and the rule for
"project module" (what the plugin checks and reports configuration data for).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flake8_fastapi_layers.pyproject import PyprojectError, nearest_pyproject, read_pyproject

from .codes import MIRRORS

if TYPE_CHECKING:
    from flake8_fastapi_layers.config import Config

# The shared core (flake8_fastapi_layers.config/.layers/.catalogue) is imported
# on first use: a warm mypy run that re-checks nothing only calls
# report_config_data, and importing the core compiles every layer pattern.

#: Path components that mark installed (third-party) code.
_INSTALLED = frozenset({"site-packages", "dist-packages"})

#: FAL rule options that change what the plugin reports.
PLUGIN_OPTIONS: tuple[str, ...] = ("FAL501",)


def is_project_path(path: str) -> bool:
    """A ``.py`` source file that is not installed code (stubs are never checked)."""
    if not path.endswith(".py"):
        return False
    parts = path.replace("\\", "/").split("/")
    return not _INSTALLED.intersection(parts)


@dataclass(frozen=True, eq=False)
class Facts:
    """What the plugin needs to know about one checked file."""

    path: str
    config: Config | None  # None when the configuration is broken
    error: str | None  # the ConfigError message, if any
    layer: str | None

    def active(self, mypy_code: str) -> bool:
        """Whether the FAL rule that ``mypy_code`` mirrors is on in this config.

        ``disable`` in ``[tool.fastapi-layers]`` turns the rule off for both
        front ends; mypy's own error-code switches do the rest.
        """
        if self.config is None:
            return False
        # The five mirrored rules are on by default (RULES.md §11), so only
        # ``disable`` matters; this keeps the rule catalogue unloaded.
        return not self.config.is_disabled(MIRRORS[mypy_code])


class Project:
    """Per-path facts, cached for one build (see :meth:`refresh`)."""

    def __init__(self) -> None:
        self._facts: dict[str, Facts | None] = {}

    def refresh(self) -> None:
        """Forget cached facts (a new build: files or config may have changed)."""
        self._facts.clear()
        nearest_pyproject.cache_clear()  # a pyproject.toml may have appeared
        if "flake8_fastapi_layers.config" in sys.modules:
            from flake8_fastapi_layers import layers as core_layers
            from flake8_fastapi_layers.config import clear_caches

            clear_caches()
            core_layers.clear_caches()

    def facts(self, path: str) -> Facts | None:
        """Facts of a project module; None for installed code and stubs."""
        try:
            return self._facts[path]
        except KeyError:
            pass
        result = self._compute(path) if is_project_path(path) else None
        self._facts[path] = result
        return result

    def layer(self, path: str) -> str | None:
        facts = self.facts(path)
        return facts.layer if facts is not None else None

    @staticmethod
    def _compute(path: str) -> Facts:
        from flake8_fastapi_layers.config import ConfigError
        from flake8_fastapi_layers.engine import project_config
        from flake8_fastapi_layers.layers import module_info

        try:
            config = project_config(path)
        except ConfigError as exc:
            return Facts(path, None, str(exc), None)
        info = module_info(path, config.layer_map, config.first_party)
        return Facts(path, config, None, info.layer)


def config_problem(path: str) -> str | None:
    """The error line for a broken ``[tool.fastapi-layers]`` (or an unreadable
    ``pyproject.toml``) governing the project module at ``path``, else None:
    ``<pyproject.toml>: error: [tool.fastapi-layers] <key>: <problem>``."""
    if not is_project_path(path):
        return None
    from flake8_fastapi_layers.config import ConfigError
    from flake8_fastapi_layers.engine import project_config

    try:
        project_config(path)
    except ConfigError as exc:
        where = exc.path or "<config>"
        return f"{where}: error: {str(exc)[len(where) + 2 :]}"
    return None


def config_data(path: str) -> Any:
    """``report_config_data`` for one module: the parts of its
    ``[tool.fastapi-layers]`` table that can change what the plugin reports
    there (layers, first-party packages, the mirrored codes' switches, FAL501's
    lists), as written, and nothing else: editing, say, a FAL205 threshold
    does not invalidate mypy's cache.  None for installed code and stubs.

    mypy asks this for every module of every run, warm ones included, so it
    reads the table as TOML without validating it (validation, which loads
    the whole rule catalogue, happens when a module is actually checked).
    """
    if not is_project_path(path):
        return None
    pyproject = nearest_pyproject(os.path.dirname(os.path.abspath(path)))
    if pyproject is None:
        return {}
    try:
        stat = os.stat(pyproject)
    except OSError:
        return {}
    return _raw_data(pyproject, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _raw_data(pyproject: str, mtime_ns: int, size: int) -> Any:
    try:
        data = read_pyproject(pyproject)
    except PyprojectError as exc:
        return {"source": pyproject, "unreadable": str(exc)}
    tool = data.get("tool")
    table = tool.get("fastapi-layers") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return {"source": pyproject}
    mirrored = tuple(MIRRORS.values())
    result: dict[str, Any] = {"source": pyproject}
    for key, value in table.items():
        if key in ("disable", "enable") and isinstance(value, list):
            # Only the mirrored codes matter (a prefix such as "FAL3" counts).
            value = sorted(str(v) for v in value if any(m.startswith(str(v)) for m in mirrored))
        elif key.startswith("FAL") and key not in PLUGIN_OPTIONS:
            continue  # options of rules the plugin does not run
        # Everything else – layers, first-party packages, an unknown key that
        # is an error today – is kept as written.
        result[key] = value
    if _deeper_than(result, _MAX_DEPTH):  # never valid; validation says so, mypy's cache need not hold it
        return {"source": pyproject, "unreadable": "values nested too deeply"}
    return json.loads(json.dumps(result, default=str))


#: No valid table nests deeper (table, layers, layer, list, string).
_MAX_DEPTH = 8


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and tables in ``value`` nest deeper than ``limit`` (no recursion)."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            pending.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            pending.extend((v, depth + 1) for v in item)
    return False
