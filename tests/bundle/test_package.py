"""The bundle PDF, opened by real readers: pypdf, qpdf --check and pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from scrtool.bundle import assemble as bundle_assemble
from scrtool.bundle import package as bundle
from scrtool.bundle import preflight as bundle_preflight
from scrtool.bundle import recheck as bundle_recheck
from scrtool.bundle import request as bundle_request
from scrtool.bundle.assemble import assemble_bundle
from scrtool.bundle.request import CoverDetails, DocumentEntry
from scrtool.errors import InputError

COVER = CoverDetails(
    ref="NS-2026-01",
    review_type="lcspr",
    partnership="Northshire Safeguarding Children Partnership",
    child="Child A",
    initiated=dt.date(2026, 2, 2),
    completed=dt.date(2026, 7, 24),
    publication=dt.date(2026, 9, 14),
    panel_copy_due=dt.date(2026, 9, 3),
    sent=dt.date(2026, 9, 1),
)


def make_pdf(path: Path, pages: int, label: str) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.setAuthor("Stacey Harrowgate")
    canvas.setTitle("Draft for Dean Voss")
    for i in range(pages):
        canvas.drawString(72, 720, f"{label} text on its page {i + 1}.")
        canvas.showPage()
    canvas.save()
    return path


def make_messy_pdf(path: Path) -> Path:
    """Everything the bundle must leave behind, and pages that are awkward to stamp."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText, Text
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        RectangleObject,
        TextStringObject,
    )

    plain = make_pdf(path.with_name("plain-" + path.name), 4, "Response")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.pages[1].rotate(90)
    writer.pages[2].mediabox = RectangleObject([100, 100, 712, 892])
    writer.pages[2].cropbox = RectangleObject([120, 120, 700, 880])
    writer.pages[3].rotate(270)
    writer.add_annotation(0, Text(rect=(50, 50, 100, 100), text="Comment naming Dean Voss"))
    writer.add_annotation(0, FreeText(text="Free text note", rect=(50, 150, 200, 200)))
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js)
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): js})
    writer.add_attachment("notes.txt", b"attached notes about Kayden Harrowgate")
    writer.add_metadata({"/Author": "Stacey Harrowgate", "/Subject": "Larkspur Close"})
    xmp = DecodedStreamObject()
    xmp.set_data(b"<x:xmpmeta><dc:creator>Stacey Harrowgate</dc:creator></x:xmpmeta>")
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.pages[0][NameObject("/Metadata")] = writer._add_object(xmp)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject()}
    )
    with path.open("wb") as fh:
        writer.write(fh)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("bundle")
    report = make_pdf(base / "report.pdf", 5, "Report")
    response = make_messy_pdf(base / "response.pdf")
    result = assemble_bundle(
        COVER,
        [
            ("Review report", "report.pdf", "a" * 64, report),
            ("Partnership response", "response.pdf", "b" * 64, response),
        ],
    )
    out = base / "bundle.pdf"
    out.write_bytes(result.pdf)
    return result, out


def reader(path: Path):
    from pypdf import PdfReader

    return PdfReader(path)


def test_page_ranges_and_totals(built):
    result, _ = built
    assert result.pages == 2 + 5 + 4
    assert [(e.title, e.first_page, e.pages) for e in result.entries] == [
        ("Review report", 3, 5),
        ("Partnership response", 8, 4),
    ]


def test_bookmarks_one_per_document(built):
    _, path = built
    pdf = reader(path)
    outline = pdf.outline
    assert [item.title for item in outline] == ["Review report", "Partnership response"]
    assert [pdf.get_destination_page_number(item) for item in outline] == [2, 7]
    assert pdf.page_mode == "/UseOutlines"


def test_page_labels_are_the_printed_page_numbers(built):
    _, path = built
    pdf = reader(path)
    assert pdf.page_labels == [str(n) for n in range(1, 12)]
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Page {number} of 11" in page.extract_text()


def test_title_is_the_reference_and_nothing_else(built):
    _, path = built
    pdf = reader(path)
    assert dict(pdf.metadata) == {"/Title": "NS-2026-01 panel submission"}
    assert pdf.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF BooleanObject)
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_index_links_go_to_each_first_page(built):
    _, path = built
    pdf = reader(path)
    index = pdf.pages[1]
    targets = []
    for ref in index["/Annots"]:
        annot = ref.get_object()
        assert annot["/Subtype"] == "/Link"
        dest = annot["/Dest"]
        targets.append(pdf.get_page_number(dest[0].get_object()))
    assert targets == [2, 7]
    # No page other than the index carries any annotation.
    for number, page in enumerate(pdf.pages):
        if number != 1:
            assert "/Annots" not in page or not page["/Annots"], number


def test_nothing_hidden_is_carried_over(built):
    _, path = built
    pdf = reader(path)
    assert dict(pdf.metadata) == {"/Title": "NS-2026-01 panel submission"}
    root = pdf.trailer["/Root"]
    for key in ("/Metadata", "/OpenAction", "/AA", "/AcroForm", "/Names", "/JavaScript"):
        assert key not in root, key
    for page in pdf.pages:
        assert "/Metadata" not in page and "/AA" not in page
    raw = path.read_bytes()
    for word in (b"Harrowgate", b"Voss", b"Larkspur", b"JavaScript", b"EmbeddedFile", b"xmpmeta"):
        assert word not in raw, word
    assert len(pdf.trailer["/ID"][0]) == 16


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf is not installed")
def test_qpdf_finds_no_errors(built):
    _, path = built
    out = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No syntax or stream encoding errors" in out.stdout
    # qpdf sees no JavaScript and no attachments either.
    shown = subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(path), "-"], capture_output=True
    ).stdout
    assert b"/JavaScript" not in shown and b"/EmbeddedFiles" not in shown


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_every_page_says_page_n_of_m(built):
    result, path = built
    texts = page_texts(path)
    assert len(texts) == result.pages
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {result.pages}" in text, (number, text)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_cover_and_index_text(built):
    _, path = built
    cover, index = (" ".join(t.split()) for t in page_texts(path)[:2])
    for words in (
        "Northshire Safeguarding Children Partnership",
        "NS-2026-01",
        "Local Child Safeguarding Practice Review",
        "Child A",
        "2 February 2026",
        "24 July 2026",
        "Publication planned for 14 September 2026",
        "3 September 2026",
        "1 September 2026",
    ):
        assert words in cover, words
    assert "Index" in index
    assert "Review report" in index and "3\u20137" in index
    assert "Partnership response" in index and "8\u201311" in index


@pytest.mark.parametrize(
    ("basis", "day", "row"),
    [
        ("planned", dt.date(2026, 9, 14), ("Publication", "planned for 14 September 2026")),
        ("published", dt.date(2026, 9, 21), ("Published", "21 September 2026")),
        ("improvements", dt.date(2026, 10, 1), ("Improvements published", "1 October 2026")),
        (
            "not-published",
            None,
            ("Publication", "not published (the safeguarding partners' decision)"),
        ),
        ("planned", None, ("Publication", "not recorded")),
    ],
)
def test_the_cover_says_whether_publication_is_planned_or_has_happened(basis, day, row):
    from dataclasses import replace

    from scrtool.bundle.assemble import publication_row

    assert publication_row(replace(COVER, publication=day, publication_basis=basis)) == row


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_the_documents_keep_their_text(built):
    _, path = built
    texts = page_texts(path)
    assert "Report text on its page 1." in texts[2]
    assert "Response text on its page 1." in texts[7]


def test_stamp_sits_upright_at_the_foot_of_rotated_and_offset_pages(built):
    _, path = built
    pdf = reader(path)
    for index in (8, 9, 10):  # rotated 90, odd crop box, rotated 270
        page = pdf.pages[index]
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if "Page" in text:
                found.append((cm, tm))

        page.extract_text(visitor_text=visit)
        assert found, index
    # The stamp's matrix for each rotation keeps the text upright on screen.
    assert bundle_assemble._stamp_matrix(90, (0, 0, 100, 200)) == (0, 1, -1, 0, 100, 0)
    assert bundle_assemble._stamp_matrix(0, (120, 120, 700, 880)) == (1, 0, 0, 1, 120, 120)


def test_same_inputs_same_bytes(tmp_path, built):
    result, _ = built
    report = make_pdf(tmp_path / "report.pdf", 5, "Report")
    parts = [("Review report", "report.pdf", "a" * 64, report)]
    first = assemble_bundle(COVER, parts).pdf
    second = assemble_bundle(COVER, parts).pdf
    assert first == second


def test_many_documents_make_a_longer_index(tmp_path):
    pdf = make_pdf(tmp_path / "one.pdf", 1, "One")
    parts = [(f"Appendix {i}", "one.pdf", "c" * 64, pdf) for i in range(45)]
    result = assemble_bundle(COVER, parts)
    assert bundle_assemble.index_pages_needed(45) == 2
    assert result.entries[0].first_page == 4
    assert result.pages == 3 + 45
    from pypdf import PdfReader

    built = PdfReader(io.BytesIO(result.pdf))
    assert built.page_labels[:4] == ["1", "2", "3", "4"]
    assert len(built.pages[1]["/Annots"]) == 30 and len(built.pages[2]["/Annots"]) == 15


def test_long_titles_and_odd_letters_do_not_break_the_index(tmp_path):
    pdf = make_pdf(tmp_path / "one.pdf", 1, "One")
    cover = CoverDetails(ref="X-1", review_type="scr", partnership="Ynys M\u00f4n \u0175 \u2603")
    result = assemble_bundle(cover, [("A very long title " * 20, "one.pdf", "d" * 64, pdf)])
    assert result.pages == 3


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler)")
def test_polish_and_vietnamese_names_print_on_the_cover_and_index(tmp_path):
    """The front pages embed a Unicode font: no letter becomes "?"."""
    pdf = make_pdf(tmp_path / "one.pdf", 1, "One")
    cover = CoverDetails(
        ref="X-2",
        review_type="lcspr",
        partnership="Gminy Łódź i Świętochłowice Partnership",
        child="Nguyễn Thị Phương and Żaneta Wróblewska",
    )
    title = "Đặng Quốc Bảo, Brzęczyszczykiewicz"
    result = assemble_bundle(cover, [(title, "one.pdf", "d" * 64, pdf)])
    path = tmp_path / "bundle.pdf"
    path.write_bytes(result.pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "2", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    ).stdout
    for name in (
        "Nguyễn Thị Phương",
        "Żaneta Wróblewska",
        "Łódź i Świętochłowice",
        "Đặng Quốc Bảo",
        "Brzęczyszczykiewicz",
    ):
        assert name in text, name
    assert "?" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts


def test_manifest_json_shape():
    manifest = bundle_request.Manifest(
        case_ref="NS-1",
        created="2026-09-01T10:00:00+00:00",
        documents=(DocumentEntry("Review report", "r.pdf", "e" * 64, 4, 3),),
        bundle=bundle_request.BundleInfo("NS-1-panel-submission.pdf", "f" * 64, 6),
        checks={"timetable": {"passed": True}},
    )
    doc = manifest.to_json()
    assert list(doc) == ["case_ref", "created", "documents", "bundle", "checks"]
    assert list(doc["documents"][0]) == ["title", "file", "sha256", "pages", "first_page"]
    assert list(doc["bundle"]) == ["file", "sha256", "pages"]


def test_zip_is_the_same_for_the_same_members():
    one = bundle._zip_bytes([("a.pdf", b"%PDF"), ("manifest.json", b"{}")])
    two = bundle._zip_bytes([("a.pdf", b"%PDF"), ("manifest.json", b"{}")])
    assert one == two
    import zipfile

    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert zf.namelist() == ["a.pdf", "manifest.json"]
        assert zf.testzip() is None


# --- finding the documents in final/ ----------------------------------------------------


def test_final_folder_report_and_response(tmp_path):
    (tmp_path / "Overview Report v3.docx").write_bytes(b"x")
    (tmp_path / "partnership-response.pdf").write_bytes(b"x")
    (tmp_path / "~$erview Report v3.docx").write_bytes(b"x")
    (tmp_path / "appendix.pdf").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    report, response, others = bundle_request.find_final_documents(tmp_path)
    assert report.name == "Overview Report v3.docx"
    assert response.name == "partnership-response.pdf"
    assert [p.name for p in others] == ["appendix.pdf"]


def test_a_name_with_both_words_is_the_response(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"x")
    (tmp_path / "response to the report.docx").write_bytes(b"x")
    report, response, _ = bundle_request.find_final_documents(tmp_path)
    assert (report.name, response.name) == ("report.pdf", "response to the report.docx")


def test_two_reports_is_a_clear_message(tmp_path):
    (tmp_path / "report.docx").write_bytes(b"x")
    (tmp_path / "report.pdf").write_bytes(b"x")
    (tmp_path / "response.pdf").write_bytes(b"x")
    with pytest.raises(InputError) as info:
        bundle_request.find_final_documents(tmp_path)
    message = str(info.value)
    assert "report.docx, report.pdf" in message and "--report" in message


def test_no_response_is_a_clear_message(tmp_path):
    (tmp_path / "report.docx").write_bytes(b"x")
    with pytest.raises(InputError) as info:
        bundle_request.find_final_documents(tmp_path)
    assert "no response" in str(info.value) and "--response" in str(info.value)


def test_title_from_file():
    assert (
        bundle_request.title_from_file(Path("appendix_1-chronology.pdf")) == "Appendix 1 chronology"
    )


# --- the demo step --------------------------------------------------------------------


@pytest.mark.libreoffice
def test_demo_step_packages_the_sample_case(tmp_path):
    from pypdf import PdfReader

    from scrtool.demo import collate_step, make_demo_case, package_step, report_step

    case = make_demo_case(tmp_path / "demo")
    assert collate_step(case).exit_code == 0
    assert report_step(case).exit_code == 0
    result = package_step(case)
    assert result.exit_code == 0, result.summary
    names = sorted(p.name for p in result.outputs)
    assert names == sorted(
        ["NS-2026-01-panel-submission.pdf", "NS-2026-01-panel-submission.zip", "manifest.json"]
    )
    assert (case.folder("final") / "overview-report.docx").is_file()
    pdf = PdfReader(case.folder("submission") / "NS-2026-01-panel-submission.pdf")
    assert [o.title for o in pdf.outline] == ["Review report", "Partnership response"]
    assert "3 September 2026" in result.summary


def test_demo_step_without_the_report_says_why(tmp_path):
    from scrtool.demo import make_demo_case, package_step

    case = make_demo_case(tmp_path / "demo")
    result = package_step(case)
    assert result.exit_code == 2
    assert "overview-report.docx" in result.summary


def test_a_given_report_is_used_and_only_the_response_is_looked_for(tmp_path):
    (tmp_path / "report.docx").write_bytes(b"x")
    (tmp_path / "report.pdf").write_bytes(b"x")
    (tmp_path / "response.pdf").write_bytes(b"x")
    report, response, others = bundle_request.find_final_documents(
        tmp_path, report=tmp_path / "report.pdf"
    )
    assert (report.name, response.name) == ("report.pdf", "response.pdf")
    assert [p.name for p in others] == ["report.docx"]


# --- the second check: unchanged input pages are compared, everything else is read ------


def _two_documents(
    report: Path, response: Path, out: Path, **extra
) -> bundle_request.PackageRequest:
    """A request to package a report and a response, published on 14 September 2026."""
    return bundle_request.PackageRequest(
        ref=COVER.ref,
        review_type="lcspr",
        documents=(
            bundle_request.Document("Review report", report),
            bundle_request.Document("Partnership response", response),
        ),
        publication=dt.date(2026, 9, 14),
        sent=dt.date(2026, 9, 1),
        output_dir=out,
        **extra,
    )


def _clean_pdf(path: Path, pages: int, label: str) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    for i in range(pages):
        canvas.drawString(72, 720, f"{label} text on its page {i + 1}.")
        canvas.showPage()
    canvas.save()
    return path


@pytest.fixture
def checked_bundle(tmp_path):
    """A bundle of two PDFs that passed the first check, and a request naming a register."""
    report = _clean_pdf(tmp_path / "report.pdf", 3, "Report")
    response = make_messy_pdf(tmp_path / "response.pdf")  # rotated and offset pages
    parts = [
        ("Review report", "report.pdf", "a" * 64, report),
        ("Partnership response", "response.pdf", "b" * 64, response),
    ]
    built = assemble_bundle(COVER, parts, checked={0, 1})
    request = bundle_request.PackageRequest(
        ref=COVER.ref,
        review_type="lcspr",
        documents=(),
        publication=dt.date(2026, 9, 14),
        sent=dt.date(2026, 9, 1),
        output_dir=tmp_path / "out",
        terms=("Dean Voss", "Stacey Harrowgate"),
    )
    work = tmp_path / "work"
    work.mkdir()
    return built, request, work


def _rewritten(built, change) -> bundle_assemble.BuiltBundle:
    """The bundle with ``change(writer)`` applied, as if something had altered it."""
    from dataclasses import replace

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(built.pdf)))
    writer.metadata = None
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return replace(built, pdf=out.getvalue())


def _text_stream(writer, text: str):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(f"BT /ScrtoolHelvetica 10 Tf 72 100 Td ({text}) Tj ET\n".encode("latin-1"))
    return writer._add_object(stream)


def test_unchanged_input_pages_are_not_read_again(checked_bundle):
    built, request, work = checked_bundle
    # Cover and index have no origin; every page of the two checked PDFs has one.
    assert [o is not None for o in built.origins] == [False, False] + [True] * 7
    plan = bundle_recheck.plan_recheck(built)
    assert (plan.pages_unchanged, plan.pages_read) == (7, 2)
    # What is read of an unchanged page is its stamp, from the stamp's own bytes.
    assert plan.stamps[2] == "Page 3 of 9" and sorted(plan.stamps) == list(range(2, 9))
    # Read the way the second check reads it: the cover and index laid out by PDFium,
    # the unchanged pages as their stamps, the structure from the bundle; the bundle's
    # own title is found, and nothing from the unchanged pages' own text.
    read = bundle_recheck.read_for_recheck(plan, built, work / "bundle.pdf")
    texts = {p.location: p.text for p in read.pieces}
    assert "Index" in texts["page 2"] and texts["page 3"] == "Page 3 of 9"
    assert "document property Title" in texts
    assert not any("Report text" in p.text for p in read.pieces)
    assert bundle.check_bundle_again(built, request, work).passed


def test_the_stamp_is_read_from_its_bytes_only_when_it_is_a_stamp_as_written():
    """Text that a stamp cannot hold (an escape, a second string, another operator) or a
    stamp in another form means the page is read in full."""
    stamp = bundle_assemble.page_number_stamps([(595, 842)])[0]
    close = b"Q\nq 1 0 0 1 0 0 cm " + stamp + b" Q\n"
    assert bundle_recheck.stamp_text(close) == "Page 1 of 1"
    for changed in (
        close.replace(b"(Page 1 of 1)", b"(Page 1 \\(of\\) 1)"),
        close.replace(b"Tj ET", b"Tj (Dean Voss) Tj ET"),
        close.replace(b"(Page 1 of 1) Tj", b"[(Page 1 of 1)] TJ"),
        close.replace(b" Q\n", b" Q\nBT (Dean Voss) Tj ET\n"),
        close.replace(b".2 .2 .2 rg", b"3 Tr .2 .2 .2 rg"),
        close.replace(b"/ScrtoolHelvetica", b"/F1"),
    ):
        assert changed != close
        assert bundle_recheck.stamp_text(changed) is None, changed


def test_pages_not_from_a_checked_pdf_are_read_in_full(tmp_path):
    report = _clean_pdf(tmp_path / "report.pdf", 2, "Report")
    converted = _clean_pdf(tmp_path / "converted.pdf", 3, "Converted")
    parts = [("Report", "report.pdf", "a" * 64, report), ("Word", "w.docx", "b" * 64, converted)]
    built = assemble_bundle(COVER, parts, checked={0})
    plan = bundle_recheck.plan_recheck(built)
    assert (plan.pages_unchanged, plan.pages_read) == (2, 5)
    assert sorted(plan.stamps) == [2, 3]
    nothing = assemble_bundle(COVER, parts)
    assert bundle_recheck.plan_recheck(nothing).reader is None


def test_a_page_with_content_added_is_read_in_full_and_fails(checked_bundle):
    built, request, work = checked_bundle

    def add_text(writer):
        from pypdf.generic import ArrayObject, NameObject

        page = writer.pages[3]
        contents = list(page["/Contents"].get_object())
        contents.insert(-1, _text_stream(writer, "Dean Voss"))
        page[NameObject("/Contents")] = ArrayObject(contents)

    changed = _rewritten(built, add_text)
    plan = bundle_recheck.plan_recheck(changed)
    assert (plan.pages_unchanged, plan.pages_read) == (6, 3)
    again = bundle.check_bundle_again(changed, request, work)
    assert again.passed is False
    assert any(f.text == "Dean Voss" for f in again.report.files[0].findings)


@pytest.mark.parametrize("what", ["stream bytes", "resources", "crop box", "rotation"])
def test_any_difference_from_the_checked_page_means_reading_it(checked_bundle, what):
    built, _request, _work = checked_bundle

    def change(writer):
        from pypdf.generic import DecodedStreamObject, NameObject, RectangleObject

        page = writer.pages[2]
        if what == "stream bytes":
            original = page["/Contents"].get_object()[1].get_object()
            data = original.get_data().replace(b"Report", b"Rep0rt")
            replacement = DecodedStreamObject()
            replacement.set_data(data)
            page["/Contents"].get_object()[1] = writer._add_object(replacement)
        elif what == "resources":
            fonts = page["/Resources"].get_object()["/Font"].get_object()
            fonts[NameObject("/Extra")] = fonts.raw_get("/ScrtoolHelvetica")
        elif what == "crop box":
            page.cropbox = RectangleObject([0, 0, 300, 300])
        else:
            page.rotate(180)

    plan = bundle_recheck.plan_recheck(_rewritten(built, change))
    assert (plan.pages_unchanged, plan.pages_read) == (6, 3)


def test_a_changed_font_means_reading_every_page_that_uses_it(checked_bundle):
    """Objects shared by pages are compared once, and a difference in one (a font) is a
    difference for every page of the document that uses it."""
    built, _request, _work = checked_bundle

    def change(writer):
        from pypdf.generic import NameObject

        fonts = writer.pages[2]["/Resources"].get_object()["/Font"].get_object()
        font = fonts[next(k for k in fonts if k != "/ScrtoolHelvetica")].get_object()
        font[NameObject("/BaseFont")] = NameObject("/Courier")

    plan = bundle_recheck.plan_recheck(_rewritten(built, change))
    assert (plan.pages_unchanged, plan.pages_read) == (4, 5)


def test_the_stamp_on_an_unchanged_page_is_still_checked(tmp_path, monkeypatch):
    report = _clean_pdf(tmp_path / "report.pdf", 2, "Report")
    response = _clean_pdf(tmp_path / "response.pdf", 1, "Response")
    real = bundle_assemble.page_number_stamps

    def stamps_with_a_name(sizes):
        out = real(sizes)
        out[3] = out[3].replace(b"(Page 4 of 5)", b"(Page 4 of 5 Dean Voss)")
        return out

    monkeypatch.setattr(bundle_assemble, "page_number_stamps", stamps_with_a_name)
    request = _two_documents(report, response, tmp_path / "out", terms=("Dean Voss",))
    result = bundle.build_package(request)
    assert not result.written
    assert result.checks["bundle_redaction"]["pages_unchanged_from_checked_pdfs"] == 3
    assert any("finished bundle" in p and "Dean Voss" in p for p in result.problems)
    assert not (tmp_path / "out").exists()


def test_document_parts_are_checked_when_pages_are_not_read_again(checked_bundle):
    """Properties, XMP, bookmarks, annotations and scripts are read in the finished bundle."""
    built, request, work = checked_bundle

    def add_everything(writer):
        from pypdf.annotations import Text
        from pypdf.generic import DecodedStreamObject, NameObject

        writer.add_metadata({"/Author": "Stacey Harrowgate"})
        xmp = DecodedStreamObject()
        xmp.set_data(b"<x:xmpmeta><dc:creator>Stacey Harrowgate</dc:creator></x:xmpmeta>")
        writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
        writer.add_outline_item(title="About Dean Voss", page_number=4)
        writer.add_annotation(5, Text(rect=(50, 50, 100, 100), text="ask Dean Voss"))
        writer.add_attachment("notes.txt", b"notes")

    changed = _rewritten(built, add_everything)
    plan = bundle_recheck.plan_recheck(changed)
    assert plan.pages_unchanged == 7  # the pages' own content is still the same
    again = bundle.check_bundle_again(changed, request, work)
    found = {(f.kind, f.location.split(" ")[0]) for f in again.report.files[0].findings}
    kinds = {f.kind for f in again.report.files[0].findings}
    assert {"metadata", "annotation", "attachment"} <= kinds, found
    locations = " | ".join(f.location for f in again.report.files[0].findings)
    assert "bookmark" in locations and "XMP" in locations and "Author" in locations
    assert again.passed is False


def test_an_input_pdf_changed_during_the_checks_is_refused(tmp_path, monkeypatch):
    report = _clean_pdf(tmp_path / "report.pdf", 2, "Report")
    response = _clean_pdf(tmp_path / "response.pdf", 1, "Response")
    real = bundle_preflight.run_readability

    def save_while_checking(paths, request, **kwargs):
        _clean_pdf(report, 2, "Changed")  # someone saves the report meanwhile
        return real(paths, request, **kwargs)

    monkeypatch.setattr(bundle, "run_readability", save_while_checking)
    request = _two_documents(report, response, tmp_path / "out")
    with pytest.raises(InputError, match="changed while it was being packaged"):
        bundle.build_package(request)
    assert not (tmp_path / "out").exists()


def test_a_pdf_pypdf_had_to_repair_is_read_again_in_full(tmp_path):
    """Offsets that are wrong make pypdf guess at objects; the first check's reader and the
    bundle's might guess differently, so such a file's pages are not taken as checked."""
    report = _clean_pdf(tmp_path / "report.pdf", 2, "Report")
    data = report.read_bytes()
    cut = data.index(b"\n", 10) + 1
    shifted = tmp_path / "shifted.pdf"
    shifted.write_bytes(data[:cut] + b"%" + b"x" * 40 + b"\n" + data[cut:])
    response = _clean_pdf(tmp_path / "response.pdf", 1, "Response")
    request = _two_documents(shifted, response, tmp_path / "out")
    result = bundle.build_package(request)
    assert result.written, result.problems
    again = result.checks["bundle_redaction"]
    assert (again["pages_read_again"], again["pages_unchanged_from_checked_pdfs"]) == (4, 1)


def test_pypdf_warnings_are_kept_not_printed(capsys):
    import logging

    from scrtool.bundle.convert import pypdf_warnings

    with pypdf_warnings() as warned:
        logging.getLogger("pypdf._reader").warning("Object 5 0 found at the wrong offset")
    assert warned == ["Object 5 0 found at the wrong offset"]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("ref", ["../escape", "NS/2026/01", "..", "-x"])
def test_a_ref_that_would_put_the_bundle_outside_the_folder_is_refused(tmp_path, ref):
    with pytest.raises(InputError, match="cannot name the bundle's files"):
        bundle_request.make_request(
            ref=ref, output_dir=tmp_path / "out", publication=dt.date(2026, 9, 14)
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was_found(tmp_path, enabled):
    """A run pauses Python's cycle collector; a caller gets it back as it had it, whether
    the run wrote a bundle or stopped on a refused input."""
    import gc

    report = _clean_pdf(tmp_path / "report.pdf", 2, "Report")
    response = _clean_pdf(tmp_path / "response.pdf", 1, "Response")
    missing = tmp_path / "missing.pdf"

    def request(first: Path) -> bundle_request.PackageRequest:
        return _two_documents(first, response, tmp_path / "out")

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert bundle.build_package(request(report)).written
        assert gc.isenabled() is enabled
        with pytest.raises(InputError):
            bundle.build_package(request(missing))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("named", [True, False])
def test_a_bundle_that_cannot_be_built_is_said_only_when_the_checks_pass(
    tmp_path, monkeypatch, named
):
    """The bundle of PDFs is built before the checks (while PDFium reads the pages); if
    pypdf cannot build it, that is said only when every check has passed: a failed check
    is what the officer must hear first, as before."""
    from pypdf.errors import PdfReadError

    from scrtool.errors import UnreadableInputError

    report = _clean_pdf(tmp_path / "report.pdf", 2, "Report")
    response = _clean_pdf(tmp_path / "response.pdf", 1, "Dean Voss" if named else "Response")

    def cannot(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PdfReadError("an object that is not there")

    monkeypatch.setattr(bundle, "assemble_bundle", cannot)
    request = _two_documents(report, response, tmp_path / "out", terms=("Dean Voss",))
    if named:
        result = bundle.build_package(request)
        assert not result.written
        assert any("Dean Voss" in p for p in result.problems), result.problems
    else:
        with pytest.raises(UnreadableInputError, match="could not be put together"):
            bundle.build_package(request)
    assert not (tmp_path / "out").exists()
