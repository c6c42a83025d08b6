"""FAL206 `route-without-response-type`: a route declares no response type (RULES.md §3)."""

from __future__ import annotations

import ast

from ...analysis import keyword, last_name, route_of
from ...catalogue import Rule
from ...checker import Checker
from ._common import ROUTE_HANDLERS, route_decorators

RULE = Rule(
    code="FAL206",
    name="route-without-response-type",
    message="route handler '{name}' declares no response type; "
    "add response_model= or a return annotation",
    summary="A route declares neither `response_model=` nor a return annotation "
    "(and has no `response_class=` and no `status_code=204`).",
    rationale="Return typed response models: the response type drives output "
    "validation, filtering of internal fields and the OpenAPI schema; without it "
    "whatever the handler returns is serialised as is.",
    fix="Annotate the return type (`-> UserOut`) or pass `response_model=UserOut`.",
    bad="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()):
    return await service.get_user(user_id)
""",
    good="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    return await service.get_user(user_id)
""",
    scope=ROUTE_HANDLERS,
    reported_on="the `def` line",
    limits="Websocket routes have no response and are exempt. Any `response_model=` "
    "counts as a declaration, `response_model=None` included (FastAPI's explicit "
    "opt-out). `status_code` 204 may be written `204`, `status.HTTP_204_NO_CONTENT` "
    "or `HTTPStatus.NO_CONTENT`. With stacked route decorators, any of them may "
    "declare the response.",
)


class RouteWithoutResponseType(Checker):
    rule = RULE

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.check(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.check(node)

    def check(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not node.decorator_list or node.returns is not None:
            return
        route = route_of(node)
        if route is None or route.method == "websocket":
            return
        if not any(declares_response(d) for d in route_decorators(node)):
            self.report(node, name=node.name)


def declares_response(decorator: ast.Call) -> bool:
    """``response_model=`` (``None`` too), ``response_class=`` or ``status_code=204``."""
    if keyword(decorator, "response_model") is not None:
        return True
    if keyword(decorator, "response_class") is not None:
        return True
    status = keyword(decorator, "status_code")
    return status is not None and _is_204(status)


def _is_204(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value == 204 and not isinstance(node.value, bool)
    return last_name(node) in ("HTTP_204_NO_CONTENT", "NO_CONTENT")
