"""Pictures under a heading in a PDF: the draft check's empty sections.

A heading with no text under it may have a picture there (an appendix that is a
scanned family tree). ``sections_with_pictures`` finds the heading's line on its page
and what is drawn between it and the next heading, down the page as its text reads.
"""

from __future__ import annotations

import ctypes
import math
import zlib
from typing import Any

from scrtool.readers.pdf_objects import (
    IMAGE,
    PATH,
    Box,
    close_page,
    crop_box,
    is_white,
    load_page,
    pdfium_calls,
    transform_box,
    walk_objects,
)

#: A picture or a filled shape this small (points, either way) is a bullet, not a figure.
MIN_FIGURE = 14.0
#: Characters of a page whose direction is asked to tell which way its text reads.
DIRECTION_SAMPLE = 400
#: The same picture centred in the top or bottom fifth of two pages or more is a
#: running header's or footer's.
EDGE_SHARE = 0.2


def _upright(box: Box, rotation: int, page: Box) -> Box:
    """``box`` on the page turned ``rotation`` quarter turns clockwise (as /Rotate turns
    a page), with the turned page's bottom left corner at (0, 0)."""
    x0, y0, x1, y1 = box
    left, bottom, right, top = page
    if rotation == 1:  # the page's left edge is shown at the top
        return (y0 - bottom, right - x1, y1 - bottom, right - x0)
    if rotation == 2:
        return (right - x1, top - y1, right - x0, top - y0)
    if rotation == 3:  # the page's right edge is shown at the top
        return (top - y1, x0 - left, top - y0, x1 - left)
    return (x0 - left, y0 - bottom, x1 - left, y1 - bottom)


def _reading_turn(textpage: Any) -> int | None:
    """The quarter turns (clockwise) that set the page's text upright, from the
    direction most of its first characters run in (a page of landscape text stored
    upright reads up the page: 1). None: the page has no text."""
    raw = pdfium_calls().raw
    turns = [0, 0, 0, 0]
    for index in range(min(raw.FPDFText_CountChars(textpage), DIRECTION_SAMPLE)):
        if chr(raw.FPDFText_GetUnicode(textpage, index)).isspace():
            continue
        angle = raw.FPDFText_GetCharAngle(textpage, index)
        if angle >= 0:
            turns[-round(angle / (math.pi / 2)) % 4] += 1  # PDFium's angle: clockwise
    if not any(turns):
        return None
    return max(range(4), key=lambda turn: (turns[turn], -turn))


def _shown_height(rotation: int, page: Box) -> float:
    return abs(page[2] - page[0]) if rotation in (1, 3) else abs(page[3] - page[1])


def _lines(textpage: Any) -> list[tuple[str, Box]]:
    """Each line of a text page (PDFium's own line breaks) and the box round its letters."""
    api = pdfium_calls()
    out: list[tuple[str, Box]] = []
    chars: list[str] = []
    box: Box | None = None
    count = api.raw.FPDFText_CountChars(textpage)
    for index in range(count + 1):
        char = chr(api.raw.FPDFText_GetUnicode(textpage, index)) if index < count else "\n"
        if char in "\r\n":
            if chars and box is not None:
                out.append(("".join(chars), box))
            chars, box = [], None
            continue
        chars.append(char)
        one = None if char.isspace() else api.char_box(textpage, index)
        if one is not None:
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
    return out


def _figure_boxes(page: Any) -> list[tuple[Box, int]]:
    """What is drawn as a figure on a page: each picture and each shape (filled or
    outlined, not in white) at least ``MIN_FIGURE`` points each way, form XObjects
    included, with a fingerprint of what it shows (a picture's data; a shape's colour),
    so the same logo in every page's header can be told from a figure. A rule or a
    table's border, thinner than that one way, is none."""
    api = pdfium_calls()
    raw = api.raw
    out = []
    for kind, obj, matrix, _translucent, _outer in walk_objects(page, api):
        if kind == IMAGE:
            length = raw.FPDFImageObj_GetImageDataRaw(obj, None, 0)
            buffer = ctypes.create_string_buffer(max(int(length), 1))
            raw.FPDFImageObj_GetImageDataRaw(obj, buffer, length)
            mark = hash(("image", zlib.crc32(buffer.raw[: int(length)])))
        elif kind == PATH:
            filled, stroked = api.draw_mode(obj)
            if filled and not is_white(colour := api.fill_colour(obj)):
                mark = hash(("fill", colour))
            elif stroked and not is_white(colour := api.stroke_colour(obj)):
                mark = hash(("stroke", colour))
            else:
                continue
        else:
            continue
        box = api.bounds(obj)
        if box is None or not all(math.isfinite(v) for v in box):
            continue
        box = transform_box(box, matrix)
        if box[2] - box[0] < MIN_FIGURE or box[3] - box[1] < MIN_FIGURE:
            continue
        out.append((box, mark))
    return out


#: A section: (its heading's page, text, and how many headings of that text come before
#: it on the page; the next heading's page, text and count, or None, None, 0 at the end).
Section = tuple[int, str, int, int | None, str | None, int]


def sections_with_pictures(document: Any, sections: list[Section]) -> set[int]:
    """Which of ``sections`` have a picture (or a drawing made of shapes) in them: each
    is a ``Section``, pages from 1. A section runs from under its heading to above the
    next one, down the page as its text reads (a landscape page stored upright and
    turned by /Rotate, or a page turned upside down and its text with it, is read as
    its text runs); a figure counts where part of it lies in the section. Headings are
    found as their lines are (``paragraphs._fold``: case and punctuation aside, on up to
    three lines when it wraps); a heading not found leaves its page out. Not counted:
    what is drawn at the same place on another page (a page border, a footer's band),
    and the same picture near the top or bottom of two pages or more (a header's logo,
    which moves on a landscape page)."""
    from scrtool.readers.paragraphs import MAX_HEADING_LINES, _fold

    raw = pdfium_calls().raw
    count = len(document)
    figures: dict[int, tuple[int, Box, list[tuple[Box, int]]]] = {}
    lines: dict[int, list[tuple[str, Box]]] = {}

    def page_figures(page_no: int) -> tuple[int, Box, list[tuple[Box, int]]]:
        if page_no not in figures:
            page = load_page(document, page_no - 1)
            textpage = raw.FPDFText_LoadPage(page)
            try:
                turn = _reading_turn(textpage) if textpage else None
                if turn is None:  # no text: as the page is shown
                    turn = int(raw.FPDFPage_GetRotation(page)) % 4
                figures[page_no] = (turn, crop_box(page), _figure_boxes(page))
            finally:
                if textpage:
                    raw.FPDFText_ClosePage(textpage)
                close_page(page)
        return figures[page_no]

    def heading_at(page_no: int, title: str, nth: int) -> Box | None:
        """The ``nth`` line (from 0) that is the heading's on its page, or lines when it
        wraps, as the page's text reads, or None."""
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
        found = lines[page_no]
        for index in range(len(found)):
            text, box = found[index]
            for later in range(index, min(index + MAX_HEADING_LINES, len(found))):
                if later > index:
                    text = text + " " + found[later][0]
                    other = found[later][1]
                    box = (
                        min(box[0], other[0]),
                        min(box[1], other[1]),
                        max(box[2], other[2]),
                        max(box[3], other[3]),
                    )
                folded = _fold(text)
                if folded == key:
                    if nth == 0:
                        return _upright(box, rotation, page_box)
                    nth -= 1
                    break
                if not key.startswith(folded + " "):
                    break
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
    for number, (first, title, nth, last, next_title, next_nth) in enumerate(sections):
        if not 1 <= first <= count:
            continue
        end = count if last is None else min(last, count)
        for page_no in range(first, end + 1):
            rotation, page_box, boxes = page_figures(page_no)
            height = _shown_height(rotation, page_box)
            shown = [
                upright
                for upright, mark in ((_upright(b, rotation, page_box), m) for b, m in boxes)
                if not running(upright, mark, height)
            ]
            if not shown:
                continue
            below = above = None
            if page_no == first:
                heading = heading_at(first, title, nth)
                if heading is None:
                    continue
                below = heading[1]
            if page_no == last and next_title is not None:
                following = heading_at(page_no, next_title, next_nth)
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
