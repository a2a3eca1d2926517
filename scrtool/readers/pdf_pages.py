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
import math
from dataclasses import dataclass
from typing import Any

from scrtool.readers.model import Piece
from scrtool.readers.pdf_objects import (
    FADED,
    FILL_ALTERNATE,
    IDENTITY,
    IMAGE,
    MIN_BOX,
    PATH,
    SHADING,
    SOLID,
    TEXT,
    Api,
    Box,
    Matrix,
    box_area,
    compose,
    crop_box,
    intersection,
    is_dark,
    is_white,
    overlap,
    pdfium_calls,
    point_in,
    subpaths,
    transform_box,
    walk_objects,
)
from scrtool.readers.pdf_strokes import stroke_bands

#: How much of a character a box must hide to count it as covered (as Free Law Project's x-ray).
COVER_THRESHOLD = 0.8
#: A fill at least this opaque (95%) hides what is under it, as a fully opaque one does.
OPAQUE_ALPHA = 242


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
    #: The corners of the band a thick stroke paints, on the page (see ``stroke_bands``):
    #: tested in place of the path's own points.
    outline: list[tuple[float, float]] | None = None
    #: The clip of the forms it is drawn in, on the page (None: not in a clipped form).
    outer: Box | None = None
    #: The outline a filled path paints, on the page, and its fill rule (see ``_covers``):
    #: read once, for the first character it may cover.
    rings: list[list[tuple[float, float]]] | None = None
    even_odd: bool = False


@dataclass(frozen=True)
class PageText:
    """One page as read: its text (PDFium's, lines apart by line breaks) and its findings."""

    text: str
    findings: tuple[Piece, ...]


def _visible(cover: _Cover, api: Api) -> Box:
    """The part of a box or picture that is painted: its bounds cut to its clipping
    path (a cropped picture, a fill clipped to a corner, a form's /BBox). Worked out
    only for the boxes a text object meets, once each."""
    if not cover.clipped:
        cover.clipped = True
        clip = api.clip_box(cover.handle)
        if clip is not None and all(math.isfinite(v) for v in clip):
            cover.box = intersection(cover.box, transform_box(clip, cover.matrix))
        if cover.outer is not None:
            cover.box = intersection(cover.box, cover.outer)
    return cover.box


def _same_colour(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return all(abs(x - y) < 13 for x, y in zip(a[:3], b[:3], strict=True))


def _outside(box: Box, page: Box) -> bool:
    return (
        box[2] < page[0] - 1 or box[0] > page[2] + 1 or box[3] < page[1] - 1 or box[1] > page[3] + 1
    )


def _covers(cover: _Cover, box: Box, api: Api) -> bool:
    """Does the cover hide at least ``COVER_THRESHOLD`` of ``box``? A filled path that is
    not its bounding rectangle (a circle, an arrow, a frame) is tested on its own
    outline, by its fill rule; pieces of two points enclose nothing and paint nothing."""
    area = box_area(box)
    if area <= 0 or overlap(box, cover.box) / area < COVER_THRESHOLD:
        return False
    if cover.image:
        return True
    if cover.rings is None:
        if cover.outline is not None:
            cover.rings = [cover.outline]
        else:
            m = compose(api.obj_matrix(cover.handle), cover.matrix)
            rings = [
                [(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]) for x, y in points]
                for points, _closed in subpaths(cover.handle, api)
            ]
            cover.rings = [ring for ring in rings if len(set(ring)) >= 3]
            cover.even_odd = api.fill_mode(cover.handle) == FILL_ALTERNATE
    rings, even_odd = cover.rings, cover.even_odd
    if not rings:
        return False
    if len(rings) == 1 and _is_box(rings[0], cover.box):
        return True
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return all(_filled_at(p, rings, even_odd) for p in ((cx, cy), (box[0], cy), (box[2], cy)))


def _filled_at(
    point: tuple[float, float], rings: list[list[tuple[float, float]]], even_odd: bool
) -> bool:
    """Whether a fill of ``rings`` (each closed) paints ``point``: by the even-odd rule,
    or the nonzero winding rule."""
    x, y = point
    winding = crossings = 0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            side = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0)
            if y0 <= y < y1 and side > 0:
                winding, crossings = winding + 1, crossings + 1
            elif y1 <= y < y0 and side < 0:
                winding, crossings = winding - 1, crossings + 1
    return crossings % 2 == 1 if even_odd else winding != 0


def _is_box(points: list[tuple[float, float]], box: Box) -> bool:
    return all(
        (abs(x - box[0]) < 0.5 or abs(x - box[2]) < 0.5)
        and (abs(y - box[1]) < 0.5 or abs(y - box[3]) < 0.5)
        for x, y in points
    )


def _clean_covered(text: str) -> str | None:
    """x-ray's filters: no single letters, no XXXX, something readable."""
    text = " ".join(text.split())
    squeezed = text.replace(" ", "")
    if len(squeezed) < 2 or not any(ch.isalnum() for ch in squeezed):
        return None
    if len(set(squeezed)) == 1:
        return None
    return text


def annotation_count(page: Any) -> int:
    """How many entries the page's ``/Annots`` holds, as PDFium reads the page."""
    return int(pdfium_calls().raw.FPDFPage_GetAnnotCount(getattr(page, "raw", page)))


def _text_page(page: Any, textpage: Any) -> Any:
    """``textpage`` if one was laid out ahead (``pdf_ahead``), else the page's text laid
    out now; a page whose text PDFium cannot lay out raises ``PdfiumError``."""
    if not textpage:
        textpage = pdfium_calls().raw.FPDFText_LoadPage(page)
    if not textpage:
        import pypdfium2 as pdfium

        raise pdfium.PdfiumError("Failed to load text page.")
    return textpage


def read_page(page: Any, number: int, *, hidden: bool = True, textpage: Any = None) -> PageText:
    """One page's text and (with ``hidden``) the covered and invisible text on it
    (``page``: a pypdfium2 page or PDFium's handle of one, see ``load_page``;
    ``textpage``: its text laid out already, which this closes)."""
    api = pdfium_calls()
    raw = api.raw
    page = getattr(page, "raw", page)
    textpage = _text_page(page, textpage)
    try:
        text = page_text(textpage)
        findings = _findings(page, textpage, number, api) if hidden and text.strip() else ()
    finally:
        raw.FPDFText_ClosePage(textpage)
    return PageText(text, tuple(findings))


def read_page_text(page: Any, *, textpage: Any = None) -> PageText:
    """A loaded page's text alone, as ``read_page(..., hidden=False)`` reads it, with
    PDFium's own calls: a check that needs only the words makes no page objects."""
    raw = pdfium_calls().raw
    textpage = _text_page(page, textpage)
    try:
        return PageText(page_text(textpage), ())
    finally:
        raw.FPDFText_ClosePage(textpage)


def page_text(textpage: Any) -> str:
    """All of a text page's text, as pypdfium2's ``get_text_range()`` gives it: characters
    PDFium leaves out of the text at either end are skipped first (PDFium would read
    past them), and the buffer holds exactly the text that is left."""
    raw = pdfium_calls().raw
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


def _too_small(text: _Text, api: Api) -> bool:
    """Whether text whose box is under a point tall is drawn under a point high: its font
    size times the height its matrices give a unit of text space. A full stop or a dash
    drawn on its own at a readable size has a box that flat too, and is not hidden."""
    size = ctypes.c_float()
    if not api.raw.FPDFTextObj_GetFontSize(text.handle, ctypes.byref(size)):
        return True
    m = compose(api.obj_matrix(text.handle), text.matrix)
    return abs(size.value) * math.hypot(m[2], m[3]) < 1.0


def _squashed(text: _Text, textpage: Any, api: Api) -> bool:
    """Upright text of two or more characters squeezed to a twentieth of its height a
    character or less (a horizontal scaling of a few per cent, ``1 Tz``): it cannot be
    read, however tall it is. Asked only of a text box narrower than half its height."""
    m = compose(api.obj_matrix(text.handle), text.matrix)
    if abs(m[1]) > 1e-6 or abs(m[2]) > 1e-6:
        return False  # turned or slanted: its box's width is not its length
    box = text.box
    chars = len("".join(api.object_text(text.handle, textpage).split()))
    return chars >= 2 and (box[2] - box[0]) / chars < 0.05 * (box[3] - box[1])


def _clipped_away(text: _Text, api: Api) -> bool:
    """Whether the text's clipping path leaves less than a fifth of it to be seen (text
    drawn into a clip of a point square, or beside it): such text is read but never shown.
    A clip that cuts off a line's end (a table cell's) leaves most of it."""
    shown = text.outer
    clip = api.clip_box(text.handle)
    if clip is not None and all(math.isfinite(v) for v in clip):
        clip = transform_box(clip, text.matrix)
        shown = clip if shown is None else intersection(shown, clip)
    area = box_area(text.box)
    if shown is None or area <= 0:
        return False
    return overlap(text.box, shown) < (1 - COVER_THRESHOLD) * area


def _on(box: Box, point: tuple[float, float], under: list[Box]) -> bool:
    """Whether a text box lies on the pictures ``under`` it: at least ``COVER_THRESHOLD``
    of it, the pictures' shares added up (a scan in strips), or, for a box of no area,
    its point."""
    area = box_area(box)
    if area <= 0:
        return any(point_in(point, b) for b in under)
    return sum(overlap(box, b) for b in under) >= COVER_THRESHOLD * area


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


def _opaque(obj: Any, colour: tuple[int, int, int, int], translucent: int, api: Api) -> bool:
    """Whether paint of ``colour`` hides what is under it. Blended (a blend mode, a group)
    at full opacity, it does when it is near black; a light one (a highlighter's
    Multiply) does not."""
    return colour[3] >= OPAQUE_ALPHA and (
        (translucent == SOLID and not api.raw.FPDFPageObj_HasTransparency(obj))
        or (translucent != FADED and is_dark(colour))
    )


def _findings(page: Any, textpage: Any, number: int, api: Api) -> list[Piece]:
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
    for kind, obj, matrix, translucent, outer in walk_objects(page, api):
        seq += 1
        if kind == TEXT:
            box = bounds(obj)
            if box is None:
                continue
            if matrix is not IDENTITY:
                box = transform_box(box, matrix)
            mode = render_mode(obj)
            colour = fill_colour(obj)
            if colour[3] == 0:
                mode = 3
            texts.append(_Text(seq, obj, box, mode, colour, matrix, outer))
        elif kind == PATH:
            filled, stroked = api.draw_mode(obj)
            # A line drawn thick over the words (a marker pen) hides them as a box does.
            bands = stroke_bands(obj, matrix, api) if stroked else []
            if bands:
                colour = api.stroke_colour(obj)
                opaque = _opaque(obj, colour, translucent, api)
                for box, outline in bands:
                    cover = _Cover(
                        seq, obj, box, colour, False, matrix, outline=outline, outer=outer
                    )
                    if not is_white(colour):
                        dark_fills.append(cover)
                    if opaque:
                        covers.append(cover)
            if not filled:
                continue
            box = api.bounds(obj)
            if box is None:
                continue
            box = transform_box(box, matrix)
            colour = api.fill_colour(obj)
            opaque = _opaque(obj, colour, translucent, api)
            if box[2] - box[0] <= MIN_BOX or box[3] - box[1] <= MIN_BOX:
                continue
            cover = _Cover(seq, obj, box, colour, False, matrix, outer=outer)
            if not is_white(colour):
                dark_fills.append(cover)
            if opaque:
                covers.append(cover)
        elif kind in (IMAGE, SHADING):
            box = api.bounds(obj)
            if box is None:
                continue
            box = transform_box(box, matrix)
            cover = _Cover(seq, obj, box, (128, 128, 128, 255), True, matrix, outer=outer)
            if kind == IMAGE:
                images.append(cover)  # a shading ('sh') paints like one, but is no scan
            if translucent == SOLID and not raw.FPDFPageObj_HasTransparency(obj):
                covers.append(cover)
    if not texts:
        return []
    page_box = crop_box(page)
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
                if im.seq < t.seq and overlap(t.box, im.box) > 0
            ]
            if not _on(t.box, point, under):
                reason = "invisible text"
        elif is_white(t.colour) and t.mode in (0, 2, 4, 6):
            backed = any(
                b.seq < t.seq and point_in(point, b.box) and point_in(point, _visible(b, api))
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
            if overlap(t.box, c.box) > 0
            and (c.seq > t.seq or _same_colour(c.colour, t.colour))
            and overlap(t.box, _visible(c, api)) > 0
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
    texts: list[_Text], suspects: dict[int, list[_Cover]], textpage: Any, number: int, api: Api
) -> list[Piece]:
    """The characters of the suspect text objects that a cover hides, grouped by cover."""
    raw = api.raw
    wanted = {ctypes.cast(texts[i].handle, ctypes.c_void_p).value: i for i in suspects}
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
        box = api.char_box(textpage, i)
        if box is None:
            continue
        if box_area(box) <= 0:
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
