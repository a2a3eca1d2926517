"""scrtool publish's core: the website copy, opened by real readers, and every refusal.

The PDFs are made by LibreOffice and opened by pypdf, qpdf --check and pdftotext; the
Word documents are built with python-docx (``publish_docs``).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from publish_docs import TITLE, make_review_docx

from scrtool.bundle import publish as publishing
from scrtool.bundle.convert import TAGGED_PDF, TAGGED_PDF_OPTIONS, convert_to_pdf
from scrtool.bundle.tagged_pdf import finish_tagged_pdf
from scrtool.case import load_case
from scrtool.checks.accessibility_pdf import pdf_findings
from scrtool.checks.accessibility_rules import load_rules
from scrtool.errors import InputError, OutputError, OutputLockedError, ToolMissingError

REF = "NS-2026-01"
REGISTER = ["Dean Voss", "Stacey Harrowgate"]

CASE_TOML = """\
[review]
ref = "NS-2026-01"
type = "lcspr"
partnership = "Northshire Safeguarding Children Partnership"
child = "Child A"
initiated = 2026-02-02

[register]
names = ["Dean Voss", "Stacey Harrowgate"]
places = ["Larkspur Close"]
allow = ["Child A"]
"""

pytestmark = pytest.mark.libreoffice


def make_case(root: Path) -> Path:
    for sub in ("final", "working", "submission"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "case.toml").write_text(CASE_TOML, encoding="utf-8")
    return root


def assert_nothing_written(folder: Path) -> None:
    left = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert left == [], left


def xmp_of(pdf: Path) -> str:
    from pypdf import PdfReader

    stream = PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object()
    return stream.get_data().decode("utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A case whose final/ holds a good report (language en-US, as Word's own default
    template has it) and a response of more than 20 pages, published once."""
    root = make_case(tmp_path_factory.mktemp("published") / "case")
    make_review_docx(root / "final" / "overview-report.docx", lang="en-US")
    make_review_docx(
        root / "final" / "partnership-response.docx",
        title="The partnership's response",
        sections=24,
        page_breaks=True,
    )
    out = root.parent / "website"
    result = publishing.publish(case=load_case(root), output_dir=out)
    return root, out, result


# --- the website copy -------------------------------------------------------------------


def test_publish_writes_both_pdfs_and_the_json_matches_them(published):
    from pypdf import PdfReader

    from scrtool.bundle.preflight import sha256_file

    _, out, result = published
    assert result.exit_code == 0, result.problems
    names = [f"{REF}-report.pdf", f"{REF}-response.pdf"]
    assert sorted(p.name for p in out.iterdir()) == names
    doc = result.to_json()
    assert list(doc) == ["outputs", "checks"]
    assert doc["outputs"] == [
        {"file": name, "pages": len(PdfReader(out / name).pages), "sha256": sha256_file(out / name)}
        for name in names
    ]
    assert doc["outputs"][1]["pages"] > 20
    assert list(doc["checks"]) == [
        "redaction",
        "draft",
        "accessibility",
        "published_accessibility",
        "published_redaction",
    ]
    assert all(check["passed"] for check in doc["checks"].values())
    text = json.dumps(doc)
    assert str(out.parent) not in text  # file names only, never this computer's paths


def test_every_machine_checkable_rule_holds_in_the_published_pdfs(published):
    from pypdf import PdfReader

    _, out, _ = published
    for pdf, title in ((f"{REF}-report.pdf", TITLE), (f"{REF}-response.pdf", None)):
        path = out / pdf
        assert pdf_findings(path, load_rules()) == []
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"].value
        assert "/StructTreeRoot" in root and "/ParentTree" in root["/StructTreeRoot"]
        assert root["/Lang"] == "en-GB"  # LibreOffice said en-US
        assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
        assert root["/PageMode"] == "/UseOutlines"
        assert reader.pdf_header >= "%PDF-1.4"
        xmp = xmp_of(path)
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert "<rdf:li>en-GB</rdf:li>" in xmp
        if title:
            assert reader.metadata["/Title"] == title
            assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp
    outline = PdfReader(out / f"{REF}-report.pdf").outline
    assert outline[0].title == "What the review found, part 1"
    assert outline[1][0].title == "What agencies did, part 1"  # Heading 2 under Heading 1


def test_no_personal_metadata_in_the_published_pdfs(published):
    from pypdf import PdfReader

    _, out, _ = published
    for path in out.iterdir():
        info = dict(PdfReader(path).metadata)
        assert set(info) <= {"/Title", "/Producer", "/CreationDate"}, info
        xmp = xmp_of(path)
        assert "dc:creator" not in xmp and "CreatorTool" not in xmp


def test_the_published_pdfs_open_in_qpdf_and_pdftotext(published):
    _, out, _ = published
    for path in out.iterdir():
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "What the review found, part 1" in text
        assert "Each agency has agreed what it will change" in text


# --- the finishing touches keep the tags --------------------------------------------------


@pytest.fixture(scope="module")
def authored(tmp_path_factory):
    """LibreOffice's tagged PDF of a report whose properties name its author."""
    folder = tmp_path_factory.mktemp("authored")
    docx = make_review_docx(folder / "authored.docx", author="Stacey Harrowgate")
    return convert_to_pdf([docx], folder / "pdf", convert_to=TAGGED_PDF)[0]


def _structure_types(path: Path) -> list[str]:
    from pypdf import PdfReader

    root = PdfReader(path).trailer["/Root"]["/StructTreeRoot"]
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        for kid in reversed(list(kids) if isinstance(kids, list) else [kids]):
            obj = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(obj, "get") and obj.get("/S") is not None:
                out.append(str(obj["/S"]))
                stack.append(obj)
    return out


def test_each_export_option_took_effect_on_this_libreoffice(authored):
    """What each option asks for is in the PDF LibreOffice made (so it was understood)."""
    from pypdf import PdfReader

    assert set(TAGGED_PDF_OPTIONS) >= {
        "UseTaggedPDF",
        "PDFUACompliance",
        "ExportBookmarks",
        "DisplayPDFDocumentTitle",
    }
    reader = PdfReader(authored)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"].value is True
    assert "pdfuaid:part" in xmp_of(authored)
    assert [o.title for o in reader.outline if not isinstance(o, list)][:1] == [
        "What the review found, part 1"
    ]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert root["/PageMode"] == "/UseOutlines"
    assert "/Annots" not in reader.pages[0]  # no comments exported


def test_the_author_goes_and_the_tags_stay(authored, tmp_path):
    from pypdf import PdfReader

    before = PdfReader(authored)
    assert before.metadata["/Author"] == "Stacey Harrowgate"
    assert "Stacey Harrowgate" in xmp_of(authored)
    finished = tmp_path / "finished.pdf"
    finished.write_bytes(finish_tagged_pdf(authored, title="The report"))
    assert b"Stacey Harrowgate" not in finished.read_bytes()  # not even an orphaned object
    after = PdfReader(finished)
    assert "/Author" not in after.metadata and "/Creator" not in after.metadata
    assert _structure_types(finished) == _structure_types(authored)
    assert len(_structure_types(finished)) > 20
    assert [o.title for o in after.outline if not isinstance(o, list)] == [
        o.title for o in before.outline if not isinstance(o, list)
    ]
    for old, new in zip(before.pages, after.pages, strict=True):
        assert new["/StructParents"] == old["/StructParents"]
    assert pdf_findings(finished, load_rules()) == []


def test_copying_pages_instead_of_cloning_loses_the_tags(authored, tmp_path):
    """Why ``finish_tagged_pdf`` clones the document: a page copy is not accessible."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(authored).pages:
        writer.add_page(page)
    copied = tmp_path / "copied.pdf"
    with copied.open("wb") as fh:
        writer.write(fh)
    assert {f.kind for f in pdf_findings(copied, load_rules())} >= {"tagged"}


# --- refusals: exit 1, nothing written ----------------------------------------------------


def test_the_issues_bad_document_is_refused_with_four_findings(tmp_path):
    bad = make_review_docx(
        tmp_path / "report.docx", title=None, alt_text=None, header_row=False, skip_level=True
    )
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=bad, output_dir=out)
    assert result.exit_code == 1
    assert_nothing_written(out)
    kinds = {
        f["kind"]
        for file in result.checks["accessibility"]["files"]
        for f in file["findings"]
        if f["severity"] in ("high", "medium")
    }
    assert kinds == {"title", "alt-text", "headings", "table-header"}
    joined = "\n".join(result.problems)
    assert "report.docx" in joined
    assert "published_accessibility" not in result.checks  # nothing was made


def test_the_same_document_fixed_is_published(tmp_path):
    fixed = make_review_docx(tmp_path / "report.docx")
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=fixed, output_dir=out)
    assert result.exit_code == 0, result.problems
    assert [p.name for p in out.iterdir()] == [f"{REF}-report.pdf"]


def test_a_register_name_or_a_draft_mark_is_refused(tmp_path):
    root = make_case(tmp_path / "case")
    make_review_docx(
        root / "final" / "overview-report.docx",
        body=["Dean Voss moved into the house in the spring.", "Nobody asked the child."],
    )
    make_review_docx(
        root / "final" / "partnership-response.docx",
        body=["DRAFT", "Each agency has agreed what it will change and by when."],
    )
    out = tmp_path / "website"
    result = publishing.publish(case=load_case(root), output_dir=out)
    assert result.exit_code == 1
    assert_nothing_written(out)
    joined = "\n".join(result.problems)
    assert 'overview-report.docx: redaction: name "Dean Voss"' in joined
    assert "partnership-response.docx: unfinished: draft-mark" in joined
    # The checks keep the kinds and places, never the names found (the problems, like
    # the lines on stderr, say what to put right).
    text = json.dumps(result.to_json()["checks"])
    assert not any(name in text for name in REGISTER)
    assert result.to_json()["refused"] is True and result.to_json()["outputs"] == []


def test_a_pdf_that_loses_its_alt_text_on_the_way_is_refused(tmp_path):
    """The accessibility check runs again on the PDFs made, before any is put in place."""
    from pypdf import PdfReader, PdfWriter

    def losing(sources, outdir, **kwargs):
        made = convert_to_pdf(sources, outdir, **kwargs)
        for pdf in made:
            writer = PdfWriter(clone_from=PdfReader(pdf))
            for obj in writer._objects:
                if hasattr(obj, "get") and obj.get("/S") == "/Figure":
                    del obj["/Alt"]
            with pdf.open("wb") as fh:
                writer.write(fh)
        return made

    report = make_review_docx(tmp_path / "report.docx")
    request = publishing.make_publish_request(
        ref=REF, report=report, output_dir=tmp_path / "website"
    )
    result = publishing.build_publication(request, convert=losing)
    assert result.exit_code == 1
    assert_nothing_written(tmp_path / "website")
    assert result.checks["accessibility"]["passed"] is True
    assert result.checks["published_accessibility"]["passed"] is False
    assert any("the PDF made for the website failed a check" in p for p in result.problems)
    assert any("alt-text" in p for p in result.problems)


def test_a_libreoffice_that_does_not_tag_is_exit_2(tmp_path):
    def untagged(sources, outdir, **kwargs):
        return convert_to_pdf(sources, outdir)  # the export's defaults: no tags

    report = make_review_docx(tmp_path / "report.docx")
    request = publishing.make_publish_request(
        ref=REF, report=report, output_dir=tmp_path / "website"
    )
    with pytest.raises(ToolMissingError, match="did not make a tagged PDF"):
        publishing.build_publication(request, convert=untagged)
    assert_nothing_written(tmp_path / "website")


# --- bad input: exit 2, one sentence --------------------------------------------------------


def test_bad_input_is_one_sentence(tmp_path):
    report = make_review_docx(tmp_path / "report.docx")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    out = tmp_path / "website"

    with pytest.raises(InputError, match="does not exist"):
        publishing.publish(ref=REF, report=tmp_path / "gone.docx", output_dir=out)
    with pytest.raises(InputError, match="is a PDF, and publish makes the website copy from"):
        publishing.publish(ref=REF, report=pdf, output_dir=out)
    with pytest.raises(InputError, match="no report was given"):
        publishing.publish(ref=REF, output_dir=out)
    with pytest.raises(InputError, match="no output folder"):
        publishing.publish(ref=REF, report=report)
    with pytest.raises(InputError, match="reference"):
        publishing.publish(ref="../up", report=report, output_dir=out)
    with pytest.raises(InputError, match="both the report and the response"):
        publishing.publish(ref=REF, report=report, response=report, output_dir=out)
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        publishing.publish(ref=REF, report=report, output_dir=a_file)
    assert not out.exists()


def test_a_target_open_in_another_program_is_refused_before_any_work(tmp_path):
    report = make_review_docx(tmp_path / "report.docx")
    out = tmp_path / "website"
    out.mkdir()
    target = out / f"{REF}-report.pdf"
    target.write_bytes(b"the old copy")
    (out / f".~lock.{target.name}#").write_text("someone", encoding="utf-8")
    with pytest.raises(OutputLockedError) as caught:
        publishing.publish(ref=REF, report=report, output_dir=out)
    assert "close it and try again" in caught.value.message
    assert target.read_bytes() == b"the old copy"


def test_libreoffice_missing_is_a_clear_sentence(tmp_path, monkeypatch):
    report = make_review_docx(tmp_path / "report.docx")
    monkeypatch.setenv("SCRTOOL_SOFFICE", str(tmp_path / "no-such-soffice"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr("scrtool.bundle.convert._install_candidates", lambda: [])
    with pytest.raises(ToolMissingError) as caught:
        publishing.publish(ref=REF, report=report, output_dir=tmp_path / "website")
    assert "LibreOffice, which is not installed" in caught.value.message
    assert "libreoffice.org" in caught.value.message


def test_final_folder_with_only_a_pdf_report_says_the_word_document_is_needed(tmp_path):
    root = make_case(tmp_path / "case")
    (root / "final" / "overview-report.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(InputError, match="holds no Word document for the report"):
        publishing.publish(case=load_case(root), output_dir=tmp_path / "website")


def test_the_case_final_folder_is_not_an_output_folder(tmp_path):
    root = make_case(tmp_path / "case")
    make_review_docx(root / "final" / "overview-report.docx")
    with pytest.raises(InputError, match="is the case's final/ folder"):
        publishing.publish(case=load_case(root), output_dir=root / "final")
    assert [p.name for p in (root / "final").iterdir()] == ["overview-report.docx"]


def test_a_case_without_a_response_publishes_the_report_alone(tmp_path):
    root = make_case(tmp_path / "case")
    make_review_docx(root / "final" / "overview-report.docx")
    request = publishing.make_publish_request(case=load_case(root), output_dir=tmp_path / "w")
    assert [(s.kind, s.path.name) for s in request.sources] == [("report", "overview-report.docx")]
    assert request.target(request.sources[0]) == tmp_path / "w" / f"{REF}-report.pdf"


def test_inputs_are_never_modified(tmp_path):
    report = make_review_docx(tmp_path / "report.docx")
    before = report.read_bytes(), os.stat(report).st_mtime_ns
    publishing.publish(ref=REF, report=report, output_dir=tmp_path / "website")
    assert (report.read_bytes(), os.stat(report).st_mtime_ns) == before
