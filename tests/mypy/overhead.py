"""Measure what mypy_layers_plugin adds to a mypy run.

    python tests/mypy/overhead.py PROJECT_DIR [PACKAGE ...] [--runs 5]
        [--python-executable PY] [--stubs]

Runs mypy on the packages with and without the plugin, cold (an empty cache)
and warm (the cache of the previous run, nothing changed), alternating the
two configurations, and prints the median wall time of each and the overhead.
``--stubs`` puts the test stubs of fastapi/sqlalchemy/... on MYPYPATH (for
the test cases); ``--python-executable`` points mypy at an environment where
the project's libraries are installed.  Not a test: a tool for the README's
numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STUBS = Path(__file__).parent / "stubs"


def run(project: Path, packages: list[str], config: Path, cache: Path, args: argparse.Namespace) -> float:
    cmd = [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache)]
    if args.python_executable:
        cmd += ["--python-executable", args.python_executable]
    env = dict(os.environ)
    if args.stubs:
        env["MYPYPATH"] = str(STUBS)
    started = time.perf_counter()
    proc = subprocess.run(cmd + packages, cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1) or "INTERNAL ERROR" in proc.stdout + proc.stderr:
        raise SystemExit(proc.stdout + proc.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("packages", nargs="*", default=["."])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python-executable")
    parser.add_argument("--stubs", action="store_true")
    parser.add_argument(
        "--edit", type=Path, help="also time a warm run after appending a comment to this file"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="fal-overhead-"))
    base = "[mypy]\nignore_missing_imports = True\nfollow_imports = silent\n"
    configs = {
        "without": work / "without.ini",
        "with": work / "with.ini",
    }
    configs["without"].write_text(base)
    configs["with"].write_text(base + "plugins = mypy_layers_plugin\n")
    times: dict[tuple[str, str], list[float]] = {}
    try:
        for _ in range(args.runs):
            for name, config in configs.items():
                cache = work / f"cache-{name}"
                shutil.rmtree(cache, ignore_errors=True)
                times.setdefault((name, "cold"), []).append(
                    run(args.project, args.packages, config, cache, args)
                )
                times.setdefault((name, "warm"), []).append(
                    run(args.project, args.packages, config, cache, args)
                )
                if args.edit is not None:
                    original = args.edit.read_text()
                    try:
                        args.edit.write_text(original + "\n# edited by overhead.py\n")
                        times.setdefault((name, "edit"), []).append(
                            run(args.project, args.packages, config, cache, args)
                        )
                    finally:
                        args.edit.write_text(original)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for phase in ("cold", "warm", "edit"):
        if ("with", phase) not in times:
            continue
        without = statistics.median(times[("without", phase)])
        with_ = statistics.median(times[("with", phase)])
        print(
            f"{phase}: without {without:.2f}s  with {with_:.2f}s  "
            f"overhead {100 * (with_ - without) / without:+.1f}%  "
            f"(median of {args.runs})"
        )


if __name__ == "__main__":
    main()
