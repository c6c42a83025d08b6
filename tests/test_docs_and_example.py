"""The generated reference is in sync, every rule is documented, the README and
CI run the same test command, and the example app shows real findings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_fastapi_layers.catalogue import Rule
from flake8_fastapi_layers.engine import DEFAULT_OFF, check_source, parse_table
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


# -- The rule docs' examples are real modules ----------------------------------
#
# Every `bad`/`good` example is a complete module whose first line is a comment
# naming the path (relative to a project root) it is checked at: the path gives
# its layer. Each is checked with every rule on, as a user would see it.

EXAMPLE_PATH_LINE = re.compile(r"# ((?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+\.py)")
#: Every rule on; the examples' own packages are first-party (nothing on disk).
EXAMPLE_CONFIG = parse_table({"enable": sorted(CATALOGUE.default_off()), "first-party": ["app", "features"]})
#: Codes a `bad` example cannot help triggering besides its own, and why. The
#: test wants exactly these, so an entry that no longer applies fails.
ALSO_TRIGGERED = {
    # A service gets HTTPException or JSONResponse only by importing fastapi,
    # and that import is FAL103: another line, another offence.
    "FAL301": {"FAL103"},
    "FAL302": {"FAL103"},
}


def example_path(code: str, which: str, source: str) -> str:
    """The project-relative path an example names on its first line."""
    first = source.split("\n", 1)[0]
    match = EXAMPLE_PATH_LINE.fullmatch(first)
    assert match, (
        f"{code} {which}: the first line must be a comment naming the path the example "
        f"is checked at, e.g. '# app/services/user_service.py'; got {first!r}"
    )
    return match.group(1)


def example_findings(code: str, which: str, source: str, root: Path) -> list[tuple[str, str]]:
    """(code, 'line:col: message') of each finding in the example, checked at its path."""
    path = root / example_path(code, which, source)
    try:
        findings = check_source(source, path, config=EXAMPLE_CONFIG, root=str(root))
    except SyntaxError as exc:
        pytest.fail(f"{code} {which}: not valid Python: {exc}")
    return [(f.code, f"{f.line}:{f.col + 1}: {f.message}") for f in findings]


@pytest.mark.parametrize("rule", CATALOGUE.sorted(), ids=lambda r: r.code)
def test_bad_example_triggers_exactly_its_own_code(rule: Rule, tmp_path: Path) -> None:
    found = example_findings(rule.code, "bad", rule.bad, tmp_path)
    assert rule.code in {code for code, _ in found}, f"{rule.code} bad example: {found}"
    expected = {rule.code} | ALSO_TRIGGERED.get(rule.code, set())
    assert {code for code, _ in found} == expected, found


@pytest.mark.parametrize("rule", CATALOGUE.sorted(), ids=lambda r: r.code)
def test_good_example_triggers_nothing(rule: Rule, tmp_path: Path) -> None:
    assert example_findings(rule.code, "good", rule.good, tmp_path) == []


@pytest.mark.parametrize(
    "first",
    ["from app import x", "#app/x.py", "# app/x", "# /app/x.py", "# ../app/x.py", "# app/x.py  # note", ""],
)
def test_an_example_without_its_path_line_is_rejected(first: str) -> None:
    with pytest.raises(AssertionError, match="FAL999 bad: the first line must be a comment naming the path"):
        example_path("FAL999", "bad", first + "\nx = 1\n")
