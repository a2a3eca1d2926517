"""scrtool check redaction: exit codes, stderr sentences and the --json shape."""

from __future__ import annotations

import json
import shutil

import pytest
from json_helpers import only_error_document
from redaction_docs import (
    CLEAN_PARAGRAPHS,
    build_docx,
    build_pdf,
    docx_comment,
    pdf_writer,
    save_writer,
)


@pytest.fixture
def clean_docx(tmp_path):
    return build_docx(tmp_path / "clean.docx", paragraphs=CLEAN_PARAGRAPHS)


@pytest.fixture
def case_dir(tmp_path):
    target = tmp_path / "case"
    shutil.copytree("samples", target, ignore=shutil.ignore_patterns("returns", "working"))
    return target


def test_a_clean_report_passes(invoke, clean_docx, case_dir):
    result = invoke("check", "redaction", clean_docx, "--case", case_dir)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "passed" in result.stdout
    assert "Redaction check passed" in result.stdout
    assert result.stderr == ""


def test_findings_exit_1_with_place_kind_and_text(invoke, tmp_path, case_dir):
    path = build_docx(
        tmp_path / "r.docx", docx_comment("Ask Dean Voss"), paragraphs=["Stacey Harrowgate came."]
    )
    result = invoke("check", "redaction", path, "--case", case_dir)
    assert result.exit_code == 1
    assert "FAILED" in result.stdout
    assert "paragraph 1: name: Stacey Harrowgate" in result.stdout
    assert "comment 1 by Reviewer One: comment: Ask Dean Voss" in result.stdout
    assert "Redaction check failed: 1 of 1 file" in result.stdout
    assert "Traceback" not in result.stderr


def test_terms_file_adds_names(invoke, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("Seen by Jo Example on Monday.", encoding="utf-8")
    terms = tmp_path / "terms.txt"
    terms.write_text("# names\nJo Example\n", encoding="utf-8")
    assert invoke("check", "redaction", report).exit_code == 0
    result = invoke("check", "redaction", report, "--terms", terms, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["files"][0]["findings"] == [
        {
            "kind": "name",
            "text": "Jo Example",
            "location": "line 1",
            "severity": "high",
            "advice": "replace it with the pseudonym or remove it, and save it again",
        }
    ]


def test_json_shape(invoke, tmp_path, clean_docx, case_dir):
    bad = tmp_path / "bad.md"
    bad.write_text("Call 07700 900123.", encoding="utf-8")
    result = invoke("check", "redaction", clean_docx, bad, "--case", case_dir, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"passed", "files"}
    assert data["passed"] is False
    assert [f["passed"] for f in data["files"]] == [True, False]
    assert data["files"][1]["findings"][0] == {
        "kind": "phone",
        "text": "07700 900123",
        "location": "line 1",
        "severity": "high",
        "advice": "replace it with the pseudonym or remove it, and save it again",
    }
    assert result.stderr == ""


def test_low_findings_alone_pass(invoke, tmp_path):
    path = build_pdf(tmp_path / "p.pdf")
    writer = pdf_writer(path)
    writer.add_metadata({"/Producer": "Microsoft Word", "/Title": "Overview report"})
    out = save_writer(writer, tmp_path / "p2.pdf")
    result = invoke("check", "redaction", out, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["passed"] is True
    assert {f["severity"] for f in data["files"][0]["findings"]} == {"low"}


def test_an_encrypted_pdf_is_exit_2(invoke, tmp_path):
    writer = pdf_writer(build_pdf(tmp_path / "x.pdf"))
    writer.encrypt("secret")
    path = save_writer(writer, tmp_path / "enc.pdf")
    result = invoke("check", "redaction", path)
    assert result.exit_code == 2
    assert "must be sent unencrypted" in result.stderr
    assert "enc.pdf" in result.stderr
    assert only_error_document(result)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.docx", b"not a zip at all", "is not a Word document"),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "must be sent unencrypted",
        ),
        ("empty.pdf", b"", "is empty"),
        ("bad.pdf", b"%PDF-1.4\n garbage", "damaged"),
        ("empty.txt", b"", "is empty"),
    ],
)
def test_unreadable_files_are_exit_2(invoke, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("check", "redaction", path, "--json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert only_error_document(result)


def test_missing_inputs_are_exit_2(invoke, tmp_path, clean_docx):
    result = invoke("check", "redaction", tmp_path / "missing.docx")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    result = invoke("check", "redaction", clean_docx, "--terms", tmp_path / "none.txt")
    assert result.exit_code == 2
    assert "none.txt" in result.stderr and "--terms" in result.stderr
    result = invoke("check", "redaction", clean_docx, "--case", tmp_path / "nocase")
    assert result.exit_code == 2


def test_wrong_file_type_is_exit_2(invoke, tmp_path):
    path = tmp_path / "report.odt"
    path.write_bytes(b"x")
    result = invoke("check", "redaction", path)
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_no_color_is_honoured(invoke, tmp_path, monkeypatch):
    path = tmp_path / "r.txt"
    path.write_text("Call 07700 900123.", encoding="utf-8")
    monkeypatch.setenv("NO_COLOR", "1")
    result = invoke("check", "redaction", path, color=True)
    assert "\x1b[" not in result.stdout


def test_the_sample_case_register_is_used_from_the_current_folder(
    invoke, tmp_path, case_dir, monkeypatch
):
    path = tmp_path / "r.txt"
    path.write_text("Kayden went to Brambleford Primary School.", encoding="utf-8")
    monkeypatch.chdir(case_dir)
    result = invoke("check", "redaction", path, "--json")
    assert result.exit_code == 1
    texts = {f["text"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert texts == {"Kayden", "Brambleford Primary School"}


def test_a_name_on_a_run_of_pages_is_one_line_for_people_and_every_page_in_json(invoke, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "header.pdf"
    c = canvas.Canvas(str(path))
    for number in range(1, 7):
        c.drawString(72, 800, "Prepared for Stacey Harrowgate" if number > 1 else "Title page")
        c.drawString(72, 700, f"Page {number} of the review of Child A.")
        c.showPage()
    c.save()
    terms = tmp_path / "terms.txt"
    terms.write_text("Stacey Harrowgate\n", encoding="utf-8")
    result = invoke("check", "redaction", path, "--terms", terms)
    assert result.exit_code == 1
    assert "pages 2 to 6 (5 pages): name: Stacey Harrowgate" in result.stdout
    assert "page 3: name" not in result.stdout
    data = json.loads(invoke("check", "redaction", path, "--terms", terms, "--json").stdout)
    pages = [f["location"] for f in data["files"][0]["findings"] if f["kind"] == "name"]
    assert pages == [f"page {n}" for n in range(2, 7)]


def test_a_pass_with_low_findings_says_to_look_them_over(invoke, tmp_path):
    path = tmp_path / "r.md"
    path.write_text("Call the council switchboard on 01632 960000.\n", encoding="utf-8")
    result = invoke("check", "redaction", path)
    assert result.exit_code == 0
    assert "low    line 1: phone: 01632 960000" in result.stdout
    assert "look over the low findings" in result.stdout


def _cut_short_pdf(tmp_path):
    full = build_pdf(tmp_path / "full.pdf", lines=["A line of the report about Child A."])
    data = full.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    return cut


def _workbook_named_docx(tmp_path):
    import openpyxl

    path = tmp_path / "sheet.docx"
    openpyxl.Workbook().save(path)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [(_cut_short_pdf, "damaged"), (_workbook_named_docx, "Excel or PowerPoint")],
)
@pytest.mark.parametrize("check", ["redaction", "readability"])
def test_a_cut_short_pdf_or_a_workbook_is_one_plain_sentence(
    invoke, tmp_path, make, message, check
):
    """pypdf's "EOF marker not found" log line stayed on stderr; a workbook renamed
    .docx was read as a Word document with only its properties, and failed on them."""
    path = make(tmp_path)
    terms = tmp_path / "terms.txt"
    terms.write_text("Stacey Harrowgate\n", encoding="utf-8")
    extra = ["--terms", terms] if check == "redaction" else []
    result = invoke("check", check, path, *extra)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    assert (message in lines[0]) or check == "readability"


def test_a_terms_file_with_no_names_is_exit_2(invoke, tmp_path, clean_docx):
    terms = tmp_path / "terms.txt"
    terms.write_text("# the names go here\n\n", encoding="utf-8")
    result = invoke("check", "redaction", clean_docx, "--terms", terms)
    assert result.exit_code == 2
    assert "terms.txt: has no names in it" in result.stderr
    assert only_error_document(result)


def test_with_no_names_to_look_for_a_note_says_so_on_stderr(invoke, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("A clean line about Child A.\n", encoding="utf-8")
    result = invoke("check", "redaction", path, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["passed"] is True
    assert "No real names to look for" in result.stderr


def test_the_text_report_gives_each_findings_advice_as_package_does(invoke, tmp_path):
    from scrtool.checks.redaction import DEFAULT_ADVICE

    bad = tmp_path / "bad.md"
    bad.write_text("Call 07700 900123.\n\n<!-- Dean Voss -->\n", encoding="utf-8")
    result = invoke("check", "redaction", bad)
    assert result.exit_code == 1
    assert DEFAULT_ADVICE in result.stdout
    assert "delete the hidden text" in result.stdout
