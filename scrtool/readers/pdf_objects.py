"""PDFium's page objects, walked in drawing order with every transform applied, and the
geometry the checks judge them by.

``walk_objects`` gives each text object, path, picture and shading of a page, form
XObjects followed, with the matrix that takes it to the page, how see-through the forms
around it make it, and the clip those forms are drawn under. ``Api`` holds PDFium's C
functions and reusable out-parameters: ctypes calls dominate the cost of a walk.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from typing import Any

#: Depth of nested form XObjects followed (PDFium's own limit is deeper; real files use 1-3).
MAX_FORM_DEPTH = 12
#: A box narrower or lower than this (points) is a rule or a border, never a redaction.
MIN_BOX = 4.0

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

TEXT, PATH, IMAGE, SHADING, FORM = 1, 2, 3, 4, 5
#: PDFium's path segments (``FPDF_SEGMENT_*``) and even-odd fill (``FPDF_FILLMODE_ALTERNATE``).
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
FILL_ALTERNATE = 1
#: Segments of one path read (a drawn line has a handful; freehand ink, hundreds).
MAX_PATH_SEGMENTS = 4096
#: Straight pieces a curve is taken as (a freehand marker is drawn in curves).
CURVE_PIECES = 8


def compose(inner: Matrix, outer: Matrix) -> Matrix:
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


def transform_box(box: Box, m: Matrix) -> Box:
    if m == IDENTITY:
        return box
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    return (min(xs), min(ys), max(xs), max(ys))


def overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def intersection(a: Box, b: Box) -> Box:
    """The part of ``a`` inside ``b`` (a box of no area where they do not meet)."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, x1, y1) if x0 <= x1 and y0 <= y1 else (x0, y0, x0, y0)


def box_area(a: Box) -> float:
    return max(a[2] - a[0], 0.0) * max(a[3] - a[1], 0.0)


def is_white(colour: tuple[int, int, int, int]) -> bool:
    return colour[0] >= 242 and colour[1] >= 242 and colour[2] >= 242


def point_in(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


class Api:
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
        self.char_out = tuple(ctypes.c_double() for _ in range(4))

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

    def fill_mode(self, obj: Any) -> int:
        """How a path is filled: 0 not, ``FILL_ALTERNATE`` (even-odd) or 2 (nonzero)."""
        if not self.raw.FPDFPath_GetDrawMode(
            obj, ctypes.byref(self.fill), ctypes.byref(self.stroke)
        ):
            return 0
        return int(self.fill.value)

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
            box = one if box is None else intersection(box, one)
        return box

    def char_box(self, textpage: Any, index: int) -> Box | None:
        """The box of character ``index`` of a text page (None: PDFium has none for it)."""
        left, right, bottom, top = self.char_out
        if not self.raw.FPDFText_GetCharBox(
            textpage,
            index,
            ctypes.byref(left),
            ctypes.byref(right),
            ctypes.byref(bottom),
            ctypes.byref(top),
        ):
            return None
        return (left.value, bottom.value, right.value, top.value)

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


_API: Api | None = None


def pdfium_calls() -> Api:
    global _API
    if _API is None:
        _API = Api()
    return _API


#: How see-through the forms around an object make it: not at all; blended (a form
#: with a transparency group, a blend mode or a soft mask, drawn at full opacity); faded
#: (a form drawn at less than full opacity).
SOLID, BLENDED, FADED = 0, 1, 2


def is_dark(colour: tuple[int, int, int, int]) -> bool:
    """Near black: a box this dark hides text under it however it is blended."""
    return max(colour[:3]) < 64


def walk_objects(page: Any, api: Api) -> Iterator[tuple[int, Any, Matrix, int, Box | None]]:
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
                inner = compose(api.obj_matrix(obj), matrix)
                clip = api.clip_box(obj)
                if clip is not None and all(math.isfinite(v) for v in clip):
                    clip = transform_box(clip, matrix)
                    outer = clip if outer is None else intersection(outer, clip)
                see_through = translucent
                if raw.FPDFPageObj_HasTransparency(obj):
                    faded = api.fill_colour(obj)[3] < 255
                    see_through = max(translucent, FADED if faded else BLENDED)
                form, index, count = obj, 0, raw.FPDFFormObj_CountObjects(obj)
                matrix, translucent, depth = inner, see_through, depth + 1
                continue
            yield kind, obj, matrix, translucent, outer


def crop_box(page: Any) -> Box:
    """The crop box, else the media box, else US Letter (as pypdfium2's ``get_cropbox``)."""
    api = pdfium_calls()
    raw = api.raw
    for get in (raw.FPDFPage_GetCropBox, raw.FPDFPage_GetMediaBox):
        if get(page, *api.box_out):
            return (api.l.value, api.b.value, api.r.value, api.t.value)
    return (0.0, 0.0, 612.0, 792.0)


def load_page(document: Any, index: int) -> Any:
    """PDFium's handle of page ``index`` (pypdfium2's page objects cost more than reading
    a short page); close it with ``close_page``. A page PDFium cannot load raises
    ``PdfiumError``, as ``document[index]`` does."""
    page = pdfium_calls().raw.FPDF_LoadPage(getattr(document, "raw", document), index)
    if not page:
        import pypdfium2 as pdfium

        raise pdfium.PdfiumError("Failed to load page.")
    return page


def close_page(page: Any) -> None:
    pdfium_calls().raw.FPDF_ClosePage(page)


def subpaths(obj: Any, api: Api) -> list[tuple[list[tuple[float, float]], bool]]:
    """A path's subpaths as the points its straight pieces join (a curve as
    ``CURVE_PIECES`` pieces; a closed subpath ends where it began), each with whether it
    is closed. At most ``MAX_PATH_SEGMENTS`` segments are read."""
    raw = api.raw
    x, y = api.x, api.y
    out: list[tuple[list[tuple[float, float]], bool]] = []
    points: list[tuple[float, float]] = []
    controls: list[tuple[float, float]] = []
    for index in range(min(raw.FPDFPath_CountSegments(obj), MAX_PATH_SEGMENTS)):
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
