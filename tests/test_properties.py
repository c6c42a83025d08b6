"""Properties that hold for every program, checked with hypothesis.

* no crash on any program (hypothesmith's grammar-generated code, and
  FastAPI-flavoured programs composed from snippets that hit every family);
* findings are independent of the order files are checked in;
* ``# noqa: CODE`` on a finding's line removes exactly that code there (through
  flake8 itself).
"""

from __future__ import annotations

import ast
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from flake8_fastapi_layers.rules import CATALOGUE
from fixtures_util import check_snippet
from flake8_fastapi_layers.checker import Finding

LAYER_PATHS = [
    "app/routers/users.py",
    "app/services/user_service.py",
    "app/repositories/user_repository.py",
    "app/domain/user.py",
    "app/schemas/user.py",
    "app/models/user.py",
    "app/dependencies.py",
    "app/core/config.py",
    "app/main.py",
    "alembic/versions/0001_init.py",
    "tests/test_users.py",
    "app/utils/misc.py",
]

IMPORTS = [
    "from __future__ import annotations",
    "import time as t",
    "from time import sleep as nap",
    "import requests",
    "import httpx",
    "import asyncio",
    "import os",
    "from fastapi import APIRouter, Depends, HTTPException as HE, status",
    "from fastapi.responses import JSONResponse",
    "import starlette.exceptions",
    "from sqlalchemy import select, text",
    "from sqlalchemy.orm import Session",
    "from sqlalchemy.ext.asyncio import AsyncSession",
    "from sqlalchemy.exc import IntegrityError",
    "from fastapi.middleware.cors import CORSMiddleware",
    "from pydantic import BaseModel",
    "from typing import Any",
    "from app.repositories.user_repository import UserRepository",
    "from app.services.user_service import UserService",
    "from . import service",
    "from .. import repository",
    "from ... import x",
]

STATEMENTS = [
    "pass",
    "t.sleep(1)",
    "nap(0.1)",
    "requests.get('http://x')",
    "httpx.Client()",
    "open('f')",
    "asyncio.create_task(work())",
    "task = asyncio.create_task(work())",
    "raise HE(404, detail='x')",
    "raise starlette.exceptions.HTTPException(status_code=500)",
    "db.execute(select(User))",
    "session.query(User).all()",
    "await db.scalars(text('SELECT id FROM users'))",
    "db.execute(text(f'SELECT * FROM users WHERE id = {user_id}'))",
    "CACHE[key] = value",
    "CACHE.append(1)",
    "global CACHE",
    "x = os.environ['SECRET_KEY']",
    "password = 'changeme'",
    "token_url = '/token'",
    "SECRET_KEY: str = 'abc'",
    "return JSONResponse(status_code=500, content={'detail': str(exc)})",
    "return {'a': 1}",
    "x = [i for i in range(3) if i]",
    "x = lambda: t.sleep(1)",
    "async with lock:\n    CACHE.clear()",
    "while x:\n    break",
    "match x:\n    case 1:\n        pass",
    "try:\n    pass\nexcept IntegrityError as exc:\n    raise HE(409, detail=str(exc))",
    "with open('x') as f:\n    pass",
    "if x is None:\n    raise HE(status_code=404)",
    "for i in items:\n    yield i",
    "x = 'SELECT id FROM users'",
    "app.add_middleware(CORSMiddleware, allow_origins=['*'])",
    "x = 1  # type: ignore",
    "x = 1  # type: ignore[assignment]  # legacy",
    "del CACHE[key]",
    "loop = asyncio.get_running_loop()\nloop.create_task(work())",
    "SessionLocal()",
]

DECORATORS = [
    "",
    "@router.get('/users/{user_id}')\n",
    "@router.post('/users', status_code=201, response_model=UserOut)\n",
    "@app.websocket('/ws')\n",
    "@router.delete('/x', status_code=204)\n",
    "@staticmethod\n",
]

SIGNATURES = ["()", "(db: Session)", "(self, session)", "(user_id: int, db: AsyncSession = Depends(get_db)) -> UserOut", "(*args, **kwargs)", "(x: Any) -> dict[str, Any]"]


def _indent(code: str, level: int) -> str:
    pad = "    " * level
    return "\n".join(pad + line if line else line for line in code.splitlines())


@st.composite
def fastapi_programs(draw: st.DrawFn, depth: int = 0) -> str:
    """A syntactically valid module mixing imports, module state and (async) defs."""
    parts = draw(st.lists(st.sampled_from(IMPORTS), max_size=6))
    parts.append(draw(st.sampled_from(["", "CACHE = {}", "CACHE: list[int] = []", "router = APIRouter()"])))
    for _ in range(draw(st.integers(0, 3))):
        parts.append(draw(_function(0)))
    if draw(st.booleans()):
        body = _indent(draw(_function(1)), 1)
        parts.append(f"class UserService:\n    '''doc'''\n{body}")
    if draw(st.booleans()):
        parts.append("def downgrade() -> None:\n    pass")
    return "\n\n".join(parts) + "\n"


@st.composite
def _function(draw: st.DrawFn, depth: int) -> str:
    decorator = draw(st.sampled_from(DECORATORS))
    keyword = draw(st.sampled_from(["def", "async def"]))
    name = draw(st.sampled_from(["handler", "get_user", "upgrade", "test_sleep", "work"]))
    body = draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=6))
    if depth < 2 and draw(st.booleans()):
        body.append(draw(_function(depth + 1)))
    signature = draw(st.sampled_from(SIGNATURES))
    return f"{decorator}{keyword} {name}{signature}:\n" + _indent("\n".join(body), 1)


# generated programs may be odd but valid (``1()``): Python warns while parsing them
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fastapi_programs(), st.sampled_from(LAYER_PATHS))
def test_no_crash_on_fastapi_programs(source: str, relpath: str) -> None:
    try:
        ast.parse(source)
    except SyntaxError:  # e.g. 'return' with a value in an async generator
        reject()  # not an example: hypothesis fails the test if no example is left
    for finding in check_snippet(source, relpath):
        assert finding.code.startswith("FAL") and finding.message.startswith(finding.code)
        assert 1 <= finding.line <= max(1, source.count("\n") + 1)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(hypothesmith.from_grammar(), st.sampled_from(LAYER_PATHS))
def test_no_crash_on_any_program(source: str, relpath: str) -> None:
    try:
        compile(source, "<fuzz>", "exec", flags=ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError):
        reject()
    check_snippet(source, relpath)


def test_no_crash_on_deep_nesting() -> None:
    deep = "x = " + " + ".join(["a"] * 1200) + "\n"
    deep += "y = a" + ".b" * 1200 + "()\n"
    assert check_snippet(deep, "app/services/s.py") is not None
    nested = "def f():\n" + "".join("    " * i + "if x:\n" for i in range(1, 90)) + "    " * 90 + "pass\n"
    assert check_snippet(nested, "app/routers/r.py") is not None


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(fastapi_programs(), st.sampled_from(LAYER_PATHS)), min_size=2, max_size=4, unique_by=lambda p: p[1]), st.randoms())
def test_results_do_not_depend_on_file_order(files: list[tuple[str, str]], rnd: object) -> None:
    files = [(s, p) for s, p in files if _parses(s)]
    assume(len(files) >= 2)

    def run(order: list[tuple[str, str]]) -> dict[str, list[Finding]]:
        return {path: check_snippet(source, path) for source, path in order}

    shuffled = list(files)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]  # hypothesis' Random proxy
    assert run(files) == run(shuffled)


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("seed_path", ["app/routers/users.py", "app/services/user_service.py"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(program=fastapi_programs())
def test_noqa_removes_exactly_its_code(tmp_path: Path, seed_path: str, program: str) -> None:
    assume(_parses(program))
    target = tmp_path / seed_path
    target.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("")
    target.write_text(program)
    before = _report(target)
    # an example with nothing reported tests nothing (and if no example is left,
    # as when flake8 does not load the plugin, hypothesis fails the test)
    assume(before)
    line, code = sorted(before)[0]
    lines = program.splitlines()
    assume(not _ends_in_string(program, line))  # no comment inside a multi-line string
    lines[line - 1] = lines[line - 1] + f"  # noqa: {code}"
    target.write_text("\n".join(lines) + "\n")
    after = _report(target)
    assert after == {(ln, c) for ln, c in before if not (ln == line and c == code)}


def _ends_in_string(program: str, line: int) -> bool:
    tree = ast.parse(program)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.lineno <= line < (node.end_lineno or node.lineno):
                return True
    return False


def _report(path: Path) -> set[tuple[int, str]]:
    """What flake8 itself reports for ``path`` (after noqa), as (line, code)."""
    from flake8.main.application import Application

    out = path.with_suffix(".flake8-out")
    out.unlink(missing_ok=True)  # flake8 appends to --output-file
    codes = ",".join(rule.code for rule in CATALOGUE.sorted())
    Application().run(
        ["--isolated", "--select", codes, "-j", "1", "--format", "%(row)d %(code)s",
         "--output-file", str(out), str(path)]
    )
    found = set()
    for row in out.read_text().split("\n"):
        if row.strip():
            line, code = row.split()
            found.add((int(line), code))
    return found
