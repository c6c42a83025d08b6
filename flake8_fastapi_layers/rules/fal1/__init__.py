"""FAL1xx: layer boundaries, reported on the import statement (RULES.md §2)."""

from __future__ import annotations

from . import fal101, fal102, fal103, fal104, fal105

RULES = (fal101.RULE, fal102.RULE, fal103.RULE, fal104.RULE, fal105.RULE)
CHECKERS = (
    fal101.UpwardImport,
    fal102.RouterImportsRepository,
    fal103.HttpFrameworkInCore,
    fal104.DomainImportsInfrastructure,
    fal105.CrossFeatureReachIn,
)
