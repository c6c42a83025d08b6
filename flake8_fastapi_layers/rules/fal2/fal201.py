"""FAL201 `sync-route-handler`: a route handler declared with `def` (RULES.md §3)."""

from __future__ import annotations

import ast

from ...analysis import route_of
from ...catalogue import Rule
from ...checker import Checker
from ._common import ROUTE_HANDLERS

RULE = Rule(
    code="FAL201",
    name="sync-route-handler",
    message="route handler '{name}' is a plain def; make it 'async def' "
    "and await async services",
    summary="A route handler is declared with `def` instead of `async def`.",
    rationale="All route handlers must be `async def`. FastAPI runs a plain `def` "
    "handler in a thread pool of limited size; under load requests queue for a "
    "thread, and the handler tempts callers into blocking, sync database access.",
    fix="Declare the handler `async def` and call async services (`await`), with an "
    "`AsyncSession` underneath.",
    bad="""\
# app/routers/users.py
from __future__ import annotations

from fastapi import APIRouter, Depends

from app.dependencies import get_current_user
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(dependencies=[Depends(get_current_user)])


@router.get("/users/{user_id}")
def get_user(user_id: int, service: UserService = Depends()) -> UserOut:
    return service.get_user(user_id)
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
    limits="Websocket routes are included. A handler is recognised by its decorator "
    "(`@<x>.get(path, ...)` etc. with a path argument); routes added with "
    "`add_api_route(...)` are not seen.",
)


class SyncRouteHandler(Checker):
    rule = RULE

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.decorator_list and route_of(node) is not None:
            self.report(node, name=node.name)
