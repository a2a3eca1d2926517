"""Build small .docx templates for the fill tests, including the parts python-docx cannot
make (footnotes, endnotes, custom and app properties)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _note_xml(kind: str, text: str) -> str:
    tag = "footnote" if kind == "footnotes" else "endnote"
    sep = (
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
    )
    body = (
        f'<w:{tag} w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:{tag}>'
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind} xmlns:w="{W}">{sep}{body}</w:{kind}>'


def _custom_xml(props: dict[str, str]) -> str:
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{name}"><vt:lpwstr>{value}</vt:lpwstr></property>'
        for i, (name, value) in enumerate(props.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    )


def make_template(
    path: Path,
    paragraphs: Sequence[str] = (),
    *,
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
    table: Sequence[Sequence[str]] | None = None,
    footnote: str | None = None,
    endnote: str | None = None,
    custom: dict[str, str] | None = None,
    company: str | None = None,
    sections: int = 1,
) -> Path:
    from docx import Document
    from docx.enum.section import WD_SECTION

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].text = footer
    if title is not None:
        doc.core_properties.title = title
    for _ in range(sections - 1):
        doc.add_section(WD_SECTION.NEW_PAGE)
        doc.add_paragraph("Another section.")
    buffer = io.BytesIO()
    doc.save(buffer)
    if not (footnote or endnote or custom or company):
        path.write_bytes(buffer.getvalue())
        return path
    return _add_parts(
        buffer.getvalue(), path, footnote=footnote, endnote=endnote, custom=custom, company=company
    )


def _add_parts(data: bytes, path: Path, *, footnote, endnote, custom, company) -> Path:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(data))
    files = {n: src.read(n) for n in src.namelist()}
    types = files["[Content_Types].xml"].decode()
    doc_rels = files["word/_rels/document.xml.rels"].decode()
    root_rels = files["_rels/.rels"].decode()
    document = files["word/document.xml"].decode()
    extra_types = ""
    if footnote:
        files["word/footnotes.xml"] = _note_xml("footnotes", footnote).encode()
        extra_types += '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
        doc_rels = doc_rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdFn" Type="{R_NS}/footnotes" Target="footnotes.xml"/></Relationships>',
        )
        document = _with_reference(document, "footnoteReference")
    if endnote:
        files["word/endnotes.xml"] = _note_xml("endnotes", endnote).encode()
        extra_types += '<Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/>'
        doc_rels = doc_rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdEn" Type="{R_NS}/endnotes" Target="endnotes.xml"/></Relationships>',
        )
        document = _with_reference(document, "endnoteReference")
    if footnote or endnote:
        files["word/document.xml"] = document.encode()
    if custom:
        files["docProps/custom.xml"] = _custom_xml(custom).encode()
        extra_types += '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
        root_rels = root_rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
        )
    if company:
        app = files.get("docProps/app.xml", b"").decode()
        if app:
            app = app.replace("</Properties>", f"<Company>{company}</Company></Properties>")
            files["docProps/app.xml"] = app.encode()
    files["[Content_Types].xml"] = types.replace("</Types>", extra_types + "</Types>").encode()
    files["word/_rels/document.xml.rels"] = doc_rels.encode()
    files["_rels/.rels"] = root_rels.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist() + [n for n in files if n not in src.namelist()]:
            dst.writestr(name, files[name])
    path.write_bytes(out.getvalue())
    return path


def _with_reference(document: str, kind: str) -> str:
    """Add a paragraph holding a footnote or endnote reference before the last sectPr."""
    para = (
        f'<w:p><w:r><w:t>Note</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{kind} w:id="1"/></w:r></w:p>'
    )
    index = document.rfind("<w:sectPr")
    return document[:index] + para + document[index:]


def docx_text(path: Path) -> str:
    """All the text of a .docx, every part, with tags stripped (for checks)."""
    with zipfile.ZipFile(path) as z:
        parts = [
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.endswith(".xml") and (n.startswith("word/") or n.startswith("docProps/"))
        ]
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))


def body_text(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            out.extend(c.text for c in row.cells)
    return out


def ordered_text(path: Path) -> str:
    """The body's paragraphs and table cells in document order, one per line."""
    from docx import Document

    doc = Document(str(path))
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter(f"{{{W}}}t")))
        elif tag == "tbl":
            for cell in child.iter(f"{{{W}}}tc"):
                lines.append("".join(t.text or "" for t in cell.iter(f"{{{W}}}t")))
    return "\n".join(lines)
