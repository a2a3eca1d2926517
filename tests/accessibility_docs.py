"""Word documents for the accessibility check, built with python-docx and direct XML
edits: a report that passes, and the same report broken one way at a time.

``build_report(path, **faults)`` makes the passing report unless a fault is named. Each
fault is what a person does wrong in Word; ``fix_*`` functions do what
docs/check-accessibility.md tells a person to do, on the XML Word writes.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

ALT = "Bar chart of the number of contacts each agency had with the family, by month."


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def _remove_language(doc: Document) -> None:
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.getparent().remove(lang)


def _hyperlink(paragraph, url: str, text: str) -> None:
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _field_link(paragraph, url: str, text: str) -> None:
    """A HYPERLINK field (as Word writes a link pasted from some programs)."""

    def run_with(child) -> None:
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    for kind, code in (("begin", None), (None, f' HYPERLINK "{url}" '), ("separate", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = code
        run_with(el)
    t = OxmlElement("w:t")
    t.text = text
    run_with(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _docpr(inline):
    return inline.find(f"{{{WP}}}docPr")


def mark_decorative(docpr) -> None:
    """Word's "Mark as decorative": an extension on the picture's properties."""
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", "{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
    decorative = ext.makeelement(f"{{{DECORATIVE}}}decorative", {"val": "1"})
    ext.append(decorative)
    ext_list.append(ext)
    docpr.append(ext_list)


def build_report(
    path: Path,
    *,
    title: str | None = "The review about Child Q",
    language: bool = True,
    headings: str = "ok",  # "ok", "none", "skip", "first-h2", "bold-only"
    alt: str | None = ALT,  # None: no alternative text; "decorative"; or the text
    table: str = "header",  # "header", "none", "one-row"
    link: str | None = None,  # link text, or None for a good one
    field_link: str | None = None,  # a HYPERLINK field's text
    small_text: float | None = None,  # a run of this many points
    small_style: float | None = None,  # the Normal style's size, in points
) -> Path:
    doc = Document()
    if not language:
        _remove_language(doc)
    if small_style is not None:
        doc.styles["Normal"].font.size = Pt(small_style)
    doc.core_properties.title = title or ""
    doc.core_properties.author = ""

    def heading(text: str, level: int) -> None:
        if headings == "none":
            doc.add_paragraph(text)
        elif headings == "bold-only":
            doc.add_paragraph().add_run(text).bold = True
        else:
            doc.add_heading(text, level)

    first = 2 if headings == "first-h2" else 1
    heading("Summary", first)
    doc.add_paragraph("This report looks at the help given to Child Q and the family.")
    heading("What the records show", first)
    doc.add_paragraph("Each agency sent a list of its contacts with the family.")
    heading("Contacts by month", 3 if headings == "skip" else first + 1)
    picture_para = doc.add_paragraph()
    picture_para.add_run().add_picture(io.BytesIO(png_bytes()), width=Cm(4))
    inline = picture_para._p.findall(f".//{{{WP}}}inline")[-1]
    if alt == "decorative":
        mark_decorative(_docpr(inline))
    elif alt is not None:
        _docpr(inline).set("descr", alt)
    rows = 1 if table == "one-row" else 3
    t = doc.add_table(rows=rows, cols=2)
    t.style = doc.styles["Table Grid"]
    values = [("Agency", "Contacts"), ("Northshire Police", "3"), ("Larkfield School", "5")]
    for row, (a, b) in zip(t.rows, values, strict=False):
        row.cells[0].text, row.cells[1].text = a, b
    if table == "header":
        repeat_header_row(t)
    para = doc.add_paragraph("The partnership's procedures are on its website: ")
    if link is not None:
        _hyperlink(para, "https://example.org/procedures", link)
    else:
        _hyperlink(para, "https://example.org/procedures", "the safeguarding procedures")
    if field_link is not None:
        _field_link(doc.add_paragraph("Also see "), "https://example.org/more", field_link)
    tail = doc.add_paragraph("The review asks the partnership to act on these points.")
    if small_text is not None:
        tail.add_run(" Source: the agencies' records.").font.size = Pt(small_text)
    heading("Recommendations", first)
    doc.add_paragraph("Train staff and managers.")
    doc.save(str(path))
    return path


def repeat_header_row(table) -> None:
    """Word's Table Layout, Repeat Header Rows, on the first row."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


# --- the fixes, as docs/check-accessibility.md tells a person to make them -------------


def fix_title(doc: Document, title: str = "The review about Child Q") -> None:
    """File, Info, Title."""
    doc.core_properties.title = title


def fix_headings(doc: Document) -> None:
    """Give the heading that skipped a level the next level down (Home, Styles)."""
    previous = 0
    for paragraph in doc.paragraphs:
        name = paragraph.style.name
        if name.startswith("Heading "):
            level = int(name.split()[1])
            if level > previous + 1:
                level = previous + 1
                paragraph.style = doc.styles[f"Heading {level}"]
            previous = level


def fix_alt_text(doc: Document, text: str = ALT) -> None:
    """Right-click the picture, View Alt Text, describe it."""
    for docpr in doc.element.body.iter(f"{{{WP}}}docPr"):
        docpr.set("descr", text)


def fix_tables(doc: Document) -> None:
    """Click in the first row, Table Layout, Repeat Header Rows."""
    for table in doc.tables:
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:tblHeader")) is None:
            tr_pr.append(OxmlElement("w:tblHeader"))


def resave(path: Path, out: Path, *fixes) -> Path:
    doc = Document(str(path))
    for fix in fixes:
        fix(doc)
    doc.save(str(out))
    return out


def fix_language(doc: Document, language: str = "en-GB") -> None:
    """Home, right-click Normal, Modify, Format, Language."""
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    rpr.append(lang)


def fix_bold_headings(doc: Document) -> None:
    """Click in each bold line that should be a heading and choose Heading 1."""
    for paragraph in doc.paragraphs:
        if paragraph.runs and all(r.bold for r in paragraph.runs):
            paragraph.style = doc.styles["Heading 1"]
            for run in paragraph.runs:
                run.bold = None


def fix_link_text(doc: Document, text: str = "the safeguarding procedures") -> None:
    """Right-click the link, Edit Hyperlink, Text to display."""
    body = doc.element.body
    for link in body.iter(qn("w:hyperlink")):
        ts = list(link.iter(qn("w:t")))
        ts[0].text = text
        for t in ts[1:]:
            t.text = ""
    for paragraph in doc.paragraphs:
        runs = paragraph._p.findall(qn("w:r"))
        if any(r.find(qn("w:fldChar")) is not None for r in runs):
            for t in paragraph._p.iter(qn("w:t")):
                if t.text and t.text.strip() and not t.text.startswith("Also"):
                    t.text = "the partnership's annual report"


def fix_font_size(doc: Document) -> None:
    """Select the small text and set 11 points; or Modify the small style."""
    normal = doc.styles["Normal"]
    if normal.font.size is not None and normal.font.size < Pt(9):
        normal.font.size = Pt(11)
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if run.font.size is not None and run.font.size < Pt(9):
                run.font.size = Pt(11)
