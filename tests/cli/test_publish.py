"""scrtool publish from the command line: exit codes, stderr and the --json shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from json_helpers import only_error_document
from publish_docs import make_review_docx

REF = "NS-2026-01"

pytestmark = pytest.mark.libreoffice

CASE_TOML = """\
[review]
ref = "NS-2026-01"
type = "lcspr"
initiated = 2026-02-02

[register]
names = ["Dean Voss"]
"""


def test_publish_from_flags_says_what_it_wrote(invoke, tmp_path):
    report = make_review_docx(tmp_path / "report.docx")
    out = tmp_path / "website"
    result = invoke("publish", "--ref", REF, "--report", report, "--output", out)
    assert result.exit_code == 0, result.stderr
    target = out / f"{REF}-report.pdf"
    assert target.is_file()
    assert f"Published review {REF} for the website" in result.stdout
    assert f"wrote {target} (1 page)" in result.stdout
    assert result.stderr == ""


def test_a_document_open_in_word_is_published_as_last_saved_with_a_note(invoke, tmp_path):
    report = make_review_docx(tmp_path / "overview-report.docx")
    (tmp_path / "~$erview-report.docx").write_bytes(b"owner")
    out = tmp_path / "website"
    result = invoke("publish", "--ref", REF, "--report", report, "--output", out)
    assert result.exit_code == 0, result.stderr
    assert "overview-report.docx is open in Word or LibreOffice" in result.stderr


def test_json_lists_the_outputs_and_the_checks(invoke, tmp_path):
    report = make_review_docx(tmp_path / "report.docx")
    response = make_review_docx(tmp_path / "response.docx", title="Our response")
    out = tmp_path / "website"
    result = invoke(
        "publish", "--ref", REF, "--report", report, "--response", response,
        "--output", out, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc) == ["outputs", "checks"]
    assert [o["file"] for o in doc["outputs"]] == [f"{REF}-report.pdf", f"{REF}-response.pdf"]
    assert all(set(o) == {"file", "pages", "sha256"} for o in doc["outputs"])
    assert doc["checks"]["accessibility"]["passed"] is True
    assert doc["checks"]["published_accessibility"]["passed"] is True


def test_a_case_folder_publishes_from_final(invoke, tmp_path, monkeypatch):
    root = tmp_path / "case"
    (root / "final").mkdir(parents=True)
    (root / "case.toml").write_text(CASE_TOML, encoding="utf-8")
    make_review_docx(root / "final" / "overview-report.docx")
    monkeypatch.chdir(root)
    result = invoke("publish", "--output", "website", "--json")
    assert result.exit_code == 0, result.stderr
    assert (root / "website" / f"{REF}-report.pdf").is_file()


def test_a_refusal_is_exit_1_with_the_reasons_on_stderr(invoke, tmp_path):
    bad = make_review_docx(
        tmp_path / "report.docx", title=None, alt_text=None, header_row=False, skip_level=True
    )
    out = tmp_path / "website"
    result = invoke("publish", "--ref", REF, "--report", bad, "--output", out)
    assert result.exit_code == 1
    assert not out.exists()
    assert "Not published: 5 problems to put right first. Nothing was written." in result.stderr
    assert "View Alt Text" in result.stderr
    assert "Repeat Header Rows" in result.stderr
    assert result.stdout == ""

    as_json = invoke("publish", "--ref", REF, "--report", bad, "--output", out, "--json")
    assert as_json.exit_code == 1
    doc = json.loads(as_json.stdout)
    assert doc["refused"] is True and doc["outputs"] == [] and len(doc["problems"]) == 5


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        ("missing", "does not exist"),
        ("pdf", "is a PDF, and publish makes the website copy from the Word document"),
        ("output-file", "is a file, not a folder"),
    ],
)
def test_bad_input_is_exit_2_with_one_sentence(invoke, tmp_path, make, expected):
    report = make_review_docx(tmp_path / "report.docx")
    out = tmp_path / "website"
    if make == "missing":
        report = tmp_path / "gone.docx"
    elif make == "pdf":
        report = tmp_path / "report.pdf"
        report.write_bytes(b"%PDF-1.4\n")
    else:
        out = tmp_path / "a-file"
        out.write_text("x", encoding="utf-8")
    result = invoke("publish", "--ref", REF, "--report", report, "--output", out)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

    as_json = invoke("publish", "--ref", REF, "--report", report, "--output", out, "--json")
    assert as_json.exit_code == 2
    assert only_error_document(as_json)
    assert expected in json.loads(as_json.stdout)["error"]


def test_no_output_folder_is_exit_2(invoke, tmp_path):
    report = make_review_docx(tmp_path / "report.docx")
    result = invoke("publish", "--ref", REF, "--report", report)
    assert result.exit_code == 2
    assert "no output folder was given; name the folder for the website copy with --output" in (
        result.stderr
    )


def test_libreoffice_missing_is_exit_2(invoke, tmp_path, monkeypatch):
    report = make_review_docx(tmp_path / "report.docx")
    monkeypatch.setenv("SCRTOOL_SOFFICE", str(tmp_path / "no-soffice"))
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr("scrtool.bundle.convert._install_candidates", lambda: [])
    result = invoke("publish", "--ref", REF, "--report", report, "--output", tmp_path / "w")
    assert result.exit_code == 2
    assert "LibreOffice, which is not installed" in result.stderr
    assert not Path(tmp_path / "w").exists()
