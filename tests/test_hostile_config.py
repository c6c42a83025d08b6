"""Hostile configuration for every front end (issue 9 items 6-8; RULES.md §1, §13).

* a ``pyproject.toml`` that is not UTF-8, nests a value 5,000 deep, or is
  50 MB: one line naming the file, exit 2 (flake8, ``fastapi-layers check``,
  mypy), never a traceback or an INTERNAL ERROR;
* a broken ``[tool.fastapi-layers]`` in a nested project: found up front, one
  line, exit 2, whatever ``--select``/``--extend-ignore`` say; in mypy one
  blocking error, once;
* layer globs that backtrack (``*a*a*…*b.py``): matched in linear time, with
  today's semantics (a slow reference matcher and the old regex translation
  are the oracles).

Properties: random bytes, random nesting and random encodings as
``pyproject.toml`` only ever give a Config or a ConfigError; random globs
against random paths agree with the reference and stay fast.
``FAL_LONG_RUN=1`` multiplies the examples by 50 (see scaling.py).
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flake8_fastapi_layers import config as config_module
from flake8_fastapi_layers.config import Config, ConfigError
from flake8_fastapi_layers.engine import parse_table
from flake8_fastapi_layers.rules import CATALOGUE
from flake8_fastapi_layers.layers import (
    DEFAULT_LAYER_MAP,
    DEFAULT_PATTERNS,
    LayerMap,
    PatternError,
    compile_pattern,
)
from flake8_fastapi_layers.pyproject import (
    MAX_PYPROJECT_BYTES,
    governing_pyprojects,
    read_pyproject,
)
from scaling import scaled

#: The oracles compile glob classes such as '[[a]' as they are, like the old matcher did.
pytestmark = pytest.mark.filterwarnings("ignore:Possible:FutureWarning")

#: A name of 40 'a's: the old regex translation of HOSTILE_GLOB backtracks
#: on it for well over a minute.
HOSTILE_GLOB = "*a" * 14 + "*b.py"
HOSTILE_NAME = "a" * 40 + ".py"
DEEP = 5000


def run(cmd: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A front end in a child process; a hang fails the test."""
    env = dict(os.environ)
    env.pop("MYPY_FORCE_COLOR", None)
    return subprocess.run(
        cmd, cwd=cwd, input="", capture_output=True, text=True, timeout=timeout, env=env
    )


def flake8(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "flake8", "--isolated", *args], cwd, timeout)


def cli(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "flake8_fastapi_layers", *args], cwd, timeout)


def mypy(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """mypy with the plugin, configured in ``mypy.ini`` (mypy reads its own
    config file itself: a broken pyproject.toml there is mypy's to report)."""
    pytest.importorskip("mypy")
    (cwd / "mypy.ini").write_text("[mypy]\nplugins = mypy_layers_plugin\n")
    return run(
        [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--no-color-output",
         "--no-error-summary", *args],
        cwd, timeout=300,
    )  # fmt: skip


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a front end prints for a bad config (and nothing else)."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "INTERNAL ERROR" not in output, output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and not result.stdout, output
    return lines[0]


#: A module with a class: mypy's plugin hooks fire in it (the class trigger).
SERVICE = "class UserService:\n    pass\n"


# --------------------------------------------------------------------------
# Item 6: encodings, nesting, size
# --------------------------------------------------------------------------

TABLE = '[tool.fastapi-layers]\n# café\nfirst-party = ["app"]\n'
HUGE = (TABLE + "# padding padding padding padding padding padding\n" * 1_000_000).encode()
LONG_INTEGER = (TABLE + "[tool.other]\nx = " + "1" * 5000 + "\n").encode()


def _int_error() -> str:
    try:
        int("1" * 5000)
    except ValueError as exc:  # Python's own limit on int(str): tomllib meets it
        return str(exc)
    pytest.skip("no limit on integer string conversion in this Python")  # pragma: no cover


UNREADABLE = {
    "latin-1": (
        TABLE.encode("latin-1"),
        "not UTF-8 (byte 0xe9 on line 2); TOML files are UTF-8",
    ),
    "utf-16": (TABLE.encode("utf-16"), "UTF-16 text; TOML files are UTF-8: save it as UTF-8"),
    "nested": (
        ("[tool.other]\nx = " + "[" * DEEP + "]" * DEEP + "\n" + TABLE).encode(),
        "invalid TOML: values nested too deeply to read",
    ),
    "huge": (HUGE, f"too large ({len(HUGE):,} bytes; at most {MAX_PYPROJECT_BYTES:,} are read)"),
    "long-integer": (LONG_INTEGER, "invalid TOML: <int error>"),
}


def unreadable(kind: str) -> tuple[bytes, str]:
    content, problem = UNREADABLE[kind]
    if "<int error>" in problem:
        problem = problem.replace("<int error>", _int_error())
    return content, problem


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
def test_unreadable_pyproject_is_one_line_in_flake8_and_cli(tmp_path: Path, kind: str) -> None:
    content, problem = unreadable(kind)
    write(tmp_path, {"pyproject.toml": content, "app/services/user_service.py": SERVICE})
    expected = f"{tmp_path / 'pyproject.toml'}: [tool.fastapi-layers]: {problem}"

    for args in (["--select", "FAL", "."], ["--select", "FAL201", "app"], ["-"]):
        result = flake8(tmp_path, *args)
        assert one_line(result) == f"flake8-fastapi-layers: {expected}", args
        assert result.returncode == 2

    result = cli(tmp_path, "check", "app")
    assert one_line(result) == f"fastapi-layers: {expected}"
    assert result.returncode == 2


@pytest.mark.parametrize("kind", ["latin-1", "utf-16", "huge"])
@pytest.mark.parametrize("incremental", [False, True], ids=["no-incremental", "incremental"])
def test_unreadable_pyproject_is_one_mypy_error(tmp_path: Path, kind: str, incremental: bool) -> None:
    content, problem = unreadable(kind)
    write(tmp_path, {"pyproject.toml": content, "app/services/user_service.py": SERVICE,
                     "app/services/other_service.py": SERVICE})  # fmt: skip
    cache = ["--cache-dir", str(tmp_path / ".cache")] if incremental else ["--no-incremental"]
    for _ in range(2 if incremental else 1):  # a second run meets the same (no cache was written)
        result = mypy(tmp_path, *cache, "app")
        line = one_line(result)
        assert line == f"{tmp_path / 'pyproject.toml'}: error: [tool.fastapi-layers]: {problem}"
        assert result.returncode == 2


def test_deep_nesting_in_another_table_never_crashes_mypy(tmp_path: Path) -> None:
    # mypy raises the recursion limit: it reads 5,000 levels (valid TOML, not
    # our table: no error); flake8 and the CLI cannot, and say so (above).
    content, _ = unreadable("nested")
    write(tmp_path, {"pyproject.toml": content, "app/services/user_service.py": SERVICE})
    result = mypy(tmp_path, "--cache-dir", str(tmp_path / ".cache"), "app")
    assert "Traceback" not in result.stderr and "INTERNAL ERROR" not in result.stderr
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_deep_nesting_inside_the_table_is_one_clear_line(tmp_path: Path) -> None:
    deep = "[" * 200 + '"x"' + "]" * 200
    write(tmp_path, {"pyproject.toml": f"[tool.fastapi-layers]\nfirst-party = {deep}\n",
                     "app/services/user_service.py": SERVICE})  # fmt: skip
    problem = "expected a list of strings, got [[[[...]]]]"
    result = flake8(tmp_path, "--select", "FAL", "app")
    assert one_line(result) == (
        f"flake8-fastapi-layers: {tmp_path / 'pyproject.toml'}: [tool.fastapi-layers] first-party: {problem}"
    )
    result = mypy(tmp_path, "--cache-dir", str(tmp_path / ".cache"), "app")
    assert one_line(result) == (
        f"{tmp_path / 'pyproject.toml'}: error: [tool.fastapi-layers] first-party: {problem}"
    )
    assert result.returncode == 2


def test_a_huge_value_is_quoted_short() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_table({"first-party": [1] * 1_000_000}, "p/pyproject.toml")
    assert str(caught.value) == (
        "p/pyproject.toml: [tool.fastapi-layers] first-party: "
        "expected a list of strings, got [1, 1, 1, 1, 1, 1, 1, 1, ...]"
    )


def test_extend_layers_is_linear_in_the_number_of_globs() -> None:
    globs = [f"dir{i}/" for i in range(20_000)]
    start = time.perf_counter()
    config = parse_table({"extend-layers": {"service": globs + globs}})
    assert time.perf_counter() - start < 10  # quadratic de-duplication took minutes
    assert config.patterns["service"] == DEFAULT_PATTERNS["service"] + tuple(globs)


def test_read_pyproject_refuses_special_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pyproject.toml"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="^not a regular file$"):
        read_pyproject(str(fifo))  # returns at once: a FIFO is never opened
    with pytest.raises(ConfigError, match="not a regular file$"):
        config_module.load_config(str(fifo), CATALOGUE)


# --------------------------------------------------------------------------
# Item 7: nested projects are validated up front
# --------------------------------------------------------------------------

ROUTER_WITH_FINDING = (
    "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
    "@router.get('/')\nasync def index():\n    return {}\n"
)


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """A project with one finding (in ``app/``) and a broken nested project (``sub/``)."""
    return write(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'x'\n",
            "app/routers/a.py": ROUTER_WITH_FINDING,
            "sub/pyproject.toml": "[tool.fastapi-layers]\nbogus = 1\n",
            "sub/app/services/s.py": "x = 1\n",
            "sub/app/services/t.py": "y = 2\n",
        },
    )


def _nested_error(root: Path) -> str:
    return (
        f"{root / 'sub' / 'pyproject.toml'}: [tool.fastapi-layers] bogus: unknown key "
        "(known: first-party, disable, enable, annotations-everywhere, layers, extend-layers, per-file-ignores, FALnnn)"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--select", "FAL", "."],
        ["--select", "FAL201", "."],  # FAL000 would be filtered: the run must still stop
        ["--select", "FAL", "--extend-ignore", "FAL000", "."],
        ["--select", "FAL"],  # no path: flake8 walks '.'
        ["--select", "FAL", "sub/app"],  # governed from above
        ["--select", "FAL", "-j", "2", "app", "sub"],
    ],
)
def test_flake8_stops_on_a_broken_nested_project(nested: Path, args: list[str]) -> None:
    result = flake8(nested, *args)
    assert one_line(result) == f"flake8-fastapi-layers: {_nested_error(nested)}"
    assert result.returncode == 2


def test_flake8_validates_what_it_checks_and_nothing_else(nested: Path) -> None:
    write(nested, {".tox/py/pyproject.toml": b"\xff", ".tox/py/m.py": "",  # flake8's default exclude
                   "docs/pyproject.toml": b"\xff", "docs/readme.txt": ""})  # governs no .py file  # fmt: skip
    for args in (["--extend-exclude", "sub"], ["--exclude", "sub,.git,.tox"],
                 ["--extend-exclude", f"{nested}/sub"], ["app"]):  # fmt: skip
        result = flake8(nested, "--select", "FAL", *args)
        assert (result.returncode, result.stderr) == (1, ""), args
        assert "FAL000" not in result.stdout and "app/routers/a.py" in result.stdout, args
    # what flake8 checks (node_modules is not excluded by default) is validated
    write(nested, {"node_modules/x/pyproject.toml": b"\xff", "node_modules/x/m.py": ""})
    result = flake8(nested, "--select", "FAL", "--extend-exclude", "sub", ".")
    assert one_line(result) == (
        f"flake8-fastapi-layers: {nested / 'node_modules/x/pyproject.toml'}: [tool.fastapi-layers]: "
        "not UTF-8 (byte 0xff on line 1); TOML files are UTF-8"
    )
    # the CLI does not enter node_modules
    (nested / "sub/pyproject.toml").unlink()
    result = cli(nested, "check", ".")
    assert (result.returncode, result.stderr) == (1, ""), result.stderr


def test_cli_stops_before_checking_anything(nested: Path) -> None:
    result = cli(nested, "check", ".")
    assert one_line(result) == f"fastapi-layers: {_nested_error(nested)}"
    assert result.returncode == 2


def test_mypy_reports_a_broken_nested_project_once(nested: Path) -> None:
    # No hook fires in these modules (no calls, no classes): still one error.
    for cache in (["--no-incremental"], ["--cache-dir", str(nested / ".cache")]):
        result = mypy(nested, *cache, "sub/app")
        assert one_line(result) == _nested_error(nested).replace(
            ": [tool.fastapi-layers]", ": error: [tool.fastapi-layers]", 1
        )
        assert result.returncode == 2


def test_governing_pyprojects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "",
            "a/m.py": "",
            "a/p/pyproject.toml": "",  # governs a .py file
            "a/p/deep/x.py": "",
            "a/q/pyproject.toml": "",  # governs no .py file
            "a/q/notes.txt": "",
            "a/r/pyproject.toml": "",  # excluded below
            "a/r/x.py": "",
            "a/.tox/pyproject.toml": "",  # not entered by the CLI
            "a/.tox/x.py": "",
            "a/s/pyproject.toml/x.py": "",  # a directory named pyproject.toml
            "b/pyproject.toml": "",
        },
    )
    monkeypatch.chdir(tmp_path)
    cli_walk = list(governing_pyprojects(["a", "b/x.py", "-"]))
    flake8_walk = list(governing_pyprojects(["a/"], exclude=["r", "*.txt"]))
    in_pyi = list(governing_pyprojects(["a"], exclude=[], filename_patterns=["*.pyi"]))
    top, p, r, tox, b = (
        str(tmp_path / name / "pyproject.toml") for name in ("", "a/p", "a/r", "a/.tox", "b")
    )
    assert cli_walk == [top, p, r, b]
    assert sorted(flake8_walk) == sorted([top, p, tox])
    assert in_pyi == [top]


# --------------------------------------------------------------------------
# Item 8: globs that cannot blow up
# --------------------------------------------------------------------------


def test_hostile_glob_is_linear(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": f'[tool.fastapi-layers.extend-layers]\nservice = ["{HOSTILE_GLOB}"]\n',
            f"app/{HOSTILE_NAME}": "import os\n",
            "app/" + "a" * 40 + "b.py": "import os\n",
        },
    )
    for run_front_end in (
        lambda: flake8(tmp_path, "--select", "FAL", "app", timeout=30),
        lambda: cli(tmp_path, "layers", "--all", "app", timeout=30),
    ):
        result = run_front_end()  # the old regex: more than 60 s
        assert "Traceback" not in result.stderr and result.returncode in (0, 1), result.stderr
    assert sorted(result.stdout.splitlines()) == [
        f"-             app/{HOSTILE_NAME}",
        "service       app/" + "a" * 40 + "b.py",
    ]


@pytest.mark.parametrize(
    "glob, path",
    [
        (HOSTILE_GLOB, HOSTILE_NAME),
        ("*a" * 30 + "*b.py", "a" * 2000 + ".py"),
        ("?*" * 40 + "b.py", "x" * 3000 + ".py"),
        ("[ab]*" * 30 + "c.py", "ab" * 1000 + ".py"),
        ("**/" * 40 + "x.py", "/".join(["d"] * 400) + "/y.py"),
        ("**/*a*a*a*a*/" * 10, "/".join(["a" * 30] * 60) + "/y.py"),
    ],
)
def test_worst_cases_stay_fast(glob: str, path: str) -> None:
    layer_map = LayerMap.build({"service": [glob]})
    start = time.perf_counter()
    layer_map.classify(path)
    assert time.perf_counter() - start < 0.5


def test_bad_globs_keep_their_messages() -> None:
    messages = {
        "": "empty pattern",
        " x.py": "pattern has leading or trailing spaces",
        "x\\y.py": "use '/' as the path separator",
        "/abs.py": "patterns are relative to the project root; drop the leading '/'",
        "a//b/": "empty, '.' or '..' path component",
        "foo": "a file pattern must name a .py file; end a directory pattern with '/'",
        "a/**b/": "'**' must be a whole path component",
        "[ab.py": "unclosed '[' in glob",
        "[z-a].py": "bad character class '[z-a]': bad character range z-a",
        "[^]x[a].py": "bad character class '[^]': unterminated character set",
    }
    for glob, message in messages.items():
        with pytest.raises(PatternError) as caught:
            compile_pattern(glob, "router")
        assert str(caught.value) == message, glob


# -- oracles ---------------------------------------------------------------


def reference_match(pattern: str, path: str) -> bool:
    """The spec, slowly: ``pattern`` (no trailing '/') matches a run of
    trailing components of ``path``.  ``*``/``?``/``[...]`` never match '/',
    ``**/`` is zero or more non-empty components, a final ``**`` one or more."""

    @functools.lru_cache(maxsize=None)
    def full(pi: int, si: int) -> bool:
        if pi == len(pattern):
            return si == len(path)
        whole = (pi == 0 or pattern[pi - 1] == "/") and pattern.startswith("**", pi)
        if whole and pi + 2 == len(pattern):
            rest = path[si:]
            return rest != "" and all(rest.split("/"))
        if whole and pattern[pi + 2] == "/":
            if full(pi + 3, si):
                return True
            end = path.find("/", si)
            return end > si and full(pi, end + 1)
        char = pattern[pi]
        if char == "*":
            return full(pi + 1, si) or (si < len(path) and path[si] != "/" and full(pi, si + 1))
        if si == len(path) or path[si] == "/" and char != "/":
            return False
        if char == "?":
            return full(pi + 1, si + 1)
        if char == "[":
            end = pattern.find("]", pi + 2 if pattern[pi + 1 : pi + 2] in ("!", "]") else pi + 1)
            body = pattern[pi + 1 : end]
            body = "^" + body[1:] if body.startswith("!") else body
            return re.fullmatch(f"[{body}]", path[si]) is not None and full(end + 1, si + 1)
        return path[si] == char and full(pi + 1, si + 1)

    starts = [0] + [i + 1 for i, ch in enumerate(path) if ch == "/"]
    return any(full(0, start) for start in starts)


def legacy_regex(text: str) -> re.Pattern[str]:
    """The translation of the old matcher (a backtracking regex), for small
    inputs only; a class is kept off '/' (the one deliberate change)."""
    body = ""
    parts = text.rstrip("/").split("/")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            body += "[^/]+(?:/[^/]+)*" if last else "(?:[^/]+/)*"
            continue
        out, j = [], 0
        while j < len(part):
            ch = part[j]
            if ch == "*":
                out.append("[^/]*")
            elif ch == "?":
                out.append("[^/]")
            elif ch == "[":
                end = part.find("]", j + 2 if part[j + 1 : j + 2] in ("!", "]") else j + 1)
                inner = part[j + 1 : end]
                inner = "^" + inner[1:] if inner.startswith("!") else inner
                out.append("(?!/)[" + inner + "]")
                j = end
            else:
                out.append(re.escape(ch))
            j += 1
        body += "".join(out) + ("" if last else "/")
    return re.compile("(?:^|/)" + body + r"\Z")


def legacy_classify(layer_map: LayerMap, path: str) -> str | None:
    """The old ``_classify`` over regexes (same precedence rules)."""
    path = path.lstrip("/")
    regex = {p.text: legacy_regex(p.text) for p in layer_map.file_patterns + layer_map.dir_patterns}

    def nearest(patterns: Any) -> str | None:
        directory = path.rpartition("/")[0]
        while directory:
            for pattern in patterns:
                if regex[pattern.text].search(directory):
                    return str(pattern.layer)
            directory = directory.rpartition("/")[0]
        return None

    for special in ("test", "migration"):
        for pattern in layer_map.file_patterns + layer_map.dir_patterns:
            if pattern.layer != special:
                continue
            if nearest([pattern]) if pattern.is_dir else regex[pattern.text].search(path):
                return special
    for pattern in layer_map.file_patterns:
        if regex[pattern.text].search(path):
            parent = path.rpartition("/")[0].rpartition("/")[2]
            if pattern.layer in ("model", "schema") and parent in (
                "routers", "router", "routes", "endpoints", "views"
            ):  # fmt: skip
                return "router"
            return pattern.layer
    return nearest(layer_map.dir_patterns)


# -- properties ---------------------------------------------------------------

GLOB_ALPHABET = "ab*?[]!^-/."
glob_text = st.text(GLOB_ALPHABET, min_size=1, max_size=14).map(
    lambda s: s if s.endswith("/") or "*" in s.rpartition("/")[2] else s + ".py"
)
name_text = st.text("ab.-[]!^p/y", min_size=0, max_size=12)
path_parts = st.lists(name_text.filter(lambda s: "/" not in s), min_size=1, max_size=5)


def timed(call: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = call()
    assert time.perf_counter() - start < 0.05, "a glob match took more than 50 ms"
    return result


@settings(max_examples=scaled(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(glob=glob_text, parts=path_parts)
@example(glob="*/", parts=["", "", ""])  # empty components: the path is '//'
def test_glob_agrees_with_the_reference_and_the_old_regex(glob: str, parts: list[str]) -> None:
    try:
        pattern = compile_pattern(glob, "service")
    except PatternError:
        return  # a clear error is all a bad glob may give
    path = "/".join(parts)
    for end in range(1, len(parts) + 1):
        prefix = "/".join(parts[:end])
        got = timed(lambda: pattern.matches(parts, end))
        assert got == reference_match(glob.rstrip("/"), prefix), (glob, prefix)
        assert got == bool(legacy_regex(glob).search(prefix)), (glob, prefix)
    layer_map = LayerMap.build({**DEFAULT_PATTERNS, "service": (glob, *DEFAULT_PATTERNS["service"])})
    assert timed(lambda: layer_map.classify(path)) == legacy_classify(layer_map, path)


long_names = st.text("ab*?", min_size=0, max_size=300)
long_globs = st.text("ab*?", min_size=1, max_size=60).map(lambda s: re.sub(r"\*+", "*", s))


@settings(max_examples=scaled(200), deadline=None)
@given(glob=long_globs, name=long_names)
def test_long_globs_against_long_names_stay_fast(glob: str, name: str) -> None:
    pattern = compile_pattern(glob + ".py", "service")
    got = timed(lambda: pattern.matches([name + ".py"], 1))
    if len(glob) <= 20 and len(name) <= 40:
        assert got == reference_match(glob + ".py", name + ".py")


SEGMENTS = ["app", "src", "api", "v1", "routers", "routes", "services", "models", "domain",
            "schemas", "core", "db", "tests", "alembic", "versions", "features", "users", "crud"]  # fmt: skip
FILES = ["main.py", "models.py", "user_service.py", "users.py", "test_x.py", "conftest.py",
         "deps.py", "schemas.py", "config.py", "a_crud.py", "__init__.py", "errors.py"]  # fmt: skip


@settings(max_examples=scaled(300), deadline=None)
@given(dirs=st.lists(st.sampled_from(SEGMENTS), max_size=5), name=st.sampled_from(FILES))
def test_default_classification_is_unchanged(dirs: list[str], name: str) -> None:
    path = "/".join([*dirs, name])
    assert DEFAULT_LAYER_MAP.classify(path) == legacy_classify(DEFAULT_LAYER_MAP, path)


# -- pyproject.toml of any content -------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pyprojects")


def load_bytes(directory: Path, content: bytes) -> Config:
    """``load_config`` of a pyproject.toml holding ``content``: a Config, or
    a ConfigError naming the file in one line; anything else fails."""
    path = directory / "pyproject.toml"
    path.write_bytes(content)
    config_module.clear_caches()
    try:
        return config_module.load_config(str(path), CATALOGUE)
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: [tool.fastapi-layers]") and "\n" not in message
        raise


def config_or_error(directory: Path, content: bytes) -> Config | ConfigError:
    try:
        return load_bytes(directory, content)
    except ConfigError as exc:
        return exc


@settings(max_examples=scaled(300), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(content=st.binary(max_size=400))
def test_random_bytes(scratch: Path, content: bytes) -> None:
    config_or_error(scratch, content)
    config_or_error(scratch, b"[tool.fastapi-layers]\n" + content)


def toml_value(value: Any) -> str:
    """A TOML inline value (json quoting is TOML quoting for these strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


scalars = st.one_of(st.booleans(), st.integers(-5, 10**6), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
keys = st.one_of(
    st.sampled_from([*config_module.TOP_LEVEL_KEYS, "FAL205", "FAL501", "FAL999", "fal205"]),
    st.text(max_size=8),
)
layer_tables = st.dictionaries(
    st.sampled_from(["router", "service", "model", "routers", ""]),
    st.lists(st.text(GLOB_ALPHABET + "ab", max_size=8), max_size=3),
    max_size=3,
)


@settings(max_examples=scaled(300), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    table=st.dictionaries(keys, st.one_of(values, layer_tables), max_size=4),
    other=values,
    depth=st.integers(0, 3000),
)
@example(table={"\n": {}}, other=[], depth=1)  # a key that would have split the line
def test_structured_tables(scratch: Path, table: dict[str, Any], other: Any, depth: int) -> None:
    text = (
        f"[tool.other]\nx = {toml_value(other)}\n"
        f"deep = {'[' * depth}{']' * depth}\n"
        f"[tool.fastapi-layers]\n"
        + "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items())
    )
    config_or_error(scratch, text.encode())


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1",
             "cp1252", "shift_jis", "koi8-r"]  # fmt: skip
comments = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10)


@settings(max_examples=scaled(200), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(encoding=st.sampled_from(ENCODINGS), comment=comments)
def test_encodings_of_a_valid_table(scratch: Path, encoding: str, comment: str) -> None:
    text = f'[tool.fastapi-layers]\n# {comment}\nfirst-party = ["app"]\n'
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        return
    result = config_or_error(scratch, content)
    if content == text.encode("utf-8"):
        assert isinstance(result, Config) and result.first_party == {"app"}, result
    elif encoding.startswith(("utf-16", "utf-32", "utf-8-sig")):
        assert isinstance(result, ConfigError), encoding
