"""``scrtool demo`` end to end: every step on the sample case, twice, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from json_helpers import only_error_document

from scrtool.demo import STEPS, StepResult, run_demo


def _run(*args: object):
    from click.testing import CliRunner

    from scrtool.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The demo run once for people and once with --json, into two new folders."""
    base = tmp_path_factory.mktemp("demo")
    text = _run("demo", base / "first")
    as_json = _run("demo", base / "second", "--json")
    return base, text, as_json


@pytest.mark.libreoffice
def test_every_step_runs_cleanly(two_runs):
    base, text, _ = two_runs
    assert text.exit_code == 0, text.stdout + text.stderr
    assert f"All {len(STEPS)} steps ran cleanly." in text.stdout
    assert f"The demo case is in {base / 'first'}." in text.stdout
    for step in ("collate", "screen", "reviewers", "timetable", "actions", "summary"):
        assert f"\n{step}: " in "\n" + text.stdout
    # Every path the demo names exists.
    listed = [line.strip() for line in text.stdout.splitlines() if line.startswith("  /")]
    assert listed and all(Path(p).is_file() for p in listed)


@pytest.mark.libreoffice
def test_json_is_one_document_and_progress_goes_to_stderr(two_runs):
    base, _, result = two_runs
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)  # exactly one document: extra text would not parse
    assert set(doc) == {"case_dir", "steps"}
    assert doc["case_dir"] == str(base / "second")
    assert len(doc["steps"]) == len(STEPS)
    for step in doc["steps"]:
        assert set(step) == {"step", "summary", "outputs", "exit_code"}
        assert step["exit_code"] == 0, step
        assert all(isinstance(p, str) for p in step["outputs"])
    assert "collate: " in result.stderr


@pytest.mark.libreoffice
def test_two_runs_make_the_same_files(two_runs):
    base, _, _ = two_runs

    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    first, second = files(base / "first"), files(base / "second")
    assert first == second
    assert "working/reviews-summary.xlsx" in first
    assert "submission/manifest.json" in first


@pytest.mark.libreoffice
def test_the_summary_step_describes_the_sample(two_runs):
    _, _, result = two_runs
    step = next(s for s in json.loads(result.stdout)["steps"] if s["step"] == "summary")
    assert "completed in 172 days; outside six months (counted to publication)" in step["summary"]
    assert "panel copy sent on time" in step["summary"]
    assert "12 actions, 2 overdue" in step["summary"]
    reviewers = next(s for s in json.loads(result.stdout)["steps"] if s["step"] == "reviewers")
    assert "Morgan Ellery, has no link with any agency involved" in reviewers["summary"]
    assert "Jordan Pell has a link to record" in reviewers["summary"]


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(invoke, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = invoke("demo", target)
    assert result.exit_code == 2
    assert "not empty" in result.stderr and "Traceback" not in result.stderr
    assert only_error_document(result)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert (target / "keep.txt").read_text() == "mine"


def test_a_file_is_refused(invoke, tmp_path):
    target = tmp_path / "demo.txt"
    target.write_text("x")
    result = invoke("demo", target, "--json")
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr
    assert only_error_document(result) and target.read_text() == "x"


def test_an_empty_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.setattr("scrtool.demo.STEPS", [])
    (tmp_path / "empty").mkdir()
    result = run_demo(tmp_path / "empty")
    assert (result.case_dir / "case.toml").is_file()


@pytest.mark.parametrize("existed", [False, True])
def test_a_disk_that_fills_up_while_copying_leaves_nothing(invoke, tmp_path, monkeypatch, existed):
    """Half a copy would be refused next time as "not empty": it is taken away again."""
    import errno
    import shutil

    real = shutil.copytree

    def full(*args, **kwargs):
        real(*args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copytree", full)
    target = tmp_path / "demo"
    if existed:
        target.mkdir()
    result = invoke("demo", target)
    assert result.exit_code == 2
    assert "could not be copied" in result.stderr and "No space left" in result.stderr
    assert "Traceback" not in result.stderr
    assert (list(target.iterdir()) == []) if existed else not target.exists()


def _failing_step(case):
    from scrtool.errors import InputError

    raise InputError("went wrong", file=case.file, advice="fix it")


def _good_step(case):
    return StepResult(step="good", summary="fine")


def test_a_step_that_fails_does_not_stop_the_others_and_exit_is_1(invoke, tmp_path, monkeypatch):
    monkeypatch.setattr("scrtool.demo.STEPS", [_failing_step, _good_step])
    result = invoke("demo", tmp_path / "d")
    assert result.exit_code == 1
    assert "could not run: " in result.stdout and "went wrong" in result.stdout
    assert "good: fine" in result.stdout
    assert "1 of 2 steps ran cleanly; see above for failing." in result.stdout


@pytest.mark.libreoffice
def test_the_demo_publishes_the_finished_report_as_accessible_pdf(two_runs):
    """The website copy of the sample report: tagged, titled, en-GB, bookmarked, nobody's
    name in its properties, and every rule of the accessibility check holds."""
    import subprocess

    from pypdf import PdfReader

    from scrtool.checks.accessibility import check_accessibility

    base, text, _ = two_runs
    website = base / "first" / "website"
    pdfs = sorted(website.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["NS-2026-01-report.pdf", "NS-2026-01-response.pdf"]
    assert "\npublish: made the website copy" in "\n" + text.stdout
    report = check_accessibility(pdfs)
    assert report.passed and not any(f.findings for f in report.files)
    for pdf in pdfs:
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en-GB"
        assert "/StructTreeRoot" in root
        assert set(reader.metadata) <= {"/Title", "/Producer", "/CreationDate"}
        # A title that says which review this is (WCAG 2.4.2), filled from the case.
        assert reader.metadata["/Title"].endswith("the review about Child A")
        assert len(reader.outline) >= 3
        assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
        words = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Child A" in words
    first = PdfReader(pdfs[0])
    assert [o.title for o in first.outline if not isinstance(o, list)][:2] == [
        "Summary",
        "Why the review was held",
    ]
