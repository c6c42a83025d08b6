"""The mypy plugin, run inside real mypy on small projects.

Each directory of ``tests/mypy/cases/`` is a project (a ``pyproject.toml``
with ``[tool.mypy]`` and maybe ``[tool.fastapi-layers]``, and a package
tree).  A line that must get an error carries ``# E: <code>[, <code>]``; the
errors mypy reports (any code, so the plugin must not disturb mypy's own
checking) must be exactly the marked ones.  The libraries (fastapi, starlette,
sqlalchemy, requests, httpx) come from the stubs in ``tests/mypy/stubs``.

Run: ``python -m pytest -q tests/test_mypy_plugin.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures_util import Key, expected

MYPY_DIR = Path(__file__).parent / "mypy"
CASES = MYPY_DIR / "cases"
STUBS = MYPY_DIR / "stubs"

mypy_version = pytest.importorskip("mypy.version").__version__
MYPY_MAJOR = int(mypy_version.split(".")[0])

ERROR_RE = re.compile(
    r"^(?P<path>[^:\n]+\.pyi?):(?P<line>\d+): error: (?P<message>.*?)\s+\[(?P<code>[a-z0-9-]+)\]$"
)


def case_dirs() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "pyproject.toml").is_file())


def mypy_env(extra_path: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["MYPYPATH"] = str(STUBS)
    env["FAL_MYPY_DEBUG"] = "1"  # a bug in the plugin fails the test instead of hiding
    env.pop("MYPY_FORCE_COLOR", None)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(extra_path), env.get("PYTHONPATH", "")) if p
        )
    return env


def run_mypy(
    root: Path,
    *args: str,
    cache_dir: Path | None = None,
    extra_path: Path | None = None,
) -> tuple[list[tuple[Key, str]], str]:
    """Run mypy in ``root``; return the errors ((path, line, code), message) and the output."""
    cache = ["--cache-dir", str(cache_dir)] if cache_dir else ["--no-incremental", "--cache-dir", os.devnull]
    cmd = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        "pyproject.toml",
        "--no-error-summary",
        "--show-error-codes",
        "--no-pretty",
        "--no-color-output",
        *cache,
        *args,
    ]
    proc = subprocess.run(
        cmd, cwd=root, env=mypy_env(extra_path), capture_output=True, text=True, timeout=300
    )
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output and "INTERNAL ERROR" not in output, output
    assert proc.returncode in (0, 1), output
    return parse(output), output


def parse(output: str) -> list[tuple[Key, str]]:
    errors = []
    for line in output.splitlines():
        match = ERROR_RE.match(line.strip())
        if match:
            key = (Path(match["path"]).as_posix(), int(match["line"]), match["code"])
            errors.append((key, match["message"]))
    return errors


def keys(errors: list[tuple[Key, str]]) -> set[Key]:
    return {key for key, _ in errors}


def copy_case(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(CASES / name, root)
    return root


# --------------------------------------------------------------------------
# Every case: the reported errors are exactly the marked ones
# --------------------------------------------------------------------------


@pytest.mark.parametrize("case", case_dirs())
def test_case_reports_exactly_the_marked_errors(case: str) -> None:
    root = CASES / case
    marked = expected(root, "E")
    # a case marking nothing would pass just as well with the plugin off
    assert marked, f"tests/mypy/cases/{case} marks no error"
    extra = MYPY_DIR if (root / "uses_other_plugin").exists() else None
    errors, output = run_mypy(root, extra_path=extra)
    assert sorted(keys(errors)) == sorted(marked), output


def test_every_code_has_positives_in_the_cases() -> None:
    from mypy_layers_plugin.codes import ALL_CODES

    marked = {code for case in case_dirs() for (_, _, code) in expected(CASES / case, "E")}
    for code in ALL_CODES:
        assert code.code in marked, f"no case marks {code.code}"


def test_messages_start_with_the_mirrored_code_and_say_how_to_fix() -> None:
    from mypy_layers_plugin.codes import MIRRORS

    errors, output = run_mypy(CASES / "layout_app_dirs")
    seen = set()
    for (_, _, code), message in errors:
        if code in MIRRORS:
            assert message.startswith(MIRRORS[code] + " "), message
            assert ";" in message or ":" in message, message
            seen.add(code)
    assert seen == set(MIRRORS), output


def test_catalogue_names_the_mirroring_mypy_codes() -> None:
    from flake8_fastapi_layers.rules import CATALOGUE
    from mypy_layers_plugin.codes import MIRRORS

    catalogue = CATALOGUE
    for mypy_code, fal in MIRRORS.items():
        assert catalogue[fal].mypy_code == mypy_code, fal
        # Facts.active() relies on this: only `disable` can turn them off.
        assert catalogue[fal].default_on, fal


# --------------------------------------------------------------------------
# Suppression: error codes behave like mypy's own
# --------------------------------------------------------------------------


def test_parent_code_disables_every_check(tmp_path: Path) -> None:
    root = copy_case("layout_app_dirs", tmp_path)
    errors, output = run_mypy(root, "--disable-error-code", "fal")
    assert not [k for k in keys(errors) if k[2].startswith("fal")], output


def test_sub_code_can_be_re_enabled_under_a_disabled_parent(tmp_path: Path) -> None:
    root = copy_case("layout_app_dirs", tmp_path)
    errors, output = run_mypy(
        root,
        "--disable-error-code",
        "fal",
        "--enable-error-code",
        "fal-blocking-in-async",
    )
    codes = {k[2] for k in keys(errors) if k[2].startswith("fal")}
    assert codes == {"fal-blocking-in-async"}, output


# --------------------------------------------------------------------------
# Incremental mode, parallel checking, dmypy
# --------------------------------------------------------------------------


def test_warm_cache_replays_the_same_errors(tmp_path: Path) -> None:
    root = copy_case("layout_app_dirs", tmp_path)
    cache = tmp_path / "cache"
    cold, _ = run_mypy(root, cache_dir=cache)
    warm, output = run_mypy(root, cache_dir=cache)
    assert sorted(cold) == sorted(warm), output
    assert keys(cold) == expected(root, "E")


def stale_modules(output: str) -> set[str]:
    """Modules mypy re-checked, from ``-v`` logging."""
    stale: set[str] = set()
    for match in re.finditer(r"Processing SCC of size \d+ \(([^)]*)\)", output):
        for name in match.group(1).split():
            stale.add(name)
    for match in re.finditer(r"Metadata abandoned for ([\w.]+)", output):
        stale.add(match.group(1))
    return stale


def test_config_change_rechecks_what_it_affects_and_nothing_else(tmp_path: Path) -> None:
    root = copy_case("layout_app_dirs", tmp_path)
    cache = tmp_path / "cache"
    pyproject = root / "pyproject.toml"
    before, output = run_mypy(root, cache_dir=cache)
    assert keys(before) == expected(root, "E"), output  # not empty: the comparisons below test something

    # An option no mypy check reads: nothing is re-checked.
    pyproject.write_text(
        pyproject.read_text() + "\n[tool.fastapi-layers.FAL205]\nmax-control-flow = 5\n"
    )
    same, output = run_mypy(root, "-v", cache_dir=cache)
    assert sorted(same) == sorted(before)
    assert not {m for m in stale_modules(output) if m.startswith("app")}, output

    # Turning FAL401 off removes fal-repository-raw-return and nothing else.
    pyproject.write_text(
        pyproject.read_text().replace(
            "[tool.fastapi-layers]\n", '[tool.fastapi-layers]\ndisable = ["FAL401"]\n'
        )
    )
    after, output = run_mypy(root, "-v", cache_dir=cache)
    assert keys(after) == {k for k in keys(before) if k[2] != "fal-repository-raw-return"}
    assert stale_modules(output), output  # project modules were re-checked
    assert not {m for m in stale_modules(output) if m.startswith(("typing", "builtins"))}

    # Moving a module into the repository layer: its raw returns are reported.
    pyproject.write_text(
        pyproject.read_text().replace('disable = ["FAL401"]\n', "")
        + '\n[tool.fastapi-layers.extend-layers]\nrepository = ["utils/"]\n'
    )
    moved, output = run_mypy(root, cache_dir=cache)
    new = keys(moved) - keys(before)
    assert new and all(k[0].startswith("app/utils/") for k in new), output


@pytest.mark.skipif(MYPY_MAJOR < 2, reason="--num-workers is hidden and experimental before mypy 2")
def test_parallel_checking_reports_the_same_errors(tmp_path: Path) -> None:
    root = copy_case("layout_app_dirs", tmp_path)
    serial, _ = run_mypy(root, cache_dir=tmp_path / "c1")
    parallel, output = run_mypy(root, "--num-workers", "2", cache_dir=tmp_path / "c2")
    assert serial and sorted(parallel) == sorted(serial), output


def dmypy(root: Path, *args: str) -> str:
    cmd = [sys.executable, "-m", "mypy.dmypy", "--status-file", str(root / ".dmypy.json"), *args]
    proc = subprocess.run(
        cmd, cwd=root, env=mypy_env(), capture_output=True, text=True, timeout=300
    )
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output
    return output


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.skipif(sys.platform == "win32", reason="dmypy test uses a unix daemon")
def test_dmypy_follows_code_edits(tmp_path: Path) -> None:
    root = copy_case("layout_app_dirs", tmp_path)
    rel = "app/repositories/user_repository.py"
    repo = root / rel
    aliases = root / "app" / "core" / "types.py"
    check = ("run", "--", "--config-file", "pyproject.toml")
    try:
        assert keys(parse(dmypy(root, *check))) == expected(root, "E")

        # Fix one raw return in the repository: that finding goes, the rest stay.
        text = repo.read_text()
        fixed = text.replace(
            "async def raw_by_email(self, email: str) -> dict[str, Any]:  # E: fal-repository-raw-return",
            "async def raw_by_email(self, email: str) -> User | None:",
        ).replace('        return {"email": email}', "        return None")
        assert fixed != text
        repo.write_text(fixed)
        assert keys(parse(dmypy(root, *check))) == expected(root, "E")

        # Change the alias in another module: the method using it follows.
        stats = (rel, line_of(repo, "def stats"), "fal-repository-raw-return")
        aliases.write_text(aliases.read_text().replace("dict[str, int]", "list[int]"))
        after_alias = keys(parse(dmypy(root, *check)))
        assert stats not in after_alias
        assert (rel, line_of(repo, "def rows"), "fal-repository-raw-return") in after_alias

        # …and back.
        aliases.write_text(aliases.read_text().replace("list[int]", "dict[str, int]"))
        assert keys(parse(dmypy(root, *check))) == expected(root, "E")
    finally:
        dmypy(root, "stop")


# --------------------------------------------------------------------------
# Configuration errors are reported, never a traceback
# --------------------------------------------------------------------------


def test_bad_configuration_is_one_clear_error(tmp_path: Path) -> None:
    root = copy_case("layout_app_dirs", tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            "[tool.fastapi-layers]\n", "[tool.fastapi-layers]\nfirst_party = ['app']\n"
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", "--no-incremental",
         "--cache-dir", os.devnull, "--no-color-output"],
        cwd=root, env=mypy_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # One blocking error before any check (exit 2), not one per module
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.splitlines()[0] == (
        f"{root / 'pyproject.toml'}: error: [tool.fastapi-layers] first_party: unknown key; "
        "did you mean 'first-party'? (known: first-party, disable, enable, annotations-everywhere, "
        "layers, extend-layers, per-file-ignores, FALnnn)"
    ), proc.stderr
    assert "Traceback" not in proc.stderr and "INTERNAL ERROR" not in proc.stderr


# --------------------------------------------------------------------------
# Selectors stay narrow; configuration data only for project modules
# --------------------------------------------------------------------------


def test_selectors_answer_none_for_names_that_are_not_ours() -> None:
    from mypy.options import Options

    from mypy_layers_plugin.hooks import LayersPlugin

    plugin = LayersPlugin(Options())
    plugin.set_modules({})
    for name in ("builtins.len", "contextlib.contextmanager", "functools.partial", "<dict>"):
        assert plugin.get_function_hook(name) is None
        assert plugin.get_function_signature_hook(name) is None
    for name in ("builtins.dict.get", "typing.Mapping.get", "builtins.int.__pow__"):
        assert plugin.get_method_signature_hook(name) is None
    # Hooks the plugin never registers, so nothing of mypy's or another plugin's is shadowed.
    assert plugin.get_method_hook("builtins.dict.get") is None
    assert plugin.get_attribute_hook("builtins.object.x") is None
    assert plugin.get_class_decorator_hook("dataclasses.dataclass") is None
    assert plugin.get_base_class_hook("builtins.object") is None
    assert plugin.get_type_analyze_hook("typing.Any") is None


def test_config_data_only_for_project_modules(tmp_path: Path) -> None:
    from mypy_layers_plugin.project import config_data

    (tmp_path / "pyproject.toml").write_text(
        "[tool.fastapi-layers]\n"
        'disable = ["FAL205", "FAL3"]\n'
        "[tool.fastapi-layers.FAL205]\nmax-control-flow = 4\n"
        "[tool.fastapi-layers.FAL501]\nallowed-calls = [\"builtins.open\"]\n"
    )
    site = tmp_path / "venv" / "lib" / "site-packages" / "fastapi" / "routing.py"
    assert config_data(str(site)) is None
    assert config_data(str(tmp_path / "stubs" / "fastapi" / "__init__.pyi")) is None
    data = config_data(str(tmp_path / "app" / "services" / "user_service.py"))
    assert data["disable"] == ["FAL3"]  # FAL205 is not the plugin's business
    assert "FAL205" not in data
    assert data["FAL501"] == {"allowed-calls": ["builtins.open"]}
