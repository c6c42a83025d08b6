"""[tool.fastapi-layers]: validation, defaults and clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_fastapi_layers.config import ConfigError, load_config
from flake8_fastapi_layers.rules import CATALOGUE
from flake8_fastapi_layers.rules.fal1.fal103 import FrameworkImportOptions
from flake8_fastapi_layers.engine import DEFAULT_CONFIG, project_config, parse_table


def test_defaults() -> None:
    config = parse_table({})
    assert config.options(FrameworkImportOptions).allowed_modules == ()
    assert config.is_active("FAL101")
    assert not config.is_disabled("FAL101")


def test_options_disable_enable_first_party() -> None:
    config = parse_table(
        {
            "first-party": ["billing"],
            "disable": ["FAL10"],
            "FAL103": {"allowed-modules": ["fastapi.concurrency"]},
        }
    )
    assert config.first_party == frozenset({"billing"})
    assert config.is_disabled("FAL101") and config.is_disabled("FAL105")
    assert config.options(FrameworkImportOptions).allowed_modules == ("fastapi.concurrency",)


@pytest.mark.parametrize(
    "table, key, problem",
    [
        ({"frist-party": []}, "frist-party", "did you mean 'first-party'"),
        ({"layers": {"routers": ["x/"]}}, "layers.routers", "unknown layer; did you mean 'router'"),
        ({"layers": {"router": ["a//b/"]}}, "layers.router", "bad pattern"),
        ({"layers": {"router": "x/"}}, "layers.router", "expected a list of strings"),
        ({"extend-layers": ["x"]}, "extend-layers", "must be a table"),
        ({"disable": ["E501"]}, "disable", "unknown code or prefix 'E501'"),
        ({"disable": ["FAL999"]}, "disable", "unknown code or prefix"),
        ({"enable": ["FAL1"]}, "enable", "unknown code 'FAL1'"),
        ({"FAL999": {}}, "FAL999", "unknown code"),
        ({"FAL103": {"allowed": []}}, "FAL103.allowed", "did you mean 'allowed-modules'"),
        ({"FAL103": {"allowed-modules": "fastapi"}}, "FAL103.allowed-modules", "expected a list of strings"),
        ({"FAL101": {"x": 1}}, "FAL101.x", "FAL101 has no options"),
        ({"annotations-everywhere": "yes"}, "annotations-everywhere", "expected true or false"),
        ({"first-party": ["my-app"]}, "first-party", "not a top-level package name"),
    ],
)
def test_mistakes_name_the_file_and_key(table: dict[str, object], key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_table(table, "/p/pyproject.toml")
    message = str(info.value)
    assert message.startswith(f"/p/pyproject.toml: [tool.fastapi-layers] {key}: ")
    assert problem in message
    assert "\n" not in message


def test_files(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.fastapi-layers]\nfirst-party = ["x"]\n')
    (tmp_path / "app").mkdir()
    assert project_config(tmp_path / "app" / "m.py").first_party == frozenset({"x"})
    pyproject.write_text("[tool.other]\n")
    assert load_config(str(pyproject), CATALOGUE).first_party == frozenset()  # re-read after a change
    pyproject.write_text("[tool.fastapi-layers\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(str(pyproject), CATALOGUE)


def test_no_pyproject_means_defaults(tmp_path: Path) -> None:
    # tmp dirs have no pyproject.toml above them on CI; guard anyway
    config = project_config(tmp_path / "m.py")
    assert config is DEFAULT_CONFIG or config.source is not None


@pytest.mark.parametrize("command", ["check", "layers", "config"])
def test_cli_bad_config_is_one_line_and_exit_2(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from flake8_fastapi_layers.cli import main

    (tmp_path / "pyproject.toml").write_text("[tool.fastapi-layers]\nbogus = 1\n")
    (tmp_path / "m.py").write_text("x = 1\n")
    assert main([command, str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bogus: unknown key" in err and "Traceback" not in err
