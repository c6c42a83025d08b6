"""The rule catalogue's vocabulary: plain data describing a FAL code.

A :class:`Rule` holds everything a user reads about one code (message,
documentation), where it applies (one :class:`Scope`, which drives the
dispatch of its checker, the filtering of its findings and the generated
docs) and its typed options (a frozen dataclass, see :func:`option`).

Each rule module in :mod:`flake8_fastapi_layers.rules` declares its ``Rule``
beside the checker that reports it; :data:`flake8_fastapi_layers.rules.CATALOGUE`
is the :class:`Catalogue` of them all, built from what the modules export.
This module imports nothing of the package, so every part may import it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Protocol

CODE_RE = re.compile(r"FAL[0-9]{3}\Z")
#: A code or a code prefix, as in ``--select FAL1`` or ``disable = ["FAL6"]``.
CODE_PREFIX_RE = re.compile(r"FAL[0-9]{0,3}\Z")


# ---------------------------------------------------------------------------
# where a rule applies
# ---------------------------------------------------------------------------


class ScopeConfig(Protocol):
    """What a scope reads of the configuration (see :class:`~.config.Config`)."""

    annotations_everywhere: bool


@dataclass(frozen=True)
class Scope:
    """Where a rule applies: the modules, by layer, and what in them.

    ``layers`` (None: every module, with or without a layer) minus
    ``except_layers``; ``layered`` keeps only modules that have a layer (all
    of them with ``annotations-everywhere = true``: the one rule of RULES.md
    §7 that config can widen).  ``subject`` says what the rule looks at in
    those modules ("route handlers"), for the docs.
    """

    layers: frozenset[str] | None = None
    except_layers: frozenset[str] = frozenset()
    layered: bool = False
    subject: str = ""

    def applies(self, layer: str | None, config: ScopeConfig) -> bool:
        if self.layers is not None and layer not in self.layers:
            return False
        if layer in self.except_layers:
            return False
        if self.layered and layer is None and not config.annotations_everywhere:
            return False
        return True

    def describe(self) -> str:
        """The scope in words, as the rule reference prints it."""
        if self.layers is not None:
            modules = f"{_words(self.layers)} modules"
        elif self.layered:
            modules = "modules that have a layer (every module with `annotations-everywhere = true`)"
        else:
            modules = "every module"
        if self.except_layers:
            modules += f" but {_words(self.except_layers)} modules"
        return f"{self.subject} in {modules}" if self.subject else modules


def _words(layers: Iterable[str]) -> str:
    from_order = sorted(layers, key=_layer_order)
    quoted = [f"`{name}`" for name in from_order]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _layer_order(name: str) -> tuple[int, str]:
    order = (
        "router", "service", "repository", "schema", "model", "domain", "exceptions",
        "dependencies", "config", "middleware", "app", "migration", "test",
    )  # fmt: skip
    return (order.index(name) if name in order else len(order), name)


EVERY_MODULE = Scope()


# ---------------------------------------------------------------------------
# typed options
# ---------------------------------------------------------------------------


def option(default: Any, help: str, *, minimum: int | None = None) -> Any:
    """A field of a rule's options dataclass: its default and its documentation.

    The TOML key is the field name with ``-`` for ``_``; the kind comes from the
    field's type (``int``, ``bool``, ``str``, ``tuple[str, ...]`` for a list).
    """
    return field(default=default, metadata={"help": help, "minimum": minimum})


_KINDS = {int: "int", bool: "bool", str: "str"}


@dataclass(frozen=True)
class OptionSpec:
    """One option as config validation and the docs see it."""

    key: str  # as written in TOML: "max-control-flow"
    attr: str  # the dataclass field: "max_control_flow"
    kind: str  # "int", "bool", "str", "list[str]"
    default: Any
    help: str
    minimum: int | None = None

    def validate(self, value: Any) -> Any:
        """The value as the options dataclass holds it, or ValueError saying what was expected."""
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
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of strings, got {value!r}")
        else:
            return tuple(value)
        return value


@functools.lru_cache(maxsize=None)
def option_specs(options: type) -> tuple[OptionSpec, ...]:
    """The options of an options dataclass, in declaration order."""
    hints = typing.get_type_hints(options)
    specs = []
    for item in dataclasses.fields(options):
        kind = _KINDS.get(hints[item.name], "list[str]")
        if kind == "list[str]" and hints[item.name] != tuple[str, ...]:
            raise TypeError(f"{options.__name__}.{item.name}: unsupported option type")
        specs.append(
            OptionSpec(
                key=item.name.replace("_", "-"),
                attr=item.name,
                kind=kind,
                default=item.default,
                help=item.metadata.get("help", ""),
                minimum=item.metadata.get("minimum"),
            )
        )
    return tuple(specs)


# ---------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One FAL code and everything a user needs to know about it."""

    code: str
    name: str  # kebab-case slug, e.g. "router-imports-repository"
    message: str  # str.format template; the first word after the code says what is wrong
    summary: str  # what it flags, one sentence
    rationale: str  # why: which guideline it enforces
    fix: str  # how to fix
    bad: str  # example that is flagged: a module whose first line is "# <path>"
    good: str  # the fixed example, the same way
    scope: Scope  # where it applies
    reported_on: str  # which line
    default_on: bool = True
    options: type | None = None  # a frozen dataclass of option() fields
    limits: str = ""  # known limits / documented exemptions
    mypy_code: str | None = None  # the mypy error code mirroring it, if any
    #: codes that say the same thing more specifically: where one of them is
    #: reported on the same line and column, this one is not (RULES.md §13)
    defers_to: tuple[str, ...] = ()

    def format(self, **kwargs: Any) -> str:
        return f"{self.code} {self.message.format(**kwargs)}"

    @property
    def option_specs(self) -> tuple[OptionSpec, ...]:
        return option_specs(self.options) if self.options is not None else ()

    @property
    def anchor(self) -> str:
        """The rule's heading anchor in ``docs/rules.md``."""
        return f"{self.code.lower()}-{self.name}"


class Catalogue:
    """Every rule, by code."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        found: dict[str, Rule] = {}
        for rule in rules:
            if not CODE_RE.match(rule.code):
                raise AssertionError(f"bad code {rule.code!r}")
            if rule.code in found:
                raise AssertionError(f"duplicate code {rule.code}")
            found[rule.code] = rule
        for rule in found.values():
            for other in rule.defers_to:
                if other not in found:
                    raise AssertionError(f"{rule.code} defers to unknown {other}")
        self.rules: Mapping[str, Rule] = dict(sorted(found.items()))

    def __getitem__(self, code: str) -> Rule:
        return self.rules[code]

    def __contains__(self, code: object) -> bool:
        return code in self.rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def sorted(self) -> list[Rule]:
        return list(self.rules.values())

    def default_off(self) -> frozenset[str]:
        return frozenset(c for c, r in self.rules.items() if not r.default_on)

    def matching(self, selector: str) -> list[str]:
        """The codes a code or prefix (``FAL2``, ``FAL201``) names."""
        return [code for code in self.rules if code.startswith(selector)]

    def mirrors(self) -> dict[str, str]:
        """mypy error code -> the FAL code it mirrors (RULES.md §11)."""
        return {r.mypy_code: r.code for r in self.rules.values() if r.mypy_code}


def matches(code: str, selectors: frozenset[str] | tuple[str, ...]) -> bool:
    """Whether ``code`` is named by one of ``selectors`` (codes or prefixes)."""
    return any(code.startswith(s) for s in selectors)
