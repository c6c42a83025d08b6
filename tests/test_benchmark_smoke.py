"""A tiny smoke run of the benchmark harness (benchmarks/) on generated files.

CI does not run the full benchmark (minutes, a download of the corpus); this
runs every harness function once on a few generated modules, in seconds, with
no timing assertions: the numbers only have to exist.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import bench, precision  # noqa: E402
from benchmarks.corpus import APPS, CorpusApp, CorpusError  # noqa: E402
from benchmarks.prepare import CONFIG_DIR, install_config, project_dir  # noqa: E402

ROUTER = """\
from __future__ import annotations

from fastapi import APIRouter, HTTPException

from app.repositories.user_repository import UserRepository

router = APIRouter()


@router.get("/users/{user_id}")
def read_user(user_id: int, db=None):
    user = db.get(UserRepository, user_id)
    if user is None:
        raise HTTPException(404)
    return user
"""

SERVICE = """\
import time


async def slow(n: int) -> int:
    time.sleep(n)
    return n
"""


@pytest.fixture
def fake_app(tmp_path: Path) -> CorpusApp:
    """A corpus-shaped app: ``<cache>/lnbits/lnbits/...`` (a name from APPS)."""
    spec = APPS[0]
    project = tmp_path / spec.name
    root = project / spec.subdir
    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/routers/users.py": ROUTER,
        "app/services/user_service.py": SERVICE,
        "app/repositories/user_repository.py": "class UserRepository:\n    pass\n",
    }
    for i in range(3):
        files[f"app/services/generated_{i}.py"] = SERVICE.replace("slow", f"slow_{i}")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    python_files = sorted(p for p in root.rglob("*.py"))
    return CorpusApp(spec.name, spec.version, root, python_files)


def _paths(app: CorpusApp) -> list[str]:
    return [str(p) for p in app.python_files]


def test_measure_checks_in_process(fake_app: CorpusApp) -> None:
    run = bench.measure_checks(_paths(fake_app))
    assert run.files == len(fake_app.python_files)
    assert run.lines > 0
    assert run.findings > 0
    assert run.crashes == []
    parse_only = bench.measure_checks(_paths(fake_app), parse_only=True)
    assert parse_only.findings == 0 and parse_only.files == run.files


def test_unparsable_file_is_skipped_not_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n", encoding="utf-8")
    run = bench.measure_checks([str(broken)])
    assert run.unparsable == [str(broken)] and run.crashes == []


def test_worker_subprocess_and_scaling(fake_app: CorpusApp, tmp_path: Path) -> None:
    single = bench.run_checks_worker(_paths(fake_app))
    assert single.files == len(fake_app.python_files) and single.crashes == []
    doubled = bench.scaled_corpus([fake_app], 2, tmp_path)
    assert len(doubled) == 2 * len(fake_app.python_files)
    assert len(set(doubled)) == len(doubled)  # distinct paths
    run = bench.run_checks_worker(doubled)
    assert run.files == len(doubled) and run.findings == 2 * single.findings


def test_flake8_with_and_without_the_plugin(fake_app: CorpusApp) -> None:
    roots = [str(fake_app.root)]
    without = bench.run_flake8(roots, plugin=False)
    with_ = bench.run_flake8(roots, plugin=True)
    assert without.fal_reported == 0
    assert with_.fal_reported > 0
    assert with_.reported - with_.fal_reported == without.reported  # same flake8 otherwise


def test_family_costs_and_report(fake_app: CorpusApp) -> None:
    families = bench.family_costs(_paths(fake_app))
    assert "walk" in families and len(families) > 1
    checks = [bench.measure_checks(_paths(fake_app)) for _ in range(2)]
    results = bench.Results(
        apps=[(fake_app.name, fake_app.version, len(fake_app.python_files), 100)],
        runs=2,
        flake8_runs=1,
        checks=checks,
        parse_only=bench.measure_checks(_paths(fake_app), parse_only=True),
        flake8_without=[bench.Flake8Run(False, 2.0, 2.1, 40.0, 10, 0)],
        flake8_with=[bench.Flake8Run(True, 2.1, 2.2, 41.0, 12, 2)],
        scaling={1: checks, 2: checks},
        families=families,
        command="python benchmarks/bench.py --smoke",
    )
    report = bench.format_report(results)
    for needle in ("FAL checks alone", "`ast.parse`", "with the plugin", "Scaling", "Crashes: 0"):
        assert needle in report


def test_precision_sample_verdicts_and_table(fake_app: CorpusApp, tmp_path: Path) -> None:
    findings, crashes, files, lines = precision.collect([fake_app])
    assert crashes == [] and files == len(fake_app.python_files) and findings
    chosen = precision.sample(findings, per_code=1, seed=1)
    assert len({f.code for f in chosen}) == len(chosen)  # one per code
    assert chosen == precision.sample(findings, per_code=1, seed=1)  # deterministic
    first = chosen[0]
    verdicts_file = tmp_path / "verdicts.toml"
    verdicts_file.write_text(
        "[[finding]]\n"
        f'code = "{first.code}"\napp = "{first.app}"\nfile = "{first.file}"\nline = {first.line}\n'
        'verdict = "false"\nreason = "smoke"\n',
        encoding="utf-8",
    )
    verdicts = precision.load_verdicts(verdicts_file)
    assert verdicts[first.key].true is False
    review = tmp_path / "review.md"
    assert precision.write_review(review, chosen, verdicts) == len(chosen)
    assert "PENDING" in review.read_text(encoding="utf-8")
    table = precision.format_precision(
        [fake_app], findings, chosen, verdicts, crashes, files, lines, "cmd", 1, 1
    )
    assert f"| {first.code} |" in table and "smoke" in table


def test_bad_verdicts_file_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "verdicts.toml"
    bad.write_text('[[finding]]\ncode = "FAL101"\n', encoding="utf-8")
    with pytest.raises(CorpusError):
        precision.load_verdicts(bad)


def test_committed_configs_and_verdicts_are_valid(fake_app: CorpusApp) -> None:
    names = {spec.name for spec in APPS}
    # a missing file reads as empty (load_verdicts, load_notes): the loops would test nothing
    configs = sorted(CONFIG_DIR.glob("*.toml"))
    assert configs, f"no config in {CONFIG_DIR}"
    for config in configs:
        assert config.stem in names, f"{config.name}: not an app of the corpus"
    target = install_config(fake_app)  # writes (and validates) lnbits' config
    assert target == project_dir(fake_app) / "pyproject.toml" and target.is_file()
    verdicts = precision.load_verdicts()
    assert verdicts, "benchmarks/verdicts.toml holds no verdict"
    for verdict in verdicts.values():
        assert verdict.app in names and verdict.reason
    # notes are per code, plus the hold-out check of the sample
    notes = precision.load_notes()
    assert notes and all(key.startswith("FAL") or key == "Hold-out" for key in notes)


# --------------------------------------------------------------------------
# held-out apps (benchmarks/heldout.py)


def test_heldout_table_is_apart_from_the_corpus() -> None:
    from benchmarks.corpus import HELDOUT_APPS, spec_of

    corpus = {spec.name for spec in APPS}
    assert HELDOUT_APPS and not corpus & {spec.name for spec in HELDOUT_APPS}
    assert all(spec_of(spec.name) is spec for spec in (*APPS, *HELDOUT_APPS))
    with pytest.raises(CorpusError):
        spec_of("no-such-app")


def test_heldout_pip_download_asks_for_the_apps_python(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from benchmarks import corpus

    seen: list[list[str]] = []

    def fake_run(command: list[str], **_: object) -> object:
        seen.append(command)
        return None

    monkeypatch.setattr(corpus.subprocess, "run", fake_run)
    spec = corpus.AppSpec("x", "1.0", "x", "why", python="3.12")
    corpus._pip_download(spec, tmp_path, binary=True)
    corpus._pip_download(spec, tmp_path, binary=False)
    assert seen[0][-3:] == ["--python-version", "3.12", "x==1.0"]
    assert "--python-version" not in seen[1]  # an sdist cannot be fetched for another Python


@pytest.fixture
def heldout_app(tmp_path: Path) -> CorpusApp:
    """A held-out-shaped app: ``<cache>/chromadb/chromadb/...`` (a HELDOUT_APPS name)."""
    from benchmarks.corpus import HELDOUT_APPS

    spec = HELDOUT_APPS[-1]
    root = tmp_path / spec.name / spec.subdir
    files = {
        "__init__.py": "",
        "routers/users.py": ROUTER,
        "services/user_service.py": SERVICE,
        "repositories/user_repository.py": "class UserRepository:\n    pass\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return CorpusApp(spec.name, spec.version, root, sorted(root.rglob("*.py")))


def _heldout_entry(f: precision.CorpusFinding, text: str, verdict: str, line: int, phase: str = "before") -> str:
    cause = 'cause = "wrong layer"\n' if verdict == "false" else ""
    return (
        "[[finding]]\n"
        f'code = "{f.code}"\napp = "{f.app}"\nfile = "{f.file}"\nline = {line}\ntext = "{text}"\n'
        f'verdict = "{verdict}"\n{cause}phase = "{phase}"\ncommit = "abc1234"\nreason = "smoke"\n'
    )


def test_heldout_zero_config_match_freeze_and_report(heldout_app: CorpusApp, tmp_path: Path) -> None:
    from benchmarks import heldout

    pyproject = heldout.install_pyproject(heldout_app)
    text = pyproject.read_text(encoding="utf-8")
    assert "[tool.fastapi-layers]" not in text.replace("no [tool.fastapi-layers] table", "")
    assert 'requires-python = ">=3.9"' in text
    findings, crashes, files, lines = precision.collect([heldout_app])
    assert crashes == [] and findings
    chosen = precision.sample(findings, per_code=1, seed=heldout.DEFAULT_SEED)
    first, second = chosen[0], chosen[1]
    source = Path(first.path).read_text(encoding="utf-8").splitlines()
    first_hash = heldout.line_hash(source[first.line - 1])
    assert heldout.line_hash("  a   b ") == heldout.line_hash("a b")
    # the first verdict sits 3 lines off (the line moved): matched by its text;
    # the second has the wrong text: not matched
    verdicts_file = tmp_path / "heldout_verdicts.toml"
    verdicts_file.write_text(
        _heldout_entry(first, first_hash, "false", first.line + 3)
        + _heldout_entry(second, "000000000000", "true", second.line),
        encoding="utf-8",
    )
    verdicts = heldout.load_heldout_verdicts(verdicts_file)
    matched = heldout.match_verdicts(chosen, verdicts)
    assert set(matched) == {first.key} and matched[first.key].cause == "wrong layer"
    review = tmp_path / "review.md"
    count = precision.write_review(
        review, chosen, {k: v.as_verdict() for k, v in matched.items()}, only_pending=True,
        verdicts_file="heldout_verdicts.toml", extra=lambda f: ['phase = "after"'],
    )
    assert count == len(chosen) - 1 and 'phase = "after"' in review.read_text(encoding="utf-8")
    before_file = tmp_path / "before.json"
    heldout.freeze_before(before_file, "abc1234", findings, chosen, files, lines)
    before = heldout.load_before(before_file)
    assert before is not None and before.commit == "abc1234" and len(before.sample) == len(chosen)
    report = heldout.format_heldout(
        [heldout_app], findings, chosen, matched, verdicts, before, crashes, files, lines,
        "cmd", "def5678", 1, heldout.DEFAULT_SEED,
    )
    for needle in ("Before: the rules at abc1234", "After: the rules at def5678", "wrong layer 1",
                   "architecture (FAL1xx-FAL4xx)", "have no verdict yet", f"| {first.code} |"):
        assert needle in report


@pytest.mark.parametrize(
    "entry",
    [
        'verdict = "false"\nphase = "before"',  # a false alarm without a cause
        'verdict = "true"\ncause = "other"\nphase = "before"',  # a cause on a true finding
        'verdict = "true"\nphase = "later"',  # an unknown phase
    ],
)
def test_bad_heldout_verdicts_are_a_clean_error(tmp_path: Path, entry: str) -> None:
    from benchmarks import heldout

    bad = tmp_path / "v.toml"
    bad.write_text(
        '[[finding]]\ncode = "FAL101"\napp = "a"\nfile = "f.py"\nline = 1\ntext = "x"\n'
        f'{entry}\ncommit = "c"\nreason = "r"\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError):
        heldout.load_heldout_verdicts(bad)


def test_committed_heldout_verdicts_and_before_run_are_valid() -> None:
    from benchmarks import heldout
    from benchmarks.corpus import HELDOUT_APPS

    names = {spec.name for spec in HELDOUT_APPS}
    verdicts = heldout.load_heldout_verdicts()
    before = heldout.load_before()
    assert before is not None and verdicts
    assert all(v.app in names and v.commit for v in verdicts)
    judged_before = {(v.code, v.app, v.file, v.line) for v in verdicts if v.phase == "before"}
    assert judged_before == set(before.sample)  # the before sample is judged in full
