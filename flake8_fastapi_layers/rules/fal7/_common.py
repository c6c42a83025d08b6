"""What several FAL7xx codes share: reading a string literal (FAL701, FAL702,
FAL703, FAL705) and a call's keyword argument (FAL701, FAL702, FAL704)."""

from __future__ import annotations

import ast


def str_value(node: ast.AST | None) -> str | None:
    """The text of a string literal, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    """The value of ``call``'s keyword argument ``name``, else None."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None
