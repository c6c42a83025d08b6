"""The flake8 entry point (``FAL``): a thin adapter over :mod:`.engine`."""

from __future__ import annotations

import argparse
import ast
import os
import sys
from typing import Any, ClassVar, Iterator, Sequence

from . import __version__
from .checker import describe_error
from .config import ConfigError, validate_tree
from .engine import DEFAULT_OFF, check_tree, project_config
from .rules import CATALOGUE
from .selection import Decider, cli_options, per_file_codes

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
    #: off-by-default codes this run's ``--select``/``--extend-select`` name
    _selected: ClassVar[frozenset[str]] = frozenset()
    #: flake8's select/ignore decision of this run (for ``per-file-ignores``)
    _decider: ClassVar[Decider | None] = None

    def __init__(self, tree: ast.Module, filename: str, lines: Sequence[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        # RULES.md §13: off-by-default codes go on flake8's default-ignore list.
        # That hides them from a plain ``flake8`` run, but flake8 (6+) lets an
        # explicit ``--select FAL`` override it, so the plugin also holds them
        # back itself (Config.is_active), as flake8-bugbear does for B9.
        option_manager.extend_default_ignore(sorted(DEFAULT_OFF))

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
        named = {
            code.strip()
            for option in ("select", "extend_select")
            for code in (getattr(options, option, None) or ())
        }
        enabled = DEFAULT_OFF & named
        shown = set(enabled)
        for path in [os.curdir, *(args or ())]:
            if path == "-":
                continue
            try:
                shown |= project_config(path).enabled
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
                CATALOGUE,
                exclude=exclude,
                filename_patterns=getattr(options, "filename", None) or ("*.py",),
            )
        except ConfigError as exc:
            print(f"flake8-fastapi-layers: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        cls._selected = frozenset(enabled)
        ignored = getattr(options, "extended_default_ignore", None)
        if shown and isinstance(ignored, list):
            ignored[:] = [code for code in ignored if code not in shown]
        cls._decider = Decider(options)

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        try:
            config = project_config(self.filename)
        except ConfigError as exc:
            yield 1, 0, f"{CONFIG_ERROR_CODE} {exc}", type(self)
            return
        try:
            found = check_tree(self.tree, self.filename, self.lines, config, selected=self._selected)
        except Exception as exc:  # a bug outside any rule (rules are isolated in the walk)
            # one line for this file instead of an aborted flake8 run (RULES.md §13)
            yield 1, 0, (
                f"{CONFIG_ERROR_CODE} internal error of flake8-fastapi-layers on this file: "
                f"{describe_error(exc)}; please report this as a bug with the file"
            ), type(self)
            return
        ignored = per_file_codes(config, self.filename)
        if ignored:  # ``per-file-ignores`` of [tool.fastapi-layers], as flake8 applies its own
            decider = (self._decider or _DEFAULT_DECIDER).ignoring(ignored)
            found = [finding for finding in found if decider.reports(finding.code)]
        for finding in found:
            yield finding.line, finding.col, finding.message, type(self)


#: The decision of a run that flake8 did not configure (the plugin used directly).
_DEFAULT_DECIDER = Decider(cli_options())
