"""Precision of the FAL rules on the corpus of real FastAPI applications.

Runs every rule (the off-by-default ones too) on every file of the corpus,
with the per-app configs of ``benchmarks/configs/``, counts the findings per
code and draws a stratified sample: up to ``--per-code`` findings of each
code, chosen by a seeded hash of (code, app, file, line), so the sample is
the same on every machine and changes little when a rule changes.

Each sampled finding is judged by a person against the written rules
(RULES.md and the rule's documented limits) and the verdict recorded in
``benchmarks/verdicts.toml``::

    [[finding]]
    code = "FAL102"
    app = "open-webui"
    file = "open_webui/routers/auths.py"   # relative to the app's project root
    line = 12
    verdict = "true"                       # or "false" (a false alarm)
    reason = "router imports the data-access module open_webui.models.auths"

Reasons are our own words: no third-party code is copied into the
repository.  The findings to judge, each with the surrounding lines, are
written to ``<cache>/precision-review.md`` (outside the repository).

``benchmarks/PRECISION.md`` (the table: code, findings, sampled, false
alarms, precision) is generated from the run and the verdicts.  Exit status:
0 when every sampled finding has a verdict and no file crashed, 1 otherwise.

Usage::

    python benchmarks/precision.py                 # run, review file, PRECISION.md
    python benchmarks/precision.py --per-code 8 --seed 1
    python benchmarks/precision.py --no-write      # do not touch PRECISION.md
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import tokenize
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import CorpusApp, CorpusError, default_cache_dir
from benchmarks.prepare import config_file, prepare_corpus, project_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]  # 3.10 only

HERE = Path(__file__).resolve().parent
VERDICTS = HERE / "verdicts.toml"
PRECISION_MD = HERE / "PRECISION.md"
REVIEW_NAME = "precision-review.md"
CONTEXT = 3
DEFAULT_PER_CODE = 12
DEFAULT_SEED = 5
TARGET_OVERALL = 0.95
TARGET_PER_CODE = 0.90

__all__ = [
    "CorpusFinding",
    "Verdict",
    "add_sample_arguments",
    "collect",
    "format_precision",
    "load_notes",
    "load_verdicts",
    "main",
    "read_toml",
    "sample",
    "write_review",
]


@dataclass(frozen=True, order=True)
class CorpusFinding:
    code: str
    app: str
    file: str  # relative to the app's project directory, '/'-separated
    line: int
    col: int
    message: str
    path: str  # absolute path, for the review file only

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.code, self.app, self.file, self.line)


@dataclass(frozen=True)
class Verdict:
    code: str
    app: str
    file: str
    line: int
    true: bool
    reason: str

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.code, self.app, self.file, self.line)


# --------------------------------------------------------------------------
# running the rules


def collect(
    apps: Sequence[CorpusApp],
) -> tuple[list[CorpusFinding], list[str], int, int]:
    """Every finding of every code on the corpus; also crashes, files, lines."""
    from flake8_fastapi_layers.engine import DEFAULT_OFF, check_source, project_config

    findings: list[CorpusFinding] = []
    crashes: list[str] = []
    files = lines = 0
    for app in apps:
        base = project_dir(app)
        for path in app.python_files:
            rel = path.relative_to(base).as_posix()
            try:
                with tokenize.open(path) as handle:
                    source = handle.read()
            except (OSError, SyntaxError, UnicodeDecodeError):
                continue
            files += 1
            lines += len(source.splitlines())
            try:
                found = check_source(source, path, project_config(path), selected=DEFAULT_OFF)
            except SyntaxError:
                continue  # newer syntax than this Python: not ours to check
            except Exception as exc:
                crashes.append(f"{app.name}:{rel}: {type(exc).__name__}: {exc}")
                continue
            for f in found:
                findings.append(CorpusFinding(f.code, app.name, rel, f.line, f.col, f.message, str(path)))
    findings.sort()
    return findings, crashes, files, lines


def _rank(seed: int, finding: CorpusFinding) -> str:
    text = f"{seed}:{finding.code}:{finding.app}:{finding.file}:{finding.line}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sample(findings: Iterable[CorpusFinding], per_code: int, seed: int) -> list[CorpusFinding]:
    """Up to ``per_code`` findings of each code, one per line, by seeded hash order."""
    by_code: dict[str, dict[tuple[str, str, str, int], CorpusFinding]] = defaultdict(dict)
    for finding in findings:
        by_code[finding.code].setdefault(finding.key, finding)
    chosen: list[CorpusFinding] = []
    for code in sorted(by_code):
        ranked = sorted(by_code[code].values(), key=lambda f: _rank(seed, f))
        chosen.extend(sorted(ranked[:per_code]))
    return chosen


# --------------------------------------------------------------------------
# verdicts


def read_toml(path: Path) -> dict[str, object]:
    """A TOML file's data; unreadable or malformed is a :class:`CorpusError`."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path.name}: {exc}") from None


def load_verdicts(path: Path = VERDICTS) -> dict[tuple[str, str, str, int], Verdict]:
    """Read ``verdicts.toml``; a malformed entry is a :class:`CorpusError`."""
    if not path.is_file():
        return {}
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path.name}: {exc}") from None
    verdicts: dict[tuple[str, str, str, int], Verdict] = {}
    for i, entry in enumerate(data.get("finding", [])):
        try:
            value = entry["verdict"]
            if value not in ("true", "false"):
                raise ValueError(f"verdict must be 'true' or 'false', not {value!r}")
            verdict = Verdict(
                str(entry["code"]),
                str(entry["app"]),
                str(entry["file"]),
                int(entry["line"]),
                value == "true",
                str(entry.get("reason", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"{path.name}: entry {i + 1}: {exc}") from None
        if verdict.key in verdicts:
            raise CorpusError(f"{path.name}: entry {i + 1}: duplicate verdict for {verdict.key}")
        verdicts[verdict.key] = verdict
    return verdicts


def load_notes(path: Path = VERDICTS) -> dict[str, str]:
    """``[notes]`` of ``verdicts.toml``: code (or ``Hold-out``) -> what the
    sample's table does not show."""
    if not path.is_file():
        return {}
    try:
        with open(path, "rb") as handle:
            notes = tomllib.load(handle).get("notes", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path.name}: {exc}") from None
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        raise CorpusError(f"{path.name}: [notes] must map codes to strings")
    return {str(k): v for k, v in notes.items()}


# --------------------------------------------------------------------------
# output


def _context(path: str, line: int, around: int = CONTEXT) -> list[str]:
    try:
        with tokenize.open(path) as handle:
            lines = handle.read().splitlines()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return []
    start = max(1, line - around)
    end = min(len(lines), line + around)
    return [f"{'>' if n == line else ' '}{n:5d}  {lines[n - 1]}" for n in range(start, end + 1)]


def write_review(
    target: Path,
    chosen: Sequence[CorpusFinding],
    verdicts: dict[tuple[str, str, str, int], Verdict],
    only_pending: bool = False,
    verdicts_file: str = "benchmarks/verdicts.toml",
    extra: Callable[[CorpusFinding], Sequence[str]] | None = None,
) -> int:
    """The sampled findings with their context, to read and judge; returns how many.

    ``extra`` gives more ``key = value`` lines for a finding's verdict template.
    """
    out = [
        "# FAL findings to judge (generated by benchmarks/; third-party code: keep out of git)",
        "",
        f"Record each verdict in {verdicts_file} as",
        "`[[finding]] code, app, file, line, verdict = \"true\"|\"false\", reason`.",
        "",
    ]
    written = 0
    for f in chosen:
        verdict = verdicts.get(f.key)
        if only_pending and verdict is not None:
            continue
        written += 1
        state = "PENDING" if verdict is None else ("true" if verdict.true else "FALSE ALARM")
        out.append(f"## {f.code} {f.app} {f.file}:{f.line} [{state}]")
        out.append("")
        out.append(f"    {f.message}")
        if verdict is not None and verdict.reason:
            out.append(f"    verdict: {verdict.reason}")
        out.append("")
        out.append("```")
        out.extend(_context(f.path, f.line))
        out.append("```")
        out.append("")
        out.append(
            "    [[finding]]\n"
            f'    code = "{f.code}"\n    app = "{f.app}"\n    file = "{f.file}"\n    line = {f.line}\n'
            '    verdict = ""\n    reason = ""'
            + "".join(f"\n    {field}" for field in (extra(f) if extra is not None else ()))
        )
        out.append("")
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return written


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def format_precision(
    apps: Sequence[CorpusApp],
    findings: Sequence[CorpusFinding],
    chosen: Sequence[CorpusFinding],
    verdicts: dict[tuple[str, str, str, int], Verdict],
    crashes: Sequence[str],
    files: int,
    lines: int,
    command: str,
    per_code: int,
    seed: int,
    notes: dict[str, str] | None = None,
) -> str:
    from flake8_fastapi_layers.rules import CATALOGUE as catalogue

    counts = Counter(f.code for f in findings)
    sampled: dict[str, list[CorpusFinding]] = defaultdict(list)
    for f in chosen:
        sampled[f.code].append(f)
    out: list[str] = [
        "# Precision on real FastAPI code",
        "",
        "Generated by `benchmarks/precision.py` from the rules' findings on the corpus and the",
        "verdicts in `benchmarks/verdicts.toml`; do not edit by hand.",
        "",
        f"Command: `{command}`  ",
        "Corpus (pinned on PyPI, fetched by `benchmarks/corpus.py`, never committed): "
        + ", ".join(
            f"{a.name} {a.version}" + (" (config)" if config_file(a.name) else " (zero-config)") for a in apps
        )
        + f": {files:,} files, {lines:,} lines.  ",
        f"Sample: up to {per_code} findings per code (one per line), chosen by a hash of"
        f" (code, app, file, line) seeded with {seed}; every sampled finding judged against RULES.md"
        " and the rule's documented limits.  ",
        f"Crashes: {len(crashes)} (files on which a rule raised).",
        "",
        "| code | name | findings | sampled | false alarms | precision |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    total_sampled = total_false = total_judged = 0
    pending: list[CorpusFinding] = []
    below: list[str] = []
    for code in sorted(set(counts) | set(catalogue.rules)):
        rule = catalogue[code] if code in catalogue else None
        name = rule.name if rule is not None else "?"
        if rule is not None and not rule.default_on:
            name += " (off by default)"
        judged = [verdicts[f.key] for f in sampled.get(code, []) if f.key in verdicts]
        pending += [f for f in sampled.get(code, []) if f.key not in verdicts]
        false = sum(1 for v in judged if not v.true)
        precision = (len(judged) - false) / len(judged) if judged else None
        if precision is not None and precision < TARGET_PER_CODE:
            below.append(code)
        total_sampled += len(sampled.get(code, []))
        total_judged += len(judged)
        total_false += false
        judged_note = "" if len(judged) == len(sampled.get(code, [])) else f" ({len(judged)} judged)"
        out.append(
            f"| {code} | {name} | {counts.get(code, 0):,} | {len(sampled.get(code, []))}"
            f"{judged_note} | {false} | {_pct(precision)} |"
        )
    overall = (total_judged - total_false) / total_judged if total_judged else None
    out.append(
        f"| **all** | | **{len(findings):,}** | **{total_sampled}** | **{total_false}** "
        f"| **{_pct(overall)}** |"
    )
    out.append("")
    out.append(
        f"Targets: >= {TARGET_OVERALL:.0%} of sampled findings true overall "
        f"({'met' if overall is not None and overall >= TARGET_OVERALL else 'NOT met'}), "
        f"no code below {TARGET_PER_CODE:.0%} "
        f"({'met' if not below else 'NOT met: ' + ', '.join(below)})."
    )
    if pending:
        out.append("")
        out.append(f"**{len(pending)} sampled findings have no verdict yet** (see the review file).")
    false_alarms = [verdicts[f.key] for f in chosen if f.key in verdicts and not verdicts[f.key].true]
    out.append("")
    out.append("## False alarms in the sample")
    out.append("")
    if not false_alarms:
        out.append("None.")
    for v in false_alarms:
        out.append(f"- {v.code} {v.app} `{v.file}:{v.line}`: {v.reason}")
    if notes:
        out.append("")
        out.append("## Beyond the sample")
        out.append("")
        for code in sorted(notes):
            out.append(f"- {code}: {notes[code]}")
    per_app: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        per_app[f.app][f.code] += 1
    out.append("")
    out.append("## Findings per app")
    out.append("")
    names = [a.name for a in apps]
    out.append("| code | " + " | ".join(names) + " |")
    out.append("| --- | " + " | ".join("---:" for _ in names) + " |")
    for code in sorted(counts):
        out.append(f"| {code} | " + " | ".join(f"{per_app[n][code]:,}" for n in names) + " |")
    if crashes:
        out.append("")
        out.append("## Crashes")
        out.append("")
        out.extend(f"- {c}" for c in crashes)
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------
# CLI


def add_sample_arguments(
    parser: argparse.ArgumentParser, per_code: int, seed: int, verdicts: Path, output: Path
) -> None:
    """The options every precision run shares (sample, cache, verdicts, report)."""
    parser.add_argument("--per-code", type=int, default=per_code, help="sample size per code")
    parser.add_argument("--seed", type=int, default=seed, help="sampling seed")
    parser.add_argument("--cache", help="corpus cache directory (see corpus.py)")
    parser.add_argument("--verdicts", default=str(verdicts), help="verdicts file (TOML)")
    parser.add_argument("--output", default=str(output), help="where to write the report")
    parser.add_argument("--no-write", action="store_true", help="print the report, do not write it")
    parser.add_argument("--pending", action="store_true", help="review file: only findings without verdict")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None, command: str | None = None) -> int:
    """The CLI; ``command`` is how PRECISION.md names the command that made it."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description="Precision of the FAL rules on the corpus.")
    add_sample_arguments(parser, DEFAULT_PER_CODE, DEFAULT_SEED, VERDICTS, PRECISION_MD)
    args = parser.parse_args(argv)
    command = command or "python benchmarks/precision.py" + ("" if not argv else " " + " ".join(argv))
    started = time.perf_counter()
    try:
        apps = prepare_corpus(args.cache)
        verdicts = load_verdicts(Path(args.verdicts))
        notes = load_notes(Path(args.verdicts))
    except CorpusError as exc:
        _log(f"error: {exc}")
        return 1
    findings, crashes, files, lines = collect(apps)
    chosen = sample(findings, args.per_code, args.seed)
    cache = Path(args.cache).expanduser() if args.cache else default_cache_dir()
    review = cache / REVIEW_NAME
    count = write_review(review, chosen, verdicts, only_pending=args.pending)
    report = format_precision(
        apps, findings, chosen, verdicts, crashes, files, lines,
        command, args.per_code, args.seed, notes,
    )
    print(report)
    if not args.no_write:
        Path(args.output).write_text(report, encoding="utf-8")
    pending = sum(1 for f in chosen if f.key not in verdicts)
    unused = len(set(verdicts) - {f.key for f in chosen})
    _log(
        f"{len(findings):,} findings, {len(chosen)} sampled, {pending} without verdict, "
        f"{unused} verdicts not in the sample; review file ({count} findings): {review}; "
        f"{time.perf_counter() - started:.0f}s"
    )
    return 0 if not pending and not crashes else 1


if __name__ == "__main__":
    sys.exit(main())
