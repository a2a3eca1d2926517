"""What each PDF page shows, read with PDFium: its text, and text a reader cannot see.

PDFium (through pypdfium2) is the engine of Chrome's PDF viewer: it extracts a page's text
as fast as ``pdftotext`` and places every character with every transform applied, form
XObjects' ``/Matrix`` and the ``cm`` before ``Do`` included. The page's objects are walked
once, in drawing order, into text, filled paths and images. From that:

- covered text: a character whose box a later opaque filled path or image covers (at
  least ``COVER_THRESHOLD`` of it), or that sits on a box of its own colour; a box or
  picture counts only where it is painted, its bounds cut to its clipping path (a
  cropped picture, a form's ``/BBox``); a box at least 95% opaque counts as opaque, and
  a near-black one hides text however it is blended (a blend mode, a transparency
  group), while a light blended one (a highlighter) does not;
- invisible text: render mode 3 or 7 (unless it lies on a picture drawn before it: a
  scanned page's OCR layer), white text on nothing darker, text too small to see (drawn
  under a point high, or squashed to a sliver), and text wholly outside the page.

A shading painted with ``sh`` covers as a picture does.

Per-character work is done only for the few text objects a box could hide, so an
ordinary page costs one pass over its objects.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scrtool.readers.model import Piece

#: How much of a character a box must hide to count it as covered (as Free Law Project's x-ray).
COVER_THRESHOLD = 0.8
#: A box narrower or lower than this (points) is a rule or a border, never a redaction.
MIN_BOX = 4.0
#: A fill at least this opaque (95%) hides what is under it, as a fully opaque one does.
OPAQUE_ALPHA = 242
#: Depth of nested form XObjects followed (PDFium's own limit is deeper; real files use 1-3).
MAX_FORM_DEPTH = 12

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

TEXT, PATH, IMAGE, SHADING, FORM = 1, 2, 3, 4, 5


@dataclass
class _Text:
    seq: int
    handle: Any
    box: Box
    mode: int
    colour: tuple[int, int, int, int]
    #: The matrix of the form XObjects it is drawn in (identity on the page itself).
    matrix: Matrix = IDENTITY
    #: The clip of the forms it is drawn in, on the page (None: not in a clipped form).
    outer: Box | None = None


@dataclass
class _Cover:
    seq: int
    handle: Any
    box: Box
    colour: tuple[int, int, int, int]
    image: bool
    matrix: Matrix
    #: Whether ``box`` is cut to the object's clipping path yet (see ``_visible``).
    clipped: bool = False
    #: The corners of the band a thick stroke paints, on the page (see ``_stroke_bands``):
    #: tested in place of the path's own points.
    outline: list[tuple[float, float]] | None = None
    #: The clip of the forms it is drawn in, on the page (None: not in a clipped form).
    outer: Box | None = None


@dataclass(frozen=True)
class PageText:
    """One page as read: its text (PDFium's, lines apart by line breaks) and its findings."""

    text: str
    findings: tuple[Piece, ...]


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer``, as PDF matrices compose (row vector times matrix)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _transform_box(box: Box, m: Matrix) -> Box:
    if m == IDENTITY:
        return box
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    return (min(xs), min(ys), max(xs), max(ys))


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _intersection(a: Box, b: Box) -> Box:
    """The part of ``a`` inside ``b`` (a box of no area where they do not meet)."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, x1, y1) if x0 <= x1 and y0 <= y1 else (x0, y0, x0, y0)


def _visible(cover: _Cover, api: _Api) -> Box:
    """The part of a box or picture that is painted: its bounds cut to its clipping
    path (a cropped picture, a fill clipped to a corner, a form's /BBox). Worked out
    only for the boxes a text object meets, once each."""
    if not cover.clipped:
        cover.clipped = True
        clip = api.clip_box(cover.handle)
        if clip is not None and all(math.isfinite(v) for v in clip):
            cover.box = _intersection(cover.box, _transform_box(clip, cover.matrix))
        if cover.outer is not None:
            cover.box = _intersection(cover.box, cover.outer)
    return cover.box


def _area(a: Box) -> float:
    return max(a[2] - a[0], 0.0) * max(a[3] - a[1], 0.0)


def _white(colour: tuple[int, int, int, int]) -> bool:
    return colour[0] >= 242 and colour[1] >= 242 and colour[2] >= 242


def _same_colour(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return all(abs(x - y) < 13 for x, y in zip(a[:3], b[:3], strict=True))


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _outside(box: Box, page: Box) -> bool:
    return (
        box[2] < page[0] - 1 or box[0] > page[2] + 1 or box[3] < page[1] - 1 or box[1] > page[3] + 1
    )


class _Api:
    """PDFium's C functions and reusable out-parameters (ctypes calls dominate the cost)."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        self.raw = raw
        self.l, self.b, self.r, self.t = (ctypes.c_float() for _ in range(4))
        self.cr, self.cg, self.cb, self.ca = (ctypes.c_uint() for _ in range(4))
        # Pointers made once: ctypes.byref on every call costs more than the call itself.
        self.box_out = tuple(ctypes.pointer(v) for v in (self.l, self.b, self.r, self.t))
        self.colour_out = tuple(ctypes.pointer(v) for v in (self.cr, self.cg, self.cb, self.ca))
        self.get_bounds = raw.FPDFPageObj_GetBounds
        self.get_fill = raw.FPDFPageObj_GetFillColor
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.matrix = raw.FS_MATRIX()

    def bounds(self, obj: Any) -> Box | None:
        if not self.get_bounds(obj, *self.box_out):
            return None
        return (self.l.value, self.b.value, self.r.value, self.t.value)

    def fill_colour(self, obj: Any) -> tuple[int, int, int, int]:
        if not self.get_fill(obj, *self.colour_out):
            return (0, 0, 0, 255)
        return (self.cr.value, self.cg.value, self.cb.value, self.ca.value)

    def obj_matrix(self, obj: Any) -> Matrix:
        m = self.matrix
        if not self.raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
            return IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def draw_mode(self, obj: Any) -> tuple[bool, bool]:
        """Whether a path is filled, and whether it is stroked."""
        if not self.raw.FPDFPath_GetDrawMode(
            obj, ctypes.byref(self.fill), ctypes.byref(self.stroke)
        ):
            return (False, False)
        return (self.fill.value != 0, bool(self.stroke.value))

    def stroke_colour(self, obj: Any) -> tuple[int, int, int, int]:
        if not self.raw.FPDFPageObj_GetStrokeColor(obj, *self.colour_out):
            return (0, 0, 0, 255)
        return (self.cr.value, self.cg.value, self.cb.value, self.ca.value)

    def path_points(self, obj: Any) -> list[tuple[float, float]]:
        """The path's points (curves by their control points), in the object's space."""
        raw = self.raw
        out = []
        for i in range(min(raw.FPDFPath_CountSegments(obj), 256)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            if seg and raw.FPDFPathSegment_GetPoint(
                seg, ctypes.byref(self.x), ctypes.byref(self.y)
            ):
                out.append((self.x.value, self.y.value))
        return out

    def clip_box(self, obj: Any) -> Box | None:
        """The bounding box of the object's clipping path, in the space its bounds are
        given in (None: not clipped). A path clip is the intersection of its paths."""
        raw = self.raw
        clip = raw.FPDFPageObj_GetClipPath(obj)
        if not clip:
            return None
        box: Box | None = None
        for path in range(min(raw.FPDFClipPath_CountPaths(clip), 64)):
            xs, ys = [], []
            for index in range(min(raw.FPDFClipPath_CountPathSegments(clip, path), 4096)):
                segment = raw.FPDFClipPath_GetPathSegment(clip, path, index)
                if segment and raw.FPDFPathSegment_GetPoint(
                    segment, ctypes.byref(self.x), ctypes.byref(self.y)
                ):
                    xs.append(self.x.value)
                    ys.append(self.y.value)
            if not xs:
                continue
            one = (min(xs), min(ys), max(xs), max(ys))
            box = one if box is None else _intersection(box, one)
        return box

    def object_text(self, obj: Any, textpage: Any) -> str:
        raw = self.raw
        size = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
        if size <= 2:
            return ""
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFTextObj_GetText(
            obj, textpage, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size
        )
        return buffer.raw[: size - 2].decode("utf-16-le", errors="replace")


_API: _Api | None = None


def _api() -> _Api:
    global _API
    if _API is None:
        _API = _Api()
    return _API


#: How see-through the forms around an object make it: not at all; blended (a form
#: with a transparency group, a blend mode or a soft mask, drawn at full opacity); faded
#: (a form drawn at less than full opacity).
SOLID, BLENDED, FADED = 0, 1, 2


def _dark(colour: tuple[int, int, int, int]) -> bool:
    """Near black: a box this dark hides text under it however it is blended."""
    return max(colour[:3]) < 64


def _walk(page: Any, api: _Api) -> Iterator[tuple[int, Any, Matrix, int, Box | None]]:
    """(type, object, matrix to page space, how see-through the forms around it make it:
    ``SOLID``, ``BLENDED`` or ``FADED``, the clip of the forms around it on the page or
    None) in drawing order.

    PDFium gives an object inside a form XObject its bounds in the form's space (its
    ``/Matrix`` applied, the placing ``cm`` not): each form's own matrix is composed in.
    An object's own clip is its form's (its /BBox and its own ``W n``): the clip the
    form is drawn under (a ``W n`` on the page before ``Do``, an outer form's /BBox) is
    the form object's, and is carried down to what the form draws.
    """
    raw = api.raw
    page = getattr(page, "raw", page)  # the handle itself: no conversion on every call
    page_object, form_object, object_type = (
        raw.FPDFPage_GetObject,
        raw.FPDFFormObj_GetObject,
        raw.FPDFPageObj_GetType,
    )
    stack: list[tuple[Any, int, int, Matrix, int, int, Box | None]] = [
        (None, 0, raw.FPDFPage_CountObjects(page), IDENTITY, SOLID, 0, None)
    ]
    while stack:
        form, index, count, matrix, translucent, depth, outer = stack.pop()
        while index < count:
            obj = page_object(page, index) if form is None else form_object(form, index)
            index += 1
            if not obj:
                continue
            kind = object_type(obj)
            if kind == FORM:
                if depth >= MAX_FORM_DEPTH:
                    continue
                stack.append((form, index, count, matrix, translucent, depth, outer))
                inner = _compose(api.obj_matrix(obj), matrix)
                clip = api.clip_box(obj)
                if clip is not None and all(math.isfinite(v) for v in clip):
                    clip = _transform_box(clip, matrix)
                    outer = clip if outer is None else _intersection(outer, clip)
                see_through = translucent
                if raw.FPDFPageObj_HasTransparency(obj):
                    faded = api.fill_colour(obj)[3] < 255
                    see_through = max(translucent, FADED if faded else BLENDED)
                form, index, count = obj, 0, raw.FPDFFormObj_CountObjects(obj)
                matrix, translucent, depth = inner, see_through, depth + 1
                continue
            yield kind, obj, matrix, translucent, outer


def _covers(cover: _Cover, box: Box, api: _Api) -> bool:
    """Does the cover hide at least ``COVER_THRESHOLD`` of ``box``? A filled path that is
    not its bounding rectangle (a circle, an arrow) is tested on its own outline."""
    area = _area(box)
    if area <= 0 or _overlap(box, cover.box) / area < COVER_THRESHOLD:
        return False
    if cover.image:
        return True
    points = cover.outline or [
        (
            cover.matrix[0] * x + cover.matrix[2] * y + cover.matrix[4],
            cover.matrix[1] * x + cover.matrix[3] * y + cover.matrix[5],
        )
        for x, y in _page_points(cover, api)
    ]
    if len(points) < 3:
        return False  # a fill of a line (two points) paints nothing
    if _is_box(points, cover.box):
        return True
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return all(_in_polygon(p, points) for p in ((cx, cy), (box[0], cy), (box[2], cy)))


def _page_points(cover: _Cover, api: _Api) -> list[tuple[float, float]]:
    obj_m = api.obj_matrix(cover.handle)
    return [
        (obj_m[0] * x + obj_m[2] * y + obj_m[4], obj_m[1] * x + obj_m[3] * y + obj_m[5])
        for x, y in api.path_points(cover.handle)
    ]


def _is_box(points: list[tuple[float, float]], box: Box) -> bool:
    return all(
        (abs(x - box[0]) < 0.5 or abs(x - box[2]) < 0.5)
        and (abs(y - box[1]) < 0.5 or abs(y - box[3]) < 0.5)
        for x, y in points
    )


def _in_polygon(point: tuple[float, float], poly: list[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def _clean_covered(text: str) -> str | None:
    """x-ray's filters: no single letters, no XXXX, something readable."""
    text = " ".join(text.split())
    squeezed = text.replace(" ", "")
    if len(squeezed) < 2 or not any(ch.isalnum() for ch in squeezed):
        return None
    if len(set(squeezed)) == 1:
        return None
    return text


def load_page(document: Any, index: int) -> Any:
    """PDFium's handle of page ``index`` (pypdfium2's page objects cost more than reading
    a short page); close it with ``close_page``. A page PDFium cannot load raises
    ``PdfiumError``, as ``document[index]`` does."""
    page = _api().raw.FPDF_LoadPage(getattr(document, "raw", document), index)
    if not page:
        import pypdfium2 as pdfium

        raise pdfium.PdfiumError("Failed to load page.")
    return page


def close_page(page: Any) -> None:
    _api().raw.FPDF_ClosePage(page)


def annotation_count(page: Any) -> int:
    """How many entries the page's ``/Annots`` holds, as PDFium reads the page."""
    return int(_api().raw.FPDFPage_GetAnnotCount(getattr(page, "raw", page)))


def read_page(page: Any, number: int, *, hidden: bool = True) -> PageText:
    """One page's text and (with ``hidden``) the covered and invisible text on it
    (``page``: a pypdfium2 page or PDFium's handle of one, see ``load_page``)."""
    api = _api()
    raw = api.raw
    page = getattr(page, "raw", page)
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        import pypdfium2 as pdfium

        raise pdfium.PdfiumError("Failed to load text page.")
    try:
        text = page_text(textpage)
        findings = _findings(page, textpage, number, api) if hidden and text.strip() else ()
    finally:
        raw.FPDFText_ClosePage(textpage)
    return PageText(text, tuple(findings))


def read_page_text(page: Any) -> PageText:
    """A loaded page's text alone, as ``read_page(..., hidden=False)`` reads it, with
    PDFium's own calls: a check that needs only the words makes no page objects."""
    raw = _api().raw
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        import pypdfium2 as pdfium

        raise pdfium.PdfiumError("Failed to load text page.")
    try:
        return PageText(page_text(textpage), ())
    finally:
        raw.FPDFText_ClosePage(textpage)


def page_text(textpage: Any) -> str:
    """All of a text page's text, as pypdfium2's ``get_text_range()`` gives it: characters
    PDFium leaves out of the text at either end are skipped first (PDFium would read
    past them), and the buffer holds exactly the text that is left."""
    raw = _api().raw
    count = raw.FPDFText_CountChars(textpage)
    first, last = 0, count - 1
    while first <= last:
        start = raw.FPDFText_GetTextIndexFromCharIndex(textpage, first)
        if start == -1:
            first += 1
            continue
        end = raw.FPDFText_GetTextIndexFromCharIndex(textpage, last)
        if end == -1:
            last -= 1
            continue
        break
    else:
        return ""
    buffer = (ctypes.c_ushort * (end + 2 - start))()
    written = raw.FPDFText_GetText(textpage, first, last + 1 - first, buffer)
    return memoryview(buffer)[: written - 1].tobytes().decode("utf-16-le", errors="ignore")


def _too_small(text: _Text, api: _Api) -> bool:
    """Whether text whose box is under a point tall is drawn under a point high: its font
    size times the height its matrices give a unit of text space. A full stop or a dash
    drawn on its own at a readable size has a box that flat too, and is not hidden."""
    size = ctypes.c_float()
    if not api.raw.FPDFTextObj_GetFontSize(text.handle, ctypes.byref(size)):
        return True
    m = _compose(api.obj_matrix(text.handle), text.matrix)
    return abs(size.value) * math.hypot(m[2], m[3]) < 1.0


def _squashed(text: _Text, textpage: Any, api: _Api) -> bool:
    """Upright text of two or more characters squeezed to a twentieth of its height a
    character or less (a horizontal scaling of a few per cent, ``1 Tz``): it cannot be
    read, however tall it is. Asked only of a text box narrower than half its height."""
    m = _compose(api.obj_matrix(text.handle), text.matrix)
    if abs(m[1]) > 1e-6 or abs(m[2]) > 1e-6:
        return False  # turned or slanted: its box's width is not its length
    box = text.box
    chars = len("".join(api.object_text(text.handle, textpage).split()))
    return chars >= 2 and (box[2] - box[0]) / chars < 0.05 * (box[3] - box[1])


def _clipped_away(text: _Text, api: _Api) -> bool:
    """Whether the text's clipping path leaves less than a fifth of it to be seen (text
    drawn into a clip of a point square, or beside it): such text is read but never shown.
    A clip that cuts off a line's end (a table cell's) leaves most of it."""
    shown = text.outer
    clip = api.clip_box(text.handle)
    if clip is not None and all(math.isfinite(v) for v in clip):
        clip = _transform_box(clip, text.matrix)
        shown = clip if shown is None else _intersection(shown, clip)
    area = _area(text.box)
    if shown is None or area <= 0:
        return False
    return _overlap(text.box, shown) < (1 - COVER_THRESHOLD) * area


def _on(box: Box, point: tuple[float, float], under: list[Box]) -> bool:
    """Whether a text box lies on the pictures ``under`` it: at least ``COVER_THRESHOLD``
    of it, the pictures' shares added up (a scan in strips), or, for a box of no area,
    its point."""
    area = _area(box)
    if area <= 0:
        return any(_inside(point, b) for b in under)
    return sum(_overlap(box, b) for b in under) >= COVER_THRESHOLD * area


class _Near:
    """Boxes bucketed by the cells of a coarse grid over the page, so that each text object
    is tested only against the boxes around it: a chart or a form has thousands of filled
    boxes and thousands of labels on one page, and testing every pair took seconds a page.

    The answer is exactly the old one: every box that could overlap the asked box is
    among those returned, in drawing order. Only the part of a box on the page (and a
    margin round it) is bucketed; a box asked about that is not wholly on the page, or a
    box with coordinates that are not numbers, is answered with every box.
    """

    MARGIN = 2.0
    #: Cells per side at most, whatever the page's size (a damaged file may claim any).
    MAX_CELLS = 64

    def __init__(self, boxes: list[_Cover], page: Box) -> None:
        self.boxes = boxes
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.always: list[int] = []
        x0, x1 = sorted((page[0], page[2]))
        y0, y1 = sorted((page[1], page[3]))
        self.area = (x0 - self.MARGIN, y0 - self.MARGIN, x1 + self.MARGIN, y1 + self.MARGIN)
        self.usable = all(math.isfinite(v) for v in self.area)
        if not self.usable:
            return
        self.cell = max(36.0, (x1 - x0) / self.MAX_CELLS, (y1 - y0) / self.MAX_CELLS)
        for index, cover in enumerate(boxes):
            box = cover.box
            if not all(math.isfinite(v) for v in box):
                self.always.append(index)
                continue
            clipped = (
                max(box[0], self.area[0]),
                max(box[1], self.area[1]),
                min(box[2], self.area[2]),
                min(box[3], self.area[3]),
            )
            if clipped[0] > clipped[2] or clipped[1] > clipped[3]:
                continue  # wholly off the page: only off-page text is asked about there
            gx0, gy0, gx1, gy1 = self._span(clipped)
            for gx in range(gx0, gx1 + 1):
                for gy in range(gy0, gy1 + 1):
                    self.cells.setdefault((gx, gy), []).append(index)

    def _span(self, box: Box) -> tuple[int, int, int, int]:
        ax, ay, cell = self.area[0], self.area[1], self.cell
        return (
            int((box[0] - ax) // cell),
            int((box[1] - ay) // cell),
            int((box[2] - ax) // cell),
            int((box[3] - ay) // cell),
        )

    def around(self, box: Box) -> list[_Cover]:
        """Every box that could overlap ``box`` (the caller tests each), in drawing order."""
        area = self.area
        if not (
            self.usable
            and area[0] <= box[0] <= box[2] <= area[2]
            and area[1] <= box[1] <= box[3] <= area[3]
        ):
            return self.boxes
        gx0, gy0, gx1, gy1 = self._span(box)
        if gx0 == gx1 and gy0 == gy1 and not self.always:
            return [self.boxes[i] for i in self.cells.get((gx0, gy0), ())]
        seen: set[int] = set(self.always)
        for gx in range(gx0, gx1 + 1):
            for gy in range(gy0, gy1 + 1):
                seen.update(self.cells.get((gx, gy), ()))
        return [self.boxes[i] for i in sorted(seen)]


def _page_box(page: Any) -> Box:
    """The crop box, else the media box, else US Letter (as pypdfium2's ``get_cropbox``)."""
    api = _api()
    raw = api.raw
    for get in (raw.FPDFPage_GetCropBox, raw.FPDFPage_GetMediaBox):
        if get(page, *api.box_out):
            return (api.l.value, api.b.value, api.r.value, api.t.value)
    return (0.0, 0.0, 612.0, 792.0)


def _opaque(obj: Any, colour: tuple[int, int, int, int], translucent: int, api: _Api) -> bool:
    """Whether paint of ``colour`` hides what is under it. Blended (a blend mode, a group)
    at full opacity, it does when it is near black; a light one (a highlighter's
    Multiply) does not."""
    return colour[3] >= OPAQUE_ALPHA and (
        (translucent == SOLID and not api.raw.FPDFPageObj_HasTransparency(obj))
        or (translucent != FADED and _dark(colour))
    )


#: PDFium's path segments (``FPDF_SEGMENT_*``) and line caps (``FPDF_LINECAP_*``).
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
_BUTT_CAP = 0
#: Segments of one stroked path looked at (a drawn line has a handful; a traced map more).
MAX_STROKE_SEGMENTS = 256
#: Straight pieces a stroked curve is taken as (a freehand marker is drawn in curves).
CURVE_PIECES = 8


def _stroke_bands(
    obj: Any, matrix: Matrix, api: _Api
) -> list[tuple[Box, list[tuple[float, float]]]]:
    """The bands a thick, solid stroke paints on the page: each straight segment of the
    path (a curve in ``CURVE_PIECES`` straight pieces) as wide as the line, as a box
    around it and its four corners. A segment reaches half the line's width past a
    point where the line bends (the join) and past the line's ends unless its caps are
    butt. A dashed line, a band no wider than ``MIN_BOX``, and a line no longer (a rule,
    a border, an underline) paint none that could hide a word."""
    raw = api.raw
    width = ctypes.c_float()
    if not raw.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width)) or not width.value > 0:
        return []
    m = _compose(api.obj_matrix(obj), matrix)
    if width.value * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) <= MIN_BOX:
        return []  # by far the most stroked paths (rules, borders): one scale, both ways
    if raw.FPDFPageObj_GetDashCount(obj) != 0:
        return []  # dashed (-1: PDFium could not tell)
    half = width.value / 2
    capped = raw.FPDFPageObj_GetLineCap(obj) != _BUTT_CAP
    lines = _subpaths(obj, api)

    def on_page(x: float, y: float) -> tuple[float, float]:
        return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])

    bands: list[tuple[Box, list[tuple[float, float]]]] = []
    for points, closed in lines:
        corners_all = [on_page(*p) for p in points]
        if sum(math.dist(a, b) for a, b in itertools.pairwise(corners_all)) <= MIN_BOX:
            continue
        last = len(points) - 2
        for n, (p0, p1) in enumerate(itertools.pairwise(points)):
            length = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
            if length == 0 or not math.isfinite(length):
                continue
            dx, dy = (p1[0] - p0[0]) / length, (p1[1] - p0[1]) / length
            nx, ny = -dy * half, dx * half
            back = half if (n > 0 or closed or capped) else 0.0
            ahead = half if (n < last or closed or capped) else 0.0
            corners = [
                on_page(p0[0] - dx * back + nx, p0[1] - dy * back + ny),
                on_page(p1[0] + dx * ahead + nx, p1[1] + dy * ahead + ny),
                on_page(p1[0] + dx * ahead - nx, p1[1] + dy * ahead - ny),
                on_page(p0[0] - dx * back - nx, p0[1] - dy * back - ny),
            ]
            if math.dist(corners[0], corners[3]) <= MIN_BOX:
                continue
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            bands.append(((min(xs), min(ys), max(xs), max(ys)), corners))
    return bands


def _subpaths(obj: Any, api: _Api) -> list[tuple[list[tuple[float, float]], bool]]:
    """A path's subpaths as the points its straight pieces join (a curve as
    ``CURVE_PIECES`` pieces; a closed subpath ends where it began), each with whether it
    is closed. At most ``MAX_STROKE_SEGMENTS`` segments are read."""
    raw = api.raw
    x, y = api.x, api.y
    out: list[tuple[list[tuple[float, float]], bool]] = []
    points: list[tuple[float, float]] = []
    controls: list[tuple[float, float]] = []
    for index in range(min(raw.FPDFPath_CountSegments(obj), MAX_STROKE_SEGMENTS)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        if not segment or not raw.FPDFPathSegment_GetPoint(
            segment, ctypes.byref(x), ctypes.byref(y)
        ):
            break
        point = (x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == _MOVETO or not points:
            if len(points) > 1:
                out.append((points, False))
            points, controls = [point], []
        elif kind == _LINETO:
            points.append(point)
        elif kind == _BEZIERTO:
            # PDFium gives a curve as three segments: two control points, then its end.
            controls.append(point)
            if len(controls) == 3:
                p0, (c1, c2, p3) = points[-1], controls
                for step in range(1, CURVE_PIECES + 1):
                    t = step / CURVE_PIECES
                    u = 1 - t
                    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
                    points.append(
                        (
                            a * p0[0] + b * c1[0] + c * c2[0] + d * p3[0],
                            a * p0[1] + b * c1[1] + c * c2[1] + d * p3[1],
                        )
                    )
                controls = []
        if raw.FPDFPathSegment_GetClose(segment) and len(points) > 1:
            out.append((points + [points[0]], True))
            points, controls = [points[0]], []
    if len(points) > 1:
        out.append((points, False))
    return out


def _findings(page: Any, textpage: Any, number: int, api: _Api) -> list[Piece]:
    raw = api.raw
    texts: list[_Text] = []
    covers: list[_Cover] = []
    images: list[_Cover] = []
    dark_fills: list[_Cover] = []
    seq = 0
    bounds, fill_colour, render_mode = (
        api.bounds,
        api.fill_colour,
        raw.FPDFTextObj_GetTextRenderMode,
    )
    get_clip, count_clips = raw.FPDFPageObj_GetClipPath, raw.FPDFClipPath_CountPaths
    for kind, obj, matrix, translucent, outer in _walk(page, api):
        seq += 1
        if kind == TEXT:
            box = bounds(obj)
            if box is None:
                continue
            if matrix is not IDENTITY:
                box = _transform_box(box, matrix)
            mode = render_mode(obj)
            colour = fill_colour(obj)
            if colour[3] == 0:
                mode = 3
            texts.append(_Text(seq, obj, box, mode, colour, matrix, outer))
        elif kind == PATH:
            filled, stroked = api.draw_mode(obj)
            # A line drawn thick over the words (a marker pen) hides them as a box does.
            bands = _stroke_bands(obj, matrix, api) if stroked else []
            if bands:
                colour = api.stroke_colour(obj)
                opaque = _opaque(obj, colour, translucent, api)
                for box, outline in bands:
                    cover = _Cover(
                        seq, obj, box, colour, False, matrix, outline=outline, outer=outer
                    )
                    if not _white(colour):
                        dark_fills.append(cover)
                    if opaque:
                        covers.append(cover)
            if not filled:
                continue
            box = api.bounds(obj)
            if box is None:
                continue
            box = _transform_box(box, matrix)
            colour = api.fill_colour(obj)
            opaque = _opaque(obj, colour, translucent, api)
            if box[2] - box[0] <= MIN_BOX or box[3] - box[1] <= MIN_BOX:
                continue
            cover = _Cover(seq, obj, box, colour, False, matrix, outer=outer)
            if not _white(colour):
                dark_fills.append(cover)
            if opaque:
                covers.append(cover)
        elif kind in (IMAGE, SHADING):
            box = api.bounds(obj)
            if box is None:
                continue
            box = _transform_box(box, matrix)
            cover = _Cover(seq, obj, box, (128, 128, 128, 255), True, matrix, outer=outer)
            if kind == IMAGE:
                images.append(cover)  # a shading ('sh') paints like one, but is no scan
            if translucent == SOLID and not raw.FPDFPageObj_HasTransparency(obj):
                covers.append(cover)
    if not texts:
        return []
    page_box = _page_box(page)
    near_covers, near_images, near_fills = (
        _Near(boxes, page_box) for boxes in (covers, images, dark_fills)
    )
    hidden: dict[str, list[str]] = {}
    suspects: dict[int, list[_Cover]] = {}
    for index, t in enumerate(texts):
        height = t.box[3] - t.box[1]
        point = (t.box[0] + 1, t.box[1] + height / 2)
        spot = (point[0], point[1], point[0], point[1])
        reason = None
        if t.mode in (3, 7):
            # A scanned page's text layer lies on the picture of the page drawn before it
            # (or on its strips): all of it, not just its first letter (a line that starts
            # on a logo).
            under = [
                _visible(im, api)
                for im in near_images.around(t.box)
                if im.seq < t.seq and _overlap(t.box, im.box) > 0
            ]
            if not _on(t.box, point, under):
                reason = "invisible text"
        elif _white(t.colour) and t.mode in (0, 2, 4, 6):
            backed = any(
                b.seq < t.seq and _inside(point, b.box) and _inside(point, _visible(b, api))
                for b in (*near_fills.around(spot), *near_images.around(spot))
            )
            if not backed:
                reason = "white text"
        if reason is None and 0 < height < 1.0 and _too_small(t, api):
            reason = "text too small to see"
        if (
            reason is None
            and 0 < t.box[2] - t.box[0] < 0.5 * height
            and _squashed(t, textpage, api)
        ):
            reason = "text too small to see"
        if reason is None and _outside(t.box, page_box):
            reason = "text outside the page"
        if (
            reason is None
            and (t.outer is not None or count_clips(get_clip(t.handle)) > 0)
            and _clipped_away(t, api)
        ):
            reason = "text clipped out of sight"
        if reason is None and not covers:
            continue  # nothing drawn could hide it
        if reason is not None:
            hidden.setdefault(reason, []).append(api.object_text(t.handle, textpage))
            continue
        if t.mode in (3, 7):
            continue
        near = [
            c
            for c in near_covers.around(t.box)
            if _overlap(t.box, c.box) > 0
            and (c.seq > t.seq or _same_colour(c.colour, t.colour))
            and _overlap(t.box, _visible(c, api)) > 0
        ]
        if near:
            suspects[index] = near
    pieces: list[Piece] = []
    if suspects:
        pieces.extend(_covered(texts, suspects, textpage, number, api))
    for reason, found in hidden.items():
        joined = " ".join(" ".join(found).split())
        if joined:
            pieces.append(
                Piece(joined, f"page {number} ({reason})", kind="hidden-text", scan=False)
            )
    return pieces


def _covered(
    texts: list[_Text], suspects: dict[int, list[_Cover]], textpage: Any, number: int, api: _Api
) -> list[Piece]:
    """The characters of the suspect text objects that a cover hides, grouped by cover."""
    raw = api.raw
    wanted = {ctypes.cast(texts[i].handle, ctypes.c_void_p).value: i for i in suspects}
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    covered: dict[int, list[str]] = {}
    last: int | None = None
    for i in range(raw.FPDFText_CountChars(textpage)):
        obj = raw.FPDFText_GetTextObject(textpage, i)
        owner = wanted.get(ctypes.cast(obj, ctypes.c_void_p).value) if obj else None
        char = chr(raw.FPDFText_GetUnicode(textpage, i))
        if owner is None:
            if char.isspace() and last is not None and covered[last][-1:] != [" "]:
                covered[last].append(" ")
            continue
        if not raw.FPDFText_GetCharBox(
            textpage,
            i,
            ctypes.byref(left),
            ctypes.byref(right),
            ctypes.byref(bottom),
            ctypes.byref(top),
        ):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        if _area(box) <= 0:
            if char.isspace() and last is not None and covered[last][-1:] != [" "]:
                covered[last].append(" ")
            continue
        best = None
        for cover in suspects[owner]:
            if _covers(cover, box, api) and (best is None or cover.seq > best.seq):
                best = cover
        if best is not None:
            covered.setdefault(best.seq, []).append(char)
            last = best.seq
        elif char.isspace() and last is not None and covered[last][-1:] != [" "]:
            covered[last].append(" ")
    pieces = []
    for chars in covered.values():
        text = _clean_covered("".join(chars))
        if text:
            pieces.append(
                Piece(
                    text,
                    f"page {number} (text under a box drawn over it)",
                    kind="covered-text",
                    scan=False,
                )
            )
    return pieces


# --- pictures under a heading (the draft check's empty sections) ---------------------

#: A picture or a filled shape this small (points, either way) is a bullet, not a figure.
MIN_FIGURE = 14.0
#: The top and bottom tenth of a page are its margins: a picture centred there is a
#: running header's or footer's logo, not part of a section.
MARGIN_SHARE = 0.1
#: The same picture centred in the top or bottom fifth of two pages or more is a
#: running header's or footer's.
EDGE_SHARE = 0.2


def _upright(box: Box, rotation: int, page: Box) -> Box:
    """``box`` as the page is shown, turned by its /Rotate (PDFium's quarter turns,
    clockwise), with the shown page's bottom left corner at (0, 0)."""
    x0, y0, x1, y1 = box
    left, bottom, right, top = page
    if rotation == 1:  # the page's left edge is shown at the top
        return (y0 - bottom, right - x1, y1 - bottom, right - x0)
    if rotation == 2:
        return (right - x1, top - y1, right - x0, top - y0)
    if rotation == 3:  # the page's right edge is shown at the top
        return (top - y1, x0 - left, top - y0, x1 - left)
    return (x0 - left, y0 - bottom, x1 - left, y1 - bottom)


def _shown_height(rotation: int, page: Box) -> float:
    return abs(page[2] - page[0]) if rotation in (1, 3) else abs(page[3] - page[1])


def _lines(textpage: Any) -> list[tuple[str, Box]]:
    """Each line of a text page (PDFium's own line breaks) and the box round its letters."""
    raw = _api().raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out: list[tuple[str, Box]] = []
    chars: list[str] = []
    box: Box | None = None

    def end_line() -> None:
        if chars and box is not None:
            out.append(("".join(chars), box))

    for index in range(raw.FPDFText_CountChars(textpage)):
        char = chr(raw.FPDFText_GetUnicode(textpage, index))
        if char in "\r\n":
            end_line()
            chars, box = [], None
            continue
        chars.append(char)
        if char.isspace() or not raw.FPDFText_GetCharBox(
            textpage,
            index,
            ctypes.byref(left),
            ctypes.byref(right),
            ctypes.byref(bottom),
            ctypes.byref(top),
        ):
            continue
        one = (left.value, bottom.value, right.value, top.value)
        box = (
            one
            if box is None
            else (
                min(box[0], one[0]),
                min(box[1], one[1]),
                max(box[2], one[2]),
                max(box[3], one[3]),
            )
        )
    end_line()
    return out


def _figure_boxes(page: Any) -> list[tuple[Box, int]]:
    """What is drawn as a figure on a page: each picture and each shape (filled or
    outlined, not in white) at least ``MIN_FIGURE`` points each way, form XObjects
    included, with a fingerprint of what it shows (a picture's data; a shape's colour),
    so the same logo in every page's header can be told from a figure. A rule or a
    table's border, thinner than that one way, is none."""
    api = _api()
    raw = api.raw
    out = []
    for kind, obj, matrix, _translucent, _outer in _walk(page, api):
        if kind == IMAGE:
            length = raw.FPDFImageObj_GetImageDataRaw(obj, None, 0)
            buffer = ctypes.create_string_buffer(max(int(length), 1))
            raw.FPDFImageObj_GetImageDataRaw(obj, buffer, length)
            mark = hash(("image", zlib.crc32(buffer.raw[: int(length)])))
        elif kind == PATH:
            filled, stroked = api.draw_mode(obj)
            if filled and not _white(colour := api.fill_colour(obj)):
                mark = hash(("fill", colour))
            elif stroked and not _white(colour := api.stroke_colour(obj)):
                mark = hash(("stroke", colour))
            else:
                continue
        else:
            continue
        box = api.bounds(obj)
        if box is None or not all(math.isfinite(v) for v in box):
            continue
        box = _transform_box(box, matrix)
        if box[2] - box[0] < MIN_FIGURE or box[3] - box[1] < MIN_FIGURE:
            continue
        out.append((box, mark))
    return out


def sections_with_pictures(
    document: Any, sections: list[tuple[int, str, int | None, str | None]]
) -> set[int]:
    """Which of ``sections`` have a picture (or a drawing made of shapes) in them: each
    is (heading's page, its text, the next heading's page or None at the end, its text),
    pages from 1. A section runs from under its heading to above the next one, as the
    pages are shown (their /Rotate applied); a figure counts where part of it lies in
    the section. Headings are found as their lines are (``paragraphs._fold``: case and
    punctuation aside); a heading not found leaves its page out. Not counted: what is
    drawn at the same place on another page (a header's logo, a footer's band), and
    what is centred in a page's top or bottom tenth."""
    from scrtool.readers.paragraphs import _fold

    raw = _api().raw
    count = len(document)
    figures: dict[int, tuple[int, Box, list[tuple[Box, int]]]] = {}
    lines: dict[int, list[tuple[str, Box]]] = {}

    def page_figures(page_no: int) -> tuple[int, Box, list[tuple[Box, int]]]:
        if page_no not in figures:
            page = load_page(document, page_no - 1)
            try:
                rotation = int(raw.FPDFPage_GetRotation(page)) % 4
                figures[page_no] = (rotation, _page_box(page), _figure_boxes(page))
            finally:
                close_page(page)
        return figures[page_no]

    def heading_at(page_no: int, title: str) -> Box | None:
        """The heading's line on its page, as shown, or None."""
        if page_no not in lines:
            page = load_page(document, page_no - 1)
            textpage = raw.FPDFText_LoadPage(page)
            try:
                lines[page_no] = _lines(textpage) if textpage else []
            finally:
                if textpage:
                    raw.FPDFText_ClosePage(textpage)
                close_page(page)
        key = _fold(title)
        rotation, page_box, _ = page_figures(page_no)
        for text, box in lines[page_no]:
            if _fold(text) == key:
                return _upright(box, rotation, page_box)
        return None

    # What runs with the pages: the same thing drawn at the same place on two pages or
    # more (a page border, a band), or the same picture near the top or the bottom of
    # two pages or more (a header's logo, which moves on a landscape page).
    at_place: dict[tuple[tuple[int, ...], int], int] = {}
    near_edge: dict[int, set[int]] = {}
    for page_no in range(1, count + 1):
        rotation, page_box, boxes = page_figures(page_no)
        height = _shown_height(rotation, page_box)
        for box, mark in boxes:
            upright = _upright(box, rotation, page_box)
            place = (tuple(round(v) for v in upright), mark)
            at_place[place] = at_place.get(place, 0) + 1
            middle = (upright[1] + upright[3]) / 2
            if min(middle, height - middle) < height * EDGE_SHARE:
                near_edge.setdefault(mark, set()).add(page_no)

    def running(upright: Box, mark: int, height: float) -> bool:
        if at_place[(tuple(round(v) for v in upright), mark)] > 1:
            return True
        middle = (upright[1] + upright[3]) / 2
        return len(near_edge.get(mark, ())) > 1 and min(middle, height - middle) < (
            height * EDGE_SHARE
        )

    out: set[int] = set()
    for number, (first, title, last, next_title) in enumerate(sections):
        if not 1 <= first <= count:
            continue
        end = count if last is None else min(last, count)
        for page_no in range(first, end + 1):
            rotation, page_box, boxes = page_figures(page_no)
            height = _shown_height(rotation, page_box)
            margin = height * MARGIN_SHARE
            shown = [
                upright
                for upright, mark in ((_upright(b, rotation, page_box), m) for b, m in boxes)
                if not running(upright, mark, height)
                and margin <= (upright[1] + upright[3]) / 2 <= height - margin
            ]
            if not shown:
                continue
            below = above = None
            if page_no == first:
                heading = heading_at(first, title)
                if heading is None:
                    continue
                below = heading[1]
            if page_no == last and next_title is not None:
                following = heading_at(page_no, next_title)
                if following is None:
                    continue
                above = following[3]
            if any(
                (below is None or box[1] < below - 2) and (above is None or box[3] > above + 2)
                for box in shown
            ):
                out.add(number)
                break
    return out
