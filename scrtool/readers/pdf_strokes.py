"""The bands a thick stroke paints: a line drawn over the words (a marker pen's, straight
or freehand) hides them as a box does (``pdf_pages``)."""

from __future__ import annotations

import ctypes
import itertools
import math
from typing import Any

from scrtool.readers.pdf_objects import MIN_BOX, Api, Box, Matrix, compose, subpaths

#: PDFium's line caps (``FPDF_LINECAP_*``).
_BUTT_CAP = 0


def stroke_bands(obj: Any, matrix: Matrix, api: Api) -> list[tuple[Box, list[tuple[float, float]]]]:
    """The bands a thick, solid stroke paints on the page: each straight segment of the
    path (a curve in straight pieces, see ``subpaths``) as wide as the line, as a box
    around it and its four corners. A segment reaches half the line's width past a
    point where the line bends (the join) and past the line's ends unless its caps are
    butt. A dashed line, a band no wider than ``MIN_BOX``, and a line no longer (a rule,
    a border, an underline) paint none that could hide a word."""
    raw = api.raw
    width = ctypes.c_float()
    if not raw.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width)) or not width.value > 0:
        return []
    m = compose(api.obj_matrix(obj), matrix)
    if width.value * _largest_scale(m) <= MIN_BOX:
        return []  # by far the most stroked paths (rules, borders): thin however turned
    if raw.FPDFPageObj_GetDashCount(obj) != 0:
        return []  # dashed (-1: PDFium could not tell)
    half = width.value / 2
    capped = raw.FPDFPageObj_GetLineCap(obj) != _BUTT_CAP
    lines = subpaths(obj, api)

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


def _largest_scale(m: Matrix) -> float:
    """How much ``m`` stretches a length at most, whichever way it lies (its largest
    singular value): a line is no wider than its width times this."""
    a, b, c, d = m[0], m[1], m[2], m[3]
    s = a * a + b * b + c * c + d * d
    det = a * d - b * c
    return math.sqrt((s + math.sqrt(max(s * s - 4 * det * det, 0.0))) / 2)
