"""FAL9xx: tests (RULES.md §10), ``test`` layer only."""

from __future__ import annotations

from . import fal901

RULES = (fal901.RULE,)
CHECKERS = (fal901.SleepInTest,)
