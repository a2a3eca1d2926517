"""Writing the merged chronology workbook: Chronology, Needs attention and Summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.chronology.merge import summarise
from scrtool.chronology.returns import Attention, Entry
from scrtool.chronology.schema import (
    AGE_COLUMN,
    CORE_COLUMNS,
    DUPLICATE_COLUMN,
    OTHER_COLUMN,
    PROVENANCE_COLUMNS,
    REASON_COLUMN,
    REF_COLUMN,
    SHEETS,
    Schema,
)
from scrtool.dates import PartialDate
from scrtool.readers.spreadsheets import (
    column_letter,
)

# --- The workbook -------------------------------------------------------------------------

_DATE_FORMATS = {
    ("day", False): "dd/mm/yyyy",
    ("month", False): "mmm yyyy",
    ("year", False): "yyyy",
    ("day", True): '"approx. "dd/mm/yyyy',
    ("month", True): '"approx. "mmm yyyy',
    ("year", True): '"approx. "yyyy',
}


def chronology_headers(schema: Schema, *, child_age: bool = False) -> list[str]:
    """The contract's ten columns, the reviewer's (age, reference), the schema's, duplicates."""
    reviewer = [AGE_COLUMN] if child_age else []
    return [
        *CORE_COLUMNS,
        *PROVENANCE_COLUMNS,
        *reviewer,
        REF_COLUMN,
        *(c.name for c in schema.extras),
        DUPLICATE_COLUMN,
    ]


def attention_headers(schema: Schema) -> list[str]:
    extras = [c.name for c in schema.extras if not c.fill]
    return [REASON_COLUMN, *CORE_COLUMNS, *extras, OTHER_COLUMN, *PROVENANCE_COLUMNS]


_WIDTHS = {
    "Source file": 24,
    "Source sheet": 14,
    "Source row": 9,
    AGE_COLUMN: 11,
    REF_COLUMN: 10,
    DUPLICATE_COLUMN: 11,
    REASON_COLUMN: 40,
    OTHER_COLUMN: 30,
}


def _width(schema: Schema, name: str) -> float:
    if name in _WIDTHS:
        return _WIDTHS[name]
    try:
        width = schema.column(name).width
    except KeyError:
        width = None
    return width or 20


@dataclass(frozen=True)
class InputSummary:
    path: Path
    agency: str
    rows: int
    sheet: str = ""
    merged: int = 0
    needing_attention: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "agency": self.agency, "rows": self.rows}


def write_workbook(
    target: Path,
    *,
    entries: Sequence[Entry],
    attention: Sequence[Attention],
    inputs: Sequence[InputSummary],
    schema: Schema,
    title: str = "Merged chronology",
    made: dt.date | None = None,
    child_age: bool = False,
    without_return: Sequence[str] = (),
    ref: str = "",
) -> None:
    """Write the three sheets; the big ones are streamed (see ``scrtool.chronology.xlsxstream``).

    Columns are as wide as their content (wrapping text up to the schema's width) and
    every row is as tall as its wrapped text, computed here because neither Excel nor
    LibreOffice sizes rows when it opens a file. ``ref`` goes in the printed footer.
    """
    import io

    from openpyxl import Workbook as XLWorkbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    from scrtool import workbook_style as house
    from scrtool.chronology import xlsxstream as xs

    made = made or dt.date.today()
    footer = ref or title
    wb = XLWorkbook()
    wb.properties.creator = "scrtool"
    wb.properties.title = title
    chron = wb.active
    assert chron is not None
    chron.title = SHEETS[0]
    need = wb.create_sheet(SHEETS[1])
    summary_ws = wb.create_sheet(SHEETS[2])

    def style(number_format: str = "General", wrap: bool = False) -> int:
        cell = WriteOnlyCell(chron)
        cell.number_format = number_format
        cell.font = house.body_font()
        cell.alignment = house.wrap_alignment() if wrap else Alignment(vertical="top")
        return int(cell.style_id)

    date_styles = {key: style(fmt) for key, fmt in _DATE_FORMATS.items()}
    time_style = style(house.TIME_FORMAT)
    text_style = style(wrap=True)
    plain_style = style()
    whole_style = style("0")
    header_cols = chronology_headers(schema, child_age=child_age)
    need_cols = attention_headers(schema)

    chron_values = [[_entry_value(e, n) for n in header_cols] for e in entries]
    chron_widths = _column_widths(schema, header_cols, chron_values)
    need_values = [_attention_values(a, need_cols) for a in attention]
    need_widths = _column_widths(schema, need_cols, need_values)

    def lay_out(
        ws: Any, headers: Sequence[str], widths: Sequence[float], rows: int, name: str
    ) -> str:
        house.style_header(ws, 1, headers)
        for index, width in enumerate(widths):
            ws.column_dimensions[column_letter(index)].width = width
        height = house.header_height(headers, widths)
        if height is not None:
            ws.row_dimensions[1].height = height
        last = column_letter(len(headers) - 1)
        ref_range = f"A1:{last}{max(rows, 1) + 1}"
        table = Table(
            displayName=name,
            ref=ref_range,
            tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True),
            autoFilter=AutoFilter(ref=ref_range),
        )
        table.tableColumns = [TableColumn(id=i + 1, name=h) for i, h in enumerate(headers)]
        ws.add_table(table)
        ws.freeze_panes = "A2"
        house.print_setup(ws, ref=footer, header_row=1)
        return ref_range

    chron_dim = lay_out(chron, header_cols, chron_widths, len(entries), "Chronology")
    need_dim = lay_out(need, need_cols, need_widths, len(attention), "NeedsAttention")
    _write_summary(
        summary_ws,
        entries,
        attention,
        inputs,
        title=title,
        made=made,
        without_return=without_return,
    )
    house.print_setup(summary_ws, ref=footer, header_row=None)

    letters = xs.column_letters(len(header_cols))
    wrap_at = [
        (index, chron_widths[index])
        for index, name in enumerate(header_cols)
        if name not in _UNWRAPPED
    ]

    def row_open(r: str, values: Sequence[Any], wrapping: Sequence[tuple[int, float]]) -> str:
        height = house.row_height((str(values[i]), w) for i, w in wrapping if values[i])
        if height is None:
            return f'<row r="{r}">'
        return f'<row r="{r}" ht="{height}" customHeight="1">'

    def chronology_rows() -> Iterable[str]:
        text_cell, number_cell, serial = xs.text_cell, xs.number_cell, xs.excel_serial
        time_value = xs.excel_time
        for number, values in enumerate(chron_values, start=2):
            r = str(number)
            parts = [row_open(r, values, wrap_at)]
            for letter, name, value in zip(letters, header_cols, values, strict=True):
                if value is None or value == "":
                    continue
                ref_cell = letter + r
                if isinstance(value, PartialDate):
                    key = (value.precision, value.approximate)
                    parts.append(number_cell(ref_cell, serial(value.start), date_styles[key]))
                elif isinstance(value, dt.time):
                    parts.append(number_cell(ref_cell, time_value(value), time_style))
                elif isinstance(value, dt.date):
                    parts.append(number_cell(ref_cell, serial(value), date_styles[("day", False)]))
                elif isinstance(value, int) and not isinstance(value, bool):
                    parts.append(number_cell(ref_cell, value, whole_style))
                elif name in _UNWRAPPED:
                    parts.append(text_cell(ref_cell, str(value), plain_style))
                else:
                    parts.append(text_cell(ref_cell, str(value), text_style))
            parts.append("</row>")
            yield "".join(parts)

    need_letters = xs.column_letters(len(need_cols))
    need_wrap = [
        (index, need_widths[index])
        for index, name in enumerate(need_cols)
        if name not in _UNWRAPPED
    ]

    def attention_rows() -> Iterable[str]:
        text_cell, number_cell = xs.text_cell, xs.number_cell
        for number, values in enumerate(need_values, start=2):
            r = str(number)
            parts = [row_open(r, values, need_wrap)]
            for letter, name, value in zip(need_letters, need_cols, values, strict=True):
                if name == "Source row":
                    parts.append(number_cell(letter + r, value, whole_style))
                elif value:
                    parts.append(text_cell(letter + r, str(value), text_style))
            parts.append("</row>")
            yield "".join(parts)

    buffer = io.BytesIO()
    wb.save(buffer)
    xs.stitch(
        buffer.getvalue(),
        target,
        {chron.path[1:]: chronology_rows(), need.path[1:]: attention_rows()},
        {chron.path[1:]: chron_dim, need.path[1:]: need_dim},
    )


def _attention_values(item: Attention, names: Sequence[str]) -> list[Any]:
    values: dict[str, Any] = dict(item.values)
    values[REASON_COLUMN] = item.reason
    values["Agency"] = item.agency
    values[OTHER_COLUMN] = item.others
    values["Source file"] = item.file
    values["Source sheet"] = item.sheet
    values["Source row"] = item.row
    return [values.get(name) for name in names]


def _entry_value(entry: Entry, name: str) -> Any:
    """The value of one chronology column for ``entry`` (any column of the schema)."""
    if name == "Date":
        return entry.date
    if name == "Time":
        return entry.time if entry.time is not None else entry.time_text
    if name == "Agency":
        return entry.agency
    if name == "Source file":
        return entry.file
    if name == "Source sheet":
        return entry.sheet
    if name == "Source row":
        return entry.row
    if name == DUPLICATE_COLUMN:
        return entry.duplicate
    if name == AGE_COLUMN:
        return entry.age
    if name == REF_COLUMN:
        return entry.ref
    return entry.values.get(name)


def _shown(value: Any) -> str:
    """What a chronology cell shows, for sizing its column and row."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return _DATE_SAMPLES[(value.precision, value.approximate)]
    if isinstance(value, dt.time):
        return "00:00"
    if isinstance(value, dt.date):
        return "00/00/0000"
    return str(value)


#: What each date format shows at its widest, to size the Date column.
_DATE_SAMPLES = {
    ("day", False): "00/00/0000",
    ("month", False): "Sep 0000",
    ("year", False): "0000",
    ("day", True): "approx. 00/00/0000",
    ("month", True): "approx. Sep 0000",
    ("year", True): "approx. 0000",
}
#: Columns that hold a number or a date and never wrap.
_UNWRAPPED = {"Date", "Time", "Source row", DUPLICATE_COLUMN, AGE_COLUMN, REF_COLUMN}


def _column_widths(
    schema: Schema, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[float]:
    """Widths fitted to the content: wrapping columns up to the schema's width."""
    from scrtool import workbook_style as ws_style

    longest = [0] * len(headers)
    for row in rows:
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            text = value if isinstance(value, str) else _shown(value)
            if text:
                size = max(len(p) for p in text.split("\n")) if "\n" in text else len(text)
                if size > longest[index]:
                    longest[index] = size
    widths = []
    floors = []
    for index, name in enumerate(headers):
        sample = ["x" * longest[index]] if longest[index] else []
        wrap = name not in _UNWRAPPED
        widths.append(
            ws_style.fit_width(
                sample, header=name, wrap=wrap, minimum=6, maximum=_width(schema, name)
            )
        )
        # A wrapping column may narrow to a readable floor; the others keep their width.
        floors.append(
            min(widths[-1], max(14.0, ws_style.fit_width([], header=name))) if wrap else widths[-1]
        )
    widths = ws_style.fit_to_page(widths, floors)
    return widths


def _write_summary(
    ws: Any,
    entries: Sequence[Entry],
    attention: Sequence[Attention],
    inputs: Sequence[InputSummary],
    *,
    title: str,
    made: dt.date,
    without_return: Sequence[str] = (),
) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.legend import Legend

    from scrtool import workbook_style as house

    summary = summarise(entries, attention)
    bold = house.body_font(bold=True)
    ws.append([title])
    ws["A1"].font = house.body_font(bold=True, size=14)
    notes_rows = [1]
    ws.append(
        [
            f"Made by scrtool on {made.strftime('%d/%m/%Y')} from {len(inputs)} "
            f"return{'s' if len(inputs) != 1 else ''}: {len(entries)} rows in the chronology, "
            f"{len(attention)} needing attention."
        ]
    )
    notes_rows.append(ws.max_row)
    notes = [
        "Every row names the file, sheet and row it came from (Source file, Source sheet, Source row).",
        'Dates that are not an exact day keep the precision the agency gave: "Apr 2023" is a '
        'month, "2021" a year, "approx." an estimate or a period; they sort at the start of that '
        'period, and "Date as written" keeps the agency\'s words.',
        "Rows with the same label in Possible duplicate (D1, D2...) come from different "
        "agencies (or two returns from one agency) and may describe the same event; compare "
        "them. Nothing was removed.",
        "Needs attention lists every row that could not be placed in date order, with the reason.",
        "First, last and the longest gap use exact dates only.",
        "Event ref is the agency's short code and the row the event came from (POL-14); "
        "a second return or sheet from one agency gives POL-14b. References stay the same "
        "when collate runs again with more returns.",
    ]
    if any(e.age for e in entries):
        notes.append(
            "Child's age is worked out from the date of birth in case.toml: 1y 3m from one "
            'year, 14w (weeks) under one year, "before birth" for earlier events, and '
            '"about" when the date is a month, a year or approximate.'
        )
    if without_return:
        notes.append(
            "No return was found for: " + "; ".join(without_return) + " (agencies in case.toml)."
        )
    for line in notes:
        ws.append([line])
        notes_rows.append(ws.max_row)
    ws.append([])
    head = [
        "Agency",
        "Rows in chronology",
        "Rows needing attention",
        "Partial or approximate dates",
        "First date",
        "Last date",
        "Longest gap (days)",
        "Gap from",
        "Gap to",
    ]
    head_row = ws.max_row + 1
    house.style_header(ws, head_row, head)
    for row in (*summary.agencies, summary.total):
        ws.append(
            [
                row.agency,
                row.rows,
                row.needing_attention,
                row.partial_dates,
                row.first,
                row.last,
                row.longest_gap_days,
                row.gap_from,
                row.gap_to,
            ]
        )
        for cell in ws[ws.max_row][4:6] + ws[ws.max_row][7:9]:
            cell.number_format = house.DATE_FORMAT
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.append([])
    returns_row = ws.max_row + 1
    house.style_header(
        ws,
        returns_row,
        ["Return", "Agency", "Sheet", "Rows read", "In chronology", "Needing attention"],
    )
    for item in inputs:
        ws.append(
            [
                item.path.name,
                item.agency,
                item.sheet,
                item.rows,
                item.merged,
                item.needing_attention,
            ]
        )
    table_head = last_row = 0
    names: list[str] = []
    if summary.months and summary.per_month:
        ws.append([])
        ws.append(["Recorded contacts per agency per month (exact dates and months only)"])
        ws[ws.max_row][0].font = bold
        notes_rows.append(ws.max_row)
        names = list(summary.per_month)
        table_head = ws.max_row + 1
        house.style_header(ws, table_head, ["Month", *names])
        for index, month in enumerate(summary.months):
            ws.append([month.strftime("%b %Y"), *(summary.per_month[n][index] for n in names)])
        last_row = ws.max_row
    # Columns fit the tables; the title and notes span the tables' width and wrap.
    house.fit_sheet(ws, skip_rows=notes_rows, maximum=45)
    total = sum(
        ws.column_dimensions[column_letter(i)].width or 9
        for i in range(max(len(head), 1 + len(names)))
    )
    for note_row in notes_rows[1:]:
        cell = ws.cell(row=note_row, column=1)
        cell.alignment = house.wrap_alignment()
        span = column_letter(max(len(head), 1 + len(names)) - 1)
        ws.merge_cells(f"A{note_row}:{span}{note_row}")
        height = house.row_height([(str(cell.value or ""), total * 0.95)])
        if height is not None:
            ws.row_dimensions[note_row].height = height
    ws.row_dimensions[1].height = 20
    for cell in ws[head_row]:
        cell.number_format = "General"
    if not names:
        return
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Recorded contacts per agency per month"
    chart.y_axis.title = "Contacts"
    chart.x_axis.title = "Month"
    chart.height = 12
    chart.width = max(24.0, min(60.0, 0.8 * len(summary.months)))
    data = Reference(ws, min_col=2, max_col=1 + len(names), min_row=table_head, max_row=last_row)
    cats = Reference(ws, min_col=1, min_row=table_head + 1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # Under the chart the legend reads left to right in the table's order; at the side it
    # would list the stack from the top down, the table's order reversed.
    chart.legend = Legend()
    chart.legend.position = "b"
    ws.add_chart(chart, f"A{last_row + 2}")
    # The chart starts a printed page of its own rather than being cut across two.
    from openpyxl.worksheet.pagebreak import Break

    ws.row_breaks.append(Break(id=last_row + 1))
