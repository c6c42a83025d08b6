"""The flake8 entry point (``FAL``): a thin adapter over :mod:`.checker`."""

from __future__ import annotations

import argparse
import ast
import os
import sys
from typing import Any, ClassVar, Iterator, Sequence

from . import __version__
from .catalogue import load
from .checker import check_tree
from .config import ConfigError, config_for

#: Reported (on line 1 of each file it governs) for a configuration that
#: cannot be used and was not caught before the run started.
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
        # Off-by-default codes are shown only when selected explicitly
        # (``--extend-select FAL208``) or enabled in [tool.fastapi-layers].
        option_manager.extend_default_ignore(load().default_off())

    @classmethod
    def parse_options(
        cls, option_manager: Any, options: argparse.Namespace, args: Sequence[str]
    ) -> None:
        """Validate the configuration up front: a mistake stops the run cleanly.

        The configs governing the current directory and each path argument are
        read here; ``enable = [...]`` in them lifts flake8's default ignore of
        those codes.
        """
        enabled: set[str] = set()
        for path in [os.curdir, *(args or ())]:
            if path == "-":
                continue
            try:
                enabled |= config_for(path).enabled
            except ConfigError as exc:
                print(f"flake8-fastapi-layers: {exc}", file=sys.stderr)
                raise SystemExit(2) from None
        ignored = getattr(options, "extended_default_ignore", None)
        if enabled and isinstance(ignored, list):
            ignored[:] = [code for code in ignored if code not in enabled]

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        try:
            config = config_for(self.filename)
        except ConfigError as exc:
            yield 1, 0, f"{CONFIG_ERROR_CODE} {exc}", type(self)
            return
        for finding in check_tree(self.tree, self.filename, self.lines, config):
            yield finding.line, finding.col, finding.message, type(self)
