"""FAL304 `god-service`: a service class with too many public methods (RULES.md §4)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...catalogue import Rule, option
from ...checker import Checker
from ._common import SERVICES

#: Decorators that make a method an attribute, not an operation.
PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
PROTOCOL_CLASSES = frozenset({"typing.Protocol", "typing_extensions.Protocol"})


@dataclass(frozen=True)
class GodServiceOptions:
    """``[tool.fastapi-layers.FAL304]``"""

    max_public_methods: int = option(
        20, "The most public methods a service class may have.", minimum=1
    )


RULE = Rule(
    code="FAL304",
    name="god-service",
    message="service class '{name}' has {count} public methods (max {maximum}); "
    "split it by use case",
    summary="A class in a service module has more than N public methods "
    "(default 20).",
    rationale="A service that does everything (users, e-mail, payments, reports) "
    "has many reasons to change, many collaborators, and tests that need all of "
    "them. Split it along use cases or aggregates.",
    fix="Split the class into services per use case or aggregate; move helpers "
    "that need no service state into functions.",
    bad="""\
# app/services/post_service.py
from __future__ import annotations

from app.domain.post import Comment, Post, Report


class PostService:  # 21 public methods: posts, comments, moderation, mail and billing
    async def create(self, post: Post) -> Post: ...
    async def update(self, post: Post) -> Post: ...
    async def delete(self, post_id: int) -> None: ...
    async def publish(self, post_id: int) -> None: ...
    async def unpublish(self, post_id: int) -> None: ...
    async def feed(self, user_id: int) -> list[Post]: ...
    async def search(self, text: str) -> list[Post]: ...
    async def add_comment(self, comment: Comment) -> Comment: ...
    async def edit_comment(self, comment: Comment) -> Comment: ...
    async def delete_comment(self, comment_id: int) -> None: ...
    async def like(self, post_id: int, user_id: int) -> None: ...
    async def unlike(self, post_id: int, user_id: int) -> None: ...
    async def report(self, report: Report) -> None: ...
    async def hide(self, post_id: int) -> None: ...
    async def ban_author(self, post_id: int) -> None: ...
    async def notify_followers(self, post_id: int) -> None: ...
    async def send_digest(self, user_id: int) -> None: ...
    async def charge_promotion(self, post_id: int, cents: int) -> None: ...
    async def refund_promotion(self, post_id: int) -> None: ...
    async def export_csv(self, user_id: int) -> bytes: ...
    async def stats(self, post_id: int) -> int: ...
""",
    good="""\
# app/services/post_service.py
from __future__ import annotations

from app.domain.post import Post


class PostService:  # comments, moderation, mail and billing have services of their own
    async def create(self, post: Post) -> Post: ...
    async def update(self, post: Post) -> Post: ...
    async def delete(self, post_id: int) -> None: ...
    async def publish(self, post_id: int) -> None: ...
    async def feed(self, user_id: int) -> list[Post]: ...
""",
    scope=SERVICES,
    reported_on="the `class` line",
    options=GodServiceOptions,
    limits="Public methods are the `def`/`async def` statements directly in the "
    "class body whose names do not start with `_` (dunders and private helpers do "
    "not count); static and class methods count; a name defined several times "
    "(`@overload`s) counts once; properties (`@property`, `@cached_property`, "
    "`@x.setter`) are attributes, not operations, and do not count; nested classes "
    "and inherited methods do not count. Every class of a service module counts "
    "except `Protocol` classes (interfaces of collaborators) and exception "
    "classes (deriving from a built-in exception or named `...Error`/"
    "`...Exception`).",
)


class GodService(Checker):
    rule = RULE

    def begin(self) -> None:
        self.max_methods = self.ctx.config.options(GodServiceOptions).max_public_methods

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        public: set[str] = set()
        for stmt in node.body:
            if (
                isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                and not stmt.name.startswith("_")
                and not _is_property(stmt)
            ):
                public.add(stmt.name)
        if len(public) > self.max_methods and not self._exempt_class(node):
            self.report(node, name=node.name, count=len(public), maximum=self.max_methods)

    def _exempt_class(self, node: ast.ClassDef) -> bool:
        if node.name.endswith(("Error", "Exception")):
            return True
        names = self.ctx.names
        for base in node.bases:
            if isinstance(base, ast.Subscript):
                base = base.value
            qualified = names.qualname(base)
            if qualified is None:
                continue
            if qualified in PROTOCOL_CLASSES:
                return True
            if qualified.startswith("builtins.") and qualified.endswith(("Error", "Exception")):
                return True
        return False


def _is_property(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in PROPERTY_DECORATORS:
            return True
        if isinstance(decorator, ast.Attribute) and (
            decorator.attr in PROPERTY_DECORATORS
            or decorator.attr in ("setter", "getter", "deleter")
        ):
            return True
    return False
