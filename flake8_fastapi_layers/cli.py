"""``fastapi-layers``: inspect layers and config, list rules, write the docs, check files.

flake8 is the way to lint; this command answers the questions around it:
which layer is this file in, is my config valid, what does FAL205 mean.
``check`` runs the FAL rules without flake8 (for benchmarks and scripts).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import tokenize
from typing import Sequence

from . import __version__
from .catalogue import load
from .checker import check_tree, iter_python_files
from .config import ConfigError, config_for, find_pyproject, validate_tree
from .docs import render
from .layers import module_info

# flake8's own noqa syntax: "# noqa", "# noqa: FAL101,FAL102", "# NOQA:FAL101"
NOQA_RE = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z][0-9]+(?:[,\s]+[A-Z][0-9]+)*))?", re.I)


def _suppressed(line: str, code: str) -> bool:
    match = NOQA_RE.search(line)
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    return any(code.startswith(c) for c in re.split(r"[,\s]+", codes.upper()) if c)


def cmd_check(args: argparse.Namespace) -> int:
    validate_tree(args.paths)  # every governing pyproject.toml, before any file
    status = 0
    for path in iter_python_files(args.paths):
        config = config_for(path)
        try:
            with tokenize.open(path) as handle:
                source = handle.read()
            tree = ast.parse(source, filename=path)
        except (SyntaxError, UnicodeDecodeError, OSError) as exc:
            line = getattr(exc, "lineno", None) or 1
            print(f"{path}:{line}:1: E999 cannot check: {type(exc).__name__}: {exc}", file=sys.stderr)
            status = 2
            continue
        lines = source.splitlines(keepends=True)
        for finding in check_tree(tree, path, lines, config):
            if not config.is_active(finding.code) and finding.code not in args.extend_select:
                continue
            if finding.line <= len(lines) and _suppressed(lines[finding.line - 1], finding.code):
                continue
            print(f"{path}:{finding.line}:{finding.col + 1}: {finding.message}")
            status = max(status, 1)
    return status


def cmd_layers(args: argparse.Namespace) -> int:
    for path in iter_python_files(args.paths):
        config = config_for(path)
        info = module_info(path, config.layer_map, config.first_party)
        if args.all or info.layer is not None:
            print(f"{info.layer or '-':<13} {path}")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    path = args.path
    config = config_for(path)
    data = {"source": find_pyproject(path), **config.as_data()}
    print(json.dumps(data, indent=2))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    for rule in load().sorted():
        state = "" if rule.default_on else "  (off by default)"
        print(f"{rule.code}  {rule.name:<34} {rule.summary.split('. ')[0].rstrip('.')}{state}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    text = render()
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as handle:
                current = handle.read()
        except OSError:
            current = ""
        if current != text:
            print(
                f"{args.output} is out of date; run: fastapi-layers docs --output {args.output}",
                file=sys.stderr,
            )
            return 1
        return 0
    if args.output == "-":
        sys.stdout.write(text)
    else:
        os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fastapi-layers", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="run the FAL rules on files (flake8 is the usual way)")
    check.add_argument("paths", nargs="+")
    check.add_argument(
        "--extend-select", default=(), type=lambda s: tuple(s.split(",")),
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
    try:
        return int(args.run(args))
    except ConfigError as exc:  # every command: one line, exit status 2
        print(f"fastapi-layers: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - `fastapi-layers rules | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
