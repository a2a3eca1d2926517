"""Build scrtool's default Word templates: ``python3 templates/build_templates.py``.

The templates are ordinary .docx files that a business support officer may open and edit
in Word: real Word styles (Title, Heading 1 and 2, List Bullet, Table Grid) with Jinja
tags typed as text. This script makes them from scratch, the same way every time (fixed
properties and zip timestamps), so a change to a template is a reviewed change here.

Tags used: ``{{ name }}`` prints a value; ``{%p for x in items %}`` ... ``{%p endfor %}``
repeats paragraphs; ``{%tr for x in items %}`` ... ``{%tr endfor %}`` repeats table rows;
``{{ day|date("%d/%m/%Y") }}`` formats a date (dates print as 3 July 2026 by default).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2026, 1, 1, 9, 0, 0)
ZIP_TIME = (2026, 1, 1, 9, 0, 0)


# ------------------------------------------------------------------------------------
# Helpers


def new_document(title: str, *, footer: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin = section.bottom_margin = Cm(2.2)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 24), ("Heading 1", 18), ("Heading 2", 14)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    footer_para = section.footer.paragraphs[0]
    footer_para.text = footer
    footer_para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_para.runs[0].font.size = Pt(9)
    props = doc.core_properties
    props.title = title
    props.author = "scrtool"
    props.last_modified_by = "scrtool"
    props.comments = "A scrtool template: scrtool fills in the tags in curly brackets."
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    return doc


def para(doc: Document, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def loop(doc: Document, header: str, body: str, *, style: str | None = "List Bullet") -> None:
    """Repeat one paragraph for each item: ``header`` is ``x in items``."""
    doc.add_paragraph("{%p for " + header + " %}")
    doc.add_paragraph(body, style=style)
    doc.add_paragraph("{%p endfor %}")


def facts_table(doc: Document, rows: Sequence[tuple[str, str]]) -> None:
    """A two-column table of labels and values."""
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
    _widths(table, (Cm(6), Cm(10)))
    doc.add_paragraph()


def loop_table(
    doc: Document,
    headers: Sequence[str],
    header: str,
    cells: Sequence[str],
    widths: Sequence[float],
) -> None:
    """A table with a heading row and one row for each item (``{%tr for %}``)."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.add_row().cells[0].text = "{%tr for " + header + " %}"
    row = table.add_row().cells
    for cell, text in zip(row, cells, strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr endfor %}"
    _widths(table, tuple(Cm(w) for w in widths))
    doc.add_paragraph()


def _widths(table: object, widths: Sequence[object]) -> None:
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def save_reproducibly(doc: Document, path: Path) -> None:
    """Save with fixed zip timestamps, so the same script makes the same bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    path.write_bytes(out.getvalue())


# ------------------------------------------------------------------------------------
# The templates


def screening_decision() -> Document:
    """Variables: ref, partnership, child, review_type, review_type_name,
    abuse_or_neglect, outcome, agency_concerns, custody, decision, decision_text, grounds,
    decided_by, decided_on."""
    doc = new_document(
        "Screening decision record",
        footer="{{ ref }}: screening decision record. OFFICIAL-SENSITIVE",
    )
    para(doc, "Screening decision record", "Title")
    facts_table(
        doc,
        [
            ("Review reference", "{{ ref }}"),
            ("Partnership", "{{ partnership }}"),
            ("Child", "{{ child }}"),
            ("Kind of review", "{{ review_type_name }} ({{ review_type }})"),
        ],
    )
    para(doc, "The criteria", "Heading 1")
    para(
        doc,
        "These are the answers the review group gave to the questions that decide whether "
        "a review must be held.",
    )
    facts_table(
        doc,
        [
            ("Was abuse or neglect known or suspected?", "{{ abuse_or_neglect }}"),
            ("What happened to the child?", "{{ outcome }}"),
            (
                "Is there cause for concern about how agencies worked together?",
                "{{ agency_concerns }}",
            ),
            ("Did the child die in custody or detention?", "{{ custody }}"),
        ],
    )
    para(doc, "The decision", "Heading 1")
    para(doc, "{{ decision_text }}")
    para(
        doc,
        'Review required: {% if decision == "required" %}yes{% else %}no{% endif %}.',
    )
    para(doc, "The grounds", "Heading 2")
    loop(doc, "ground in grounds", "{{ ground }}")
    para(doc, "Who decided, and when", "Heading 1")
    facts_table(doc, [("Decided by", "{{ decided_by }}"), ("Decided on", "{{ decided_on }}")])
    return doc


TEMPLATES: dict[str, Callable[[], Document]] = {
    "screening-decision.docx": screening_decision,
}


def build(folder: Path = HERE, names: Sequence[str] | None = None) -> list[Path]:
    made = []
    for name, make in TEMPLATES.items():
        if names and name not in names:
            continue
        path = folder / name
        save_reproducibly(make(), path)
        made.append(path)
    return made


if __name__ == "__main__":
    for made_path in build(names=sys.argv[1:] or None):
        print(made_path)
