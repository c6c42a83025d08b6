"""Speed of flake8-fastapi-layers on the corpus of real FastAPI applications.

Measured side by side in one run, each figure the median of several runs:

* **FAL checks alone vs the floor**: every file is read (not timed), parsed
  with :func:`ast.parse` (timed: the floor no AST linter can beat) and checked
  with the plugin's own entry (``config_for`` + ``check_tree``, timed), file
  by file in one process, so both clocks see the same machine state.  Ratio:
  check time / parse time, goal <= 1.5.
* **flake8 with the plugin vs without it**: the same flake8, ``-j1
  --isolated``, on the same files; "without" filters our plugin out of
  flake8's plugin list (flake8 runs every installed plugin whatever
  ``--select`` says, so a selection cannot switch it off).  Ratio goal <= 1.10.
* **lines per second** and **peak memory** (max RSS of the measuring process).
* **scaling**: the checks on 1x, 2x and 4x the corpus (hard-linked copies
  under distinct paths, so no per-path cache hides work), in fresh processes.
* **cost per rule family** (one run): walk with one family minus the bare walk.

Times are process CPU times (user + system), robust on a shared machine;
wall-clock medians are printed beside them.  Every measurement runs in a fresh
interpreter (``--worker``), so caches start cold as in a real lint run.

Usage::

    python benchmarks/bench.py                  # full: corpus, 5 runs, flake8 3 runs, scaling
    python benchmarks/bench.py --quick          # one app, fewer runs (about a minute)
    python benchmarks/bench.py --output benchmarks/RESULTS.md
    python benchmarks/bench.py --profile        # where the checks spend (needs pyinstrument)
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import CorpusApp, CorpusError, default_cache_dir
from benchmarks.prepare import prepare_corpus, project_dir

try:  # POSIX only
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]  # the module is optional

PLUGIN_DIST = "flake8-fastapi-layers"
SCALES = (1, 2, 4)
QUICK_APPS = ("lnbits",)
SCALED_DIR = ".bench-scaled"

__all__ = [
    "CheckRun",
    "Flake8Run",
    "family_costs",
    "format_report",
    "main",
    "measure_checks",
    "run_checks_worker",
    "run_flake8",
    "scaled_corpus",
]


# --------------------------------------------------------------------------
# measurements


@dataclass
class CheckRun:
    """One pass of parse + checks over a list of files."""

    files: int = 0
    lines: int = 0
    parse_cpu: float = 0.0
    parse_wall: float = 0.0
    check_cpu: float = 0.0
    check_wall: float = 0.0
    findings: int = 0
    max_rss_mb: float | None = None
    #: files that do not parse (newer syntax than this Python): not ours to check
    unparsable: list[str] = field(default_factory=list)
    #: files on which the checks raised: must stay empty
    crashes: list[str] = field(default_factory=list)


@dataclass
class Flake8Run:
    """One flake8 process."""

    plugin: bool
    cpu: float
    wall: float
    max_rss_mb: float | None
    reported: int  # lines of output
    fal_reported: int  # of which FAL findings


def _max_rss_mb(usage: Any) -> float | None:
    if usage is None:
        return None
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return float(usage.ru_maxrss) * scale / 2**20


def _self_max_rss_mb() -> float | None:
    if resource is None:  # pragma: no cover - Windows
        return None
    return _max_rss_mb(resource.getrusage(resource.RUSAGE_SELF))


def _read(path: str) -> str:
    with tokenize.open(path) as handle:
        return handle.read()


def measure_checks(paths: Sequence[str], parse_only: bool = False) -> CheckRun:
    """Parse and check each file in turn, timing the two steps separately.

    Reading a file is not timed.  The check step is what the flake8 plugin
    does per file: find the governing config (cached) and run every rule.
    """
    # importing the rules is start-up, not per-file work
    from flake8_fastapi_layers.engine import check_tree, project_config

    run = CheckRun()
    cpu, wall = time.process_time, time.perf_counter
    for path in paths:
        try:
            source = _read(path)
        except (OSError, SyntaxError, UnicodeDecodeError):
            run.unparsable.append(path)
            continue
        lines = source.splitlines(keepends=True)
        c0, w0 = cpu(), wall()
        try:
            tree = ast.parse(source, filename=path)
        except (SyntaxError, ValueError):
            run.unparsable.append(path)
            continue
        c1, w1 = cpu(), wall()
        run.files += 1
        run.lines += len(lines)
        run.parse_cpu += c1 - c0
        run.parse_wall += w1 - w0
        if parse_only:
            continue
        try:
            run.findings += len(check_tree(tree, path, lines, project_config(path)))
        except Exception as exc:  # a crash is a finding of the benchmark
            run.crashes.append(f"{path}: {type(exc).__name__}: {exc}")
        c2, w2 = cpu(), wall()
        run.check_cpu += c2 - c1
        run.check_wall += w2 - w1
    run.max_rss_mb = _self_max_rss_mb()
    return run


def family_costs(paths: Sequence[str]) -> dict[str, float]:
    """CPU seconds of each rule family on its own, the bare walk subtracted.

    Each file is parsed once; then the walk runs with no family (``walk``),
    and once per family.  Indicative (one run): the families share the walk.
    """
    from flake8_fastapi_layers.checker import Context, walk
    from flake8_fastapi_layers.engine import project_config
    from flake8_fastapi_layers.layers import module_info
    from flake8_fastapi_layers.rules import CATALOGUE, CHECKERS, FAMILIES

    totals: dict[str, float] = {"walk": 0.0}
    names = {family: family.__name__.rpartition(".")[2] for family in FAMILIES}
    totals.update({name: 0.0 for name in names.values()})
    cpu = time.process_time
    for path in paths:
        try:
            source = _read(path)
            tree = ast.parse(source, filename=path)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            continue
        lines = source.splitlines(keepends=True)
        config = project_config(path)
        info = module_info(path, config.layer_map, config.first_party)
        for family in (None, *FAMILIES):
            ctx = Context(tree, info, config, lines, CATALOGUE.rules)
            members = () if family is None else family.CHECKERS
            start = cpu()
            try:
                walk(ctx, [c(ctx) for c in members if c in CHECKERS and c.applies(ctx)])
            except Exception:  # crashes are counted by measure_checks
                pass
            totals["walk" if family is None else names[family]] += cpu() - start
    bare = totals["walk"]
    return {name: (t if name == "walk" else t - bare) for name, t in totals.items()}


def profile_checks(paths: Sequence[str], html: Path) -> str:
    """Profile the checks (not the parsing) with pyinstrument; return the text
    report and write the interactive one to ``html``."""
    try:
        from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]  # optional
    except ImportError:
        raise CorpusError("--profile needs pyinstrument: pip install pyinstrument") from None
    from flake8_fastapi_layers.engine import check_tree, project_config

    profiler = Profiler(interval=0.0005)
    for path in paths:
        try:
            source = _read(path)
            tree = ast.parse(source, filename=path)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            continue
        lines = source.splitlines(keepends=True)
        profiler.start()  # resumes: one session over every file
        try:
            check_tree(tree, path, lines, project_config(path))
        except Exception:  # crashes are counted by measure_checks
            pass
        profiler.stop()
    html.write_text(profiler.output_html(), encoding="utf-8")
    return str(profiler.output_text(unicode=False, color=False))


# --------------------------------------------------------------------------
# subprocesses (a fresh interpreter per measurement: cold caches, own max RSS)


def _spawn(command: list[str], stdout: Any = subprocess.DEVNULL) -> tuple[int, float, float, float | None]:
    """Run a command; return (exit code, CPU s, wall s, max RSS MiB) of the child."""
    start = time.perf_counter()
    if not hasattr(os, "wait4"):  # pragma: no cover - Windows: wall clock only
        code = subprocess.run(command, stdout=stdout, check=False).returncode
        wall = time.perf_counter() - start
        return code, wall, wall, None
    process = subprocess.Popen(command, stdout=stdout)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime, wall, _max_rss_mb(usage)


def _worker_command(*args: str) -> list[str]:
    return [sys.executable, os.path.abspath(__file__), "--worker", *args]


def run_checks_worker(paths: Sequence[str], parse_only: bool = False) -> CheckRun:
    """:func:`measure_checks` in a fresh interpreter."""
    with tempfile.TemporaryDirectory(prefix="fal-bench-") as tmp:
        listing = Path(tmp, "files.json")
        listing.write_text(json.dumps(list(paths)), encoding="utf-8")
        out = Path(tmp, "result.json")
        args = ["checks", "--files", str(listing), "--result", str(out)]
        if parse_only:
            args.append("--parse-only")
        code, _, _, _ = _spawn(_worker_command(*args))
        if code != 0 or not out.is_file():
            raise CorpusError(f"benchmark worker failed (exit {code})")
        return CheckRun(**json.loads(out.read_text(encoding="utf-8")))


def run_flake8(paths: Sequence[str], plugin: bool) -> Flake8Run:
    """One ``flake8 -j1 --isolated`` process, with or without our plugin."""
    with tempfile.TemporaryDirectory(prefix="fal-bench-") as tmp:
        output = Path(tmp, "flake8.txt")
        args = ["flake8", "--plugin" if plugin else "--no-plugin", "--"]
        args += ["--isolated", "--jobs", "1", "--output-file", str(output), *paths]
        code, cpu, wall, rss = _spawn(_worker_command(*args))
        if code not in (0, 1) or not output.is_file():
            raise CorpusError(f"flake8 failed (exit {code}, plugin={plugin})")
        reported = fal = 0
        with open(output, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                reported += 1
                if ": FAL" in line:
                    fal += 1
    if not plugin and fal:
        raise CorpusError("flake8 reported FAL findings with the plugin filtered out")
    return Flake8Run(plugin, cpu, wall, rss, reported, fal)


def _flake8_worker(plugin: bool, argv: list[str]) -> int:
    """flake8's own ``main``; without ``plugin``, our plugin is filtered out."""
    import importlib  # flake8 ships no type stubs: its modules are Any here

    if not plugin:
        finder = importlib.import_module("flake8.plugins.finder")
        original = finder.find_plugins

        def without_ours(*args: Any, **kwargs: Any) -> Any:
            return [
                p
                for p in original(*args, **kwargs)
                if p.package.replace("_", "-").lower() != PLUGIN_DIST
            ]

        setattr(finder, "find_plugins", without_ours)
    cli = importlib.import_module("flake8.main.cli")
    return int(cli.main(argv))


# --------------------------------------------------------------------------
# corpus copies for the scaling runs


def scaled_corpus(apps: Sequence[CorpusApp], times: int, cache: Path) -> list[str]:
    """The corpus files ``times`` over: the corpus itself plus hard-linked copies.

    Copies live in ``<cache>/.bench-scaled/copy<i>/<app>/`` (the whole app
    directory, so each copy has its own project root and config).
    """
    paths = [str(p) for app in apps for p in app.python_files]
    result = list(paths)
    for i in range(1, times):
        base = cache / SCALED_DIR / f"copy{i}"
        for app in apps:
            source = project_dir(app)
            target = base / source.name
            if target.exists():
                shutil.rmtree(target)
            try:
                shutil.copytree(source, target, copy_function=os.link)
            except OSError:  # no hard links here: copy
                if target.exists():
                    shutil.rmtree(target)
                shutil.copytree(source, target)
            result += [str(target / p.relative_to(source)) for p in app.python_files]
    return result


# --------------------------------------------------------------------------
# the report


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


@dataclass
class Results:
    apps: list[tuple[str, str, int, int]]  # name, version, files, lines
    runs: int
    flake8_runs: int
    checks: list[CheckRun]
    parse_only: CheckRun | None
    flake8_without: list[Flake8Run]
    flake8_with: list[Flake8Run]
    scaling: dict[int, list[CheckRun]]
    families: dict[str, float]
    command: str
    seconds: float = 0.0


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} MiB"


def _rate(lines: int, seconds: float) -> str:
    return f"{lines / seconds:,.0f}" if seconds > 0 else "n/a"


def format_report(results: Results) -> str:
    """Markdown tables of everything measured."""
    out: list[str] = []
    files = sum(a[2] for a in results.apps)
    lines = sum(a[3] for a in results.apps)
    try:
        from importlib.metadata import version

        flake8_version = version("flake8")
        ours = version(PLUGIN_DIST)
    except Exception:  # pragma: no cover - not installed as a distribution
        flake8_version = ours = "?"
    out.append(f"Command: `{results.command}`  ")
    out.append(
        f"Machine: Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; flake8 {flake8_version}; flake8-fastapi-layers {ours}.  "
    )
    corpus = ", ".join(f"{n} {v}" for n, v, _, _ in results.apps)
    out.append(f"Corpus: {corpus}: {files:,} files, {lines:,} lines.  ")
    out.append(
        "Times are process CPU seconds (user + system), the median of "
        f"{results.runs} runs ({results.flake8_runs} for flake8); wall-clock medians beside them."
    )
    out.append("")

    checks = results.checks
    if checks:
        parse = _median([r.parse_cpu for r in checks])
        check = _median([r.check_cpu for r in checks])
        ratios = [r.check_cpu / r.parse_cpu for r in checks if r.parse_cpu]
        out.append("| measure | CPU s | wall s | lines/s | ratio | goal |")
        out.append("| --- | ---: | ---: | ---: | ---: | --- |")
        out.append(
            f"| `ast.parse` (the floor) | {parse:.2f} | {_median([r.parse_wall for r in checks]):.2f} "
            f"| {_rate(lines, parse)} | 1.00 | |"
        )
        out.append(
            f"| FAL checks alone | {check:.2f} | {_median([r.check_wall for r in checks]):.2f} "
            f"| {_rate(lines, check)} | **{check / parse:.2f}** | <= 1.5 |"
            if parse
            else "| FAL checks alone | n/a | | | | |"
        )
        both = parse + check
        out.append(
            f"| parse + FAL checks | {both:.2f} | "
            f"{_median([r.parse_wall + r.check_wall for r in checks]):.2f} | {_rate(lines, both)} | "
            f"{both / parse:.2f} | |"
            if parse
            else "| parse + FAL checks | n/a | | | | |"
        )
        if ratios:
            out.append("")
            out.append(
                f"Checks/parse ratio per run: {', '.join(f'{r:.2f}' for r in ratios)} "
                f"(median {_median(ratios):.2f})."
            )
    if results.flake8_without and results.flake8_with:
        without = _median([r.cpu for r in results.flake8_without])
        with_ = _median([r.cpu for r in results.flake8_with])
        out.append("")
        out.append(
            "| flake8 `-j1 --isolated` | CPU s | wall s | lines/s | ratio | goal | findings (FAL) |"
        )
        out.append("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
        for label, runs, value, ratio, goal in (
            ("without the plugin", results.flake8_without, without, 1.0, ""),
            ("with the plugin", results.flake8_with, with_, with_ / without if without else 0.0, "<= 1.10"),
        ):
            last = runs[-1]
            bold = f"**{ratio:.2f}**" if goal else f"{ratio:.2f}"
            out.append(
                f"| {label} | {value:.2f} | {_median([r.wall for r in runs]):.2f} | {_rate(lines, value)} "
                f"| {bold} | {goal} | {last.reported:,} ({last.fal_reported:,}) |"
            )
        paired = [w.cpu / o.cpu for w, o in zip(results.flake8_with, results.flake8_without) if o.cpu]
        out.append("")
        out.append(
            f"With/without ratio per run (runs interleaved): {', '.join(f'{r:.3f}' for r in paired)}."
        )

    out.append("")
    out.append("Peak memory (max RSS of the process):")
    out.append("")
    out.append("| process | max RSS |")
    out.append("| --- | ---: |")
    memory: list[tuple[str, float | None]] = []
    if results.parse_only is not None:
        memory.append(("read + `ast.parse` every file, one at a time", results.parse_only.max_rss_mb))
    if checks:
        memory.append(("read + parse + FAL checks, one file at a time", _max(r.max_rss_mb for r in checks)))
    if results.flake8_without:
        memory.append(("flake8 without the plugin", _max(r.max_rss_mb for r in results.flake8_without)))
    if results.flake8_with:
        memory.append(("flake8 with the plugin", _max(r.max_rss_mb for r in results.flake8_with)))
    out.extend(f"| {label} | {_mb(value)} |" for label, value in memory)

    if results.scaling:
        out.append("")
        out.append("Scaling (FAL checks, fresh process per size, copies under distinct paths):")
        out.append("")
        out.append(
            "| corpus | files | lines | parse CPU s | checks CPU s | checks µs/line | vs 1× per line |"
        )
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        base: float | None = None
        for times in sorted(results.scaling):
            sized = results.scaling[times]
            check = _median([r.check_cpu for r in sized])
            parse = _median([r.parse_cpu for r in sized])
            n = sized[0].lines
            per_line = check / n * 1e6 if n else 0.0
            if base is None:
                base = per_line
            rel = per_line / base if base else 0.0
            out.append(
                f"| {times}× | {sized[0].files:,} | {n:,} | {parse:.2f} | {check:.2f} "
                f"| {per_line:.2f} | {rel:.2f} |"
            )
    if results.families:
        out.append("")
        out.append("Cost per rule family (CPU s on the corpus, one run; the bare walk is shared by all):")
        out.append("")
        out.append("| part | CPU s |")
        out.append("| --- | ---: |")
        for name, value in sorted(results.families.items(), key=lambda item: -item[1]):
            out.append(f"| {'walk (no rules)' if name == 'walk' else name} | {value:.2f} |")
    every_run = [*checks, *(r for sized in results.scaling.values() for r in sized)]
    crashes = sorted({c for r in every_run for c in r.crashes})
    unparsable = sorted({u for r in checks for u in r.unparsable})
    skipped = f"; files this Python cannot parse (skipped): {len(unparsable)}" if unparsable else ""
    out.append("")
    out.append(f"Crashes: {len(crashes)} on {files:,} files{skipped}.")
    for crash in crashes[:20]:
        out.append(f"- {crash}")
    out.append("")
    return "\n".join(out)


def _max(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


# --------------------------------------------------------------------------
# CLI


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_benchmark(args: argparse.Namespace, log: Callable[[str], None] = _log) -> Results:
    started = time.perf_counter()
    only = list(args.only) if args.only else (list(QUICK_APPS) if args.quick else None)
    apps = prepare_corpus(args.cache, only, configs=not args.no_configs)
    cache = Path(args.cache).expanduser() if args.cache else default_cache_dir()
    paths = [str(p) for app in apps for p in app.python_files]
    roots = [str(app.root) for app in apps]
    summary = [(a.name, a.version, len(a.python_files), a.count_lines()) for a in apps]
    log(f"corpus: {len(paths):,} files, {sum(s[3] for s in summary):,} lines")

    results = Results(
        apps=summary,
        runs=args.runs,
        flake8_runs=0 if args.no_flake8 else args.flake8_runs,
        checks=[],
        parse_only=None,
        flake8_without=[],
        flake8_with=[],
        scaling={},
        families={},
        command=args.command,
    )
    log("parse only (memory floor) ...")
    results.parse_only = run_checks_worker(paths, parse_only=True)
    for i in range(args.runs):
        run = run_checks_worker(paths)
        results.checks.append(run)
        log(
            f"run {i + 1}/{args.runs}: parse {run.parse_cpu:.2f}s, checks {run.check_cpu:.2f}s, "
            f"ratio {run.check_cpu / run.parse_cpu if run.parse_cpu else 0:.2f}, "
            f"{run.findings} findings, {len(run.crashes)} crashes"
        )
    if not args.no_flake8:
        for i in range(args.flake8_runs):
            # interleaved, alternating which goes first: drift hits both alike
            order = (False, True) if i % 2 == 0 else (True, False)
            for plugin in order:
                f8 = run_flake8(roots, plugin)
                (results.flake8_with if plugin else results.flake8_without).append(f8)
                which = "with" if plugin else "without"
                log(f"flake8 run {i + 1}/{args.flake8_runs} {which} plugin: {f8.cpu:.2f}s")
    if not args.no_scaling:
        results.scaling[1] = list(results.checks)
        for times in SCALES[1:]:
            scaled = scaled_corpus(apps, times, cache)
            results.scaling[times] = []
            for i in range(args.scaling_runs):
                run = run_checks_worker(scaled)
                results.scaling[times].append(run)
                log(f"scaling {times}x run {i + 1}/{args.scaling_runs}: checks {run.check_cpu:.2f}s")
        shutil.rmtree(cache / SCALED_DIR, ignore_errors=True)
    if not args.no_families:
        log("cost per rule family ...")
        results.families = family_costs(paths)
    results.seconds = time.perf_counter() - started
    return results


def _profile(args: argparse.Namespace) -> int:
    only = list(args.only) if args.only else (list(QUICK_APPS) if args.quick else None)
    apps = prepare_corpus(args.cache, only, configs=not args.no_configs)
    cache = Path(args.cache).expanduser() if args.cache else default_cache_dir()
    html = cache / "profile.html"
    print(profile_checks([str(p) for app in apps for p in app.python_files], html))
    _log(f"interactive profile: {html}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs of parse/checks (default 5)")
    parser.add_argument("--flake8-runs", type=int, default=3, help="runs of each flake8 (default 3)")
    parser.add_argument(
        "--scaling-runs", type=int, default=3, help="runs per scaling size (default 3)"
    )
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK_APPS)}; 3/1/1 runs")
    parser.add_argument("--only", nargs="+", metavar="APP", help="corpus apps to use (PyPI names)")
    parser.add_argument("--cache", help="corpus cache directory (see corpus.py)")
    parser.add_argument("--no-configs", action="store_true", help="zero-config: ignore benchmarks/configs")
    parser.add_argument("--no-flake8", action="store_true", help="skip the flake8 comparison")
    parser.add_argument("--no-scaling", action="store_true", help="skip the 2x/4x runs")
    parser.add_argument("--no-families", action="store_true", help="skip the cost per rule family")
    parser.add_argument("--output", help="also write the report (markdown) to this file")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only profile the checks with pyinstrument (text to stdout, HTML into the cache)",
    )
    return parser


def _worker_main(argv: list[str]) -> int:
    kind = argv[0]
    if kind == "flake8":
        plugin = argv[1] == "--plugin"
        return _flake8_worker(plugin, argv[3:])
    parser = argparse.ArgumentParser(prog="bench.py --worker checks")
    parser.add_argument("--files", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--parse-only", action="store_true")
    args = parser.parse_args(argv[1:])
    paths = json.loads(Path(args.files).read_text(encoding="utf-8"))
    run = measure_checks(paths, parse_only=args.parse_only)
    Path(args.result).write_text(json.dumps(asdict(run)), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None, command: str | None = None) -> int:
    """The CLI; ``command`` is how the report names the command that made it."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        return _worker_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.quick:
        for name, value in (("runs", 3), ("flake8_runs", 1), ("scaling_runs", 1)):
            if f"--{name.replace('_', '-')}" not in argv:
                setattr(args, name, value)
    args.command = command or "python benchmarks/bench.py" + ("" if not argv else " " + " ".join(argv))
    try:
        if args.profile:
            return _profile(args)
        results = run_benchmark(args)
    except CorpusError as exc:
        _log(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        _log("interrupted")
        return 130
    report = format_report(results)
    print(report)
    if args.output:
        Path(args.output).write_text(
            "# Benchmark results\n\nGenerated by `benchmarks/bench.py`; do not edit.\n\n" + report,
            encoding="utf-8",
        )
    _log(f"done in {results.seconds:.0f}s")
    crashes = any(r.crashes for r in results.checks)
    return 2 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
