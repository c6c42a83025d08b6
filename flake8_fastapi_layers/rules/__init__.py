"""The rules: ``FAL1xx`` lives in ``fal1_*``, ``FAL2xx`` in ``fal2_*`` and so on.

Each family exports ``RULES`` (its :class:`~flake8_fastapi_layers.catalogue.Rule`
objects) and ``CHECKERS`` (the :class:`~flake8_fastapi_layers.checker.Checker`
classes that report them).  This package collects them into :data:`CATALOGUE`
and :data:`CHECKERS`: plain data, built from what the families export; nothing
is registered as a side effect of an import.
"""

from __future__ import annotations

from ..catalogue import Catalogue, Rule
from ..checker import Checker
from . import (
    fal1,
    fal2,
    fal3,
    fal4,
    fal5_async,
    fal6_typing,
    fal7,
    fal8,
    fal9,
)

FAMILIES = (
    fal1,
    fal2,
    fal3,
    fal4,
    fal5_async,
    fal6_typing,
    fal7,
    fal8,
    fal9,
)

RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)
CHECKERS: tuple[type[Checker], ...] = tuple(
    checker for family in FAMILIES for checker in family.CHECKERS
)
CATALOGUE = Catalogue(RULES)

__all__ = ["CATALOGUE", "CHECKERS", "RULES"]
