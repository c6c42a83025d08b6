"""Every code has a fixture tree; what users read of it is ``expected.txt``.

For each tree: ``fastapi-layers check`` and flake8 print exactly its
``expected.txt`` (every code, column and message, each file under its own
``pyproject.toml``), and the ``# expect:`` markers are exactly the findings of
that file.  ``FAL_UPDATE_FIXTURES=1`` rewrites the files (see fixtures_util).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures_util import (
    EXPECTED_FILE,
    FIXTURES,
    UPDATE,
    expected,
    printed_keys,
    render,
    render_flake8,
)
from flake8_fastapi_layers.rules import CATALOGUE

CODES = [rule.code for rule in CATALOGUE.sorted()]


def fixture(code: str) -> Path:
    root = FIXTURES / code
    assert root.is_dir(), f"missing fixture tree tests/fixtures/{code}/"
    return root


def expected_text(root: Path) -> str:
    path = root / EXPECTED_FILE
    assert path.is_file(), f"missing {path}: run FAL_UPDATE_FIXTURES=1 python -m pytest {__file__}"
    return path.read_text(encoding="utf-8")


def test_every_fixture_tree_is_a_code() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == CODES


@pytest.mark.parametrize("code", CODES)
def test_every_code_has_a_fixture_with_positives(code: str) -> None:
    marked = {key for key in expected(fixture(code)) if key[2] == code}
    assert marked, f"tests/fixtures/{code}/ marks no {code} finding"


@pytest.mark.parametrize("code", CODES)
def test_check_prints_the_expected_file(code: str) -> None:
    root = fixture(code)
    rendered = render(root)
    path = root / EXPECTED_FILE
    if UPDATE and (not path.is_file() or path.read_text(encoding="utf-8") != rendered):
        path.write_text(rendered, encoding="utf-8")
        pytest.skip(f"rewrote {path}: review the diff, then run the tests again")
    assert rendered == expected_text(root)


@pytest.mark.parametrize("code", CODES)
def test_flake8_prints_the_expected_file(code: str, tmp_path: Path) -> None:
    root = fixture(code)
    assert render_flake8(root, tmp_path / "flake8.txt") == expected_text(root)


@pytest.mark.parametrize("code", CODES)
def test_markers_are_the_expected_findings(code: str) -> None:
    root = fixture(code)
    assert sorted(expected(root)) == sorted(printed_keys(expected_text(root)))
