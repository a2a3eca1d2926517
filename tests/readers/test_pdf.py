"""Every place a PDF can hide a name, planted with reportlab and pypdf and found."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from redaction_docs import CLEAN_PARAGRAPHS, PLACES, REGISTER, build_pdf, pdf_writer, save_writer

from scrtool.checks.redaction import check_redaction
from scrtool.errors import UnreadableInputError
from scrtool.readers.pdf import PdfInspector, pdf_pieces


def findings(path: Path, terms=REGISTER + PLACES):
    return check_redaction([path], terms=terms).files[0].findings


def where(path: Path, kind: str) -> set[tuple[str, str]]:
    return {(f.text, f.location) for f in findings(path) if f.kind == kind}


def test_page_text(tmp_path):
    path = build_pdf(
        tmp_path / "p.pdf", lines=["Nothing here.", "Then Stacey", "Harrowgate on a new line."]
    )
    names = where(path, "name")
    assert ("Stacey Harrowgate", "page 1") in names


def _black_box_over(c, text: str, x: float, y: float, before: bool = False, fill=(0, 0, 0)) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = stringWidth(text, "Helvetica", 12)
    if before:
        c.setFillColorRGB(*fill)
        c.rect(x - 1, y - 3, width + 2, 15, fill=1, stroke=0)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(x, y, text)
        c.setFillColorRGB(0, 0, 0)
        return
    c.setFillColorRGB(0, 0, 0)
    c.drawString(x, y, text)
    c.setFillColorRGB(*fill)
    c.rect(x - 1, y - 3, width + 2, 15, fill=1, stroke=0)
    c.setFillColorRGB(0, 0, 0)


def test_text_under_a_black_box_is_covered_text(tmp_path):
    def draw(c):
        c.drawString(72, 600, "The child's name is")
        _black_box_over(c, "Kayden Harrowgate", 180, 600)

    found = findings(build_pdf(tmp_path / "b.pdf", draw))
    covered = [f for f in found if f.kind == "covered-text"]
    assert [f.text for f in covered] == ["Kayden Harrowgate"]
    assert covered[0].location == "page 1 (text under a box drawn over it)"
    assert covered[0].severity == "high"


def test_a_white_box_over_text_is_covered_too(tmp_path):
    def draw(c):
        _black_box_over(c, "Dean Voss", 72, 600, fill=(1, 1, 1))

    assert [
        f.text for f in findings(build_pdf(tmp_path / "w.pdf", draw)) if f.kind == "covered-text"
    ] == ["Dean Voss"]


def test_white_text_on_a_dark_box_drawn_first_is_fine(tmp_path):
    def draw(c):
        _black_box_over(c, "Table heading", 72, 600, before=True)

    found = findings(build_pdf(tmp_path / "ok.pdf", draw))
    assert not [f for f in found if f.kind in ("covered-text", "hidden-text")]


def test_black_text_on_a_black_box_drawn_first_is_covered(tmp_path):
    def draw(c):
        c.setFillColorRGB(0, 0, 0)
        c.rect(71, 597, 120, 15, fill=1, stroke=0)
        c.drawString(72, 600, "Dean Voss")

    covered = [
        f.text for f in findings(build_pdf(tmp_path / "bb.pdf", draw)) if f.kind == "covered-text"
    ]
    assert covered == ["Dean Voss"]


def test_a_table_border_and_thin_lines_are_not_boxes(tmp_path):
    def draw(c):
        c.drawString(72, 600, "Cell text over a rule")
        c.rect(72, 598, 200, 1, fill=1, stroke=0)
        c.rect(72, 590, 200, 30, fill=0, stroke=1)

    assert not [
        f for f in findings(build_pdf(tmp_path / "t.pdf", draw)) if f.kind == "covered-text"
    ]


def test_white_text_on_white_and_render_mode_3_are_hidden_text(tmp_path):
    def draw(c):
        c.setFillColorRGB(1, 1, 1)
        c.drawString(72, 500, "white words Stacey Harrowgate")
        c.setFillColorRGB(0, 0, 0)
        t = c.beginText(72, 450)
        t.setTextRenderMode(3)
        t.textLine("invisible words")
        c.drawText(t)

    hidden = where(build_pdf(tmp_path / "h.pdf", draw), "hidden-text")
    assert ("white words Stacey Harrowgate", "page 1 (white text)") in hidden
    assert ("invisible words", "page 1 (invisible text)") in hidden


def test_an_ocr_text_layer_over_a_scanned_image_is_not_hidden_text(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (100, 100), "white")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    buf.seek(0)

    def draw(c):
        c.drawImage(ImageReader(buf), 0, 0, 595, 842)
        t = c.beginText(72, 450)
        t.setTextRenderMode(3)
        t.textLine("scanned words")
        c.drawText(t)

    assert not where(build_pdf(tmp_path / "ocr.pdf", draw), "hidden-text")


def test_text_outside_the_page_and_tiny_text(tmp_path):
    def draw(c):
        c.drawString(700, 900, "off the page")
        c.setFont("Helvetica", 0.5)
        c.drawString(72, 300, "tiny words")
        c.setFont("Helvetica", 12)

    hidden = where(build_pdf(tmp_path / "o.pdf", draw), "hidden-text")
    assert ("off the page", "page 1 (text outside the page)") in hidden
    assert ("tiny words", "page 1 (text too small to see)") in hidden


def test_annotations_and_their_authors(tmp_path):
    from pypdf.annotations import FreeText, Text
    from pypdf.generic import NameObject, TextStringObject

    path = build_pdf(tmp_path / "a.pdf")
    writer = pdf_writer(path)
    note = Text(rect=(50, 550, 200, 650), text="Check with Dean Voss")
    note[NameObject("/T")] = TextStringObject("Reviewer One")
    writer.add_annotation(0, note)
    free = FreeText(text="Looks fine", rect=(50, 400, 200, 450))
    free[NameObject("/T")] = TextStringObject("Kayden Harrowgate")
    writer.add_annotation(0, free)
    found = findings(save_writer(writer, tmp_path / "a2.pdf"))
    ann = {(f.text, f.location, f.severity) for f in found if f.kind == "annotation"}
    assert ("Check with Dean Voss", "page 1, annotation 1 (Text by Reviewer One)", "high") in ann
    assert ("Looks fine", "page 1, annotation 2 (FreeText by Kayden Harrowgate)", "high") in ann
    names = {(f.text, f.location) for f in found if f.kind == "name"}
    assert ("Dean Voss", "page 1, annotation 1 (Text by Reviewer One)") in names
    assert (
        "Kayden Harrowgate",
        "page 1, annotation 2 (FreeText by Kayden Harrowgate) author",
    ) in names


def test_embedded_files_and_file_attachment_annotations(tmp_path):
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    path = build_pdf(tmp_path / "e.pdf")
    writer = pdf_writer(path)
    writer.add_attachment("notes.txt", b"Phone Dean Voss on 07700 900123")
    stream = DecodedStreamObject()
    stream.set_data(b"Kayden Harrowgate's school report")
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    spec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("report.txt"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)}),
        }
    )
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
            NameObject("/FS"): writer._add_object(spec),
            NameObject("/Contents"): TextStringObject("school report"),
        }
    )
    writer.add_annotation(0, annot)
    found = findings(save_writer(writer, tmp_path / "e2.pdf"))
    attachments = {(f.text, f.location) for f in found if f.kind == "attachment"}
    assert ("notes.txt", "attached file notes.txt") in attachments
    assert ("report.txt: school report", "page 1, annotation 1 (FileAttachment)") in attachments
    got = {(f.kind, f.text) for f in found}
    assert ("name", "Dean Voss") in got
    assert ("phone", "07700 900123") in got
    assert ("name", "Kayden Harrowgate's") in got


def test_javascript_everywhere(tmp_path):
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    def js(code: str) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(code),
            }
        )

    path = build_pdf(tmp_path / "j.pdf")
    writer = pdf_writer(path)
    names = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [
                            TextStringObject("greeting"),
                            writer._add_object(js("app.alert('named script');")),
                        ]
                    )
                }
            )
        }
    )
    writer._root_object[NameObject("/Names")] = names
    writer._root_object[NameObject("/OpenAction")] = js("app.alert('open');")
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): js("app.alert('page open');")}
    )
    found = findings(save_writer(writer, tmp_path / "j2.pdf"))
    scripts = {(f.text, f.location) for f in found if f.kind == "javascript"}
    assert ("app.alert('open');", "document open action") in scripts
    assert ("app.alert('page open');", "page 1 action (O)") in scripts
    assert ("app.alert('named script');", "document JavaScript greeting") in scripts
    assert all(f.severity == "high" for f in found if f.kind == "javascript")


def test_form_fields(tmp_path):
    def draw(c):
        c.acroForm.textfield(
            name="child", value="Stacey Harrowgate", x=72, y=500, width=200, height=20
        )
        c.acroForm.textfield(name="empty", value="", x=72, y=450, width=200, height=20)

    found = findings(build_pdf(tmp_path / "f.pdf", draw))
    fields = {(f.text, f.location, f.severity) for f in found if f.kind == "form-field"}
    assert fields == {("Stacey Harrowgate", "form field child", "medium")}
    assert ("Stacey Harrowgate", "form field child") in {
        (f.text, f.location) for f in found if f.kind == "name"
    }


def test_bookmarks_info_and_xmp(tmp_path):
    from pypdf.generic import NameObject, StreamObject

    path = build_pdf(tmp_path / "m.pdf")
    writer = pdf_writer(path)
    writer.add_outline_item(title="About Kayden Harrowgate", page_number=0)
    writer.add_metadata({"/Author": "Dean Voss", "/Title": "Overview report", "/Producer": "Word"})
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Microsoft Word">'
        b"<dc:creator><rdf:Seq><rdf:li>Stacey Harrowgate</rdf:li></rdf:Seq></dc:creator>"
        b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Overview</rdf:li></rdf:Alt></dc:title>'
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    stream = StreamObject()
    stream.set_data(xmp)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    found = findings(save_writer(writer, tmp_path / "m2.pdf"))
    meta = {(f.text, f.location, f.severity) for f in found if f.kind == "metadata"}
    assert ("Dean Voss", "document property Author", "medium") in meta
    assert ("Overview report", "document property Title", "low") in meta
    assert ("Stacey Harrowgate", "XMP metadata dc:creator", "medium") in meta
    assert ("Microsoft Word", "XMP metadata CreatorTool", "low") in meta
    names = {(f.text, f.location) for f in found if f.kind == "name"}
    assert ("Kayden Harrowgate", "bookmark 1") in names
    assert ("Stacey Harrowgate", "XMP metadata dc:creator") in names


def test_an_incremental_update_keeps_the_earlier_text(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    path = build_pdf(
        tmp_path / "r.pdf", lines=["Interview with Stacey Harrowgate.", "Second line."]
    )
    writer = PdfWriter(str(path), incremental=True)
    page = writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(
        b"BT /F1 12 Tf 72 780 Td (Interview with Mother.) Tj 0 -18 Td (Second line.) Tj ET"
    )
    page[NameObject("/Contents")] = writer._add_object(stream)
    final = save_writer(writer, tmp_path / "r2.pdf")
    assert final.read_bytes().count(b"%%EOF") == 2
    found = findings(final)
    history = [f for f in found if f.kind == "revision-history"]
    assert len(history) == 1
    assert history[0].severity == "high"
    assert "Interview with Stacey Harrowgate." in history[0].text
    assert history[0].location == "earlier revision 1 of 2"
    names = {(f.text, f.location) for f in found if f.kind == "name"}
    assert ("Stacey Harrowgate", "earlier revision 1 of 2, page 1") in names
    assert not any(loc == "page 1" for _, loc in names)


def test_a_linearized_file_is_not_a_revision(tmp_path):
    path = build_pdf(tmp_path / "l.pdf", lines=CLEAN_PARAGRAPHS)
    out = tmp_path / "lin.pdf"
    subprocess.run(["qpdf", "--linearize", str(path), str(out)], check=True)
    assert out.read_bytes().count(b"%%EOF") >= 2
    assert not [f for f in findings(out) if f.kind == "revision-history"]


def test_a_clean_pdf_passes(tmp_path):
    path = build_pdf(tmp_path / "clean.pdf", lines=CLEAN_PARAGRAPHS)
    report = check_redaction([path], terms=REGISTER + PLACES)
    assert report.passed, report.files[0].findings


# --- files that cannot be checked ---------------------------------------------------------


def test_an_encrypted_pdf_must_be_sent_unencrypted(tmp_path):
    writer = pdf_writer(build_pdf(tmp_path / "x.pdf"))
    writer.encrypt("secret")
    path = save_writer(writer, tmp_path / "enc.pdf")
    with pytest.raises(UnreadableInputError, match="must be sent unencrypted"):
        pdf_pieces(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"hello, not a pdf", "not a PDF"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 40, "damaged"),
    ],
)
def test_empty_fake_and_corrupt_pdfs(tmp_path, content, message):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(UnreadableInputError, match=message):
        PdfInspector(content, path).read()


# --- one extraction shared by the redaction and readability checks ---------------------


def _rich_pdf(path: Path) -> Path:
    """Several pages: a black box over a name, rotated text, a rotated page, white text."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    source = path.with_suffix(".src.pdf")
    c = canvas.Canvas(str(source))
    for number in range(1, 4):
        c.drawString(72, 780, f"Header of the Wexmoor review, page {number}")
        for row, text in enumerate(CLEAN_PARAGRAPHS[:8]):
            c.drawString(72, 740 - 16 * row, text[:90])
        if number == 2:
            _black_box_over(c, "Stacey Harrowgate", 72, 500)
            c.saveState()
            c.translate(300, 300)
            c.rotate(90)
            c.drawString(0, 0, "Rotated: Dean Voss, 14 Larkspur Close")
            c.restoreState()
            c.setFillColorRGB(1, 1, 1)
            c.drawString(72, 200, "White words Kayden")
            c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    writer = PdfWriter()
    for index, page in enumerate(PdfReader(source).pages):
        if index == 2:
            page.rotate(90)
        writer.add_page(page)
    writer.write(path)
    return path


def test_pdfium_text_is_the_text_pdftotext_reads(tmp_path):
    """Rotated text and a rotated page are read, in the words pdftotext reads them."""
    from scrtool.readers.pdf import read_pdf

    path = _rich_pdf(tmp_path / "rich.pdf")
    ours = read_pdf(path).page_texts
    theirs = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    for page, other in zip(ours, theirs, strict=False):
        assert sorted(page.split()) == sorted(other.split())
    assert "Rotated:" in " ".join(ours)


def test_package_reads_each_file_once_for_both_checks(tmp_path, monkeypatch):
    from scrtool.bundle import preflight
    from scrtool.bundle.request import Document, PackageRequest
    from scrtool.checks.readability import check_readability
    from scrtool.readers import pdf as pdf_reader

    path = _rich_pdf(tmp_path / "rich.pdf")
    terms = tuple(REGISTER + PLACES)
    fresh_redaction = check_redaction([path], terms=terms)
    fresh_readability = check_readability([path], advice=False)

    calls = []
    original = pdf_reader.read_page

    def counting(page, number, **kwargs):
        calls.append(number)
        return original(page, number, **kwargs)

    monkeypatch.setattr(pdf_reader, "read_page", counting)
    import datetime as dt

    request = PackageRequest(
        ref="NS-1",
        review_type="lcspr",
        documents=(Document("Report", path),),
        publication=dt.date(2026, 9, 14),
        sent=dt.date(2026, 9, 1),
        output_dir=tmp_path / "out",
        terms=terms,
    )
    read = preflight.read_inputs([path])
    redaction = preflight.run_redaction([path], request, read=read)
    readability = preflight.run_readability([path], request, read=read)
    assert calls == [1, 2, 3]  # each page read once, for both checks
    assert redaction == fresh_redaction
    assert readability == fresh_readability
    kinds = {f.kind for f in redaction.files[0].findings}
    assert {"name", "covered-text", "hidden-text"} <= kinds


def test_a_pdf_with_no_text_at_all_cannot_be_checked(tmp_path):
    """A scanned report would otherwise pass with nothing found where nothing was read."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 400, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(UnreadableInputError, match="no text on any page"):
        check_redaction([path], terms=REGISTER)


def test_library_log_lines_stay_off_stderr_and_go_to_the_json(tmp_path):
    """A dangling reference makes pypdf log "Object 172 0 not defined."; a person sees
    one plain result, and the JSON keeps the line as a warning."""
    import json

    from click.testing import CliRunner

    from scrtool.cli import cli

    path = build_pdf(tmp_path / "clean.pdf", lines=CLEAN_PARAGRAPHS[:2])
    data = path.read_bytes().replace(b"/Type /Page\n", b"/Type /Page /AA 172 0 R\n", 1)
    if data == path.read_bytes():
        data = path.read_bytes().replace(b"/Type /Page ", b"/Type /Page /AA 172 0 R ", 1)
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["check", "redaction", str(path), "--json"])
    assert "not defined" not in result.stderr
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["files"][0]["warnings"]
    assert any("172 0" in w for w in warnings)


def test_pages_read_with_pdfiums_own_calls_give_pypdfium2s_text_and_boxes(tmp_path):
    """Pages are loaded with PDFium's calls, not pypdfium2's page objects: the text and the
    crop box are exactly pypdfium2's (a rotated page, rotated text, a form XObject)."""
    import pypdfium2 as pdfium

    from scrtool.readers import pdf_objects, pdf_pages

    rich = _rich_pdf(tmp_path / "rich.pdf")
    form = Path(__file__).resolve().parent.parent / "data" / "readers" / "form-xobject-matrix.pdf"
    for path in (rich, form):
        document = pdfium.PdfDocument(path.read_bytes())
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            handle = pdf_objects.load_page(document, index)
            try:
                assert pdf_pages.page_text(textpage.raw) == textpage.get_text_range()
                assert pdf_objects.crop_box(handle) == tuple(page.get_cropbox())
                assert pdf_pages.read_page(handle, index + 1) == pdf_pages.read_page(
                    page, index + 1
                )
            finally:
                pdf_objects.close_page(handle)
                textpage.close()
                page.close()
        document.close()


def test_a_page_pdfium_cannot_load_is_an_error_not_a_crash(tmp_path):
    import pypdfium2 as pdfium

    from scrtool.readers import pdf_objects

    document = pdfium_document(_rich_pdf(tmp_path / "rich.pdf"))
    with pytest.raises(pdfium.PdfiumError):
        pdf_objects.load_page(document, 99)


def pdfium_document(path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(path.read_bytes())


# --- pypdf reads the pages only when something can be on them ----------------------------


def _three_pages(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, 4):
        c.drawString(72, 780, f"Page {number}: {CLEAN_PARAGRAPHS[number]}")
        c.showPage()
    c.save()
    return path


def test_the_plain_shortcut_needs_one_revision_no_object_streams_and_no_page_actions():
    from scrtool.readers.pdf import _pages_plain

    plain = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"
    assert _pages_plain(plain)
    assert not _pages_plain(plain.replace(b"/Type /Page", b"/Type /Page /AA 4 0 R"))
    assert not _pages_plain(plain.replace(b"/Type /Page", b"/Type /Page /A#41 4 0 R"))
    assert not _pages_plain(plain.replace(b"/Type /Page", b"/Type /ObjStm"))
    assert not _pages_plain(plain + b"2 0 obj << >> endobj\n%%EOF\n")


def test_an_annotation_on_a_later_page_of_a_plain_pdf_is_still_found(tmp_path, monkeypatch):
    """PDFium counts the annotation on page 3, so pypdf reads the pages after all."""
    from pypdf.annotations import Text

    from scrtool.readers import pdf

    writer = pdf_writer(_three_pages(tmp_path / "three.pdf"))
    writer.add_annotation(2, Text(rect=(50, 550, 200, 650), text="Ask Dean Voss"))
    path = save_writer(writer, tmp_path / "noted.pdf")
    assert pdf._pages_plain(path.read_bytes())
    walked: list[int] = []
    real = pdf.count_pages
    monkeypatch.setattr(pdf, "count_pages", lambda r, n: walked.append(1) or real(r, n))
    found = {(f.text, f.location) for f in findings(path) if f.kind == "annotation"}
    assert ("Ask Dean Voss", "page 3, annotation 1 (Text)") in found
    assert walked


def test_a_plain_pdf_with_nothing_on_its_pages_is_read_without_pypdfs_page_walk(
    tmp_path, monkeypatch
):
    from scrtool.readers import pdf

    path = _three_pages(tmp_path / "three.pdf")
    monkeypatch.setattr(pdf, "count_pages", lambda r, n: pytest.fail("pages walked"))
    report = check_redaction([path], terms=REGISTER)
    assert report.passed


def test_a_page_action_behind_an_escaped_name_or_in_an_object_stream_is_still_found(tmp_path):
    import shutil

    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = pdf_writer(_three_pages(tmp_path / "three.pdf"))
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Dean Voss');"),
        }
    )
    writer.pages[1][NameObject("/AA")] = DictionaryObject({NameObject("/O"): script})
    path = save_writer(writer, tmp_path / "action.pdf")
    data = path.read_bytes()
    assert data.count(b"/AA") == 1
    escaped = tmp_path / "escaped.pdf"
    escaped.write_bytes(data.replace(b"/AA", b"/A#41"))
    places = [escaped]
    if shutil.which("qpdf"):
        packed = tmp_path / "packed.pdf"
        subprocess.run(["qpdf", "--object-streams=generate", str(path), str(packed)], check=True)
        assert b"/AA" not in packed.read_bytes()
        places.append(packed)
    for place in places:
        scripts = {(f.text, f.location) for f in findings(place) if f.kind == "javascript"}
        assert ("app.alert('Dean Voss');", "page 2 action (O)") in scripts, place.name


def test_a_full_stop_drawn_on_its_own_is_not_text_too_small_to_see(tmp_path):
    """Its box is under a point tall at any size; what counts is the size it is drawn
    at: the font size times its matrices, a form XObject's included."""

    def draw(c):
        c.setFont("Helvetica", 12)
        c.drawString(72, 700, "A full stop drawn alone follows")
        for x, mark in ((250, "."), (260, "-"), (270, "_")):
            c.drawString(x, 700, mark)
        c.saveState()
        c.translate(72, 500)
        c.scale(0.05, 0.05)
        c.drawString(0, 0, "tiny by its matrix")
        c.restoreState()
        c.setFont("Helvetica", 0.2)
        c.saveState()
        c.translate(72, 300)
        c.scale(50, 50)
        c.drawString(0, 0, "small font scaled up")
        c.restoreState()
        c.beginForm("shrunk")
        c.setFont("Helvetica", 12)
        c.drawString(0, 0, "tiny in a form")
        c.endForm()
        c.saveState()
        c.translate(72, 200)
        c.scale(0.03, 0.03)
        c.doForm("shrunk")
        c.restoreState()
        c.setFont("Helvetica", 12)

    hidden = where(build_pdf(tmp_path / "marks.pdf", draw), "hidden-text")
    assert hidden == {("tiny by its matrix tiny in a form", "page 1 (text too small to see)")}, (
        hidden
    )


def test_a_page_that_will_not_load_is_refused_by_every_check_with_one_sentence(tmp_path):
    """The page tree names a page object that is not in the file: every check, the one
    that reads the words alone and the one that reads no page text included, refuses it
    with the same sentence and exit 2 (readability used to stop on "a fault in scrtool")."""
    from every_check import one_refusal

    path = _three_pages(tmp_path / "three.pdf")
    writer = pdf_writer(path)
    from pypdf.generic import IndirectObject

    kids = writer._root_object["/Pages"]["/Kids"]
    kids[1] = IndirectObject(9999, 0, writer)
    broken = save_writer(writer, tmp_path / "broken.pdf")
    assert "page 2 is damaged and its text cannot be read" in one_refusal(broken)
