"""The five seed layouts of RULES.md §1 as small, realistic FastAPI apps.

Each ``tests/layouts/<name>/`` is a project of its own (its own ``pyproject.toml``,
with no layer configuration: detection is zero-config).  Its code is mostly
correct, with a few deliberate violations marked ``# expect: FALnnn``.  Per app:

(a) the WHOLE set of findings (every code, every file) equals the marked set;
(b) flake8 itself, run in the app's directory, reports the same set;
(c) every file gets the layer written in :data:`LAYERS` below.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures_util import Key, actual, expected
from flake8_fastapi_layers.files import iter_python_files
from flake8_fastapi_layers.engine import DEFAULT_CONFIG, project_config
from flake8_fastapi_layers.layers import module_info

LAYOUTS = Path(__file__).parent / "layouts"

FLAKE8_ARGS = (
    "--isolated",
    "--select",
    "FAL",
    "--extend-select",
    "FAL208,FAL607",
    "--format",
    "%(path)s:%(row)d:%(code)s",
    ".",
)

# Every .py file of every app and the layer it must get (None: no layer).
LAYERS: dict[str, dict[str, str | None]] = {
    # 1. src/features/<feature>/..., src/app/..., src/shared/middleware/ (guideline 000)
    "features": {
        "src/app/__init__.py": None,
        "src/app/config.py": "config",
        "src/app/db.py": None,
        "src/app/dependencies.py": "dependencies",
        "src/app/main.py": "app",
        "src/features/__init__.py": None,
        "src/features/orders/__init__.py": None,
        "src/features/orders/exceptions.py": "exceptions",
        "src/features/orders/models.py": "model",
        "src/features/orders/repository.py": "repository",
        "src/features/orders/router.py": "router",
        "src/features/orders/schemas.py": "schema",
        "src/features/orders/service.py": "service",
        "src/features/users/__init__.py": None,
        "src/features/users/exceptions.py": "exceptions",
        "src/features/users/models.py": "model",
        "src/features/users/repository.py": "repository",
        "src/features/users/router.py": "router",
        "src/features/users/schemas.py": "schema",
        "src/features/users/service.py": "service",
        "src/shared/__init__.py": None,
        "src/shared/mailer.py": None,
        "src/shared/middleware/__init__.py": "middleware",
        "src/shared/middleware/request_id.py": "middleware",
        "src/shared/middleware/timing.py": "middleware",
        "src/shared/security.py": None,
        "tests/conftest.py": "test",
        "tests/features/orders/test_router.py": "test",
        "tests/features/users/test_service.py": "test",
    },
    # 2. app/{routers,services,repositories,models,schemas,core}/ + alembic/versions/ (guideline 002)
    "app_layers": {
        "alembic/env.py": None,
        "alembic/versions/0001_create_users.py": "migration",
        "alembic/versions/0002_add_role_and_ban.py": "migration",
        "app/__init__.py": None,
        "app/core/__init__.py": "config",
        "app/core/config.py": "config",
        "app/core/database.py": "config",
        "app/core/security.py": "config",
        "app/dependencies.py": "dependencies",
        "app/main.py": "app",
        "app/models/__init__.py": "model",
        "app/models/base.py": "model",
        "app/models/user.py": "model",
        "app/repositories/__init__.py": "repository",
        "app/repositories/user_repository.py": "repository",
        "app/routers/__init__.py": "router",
        "app/routers/admin.py": "router",
        "app/routers/users.py": "router",
        "app/schemas/__init__.py": "schema",
        "app/schemas/user.py": "schema",
        "app/services/__init__.py": "service",
        "app/services/user_service.py": "service",
        "tests/conftest.py": "test",
        "tests/test_users.py": "test",
    },
    # 3. src/api/routes/, src/core/, src/models/{domain,requests,responses}/, src/db/models.py (guideline 003)
    "api_routes": {
        "src/__init__.py": None,
        "src/api/__init__.py": "router",
        "src/api/dependencies.py": "dependencies",
        "src/api/middleware.py": "middleware",
        "src/api/routes/__init__.py": "router",
        "src/api/routes/health.py": "router",
        "src/api/routes/profiles.py": "router",
        "src/core/__init__.py": "config",
        "src/core/config.py": "config",
        "src/core/exceptions.py": "exceptions",
        "src/core/logging.py": "config",
        "src/core/security.py": "config",
        "src/db/__init__.py": None,
        "src/db/models.py": "model",
        "src/db/session.py": None,
        "src/main.py": "app",
        "src/models/__init__.py": "model",
        "src/models/domain/__init__.py": "domain",
        "src/models/domain/profile.py": "domain",
        "src/models/requests/__init__.py": "schema",
        "src/models/requests/profile.py": "schema",
        "src/models/responses/__init__.py": "schema",
        "src/models/responses/profile.py": "schema",
        "src/repositories/__init__.py": "repository",
        "src/repositories/profile_repository.py": "repository",
        "src/services/__init__.py": "service",
        "src/services/avatar_service.py": "service",
        "src/services/profile_service.py": "service",
        "tests/api/test_profiles.py": "test",
        "tests/services/test_profile_service.py": "test",
    },
    # 4. app/{routes,services,repositories,models,schemas,middleware,utils}/, app/ as the
    #    source root: `from services.post_service import PostService` (guideline 004)
    "routes_utils": {
        "app/__init__.py": None,
        "app/config.py": "config",
        "app/dependencies.py": "dependencies",
        "app/exceptions.py": "exceptions",
        "app/main.py": "app",
        "app/middleware/error_handler.py": "middleware",
        "app/models/base.py": "model",
        "app/models/post.py": "model",
        "app/repositories/base_repository.py": "repository",
        "app/repositories/post_repository.py": "repository",
        "app/routes/admin.py": "router",
        "app/routes/posts.py": "router",
        "app/schemas/post.py": "schema",
        "app/services/admin_service.py": "service",
        "app/services/post_service.py": "service",
        "app/utils/auth.py": None,
        "app/utils/pagination.py": None,
        "tests/conftest.py": "test",
        "tests/test_posts.py": "test",
    },
    # 5. packages named api, service, repository, domain (guideline 001)
    "named_layers": {
        "src/billing/__init__.py": None,
        "src/billing/api/__init__.py": "router",
        "src/billing/api/deps.py": "dependencies",
        "src/billing/api/invoices.py": "router",
        "src/billing/api/schemas.py": "schema",
        "src/billing/config.py": "config",
        "src/billing/domain/__init__.py": "domain",
        "src/billing/domain/errors.py": "exceptions",
        "src/billing/domain/invoice.py": "domain",
        "src/billing/main.py": "app",
        "src/billing/repository/__init__.py": "repository",
        "src/billing/repository/invoices.py": "repository",
        "src/billing/repository/models.py": "model",
        "src/billing/service/__init__.py": "service",
        "src/billing/service/invoices.py": "service",
        "tests/unit/test_invoice_service.py": "test",
    },
}

APPS = sorted(LAYERS)


def test_every_layout_dir_is_listed() -> None:
    assert sorted(p.name for p in LAYOUTS.iterdir() if p.is_dir()) == APPS


@pytest.fixture(scope="module")
def flake8_output() -> dict[str, subprocess.CompletedProcess[str]]:
    """flake8 in every app directory, started together to keep the test fast."""
    procs = {
        app: subprocess.Popen(
            [sys.executable, "-m", "flake8", *FLAKE8_ARGS],
            cwd=LAYOUTS / app,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for app in APPS
    }
    done: dict[str, subprocess.CompletedProcess[str]] = {}
    for app, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        done[app] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


@pytest.mark.parametrize("app", APPS)
def test_findings_are_exactly_the_marked_ones(app: str) -> None:
    root = LAYOUTS / app
    marked = expected(root)
    assert marked, f"tests/layouts/{app} marks no finding"
    assert sorted(actual(root)) == sorted(marked)


@pytest.mark.parametrize("app", APPS)
def test_flake8_end_to_end(
    app: str, flake8_output: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    result = flake8_output[app]
    assert result.stderr == "", result.stderr
    assert result.returncode == 1, result.stdout
    found: set[Key] = set()
    for line in result.stdout.splitlines():
        path, row, code = line.rsplit(":", 2)
        rel = Path(os.path.normpath(path)).as_posix()
        found.add((rel, int(row), code))
    assert sorted(found) == sorted(expected(LAYOUTS / app))


@pytest.mark.parametrize("app", APPS)
def test_every_file_gets_the_expected_layer(app: str) -> None:
    root = LAYOUTS / app
    table = LAYERS[app]
    files = sorted(Path(p).relative_to(root).as_posix() for p in iter_python_files([root]))
    assert files == sorted(table), "add new files to LAYERS (or remove stale entries)"
    got: dict[str, str | None] = {}
    for rel in files:
        path = root / rel
        config = project_config(path)
        info = module_info(path, config.layer_map, config.first_party)
        assert Path(info.root) == root.resolve(), f"{rel}: project root {info.root}"
        got[rel] = info.layer
    assert got == table


@pytest.mark.parametrize("app", APPS)
def test_layouts_need_no_layer_configuration(app: str) -> None:
    config = project_config(LAYOUTS / app / "pyproject.toml")
    assert config.source is not None and Path(config.source).parent == (LAYOUTS / app).resolve()
    data = config.as_data()
    assert data["patterns"] == DEFAULT_CONFIG.as_data()["patterns"]
    assert data["first_party"] == [] and data["disabled"] == []
