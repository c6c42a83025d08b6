"""Rule families, one module per family: ``FAL1xx`` lives in ``fal1_*.py`` and so on.

Every ``fal<N>_*.py`` module here is imported (in code order) and contributes
its :class:`~flake8_fastapi_layers.catalogue.Rule` objects to the catalogue and
its :class:`~flake8_fastapi_layers.checker.Checker` subclasses, listed in the
module's ``CHECKERS``, to the single walk.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..checker import Checker

FAMILIES: list[type[Checker]] = []

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("fal")):
    FAMILIES.extend(importlib.import_module(f"{__name__}.{_module}").CHECKERS)
