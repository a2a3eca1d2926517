"""scrtool package from the command line: a good bundle, every refusal, every bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from scrtool.bundle import package as bundle
from scrtool.bundle import preflight as bundle_preflight
from scrtool.bundle import request as bundle_request

REF = "NS-2026-01"
PDF_NAME = f"{REF}-panel-submission.pdf"
ZIP_NAME = f"{REF}-panel-submission.zip"

PLAIN = [
    "The health visitor saw the baby at home and wrote down what she saw.",
    "The school told the social worker that the child was often late.",
    "Nobody asked the child what life at home was like.",
    "The family moved house twice in one year, and each move meant a new team.",
    "Staff were kind and worked hard, but they did not always talk to each other.",
    "The review found that the records were clear about the facts.",
    "Each agency has agreed what it will change and by when.",
]

HARD = (
    "Notwithstanding the considerable organisational complexity characterising "
    "multi-agency safeguarding arrangements, the interdisciplinary professional "
    "communication infrastructure demonstrated substantial inconsistencies regarding "
    "information-sharing responsibilities, accountability mechanisms and "
    "documentation standardisation, consequently undermining comprehensive "
    "identification of accumulating vulnerabilities affecting developmental "
    "wellbeing considerations. "
)

CASE_TOML = """\
[review]
ref = "NS-2026-01"
type = "{type}"
partnership = "Northshire Safeguarding Children Partnership"
child = "Child A"
initiated = 2026-02-02
completed = 2026-07-24
publication = 2026-09-14

[register]
names = ["Dean Voss", "Stacey Harrowgate"]
places = ["Larkspur Close"]
allow = ["Child A"]
"""


def write_pdf(path: Path, pages: int, title: str, *, extra: str = "", hard: bool = False) -> Path:
    """A clean PDF (no author or other properties) with plain English on every page."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story: list = []
    for page in range(pages):
        story.append(Paragraph(f"{title}: part {page + 1}", styles["Heading2"]))
        for p in range(4):
            body = (
                HARD * 3 if hard else " ".join(PLAIN[(page + p + i) % len(PLAIN)] for i in range(6))
            )
            story.append(Paragraph(body, styles["BodyText"]))
        if extra and page == pages - 1:
            story.append(Paragraph(extra, styles["BodyText"]))
        story.append(PageBreak())
    SimpleDocTemplate(str(path), author="", creator="", producer="", title="", subject="").build(
        story[:-1]
    )
    return path


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    report = write_pdf(folder / "overview-report.pdf", 4, "Overview report")
    response = write_pdf(folder / "partnership-response.pdf", 2, "Partnership response")
    return report, response


def args_for(report: Path, response: Path, out: Path, *more: object) -> list[object]:
    return [
        "package",
        "--ref", REF,
        "--report", report,
        "--response", response,
        "--publication", "14/09/2026",
        "--sent", "01/09/2026",
        "--output", out,
        *more,
    ]  # fmt: skip


@pytest.fixture
def case_dir(tmp_path, docs):
    root = tmp_path / "case"
    for sub in ("final", "submission", "working"):
        (root / sub).mkdir(parents=True)
    (root / "case.toml").write_text(CASE_TOML.format(type="lcspr"), encoding="utf-8")
    report, response = docs
    shutil.copy(report, root / "final" / report.name)
    shutil.copy(response, root / "final" / response.name)
    return root


def assert_nothing_written(folder: Path) -> None:
    left = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert left == [], left


# --- a good bundle ----------------------------------------------------------------------


def test_good_bundle_from_flags(invoke, docs, tmp_path):
    report, response = docs
    out = tmp_path / "out"
    result = invoke(*args_for(report, response, out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([PDF_NAME, ZIP_NAME, "manifest.json"])
    assert "Packaged review NS-2026-01" in result.stdout
    assert "Traceback" not in result.stderr


def test_json_is_the_manifest_and_matches_the_files(invoke, docs, tmp_path):
    from pypdf import PdfReader

    report, response = docs
    out = tmp_path / "out"
    result = invoke(*args_for(report, response, out, "--json"))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc) == ["case_ref", "created", "documents", "bundle", "checks"]
    assert doc["case_ref"] == REF
    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == doc
    pdf = out / PDF_NAME
    assert doc["bundle"] == {
        "file": PDF_NAME,
        "sha256": bundle_preflight.sha256_file(pdf),
        "pages": len(PdfReader(pdf).pages),
    }
    assert [(d["title"], d["file"], d["pages"], d["first_page"]) for d in doc["documents"]] == [
        ("Review report", "overview-report.pdf", 4, 3),
        ("Partnership response", "partnership-response.pdf", 2, 7),
    ]
    assert doc["documents"][0]["sha256"] == bundle_preflight.sha256_file(report)
    checks = doc["checks"]
    assert checks["redaction"]["passed"] is True
    assert checks["readability"]["passed"] is True and checks["readability"]["skipped"] is False
    assert checks["timetable"] == {
        "passed": True,
        "review_type": "lcspr",
        "publication": "2026-09-14",
        "basis": "planned",
        "panel_copy_due": "2026-09-03",
        "sent": "2026-09-01",
    }
    assert checks["bundle_redaction"]["passed"] is True
    # No path from this computer goes to the Panel.
    assert str(tmp_path) not in json.dumps(doc)
    with zipfile.ZipFile(out / ZIP_NAME) as zf:
        assert zf.namelist() == [PDF_NAME, "manifest.json"]
        assert zf.read(PDF_NAME) == pdf.read_bytes()
        assert json.loads(zf.read("manifest.json")) == doc
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())


def test_bundle_opened_by_real_readers(invoke, docs, tmp_path):
    from pypdf import PdfReader

    report, response = docs
    out = tmp_path / "out"
    assert invoke(*args_for(report, response, out)).exit_code == 0
    pdf_path = out / PDF_NAME
    pdf = PdfReader(pdf_path)
    assert len(pdf.pages) == 8
    assert [o.title for o in pdf.outline] == ["Review report", "Partnership response"]
    assert pdf.page_labels == [str(n) for n in range(1, 9)]
    assert dict(pdf.metadata) == {"/Title": "NS-2026-01 panel submission"}
    assert "/Metadata" not in pdf.trailer["/Root"]
    links = [a.get_object() for a in pdf.pages[1]["/Annots"]]
    assert [pdf.get_page_number(a["/Dest"][0].get_object()) for a in links] == [2, 6]
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(pdf_path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = text.split("\f")[:-1]
        assert len(pages) == 8
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} of 8" in page
        assert "Panel copy due" in pages[0] and "3 September 2026" in pages[0]


def test_case_folder_finds_final_and_writes_submission(invoke, case_dir, monkeypatch):
    result = invoke("package", "--case", case_dir, "--sent", "01/09/2026", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [d["file"] for d in doc["documents"]] == [
        "overview-report.pdf",
        "partnership-response.pdf",
    ]
    assert (case_dir / "submission" / PDF_NAME).is_file()
    # Inside the case folder, no --case is needed.
    monkeypatch.chdir(case_dir)
    again = invoke("package", "--sent", "01/09/2026")
    assert again.exit_code == 0, again.stderr


def test_flags_override_case_toml(invoke, case_dir, tmp_path):
    out = tmp_path / "elsewhere"
    result = invoke(
        "package", "--case", case_dir, "--ref", "NS-2026-99", "--publication", "30/09/2026",
        "--sent", "15/09/2026", "--type", "scr", "--output", out, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["case_ref"] == "NS-2026-99"
    assert doc["checks"]["timetable"]["panel_copy_due"] == "2026-09-23"
    assert (out / "NS-2026-99-panel-submission.pdf").is_file()
    assert_nothing_written(case_dir / "submission")


def test_attachments_follow_the_response(invoke, docs, tmp_path):
    report, response = docs
    appendix = write_pdf(tmp_path / "appendix_1-learning.pdf", 1, "Appendix")
    result = invoke(*args_for(report, response, tmp_path / "out", "--attach", appendix, "--json"))
    assert result.exit_code == 0, result.stderr
    titles = [d["title"] for d in json.loads(result.stdout)["documents"]]
    assert titles == ["Review report", "Partnership response", "Appendix 1 learning"]


def test_other_files_in_final_are_named_on_stderr(invoke, case_dir):
    write_pdf(case_dir / "final" / "appendix.pdf", 1, "Appendix")
    result = invoke("package", "--case", case_dir, "--sent", "01/09/2026")
    assert result.exit_code == 0, result.stderr
    assert "appendix.pdf" in result.stderr and "(add it with --attach)" in result.stderr


def test_a_report_open_in_word_is_named_on_stderr(invoke, case_dir):
    """The lock file is skipped, with a note: the report may still be being changed."""
    (case_dir / "final" / "~$erview-report.pdf").write_bytes(b"owner")
    (case_dir / "final" / ".~lock.partnership-response.pdf#").write_bytes(b"lock")
    result = invoke("package", "--case", case_dir, "--sent", "01/09/2026", "--json")
    assert result.exit_code == 0, result.stderr
    assert "~$erview-report.pdf" in result.stderr and "save and close it" in result.stderr
    assert ".~lock.partnership-response.pdf#" in result.stderr
    assert len(json.loads(result.stdout)["documents"]) == 2


# --- refusals: exit 1, the reasons, nothing written --------------------------------------


def test_redaction_finding_from_the_case_register(invoke, case_dir):
    write_pdf(
        case_dir / "final" / "partnership-response.pdf",
        2,
        "Partnership response",
        extra="Dean Voss moved to Larkspur Close.",
    )
    result = invoke("package", "--case", case_dir, "--sent", "01/09/2026")
    assert result.exit_code == 1
    assert "Dean Voss" in result.stderr and "partnership-response.pdf" in result.stderr
    assert "Nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert_nothing_written(case_dir / "submission")


def test_redaction_finding_from_a_terms_file(invoke, docs, tmp_path):
    report, _ = docs
    response = write_pdf(tmp_path / "response.pdf", 1, "Response", extra="Kayla Brindle came too.")
    terms = tmp_path / "names.txt"
    terms.write_text("# names\nKayla Brindle\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(*args_for(report, response, out, "--terms", terms))
    assert result.exit_code == 1
    assert "Kayla Brindle" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_redaction_findings_cannot_be_skipped(invoke, docs, tmp_path):
    report, _ = docs
    response = write_pdf(tmp_path / "response.pdf", 1, "Response", extra="Call 07700 900123.")
    out = tmp_path / "out"
    result = invoke(*args_for(report, response, out, "--skip-readability"))
    assert result.exit_code == 1
    assert "phone" in result.stderr
    assert not out.exists()


def test_readability_failure_refuses_and_skip_lets_it_through(invoke, docs, tmp_path):
    report, response = docs
    hard = write_pdf(tmp_path / "hard-report.pdf", 2, "Report", hard=True)
    out = tmp_path / "out"
    refused = invoke(*args_for(hard, response, out, "--json"))
    assert refused.exit_code == 1
    assert "hard-report.pdf: readability" in refused.stderr
    assert "--skip-readability" in refused.stderr
    doc = json.loads(refused.stdout)
    assert doc["refused"] is True and doc["checks"]["readability"]["passed"] is False
    assert not out.exists()

    skipped = invoke(*args_for(hard, response, out, "--skip-readability", "--json"))
    assert skipped.exit_code == 0, skipped.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["checks"]["readability"]["skipped"] is True
    assert manifest["checks"]["readability"]["passed"] is False


@pytest.mark.parametrize(
    ("review_type", "sent", "due_text"),
    [
        ("scr", "08/09/2026", "7 September 2026"),  # 7 calendar days before 14 September
        ("lcspr", "04/09/2026", "3 September 2026"),  # 7 working days before
    ],
)
def test_late_panel_copy(invoke, docs, tmp_path, review_type, sent, due_text):
    report, response = docs
    out = tmp_path / "out"
    argv = args_for(report, response, out, "--type", review_type)
    argv[argv.index("--sent") + 1] = sent
    result = invoke(*argv)
    assert result.exit_code == 1
    assert f"due by {due_text}" in result.stderr
    assert "14 September 2026" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("review_type", "sent"), [("scr", "07/09/2026"), ("lcspr", "03/09/2026")])
def test_panel_copy_on_the_day_due_is_on_time(invoke, docs, tmp_path, review_type, sent):
    report, response = docs
    argv = args_for(report, response, tmp_path / "out", "--type", review_type)
    argv[argv.index("--sent") + 1] = sent
    result = invoke(*argv)
    assert result.exit_code == 0, result.stderr


def test_every_failure_is_listed_together(invoke, docs, tmp_path):
    report, _ = docs
    response = write_pdf(tmp_path / "response.pdf", 1, "Response", extra="Dean Voss was there.")
    terms = tmp_path / "names.txt"
    terms.write_text("Dean Voss\n", encoding="utf-8")
    argv = args_for(report, response, tmp_path / "out", "--terms", terms, "--json")
    argv[argv.index("--sent") + 1] = "10/09/2026"
    result = invoke(*argv)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert any("Dean Voss" in p for p in problems)
    assert any("timetable" in p for p in problems)
    assert "2 problems to put right" in result.stderr


def test_sent_defaults_to_today(invoke, docs, tmp_path):
    import datetime as dt

    report, response = docs
    argv = [a for a in args_for(report, response, tmp_path / "out", "--json")]
    i = argv.index("--sent")
    del argv[i : i + 2]
    publication = dt.date.today() + dt.timedelta(days=60)
    argv[argv.index("--publication") + 1] = publication.isoformat()
    result = invoke(*argv)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["checks"]["timetable"]["sent"] == dt.date.today().isoformat()


# --- could not run: exit 2, nothing written ---------------------------------------------


def test_corrupt_pdf(invoke, docs, tmp_path):
    report, _ = docs
    bad = tmp_path / "response.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    out = tmp_path / "out"
    result = invoke(*args_for(report, bad, out))
    assert result.exit_code == 2
    assert "response.pdf" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_truncated_pdf_is_one_plain_sentence(invoke, docs, tmp_path):
    """pypdf logs every oddity of a damaged file; the officer gets one sentence."""
    report, response = docs
    cut = tmp_path / "partnership-response.pdf"
    cut.write_bytes(response.read_bytes()[:3000])
    garbage = tmp_path / "overview-report.pdf"
    garbage.write_bytes(b"not a pdf at all")
    for bad_report, bad_response in ((report, cut), (garbage, response)):
        result = invoke(*args_for(bad_report, bad_response, tmp_path / "out"))
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "is not a PDF that can be read" in lines[0]
        assert "EOF marker" not in result.stderr and "header" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_each_kind_of_hidden_content_gets_advice_that_fits(invoke, docs, tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    report, response = docs
    writer = PdfWriter(clone_from=PdfReader(response))
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
    )
    writer.add_attachment("notes.txt", b"notes")
    scripted = tmp_path / "partnership-response.pdf"
    with scripted.open("wb") as fh:
        writer.write(fh)
    result = invoke(*args_for(report, scripted, tmp_path / "out"))
    assert result.exit_code == 1
    assert "remove the script" in result.stderr
    assert "remove the attached file" in result.stderr
    assert "replace it with the pseudonym" not in result.stderr


def test_encrypted_pdf(invoke, docs, tmp_path):
    from pypdf import PdfReader, PdfWriter

    report, response = docs
    writer = PdfWriter(clone_from=PdfReader(response))
    writer.encrypt("letmein")
    locked = tmp_path / "locked-response.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    out = tmp_path / "out"
    result = invoke(*args_for(report, locked, out))
    assert result.exit_code == 2
    assert "locked-response.pdf" in result.stderr and "password" in result.stderr
    assert not out.exists()


def test_missing_document(invoke, docs, tmp_path):
    report, _ = docs
    result = invoke(*args_for(report, tmp_path / "nope.pdf", tmp_path / "out"))
    assert result.exit_code == 2
    assert "nope.pdf" in result.stderr and "does not exist" in result.stderr


def test_wrong_kind_of_document(invoke, docs, tmp_path):
    report, _ = docs
    odd = tmp_path / "response.txt"
    odd.write_text("hello", encoding="utf-8")
    result = invoke(*args_for(report, odd, tmp_path / "out"))
    assert result.exit_code == 2
    assert ".docx or .pdf" in result.stderr


def test_missing_libreoffice_for_a_word_document(invoke, docs, tmp_path, monkeypatch):
    import docx

    from scrtool.bundle import convert

    report, _ = docs
    document = docx.Document()
    document.add_paragraph("The partnership has agreed what it will change.")
    response = tmp_path / "response.docx"
    document.save(str(response))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(convert.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(convert, "_install_candidates", lambda: [])
    out = tmp_path / "out"
    result = invoke(*args_for(report, response, out))
    assert result.exit_code == 2
    assert "LibreOffice" in result.stderr and "PDF" in result.stderr
    assert not out.exists()


def test_no_publication_date(invoke, docs, tmp_path):
    report, response = docs
    argv = args_for(report, response, tmp_path / "out")
    i = argv.index("--publication")
    del argv[i : i + 2]
    result = invoke(*argv)
    assert result.exit_code == 2
    assert "--publication" in result.stderr


def test_no_output_without_a_case(invoke, docs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report, response = docs
    result = invoke("package", "--ref", REF, "--report", report, "--response", response)
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_two_reports_in_final(invoke, case_dir):
    write_pdf(case_dir / "final" / "overview-report-v2.pdf", 1, "Report")
    result = invoke("package", "--case", case_dir, "--sent", "01/09/2026")
    assert result.exit_code == 2
    assert "overview-report-v2.pdf" in result.stderr and "--report" in result.stderr
    assert_nothing_written(case_dir / "submission")


# --- the output folder ------------------------------------------------------------------


def test_an_older_bundle_is_replaced_cleanly(invoke, case_dir):
    from pypdf import PdfReader

    first = invoke("package", "--case", case_dir, "--sent", "01/09/2026", "--json")
    assert first.exit_code == 0, first.stderr
    old = json.loads(first.stdout)
    write_pdf(case_dir / "final" / "partnership-response.pdf", 3, "Partnership response")
    second = invoke("package", "--case", case_dir, "--sent", "01/09/2026", "--json")
    assert second.exit_code == 0, second.stderr
    new = json.loads(second.stdout)
    submission = case_dir / "submission"
    assert sorted(p.name for p in submission.iterdir()) == sorted(
        [PDF_NAME, ZIP_NAME, "manifest.json"]
    )
    assert new["bundle"]["pages"] == old["bundle"]["pages"] + 1
    assert len(PdfReader(submission / PDF_NAME).pages) == new["bundle"]["pages"]
    assert new["bundle"]["sha256"] == bundle_preflight.sha256_file(submission / PDF_NAME)
    with zipfile.ZipFile(submission / ZIP_NAME) as zf:
        assert json.loads(zf.read("manifest.json"))["bundle"] == new["bundle"]


def test_a_one_page_document_is_page_n_not_pages_n_to_n(invoke, docs, tmp_path):
    report, _ = docs
    single = write_pdf(tmp_path / "partnership-response.pdf", 1, "Partnership response")
    result = invoke(*args_for(report, single, tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "Partnership response (partnership-response.pdf): page 7\n" in result.stdout
    assert "pages 3-6" in result.stdout


def test_an_older_bundle_given_as_a_document_is_not_written_over(invoke, docs, tmp_path):
    report, response = docs
    out = tmp_path / "out"
    assert invoke(*args_for(report, response, out)).exit_code == 0
    old = out / PDF_NAME
    before = old.read_bytes()
    result = invoke(*args_for(report, response, out, "--attach", old, "--skip-readability"))
    assert result.exit_code == 2
    assert PDF_NAME in result.stderr and "would be replaced" in result.stderr
    assert old.read_bytes() == before


def test_a_bundle_open_elsewhere_is_not_touched(invoke, case_dir):
    assert invoke("package", "--case", case_dir, "--sent", "01/09/2026").exit_code == 0
    submission = case_dir / "submission"
    before = {p.name: p.read_bytes() for p in submission.iterdir()}
    (submission / f"~${PDF_NAME}").write_text("owner", encoding="utf-8")
    write_pdf(case_dir / "final" / "partnership-response.pdf", 3, "Partnership response")
    result = invoke("package", "--case", case_dir, "--sent", "01/09/2026")
    assert result.exit_code == 2
    assert "close it and try again" in result.stderr
    for name, data in before.items():
        assert (submission / name).read_bytes() == data


def test_a_refusal_leaves_an_older_bundle_alone(invoke, case_dir):
    assert invoke("package", "--case", case_dir, "--sent", "01/09/2026").exit_code == 0
    submission = case_dir / "submission"
    before = {p.name: p.read_bytes() for p in submission.iterdir()}
    late = invoke("package", "--case", case_dir, "--sent", "10/09/2026")
    assert late.exit_code == 1
    assert {p.name: p.read_bytes() for p in submission.iterdir()} == before


def test_same_inputs_same_bundle(invoke, docs, tmp_path):
    report, response = docs
    one, two = tmp_path / "one", tmp_path / "two"
    assert invoke(*args_for(report, response, one)).exit_code == 0
    assert invoke(*args_for(report, response, two)).exit_code == 0
    assert (one / PDF_NAME).read_bytes() == (two / PDF_NAME).read_bytes()
    m1 = json.loads((one / "manifest.json").read_text(encoding="utf-8"))
    m2 = json.loads((two / "manifest.json").read_text(encoding="utf-8"))
    m1.pop("created")
    m2.pop("created")
    assert m1 == m2


# --- Word documents through LibreOffice, and the second check ---------------------------


def write_docx(path: Path, title: str, paragraphs: int = 12, extra: str = "") -> Path:
    import docx

    document = docx.Document()
    document.core_properties.author = ""
    document.core_properties.last_modified_by = ""
    document.add_heading(title, level=1)
    for i in range(paragraphs):
        document.add_paragraph(" ".join(PLAIN[(i + j) % len(PLAIN)] for j in range(5)))
    if extra:
        document.add_paragraph(extra)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def word_case(tmp_path_factory):
    """One LibreOffice conversion for the module: a case whose report is a Word document."""
    from click.testing import CliRunner

    from scrtool.cli import cli

    root = tmp_path_factory.mktemp("word") / "case"
    for sub in ("final", "submission"):
        (root / sub).mkdir(parents=True)
    (root / "case.toml").write_text(CASE_TOML.format(type="lcspr"), encoding="utf-8")
    write_docx(root / "final" / "Overview Report.docx", "Overview report")
    write_pdf(root / "final" / "partnership-response.pdf", 2, "Partnership response")
    result = CliRunner().invoke(
        cli, ["package", "--case", str(root), "--sent", "01/09/2026", "--json"]
    )
    return root, result


@pytest.mark.libreoffice
def test_word_report_is_converted_and_bundled(word_case):
    from pypdf import PdfReader

    root, result = word_case
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["documents"][0]["file"] == "Overview Report.docx"
    assert doc["checks"]["bundle_redaction"]["passed"] is True
    pdf = PdfReader(root / "submission" / PDF_NAME)
    assert len(pdf.pages) == doc["bundle"]["pages"]
    assert dict(pdf.metadata) == {"/Title": f"{REF} panel submission"}
    assert "/Metadata" not in pdf.trailer["/Root"]
    report_first = doc["documents"][0]["first_page"] - 1
    assert "Overview report" in pdf.pages[report_first].extract_text()
    assert f"Page {report_first + 1} of {len(pdf.pages)}" in pdf.pages[report_first].extract_text()


@pytest.mark.libreoffice
def test_word_report_gives_the_same_bundle_twice(word_case, invoke, tmp_path):
    root, first = word_case
    assert first.exit_code == 0, first.stderr
    again = invoke(
        "package", "--case", root, "--sent", "01/09/2026", "--output", tmp_path, "--json"
    )
    assert again.exit_code == 0, again.stderr
    assert (
        json.loads(again.stdout)["bundle"]["sha256"] == json.loads(first.stdout)["bundle"]["sha256"]
    )


def test_the_finished_bundle_is_checked_again(tmp_path, docs):
    """A conversion that brings back a name (hidden text made visible) stops the bundle."""
    import datetime as dt

    report, _ = docs
    response = write_docx(tmp_path / "response.docx", "Partnership response")
    leaked = write_pdf(tmp_path / "leaked.pdf", 1, "Response", extra="Stacey Harrowgate agreed.")

    def conversion_that_leaks(sources, outdir):
        return [leaked for _ in sources]

    out = tmp_path / "out"
    request = bundle_request.PackageRequest(
        ref=REF,
        review_type="lcspr",
        documents=(
            bundle_request.Document(bundle_request.REPORT_TITLE, report),
            bundle_request.Document(bundle_request.RESPONSE_TITLE, response),
        ),
        publication=dt.date(2026, 9, 14),
        sent=dt.date(2026, 9, 1),
        output_dir=out,
        terms=("Stacey Harrowgate",),
    )
    result = bundle.build_package(request, convert=conversion_that_leaks)
    assert not result.written and result.exit_code == 1
    assert any("finished bundle" in p and "Stacey Harrowgate" in p for p in result.problems), (
        result.problems
    )
    assert result.checks["redaction"]["passed"] is True
    assert result.checks["bundle_redaction"]["passed"] is False
    assert not out.exists()


def test_word_document_properties_are_found_before_conversion(invoke, docs, tmp_path):
    import docx

    report, _ = docs
    response = write_docx(tmp_path / "response.docx", "Partnership response")
    document = docx.Document(str(response))
    document.core_properties.author = "Stacey Harrowgate"
    document.save(str(response))
    out = tmp_path / "out"
    result = invoke(*args_for(report, response, out))
    assert result.exit_code == 1
    assert "Stacey Harrowgate" in result.stderr
    assert not out.exists()


def test_a_name_in_a_file_name_is_found_before_it_reaches_the_manifest(invoke, docs, tmp_path):
    report, response = docs
    named = tmp_path / "response for Dean Voss.pdf"
    shutil.copy(response, named)
    terms = tmp_path / "names.txt"
    terms.write_text("Dean Voss\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(*args_for(report, named, out, "--terms", terms))
    assert result.exit_code == 1
    assert "finished bundle" in result.stderr and "file names" in result.stderr
    assert not out.exists()


def test_help_examples_do_not_depend_on_todays_date(invoke):
    """Without --sent the check counts from today, so a dated example stops working."""
    text = invoke("package", "--help").stdout
    example = text.split("Example:", 1)[1].replace("\\\n", " ")
    for line in (x for x in example.splitlines() if "scrtool package" in x):
        assert "--sent" in line, line
