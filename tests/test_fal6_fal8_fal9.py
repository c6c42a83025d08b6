"""FAL6xx/FAL8xx/FAL9xx: options and what fixtures cannot express."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fixtures_util import check_snippet, line_codes
from flake8_fastapi_layers.engine import check_tree
from flake8_fastapi_layers.engine import DEFAULT_CONFIG, parse_table
from flake8_fastapi_layers.rules.fal6_typing import type_ignore_problem


MINE = ("FAL6", "FAL8", "FAL9")


UNTYPED = "from __future__ import annotations\n\n\ndef helper(x, *args, **kwargs):\n    return x\n"


# -- FAL602-FAL604 scope: architecture surfaces, widened by annotations-everywhere ----


def test_untyped_def_in_layer_free_module_is_left_to_mypy() -> None:
    assert check_snippet(UNTYPED, "app/helpers.py", MINE) == []


def test_annotations_everywhere_widens_fal602_to_fal604() -> None:
    found = check_snippet(UNTYPED, "app/helpers.py", MINE, {"annotations-everywhere": True})
    assert line_codes(found) == [(4, "FAL602"), (4, "FAL603"), (4, "FAL604")]


def test_annotations_everywhere_still_spares_tests_and_migrations() -> None:
    table: dict[str, object] = {"annotations-everywhere": True}
    assert check_snippet(UNTYPED, "tests/test_helpers.py", MINE, table) == []
    assert check_snippet(UNTYPED, "alembic/versions/helpers.py", MINE, table) == []


def test_annotations_everywhere_keeps_nested_functions_exempt() -> None:
    source = (
        "from __future__ import annotations\n\n\n"
        "def outer() -> None:\n"
        "    def inner(x):\n"
        "        return x\n"
    )
    assert check_snippet(source, "app/helpers.py", MINE, {"annotations-everywhere": True}) == []


def test_disabled_codes_are_silent() -> None:
    no_future = UNTYPED.split("\n", 1)[1]
    assert check_snippet(no_future, "app/services/s.py", MINE, {"disable": ["FAL6"]}) == []
    found = check_snippet(UNTYPED, "app/services/s.py", MINE, {"disable": ["FAL602", "FAL604"]})
    assert line_codes(found) == [(4, "FAL603")]


def test_layer_named_in_messages() -> None:
    source = (
        "from __future__ import annotations\n\n\n"
        "class UserService:\n"
        "    def create(self, email):\n"
        "        pass\n"
    )
    messages = [f.message for f in check_snippet(source, "app/services/user_service.py", MINE)]
    assert messages == [
        "FAL602 service method 'UserService.create' has unannotated parameter(s) 'email'; "
        "annotate every parameter",
        "FAL603 service method 'UserService.create' has no return annotation; "
        "annotate it (-> None if it returns nothing)",
    ]


def test_fal603_hint_for_generators() -> None:
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
    findings = check_snippet(source, "app/services/user_service.py", "FAL603")
    hints = [f.message.rpartition("(")[2] for f in findings]
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
def test_fal601_modules_without_code_are_exempt(source: str) -> None:
    assert check_snippet(source, "app/services/__init__.py", MINE) == []


def test_fal601_reexport_init_needs_the_import() -> None:
    source = "from .user_service import UserService\n\n__all__ = ['UserService']\n"
    assert line_codes(check_snippet(source, "app/services/__init__.py", MINE)) == [(1, "FAL601")]


def test_fal601_stub_files_are_exempt() -> None:
    assert check_snippet("def f(x: int) -> int: ...\n", "app/services/user_service.pyi", MINE) == []


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


def test_fal605_strings_are_not_comments() -> None:
    source = (
        "from __future__ import annotations\n"
        "A = '# type: ignore'\n"
        'B = """\n'
        "x = 1  # type: ignore\n"
        '"""\n'
        "C = f\"{A}  # type: ignore\"\n"
    )
    assert check_snippet(source, "app/services/s.py", MINE) == []


def test_fal605_multiline_statement_reports_the_comment_line() -> None:
    source = (
        "from __future__ import annotations\n"
        "x = call(\n"
        "    1,  # type: ignore\n"
        ")\n"
    )
    assert line_codes(check_snippet(source, "app/services/s.py", MINE)) == [(3, "FAL605")]


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


def test_fal605_off_in_tests() -> None:
    assert check_snippet("import x  # type: ignore\n", "tests/test_x.py", MINE) == []


# -- FAL606 / FAL607 --------------------------------------------------------------


def test_fal606_skips_repositories() -> None:
    source = (
        "from __future__ import annotations\n"
        "def rows() -> dict:\n"
        "    return {}\n"
    )
    assert check_snippet(source, "app/repositories/user_repository.py", MINE) == []
    assert line_codes(check_snippet(source, "app/services/user_service.py", MINE)) == [(2, "FAL606")]


def test_fal607_is_reported_only_when_not_disabled() -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import Any\n"
        "def f(x: Any) -> None:\n"
        "    pass\n"
    )
    assert line_codes(check_snippet(source, "app/services/s.py", MINE)) == [(3, "FAL607")]
    assert check_snippet(source, "app/services/s.py", MINE, {"disable": ["FAL607"]}) == []


def test_fal607_broken_string_annotation_is_ignored() -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import Any\n"
        "def f(x: 'list[', y: '') -> 'Any':\n"
        "    pass\n"
    )
    assert line_codes(check_snippet(source, "app/services/s.py", MINE)) == [(3, "FAL607")]


def test_fal607_follows_the_catalogue_default() -> None:
    from flake8_fastapi_layers.rules import CATALOGUE

    assert "FAL607" in CATALOGUE.default_off()
    assert not DEFAULT_CONFIG.is_active("FAL607")


# -- FAL801 ---------------------------------------------------------------------


def test_fal801_only_in_migrations() -> None:
    source = "revision = 'x'\n\n\ndef upgrade() -> None:\n    op.create_table('t')\n"
    assert line_codes(check_snippet(source, "alembic/versions/x.py", MINE)) == [(1, "FAL801")]
    assert line_codes(check_snippet(source, "alembic/env.py", MINE)) == [(1, "FAL601")]


def test_fal801_async_downgrade() -> None:
    source = (
        "revision = 'x'\n"
        "async def upgrade() -> None:\n    await op.create_table('t')\n"
        "async def downgrade() -> None:\n    pass\n"
    )
    assert line_codes(check_snippet(source, "alembic/versions/x.py", MINE)) == [(4, "FAL801")]


def test_fal801_downgrade_bound_by_assignment_is_trusted() -> None:
    source = "revision = 'x'\ndef upgrade() -> None:\n    op.f()\ndowngrade = make_downgrade('t')\n"
    assert check_snippet(source, "alembic/versions/x.py", MINE) == []


# -- FAL901 ---------------------------------------------------------------------


def test_fal901_resolves_module_attribute_imports() -> None:
    source = (
        "import time as clock\n"
        "def test_x() -> None:\n"
        "    clock.sleep(1)\n"
        "    clock.monotonic()\n"
    )
    assert line_codes(check_snippet(source, "tests/test_x.py", MINE)) == [(3, "FAL901")]


def test_fal901_local_import() -> None:
    source = "def test_x() -> None:\n    from time import sleep\n    sleep(1)\n"
    assert line_codes(check_snippet(source, "tests/test_x.py", MINE)) == [(3, "FAL901")]


def test_fal901_not_outside_tests() -> None:
    source = "from __future__ import annotations\nimport time\ntime.sleep(1)\n"
    assert check_snippet(source, "app/scripts/wait.py", MINE) == []


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


def test_fal605_tricky_source_findings() -> None:
    found = line_codes(check_snippet(TRICKY, "app/services/s.py", MINE))
    assert found == [(line, "FAL605") for line in (8, 11, 15, 16, 19, 22, 26, 27, 29)]


def test_fal603_repository_public_defs_left_to_fal401_unless_disabled() -> None:
    source = "from __future__ import annotations\ndef get(user_id: int):\n    return None\n"
    path = "app/repositories/user_repository.py"
    assert check_snippet(source, path, MINE) == []
    assert line_codes(check_snippet(source, path, MINE, {"disable": ["FAL401"]})) == [(2, "FAL603")]


def test_fal606_in_repositories_when_fal401_is_disabled() -> None:
    source = "from __future__ import annotations\ndef rows() -> dict:\n    return {}\n"
    path = "app/repositories/user_repository.py"
    assert line_codes(check_snippet(source, path, MINE, {"disable": ["FAL401"]})) == [(2, "FAL606")]
