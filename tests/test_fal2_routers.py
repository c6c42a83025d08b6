"""FAL2xx: options and what the fixture trees cannot express."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from flake8_fastapi_layers.rules import CATALOGUE
from fixtures_util import check_snippet
from flake8_fastapi_layers.checker import Finding
from flake8_fastapi_layers.config import ConfigError
from flake8_fastapi_layers.engine import parse_table
from flake8_fastapi_layers.rules.fal2.fal203 import sql_statement
from flake8_fastapi_layers.rules.fal2.fal207 import status_constant

CODES = [f"FAL20{n}" for n in range(1, 9)]
ROUTER = "app/routers/orders.py"


def lines(findings: list[Finding]) -> list[int]:
    return [f.line for f in findings]


# -- the catalogue ------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_docs_complete(code: str) -> None:
    rule = CATALOGUE[code]
    for field in ("message", "summary", "rationale", "fix", "bad", "good", "reported_on"):
        assert getattr(rule, field).strip(), f"{code}.{field} is empty"
    assert rule.limits.strip(), f"{code} documents no decisions in limits"


def test_fal208_is_off_by_default() -> None:
    catalogue = CATALOGUE
    assert catalogue["FAL208"].default_on is False
    assert "FAL208" in catalogue.default_off()
    assert all(catalogue[c].default_on for c in CODES if c != "FAL208")


# -- FAL202 ---------------------------------------------------------------------------


def test_fal202_one_finding_per_statement() -> None:
    found = check_snippet(
        """
        from sqlalchemy import select
        @router.get("/")
        async def h(db) -> None:
            await db.execute(select(User).where(User.id == 1))
            await db.scalars(select(User).limit(1).offset(2))
            q = select(User)
        """,
        ROUTER,
        "FAL202",
    )
    fix = " (data access); move it into a repository and call a service"
    assert [(f.line, f.col, f.message) for f in found] == [
        (5, 10, "FAL202 route handler 'h' calls db.execute()" + fix),
        (6, 10, "FAL202 route handler 'h' calls db.scalars()" + fix),
        (7, 8, "FAL202 route handler 'h' builds select()" + fix),
    ]


def test_fal202_reported_in_any_module() -> None:
    source = """
    @app.get("/")
    async def h(session) -> None:
        await session.commit()
    """
    assert lines(check_snippet(source, "app/main.py", "FAL202")) == [4]
    assert lines(check_snippet(source, "scripts/tool.py", "FAL202")) == [4]


# -- FAL203 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM users",
        "select id, name from users where id = :id",
        "\n    SELECT u.id\n    FROM public.users AS u\n",
        "SELECT count(*) FROM (SELECT 1 FROM t) AS s",
        'SELECT * FROM "order"',
        "INSERT INTO users (id) VALUES (1)",
        "INSERT OR REPLACE INTO kv VALUES (?, ?)",
        "UPDATE users SET name = :name",
        "UPDATE users u SET name = :name",
        "DELETE FROM users WHERE id = %s",
        "WITH recent AS (SELECT 1)",
        "WITH RECURSIVE tree(id, parent) AS (SELECT 1)",
        "-- a comment\nSELECT id FROM users",
        "SELECT * FROM {table}",
        "DELETE FROM %(table)s",
    ],
)
def test_sql_shapes(text: str) -> None:
    assert sql_statement(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "Delete user from the team",
        "Select from the list",
        "Select items from the list below",
        "Update your settings from the menu",
        "Insert the card into the reader",
        "insert coins into the machine",
        "With regards as (always) the team",
        "select the best plan",
        "SELECT 1",
        "SELECT now()",
        "Selected from the catalogue",
        "delete the report from the dashboard",
        "update the team",
        "",
        "SELECT",
    ],
)
def test_prose_is_not_sql(text: str) -> None:
    assert sql_statement(text) is None


def test_fal203_triple_quoted_reported_on_first_line() -> None:
    source = '''
    from sqlalchemy import text

    QUERY = """
        SELECT id
        FROM users
    """
    async def f(db) -> None:
        await db.execute(text(f"""
            UPDATE {table}
            SET seen = true
        """))
    '''
    assert lines(check_snippet(source, "app/services/user_service.py", "FAL203")) == [4, 9]


@pytest.mark.parametrize(
    "relpath",
    ["app/repositories/user_repository.py", "app/models/user.py", "alembic/versions/x.py"],
)
def test_fal203_only_routers_and_services(relpath: str) -> None:
    assert check_snippet('Q = "SELECT * FROM users"\n', relpath, "FAL203") == []


def test_fal203_message_names_the_statement() -> None:
    [finding] = check_snippet('Q = f"SELECT * FROM {t} WHERE x"\n', ROUTER, "FAL203")
    assert "'SELECT … FROM {…}'" in finding.message
    assert "router module" in finding.message


# -- FAL205 ---------------------------------------------------------------------------

HANDLER_WITH_3 = """
@router.get("/")
async def h(x: int) -> int:
    if x:
        pass
    for _ in range(x):
        pass
    with open("f"):
        pass
    return x
"""


@pytest.mark.parametrize(("maximum", "expected"), [(0, [3]), (2, [3]), (3, []), (10, [])])
def test_fal205_threshold(maximum: int, expected: list[int]) -> None:
    config = parse_table({"FAL205": {"max-control-flow": maximum}})
    assert lines(check_snippet(HANDLER_WITH_3, ROUTER, "FAL205", config)) == expected


def test_fal205_message() -> None:
    [finding] = check_snippet(HANDLER_WITH_3, ROUTER, "FAL205")
    assert finding.message == (
        "FAL205 route handler 'h' has 3 control-flow statements (max 2); "
        "move the business logic into a service"
    )


@pytest.mark.parametrize("value", [-1, "3", True, 2.5])
def test_fal205_bad_option(value: Any) -> None:
    with pytest.raises(ConfigError, match="FAL205.max-control-flow"):
        parse_table({"FAL205": {"max-control-flow": value}})


def test_fal205_pyproject_option(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.fastapi-layers.FAL205]\nmax-control-flow = 3\n", encoding="utf-8"
    )
    router = tmp_path / "app" / "routers" / "orders.py"
    router.parent.mkdir(parents=True)
    router.write_text(textwrap.dedent(HANDLER_WITH_3), encoding="utf-8")
    from flake8_fastapi_layers.engine import check_path

    assert [f for f in check_path(router) if f.code == "FAL205"] == []


# -- FAL207 ---------------------------------------------------------------------------


def test_status_constant() -> None:
    assert status_constant(404) == "status.HTTP_404_NOT_FOUND (fastapi.status)"
    assert status_constant(422) == "status.HTTP_422_UNPROCESSABLE_ENTITY (fastapi.status)"
    assert status_constant(499) == "a named constant"


def test_fal207_reported_on_the_integer_column() -> None:
    [finding] = check_snippet(
        "from fastapi import HTTPException\nraise HTTPException(status_code=404)\n",
        ROUTER,
        "FAL207",
    )
    assert (finding.line, finding.col) == (2, 32)


@pytest.mark.parametrize("relpath", ["tests/test_api.py", "app/tests/test_x.py", "conftest.py"])
def test_fal207_not_in_tests(relpath: str) -> None:
    source = "from fastapi import HTTPException\nraise HTTPException(404)\n"
    assert check_snippet(source, relpath, "FAL207") == []


# -- FAL208 ---------------------------------------------------------------------------

AUTH_SOURCE = """
from fastapi import APIRouter, Depends
from app.deps import require_user, Principal

router = APIRouter(prefix="/api")

@router.get("/health")
async def health() -> None: ...

@router.get("/items")
async def items(user=Depends(require_user)) -> None: ...

@router.get("/things")
async def things(user: Principal) -> None: ...

@router.get("/status/live")
async def live() -> None: ...
"""


def test_fal208_defaults() -> None:
    found = check_snippet(AUTH_SOURCE, ROUTER, "FAL208")
    assert lines(found) == [8, 11, 14, 17]
    assert "add Depends(get_current_user)" in found[0].message
    assert "(GET /health)" in found[0].message


def test_fal208_options() -> None:
    config = parse_table(
        {
            "FAL208": {
                "auth-dependencies": ["require_user"],
                "auth-annotations": ["Principal"],
                "public-paths": ["/health", "/api/status/*"],
            }
        }
    )
    found = check_snippet(AUTH_SOURCE, ROUTER, "FAL208", config)
    assert found == []


def test_fal208_dotted_dependency_names() -> None:
    source = """
    from fastapi import Depends
    from app import security

    @router.get("/a")
    async def a(user=Depends(security.current_user)) -> None: ...

    @router.get("/b")
    async def b(user=Depends(current_user)) -> None: ...
    """
    config = parse_table({"FAL208": {"auth-dependencies": ["app.security.current_user"]}})
    assert lines(check_snippet(source, ROUTER, "FAL208", config)) == [9]


ROUTES = """
from fastapi import APIRouter

router = APIRouter()

@router.get("/items")
async def items() -> None: ...
"""


def _project(tmp_path: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = tmp_path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_fal208_include_sites_skip_unparsable_files(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/main.py": """
            from fastapi import Depends, FastAPI
            from app.routers import orders
            app = FastAPI()
            app.include_router(orders.router, dependencies=[Depends(get_current_user)])
            """,
            "app/broken.py": "app.include_router(\n",
        },
    )
    assert check_snippet(ROUTES, ROUTER, "FAL208", root=tmp_path) == []


def test_fal208_include_sites_in_installed_packages_do_not_count(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "env/lib/python3.11/site-packages/other/main.py": """
            from fastapi import Depends, FastAPI
            from app.routers import orders
            app = FastAPI()
            app.include_router(orders.router, dependencies=[Depends(get_current_user)])
            """,
        },
    )
    assert lines(check_snippet(ROUTES, ROUTER, "FAL208", root=tmp_path)) == [7]


def test_fal208_include_cycle_gives_no_auth(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "app/main.py": """
            from fastapi import APIRouter
            from app.routers.orders import router
            a = APIRouter()
            b = APIRouter()
            a.include_router(b)
            b.include_router(a)
            a.include_router(router)
            """,
        },
    )
    assert lines(check_snippet(ROUTES, ROUTER, "FAL208", root=tmp_path)) == [7]


def test_fal208_routes_in_a_router_factory() -> None:
    source = """
    from fastapi import APIRouter, Depends

    def create_router(auth: bool) -> APIRouter:
        deps = []
        deps += [Depends(get_current_user)] if auth else []
        router = APIRouter(dependencies=deps)

        @router.get("/a")
        async def a() -> None: ...

        open_router = APIRouter()

        @open_router.get("/b")
        async def b() -> None: ...

        return router
    """
    assert lines(check_snippet(source, ROUTER, "FAL208")) == [15]


def test_fal208_disabled_is_silent() -> None:
    config = parse_table({"disable": ["FAL208"]})
    assert check_snippet(AUTH_SOURCE, ROUTER, "FAL208", config) == []


@pytest.mark.parametrize(
    "option", ["auth-dependencies", "auth-annotations", "public-paths"]
)
def test_fal208_bad_option(option: str) -> None:
    with pytest.raises(ConfigError, match=f"FAL208.{option}"):
        parse_table({"FAL208": {option: "get_current_user"}})


# -- robustness -------------------------------------------------------------------------

ODD_SOURCES = [
    "@router.get()\ndef f(): pass\n",
    "@router.get(path=p, status_code=s)\ndef f(): pass\n",
    "@router.get('/', status_code=True)\nasync def f(): pass\n",
    "@router.get('/')\nasync def f(x: 'Annotated[int, Depends(', y: 'a\\x00b' = Depends()): pass\n",
    "@router.get('/')\nasync def f(*args, **kwargs): return lambda: db.get(1)\n",
    "@router.get(*paths)\nasync def f(): pass\n",
    "from fastapi import HTTPException\nHTTPException(*a)\nHTTPException(**k)\n",
    "from fastapi.responses import JSONResponse\nJSONResponse()\nJSONResponse(*a, 500)\n",
    "from pydantic import BaseModel\nclass A(BaseModel[int], metaclass=M, table=1): pass\n",
    "class A(*bases): pass\n",
    "X = Annotated\nY: Annotated[int, Depends()]\ntype Z = int\n",
    "router = APIRouter(dependencies=deps, prefix=p)\n@router.get('/')\nasync def f(): pass\n",
    "@router.get('/')\nasync def f():\n    try:\n        pass\n    finally:\n        pass\n",
    "@router.get('/')\nasync def f():\n    if x: raise\n    match x:\n        case 1: pass\n",
    "Q = f'{x!r:>{w}}SELECT * FROM t'\nR = 'SELECT * FROM ' + 'SELECT * FROM '\n",
    "@router.get('/')\nasync def f():\n    async with a as (session, b):\n        session = None\n",
]


@pytest.mark.parametrize("source", ODD_SOURCES)
@pytest.mark.parametrize("relpath", ["app/routers/x.py", "app/services/x_service.py"])
def test_odd_input_does_not_crash(source: str, relpath: str) -> None:
    try:
        compile(source, "x.py", "exec", dont_inherit=True)
    except SyntaxError:
        pytest.skip("not valid on this Python version")
    check_snippet(source, relpath)
