"""FAL7xx behaviour that fixtures cannot express: options, messages, name logic, odd input."""

from __future__ import annotations

import ast
from typing import Mapping

import pytest

from fixtures_util import check_snippet
from flake8_fastapi_layers.config import ConfigError
from flake8_fastapi_layers.engine import parse_table
from flake8_fastapi_layers.rules.fal7.fal701 import is_secret_name, is_secret_value
from flake8_fastapi_layers.rules.fal7.fal702 import string_build
from flake8_fastapi_layers.rules.fal7.fal703 import is_wildcard_regex

SERVICE = "app/services/user_service.py"
ROUTER = "app/routers/users.py"
CONFIG = "app/core/config.py"
TEST = "tests/test_users.py"
PLAIN = "app/utils/helpers.py"


# -- FAL701 names and values ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "SECRET_KEY",
        "secret_key",
        "SECRETKEY",
        "jwt_secret",
        "dbPassword",
        "DB_PASSWD",
        "api_key",
        "apiKey",
        "OPENAI_APIKEY",
        "privateKey",
        "aws_access_key_id",
        "refresh_token",
        "accessToken",
        "client_secret",
        "password_hash",
        "X-Api-Token",
    ],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "token_url",
        "tokenUrl",
        "TOKEN_TYPE",
        "token_type",
        "password_field",
        "SECRET_KEY_ENV",
        "ACCESS_TOKEN_EXPIRE_MINUTES",
        "token_expires_in",
        "password_min_length",
        "PASSWORD_RESET_TEMPLATE",
        "TOKEN_ENDPOINT",
        "api_key_header",
        "api_key_name",
        "COOKIE_NAME_JWT_TOKEN",
        "max_tokens",
        "tokenizer",
        "secretary",
        "username",
        "key",
    ],
)
def test_descriptive_names(name: str) -> None:
    assert not is_secret_name(name)


def test_extra_fragments() -> None:
    assert not is_secret_name("credential")
    assert is_secret_name("credential", ("credential",))


@pytest.mark.parametrize(
    "value", ["changeme", "s3cr3t", "your-secret-key-here", "admin", "Bearer sk-abc123", "CHANGE_ME"]
)
def test_secret_values(value: str) -> None:
    assert is_secret_value(value, "SECRET_KEY")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "***",
        "N/A",
        "true",
        "bearer",
        "Invalid token",
        "Could not validate credentials",
        "OPENAI_API_KEY",
        "PGPASSWORD",
        "oauth.client_secret",
    ],
)
def test_values_that_cannot_be_secrets(value: str) -> None:
    assert not is_secret_value(value, "SECRET_KEY")


def test_name_spelled_as_a_label() -> None:
    assert not is_secret_value("UserApiKey", "_USER_API_KEY")
    # a one-word echo is a classic default password
    assert is_secret_value("password", "password")


def test_fal701_not_in_tests() -> None:
    assert check_snippet('SECRET_KEY = "x"\n', TEST, "FAL701") == []
    assert len(check_snippet('SECRET_KEY = "x"\n', PLAIN, "FAL701")) == 1


def test_fal701_reports_the_literal_line_and_the_name() -> None:
    source = """\
    class Settings:
        secret_key: str = (
            "changeme"
        )
    """
    (finding,) = check_snippet(source, CONFIG, "FAL701")
    assert finding.line == 3
    assert "'secret_key'" in finding.message


def test_fal701_lambda_default() -> None:
    assert len(check_snippet('f = lambda password="x": password\n', PLAIN, "FAL701")) == 1


def test_fal701_extra_names_option() -> None:
    source = 'smtp_credential = "hunter2"\n'
    assert check_snippet(source, PLAIN, "FAL701") == []
    table = {"FAL701": {"extra-names": ["Credential"]}}
    assert len(check_snippet(source, PLAIN, "FAL701", table)) == 1


@pytest.mark.parametrize("allowed", ["demo_password", "DEMO_PASSWORD", "demo_*", "*_PASSWORD"])
def test_fal701_allowed_names_option(allowed: str) -> None:
    source = 'DEMO_PASSWORD = "demo"\nADMIN_PASSWORD = "admin"\n'
    assert len(check_snippet(source, PLAIN, "FAL701")) == 2
    found = check_snippet(source, PLAIN, "FAL701", {"FAL701": {"allowed-names": [allowed]}})
    lines = {f.line for f in found}
    assert 1 not in lines
    assert lines == (set() if allowed == "*_PASSWORD" else {2})


# -- FAL702 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "how"),
    [
        ('f"SELECT {x}"', "an f-string"),
        ('"SELECT %s" % x', "%-formatting"),
        ('"SELECT %s %s" % (x, 1)', "%-formatting"),
        ('"SELECT {}".format(x)', ".format()"),
        ('"SELECT " + x', "+ concatenation"),
        ('x + " WHERE id = 1"', "+ concatenation"),
        ('"a" + "b" + x', "+ concatenation"),
        ('"SELECT %s" % "t" + x', "+ concatenation"),
    ],
)
def test_string_builds(expr: str, how: str) -> None:
    assert string_build(ast.parse(expr, mode="eval").body) == how


@pytest.mark.parametrize(
    "expr",
    [
        '"SELECT 1"',
        'f"SELECT 1"',
        'f"PRAGMA cache_size={CACHE_SIZE}"',
        '"SELECT %s" % "users"',
        '"SELECT {}".format(TABLE)',
        '"SELECT " + "1"',
        "a + b",
        "x % 2",
        "2 % x",
        "select(User)",
    ],
)
def test_constant_or_unknown_strings(expr: str) -> None:
    assert string_build(ast.parse(expr, mode="eval").body) is None


def test_fal702_message_names_the_call() -> None:
    source = """\
    from sqlalchemy import text

    async def f(db, x):
        await db.execute(f"DELETE FROM t WHERE id = {x}")
        await db.execute(text("SELECT " + x))
    """
    first, second = check_snippet(source, PLAIN, "FAL702")
    assert "an f-string passed to db.execute()" in first.message
    assert "+ concatenation passed to text()" in second.message


def test_fal702_tracking_is_per_function() -> None:
    source = """\
    from sqlalchemy import text

    query = "SELECT 1"

    def build(x):
        query = f"SELECT {x}"
        return query

    def run(db):
        return db.execute(text(query))
    """
    assert check_snippet(source, PLAIN, "FAL702") == []


# -- FAL703 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", [".*", "^.*$", ".+", "^.+$", "(.*)", ".*?", "https?://.*", "^https://.*$"]
)
def test_wildcard_regexes(pattern: str) -> None:
    assert is_wildcard_regex(pattern)


@pytest.mark.parametrize(
    "pattern", [r"https://.*\.example\.com", r"^https://(app|admin)\.example\.com$", "http://localhost:.*"]
)
def test_allowlist_regexes(pattern: str) -> None:
    assert not is_wildcard_regex(pattern)


def test_fal703_kwargs_and_unresolved_are_not_guessed() -> None:
    source = """\
    from fastapi.middleware.cors import CORSMiddleware

    def setup(app, CORS, options):
        app.add_middleware(CORSMiddleware, **options)
        app.add_middleware(CORS, allow_origins=["*"])
    """
    assert check_snippet(source, PLAIN, "FAL703") == []


# -- FAL704 safe-exceptions ---------------------------------------------------------

HANDLERS = """\
from fastapi import HTTPException
from app.exceptions import NotFoundError, ConflictError

async def get(service):
    try:
        return await service.get()
    except NotFoundError as e:
        raise HTTPException(404, detail=str(e))
    except (NotFoundError, ConflictError) as e:
        raise HTTPException(409, detail=str(e))
    except ValueError as e:
        raise HTTPException(400, detail=str(e))
"""


def test_fal704_flags_every_exception_by_default() -> None:
    assert [f.line for f in check_snippet(HANDLERS, ROUTER, "FAL704")] == [8, 10, 12]


@pytest.mark.parametrize("entry", ["NotFoundError", "app.exceptions.NotFoundError"])
def test_fal704_safe_exceptions_option(entry: str) -> None:
    table = {"FAL704": {"safe-exceptions": [entry]}}
    # the tuple still holds an unsafe class
    assert [f.line for f in check_snippet(HANDLERS, ROUTER, "FAL704", table)] == [10, 12]


def test_fal704_safe_exceptions_cover_handlers() -> None:
    source = """\
    from fastapi.responses import JSONResponse

    @app.exception_handler(DomainError)
    async def domain(request, exc):
        return JSONResponse(status_code=400, content={"detail": str(exc)})

    async def typed(request, exc: DomainError):
        return JSONResponse(status_code=400, content={"detail": str(exc)})
    """
    assert [f.line for f in check_snippet(source, PLAIN, "FAL704")] == [5, 8]
    table = {"FAL704": {"safe-exceptions": ["DomainError"]}}
    assert check_snippet(source, PLAIN, "FAL704", table) == []


def test_fal704_inner_binding_wins() -> None:
    source = """\
    from fastapi import HTTPException

    def f():
        try:
            pass
        except ValueError as e:
            try:
                pass
            except HTTPException as e:
                raise HTTPException(400, detail=str(e))
            raise HTTPException(400, detail=str(e))
    """
    assert [f.line for f in check_snippet(source, PLAIN, "FAL704")] == [11]


def test_fal704_message() -> None:
    table = {"FAL704": {"safe-exceptions": ["NotFoundError", "ConflictError"]}}
    (finding,) = check_snippet(HANDLERS, ROUTER, "FAL704", table)
    assert "str(e)" in finding.message and "HTTPException detail" in finding.message


# -- FAL705 -------------------------------------------------------------------------


def test_fal705_layers() -> None:
    source = 'import os\nX = os.getenv("X")\n'
    assert check_snippet(source, CONFIG, "FAL705") == []
    assert check_snippet(source, TEST, "FAL705") == []
    assert check_snippet(source, "alembic/versions/0001_init.py", "FAL705") == []
    (finding,) = check_snippet(source, SERVICE, "FAL705")
    assert finding.message.startswith("FAL705 service module reads the environment ('os.getenv(...)')")
    (finding,) = check_snippet(source, PLAIN, "FAL705")
    assert "module outside the config layer" in finding.message


def test_fal705_follows_configured_config_layer() -> None:
    source = 'import os\nX = os.getenv("X")\n'
    table = {"extend-layers": {"config": ["env.py"]}}
    assert check_snippet(source, "app/env.py", "FAL705", table) == []
    assert len(check_snippet(source, "app/env.py", "FAL705")) == 1


# -- configuration and robustness ---------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"FAL701": {"extra-names": "token"}}, "FAL701.extra-names"),
        ({"FAL701": {"allowed": ["x"]}}, "FAL701.allowed"),
        ({"FAL704": {"safe-exceptions": [1]}}, "FAL704.safe-exceptions"),
        ({"FAL703": {"anything": True}}, "FAL703.anything"),
    ],
)
def test_bad_options_are_config_errors(table: Mapping[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_table(table, "pyproject.toml")
    assert key in str(info.value)


def test_disabling_one_code_keeps_the_others() -> None:
    source = 'import os\nSECRET_KEY = os.getenv("SECRET_KEY", "dev")\n'
    found = check_snippet(source, PLAIN, "FAL7", {"disable": ["FAL705"]})
    assert [f.code for f in found] == ["FAL701"]


ODD = """\
import os
from os import environ
from sqlalchemy import text
from fastapi import HTTPException
from fastapi.responses import JSONResponse
from fastapi.middleware.cors import CORSMiddleware

text()
text(text=f"{x}")
x.execute()
x.execute(statement=f"{x}")
HTTPException()
JSONResponse()
CORSMiddleware()
CORSMiddleware(allow_origins=[*origins, "*"], allow_origin_regex=None)
os.environ.get
os.getenv
del environ["X"]
environ["X"] += "y"
{**defaults, "password": "x"}
{None: 1}
(a, b), password = ("x", "y"), "z"
password: str
self.password: str = "p"
obj[0] = "p"
obj[password] = "p"
f = lambda *, token="t": token
async def g(request, exc: "SQLAlchemyError", *args: "Exception", **kw):
    return JSONResponse({"detail": f"{exc!r}"})
try:
    pass
except ValueError as eg:
    raise HTTPException(400, detail=str(eg))
"""


def test_odd_input_does_not_crash() -> None:
    codes = sorted(f.code for f in check_snippet(ODD, PLAIN, "FAL7"))
    assert "FAL701" in codes and "FAL702" in codes and "FAL703" in codes and "FAL704" in codes
