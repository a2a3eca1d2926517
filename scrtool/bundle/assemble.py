"""Assembling the bundle PDF: cover sheet, index, the documents, bookmarks and page numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.case import REVIEW_TYPE_NAMES
from scrtool.dates import format_english
from scrtool.errors import UnreadableInputError

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader, PdfWriter
from scrtool.bundle.pages import (
    _OVERLAY_OPEN,
    _PAGE_KEYS_DROPPED,
    _STAMP_FONT,
    PageOrigin,
    _pdf_errors,
    page_origin,
)
from scrtool.bundle.request import (
    _FRONT_PAGE_SIZE,
    _INDEX_ROWS_PER_PAGE,
    CoverDetails,
    DocumentEntry,
)

# --------------------------------------------------------------------------- the PDF


#: The cover and index are drawn in DejaVu Sans, shipped in ``scrtool/fonts/`` and embedded
#: (subset), so a Polish, Vietnamese or any other name in the register prints as written;
#: the 14 standard PDF fonts cover only Western European letters.
REGULAR = "ScrtoolDejaVuSans"
BOLD = "ScrtoolDejaVuSans-Bold"


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from scrtool.resources import font_path

    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_path(file))))


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "...", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def bundle_title(ref: str) -> str:
    return f"{ref} panel submission"


def index_pages_needed(documents: int) -> int:
    return max(1, math.ceil(documents / _INDEX_ROWS_PER_PAGE))


def _pages_text(entry: DocumentEntry) -> str:
    if entry.pages == 1:
        return str(entry.first_page)
    return f"{entry.first_page}\u2013{entry.last_page}"


def _date_text(value: dt.date | None) -> str:
    return format_english(value) if value is not None else "not recorded"


def publication_row(cover: CoverDetails) -> tuple[str, str]:
    """The cover's publication line, saying whether the day is planned or has happened."""
    day = cover.publication
    if cover.publication_basis == "not-published":
        return "Publication", "not published (the safeguarding partners' decision)"
    if cover.publication_basis == "improvements":
        return "Improvements published", _date_text(day)
    if cover.publication_basis == "published" and day is not None:
        return "Published", _date_text(day)
    return "Publication", f"planned for {format_english(day)}" if day else "not recorded"


def draw_front_matter(
    cover: CoverDetails, entries: Sequence[DocumentEntry], total_pages: int
) -> tuple[bytes, list[list[tuple[tuple[float, float, float, float], int]]]]:
    """The cover sheet and index with reportlab; returns the PDF and each index page's links.

    Links are returned as (rectangle, 0-based target page) per index page and added with
    pypdf once the documents are in place.
    """
    from reportlab.lib.colors import HexColor
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    width, height = _FRONT_PAGE_SIZE
    margin = 64.0
    text_width = width - 2 * margin
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=_FRONT_PAGE_SIZE, invariant=1, pageCompression=1)
    grey = HexColor("#555555")

    # Cover sheet.
    y = height - 110
    canvas.setFont(REGULAR, 12)
    canvas.setFillColor(grey)
    canvas.drawString(margin, y, "Submission to the Child Safeguarding Practice Review Panel")
    canvas.setFillColorRGB(0, 0, 0)
    y -= 40
    for line in simpleSplit(
        (cover.partnership or "Safeguarding Children Partnership"),
        BOLD,
        22,
        text_width,
    ):
        canvas.setFont(BOLD, 22)
        canvas.drawString(margin, y, line)
        y -= 28
    y -= 6
    type_name = REVIEW_TYPE_NAMES.get(cover.review_type, cover.review_type)
    for line in simpleSplit(
        (f"{type_name}: {cover.child}" if cover.child else type_name),
        REGULAR,
        15,
        text_width,
    ):
        canvas.setFont(REGULAR, 15)
        canvas.drawString(margin, y, line)
        y -= 20
    y -= 30
    rows = [
        ("Review reference", cover.ref),
        ("Review type", f"{type_name} ({cover.review_type.upper()})"),
        ("Child", cover.child or "not recorded"),
        ("Review initiated", _date_text(cover.initiated)),
        ("Review completed", _date_text(cover.completed)),
        publication_row(cover),
        ("Panel copy due", _date_text(cover.panel_copy_due)),
        ("Panel copy sent", _date_text(cover.sent)),
        ("Documents", f"{len(entries)} ({total_pages} pages in all)"),
    ]
    label_width = 150.0
    for label, value in rows:
        canvas.setFont(BOLD, 11)
        canvas.drawString(margin, y, label)
        canvas.setFont(REGULAR, 11)
        canvas.drawString(
            margin + label_width,
            y,
            _fit(str(value), REGULAR, 11, text_width - label_width),
        )
        y -= 22
    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(grey)
    canvas.drawString(
        margin,
        margin,
        "Every document is bookmarked; the page numbers in the index are the bundle's own.",
    )
    canvas.showPage()

    # Index.
    links: list[list[tuple[tuple[float, float, float, float], int]]] = []
    per_page = _INDEX_ROWS_PER_PAGE
    row_height = 20.0
    pages_col = width - margin - 90
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    number = 0
    for page_no, chunk in enumerate(chunks):
        page_links: list[tuple[tuple[float, float, float, float], int]] = []
        y = height - 100
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(BOLD, 18)
        canvas.drawString(margin, y, "Index" if page_no == 0 else "Index (continued)")
        y -= 36
        canvas.setFont(BOLD, 11)
        canvas.drawString(margin, y, "No.")
        canvas.drawString(margin + 36, y, "Document")
        canvas.drawString(pages_col, y, "Pages")
        y -= 6
        canvas.setLineWidth(0.5)
        canvas.line(margin, y, width - margin, y)
        y -= row_height - 4
        for entry in chunk:
            number += 1
            canvas.setFont(REGULAR, 11)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(margin, y, f"{number}.")
            canvas.setFillColor(HexColor("#1a4f8b"))
            canvas.drawString(
                margin + 36, y, _fit(entry.title, REGULAR, 11, pages_col - margin - 48)
            )
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(pages_col, y, _pages_text(entry))
            rect = (margin - 2, y - 5, width - margin + 2, y + 13)
            page_links.append((rect, entry.first_page - 1))
            y -= row_height
        links.append(page_links)
        canvas.showPage()
    canvas.save()
    return buf.getvalue(), links


def _displayed_size(
    page: PageObject,
) -> tuple[float, float, int, tuple[float, float, float, float]]:
    box = page.cropbox
    x0, y0, x1, y1 = (float(box.left), float(box.bottom), float(box.right), float(box.top))
    if x1 < x0:
        x0, x1 = x1, x0
    if y1 < y0:
        y0, y1 = y1, y0
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    rotation -= rotation % 90
    w, h = x1 - x0, y1 - y0
    if rotation in (90, 270):
        w, h = h, w
    return w, h, rotation, (x0, y0, x1, y1)


def _stamp_matrix(rotation: int, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """Maps the upright overlay onto a page's user space, whatever its rotation and origin."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return (0, 1, -1, 0, x1, y0)
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotation == 270:
        return (0, -1, 1, 0, x0, y1)
    return (1, 0, 0, 1, x0, y0)


#: The stamp's font: Helvetica, one of the 14 fonts every PDF reader has (not embedded).
def page_number_stamps(sizes: Sequence[tuple[float, float]]) -> list[bytes]:
    """The text operators of "Page N of M" for each page, laid out by reportlab.

    Each stamp is drawn upright for the page as it is displayed (``sizes`` are the
    displayed width and height), bottom right. Only the operators are kept: building and
    re-reading a whole reportlab PDF of N pages cost more than the rest of the bundle.
    """
    import re

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), invariant=1)
    total = len(sizes)
    stamps = []
    font_token: re.Pattern[str] | None = None
    for number, (w, h) in enumerate(sizes, start=1):
        text = f"Page {number} of {total}"
        size = 9.0 if min(w, h) >= 200 else max(4.0, min(w, h) / 25)
        x = w - min(36.0, w / 10) - stringWidth(text, "Helvetica", size)
        y = min(18.0, h / 20)
        obj = canvas.beginText()
        obj.setFont("Helvetica", size)
        obj.setFillColorRGB(0.2, 0.2, 0.2)
        obj.setTextOrigin(x, y)
        obj.textOut(text)
        code = obj.getCode()
        if font_token is None:
            found = re.search(r"(/\w+) [\d.]+ Tf", code)
            assert found, code
            font_token = re.compile(re.escape(found.group(1)) + r"(?= [\d.]+ Tf)")
        stamps.append(font_token.sub(_STAMP_FONT, code).encode("latin-1"))
    return stamps


def _clean_page(page: PageObject) -> None:
    for key in _PAGE_KEYS_DROPPED:
        if key in page:
            del page[key]


def _strip_object_metadata(writer: PdfWriter) -> None:
    """Remove XMP and private application data from every object (images, fonts, forms)."""
    from pypdf.generic import DictionaryObject, IndirectObject

    for obj in list(writer._objects):
        if not isinstance(obj, DictionaryObject):
            continue
        for key in ("/Metadata", "/PieceInfo", "/LastModified"):
            if key not in obj:
                continue
            value = obj.raw_get(key)
            del obj[key]
            if isinstance(value, IndirectObject) and value.pdf is writer:
                writer._objects[value.idnum - 1] = None  # type: ignore[call-overload]


def _stamp(writer: PdfWriter) -> list[bytes]:
    """Add "Page N of M" to every page of the bundle, upright whatever the page's rotation.

    The page's own content streams are kept as they are (not decoded and rewritten, as
    ``merge_page`` would), wrapped in q ... Q so nothing they leave in the graphics state
    moves the stamp, and followed by a small stream of the stamp's own. Returns each
    page's closing stream, so the second check can tell the overlay from the page.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    def stream(data: bytes) -> Any:
        s = DecodedStreamObject()
        s.set_data(data)
        return writer._add_object(s)

    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    layout = [_displayed_size(page) for page in writer.pages]
    stamps = page_number_stamps([(w, h) for w, h, _r, _b in layout])
    open_ref = stream(_OVERLAY_OPEN)
    closing: list[bytes] = []
    for page, (_w, _h, rotation, box), stamp in zip(writer.pages, layout, stamps, strict=True):
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        new_resources = DictionaryObject(resources)
        fonts = new_resources.get("/Font")
        new_fonts = DictionaryObject(fonts.get_object() if fonts is not None else {})
        new_fonts[NameObject(_STAMP_FONT)] = font
        new_resources[NameObject("/Font")] = new_fonts
        page[NameObject("/Resources")] = new_resources
        matrix = " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in _stamp_matrix(rotation, box))
        close = b"Q\nq " + matrix.encode("ascii") + b" cm " + stamp + b" Q\n"
        closing.append(close)
        close_ref = stream(close)
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        parts: list[Any] = [open_ref]
        if contents is not None:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                parts.extend(resolved)
            elif hasattr(contents, "idnum"):
                parts.append(contents)
            else:  # a content stream written in place, which PDF does not allow
                parts.append(writer._add_object(resolved))
        parts.append(close_ref)
        page[NameObject("/Contents")] = ArrayObject(parts)
    return closing


def _document_id(request_ref: str, hashes: Sequence[str], cover: CoverDetails) -> bytes:
    digest = hashlib.sha256()
    digest.update(request_ref.encode("utf-8"))
    for h in hashes:
        digest.update(h.encode("ascii"))
    digest.update(repr(cover).encode("utf-8"))
    return digest.digest()[:16]


@dataclass(frozen=True)
class BuiltBundle:
    pdf: bytes
    entries: tuple[DocumentEntry, ...]
    pages: int
    #: Per bundle page: the checked input page it was copied from, or None (the cover,
    #: the index, a converted Word document's pages).
    origins: tuple[PageOrigin | None, ...] = ()
    #: Per bundle page: the stream that closes its overlay (the "Page N of M" stamp).
    overlays: tuple[bytes, ...] = ()


def assemble_bundle(
    cover: CoverDetails,
    documents: Sequence[tuple[str, str, str, Path | PdfReader]],
    *,
    checked: Collection[int] = (),
) -> BuiltBundle:
    """Build the bundle PDF in memory from (title, file name, sha256, PDF) per document.

    The PDF is a path or a reader already open; a reader's pages are changed in memory
    (their annotations and metadata are dropped), so it must not be used again.
    ``checked`` holds the indexes of the documents whose PDF is the one the first check
    read: their pages, as that reader holds them, are kept (``BuiltBundle.origins``) so
    the second check can show that those pages reached the bundle unchanged.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    from scrtool.bundle.convert import pypdf_warnings

    readers = [pdf if isinstance(pdf, PdfReader) else PdfReader(pdf) for _, _, _, pdf in documents]
    counts = [len(r.pages) for r in readers]
    front = 1 + index_pages_needed(len(documents))
    entries = []
    first = front + 1
    for (title, file, digest, _), count in zip(documents, counts, strict=True):
        entries.append(
            DocumentEntry(title=title, file=file, sha256=digest, pages=count, first_page=first)
        )
        first += count
    total = first - 1

    front_pdf, links = draw_front_matter(cover, entries, total)
    front_reader = PdfReader(io.BytesIO(front_pdf))
    assert len(front_reader.pages) == front

    writer = PdfWriter()
    origins: list[PageOrigin | None] = []
    for page in front_reader.pages:
        writer.add_page(page)
        origins.append(None)
    for number, ((_title, file, _digest, _pdf), reader) in enumerate(
        zip(documents, readers, strict=True)
    ):
        try:
            # Pages pypdf had to guess at may not be the pages the first check read: they
            # keep no origin and the second check reads them in full.
            with pypdf_warnings() as warned:
                first_origin = len(origins)
                for page in reader.pages:
                    origins.append(page_origin(number, page, None) if number in checked else None)
                    _clean_page(page)
                    writer.add_page(page)
            if warned:
                origins[first_origin:] = [None] * (len(origins) - first_origin)
        except _pdf_errors() as exc:
            raise UnreadableInputError(
                f"its pages could not be copied into the bundle ({exc})",
                file=file,
                advice="open it and save (or export) it as PDF again, then try again",
            ) from exc
    _strip_object_metadata(writer)

    overlays = _stamp(writer)

    for index_page, page_links in enumerate(links, start=1):
        for rect, target in page_links:
            writer.add_annotation(
                page_number=index_page, annotation=Link(rect=rect, target_page_index=target)
            )
    for entry in entries:
        writer.add_outline_item(title=entry.title, page_number=entry.first_page - 1)
    # One numbering: the labels a PDF reader shows are the "Page N of M" printed on every
    # page and the page numbers in the index, cover sheet included.
    writer.set_page_label(0, total - 1, style=PageLabelStyle.DECIMAL, start=1)
    writer.page_mode = "/UseOutlines"
    writer.metadata = None
    # The title only: no author, producer or dates (the redaction rules).
    writer.add_metadata({"/Title": bundle_title(cover.ref)})
    preferences: Any = writer.create_viewer_preferences()
    preferences.display_doctitle = True
    # A screen reader reads the cover and index (and untagged pages) as British English.
    writer.root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    file_id = ByteStringObject(_document_id(cover.ref, [e.sha256 for e in entries], cover))
    writer._ID = ArrayObject([file_id, file_id])
    out = io.BytesIO()
    writer.write(out)
    return BuiltBundle(
        pdf=out.getvalue(),
        entries=tuple(entries),
        pages=total,
        origins=tuple(origins),
        overlays=tuple(overlays),
    )
