"""Every code has a fixture tree: its findings must be exactly the marked ones."""

from __future__ import annotations

import pytest

from fixtures_util import FIXTURES, actual, expected, only
from flake8_fastapi_layers.rules import CATALOGUE

CODES = [rule.code for rule in CATALOGUE.sorted()]


@pytest.mark.parametrize("code", CODES)
def test_every_code_has_a_fixture_with_positives(code: str) -> None:
    root = FIXTURES / code
    assert root.is_dir(), f"missing fixture tree tests/fixtures/{code}/"
    assert only(expected(root), code), f"tests/fixtures/{code}/ marks no {code} finding"


@pytest.mark.parametrize("code", CODES)
def test_fixture_findings_are_exactly_the_marked_ones(code: str) -> None:
    root = FIXTURES / code
    if not root.is_dir():
        pytest.skip("no fixture (reported by the test above)")
    assert sorted(only(actual(root), code)) == sorted(only(expected(root), code))
