"""Documents for the readability tests, built with the real libraries (python-docx, reportlab)."""

from __future__ import annotations

from pathlib import Path

EASY = (
    "The school saw Child A every day. Staff were kind and they wrote down what they saw. "
    "Child A was often hungry at the start of the day. The teacher gave him toast and told "
    "the head. The head rang the family on the same day. Mother said things were hard at "
    "home. The school asked the health visitor to call round. She came the next week and "
    "met the family at home."
)

HARD = (
    "Notwithstanding the considerable organisational complexities associated with "
    "multi-agency information-sharing arrangements, the professionals responsible for "
    "coordinating safeguarding interventions demonstrated insufficient understanding of "
    "the cumulative significance of the deteriorating circumstances, consequently "
    "precipitating inadequate consideration of the appropriate statutory thresholds "
    "applicable to the investigation. Subsequently, institutional communication "
    "deficiencies systematically undermined the effectiveness of interdisciplinary "
    "collaboration, particularly regarding the identification of vulnerability indicators "
    "and the prioritisation of protective responsibilities."
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _runs_xml(inner: str) -> str:
    return f'<w:p xmlns:w="{W}">{inner}</w:p>'


def make_docx(path: Path) -> Path:
    """A report with everything a reader must skip, and everything it must keep.

    Kept: headings (built-in, a custom style based on Heading 2, a direct outline level),
    body text, a table, a tracked insertion, a field's visible result.
    Skipped: header, footer, a table of contents (field and TOC styles), field codes,
    a tracked deletion, hidden text.
    """
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "HEADERWORD Northshire confidential draft"
    section.footer.paragraphs[0].text = "FOOTERWORD page footer"

    doc.add_paragraph("Learning from the review of Child A", style="Title")
    # A table of contents as Word writes it: a TOC field whose result is "toc 1" paragraphs.
    toc_style = doc.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    toc_style.base_style = doc.styles["Normal"]
    body = doc.element.body
    begin = parse_xml(
        _runs_xml(
            '<w:pPr><w:pStyle w:val="toc1"/></w:pPr>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            "<w:r><w:t>TOCWORD Background 1</w:t></w:r>"
        )
    )
    middle = parse_xml(_runs_xml("<w:r><w:t>TOCWORD Findings 2</w:t></w:r>"))
    end = parse_xml(
        _runs_xml(
            "<w:r><w:t>TOCWORD Recommendations 3</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
    )
    for el in (begin, middle, end):
        body.insert(len(body) - 1, el)
    # Fix the style id of the first TOC paragraph to the one python-docx gave the style.
    begin.find(f"{{{W}}}pPr/{{{W}}}pStyle").set(f"{{{W}}}val", toc_style.style_id)

    doc.add_heading("Background", level=1)
    doc.add_paragraph(EASY)
    para = doc.add_paragraph("The family lived in a flat. ")
    para._p.append(
        parse_xml(
            f'<w:del xmlns:w="{W}" w:id="1" w:author="Reviewer" w:date="2026-01-01T00:00:00Z">'
            "<w:r><w:delText>DELETEDWORD gone text </w:delText></w:r></w:del>"
        )
    )
    para._p.append(
        parse_xml(
            f'<w:ins xmlns:w="{W}" w:id="2" w:author="Reviewer" w:date="2026-01-01T00:00:00Z">'
            '<w:r><w:t xml:space="preserve">INSERTEDWORD it was small. </w:t></w:r></w:ins>'
        )
    )
    hidden = para.add_run("HIDDENWORD secret note.")
    hidden.font.hidden = True
    # A field with a visible result: the code is not text, the result is.
    para._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"/></w:r>'))
    para._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> DATE \\@ "d MMMM yyyy" CODEWORD </w:instrText></w:r>'
        )
    )
    para._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="separate"/></w:r>'))
    para._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:t>RESULTWORD</w:t></w:r>'))
    para._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>'))

    review_heading = doc.styles.add_style("Review Heading", WD_STYLE_TYPE.PARAGRAPH)
    review_heading.base_style = doc.styles["Heading 2"]
    doc.add_paragraph("What the school knew", style="Review Heading")
    doc.add_paragraph(EASY)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Agency"
    table.cell(0, 1).text = "What it did"
    table.cell(1, 0).text = "School"
    table.cell(1, 1).text = "TABLEWORD The school rang the family."

    outlined = doc.add_paragraph("Findings")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{W}" w:val="0"/>'))
    doc.add_paragraph(HARD)
    doc.save(path)
    return path


def make_pdf(path: Path, *, outline: bool = True, texts: dict[str, str] | None = None) -> Path:
    """One page per section; with ``outline`` each page is bookmarked with its heading."""
    import textwrap

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    sections = texts or {"Background": EASY, "Findings": HARD}
    c = canvas.Canvas(str(path), pagesize=A4)
    for index, (heading, text) in enumerate(sections.items()):
        key = f"s{index}"
        if outline:
            c.bookmarkPage(key)
            c.addOutlineEntry(heading, key, level=0)
        y = 780
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, heading)
        c.setFont("Helvetica", 11)
        y -= 28
        for line in textwrap.wrap(text, 80):
            c.drawString(72, y, line)
            y -= 15
        c.showPage()
    c.save()
    return path
