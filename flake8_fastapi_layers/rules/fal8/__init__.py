"""FAL8xx: Alembic migrations (RULES.md §9), ``migration`` layer only."""

from __future__ import annotations

from . import fal801

RULES = (fal801.RULE,)
CHECKERS = (fal801.IrreversibleMigration,)
