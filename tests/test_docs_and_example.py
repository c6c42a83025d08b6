"""The generated reference is in sync, every rule is documented, the README and
CI run the same test command, and the example app shows real findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake8_fastapi_layers.catalogue import load
from flake8_fastapi_layers.docs import render

ROOT = Path(__file__).resolve().parent.parent


def test_rule_reference_is_in_sync() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render(), "run: fastapi-layers docs --output docs/rules.md"


@pytest.mark.parametrize("rule", load().sorted(), ids=lambda r: r.code)
def test_every_rule_is_fully_documented(rule: object) -> None:
    for field in ("name", "message", "summary", "rationale", "fix", "bad", "good", "layers", "reported_on"):
        assert getattr(rule, field).strip(), field
    assert rule.bad != rule.good  # type: ignore[attr-defined]  # object-typed param


def test_every_code_of_the_contract_exists() -> None:
    import re

    contract = ROOT.parent / "shared" / "RULES.md"
    if not contract.is_file():
        pytest.skip("RULES.md is not beside the checkout")
    codes = set(re.findall(r"\bFAL\d{3}\b", contract.read_text()))
    assert codes == set(load().rules)


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
