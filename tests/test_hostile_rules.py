"""Hostile input for the rules (issue 9, RULES.md §13: never crash, never hang).

* string annotations too long or too deep for CPython's parser or for
  ``ast.unparse`` (one bounded reader, ``analysis.parse_string_annotation``);
* FAL208's include scan meets FIFOs, ``/dev/zero`` and huge files (regular
  files only, a size cap, only when FAL208 is on);
* a rule that crashes costs one finding naming it, never the other findings
  of the file or of the run; the mypy plugin reports its own errors;
* properties: generated annotations of any length and depth, in every place
  a rule reads them, never make ``check_source`` raise or report an internal
  error.  ``FAL_LONG_RUN=1`` multiplies the examples by 50 (see scaling.py).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_fastapi_layers import engine as engine_module
from flake8_fastapi_layers.checker import Checker, Finding
from flake8_fastapi_layers.config import Config
from flake8_fastapi_layers.engine import DEFAULT_CONFIG, check_source, check_tree, parse_table
from flake8_fastapi_layers import files
from flake8_fastapi_layers.plugin import Plugin
from flake8_fastapi_layers.rules import CATALOGUE
from flake8_fastapi_layers.rules.fal2 import _includes, fal208
from flake8_fastapi_layers.rules.fal2.fal201 import SyncRouteHandler
from flake8_fastapi_layers.rules.fal2.fal205 import BusinessLogicInRoute
from flake8_fastapi_layers.rules.fal2.fal208 import RouteWithoutAuth
from flake8_fastapi_layers.rules.fal7.fal704 import ExceptionDetailsToClient
from scaling import scaled

REPO = Path(__file__).resolve().parent.parent
FAL208_ON = parse_table({"enable": ["FAL208"]})
#: What the issue's reproducer writes: CPython's parser raises MemoryError on it.
LONG = "a b " * 800
#: ``-----…1``: RecursionError in CPython's parser.
DASHES = "-" * 4999 + "1"

Row = tuple[int, int, str, str]


def rows(findings: list[Finding]) -> list[Row]:
    return [(f.line, f.col, f.code, f.message) for f in findings]


def check(source: str, relpath: str, root: Path, config: Config = DEFAULT_CONFIG) -> list[Row]:
    path = root / relpath
    return rows(check_source(textwrap.dedent(source), str(path), config=config, root=str(root)))


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def limited_memory() -> None:  # pragma: no cover - runs in the child process
    """A child that reads /dev/zero dies of MemoryError at 2 GB instead of
    swapping the machine to a halt."""
    import resource  # POSIX only

    limit = 2 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_child(cmd: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A front end in a child process: a hang fails the test (timeout), a
    memory blow-up too (a 2 GB address-space limit)."""
    return subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limited_memory if sys.platform != "win32" else None,
    )


def flake8(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return run_child([sys.executable, "-m", "flake8", "--isolated", *args], cwd, timeout)


def assert_no_internal_error(findings: list[Finding]) -> None:
    assert not [f for f in findings if "internal error" in f.message], rows(findings)


# -- 1. long or deep string annotations ---------------------------------------------

SERVICE = f"""\
from __future__ import annotations

import time


def build() -> {LONG!r}:
    return None


async def refresh(x: {LONG!r}) -> None:
    time.sleep(1)
"""

REPOSITORY = f"""\
from __future__ import annotations


def rows() -> {LONG!r}:
    return None


def deep() -> {"dict[str, " + "-" * 500 + "1]"!r}:
    return None


def raw() -> dict[str, object]:
    return {{}}
"""

EXCEPTION_HANDLERS = f"""\
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.exception_handler({LONG!r})
async def on_error(request: Request, exc: {LONG!r}) -> JSONResponse:
    return JSONResponse({{"detail": str(exc)}}, status_code=500)


@app.exception_handler(ValueError)
async def on_value_error(request: Request, exc: ValueError) -> JSONResponse:
    return JSONResponse({{"detail": str(exc)}}, status_code=400)
"""


def test_long_string_annotations_in_a_service(tmp_path: Path) -> None:
    # Return (FAL606's reader) and parameter annotations: read as unparsable,
    # and the rest of the file is still checked.
    assert check(SERVICE, "app/services/report_service.py", tmp_path) == [
        (
            11,
            4,
            "FAL501",
            "FAL501 blocking call 'time.sleep' in async def 'refresh' stalls the event loop; "
            "use 'await asyncio.sleep()'",
        )
    ]


def test_long_and_deep_string_annotations_in_a_repository(tmp_path: Path) -> None:
    # FAL401 reads the long one (MemoryError) and unparses the deep one (RecursionError).
    assert check(REPOSITORY, "app/repositories/order_repository.py", tmp_path) == [
        (
            12,
            0,
            "FAL401",
            "FAL401 repository function 'raw' returns raw data 'dict[str, object]'; return typed "
            "domain objects (an ORM model, dataclass or schema), not raw rows or dicts",
        )
    ]


def test_long_string_annotations_in_exception_handlers(tmp_path: Path) -> None:
    # FAL704 reads the handled class and the handler's parameters.
    leak = (
        "FAL704 exception details (str(exc)) sent to the client in JSONResponse content; "
        "log the exception and return a fixed message"
    )
    assert [row[:3] for row in check(EXCEPTION_HANDLERS, "app/main.py", tmp_path)] == [
        (11, 35, "FAL704"),
        (11, 58, "FAL207"),
        (16, 35, "FAL704"),
        (16, 58, "FAL207"),
    ]
    assert check(EXCEPTION_HANDLERS, "app/main.py", tmp_path)[0][3] == leak


def test_flake8_run_keeps_other_files_findings(tmp_path: Path) -> None:
    """The issue's case: a crash in a string annotation aborted the whole
    ``-j2`` run and another file's finding was lost.  (The issue's ``"a b a b
    …"`` also crashes pyflakes, which flake8 runs whatever ``--select`` says;
    this deep annotation crashed only this plugin: FAL401's ``ast.unparse``.)"""
    deep = "dict[str, " + "-" * 380 + "1]"
    write(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'x'\n",
            "app/repositories/order_repository.py": (
                f"from __future__ import annotations\n\n\ndef rows() -> {deep!r}:\n    return {{}}\n"
            ),
            "app/services/user_service.py": "import fastapi\n",
        },
    )
    result = flake8(tmp_path, "-j2", "--select", "FAL", "app")
    assert result.stderr == ""
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == [
        "app/services/user_service.py:1:1: FAL103 service imports the HTTP framework 'fastapi'; "
        "keep fastapi/starlette at the edge (routers, dependencies, middleware)",
        "app/services/user_service.py:1:1: FAL601 service module lacks 'from __future__ import "
        "annotations'; add it as the first import of the module",
    ]


def test_one_bounded_reader_of_annotation_strings() -> None:
    from flake8_fastapi_layers.analysis import (
        MAX_ANNOTATION_CHARS,
        MAX_ANNOTATION_DEPTH,
        parse_annotation_text,
    )

    assert ast.dump(parse_annotation_text(" dict[str, Any] ")) == ast.dump(  # type: ignore[arg-type]
        ast.parse("dict[str, Any]", mode="eval").body
    )
    assert parse_annotation_text(LONG) is None
    assert parse_annotation_text(DASHES) is None
    assert parse_annotation_text("x" * MAX_ANNOTATION_CHARS) is not None
    assert parse_annotation_text("x" * (MAX_ANNOTATION_CHARS + 1)) is None
    # depth: a Subscript chain counts its value, slice and their ctx nodes
    assert parse_annotation_text("-" * (MAX_ANNOTATION_DEPTH - 2) + "1") is not None
    assert parse_annotation_text("-" * MAX_ANNOTATION_DEPTH + "1") is None
    assert parse_annotation_text("list[") is None
    assert parse_annotation_text("a\x00b") is None
    # No rule parses annotation strings its own way.
    for path in sorted((REPO / "flake8_fastapi_layers" / "rules").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert 'mode="eval"' not in text and "mode='eval'" not in text, path.name


# -- 2. FAL208's annotation reader ---------------------------------------------------

ROUTER = """\
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/orders")
async def list_orders(x: {annotation!r}) -> list[int]:
    return []
"""


@pytest.mark.parametrize("annotation", [DASHES, LONG, "-" * 900 + "1"], ids=["dashes", "long", "deep"])
def test_fal208_reads_long_and_deep_annotations(annotation: str, tmp_path: Path) -> None:
    source = ROUTER.format(annotation=annotation)
    assert check(source, "app/routers/orders.py", tmp_path, FAL208_ON) == [
        (
            9,
            0,
            "FAL208",
            "FAL208 route handler 'list_orders' (GET /orders) has no auth dependency; "
            "add Depends(get_current_user) or list the path in public-paths",
        )
    ]


# -- 4. the include scan: regular files only, a size cap, only when on ---------------

SCAN_TREE = {
    "pyproject.toml": '[tool.fastapi-layers]\nenable = ["FAL208"]\n',
    "app/__init__.py": "",
    "app/routers/__init__.py": "",
    "app/routers/orders.py": """\
        from __future__ import annotations

        from fastapi import APIRouter

        router = APIRouter()


        @router.get("/orders")
        async def list_orders() -> list[int]:
            return []
        """,
    "app/routers/items.py": """\
        from __future__ import annotations

        from fastapi import APIRouter

        router = APIRouter()


        @router.get("/items")
        async def list_items() -> list[int]:
            return []
        """,
    # read: includes the orders router with auth
    "app/main.py": """\
        from __future__ import annotations

        from fastapi import Depends, FastAPI

        from app.deps import get_current_user
        from app.routers import items, orders

        app = FastAPI()
        app.include_router(orders.router, dependencies=[Depends(get_current_user)])
        app.include_router(items.router)
        """,
}
ITEMS_FINDING = (
    "app/routers/items.py:9:1: FAL208 route handler 'list_items' (GET /items) has no auth "
    "dependency; add Depends(get_current_user) or list the path in public-paths"
)


def scan_tree(root: Path, hostile: str) -> Path:
    write(root, SCAN_TREE)
    if hostile == "fifo":
        os.mkfifo(root / "app" / "pipe.py")
    elif hostile == "dev-zero":
        (root / "app" / "zero.py").symlink_to("/dev/zero")
    elif hostile == "huge":
        # would authenticate the items router, but is past the size cap: skipped
        padding = "#" * 99 + "\n"
        text = "app.include_router(items.router, dependencies=[Depends(get_current_user)])\n"
        count = files.MAX_FILE_BYTES // len(padding) + 1
        (root / "app" / "huge.py").write_text(padding * count + text)
    return root


posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


@posix_only
@pytest.mark.parametrize("hostile", ["fifo", "dev-zero", "huge"])
def test_include_scan_skips_special_and_huge_files_in_flake8(hostile: str, tmp_path: Path) -> None:
    root = scan_tree(tmp_path, hostile)
    result = flake8(root, "--select", "FAL", "app/routers/orders.py", "app/routers/items.py", timeout=30)
    assert (result.stdout.splitlines(), result.stderr, result.returncode) == ([ITEMS_FINDING], "", 1)


@posix_only
@pytest.mark.parametrize("hostile", ["fifo", "dev-zero"])
def test_include_scan_skips_special_files_through_check_path(hostile: str, tmp_path: Path) -> None:
    root = scan_tree(tmp_path, hostile)
    script = (
        "from flake8_fastapi_layers.engine import check_path\n"
        "for path in ('app/routers/orders.py', 'app/routers/items.py'):\n"
        "    for f in check_path(path):\n"
        "        print(path, f.line, f.col, f.code)\n"
    )
    result = run_child([sys.executable, "-c", script], root, timeout=30)
    assert (result.stdout, result.stderr) == ("app/routers/items.py 9 0 FAL208\n", "")


@posix_only
def test_read_regular_file(tmp_path: Path) -> None:
    read = files.read_regular_file
    (tmp_path / "ok.py").write_bytes(b"x = 1\n")
    (tmp_path / "link.py").symlink_to(tmp_path / "ok.py")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "dir.py").mkdir()
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    (tmp_path / "big.py").write_bytes(b"#" * 11)
    assert read(str(tmp_path / "ok.py")) == b"x = 1\n"
    assert read(str(tmp_path / "link.py")) == b"x = 1\n"  # a symlink to a regular file is read
    for name in ("dangling.py", "dir.py", "pipe.py", "zero.py", "missing.py"):
        assert read(str(tmp_path / name)) is None, name
    assert read(str(tmp_path / "big.py"), limit=11) == b"#" * 11
    assert read(str(tmp_path / "big.py"), limit=10) is None
    assert read(str(tmp_path / "bad\0name.py")) is None
    assert 1_000_000 <= files.MAX_FILE_BYTES <= 2_000_000


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The roots FAL208 scans for include sites, recorded (nothing is read)."""
    calls: list[str] = []

    def record(root: str) -> tuple[_includes.ScannedModule, ...]:
        calls.append(root)
        return ()

    monkeypatch.setattr(fal208, "including_modules", record)
    return calls


def test_include_scan_only_when_fal208_is_on_check_tree(tmp_path: Path, scans: list[str]) -> None:
    root = write(tmp_path, SCAN_TREE)
    source = (root / "app/routers/items.py").read_text()
    tree = ast.parse(source)
    off = parse_table({"disable": ["FAL208"]})
    path = str(root / "app/routers/items.py")
    assert check_tree(tree, path, source.splitlines(True), off, str(root), ["FAL208"]) == []
    assert check_tree(tree, path, source.splitlines(True), parse_table({}), str(root)) == []
    assert scans == []  # disabled, or off by default and not selected: never scanned
    found = check_tree(tree, path, source.splitlines(True), parse_table({}), str(root), ["FAL208"])
    assert [f.code for f in found] == ["FAL208"] and scans == [str(root)]


def test_include_scan_only_when_fal208_is_on_flake8(
    tmp_path: Path, scans: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flake8.main.application import Application

    files = dict(SCAN_TREE, **{"pyproject.toml": "[project]\nname = 'x'\n"})
    root = write(tmp_path, files)
    monkeypatch.chdir(root)

    def flake8_here(*args: str) -> list[str]:
        app = Application()
        app.run(["--isolated", "-j1", *args, "app/routers/items.py"])
        return capsys.readouterr().out.splitlines()

    assert flake8_here("--select", "FAL") == []
    assert scans == []  # FAL208 is off by default: not computed, nothing read
    assert flake8_here("--select", "FAL,FAL208") == [ITEMS_FINDING]
    assert scans == [str(root)]


# -- 10. a crashing rule costs one finding, never the others -------------------------

HANDLERS = """\
from __future__ import annotations

import time

from fastapi import APIRouter

router = APIRouter()


@router.get("/first")
def first() -> int:
    return 1


@router.get("/second")
async def second(x) -> int:
    time.sleep(1)
    return 2


@router.get("/third")
def third() -> int:
    return 3
"""
NO_FAL208 = parse_table({"disable": ["FAL208"]})
FIRST_IS_SYNC = (
    11,
    0,
    "FAL201",
    "FAL201 route handler 'first' is a plain def; make it 'async def' and await async services",
)
FIRST_HAS_NO_AUTH = (
    11,
    0,
    "FAL208",
    "FAL208 route handler 'first' (GET /first) has no auth dependency; add "
    "Depends(get_current_user) or list the path in public-paths",
)
THIRD_IS_SYNC = (
    22,
    0,
    "FAL201",
    "FAL201 route handler 'third' is a plain def; make it 'async def' and await async services",
)
SECOND_UNANNOTATED = (
    16,
    0,
    "FAL602",
    "FAL602 router function 'second' has unannotated parameter(s) 'x'; annotate every parameter",
)
SECOND_SLEEPS = (
    17,
    4,
    "FAL501",
    "FAL501 blocking call 'time.sleep' in async def 'second' stalls the event loop; "
    "use 'await asyncio.sleep()'",
)


def internal(line: int, col: int, code: str, rule: str, checker: str, error: str) -> Row:
    return (
        line,
        col,
        code,
        f"{code} internal error in rule {rule} ({checker}) on this file: {error}; "
        "please report this as a bug of flake8-fastapi-layers with the file",
    )


def raise_on(name: str, original: Any) -> Any:
    """``original`` (a visitor), raising on the function called ``name``."""

    def visitor(self: Any, node: Any) -> None:
        if getattr(node, "name", None) == name:
            raise ValueError(f"boom in\n{name}")
        original(self, node)

    return visitor


def test_crashing_visitors_are_switched_off_and_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RouteWithoutAuth (FAL208) and ExceptionDetailsToClient (fal7) crash on the same node;
    # TypingChecker (fal6) visits it between them, AsyncChecker (fal5) below it.
    monkeypatch.setattr(
        RouteWithoutAuth,
        "visit_AsyncFunctionDef",
        raise_on("second", RouteWithoutAuth.visit_AsyncFunctionDef),
    )
    monkeypatch.setattr(
        ExceptionDetailsToClient,
        "visit_AsyncFunctionDef",
        raise_on("second", ExceptionDetailsToClient.visit_AsyncFunctionDef),
    )
    assert check(HANDLERS, "app/routers/orders.py", tmp_path, FAL208_ON) == [
        FIRST_IS_SYNC,
        FIRST_HAS_NO_AUTH,  # reported before the crash: kept
        internal(16, 0, "FAL208", "FAL208", "RouteWithoutAuth", "ValueError: boom in second"),
        SECOND_UNANNOTATED,
        internal(
            16, 0, "FAL704", "FAL704", "ExceptionDetailsToClient", "ValueError: boom in second"
        ),
        SECOND_SLEEPS,
        THIRD_IS_SYNC,  # FAL201 has a checker of its own: still on
        # nothing more from RouteWithoutAuth: 'third' has no auth but is not reported
    ]


@pytest.mark.parametrize("where", ["begin", "leave", "end"])
def test_crash_in_begin_leave_or_end(where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: Any, *node: Any) -> None:
        raise KeyError(where)

    # SyncRouteHandler (FAL201) has no leave_*: BusinessLogicInRoute (FAL205) has
    checker: type[Checker]
    checker, method = {
        "begin": (SyncRouteHandler, "begin"),
        "leave": (BusinessLogicInRoute, "leave_AsyncFunctionDef"),
        "end": (SyncRouteHandler, "end"),
    }[where]
    monkeypatch.setattr(checker, method, boom)
    found = check(HANDLERS, "app/routers/orders.py", tmp_path, NO_FAL208)
    crash = internal(1, 0, "FAL201", "FAL201", "SyncRouteHandler", f"KeyError: '{where}'")
    leave_crash = internal(16, 0, "FAL205", "FAL205", "BusinessLogicInRoute", "KeyError: 'leave'")
    expected = {
        "begin": [crash, SECOND_UNANNOTATED, SECOND_SLEEPS],
        "leave": [FIRST_IS_SYNC, leave_crash, SECOND_UNANNOTATED, SECOND_SLEEPS, THIRD_IS_SYNC],
        "end": [crash, FIRST_IS_SYNC, SECOND_UNANNOTATED, SECOND_SLEEPS, THIRD_IS_SYNC],
    }
    assert found == expected[where]


class TwoCodes(Checker):
    """A checker of several codes (as families not split into one checker per
    code have), crashing on the function 'second'."""

    rules = (CATALOGUE["FAL201"], CATALOGUE["FAL202"], CATALOGUE["FAL205"])

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        if node.name == "second":
            raise ValueError("boom in\nsecond")


def test_crash_reported_under_the_first_code_that_is_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "CHECKERS", (*engine_module.CHECKERS, TwoCodes))
    config = parse_table({"disable": ["FAL201", "FAL202", "FAL208"]})
    found = check(HANDLERS, "app/routers/orders.py", tmp_path, config)
    assert found == [
        internal(16, 0, "FAL205", "FAL201/FAL202/FAL205", "TwoCodes", "ValueError: boom in second"),
        SECOND_UNANNOTATED,
        SECOND_SLEEPS,
    ]


def plugin_rows(root: Path, relpath: str, source: str) -> list[tuple[int, int, str]]:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    plugin = Plugin(ast.parse(source), str(path), source.splitlines(True))
    return [(line, col, message) for line, col, message, _ in plugin.run()]


def test_flake8_plugin_reports_a_rule_crash_with_the_other_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.setattr(
        BusinessLogicInRoute,
        "leave_AsyncFunctionDef",
        raise_on("second", BusinessLogicInRoute.leave_AsyncFunctionDef),
    )
    monkeypatch.setattr(Plugin, "_selected", frozenset())
    assert plugin_rows(tmp_path, "app/routers/orders.py", HANDLERS) == [
        row[:2] + row[3:] for row in (
            FIRST_IS_SYNC,
            internal(
                16, 0, "FAL205", "FAL205", "BusinessLogicInRoute", "ValueError: boom in second"
            ),
            SECOND_UNANNOTATED,
            SECOND_SLEEPS,
            THIRD_IS_SYNC,
        )
    ]


def test_flake8_plugin_turns_a_crash_outside_the_rules_into_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")

    def broken(*args: Any) -> Any:
        raise RuntimeError("no layer\ntoday")

    monkeypatch.setattr(engine_module, "module_info", broken)
    assert plugin_rows(tmp_path, "app/routers/orders.py", HANDLERS) == [
        (
            1,
            0,
            "FAL000 internal error of flake8-fastapi-layers on this file: RuntimeError: no layer "
            "today; please report this as a bug with the file",
        )
    ]


# -- 10. the mypy plugin reports its own errors ----------------------------------------

CRASHING_PLUGIN = '''\
"""The layers plugin with three of its parts broken on purpose."""
from mypy_layers_plugin import hooks
from mypy_layers_plugin.hooks import LayersPlugin

classify = LayersPlugin._classify_function


def classify_function(self, fullname):
    if fullname == "time.sleep":
        raise LookupError("cannot classify")
    return classify(self, fullname)


def check_blocking(self, *args):
    raise ValueError("blocking check broke")


def repository_findings(tree):
    raise TypeError("sweep broke")


LayersPlugin._classify_function = classify_function
LayersPlugin._check_blocking = check_blocking
hooks.repository_findings = repository_findings


def plugin(version):
    return LayersPlugin
'''

MYPY_PROJECT = {
    "pyproject.toml": """\
        [tool.mypy]
        plugins = ["crashing_layers_plugin"]
        files = ["app"]
        python_version = "3.10"
        """,
    "plugins/crashing_layers_plugin.py": CRASHING_PLUGIN,
    "app/__init__.py": "",
    "app/services/__init__.py": "",
    "app/repositories/__init__.py": "",
    "app/services/report_service.py": """\
        from __future__ import annotations

        import subprocess
        import time

        from fastapi import HTTPException


        async def build() -> None:
            time.sleep(1)
            time.sleep(2)
            subprocess.run(["true"])


        def fail() -> None:
            raise HTTPException(status_code=404)
        """,
    "app/repositories/order_repository.py": """\
        from __future__ import annotations


        class OrderRepository:
            def get(self) -> dict[str, object]:
                return {}
        """,
}
BUG = "please report this as a bug of flake8-fastapi-layers (mypy_layers_plugin) with the file  [fal]"


@pytest.fixture(scope="module")
def crashing_mypy(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy")
    root = write(tmp_path_factory.mktemp("mypy"), MYPY_PROJECT)
    env = {k: v for k, v in os.environ.items() if k not in ("FAL_MYPY_DEBUG", "MYPY_FORCE_COLOR")}
    env["MYPYPATH"] = str(REPO / "tests" / "mypy" / "stubs")
    env["PYTHONPATH"] = str(root / "plugins")
    cmd = [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", "--no-incremental"]
    cmd += ["--cache-dir", os.devnull, "--show-error-codes", "--no-error-summary", "--no-pretty"]
    cmd += ["--no-color-output"]
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_mypy_plugin_reports_its_own_errors(crashing_mypy: subprocess.CompletedProcess[str]) -> None:
    """Each broken part is one ``fal`` error where it broke, asking for a bug
    report; the parts that work still report (FAL301); mypy does not crash."""
    result = crashing_mypy
    assert (result.stderr, result.returncode) == ("", 1)
    assert result.stdout.splitlines() == [
        "app/repositories/order_repository.py:1: error: fastapi-layers internal error in FAL401 "
        f"(fal-repository-raw-return): TypeError: sweep broke; {BUG}",
        # classifying the callee broke: once, at its first call (not again on line 11)
        "app/services/report_service.py:10: error: fastapi-layers internal error in the checks "
        f"of calls to 'time.sleep': LookupError: cannot classify; {BUG}",
        "app/services/report_service.py:12: error: fastapi-layers internal error in FAL501/FAL102 "
        "(fal-blocking-in-async, fal-router-uses-repository): ValueError: blocking check broke; "
        f"{BUG}",
        "app/services/report_service.py:16: error: FAL301 HTTPException constructed in service "
        "module; raise a domain exception and translate it to HTTP at the edge (router, dependency "
        "or exception handler)  [fal-http-outside-edge]",
    ]


# -- properties: generated string annotations, everywhere a rule reads them ---------

#: Pieces of type expressions and of what breaks parsers.
TOKENS = [
    "a", "b", " ", "[", "]", "(", ")", "|", ",", "-", "~", "not ", "*", "**", ".", ":", "1",
    "'", '"', "\\", "\n", "\x00", "lambda ", "await ", "yield ", "if ", "else ", "=",
    "Annotated", "Optional", "Union", "dict", "list", "str", "Any", "Depends(auth)", "None",
    "é", "\u200b",
]  # fmt: skip
#: (opening, closing) of nestable type expressions.
NESTINGS = [
    ("[", "]"), ("(", ")"), ("list[", "]"), ("Annotated[", ", Depends(auth)]"),
    ("dict[str, ", "]"), ("Optional[", "]"), ("Union[a, ", "]"), ("-", ""), ("not ", ""),
    ("a | ", ""), ("lambda: ", ""), ("'", "'"),
]  # fmt: skip


#: Repetitions: small, around the bounds of the reader and of CPython's
#: parser (hundreds), and past them (thousands).
COUNTS = st.one_of(st.integers(1, 60), st.integers(200, 1200), st.integers(2500, 6000))


def repeated() -> st.SearchStrategy[str]:
    """One piece many times: ``a b a b …``, ``a|a|a…``, ``-----…``."""
    unit = st.sampled_from(["a b ", "a|", "a | ", "-", "[", "a[", "(a b ", "not ", "a.", *TOKENS])
    return st.builds(lambda u, n, tail: u * n + tail, unit, COUNTS, st.sampled_from(["", "1", "a", "]"]))


def nested() -> st.SearchStrategy[str]:
    """``list[list[…[int]…]]`` to any depth, balanced or cut off."""

    def build(pair: tuple[str, str], depth: int, core: str, closed: bool) -> str:
        return pair[0] * depth + core + (pair[1] * depth if closed else "")

    cores = st.sampled_from(["int", "a b", "1", ""])
    return st.builds(build, st.sampled_from(NESTINGS), COUNTS, cores, st.booleans())


def soup() -> st.SearchStrategy[str]:
    """Random token soup, repeated to several thousand characters."""
    tokens = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40).map("".join)
    return st.builds(lambda text, n: text * n, tokens, st.integers(1, 200))


ANNOTATIONS = st.one_of(repeated(), nested(), soup(), st.text(max_size=300))

#: (where it sits, source template with ``{a}`` for the annotation's literal, config)
PLACES: dict[str, tuple[str, str, Config]] = {
    "return": (
        "app/services/report_service.py",
        "from __future__ import annotations\n\ndef build() -> {a}:\n    return None\n",
        DEFAULT_CONFIG,
    ),
    "parameter": (
        "app/services/report_service.py",
        "async def build(x: {a}, *args: {a}, **kw: {a}) -> list[{a}]:\n    return []\n",
        DEFAULT_CONFIG,
    ),
    "exception-handler": (
        "app/main.py",
        "from fastapi import FastAPI, Request\nfrom fastapi.responses import JSONResponse\n"
        "app = FastAPI()\n\n@app.exception_handler({a})\n"
        "async def on_error(request: Request, exc: {a}) -> JSONResponse:\n"
        "    try:\n        pass\n    except {a} as err:\n        return JSONResponse(str(err))\n"
        "    return JSONResponse({{'detail': str(exc)}})\n",
        DEFAULT_CONFIG,
    ),
    "repository": (
        "app/repositories/x.py",
        "def rows(db: {a}) -> {a}:\n    return db.execute(q)\n\n"
        "class Repo:\n    async def get(self) -> dict[str, {a}]:\n        return {{}}\n",
        DEFAULT_CONFIG,
    ),
    "router": (
        "app/routers/orders.py",
        "from typing import Annotated\nfrom fastapi import APIRouter, Depends\n"
        "router = APIRouter()\nAuth = Annotated[{a}, Depends(get_current_user)]\n\n"
        "@router.get('/orders')\nasync def orders(x: {a}, y: Annotated[{a}, Depends(f)]) -> {a}:\n"
        "    return []\n",
        FAL208_ON,
    ),
}


@pytest.fixture(scope="module")
def empty_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("root")


@pytest.mark.parametrize("place", sorted(PLACES))
@settings(max_examples=scaled(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotation=ANNOTATIONS)
def test_generated_annotations_never_crash_a_rule(place: str, annotation: str, empty_root: Path) -> None:
    relpath, template, config = PLACES[place]
    source = template.format(a=repr(annotation))
    findings = check_source(source, str(empty_root / relpath), config=config, root=str(empty_root))
    assert_no_internal_error(findings)
