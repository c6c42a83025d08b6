"""FAL6xx/FAL8xx/FAL9xx: options and what fixtures cannot express."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_fastapi_layers.engine import DEFAULT_OFF, check_source, check_tree
from flake8_fastapi_layers.engine import DEFAULT_CONFIG, parse_table
from flake8_fastapi_layers.rules.fal6_typing import type_ignore_problem


MINE = ("FAL6", "FAL8", "FAL9")


def codes(
    source: str, path: str, tmp_path: Path, table: dict[str, object] | None = None
) -> list[tuple[int, str]]:
    """(line, code) of this file's findings of the FAL6/8/9 families."""
    config = parse_table(table or {})
    findings = check_source(
        source, str(tmp_path / path), config=config, root=str(tmp_path), selected=DEFAULT_OFF
    )
    return [(f.line, f.code) for f in findings if f.code.startswith(MINE)]


UNTYPED = "from __future__ import annotations\n\n\ndef helper(x, *args, **kwargs):\n    return x\n"


# -- FAL602-FAL604 scope: architecture surfaces, widened by annotations-everywhere ----


def test_untyped_def_in_layer_free_module_is_left_to_mypy(tmp_path: Path) -> None:
    assert codes(UNTYPED, "app/helpers.py", tmp_path) == []


def test_annotations_everywhere_widens_fal602_to_fal604(tmp_path: Path) -> None:
    found = codes(UNTYPED, "app/helpers.py", tmp_path, {"annotations-everywhere": True})
    assert found == [(4, "FAL602"), (4, "FAL603"), (4, "FAL604")]


def test_annotations_everywhere_still_spares_tests_and_migrations(tmp_path: Path) -> None:
    table: dict[str, object] = {"annotations-everywhere": True}
    assert codes(UNTYPED, "tests/test_helpers.py", tmp_path, table) == []
    assert codes(UNTYPED, "alembic/versions/helpers.py", tmp_path, table) == []


def test_annotations_everywhere_keeps_nested_functions_exempt(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n\n\n"
        "def outer() -> None:\n"
        "    def inner(x):\n"
        "        return x\n"
    )
    assert codes(source, "app/helpers.py", tmp_path, {"annotations-everywhere": True}) == []


def test_disabled_codes_are_silent(tmp_path: Path) -> None:
    found = codes(UNTYPED.split("\n", 1)[1], "app/services/s.py", tmp_path, {"disable": ["FAL6"]})
    assert found == []
    found = codes(UNTYPED, "app/services/s.py", tmp_path, {"disable": ["FAL602", "FAL604"]})
    assert found == [(4, "FAL603")]


def test_layer_named_in_messages(tmp_path: Path) -> None:
    config = parse_table({})
    source = (
        "from __future__ import annotations\n\n\n"
        "class UserService:\n"
        "    def create(self, email):\n"
        "        pass\n"
    )
    path = str(tmp_path / "app/services/user_service.py")
    findings = check_source(source, path, config=config, root=str(tmp_path))
    messages = [f.message for f in findings if f.code.startswith(MINE)]
    assert messages == [
        "FAL602 service method 'UserService.create' has unannotated parameter(s) 'email'; "
        "annotate every parameter",
        "FAL603 service method 'UserService.create' has no return annotation; "
        "annotate it (-> None if it returns nothing)",
    ]


def test_fal603_hint_for_generators(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n\n\n"
        "async def lifespan(app: object):\n"
        "    yield\n\n\n"
        "def rows(n: int):\n"
        "    yield from range(n)\n\n\n"
        "def outer(n: int):\n"
        "    def inner() -> object:\n"
        "        yield n\n"
        "    return inner\n"
    )
    path = str(tmp_path / "app/services/user_service.py")
    findings = check_source(source, path, config=parse_table({}), root=str(tmp_path))
    hints = [f.message.rpartition("(")[2] for f in findings if f.code == "FAL603"]
    assert hints == [
        "-> AsyncIterator[...] for a generator)",
        "-> Iterator[...] for a generator)",
        "-> None if it returns nothing)",
    ]


# -- FAL601 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n\n",
        "# only a comment\n",
        '"""Docstring."""\n',
        "pass\n",
        "...\n",
        '"""D."""\n\npass\n',
    ],
)
def test_fal601_modules_without_code_are_exempt(source: str, tmp_path: Path) -> None:
    assert codes(source, "app/services/__init__.py", tmp_path) == []


def test_fal601_reexport_init_needs_the_import(tmp_path: Path) -> None:
    source = "from .user_service import UserService\n\n__all__ = ['UserService']\n"
    assert codes(source, "app/services/__init__.py", tmp_path) == [(1, "FAL601")]


def test_fal601_stub_files_are_exempt(tmp_path: Path) -> None:
    assert codes("def f(x: int) -> int: ...\n", "app/services/user_service.pyi", tmp_path) == []


# -- FAL605: read through tokenize ----------------------------------------------


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("# type: ignore", "has no error code and no explanation"),
        ("# type:ignore", "has no error code and no explanation"),
        ("#type: ignore  # why not", "has no error code in brackets"),
        ("# type: ignore[arg-type]", "has no explanation after the error code"),
        ("# type: ignore[arg-type]  #   ", "has no explanation after the error code"),
        ("# type: ignore[arg-type]  # noqa: E501", "has no explanation after the error code"),
        ("# type: ignore[]  # why", "has no error code in brackets"),
        ("# noqa: E501  # type: ignore", None),  # mypy honours it only at a comment start
        ("# type: ignore[arg-type]  # stubs lag upstream", None),
        ("# type: ignore[a, b]  # two codes, one reason", None),
        ("#type:ignore[x]#tight spacing", None),
        ("# type: ignore[x]  # noqa: E501  # reason after noqa", None),
        ("# pyright: ignore", None),
        ("# type: ignored by design", None),
        ("# type: int", None),
    ],
)
def test_fal605_comment_forms(comment: str, problem: str | None) -> None:
    assert type_ignore_problem(comment) == problem


def test_fal605_strings_are_not_comments(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "A = '# type: ignore'\n"
        'B = """\n'
        "x = 1  # type: ignore\n"
        '"""\n'
        "C = f\"{A}  # type: ignore\"\n"
    )
    assert codes(source, "app/services/s.py", tmp_path) == []


def test_fal605_multiline_statement_reports_the_comment_line(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "x = call(\n"
        "    1,  # type: ignore\n"
        ")\n"
    )
    assert codes(source, "app/services/s.py", tmp_path) == [(3, "FAL605")]


def test_fal605_without_source_lines_does_not_crash(tmp_path: Path) -> None:
    tree = ast.parse("x = 1  # type: ignore\n")
    config = parse_table({})
    findings = check_tree(tree, str(tmp_path / "app/helpers.py"), None, config, str(tmp_path))
    assert [f.code for f in findings if f.code.startswith(MINE)] == ["FAL601"]  # no lines


def test_fal605_survives_a_tokenize_error_after_the_comment(tmp_path: Path) -> None:
    # lines that do not match the tree (a front end passing odd lines): no traceback
    tree = ast.parse("x = 1\n")
    lines = ["x = 1  # type: ignore\n", "y = (\n"]
    config = parse_table({})
    findings = check_tree(tree, str(tmp_path / "app/helpers.py"), lines, config, str(tmp_path))
    assert (1, "FAL605") in [(f.line, f.code) for f in findings if f.code.startswith(MINE)]


def test_fal605_off_in_tests(tmp_path: Path) -> None:
    assert codes("import x  # type: ignore\n", "tests/test_x.py", tmp_path) == []


# -- FAL606 / FAL607 --------------------------------------------------------------


def test_fal606_skips_repositories(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "def rows() -> dict:\n"
        "    return {}\n"
    )
    assert codes(source, "app/repositories/user_repository.py", tmp_path) == []
    assert codes(source, "app/services/user_service.py", tmp_path) == [(2, "FAL606")]


def test_fal607_is_reported_only_when_not_disabled(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import Any\n"
        "def f(x: Any) -> None:\n"
        "    pass\n"
    )
    assert codes(source, "app/services/s.py", tmp_path) == [(3, "FAL607")]
    assert codes(source, "app/services/s.py", tmp_path, {"disable": ["FAL607"]}) == []


def test_fal607_broken_string_annotation_is_ignored(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import Any\n"
        "def f(x: 'list[', y: '') -> 'Any':\n"
        "    pass\n"
    )
    assert codes(source, "app/services/s.py", tmp_path) == [(3, "FAL607")]


def test_fal607_follows_the_catalogue_default() -> None:
    from flake8_fastapi_layers.rules import CATALOGUE

    assert "FAL607" in CATALOGUE.default_off()
    assert not DEFAULT_CONFIG.is_active("FAL607")


# -- FAL801 ---------------------------------------------------------------------


def test_fal801_only_in_migrations(tmp_path: Path) -> None:
    source = "revision = 'x'\n\n\ndef upgrade() -> None:\n    op.create_table('t')\n"
    assert codes(source, "alembic/versions/x.py", tmp_path) == [(1, "FAL801")]
    assert codes(source, "alembic/env.py", tmp_path) == [(1, "FAL601")]


def test_fal801_async_downgrade(tmp_path: Path) -> None:
    source = (
        "revision = 'x'\n"
        "async def upgrade() -> None:\n    await op.create_table('t')\n"
        "async def downgrade() -> None:\n    pass\n"
    )
    assert codes(source, "alembic/versions/x.py", tmp_path) == [(4, "FAL801")]


def test_fal801_downgrade_bound_by_assignment_is_trusted(tmp_path: Path) -> None:
    source = "revision = 'x'\ndef upgrade() -> None:\n    op.f()\ndowngrade = make_downgrade('t')\n"
    assert codes(source, "alembic/versions/x.py", tmp_path) == []


# -- FAL901 ---------------------------------------------------------------------


def test_fal901_resolves_module_attribute_imports(tmp_path: Path) -> None:
    source = (
        "import time as clock\n"
        "def test_x() -> None:\n"
        "    clock.sleep(1)\n"
        "    clock.monotonic()\n"
    )
    assert codes(source, "tests/test_x.py", tmp_path) == [(3, "FAL901")]


def test_fal901_local_import(tmp_path: Path) -> None:
    source = "def test_x() -> None:\n    from time import sleep\n    sleep(1)\n"
    assert codes(source, "tests/test_x.py", tmp_path) == [(3, "FAL901")]


def test_fal901_not_outside_tests(tmp_path: Path) -> None:
    source = "from __future__ import annotations\nimport time\ntime.sleep(1)\n"
    assert codes(source, "app/scripts/wait.py", tmp_path) == []


TRICKY = '''\
from __future__ import annotations

import sys


@decorate("""
x = 1  # type: ignore
""")  # type: ignore
def f(a: str = "#", b: bytes = b"# type: ignore") -> str:  # type: ignore[misc]  # why
    message = (
        f"{a} # type: ignore "  # type: ignore
        "tail # type: ignore"
        "end"  # type: ignore[misc]  # explained
    )
    # type: ignore
    name = "héllo #"  # type: ignore
    return message + """
    # type: ignore
    """ + name  # type: ignore[operator]


if sys.version_info >= (3, 11):  # type: ignore
    pass
else:
    try:
        import tomli  # type: ignore
    except ImportError:  # type: ignore[misc]
        pass
x = 1; y = "# type: ignore"  # type: ignore
'''


def test_fal605_comment_reader_matches_tokenize() -> None:
    import io
    import tokenize

    from flake8_fastapi_layers.rules.fal6_typing import (
        TYPE_IGNORE_ANYWHERE_RE,
        type_ignore_comments,
    )

    expected = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(TRICKY).readline)
        if tok.type == tokenize.COMMENT and TYPE_IGNORE_ANYWHERE_RE.search(tok.string)
    ]
    tree = ast.parse(TRICKY)
    assert list(type_ignore_comments(tree, TRICKY.splitlines(keepends=True))) == expected
    assert [line for line, _ in expected] == [8, 9, 11, 13, 15, 16, 19, 22, 26, 27, 29]


def test_fal605_tricky_source_findings(tmp_path: Path) -> None:
    found = codes(TRICKY, "app/services/s.py", tmp_path)
    assert found == [(line, "FAL605") for line in (8, 11, 15, 16, 19, 22, 26, 27, 29)]


def test_fal603_repository_public_defs_left_to_fal401_unless_disabled(tmp_path: Path) -> None:
    source = "from __future__ import annotations\ndef get(user_id: int):\n    return None\n"
    path = "app/repositories/user_repository.py"
    assert codes(source, path, tmp_path) == []
    assert codes(source, path, tmp_path, {"disable": ["FAL401"]}) == [(2, "FAL603")]


def test_fal606_in_repositories_when_fal401_is_disabled(tmp_path: Path) -> None:
    source = "from __future__ import annotations\ndef rows() -> dict:\n    return {}\n"
    path = "app/repositories/user_repository.py"
    assert codes(source, path, tmp_path, {"disable": ["FAL401"]}) == [(2, "FAL606")]
