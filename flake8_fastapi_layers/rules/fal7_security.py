"""FAL7xx: security and configuration, in every module (RULES.md §8).

Five independent checks, one small :class:`Checker` each:

* FAL701 hardcoded secrets (literal assigned to a secret-named target),
* FAL702 SQL built from strings (f-string, ``%``, ``.format``, ``+``),
* FAL703 CORS wildcard origins,
* FAL704 exception details sent to the client,
* FAL705 environment reads outside the config layer.

All names of library objects are resolved through the module's imports
(RULES.md §12); secret *names* are matched as text, which is what the rule is
about.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import re
from dataclasses import dataclass
from typing import Iterator

from ..analysis import (
    HTTP_EXCEPTIONS,
    RESPONSE_CLASSES,
    annotation_names,
    last_name,
    parse_string_annotation,
    sql_builder,
)
from ..catalogue import EVERY_MODULE, Rule, Scope, option
from ..checker import Checker, Context
from ..names import dotted

# ---------------------------------------------------------------------------
# the catalogue
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SecretOptions:
    """``[tool.fastapi-layers.FAL701]``"""

    extra_names: tuple[str, ...] = option(
        (),
        "More name fragments that mark a secret, matched like the built-in "
        'ones (case-insensitive substrings), e.g. `["credential", "pwd"]`.',
    )
    allowed_names: tuple[str, ...] = option(
        (),
        "Names never reported, exact or as globs, case-insensitive, e.g. "
        '`["DEMO_PASSWORD", "*_token_cookie"]`.',
    )


@dataclass(frozen=True)
class LeakOptions:
    """``[tool.fastapi-layers.FAL704]``"""

    safe_exceptions: tuple[str, ...] = option(
        (),
        "Exception classes whose messages are written for clients, as "
        'class names or dotted paths, e.g. `["NotFoundError", '
        '"app.exceptions.DomainError"]`; their `str(exc)` is not reported.',
    )


RULES: tuple[Rule, ...] = (
    Rule(
        code="FAL701",
        name="hardcoded-secret",
        message="hardcoded secret in '{name}'; read it from settings "
        "(a BaseSettings field without a default) or the environment",
        summary="A non-empty string literal is assigned to, or is the default of, a "
        "name, attribute, keyword argument, parameter, class field or dict key whose "
        "name contains `secret`, `password`, `passwd`, `token`, `api_key`, `apikey`, "
        "`private_key` or `access_key` (case-insensitive).",
        rationale="Secrets come from the environment through pydantic-settings and are "
        "never hardcoded (guidelines 000 §5, 001 'Configuration and Secrets', 002 "
        "'Security'). A literal in the code is in every clone, log of the repository "
        "and built image; a placeholder such as `\"changeme\"` is a default secret "
        "that ships to production the day someone forgets to set the variable.",
        fix="Declare the field without a default in the settings class "
        "(`secret_key: SecretStr`) so a missing value fails at start-up, and read it "
        "from `settings` where it is needed.",
        bad="""\
# app/core/config.py
from __future__ import annotations

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    secret_key: str = "changeme"
""",
        good="""\
# app/core/config.py
from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    secret_key: SecretStr
""",
        scope=Scope(except_layers=frozenset({"test"})),
        reported_on="the string literal",
        options=SecretOptions,
        limits="Where names meet literals: assignment targets (`x`, `self.x`, "
        "`data['x']`, tuple targets paired with a tuple value), annotated class "
        "fields, parameter defaults, keyword arguments, and string keys of dict "
        "displays (`{'password': 'admin'}` is the same hardcoded secret kept as "
        "data). The literal may be wrapped: `Field('x')`, `Field(default='x')`, "
        "`SecretStr('x')`, fastapi `Query/Header/Cookie/Form/Body('x')`, "
        "`os.getenv(k, 'x')`, `os.environ.get(k, 'x')`, `... or 'x'`, "
        "`'x' if c else ...`: a literal fallback is a default secret. "
        "Names are split into words (snake_case and camelCase: `tokenUrl` is "
        "`token_url`) and fragments match as substrings, so `SECRETKEY` and "
        "`dbPassword` count. Names that describe a secret rather than hold one are "
        "not reported: a descriptive word after the last secret word (url, uri, "
        "endpoint, path, route, field, column, type, kind, header, cookie, name, "
        "label, title, description, help, hint, placeholder, prompt, message, error, "
        "template, format, pattern, regex, length, size, min, max, count, limit, "
        "threshold, expire(s/d), expiry, ttl, lifetime, timeout, algorithm, scheme, "
        "prefix, suffix, location, source, env, var, file, dir, audience, issuer, "
        "param, mode, method, strategy, policy, version, encoding, event, topic, "
        "queue, channel, scope, provider, backend, cache, store, state, minutes, "
        "seconds ... and plurals): `token_url`, `TOKEN_TYPE`, `SECRET_KEY_ENV`, "
        "`token_expires_in`; the word `name` anywhere (`COOKIE_NAME_JWT_TOKEN`); a "
        "quantity (`max_tokens`, `num_tokens`); words that only start like a "
        "fragment (`tokenizer`, `secretary`). Values that cannot be a secret are not "
        "reported: empty or blank strings; flags, sentinels and masks (`'true'`, "
        "`'N/A'`, `'none'`, `'redacted'`, `'bearer'`, `'***'`); prose, i.e. two or "
        "more alphabetic words (`INVALID_TOKEN = 'Invalid token'`), so a passphrase "
        "with spaces or `'change me'` is missed; the name of an environment "
        "variable or a dotted config key that itself mentions a secret "
        "(`'OPENAI_API_KEY'`, `'PGPASSWORD'`, `'oauth.client_secret'`), so an "
        "upper-case placeholder such as `'YOUR_SECRET_KEY'` is missed too; the "
        "name itself spelled as a label (`_USER_API_KEY = 'UserApiKey'`). Not "
        "reported either: members of `Enum` classes (labels), API documentation "
        "examples (under an `example`/`examples`/`json_schema_extra`/`schema_extra`/"
        "`openapi_examples` key or keyword, or `model_config`), f-strings and "
        "non-literal values (`os.environ['X']`, `settings.x`), comparisons "
        "(`password == 'admin'`) and positional arguments (`jwt.encode(data, 'k')`). "
        "Lookup keys named `<token|password>_key` (`TOKEN_KEY = 'ti_token'`, the "
        "key a token is stored under) are not secrets; `secret_key` and `api_key` "
        "are. A snake_case prefix ending in `_` (`'backend_kwarg__'`) is not a "
        "secret. An API-key name (`api_key`, `OPENAI_API_KEY`, `apiKey`: a "
        "credential the code sends) holding the documented dummy key of a keyless "
        "OpenAI-compatible server (`'ollama'`, `'lm-studio'`, `'EMPTY'`, "
        "`'sk-no-key-required'`) or a value that says it is one (`'sk-placeholder'`, "
        "`'dummy'`, `'not-needed'`) is exempt in every form: a dummy credential "
        "opens nothing. A secret the application checks (`SECRET_KEY`, a password, "
        "a token) set to such a value is reported, like `'changeme'`: anyone who "
        "reads the code knows it.",
    ),
    Rule(
        code="FAL702",
        name="sql-built-from-strings",
        message="SQL built with {how} passed to {func}; "
        "bind parameters instead (text('... WHERE id = :id'), {{'id': value}})",
        summary="An f-string, `%`-formatting, `.format(...)` or `+` concatenation is "
        "the statement passed to SQLAlchemy's `text(...)`, or to `<x>.execute(...)`, "
        "`<x>.executemany(...)`, `<x>.exec_driver_sql(...)` (including alembic's "
        "`op.execute(...)`).",
        rationale="SQL must use parameterized statements (guideline 000 §5, 002 "
        "'Security'). Pasting values into the statement text opens the door to SQL "
        "injection and defeats the statement cache; bound parameters are escaped by "
        "the driver.",
        fix="Keep the statement constant and pass values as parameters: "
        "`session.execute(text('SELECT * FROM users WHERE id = :id'), {'id': user_id})`, "
        "or build it with `select()`.",
        bad="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def email_of(session: AsyncSession, user_id: int) -> str | None:
    query = text(f"SELECT email FROM users WHERE id = {user_id}")
    return await session.scalar(query)
""",
        good="""\
# app/repositories/user_repository.py
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def email_of(session: AsyncSession, user_id: int) -> str | None:
    query = text("SELECT email FROM users WHERE id = :id")
    return await session.scalar(query, {"id": user_id})
""",
        scope=EVERY_MODULE,
        reported_on="the call that receives the statement (`text(...)` or `.execute(...)`)",
        limits="Only the statement argument (the first positional one, or "
        "`statement=`/`text=`) is looked at; parameters passed beside it are the fix. "
        "An f-string without placeholders, `%`/`.format` with only literal operands "
        "and `+` of literals are constants and fine; so are placeholders that are "
        "ALL_CAPS names, constants by convention (`f'PRAGMA cache_size={CACHE_SIZE}'`, "
        "`f'DROP INDEX {INDEX_NAME}'`), since identifiers and DDL settings cannot be "
        "bound parameters, and calls of a helper named `*placeholder` with literal "
        "arguments only (`{db.timestamp_placeholder('cutoff')}` renders the bind "
        "placeholder of the database's dialect). Interpolated identifiers held in lower-case names (a "
        "table name from an inspector in a migration) are reported: check them and "
        "`# noqa: FAL702`. A local name is followed one "
        "step: `q = f'...'; db.execute(text(q))` and `q = 'SELECT ...'; q += where` "
        "are reported (the last assignment before the call, in source order, in the "
        "same function). `execute` is matched on any receiver (a cursor, a "
        "connection, a session, `op`); `text` only when it resolves to "
        "SQLAlchemy's or SQLModel's. `+` needs a string literal on one side: "
        "`a + b` of two names is not known to be a string. Not covered: "
        "`' AND '.join(...)`, asyncpg's `fetch/fetchrow/fetchval`, the `databases` "
        "package, `literal_column(...)`.",
    ),
    Rule(
        code="FAL703",
        name="cors-wildcard",
        message="CORSMiddleware allows every origin ({what}); "
        "list the allowed origins explicitly (e.g. from settings)",
        summary="`CORSMiddleware` (fastapi's or starlette's) configured with "
        "`allow_origins` containing `\"*\"`, or an `allow_origin_regex` that matches "
        "every origin (`.*`, `.+`, `^.*$`, `https?://.*`).",
        rationale="CORS origins are listed explicitly (guidelines 000 §5, 002 "
        "'Security', 003 'Security'). A wildcard lets any web page call the API from "
        "a user's browser.",
        fix="Pass the list of front-end origins, read from settings: "
        "`allow_origins=settings.cors_origins`.",
        bad="""\
# app/main.py
from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"])
""",
        good="""\
# app/main.py
from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.core.config import settings

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins)
""",
        scope=EVERY_MODULE,
        reported_on="the wildcard literal",
        limits="All three spellings are checked: `app.add_middleware(CORSMiddleware, "
        "...)`, `Middleware(CORSMiddleware, ...)` (any call whose first argument is "
        "the class) and `CORSMiddleware(app, ...)`. Both branches of a conditional "
        "(`['*'] if debug else origins`) are checked. Origins given by a name "
        "(settings) or `**kwargs` are not looked into. A regex is a wildcard when, "
        "without `^`/`$` and an optional `http(s)://` prefix, it is `.*`, `.+` (or "
        "their lazy or grouped forms); `https://.*\\.example\\.com` is an allowlist.",
    ),
    Rule(
        code="FAL704",
        name="exception-details-to-client",
        message="exception details ({what}) sent to the client in {where}; "
        "log the exception and return a fixed message",
        summary="`str(exc)`, `repr(exc)`, `f'...{exc}...'`, `'%s' % exc`, "
        "`'{}'.format(exc)`, `exc.args` or `traceback.format_exc()` of a caught "
        "exception is used in `HTTPException(detail=...)` or a response's content.",
        rationale="Internal details (stack traces, SQL, file paths, driver messages) "
        "are never exposed to clients (guidelines 000 §4, 002 'Error Handling', 003 "
        "'Error Handling'): they help attackers and leak data. Exception messages "
        "are written for developers.",
        fix="Log the exception with its context and return a message written for "
        "the client; for domain exceptions, put the client-facing message in a "
        "dedicated attribute (or list the class in `safe-exceptions`).",
        bad="""\
# app/main.py
from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

app = FastAPI()


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content={"detail": f"Unexpected error: {exc}"},
    )
""",
        good="""\
# app/main.py
from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

logger = logging.getLogger(__name__)
app = FastAPI()


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled error on %s", request.url.path, exc_info=exc)
    return JSONResponse(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content={"detail": "Internal server error"},
    )
""",
        scope=EVERY_MODULE,
        reported_on="the expression that exposes the exception",
        options=LeakOptions,
        limits="An exception is a name bound by `except ... as exc` (while in that "
        "handler), or a parameter of any function that is annotated with an "
        "exception class (a builtin exception, or a class whose name ends in "
        "`Error` or `Exception`: `exc: SQLAlchemyError`), or the exception parameter "
        "(second) of a function decorated `@<app>.exception_handler(...)`. Handlers "
        "registered with `add_exception_handler` and annotated with a class not "
        "named `...Error`/`...Exception` are not recognised. The detail is "
        "`HTTPException`'s `detail=` (or second positional argument); a response's "
        "content is `content=` (or the first positional argument) of fastapi/"
        "starlette response classes; anything nested in them counts. One local "
        "step is followed: `msg = f'failed: {exc}'` then `detail=msg`. By default "
        "every exception counts, domain exceptions included (the rule cannot tell "
        "a message written for clients from one that is not): list those in "
        "`safe-exceptions`. `HTTPException`, `WebSocketException` and "
        "`RequestValidationError` of fastapi/starlette are always safe: their "
        "messages are made for the client. A caught tuple is safe only when every "
        "class in it is. Exception data used only in a condition "
        "(`\"A\" if \"x\" in e.args else \"B\"`, comparisons, `not`) does not reach "
        "the client and is not reported.",
    ),
    Rule(
        code="FAL705",
        name="environment-read-outside-config",
        message="{where} reads the environment ('{expr}'); "
        "read settings from a pydantic-settings BaseSettings in the config layer",
        summary="`os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)` (however "
        "imported), or `'X' in os.environ`, outside the `config` layer.",
        rationale="Configuration lives in one place: a pydantic-settings "
        "`BaseSettings` in the config layer that validates and types every variable "
        "at start-up (guidelines 000 §5, 001 'Configuration and Secrets', 002). "
        "Scattered environment reads are untyped, unvalidated and invisible to "
        "whoever deploys the service.",
        fix="Add a field to the settings class and depend on `settings` (or "
        "`Depends(get_settings)`).",
        bad="""\
# app/services/payment_service.py
from __future__ import annotations

import os

PAYMENT_TIMEOUT = float(os.getenv("PAYMENT_TIMEOUT", "10"))
""",
        good="""\
# app/services/payment_service.py
from __future__ import annotations

from app.core.config import settings

PAYMENT_TIMEOUT = settings.payment_timeout
""",
        scope=Scope(except_layers=frozenset({"config", "test", "migration"})),
        reported_on="the environment read",
        limits="Writes are not reads: `os.environ['X'] = ...`, `del os.environ['X']` "
        "and `os.environ.setdefault(...)` as a statement are not reported "
        "(`setdefault` whose result is used is). Passing the whole environment on "
        "(`dict(os.environ)`, `env={**os.environ}`) is not a settings read. Reads "
        "inside the body of a class deriving from pydantic's or pydantic-settings' "
        "`BaseSettings` are configuration wherever that class lives and are not "
        "reported. Alembic's `env.py` is not in `migration` (only `versions/` is). "
        "Reading a variable that the same function (or the module's top level) "
        "also writes with `os.environ['X'] = ...` adjusts the process environment "
        "(`os.environ['PATH'] = os.getenv('PATH', '') + ':/opt/bin'`) and is not "
        "reported; the key must be a string literal in both places.",
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}


# ---------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------


def _str_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


# ---------------------------------------------------------------------------
# FAL701 hardcoded secrets
# ---------------------------------------------------------------------------

SECRET_FRAGMENTS = (
    "secret",
    "password",
    "passwd",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "access_key",
)
#: Words that, after the secret word, make a name *describe* a secret rather
#: than hold one (``token_url``, ``SECRET_KEY_ENV``, ``token_expires_in``).
DESCRIPTIVE_WORDS = frozenset(
    {
        "url", "uri", "endpoint", "path", "route", "field", "column", "col", "attr",
        "attribute", "type", "kind", "header", "cookie", "name", "label", "title",
        "description", "desc", "help", "hint", "placeholder", "prompt", "message",
        "msg", "error", "err", "template", "tmpl", "tpl", "format", "fmt", "pattern",
        "regex", "re", "length", "len", "size", "min", "max", "count", "limit",
        "threshold", "cap", "budget", "usage", "expire", "expires", "expired",
        "expiry", "expiration", "ttl", "lifetime", "age", "timeout", "algorithm",
        "alg", "scheme", "prefix", "suffix", "location", "source", "env", "var",
        "variable", "file", "filename", "dir", "directory", "audience", "aud",
        "issuer", "iss", "param", "parameter", "mode", "method", "strategy",
        "policy", "version", "encoding", "charset", "event", "topic", "queue",
        "channel", "scope", "provider", "backend", "cache", "store", "storage",
        "lookup", "state", "minutes", "seconds", "hours", "days",
    }
)  # fmt: skip
#: Dummy credentials that keyless OpenAI-compatible servers document (Ollama,
#: LM Studio, vLLM, llama.cpp) or that say they are dummies.  Exempt for API-key
#: names only (``api_key = "ollama"``): an API key is a credential we send, and a
#: dummy one opens nothing; a secret we check (``SECRET_KEY``, a password, a
#: token) set to ``"placeholder"`` is a known default, like ``"changeme"``.
DUMMY_KEY_RE = re.compile(
    r"\A(?:ollama|lm-studio|empty|sk-no-key-required|no-?key|not-?needed|none)\Z"
    r"|(?:\A|[-_])(?:dummy|placeholder)(?:\Z|[-_])",
    re.IGNORECASE,
)
#: ``<word>_key`` names a lookup key, not a secret, for these words
#: (``TOKEN_KEY``, ``password_key``); ``secret_key``/``api_key`` are secrets.
KEYED_WORDS = frozenset({"token", "tokens", "password", "passwords", "passwd"})
#: First words that make a name a quantity (``max_tokens``, ``num_tokens``).
QUANTITY_WORDS = frozenset({"max", "min", "num", "n", "total", "count"})
#: Values that are flags, sentinels or redaction masks, never secrets.
SENTINEL_VALUES = frozenset(
    {
        "n/a", "na", "none", "null", "nil", "unknown", "undefined", "redacted",
        "[redacted]", "<redacted>", "hidden", "masked", "unset", "not set", "true",
        "false", "yes", "no", "on", "off", "enabled", "disabled", "required",
        "optional", "bearer", "basic",
    }
)  # fmt: skip
#: The secret words of API-key names (the credentials a client sends).
API_KEY_WORDS = ("api_key", "apikey")
#: A snake_case prefix ending in ``_`` (``"backend_kwarg__"``): the start of
#: key names, not a secret.
_PREFIX_VALUE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+_+\Z")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*\Z")
_CONFIG_PATH = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+\Z")
#: Words that start with a fragment but mean something else.
_NOT_SECRET_WORD = re.compile(r"tokeni[sz]|secretar")
#: Keys under which API documentation examples live.
EXAMPLE_KEYS = frozenset(
    {
        "example",
        "examples",
        "json_schema_extra",
        "schema_extra",
        "openapi_examples",
        "openapi_extra",
    }
)
_CAMEL_1 = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SPLIT = re.compile(r"[^a-z0-9]+")

#: Wrappers whose default (``default=`` or first positional) is the value.
DEFAULT_WRAPPERS = frozenset(
    {
        "pydantic.Field",
        "pydantic.fields.Field",
        "sqlmodel.Field",
        "pydantic.SecretStr",
        "pydantic.types.SecretStr",
        "pydantic.SecretBytes",
        "pydantic.types.SecretBytes",
        "pydantic.v1.Field",
        "pydantic.v1.SecretStr",
    }
    | {
        f"{module}.{name}"
        for module in ("fastapi", "fastapi.params", "fastapi.param_functions")
        for name in ("Query", "Header", "Cookie", "Form", "Body")
    }
)
#: Environment reads whose second argument is a default.
ENV_DEFAULTS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})


def _words(name: str) -> list[str]:
    spaced = _CAMEL_2.sub(r"\1_\2", _CAMEL_1.sub(r"\1_\2", name))
    return [w for w in _SPLIT.split(spaced.lower()) if w]


def _is_descriptive(word: str) -> bool:
    return word in DESCRIPTIVE_WORDS or (word.endswith("s") and word[:-1] in DESCRIPTIVE_WORDS)


def _fragment_end(joined: str, fragments: tuple[str, ...]) -> int:
    """End of the last secret fragment in ``joined`` (words joined by ``_``), or -1."""
    end = -1
    for fragment in fragments:
        for form in {fragment, fragment.replace("_", "")}:
            pos = joined.rfind(form)
            if pos >= 0:
                end = max(end, pos + len(form))
    return end


def _mentions_secret(text: str, fragments: tuple[str, ...]) -> bool:
    squashed = re.sub(r"[^a-z0-9]", "", text.lower())
    return any(f.replace("_", "") in squashed for f in fragments)


@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether ``name`` holds a secret (see FAL701's limits)."""
    fragments = SECRET_FRAGMENTS + extra
    if not _mentions_secret(name, fragments):  # cheap exit
        return False
    words = ["x" if _NOT_SECRET_WORD.match(w) else w for w in _words(name)]
    joined = "_".join(words)
    end = _fragment_end(joined, fragments)
    if end < 0:
        return False
    if words[0] in QUANTITY_WORDS or "name" in words or "names" in words:
        return False  # max_tokens; COOKIE_NAME_JWT_TOKEN names a cookie
    trailing = [w for w in joined[end:].split("_") if w]
    if trailing in (["key"], ["keys"]) and joined[:end].rsplit("_", 1)[-1] in KEYED_WORDS:
        return False  # TOKEN_KEY = "ti_token": the key a token is stored under
    return not any(_is_descriptive(w) for w in trailing)


@functools.lru_cache(maxsize=1024)
def is_api_key_name(name: str) -> bool:
    """``api_key``, ``OPENAI_API_KEY``, ``apiKey``: a credential the code sends."""
    joined = "_".join(_words(name))
    return any(word in joined for word in API_KEY_WORDS)


def is_secret_value(value: str, name: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether a literal assigned to a secret name can be a secret (FAL701's limits)."""
    stripped = value.strip()
    if not stripped or stripped.lower() in SENTINEL_VALUES:
        return False
    if not any(c.isalnum() for c in stripped):  # a mask: "***"
        return False
    if _is_prose(stripped) or _PREFIX_VALUE.match(stripped):
        return False
    if DUMMY_KEY_RE.search(stripped) and is_api_key_name(name):
        return False  # OpenAI(base_url=local, api_key="ollama"): a keyless server's dummy
    if (_ENV_NAME.match(stripped) or _CONFIG_PATH.match(stripped)) and _mentions_secret(
        stripped, SECRET_FRAGMENTS + extra
    ):
        return False  # names an environment variable or a config key
    value_words = _words(stripped)
    if len(value_words) >= 2 and value_words == _words(name):
        return False  # the name spelled as a label: _USER_API_KEY = "UserApiKey"
    return True


def _text(literal: ast.Constant) -> str:
    raw = literal.value
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)


def _is_prose(value: str) -> bool:
    """Two or more alphabetic words: a message, not a secret."""
    if not any(c.isspace() for c in value):
        return False
    alphabetic = [w for w in (p.strip(".,:;!?'\"()[]-") for p in value.split()) if w.isalpha()]
    return len(alphabetic) >= 2 and 2 * len(alphabetic) >= len(value.split())


class SecretChecker(Checker):
    rules = (_BY_CODE["FAL701"],)

    def begin(self) -> None:
        config = self.ctx.config
        options = config.options(SecretOptions)
        self.extra = tuple(n.lower() for n in options.extra_names)
        self.allowed = tuple(n.lower() for n in options.allowed_names)

    # -- where names meet values -------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is None:
            return
        self._check(node.arg, node.value)

    def visit_arguments(self, node: ast.arguments) -> None:
        positional = [*node.posonlyargs, *node.args]
        for arg, default in zip(positional[len(positional) - len(node.defaults) :], node.defaults):
            self._check(arg.arg, default)
        for arg, kw_default in zip(node.kwonlyargs, node.kw_defaults):
            if kw_default is not None:
                self._check(arg.arg, kw_default)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):
            name = _str_value(key)
            if name is not None:
                self._check(name, value, in_dict=node)

    # -- checks -------------------------------------------------------------

    def _target(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self._check(target.id, value)
        elif isinstance(target, ast.Attribute):
            self._check(target.attr, value)
        elif isinstance(target, ast.Subscript):
            key = _str_value(target.slice)
            if key is not None:
                self._check(key, value)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            if len(target.elts) == len(value.elts):
                for sub_target, sub_value in zip(target.elts, value.elts):
                    self._target(sub_target, sub_value)

    def _check(self, name: str, value: ast.expr, in_dict: ast.Dict | None = None) -> None:
        if not is_secret_name(name, self.extra):
            return
        literals = list(self._literals(value, 0))
        literals = [lit for lit in literals if is_secret_value(_text(lit), name, self.extra)]
        if not literals:
            return
        lowered = name.lower()
        if any(fnmatch.fnmatchcase(lowered, pattern) for pattern in self.allowed):
            return
        if self._in_enum_body() or self._in_example(in_dict):
            return
        for literal in literals:
            self.ctx.report("FAL701", literal, name=name)

    def _literals(self, value: ast.expr, depth: int) -> Iterator[ast.Constant]:
        """The secret literals ``value`` is or defaults to."""
        if depth > 4:
            return
        if isinstance(value, ast.Constant):
            raw = value.value
            if isinstance(raw, (str, bytes)) and raw:
                yield value
        elif isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            for operand in value.values:
                yield from self._literals(operand, depth + 1)
        elif isinstance(value, ast.IfExp):
            yield from self._literals(value.body, depth + 1)
            yield from self._literals(value.orelse, depth + 1)
        elif isinstance(value, ast.Call):
            qualified = self.ctx.names.call_name(value)
            if qualified in DEFAULT_WRAPPERS:
                default = _keyword(value, "default")
                if default is None and value.args:
                    default = value.args[0]
                if default is not None:
                    yield from self._literals(default, depth + 1)
            elif qualified in ENV_DEFAULTS:
                default = _keyword(value, "default")
                if default is None and len(value.args) > 1:
                    default = value.args[1]
                if default is not None:
                    yield from self._literals(default, depth + 1)

    def _in_enum_body(self) -> bool:
        parent = self.ctx.parent
        if not isinstance(parent, ast.ClassDef):
            # visit_keyword/visit_Dict: not a class field
            return False
        return any((last_name(base) or "").endswith("Enum") for base in parent.bases)

    def _in_example(self, in_dict: ast.Dict | None) -> bool:
        """Under an API documentation example (``example=``, ``json_schema_extra``...)."""
        parents = self.ctx.parents
        path: list[ast.AST] = [*parents]
        if in_dict is not None:
            path.append(in_dict)
        for index in range(len(path) - 1, -1, -1):
            node = path[index]
            if isinstance(node, ast.keyword) and node.arg in EXAMPLE_KEYS:
                return True
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(last_name(t) in EXAMPLE_KEYS | {"model_config"} for t in targets):
                    return True
            if isinstance(node, ast.Dict) and index + 1 < len(path):
                child = path[index + 1]
                for key, value in zip(node.keys, node.values):
                    if value is child and _str_value(key) in EXAMPLE_KEYS:
                        return True
        return False


# ---------------------------------------------------------------------------
# FAL702 SQL built from strings
# ---------------------------------------------------------------------------

EXECUTE_METHODS = frozenset({"execute", "executemany", "exec_driver_sql"})
_BUILT = "built"
_LITERAL = "literal"


def _is_constant(node: ast.AST) -> bool:
    """A literal, or an ALL_CAPS name (a constant by convention, not a value).

    Iterative: a tuple nested a thousand deep must not exhaust the stack.
    """
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Constant):
            continue
        if isinstance(current, ast.Name):
            if not current.id.isupper():
                return False
        elif isinstance(current, (ast.Tuple, ast.List)):
            pending.extend(current.elts)
        elif isinstance(current, ast.JoinedStr):
            pending.extend(v.value for v in current.values if isinstance(v, ast.FormattedValue))
        elif not _is_placeholder_call(current):
            return False
    return True


def _is_placeholder_call(node: ast.AST) -> bool:
    """``db.timestamp_placeholder("cutoff")``: a helper named ``*placeholder``
    called with literals only returns a bind placeholder (``:cutoff``), not a value."""
    if not isinstance(node, ast.Call) or node.keywords:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return (
        isinstance(name, str)
        and name.lower().endswith("placeholder")
        and all(isinstance(arg, ast.Constant) for arg in node.args)
    )


def _string_operands(node: ast.AST) -> list[ast.expr]:
    """Operands of a ``+`` chain, left to right (iterative)."""
    operands: list[ast.expr] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            pending.append(current.right)
            pending.append(current.left)
        elif isinstance(current, ast.expr):
            operands.append(current)
    return operands


def _format_receiver(node: ast.AST) -> ast.AST | None:
    """``s`` in ``s % x`` / ``s.format(x)``, else None."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return node.left
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return node.func.value
    return None


def _is_stringish(node: ast.AST) -> bool:
    """A string literal, an f-string, or ``'...' % x`` / ``'...'.format(x)``."""
    current: ast.AST | None = node
    while current is not None:
        if isinstance(current, ast.JoinedStr) or _str_value(current) is not None:
            return True
        current = _format_receiver(current)
    return False


def string_build(node: ast.AST) -> str | None:
    """How ``node`` pastes values into a string: 'an f-string', ..., or None."""
    current = node
    while True:
        if isinstance(current, ast.JoinedStr):
            return None if _is_constant(current) else "an f-string"
        if isinstance(current, ast.BinOp):
            if isinstance(current.op, ast.Mod):
                left = current.left
                if isinstance(left, ast.Constant) and not isinstance(left.value, str):
                    return None  # arithmetic
                if not _is_constant(current.right):
                    return "%-formatting"
                current = left  # "..." % CONST: look at the left side
                continue
            if isinstance(current.op, ast.Add):
                operands = _string_operands(current)
                has_string = any(_is_stringish(o) for o in operands)
                if has_string and not all(_is_constant(o) for o in operands):
                    return "+ concatenation"
            return None
        if (
            isinstance(current, ast.Call)
            and isinstance(current.func, ast.Attribute)
            and current.func.attr == "format"
            and not all(
                _is_constant(a) for a in [*current.args, *(k.value for k in current.keywords)]
            )
        ):
            return ".format()"
        return None


class SqlStringChecker(Checker):
    rules = (_BY_CODE["FAL702"],)

    def begin(self) -> None:
        self.module_vars: dict[str, str] = {}

    def _vars(self) -> dict[str, str]:
        frame = self.ctx.frame
        if frame is None:
            return self.module_vars
        found: dict[str, str] | None = frame.cache.get("fal702_vars")
        if found is None:
            found = frame.cache["fal702_vars"] = {}
        return found

    def _record(self, target: ast.expr, value: ast.expr) -> None:
        if not isinstance(target, ast.Name):
            return
        variables = self._vars()
        if string_build(value) is not None:
            variables[target.id] = _BUILT
        elif _str_value(value) is not None:
            variables[target.id] = _LITERAL
        else:
            variables.pop(target.id, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1:
            self._record(node.targets[0], node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._record(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if not (isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add)):
            return
        variables = self._vars()
        state = variables.get(node.target.id)
        if string_build(node.value) is not None or (
            state is not None and not _is_constant(node.value)
        ):
            variables[node.target.id] = _BUILT

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        statement: ast.expr | None
        if isinstance(func, ast.Attribute) and func.attr in EXECUTE_METHODS:
            statement = node.args[0] if node.args else _keyword(node, "statement")
            where = f"{dotted(func) or '.' + func.attr}()"
        elif (
            isinstance(func, ast.Name) or isinstance(func, ast.Attribute) and func.attr == "text"
        ) and sql_builder(node, self.ctx.names) == "text":
            statement = node.args[0] if node.args else _keyword(node, "text")
            where = "text()"
        else:
            return
        if statement is None:
            return
        how = string_build(statement)
        if how is None and isinstance(statement, ast.Name):
            if self._lookup(statement.id) == _BUILT:
                how = f"strings (via '{statement.id}')"
        if how is not None:
            self.ctx.report("FAL702", node, how=how, func=where)

    def _lookup(self, name: str) -> str | None:
        frame = self.ctx.frame
        if frame is None:
            return self.module_vars.get(name)
        variables: dict[str, str] = frame.cache.get("fal702_vars", {})
        return variables.get(name)


# ---------------------------------------------------------------------------
# FAL703 CORS wildcard
# ---------------------------------------------------------------------------

CORS_MIDDLEWARES = frozenset(
    {
        "fastapi.middleware.cors.CORSMiddleware",
        "starlette.middleware.cors.CORSMiddleware",
    }
)
_WILDCARD_REGEX = re.compile(r"\(?\.[*+]\??\)?")
_SCHEME_PREFIX = re.compile(r"\(?https?\??:(//|\\/\\/)\)?\??")


def is_wildcard_regex(pattern: str) -> bool:
    core = pattern.strip()
    if core.startswith("^"):
        core = core[1:]
    if core.endswith("$"):
        core = core[:-1]
    core = _SCHEME_PREFIX.sub("", core, count=1) if _SCHEME_PREFIX.match(core) else core
    return bool(_WILDCARD_REGEX.fullmatch(core))


def _branches(node: ast.expr) -> Iterator[ast.expr]:
    """The values a conditional expression can take (iterative)."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.IfExp):
            pending.extend((current.orelse, current.body))
        elif isinstance(current, ast.BoolOp):
            pending.extend(reversed(current.values))
        else:
            yield current


class CorsChecker(Checker):
    rules = (_BY_CODE["FAL703"],)

    def visit_Call(self, node: ast.Call) -> None:
        origins = regex = None
        for keyword in node.keywords:
            if keyword.arg == "allow_origins":
                origins = keyword.value
            elif keyword.arg == "allow_origin_regex":
                regex = keyword.value
        if origins is None and regex is None:
            return
        names = self.ctx.names
        if not (
            names.call_name(node) in CORS_MIDDLEWARES
            or (node.args and names.qualname(node.args[0]) in CORS_MIDDLEWARES)
        ):
            return
        if origins is not None:
            for branch in _branches(origins):
                if _str_value(branch) == "*":
                    self.ctx.report("FAL703", branch, what="allow_origins='*'")
                elif isinstance(branch, (ast.List, ast.Tuple, ast.Set)):
                    for element in branch.elts:
                        if _str_value(element) == "*":
                            self.ctx.report("FAL703", element, what="allow_origins=['*']")
        if regex is not None:
            for branch in _branches(regex):
                pattern = _str_value(branch)
                if pattern is not None and is_wildcard_regex(pattern):
                    self.ctx.report("FAL703", branch, what=f"allow_origin_regex={pattern!r}")


# ---------------------------------------------------------------------------
# FAL704 exception details to clients
# ---------------------------------------------------------------------------

#: Framework exceptions whose message is made for the client.
CLIENT_SAFE_EXCEPTIONS = HTTP_EXCEPTIONS | frozenset(
    {
        "fastapi.WebSocketException",
        "fastapi.exceptions.WebSocketException",
        "starlette.exceptions.WebSocketException",
        "fastapi.exceptions.RequestValidationError",
        "fastapi.exceptions.WebSocketRequestValidationError",
    }
)
TRACEBACK_FORMATTERS = frozenset(
    {
        "traceback.format_exc",
        "traceback.format_exception",
        "traceback.format_exception_only",
        "traceback.format_tb",
        "traceback.format_stack",
    }
)
_BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(__import__("builtins")).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
_LEAK_CONTAINERS = frozenset({"HTTPException", "StarletteHTTPException"}) | frozenset(
    n.rpartition(".")[2] for n in RESPONSE_CLASSES
)


#: How deep the FAL704 helpers follow nested annotations before giving up.
_MAX_DEPTH = 50


def _looks_like_exception(name: str) -> bool:
    return name in _BUILTIN_EXCEPTIONS or name.endswith(("Error", "Exception"))


class LeakChecker(Checker):
    rules = (_BY_CODE["FAL704"],)

    def begin(self) -> None:
        self.safe = self.ctx.config.options(LeakOptions).safe_exceptions
        #: bindings in scope, innermost last: (name, safe)
        self.bindings: list[tuple[str, bool]] = []
        #: how many bindings each open handler / function pushed
        self.pushed: list[int] = []
        #: open ``except`` blocks, named or not (where a traceback is current)
        self.handler_depth = 0

    # -- scopes ---------------------------------------------------------------

    def _is_safe(self, node: ast.expr | None, depth: int = 0) -> bool:
        """Every class ``node`` names is client-safe (bounded: odd input is unsafe)."""
        if node is None or depth > _MAX_DEPTH:
            return False
        if isinstance(node, ast.Tuple):
            return bool(node.elts) and all(self._is_safe(e, depth + 1) for e in node.elts)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parsed = parse_string_annotation(node)
            return parsed is not None and self._is_safe(parsed, depth + 1)
        if isinstance(node, ast.Subscript):  # Annotated[X, ...], Optional[X]
            names = annotation_names(node)
            return bool(names) and all(n in self.safe for n in names)
        if isinstance(node, ast.BinOp):
            return self._is_safe(node.left, depth + 1) and self._is_safe(node.right, depth + 1)
        qualified = self.ctx.names.qualname(node)
        if qualified in CLIENT_SAFE_EXCEPTIONS:
            return True
        written = dotted(node) or ""
        last = written.rpartition(".")[2]
        for entry in self.safe:
            if "." in entry:
                if entry in (qualified, written):
                    return True
            elif entry == last:
                return True
        return False

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self.handler_depth += 1
        if node.name:
            self.bindings.append((node.name, self._is_safe(node.type)))
            self.pushed.append(1)
        else:
            self.pushed.append(0)

    def leave_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self.handler_depth -= 1
        self._pop()

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        count = 0
        handled = self._handler_class(node)
        if handled is not None and len(args) >= 2:
            exc_arg = args[1]
            self.bindings.append((exc_arg.arg, self._is_safe(handled)))
            count += 1
            args = [a for a in args if a is not exc_arg]
        for arg in args:
            if arg.annotation is None:
                continue
            if any(_looks_like_exception(n) for n in annotation_names(arg.annotation)):
                self.bindings.append((arg.arg, self._is_safe(arg.annotation)))
                count += 1
        self.pushed.append(count)

    def _handler_class(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
        """``T`` of ``@<app>.exception_handler(T)``."""
        for decorator in node.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr == "exception_handler"
                and decorator.args
            ):
                return decorator.args[0]
        return None

    def _pop(self) -> None:
        count = self.pushed.pop() if self.pushed else 0
        if count:
            del self.bindings[-count:]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_function(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._pop()

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._pop()

    def _exceptions(self) -> set[str]:
        """Names of (unsafe) exceptions in scope."""
        current: dict[str, bool] = {}
        for name, safe in self.bindings:
            current[name] = safe
        return {name for name, safe in current.items() if not safe}

    # -- one-step local tracking ---------------------------------------------

    def _leaked_vars(self) -> dict[str, str]:
        frame = self.ctx.frame
        if frame is None:
            return {}
        found: dict[str, str] | None = frame.cache.get("fal704_vars")
        if found is None:
            found = frame.cache["fal704_vars"] = {}
        return found

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.ctx.frame is None or len(node.targets) != 1:
            return
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            return
        if not (self.bindings or self.handler_depth):
            variables = self.ctx.frame.cache.get("fal704_vars") if self.ctx.frame else None
            if variables and target.id in variables:
                del variables[target.id]
            return
        variables = self._leaked_vars()
        leak = self._find_leak(node.value, self._exceptions(), variables)
        if leak is not None:
            variables[target.id] = leak[1]
        elif target.id in variables:
            del variables[target.id]

    # -- the containers -------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in _LEAK_CONTAINERS:
                return
            func_name = func.attr
        elif isinstance(func, ast.Name):
            func_name = func.id
        else:
            return
        qualified = self.ctx.names.qualname(func)
        payload: ast.expr | None
        if qualified in HTTP_EXCEPTIONS:
            payload = _keyword(node, "detail")
            if payload is None and len(node.args) > 1:
                payload = node.args[1]
            where = "HTTPException detail"
        elif qualified in RESPONSE_CLASSES:
            payload = _keyword(node, "content")
            if payload is None and node.args:
                payload = node.args[0]
            where = f"{func_name} content"
        else:
            return
        if payload is None:
            return
        leak = self._find_leak(payload, self._exceptions(), self._leaked_vars())
        if leak is not None:
            self.ctx.report("FAL704", leak[0], what=leak[1], where=where)

    def _find_leak(
        self, payload: ast.expr, exceptions: set[str], variables: dict[str, str]
    ) -> tuple[ast.AST, str] | None:
        names = self.ctx.names
        for sub in _value_parts(payload):
            if isinstance(sub, ast.Name):
                if sub.id in variables and isinstance(sub.ctx, ast.Load):
                    return sub, f"'{sub.id}' = {variables[sub.id]}"
                continue
            if isinstance(sub, ast.Call):
                qualified = names.call_name(sub)
                if qualified in TRACEBACK_FORMATTERS:
                    return sub, f"{qualified}()"
                if not exceptions:
                    continue
                if qualified in ("builtins.str", "builtins.repr") and sub.args:
                    arg = sub.args[0]
                    if isinstance(arg, ast.Name) and arg.id in exceptions:
                        return sub, f"{qualified[9:]}({arg.id})"
                if isinstance(sub.func, ast.Attribute) and sub.func.attr == "format":
                    for arg in [*sub.args, *(k.value for k in sub.keywords)]:
                        if isinstance(arg, ast.Name) and arg.id in exceptions:
                            return sub, f"'...'.format({arg.id})"
            elif not exceptions:
                continue
            elif isinstance(sub, ast.FormattedValue):
                value = sub.value
                if isinstance(value, ast.Name) and value.id in exceptions:
                    return value, f"f'{{{value.id}}}'"
            elif isinstance(sub, ast.Attribute):
                value = sub.value
                if sub.attr == "args" and isinstance(value, ast.Name) and value.id in exceptions:
                    return sub, f"{value.id}.args"
            elif isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Mod):
                right = sub.right
                operands = right.elts if isinstance(right, ast.Tuple) else [right]
                for operand in operands:
                    if isinstance(operand, ast.Name) and operand.id in exceptions:
                        return sub, f"'%s' % {operand.id}"
        return None


def _value_parts(payload: ast.expr) -> Iterator[ast.AST]:
    """The nodes whose value can reach the client: like ``ast.walk``, but not
    into conditions (``"A" if "x" in str(e) else "B"``, comparisons, ``not``),
    which only choose between values and produce a bool."""
    pending: list[ast.AST] = [payload]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Compare) or (
            isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
        ):
            continue
        yield node
        if isinstance(node, ast.IfExp):
            pending.extend((node.orelse, node.body))
        else:
            pending.extend(ast.iter_child_nodes(node))


# ---------------------------------------------------------------------------
# FAL705 environment reads outside the config layer
# ---------------------------------------------------------------------------

ENV_READ_CALLS = frozenset({"os.getenv", "os.getenvb", "os.environ.get", "os.environb.get"})
ENVIRONS = frozenset({"os.environ", "os.environb"})
SETTINGS_BASES = frozenset(
    {
        "pydantic_settings.BaseSettings",
        "pydantic_settings.main.BaseSettings",
        "pydantic.BaseSettings",
        "pydantic.v1.BaseSettings",
        "pydantic.env_settings.BaseSettings",
    }
)


def _maybe_environ(node: ast.AST) -> bool:
    """Cheap pre-check: ``<x>.environ`` or any bare name (``from os import environ as E``)."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("environ", "environb")
    return isinstance(node, ast.Name)


class EnvChecker(Checker):
    rules = (_BY_CODE["FAL705"],)

    def begin(self) -> None:
        layer = self.ctx.layer
        self.where = f"{layer} module" if layer else "module outside the config layer"
        #: id(function or module) -> environment keys it writes
        self._written: dict[int, frozenset[str]] = {}

    def _report(self, node: ast.AST, expr: str, key: ast.expr | None = None) -> None:
        if self._in_settings_class():
            return
        name = _str_value(key)
        if name is not None and name in self._written_keys():
            return  # os.environ["PATH"] = os.getenv("PATH", "") + ":/opt/bin"
        self.ctx.report("FAL705", node, where=self.where, expr=expr)

    def _written_keys(self) -> frozenset[str]:
        """Keys the enclosing function (or the module's top level) writes with
        ``os.environ[key] = ...``: reading one there adjusts the process
        environment (read-modify-write), it does not read a setting."""
        frame = self.ctx.frame
        scope: ast.AST = frame.node if frame is not None else self.ctx.tree
        cached = self._written.get(id(scope))
        if cached is None:
            if frame is not None:
                nodes: Iterator[ast.AST] = ast.walk(scope)
            else:  # the top level only, not the bodies of functions and classes
                nodes = (
                    node
                    for stmt in self.ctx.tree.body
                    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                    for node in ast.walk(stmt)
                )
            keys = set()
            for node in nodes:
                if isinstance(node, (ast.Assign, ast.AugAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if (
                            isinstance(target, ast.Subscript)
                            and self.ctx.names.qualname(target.value) in ENVIRONS
                        ):
                            key = _str_value(target.slice)
                            if key is not None:
                                keys.add(key)
            cached = self._written[id(scope)] = frozenset(keys)
        return cached

    def _in_settings_class(self) -> bool:
        names = self.ctx.names
        return any(
            names.qualname(base) in SETTINGS_BASES
            for cls in self.ctx.classes
            for base in cls.bases
        )

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        value = node.value
        if _maybe_environ(value) and self.ctx.names.qualname(value) in ENVIRONS:
            self._report(node, f"{dotted(value) or 'os.environ'}[...]", node.slice)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in ("get", "getenv", "getenvb", "setdefault"):
                return
        elif not isinstance(func, ast.Name):
            return
        qualified = self.ctx.names.qualname(func)
        if qualified in ENV_READ_CALLS:
            key = node.args[0] if node.args else None
            self._report(node, f"{dotted(func) or qualified}(...)", key)
        elif qualified == "os.environ.setdefault" and not isinstance(self.ctx.parent, ast.Expr):
            self._report(node, f"{dotted(func) or qualified}(...)")

    def visit_Compare(self, node: ast.Compare) -> None:
        for op, comparator in zip(node.ops, node.comparators):
            if (
                isinstance(op, (ast.In, ast.NotIn))
                and _maybe_environ(comparator)
                and self.ctx.names.qualname(comparator) in ENVIRONS
            ):
                self._report(node, f"... in {dotted(comparator) or 'os.environ'}")


CHECKERS = [SecretChecker, SqlStringChecker, CorsChecker, LeakChecker, EnvChecker]
