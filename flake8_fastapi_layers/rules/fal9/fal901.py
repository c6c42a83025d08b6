"""FAL901 `sleep-in-test`: a test module calls ``time.sleep()`` (RULES.md §10)."""

from __future__ import annotations

import ast

from ...catalogue import Rule, Scope
from ...checker import Checker

RULE = Rule(
    code="FAL901",
    name="sleep-in-test",
    message="test calls 'time.sleep()'; wait on an event or condition with a timeout, "
    "or use a fake clock",
    summary="A test module calls `time.sleep()`, however it is imported.",
    rationale="Never use `time.sleep()` in tests: a fixed sleep makes the suite slow "
    "and flaky (too short on a loaded CI machine, too long everywhere else), and in "
    "async tests it blocks the event loop the code under test runs on.",
    fix="Wait on what the test needs (`threading.Event.wait(timeout)`, a future, "
    "`await` an `asyncio.Event`), or freeze/mock the clock (`freezegun`, "
    "`time-machine`, patching `time.sleep`) instead of letting real time pass.",
    bad="""\
# tests/test_tokens.py
from __future__ import annotations

import time

from app.core.security import is_expired, issue_token


def test_token_expires() -> None:
    token = issue_token(ttl_seconds=1)
    time.sleep(2)
    assert is_expired(token)
""",
    good="""\
# tests/test_tokens.py
from __future__ import annotations

import time_machine

from app.core.security import is_expired, issue_token


def test_token_expires() -> None:
    with time_machine.travel(0, tick=False) as clock:
        token = issue_token(ttl_seconds=1)
        clock.shift(2)
        assert is_expired(token)
""",
    scope=Scope(layers=frozenset({"test"})),
    reported_on="the call",
    limits="Calls only, with the name resolved through the imports (`from time import "
    "sleep`, `import time as t`): `mocker.patch('time.sleep')`, "
    "`monkeypatch.setattr(time, 'sleep', ...)` and `side_effect=time.sleep` do not "
    "call it and are not flagged; `asyncio.sleep` is not `time.sleep`. A parameter "
    "named `time` that shadows the module is not tracked. The guideline bans the call "
    "outright, so a sleep in a polling helper or a fixture in a test module is "
    "reported too; silence a deliberate one with `# noqa: FAL901` and a reason.",
)

SLEEP = "time.sleep"


class SleepInTest(Checker):
    rule = RULE

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        # cheap exit before resolving: the callee must be spelled `...sleep` or an alias
        if isinstance(func, ast.Attribute):
            if func.attr != "sleep":
                return
        elif not isinstance(func, ast.Name):
            return
        if self.ctx.names.qualname(func) == SLEEP:
            self.report(node)
