"""What LibreOffice 7.4 reads differently from Word, put right on the copy it converts.

A picture marked as decorative in Word is published as decoration, not refused: the
check (and docs/publish.md) accept Word's "Mark as decorative" in place of alternative
text, but LibreOffice exported such a picture as a ``Figure`` with no alternative text,
which the check on the PDF refused. A Heading 1 style with no outline level (as
LibreOffice writes it when it saves a web page as .docx) is a heading to Word and to the
check, but LibreOffice exported its paragraphs as plain text: no H1, no bookmarks. A
Word chart's alternative text was dropped by LibreOffice (its Figure had no /Alt). The
PDFs are made by LibreOffice and read by pypdf, qpdf --check and the accessibility check.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from publish_docs import _picture, make_review_docx

from scrtool.bundle import publish as publishing
from scrtool.bundle.word_copy import DECORATIVE, MARKER, prepare_copy
from scrtool.checks.accessibility_pdf import pdf_findings
from scrtool.checks.accessibility_rules import load_rules

pytestmark = pytest.mark.libreoffice

REF = "NS-2026-04"
ALT = "A bar chart of contacts by agency: most were with the school."


def add_decorative_picture(path: Path) -> Path:
    """Add a picture ticked "Mark as decorative" (Word's adec:decorative, no descr)."""
    from docx import Document
    from docx.shared import Cm

    doc = Document(str(path))
    doc.add_paragraph("A divider follows.")
    doc.add_picture(_picture(), width=Cm(4))
    docpr = doc.inline_shapes[-1]._inline.docPr
    docpr.attrib.pop("descr", None)
    ext_list = etree.SubElement(
        docpr, "{http://schemas.openxmlformats.org/drawingml/2006/main}extLst"
    )
    ext = etree.SubElement(
        ext_list,
        "{http://schemas.openxmlformats.org/drawingml/2006/main}ext",
        uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}",
    )
    etree.SubElement(ext, f"{{{DECORATIVE}}}decorative", val="1")
    doc.add_paragraph("The partnership thanks the family.")
    doc.save(str(path))
    return path


def figures(pdf: Path) -> list[dict]:
    from pypdf import PdfReader

    found = []

    def walk(element) -> None:
        element = element.get_object()
        if element.get("/S") == "/Figure":
            found.append(dict(element))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            child = kid.get_object() if hasattr(kid, "get_object") else None
            if hasattr(child, "get") and child.get("/S") is not None:
                walk(child)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_a_decorative_picture_is_published_as_decoration(tmp_path):
    report = add_decorative_picture(make_review_docx(tmp_path / "report.docx", alt_text=ALT))
    before = report.read_bytes()
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=report, output_dir=out)
    assert result.exit_code == 0, result.problems
    pdf = out / f"{REF}-report.pdf"
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    assert pdf_findings(pdf, load_rules()) == []
    # The described picture keeps its Figure and text; the decorative one has none.
    assert [str(f.get("/Alt")) for f in figures(pdf)] == [ALT]
    assert (
        MARKER.encode()
        not in subprocess.run(
            ["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"], capture_output=True
        ).stdout
    )
    assert report.read_bytes() == before  # the marker went on a copy


def test_a_picture_without_alt_text_is_still_refused_beside_a_decorative_one(tmp_path):
    report = add_decorative_picture(make_review_docx(tmp_path / "report.docx", alt_text=""))
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=report, output_dir=out)
    assert result.exit_code == 1
    assert "alt-text" in "\n".join(result.problems)
    assert not out.exists() or not any(out.iterdir())


def test_prepare_copy_marks_only_decorative_pictures(tmp_path):
    report = add_decorative_picture(make_review_docx(tmp_path / "report.docx", alt_text=ALT))
    marked = tmp_path / "marked.docx"
    assert prepare_copy(report, marked) == 1
    with zipfile.ZipFile(marked) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert body.count(f'descr="{MARKER}"') == 1
    assert ALT in body
    plain = make_review_docx(tmp_path / "plain.docx", alt_text=ALT)
    assert prepare_copy(plain, tmp_path / "copy.docx") == 0
    assert (tmp_path / "copy.docx").read_bytes() == plain.read_bytes()


def drop_heading1_outline_level(path: Path) -> Path:
    """Heading 1's style as LibreOffice writes it when it saves a web page as .docx: the
    name "heading 1" and no w:outlineLvl. Word (and the check) still take it as Heading 1."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(parts["word/styles.xml"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    style = next(s for s in root.iter(w + "style") if s.get(w + "styleId") == "Heading1")
    for level in style.iter(w + "outlineLvl"):
        level.getparent().remove(level)
    parts["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_heading_1_style_without_an_outline_level_still_makes_h1_and_bookmarks(tmp_path):
    from pypdf import PdfReader

    report = drop_heading1_outline_level(
        make_review_docx(tmp_path / "report.docx", alt_text=ALT, sections=12, page_breaks=True)
    )
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=report, output_dir=out)
    assert result.exit_code == 0, result.problems
    pdf = out / f"{REF}-report.pdf"
    assert pdf_findings(pdf, load_rules()) == []
    top = [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
    assert top[0] == "What the review found, part 1"
    assert "Contacts by agency" in top


CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def chart_part(values: list[int]) -> str:
    """A Word column chart with its numbers cached in the part (no embedded workbook)."""
    labels = ["School", "GP", "Police"]

    def cache(tag: str, items: list) -> str:
        points = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(items))
        return f'<c:{tag}><c:ptCount val="{len(items)}"/>{points}</c:{tag}>'

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="{DRAWING_NS}" xmlns:r="{REL_NS}">'
        '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:barChart>'
        '<c:barDir val="col"/><c:grouping val="clustered"/><c:ser><c:idx val="0"/>'
        f'<c:order val="0"/><c:cat><c:strRef><c:f>Sheet1!$A$2:$A$4</c:f>{cache("strCache", labels)}'
        f"</c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B$4</c:f>"
        f"{cache('numCache', values)}</c:numRef></c:val></c:ser>"
        '<c:axId val="1"/><c:axId val="2"/></c:barChart><c:catAx><c:axId val="1"/>'
        '<c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="b"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/>'
        '<c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart>'
        "</c:chartSpace>"
    )


def add_charts(path: Path, descriptions: list[str]) -> Path:
    """Add one Word chart per description, each with that alternative text (docPr descr)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    paragraphs = []
    for n, text in enumerate(descriptions, start=1):
        paragraphs.append(
            f'<w:p><w:r><w:drawing><wp:inline xmlns:wp="{WP_NS}"><wp:extent cx="4572000" '
            f'cy="2743200"/><wp:docPr id="{900 + n}" name="Chart {n}" descr="{text}"/>'
            f'<a:graphic xmlns:a="{DRAWING_NS}"><a:graphicData uri="{CHART_NS}">'
            f'<c:chart xmlns:c="{CHART_NS}" xmlns:r="{REL_NS}" r:id="rIdChart{n}"/>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )
        parts[f"word/charts/chart{n}.xml"] = chart_part([14, 3 * n, 5]).encode("utf-8")
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdChart{n}" Type="{REL_NS}/chart" '
            f'Target="charts/chart{n}.xml"/></Relationships>',
        )
        types = types.replace(
            "</Types>",
            f'<Override PartName="/word/charts/chart{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>',
        )
    at = body.rindex("<w:sectPr")
    parts["word/document.xml"] = (body[:at] + "".join(paragraphs) + body[at:]).encode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    parts["[Content_Types].xml"] = types.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_each_chart_keeps_its_own_alternative_text(tmp_path):
    first = "Column chart: the school had 14 contacts, more than any other agency."
    second = "Column chart: contacts in the second year, when the GP saw the family most."
    report = add_charts(make_review_docx(tmp_path / "report.docx", alt_text=ALT), [first, second])
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=report, output_dir=out)
    assert result.exit_code == 0, result.problems
    pdf = out / f"{REF}-report.pdf"
    assert pdf_findings(pdf, load_rules()) == []
    assert [str(f.get("/Alt")) for f in figures(pdf)] == [ALT, first, second]
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0


SHAPE_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_text_box(path: Path, text: str, descr: str = "") -> Path:
    """Add a Word text box (a wps shape with its text inside), as Insert, Text Box makes."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    described = f' descr="{descr}"' if descr else ""
    box = (
        f'<w:p><w:r><w:drawing><wp:inline xmlns:wp="{WP_NS}"><wp:extent cx="3000000" '
        f'cy="900000"/><wp:docPr id="700" name="Text Box 1"{described}/>'
        f'<a:graphic xmlns:a="{DRAWING_NS}"><a:graphicData uri="{SHAPE_NS}">'
        f'<wps:wsp xmlns:wps="{SHAPE_NS}"><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="3000000" cy="900000"/></a:xfrm><a:prstGeom '
        'prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/>"
        "</wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    at = body.rindex("<w:sectPr")
    parts["word/document.xml"] = (body[:at] + box + body[at:]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_text_box_is_read_out_by_its_text_and_a_chart_after_it_keeps_its_own(tmp_path):
    chart = "Column chart: the school had 14 contacts, more than any other agency."
    box = "Key learning: ask the child what life at home is like."
    report = add_charts(
        add_text_box(make_review_docx(tmp_path / "report.docx", alt_text=ALT), box), [chart]
    )
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=report, output_dir=out)
    assert result.exit_code == 0, result.problems
    pdf = out / f"{REF}-report.pdf"
    assert pdf_findings(pdf, load_rules()) == []
    alts = [str(f.get("/Alt")) for f in figures(pdf)]
    # The text box's Figure is described by its text when it holds the text, or taken
    # out when LibreOffice gave the text an element of its own and the Figure is empty.
    assert alts in ([ALT, box, chart], [ALT, chart]), alts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Key learning" in text
