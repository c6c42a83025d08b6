"""``[tool.fastapi-layers]``: one typed, validated configuration for every front end.

The flake8 plugin, the mypy plugin and the CLI all call :func:`config_for`
(the nearest ``pyproject.toml`` above a file) or :func:`load_config` (one
file).  Mistakes raise :class:`ConfigError`, whose message is one line naming
the file and the key; front ends print it and exit non-zero.

Keys::

    [tool.fastapi-layers]
    first-party = ["myapp"]            # extra first-party top-level packages
    disable = ["FAL601", "FAL7"]       # codes or prefixes turned off
    enable = ["FAL208"]                # off-by-default codes turned on
    annotations-everywhere = false     # FAL602-FAL604 in modules without a layer too

    [tool.fastapi-layers.layers]       # replace a layer's patterns
    router = ["handlers/"]

    [tool.fastapi-layers.extend-layers]  # add patterns to a layer
    service = ["logic/", "*_usecase.py"]

    [tool.fastapi-layers.FAL205]       # options of one rule
    max-control-flow = 3

    [tool.fastapi-layers.per-file-ignores]  # glob -> codes or prefixes, as flake8's
    "tests/*" = ["FAL7"]
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import os
import reprlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence, TypeVar

from .catalogue import CODE_PREFIX_RE, CODE_RE, Catalogue
from .layers import (
    DEFAULT_LAYER_MAP,
    DEFAULT_PATTERNS,
    LAYERS,
    LayerMap,
    PatternError,
    compile_pattern,
)
from .pyproject import PyprojectError, governing_pyprojects, nearest_pyproject, read_pyproject

TABLE = "tool.fastapi-layers"
TOP_LEVEL_KEYS = (
    "first-party",
    "disable",
    "enable",
    "annotations-everywhere",
    "layers",
    "extend-layers",
    "per-file-ignores",
)


#: Free-form JSON (what mypy's ``report_config_data`` hashes).
JSONObject = dict[str, Any]
#: A rule's options dataclass.
Options = TypeVar("Options")


#: The longest problem text and key a ConfigError shows.
_MAX_PROBLEM = 300
_MAX_KEY = 80


class ConfigError(Exception):
    """A configuration mistake; ``str(error)`` is the one-line message to print."""

    def __init__(self, path: str | None, key: str | None, problem: str) -> None:
        where = path or "<config>"
        problem = problem.replace("\n", "\\n")  # one readable line, whatever the value
        if len(problem) > _MAX_PROBLEM:
            problem = problem[:_MAX_PROBLEM] + "..."
        if key is not None and (not key.isprintable() or len(key) > _MAX_KEY):
            key = repr(key[:_MAX_KEY])  # a key of control characters or 1 MB stays one line
        table = f"[{TABLE}]"
        subject = f"{table} {key}" if key else table
        super().__init__(f"{where}: {subject}: {problem}")
        self.path = path
        self.key = key
        self.problem = problem


@dataclass(frozen=True, eq=False)  # hashed by identity: used as a cache key
class Config:
    """The validated configuration of one project."""

    source: str | None = None  # the pyproject.toml it came from, if any
    first_party: frozenset[str] = frozenset()
    disabled: tuple[str, ...] = ()
    enabled: frozenset[str] = frozenset()
    annotations_everywhere: bool = False
    patterns: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_PATTERNS))
    )
    layer_map: LayerMap = DEFAULT_LAYER_MAP
    #: options dataclass of a rule -> its configured instance
    rule_options: Mapping[type, object] = field(default_factory=lambda: MappingProxyType({}))
    #: the catalogue's off-by-default codes (FAL208 ...)
    default_off: frozenset[str] = frozenset()
    #: ``per-file-ignores``: (glob as written, codes or prefixes), in table order;
    #: globs are relative to the directory of ``source`` (see :mod:`.selection`)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def options(self, kind: type[Options]) -> Options:
        """A rule's options: as configured, else the defaults."""
        found = self.rule_options.get(kind)
        return found if found is not None else _defaults(kind)  # type: ignore[return-value]  # keyed by its own type

    def is_disabled(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.disabled)

    def is_active(self, code: str, selected: frozenset[str] = frozenset()) -> bool:
        """Reported in this run: not disabled, and on by default, turned on by
        ``enable`` or ``selected`` by the front end (flake8's ``--select
        FAL208``, the CLI's ``--extend-select``).  The one place that decides
        what off by default means, for every front end."""
        if self.is_disabled(code):
            return False
        return code not in self.default_off or code in self.enabled or code in selected

    def as_data(self) -> JSONObject:
        """A JSON-able snapshot (for mypy's ``report_config_data``)."""
        return {
            "first_party": sorted(self.first_party),
            "disabled": list(self.disabled),
            "enabled": sorted(self.enabled),
            "annotations_everywhere": self.annotations_everywhere,
            "per_file_ignores": {glob: list(codes) for glob, codes in self.per_file_ignores},
            "patterns": {k: list(v) for k, v in sorted(self.patterns.items())},
            "rule_options": {
                kind.__qualname__: {
                    k: list(v) if isinstance(v, tuple) else v
                    for k, v in dataclasses.asdict(opts).items()  # type: ignore[call-overload]  # a dataclass instance
                }
                for kind, opts in sorted(self.rule_options.items(), key=lambda i: i[0].__qualname__)
            },
        }


@functools.lru_cache(maxsize=None)
def _defaults(kind: type) -> object:
    return kind()


@functools.lru_cache(maxsize=8)
def default_config(catalogue: Catalogue) -> Config:
    """The configuration of a project without a ``[tool.fastapi-layers]`` table."""
    return Config(default_off=catalogue.default_off())


def _unknown(key: str, known: list[str] | tuple[str, ...], what: str = "key") -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {what}{hint} (known: {', '.join(known)})"


#: How a configured value is quoted in a message: short and shallow, whatever
#: its size or nesting (the message stays one readable line).
_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxdict = 3, 8, 8
_SHOWN.maxstring = _SHOWN.maxother = _SHOWN.maxlong = 60


def _shown(value: Any) -> str:
    return _SHOWN.repr(value)


def _str_list(path: str | None, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(path, key, f"expected a list of strings, got {_shown(value)}")
    return value


def _codes(
    path: str | None, key: str, value: Any, exact: bool, catalogue: Catalogue
) -> tuple[str, ...]:
    codes = _str_list(path, key, value)
    for code in codes:
        if exact:
            if not CODE_RE.match(code) or code not in catalogue:
                raise ConfigError(path, key, f"unknown code {code!r}")
        elif not CODE_PREFIX_RE.match(code) or not any(
            c.startswith(code) for c in catalogue.rules
        ):
            raise ConfigError(path, key, f"unknown code or prefix {code!r}")
    return tuple(codes)


def parse_config(
    table: Mapping[str, Any], catalogue: Catalogue, path: str | None = None
) -> Config:
    """Validate the contents of a ``[tool.fastapi-layers]`` table against the rules of ``catalogue``."""
    if not isinstance(table, Mapping):
        raise ConfigError(path, None, "must be a table")
    first_party: frozenset[str] = frozenset()
    disabled: tuple[str, ...] = ()
    enabled: frozenset[str] = frozenset()
    everywhere = False
    patterns = {name: tuple(globs) for name, globs in DEFAULT_PATTERNS.items()}
    rule_options: dict[type, object] = {}
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    for key, value in table.items():
        if key == "first-party":
            names = _str_list(path, key, value)
            for name in names:
                if not name.isidentifier():
                    raise ConfigError(path, key, f"{name!r} is not a top-level package name")
            first_party = frozenset(names)
        elif key == "disable":
            disabled = _codes(path, key, value, exact=False, catalogue=catalogue)
        elif key == "enable":
            enabled = frozenset(_codes(path, key, value, exact=True, catalogue=catalogue))
        elif key == "annotations-everywhere":
            if not isinstance(value, bool):
                raise ConfigError(path, key, f"expected true or false, got {_shown(value)}")
            everywhere = value
        elif key in ("layers", "extend-layers"):
            if not isinstance(value, Mapping):
                raise ConfigError(path, key, "must be a table of layer = [patterns]")
            for layer, globs in value.items():
                full_key = f"{key}.{layer}"
                if layer not in LAYERS:
                    raise ConfigError(path, full_key, _unknown(layer, LAYERS, "layer"))
                for glob in _str_list(path, full_key, globs):
                    try:
                        compile_pattern(glob, layer)
                    except PatternError as exc:
                        raise ConfigError(path, full_key, f"bad pattern {glob!r}: {exc}") from None
                if key == "layers":
                    patterns[layer] = tuple(globs)
                else:  # in order, without repeats (linear, however long the list)
                    patterns[layer] = tuple(dict.fromkeys((*patterns[layer], *globs)))
        elif key == "per-file-ignores":
            per_file_ignores = _per_file_ignores(path, key, value, catalogue)
        elif CODE_RE.match(key):
            if key not in catalogue:
                raise ConfigError(path, key, "unknown code")
            rule = catalogue[key]
            if not isinstance(value, Mapping):
                raise ConfigError(path, key, "must be a table of options")
            specs = {spec.key: spec for spec in rule.option_specs}
            options: dict[str, Any] = {}
            for name, raw in value.items():
                spec = specs.get(name)
                if spec is None:
                    if not specs:
                        raise ConfigError(path, f"{key}.{name}", f"{key} has no options")
                    raise ConfigError(path, f"{key}.{name}", _unknown(name, list(specs)))
                try:
                    options[spec.attr] = spec.validate(raw)
                except ValueError as exc:
                    raise ConfigError(path, f"{key}.{name}", str(exc)) from None
            if rule.options is not None:
                rule_options[rule.options] = rule.options(**options)
        else:
            raise ConfigError(path, key, _unknown(key, list(TOP_LEVEL_KEYS) + ["FALnnn"]))

    layer_map = (
        DEFAULT_LAYER_MAP
        if patterns == {name: tuple(g) for name, g in DEFAULT_PATTERNS.items()}
        else LayerMap.build(patterns)
    )
    return Config(
        source=path,
        first_party=first_party,
        disabled=disabled,
        enabled=enabled,
        annotations_everywhere=everywhere,
        patterns=MappingProxyType(patterns),
        layer_map=layer_map,
        rule_options=MappingProxyType(rule_options),
        default_off=catalogue.default_off(),
        per_file_ignores=per_file_ignores,
    )


def _per_file_ignores(
    path: str | None, key: str, value: Any, catalogue: Catalogue
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``per-file-ignores = {"tests/*" = ["FAL7"]}``: globs to codes or prefixes."""
    if not isinstance(value, Mapping):
        raise ConfigError(path, key, 'must be a table of "glob" = [codes]')
    entries = []
    for glob, codes in value.items():
        full_key = f"{key}.{json.dumps(glob, ensure_ascii=False)}"  # one line, quoted
        if not glob.strip():
            raise ConfigError(path, full_key, "empty glob")
        if "\0" in glob:
            raise ConfigError(path, full_key, "a glob cannot hold a NUL character")
        entries.append((glob, _codes(path, full_key, codes, exact=False, catalogue=catalogue)))
    return tuple(entries)


def load_config(pyproject: str, catalogue: Catalogue) -> Config:
    """Read and validate ``[tool.fastapi-layers]`` of one ``pyproject.toml``."""
    try:
        stat = os.stat(pyproject)
    except OSError as exc:
        raise ConfigError(pyproject, None, f"cannot read: {exc.strerror}") from None
    return _load_cached(os.path.abspath(pyproject), stat.st_mtime_ns, stat.st_size, catalogue)


@functools.lru_cache(maxsize=256)
def _load_cached(pyproject: str, mtime_ns: int, size: int, catalogue: Catalogue) -> Config:
    try:
        data = read_pyproject(pyproject)
    except PyprojectError as exc:
        raise ConfigError(pyproject, None, str(exc)) from None
    tool = data.get("tool", {})
    table = tool.get("fastapi-layers") if isinstance(tool, dict) else None
    if table is None:
        return dataclasses.replace(default_config(catalogue), source=pyproject)
    return parse_config(table, catalogue, pyproject)


def find_pyproject(path: str | os.PathLike[str]) -> str | None:
    """The nearest ``pyproject.toml`` at or above ``path`` (a file or a directory)."""
    full = os.path.abspath(os.fspath(path))
    directory = full if os.path.isdir(full) else os.path.dirname(full)
    return nearest_pyproject(directory)


def config_for(path: str | os.PathLike[str], catalogue: Catalogue) -> Config:
    """The configuration that governs the file (or directory) at ``path``."""
    pyproject = find_pyproject(path)
    if pyproject is None:
        return default_config(catalogue)
    return load_config(pyproject, catalogue)


def clear_caches() -> None:
    nearest_pyproject.cache_clear()
    _load_cached.cache_clear()


def validate_tree(
    paths: Iterable[str],
    catalogue: Catalogue,
    exclude: Sequence[str] | None = None,
    filename_patterns: Sequence[str] = ("*.py",),
) -> None:
    """Validate every ``pyproject.toml`` that governs a file a run over
    ``paths`` checks (see :func:`.pyproject.governing_pyprojects`): the
    nearest one above each path and those of nested projects below directory
    arguments.  Raises :class:`ConfigError` for the first broken one, so a
    front end stops before checking anything (RULES.md §1: never one line per
    file, never a finding that ``--select`` could hide)."""
    for pyproject in governing_pyprojects(paths, exclude, filename_patterns):
        load_config(pyproject, catalogue)
