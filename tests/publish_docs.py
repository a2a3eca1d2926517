"""Word documents for the publish and PDF accessibility tests: a finished, accessible
report, and the same report with each accessibility fault the issue names."""

from __future__ import annotations

import io
from pathlib import Path

TITLE = "Learning from the review of Child A"

BODY = [
    "The health visitor saw the baby at home and wrote down what she saw.",
    "The school told the social worker that the child was often late.",
    "Nobody asked the child what life at home was like.",
    "Each agency has agreed what it will change and by when.",
]


def _picture() -> io.BytesIO:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 100, 100), fill="navy")
    draw.rectangle((130, 50, 220, 100), fill="darkorange")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    buf.seek(0)
    return buf


def set_language(document: object, lang: str) -> None:
    """The language of the document's default text (Word's docDefaults w:lang)."""
    from docx.oxml.ns import qn

    styles = document.styles.element  # type: ignore[attr-defined]
    for el in styles.iter(qn("w:lang")):
        el.set(qn("w:val"), lang)


def make_review_docx(
    path: Path,
    *,
    title: str | None = TITLE,
    alt_text: str | None = "A bar chart of contacts by agency: most were with the school.",
    header_row: bool = True,
    skip_level: bool = False,
    lang: str = "en-GB",
    body: list[str] | None = None,
    sections: int = 2,
    page_breaks: bool = False,
    author: str = "",
) -> Path:
    """A short report: headings (Heading 1, then Heading 2 unless ``skip_level`` makes it
    Heading 3), plain text, a table with a header row and a picture with alt text."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc = Document()
    set_language(doc, lang)
    props = doc.core_properties
    props.title = title or ""
    props.author = author
    props.last_modified_by = ""
    props.comments = ""
    lines = body or BODY
    for n in range(1, sections + 1):
        doc.add_heading(f"What the review found, part {n}", 1)
        doc.add_paragraph(" ".join(lines))
        doc.add_heading(f"What agencies did, part {n}", 3 if skip_level else 2)
        doc.add_paragraph(" ".join(reversed(lines)))
        if page_breaks:
            doc.add_page_break()
    doc.add_heading("Contacts by agency", 1)
    doc.add_paragraph("The table shows how often each agency saw the family.")
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for r, (agency, count) in enumerate([("Agency", "Contacts"), ("School", "14"), ("GP", "3")]):
        table.cell(r, 0).text = agency
        table.cell(r, 1).text = count
    if header_row:
        row_pr = table.rows[0]._tr.get_or_add_trPr()
        mark = OxmlElement("w:tblHeader")
        mark.set(qn("w:val"), "true")
        row_pr.append(mark)
    doc.add_paragraph("The chart shows the same contacts.")
    doc.add_picture(_picture(), width=Cm(8))
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", alt_text or "")
    doc.add_paragraph("The partnership has accepted every recommendation.")
    doc.save(str(path))
    return path
