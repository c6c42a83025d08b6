"""Fetch real FastAPI applications to benchmark flake8-fastapi-layers on.

Each application is downloaded from PyPI at a *pinned* version with
``python -m pip download --no-deps`` (a wheel when there is one, an sdist
otherwise) and unpacked with :mod:`zipfile` / :mod:`tarfile` into a cache
directory **outside** the repository.  Nothing is installed or imported: only
the ``*.py`` files (and a ``pyproject.toml``, if any) below the application's
subdirectory are kept, so the corpus is plain text to lint.  (All pinned apps
ship wheels.  Should a pin ever need the sdist fallback, note that pip prepares
an sdist's metadata by running its build backend in an isolated environment.)

Cache directory, first match wins: ``--cache DIR``, ``$FAL_CORPUS_DIR``,
``~/.cache/fastapi-layers-corpus``.  Each application lives in
``<cache>/<name>/`` with the package path preserved, e.g.
``<cache>/apache-airflow-core/airflow/api_fastapi/...``; the *app root* handed
to linters is ``<cache>/<name>/<subdir>``.  A marker file records the pinned
version, so re-running is a no-op until a pin changes.

Usage::

    python benchmarks/corpus.py                   # fetch all, print a table
    python benchmarks/corpus.py --only lnbits     # just one (or several) apps
    python benchmarks/corpus.py --list            # app roots, one per line
    python benchmarks/corpus.py --cache /tmp/corpus
    python benchmarks/corpus.py --heldout         # the held-out apps instead

The held-out apps (``HELDOUT_APPS``) are real FastAPI back ends nothing was
tuned on, kept apart for ``benchmarks/heldout.py``: they share the cache but
not the table, so the tuning runs never see them.

From Python::

    from benchmarks.corpus import ensure_corpus
    for app in ensure_corpus():
        print(app.name, app.root, len(app.python_files))
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Iterator, Sequence

try:  # POSIX only; without it concurrent runs are merely not serialised.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no fcntl on Windows: runs there without the lock

__all__ = [
    "APPS",
    "HELDOUT_APPS",
    "AppSpec",
    "CorpusApp",
    "CorpusError",
    "count_lines",
    "default_cache_dir",
    "ensure_corpus",
    "main",
    "spec_of",
]

ENV_VAR = "FAL_CORPUS_DIR"
MARKER_NAME = ".fal-corpus.json"
MARKER_FORMAT = 1
KEEP_EXTRA_NAMES = frozenset({"pyproject.toml"})
REPO_ROOT = Path(__file__).resolve().parent.parent
STDERR_TAIL_LINES = 15
# pip noise from find-links/extra-index entries that do not exist here
PIP_NOISE = "is ignored: it is neither a file nor a directory"


@dataclass(frozen=True)
class AppSpec:
    """One pinned application of the corpus."""

    name: str  # PyPI project name
    version: str  # exact pinned version
    subdir: str  # POSIX path inside the distribution: the app to lint
    why: str  # one line: what makes it interesting
    # pip's --python-version for the wheel, when the app's Requires-Python
    # excludes the interpreter running the benchmark (the code is only read)
    python: str | None = None
    # the app's Requires-Python, as its own pyproject.toml declares it
    requires_python: str | None = None


# Newest versions pip could download when the table was last refreshed.
# To bump: change the version, re-run; the old copy is replaced.
APPS: tuple[AppSpec, ...] = (
    AppSpec(
        "lnbits",
        "1.6.2",
        "lnbits",
        "classic views/ + services/ + crud/ + models/ split; zero-config case",
    ),
    AppSpec(
        "open-webui",
        "0.12.4",
        "open_webui",
        "large app: routers/ + models/ (ORM tables *and* data access), "
        "no services",
    ),
    AppSpec(
        "apache-airflow-core",
        "3.3.2",
        "airflow/api_fastapi",
        "routes/ + services/ + datamodels/ (DTOs) + common/db/; "
        "ORM outside root",
    ),
    AppSpec(
        "arize-phoenix",
        "20.26.1",
        "phoenix/server",
        "REST api/routers/ next to a big GraphQL api/ tree; ORM outside root",
    ),
    AppSpec(
        "prefect",
        "3.9.1",
        "prefect/server",
        "api/ routers, models/ holds CRUD functions, schemas/, orm_models.py",
    ),
)


# Held-out apps: nothing in the rules was tuned on them (benchmarks/heldout.py,
# benchmarks/README.md "Held-out apps").  Chosen for layouts unlike APPS.
HELDOUT_APPS: tuple[AppSpec, ...] = (
    AppSpec(
        "ethyca-fides",
        "2.78.2",
        "fides",
        "routes in api/v1/endpoints/ beside non-route api/ packages (models, "
        "service, tasks, util); router factories; Alembic revisions in "
        "api/alembic/migrations/versions/; a CLI-side core/",
        requires_python=">=3.9, <4",
    ),
    AppSpec(
        "openhands-ai",
        "1.11.0",
        "openhands",
        "feature directories with *_router.py, abstract *_service.py and "
        "sql_*_service.py implementations, injector classes; Git-provider "
        "clients under integrations/*/service/; requires Python 3.12+",
        python="3.12",
        requires_python=">=3.12, <3.14",
    ),
    AppSpec(
        "argilla-server",
        "2.8.0",
        "argilla_server",
        "routes in api/handlers/v1/ beside api/schemas/, api/policies/, "
        "api/errors/; services named contexts/; ORM in models/database.py",
        requires_python=">=3.9",
    ),
    AppSpec(
        "chromadb",
        "1.5.9",
        "chromadb",
        "class-based controller: a server class registers its methods with "
        "add_api_route; api/ holds the implementations (and a client), db/ "
        "the SQLite data access",
        requires_python=">=3.9",
    ),
)


@dataclass
class CorpusApp:
    """An unpacked application, ready to lint."""

    name: str
    version: str
    root: Path
    python_files: list[Path]

    def count_lines(self) -> int:
        """Total number of lines in :attr:`python_files`."""
        return sum(count_lines(path) for path in self.python_files)


class CorpusError(Exception):
    """An expected failure (download, unpacking, arguments): no traceback."""


# --------------------------------------------------------------------------
# helpers


def default_cache_dir() -> Path:
    """``$FAL_CORPUS_DIR`` or ``~/.cache/fastapi-layers-corpus``."""
    env = os.environ.get(ENV_VAR)  # noqa: FAL705  # a script's own override, not app settings
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "fastapi-layers-corpus"


def count_lines(path: Path) -> int:
    """Number of lines of a file (a last line without newline counts)."""
    return len(path.read_bytes().splitlines())


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _select(
    only: Sequence[str] | None, table: Sequence[AppSpec] = APPS
) -> list[AppSpec]:
    if not only:
        return list(table)
    by_name = {spec.name.lower(): spec for spec in table}
    unknown = [name for name in only if name.lower() not in by_name]
    if unknown:
        known = ", ".join(spec.name for spec in table)
        raise CorpusError(
            f"unknown app(s): {', '.join(unknown)} (known: {known})"
        )
    selected: list[AppSpec] = []
    for name in only:
        spec = by_name[name.lower()]
        if spec not in selected:
            selected.append(spec)
    return selected


def _check_outside_repo(cache_dir: Path) -> None:
    resolved = cache_dir.resolve()
    if resolved == REPO_ROOT or REPO_ROOT in resolved.parents:
        raise CorpusError(
            f"cache directory {resolved} is inside the repository "
            f"{REPO_ROOT}; "
            "third-party code must stay outside it (use --cache or $"
            f"{ENV_VAR})"
        )


@contextlib.contextmanager
def _locked(cache_dir: Path) -> Iterator[None]:
    """Serialise concurrent runs on one cache directory (POSIX)."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    with open(cache_dir / ".lock", "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_marker(app_dir: Path) -> dict[str, object] | None:
    try:
        data = json.loads((app_dir / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_current(app_dir: Path, spec: AppSpec) -> bool:
    marker = _read_marker(app_dir)
    return (
        marker is not None
        and marker.get("format") == MARKER_FORMAT
        and marker.get("name") == spec.name
        and marker.get("version") == spec.version
        and marker.get("subdir") == spec.subdir
        and (app_dir / spec.subdir).is_dir()
    )


def _python_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if path.is_file())


def _corpus_app(spec: AppSpec, app_dir: Path) -> CorpusApp:
    root = app_dir / spec.subdir
    return CorpusApp(spec.name, spec.version, root, _python_files(root))


# --------------------------------------------------------------------------
# download


def _tail(text: str) -> str:
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and PIP_NOISE not in line
    ]
    tail = lines[-STDERR_TAIL_LINES:] or ["(no output)"]
    return "\n".join("    " + line for line in tail)


def _pip_download(
    spec: AppSpec, dest: Path, binary: bool
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--disable-pip-version-check",
        "--no-input",
        "--dest",
        str(dest),
        "--only-binary=:all:" if binary else "--no-binary=:all:",
        f"{spec.name}=={spec.version}",
    ]
    if binary and spec.python:
        command[-1:-1] = ["--python-version", spec.python]
    try:
        return subprocess.run(
            command, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise CorpusError(
            f"{spec.name}=={spec.version}: cannot run pip: {exc}"
        ) from exc


def _download(spec: AppSpec, dest: Path) -> Path:
    """Download the wheel (or, failing that, the sdist); return the file."""
    wheel = _pip_download(spec, dest, binary=True)
    if wheel.returncode != 0:
        _log(f"  {spec.name}: no wheel could be downloaded, trying the sdist")
        sdist = _pip_download(spec, dest, binary=False)
        if sdist.returncode != 0:
            raise CorpusError(
                f"pip download failed for {spec.name}=={spec.version}\n"
                f"  wheel attempt (exit {wheel.returncode}):\n"
                f"{_tail(wheel.stderr)}\n"
                f"  sdist attempt (exit {sdist.returncode}):\n"
                f"{_tail(sdist.stderr)}"
            )
    files = sorted(path for path in dest.iterdir() if path.is_file())
    if len(files) != 1:
        names = ", ".join(path.name for path in files) or "nothing"
        raise CorpusError(
            f"pip download for {spec.name}=={spec.version} left {names} "
            "instead of exactly one archive"
        )
    return files[0]


# --------------------------------------------------------------------------
# unpack


def _safe_relative(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or any(p in ("", ".", "..") for p in path.parts):
        return None
    return path


def _wanted(rel: PurePosixPath, subdir: PurePosixPath) -> bool:
    if not rel.is_relative_to(subdir) or rel == subdir:
        return False
    return rel.suffix == ".py" or rel.name in KEEP_EXTRA_NAMES


def _archive_members(archive: Path) -> Iterator[tuple[str, IO[bytes]]]:
    """Yield ``(posix name, readable)`` for each regular file in it."""
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    with zf.open(info) as handle:
                        yield info.filename, handle
        return
    if archive.name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar")):
        with tarfile.open(archive) as tf:
            for member in tf:
                if member.isfile():
                    extracted = tf.extractfile(member)
                    if extracted is not None:
                        with extracted:
                            yield member.name, extracted
        return
    raise CorpusError(f"{archive.name}: unsupported archive type")


def _strip_sdist_prefix(
    rel: PurePosixPath, is_sdist: bool
) -> list[PurePosixPath]:
    """Candidate in-distribution paths of an archive member.

    Wheels hold the package at the top.  An sdist nests everything in
    ``name-version/`` and often keeps the package under ``src/``.
    """
    if not is_sdist:
        return [rel]
    if len(rel.parts) < 2:
        return []
    inner = PurePosixPath(*rel.parts[1:])
    candidates = [inner]
    if inner.parts[0] == "src" and len(inner.parts) > 1:
        candidates.append(PurePosixPath(*inner.parts[1:]))
    return candidates


def _unpack(spec: AppSpec, archive: Path, target: Path) -> int:
    """Copy the kept files of ``spec.subdir`` to ``target``; count them."""
    subdir = PurePosixPath(spec.subdir)
    is_sdist = archive.suffix != ".whl"
    written = 0
    try:
        for name, handle in _archive_members(archive):
            rel = _safe_relative(name)
            if rel is None:
                continue
            for candidate in _strip_sdist_prefix(rel, is_sdist):
                if _wanted(candidate, subdir):
                    dest = target.joinpath(*candidate.parts)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with open(dest, "wb") as out:
                        shutil.copyfileobj(handle, out)
                    written += 1
                    break
    except (zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        raise CorpusError(f"{archive.name}: corrupt archive: {exc}") from exc
    if written == 0:
        raise CorpusError(
            f"{archive.name} has no Python files under {spec.subdir}/ "
            "(was the subdirectory renamed? fix its entry in APPS)"
        )
    return written


def _fetch(spec: AppSpec, cache_dir: Path) -> None:
    """Download and unpack one app, replacing any other version atomically."""
    app_dir = cache_dir / spec.name
    started = time.monotonic()
    _log(f"fetching {spec.name}=={spec.version} ...")
    with tempfile.TemporaryDirectory(
        prefix=f".tmp-{spec.name}-", dir=cache_dir
    ) as tmp:
        tmp_path = Path(tmp)
        download_dir = tmp_path / "download"
        download_dir.mkdir()
        archive = _download(spec, download_dir)
        downloaded = time.monotonic()
        staging = tmp_path / "app"
        staging.mkdir()
        count = _unpack(spec, archive, staging)
        marker = {
            "format": MARKER_FORMAT,
            "name": spec.name,
            "version": spec.version,
            "subdir": spec.subdir,
            "archive": archive.name,
            "files": count,
        }
        (staging / MARKER_NAME).write_text(
            json.dumps(marker, indent=2) + "\n", encoding="utf-8"
        )
        if app_dir.exists():
            old = tmp_path / "old"
            app_dir.rename(old)  # removed with the temporary directory
        staging.rename(app_dir)
    _log(
        f"  {spec.name}: {archive.name}, {count} files kept "
        f"(download {downloaded - started:.1f}s, "
        f"unpack {time.monotonic() - downloaded:.1f}s)"
    )


# --------------------------------------------------------------------------
# public API


def ensure_corpus(
    cache_dir: Path | str | None = None,
    only: Sequence[str] | None = None,
    heldout: bool = False,
) -> list[CorpusApp]:
    """Make sure the pinned apps are unpacked; return them in table order.

    ``cache_dir`` defaults to :func:`default_cache_dir`; ``only`` restricts
    to the named apps (PyPI names, case-insensitive); ``heldout`` takes them
    from :data:`HELDOUT_APPS` instead of :data:`APPS`.  Raises
    :class:`CorpusError` on expected failures.
    """
    specs = _select(only, HELDOUT_APPS if heldout else APPS)
    cache = (
        Path(cache_dir).expanduser()
        if cache_dir is not None
        else default_cache_dir()
    )
    _check_outside_repo(cache)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with _locked(cache):
            for spec in specs:
                if not _is_current(cache / spec.name, spec):
                    _fetch(spec, cache)
            return [_corpus_app(spec, cache / spec.name) for spec in specs]
    except OSError as exc:
        raise CorpusError(f"file system error in {cache}: {exc}") from exc


# --------------------------------------------------------------------------
# CLI


def spec_of(name: str) -> AppSpec:
    """The :class:`AppSpec` of an app of either table."""
    for spec in (*APPS, *HELDOUT_APPS):
        if spec.name == name:
            return spec
    raise CorpusError(f"{name}: not in the corpus tables")


def _print_table(apps: list[CorpusApp], cache: Path, elapsed: float) -> None:
    by_name = {app.name: spec_of(app.name) for app in apps}
    rows = [
        (
            app.name,
            app.version,
            by_name[app.name].subdir,
            len(app.python_files),
            app.count_lines(),
        )
        for app in apps
    ]
    headers = ("app", "version", "subdirectory", "files", "lines")
    total_files = sum(row[3] for row in rows)
    total_lines = sum(row[4] for row in rows)
    cells = [
        headers,
        *[(r[0], r[1], r[2], f"{r[3]:,}", f"{r[4]:,}") for r in rows],
    ]
    cells.append(("TOTAL", "", "", f"{total_files:,}", f"{total_lines:,}"))
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def fmt(row: Sequence[str]) -> str:
        left = [row[i].ljust(widths[i]) for i in range(3)]
        right = [row[i].rjust(widths[i]) for i in range(3, 5)]
        return "  ".join(left + right).rstrip()

    rule = "  ".join("-" * width for width in widths)
    print(fmt(cells[0]))
    print(rule)
    for row in cells[1:-1]:
        print(fmt(row))
    print(rule)
    print(fmt(cells[-1]))
    print(f"\ncache: {cache.expanduser().resolve()}")
    print(f"elapsed: {elapsed:.1f}s")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpus.py",
        description="Fetch pinned real-world FastAPI apps from PyPI into a "
        "cache "
        "outside the repository (source only, never installed or imported).",
        epilog="Apps: "
        + ", ".join(f"{spec.name}=={spec.version}" for spec in APPS)
        + "; held-out: "
        + ", ".join(f"{spec.name}=={spec.version}" for spec in HELDOUT_APPS),
    )
    parser.add_argument(
        "--cache",
        metavar="DIR",
        type=Path,
        default=None,
        help=f"cache directory (default: ${ENV_VAR} or "
        "~/.cache/fastapi-layers-corpus)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        nargs="+",
        default=None,
        help="only these apps (PyPI names)",
    )
    parser.add_argument(
        "--heldout",
        action="store_true",
        help="the held-out apps (HELDOUT_APPS) instead of the corpus",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="print the unpacked app roots, one per line, and nothing "
        "else on stdout",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.monotonic()
    try:
        apps = ensure_corpus(args.cache, args.only, heldout=args.heldout)
    except CorpusError as exc:
        _log(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        _log("interrupted")
        return 130
    if args.list:
        for app in apps:
            print(app.root)
    else:
        cache = args.cache if args.cache is not None else default_cache_dir()
        _print_table(apps, cache, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
