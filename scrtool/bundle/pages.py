"""Page origins: how the second check knows a bundle page is an input page, unchanged.

The constants the assembler writes with (the stamp's font name, the overlay's opening) live
here too, so the assembler and the second check agree on them without importing each other.
"""

from __future__ import annotations

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


def _serial(obj: Any) -> bytes:
    """A value as pypdf writes it (``None`` as ``null``)."""
    if obj is None:
        return b"null"
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


class Comparison:
    """Whether objects of the bundle are those of a checked input PDF, whatever the object
    numbers: the same dictionaries (keys and values), arrays, numbers and names, and
    streams with the same bytes as stored (not decoded), so the same bytes reach a reader.

    Pairs of indirect objects shown to be the same are remembered (fonts and images are
    shared by many pages); a loop or an absurd depth cannot be compared
    (``_Unverifiable``), and the page is read in full.
    """

    def __init__(self) -> None:
        from pypdf import generic

        self.proven: set[tuple[int, int, int, int, int]] = set()
        self.stack: set[tuple[int, int, int, int, int]] = set()
        self.types = generic

    def same(self, ours: Any, theirs: Any, depth: int = 0) -> bool:
        g = self.types
        ArrayObject, DictionaryObject, StreamObject = (
            g.ArrayObject,
            g.DictionaryObject,
            g.StreamObject,
        )
        IndirectObject, NameObject, NumberObject = g.IndirectObject, g.NameObject, g.NumberObject
        if depth > _MAX_DEPTH:
            raise _Unverifiable("too deep")
        ours_ref = isinstance(ours, IndirectObject)
        theirs_ref = isinstance(theirs, IndirectObject)
        if ours_ref and theirs_ref:
            key = (ours.idnum, ours.generation, id(theirs.pdf), theirs.idnum, theirs.generation)
            if key in self.proven:
                return True
            if key in self.stack:
                raise _Unverifiable("a loop")
            self.stack.add(key)
            try:
                same = self.same(ours.get_object(), theirs.get_object(), depth + 1)
            finally:
                self.stack.discard(key)
            if same:
                self.proven.add(key)
            return same
        if ours_ref or theirs_ref:
            ours = ours.get_object() if ours_ref else ours
            theirs = theirs.get_object() if theirs_ref else theirs
            return self.same(ours, theirs, depth + 1)
        if isinstance(ours, DictionaryObject):
            if not isinstance(theirs, DictionaryObject):
                return False
            stream = isinstance(ours, StreamObject)
            if stream != isinstance(theirs, StreamObject):
                return False
            keys = set(ours)
            if stream:
                if ours._data != theirs._data:
                    return False
                keys.discard("/Length")
                if keys != set(theirs) - {"/Length"}:
                    return False
            elif keys != set(theirs):
                return False
            return all(self.same(ours.raw_get(k), theirs.raw_get(k), depth + 1) for k in keys)
        if isinstance(ours, ArrayObject):
            return (
                isinstance(theirs, ArrayObject)
                and len(ours) == len(theirs)
                and all(self.same(a, b, depth + 1) for a, b in zip(ours, theirs, strict=True))
            )
        if type(ours) is not type(theirs):
            return False
        if isinstance(ours, (NameObject, NumberObject)):
            return bool(ours == theirs)
        # Anything else (reals, strings, booleans, null) as pypdf writes it.
        return _serial(ours) == _serial(theirs)


#: Page entries compared one by one (contents, resources) or by their effect (the boxes
#: and rotation, which a page may inherit), or that the bundle drops or sets itself.
_PAGE_KEYS_APART = frozenset(
    {"/Parent", "/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate", "/Annots",
     "/StructParents", *_PAGE_KEYS_DROPPED}
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class PageOrigin:
    """A checked input page as the first check's pypdf reader holds it: what the bundle's
    copy must match. Taken before the bundle drops the page's annotations."""

    document: int
    #: The page's content streams, in order (indirect objects of the input PDF).
    contents: tuple[Any, ...]
    #: The page's resources (None when it has none).
    resources: Any
    #: Every other entry of the page that is not compared apart, as (key, value).
    entries: tuple[tuple[str, Any], ...]
    #: The boxes and rotation in effect (see ``_page_layout``).
    layout: tuple[Any, ...]


def _contents_streams(page: PageObject) -> list[Any]:
    from pypdf.generic import ArrayObject

    if "/Contents" not in page:
        return []
    raw = page.raw_get("/Contents")
    resolved = raw.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [raw]


def _page_layout(page: PageObject) -> tuple[Any, ...]:
    """The media and crop boxes and the rotation in effect, the boxes to a thousandth of a
    point: pypdf writes a box's numbers a little shorter than it may read them
    (841.889763779528 comes back as 841.88976)."""
    return (
        tuple(round(float(v), 3) for v in page.mediabox),
        tuple(round(float(v), 3) for v in page.cropbox),
        int(page.rotation) % 360,
    )


def _page_entries(page: PageObject) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((str(k), page.raw_get(k)) for k in page if k not in _PAGE_KEYS_APART))


def _fonts(resources: Any) -> Any:
    from pypdf.generic import DictionaryObject

    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    if not isinstance(fonts, DictionaryObject):
        raise _Unverifiable("fonts are not a dictionary")
    return fonts


def same_resources(ours: Any, theirs: Any, comparison: Comparison) -> bool:
    """The bundle page's resources against the input page's, the stamp's font aside."""
    from pypdf.generic import DictionaryObject

    ours = ours.get_object() if ours is not None else DictionaryObject()
    theirs = theirs.get_object() if theirs is not None else DictionaryObject()
    if not isinstance(ours, DictionaryObject) or not isinstance(theirs, DictionaryObject):
        raise _Unverifiable("resources are not a dictionary")
    keys = set(ours) - {"/Font"}
    if keys != set(theirs) - {"/Font"}:
        return False
    if not all(comparison.same(ours.raw_get(k), theirs.raw_get(k)) for k in keys):
        return False
    our_fonts, their_fonts = _fonts(ours), _fonts(theirs)
    names = set(our_fonts) - {_STAMP_FONT}
    return names == set(their_fonts) and all(
        comparison.same(our_fonts.raw_get(k), their_fonts.raw_get(k)) for k in names
    )


def same_page(page: PageObject, origin: PageOrigin, comparison: Comparison) -> bool:
    """Every entry of the bundle's page that is not compared apart, and the boxes and
    rotation in effect, are the input page's."""
    if _page_layout(page) != origin.layout:
        return False
    entries = _page_entries(page)
    return [k for k, _ in entries] == [k for k, _ in origin.entries] and all(
        comparison.same(ours, theirs)
        for (_, ours), (_, theirs) in zip(entries, origin.entries, strict=True)
    )


def page_origin(document: int, page: PageObject, memo: Any = None) -> PageOrigin | None:
    """An input page as the first check read it (None: not comparable). Nothing is
    compared here: the page's objects are kept, and compared with the bundle's copy by
    the second check (``memo`` is no longer used)."""
    try:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None  # type: ignore[union-attr]
        if fonts is not None and _STAMP_FONT in fonts.get_object():
            return None  # the stamp's font would replace one of the page's own
        return PageOrigin(
            document=document,
            contents=tuple(_contents_streams(page)),
            resources=resources,
            entries=_page_entries(page),
            layout=_page_layout(page),
        )
    except _compare_errors():
        return None
