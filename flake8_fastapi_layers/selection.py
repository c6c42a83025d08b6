"""Which findings a run reports: flake8's decision for ``--select``/``--ignore``,
and ``per-file-ignores`` of ``[tool.fastapi-layers]``.

Both are flake8's own semantics, for both front ends:

* :class:`Decider` wraps flake8's ``DecisionEngine`` (the longest matching
  selector wins: ``--select FAL --ignore FAL3 --extend-select FAL301`` reports
  FAL301 and no other FAL3xx).  The CLI builds one from its options; the flake8
  plugin uses the run's own options.
* :func:`per_file_codes` matches a file against ``per-file-ignores`` as flake8
  matches its own option: a glob with a ``/`` is made absolute (here relative to
  the directory of the ``pyproject.toml`` that holds it, where flake8 takes the
  current directory) and matched with ``fnmatch`` against the absolute path
  (``*`` also matches ``/``); a glob without one matches the file name too; the
  longest matching glob is the one that applies, and its codes extend
  ``--extend-ignore`` for that file (so an explicitly selected longer code
  still wins).

Off-by-default codes are not decided here: :meth:`Config.is_active
<flake8_fastapi_layers.config.Config.is_active>` decides whether they are
computed at all (named by their own code, or ``enable``-d).
"""

from __future__ import annotations

import argparse
import copy
import difflib
import fnmatch
import functools
import os
import re
from typing import Iterable, Sequence

# flake8's decision engine and path normalisation: the same semantics (RULES.md §13)
from flake8.style_guide import (  # type: ignore[import-untyped, unused-ignore]  # flake8 ships no types
    Decision,
    DecisionEngine,
)
from flake8.utils import (  # type: ignore[import-untyped, unused-ignore]  # flake8 ships no types
    normalize_path,
    parse_comma_separated_list,
)

from .catalogue import CODE_PREFIX_RE, Catalogue
from .config import Config

#: The plugin's entry-point name: what flake8 selects by default for it.
PLUGIN_PREFIX = "FAL"
_CODE_SHAPE = re.compile(r"[A-Za-z]+[0-9]{3}\Z")


class SelectionError(Exception):
    """A code or prefix that names no rule; ``str()`` is the one line to print."""


def parse_codes(value: str) -> list[str]:
    """``"FAL1, FAL205"`` -> ``["FAL1", "FAL205"]``, split as flake8 splits it."""
    return list(parse_comma_separated_list(value))


def check_selectors(values: Iterable[str], option: str, catalogue: Catalogue) -> None:
    """Raise :class:`SelectionError` for the first value that names no rule."""
    for value in values:
        if CODE_PREFIX_RE.match(value) and catalogue.matching(value):
            continue
        what = "code" if _CODE_SHAPE.match(value) else "code or prefix"
        known = list(catalogue.rules)
        if value.upper() != value and CODE_PREFIX_RE.match(value.upper()) and catalogue.matching(
            value.upper()
        ):
            close = [value.upper()]  # codes are case-sensitive, as in flake8
        else:
            close = difflib.get_close_matches(value, known, n=1, cutoff=0.75)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise SelectionError(f"{option}: unknown {what} '{value}'{hint}")


def cli_options(
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    extend_ignore: Sequence[str] = (),
) -> argparse.Namespace:
    """The options flake8's engine reads, as flake8 would hold them for a run
    whose only plugin is this one (``FAL`` selected by default)."""
    return argparse.Namespace(
        select=None if select is None else list(select),
        ignore=None if ignore is None else list(ignore),
        extend_select=list(extend_select),
        extend_ignore=list(extend_ignore),
        extended_default_select=[PLUGIN_PREFIX],
        extended_default_ignore=[],
    )


class Decider:
    """Whether a code is reported, by flake8's ``DecisionEngine`` on ``options``."""

    def __init__(self, options: argparse.Namespace) -> None:
        options = copy.copy(options)
        for name, value in vars(cli_options()).items():  # a partial namespace (tests, old flake8)
            if not hasattr(options, name):
                setattr(options, name, value)
        self.options = options
        self._engine = DecisionEngine(options)
        self._decided: dict[str, bool] = {}
        self._per_file: dict[tuple[str, ...], Decider] = {}

    def reports(self, code: str) -> bool:
        decided = self._decided.get(code)
        if decided is None:
            decided = self._decided[code] = (
                self._engine.decision_for(code) is Decision.Selected
            )
        return decided

    def ignoring(self, codes: tuple[str, ...]) -> Decider:
        """This decision with ``codes`` added to ``--extend-ignore`` (a
        ``per-file-ignores`` entry, as flake8 applies one)."""
        if not codes:
            return self
        found = self._per_file.get(codes)
        if found is None:
            options = copy.copy(self.options)
            options.extend_ignore = [*(getattr(self.options, "extend_ignore", None) or ()), *codes]
            found = self._per_file[codes] = Decider(options)
        return found

    def named_off_codes(self, default_off: frozenset[str]) -> frozenset[str]:
        """Off-by-default codes named by their own code in ``--select`` or
        ``--extend-select`` (``FAL208``, not ``FAL2``): computed in this run."""
        named = {
            code.strip()
            for option in ("select", "extend_select")
            for code in (getattr(self.options, option, None) or ())
        }
        return frozenset(default_off & named)

    def computed(self, catalogue: Catalogue) -> frozenset[str]:
        """The codes whose findings can be reported, plus the codes they defer
        to (a less specific finding is dropped where the more specific one is
        found, before the decision, as in flake8)."""
        chosen = {code for code in catalogue.rules if self.reports(code)}
        chosen |= {other for code in chosen for other in catalogue[code].defers_to}
        return frozenset(chosen)


def per_file_codes(config: Config, path: str) -> tuple[str, ...]:
    """The codes ``per-file-ignores`` of ``config`` ignores in the file at
    ``path`` (as given on the command line, or by flake8): those of the longest
    matching glob, or ``()``."""
    if not config.per_file_ignores:
        return ()
    best: tuple[str, tuple[str, ...]] | None = None
    basename = os.path.basename(path)
    absolute: str | None = None
    for pattern, codes in _normalized(config):
        if best is not None and len(pattern) <= len(best[0]):
            continue
        if basename not in {".", ".."} and fnmatch.fnmatch(basename, pattern):
            best = (pattern, codes)
            continue
        if absolute is None:
            absolute = os.path.abspath(path)
        if fnmatch.fnmatch(absolute, pattern):
            best = (pattern, codes)
    return best[1] if best is not None else ()


@functools.lru_cache(maxsize=64)
def _normalized(config: Config) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each glob as flake8 normalises it, relative to the config's directory."""
    base = os.path.dirname(config.source) if config.source else os.curdir
    return tuple((normalize_path(glob, base), codes) for glob, codes in config.per_file_ignores)


__all__ = [
    "Decider",
    "SelectionError",
    "check_selectors",
    "cli_options",
    "parse_codes",
    "per_file_codes",
]
