"""The second check: the finished bundle is read again, page for page, before it is put in place."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PageObject
from scrtool.bundle.assemble import BuiltBundle
from scrtool.bundle.pages import (
    _OVERLAY_OPEN,
    _STAMP_FONT,
    PageOrigin,
    _compare_errors,
    _fingerprint,
    _page_fingerprint,
    _pdf_errors,
    _resources_fingerprint,
)

# --------------------------------------------------------------------------- the second check
#
# The finished bundle is checked for redaction again before it is put in place. Reading
# the text of every page again is most of the work, and for a page copied from an input
# PDF it finds exactly what the first check found there: the page is the same page. So
# such a page is not read again when the bundle itself shows that it is the same: its
# content streams, byte for byte, its resources (fonts, images, forms) and every other
# entry of the page (boxes, rotation) are those of the page the first check read, and the
# only things added are the two overlay streams (q, and Q plus the stamp) and the stamp's
# font. Any difference, or anything that cannot be compared, and the page is read in full.
# Everything else is checked as before, in the finished bundle: the cover, the index,
# converted Word documents' pages, the stamp on every page, the document's properties and
# XMP, annotations and links, form fields, scripts, attachments, bookmarks and revisions.


def _unchanged(
    page: PageObject, origin: PageOrigin, overlay: bytes, memo: dict[tuple[int, int], bytes]
) -> bool:
    """Whether the bundle's page is the input page plus the overlay and nothing else (if
    not, it is read in full)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    raw = page.raw_get("/Contents") if "/Contents" in page else None
    contents = raw.get_object() if raw is not None else None
    if not isinstance(contents, ArrayObject) or len(contents) < 2:
        return False
    first, last = contents[0], contents[-1]
    for ref, expected in ((first, _OVERLAY_OPEN), (last, overlay)):
        stream = ref.get_object() if isinstance(ref, IndirectObject) else None
        if not isinstance(stream, StreamObject) or "/Filter" in stream or stream._data != expected:
            return False
    stack: set[tuple[int, int]] = set()
    if tuple(_fingerprint(s, memo, stack) for s in contents[1:-1]) != origin.contents:
        return False
    resources = page.get("/Resources")
    if _resources_fingerprint(resources, memo, without_stamp_font=True) != origin.resources:
        return False
    if _page_fingerprint(page, memo) != origin.page:
        return False
    fonts = resources.get_object().get("/Font").get_object()  # type: ignore[union-attr]
    font = fonts.raw_get(_STAMP_FONT)
    expected_font = {
        "/Type": "/Font",
        "/Subtype": "/Type1",
        "/BaseFont": "/Helvetica",
        "/Encoding": "/WinAnsiEncoding",
    }
    resolved = font.get_object()
    return (
        isinstance(resolved, DictionaryObject)
        and {str(k): str(v) for k, v in resolved.items()} == expected_font
    )


@dataclass(frozen=True)
class BundleRecheck:
    """The second check's report on the finished bundle, and how much of it was read again."""

    report: Any  # a RedactionReport
    pages_read: int
    pages_unchanged: int

    @property
    def passed(self) -> bool:
        return bool(self.report.passed)


@dataclass(frozen=True)
class RecheckCopy:
    """What the second check reads: the bundle, with unchanged input pages cut to the stamp."""

    pdf: bytes
    pages_unchanged: int
    pages_read: int


def recheck_copy(built: BuiltBundle) -> RecheckCopy:
    """The finished bundle as the second check reads it.

    Each page copied from a checked input PDF that the bundle shows to be unchanged (see
    above) keeps only its overlay: the stamp, which is read and checked like any text.
    The rest of the document (properties, XMP, outlines, names, forms, annotations and
    links) is kept as it is in the finished bundle. When no page qualifies, or the bundle
    is not the plain one-revision file it should be, the bundle itself is returned.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    whole = RecheckCopy(pdf=built.pdf, pages_unchanged=0, pages_read=built.pages)
    if not any(built.origins) or built.pdf.count(b"%%EOF") != 1:
        return whole
    from scrtool.readers.quiet import quiet_pypdf

    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(built.pdf))
            if set(reader.trailer.keys()) - {"/Size", "/Root", "/ID", "/Info"}:
                return whole
            pages = list(reader.pages)
        except _pdf_errors():
            return whole
        if len(pages) != len(built.origins) or len(built.overlays) != len(pages):
            return whole
        memo: dict[tuple[int, int], bytes] = {}
        unchanged: list[int] = []
        for number, (page, origin, overlay) in enumerate(
            zip(pages, built.origins, built.overlays, strict=True)
        ):
            if origin is None:
                continue
            try:
                if _unchanged(page, origin, overlay, memo):
                    unchanged.append(number)
            except _compare_errors():
                continue
        if not unchanged:
            return whole
        # A copy of the whole document, in which each unchanged page keeps only its
        # overlay streams and the stamp's font.
        writer = PdfWriter(clone_from=reader)
        if "/Info" not in reader.trailer:
            writer.metadata = None
        for number in unchanged:
            page = writer.pages[number]
            contents: Any = page["/Contents"].get_object()
            resources: Any = page["/Resources"].get_object()
            font = resources["/Font"].get_object().raw_get(_STAMP_FONT)
            page[NameObject("/Contents")] = ArrayObject([contents[0], contents[-1]])
            page[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject(_STAMP_FONT): font})}
            )
        out = io.BytesIO()
        writer.write(out)
    cut = len(unchanged)
    return RecheckCopy(pdf=out.getvalue(), pages_unchanged=cut, pages_read=built.pages - cut)
