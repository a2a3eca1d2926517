"""Builds the small, real-shaped files in tests/data/readers/ that the reader tests use.

Run ``python tests/data/make_reader_data.py`` from the repository; the output is
committed, so the tests do not depend on this script's libraries. Every name is invented.

- form-xobject-matrix.pdf: text drawn inside a form XObject that has its own /Matrix,
  placed by a ``cm`` before ``Do``; one name inside it is covered by a black box drawn
  later in the same form, the rest is plain diagram text that is neither covered nor
  outside the page once both transforms are applied.
- strict.docx: a Word "Strict Open XML" document (ISO/IEC 29500 Strict namespaces).
- ole-embedding.docx: a Word document with an embedded OLE object
  (word/embeddings/oleObject1.bin) whose binary data is full of digits, and whose
  stream names and properties carry a file name.
- entities.docx: a Word document whose main part declares XML entities.
"""

from __future__ import annotations

import io
import zipfile
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ole_helpers import ole_compound  # noqa: E402

HERE = Path(__file__).resolve().parent / "readers"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered objects (1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def form_xobject_pdf() -> bytes:
    # In the form's own space the text sits below and left of its origin; the form's
    # /Matrix scales it by 1.5 and the page's cm moves it to the middle of the page. Read
    # with an identity matrix instead, it would be off the page and under the box.
    form = (
        b"BT /F1 10 Tf -60 -20 Td (Referral pathway: health to social care) Tj ET\n"
        b"0.9 g -70 -60 200 25 re f\n"  # a light panel, then text on it
        b"0 g BT /F1 10 Tf -60 -50 Td (Strategy discussion) Tj ET\n"
        b"BT /F1 10 Tf 80 -50 Td (Ravi Okafor) Tj ET\n"
        b"0 g 78 -54 62 16 re f\n"  # a black box drawn over the name: a bad redaction
    )
    page = (
        b"BT /F1 12 Tf 72 770 Td (Figure 3: how the referral moved between agencies) Tj ET\n"
        b"0 0 0 RG 1 w 72 300 m 520 300 l S\n"  # a stroked rule, never a box
        b"q 1 0 0 1 220 520 cm /Fm1 Do Q\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>",
        _stream(b"", page),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream(
            b"/Type /XObject /Subtype /Form /BBox [-100 -100 300 100] "
            b"/Matrix [1.5 0 0 1.5 0 0] /Resources << /Font << /F1 5 0 R >> >>",
            form,
        ),
    ]
    return _pdf(objects)


W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_R = "http://purl.oclc.org/ooxml/officeDocument/relationships"
STRICT_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def _paragraphs(w: str, texts: list[tuple[str | None, str]]) -> str:
    out = []
    for style, text in texts:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        out.append(f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
    return "".join(out)


def strict_docx() -> bytes:
    """What Word writes for File > Save As > Strict Open XML Document, cut to its bones."""
    body = _paragraphs(
        "w",
        [
            ("Heading1", "Background"),
            (None, "Aisha Kowalczyk was seen by the health visitor at home."),
            (None, "The family lived at 14 Larkspur Close, Northshire LS4 7QT."),
        ],
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{STRICT_W}" xmlns:r="{STRICT_R}" w:conformance="strict">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:styles xmlns:w="{STRICT_W}"><w:style w:type="paragraph" w:styleId="Heading1">'
        f'<w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
        f"</w:styles>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Priya Lindqvist</dc:creator>'
        "</cp:coreProperties>"
    )
    return _zip(
        {
            "[Content_Types].xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                "</Types>"
            ).encode(),
            "_rels/.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">'
                f'<Relationship Id="rId1" Type="{STRICT_DOC}" Target="word/document.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                "</Relationships>"
            ).encode(),
            "word/_rels/document.xml.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">'
                '<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/styles" Target="styles.xml"/>'
                "</Relationships>"
            ).encode(),
            "word/document.xml": document.encode(),
            "word/styles.xml": styles.encode(),
            "docProps/core.xml": core.encode(),
        }
    )


def _transitional(document_body: str, extra: dict[str, bytes], rels: str = "", types: str = "") -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_MAIN}" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:v="urn:schemas-microsoft-com:vml">'
        f"<w:body>{document_body}<w:sectPr/></w:body></w:document>"
    )
    return _zip(
        {
            "[Content_Types].xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                f"{types}</Types>"
            ).encode(),
            "_rels/.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"
            ).encode(),
            "word/_rels/document.xml.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">{rels}</Relationships>'
            ).encode(),
            "word/document.xml": document.encode(),
            **extra,
        }
    )


def ole_docx() -> bytes:
    """An equation or chart pasted as an OLE object: binary data with digits all through
    it, and a "Package" stream naming the file it came from."""
    import random
    import struct

    rng = random.Random(13)
    binary = bytes(rng.randrange(256) for _ in range(1500))
    digits = b"0000002593 6.@5.A5.B70F8 01632 960 123 " * 20  # junk "identifiers" in binary data
    payload = digits + binary
    label = b"Okafor family plan.xlsx\x00"
    source = b"C:\\Users\\plindqvist\\Desktop\\Okafor family plan.xlsx\x00"
    temp = b"C:\\Users\\plindqvist\\AppData\\Local\\Temp\\Okafor family plan.xlsx\x00"
    native = (
        b"\x02\x00" + label + source + b"\x00\x00\x03\x00" + struct.pack("<I", len(temp)) + temp
        + struct.pack("<I", len(payload)) + payload
    )  # fmt: skip
    ole10 = struct.pack("<I", len(native)) + native
    compound = ole_compound(
        {"\x01Ole10Native": ole10, "\x01CompObj": b"\x01\x00\xfe\xff" + binary[:200]}
    )
    body = (
        '<w:p><w:r><w:t>The plan is embedded below.</w:t></w:r></w:p>'
        '<w:p><w:r><w:object><v:shape id="_x0000_i1025" style="width:80pt;height:40pt">'
        '</v:shape><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" '
        'r:id="rId5"/></w:object></w:r></w:p>'
    )
    return _transitional(
        body,
        {"word/embeddings/oleObject1.bin": compound},
        rels='<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" Target="embeddings/oleObject1.bin"/>',
    )


def entities_docx() -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<!DOCTYPE w:document [<!ENTITY who "Dean Voss">]>'
        f'<w:document xmlns:w="{W_MAIN}"><w:body>'
        "<w:p><w:r><w:t>The report was written by &who;.</w:t></w:r></w:p>"
        "<w:sectPr/></w:body></w:document>"
    )
    data = _transitional("", {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            payload = document.encode() if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, payload)
    return out.getvalue()


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    (HERE / "form-xobject-matrix.pdf").write_bytes(form_xobject_pdf())
    (HERE / "strict.docx").write_bytes(strict_docx())
    (HERE / "ole-embedding.docx").write_bytes(ole_docx())
    (HERE / "entities.docx").write_bytes(entities_docx())


if __name__ == "__main__":
    main()
