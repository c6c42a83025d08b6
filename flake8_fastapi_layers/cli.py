"""``fastapi-layers``: inspect layers and config, list rules, write the docs, check files.

flake8 is the way to lint; this command answers the questions around it:
which layer is this file in, is my config valid, what does FAL205 mean.
``check`` runs the FAL rules without flake8 (for benchmarks and scripts).
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import stat
import sys
import tokenize
from typing import Sequence

# flake8's own noqa regexes and code-list parser: the same semantics (RULES.md §13)
from flake8.defaults import (  # type: ignore[import-untyped, unused-ignore]  # flake8 ships no types
    NOQA_FILE,
    NOQA_INLINE_REGEXP,
)
from flake8.utils import (  # type: ignore[import-untyped, unused-ignore]  # flake8 ships no types
    parse_comma_separated_list,
)

from . import __version__
from .checker import Finding
from .config import ConfigError, find_pyproject, validate_tree
from .docs import render
from .engine import check_tree, project_config
from .files import iter_python_files
from .layers import module_info
from .rules import CATALOGUE

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


def read_lines(path: str) -> list[str]:
    """The lines of a file as flake8 reads them: decoded by its coding cookie
    (UTF-8 by default), else as Latin-1; universal newlines; no BOM.

    Only a regular file is read: a FIFO, a device or a socket raises
    :class:`OSError` instead, before it is opened.
    """
    _regular(os.stat(path).st_mode)
    with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as handle:
        _regular(os.fstat(handle.fileno()).st_mode)
        data = handle.read()
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


def noqa_lines(lines: Sequence[str]) -> dict[int, str]:
    """flake8's ``noqa`` line of each line number: the text of all the physical
    lines of its token run (up to each ``NL``/``NEWLINE`` token), so a ``# noqa``
    after a multi-line string covers every line of the string
    (``FileProcessor._noqa_line_mapping``).  Empty when the file does not tokenize."""
    mapping: dict[int, str] = {}
    first, last = len(lines) + 2, -1
    try:
        for kind, _, (start, _), (end, _), _ in tokenize.generate_tokens(iter(lines).__next__):
            if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, start), max(last, end)
            if kind in (tokenize.NL, tokenize.NEWLINE):
                mapping.update(dict.fromkeys(range(first, last + 1), "".join(lines[first - 1 : last])))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError, StopIteration):
        return {}
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


def not_hidden(findings: list[Finding], lines: list[str], source: str) -> list[Finding]:
    """The findings no inline ``noqa`` hides, as in flake8."""
    if not findings or NOQA_INLINE_REGEXP.search(source) is None:
        return findings  # nothing to hide: no tokenizing
    mapping = noqa_lines(lines)

    def line_of(number: int) -> str:  # flake8 falls back to the physical line
        if number in mapping:
            return mapping[number]
        return lines[number - 1] if 0 < number <= len(lines) else ""

    return [f for f in findings if not hidden_by_noqa(f.code, line_of(f.line))]


def check_file(path: str, extend_select: Sequence[str]) -> list[Finding]:
    """The findings ``check`` reports for one file, as flake8 reports them;
    :class:`CannotCheck` for a file that cannot be read or parsed."""
    config = project_config(path)
    try:
        lines = read_lines(path)
    except OSError as exc:
        raise CannotCheck(f"{path}:0:1: E902 {type(exc).__name__}: {exc}") from None
    source = "".join(lines)
    if NOQA_FILE.search(source) and any(NOQA_FILE.match(line) for line in lines):
        return []  # "# flake8: noqa" on a line of its own: flake8 skips the file
    tree = parse_source(path, source)
    found = check_tree(tree, path, lines, config, selected=extend_select)
    return not_hidden(found, lines, source)


def cmd_check(args: argparse.Namespace) -> int:
    validate_tree(args.paths, CATALOGUE)  # every governing pyproject.toml, before any file
    status = 0

    def cannot_check(line: str) -> None:
        nonlocal status
        print(line, file=sys.stderr)
        status = 2

    def unreadable(exc: OSError) -> None:  # a missing path, a directory not listed
        cannot_check(f"{exc.filename}:0:1: E902 {type(exc).__name__}: {exc}")

    for path in iter_python_files(args.paths, onerror=unreadable):
        try:
            findings = check_file(path, args.extend_select)
        except CannotCheck as exc:
            cannot_check(str(exc))
            continue
        except ConfigError:
            raise
        except Exception as exc:  # a bug of ours: this file only, the run goes on
            cannot_check(f"fastapi-layers: {path}: {_internal_error(exc)}")
            continue
        for finding in findings:
            print(f"{path}:{finding.line}:{finding.col + 1}: {finding.message}")
            status = max(status, 1)
    return status


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fastapi-layers", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="run the FAL rules on files (flake8 is the usual way)")
    check.add_argument("paths", nargs="+")
    check.add_argument(
        "--extend-select", default=(), type=lambda s: tuple(c.strip() for c in s.split(",")),
        help="also report these off-by-default codes (comma-separated)",
    )
    check.set_defaults(run=cmd_check)

    layers = sub.add_parser("layers", help="show the layer of each file")
    layers.add_argument("paths", nargs="+")
    layers.add_argument("--all", action="store_true", help="also list files with no layer")
    layers.set_defaults(run=cmd_layers)

    config = sub.add_parser("config", help="validate and show the configuration for a path")
    config.add_argument("path", nargs="?", default=".")
    config.set_defaults(run=cmd_config)

    rules = sub.add_parser("rules", help="list every code")
    rules.set_defaults(run=cmd_rules)

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
