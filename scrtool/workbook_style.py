"""The house style of every workbook scrtool writes, so they read and print alike.

Officers open the workbooks in Excel or LibreOffice and many print them for panel
meetings. Neither program sizes columns or wrapped rows by itself when it opens a file,
so the writers ask here for widths fitted to the content, row heights that show every
wrapped line, one header colour, a frozen header row with a filter, and a print setup
(landscape, one page wide, the header row on every page, a footer that names the review
and its marking). Widths are in Excel's units (about one digit of the default font);
the estimates err on the roomy side, because a cut-off word is worse than white space.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

#: One header colour for every workbook (dark blue, white bold text).
HEADER_COLOUR = "1F4E78"
FONT_NAME = "Arial"
FONT_SIZE = 10
#: Points per wrapped line of 10-point Arial, with room for LibreOffice's line spacing.
LINE_POINTS = 13.0
ROW_PADDING = 3.0
MARKING = "OFFICIAL-SENSITIVE"
MIN_WIDTH = 6.0
MAX_WIDTH = 60.0
#: Bold text is about this much wider than regular.
BOLD_FACTOR = 1.12
#: Width units one character of 10-point Arial text takes, on average: a unit is one
#: digit of the workbook's default font (11-point Calibri, about 7 pixels), and Arial's
#: lower-case letters average about 6.7 pixels at 10 points.
CHAR_UNITS = 0.9
#: Digits of 10-point Arial are wider than Calibri's (7.4 pixels): numbers and dates,
#: which show ### rather than wrap, are measured with this.
DIGIT_UNITS = 1.1
#: The widest a printed sheet should be, in width units, to stay legible on one
#: landscape A4 page wide (about 70% scale).
PRINT_WIDTH = 220.0

DATE_FORMAT = "dd/mm/yyyy"
MONTH_FORMAT = "mmm yyyy"
TIME_FORMAT = "hh:mm"


# --- Measuring text ---------------------------------------------------------------------


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` units wide."""
    if not text:
        return 1
    room = max(1, int((width - 1) / CHAR_UNITS))
    if len(text) <= room and "\n" not in text:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= room:
            lines += 1
            continue
        used = 0
        count = 1
        for word in paragraph.split(" "):
            size = len(word)
            if used == 0:
                if size > room:
                    count += math.ceil(size / room) - 1
                    used = size % room or room
                else:
                    used = size
            elif used + 1 + size <= room:
                used += 1 + size
            else:
                count += 1
                if size > room:
                    count += math.ceil(size / room) - 1
                    used = size % room or room
                else:
                    used = size
        lines += count
    return lines


def longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def shown_text(value: Any, number_format: str = "General") -> str:
    """What a cell shows for ``value`` in ``number_format`` (for measuring, not exact)."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        sample = number_format.replace('"', "").replace("\\", "")
        if sample == "General":
            sample = DATE_FORMAT
        out = sample.lower()
        for code, size in (("yyyy", "2026"), ("mmm", "Sep"), ("mm", "09"), ("dd", "30")):
            out = out.replace(code, size)
        return out.replace("hh", "12").replace(":mm", ":00")
    if isinstance(value, dt.time):
        return "12:00"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def fit_width(
    texts: Iterable[str],
    *,
    header: str = "",
    wrap: bool = False,
    minimum: float = MIN_WIDTH,
    maximum: float = MAX_WIDTH,
) -> float:
    """A column width that shows ``texts`` and its ``header`` whole, within limits.

    A wrapping column is as wide as its longest line up to ``maximum`` (longer text wraps);
    a column that does not wrap is as wide as its longest value. The header wraps between
    words, so the column is at least as wide as the header's longest word.
    """
    widest = 0
    for text in texts:
        if not text:
            continue
        if "\n" in text:
            size = max(len(line) for line in text.split("\n"))
        else:
            size = len(text)
        if size > widest:
            widest = size
            if wrap and widest >= maximum:
                break
    widest = math.ceil(widest * (CHAR_UNITS if wrap else DIGIT_UNITS))
    head = math.ceil(longest_word(header) * BOLD_FACTOR * CHAR_UNITS) if header else 0
    # A short header ("Source row") reads better on one line when it is not much wider.
    if header and len(header) <= 14:
        head = math.ceil(len(header) * BOLD_FACTOR * CHAR_UNITS)
    width = max(widest + 2, head + 2, minimum)
    if not wrap:
        return float(max(width, head + 2))
    return float(min(max(width, head + 2), max(maximum, head + 2)))


def fit_to_page(
    widths: Sequence[float], floors: Sequence[float], *, total: float = PRINT_WIDTH
) -> list[float]:
    """Narrow the columns by one factor, never below their ``floors``, to fit ``total``."""
    out = [float(w) for w in widths]
    if sum(out) <= total:
        return out
    low, high = 0.0, 1.0
    for _ in range(30):
        factor = (low + high) / 2
        size = sum(max(f, w * factor) for w, f in zip(out, floors, strict=True))
        if size > total:
            high = factor
        else:
            low = factor
    return [round(max(f, w * low), 1) for w, f in zip(out, floors, strict=True)]


def row_height(cells: Iterable[tuple[str, float]], *, bold: bool = False) -> float | None:
    """The height (points) that shows every wrapped line of a row, or None for one line.

    ``cells`` holds (text, column width) for the row's wrapping cells.
    """
    lines = 1
    for text, width in cells:
        if not text:
            continue
        usable = width / BOLD_FACTOR if bold else width
        n = wrapped_lines(text, usable)
        if n > lines:
            lines = n
    if lines == 1:
        return None
    return round(lines * LINE_POINTS + ROW_PADDING, 1)


# --- Styles ----------------------------------------------------------------------------


def body_font(*, bold: bool = False, size: float = FONT_SIZE) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, size=size, bold=bold)


def header_font() -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")


def header_fill() -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=HEADER_COLOUR)


def wrap_alignment(*, vertical: str = "top") -> Any:
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical=vertical)


def style_header(ws: Any, row: int, headers: Sequence[str], *, first_column: int = 1) -> None:
    """Write and style a header row: the house colour, bold white, wrapped."""
    for offset, name in enumerate(headers):
        cell = ws.cell(row=row, column=first_column + offset, value=name)
        cell.font = header_font()
        cell.fill = header_fill()
        cell.alignment = wrap_alignment()


def header_height(headers: Sequence[str], widths: Sequence[float]) -> float | None:
    return row_height(zip(headers, widths, strict=False), bold=True)


# --- Sheets ----------------------------------------------------------------------------


def footer_text(text: str) -> str:
    """Text for a header or footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")


def print_setup(ws: Any, *, ref: str, header_row: int | None = 1, landscape: bool = True) -> None:
    """Landscape A4, one page wide, the header row on every page, the house footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        footer.left.text = footer_text(ref)
        footer.left.size = 8
        footer.center.text = MARKING
        footer.center.size = 8
        footer.right.text = "Page &P of &N"
        footer.right.size = 8


def data_sheet(
    ws: Any,
    *,
    ref: str,
    header_row: int,
    columns: int,
    last_row: int,
    autofilter: bool = True,
) -> None:
    """Freeze the header, filter the data under it and set the print setup."""
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if autofilter:
        last = get_column_letter(max(columns, 1))
        ws.auto_filter.ref = f"A{header_row}:{last}{max(last_row, header_row + 1)}"
    print_setup(ws, ref=ref, header_row=header_row)


def fit_sheet(
    ws: Any,
    *,
    first_row: int = 1,
    header_row: int | None = None,
    minimum: float = MIN_WIDTH,
    maximum: float = MAX_WIDTH,
    widths: dict[int, float] | None = None,
    skip_rows: Sequence[int] = (),
) -> None:
    """Size the columns of an ordinary (not streamed) sheet to its content, then its rows.

    ``widths`` pins some columns (by number); ``skip_rows`` are rows whose text may run
    across empty cells to the right (titles and notes) and do not widen their column.
    """
    from openpyxl.utils import get_column_letter

    fixed = dict(widths or {})
    measured: dict[int, list[str]] = {}
    wrapping: dict[int, bool] = {}
    headers: dict[int, str] = {}
    skip = set(skip_rows)
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None or cell.row in skip:
                continue
            column = cell.column
            text = shown_text(cell.value, cell.number_format)
            if header_row is not None and cell.row == header_row:
                headers[column] = text
                continue
            measured.setdefault(column, []).append(text)
            if cell.alignment is not None and cell.alignment.wrap_text:
                wrapping[column] = True
    columns = set(measured) | set(headers) | set(fixed)
    final: dict[int, float] = {}
    for column in sorted(columns):
        if column in fixed:
            final[column] = fixed[column]
        else:
            final[column] = fit_width(
                measured.get(column, ()),
                header=headers.get(column, ""),
                wrap=wrapping.get(column, False),
                minimum=minimum,
                maximum=maximum,
            )
    # Wrapping columns narrow, to a readable floor, so the sheet prints legibly one page wide.
    order = sorted(final)
    floors = [
        min(final[c], max(12.0, fit_width([], header=headers.get(c, ""))))
        if wrapping.get(c) and c not in fixed
        else final[c]
        for c in order
    ]
    for column, width in zip(order, fit_to_page([final[c] for c in order], floors), strict=True):
        final[column] = width
        ws.column_dimensions[get_column_letter(column)].width = width
    fit_rows(ws, final, first_row=first_row)


def fit_rows(ws: Any, widths: dict[int, float], *, first_row: int = 1) -> None:
    """Set the height of every row that holds wrapped text to show all its lines."""
    for row in ws.iter_rows(min_row=first_row):
        cells = []
        bold = False
        for cell in row:
            if cell.value is None or cell.alignment is None or not cell.alignment.wrap_text:
                continue
            width = widths.get(cell.column)
            if width is None:
                continue
            cells.append((shown_text(cell.value, cell.number_format), width))
            bold = bold or bool(cell.font is not None and cell.font.b)
        if not cells:
            continue
        height = row_height(cells, bold=bold)
        if height is not None:
            ws.row_dimensions[row[0].row].height = height
