"""Layer detection: every example path of RULES.md §1 and the five seed layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_fastapi_layers.engine import parse_table
from flake8_fastapi_layers.layers import (
    DEFAULT_LAYER_MAP,
    FALLBACK_MARKERS,
    ROOT_MARKERS,
    PatternError,
    compile_pattern,
    feature_of,
    find_project_root,
    module_info,
)

RULES_EXAMPLES = {
    "api/deps.py": "dependencies",
    "api/routes/users.py": "router",
    "models/domain/user.py": "domain",
    "db/repositories/users.py": "repository",
    "core/security.py": "config",
}

SEED_LAYOUTS = {
    # 1. src/features/<feature>/..., src/app/..., src/shared/middleware/
    "src/features/users/router.py": "router",
    "src/features/users/service.py": "service",
    "src/features/users/repository.py": "repository",
    "src/features/users/schemas.py": "schema",
    "src/features/users/models.py": "model",
    "src/features/users/exceptions.py": "exceptions",
    "src/features/users/__init__.py": None,
    "src/app/main.py": "app",
    "src/app/config.py": "config",
    "src/app/dependencies.py": "dependencies",
    "src/shared/middleware/auth.py": "middleware",
    "src/shared/utils/strings.py": None,
    "tests/features/users/test_router.py": "test",
    # 2. app/{routers,services,repositories,models,schemas,core}/
    "app/routers/users.py": "router",
    "app/services/user_service.py": "service",
    "app/repositories/user_repository.py": "repository",
    "app/models/user.py": "model",
    "app/schemas/user.py": "schema",
    "app/core/config.py": "config",
    "app/core/security.py": "config",
    "app/main.py": "app",
    "app/dependencies.py": "dependencies",
    # 3. src/api/routes/, src/api/dependencies.py, src/core/config.py, src/models/{domain,requests,responses}/
    "src/api/routes/users.py": "router",
    "src/api/dependencies.py": "dependencies",
    "src/api/middleware.py": "middleware",
    "src/core/config.py": "config",
    "src/core/logging.py": "config",
    "src/models/domain/user.py": "domain",
    "src/models/requests/user.py": "schema",
    "src/models/responses/user.py": "schema",
    "src/services/user_service.py": "service",
    "src/repositories/user_repository.py": "repository",
    "src/db/models.py": "model",
    "src/db/session.py": None,
    "src/utils/helpers.py": None,
    # 4. app/{routes,services,repositories,models,schemas,middleware,utils}/
    "app/routes/posts.py": "router",
    "app/services/post_service.py": "service",
    "app/repositories/post_repository.py": "repository",
    "app/repositories/base_repository.py": "repository",
    "app/middleware/error_handler.py": "middleware",
    "app/utils/pagination.py": None,
    "app/kafka/producer.py": None,
    "alembic/versions/0001_add_posts.py": "migration",
    "alembic/env.py": None,
    "tests/conftest.py": "test",
    "tests/test_posts.py": "test",
    # 5. layers named api, service, repository, domain
    "api/users.py": "router",
    "service/users.py": "service",
    "repository/users.py": "repository",
    "domain/user.py": "domain",
}

PRECEDENCE = {
    # test first, then migration, then the file name, then the nearest directory
    "app/routers/test_users.py": "test",
    "tests/app/services/user_service.py": "test",
    "app/migrations/versions/0002.py": "migration",
    "app/services/models.py": "model",
    # a router per resource: routers/models.py serves /models (refinement of §1)
    "app/routers/models.py": "router",
    "app/routes/schemas.py": "router",
    "app/views/block_schemas.py": "router",
    "app/api/models.py": "model",
    "app/routers/v1/models.py": "model",
    "app/routers/deps.py": "dependencies",
    "app/models/domain/errors.py": "exceptions",
    "app/api/v1/services/billing.py": "service",
    "app/core/db/models.py": "model",
    "app/api/deps.py": "dependencies",
    "app/core/settings.py": "config",
    "app/schemas/__init__.py": "schema",
    "user_repository.py": "repository",
    "conftest.py": "test",
}


@pytest.mark.parametrize(
    "path, layer", sorted({**RULES_EXAMPLES, **SEED_LAYOUTS, **PRECEDENCE}.items())
)
def test_default_detection(path: str, layer: str | None) -> None:
    assert DEFAULT_LAYER_MAP.classify(path) == layer


def test_configured_patterns_replace_and_extend() -> None:
    config = parse_table(
        {"layers": {"router": ["handlers/"]}, "extend-layers": {"service": ["logic/", "*_usecase.py"]}}
    )
    assert config.layer_map.classify("app/handlers/users.py") == "router"
    assert config.layer_map.classify("app/routers/users.py") is None  # replaced
    assert config.layer_map.classify("app/logic/billing.py") == "service"
    assert config.layer_map.classify("app/pay_usecase.py") == "service"
    assert config.layer_map.classify("app/services/x.py") == "service"  # kept


@pytest.mark.parametrize(
    "pattern, path, matches",
    [
        ("legacy/**", "app/legacy/a/b.py", True),
        ("**/handlers/", "x/y/handlers/z.py", True),
        ("db/models.py", "src/db/models.py", True),
        ("db/models.py", "src/mydb/models.py", False),
        ("*_api.py", "lnbits/core/views/user_api.py", True),
        ("[ab]pi/", "api/x.py", True),
    ],
)
def test_glob_patterns(pattern: str, path: str, matches: bool) -> None:
    layer_map = parse_table({"layers": {"router": [pattern]}}).layer_map
    assert (layer_map.classify(path) == "router") is matches


@pytest.mark.parametrize("pattern", ["", " x.py", "a//b/", "../x.py", "/abs.py", "foo", "a/**b/", "[ab.py", "x\\y.py"])
def test_bad_patterns_are_rejected(pattern: str) -> None:
    with pytest.raises(PatternError):
        compile_pattern(pattern, "router")


def test_feature_of() -> None:
    assert feature_of("src/features/users/router.py") == "users"
    assert feature_of("src/features/users/sub/x.py") == "users"
    assert feature_of("src/features/__init__.py") is None
    assert feature_of("app/routers/users.py") is None


def _tree(tmp_path: Path, files: list[str]) -> None:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("")
    for name in files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("")


def test_import_resolution_absolute_relative_and_source_roots(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "app/__init__.py",
            "app/routers/users.py",
            "app/services/post_service.py",
            "app/services/__init__.py",
            "app/repositories/post_repository.py",
            "app/main.py",
        ],
    )
    info = module_info(tmp_path / "app/routers/users.py")
    assert info.root == str(tmp_path)
    assert info.layer == "router"
    assert info.resolve_import("app.services.post_service").layer == "service"
    assert info.resolve_import("app.services", 0, "post_service").layer == "service"
    assert info.resolve_import("app", 0, "services").layer == "service"
    assert info.resolve_import("app.main", 0, "app").layer == "app"
    # the app/ directory is a source root for files below it
    assert info.resolve_import("services.post_service").layer == "service"
    assert info.resolve_import("repositories", 0, "post_repository").layer == "repository"
    # relative forms
    assert info.resolve_import("repositories.post_repository", 2).layer == "repository"
    assert info.resolve_import(None, 2, "services").layer == "service"
    assert info.resolve_import(None, 1, "users").layer == "router"
    # libraries are never project layers
    assert info.resolve_import("sqlalchemy.orm") is None
    assert info.resolve_import("fastapi.routing") is None
    assert info.resolve_import("services_client") is None


def test_first_party_from_config(tmp_path: Path) -> None:
    _tree(tmp_path, ["svc/api/routes/users.py"])
    info = module_info(tmp_path / "svc/api/routes/users.py", first_party=["billing"])
    target = info.resolve_import("billing.repositories.invoices")
    assert target is not None and target.layer == "repository"


def test_project_root_markers(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("")
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    assert find_project_root(str(tmp_path / "pkg" / "sub")) == str(tmp_path)
    (tmp_path / "pkg" / "pyproject.toml").write_text("")
    find_project_root.cache_clear()
    assert find_project_root(str(tmp_path / "pkg" / "sub")) == str(tmp_path / "pkg")


def test_root_is_relative_so_outer_dirs_do_not_count(tmp_path: Path) -> None:
    project = tmp_path / "tests" / "proj"
    _tree(project, ["app/services/x.py"])
    assert module_info(project / "app/services/x.py").layer == "service"


def test_root_without_markers_is_above_the_outermost_package(tmp_path: Path) -> None:
    # an unpacked wheel: no pyproject.toml, only packages
    for d in ("pkg", "pkg/core", "pkg/core/views"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "__init__.py").write_text("")
    markers = (*ROOT_MARKERS, *FALLBACK_MARKERS)
    if any((parent / m).exists() for parent in tmp_path.parents for m in markers):
        pytest.skip("a marker above the temporary directory")
    assert find_project_root(str(tmp_path / "pkg/core/views")) == str(tmp_path)
    info = module_info(tmp_path / "pkg/core/views/api.py")
    assert info.relpath == "pkg/core/views/api.py" and info.layer == "router"


@pytest.mark.parametrize("marker", ["requirements.txt", ".git"])
def test_checkout_with_namespace_packages(tmp_path: Path, marker: str) -> None:
    # an application checkout: no packaging file, no __init__.py anywhere
    markers = (*ROOT_MARKERS, *FALLBACK_MARKERS)
    if any((parent / m).exists() for parent in tmp_path.parents for m in markers):
        pytest.skip("a marker above the temporary directory")
    (tmp_path / "app" / "routers").mkdir(parents=True)
    (tmp_path / "app" / "routers" / "users.py").write_text("")
    if marker == ".git":
        (tmp_path / ".git").mkdir()
    else:
        (tmp_path / marker).write_text("fastapi\n")
    info = module_info(tmp_path / "app/routers/users.py")
    assert info.relpath == "app/routers/users.py" and info.layer == "router"
    target = info.resolve_import("app.repositories.users")
    assert target is not None and target.layer == "repository"


def test_nearest_fallback_marker_wins(tmp_path: Path) -> None:
    markers = (*ROOT_MARKERS, *FALLBACK_MARKERS)
    if any((parent / m).exists() for parent in tmp_path.parents for m in markers):
        pytest.skip("a marker above the temporary directory")
    (tmp_path / ".git").mkdir()
    (tmp_path / "backend" / "app" / "services").mkdir(parents=True)
    (tmp_path / "backend" / "requirements.txt").write_text("")
    assert find_project_root(str(tmp_path / "backend/app/services")) == str(tmp_path / "backend")
