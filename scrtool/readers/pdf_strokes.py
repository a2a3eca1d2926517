"""The bands a thick stroke paints: a line drawn over the words (a marker pen's, straight
or freehand) hides them as a box does (``pdf_pages``)."""

from __future__ import annotations

import ctypes
import itertools
import math
from typing import Any

from scrtool.readers.pdf_objects import MIN_BOX, Api, Box, Matrix, compose

#: PDFium's path segments (``FPDF_SEGMENT_*``) and line caps (``FPDF_LINECAP_*``).
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
_BUTT_CAP = 0
#: Segments of one stroked path looked at (a drawn line has a handful; a traced map more).
MAX_STROKE_SEGMENTS = 256
#: Straight pieces a stroked curve is taken as (a freehand marker is drawn in curves).
CURVE_PIECES = 8


def stroke_bands(obj: Any, matrix: Matrix, api: Api) -> list[tuple[Box, list[tuple[float, float]]]]:
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
    m = compose(api.obj_matrix(obj), matrix)
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


def _subpaths(obj: Any, api: Api) -> list[tuple[list[tuple[float, float]], bool]]:
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
