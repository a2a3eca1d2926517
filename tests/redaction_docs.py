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
