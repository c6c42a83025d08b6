"""``fastapi-layers``: a front end equal to flake8 that never crashes, never
hangs and never goes silent (RULES.md §13).

* ``check`` hides exactly what flake8's ``noqa`` hides (compared with flake8
  itself, in-process, on fixed comment variants and on generated ones);
* a file that cannot be read or parsed is one ``E902``/``E999`` line, the other
  files are still checked, exit 2; FIFOs and devices are never opened;
* off-by-default codes that are not reported are not computed;
* a missing path, a directory that cannot be listed, an output that cannot be
  written: one line naming the path, exit 2; never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_fastapi_layers import cli
from flake8_fastapi_layers.config import clear_caches

FINDING = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+[0-9]+) ")
SECRET = (
    "hardcoded secret in '{}'; read it from settings (a BaseSettings field without a default) "
    "or the environment"
)

Found = set[tuple[str, int, int, str]]


def run(*argv: str) -> tuple[int, str, str]:
    """``fastapi-layers ARGV`` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(list(argv))
    return status, out.getvalue(), err.getvalue()


def parse(text: str) -> Found:
    found = set()
    for row in text.splitlines():
        match = FINDING.match(row)
        assert match, row
        found.add((match["path"], int(match["line"]), int(match["col"]), match["code"]))
    return found


def flake8_report(directory: Path, *paths: Path) -> Found:
    """What flake8 itself reports with ``--select FAL``, E999 included."""
    from flake8.main.application import Application

    out = directory / "flake8.out"
    out.unlink(missing_ok=True)  # flake8 appends to --output-file
    Application().run(
        ["--isolated", "--select", "FAL,E999", "-j", "1", "--output-file", str(out)]
        + [str(p) for p in paths]
    )
    return parse(out.read_text())


def cli_report(*paths: Path) -> Found:
    """What ``fastapi-layers check`` reports: findings and E999 lines together."""
    status, out, err = run("check", *map(str, paths))
    found = parse(out) | parse(err)
    assert status == (2 if parse(err) else 1 if found else 0), (status, out, err)
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    clear_caches()
    return tmp_path


# -- noqa: flake8's semantics exactly -------------------------------------------------

#: One line with FAL701, one with FAL702 and FAL701.
ONE = 'password = "hunter2"'
TWO = 'db.execute("DELETE FROM t WHERE k=" + k, token="abc")'

NOQA_VARIANTS = [
    "# noqa: WPS201",  # another tool's code: hides nothing of ours
    "# noqa:SIM102",
    "#noqa",  # not flake8's syntax: hides nothing
    "# noqa: fal701",  # codes are case-sensitive
    "# noqa",
    "# NoQA",
    "# NOQA:FAL701",
    "# noqa : FAL701",  # a blanket noqa followed by text
    "# noqa:  FAL701",  # two spaces: a blanket noqa too
    "# noqa:FAL701,FAL702",
    "# noqa: FAL701 FAL702",
    "# noqa: FAL7",
    "# noqa: FAL",
    "# noqa:E501,FAL702",
    "# noqa: FAL701, WPS201",
    "# noqa:FAL702 because reasons",
    "# type: ignore # noqa: FAL701",
]

MULTI_LINE = '''\
from __future__ import annotations

secret = """
abc
"""  # noqa: FAL701
x = call(token="a",
         password="b")  # noqa: FAL701
y = call(
    token="a",
)  # noqa
api_key = \\
    "abc"  # noqa: FAL701
s = "# noqa"; password = "x"
'''


def test_noqa_variants_hide_what_flake8_hides(project: Path) -> None:
    paths = []
    for number, comment in enumerate(NOQA_VARIANTS):
        path = project / f"m{number}.py"
        path.write_text(f"from __future__ import annotations\n\n{ONE}  {comment}\n{TWO}  {comment}\n")
        paths.append(path)
    (project / "multi.py").write_text(MULTI_LINE)
    (project / "skipped.py").write_text(f"{ONE}\n# flake8: noqa\n")
    paths += [project / "multi.py", project / "skipped.py"]

    expected = flake8_report(project, *paths)
    assert cli_report(*paths) == expected
    # the cases that differed before, as flake8 has them
    for number in range(4):  # other tools' codes, #noqa, lower case: nothing hidden
        assert {(line, code) for p, line, _, code in expected if p.endswith(f"m{number}.py")} == {
            (3, "FAL701"), (4, "FAL702"), (4, "FAL701")
        }
    multi = {(line, code) for p, line, _, code in expected if p.endswith("multi.py")}
    # a call's lines are separate (NL tokens), a string's and a continuation's are
    # one; the regex also finds "# noqa" inside a string on the line
    assert multi == {(6, "FAL701"), (9, "FAL701")}


@st.composite
def noqa_comments(draw: st.DrawFn) -> str:
    hash_ = draw(st.sampled_from(["#", "# ", "#  ", "#\t"]))
    word = draw(st.sampled_from(["noqa", "NOQA", "NoQa", "noQA", "nqa"]))
    separator = draw(st.sampled_from(["", ":", ": ", " : ", ":  ", ":\t", "="]))
    codes = draw(
        st.lists(
            st.sampled_from(
                ["FAL701", "FAL702", "fal701", "FAL7", "FAL", "F", "FAL70", "FAL7011",
                 "WPS201", "SIM102", "E501", "X1"]
            ),
            max_size=3,
        )
    )
    joiner = draw(st.sampled_from([",", ", ", " ", " ,", ",,"]))
    tail = draw(st.sampled_from(["", " trailing words", "  # another comment", ","]))
    return f"{hash_}{word}{separator}{joiner.join(codes)}{tail}"


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comments=st.lists(noqa_comments(), min_size=2, max_size=2), multi=st.booleans())
def test_any_noqa_comment_hides_the_same_in_both_front_ends(
    tmp_path_factory: pytest.TempPathFactory, comments: list[str], multi: bool
) -> None:
    directory = tmp_path_factory.mktemp("noqa")
    (directory / "pyproject.toml").write_text("")
    first, second = comments
    if multi:  # the comment after a multi-line call and after a multi-line string
        body = f'x = call(\n    token="a", api_key="b")  {first}\nsecret = """\nabc\n"""  {second}\n'
    else:
        body = f"{ONE}  {first}\n{TWO}  {second}\n"
    path = directory / "m.py"
    path.write_text(f"from __future__ import annotations\n\n{body}")
    assert cli_report(path) == flake8_report(directory, path)


# -- files that cannot be read or parsed ---------------------------------------------

READ_CASES = {
    "syntax.py": b"def f(:\n",
    "latin1.py": b'password = "caf\xe9"\n',  # not UTF-8: flake8 reads it as Latin-1
    "cookie.py": b'# -*- coding: bogus -*-\npassword = "x"\n',
    "bom.py": b'\xef\xbb\xbfpassword = "x"\n',
    "crlf.py": b'from __future__ import annotations\r\n\r\npassword = (\r\n  "x")  # noqa\r\ntoken = "y"\r\n',
    "formfeed.py": b'from __future__ import annotations\n\x0c\nx = 1  # \x0c\npassword = "x"\n',
}


def test_unreadable_sources_give_what_flake8_gives(project: Path) -> None:
    paths = []
    for name, data in READ_CASES.items():
        (project / name).write_bytes(data)
        paths.append(project / name)
    expected = flake8_report(project, *paths)
    assert {(Path(p).name, code) for p, _, _, code in expected if code == "E999"} == {
        ("syntax.py", "E999")
    }
    assert cli_report(*paths) == expected
    # the text of the line too
    status, _, err = run("check", str(project / "syntax.py"))
    assert (status, err) == (2, f"{project / 'syntax.py'}:1:8: E999 SyntaxError: invalid syntax\n")


def test_null_bytes_are_one_e999_line(project: Path) -> None:
    # flake8 says the same on Python 3.11.4+, and crashes on 3.10 (a ValueError)
    nul = project / "nul.py"
    nul.write_bytes(b"x = 1\x00\n")
    status, out, err = run("check", str(nul))
    assert (status, out) == (2, "")
    assert err in {
        f"{nul}:1:1: E999 {error}: source code string cannot contain null bytes\n"
        for error in ("SyntaxError", "ValueError")
    }


def test_a_too_deep_expression_is_one_e999_line_and_the_run_goes_on(project: Path) -> None:
    deep = project / "deep.py"
    deep.write_text("x = " + "+".join(["a"] * 10_000) + "\n")
    other = project / "other.py"
    other.write_text(f"{ONE}\n")
    status, out, err = run("check", str(project))
    future = (
        "FAL601 module lacks 'from __future__ import annotations'; add it as the first import of the module"
    )
    checked = f"{other}:1:1: {future}\n{other}:1:12: FAL701 {SECRET.format('password')}\n"
    if sys.version_info < (3, 11):  # its parser builds this tree: the file is checked
        assert (status, out, err) == (1, f"{deep}:1:1: {future}\n{checked}", "")
    else:
        assert (status, out) == (2, checked)
        assert err == (
            f"{deep}:1:1: E999 RecursionError: maximum recursion depth exceeded during ast construction\n"
        )


@pytest.mark.parametrize(
    "error",
    [RecursionError("maximum recursion depth exceeded"), MemoryError(), ValueError("null bytes")],
)
def test_any_parse_failure_is_one_e999_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    (project / "a.py").write_text("x = 1\n")

    def fail(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(cli.ast, "parse", fail)
    status, out, err = run("check", str(project / "a.py"))
    text = f"{type(error).__name__}: {error}" if error.args else type(error).__name__
    assert (status, out, err) == (2, "", f"{project / 'a.py'}:1:1: E999 {text}\n")


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@needs_fifo
def test_special_files_are_never_opened(project: Path) -> None:
    os.mkfifo(project / "pipe.py")
    links = {"zero.py": "/dev/zero", "null.py": "/dev/null"}
    for name, target in links.items():
        if os.path.exists(target):
            (project / name).symlink_to(target)
    (project / "dir.py").mkdir()  # a directory named like a module: walked, nothing in it
    (project / "ok.py").write_text("from __future__ import annotations\n")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_fastapi_layers", "check", "."],
        cwd=project, capture_output=True, text=True, timeout=60,
    )
    kinds = {"pipe.py": "a FIFO", "zero.py": "a character device", "null.py": "a character device"}
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == "".join(
        f"./{name}:0:1: E902 OSError: not a regular file ({kinds[name]}); not read\n"
        for name in sorted(kinds)
        if name == "pipe.py" or name in links and os.path.exists(links[name])
    )


def _deny(monkeypatch: pytest.MonkeyPatch, name: str, path: Path) -> None:
    """``os.<name>(path)`` fails with EACCES, also for root (who chmod does not stop)."""
    real: Callable[..., object] = getattr(os, name)

    def denied(target: object, *args: object, **kwargs: object) -> object:
        if os.fspath(target) == str(path):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real(target, *args, **kwargs)

    monkeypatch.setattr(os, name, denied)


def test_a_file_that_cannot_be_opened_is_one_e902_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = project / "secret.py"
    secret.write_text("x = 1\n")
    secret.chmod(0)
    _deny(monkeypatch, "open", secret)
    (project / "ok.py").write_text(f"from __future__ import annotations\n{ONE}\n")
    status, out, err = run("check", str(project))
    assert status == 2
    assert out == f"{project / 'ok.py'}:2:12: FAL701 {SECRET.format('password')}\n"
    assert err == f"{secret}:0:1: E902 PermissionError: [Errno 13] Permission denied: '{secret}'\n"


def test_a_crash_while_checking_one_file_loses_no_other_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "a.py").write_text("x = 1\n")
    (project / "b.py").write_text(f"from __future__ import annotations\n{ONE}\n")
    real = cli.check_tree

    def check_tree(tree: object, path: str, *args: object, **kwargs: object) -> object:
        if path.endswith("a.py"):
            raise KeyError("boom")
        return real(tree, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "check_tree", check_tree)
    status, out, err = run("check", str(project))
    assert status == 2
    assert out == f"{project / 'b.py'}:2:12: FAL701 {SECRET.format('password')}\n"
    assert err == f"fastapi-layers: {project / 'a.py'}: internal error: KeyError: 'boom'; please report\n"


def test_an_unexpected_error_is_one_line_never_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: object) -> int:
        raise AttributeError("nope")

    monkeypatch.setattr(cli, "cmd_rules", broken)
    assert run("rules") == (2, "", "fastapi-layers: internal error: AttributeError: nope; please report\n")


def test_a_file_name_that_is_not_utf8_is_printed(project: Path) -> None:
    name = b"caf\xe9.py"
    try:
        with open(os.path.join(os.fsencode(project), name), "wb") as handle:
            handle.write(b'password = "x"\n')
    except OSError:
        pytest.skip("this file system wants UTF-8 names")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_fastapi_layers", "check", "."],
        cwd=project, capture_output=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stderr == b""
    assert completed.stdout.splitlines() == [
        b"./caf\\udce9.py:1:1: FAL601 module lacks 'from __future__ import annotations'; "
        b"add it as the first import of the module",
        b"./caf\\udce9.py:1:12: FAL701 " + SECRET.format("password").encode(),
    ]


# -- off-by-default codes: not computed when not reported ----------------------------

ROUTER = '''\
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/x")
async def get_x(user: {annotation}) -> int:
    return 1
'''


def test_check_does_not_compute_fal208_when_it_is_off(project: Path) -> None:
    # FAL208's annotation reader crashed on this (issue 9, item 2): off, it must not run
    router = project / "app" / "routers" / "items.py"
    router.parent.mkdir(parents=True)
    router.write_text(ROUTER.format(annotation='"' + "-" * 5000 + '1"'))
    assert run("check", str(router)) == (0, "", "")


def test_off_by_default_codes_are_still_reported_when_selected(project: Path) -> None:
    router = project / "app" / "routers" / "items.py"
    router.parent.mkdir(parents=True)
    router.write_text(ROUTER.format(annotation="int"))
    finding = (
        f"{router}:9:1: FAL208 route handler 'get_x' (GET /x) has no auth dependency; "
        "add Depends(get_current_user) or list the path in public-paths\n"
    )
    assert run("check", str(router)) == (0, "", "")
    assert run("check", "--extend-select", "FAL607, FAL208", str(router)) == (1, finding, "")
    (project / "pyproject.toml").write_text('[tool.fastapi-layers]\nenable = ["FAL208"]\n')
    clear_caches()
    assert run("check", str(router)) == (1, finding, "")


@needs_fifo
def test_check_of_one_router_does_not_scan_the_project_for_an_off_code(project: Path) -> None:
    # the FAL208 include scan reads every module of the project: a FIFO hung it
    os.mkfifo(project / "pipe.py")
    router = project / "app" / "routers" / "items.py"
    router.parent.mkdir(parents=True)
    router.write_text(ROUTER.format(annotation="int"))
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_fastapi_layers", "check", str(router)],
        cwd=project, capture_output=True, text=True, timeout=60,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "", "")


# -- paths and outputs ------------------------------------------------------------------


def test_check_on_a_missing_path_is_an_error(project: Path) -> None:
    (project / "ok.py").write_text("from __future__ import annotations\n")
    missing, under_a_file = project / "nosuch", project / "ok.py" / "x"
    status, out, err = run("check", str(missing), str(project / "ok.py"), str(under_a_file))
    assert (status, out) == (2, "")
    assert err == (
        f"{missing}:0:1: E902 FileNotFoundError: [Errno 2] No such file or directory: '{missing}'\n"
        f"{under_a_file}:0:1: E902 NotADirectoryError: [Errno 20] Not a directory: '{under_a_file}'\n"
    )


def test_check_with_no_python_files_is_clean(project: Path) -> None:
    (project / "empty").mkdir()
    (project / "notes.txt").write_text("x")
    assert run("check", str(project / "empty"), str(project)) == (0, "", "")


def test_check_on_a_directory_that_cannot_be_listed_is_an_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = project / "locked"
    locked.mkdir()
    (locked / "a.py").write_text("x = 1\n")
    locked.chmod(0)
    _deny(monkeypatch, "scandir", locked)
    try:
        status, out, err = run("check", str(project))
    finally:
        locked.chmod(0o755)
    assert (status, out) == (2, "")
    assert err == f"{locked}:0:1: E902 PermissionError: [Errno 13] Permission denied: '{locked}'\n"


def test_layers_and_config_on_a_missing_path_are_errors(project: Path) -> None:
    (project / "app" / "routers").mkdir(parents=True)
    (project / "app" / "routers" / "items.py").write_text("")
    missing = project / "nosuch"
    assert run("layers", str(missing), str(project)) == (
        2,
        f"router        {project / 'app' / 'routers' / 'items.py'}\n",
        f"fastapi-layers: {missing}: No such file or directory\n",
    )
    assert run("config", str(missing)) == (2, "", f"fastapi-layers: {missing}: No such file or directory\n")


def test_docs_to_a_path_that_cannot_be_written_is_an_error(project: Path) -> None:
    (project / "file").write_text("")
    target = project / "file" / "docs" / "rules.md"
    assert run("docs", "--output", str(target)) == (
        2,
        "",
        f"fastapi-layers: cannot write {target}: [Errno 20] Not a directory: '{project / 'file' / 'docs'}'\n",
    )
    status, _, err = run("docs", "--check", "--output", str(project / "file" / "rules.md"))
    assert status == 2 and err.count("\n") == 1 and str(project / "file" / "rules.md") in err
