"""Builders for the redaction tests: real .docx and PDF files with text planted in every
place it can hide, and the clean and planted corpora used to measure recall and false
alarms. Every name here is invented.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ole_helpers import packaged_file

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_DECL = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
EXTERNAL = ' TargetMode="External"'
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

#: The case register used throughout the tests (the sample case's invented family).
REGISTER = ["Lily-Mae Harrowgate", "Stacey Harrowgate", "Dean Voss", "Kayden Harrowgate"]
PLACES = ["Larkspur Close", "Easthaven", "Brambleford Primary School"]

#: A clean report: pseudonyms, agencies, statutory words, event dates, times,
#: percentages, money and reference numbers that fail the NHS check.
CLEAN_PARAGRAPHS = [
    "Child A lived with Mother and Sibling B. Mother's partner moved in during 2024.",
    "On 3 March 2025 at 09:30 the Health Visitor visited Child A at home.",
    "Northshire Children's Social Care held a Section 47 strategy discussion on 12/03/2025.",
    "NHS England guidance was followed by Brookside Medical Practice and the GP.",
    "Attendance fell to 78% in the spring term; the school nurse raised this twice.",
    "The family received £250 from the hardship fund and £1,200.50 in arrears support.",
    "The police log reference 4010232136 and the crime number 2231456789 were recorded.",
    "Child A was born prematurely. On 14 June 2022 a referral was made to Early Help.",
    "There were 2 Family Court hearings and 3 Child Protection Conferences in 2024.",
    "Between 10:15 and 11:45 on 5th May 2025 the Designated Safeguarding Lead met Mother.",
    "Section 17 support was offered; 45 minutes later Father telephoned the duty team.",
    "Recommendation 4: the Partnership should review the Working Together 2023 procedures.",
    "The review covered 1 April 2024 to 5 January 2026, a period of 21 months.",
    "Learning from Child A: agencies must share information quickly (see paragraph 4.2).",
    "A total of 12 agencies contributed; 7 provided chronologies with 1,432 entries.",
    "Version 2.1 of the report, page 14 of 30, was agreed by the Independent Reviewer.",
    "The ambulance arrived at 23:05 and Child A was taken to hospital at 23:40.",
    "Child A's mother said she had been 'struggling since the birth of Sibling B'.",
    "Ofsted's 2023 inspection and the MASH audit (ref 7781234560) are referred to.",
    "In the 12 weeks before the incident Mother missed 3 of 5 appointments (60%).",
    "The NHS 5 Year Forward View and the 10 Year Health Plan were considered.",
    "Child A was born in 2015 and started school in September 2019.",
    "Police attended at 2:15am and again at 14:30; 3 officers stayed for 1.5 hours.",
    "Appendix 2 Court Orders lists the orders made in the Family Court.",
    "Telephone calls (12 in total) were logged between 01/04/2024 and 30/06/2024.",
    "Figures: 0.5%, 12.75%, £3.2m, 1,250 contacts and 10,000 referrals nationally.",
    "The Local Authority Designated Officer (LADO) was told within 24 hours.",
    "A Court of Appeal judgment ([2023] EWCA Civ 123) was considered by the panel.",
    "Section 47 enquiries began on Monday 6 January 2025 and ended on 20.01.2025.",
    "School attendance data (case reference 1234567890) shows 4 unauthorised absences.",
    "Child A's date of birth is not given in this report, nor any address.",
    "Data from 2024-03-12 to 2024-06-30 came from 5 GP surgeries and 2 hospitals.",
    "Key Stage 2 results, Year 6, and an EHCP review in Term 3 are discussed.",
    "See www.northshire-scp.example/reviews for the partnership's other reports.",
]

#: What is planted, one of each kind the content scanner knows, with its expected kind.
PLANTED = [
    ("name", "Stacey Harrowgate"),
    ("name", "Kayden's"),
    ("name", "Ms Voss"),
    ("name", "Easthaven"),
    ("nhs-number", "943 476 5919"),
    ("ni-number", "AB 12 34 56 C"),
    ("postcode", "EH1 2AB"),
    ("phone", "07700 900123"),
    ("email", "s.harrowgate@mail.example"),
    ("date-of-birth", "DOB: 12/03/2015"),
    ("address", "14 Larkspur Close"),
]


def planted_sentence(kind: str, text: str) -> str:
    return f"The record notes {text} in passing."


# --- .docx -----------------------------------------------------------------------------


def run(text: str, rpr: str = "") -> str:
    rpr_xml = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{rpr_xml}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str, ppr: str = "") -> str:
    ppr_xml = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p>{ppr_xml}{''.join(runs)}</w:p>"


def base_docx(
    paragraphs: Sequence[str] = ("A clean paragraph about Child A.",),
    prepare: Callable[[Any], None] | None = None,
) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.author = ""
    document.core_properties.last_modified_by = ""
    document.core_properties.comments = ""
    if prepare is not None:
        prepare(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def patch_docx(
    data: bytes,
    *,
    body_xml: str = "",
    parts: dict[str, str | bytes] | None = None,
    rels: dict[str, list[tuple[str, str, str, bool]]] | None = None,
    overrides: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    edit: dict[str, Callable[[str], str]] | None = None,
) -> bytes:
    """Rewrite a .docx: body XML before the final sectPr, new parts, relationships
    (part -> [(id, type, target, external)]), content types and text edits of parts."""
    parts = dict(parts or {})
    rels = rels or {}
    edit = dict(edit or {})
    src = zipfile.ZipFile(io.BytesIO(data))
    contents: dict[str, bytes] = {n: src.read(n) for n in src.namelist()}
    if body_xml:
        doc = contents["word/document.xml"].decode("utf-8")
        at = doc.rfind("<w:sectPr")
        contents["word/document.xml"] = (doc[:at] + body_xml + doc[at:]).encode("utf-8")
    for part, items in rels.items():
        folder, base = part.rsplit("/", 1) if "/" in part else ("", part)
        rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        existing = contents.get(
            rels_name, f'<Relationships xmlns="{REL_NS}"></Relationships>'.encode()
        )
        text = existing.decode("utf-8")
        extra = "".join(
            f'<Relationship Id="{rid}" Type="{rtype if "://" in rtype else REL_TYPE + rtype}" '
            f'Target="{target}"{EXTERNAL if external else ""}/>'
            for rid, rtype, target, external in items
        )
        contents[rels_name] = text.replace("</Relationships>", extra + "</Relationships>").encode()
    ct = contents["[Content_Types].xml"].decode("utf-8")
    for ext, ctype in (defaults or {}).items():
        if f'Extension="{ext}"' not in ct:
            ct = ct.replace(
                "</Types>", f'<Default Extension="{ext}" ContentType="{ctype}"/></Types>'
            )
    for name, ctype in (overrides or {}).items():
        ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{ctype}"/></Types>')
    contents["[Content_Types].xml"] = ct.encode("utf-8")
    for name, value in parts.items():
        contents[name] = value.encode("utf-8") if isinstance(value, str) else value
    for name, func in edit.items():
        contents[name] = func(contents[name].decode("utf-8")).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, value in contents.items():
            dst.writestr(name, value)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def docx_notes(kind: str, text: str) -> dict[str, Any]:
    """Footnotes or endnotes part with one real note holding ``text``."""
    tag = "footnote" if kind == "footnotes" else "endnote"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} {NS_DECL}>'
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:id="1">{para(run("First note, nothing to see."))}</w:{tag}>'
        f'<w:{tag} w:id="2">{para(run(text))}</w:{tag}></w:{kind}>'
    )
    ctype = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    return {
        "parts": {f"word/{kind}.xml": xml},
        "rels": {"word/document.xml": [(f"rIdN{kind}", kind, f"{kind}.xml", False)]},
        "overrides": {f"word/{kind}.xml": ctype},
        "body_xml": para(
            run("Body with a note."),
            f'<w:r><w:{tag}Reference w:id="1"/></w:r><w:r><w:{tag}Reference w:id="2"/></w:r>',
        ),
    }


def docx_comment(text: str, author: str = "Reviewer One") -> dict[str, Any]:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {NS_DECL}>'
        f'<w:comment w:id="0" w:author="{author}" w:initials="RO" w:date="2026-01-01T00:00:00Z">'
        f"{para(run(text))}</w:comment></w:comments>"
    )
    return {
        "parts": {"word/comments.xml": xml},
        "rels": {"word/document.xml": [("rIdCm", "comments", "comments.xml", False)]},
        "overrides": {
            "word/comments.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
        },
        "body_xml": para(
            '<w:commentRangeStart w:id="0"/>',
            run("Commented text."),
            '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>',
        ),
    }


def docx_textbox(text: str) -> str:
    """A text box as Word writes it: DrawingML in mc:Choice, the same text in VML Fallback."""
    inner = f"<w:txbxContent>{para(run(text))}</w:txbxContent>"
    return para(
        run("Before the box."),
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="5" name="Text Box 5"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{inner}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape id="tb5"><v:textbox>{inner}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>",
    )


def docx_custom_props(name: str, value: str) -> dict[str, Any]:
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property></Properties>"
    )
    return {
        "parts": {"docProps/custom.xml": xml},
        "rels": {
            "": [("rIdCustom", "custom-properties", "docProps/custom.xml", False)],
        },
        "overrides": {
            "docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml"
        },
    }


def merge(*specs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"parts": {}, "rels": {}, "overrides": {}, "body_xml": "", "edit": {}}
    for spec in specs:
        out["parts"].update(spec.get("parts", {}))
        for part, items in spec.get("rels", {}).items():
            out["rels"].setdefault(part, []).extend(items)
        out["overrides"].update(spec.get("overrides", {}))
        out["body_xml"] += spec.get("body_xml", "")
        for name, func in spec.get("edit", {}).items():
            prev = out["edit"].get(name)
            out["edit"][name] = (lambda f, g: lambda s: g(f(s)))(prev, func) if prev else func
    return out


def build_docx(
    path: Path,
    *specs: dict[str, Any],
    paragraphs: Sequence[str] | None = None,
    prepare: Callable[[Any], None] | None = None,
) -> Path:
    data = base_docx(
        paragraphs if paragraphs is not None else ("A clean paragraph about Child A.",), prepare
    )
    spec = merge(*specs)
    fixed_rels: dict[str, list[tuple[str, str, str, bool]]] = {}
    for part, items in spec["rels"].items():
        fixed_rels[part or ".rels_root"] = items
    root_items = fixed_rels.pop(".rels_root", [])
    data = patch_docx(
        data,
        body_xml=spec["body_xml"],
        parts=spec["parts"],
        rels=fixed_rels,
        overrides=spec["overrides"],
        edit=spec["edit"],
    )
    if root_items:
        src = zipfile.ZipFile(io.BytesIO(data))
        contents = {n: src.read(n) for n in src.namelist()}
        text = contents["_rels/.rels"].decode("utf-8")
        extra = "".join(
            f'<Relationship Id="{rid}" Type="{REL_TYPE + rtype}" Target="{target}"/>'
            for rid, rtype, target, _ in root_items
        )
        contents["_rels/.rels"] = text.replace(
            "</Relationships>", extra + "</Relationships>"
        ).encode()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, value in contents.items():
                dst.writestr(name, value)
        data = out.getvalue()
    return write(path, data)


# --- PDF -------------------------------------------------------------------------------


def build_pdf(
    path: Path, draw: Callable[[Any], None] | None = None, *, lines: Sequence[str] = ()
) -> Path:
    """A PDF made with reportlab; ``draw`` may add anything to the canvas of page 1."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setAuthor("")
    c.setTitle("")
    c.setSubject("")
    c.setCreator("")
    y = 780
    for line in lines or ("A clean page about Child A.",):
        c.drawString(72, y, line)
        y -= 18
        if y < 72:
            c.showPage()
            y = 780
    if draw is not None:
        draw(c)
    c.showPage()
    c.save()
    return path


def pdf_writer(path: Path) -> Any:
    from pypdf import PdfWriter

    return PdfWriter(clone_from=str(path))


def save_writer(writer: Any, path: Path) -> Path:
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


# --- the planted and clean corpora ------------------------------------------------------


def _docx_place(place: str, text: str) -> tuple[dict[str, Any], Callable[[Any], None] | None]:
    """A spec (and python-docx step) putting ``text`` in one place of a .docx."""
    date = 'w:date="2026-01-02T10:00:00Z"'
    if place == "body":
        return {"body_xml": para(run(text))}, None
    if place == "body split over runs":
        half = len(text) // 2
        return {"body_xml": para(run(text[:half]), run(text[half:], "<w:i/>"))}, None
    if place == "table":
        return {}, lambda d: setattr(d.add_table(rows=1, cols=2).cell(0, 1), "text", text)
    if place == "header":
        return {}, lambda d: setattr(d.sections[0].header.paragraphs[0], "text", text)
    if place == "footer":
        return {}, lambda d: setattr(d.sections[0].footer.paragraphs[0], "text", text)
    if place == "footnote":
        return docx_notes("footnotes", text), None
    if place == "endnote":
        return docx_notes("endnotes", text), None
    if place == "comment":
        return docx_comment(text), None
    if place == "tracked insertion":
        return {
            "body_xml": para(f'<w:ins w:id="1" w:author="Editor" {date}>{run(text)}</w:ins>')
        }, None
    if place == "tracked deletion":
        deleted = f"<w:r><w:delText>{text}</w:delText></w:r>"
        return {
            "body_xml": para(f'<w:del w:id="1" w:author="Editor" {date}>{deleted}</w:del>')
        }, None
    if place == "hidden text":
        return {"body_xml": para(run(text, "<w:vanish/>"))}, None
    if place == "text box":
        return {"body_xml": docx_textbox(text)}, None
    if place == "content control":
        return {
            "body_xml": f"<w:sdt><w:sdtPr/><w:sdtContent>{para(run(text))}</w:sdtContent></w:sdt>"
        }, None
    if place == "custom XML":
        return {"parts": {"customXml/item7.xml": f"<data><note>{text}</note></data>"}}, None
    if place == "custom property":
        return docx_custom_props("Notes", text), None
    if place == "title property":
        return {"edit": {"docProps/core.xml": lambda xml: _core_title(xml, text)}}, None
    if place == "embedded object":
        return {
            "parts": {
                "word/embeddings/oleObject1.bin": packaged_file(
                    f"{text}.txt", f"C:\\Reports\\{text}.txt", b"\x00\x01binary\x02"
                )
            }
        }, None
    raise ValueError(place)


def _core_title(xml: str, text: str) -> str:
    import re
    from xml.sax.saxutils import escape

    xml = re.sub(r"<dc:title\s*/>|<dc:title>.*?</dc:title>", "", xml)
    return xml.replace(
        "</cp:coreProperties>", f"<dc:title>{escape(text)}</dc:title></cp:coreProperties>"
    )


DOCX_PLACES = (
    "body", "body split over runs", "table", "header", "footer", "footnote", "endnote",
    "comment", "tracked insertion", "tracked deletion", "hidden text", "text box",
    "content control", "custom XML", "custom property", "title property", "embedded object",
)  # fmt: skip
PDF_PLACES = (
    "page",
    "annotation",
    "form field",
    "attachment",
    "bookmark",
    "title",
    "earlier revision",
)
TEXT_PLACES = ("txt", "md", "md comment")


def make_docx_place(
    path: Path, place: str, text: str, paragraphs: Sequence[str] | None = None
) -> Path:
    spec, prepare = _docx_place(place, text)
    return build_docx(path, spec, paragraphs=paragraphs, prepare=prepare)


def make_pdf_place(path: Path, place: str, text: str, lines: Sequence[str] = ()) -> Path:
    from pypdf import PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import DecodedStreamObject, NameObject

    if place == "page":
        return build_pdf(path, lines=list(lines) + [text])
    if place == "form field":
        return build_pdf(
            path,
            lambda c: c.acroForm.textfield(
                name="notes", value=text, x=72, y=300, width=400, height=20
            ),
            lines=lines,
        )
    base = build_pdf(
        path.with_suffix(".base.pdf"),
        lines=list(lines) + ([text] if place == "earlier revision" else []),
    )
    if place == "earlier revision":
        writer = PdfWriter(str(base), incremental=True)
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 12 Tf 72 780 Td (A clean page about Child A.) Tj ET")
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
        return save_writer(writer, path)
    writer = pdf_writer(base)
    if place == "annotation":
        writer.add_annotation(0, Text(rect=(50, 550, 200, 650), text=text))
    elif place == "attachment":
        writer.add_attachment("notes.txt", text.encode("utf-8"))
    elif place == "bookmark":
        writer.add_outline_item(title=text, page_number=0)
    elif place == "title":
        writer.add_metadata({"/Title": text})
    else:
        raise ValueError(place)
    return save_writer(writer, path)


def make_text_place(path: Path, place: str, text: str, paragraphs: Sequence[str] = ()) -> Path:
    body = "\n\n".join(paragraphs)
    if place == "md comment":
        path = path.with_suffix(".md")
        path.write_text(f"# Report\n\n{body}\n\n<!-- {text} -->\n", encoding="utf-8")
    else:
        path = path.with_suffix("." + place)
        path.write_text(f"# Report\n\n{body}\n\n{text}\n", encoding="utf-8")
    return path


def all_places() -> list[tuple[str, str]]:
    return (
        [("docx", p) for p in DOCX_PLACES]
        + [("pdf", p) for p in PDF_PLACES]
        + [("text", p) for p in TEXT_PLACES]
    )


def make_place(folder: Path, fmt: str, place: str, text: str, clean: Sequence[str] = ()) -> Path:
    stem = folder / place.replace(" ", "-")
    if fmt == "docx":
        return make_docx_place(stem.with_suffix(".docx"), place, text, clean or None)
    if fmt == "pdf":
        return make_pdf_place(stem.with_suffix(".pdf"), place, text, clean)
    return make_text_place(stem, place, text, clean)


#: The finding each hidden place must give whatever it says.
PLACE_KIND = {
    "comment": "comment",
    "tracked insertion": "tracked-change",
    "tracked deletion": "tracked-change",
    "hidden text": "hidden-text",
    "embedded object": "embedded-object",
    "annotation": "annotation",
    "form field": "form-field",
    "attachment": "attachment",
    "earlier revision": "revision-history",
    "md comment": "hidden-text",
}
#: Places that are a finding whatever they say, so a clean text there still fails.
HIDDEN_PLACES = frozenset(PLACE_KIND)


def measure(folder: Path, terms: Sequence[str] = tuple(REGISTER + PLACES)) -> dict[str, Any]:
    """Recall on the planted set and false alarms on the clean set, place by place."""
    from scrtool.checks.redaction import check_redaction

    planted_text = " ".join(planted_sentence(k, t) for k, t in PLANTED)
    expected = 0
    found = 0
    misses: list[str] = []
    false_alarms: list[str] = []
    clean_checked = 0
    for fmt, place in all_places():
        sub = folder / f"{fmt}-planted"
        sub.mkdir(exist_ok=True)
        path = make_place(sub, fmt, place, planted_text)
        report = check_redaction([path], terms=terms).files[0]
        wanted = list(PLANTED)
        if place in PLACE_KIND:
            wanted.append((PLACE_KIND[place], ""))
        for kind, text in wanted:
            expected += 1
            hit = any(
                f.kind == kind
                and f.severity in ("high", "medium")
                and (not text or f.text in text or text in f.text)
                for f in report.findings
            )
            if hit:
                found += 1
            else:
                misses.append(f"{fmt} {place}: {kind} {text!r}")
        if place in HIDDEN_PLACES:
            continue
        sub = folder / f"{fmt}-clean"
        sub.mkdir(exist_ok=True)
        clean_text = " ".join(CLEAN_PARAGRAPHS)
        path = make_place(sub, fmt, place, clean_text, CLEAN_PARAGRAPHS)
        clean_checked += 1
        for f in check_redaction([path], terms=terms).files[0].findings:
            if f.severity in ("high", "medium"):
                false_alarms.append(f"{fmt} {place}: {f.kind} {f.text!r} at {f.location}")
    return {
        "planted": expected,
        "found": found,
        "recall": found / expected,
        "misses": misses,
        "clean_documents": clean_checked,
        "clean_sentences": clean_checked * len(CLEAN_PARAGRAPHS) * 2,
        "false_alarms": false_alarms,
    }
