"""Precision of the FAL rules on held-out apps: code nothing was tuned on.

The tuning corpus (``precision.py``) reads the rules' precision on the apps
the rules were tuned on, each with a layout config.  This measures them on
the apps of ``HELDOUT_APPS`` (``corpus.py``) as a new user meets them: zero
configuration, only a ``pyproject.toml`` at the project root (the app's
``requires-python``, no ``[tool.fastapi-layers]`` table).  Every rule runs,
the off-by-default FAL208 and FAL607 too (computed as ``enable`` would turn
them on; reported apart).

Sample: up to ``--per-code`` findings of each code (one per line), ranked by
a hash of (code, app, file, line) seeded with :data:`DEFAULT_SEED`, another
seed than the tuning corpus's.  The findings with their surrounding lines go
to ``<cache>/heldout-review.md`` (outside the repository).  Verdicts live in
``benchmarks/heldout_verdicts.toml``::

    [[finding]]
    code = "FAL102"
    app = "argilla-server"
    file = "argilla_server/api/handlers/v1/users.py"  # relative to the project root
    line = 12
    text = "5d41402abc4b"      # hash of the line's normalised text (no code copied)
    verdict = "false"          # "true": the rule's target; "false": a false alarm
    cause = "wrong layer"      # false alarms only: wrong layer | name heuristic
                               #   | missing exemption | other
    phase = "before"           # judged before or after the rule changes of issue 13
    commit = "75dcaf7"         # the last commit that changed the rules (flake8_fastapi_layers/)
    reason = "..."             # our own words

A finding reuses a verdict of the same code, app and file whose line text is
the same (the nearest such line), so verdicts survive line shifts.

Before and after: ``--freeze-before`` records the run's counts and sample in
``benchmarks/heldout_before.json``.  From then on the same command shows the
frozen *before* figure (those counts, the ``phase = "before"`` verdicts) next
to the current run; sampled findings without a verdict are judged and
recorded with ``phase = "after"``.  The report is
``benchmarks/HELDOUT.md``; the exit status is 1 while a sampled finding has
no verdict or a file crashed.

Usage::

    python benchmarks/heldout.py                   # run, review file, HELDOUT.md
    python benchmarks/heldout.py --pending         # review file: unjudged only
    python benchmarks/heldout.py --freeze-before   # record the before run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
import tokenize
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import CorpusApp, CorpusError, default_cache_dir, ensure_corpus, spec_of
from benchmarks.precision import (
    CorpusFinding,
    Verdict,
    _pct,
    add_sample_arguments,
    collect,
    read_toml,
    sample,
    write_review,
)
from benchmarks.prepare import project_dir

HERE = Path(__file__).resolve().parent
VERDICTS = HERE / "heldout_verdicts.toml"
BEFORE = HERE / "heldout_before.json"
HELDOUT_MD = HERE / "HELDOUT.md"
REVIEW_NAME = "heldout-review.md"
DEFAULT_PER_CODE = 12
DEFAULT_SEED = 13  # the tuning corpus samples with 5
CAUSES = ("wrong layer", "name heuristic", "missing exemption", "other")
PHASES = ("before", "after")
OFF_BY_DEFAULT_NOTE = "off by default"
FAMILIES = (
    ("architecture (FAL1xx-FAL4xx)", ("FAL1", "FAL2", "FAL3", "FAL4")),
    ("async (FAL5xx)", ("FAL5",)),
    ("typing (FAL6xx)", ("FAL6",)),
    ("security (FAL7xx)", ("FAL7",)),
    ("migrations and tests (FAL8xx, FAL9xx)", ("FAL8", "FAL9")),
)
PYPROJECT = (
    "# {name}: written by benchmarks/heldout.py; zero-config (no [tool.fastapi-layers] table)\n"
    "[project]\nname = \"{name}\"\nversion = \"{version}\"\n"
)

__all__ = [
    "HeldoutVerdict",
    "format_heldout",
    "freeze_before",
    "line_hash",
    "load_before",
    "load_heldout_verdicts",
    "main",
    "match_verdicts",
    "prepare_heldout",
]


@dataclass(frozen=True)
class HeldoutVerdict:
    code: str
    app: str
    file: str
    line: int
    text: str  # line_hash() of the flagged line
    true: bool
    reason: str
    phase: str
    commit: str
    cause: str = ""

    def as_verdict(self) -> Verdict:
        return Verdict(self.code, self.app, self.file, self.line, self.true, self.reason)


# --------------------------------------------------------------------------
# the apps, as a new user has them


def install_pyproject(app: CorpusApp) -> Path:
    """``<cache>/<app>/pyproject.toml``: the project root, zero-config."""
    spec = spec_of(app.name)
    text = PYPROJECT.format(name=spec.name, version=spec.version)
    if spec.requires_python:
        text += f'requires-python = "{spec.requires_python}"\n'
    target = project_dir(app) / "pyproject.toml"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def prepare_heldout(cache_dir: Path | str | None = None, only: Sequence[str] | None = None) -> list[CorpusApp]:
    """Fetch the held-out apps and give each its zero-config project root."""
    apps = ensure_corpus(cache_dir, only, heldout=True)
    for app in apps:
        install_pyproject(app)
    return apps


# --------------------------------------------------------------------------
# finding identity


def line_hash(text: str) -> str:
    """12 hex digits of the line's text with its whitespace collapsed."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:12]


def _line_hashes(findings: Sequence[CorpusFinding]) -> dict[tuple[str, int], str]:
    """(absolute path, line) -> line_hash, reading each file once."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        wanted[f.path].add(f.line)
    hashes: dict[tuple[str, int], str] = {}
    for path, lines in wanted.items():
        try:
            with tokenize.open(path) as handle:
                text = handle.read().splitlines()
        except (OSError, SyntaxError, UnicodeDecodeError):
            text = []
        for line in lines:
            hashes[(path, line)] = line_hash(text[line - 1]) if 0 < line <= len(text) else ""
    return hashes


def match_verdicts(
    chosen: Sequence[CorpusFinding], verdicts: Sequence[HeldoutVerdict]
) -> dict[tuple[str, str, str, int], HeldoutVerdict]:
    """Each sampled finding's verdict: same code, app, file and line text,
    the nearest line first (an exact line wins)."""
    by_text: dict[tuple[str, str, str, str], list[HeldoutVerdict]] = defaultdict(list)
    for v in verdicts:
        by_text[(v.code, v.app, v.file, v.text)].append(v)
    hashes = _line_hashes(chosen)
    matched: dict[tuple[str, str, str, int], HeldoutVerdict] = {}
    for f in chosen:
        candidates = by_text.get((f.code, f.app, f.file, hashes[(f.path, f.line)]), [])
        if candidates:
            matched[f.key] = min(candidates, key=lambda v: (abs(v.line - f.line), v.phase != "after"))
    return matched


# --------------------------------------------------------------------------
# verdicts and the frozen before run


def load_heldout_verdicts(path: Path = VERDICTS) -> list[HeldoutVerdict]:
    """Read the verdicts; a malformed entry is a :class:`CorpusError`."""
    if not path.is_file():
        return []
    entries = read_toml(path).get("finding", [])
    if not isinstance(entries, list):
        raise CorpusError(f"{path.name}: 'finding' must be an array of tables")
    verdicts: list[HeldoutVerdict] = []
    seen: set[tuple[str, str, str, int, str]] = set()
    for i, entry in enumerate(entries):
        try:
            value, phase, cause = entry["verdict"], entry["phase"], str(entry.get("cause", ""))
            if value not in ("true", "false"):
                raise ValueError(f"verdict must be 'true' or 'false', not {value!r}")
            if phase not in PHASES:
                raise ValueError(f"phase must be one of {', '.join(PHASES)}, not {phase!r}")
            if value == "false" and cause not in CAUSES:
                raise ValueError(f"a false alarm needs a cause, one of {', '.join(CAUSES)}")
            if value == "true" and cause:
                raise ValueError("only a false alarm has a cause")
            verdict = HeldoutVerdict(
                str(entry["code"]), str(entry["app"]), str(entry["file"]), int(entry["line"]),
                str(entry["text"]), value == "true", str(entry["reason"]), phase,
                str(entry["commit"]), cause,
            )
            if not verdict.reason.strip():
                raise ValueError("reason is empty")
        except (KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"{path.name}: entry {i + 1}: {exc}") from None
        key = (verdict.code, verdict.app, verdict.file, verdict.line, verdict.phase)
        if key in seen:
            raise CorpusError(f"{path.name}: entry {i + 1}: duplicate verdict for {key}")
        seen.add(key)
        verdicts.append(verdict)
    return verdicts


@dataclass(frozen=True)
class BeforeRun:
    commit: str
    files: int
    lines: int
    counts: dict[str, dict[str, int]]  # app -> code -> findings
    sample: list[tuple[str, str, str, int]]  # (code, app, file, line)


def freeze_before(
    path: Path, commit: str, findings: Sequence[CorpusFinding], chosen: Sequence[CorpusFinding],
    files: int, lines: int,
) -> None:
    """Record the before run: its counts per app and code, and its sample."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        counts[f.app][f.code] += 1
    data = {
        "commit": commit,
        "files": files,
        "lines": lines,
        "counts": {app: dict(sorted(c.items())) for app, c in sorted(counts.items())},
        "sample": [list(f.key) for f in chosen],
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def load_before(path: Path = BEFORE) -> BeforeRun | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return BeforeRun(
            str(data["commit"]), int(data["files"]), int(data["lines"]),
            {str(a): {str(c): int(n) for c, n in codes.items()} for a, codes in data["counts"].items()},
            [(str(c), str(a), str(f), int(n)) for c, a, f, n in data["sample"]],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorpusError(f"{path.name}: {exc}") from None


# --------------------------------------------------------------------------
# the report


@dataclass(frozen=True)
class CodeRow:
    code: str
    name: str
    default_on: bool
    findings: int
    sampled: int
    judged: int
    false: int

    @property
    def precision(self) -> float | None:
        return (self.judged - self.false) / self.judged if self.judged else None


def _rows(counts: Mapping[str, int], judged: Mapping[str, list[bool]], sampled: Mapping[str, int]) -> list[CodeRow]:
    from flake8_fastapi_layers.rules import CATALOGUE as catalogue

    rows = []
    for code in sorted(set(counts) | set(catalogue.rules)):
        rule = catalogue[code] if code in catalogue else None
        verdicts = judged.get(code, [])
        rows.append(CodeRow(
            code, rule.name if rule is not None else "?", rule is None or rule.default_on,
            counts.get(code, 0), sampled.get(code, 0), len(verdicts), verdicts.count(False),
        ))
    return rows


def _figure(rows: Sequence[CodeRow]) -> tuple[int, int, float | None]:
    judged = sum(r.judged for r in rows)
    false = sum(r.false for r in rows)
    return judged, false, ((judged - false) / judged if judged else None)


def _table(title: str, rows: Sequence[CodeRow]) -> list[str]:
    out = [f"### {title}", "", "| code | name | findings | sampled | false alarms | precision |",
           "| --- | --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        name = r.name if r.default_on else f"{r.name} ({OFF_BY_DEFAULT_NOTE})"
        judged = "" if r.judged == r.sampled else f" ({r.judged} judged)"
        out.append(f"| {r.code} | {name} | {r.findings:,} | {r.sampled}{judged} | {r.false} | {_pct(r.precision)} |")
    on = [r for r in rows if r.default_on]
    judged, false, overall = _figure(on)
    out.append(f"| **all on by default** | | **{sum(r.findings for r in on):,}** | **{judged}** "
               f"| **{false}** | **{_pct(overall)}** |")
    out += ["", "| family | sampled | false alarms | precision |", "| --- | ---: | ---: | ---: |"]
    for label, prefixes in FAMILIES:
        judged, false, value = _figure([r for r in on if r.code.startswith(prefixes)])
        out.append(f"| {label} | {judged} | {false} | {_pct(value)} |")
    off = [r for r in rows if not r.default_on]
    judged, false, value = _figure(off)
    out.append(f"| off by default ({', '.join(r.code for r in off)}) | {judged} | {false} | {_pct(value)} |")
    out.append("")
    return out


def _false_alarms(title: str, verdicts: Sequence[HeldoutVerdict]) -> list[str]:
    false = sorted((v for v in verdicts if not v.true), key=lambda v: (v.code, v.app, v.file, v.line))
    causes = Counter(v.cause for v in false)
    out = [f"### {title}", ""]
    if not false:
        return out + ["None.", ""]
    out.append("By cause: " + ", ".join(f"{cause} {causes[cause]}" for cause in CAUSES if causes[cause]) + ".")
    out.append("")
    out += [f"- {v.code} {v.app} `{v.file}:{v.line}` ({v.cause}): {v.reason}" for v in false]
    out.append("")
    return out


def _per_app(title: str, counts: Mapping[str, Mapping[str, int]], names: Sequence[str]) -> list[str]:
    codes = sorted({code for app in counts.values() for code in app})
    out = [f"### {title}", "", "| code | " + " | ".join(names) + " |",
           "| --- | " + " | ".join("---:" for _ in names) + " |"]
    for code in codes:
        out.append(f"| {code} | " + " | ".join(f"{counts.get(n, {}).get(code, 0):,}" for n in names) + " |")
    out.append("")
    return out


def format_heldout(
    apps: Sequence[CorpusApp],
    findings: Sequence[CorpusFinding],
    chosen: Sequence[CorpusFinding],
    matched: Mapping[tuple[str, str, str, int], HeldoutVerdict],
    verdicts: Sequence[HeldoutVerdict],
    before: BeforeRun | None,
    crashes: Sequence[str],
    files: int,
    lines: int,
    command: str,
    commit: str,
    per_code: int,
    seed: int,
) -> str:
    names = [a.name for a in apps]
    out = [
        "# Precision on held-out FastAPI apps",
        "",
        "Generated by `benchmarks/heldout.py` from the rules' findings on apps nothing was tuned on",
        "and the verdicts in `benchmarks/heldout_verdicts.toml`; do not edit by hand.",
        "",
        f"Command: `{command}`  ",
        "Apps (pinned on PyPI in `HELDOUT_APPS` of `benchmarks/corpus.py`, never committed), each with",
        "zero configuration (a `pyproject.toml` with the app's `requires-python` and no",
        "`[tool.fastapi-layers]` table): "
        + ", ".join(f"{a.name} {a.version} (`{spec_of(a.name).subdir}`)" for a in apps)
        + f": {files:,} files, {lines:,} lines.  ",
        f"Sample: up to {per_code} findings per code (one per line), chosen by a hash of"
        f" (code, app, file, line) seeded with {seed} (the tuning corpus uses 5); each judged"
        " against RULES.md and the rule's documented limits.  ",
        "FAL208 and FAL607 are off by default: computed as `enable` turns them on, and"
        " counted apart from the overall figure.",
        "",
    ]
    by_code: dict[str, int] = Counter(f.code for f in findings)
    current_counts: dict[str, dict[str, int]] = defaultdict(dict)
    for f in findings:
        current_counts[f.app][f.code] = current_counts[f.app].get(f.code, 0) + 1
    sampled: Counter[str] = Counter(f.code for f in chosen)
    judged: dict[str, list[bool]] = defaultdict(list)
    for f in chosen:
        if f.key in matched:
            judged[f.code].append(matched[f.key].true)
    pending = [f for f in chosen if f.key not in matched]
    current_rows = _rows(by_code, judged, sampled)

    if before is not None:
        before_verdicts = [v for v in verdicts if v.phase == "before"]
        before_counts: Counter[str] = Counter()
        for codes in before.counts.values():
            before_counts.update(codes)
        before_judged: dict[str, list[bool]] = defaultdict(list)
        for v in before_verdicts:
            before_judged[v.code].append(v.true)
        before_sampled = Counter(code for code, _, _, _ in before.sample)
        before_rows = _rows(before_counts, before_judged, before_sampled)
        out += ["## Before: the rules at " + before.commit, ""]
        out += _table(f"Precision before (rules at {before.commit}; frozen)", before_rows)
        out += _false_alarms("False alarms before", before_verdicts)
        if before.commit != commit:
            out += ["## After: the rules at " + commit, ""]
            out += _table(f"Precision now (rules at {commit})", current_rows)
            out += _false_alarms("False alarms now", [matched[f.key] for f in chosen if f.key in matched])
        out += _per_app(f"Findings per app before ({before.commit})", before.counts, names)
        if before.commit != commit:
            out += _per_app(f"Findings per app now ({commit})", current_counts, names)
    else:
        out += [f"## The rules at {commit} (not frozen as the before run yet)", ""]
        out += _table(f"Precision (rules at {commit})", current_rows)
        out += _false_alarms("False alarms", [matched[f.key] for f in chosen if f.key in matched])
        out += _per_app(f"Findings per app ({commit})", current_counts, names)
    if pending:
        out += [f"**{len(pending)} sampled findings have no verdict yet** (see the review file).", ""]
    out += [f"Crashes: {len(crashes)} (files on which a rule raised)."]
    out += [f"- {c}" for c in crashes]
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------
# CLI


def _commit() -> str:
    """The last commit that changed the rules (not the benchmarks or docs)."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%h", "--", "flake8_fastapi_layers"],
            cwd=HERE.parent, capture_output=True, text=True, check=False,
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description="Precision of the FAL rules on the held-out apps.")
    add_sample_arguments(parser, DEFAULT_PER_CODE, DEFAULT_SEED, VERDICTS, HELDOUT_MD)
    parser.add_argument("--before", default=str(BEFORE), help="the frozen before run (JSON)")
    parser.add_argument("--freeze-before", action="store_true", help="record this run as the before run")
    parser.add_argument("--commit", default=None, help="the commit the rules are at (default: the last commit "
                        "that changed flake8_fastapi_layers/)")
    args = parser.parse_args(argv)
    command = "python benchmarks/heldout.py" + ("" if not argv else " " + " ".join(argv))
    started = time.perf_counter()
    commit = args.commit or _commit()
    before_path = Path(args.before)
    try:
        apps = prepare_heldout(args.cache)
        verdicts = load_heldout_verdicts(Path(args.verdicts))
        before = load_before(before_path)
    except CorpusError as exc:
        _log(f"error: {exc}")
        return 1
    if args.freeze_before and before is not None:
        _log(f"error: {before_path.name} already records the before run (rules at {before.commit})")
        return 1
    findings, crashes, files, lines = collect(apps)
    chosen = sample(findings, args.per_code, args.seed)
    if args.freeze_before:
        freeze_before(before_path, commit, findings, chosen, files, lines)
        before = load_before(before_path)
    matched = match_verdicts(chosen, verdicts)
    phase = "before" if before is None or before.commit == commit else "after"
    cache = Path(args.cache).expanduser() if args.cache else default_cache_dir()
    review = cache / REVIEW_NAME
    hashes = _line_hashes(chosen)
    count = write_review(
        review, chosen, {key: v.as_verdict() for key, v in matched.items()}, only_pending=args.pending,
        verdicts_file="benchmarks/heldout_verdicts.toml",
        extra=lambda f: [f'text = "{hashes[(f.path, f.line)]}"', 'cause = ""', f'phase = "{phase}"',
                         f'commit = "{commit}"'],
    )
    report = format_heldout(
        apps, findings, chosen, matched, verdicts, before, crashes, files, lines,
        command, commit, args.per_code, args.seed,
    )
    print(report)
    if not args.no_write:
        Path(args.output).write_text(report, encoding="utf-8")
    pending = sum(1 for f in chosen if f.key not in matched)
    _log(
        f"{len(findings):,} findings, {len(chosen)} sampled, {pending} without verdict; "
        f"review file ({count} findings): {review}; {time.perf_counter() - started:.0f}s"
    )
    return 0 if not pending and not crashes else 1


if __name__ == "__main__":
    sys.exit(main())
