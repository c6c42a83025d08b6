"""flake8 end to end: selection, noqa, per-file-ignores, default-off codes, -j, bad config."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_fastapi_layers.rules import CATALOGUE

ROUTER = """\
from __future__ import annotations

from app.repositories.user_repository import UserRepository
from app.repositories.order_repository import OrderRepository  # noqa: FAL102
from app.repositories.item_repository import ItemRepository  # noqa: FAL101
"""


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'x'\n",
            "app/routers/users.py": ROUTER,
            "app/repositories/user_repository.py": "",
            "app/repositories/order_repository.py": "",
            "app/repositories/item_repository.py": "",
            "app/services/user_service.py": "from __future__ import annotations\n\nimport fastapi\n",
        },
    )


def test_findings_and_noqa(project: Path) -> None:
    result = flake8(project, "--select", "FAL", ".")
    assert result.returncode == 1, result.stderr
    lines = sorted(result.stdout.splitlines())
    assert lines == [
        "./app/routers/users.py:3:1: FAL102 router imports repository "
        "'app.repositories.user_repository'; call a service instead",
        "./app/routers/users.py:5:1: FAL102 router imports repository "
        "'app.repositories.item_repository'; call a service instead",
        "./app/services/user_service.py:3:1: FAL103 service imports the HTTP framework "
        "'fastapi'; keep fastapi/starlette at the edge (routers, dependencies, middleware)",
    ]


def test_per_file_ignores_and_ignore(project: Path) -> None:
    result = flake8(project, "--select", "FAL", "--per-file-ignores", "app/routers/*:FAL102", ".")
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == ["FAL103"]
    result = flake8(project, "--select", "FAL", "--extend-ignore", "FAL1", ".")
    assert result.returncode == 0 and result.stdout == ""


def test_config_disable(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.fastapi-layers]\ndisable = ["FAL103"]\n')
    result = flake8(project, "--select", "FAL", ".")
    assert "FAL103" not in result.stdout and "FAL102" in result.stdout


def test_jobs_do_not_change_results(project: Path) -> None:
    for i in range(6):
        write(project, {f"app/routers/r{i}.py": ROUTER})
    one = flake8(project, "--select", "FAL", "-j", "1", ".")
    two = flake8(project, "--select", "FAL", "-j", "2", ".")
    assert sorted(one.stdout.splitlines()) == sorted(two.stdout.splitlines())
    assert len(one.stdout.splitlines()) == 2 * 7 + 1


@pytest.mark.parametrize("code", CATALOGUE.default_off())
def test_off_by_default_codes(tmp_path: Path, code: str) -> None:
    """Off-by-default codes: hidden by --select FAL, shown by --extend-select or config."""
    fixture = Path(__file__).parent / "fixtures" / code
    shutil.copytree(fixture, tmp_path / "p")
    (tmp_path / "p" / "pyproject.toml").write_text("")  # the fixture's own config enables it
    args = ["--select", "FAL", "p"]
    assert code not in flake8(tmp_path, *args).stdout
    assert code not in flake8(tmp_path, "p").stdout  # flake8's default selection
    assert code in flake8(tmp_path, "--extend-select", code, *args).stdout
    assert code in flake8(tmp_path, "--select", f"FAL1,{code}", "p").stdout
    (tmp_path / "p" / "pyproject.toml").write_text(f'[tool.fastapi-layers]\nenable = ["{code}"]\n')
    assert code in flake8(tmp_path, *args).stdout


def test_bad_config_is_one_clear_line_and_exit_2(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.fastapi-layers]\nlayers = { routers = ["x/"] }\n')
    result = flake8(project, "--select", "FAL", ".")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"flake8-fastapi-layers: {project / 'pyproject.toml'}: [tool.fastapi-layers] "
        "layers.routers: unknown layer; did you mean 'router'? (known: router, service, "
        "repository, schema, model, domain, exceptions, dependencies, config, middleware, "
        "app, migration, test)"
    )


def test_nested_bad_config_met_only_while_checking_reports_fal000(project: Path) -> None:
    # A walked tree is validated up front (tests/test_hostile_config.py); a
    # file read from stdin under a name in a nested project is the last resort.
    write(project, {"sub/pyproject.toml": "[tool.fastapi-layers]\nbogus = 1\n"})
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "FAL",
         "--stdin-display-name", "sub/app/services/s.py", "-"],
        cwd=project, input="x = 1\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "sub/app/services/s.py:1:1: FAL000 " in result.stdout
    assert "bogus: unknown key" in result.stdout
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_file_that_does_not_parse(project: Path) -> None:
    write(project, {"app/services/broken.py": "def f(:\n"})
    result = flake8(project, "--select", "FAL,E999", ".")
    assert "Traceback" not in result.stderr
    assert any(
        line.startswith("./app/services/broken.py:1:") and " E999 " in line
        for line in result.stdout.splitlines()
    )
