"""FAL3xx: services stay free of HTTP and of queries (RULES.md §4).

FAL301 (``HTTPException`` outside the edge) applies to service, repository,
domain, model and schema modules; FAL302-FAL304 to service modules.
"""

from __future__ import annotations

from . import fal301, fal302, fal303, fal304

RULES = (fal301.RULE, fal302.RULE, fal303.RULE, fal304.RULE)
CHECKERS = (
    fal301.HttpExceptionOutsideEdge,
    fal302.ResponseInService,
    fal303.QueryInService,
    fal304.GodService,
)
