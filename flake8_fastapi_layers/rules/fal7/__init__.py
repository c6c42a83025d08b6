"""FAL7xx: security and configuration, in every module (RULES.md §8).

Five independent checks, one module and one checker each:

* FAL701 hardcoded secrets (literal assigned to a secret-named target),
* FAL702 SQL built from strings (f-string, ``%``, ``.format``, ``+``),
* FAL703 CORS wildcard origins,
* FAL704 exception details sent to the client,
* FAL705 environment reads outside the config layer.

All names of library objects are resolved through the module's imports
(RULES.md §12); secret *names* are matched as text, which is what the rule is
about.
"""

from __future__ import annotations

from . import fal701, fal702, fal703, fal704, fal705

RULES = (fal701.RULE, fal702.RULE, fal703.RULE, fal704.RULE, fal705.RULE)
CHECKERS = (
    fal701.HardcodedSecret,
    fal702.SqlBuiltFromStrings,
    fal703.CorsWildcard,
    fal704.ExceptionDetailsToClient,
    fal705.EnvironmentReadOutsideConfig,
)
