"""The second check: the finished bundle is read again, page for page, before it is put in place."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
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
# font. Of such a page only the stamp is checked, its text read from the overlay's bytes,
# which must be a stamp exactly as the assembler writes one. Any difference, or anything
# that cannot be compared, and the page is read in full. Everything else is checked as
# before, in the finished bundle: the cover, the index, converted Word documents' pages,
# the document's properties and XMP, annotations and links, form fields, scripts,
# attachments, bookmarks and revisions.


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
class RecheckPlan:
    """What the second check reads of the finished bundle: every page, except that of an
    unchanged input page (see above) only its stamp is read, from the stamp's own bytes.

    ``reader`` is pypdf's reader of the bundle, which compared its pages (None when no
    page was compared: the bundle is then read as any PDF is); the bundle's structure
    (properties, XMP, bookmarks, annotations, forms, scripts, attachments) is read from
    it.
    """

    pages_unchanged: int
    pages_read: int
    #: The text of each unchanged page's stamp, by page index.
    stamps: Mapping[int, str] = field(default_factory=dict)
    reader: Any = field(default=None, compare=False, repr=False)
    #: What pypdf said while opening the bundle (kept as the check's warnings).
    messages: tuple[str, ...] = ()


#: The overlay that closes an unchanged page, as ``_stamp`` writes it: the graphics state
#: the page began with, moved to the page's corner, and one line of plain text in the
#: stamp's font. Anything else, and the page is read in full.
_STAMPED = re.compile(
    rb"Q\nq [-\d. ]+ cm BT 1 0 0 1 0 0 Tm " + re.escape(_STAMP_FONT.encode("ascii"))
    + rb" [\d.]+ Tf [\d.]+ TL [\d. ]+ rg 1 0 0 1 [-\d. ]+ Tm \(([ -'*-\[\]-~]*)\) Tj ET Q\n"
)  # fmt: skip


def stamp_text(overlay: bytes) -> str | None:
    """The text an overlay shows, when it is a stamp as ``_stamp`` writes one (else None)."""
    found = _STAMPED.fullmatch(overlay)
    return found.group(1).decode("ascii") if found else None


def plan_recheck(built: BuiltBundle) -> RecheckPlan:
    """Which pages of the finished bundle the second check reads in full.

    A page copied from a checked input PDF that the bundle shows to be unchanged (see
    above) is not: only its stamp is read. When no page qualifies, or the bundle is not
    the plain one-revision file it should be, every page is.
    """
    from pypdf import PdfReader

    whole = RecheckPlan(pages_unchanged=0, pages_read=built.pages)
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
        stamps: dict[int, str] = {}
        for number, (page, origin, overlay) in enumerate(
            zip(pages, built.origins, built.overlays, strict=True)
        ):
            text = stamp_text(overlay)
            if origin is None or page.indirect_reference is None or text is None:
                continue
            try:
                if _unchanged(page, origin, overlay, comparison):
                    stamps[number] = text
            except _compare_errors():
                continue
    if not stamps:
        return whole
    return RecheckPlan(
        pages_unchanged=len(stamps),
        pages_read=built.pages - len(stamps),
        stamps=stamps,
        reader=reader,
        messages=tuple(kept),
    )


def read_for_recheck(plan: RecheckPlan, built: BuiltBundle, name: Path) -> ReadFile:
    """The finished bundle read as the redaction check reads a PDF, with ``plan``'s
    unchanged pages read as their stamps: its pages with PDFium and its structure with
    pypdf, from the reader that compared them. The bundle has one revision
    (``plan_recheck`` compares no other), so no earlier revision is looked for."""
    from scrtool.readers.pdf import read_pdf_bytes, remember_opening

    remember_opening(plan.reader, list(plan.messages))
    read = read_pdf_bytes(built.pdf, name, revisions=False, reader=plan.reader, known=plan.stamps)
    return ReadFile(path=name, document=None, pieces=tuple(read.pieces()), warnings=read.warnings)
