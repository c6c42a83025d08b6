"""Everything the benchmarks measure, from one command.

1. fetch the corpus (pinned versions from PyPI, into a cache outside the
   repository) and install the per-app configs (``prepare.py``);
2. precision: run every rule, sample, apply ``verdicts.toml``, write
   ``benchmarks/PRECISION.md`` (``precision.py``);
3. speed: parse vs checks, flake8 with vs without the plugin, lines/s, peak
   memory, scaling, cost per rule family; write ``benchmarks/RESULTS.md``
   (``bench.py``).

Usage::

    python benchmarks/run.py                 # the full run (about 15 minutes)
    python benchmarks/run.py --quick         # speed on one app, fewer runs
    python benchmarks/run.py --cache /tmp/corpus

Needs the package and flake8 installed (``pip install .``); nothing else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks import bench, precision

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and speed of the FAL rules on the corpus.")
    parser.add_argument("--quick", action="store_true", help="speed on one app with fewer runs")
    parser.add_argument("--cache", help="corpus cache directory (see corpus.py)")
    args = parser.parse_args(argv)
    cache = ["--cache", args.cache] if args.cache else []
    given = list(argv if argv is not None else sys.argv[1:])
    command = " ".join(["python benchmarks/run.py", *given])
    status = precision.main(cache, command=command)
    if status:
        print("precision: sampled findings without a verdict, or crashes (see above)", file=sys.stderr)
    bench_args = [*cache, "--output", str(RESULTS_MD)]
    if args.quick:
        bench_args.append("--quick")
    return bench.main(bench_args, command=command) or status


if __name__ == "__main__":
    sys.exit(main())
