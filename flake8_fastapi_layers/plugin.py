"""The flake8 entry point (``FAL``): a thin adapter over :mod:`.checker`."""

from __future__ import annotations

import argparse
import ast
import dataclasses
import functools
import os
import sys
from typing import Any, ClassVar, Iterator, Sequence

from . import __version__
from .catalogue import load
from .checker import check_tree
from .config import Config, ConfigError, config_for, validate_tree

#: Reported (on line 1 of each file it governs) for a configuration that
#: cannot be used and was not caught before the run started: parse_options
#: validates every pyproject.toml governing the paths flake8 walks, so this
#: is left for one that flake8 meets only while checking (a file read from
#: stdin under a ``--stdin-display-name`` in another project, a
#: pyproject.toml created or broken during the run).
CONFIG_ERROR_CODE = "FAL000"


class Plugin:
    """flake8 plugin: yields ``(line, col, "FALnnn message", type)``."""

    name = "flake8-fastapi-layers"
    version = __version__
    _enabled_in_flake8: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, tree: ast.Module, filename: str, lines: Sequence[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        # RULES.md §13: off-by-default codes go on flake8's default-ignore list.
        # That hides them from a plain ``flake8`` run, but flake8 (6+) lets an
        # explicit ``--select FAL`` override it, so the plugin also holds them
        # back itself (see parse_options), as flake8-bugbear does for B9.
        option_manager.extend_default_ignore(load().default_off())

    @classmethod
    def parse_options(
        cls, option_manager: Any, options: argparse.Namespace, args: Sequence[str]
    ) -> None:
        """Validate the configuration up front: a mistake stops the run cleanly.

        Also decides which off-by-default codes this run reports: those named
        by their own code in ``--select``/``--extend-select`` (``FAL208``, not
        ``FAL``) and those in ``enable = [...]`` of the configs governing the
        current directory and each path argument.
        """
        catalogue = load()
        default_off = set(catalogue.default_off())
        named = {
            code.strip()
            for option in ("select", "extend_select")
            for code in (getattr(options, option, None) or ())
        }
        enabled = default_off & named
        for path in [os.curdir, *(args or ())]:
            if path == "-":
                continue
            try:
                enabled |= config_for(path).enabled
            except ConfigError as exc:
                print(f"flake8-fastapi-layers: {exc}", file=sys.stderr)
                raise SystemExit(2) from None
        exclude = getattr(options, "exclude", None)  # flake8's own, already normalised
        if exclude is not None:
            exclude = [*exclude, *(getattr(options, "extend_exclude", None) or ())]
        try:  # nested projects too: a broken table stops the run here, once,
            # not as a FAL000 per file that --select could hide
            validate_tree(
                args or [os.curdir],
                exclude=exclude,
                filename_patterns=getattr(options, "filename", None) or ("*.py",),
            )
        except ConfigError as exc:
            print(f"flake8-fastapi-layers: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        cls._enabled_in_flake8 = frozenset(enabled)
        ignored = getattr(options, "extended_default_ignore", None)
        if enabled and isinstance(ignored, list):
            ignored[:] = [code for code in ignored if code not in enabled]

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        try:
            config = config_for(self.filename)
        except ConfigError as exc:
            yield 1, 0, f"{CONFIG_ERROR_CODE} {exc}", type(self)
            return
        held_back = frozenset(load().default_off()) - self._enabled_in_flake8 - config.enabled
        if held_back:  # not reported in this run: not computed either
            config = _without(config, held_back)
        for finding in check_tree(self.tree, self.filename, self.lines, config):
            yield finding.line, finding.col, finding.message, type(self)


@functools.lru_cache(maxsize=64)
def _without(config: Config, codes: frozenset[str]) -> Config:
    """``config`` with ``codes`` turned off (one object per pair: rules cache by it)."""
    return dataclasses.replace(config, disabled=(*config.disabled, *sorted(codes)))
