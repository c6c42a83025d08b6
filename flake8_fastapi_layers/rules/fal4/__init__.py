"""FAL4xx: repositories return typed data and own database errors (RULES.md §5)."""

from __future__ import annotations

from . import fal401, fal402, fal403

RULES = (fal401.RULE, fal402.RULE, fal403.RULE)
CHECKERS = (fal401.RepositoryRawReturn, fal402.LegacyQueryApi, fal403.DbErrorOutsideRepository)
