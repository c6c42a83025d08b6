"""What several FAL2xx codes share: where route handlers are (FAL202, FAL205,
FAL206, FAL207, FAL208) and what a logging call is (FAL203, FAL205)."""

from __future__ import annotations

import ast
from typing import Iterator

from ...analysis import ROUTE_METHODS, frame_route, last_name
from ...catalogue import Scope
from ...checker import Context, Frame

#: What the route-handler rules look at.
ROUTE_HANDLERS = Scope(subject="route handlers")
#: Receivers of logging calls, by their last name (also ``_logger``, ``self.logger``).
LOGGER_NAMES = frozenset({"log", "logger", "logging", "logs", "loguru"})


def route_decorators(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.Call]:
    """Every decorator of ``func`` shaped like a route decorator."""
    for decorator in func.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ROUTE_METHODS
        ):
            yield decorator


def route_handler(ctx: Context) -> Frame | None:
    """The innermost route handler whose body (or code nested in it) the walk
    is in: code in functions and lambdas nested in a handler is the handler's.
    Whether a function is a route handler is the frame's shared, memoised fact
    (:func:`~flake8_fastapi_layers.analysis.frame_route`)."""
    for frame in reversed(ctx.frames):
        if frame_route(frame) is not None:
            return frame
    return None


def is_logger(receiver: ast.expr) -> bool:
    """``logger``, ``log``, ``logging``, ``_logger``, ``self.audit_logger`` ..."""
    name = last_name(receiver)
    if name is None:
        return False
    name = name.strip("_").lower()
    return name in LOGGER_NAMES or name.endswith("logger")
