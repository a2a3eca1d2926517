"""The second check: the finished bundle is read again, page for page, before it is put in place."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PageObject
from scrtool.bundle.assemble import BuiltBundle
from scrtool.bundle.pages import (
    _OVERLAY_OPEN,
    _STAMP_FONT,
    Comparison,
    PageOrigin,
    _compare_errors,
    _pdf_errors,
    same_page,
    same_resources,
)
from scrtool.readers.model import ReadFile

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
    page: PageObject, origin: PageOrigin, overlay: bytes, comparison: Comparison
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
    own = contents[1:-1]
    if len(own) != len(origin.contents) or not all(
        comparison.same(ours, theirs) for ours, theirs in zip(own, origin.contents, strict=True)
    ):
        return False
    resources = page.get("/Resources")
    if not same_resources(resources, origin.resources, comparison):
        return False
    if not same_page(page, origin, comparison):
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
    """What the second check reads: the bundle, with unchanged input pages cut to the stamp.

    ``reader`` is pypdf's reader of the finished bundle itself (None when the copy is the
    bundle as it is): the copy differs from the bundle only in the cut pages' content and
    resources, so the bundle's structure (properties, XMP, bookmarks, annotations, forms,
    scripts, attachments) is read from it, and only the pages from the copy.
    """

    pdf: bytes
    pages_unchanged: int
    pages_read: int
    reader: Any = field(default=None, compare=False, repr=False)
    #: What pypdf said while opening the bundle (kept as the check's warnings).
    messages: tuple[str, ...] = ()


def recheck_copy(built: BuiltBundle) -> RecheckCopy:
    """The finished bundle as the second check reads it.

    Each page copied from a checked input PDF that the bundle shows to be unchanged (see
    above) keeps only its overlay: the stamp, which is read and checked like any text.
    The cut is an incremental update appended to the bundle's own bytes (a new version of
    each cut page object and nothing else), so nothing of the bundle is written again and
    everything but those pages' content is the bundle's own. When no page qualifies, or
    the bundle is not the plain one-revision file it should be, the bundle itself is
    returned.
    """
    from pypdf import PdfReader

    whole = RecheckCopy(pdf=built.pdf, pages_unchanged=0, pages_read=built.pages)
    if not any(built.origins) or built.pdf.count(b"%%EOF") != 1:
        return whole
    from scrtool.readers.quiet import library_messages

    kept: list[str] = []
    with library_messages(kept):
        try:
            reader = PdfReader(io.BytesIO(built.pdf))
            if set(reader.trailer.keys()) - {"/Size", "/Root", "/ID", "/Info"}:
                return whole
            pages = list(reader.pages)
        except _pdf_errors():
            return whole
        if len(pages) != len(built.origins) or len(built.overlays) != len(pages):
            return whole
        comparison = Comparison()
        unchanged: list[int] = []
        for number, (page, origin, overlay) in enumerate(
            zip(pages, built.origins, built.overlays, strict=True)
        ):
            if origin is None or page.indirect_reference is None:
                continue
            try:
                if _unchanged(page, origin, overlay, comparison):
                    unchanged.append(number)
            except _compare_errors():
                continue
        if not unchanged:
            return whole
        try:
            pdf = _cut_pages(built.pdf, reader, [pages[n] for n in unchanged])
        except _pdf_errors():
            return whole
    cut = len(unchanged)
    return RecheckCopy(
        pdf=pdf,
        pages_unchanged=cut,
        pages_read=built.pages - cut,
        reader=reader,
        messages=tuple(kept),
    )


def _cut_pages(pdf: bytes, reader: Any, pages: list[PageObject]) -> bytes:
    """``pdf`` with an incremental update in which each of ``pages`` keeps only its overlay
    streams (the first and last of its contents) and, as resources, the stamp's font."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    tail = pdf[pdf.rindex(b"startxref") + len(b"startxref") :].split()
    previous = int(tail[0])
    out = io.BytesIO()
    out.write(pdf)
    if not pdf.endswith(b"\n"):
        out.write(b"\n")
    offsets: list[tuple[int, int, int]] = []
    for page in pages:
        ref = page.indirect_reference
        assert ref is not None
        contents: Any = page.raw_get("/Contents").get_object()
        resources: Any = page["/Resources"].get_object()
        font = resources["/Font"].get_object().raw_get(_STAMP_FONT)
        cut = DictionaryObject(
            {key: page.raw_get(key) for key in page if key not in ("/Contents", "/Resources")}
        )
        cut[NameObject("/Contents")] = ArrayObject([contents[0], contents[-1]])
        cut[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject(_STAMP_FONT): font})}
        )
        offsets.append((ref.idnum, ref.generation, out.tell()))
        out.write(b"%d %d obj\n" % (ref.idnum, ref.generation))
        cut.write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for idnum, generation, offset in sorted(offsets):
        out.write(b"%d 1\n%010d %05d n \n" % (idnum, offset, generation))
    trailer = DictionaryObject(
        {key: reader.trailer.raw_get(key) for key in reader.trailer if key != "/Prev"}
    )
    trailer[NameObject("/Prev")] = NumberObject(previous)
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def read_recheck_copy(copy: RecheckCopy, name: Path) -> ReadFile:
    """The cut copy read as the redaction check reads a PDF: its pages (with PDFium, from
    the copy) and the bundle's structure (with pypdf, from the bundle's own reader). The
    bundle has one revision (``recheck_copy`` cuts no other), and the copy's only other
    revision is the cut itself, so no earlier revision is looked for."""
    from scrtool.readers.pdf import read_pdf_bytes, remember_opening

    remember_opening(copy.reader, list(copy.messages))
    read = read_pdf_bytes(copy.pdf, name, revisions=False, reader=copy.reader)
    return ReadFile(path=name, document=None, pieces=tuple(read.pieces()), warnings=read.warnings)
