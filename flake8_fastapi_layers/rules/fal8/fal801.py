"""FAL801 `irreversible-migration`: an Alembic revision that cannot be rolled back (RULES.md §9)."""

from __future__ import annotations

import ast

from ...catalogue import Rule, Scope
from ...checker import Checker

FunctionDef = ast.FunctionDef | ast.AsyncFunctionDef

#: Module-level names that mark an Alembic revision script.
REVISION_MARKERS = frozenset({"revision", "down_revision"})

RULE = Rule(
    code="FAL801",
    name="irreversible-migration",
    message="migration {problem}; write the reverse of upgrade() so the revision "
    "can be rolled back",
    summary="An Alembic revision has no `downgrade()` function, or its body does "
    "nothing: only `pass`, `...`, a docstring or `raise NotImplementedError`.",
    rationale="Migrations must be reviewed and reversible (`downgrade()` required): "
    "a deploy that goes wrong is rolled back with `alembic downgrade`, and a revision "
    "without a working downgrade blocks the rollback of every revision before it.",
    fix="Undo in `downgrade()` what `upgrade()` does, in reverse order "
    "(`op.drop_index(...)`, then `op.drop_table(...)`).",
    bad='''\
# alembic/versions/0001_create_posts.py
"""Create posts."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("posts", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    pass
''',
    good='''\
# alembic/versions/0001_create_posts.py
"""Create posts."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("posts", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("posts")
''',
    scope=Scope(layers=frozenset({"migration"})),
    reported_on="the `downgrade` line, or line 1 when it is missing",
    limits="Only revision scripts are checked: modules that define `upgrade()` or "
    "assign `revision`/`down_revision` (an `__init__.py` or helper module in "
    "`versions/` is not one). An empty `downgrade()` is accepted when `upgrade()` is "
    "empty too (a merge revision or a no-op revision has nothing to reverse). Besides "
    "`pass`, `...` and docstrings, a bare `return` counts as doing nothing, and any "
    "`raise` statement (e.g. `raise RuntimeError('irreversible')`) counts like "
    "`raise NotImplementedError`: the migration cannot be rolled back. Comments are "
    "not code. A `downgrade` bound by assignment (`downgrade = make_downgrade(...)`) "
    "is trusted. A downgrade left empty on purpose (a data repair that must not be "
    "undone) is still reported: mark it `# noqa: FAL801` on the `def` line with the "
    "reason, so reviewers see the revision cannot be rolled back.",
)


def _module_functions(tree: ast.Module) -> dict[str, FunctionDef]:
    """Module-level defs by name (the last definition wins, as at run time)."""
    found: dict[str, FunctionDef] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[stmt.name] = stmt
    return found


def _assigned_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for stmt in tree.body:
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = list(stmt.targets)
        elif isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                names.add(target.id)
    return names


def empty_body(func: FunctionDef) -> str | None:
    """Why a function body does nothing (``"is only pass"``), or None if it does something."""
    raises = False
    for stmt in func.body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # docstring, `...`
        if isinstance(stmt, ast.Return) and (
            stmt.value is None
            or isinstance(stmt.value, ast.Constant)
            and stmt.value.value is None
        ):
            continue
        if isinstance(stmt, ast.Raise):
            raises = True
            break  # nothing after an unconditional raise runs
        return None
    if raises:
        return "raises instead of reverting"
    return "does nothing"


class IrreversibleMigration(Checker):
    rule = RULE

    def begin(self) -> None:
        ctx = self.ctx
        functions = _module_functions(ctx.tree)
        assigned = _assigned_names(ctx.tree)
        if "upgrade" not in functions and not (assigned & REVISION_MARKERS):
            return  # not a revision script
        downgrade = functions.get("downgrade")
        if downgrade is None:
            if "downgrade" not in assigned:
                self.report(1, problem="has no downgrade() function")
            return
        why = empty_body(downgrade)
        if why is None:
            return
        upgrade = functions.get("upgrade")
        if why == "does nothing" and upgrade is not None and empty_body(upgrade) == "does nothing":
            return  # a merge or no-op revision: nothing to reverse
        self.report(downgrade, problem=f"downgrade() {why}")
