"""Reading fixtures: ``# expect: FAL101, FAL104`` marks the findings due on a line."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import textwrap
from typing import Mapping

from flake8_fastapi_layers.checker import Finding
from flake8_fastapi_layers.engine import DEFAULT_OFF, check_path, check_source
from flake8_fastapi_layers.files import iter_python_files
from flake8_fastapi_layers.engine import project_config, parse_table

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*(FAL\d{3}(?:\s*,\s*FAL\d{3})*)")

Key = tuple[str, int, str]  # (path relative to the fixture root, line, code)


def expected(root: Path) -> set[Key]:
    """Every ``# expect:`` comment under ``root`` (read as comments, via tokenize)."""
    found: set[Key] = set()
    for path in iter_python_files([root]):
        rel = Path(path).relative_to(root).as_posix()
        source = Path(path).read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                match = EXPECT_RE.search(token.string)
                if match:
                    for code in match.group(1).split(","):
                        found.add((rel, token.start[0], code.strip()))
    return found


def actual(root: Path) -> set[Key]:
    """What the checker reports under ``root`` (each file with its own config)."""
    found: set[Key] = set()
    for path in iter_python_files([root]):
        rel = Path(path).relative_to(root).as_posix()
        for finding in check_path(path, project_config(path), selected=DEFAULT_OFF):
            found.add((rel, finding.line, finding.code))
    return found


def only(keys: set[Key], prefix: str) -> set[Key]:
    return {key for key in keys if key[2].startswith(prefix)}


def findings_for(
    source: str, path: str, code: str, table: Mapping[str, object] | None = None
) -> list[Finding]:
    """The ``code`` findings of a dedented snippet checked as ``path`` under ``table``."""
    config = parse_table(table or {})
    found = check_source(textwrap.dedent(source), path, config=config, root=".", selected=DEFAULT_OFF)
    return [f for f in found if f.code == code]
