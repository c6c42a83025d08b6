"""FAL1xx: what the fixture trees cannot express: the codes of one import
statement, reported alone or together, give the same findings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fixtures_util import FIXTURES, check_snippet, line_codes
from flake8_fastapi_layers.engine import DEFAULT_OFF, check_path, project_config
from flake8_fastapi_layers.files import iter_python_files
from flake8_fastapi_layers.rules import fal1

CODES = [rule.code for rule in fal1.RULES]


@pytest.mark.parametrize("tree", CODES)
@pytest.mark.parametrize("code", CODES)
def test_each_code_alone_reports_what_it_reports_with_the_others(tree: str, code: str) -> None:
    """Turning the family's other codes off changes nothing of ``code``'s findings
    (FAL104 still leaves an upward import to FAL101, an infrastructure or
    framework import still is no layer import, when those codes are off)."""
    others = tuple(c for c in CODES if c != code)
    checked = 0
    for path in iter_python_files([FIXTURES / tree]):
        config = project_config(path)
        alone = dataclasses.replace(config, disabled=config.disabled + others)
        together = [f for f in check_path(path, config, DEFAULT_OFF) if f.code == code]
        assert check_path(path, alone, DEFAULT_OFF) == together, path
        checked += bool(together)
    if tree == code:  # each code's own tree has findings of it
        assert checked


def _project(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


DOMAIN = (
    "from __future__ import annotations\n"
    "\n"
    "from app.services.order_service import total\n"
    "from app.models.order import Order\n"
    "import sqlalchemy, app.models.order\n"
)


def test_fal104_leaves_upward_imports_to_fal101_when_fal101_is_off(tmp_path: Path) -> None:
    _project(tmp_path, {"app/services/order_service.py": "", "app/models/order.py": ""})
    found = check_snippet(DOMAIN, "app/domain/order.py", "FAL1", root=tmp_path)
    assert line_codes(found) == [(3, "FAL101"), (4, "FAL104"), (5, "FAL104"), (5, "FAL104")]
    assert [f.message for f in found[2:]] == [
        "FAL104 domain imports infrastructure 'sqlalchemy'; "
        "keep domain entities and rules free of I/O and frameworks",
        "FAL104 domain imports the model layer 'app.models.order'; "
        "keep domain entities and rules free of I/O and frameworks",
    ]
    alone = check_snippet(DOMAIN, "app/domain/order.py", "FAL1", {"disable": ["FAL101"]}, tmp_path)
    assert alone == found[1:]


def test_a_framework_import_is_no_layer_import_even_with_fal103_off(tmp_path: Path) -> None:
    """A first-party package named like the framework: in a service, importing
    it is FAL103 (not allowed) and nothing else, whether FAL103 is on or off."""
    _project(tmp_path, {"fastapi/routers/users.py": "", "app/routers/users.py": ""})
    source = "import fastapi.routers.users\nimport app.routers.users\n"
    found = check_snippet(source, "app/services/s.py", "FAL1", root=tmp_path)
    assert line_codes(found) == [(1, "FAL103"), (2, "FAL101")]
    off = check_snippet(source, "app/services/s.py", "FAL1", {"disable": ["FAL103"]}, tmp_path)
    assert off == found[1:]
    allowed = {"FAL103": {"allowed-modules": ["fastapi.routers"]}}
    found = check_snippet(source, "app/services/s.py", "FAL1", allowed, tmp_path)
    assert line_codes(found) == [(1, "FAL101"), (2, "FAL101")]
