"""What ``fastapi-layers check`` prints: its findings as text, JSON, SARIF or
GitHub workflow commands, and ``--statistics``.

The data: a :class:`FileResult` per checked file (its layer, the
:class:`Reported` findings that survived ``noqa``, the selection and any
later filter such as a baseline, or the one line saying why it could not be
checked).  Every format is a pure function of the list of results.

``--output-format json`` is a list of objects, one per finding, in the order
of the text output::

    {"path": "app/services/orders.py", "line": 23, "column": 13,
     "code": "FAL301", "message": "service raises HTTP exception ...",
     "layer": "service", "rule": "http-exception-outside-edge",
     "url": "https://.../docs/rules.md#fal301-http-exception-outside-edge"}

``path`` as given on the command line (as in the text format), ``line`` and
``column`` 1-based as flake8 prints them, ``message`` without the code,
``layer`` the file's layer (null: none), ``url`` the rule's section of
``docs/rules.md`` (null when the installed package declares no repository
URL, see :func:`rules_doc_url`).  The checks report a position, not a span:
there is no end.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from . import __version__
from .catalogue import Rule
from .docs import render_rule
from .layers import LAYERS
from .rules import CATALOGUE

FORMATS = ("text", "json", "sarif", "github")
TOOL_NAME = "fastapi-layers"
#: Where the rule reference lives in the repository.
RULES_DOC_PATH = "docs/rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: GitHub code scanning's limits on an uploaded SARIF run.
SARIF_MAX_RESULTS = 25_000
SARIF_MAX_RULES = 25_000
SARIF_MAX_DESCRIPTION = 1024
SARIF_MAX_NAME = 255


@dataclass(frozen=True)
class Reported:
    """One finding as a front end reports it: flake8's position (``col`` 0-based,
    a UTF-8 offset as in ``ast``), the message with its code in front, and the
    text of the offending line (for fingerprints)."""

    line: int
    col: int
    code: str
    message: str
    source: str = ""

    @property
    def text(self) -> str:
        """The message without its code."""
        return self.message[len(self.code) + 1 :] if self.message.startswith(self.code) else self.message


@dataclass
class FileResult:
    """What the check of one file gave."""

    path: str
    layer: str | None = None
    findings: list[Reported] = field(default_factory=list)
    #: the one line for a file that cannot be checked (E902/E999, internal error)
    error: str | None = None


# -- rule documentation links --------------------------------------------------------


@functools.lru_cache(maxsize=1)
def rules_doc_url() -> str | None:
    """The URL of ``docs/rules.md``, from the installed distribution's
    ``[project.urls]``: a ``Rules`` entry as it is, else
    ``<Repository>/blob/main/docs/rules.md`` for a GitHub repository URL
    (``Repository``, ``Source``, ``Source Code`` or ``Homepage``); None when
    neither is declared."""
    from importlib import metadata

    try:
        entries = metadata.metadata("flake8-fastapi-layers").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    return rules_url_from(entries)


def rules_url_from(project_urls: Iterable[str]) -> str | None:
    """:func:`rules_doc_url` from ``Project-URL`` metadata lines (``"Label, URL"``)."""
    urls: dict[str, str] = {}
    for entry in project_urls:
        label, _, url = entry.partition(",")
        if url.strip():
            urls.setdefault(label.strip().lower(), url.strip())
    if "rules" in urls:
        return urls["rules"]
    for label in ("repository", "source", "source code", "homepage"):
        url = urls.get(label, "")
        if url.startswith("https://github.com/"):
            return f"{url.rstrip('/')}/blob/main/{RULES_DOC_PATH}"
    return None


def rule_url(rule: Rule) -> str | None:
    base = rules_doc_url()
    return f"{base}#{rule.anchor}" if base else None


# -- fingerprints ----------------------------------------------------------------------


def normalized(line: str) -> str:
    """A line's text without its indentation and with runs of blanks as one
    space: moving or re-indenting a line keeps it."""
    return " ".join(line.split())


def fingerprints(path: str, findings: Sequence[Reported]) -> list[tuple[str, int]]:
    """For each finding of one file: a hash of the path, the code and the
    normalised offending line, and its occurrence (1, 2, ...) among the
    file's findings with the same hash.  Stable when lines move."""
    seen: Counter[str] = Counter()
    result = []
    for finding in findings:
        text = "\0".join((path, finding.code, normalized(finding.source)))
        key = hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        seen[key] += 1
        result.append((key, seen[key]))
    return result


# -- formats ----------------------------------------------------------------------------


def each(results: Iterable[FileResult]) -> Iterable[tuple[FileResult, Reported]]:
    for result in results:
        for finding in result.findings:
            yield result, finding


def format_text(results: Sequence[FileResult]) -> str:
    return "".join(
        f"{result.path}:{finding.line}:{finding.col + 1}: {finding.message}\n"
        for result, finding in each(results)
    )


def format_json(results: Sequence[FileResult]) -> str:
    rows = []
    for result, finding in each(results):
        rule = CATALOGUE.rules.get(finding.code)
        rows.append(
            {
                "path": result.path,
                "line": finding.line,
                "column": finding.col + 1,
                "code": finding.code,
                "message": finding.text,
                "layer": result.layer,
                "rule": rule.name if rule else None,
                "url": rule_url(rule) if rule else None,
            }
        )
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(
    path: str, line: int | None, col: int | None, title: str, message: str
) -> str:
    """A GitHub Actions ``::error`` workflow command (an annotation on the line)."""
    where = f"file={_escape_property(path)}"
    if line is not None:
        where += f",line={line}" + (f",col={col}" if col is not None else "")
    return f"::error {where},title={_escape_property(title)}::{_escape_data(message)}\n"


def format_github(results: Sequence[FileResult]) -> str:
    return "".join(
        github_command(result.path, finding.line, finding.col + 1, finding.code, finding.text)
        for result, finding in each(results)
    )


# -- SARIF --------------------------------------------------------------------------------


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".")


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: A tag per family (the code's first digit), to filter alerts by in GitHub.
_FAMILY_TAGS = {"5": "async", "6": "typing", "7": "security", "8": "migrations", "9": "tests"}


def sarif_rule(rule: Rule) -> dict[str, Any]:
    """A ``reportingDescriptor`` as GitHub code scanning shows it."""
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": _cap(rule.name, SARIF_MAX_NAME),
        "shortDescription": {"text": _cap(_first_sentence(rule.summary), SARIF_MAX_DESCRIPTION)},
        "fullDescription": {"text": _cap(rule.summary, SARIF_MAX_DESCRIPTION)},
        "defaultConfiguration": {"level": "error" if rule.default_on else "warning"},
        "help": {
            "text": f"{rule.summary}\n\nWhy: {rule.rationale}\n\nHow to fix: {rule.fix}",
            "markdown": render_rule(rule),
        },
        "properties": {"tags": ["fastapi-layers", _FAMILY_TAGS.get(rule.code[3], "architecture")]},
    }
    url = rule_url(rule)
    if url:
        descriptor["helpUri"] = url
    return descriptor


def _utf16_width(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf16_column(source: str, offset: int) -> int:
    """The 1-based UTF-16 column (SARIF's default unit) of a UTF-8 offset in ``source``."""
    prefix = source.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore")
    return _utf16_width(prefix) + 1


def repository_root(start: str | None = None) -> str:
    """The nearest directory at or above ``start`` (the current one) holding
    ``.git``, else ``start``: where GitHub's relative paths start."""
    here = os.path.abspath(start or os.curdir)
    current = here
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return here
        current = parent


def _artifact(path: str, base: str) -> dict[str, str]:
    """A file's ``artifactLocation``: relative to ``base`` under ``%SRCROOT%``,
    or an absolute ``file:`` URI for a file outside it."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, base)
    except ValueError:  # another drive
        relative = os.pardir
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return {"uri": _file_uri(absolute)}
    quoted = urllib.parse.quote(os.fsencode(relative.replace(os.sep, "/")), safe="/")
    return {"uri": quoted, "uriBaseId": "%SRCROOT%"}


def _file_uri(absolute: str) -> str:
    return "file://" + urllib.parse.quote(os.fsencode(absolute.replace(os.sep, "/")), safe="/:")


def format_sarif(
    results: Sequence[FileResult],
    warn: Callable[[str], None] = lambda line: None,
    base: str | None = None,
) -> str:
    """SARIF 2.1.0 as GitHub code scanning reads it: every rule with its help,
    each result with its rule, its location relative to the repository root
    (``%SRCROOT%``) and a ``primaryLocationLineHash`` that survives line moves.
    Findings beyond GitHub's limit per run are left out, with a ``warn``-ing."""
    base = base or repository_root()
    rules = CATALOGUE.sorted()[:SARIF_MAX_RULES]
    index = {rule.code: i for i, rule in enumerate(rules)}
    sarif_results: list[dict[str, Any]] = []
    total = 0
    for result in results:
        artifact = _artifact(result.path, base)
        prints = fingerprints(artifact["uri"], result.findings)
        for finding, (hashed, occurrence) in zip(result.findings, prints):
            total += 1
            if len(sarif_results) >= SARIF_MAX_RESULTS:
                continue
            start = _utf16_column(finding.source, finding.col)
            # the region runs to the end of the line: the checks report a point
            end = max(start + 1, _utf16_width(finding.source.rstrip()) + 1)
            entry: dict[str, Any] = {
                "ruleId": finding.code,
                "level": "error",
                "message": {"text": finding.text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact,
                            "region": {
                                "startLine": finding.line,
                                "startColumn": start,
                                "endLine": finding.line,
                                "endColumn": end,
                            },
                        }
                    }
                ],
                "partialFingerprints": {"primaryLocationLineHash": f"{hashed}:{occurrence}"},
            }
            if finding.code in index:
                entry["ruleIndex"] = index[finding.code]
            sarif_results.append(entry)
    if total > SARIF_MAX_RESULTS:
        warn(
            f"fastapi-layers: the SARIF report holds the first {SARIF_MAX_RESULTS:,} of "
            f"{total:,} findings (GitHub code scanning's limit per run); narrow the "
            "selection or check fewer paths"
        )
    errors = [result.error for result in results if result.error]
    driver: dict[str, Any] = {"name": TOOL_NAME, "semanticVersion": __version__}
    if rules_doc_url():
        driver["informationUri"] = rules_doc_url()
    driver["rules"] = [sarif_rule(rule) for rule in rules]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _file_uri(base.rstrip(os.sep) + os.sep)}},
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": line}} for line in errors
                ],
            }
        ],
        "columnKind": "utf16CodeUnits",
        "results": sarif_results,
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- statistics -----------------------------------------------------------------------------


def format_statistics(results: Sequence[FileResult]) -> str:
    """flake8's ``--statistics`` (count, code, the first message in sorted
    order) and then the findings and files per layer."""
    per_code: dict[str, list[str]] = {}
    per_layer: dict[str | None, list[int]] = {}
    for result in results:
        if not result.findings:
            continue
        counts = per_layer.setdefault(result.layer, [0, 0])
        counts[0] += len(result.findings)
        counts[1] += 1
        for finding in result.findings:
            per_code.setdefault(finding.code, []).append(finding.text)
    if not per_code:
        return ""
    lines = [
        f"{len(messages):<5} {code} {min(messages)}" for code, messages in sorted(per_code.items())
    ]
    order = {name: i for i, name in enumerate(LAYERS)}
    lines += ["", f"{'layer':<14}{'findings':>9}{'files':>7}"]
    for layer, (findings, files) in sorted(
        per_layer.items(), key=lambda item: (order.get(item[0] or "", len(order)), item[0] or "")
    ):
        lines.append(f"{layer or '(no layer)':<14}{findings:>9}{files:>7}")
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[FileResult]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}

__all__ = [
    "FORMATS",
    "FileResult",
    "Reported",
    "fingerprints",
    "format_github",
    "format_json",
    "format_sarif",
    "format_statistics",
    "format_text",
    "rules_doc_url",
]
