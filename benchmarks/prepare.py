"""The corpus as the benchmarks lint it: fetched, plus our per-app configs.

A wheel is not a checkout: it has no ``pyproject.toml``, and the corpus
keeps only the app's subpackage (``prefect/server`` without
``prefect/__init__.py``; open-webui's subpackages are namespace packages), so
the project root a checkout would have cannot be found.  :func:`prepare_corpus`
therefore writes a ``pyproject.toml`` at each app's project root **in the
cache** (``<cache>/<app>/pyproject.toml``, above the top-level package), as
the app's own repository has one.  It is empty (a comment) unless
``benchmarks/configs/<app>.toml`` exists: zero-config detection misreads some
layouts (a ``models/`` package of CRUD functions, a GraphQL tree under
``api/``), and that file's ``[tool.fastapi-layers]`` table is then copied in.
``benchmarks/README.md`` explains each config.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath
from typing import Sequence

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import CorpusApp, CorpusError, ensure_corpus, spec_of

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
HEADER = "# {name}: written by benchmarks/prepare.py (config: benchmarks/configs/{name}.toml); do not edit\n"

__all__ = ["CONFIG_DIR", "config_file", "install_config", "prepare_corpus", "project_dir"]


def project_dir(app: CorpusApp) -> Path:
    """``<cache>/<app>``: the directory above the app's outermost package."""
    depth = len(PurePosixPath(spec_of(app.name).subdir).parts)
    return app.root.parents[depth - 1]


def config_file(name: str) -> Path | None:
    """``benchmarks/configs/<name>.toml`` when there is one."""
    path = CONFIG_DIR / f"{name}.toml"
    return path if path.is_file() else None


def install_config(app: CorpusApp, enabled: bool = True) -> Path:
    """Write the app's ``pyproject.toml`` in the cache (its config only if
    ``enabled``); return its path."""
    target = project_dir(app) / "pyproject.toml"
    source = config_file(app.name) if enabled else None
    text = HEADER.format(name=app.name)
    if source is not None:
        text += source.read_text(encoding="utf-8")
    else:
        text += "# zero-config: no [tool.fastapi-layers] table\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    # a mistake in a config stops the benchmark with the config's own message
    from flake8_fastapi_layers.config import ConfigError, load_config
    from flake8_fastapi_layers.rules import CATALOGUE

    try:
        load_config(str(target), CATALOGUE)
    except ConfigError as exc:
        raise CorpusError(f"benchmarks/configs/{app.name}.toml: {exc.problem} ({exc.key})") from None
    return target


def prepare_corpus(
    cache_dir: Path | str | None = None,
    only: Sequence[str] | None = None,
    configs: bool = True,
) -> list[CorpusApp]:
    """:func:`~benchmarks.corpus.ensure_corpus`, then install the configs."""
    apps = ensure_corpus(cache_dir, only)
    for app in apps:
        install_config(app, enabled=configs)
    return apps
