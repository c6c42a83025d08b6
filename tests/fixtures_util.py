"""Fixture trees, markers and snippets, shared by the test files.

``tests/fixtures/<CODE>/`` is a small project per code.  A line due a finding
ends in ``# expect: FAL101, FAL104`` (the hand-written truth), and
``tests/fixtures/<CODE>/expected.txt`` is what ``fastapi-layers check`` and
flake8 print for the tree (every finding of every code, ``path:line:col: FALnnn
message``, sorted); the markers and that file must agree.  After a deliberate
change of findings or messages, rewrite the files with
``FAL_UPDATE_FIXTURES=1 python -m pytest tests/test_fixtures.py`` and review the
diff.  The mypy plugin's cases (``tests/mypy/cases/``) mark errors with
``# E: fal-...``, read by the same parser.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import textwrap
import tokenize
from pathlib import Path
from typing import Mapping

from flake8_fastapi_layers import cli
from flake8_fastapi_layers.checker import Finding
from flake8_fastapi_layers.config import Config
from flake8_fastapi_layers.engine import (
    DEFAULT_CONFIG,
    DEFAULT_OFF,
    check_path,
    check_source,
    parse_table,
    project_config,
)
from flake8_fastapi_layers.files import iter_python_files

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED_FILE = "expected.txt"
UPDATE = bool(os.environ.get("FAL_UPDATE_FIXTURES"))

#: The code pattern of each marker: ``# expect: FAL301`` (flake8 codes, in the
#: fixtures and layouts) and ``# E: fal-http-outside-edge`` (mypy error codes).
MARKERS = {"expect": r"FAL\d{3}", "E": r"[a-z][a-z0-9-]*"}
#: One line of flake8's default format: ``path:line:col: CODE message``.
OUTPUT_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")
#: A project root that does not exist: a snippet checked under it reads nothing from disk.
NOWHERE = Path("/nonexistent/project")

Key = tuple[str, int, str]  # (path relative to the project root, line, code)


def expected(root: Path, marker: str = "expect") -> set[Key]:
    """Every ``# <marker>: CODE[, CODE]`` comment of the Python files under ``root``
    (read as comments, via tokenize: a marker inside a string does not count)."""
    code = MARKERS[marker]
    pattern = re.compile(rf"#\s*{marker}:\s*({code}(?:\s*,\s*{code})*)")
    found: set[Key] = set()
    for path in iter_python_files([root]):
        rel = Path(path).relative_to(root).as_posix()
        source = Path(path).read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                match = pattern.search(token.string)
                if match:
                    for name in match.group(1).split(","):
                        found.add((rel, token.start[0], name.strip()))
    return found


def actual(root: Path) -> set[Key]:
    """What the checker finds under ``root`` (each file with its own config), every
    code computed, off-by-default ones included."""
    found: set[Key] = set()
    for path in iter_python_files([root]):
        rel = Path(path).relative_to(root).as_posix()
        for finding in check_path(path, project_config(path), selected=DEFAULT_OFF):
            found.add((rel, finding.line, finding.code))
    return found


def relative_output(output: str, root: Path) -> str:
    """Lines of checker output with paths made relative to ``root`` (``/`` as the
    separator), sorted by path, line, column and code."""
    prefix = str(root) + os.sep
    rows = []
    for line in output.splitlines():
        assert line.startswith(prefix), f"not under {root}: {line}"
        line = line[len(prefix) :]
        match = OUTPUT_RE.match(line)
        assert match, f"not a finding: {line}"
        path = match["path"].replace(os.sep, "/")
        line = path + line[len(match["path"]) :]
        rows.append(((path, int(match["line"]), int(match["col"]), match["code"]), line))
    return "".join(line + "\n" for _, line in sorted(rows))


def render(root: Path) -> str:
    """What ``fastapi-layers check <root>`` prints, paths relative to ``root``, sorted."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["check", str(root)])
    assert status in (0, 1) and not err.getvalue(), err.getvalue()
    return relative_output(out.getvalue(), root)


def render_flake8(root: Path, scratch: Path) -> str:
    """What ``flake8 --select FAL <root>`` prints (in process; ``scratch`` is a file
    it may write), paths relative to ``root``, sorted."""
    from flake8.main.application import Application

    scratch.unlink(missing_ok=True)  # flake8 appends to --output-file
    app = Application()
    app.run(["--isolated", "--select", "FAL", "-j", "1", "--output-file", str(scratch), str(root)])
    assert not app.catastrophic_failure
    return relative_output(scratch.read_text(encoding="utf-8") if scratch.exists() else "", root)


def printed_keys(text: str) -> set[Key]:
    """(path, line, code) of every line of a rendered output."""
    found: set[Key] = set()
    for line in text.splitlines():
        match = OUTPUT_RE.match(line)
        assert match, f"not a finding: {line}"
        found.add((match["path"], int(match["line"]), match["code"]))
    return found


def check_snippet(
    source: str,
    path: str,
    codes: str | tuple[str, ...] | None = None,
    config: Config | Mapping[str, object] | None = None,
    root: str | os.PathLike[str] = NOWHERE,
) -> list[Finding]:
    """Check a dedented snippet as the file ``root/path``: its findings whose code
    starts with ``codes`` (a code, a prefix such as ``"FAL5"`` or a tuple of them;
    every finding when None).  ``config`` is a ``Config`` or the contents of a
    ``[tool.fastapi-layers]`` table (the defaults when None); nothing is read from
    ``root`` unless a test wrote files there (the default root does not exist)."""
    if config is None:
        config = DEFAULT_CONFIG
    elif not isinstance(config, Config):
        config = parse_table(config)
    found = check_source(
        textwrap.dedent(source),
        os.path.join(root, path),
        config=config,
        root=os.fspath(root),
        selected=DEFAULT_OFF,
    )
    return [f for f in found if codes is None or f.code.startswith(codes)]


def line_codes(findings: list[Finding]) -> list[tuple[int, str]]:
    """``(line, code)`` of each finding."""
    return [(f.line, f.code) for f in findings]
