"""FAL5xx: options and behaviour fixtures cannot express."""

from __future__ import annotations

import pytest

from fixtures_util import check_snippet, line_codes
from flake8_fastapi_layers.config import ConfigError
from flake8_fastapi_layers.engine import DEFAULT_CONFIG, parse_table
from flake8_fastapi_layers.blocking import BLOCKING_CALLS, blocking_calls


SERVICE = "app/services/report_service.py"


UPLOAD = """\
import shutil

async def upload(file, path):
    with open(path, "wb") as buffer:
        shutil.copyfileobj(file.file, buffer)
"""


def test_default_blocking_list_is_public() -> None:
    assert "time.sleep" in BLOCKING_CALLS
    assert "httpx.AsyncClient" not in BLOCKING_CALLS
    assert "sqlalchemy.ext.asyncio.create_async_engine" not in BLOCKING_CALLS
    assert blocking_calls(DEFAULT_CONFIG) == BLOCKING_CALLS


def test_extra_and_allowed_calls() -> None:
    assert line_codes(check_snippet(UPLOAD, SERVICE, "FAL5")) == [(4, "FAL501")]
    config = parse_table(
        {
            "FAL501": {
                "extra-blocking-calls": ["shutil.copyfileobj"],
                "allowed-calls": ["builtins.open"],
            }
        }
    )
    assert line_codes(check_snippet(UPLOAD, SERVICE, "FAL5", config)) == [(5, "FAL501")]
    effective = blocking_calls(config)
    assert "shutil.copyfileobj" in effective
    assert "builtins.open" not in effective
    assert "time.sleep" in effective


def test_allowing_sessionmaker_turns_off_the_call_of_a_call() -> None:
    source = """\
    from sqlalchemy.orm import sessionmaker
    SessionLocal = sessionmaker()

    async def f(engine):
        sessionmaker(bind=engine)()
        SessionLocal()
    """
    assert line_codes(check_snippet(source, "app/utils.py", "FAL5")) == [(5, "FAL501"), (6, "FAL501")]
    config = parse_table({"FAL501": {"allowed-calls": ["sqlalchemy.orm.sessionmaker"]}})
    assert check_snippet(source, "app/utils.py", "FAL5", config) == []


def test_bad_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="extra-blocking-calls"):
        parse_table({"FAL501": {"extra-blocking-calls": "time.sleep"}})
    with pytest.raises(ConfigError, match="FAL501.blocking"):
        parse_table({"FAL501": {"blocking": []}})


def test_disabled_codes_are_silent() -> None:
    source = """\
    import asyncio, time
    _cache = {}

    async def f():
        time.sleep(1)
        asyncio.create_task(f())
        _cache["k"] = 1
    """
    assert line_codes(check_snippet(source, SERVICE, "FAL5")) == [(5, "FAL501"), (6, "FAL503"), (7, "FAL504")]
    config = parse_table({"disable": ["FAL501", "FAL504"]})
    assert line_codes(check_snippet(source, SERVICE, "FAL5", config)) == [(6, "FAL503")]
    assert check_snippet(source, SERVICE, "FAL5", parse_table({"disable": ["FAL5"]})) == []


def test_time_sleep_in_tests_is_left_to_fal901() -> None:
    source = """\
    import time

    async def test_it():
        time.sleep(1)
        open("x")
    """
    assert line_codes(check_snippet(source, "tests/test_it.py", "FAL5")) == [(5, "FAL501")]


def test_import_inside_the_function_resolves() -> None:
    source = """\
    async def f():
        import requests as r
        r.get("https://example.com")
    """
    assert line_codes(check_snippet(source, SERVICE, "FAL5")) == [(3, "FAL501")]


def test_global_reported_once_per_statement() -> None:
    source = """\
    a = 0
    b = 0

    async def f():
        global a, b
        a = 1
        b = 2
    """
    assert line_codes(check_snippet(source, SERVICE, "FAL5")) == [(5, "FAL504")]


def test_session_created_at_module_level_and_in_a_class_body() -> None:
    source = """\
    from app.db import SessionLocal

    session = SessionLocal()

    class Repo:
        db = SessionLocal()
    """
    path = "app/repositories/user_repository.py"
    assert line_codes(check_snippet(source, path, "FAL5")) == [(3, "FAL505"), (6, "FAL505")]
    assert check_snippet(source, "app/api/deps.py", "FAL5") == []
    assert check_snippet(source, "app/db/session.py", "FAL5") == []


ODD_PROGRAMS = [
    "global x\n",
    "async def f():\n    global x\n",
    "async def f():\n    global x\n    del x\n    for x in []: pass\n",
    "x = []\nasync def f():\n    x[0][1][2] = 1\n    (x)[0] = 1\n    [x[0], *x[1:]] = 1, 2\n",
    "x = {}\nasync def f():\n    x.update\n    x.pop()\n    (lambda: x.pop())()\n",
    "async def f():\n    (yield)\n    yield\n",
    "async def f():\n    [loop.create_task(c) for c in cs]\n    loop().create_task(1)\n",
    "async def f():\n    a.b.c()()()\n    (await g())()\n    f()[0]()\n",
    "async def f():\n    async with a as (b, c), d:\n        pass\n"
    "    with a(), b() as [c]:\n        pass\n",
    "async def f():\n    match x:\n        case {'a': y}:\n            pass\n",
    "async def f(*args, **kwargs):\n    await asyncio.to_thread()\n    loop.run_in_executor()\n",
    "async def f():\n    sessionmaker()()()\n    Session.begin()\n    (SessionLocal)()\n",
    "class C:\n    x = []\n    async def f(self, *, x=[]):\n        x.append(1)\n",
    "async def f():\n    nonlocal_ = 1\n"
    "    def g():\n        nonlocal nonlocal_\n        nonlocal_ = 2\n",
    "x: list[int]\nasync def f():\n    x.append(1)\n    y: int\n",
    "from . import *\nasync def f():\n    open()\n    __import__('time').sleep(1)\n",
]


@pytest.mark.parametrize("source", ODD_PROGRAMS)
@pytest.mark.parametrize("path", ["app/services/s.py", "app/misc.py", "tests/test_x.py"])
def test_odd_programs_do_not_crash(source: str, path: str) -> None:
    check_snippet(source, path)
