"""Page fingerprints: how the second check knows a bundle page is an input page, unchanged.

The constants the assembler writes with (the stamp's font name, the overlay's opening) live
here too, so the assembler and the second check agree on them without importing each other.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PageObject


_STAMP_FONT = "/ScrtoolHelvetica"

#: The stream that opens every page's overlay (the page's own content follows it).
_OVERLAY_OPEN = b"q\n"


#: Page keys that carry something other than what is printed on the page.
_PAGE_KEYS_DROPPED = (
    "/Annots", "/AA", "/Metadata", "/PieceInfo", "/StructParents", "/Thumb", "/B",
    "/ID", "/LastModified", "/SeparationInfo", "/Tabs", "/PZ",
)  # fmt: skip


def _pdf_errors() -> tuple[type[Exception], ...]:
    from pypdf.errors import PyPdfError

    return (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


class _Unverifiable(Exception):
    """A page whose objects cannot be compared (a loop, an absurd depth): read it in full."""


_MAX_DEPTH = 64


def _compare_errors() -> tuple[type[Exception], ...]:
    return (_Unverifiable, *_pdf_errors())


def _fingerprint(
    obj: Any, memo: dict[tuple[int, int], bytes], stack: set[tuple[int, int]], depth: int = 0
) -> bytes:
    """A digest of a PDF object and everything it refers to, whatever the object numbers.

    Streams count by their bytes as stored (not decoded), so the same digest means the
    same bytes reach a reader; ``memo`` holds the digests of one file's indirect objects.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if depth > _MAX_DEPTH:
        raise _Unverifiable("too deep")
    if isinstance(obj, IndirectObject):
        key = (obj.idnum, obj.generation)
        found = memo.get(key)
        if found is not None:
            return found
        if key in stack:
            raise _Unverifiable("a loop")
        stack.add(key)
        try:
            value = _fingerprint(obj.get_object(), memo, stack, depth + 1)
        finally:
            stack.discard(key)
        memo[key] = value
        return value
    digest = hashlib.sha256()
    if isinstance(obj, DictionaryObject):
        digest.update(b"S" if isinstance(obj, StreamObject) else b"D")
        for key in sorted(obj):
            if isinstance(obj, StreamObject) and key == "/Length":
                continue
            digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
            digest.update(_fingerprint(obj.raw_get(key), memo, stack, depth + 1))
        if isinstance(obj, StreamObject):
            digest.update(hashlib.sha256(obj._data).digest())
    elif isinstance(obj, ArrayObject):
        digest.update(b"A%d" % len(obj))
        for item in obj:
            digest.update(_fingerprint(item, memo, stack, depth + 1))
    else:
        buf = io.BytesIO()
        if obj is None:
            buf.write(b"null")
        else:
            obj.write_to_stream(buf)
        digest.update(b"V" + buf.getvalue())
    return digest.digest()


#: Page entries compared one by one (contents, resources) or by their effect (the boxes
#: and rotation, which a page may inherit), or that the bundle drops or sets itself.
_PAGE_KEYS_APART = frozenset(
    {"/Parent", "/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate", "/Annots",
     "/StructParents", *_PAGE_KEYS_DROPPED}
)  # fmt: skip


@dataclass(frozen=True)
class PageOrigin:
    """A checked input page, as fingerprints: what the bundle's copy must match."""

    document: int
    contents: tuple[bytes, ...]
    resources: bytes
    page: bytes


def _contents_streams(page: PageObject) -> list[Any]:
    from pypdf.generic import ArrayObject

    if "/Contents" not in page:
        return []
    raw = page.raw_get("/Contents")
    resolved = raw.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [raw]


def _resources_fingerprint(
    resources: Any, memo: dict[tuple[int, int], bytes], *, without_stamp_font: bool
) -> bytes:
    """The page's resources; the bundle's copy is compared without the stamp's font."""
    from pypdf.generic import DictionaryObject

    resolved = resources.get_object() if resources is not None else DictionaryObject()
    if not isinstance(resolved, DictionaryObject):
        raise _Unverifiable("resources are not a dictionary")
    digest = hashlib.sha256(b"R")
    stack: set[tuple[int, int]] = set()
    for key in sorted(k for k in resolved if k != "/Font"):
        digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(_fingerprint(resolved.raw_get(key), memo, stack))
    fonts = resolved.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    if not isinstance(fonts, DictionaryObject):
        raise _Unverifiable("fonts are not a dictionary")
    digest.update(b"/Font\x00")
    for key in sorted(fonts):
        if without_stamp_font and key == _STAMP_FONT:
            continue
        digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(_fingerprint(fonts.raw_get(key), memo, stack))
    return digest.digest()


def _page_fingerprint(page: PageObject, memo: dict[tuple[int, int], bytes]) -> bytes:
    """Every entry of the page that is not compared apart, and the boxes and rotation in effect."""
    digest = hashlib.sha256(b"P")
    stack: set[tuple[int, int]] = set()
    for key in sorted(k for k in page if k not in _PAGE_KEYS_APART):
        digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(_fingerprint(page.raw_get(key), memo, stack))
    for box in (page.mediabox, page.cropbox):
        # To a thousandth of a point: pypdf writes a box's numbers a little shorter than
        # it may read them (841.889763779528 comes back as 841.88976).
        digest.update(repr([round(float(v), 3) for v in box]).encode("ascii"))
    digest.update(b"rotate %d" % (int(page.rotation) % 360))
    return digest.digest()


def page_origin(
    document: int, page: PageObject, memo: dict[tuple[int, int], bytes]
) -> PageOrigin | None:
    """The fingerprints of an input page as the first check read it (None: not comparable)."""
    try:
        stack: set[tuple[int, int]] = set()
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None  # type: ignore[union-attr]
        if fonts is not None and _STAMP_FONT in fonts.get_object():
            return None  # the stamp's font would replace one of the page's own
        return PageOrigin(
            document=document,
            contents=tuple(_fingerprint(s, memo, stack) for s in _contents_streams(page)),
            resources=_resources_fingerprint(
                page.get("/Resources"), memo, without_stamp_font=False
            ),
            page=_page_fingerprint(page, memo),
        )
    except _compare_errors():
        return None
