"""FAL703 `cors-wildcard`: ``CORSMiddleware`` allowing every origin (RULES.md §8)."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from ...catalogue import EVERY_MODULE, Rule
from ...checker import Checker
from ._common import str_value

RULE = Rule(
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
)

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


class CorsWildcard(Checker):
    rule = RULE

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
                if str_value(branch) == "*":
                    self.report(branch, what="allow_origins='*'")
                elif isinstance(branch, (ast.List, ast.Tuple, ast.Set)):
                    for element in branch.elts:
                        if str_value(element) == "*":
                            self.report(element, what="allow_origins=['*']")
        if regex is not None:
            for branch in _branches(regex):
                pattern = str_value(branch)
                if pattern is not None and is_wildcard_regex(pattern):
                    self.report(branch, what=f"allow_origin_regex={pattern!r}")
