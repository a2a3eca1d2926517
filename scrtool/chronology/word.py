"""Writing the merged chronology as a Word table, from templates/chronology.docx."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrtool.chronology.returns import BEFORE_SCOPE_MARK, Entry, _quoted
from scrtool.chronology.schema import (
    AGE_COLUMN,
    DUPLICATE_COLUMN,
    FILL_BEFORE_SCOPE,
    REF_COLUMN,
    Schema,
    load_schema,
)
from scrtool.chronology.workbook import chronology_headers
from scrtool.chronology.xlsxstream import clean_text
from scrtool.errors import (
    TemplateError,
)
from scrtool.resources import template_path

# --- The Word table -----------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
SOURCE_PLACE = "Source place"
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


#: Under the date of a row dated before the review's scope (``scope_from``), so a reader
#: of the Word table knows it is kept for context, as the workbook's column says.
BEFORE_SCOPE_NOTE = "before the review period"


def _docx_values(entry: Entry, scope_columns: Sequence[str] = ()) -> dict[str, str]:
    values = {
        k: (
            v.strftime("%d/%m/%Y")
            if isinstance(v, dt.date)
            else v.strftime("%H:%M")
            if isinstance(v, dt.time)
            else str(v)
        )
        for k, v in entry.values.items()
    }
    values.update(
        {
            "Date": entry.date.label(),
            "Time": entry.time_label,
            "Agency": entry.agency,
            "Source file": entry.file,
            "Source sheet": entry.sheet,
            "Source row": str(entry.row),
            SOURCE_PLACE: source_place(entry.file, entry.sheet, entry.row),
            DUPLICATE_COLUMN: entry.duplicate,
            AGE_COLUMN: entry.age,
            REF_COLUMN: entry.ref,
        }
    )
    if any(entry.values.get(name) == BEFORE_SCOPE_MARK for name in scope_columns):
        values["Date"] = f"{values['Date']}\n{BEFORE_SCOPE_NOTE}"
    return values


def source_place(file: str, sheet: str, row: int) -> str:
    """``Police.xlsx, sheet "Chronology", row 14``: where a row came from, in words."""
    if sheet:
        return f'{file}, sheet "{sheet}", row {row}'
    return f"{file}, row {row}"


def write_docx(
    target: Path,
    *,
    entries: Sequence[Entry],
    template: Path | None = None,
    fields: Mapping[str, str] | None = None,
    schema: Schema | None = None,
    child_age: bool = False,
) -> None:
    """The chronology as a Word table from ``templates/chronology.docx``.

    The template's table has a header row (repeated on every page) and one row whose
    cells hold placeholders such as ``{{ Date }}`` or ``{{ Source place }}``; that row is
    copied once per entry; ``{{ title }}``, ``{{ subtitle }}`` and ``{{ notes }}`` may
    appear in the paragraphs around it. The rows are built as XML text and parsed once,
    so thousands of rows take seconds, not minutes.
    """
    import docx
    from lxml import etree

    from scrtool.chronology.xlsxstream import escape

    template = template or template_path("chronology.docx")
    try:
        document = docx.Document(str(template))
    except Exception:
        raise TemplateError(
            "is not a Word document scrtool can read", file=template, advice=None
        ) from None
    schema = schema or load_schema()
    known = {*chronology_headers(schema, child_age=True), SOURCE_PLACE}
    scope_columns = tuple(c.name for c in schema.extras if c.fill == FILL_BEFORE_SCOPE)
    fields = dict(fields or {})
    for paragraph in document.paragraphs:
        _replace_in_paragraph(paragraph, fields)
    row_el = None
    table_el = None
    for table in document.tables:
        for row in table.rows:
            if _PLACEHOLDER.search(_element_text(row._tr)):
                row_el, table_el = row._tr, table
                break
        if row_el is not None:
            break
    if row_el is None or table_el is None:
        raise TemplateError(
            "has no table row with placeholders such as {{ Date }} and {{ Details }}",
            file=template,
            advice=(
                "add a row under the header whose cells hold {{ Date }}, {{ Time }}, "
                "{{ Agency }}, {{ Details }}... and try again"
            ),
        )
    _add_reviewer_columns(table_el._tbl, row_el, child_age=child_age)
    cells = []
    for tc in row_el.findall(f"{{{W_NS}}}tc"):
        text = _element_text(tc)
        for name in _PLACEHOLDER.findall(text):
            if name not in known:
                raise TemplateError(
                    f'uses the placeholder "{{{{ {name} }}}}", which is not a chronology column',
                    file=template,
                    advice=f"use only {_quoted(sorted(known), limit=20)}, and try again",
                )
        tc_pr = tc.find(f"{{{W_NS}}}tcPr")
        para = tc.find(f"{{{W_NS}}}p")
        p_pr = para.find(f"{{{W_NS}}}pPr") if para is not None else None
        run = para.find(f".//{{{W_NS}}}r") if para is not None else None
        r_pr = run.find(f"{{{W_NS}}}rPr") if run is not None else None

        def xml(el: Any) -> str:
            return _XMLNS.sub("", etree.tostring(el, encoding="unicode")) if el is not None else ""

        parts: list[tuple[bool, str]] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            if m.start() > pos:
                parts.append((False, text[pos : m.start()]))
            parts.append((True, m.group(1)))
            pos = m.end()
        if pos < len(text):
            parts.append((False, text[pos:]))
        cells.append((f"<w:tc>{xml(tc_pr)}<w:p>{xml(p_pr)}", f"<w:r>{xml(r_pr)}", parts))
    tr_pr = row_el.find(f"{{{W_NS}}}trPr")
    tr_open = f"<w:tr>{_XMLNS.sub('', etree.tostring(tr_pr, encoding='unicode')) if tr_pr is not None else ''}"

    def render(entry: Entry) -> str:
        values = _docx_values(entry, scope_columns)
        out = [tr_open]
        for cell_open, run_open, parts in cells:
            text = "".join(values.get(v, "") if is_field else v for is_field, v in parts).strip()
            out.append(cell_open)
            if text:
                lines = escape(clean_text(text)).split("\n")
                out.append(run_open)
                out.append('<w:t xml:space="preserve">')
                out.append('</w:t><w:br/><w:t xml:space="preserve">'.join(lines))
                out.append("</w:t></w:r>")
            out.append("</w:p></w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    nsmap = {k: v for k, v in document.element.nsmap.items() if k}
    declarations = " ".join(f'xmlns:{k}="{v}"' for k, v in nsmap.items())
    rows_xml = "".join(render(e) for e in entries)
    fragment = etree.fromstring(f"<w:tbl {declarations}>{rows_xml}</w:tbl>".encode())
    previous = row_el
    for new_row in list(fragment):
        previous.addnext(new_row)
        previous = new_row
    row_el.getparent().remove(row_el)
    document.core_properties.author = ""
    document.core_properties.last_modified_by = ""
    document.core_properties.title = fields.get("title", "Merged chronology")
    document.save(str(target))


def _element_text(element: Any) -> str:
    """The text of a table row or cell, its paragraphs one to a line."""
    paragraphs = []
    for para in element.iter(f"{{{W_NS}}}p"):
        paragraphs.append("".join(t.text or "" for t in para.iter(f"{{{W_NS}}}t")))
    return "\n".join(paragraphs)


def _replace_in_paragraph(paragraph: Any, fields: Mapping[str, str]) -> None:
    text = paragraph.text
    if "{" not in text or not _PLACEHOLDER.search(text):
        return
    new = _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), text)
    runs = paragraph.runs
    if not runs:
        return
    runs[0].text = new
    for run in runs[1:]:
        run.text = ""


#: The reviewer's columns a template without them gets: (placeholder, heading, twips, after).
_REVIEWER_COLUMNS = ((REF_COLUMN, "Ref", 900, None), (AGE_COLUMN, "Child's age", 850, "Date"))


def _add_reviewer_columns(tbl: Any, row_el: Any, *, child_age: bool) -> None:
    """Give a template that predates them the Event ref column (first) and Child's age (after Date).

    A template that already has ``{{ Event ref }}`` or ``{{ Child's age }}`` is left as
    it is; the width the new columns take comes out of the widest column (Details).
    """
    import copy

    from lxml import etree

    def w(tag: str) -> str:
        return f"{{{W_NS}}}{tag}"

    wanted = [c for c in _REVIEWER_COLUMNS if c[0] != AGE_COLUMN or child_age]
    text = _element_text(row_el)
    grid = tbl.find(w("tblGrid"))
    rows = tbl.findall(w("tr"))
    if grid is None or not rows:
        return
    for name, heading, twips, after in wanted:
        if re.search(r"\{\{\s*" + re.escape(name) + r"\s*\}\}", text):
            continue
        cols = grid.findall(w("gridCol"))
        placeholders = [_element_text(tc) for tc in row_el.findall(w("tc"))]
        if len(placeholders) != len(cols):
            return  # merged cells: leave an unusual template alone
        at = 0
        if after is not None:
            found = [i for i, t in enumerate(placeholders) if "{{ " + after + " }}" in t]
            at = found[0] + 1 if found else 0
        widths = [int(c.get(w("w")) or 0) for c in cols]
        widest = max(range(len(cols)), key=lambda i: widths[i])
        if widths[widest] - twips < 1200:
            continue
        cols[widest].set(w("w"), str(widths[widest] - twips))
        new_col = etree.SubElement(grid, w("gridCol"))
        new_col.set(w("w"), str(twips))
        grid.remove(new_col)
        (cols[at - 1].addnext(new_col) if at else cols[0].addprevious(new_col))
        for tr in rows:
            tcs = tr.findall(w("tc"))
            if len(tcs) != len(cols):
                continue
            for tc in (tcs[widest],):
                tc_w = tc.find(f"{w('tcPr')}/{w('tcW')}")
                if tc_w is not None and tc_w.get(w("w")):
                    tc_w.set(w("w"), str(int(tc_w.get(w("w"))) - twips))
            model = tcs[at if at < len(tcs) else -1]
            clone = copy.deepcopy(model)
            tc_w = clone.find(f"{w('tcPr')}/{w('tcW')}")
            if tc_w is not None:
                tc_w.set(w("w"), str(twips))
            ts = list(clone.iter(w("t")))
            label = "{{ " + name + " }}" if tr is row_el else heading
            for index, t in enumerate(ts):
                t.text = label if index == 0 else ""
            if not ts:
                continue
            (tcs[at - 1].addnext(clone) if at else tcs[0].addprevious(clone))
        text = _element_text(row_el)
