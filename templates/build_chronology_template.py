"""Build the Word template for the merged chronology: ``python3 templates/build_chronology_template.py``.

``scrtool collate --docx`` fills ``templates/chronology.docx``: a landscape page, a title,
and one table whose header row repeats on every page. The row under the header holds
placeholders in double curly brackets, one column name each (``{{ Date }}``,
``{{ Details }}``, ``{{ Source place }}``...); scrtool copies that row once for every row
of the chronology. A partnership may change fonts, widths, colours, the header and
footer, or the order of the columns in Word, as long as the placeholders stay whole.

The file is made from scratch the same way every time (fixed properties and zip
timestamps), so a change to the template is a reviewed change to this script.
"""

from __future__ import annotations

from pathlib import Path

# The default templates are saved the same way, so each build makes the same bytes.
from build_templates import (
    FIXED_TIME,
    HEADER_COLOUR,
    LANGUAGE,
    _keep_rows_whole,
    _repeat_header,
    _shade,
    _widths,
    save_reproducibly,
    set_language,
)
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
TARGET = HERE / "chronology.docx"

#: (heading, placeholder text, width in cm); the widths fill a landscape A4 page (27.2
#: cm between the margins). Each is at least as wide as its heading's longest word in
#: bold 9-point Arial plus the cell margins, so no heading breaks inside a word.
COLUMNS = [
    ("Ref", "{{ Event ref }}", 1.5),
    ("Date", "{{ Date }}", 2.2),
    ("Time", "{{ Time }}", 1.3),
    ("Agency", "{{ Agency }}", 2.6),
    ("Source", "{{ Source }}", 2.2),
    ("Event type", "{{ Event type }}", 2.3),
    ("Details", "{{ Details }}", 6.6),
    ("Action taken", "{{ Action taken }}", 3.9),
    ("Source file and row", "{{ Source place }}", 2.7),
    ("Possible duplicate", "{{ Possible duplicate }}", 1.9),
]


def _field(run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) inside ``run``."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


def build() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.25)
    section.top_margin = section.bottom_margin = Cm(1.5)
    section.header_distance = section.footer_distance = Cm(0.8)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)  # the smallest body text check accessibility allows
    normal.paragraph_format.space_after = Pt(0)
    # The title is a Heading 1, not Word's Title style: a screen reader moves by headings,
    # and a tagged PDF makes the Title style a plain paragraph (check accessibility).
    title = styles["Heading 1"]
    title.font.name = "Arial"
    title.font.size = Pt(16)
    title.font.color.rgb = RGBColor(0x1F, 0x4E, 0x78)
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.keep_with_next = True
    set_language(doc, LANGUAGE)

    header = section.header.paragraphs[0]
    header.text = "OFFICIAL-SENSITIVE: contains personal information about a child and family"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer.add_run(), "PAGE")
    footer.add_run(" of ")
    _field(footer.add_run(), "NUMPAGES")

    doc.add_paragraph("{{ title }}", style="Heading 1")
    intro = doc.add_paragraph("{{ subtitle }}")
    intro.paragraph_format.space_after = Pt(6)

    table = doc.add_table(rows=2, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    head, body = table.rows
    # The header row repeats at the top of every page, and no row breaks across pages.
    _repeat_header(head)
    for (heading, placeholder, _width), head_cell, body_cell in zip(
        COLUMNS, head.cells, body.cells, strict=True
    ):
        head_cell.text = heading
        run = head_cell.paragraphs[0].runs[0]
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _shade(head_cell, HEADER_COLOUR)
        body_cell.text = placeholder
    _widths(table, [width for _, _, width in COLUMNS])
    _keep_rows_whole(table)

    after = doc.add_paragraph("{{ notes }}")
    after.paragraph_format.space_before = Pt(6)

    props = doc.core_properties
    # No author: a document that may be shared must not name who made it (redaction check).
    props.author = ""
    props.title = "Merged chronology"
    props.comments = "Template for scrtool collate --docx"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_modified_by = ""
    props.revision = 1
    return doc


def main() -> None:
    save_reproducibly(build(), TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
