"""FAL3xx/FAL4xx behaviour that fixtures cannot express: options, messages, odd input."""

from __future__ import annotations

import ast

import pytest

from fixtures_util import check_snippet
from flake8_fastapi_layers.checker import Context, walk
from flake8_fastapi_layers.config import ConfigError
from flake8_fastapi_layers.engine import DEFAULT_OFF, check_source, parse_table
from flake8_fastapi_layers.layers import module_info
from flake8_fastapi_layers.rules import CATALOGUE, fal3, fal4

SERVICE = "app/services/post_service.py"
REPOSITORY = "app/repositories/post_repository.py"


def service_class(methods: int) -> str:
    body = "".join(f"    def op_{i}(self) -> None: ...\n" for i in range(methods))
    return "class PostService:\n" + body


# -- FAL304 max-public-methods --------------------------------------------------


def test_fal304_default_threshold_is_20() -> None:
    assert check_snippet(service_class(20), SERVICE, "FAL304") == []
    (finding,) = check_snippet(service_class(21), SERVICE, "FAL304")
    assert finding.line == 1
    assert "'PostService' has 21 public methods (max 20)" in finding.message


def test_fal304_threshold_is_configurable() -> None:
    table = {"FAL304": {"max-public-methods": 5}}
    assert check_snippet(service_class(5), SERVICE, "FAL304", table) == []
    (finding,) = check_snippet(service_class(6), SERVICE, "FAL304", table)
    assert "(max 5)" in finding.message
    loose = {"FAL304": {"max-public-methods": 40}}
    assert check_snippet(service_class(30), SERVICE, "FAL304", loose) == []


@pytest.mark.parametrize("bad", [0, -1, "20", True, 2.5])
def test_fal304_bad_threshold_is_a_config_error(bad: object) -> None:
    with pytest.raises(ConfigError, match="FAL304.max-public-methods"):
        parse_table({"FAL304": {"max-public-methods": bad}})


def test_fal304_can_be_disabled() -> None:
    assert check_snippet(service_class(30), SERVICE, "FAL304", {"disable": ["FAL304"]}) == []


def test_fal304_only_in_services() -> None:
    assert check_snippet(service_class(30), REPOSITORY, "FAL304") == []


# -- reporting once, messages ---------------------------------------------------


def test_fal301_raise_of_a_call_is_reported_once_on_the_raise() -> None:
    source = """\
        from fastapi import HTTPException
        def f() -> None:
            raise HTTPException(404)
        """
    (finding,) = check_snippet(source, SERVICE, "FAL301")
    assert (finding.line, finding.col) == (3, 4)
    assert finding.message.startswith("FAL301 service raises HTTP exception 'HTTPException'")


def test_fal301_messages_name_aliases_and_subclasses() -> None:
    source = """\
        from fastapi import HTTPException as HE
        class NotFound(HE):
            pass
        def f() -> None:
            raise HE(400)
        def g() -> None:
            raise NotFound(404)
        """
    first, second = check_snippet(source, "app/domain/user.py", "FAL301")
    assert "domain raises HTTP exception 'HE' (fastapi.HTTPException)" in first.message
    assert "'NotFound' (a subclass of 'HTTPException')" in second.message


def test_fal303_builder_inside_session_call_is_reported_once() -> None:
    source = """\
        from sqlalchemy import select
        async def f(session) -> None:
            await session.execute(select(User).where(User.id == 1).limit(1))
        """
    (finding,) = check_snippet(source, SERVICE, "FAL303")
    assert "'session.execute(...)'" in finding.message


def test_fal401_message_names_the_offending_part() -> None:
    source = """\
        from typing import Any
        class Repo:
            def get(self) -> list[dict[str, Any]] | None: ...
        """
    (finding,) = check_snippet(source, REPOSITORY, "FAL401")
    assert "repository method 'Repo.get' returns raw data 'dict[str, Any]'" in finding.message


def test_fal402_not_in_migrations() -> None:
    source = "def upgrade(session) -> None:\n    session.query(User).all()\n"
    assert check_snippet(source, "alembic/versions/0001_x.py", "FAL402") == []
    assert len(check_snippet(source, "scripts/backfill.py", "FAL402")) == 1


def test_fal403_names_the_layer() -> None:
    source = """\
        from sqlalchemy.exc import IntegrityError
        try:
            pass
        except IntegrityError:
            pass
        """
    (finding,) = check_snippet(source, "app/routers/users.py", "FAL403")
    assert finding.message.startswith("FAL403 router handles database error 'IntegrityError'")
    assert check_snippet(source, REPOSITORY, "FAL403") == []


def fal3_findings(source: str, table: dict[str, object]) -> list[tuple[int, int, str]]:
    """(line, col, message) of the FAL3xx findings of ``source`` as a service module."""
    found = check_source(source, SERVICE, config=parse_table(table), root=".", selected=DEFAULT_OFF)
    return [(f.line, f.col, f.message) for f in found if f.code.startswith("FAL3")]


BOTH = """\
from fastapi.responses import JSONResponse
from sqlalchemy import select, text
select = JSONResponse
async def f(session):
    await session.execute(select(User).where(x))
    await session.execute(text(select(x)))
    await session.scalars(sa.text("x"), select(2))
    return select(1), text("y")
"""
QUERY = (
    "FAL303 service runs a query with 'session.{}(...)'; "
    "move the query into a repository method"
)
RESPONSE = (
    "FAL302 service constructs HTTP response 'select' (fastapi.responses.JSONResponse); "
    "return data and let the router build the response"
)
BUILDER = (
    "FAL303 service builds a SQL query with 'text(...)'; "
    "move the query into a repository method"
)


@pytest.mark.parametrize(
    "table, expected",
    [
        (
            {},
            [
                (5, 10, QUERY.format("execute")),
                (6, 10, QUERY.format("execute")),
                (6, 31, RESPONSE),
                (7, 10, QUERY.format("scalars")),
                (8, 11, RESPONSE),
                (8, 22, BUILDER),
            ],
        ),
        ({"disable": ["FAL303"]}, [(6, 31, RESPONSE), (8, 11, RESPONSE)]),
        (
            {"disable": ["FAL302"]},
            [
                (5, 10, QUERY.format("execute")),
                (6, 10, QUERY.format("execute")),
                (7, 10, QUERY.format("scalars")),
                (8, 22, BUILDER),
            ],
        ),
    ],
)
def test_fal302_fal303_name_that_is_both_a_builder_and_a_response(
    table: dict[str, object], expected: list[tuple[int, int, str]]
) -> None:
    """``select`` imported from SQLAlchemy and rebound to a response class: the
    response wins (never a builder finding), except for a statement passed
    straight to a session query, which the session call covers (whether or not
    FAL303 is on)."""
    assert fal3_findings(BOTH, table) == expected


# -- odd input never raises -------------------------------------------------------

ODD = [
    "raise\n",
    "try:\n    pass\nexcept:\n    pass\n",
    "try:\n    pass\nexcept (lambda: IntegrityError)():\n    pass\n",
    "def f() -> 1: ...\n",
    "def f() -> [int]: ...\n",
    "def f() -> 'not valid python (': ...\n",
    "def f() -> '': ...\n",
    "def f() -> dict[()]: ...\n",
    "def f() -> tuple[()]: ...\n",
    "def f() -> typing.Annotated: ...\nimport typing\n",
    "import typing\ndef f() -> typing.Annotated[()]: ...\n",
    "def f() -> Optional[dict[int, 'User' | None]]: ...\nfrom typing import Optional\n",
    "def f() -> dict[int, '']: ...\n",
    "def f() -> dict[int, None | None]: ...\n",
    "def f() -> " + "list[" * 60 + "dict" + "]" * 60 + ": ...\n",
    "x = (lambda: HTTPException)()\nraise x()(1)\n",
    "from fastapi import HTTPException\nraise HTTPException()()\n",
    "from fastapi import HTTPException\n[HTTPException][0](1)\n",
    "class A(object, metaclass=type): pass\nclass B(A[int]): pass\n",
    "class C(*bases): pass\n",
    "HTTPException = HTTPException\nraise HTTPException\n",
    "from fastapi import HTTPException\nclass A(B): pass\nclass B(A): pass\nraise A()\n",
    "(a.b)().query(User)\nsession.query()\n",
    "async def f():\n    async with session.begin():\n        await session.execute(text)\n",
]


@pytest.mark.parametrize("source", ODD)
@pytest.mark.parametrize(
    "path", [SERVICE, REPOSITORY, "app/routers/x.py", "app/domain/x.py", "x.py"]
)
def test_odd_input_does_not_raise(source: str, path: str) -> None:
    """Only FAL3/FAL4 families run, whatever the layer (other families have their own tests)."""
    config = parse_table({})
    info = module_info(path, config.layer_map, config.first_party, ".")
    ctx = Context(ast.parse(source), info, config, source.splitlines(keepends=True), CATALOGUE.rules)
    families = [*fal3.CHECKERS, *fal4.CHECKERS]
    walk(ctx, [family(ctx) for family in families])
