"""The generated reference is in sync, every rule is documented, the README and
CI run the same test command, and the example app shows real findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake8_fastapi_layers.rules import CATALOGUE
from flake8_fastapi_layers.docs import render

ROOT = Path(__file__).resolve().parent.parent


def test_rule_reference_is_in_sync() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render(), "run: fastapi-layers docs --output docs/rules.md"


@pytest.mark.parametrize("rule", CATALOGUE.sorted(), ids=lambda r: r.code)
def test_every_rule_is_fully_documented(rule: object) -> None:
    for field in ("name", "message", "summary", "rationale", "fix", "bad", "good", "reported_on"):
        assert getattr(rule, field).strip(), field
    assert rule.scope.describe().strip()  # type: ignore[attr-defined]  # object-typed param
    assert rule.bad != rule.good  # type: ignore[attr-defined]  # object-typed param


#: Codes RULES.md names whose rules are not built yet, with the issue that
#: builds them. This list only shrinks: a code built while still listed fails.
NOT_YET_BUILT = {"FAL802": "issue 12", "FAL902": "issue 12"}
#: Codes RULES.md names that are not rules of the catalogue: the config error.
NOT_RULES = {"FAL000"}


def house_rule_range(code: str) -> bool:
    """FAL001-FAL099 belong to the teams' house rules (RULES.md section 14)."""
    return 1 <= int(code[3:]) <= 99


def test_every_code_of_the_contract_exists() -> None:
    import re

    contract = ROOT.parent / "shared" / "RULES.md"
    if not contract.is_file():
        pytest.skip("RULES.md is not beside the checkout")
    codes = set(re.findall(r"\bFAL\d{3}\b", contract.read_text()))
    built = set(CATALOGUE.rules)
    assert not built & set(NOT_YET_BUILT), "built now: drop it from NOT_YET_BUILT"
    assert set(NOT_YET_BUILT) <= codes, "no longer in RULES.md: drop it from NOT_YET_BUILT"
    assert not any(house_rule_range(c) for c in built), "FAL001-FAL099 are the teams' own"
    expected = {c for c in codes if not house_rule_range(c)} - NOT_RULES - set(NOT_YET_BUILT)
    assert expected == built


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2 and "examples/shop" in block[0] and "pytest" in block[1]
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci == block[1]


def test_example_app_findings() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "FAL", "--format", "%(path)s %(code)s", "."],
        cwd=ROOT / "examples" / "shop",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    found = [line.split() for line in result.stdout.splitlines()]
    families = {code[:4] for _path, code in found}
    assert families == {f"FAL{n}" for n in range(1, 10)}
    clean = {"./app/routers/users.py", "./app/services/user_service.py", "./app/repositories/user_repository.py"}
    assert not [path for path, _code in found if path in clean]
    assert ["./app/routers/orders.py", "FAL208"] in found  # enabled in the example's pyproject
