"""FAL205 `business-logic-in-route`: a route handler with too much control flow
(RULES.md §3)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...analysis import last_name
from ...catalogue import Rule, option
from ...checker import Checker
from ._common import ROUTE_HANDLERS, is_logger, route_handler


@dataclass(frozen=True)
class ControlFlowOptions:
    """``[tool.fastapi-layers.FAL205]``"""

    max_control_flow: int = option(
        2, "Most control-flow statements a route handler may have.", minimum=0
    )


RULE = Rule(
    code="FAL205",
    name="business-logic-in-route",
    message="route handler '{name}' has {count} control-flow statements (max {max}); "
    "move the business logic into a service",
    summary="A route handler's body has more than N control-flow statements "
    "(`if`, `for`, `while`, `with`, `match`, `try`, and their async forms; "
    "comprehensions excluded), default N=2.",
    rationale="Routers must not contain business logic: branches and loops in a "
    "handler are decisions that belong in a service, where they can be unit-tested "
    "without HTTP.",
    fix="Move the decisions into a service method; keep in the handler only the "
    "call and the translation of domain exceptions into HTTP errors.",
    bad="""\
# app/routers/orders.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status

from app.dependencies import get_current_user
from app.schemas.order import OrderIn, OrderOut
from app.services.order_service import OrderService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/orders")
async def place_order(order: OrderIn, service: OrderService = Depends()) -> OrderOut:
    if order.total > 1000:
        order.needs_review = True
    for line in order.lines:
        if line.quantity <= 0:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="Empty order line")
    return await service.place(order)
""",
    good="""\
# app/routers/orders.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status

from app.dependencies import get_current_user
from app.exceptions import InvalidOrder
from app.schemas.order import OrderIn, OrderOut
from app.services.order_service import OrderService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.post("/orders")
async def place_order(order: OrderIn, service: OrderService = Depends()) -> OrderOut:
    try:
        return await service.place(order)
    except InvalidOrder as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=exc.reason) from exc
""",
    scope=ROUTE_HANDLERS,
    reported_on="the `def` line",
    options=ControlFlowOptions,
    limits="Not counted: a `try` (with no `else`) whose `except` handlers only raise "
    "`HTTPException` (or re-raise with a bare `raise`), optionally after logging "
    "calls; an `if` with no "
    "`else` whose body only raises `HTTPException` and whose test is `x is None`, "
    "`x == None` or `not x` (the not-found check). The statements *inside* a "
    "translating `try` body count as usual. Any other `try` counts as one. `elif` "
    "counts as another `if`. Statements in functions and lambdas nested in the "
    "handler count towards the handler. Because these exemptions only relax the "
    "rule, the raised class is matched by name (any `...HTTPException`, so a "
    "project's `NotFoundHTTPException` translates too). `not x` cannot tell a "
    "missing result from input validation (`if not url: raise HTTPException(...)`); "
    "both are exempt. A translating handler or not-found guard may log and assign "
    "plain names (composing the message) before it raises.",
)


class BusinessLogicInRoute(Checker):
    """Counts the control-flow statements of each route handler (code nested in
    it included) and reports the handler when the walk leaves it."""

    rule = RULE

    def begin(self) -> None:
        self.max_flow = self.ctx.config.options(ControlFlowOptions).max_control_flow
        #: id(handler node) -> its control-flow statements counted so far; the
        #: count outlives the handler's frame, which goes before leave_* runs
        self.flow: dict[int, int] = {}

    def _count(self) -> None:
        handler = route_handler(self.ctx)
        if handler is not None:
            key = id(handler.node)
            self.flow[key] = self.flow.get(key, 0) + 1

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._leave(node)

    def _leave(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self.flow:
            return
        count = self.flow.pop(id(node), None)
        if count is not None and count > self.max_flow:
            self.report(node, name=node.name, count=count, max=self.max_flow)

    def visit_If(self, node: ast.If) -> None:
        if not _is_not_found_guard(node):
            self._count()

    def visit_For(self, node: ast.For) -> None:
        self._count()

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._count()

    def visit_While(self, node: ast.While) -> None:
        self._count()

    def visit_With(self, node: ast.With) -> None:
        self._count()

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._count()

    def visit_Match(self, node: ast.Match) -> None:
        self._count()

    def visit_Try(self, node: ast.Try) -> None:
        if not _is_translating_try(node):
            self._count()

    if hasattr(ast, "TryStar"):  # Python 3.11+

        def visit_TryStar(self, node: ast.AST) -> None:
            if not _is_translating_try(node):
                self._count()


def _raises_http(stmt: ast.stmt) -> bool:
    """``raise <...>HTTPException(...)``: matched by the class's name, leniently.

    This only *exempts* code from FAL205, so a project's ``NotFoundHTTPException``
    or an unresolvable ``HTTPException`` counts as translation too.
    """
    if not isinstance(stmt, ast.Raise) or stmt.exc is None:
        return False
    exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
    name = last_name(exc)
    return name is not None and name.endswith("HTTPException")


def _is_log_stmt(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and is_logger(stmt.value.func.value)
    )


def _only_raises_http(body: list[ast.stmt], bare_raise: bool) -> bool:
    """A block that only raises ``HTTPException``, after optional logging and
    assignments to plain names (composing the message: ``msg = f"..."``)."""
    if not body:
        return False
    *head, last = body
    if not all(_is_log_stmt(s) or isinstance(s, ast.Pass) or _names_a_value(s) for s in head):
        return False
    if bare_raise and isinstance(last, ast.Raise) and last.exc is None:
        return True
    return _raises_http(last)


def _names_a_value(stmt: ast.stmt) -> bool:
    """``msg = ...`` / ``msg: str = ...``: binds a plain name, nothing else."""
    if isinstance(stmt, ast.Assign):
        return all(isinstance(t, ast.Name) for t in stmt.targets)
    return isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)


def _none_check(test: ast.expr) -> bool:
    """``x is None``, ``x == None``, ``not x``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return isinstance(test.operand, (ast.Name, ast.Attribute, ast.NamedExpr))
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
    ):
        right = test.comparators[0]
        return isinstance(right, ast.Constant) and right.value is None
    return False


def _is_translating_try(node: ast.AST) -> bool:
    """A ``try`` (no ``else``) whose handlers only raise ``HTTPException`` or re-raise."""
    handlers: list[ast.ExceptHandler] = getattr(node, "handlers", [])
    if not handlers or getattr(node, "orelse", None):
        return False
    return all(_only_raises_http(h.body, bare_raise=True) for h in handlers)


def _is_not_found_guard(node: ast.If) -> bool:
    """``if x is None: raise HTTPException(...)`` with no ``else``."""
    return not node.orelse and _none_check(node.test) and _only_raises_http(node.body, False)
