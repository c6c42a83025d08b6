"""FAL204 `schema-in-router`: a pydantic model defined in a router module (RULES.md §3)."""

from __future__ import annotations

import ast

from ...analysis import keyword
from ...catalogue import Rule, Scope
from ...checker import Checker

#: The pydantic model bases, by qualified name.
PYDANTIC_BASES = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic.v1.BaseModel",
        "pydantic.v1.main.BaseModel",
        "pydantic.RootModel",
        "pydantic.root_model.RootModel",
        "pydantic.generics.GenericModel",
        "pydantic.v1.generics.GenericModel",
        "sqlmodel.SQLModel",
        "sqlmodel.main.SQLModel",
    }
)

RULE = Rule(
    code="FAL204",
    name="schema-in-router",
    message="pydantic model '{name}' is defined in a router module; "
    "move it to the schema layer",
    summary="A class deriving from pydantic `BaseModel` (or `RootModel`, "
    "`GenericModel`) or from `SQLModel` without `table=True` is defined in a "
    "`router` module.",
    rationale="Pydantic request/response schemas live in the schema layer, not "
    "inline in routers, so that services, tests and other routers can share them "
    "without importing a router.",
    fix="Move the class to `schemas.py` (or `schemas/<feature>.py`) and import it.",
    bad="""\
# app/routers/users.py
from __future__ import annotations

from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    email: str
""",
    good="""\
# app/schemas/user.py
from __future__ import annotations

from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    email: str
""",
    scope=Scope(layers=frozenset({"router"})),
    reported_on="the `class` line",
    limits="Bases are resolved through the module's imports: a project's own base "
    "class (`from app.schemas.base import BaseModel`, `class Foo(BaseSchema)`) is "
    "not guessed to be pydantic, but a class deriving from a pydantic model defined "
    "earlier in the same module is reported too. A `SQLModel` class with "
    "`table=True` is an ORM model, not a schema.",
)


class SchemaInRouter(Checker):
    rule = RULE

    def begin(self) -> None:
        #: models defined earlier in the module (a subclass of one is a model too)
        self.local_models: set[str] = set()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if not node.bases:
            return
        names = self.ctx.names
        is_model = False
        for base in node.bases:
            if isinstance(base, ast.Subscript):  # RootModel[list[int]], Generic-ish
                base = base.value
            if isinstance(base, ast.Name) and base.id in self.local_models:
                is_model = True
                break
            if names.qualname(base) in PYDANTIC_BASES:
                is_model = True
                break
        if not is_model:
            return
        table = keyword(node, "table")
        if isinstance(table, ast.Constant) and table.value is True:
            return  # an ORM model (SQLModel, table=True)
        self.local_models.add(node.name)
        self.report(node, name=node.name)
