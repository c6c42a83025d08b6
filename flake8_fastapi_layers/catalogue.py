"""The rule catalogue: every FAL code, its message, documentation and options.

Each rule family module in :mod:`flake8_fastapi_layers.rules` declares its
:class:`Rule` objects next to the checker that reports them; this module
collects them.  The flake8 plugin, the config validator, the mypy plugin and
the generated reference (``docs/rules.md``) all read from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

CODE_RE = re.compile(r"FAL[0-9]{3}\Z")
#: A code or a code prefix, as in ``--select FAL1`` or ``disable = ["FAL6"]``.
CODE_PREFIX_RE = re.compile(r"FAL[0-9]{0,3}\Z")


@dataclass(frozen=True)
class Option:
    """A rule option, set in ``[tool.fastapi-layers.FALnnn]``."""

    name: str
    kind: str  # "int", "bool", "str", "list[str]"
    default: Any
    help: str
    minimum: int | None = None  # for "int"

    def validate(self, value: Any) -> Any:
        """Return the value, or raise ValueError saying what was expected."""
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected an integer, got {value!r}")
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"must be >= {self.minimum}, got {value}")
        elif self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, got {value!r}")
        elif self.kind == "str":
            if not isinstance(value, str):
                raise ValueError(f"expected a string, got {value!r}")
        elif self.kind == "list[str]":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"expected a list of strings, got {value!r}")
            return tuple(value)
        else:  # pragma: no cover - a programming error in a rule module
            raise AssertionError(f"unknown option kind {self.kind}")
        return value


@dataclass(frozen=True)
class Rule:
    """One FAL code and everything a user needs to know about it."""

    code: str
    name: str  # kebab-case slug, e.g. "router-imports-repository"
    message: str  # str.format template; the first word after the code says what is wrong
    summary: str  # what it flags, one sentence
    rationale: str  # why: which guideline it enforces
    fix: str  # how to fix
    bad: str  # example that is flagged
    good: str  # the fixed example
    layers: str  # where it applies, as prose ("router modules", "every module")
    reported_on: str  # which line
    default_on: bool = True
    options: tuple[Option, ...] = ()
    limits: str = ""  # known limits / documented exemptions
    mypy_code: str | None = None  # the mypy error code mirroring it, if any

    def format(self, **kwargs: Any) -> str:
        return f"{self.code} {self.message.format(**kwargs)}"

    def option(self, name: str) -> Option:
        for opt in self.options:
            if opt.name == name:
                return opt
        raise KeyError(f"{self.code} has no option {name!r}")


@dataclass
class Catalogue:
    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, *rules: Rule) -> None:
        for rule in rules:
            if not CODE_RE.match(rule.code):
                raise AssertionError(f"bad code {rule.code!r}")
            if rule.code in self.rules:
                raise AssertionError(f"duplicate code {rule.code}")
            self.rules[rule.code] = rule

    def __getitem__(self, code: str) -> Rule:
        return self.rules[code]

    def __contains__(self, code: object) -> bool:
        return code in self.rules

    def sorted(self) -> list[Rule]:
        return [self.rules[c] for c in sorted(self.rules)]

    def default_off(self) -> list[str]:
        return sorted(c for c, r in self.rules.items() if not r.default_on)

    def options_of(self) -> Mapping[str, tuple[Option, ...]]:
        return {c: r.options for c, r in self.rules.items() if r.options}


def matches(code: str, selectors: frozenset[str] | tuple[str, ...]) -> bool:
    """Whether ``code`` is named by one of ``selectors`` (codes or prefixes)."""
    return any(code.startswith(s) for s in selectors)


CATALOGUE = Catalogue()


def load() -> Catalogue:
    """The full catalogue, with every rule family registered."""
    from . import rules  # noqa: F401  (registers every family on import)

    return CATALOGUE
