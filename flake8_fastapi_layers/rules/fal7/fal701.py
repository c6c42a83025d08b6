"""FAL701 `hardcoded-secret`: a string literal assigned to a secret-named target
(RULES.md §8).

Secret *names* are matched as text, which is what the rule is about; the
wrappers a literal may hide in (``Field``, ``os.getenv``) are resolved through
the module's imports (RULES.md §12).
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import re
from dataclasses import dataclass
from typing import Iterator

from ...analysis import last_name
from ...catalogue import Rule, Scope, option
from ...checker import Checker
from ._common import keyword_value, str_value


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


RULE = Rule(
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
)


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
#: Assignment targets that hold API documentation examples or a model's config.
_EXAMPLE_TARGETS = EXAMPLE_KEYS | {"model_config"}
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


class HardcodedSecret(Checker):
    rule = RULE

    def begin(self) -> None:
        options = self.ctx.config.options(SecretOptions)
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
            name = str_value(key)
            if name is not None:
                self._check(name, value, in_dict=node)

    # -- checks -------------------------------------------------------------

    def _target(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self._check(target.id, value)
        elif isinstance(target, ast.Attribute):
            self._check(target.attr, value)
        elif isinstance(target, ast.Subscript):
            key = str_value(target.slice)
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
            self.report(literal, name=name)

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
                default = keyword_value(value, "default")
                if default is None and value.args:
                    default = value.args[0]
                if default is not None:
                    yield from self._literals(default, depth + 1)
            elif qualified in ENV_DEFAULTS:
                default = keyword_value(value, "default")
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
                if any(last_name(t) in _EXAMPLE_TARGETS for t in targets):
                    return True
            if isinstance(node, ast.Dict) and index + 1 < len(path):
                child = path[index + 1]
                for key, value in zip(node.keys, node.values):
                    if value is child and str_value(key) in EXAMPLE_KEYS:
                        return True
        return False
