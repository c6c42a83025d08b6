"""Every use of a mypy *internal* API, in one place.

mypy's plugin interface (``mypy.plugin``) gives a hook the checker as a
``CheckerPluginInterface``: ``fail``, ``path``, ``msg``, ``options``,
``named_generic_type`` … but not three facts this plugin needs.  They are read
here, defensively (``getattr``; a missing attribute degrades to the safe
answer), so that a change in mypy breaks this module and nothing else.  Tested
against mypy 1.10–1.20 and 2.0–2.4.

1. ``TypeChecker.plugin`` – the chained plugin mypy consults.  Used to *pass
   through*: when one of our hooks fires, we ask the rest of the chain for its
   hook for the same name and run it, so that mypy's default plugin and any
   other plugin keep working for names we also hook.
2. ``TypeChecker.scope.stack`` (``CheckerScope``) – the functions and classes
   being checked.  Used to tell whether a call sits directly in an
   ``async def`` (lambdas and nested defs are on the stack too).
3. ``TypeChecker.tree`` – the ``MypyFile`` being checked, for the
   definition-site checks – and the ``scope`` object itself as the mark of one
   check of that module: mypy creates a checker per module and a new scope
   on ``TypeChecker.reset()``, which dmypy calls before re-checking a module
   whose tree and checker it keeps.
4. ``Errors._watchers`` (the ``ErrorWatcher`` stack).  mypy checks many
   expressions inside watchers: to cache them (mypy 2: every call expression
   not in statement position), to try overload items, union members or a
   second type context and keep one outcome.  A plain ``fail`` inside a
   watcher would be dropped with a discarded alternative, or – worse – would
   make mypy reject an alternative and change its own inference
   (python/mypy#7367).  Our findings do not depend on the alternative (the
   offence is in the source either way), so :func:`report` records them
   *past* the watchers, the way mypy itself treats its ``deprecated`` notes.
   A finding recorded on several passes is one line of output: mypy removes
   duplicate messages on a line.
5. ``mypy.errors.CompileError`` – how mypy itself stops a build with a
   blocking error (a syntax error, a module it cannot find): its messages are
   printed once and mypy exits with status 2.  :func:`stop_build` raises it
   for a configuration that cannot be used (the plugin API has no way to
   report an error outside a module being checked).
"""

from __future__ import annotations

from typing import Any, NoReturn

from mypy.errorcodes import ErrorCode
from mypy.errors import CompileError
from mypy.nodes import Context, FuncItem, MypyFile


def plugin_chain(api: Any) -> Any:
    """The plugin chain of the checker (``TypeChecker.plugin``), or None."""
    return getattr(api, "plugin", None)


def enclosing_function(api: Any) -> FuncItem | None:
    """The innermost function (a def, an async def or a lambda) being checked.

    Reads ``TypeChecker.scope.stack``; None at module or class level or when
    the attribute is missing.
    """
    scope = getattr(api, "scope", None)
    stack = getattr(scope, "stack", None)
    if not isinstance(stack, list):
        return None
    for item in reversed(stack):
        if isinstance(item, FuncItem):
            return item
    return None


def check_pass(api: Any) -> object | None:
    """An object that is the same for one check of one module and new for the
    next (``TypeChecker.scope``), or None."""
    return getattr(api, "scope", None)


def current_tree(api: Any) -> MypyFile | None:
    """The module being checked (``TypeChecker.tree``)."""
    tree = getattr(api, "tree", None)
    return tree if isinstance(tree, MypyFile) else None


def report(api: Any, message: str, context: Context, code: ErrorCode) -> None:
    """``api.fail(message, context, code=code)`` past any ``ErrorWatcher``.

    Detaches ``Errors._watchers`` for the duration of the call and puts it
    back unchanged.  Without that attribute, falls back to a plain ``fail``.
    """
    msg = getattr(api, "msg", None)
    errors = getattr(msg, "errors", None)
    watchers = getattr(errors, "_watchers", None)
    if not isinstance(watchers, list) or not watchers:
        api.fail(message, context, code=code)
        return
    saved = list(watchers)
    watchers.clear()
    try:
        api.fail(message, context, code=code)
    finally:
        watchers[:] = saved


def stop_build(message: str) -> NoReturn:
    """Stop mypy's build with one blocking error line (exit status 2), the
    way mypy reports a module it cannot find; dmypy reports it the same way."""
    raise CompileError([message])
