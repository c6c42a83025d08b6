"""FAL207 `magic-http-status`: an integer literal as an HTTP status (RULES.md §3)."""

from __future__ import annotations

import ast
from http import HTTPStatus

from ...analysis import RESPONSE_CLASSES, is_http_exception, keyword
from ...catalogue import Rule, Scope
from ...checker import Checker
from ._common import route_decorators

#: Constant names that differ between Python versions: starlette's names.
_STATUS_NAMES = {
    413: "REQUEST_ENTITY_TOO_LARGE",
    414: "REQUEST_URI_TOO_LONG",
    416: "REQUESTED_RANGE_NOT_SATISFIABLE",
    422: "UNPROCESSABLE_ENTITY",
}


def status_constant(value: int) -> str:
    """The named constant to suggest for a status integer."""
    try:
        name = _STATUS_NAMES.get(value) or HTTPStatus(value).name
    except ValueError:
        return "a named constant"
    return f"status.HTTP_{value}_{name} (fastapi.status)"


RULE = Rule(
    code="FAL207",
    name="magic-http-status",
    message="magic HTTP status {value} in {where}; use {constant}",
    summary="An integer literal is the status code of a route decorator "
    "(`status_code=201`), of `HTTPException` (`HTTPException(404)`, "
    "`HTTPException(status_code=404)`) or of a fastapi/starlette response "
    "(`JSONResponse(..., status_code=500)`).",
    rationale="Use status codes from `fastapi.status` (or `http.HTTPStatus`): a "
    "named constant says what the number means and a typo in a name fails loudly.",
    fix="Write `status.HTTP_404_NOT_FOUND` (`from fastapi import status`) or "
    "`HTTPStatus.NOT_FOUND`.",
    bad="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    user = await service.find_user(user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user
""",
    good="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
async def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    user = await service.find_user(user_id)
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user
""",
    scope=Scope(except_layers=frozenset({"test"})),
    reported_on="the integer",
    limits="Test modules are exempt: asserting or faking a literal status is what "
    "tests do. Seen: the `status_code` keyword of route decorators and of "
    "`add_api_route(...)`, the status of `HTTPException` (first positional or "
    "`status_code=`) and of the fastapi/starlette response classes (second "
    "positional or `status_code=`), resolved through imports. Not seen: keys of "
    "`responses={404: ...}`, assignments `response.status_code = 404`, and a "
    "project's own subclasses of `HTTPException` or `JSONResponse`.",
)


class MagicHttpStatus(Checker):
    rule = RULE

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._decorators(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._decorators(node)

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """``status_code=`` of every route-shaped decorator (with a path or not)."""
        if not node.decorator_list:
            return
        for decorator in route_decorators(node):
            self._status(keyword(decorator, "status_code"), "the route decorator")

    def visit_Call(self, node: ast.Call) -> None:
        if not (node.args or node.keywords):
            return
        func = node.func
        if isinstance(func, ast.Attribute):
            name = func.attr
            if name == "add_api_route":
                self._status(keyword(node, "status_code"), "add_api_route()")
                return
        elif isinstance(func, ast.Name):
            name = func.id
        else:
            return
        if name.endswith("HTTPException"):
            if not is_http_exception(func, self.ctx.names):
                return
            position = 0
            where = "HTTPException()"
        elif name.endswith("Response"):
            if self.ctx.names.qualname(func) not in RESPONSE_CLASSES:
                return
            position = 1
            where = f"{name}()"
        else:
            return
        status = keyword(node, "status_code")
        if status is not None:
            self._status(status, where)
        elif len(node.args) > position and not any(
            isinstance(a, ast.Starred) for a in node.args[: position + 1]
        ):
            self._status(node.args[position], where)

    def _status(self, value: ast.expr | None, where: str) -> None:
        if (
            isinstance(value, ast.Constant)
            and isinstance(value.value, int)
            and not isinstance(value.value, bool)
        ):
            code = value.value
            self.report(value, value=code, where=where, constant=status_constant(code))
