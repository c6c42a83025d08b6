"""``fastapi-layers``: check files, inspect layers and config, show the rules.

``check`` is a front end equal to flake8 for the FAL rules (``noqa``,
``--select``/``--ignore``, ``per-file-ignores``, exit codes), in parallel
processes and with a cache; the other commands answer the questions around
a lint run: which layer is this file in, is my config valid, what does
FAL205 mean.

``check`` works in three steps, each on a list of
:class:`~flake8_fastapi_layers.output.FileResult`: the findings of each
file (:func:`run_files`: cache, then the rules), the run's selection
(:func:`select_findings`: ``--select``/``--ignore``, ``per-file-ignores``),
the report (:func:`write_report`).  A filter of findings (a baseline) goes
between the second and the third.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import contextlib
import dataclasses
import difflib
import functools
import gc
import io
import json
import multiprocessing
import os
import stat
import sys
import time
import tokenize
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, Sequence, TextIO

# flake8's own noqa regexes and code-list parser: the same semantics (RULES.md §13)
from flake8.defaults import (  # type: ignore[import-untyped, unused-ignore]  # flake8 ships no types
    NOQA_FILE,
    NOQA_INLINE_REGEXP,
)
from flake8.utils import (  # type: ignore[import-untyped, unused-ignore]  # flake8 ships no types
    parse_comma_separated_list,
)

from . import __version__
from .cache import CROSS_FILE_CODES, Cache, default_directory, selection_key
from .checker import Finding
from .config import Config, ConfigError, find_pyproject, validate_tree
from .docs import render, render_rule
from .engine import DEFAULT_OFF, check_tree, project_config
from .files import iter_python_files
from .layers import module_info
from .output import (
    FORMATS,
    FORMATTERS,
    FileResult,
    Reported,
    format_sarif,
    format_statistics,
    github_command,
)
from .rules import CATALOGUE
from .selection import (
    Decider,
    SelectionError,
    check_selectors,
    cli_options,
    parse_codes,
    per_file_codes,
)

TOOL = "fastapi-layers"

#: The kinds of file that are never read (a FIFO would block, a device never end).
_SPECIAL_FILES = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
#: Opening never blocks (a FIFO put in place after the check) nor translates.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class CannotCheck(Exception):
    """A file that cannot be checked; ``str()`` is its one line, as flake8 prints it."""


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
        raise OSError(f"not a regular file ({kind}); not read")


def read_source(path: str) -> bytes:
    """The bytes of a regular file; a FIFO, a device or a socket raises
    :class:`OSError` instead, before it is opened."""
    _regular(os.stat(path).st_mode)
    with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as handle:
        _regular(os.fstat(handle.fileno()).st_mode)
        return handle.read()


def decode_lines(data: bytes) -> list[str]:
    """The lines of a source as flake8 reads them: decoded by its coding cookie
    (UTF-8 by default), else as Latin-1; universal newlines; no BOM."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        lines = io.TextIOWrapper(io.BytesIO(data), encoding).readlines()
    except (SyntaxError, UnicodeError):  # flake8 falls back to Latin-1 too
        lines = io.TextIOWrapper(io.BytesIO(data), "latin-1").readlines()
    if lines and lines[0][:1] == "\ufeff":
        lines[0] = lines[0][1:]
    elif lines and lines[0][:3] == "\xef\xbb\xbf":
        lines[0] = lines[0][3:]
    return lines


def parse_source(path: str, source: str) -> ast.Module:
    """The module's tree; a source that does not parse raises :class:`CannotCheck`
    with flake8's ``E999`` line (also for what flake8 itself crashes on: a
    ``RecursionError`` or ``MemoryError`` of a too deep or too long expression)."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        row, col = 1, 0
        if len(exc.args) > 1 and exc.args[1] and len(exc.args[1]) > 2:
            row, col = exc.args[1][1:3]  # what flake8 takes from a SyntaxError
        text = f"{type(exc).__name__}: {exc.args[0]}" if exc.args else type(exc).__name__
        raise CannotCheck(f"{path}:{row or 1}:{(col or 0) + 1}: E999 {text}") from None


def noqa_lines(lines: Sequence[str], offset: int = 0) -> dict[int, str]:
    """flake8's ``noqa`` line of each line number: the text of all the physical
    lines of its token run (up to each ``NL``/``NEWLINE`` token), so a ``# noqa``
    after a multi-line string covers every line of the string
    (``FileProcessor._noqa_line_mapping``).  Empty when the file does not tokenize.
    ``lines`` may be a slice of complete statements starting after line ``offset``."""
    mapping: dict[int, str] = {}
    first, last = len(lines) + 2, -1
    try:
        for kind, _, (start, _), (end, _), _ in tokenize.generate_tokens(iter(lines).__next__):
            if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, start), max(last, end)
            if kind in (tokenize.NL, tokenize.NEWLINE):
                text = "".join(lines[first - 1 : last])
                mapping.update(dict.fromkeys(range(first + offset, last + offset + 1), text))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError, StopIteration):
        return {}
    return mapping


def _noqa_lines_near(
    findings: Sequence[Finding], lines: Sequence[str], tree: ast.Module
) -> dict[int, str]:
    """:func:`noqa_lines` where it can change an answer: the top-level
    statements that hold a finding and a ``# noqa`` (a token run never
    crosses a top-level statement, so each tokenizes alone, with the same
    runs as in the whole file)."""
    spans = sorted(
        (min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", ())]),
         stmt.end_lineno or stmt.lineno)
        for stmt in tree.body
    )  # fmt: skip
    starts = [start for start, _ in spans]
    mapping: dict[int, str] = {}
    seen: set[int] = set()
    for finding in findings:
        index = bisect.bisect_right(starts, finding.line) - 1
        if index < 0 or index in seen or finding.line > spans[index][1]:
            continue
        seen.add(index)
        start, end = spans[index]
        chunk = lines[start - 1 : end]
        if any(NOQA_INLINE_REGEXP.search(line) for line in chunk):
            mapping.update(noqa_lines(chunk, start - 1))
    return mapping


def hidden_by_noqa(code: str, line: str) -> bool:
    """flake8's inline ``noqa`` test (``Violation.is_inline_ignored``): its own
    regex; a bare ``# noqa`` hides every code, ``# noqa: X`` only codes equal to
    or starting with X (exact case: ``# noqa: fal701`` hides nothing)."""
    match = NOQA_INLINE_REGEXP.search(line)
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    listed = tuple(parse_comma_separated_list(codes))
    return code.startswith(listed)


def not_hidden(
    findings: list[Finding], lines: list[str], source: str, tree: ast.Module | None = None
) -> list[Finding]:
    """The findings no inline ``noqa`` hides, as in flake8 (given the module's
    ``tree``, only the statements that need it are tokenized)."""
    if not findings or NOQA_INLINE_REGEXP.search(source) is None:
        return findings  # nothing to hide: no tokenizing
    mapping = noqa_lines(lines) if tree is None else _noqa_lines_near(findings, lines, tree)

    def line_of(number: int) -> str:  # flake8 falls back to the physical line
        if number in mapping:
            return mapping[number]
        return lines[number - 1] if 0 < number <= len(lines) else ""

    return [f for f in findings if not hidden_by_noqa(f.code, line_of(f.line))]


def _source_line(lines: Sequence[str], number: int) -> str:
    return lines[number - 1].rstrip("\r\n") if 0 < number <= len(lines) else ""


def check_data(path: str, data: bytes, config: Config, selected: Iterable[str] = ()) -> FileResult:
    """The findings of one file's bytes as flake8 reports them (``noqa`` applied,
    ``# flake8: noqa`` honoured); :class:`CannotCheck` for a source that does
    not parse.  ``config`` decides what is computed (see :meth:`Config.is_active`)."""
    lines = decode_lines(data)
    source = "".join(lines)
    layer = module_info(path, config.layer_map, config.first_party).layer
    if NOQA_FILE.search(source) and any(NOQA_FILE.match(line) for line in lines):
        return FileResult(path, layer)  # "# flake8: noqa" on a line of its own: flake8 skips the file
    tree = parse_source(path, source)
    found = not_hidden(check_tree(tree, path, lines, config, selected=selected), lines, source, tree)
    return FileResult(
        path,
        layer,
        [Reported(f.line, f.col, f.code, f.message, _source_line(lines, f.line)) for f in found],
    )


def _e902(path: str, exc: OSError) -> str:
    return f"{path}:0:1: E902 {type(exc).__name__}: {exc}"


# -- check: the findings of each file (cache, processes) -------------------------------

#: Files per worker process below which a run stays in one process (starting
#: a process costs about what checking a dozen files does).
MIN_FILES_PER_JOB = 16
#: A run shorter than this (seconds) shows no progress.
PROGRESS_AFTER = 1.0

#: What a worker needs for one file: path, bytes, the off-by-default codes
#: named, the codes not computed in this run.
Task = tuple[str, bytes, frozenset[str], tuple[str, ...]]


@dataclasses.dataclass(frozen=True)
class RunSettings:
    """What ``check`` computes and how."""

    selected: frozenset[str] = frozenset()  # off-by-default codes named by their code
    disabled: tuple[str, ...] = ()  # codes the selection rejects: not computed
    jobs: int = 1
    cache: Cache | None = None


@functools.lru_cache(maxsize=64)
def _effective_config(config: Config, disabled: tuple[str, ...]) -> Config:
    """``config`` with the codes this run does not report switched off, so
    that their checkers do not run (one object per config: caches key on it)."""
    if not disabled:
        return config
    return dataclasses.replace(config, disabled=config.disabled + disabled)


def _check_task(task: Task) -> FileResult:
    """Check one file: never raises (a worker process runs this)."""
    path, data, selected, disabled = task
    try:
        config = _effective_config(project_config(path), disabled)
        return check_data(path, data, config, selected)
    except CannotCheck as exc:
        return FileResult(path, error=str(exc))
    except ConfigError as exc:  # changed since the run read it
        return FileResult(path, error=f"fastapi-layers: {exc}")
    except Exception as exc:  # a bug of ours: this file only, the run goes on
        return FileResult(path, error=f"fastapi-layers: {path}: {_internal_error(exc)}")


class Progress:
    """``checked 120 of 1,580 files`` on a terminal's stderr, for runs longer
    than :data:`PROGRESS_AFTER` seconds; nothing at all when it is not a terminal."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        isatty = getattr(stream, "isatty", None)
        self.stream = stream if isatty is not None and isatty() else None
        self.clock = clock
        self.total = self.done = 0
        self.start = self.shown = clock()
        self.width = 0

    def begin(self, total: int) -> None:
        self.total, self.done = total, 0

    def step(self) -> None:
        self.done += 1
        if self.stream is None:
            return
        now = self.clock()
        if now - self.start < PROGRESS_AFTER or (now - self.shown < 0.1 and self.done < self.total):
            return
        self.shown = now
        text = f"fastapi-layers: checked {self.done:,} of {self.total:,} files"
        self.width = max(self.width, len(text))
        self.stream.write(f"\r{text}")
        self.stream.flush()

    def end(self) -> None:
        if self.stream is not None and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _run_tasks(tasks: list[Task], jobs: int, progress: Progress) -> list[FileResult]:
    """Every task's result, in order: in worker processes for a long run."""
    progress.begin(len(tasks))
    workers = min(jobs, len(tasks) // MIN_FILES_PER_JOB)
    if workers > 1:
        try:
            return _run_in_pool(tasks, workers, progress)
        except (BrokenProcessPool, OSError):  # a worker died, or none could start
            progress.begin(len(tasks))  # the same work in this process
    results = []
    for task in tasks:
        results.append(_check_task(task))
        progress.step()
    return results


def _run_in_pool(tasks: list[Task], workers: int, progress: Progress) -> list[FileResult]:
    # fork where it is safe and cheap (Linux): workers start with the rules imported
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    chunksize = max(1, min(64, len(tasks) // (workers * 8)))
    results = []
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for result in pool.map(_check_task, tasks, chunksize=chunksize):
            results.append(result)
            progress.step()
    return results


def _from_payload(path: str, payload: dict[str, object]) -> FileResult:
    findings = payload["findings"]
    assert isinstance(findings, list)
    layer = payload["layer"]
    return FileResult(
        path, layer if isinstance(layer, str) else None, [Reported(*f) for f in findings]
    )


def _to_payload(result: FileResult) -> dict[str, object]:
    return {
        "layer": result.layer,
        "findings": [[f.line, f.col, f.code, f.message, f.source] for f in result.findings],
    }


def run_files(
    paths: Iterable[str], settings: RunSettings, progress: Progress | None = None
) -> list[FileResult]:
    """The findings of every Python file under ``paths``, in the order of
    :func:`iter_python_files`, whatever ``settings.jobs``: from the cache where
    it holds them, else checked (in worker processes for a long run).

    Raises :class:`ConfigError` for a configuration that cannot be used.
    """
    progress = progress or Progress(io.StringIO())
    cache = settings.cache
    results: list[FileResult] = []
    #: (slot in results, task, and for the cache: project root, path in the project, key)
    pending: list[tuple[int, Task, str | None, str | None, str | None]] = []

    def unreadable(exc: OSError) -> None:  # a missing path, a directory not listed
        results.append(FileResult(str(exc.filename), error=_e902(str(exc.filename), exc)))

    for path in iter_python_files(paths, onerror=unreadable):
        config = project_config(path)
        try:
            data = read_source(path)
        except OSError as exc:
            results.append(FileResult(path, error=_e902(path, exc)))
            continue
        except Exception as exc:  # this file only, the run goes on
            results.append(FileResult(path, error=f"fastapi-layers: {path}: {_internal_error(exc)}"))
            continue
        root = relpath = key = None
        if cache is not None:
            info = module_info(path, config.layer_map, config.first_party)
            root, relpath = info.root, info.relpath
            cross_file = any(
                code not in settings.disabled and config.is_active(code, settings.selected)
                for code in CROSS_FILE_CODES
            )
            key = cache.key(root, relpath, data, config.source, cross_file)
            payload = cache.get(root, relpath, key) if key else None
            if payload is not None:
                results.append(_from_payload(path, payload))
                continue
        pending.append((len(results), (path, data, settings.selected, settings.disabled), root, relpath, key))
        results.append(FileResult(path))  # its slot
    try:
        fresh = _run_tasks([task for _, task, _, _, _ in pending], settings.jobs, progress)
    finally:
        progress.end()
    for (slot, _, root, relpath, key), result in zip(pending, fresh):
        results[slot] = result
        if cache is not None and root and relpath and key and result.error is None:
            cache.put(root, relpath, key, _to_payload(result))
    if cache is not None:
        cache.save()
    return results


# -- check: the selection, the report --------------------------------------------------


def select_findings(results: list[FileResult], decider: Decider) -> list[FileResult]:
    """Keep the findings ``--select``/``--ignore`` and ``per-file-ignores``
    report, as flake8 decides (see :mod:`.selection`)."""
    for result in results:
        if result.findings:
            keep = decider.ignoring(per_file_codes(project_config(result.path), result.path))
            result.findings = [f for f in result.findings if keep.reports(f.code)]
    return results


def write_report(results: list[FileResult], args: argparse.Namespace) -> int:
    """Print the report; the exit status: 2 when a file could not be checked,
    else 1 when something is reported (0 with ``--exit-zero``), else 0."""
    errors = [result for result in results if result.error]
    for result in errors:
        print(result.error, file=sys.stderr)
    fmt = args.output_format
    if fmt == "sarif":
        report = format_sarif(results, warn=lambda line: print(line, file=sys.stderr))
    else:
        report = FORMATTERS[fmt](results)
    if fmt == "github":  # files that cannot be checked are annotated too
        report += "".join(
            github_command(result.path, None, None, TOOL, str(result.error)) for result in errors
        )
    statistics = format_statistics(results) if args.statistics else ""
    if fmt in ("json", "sarif"):  # a document: the statistics go beside it
        sys.stderr.write(statistics)
    else:
        report += statistics
    if args.output_file:
        try:
            with open(args.output_file, "w", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write(report)
        except OSError as exc:
            print(f"fastapi-layers: cannot write {args.output_file}: {exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(report)
    if errors:
        return 2
    found = any(result.findings for result in results)
    return 1 if found and not args.exit_zero else 0


@contextlib.contextmanager
def _collector_tuned() -> Iterator[None]:
    """The cyclic garbage collector for a run that allocates millions of
    short-lived, acyclic AST nodes: what is alive now (modules, rules) is
    frozen out of its scans, and it runs less often (as mypy tunes it)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _jobs(value: str) -> int:
    if value == "auto":
        return available_cores()
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1 or 'auto', got {value!r}")
    return jobs


def available_cores() -> int:
    """The processors this process may run on (all cores, unless pinned)."""
    counter = getattr(os, "process_cpu_count", None)  # 3.13+
    if counter is not None:
        return int(counter() or 1)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cmd_check(args: argparse.Namespace) -> int:
    try:
        for option in ("select", "ignore", "extend_select", "extend_ignore"):
            check_selectors(getattr(args, option) or (), "--" + option.replace("_", "-"), CATALOGUE)
    except SelectionError as exc:
        print(f"fastapi-layers: {exc}", file=sys.stderr)
        return 2
    validate_tree(args.paths, CATALOGUE)  # every governing pyproject.toml, before any file
    decider = Decider(cli_options(args.select, args.ignore, args.extend_select, args.extend_ignore))
    selected = decider.named_off_codes(DEFAULT_OFF)
    computed = decider.computed(CATALOGUE)
    cache = None
    if not args.no_cache:
        cache = Cache(default_directory(args.cache_dir), selection_key(computed, selected), read_source)
    settings = RunSettings(
        selected=selected,
        disabled=tuple(code for code in CATALOGUE.rules if code not in computed),
        jobs=args.jobs if args.jobs is not None else available_cores(),
        cache=cache,
    )
    with _collector_tuned():
        results = run_files(args.paths, settings, Progress(sys.stderr))
    results = select_findings(results, decider)
    # (a baseline filter of FileResult lists goes here)
    return write_report(results, args)


def _internal_error(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc}; please report"


def _unreadable_path(exc: OSError) -> str:
    return f"fastapi-layers: {exc.filename}: {exc.strerror or exc}"


def cmd_layers(args: argparse.Namespace) -> int:
    status = 0

    def unreadable(exc: OSError) -> None:  # a missing path, a directory not listed
        nonlocal status
        print(_unreadable_path(exc), file=sys.stderr)
        status = 2

    for path in iter_python_files(args.paths, onerror=unreadable):
        config = project_config(path)
        info = module_info(path, config.layer_map, config.first_party)
        if args.all or info.layer is not None:
            print(f"{info.layer or '-':<13} {path}")
    return status


def cmd_config(args: argparse.Namespace) -> int:
    path = args.path
    try:
        os.stat(path)
    except OSError as exc:
        print(_unreadable_path(exc), file=sys.stderr)
        return 2
    config = project_config(path)
    data = {"source": find_pyproject(path), **config.as_data()}
    print(json.dumps(data, indent=2))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    for rule in CATALOGUE:
        state = "" if rule.default_on else "  (off by default)"
        print(f"{rule.code}  {rule.name:<34} {rule.summary.split('. ')[0].rstrip('.')}{state}")
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    """One rule's documentation, the Markdown of its section of docs/rules.md."""
    code = args.code.strip().upper()
    rule = CATALOGUE.rules.get(code)
    if rule is None:
        close = CATALOGUE.matching(code)[:6] or difflib.get_close_matches(
            code, list(CATALOGUE.rules), n=1, cutoff=0.75
        )
        hint = ""
        if len(close) == 1:
            hint = f"; did you mean '{close[0]}'?"
        elif close:
            hint = f"; did you mean one of {', '.join(close)}?"
        print(
            f"fastapi-layers: unknown code '{args.code}'{hint} (`fastapi-layers rules` lists them)",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(render_rule(rule) + "\n")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    text = render()
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = ""
        except (OSError, UnicodeDecodeError) as exc:
            print(f"fastapi-layers: cannot read {args.output}: {exc}", file=sys.stderr)
            return 2
        if current != text:
            print(
                f"{args.output} is out of date; run: fastapi-layers docs --output {args.output}",
                file=sys.stderr,
            )
            return 1
        return 0
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"fastapi-layers: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    return 0


CHECK_EPILOG = """\
exit status:
  0  nothing reported (or --exit-zero)
  1  findings reported
  2  a usage or configuration error, or a file that could not be read or
     parsed (one E902/E999 line on stderr; the other files are still checked)

Selection as in flake8: codes or prefixes, the longest matching one wins
(--select FAL --ignore FAL3 --extend-select FAL301); an off-by-default code
(FAL208, FAL607) is reported only when named by its own code or enabled in
[tool.fastapi-layers]. per-file-ignores come from [tool.fastapi-layers].

Cache: .fastapi-layers-cache/ in the project root (--cache-dir or
$FASTAPI_LAYERS_CACHE_DIR to move it, --no-cache to skip it).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fastapi-layers", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser(
        "check",
        help="run the FAL rules on files, as flake8 would (exit 0 clean, 1 findings, 2 errors)",
        description="Run the FAL rules on Python files: flake8's noqa, selection and exit codes.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="*", default=["."], help="files and directories (default: .)")
    codes = "comma-separated codes or prefixes"
    check.add_argument("--select", type=parse_codes, metavar="CODES",
                       help=f"report only these ({codes}; default: FAL)")
    check.add_argument("--ignore", type=parse_codes, metavar="CODES",
                       help=f"do not report these ({codes})")
    check.add_argument("--extend-select", type=parse_codes, action="extend", default=[],
                       metavar="CODES", help=f"also report these ({codes}; FAL208 turns it on)")
    check.add_argument("--extend-ignore", type=parse_codes, action="extend", default=[],
                       metavar="CODES", help=f"also do not report these ({codes})")
    check.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when findings are reported")
    check.add_argument("--output-format", choices=FORMATS, default="text",
                       help="text (path:line:col: CODE message), json, sarif (GitHub code "
                       "scanning) or github (workflow commands); default text")
    check.add_argument("--output-file", metavar="FILE", help="write the report there, not to stdout")
    check.add_argument("--statistics", action="store_true",
                       help="count findings per code and per layer")
    check.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="worker processes (default: all cores; 1: this process only)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="where the cache lives (default: .fastapi-layers-cache in the project root)")
    check.set_defaults(run=cmd_check)

    layers = sub.add_parser("layers", help="show the layer of each file")
    layers.add_argument("paths", nargs="+")
    layers.add_argument("--all", action="store_true", help="also list files with no layer")
    layers.set_defaults(run=cmd_layers)

    config = sub.add_parser("config", help="validate and show the configuration for a path")
    config.add_argument("path", nargs="?", default=".")
    config.set_defaults(run=cmd_config)

    rules = sub.add_parser("rules", help="list every code, one line each")
    rules.set_defaults(run=cmd_rules)

    rule = sub.add_parser("rule", help="show one rule's documentation (fastapi-layers rule FAL301)")
    rule.add_argument("code", help="a code, e.g. FAL301")
    rule.set_defaults(run=cmd_rule)

    docs = sub.add_parser("docs", help="write the rule reference (Markdown)")
    docs.add_argument("--output", default="-", help="file to write, '-' for stdout")
    docs.add_argument("--check", action="store_true", help="fail if --output is not up to date")
    docs.set_defaults(run=cmd_docs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 still prints
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        return int(args.run(args))
    except ConfigError as exc:  # every command: one line, exit status 2
        print(f"fastapi-layers: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `fastapi-layers rules | head`: the reader left
        try:  # no second error when Python flushes stdout at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
            pass
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last resort: one line, never a traceback
        print(f"fastapi-layers: {_internal_error(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
