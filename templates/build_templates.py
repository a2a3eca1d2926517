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
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2026, 1, 1, 9, 0, 0)
ZIP_TIME = (2026, 1, 1, 9, 0, 0)
#: The character style that marks text left for the author (see docs/check-draft.md).
PLACEHOLDER_STYLE = "Placeholder"
#: The header colour of every table, as in the workbooks (scrtool/workbook_style.py).
HEADER_COLOUR = "1F4E78"
#: The language of every template (the published PDF's /Lang comes from it).
LANGUAGE = "en-GB"


# ------------------------------------------------------------------------------------
# Helpers


def set_language(doc: Document, language: str) -> None:
    """The document's language, in its defaults and its Normal style, so Word's
    spelling, a screen reader's voice and the published PDF's /Lang all say it."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    for rpr in (rpr_default.find(qn("w:rPr")), doc.styles["Normal"].element.get_or_add_rPr()):
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), language)


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
        style.paragraph_format.keep_with_next = True  # never a heading alone at a page's foot
    # Every placeholder carries this character style as well as its brackets, so Word
    # shows it in colour and scrtool check draft finds it (schemas/placeholders.toml).
    placeholder_style = styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    placeholder_style.font.color.rgb = RGBColor(0xA3, 0x1F, 0x34)
    footer_para = section.footer.paragraphs[0]
    footer_para.text = footer
    footer_para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_para.runs[0].font.size = Pt(9)
    set_language(doc, LANGUAGE)
    props = doc.core_properties
    props.title = title
    # No author: a published document must not name who wrote it (the redaction check).
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    return doc


def para(doc: Document, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def placeholder(doc: Document, text: str, style: str | None = None) -> None:
    """A paragraph that is only a placeholder: brackets and the Placeholder style."""
    assert text.startswith("[") and text.endswith("]"), text
    doc.add_paragraph(style=style).add_run(text, style=PLACEHOLDER_STYLE)


def loop(doc: Document, header: str, body: str, *, style: str | None = "List Bullet") -> None:
    """Repeat one paragraph for each item: ``header`` is ``x in items``."""
    doc.add_paragraph("{%p for " + header + " %}")
    doc.add_paragraph(body, style=style)
    doc.add_paragraph("{%p endfor %}")


def facts_table(
    doc: Document,
    rows: Sequence[tuple[str, str]],
    *,
    headers: tuple[str, str] = ("Item", "Details"),
) -> None:
    """A two-column table of labels and values under a heading row; no row breaks across
    pages. The heading row is what a screen reader names each column by (``scrtool check
    accessibility`` asks every table of more than one row for one)."""
    table = doc.add_table(rows=1, cols=2)
    table.style = doc.styles["Table Grid"]
    heading_row(table, headers)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
    _widths(table, (6.0, 10.0))
    _keep_rows_whole(table)
    doc.add_paragraph()


def loop_table(
    doc: Document,
    headers: Sequence[str],
    header: str,
    cells: Sequence[str],
    widths: Sequence[float],
) -> None:
    """A table with a heading row and one row for each item (``{%tr for %}``).

    The heading row repeats on every page and no row breaks across pages. ``widths``
    (cm) size the columns to what they hold, the longest text widest; the layout is
    fixed so Word and LibreOffice keep them rather than fitting the placeholders.
    """
    _keep_with_table(doc)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    heading_row(table, headers)
    table.add_row().cells[0].text = "{%tr for " + header + " %}"
    row = table.add_row().cells
    for cell, text in zip(row, cells, strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr endfor %}"
    _widths(table, _room_for_headings(headers, widths))
    _keep_rows_whole(table)
    doc.add_paragraph()


def heading_row(table: object, headers: Sequence[str]) -> None:
    """The table's first row as its heading row: white bold text on the header colour,
    marked to repeat on every page (which is also what makes it a header row to a screen
    reader and a TH row in the published PDF)."""
    for cell, text in zip(table.rows[0].cells, headers, strict=True):  # type: ignore[attr-defined]
        cell.text = text
        cell.paragraphs[0].paragraph_format.keep_with_next = True
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _shade(cell, HEADER_COLOUR)
    _repeat_header(table.rows[0])  # type: ignore[attr-defined]


#: Centimetres per letter of a bold 12-point Arial heading, and a cell's two margins.
_HEADING_CM_PER_LETTER = 0.27
_CELL_MARGINS_CM = 0.45


def _room_for_headings(headers: Sequence[str], widths: Sequence[float]) -> list[float]:
    """Widen any column too narrow for its heading's longest word, from the widest one.

    A heading such as "Progress" must not break inside the word; the table keeps its
    total width, so the room comes from the column with the most text.
    """
    out = [float(w) for w in widths]
    for index, heading in enumerate(headers):
        longest = max((len(word) for word in heading.split()), default=0)
        need = round(longest * _HEADING_CM_PER_LETTER + _CELL_MARGINS_CM, 2)
        if out[index] < need:
            widest = max(range(len(out)), key=lambda i: out[i])
            if widest != index:
                out[widest] -= need - out[index]
                out[index] = need
    return out


def _keep_with_table(doc: Document) -> None:
    """The sentence that introduces a table stays on the page where the table starts."""
    paragraphs = doc.paragraphs
    if paragraphs and not paragraphs[-1].text.startswith("{%"):
        paragraphs[-1].paragraph_format.keep_with_next = True


def _shade(cell: object, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)  # type: ignore[attr-defined]


def _repeat_header(row: object) -> None:
    """Mark a table row as the heading row Word repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:tblHeader"))


def _keep_rows_whole(table: object) -> None:
    """No row splits across pages (``w:cantSplit``)."""
    for row in table.rows:  # type: ignore[attr-defined]
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _widths(table: object, widths: Sequence[float]) -> None:
    """Fixed column widths (cm) on the grid, the columns and every cell."""
    tbl = table._tbl  # type: ignore[attr-defined]
    table.autofit = False  # type: ignore[attr-defined]
    layout = tbl.tblPr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl.tblPr.append(layout)
    layout.set(qn("w:type"), "fixed")
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        grid_col.set(qn("w:w"), str(int(Cm(width).twips)))
    for column, width in zip(table.columns, widths, strict=False):  # type: ignore[attr-defined]
        column.width = Cm(width)
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


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
    """Variables: ref, partnership, child, review_type, review_type_name, is_lcspr,
    abuse_or_neglect, outcome, agency_concerns, custody, decision, decision_words,
    decision_text, decision_lines, grounds, matters, related, decided_by, decided_by_role,
    decided_on. The partners' reasons are among the grounds."""
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
            ("Kind of review", "{{ review_type_name }}"),
        ],
    )
    para(doc, "The answers", "Heading 1")
    cond(
        doc,
        "is_lcspr",
        "These answers decide whether the incident is a serious child safeguarding incident, "
        "to be notified to the Child Safeguarding Practice Review Panel with a rapid review "
        "to follow. Whether to commission a local child safeguarding practice review is then "
        "the safeguarding partners' decision.",
    )
    cond(
        doc,
        "not is_lcspr",
        "These are the answers the review group gave to the questions that decide whether "
        "the board must hold a Serious Case Review.",
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
        headers=("Question", "Answer"),
    )
    para(doc, "The decision", "Heading 1")
    para(doc, "{{ decision_text }}")
    loop(doc, "line in decision_lines", "{{ line }}", style=None)
    para(doc, "The grounds", "Heading 2")
    loop(doc, "ground in grounds", "{{ ground }}")
    doc.add_paragraph("{%p if matters %}")
    para(doc, "The matters the partners must take into account", "Heading 2")
    para(
        doc,
        "Regulation 11 of the Child Safeguarding Practice Review and Relevant Agency "
        "(England) Regulations 2018 asks the partners to take into account:",
    )
    loop(doc, "matter in matters", "{{ matter }}")
    para(doc, "Working Together also asks the partners to consider:")
    loop(doc, "item in related", "{{ item }}")
    doc.add_paragraph("{%p endif %}")
    para(doc, "Signed", "Heading 1")
    facts_table(
        doc,
        [
            ("Name", "{{ decided_by }}"),
            ("Role", "{{ decided_by_role }}"),
            ("Date of the decision", "{{ decided_on }}"),
            ("Signature", ""),
        ],
    )
    _keep_together(doc.tables[-1], signature_height=Cm(1.6))
    return doc


def _keep_together(table: object, *, signature_height: object) -> None:
    """The signature block stays on one page, with room to sign in its last row."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rows = table.rows  # type: ignore[attr-defined]
    for index, row in enumerate(rows):
        props = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        props.append(cant_split)
        if index < len(rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    rows[-1].height = signature_height
    rows[-1].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def cond(doc: Document, test: str, body: str, *, style: str | None = None) -> None:
    """A paragraph kept only when ``test`` is true (``{%p if %}``)."""
    doc.add_paragraph("{%p if " + test + " %}")
    doc.add_paragraph(body, style=style)
    doc.add_paragraph("{%p endif %}")


def signature(doc: Document) -> None:
    """The name and role from case.toml ([partnership] contact_name, contact_role)."""
    para(doc, "{{ signer_name }}")
    para(doc, "{{ signer_role }}")
    para(doc, "On behalf of the {{ partnership }}")


def agency_request() -> Document:
    """The letter asking an agency for its chronology return.

    Variables: ref, partnership, child, review_type_name, agency, contact, email, address,
    scope_from, scope_to, returns_due, sent_on, return_file, signer_name, signer_role,
    reply_email.
    """
    doc = new_document(
        "Request for a chronology", footer="{{ ref }}: request to {{ agency }}. OFFICIAL-SENSITIVE"
    )
    para(doc, "{{ partnership }}")
    para(doc, "{{ sent_on }}")
    para(doc, "{{ contact }}")
    para(doc, "{{ agency }}")
    cond(doc, "address", "{{ address }}")
    cond(doc, "email", "{{ email }}")
    para(doc, "Our reference: {{ ref }}")
    para(doc, "Request for a chronology about {{ child }}", "Heading 1")
    para(doc, "Dear {{ contact }},")
    para(
        doc,
        "The {{ partnership }} has begun a {{ review_type_name }} about {{ child }}. We are "
        "asking each agency that knew the family for a record of its contact with them.",
    )
    para(doc, "What we ask for", "Heading 2")
    para(
        doc,
        "Please fill in the workbook sent with this letter, {{ return_file }}. Add one row for "
        "each contact your agency had with {{ child }} or the family. The Instructions sheet "
        "explains each column. Please do not change the headings.",
    )
    para(doc, "The period to cover", "Heading 2")
    para(doc, "Please include every contact from {{ scope_from }} to {{ scope_to }}.")
    para(doc, "When we need it", "Heading 2")
    para(doc, "Please send the workbook back by {{ returns_due }}.")
    para(doc, "How to send it back safely", "Heading 2")
    para(
        doc,
        "Send it by secure email, using the secure service your agency uses. Please do not "
        "put a password on the workbook: the secure email keeps it safe, and we cannot open "
        "a workbook that is locked. Use the name {{ child }} in your email, not the child's "
        "real name.",
    )
    para(
        doc,
        "If you have any questions, please reply to this letter"
        "{% if reply_email %} or write to {{ reply_email }}{% endif %}, and quote {{ ref }}.",
    )
    para(doc, "Yours sincerely,")
    signature(doc)
    return doc


PRINCIPLES = (
    "sees how hard it can be for staff to work together to keep children safe;",
    "finds out who did what, and why they did it;",
    "looks at events as staff saw them at the time, not with hindsight;",
    "is open about how facts were gathered and weighed;",
    "uses research and what was learned from other cases to shape its findings.",
)


def bullets(doc: Document, name: str) -> None:
    loop(doc, f"line in {name}", "{{ line }}")


def text_or_placeholder(doc: Document, name: str, gap: str) -> None:
    """The value of ``name`` from case.toml when set, else the placeholder ``gap``."""
    doc.add_paragraph("{%p if " + name + " %}")
    para(doc, "{{ " + name + " }}")
    doc.add_paragraph("{%p else %}")
    placeholder(doc, gap)
    doc.add_paragraph("{%p endif %}")


def list_or_placeholder(doc: Document, name: str, gap: str) -> None:
    doc.add_paragraph("{%p if " + name + " %}")
    bullets(doc, name)
    doc.add_paragraph("{%p else %}")
    placeholder(doc, gap)
    doc.add_paragraph("{%p endif %}")


def overview_report() -> Document:
    """The overview report's skeleton, in the order the guidance asks for.

    Every statement of fact comes from case.toml, the chronology or the action plan; where
    there is no data the template leaves a placeholder ([brackets], style Placeholder)
    that scrtool check draft finds until the lead reviewer writes it.

    Variables: ref, partnership, child, review_type, review_type_name, lead_reviewer,
    publication_line, why (sentences), law_intro, criteria (lines), decision_text, grounds,
    initiated, scope_from, scope_to, reviewer_line, principles_met, principles, method,
    terms_of_reference, family_line, practitioner_line, agencies, chronology (rows: agency,
    contacts, first, last), chronology_total, chronology_ready, earlier_line,
    parallel_known, parallel_processes, findings, recommendations, glossary (rows: term,
    meaning).
    """
    doc = new_document(
        "Overview report: the review about {{ child }}",
        footer="{{ ref }}: overview report about {{ child }}. DRAFT",
    )
    para(doc, "The review about {{ child }}", "Title")
    para(doc, "Overview report for the {{ partnership }}.")
    facts_table(
        doc,
        [
            ("Review", "{{ review_type_name }}"),
            ("Reference", "{{ ref }}"),
            ("Lead reviewer", "{{ lead_reviewer }}"),
            ("Publication", "{{ publication_line }}"),
        ],
    )
    para(doc, "Summary", "Heading 1")
    para(
        doc,
        "This report looks at the help given to {{ child }} and the family. It asks what "
        "happened, and why. It says what needs to change so that other children are safer.",
    )
    placeholder(
        doc,
        "[Write a short summary here. Say what happened, what the review found and what will change.]",
    )
    para(doc, "Why the review was held", "Heading 1")
    loop(doc, "line in why", "{{ line }}", style=None)
    para(doc, "{{ law_intro }}")
    bullets(doc, "criteria")
    para(doc, "{{ decision_text }}")
    cond(doc, "grounds", "These were the reasons:")
    loop(doc, "ground in grounds", "{{ ground }}")
    para(doc, "What the review looked at", "Heading 1")
    para(
        doc,
        "The review began on {{ initiated }}. It looked at the time from {{ scope_from }} to "
        "{{ scope_to }}.",
    )
    para(doc, "The review set out to answer these questions (its terms of reference):")
    list_or_placeholder(
        doc,
        "terms_of_reference",
        "[List the terms of reference or the lines of enquiry the partners set.]",
    )
    para(doc, "How the review was done", "Heading 1")
    para(doc, "{{ reviewer_line }}")
    text_or_placeholder(doc, "method", "[Say which method was used, and why.]")
    doc.add_paragraph("{%p if principles_met %}")
    para(doc, "The way the review was done meets the five principles in the guidance. It:")
    doc.add_paragraph("{%p else %}")
    para(doc, "The guidance asks every review to follow five principles. A review:")
    doc.add_paragraph("{%p endif %}")
    for line in PRINCIPLES:
        para(doc, line, "List Bullet")
    cond(doc, "not principles_met", "")
    doc.paragraphs[-2].add_run(
        "[Say how this review followed the five principles.]", style=PLACEHOLDER_STYLE
    )
    para(doc, "How the family and staff took part", "Heading 1")
    para(doc, "{{ family_line }}")
    para(doc, "{{ practitioner_line }}")
    para(doc, "These agencies sent the review a record of their work with the family:")
    loop(doc, "agency in agencies", "{{ agency }}")
    para(doc, "{{ child }}'s life", "Heading 1")
    placeholder(
        doc,
        "[Write what daily life was like for the child, as the child saw it: who cared for "
        "them, where they lived, what they saw and heard, and what they said or showed.]",
    )
    para(doc, "What the records show", "Heading 1")
    doc.add_paragraph("{%p if chronology_ready %}")
    para(
        doc,
        "Each agency sent a list of its contacts with the family. The review put them into "
        "one list in date order. It has {{ chronology_total }} "
        "contact{% if chronology_total != 1 %}s{% endif %} in the review period. The table "
        "shows how many each agency had, and the first and last, with dates as the agency "
        "gave them.",
    )
    cond(doc, "earlier_line", "{{ earlier_line }}")
    doc.add_paragraph("{%p else %}")
    placeholder(doc, "[Write what the agencies' records show.]")
    doc.add_paragraph("{%p endif %}")
    loop_table(
        doc,
        ("Agency", "Contacts", "First", "Last"),
        "row in chronology",
        ("{{ row.agency }}", "{{ row.contacts }}", "{{ row.first }}", "{{ row.last }}"),
        (6.6, 2.4, 3.5, 3.5),
    )
    para(doc, "Other processes", "Heading 1")
    doc.add_paragraph("{%p if parallel_processes %}")
    para(doc, "These processes ran beside the review:")
    bullets(doc, "parallel_processes")
    doc.add_paragraph("{%p elif parallel_known %}")
    para(
        doc,
        "No criminal proceedings, inquest or Domestic Homicide Review ran beside the review.",
    )
    doc.add_paragraph("{%p else %}")
    placeholder(
        doc,
        "[Say whether criminal proceedings, an inquest or a Domestic Homicide Review ran "
        "beside the review, and how the review worked with them.]",
    )
    doc.add_paragraph("{%p endif %}")
    para(doc, "Analysis", "Heading 1")
    placeholder(
        doc,
        "[Write the analysis here. Say what happened and why. Look at it as staff saw it at "
        "the time, and at the systems they worked in.]",
    )
    para(doc, "Good practice", "Heading 1")
    placeholder(doc, "[Write the good practice the review found.]")
    para(doc, "Findings", "Heading 1")
    para(doc, "The review found that:")
    loop(doc, "finding in findings", "{{ finding }}")
    cond(doc, "not findings", "")
    doc.paragraphs[-2].add_run("[Add the findings here.]", style=PLACEHOLDER_STYLE)
    para(doc, "Recommendations", "Heading 1")
    para(doc, "The review asks the partnership to act on these points:")
    loop(doc, "item in recommendations", "{{ item }}")
    cond(doc, "not recommendations", "")
    doc.paragraphs[-2].add_run("[Add the recommendations here.]", style=PLACEHOLDER_STYLE)
    para(doc, "Glossary", "Heading 1")
    para(doc, "What some words in this report mean.")
    loop_table(
        doc,
        ("Word", "What it means"),
        "item in glossary",
        ("{{ item.term }}", "{{ item.meaning }}"),
        (4.5, 11.5),
    )
    return doc


def partnership_response() -> Document:
    """The partnership's response: what was done, what changed, what is next.

    Dated by its publication (the actual date once known, else the planned one): it
    lists as done only what was done by that date.

    Variables: ref, partnership, child, dated_line, as_of, plan_ready, taken (rows:
    action, agency, completed, evidence), impact (rows: action, impact), planned (rows:
    action, agency, due, status).
    """
    doc = new_document(
        "The partnership's response to the review about {{ child }}",
        footer="{{ ref }}: the partnership's response. DRAFT",
    )
    para(doc, "Our response to the review about {{ child }}", "Title")
    para(doc, "{{ dated_line }} Reference {{ ref }}.")
    para(doc, "About this response", "Heading 1")
    para(
        doc,
        "We have read the report of the review. This response says what we have done, "
        "what difference it has made, and what more we will do. It is correct as at "
        "{{ as_of }}.",
    )
    para(doc, "Actions already taken", "Heading 1")
    doc.add_paragraph("{%p if taken %}")
    loop_table(
        doc,
        ("What was done", "Who did it", "Done on"),
        "a in taken",
        ("{{ a.action }}", "{{ a.agency }}", "{{ a.completed }}"),
        (8.5, 4.3, 3.2),
    )
    doc.add_paragraph("{%p elif plan_ready %}")
    para(doc, "No action was complete by {{ as_of }}.")
    doc.add_paragraph("{%p else %}")
    placeholder(doc, "[List the actions already taken.]")
    doc.add_paragraph("{%p endif %}")
    para(doc, "The difference these actions have made", "Heading 1")
    loop(doc, "a in impact", "{{ a.action }}: {{ a.impact }}")
    cond(doc, "not impact", "")
    doc.paragraphs[-2].add_run(
        "[Say what difference the actions have made, or when the partnership will know.]",
        style=PLACEHOLDER_STYLE,
    )
    para(doc, "What more will be done", "Heading 1")
    doc.add_paragraph("{%p if planned %}")
    loop_table(
        doc,
        ("What we will do", "Who will do it", "By", "Progress"),
        "a in planned",
        ("{{ a.action }}", "{{ a.agency }}", "{{ a.due }}", "{{ a.status }}"),
        (6.6, 3.8, 3.2, 2.4),
    )
    doc.add_paragraph("{%p elif taken %}")
    para(doc, "Every action in the plan was complete by {{ as_of }}.")
    doc.add_paragraph("{%p else %}")
    placeholder(doc, "[Say what more will be done.]")
    doc.add_paragraph("{%p endif %}")
    para(doc, "How we will check progress", "Heading 1")
    para(
        doc,
        "The partnership will check each action at its meetings until it is done. We will "
        "say in our yearly report what difference the review has made for children.",
    )
    return doc


def panel_letter() -> Document:
    """The covering letter sent with the report to the National Panel.

    Covers a report to be published (planned or published) and one the partners decided
    not to publish. Variables: ref, partnership, child, review_type, review_type_name,
    publish, publication_sentence, not_published_reasons, improvements_sentence,
    panel_copy_due, sent_on, documents, signer_name, signer_role, reply_email.
    """
    doc = new_document(
        "Letter to the National Panel",
        footer="{{ ref }}: letter to the National Panel. OFFICIAL-SENSITIVE",
    )
    para(doc, "{{ partnership }}")
    para(doc, "{{ sent_on }}")
    para(doc, "The Child Safeguarding Practice Review Panel")
    cond(doc, 'review_type == "lcspr"', "Copy to: the Secretary of State for Education")
    para(doc, "Our reference: {{ ref }}")
    para(doc, "The {{ review_type_name }} about {{ child }}", "Heading 1")
    para(doc, "Dear Panel,")
    doc.add_paragraph("{%p if publish %}")
    para(
        doc,
        "Please find with this letter the final report of our review about {{ child }}, and "
        "our response to it. {{ publication_sentence }} The copy for the Panel is due by "
        "{{ panel_copy_due }}.",
    )
    doc.add_paragraph("{%p else %}")
    para(
        doc,
        "Please find with this letter the final report of our review about {{ child }}. "
        "The safeguarding partners decided not to publish it. Their reasons: "
        "{{ not_published_reasons }}",
    )
    para(doc, "{{ improvements_sentence }} The copy for the Panel is due by {{ panel_copy_due }}.")
    doc.add_paragraph("{%p endif %}")
    para(doc, "We enclose:")
    loop(doc, "document in documents", "{{ document }}")
    doc.add_paragraph("{%p if publish %}")
    para(doc, "Please tell us if you have any concerns about the report being published.")
    doc.add_paragraph("{%p else %}")
    para(doc, "Please tell us if you would advise us differently.")
    doc.add_paragraph("{%p endif %}")
    cond(doc, "reply_email", "You can reach us at {{ reply_email }}. Please quote {{ ref }}.")
    para(doc, "Yours faithfully,")
    signature(doc)
    return doc


TEMPLATES: dict[str, Callable[[], Document]] = {
    "agency-request.docx": agency_request,
    "screening-decision.docx": screening_decision,
    "overview-report.docx": overview_report,
    "partnership-response.docx": partnership_response,
    "panel-letter.docx": panel_letter,
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
