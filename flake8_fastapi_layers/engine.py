"""Running the rules on a file: the engine, above the rules.

:data:`~flake8_fastapi_layers.rules.CATALOGUE` and
:data:`~flake8_fastapi_layers.rules.CHECKERS` come from the rule modules; the
engine picks the checkers that report something in this file (their rule's
scope, the run's selection), walks the tree once with them
(:func:`~flake8_fastapi_layers.checker.walk`) and returns the findings.
Every front end (flake8, the CLI, the benchmarks) runs the rules through here.
"""

from __future__ import annotations

import ast
import os
import tokenize
from typing import Any, Iterable, Mapping, Sequence

from .checker import Checker, Context, Finding, walk
from .config import Config, config_for, default_config, parse_config
from .layers import module_info
from .rules import CATALOGUE, CHECKERS

#: Every code that is off by default: select them all to run every rule.
DEFAULT_OFF = CATALOGUE.default_off()
#: The configuration of a project without a ``[tool.fastapi-layers]`` table.
DEFAULT_CONFIG = default_config(CATALOGUE)


def project_config(path: str | os.PathLike[str]) -> Config:
    """The configuration that governs ``path``, validated against the catalogue
    (raises :class:`~flake8_fastapi_layers.config.ConfigError`)."""
    return config_for(path, CATALOGUE)


def parse_table(table: Mapping[str, Any], path: str | None = None) -> Config:
    """A ``[tool.fastapi-layers]`` table validated against the catalogue."""
    return parse_config(table, CATALOGUE, path)


def checkers_for(ctx: Context) -> list[Checker]:
    """The checkers with something to report in this file."""
    return [checker(ctx) for checker in CHECKERS if checker.applies(ctx)]


def check_tree(
    tree: ast.Module,
    path: str | os.PathLike[str],
    lines: Sequence[str] | None = None,
    config: Config | None = None,
    root: str | None = None,
    selected: Iterable[str] = (),
) -> list[Finding]:
    """Run every rule active for ``path`` on a parsed module; findings sorted by position.

    ``config`` defaults to the nearest ``pyproject.toml``'s (which may raise
    :class:`~flake8_fastapi_layers.config.ConfigError`); ``root`` overrides
    project-root detection; ``selected`` names off-by-default codes the front
    end turns on (:data:`DEFAULT_OFF` for all of them).
    """
    if config is None:
        config = project_config(path)
    info = module_info(path, config.layer_map, config.first_party, root)
    ctx = Context(tree, info, config, lines, CATALOGUE.rules, frozenset(selected))
    walk(ctx, checkers_for(ctx))
    return _without_deferred(sorted(set(ctx.findings)))


def _without_deferred(findings: list[Finding]) -> list[Finding]:
    """Drop a finding where a code it defers to reports the same line and column
    (RULES.md §13: only the more specific of two codes on a node is reported)."""
    deferring = [f for f in findings if CATALOGUE[f.code].defers_to]
    if not deferring:
        return findings
    at = {(f.line, f.col, f.code) for f in findings}
    dropped = {
        f
        for f in deferring
        if any((f.line, f.col, other) in at for other in CATALOGUE[f.code].defers_to)
    }
    return [f for f in findings if f not in dropped]


def check_source(
    source: str,
    path: str | os.PathLike[str] = "module.py",
    config: Config | None = None,
    root: str | None = None,
    selected: Iterable[str] = (),
) -> list[Finding]:
    """Parse and check source text (raises SyntaxError on a file that does not parse)."""
    tree = ast.parse(source, filename=os.fspath(path))
    return check_tree(tree, path, source.splitlines(keepends=True), config, root, selected)


def check_path(
    path: str | os.PathLike[str], config: Config | None = None, selected: Iterable[str] = ()
) -> list[Finding]:
    """Read, parse and check one file."""
    with tokenize.open(os.fspath(path)) as handle:
        source = handle.read()
    return check_source(source, path, config, selected=selected)


__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_OFF",
    "parse_table",
    "check_path",
    "check_source",
    "check_tree",
    "checkers_for",
    "project_config",
]
