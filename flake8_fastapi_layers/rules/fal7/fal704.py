"""FAL704 `exception-details-to-client`: a caught exception's text in an
``HTTPException`` detail or a response's content (RULES.md §8)."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from typing import Iterator

from ...analysis import (
    HTTP_EXCEPTIONS,
    RESPONSE_CLASSES,
    annotation_names,
    parse_string_annotation,
)
from ...catalogue import EVERY_MODULE, Rule, option
from ...checker import Checker
from ...names import dotted
from ._common import keyword_value


@dataclass(frozen=True)
class LeakOptions:
    """``[tool.fastapi-layers.FAL704]``"""

    safe_exceptions: tuple[str, ...] = option(
        (),
        "Exception classes whose messages are written for clients, as "
        'class names or dotted paths, e.g. `["NotFoundError", '
        '"app.exceptions.DomainError"]`; their `str(exc)` is not reported.',
    )


RULE = Rule(
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
)

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
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
_LEAK_CONTAINERS = frozenset({"HTTPException", "StarletteHTTPException"}) | frozenset(
    n.rpartition(".")[2] for n in RESPONSE_CLASSES
)


#: A function's names bound to exception details: name -> what they hold.
_Leaked = dict[str, str]

#: How deep the FAL704 helpers follow nested annotations before giving up.
_MAX_DEPTH = 50


def _looks_like_exception(name: str) -> bool:
    return name in _BUILTIN_EXCEPTIONS or name.endswith(("Error", "Exception"))


class ExceptionDetailsToClient(Checker):
    rule = RULE

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

    def _leaked_vars(self) -> _Leaked:
        """The current function's names bound to exception details (none at the top level)."""
        frame = self.ctx.frame
        if frame is None:
            return {}
        return self.frame_state(frame, _Leaked)

    def visit_Assign(self, node: ast.Assign) -> None:
        frame = self.ctx.frame
        if frame is None or len(node.targets) != 1:
            return
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            return
        variables = self.frame_state(frame, _Leaked)
        if not (self.bindings or self.handler_depth):
            variables.pop(target.id, None)
            return
        leak = self._find_leak(node.value, self._exceptions(), variables)
        if leak is not None:
            variables[target.id] = leak[1]
        else:
            variables.pop(target.id, None)

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
            payload = keyword_value(node, "detail")
            if payload is None and len(node.args) > 1:
                payload = node.args[1]
            where = "HTTPException detail"
        elif qualified in RESPONSE_CLASSES:
            payload = keyword_value(node, "content")
            if payload is None and node.args:
                payload = node.args[0]
            where = f"{func_name} content"
        else:
            return
        if payload is None:
            return
        leak = self._find_leak(payload, self._exceptions(), self._leaked_vars())
        if leak is not None:
            self.report(leak[0], what=leak[1], where=where)

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
