"""The last touches to LibreOffice's tagged PDF before it goes on the website.

LibreOffice sets the language the Word document's styles say (often en-US) and copies
the document's author into the PDF (Info ``/Author``, XMP ``dc:creator``). The website
copy says it is British English and carries nobody's name: its document information
keeps the title and the producing program, and its XMP metadata is written afresh with
the title, the language and the PDF/UA claim LibreOffice made.

The PDF is rewritten with pypdf by cloning the whole document, never by copying pages
into a new one: copying pages drops the structure tree, /MarkInfo, the outlines and the
viewer preferences, which is exactly what makes the PDF accessible. Objects nothing
refers to any more (the old XMP stream with the author in it) are left out.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

#: The website copy's language (BCP 47, as PDF /Lang and XMP dc:language take it).
LANGUAGE = "en-GB"

#: The document information entries that stay; everything else (Author, Creator,
#: Subject, Keywords, a company's custom entries) is removed.
KEPT_INFO = ("/Producer", "/CreationDate")

_PDFUA_PART = re.compile(rb"pdfuaid:part(?:>|\s*=\s*[\"'])\s*(\d+)")


def _xmp(title: str, language: str, producer: str, pdfua_part: str | None) -> bytes:
    """A fresh XMP packet: the title, the language, the producer and the PDF/UA claim."""
    ua = (
        '  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"   <pdfuaid:part>{escape(pdfua_part)}</pdfuaid:part>\n"
        "  </rdf:Description>\n"
        if pdfua_part
        else ""
    )
    made_by = (
        '  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        f"   <pdf:Producer>{escape(producer)}</pdf:Producer>\n"
        "  </rdf:Description>\n"
        if producer
        else ""
    )
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "   <dc:format>application/pdf</dc:format>\n"
        "   <dc:title><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{escape(title)}</rdf:li>'
        "</rdf:Alt></dc:title>\n"
        f"   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>\n"
        "  </rdf:Description>\n"
        f"{ua}{made_by}"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def _pdfua_part(root: Any) -> str | None:
    stream = root.get("/Metadata")
    if stream is None:
        return None
    try:
        data = stream.get_object().get_data()
    except Exception:  # an unreadable XMP stream makes no PDF/UA claim
        return None
    found = _PDFUA_PART.search(data)
    return found.group(1).decode("ascii") if found else None


def finish_tagged_pdf(
    source: Path,
    *,
    title: str,
    language: str = LANGUAGE,
    charts: list[tuple[str, str]] | None = None,
) -> bytes:
    """The website copy of LibreOffice's PDF: the language and title set, the window
    showing the title, and no personal metadata; the tags and bookmarks kept."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        BooleanObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    from scrtool.bundle.word_copy import describe_charts, unmark_figures
    from scrtool.readers.quiet import quiet_pypdf

    with quiet_pypdf():
        reader = PdfReader(source)
        writer = PdfWriter(clone_from=reader)
        writer.pdf_header = reader.pdf_header  # pypdf would say 1.3; the tags need 1.4 or later
        root = writer.root_object
        unmark_figures(writer)
        describe_charts(writer, charts or [])
        root[NameObject("/Lang")] = TextStringObject(language)
        prefs = root.get("/ViewerPreferences")
        prefs = prefs.get_object() if prefs is not None else None
        if not isinstance(prefs, DictionaryObject):
            prefs = DictionaryObject()
            root[NameObject("/ViewerPreferences")] = prefs
        prefs[NameObject("/DisplayDocTitle")] = BooleanObject(True)

        old: Any = reader.metadata or {}
        kept = {key: str(old[key]) for key in KEPT_INFO if old.get(key)}
        writer.metadata = {"/Title": title, **kept}

        xmp = DecodedStreamObject()
        xmp.set_data(_xmp(title, language, kept.get("/Producer", ""), _pdfua_part(root)))
        xmp[NameObject("/Type")] = NameObject("/Metadata")
        xmp[NameObject("/Subtype")] = NameObject("/XML")
        root[NameObject("/Metadata")] = writer._add_object(xmp)
        # The old XMP stream (with dc:creator) is now referred to by nothing: leave it out.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()
