"""``fastapi-layers check`` for adoption: a front end equal to flake8 for
selection and ``per-file-ignores``, machine-readable reports, parallel runs and
a cache, and ``rule CODE`` (issue 11, items 1, 2 and 5; RULES.md §13).

* ``--select``/``--ignore``/``--extend-*`` decide as flake8 decides (compared
  with flake8 itself on the same files); unknown codes are exit 2;
* ``per-file-ignores`` of ``[tool.fastapi-layers]`` hide the same findings in
  the CLI and in flake8 (the plugin drops them itself);
* JSON parses into the documented objects; SARIF has every property GitHub code
  scanning requires, within its limits, with fingerprints that survive line
  moves; ``github`` is workflow commands; ``--statistics`` counts per code and
  layer;
* ``-j N`` gives the same report, in the same order, as ``-j 1``;
* the cache answers an unchanged re-run, and re-checks what a change of the
  file, the configuration, the selection, the layout or (for FAL208) another
  module's ``include_router`` can change;
* progress goes to stderr only on a terminal.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from flake8_fastapi_layers import cli, output
from flake8_fastapi_layers.cache import CACHE_DIR_NAME
from flake8_fastapi_layers.config import clear_caches
from flake8_fastapi_layers.docs import render_rule
from flake8_fastapi_layers.layers import clear_caches as clear_layer_caches
from flake8_fastapi_layers.output import FileResult, Reported
from flake8_fastapi_layers.rules import CATALOGUE

REPO = Path(__file__).resolve().parent.parent
FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+[0-9]+) ")

Found = set[tuple[str, int, int, str]]

ROUTER = '''\
from __future__ import annotations

from fastapi import APIRouter

from app.repositories.item_repository import ItemRepository

router = APIRouter()


@router.get("/items")
def list_items():
    return {"status": 500}
'''
SERVICE = '''\
from fastapi import HTTPException


def find(item_id):
    raise HTTPException(404, "no item")
'''
REPOSITORY = '''\
from __future__ import annotations


class ItemRepository:
    pass
'''
CONFIG = '''\
from __future__ import annotations

password = "hunter2"
token = "abc"  # noqa: FAL701
'''
TEST = '''\
import time


def test_wait() -> None:
    time.sleep(1)
'''
FILES = {
    "app/__init__.py": "",
    "app/routers/items.py": ROUTER,
    "app/services/item_service.py": SERVICE,
    "app/repositories/item_repository.py": REPOSITORY,
    "app/core/config.py": CONFIG,
    "tests/test_items.py": TEST,
}
SECRET = (
    "hardcoded secret in 'password'; read it from settings (a BaseSettings field without "
    "a default) or the environment"
)
#: what ``check`` reports on FILES, relative to the project
EXPECTED = [
    ("app/core/config.py", 3, 12, "FAL701"),
    ("app/routers/items.py", 5, 1, "FAL102"),
    ("app/routers/items.py", 11, 1, "FAL201"),
    ("app/routers/items.py", 11, 1, "FAL206"),
    ("app/services/item_service.py", 1, 1, "FAL103"),
    ("app/services/item_service.py", 1, 1, "FAL601"),
    ("app/services/item_service.py", 4, 1, "FAL602"),
    ("app/services/item_service.py", 4, 1, "FAL603"),
    ("app/services/item_service.py", 5, 5, "FAL301"),
    ("app/services/item_service.py", 5, 25, "FAL207"),
    ("tests/test_items.py", 5, 5, "FAL901"),
]


def run(*argv: str) -> tuple[int, str, str]:
    """``fastapi-layers ARGV`` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(list(argv))
    return status, out.getvalue(), err.getvalue()


def parse(text: str, root: Path | None = None) -> list[tuple[str, int, int, str]]:
    found = []
    for row in text.splitlines():
        match = FINDING.match(row)
        assert match, row
        path = match["path"]
        if root is not None:
            path = os.path.relpath(path, root).replace(os.sep, "/")
        found.append((path, int(match["line"]), int(match["col"]), match["code"]))
    return found


def e999(path: Path) -> str:
    """The line a file that does not parse gets (its column varies with Python)."""
    with pytest.raises(cli.CannotCheck) as failed:
        cli.parse_source(str(path), path.read_text())
    assert ": E999 SyntaxError: " in str(failed.value)
    return str(failed.value)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    write(tmp_path, FILES)
    clear_caches()
    clear_layer_caches()
    return tmp_path


def flake8_found(root: Path, *options: str) -> Found:
    """The FAL findings of flake8 itself (in-process, ``-j1``, no config files)."""
    from flake8.main.application import Application

    out = root.parent / f"{root.name}-flake8.out"
    out.unlink(missing_ok=True)  # flake8 appends to --output-file
    Application().run(["--isolated", "-j", "1", "--output-file", str(out), *options, str(root)])
    return {f for f in parse(out.read_text(), root) if f[3].startswith("FAL")}


def cli_found(root: Path, *options: str) -> Found:
    status, out, err = run("check", "--no-cache", *options, str(root))
    assert err == "" and status == (1 if out else 0), (status, err)
    return set(parse(out, root))


# -- selection: flake8's decision, exactly ---------------------------------------------

SELECTIONS = [
    (),
    ("--select", "FAL1"),
    ("--select", "FAL,E9", "--ignore", "FAL6"),
    ("--select", "FAL", "--ignore", "FAL3", "--extend-select", "FAL301"),
    ("--ignore", "FAL70", "--select", "FAL701,FAL2"),
    ("--extend-ignore", "FAL6,FAL9"),
    ("--select", "FAL208"),  # an off-by-default code, by its own code
    ("--select", "FAL2"),  # a prefix does not turn FAL208 on
    ("--extend-select", "FAL208", "--extend-ignore", "FAL20"),
    ("--select", "FAL603", "--extend-ignore", "FAL6"),  # the longer selector wins
]


@pytest.mark.parametrize("options", SELECTIONS, ids=" ".join)
def test_selection_is_flake8s(project: Path, options: tuple[str, ...]) -> None:
    cli_options = tuple("FAL" if o == "FAL,E9" else o for o in options)  # E9: flake8's own
    assert cli_found(project, *cli_options) == flake8_found(project, *options)


def test_the_selection_decides_as_documented(project: Path) -> None:
    everything = set(parse(run("check", "--no-cache", str(project))[1], project))
    assert sorted(everything) == EXPECTED
    kept = cli_found(
        project, "--select", "FAL", "--ignore", "FAL3,FAL2", "--extend-select", "FAL301,FAL206"
    )
    assert {f[3] for f in kept} == {f[3] for f in EXPECTED} - {"FAL201", "FAL207"}
    assert {f[3] for f in cli_found(project, "--select", "FAL2")} == {"FAL201", "FAL206", "FAL207"}
    assert "FAL208" in {f[3] for f in cli_found(project, "--select", "FAL208")}


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--select", "FAL999", "--select: unknown code 'FAL999'"),
        ("--ignore", "fal301", "--ignore: unknown code 'fal301'; did you mean 'FAL301'?"),
        ("--extend-select", "FAL1,FAL8x", "--extend-select: unknown code or prefix 'FAL8x'"),
        ("--extend-ignore", "E501", "--extend-ignore: unknown code 'E501'"),
        ("--select", "FAL0", "--select: unknown code or prefix 'FAL0'"),
    ],
)
def test_an_unknown_code_is_one_line_and_exit_2(
    project: Path, option: str, value: str, message: str
) -> None:
    status, out, err = run("check", option, value, str(project))
    assert (status, out) == (2, "")
    assert err.startswith(f"fastapi-layers: {message}") and err.count("\n") == 1, err


# -- exit codes -----------------------------------------------------------------------------


def test_exit_codes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = project / "app" / "repositories" / "item_repository.py"
    assert run("check", str(clean)) == (0, "", "")
    status, out, _ = run("check", str(project))
    assert status == 1 and len(out.splitlines()) == len(EXPECTED)
    monkeypatch.chdir(project)
    assert run("check") == run("check", ".")  # the current directory by default
    assert parse(run("check")[1], project) == EXPECTED
    status, out, _ = run("check", "--exit-zero", str(project))
    assert status == 0 and len(out.splitlines()) == len(EXPECTED)
    (project / "broken.py").write_text("def f(:\n")
    status, out, err = run("check", "--exit-zero", str(project))
    assert status == 2 and len(out.splitlines()) == len(EXPECTED)
    assert err == e999(project / "broken.py") + "\n"
    with pytest.raises(SystemExit) as usage:  # argparse: usage
        run("check", "--no-such-option", str(project))
    assert usage.value.code == 2


def test_a_file_that_fails_oddly_while_read_costs_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cli.read_source
    config = project / "app" / "core" / "config.py"

    def read_source(path: str) -> bytes:
        if path == str(config):
            raise MemoryError()
        return real(path)

    monkeypatch.setattr(cli, "read_source", read_source)
    status, out, err = run("check", "--no-cache", str(project))
    assert status == 2
    assert parse(out, project) == [f for f in EXPECTED if f[0] != "app/core/config.py"]
    assert err == f"fastapi-layers: {config}: internal error: MemoryError: ; please report\n"


def test_help_documents_the_exit_codes() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    text = out.getvalue()
    for line in ("0  nothing reported", "1  findings reported", "2  a usage or configuration error"):
        assert line in text


# -- per-file-ignores: one table for both front ends ------------------------------------

PER_FILE = '''\
[tool.fastapi-layers.per-file-ignores]
"tests/*" = ["FAL9"]
"app/*" = ["FAL6"]
"app/services/*" = ["FAL3"]
"config.py" = ["FAL7"]
'''


def test_per_file_ignores_in_the_cli_and_in_flake8(project: Path) -> None:
    (project / "pyproject.toml").write_text(PER_FILE)
    clear_caches()
    found = cli_found(project)
    assert found == flake8_found(project)
    assert sorted(found) == [
        # the longest matching glob applies, alone: "app/*" rather than "config.py"
        # (FAL701 stays), "app/services/*" rather than "app/*" (FAL3 hidden, FAL6 not)
        ("app/core/config.py", 3, 12, "FAL701"),
        ("app/routers/items.py", 5, 1, "FAL102"),
        ("app/routers/items.py", 11, 1, "FAL201"),
        ("app/routers/items.py", 11, 1, "FAL206"),
        ("app/services/item_service.py", 1, 1, "FAL103"),
        ("app/services/item_service.py", 1, 1, "FAL601"),
        ("app/services/item_service.py", 4, 1, "FAL602"),
        ("app/services/item_service.py", 4, 1, "FAL603"),
        ("app/services/item_service.py", 5, 25, "FAL207"),
    ]
    # a longer explicit selection beats a per-file ignore, in both
    again = cli_found(project, "--extend-select", "FAL301")
    assert again == flake8_found(project, "--extend-select", "FAL301")
    assert ("app/services/item_service.py", 5, 5, "FAL301") in again


def test_per_file_ignores_are_relative_to_the_pyproject_not_the_cwd(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text('[tool.fastapi-layers.per-file-ignores]\n"app/*" = ["FAL"]\n')
    clear_caches()
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert cli_found(project) == {f for f in EXPECTED if not f[0].startswith("app/")}


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("per-file-ignores = 1", 'per-file-ignores: must be a table of "glob" = [codes]'),
        ('per-file-ignores = {"tests/*" = "FAL9"}', 'per-file-ignores."tests/*": expected a list'),
        ('per-file-ignores = {"tests/*" = ["FAL999"]}', "unknown code or prefix 'FAL999'"),
        ('per-file-ignores = {"" = ["FAL9"]}', 'per-file-ignores."": empty glob'),
        (  # a glob with a newline: the message stays one line
            'per-file-ignores = {"a\\nb" = ["FAL99x"]}',
            'per-file-ignores."a\\nb": unknown code or prefix \'FAL99x\'',
        ),
    ],
)
def test_a_bad_per_file_ignores_is_one_line_and_exit_2(project: Path, table: str, problem: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.fastapi-layers]\n{table}\n")
    clear_caches()
    for command in (["check", str(project)], ["config", str(project)]):
        status, out, err = run(*command)
        assert (status, out) == (2, ""), err
        assert err.count("\n") == 1 and problem in err, err


def test_config_shows_per_file_ignores(project: Path) -> None:
    (project / "pyproject.toml").write_text(PER_FILE)
    clear_caches()
    status, out, _ = run("config", str(project))
    assert status == 0
    assert json.loads(out)["per_file_ignores"] == {
        "tests/*": ["FAL9"], "app/*": ["FAL6"], "app/services/*": ["FAL3"], "config.py": ["FAL7"]
    }


# -- output formats -----------------------------------------------------------------------------


def test_json_is_the_documented_list(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "rules_doc_url", lambda: "https://example.org/docs/rules.md")
    status, out, err = run("check", "--output-format", "json", str(project))
    assert (status, err) == (1, "")
    rows = json.loads(out)
    assert [(os.path.relpath(r["path"], project), r["line"], r["column"], r["code"]) for r in rows] == [
        (p.replace("/", os.sep), line, col, code) for p, line, col, code in EXPECTED
    ]
    assert rows[0] == {
        "path": str(project / "app" / "core" / "config.py"),
        "line": 3,
        "column": 12,
        "code": "FAL701",
        "message": SECRET,
        "layer": "config",
        "rule": "hardcoded-secret",
        "url": "https://example.org/docs/rules.md#fal701-hardcoded-secret",
    }
    assert {r["layer"] for r in rows} == {"config", "router", "service", "test"}
    assert all(r["url"].endswith("#" + CATALOGUE[r["code"]].anchor) for r in rows)


def test_the_docs_url_comes_from_the_projects_urls() -> None:
    assert output.rules_url_from([]) is None
    assert output.rules_url_from(["Homepage, https://example.org"]) is None
    assert (
        output.rules_url_from(["Repository, https://github.com/acme/fal/"])
        == "https://github.com/acme/fal/blob/main/docs/rules.md"
    )
    assert output.rules_url_from(
        ["Repository, https://github.com/acme/fal", "Rules, https://acme.dev/rules.html"]
    ) == "https://acme.dev/rules.html"


def test_github_workflow_commands(project: Path) -> None:
    odd = project / "app" / "odd,name:1.py"
    odd.write_text('password = "100%"\n')
    status, out, _ = run("check", "--output-format", "github", str(odd))
    assert status == 1
    path = str(odd).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert out.splitlines() == [
        f"::error file={path},line=1,col=1,title=FAL601::module lacks 'from __future__ import "
        "annotations'; add it as the first import of the module",
        f"::error file={path},line=1,col=12,title=FAL701::{SECRET}",
    ]
    (project / "broken.py").write_text("def f(:\n")
    status, out, err = run("check", "--output-format", "github", str(project / "broken.py"))
    assert status == 2
    assert out == (
        f"::error file={project / 'broken.py'},title=fastapi-layers::" + e999(project / "broken.py") + "\n"
    )


def test_statistics_per_code_and_per_layer(project: Path) -> None:
    status, out, _ = run("check", "--statistics", str(project))
    assert status == 1
    assert out.splitlines()[len(EXPECTED) :] == [
        "1     FAL102 router imports repository 'app.repositories.item_repository'; call a service instead",
        "1     FAL103 service imports the HTTP framework 'fastapi.HTTPException'; keep fastapi/starlette "
        "at the edge (routers, dependencies, middleware)",
        "1     FAL201 route handler 'list_items' is a plain def; make it 'async def' and await async "
        "services",
        "1     FAL206 route handler 'list_items' declares no response type; add response_model= or a "
        "return annotation",
        "1     FAL207 magic HTTP status 404 in HTTPException(); use status.HTTP_404_NOT_FOUND "
        "(fastapi.status)",
        "1     FAL301 service raises HTTP exception 'HTTPException'; raise a domain exception and "
        "translate it to HTTP at the edge (router, exception handler)",
        "1     FAL601 service module lacks 'from __future__ import annotations'; add it as the first "
        "import of the module",
        "1     FAL602 service function 'find' has unannotated parameter(s) 'item_id'; annotate every "
        "parameter",
        "1     FAL603 service function 'find' has no return annotation; annotate it (-> None if it "
        "returns nothing)",
        "1     FAL701 " + SECRET,
        "1     FAL901 test calls 'time.sleep()'; wait on an event or condition with a timeout, or use a "
        "fake clock",
        "",
        "layer          findings  files",
        "router                3      1",
        "service               6      1",
        "config                1      1",
        "test                  1      1",
    ]


def test_statistics_beside_a_json_document_go_to_stderr(project: Path) -> None:
    status, out, err = run("check", "--output-format", "json", "--statistics", str(project))
    assert status == 1 and len(json.loads(out)) == len(EXPECTED)
    assert err.splitlines()[-1] == "test                  1      1"


def test_output_file(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    target = tmp_path_factory.mktemp("out") / "report.sarif"
    status, out, err = run("check", "--output-format", "sarif", "--output-file", str(target), str(project))
    assert (status, out, err) == (1, "", "")
    assert len(json.loads(target.read_text())["runs"][0]["results"]) == len(EXPECTED)
    status, out, err = run("check", "--output-file", str(target / "x"), str(project))
    assert status == 2 and err.startswith(f"fastapi-layers: cannot write {target / 'x'}: ")


# -- SARIF as GitHub code scanning reads it --------------------------------------------

#: GitHub's documented limits ("SARIF support for code scanning")
MAX_RUNS, MAX_RESULTS, MAX_RULES, MAX_LOCATIONS = 20, 25_000, 25_000, 1_000


def _text(node: Any, *keys: str) -> str:
    for key in keys:
        assert isinstance(node, dict) and key in node, (keys, node)
        node = node[key]
    assert isinstance(node, str) and node.strip(), (keys, node)  # required: no empty string
    return node


def validate_sarif(document: dict[str, Any]) -> None:
    """Every property GitHub code scanning marks as required, with its limits."""
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    runs = document["runs"]
    assert isinstance(runs, list) and 1 <= len(runs) <= MAX_RUNS
    for run_ in runs:
        driver = run_["tool"]["driver"]
        _text(driver, "name")
        rules = driver["rules"]
        assert isinstance(rules, list) and len(rules) <= MAX_RULES
        ids = [_text(rule, "id") for rule in rules]
        assert len(set(ids)) == len(ids)
        for rule in rules:
            assert len(rule.get("name", "")) <= 255
            assert len(_text(rule, "shortDescription", "text")) <= 1024
            assert len(_text(rule, "fullDescription", "text")) <= 1024
            _text(rule, "help", "text")
            assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
            assert len(rule["properties"]["tags"]) <= 20
        results = run_["results"]
        assert isinstance(results, list) and len(results) <= MAX_RESULTS
        for result in results:
            rule_id = _text(result, "ruleId")
            if "ruleIndex" in result:
                assert ids[result["ruleIndex"]] == rule_id
            assert result.get("level", "warning") in ("none", "note", "warning", "error")
            _text(result, "message", "text")
            locations = result["locations"]
            assert 1 <= len(locations) <= min(10, MAX_LOCATIONS)
            for location in locations:
                physical = location["physicalLocation"]
                uri = _text(physical, "artifactLocation", "uri")
                if not uri.startswith("file://"):
                    assert not uri.startswith("/") and ".." not in uri.split("/")
                    base = physical["artifactLocation"]["uriBaseId"]
                    assert base in run_["originalUriBaseIds"]
                region = physical["region"]
                assert region["startLine"] >= 1 and region["startColumn"] >= 1
                assert region["endLine"] >= region["startLine"]
                assert region["endColumn"] > region["startColumn"] or region["endLine"] > region["startLine"]
            fingerprint = _text(result, "partialFingerprints", "primaryLocationLineHash")
            assert re.fullmatch(r"[0-9a-f]{16}:[1-9][0-9]*", fingerprint)
    assert len(gzip.compress(json.dumps(document).encode())) < 10 * 1024 * 1024


def sarif(root: Path, *paths: Path) -> dict[str, Any]:
    status, out, err = run("check", "--no-cache", "--output-format", "sarif", *map(str, paths or (root,)))
    assert status in (0, 1) and err == "", err
    document: dict[str, Any] = json.loads(out)
    validate_sarif(document)
    return document


def test_sarif_has_what_github_requires(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)  # no .git above a tmp dir: paths relative to the cwd
    document = sarif(project)
    run_ = document["runs"][0]
    assert [rule["id"] for rule in run_["tool"]["driver"]["rules"]] == list(CATALOGUE.rules)
    rule = run_["tool"]["driver"]["rules"][list(CATALOGUE.rules).index("FAL701")]
    assert rule["help"]["markdown"] == render_rule(CATALOGUE["FAL701"])
    assert rule["properties"]["tags"] == ["fastapi-layers", "security"]
    assert rule["shortDescription"]["text"] == CATALOGUE["FAL701"].summary.split(". ")[0].rstrip(".")
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.as_uri() + "/"
    first = run_["results"][0]
    assert first["ruleId"] == "FAL701" and first["message"]["text"] == SECRET
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "app/core/config.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 12, "endLine": 3, "endColumn": 21},
    }
    assert [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
        for r in run_["results"]
    ] == [(p, line, code) for p, line, _, code in EXPECTED]  # fmt: skip
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_sarif_paths_start_at_the_repository_root(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / ".git").mkdir()
    monkeypatch.chdir(project / "app")  # run from a subdirectory
    run_ = sarif(project, Path("core"))["runs"][0]
    uri = run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "app/core/config.py"


def test_sarif_columns_are_utf16_code_units(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    source = project / "app" / "core" / "config.py"
    source.write_text('from __future__ import annotations\n\nx = "é𝄞"; password = "hunter2"\n')
    region = sarif(project, source)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    # the literal is character 21 (0-based); é is 2 UTF-8 bytes and 1 UTF-16 unit,
    # 𝄞 4 bytes and 2 units: flake8 says column 26 (bytes), SARIF 23 (UTF-16 units)
    assert (region["startColumn"], region["endColumn"]) == (23, 32)
    status, out, _ = run("check", str(source))
    assert out.startswith(f"{source}:3:26: FAL701 ")


def test_fingerprints_survive_moved_lines_and_count_repeats(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    config = project / "app" / "core" / "config.py"
    config.write_text('from __future__ import annotations\n\npassword = "a"\npassword = "a"\n')

    def prints() -> list[tuple[str, int, str]]:
        results = sarif(project, config)["runs"][0]["results"]
        return [
            (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["partialFingerprints"]["primaryLocationLineHash"])
            for r in results
        ]  # fmt: skip

    before = prints()
    assert [p[2].split(":")[1] for p in before] == ["1", "2"]  # the same text twice
    assert before[0][2].split(":")[0] == before[1][2].split(":")[0]
    config.write_text(
        'from __future__ import annotations\n\n\n# moved\n\n  \npassword  =  "a"\npassword = "a"\n'
    )
    after = prints()
    assert [p[1] for p in after] == [7, 8]
    assert [p[2] for p in after] == [p[2] for p in before]
    config.write_text('from __future__ import annotations\n\npassword = "b"\npassword = "a"\n')
    assert prints()[0][2] != before[0][2]  # another text, another fingerprint


def test_sarif_keeps_to_githubs_limit_of_results() -> None:
    source = 'password = "x"'
    results = [
        FileResult(
            f"m{i}.py", None, [Reported(n, 11, "FAL701", "FAL701 " + SECRET, source) for n in range(1, 101)]
        )
        for i in range(251)
    ]
    warnings: list[str] = []
    document = json.loads(output.format_sarif(results, warn=warnings.append, base=os.getcwd()))
    validate_sarif(document)
    assert len(document["runs"][0]["results"]) == 25_000
    assert warnings == [
        "fastapi-layers: the SARIF report holds the first 25,000 of 25,100 findings (GitHub code "
        "scanning's limit per run); narrow the selection or check fewer paths"
    ]


def test_sarif_lists_files_that_cannot_be_checked(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "broken.py").write_text("def f(:\n")
    status, out, err = run("check", "--output-format", "sarif", str(project))
    assert status == 2 and err == e999(project / "broken.py") + "\n"
    document = json.loads(out)
    validate_sarif(document)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert [n["message"]["text"] for n in invocation["toolExecutionNotifications"]] == [err.strip()]


# -- -j: the same report, in the same order ----------------------------------------------


def many_files(root: Path, count: int) -> None:
    for i in range(count):
        write(root, {f"app/services/s{i:03d}_service.py": SERVICE, f"app/core/c{i:03d}.py": CONFIG})
    (root / "app" / "broken.py").write_text("def f(:\n")


def test_jobs_give_the_same_report_in_the_same_order(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many_files(project, 40)
    pools: list[int] = []
    real = cli._run_in_pool

    def counted(tasks: list[cli.Task], workers: int, progress: cli.Progress) -> list[FileResult]:
        pools.append(workers)
        return real(tasks, workers, progress)

    monkeypatch.setattr(cli, "_run_in_pool", counted)
    reports = {jobs: run("check", "--no-cache", "-j", str(jobs), str(project)) for jobs in (1, 2, 3)}
    assert pools == [2, 3]  # -j 1 stays in this process
    # each service copy: FAL103 FAL601 FAL602 FAL603 FAL301 FAL207; each config copy: FAL701
    assert reports[1][0] == 2 and len(reports[1][1].splitlines()) == len(EXPECTED) + 40 * 7
    assert reports[1][2] == e999(project / "app" / "broken.py") + "\n"
    assert reports[2] == reports[1] and reports[3] == reports[1]
    with pytest.raises(SystemExit) as usage:
        run("check", "-j", "0", str(project))
    assert usage.value.code == 2


# -- the cache ---------------------------------------------------------------------------------


@contextlib.contextmanager
def counting_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths ``check`` really checks (not answered from the cache)."""
    checked: list[str] = []
    real = cli.check_data

    def check_data(path: str, *args: Any, **kwargs: Any) -> FileResult:
        checked.append(os.path.relpath(path))
        return real(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(cli, "check_data", check_data)
        yield checked


def cached_run(root: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> tuple[str, list[str]]:
    monkeypatch.chdir(root)
    with counting_checks(monkeypatch) as checked:
        status, out, err = run("check", "-j", "1", *options, ".")
    assert status in (0, 1) and err == "", err
    return out, sorted(checked)


ALL = sorted(os.path.join(*name.split("/")) for name in FILES)


def test_an_unchanged_rerun_is_answered_by_the_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, checked = cached_run(project, monkeypatch)
    assert checked == ALL
    again, checked = cached_run(project, monkeypatch)
    assert (again, checked) == (first, [])
    store = project / CACHE_DIR_NAME
    assert (store / ".gitignore").read_text().endswith("\n*\n")
    assert (store / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(list(store.glob("*.json"))) == 1


def test_the_cache_rechecks_a_changed_file_only(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_run(project, monkeypatch)
    (project / "app" / "core" / "config.py").write_text(CONFIG.replace("password", "secret"))
    out, checked = cached_run(project, monkeypatch)
    assert checked == [os.path.join("app", "core", "config.py")]
    assert "hardcoded secret in 'secret'" in out and "'password'" not in out


def test_a_config_change_rechecks_everything(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_run(project, monkeypatch)
    (project / "pyproject.toml").write_text('[tool.fastapi-layers]\ndisable = ["FAL7"]\n')
    clear_caches()
    out, checked = cached_run(project, monkeypatch)
    assert checked == ALL and "FAL701" not in out
    # per-file-ignores apply to cached findings too
    (project / "pyproject.toml").write_text(PER_FILE)
    clear_caches()
    cached_run(project, monkeypatch)
    out, checked = cached_run(project, monkeypatch)
    assert checked == [] and set(parse(out, Path("."))) == {
        (p, line, col, code) for p, line, col, code in cli_found(project)
    }


def test_a_selection_has_its_own_entries(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_run(project, monkeypatch)
    out, checked = cached_run(project, monkeypatch, "--select", "FAL7")
    assert checked == ALL and parse(out) == [("./app/core/config.py", 3, 12, "FAL701")]
    assert cached_run(project, monkeypatch, "--select", "FAL7")[1] == []
    assert cached_run(project, monkeypatch)[1] == []  # the first selection's entries are kept


def test_no_cache_and_cache_dir(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out, _ = cached_run(project, monkeypatch, "--no-cache")
    assert not (project / CACHE_DIR_NAME).exists()
    elsewhere = tmp_path_factory.mktemp("cache")
    assert cached_run(project, monkeypatch, "--cache-dir", str(elsewhere)) == (out, ALL)
    assert cached_run(project, monkeypatch, "--cache-dir", str(elsewhere)) == (out, [])
    monkeypatch.setenv("FASTAPI_LAYERS_CACHE_DIR", str(elsewhere))
    assert cached_run(project, monkeypatch) == (out, [])
    assert not (project / CACHE_DIR_NAME).exists()


def test_a_broken_or_unwritable_cache_costs_a_recheck_only(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = cached_run(project, monkeypatch)
    (store,) = (project / CACHE_DIR_NAME).glob("*.json")
    for garbage in (b"{", b"[]", b'{"format": 1, "root": "x", "entries": {}}', b"\xff" * 10):
        store.write_bytes(garbage)
        assert cached_run(project, monkeypatch) == (out, ALL)
    data = json.loads(store.read_text())
    data["entries"][os.path.join("app", "core", "config.py").replace(os.sep, "/")][1]["findings"] = [["x"]]
    store.write_text(json.dumps(data))
    assert cached_run(project, monkeypatch) == (out, [os.path.join("app", "core", "config.py")])
    blocker = project / "a-file"
    blocker.write_text("")
    assert cached_run(project, monkeypatch, "--cache-dir", str(blocker / "sub")) == (out, ALL)


def fresh_process(root: Path, *options: str) -> str:
    """``check`` in a new process (nothing remembered but the cache)."""
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_fastapi_layers", "check", "-j", "1", *options, "."],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode in (0, 1) and completed.stderr == "", completed.stderr
    return completed.stdout


def test_a_new_package_changes_what_is_first_party_and_the_cache_knows(project: Path) -> None:
    router = project / "app" / "routers" / "items.py"
    router.write_text(ROUTER.replace("from app.repositories.item_repository", "from crud.items"))
    before = fresh_process(project)
    assert "FAL102" not in before  # 'crud' is nobody's package yet
    write(project, {"crud/__init__.py": "", "crud/items.py": REPOSITORY})
    after = fresh_process(project)
    assert after == fresh_process(project, "--no-cache")
    assert "./app/routers/items.py:5:1: FAL102 router imports repository 'crud.items'" in after


AUTH_MAIN = '''\
from __future__ import annotations

from fastapi import Depends, FastAPI

from app.dependencies import get_current_user
from app.routers import items

app = FastAPI()
app.include_router(items.router{extra})
'''


def test_fal208_entries_follow_the_modules_that_include_routers(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.fastapi-layers]\nenable = ["FAL208"]\n')
    write(project, {
        "app/dependencies.py": (
            "from __future__ import annotations\n\n\ndef get_current_user() -> int:\n    return 1\n"
        ),
        "app/main.py": AUTH_MAIN.format(extra=", dependencies=[Depends(get_current_user)]"),
    })  # fmt: skip
    assert "FAL208" not in fresh_process(project)
    (project / "app" / "main.py").write_text(AUTH_MAIN.format(extra=""))
    after = fresh_process(project)
    assert after == fresh_process(project, "--no-cache")
    assert "./app/routers/items.py:11:1: FAL208 route handler 'list_items'" in after


# -- progress: a terminal only ----------------------------------------------------------


def test_no_progress_when_stderr_is_not_a_terminal(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many_files(project, 20)
    monkeypatch.setattr(cli, "PROGRESS_AFTER", 0.0)
    status, out, err = run("check", "--no-cache", "-j", "1", str(project))
    assert status == 2 and err == e999(project / "app" / "broken.py") + "\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_after_a_second() -> None:
    now = [0.0]
    terminal = Terminal()
    progress = cli.Progress(terminal, clock=lambda: now[0])
    progress.begin(3)
    progress.step()  # before a second: nothing
    assert terminal.getvalue() == ""
    now[0] = 1.5
    progress.step()
    now[0] = 1.55
    progress.step()  # the last one is always shown
    progress.end()
    text = "fastapi-layers: checked 2 of 3 files"
    assert terminal.getvalue() == (
        f"\r{text}\rfastapi-layers: checked 3 of 3 files\r{' ' * len(text)}\r"
    )
    quiet = cli.Progress(io.StringIO(), clock=lambda: now[0])
    quiet.begin(1)
    now[0] = 10.0
    quiet.step()
    quiet.end()
    assert quiet.stream is None


# -- rule CODE ---------------------------------------------------------------------------------


def test_rule_prints_its_section_of_the_rule_reference() -> None:
    status, out, err = run("rule", "FAL301")
    assert (status, err) == (0, "")
    assert out == render_rule(CATALOGUE["FAL301"]) + "\n"
    assert out.rstrip("\n") in (REPO / "docs" / "rules.md").read_text()
    assert run("rule", "fal301") == (0, out, "")


def test_rule_of_an_unknown_code_says_what_is_close() -> None:
    assert run("rule", "FAL30") == (
        2,
        "",
        "fastapi-layers: unknown code 'FAL30'; did you mean one of FAL301, FAL302, FAL303, "
        "FAL304? (`fastapi-layers rules` lists them)\n",
    )
    assert run("rule", "FAL3011")[2].startswith(
        "fastapi-layers: unknown code 'FAL3011'; did you mean 'FAL301'?"
    )
    status, out, err = run("rule", "nonsense")
    assert (status, out) == (2, "") and err.startswith("fastapi-layers: unknown code 'nonsense'")


def test_rules_keeps_one_line_per_code() -> None:
    status, out, _ = run("rules")
    assert status == 0 and len(out.splitlines()) == len(CATALOGUE)
    assert all(line.split()[0] in CATALOGUE.rules for line in out.splitlines())


def test_the_repository_ignores_the_cache_directory() -> None:
    assert f"{CACHE_DIR_NAME}/" in (REPO / ".gitignore").read_text().splitlines()
