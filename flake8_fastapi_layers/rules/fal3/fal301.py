"""FAL301 `http-exception-outside-edge`: `HTTPException` below the edge (RULES.md §4)."""

from __future__ import annotations

import ast

from ...analysis import HTTP_EXCEPTIONS
from ...catalogue import Rule, Scope
from ...checker import Checker
from ._common import LocalClasses, describe

#: Layers where raising or building ``HTTPException`` is an offence.
HTTP_FREE_LAYERS = frozenset({"service", "repository", "domain", "model", "schema"})

RULE = Rule(
    code="FAL301",
    name="http-exception-outside-edge",
    message="{layer} {verb} HTTP exception {name}; raise a domain exception "
    "and translate it to HTTP at the edge (router, exception handler)",
    summary="fastapi's or starlette's `HTTPException` (however imported, or a "
    "subclass defined in the same module) is raised or constructed in a service, "
    "repository, domain, model or schema module.",
    rationale="Services must raise domain exceptions, not `HTTPException`: a status "
    "code is a transport decision. Business code that raises HTTP errors cannot be "
    "reused from a worker, a CLI or another service, and its tests need HTTP.",
    fix="Define a domain exception (`UserNotFound`) in the exceptions module, raise "
    "it here, and map it to a status code in the router or in an exception handler "
    "registered on the app.",
    bad="""\
# app/services/user_service.py
from __future__ import annotations

from fastapi import HTTPException, status

from app.domain.user import User
from app.repositories.user_repository import UserRepository


async def get_user(users: UserRepository, user_id: int) -> User:
    user = await users.get(user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    return user
""",
    good="""\
# app/services/user_service.py
from __future__ import annotations

from app.domain.user import User
from app.exceptions import UserNotFound
from app.repositories.user_repository import UserRepository


async def get_user(users: UserRepository, user_id: int) -> User:
    user = await users.get(user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user
""",
    scope=Scope(layers=HTTP_FREE_LAYERS),
    reported_on="the `raise` statement (once, for `raise HTTPException(...)`), or "
    "the call when the exception is constructed without being raised",
    limits="Names are resolved through the module's imports: `from fastapi import "
    "HTTPException as HE`, `fastapi.exceptions.HTTPException`, "
    "`starlette.exceptions.HTTPException`, and module-level aliases "
    "(`NotFound = HTTPException`). A class named `HTTPException` defined in the "
    "module itself is a domain exception and is not reported. A subclass of "
    "`HTTPException` defined in the same module (directly or through other local "
    "classes) is reported when raised or constructed; subclasses defined in other "
    "modules are the mypy plugin's `fal-http-outside-edge`. Catching "
    "`HTTPException` (`except`, `isinstance`) is not reported; the import itself "
    "is FAL103.",
    mypy_code="fal-http-outside-edge",
)


class HttpExceptionOutsideEdge(Checker):
    rule = RULE

    def begin(self) -> None:
        self.local = LocalClasses(self.ctx.tree, self.ctx.names, HTTP_EXCEPTIONS)
        #: exception calls already reported on their ``raise``
        self.raised: set[int] = set()

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if exc is None:
            return
        cls = exc.func if isinstance(exc, ast.Call) else exc
        target = self.local.resolve(cls)
        if target is not None:
            self.raised.add(id(exc))
            name = describe(cls, target, self.local)
            self.report(node, layer=self.ctx.layer, verb="raises", name=name)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            # only an import of the exception or a local subclass/alias can mean it
            if (
                func.id not in self.local.derived
                and self.local.names.table.get(func.id) not in HTTP_EXCEPTIONS
            ):
                return
        elif not isinstance(func, ast.Attribute) or func.attr != "HTTPException":
            return
        if id(node) in self.raised:
            return  # reported on its raise
        target = self.local.resolve(func)
        if target is not None:
            name = describe(func, target, self.local)
            self.report(node, layer=self.ctx.layer, verb="constructs", name=name)
