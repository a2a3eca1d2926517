"""Writing the merged chronology workbook: Chronology, Needs attention and Summary."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.readers.spreadsheets import (
    column_letter,
)

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass

if TYPE_CHECKING:
    pass
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
) -> None:
    """Write the three sheets; the big ones are streamed (see ``scrtool.chronology.xlsxstream``)."""
    import io

    from openpyxl import Workbook as XLWorkbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    from scrtool.chronology import xlsxstream as xs

    made = made or dt.date.today()
    wb = XLWorkbook()
    wb.properties.creator = "scrtool"
    wb.properties.title = title
    chron = wb.active
    assert chron is not None
    chron.title = SHEETS[0]
    need = wb.create_sheet(SHEETS[1])
    summary_ws = wb.create_sheet(SHEETS[2])

    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="1F4E78")
    head_align = Alignment(wrap_text=True, vertical="top")

    def style(number_format: str = "General", wrap: bool = False, bold: bool = False) -> int:
        cell = WriteOnlyCell(chron)
        cell.number_format = number_format
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        if bold:
            cell.font = Font(bold=True)
        return int(cell.style_id)

    date_styles = {key: style(fmt) for key, fmt in _DATE_FORMATS.items()}
    time_style = style("hh:mm")
    text_style = style(wrap=True)
    plain_style = style()
    whole_style = style("0")
    header_cols = chronology_headers(schema, child_age=child_age)
    need_cols = attention_headers(schema)

    def lay_out(ws: Any, headers: Sequence[str], rows: int, name: str) -> str:
        ws.append(headers)
        for index, cell in enumerate(ws[1]):
            cell.font = head_font
            cell.fill = head_fill
            cell.alignment = head_align
            ws.column_dimensions[column_letter(index)].width = _width(schema, headers[index])
        ws.freeze_panes = "A2"
        last = column_letter(len(headers) - 1)
        ref = f"A1:{last}{max(rows, 1) + 1}"
        table = Table(
            displayName=name,
            ref=ref,
            tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True),
            autoFilter=AutoFilter(ref=ref),
        )
        table.tableColumns = [TableColumn(id=i + 1, name=h) for i, h in enumerate(headers)]
        ws.add_table(table)
        return f"A1:{last}{max(rows, 1) + 1}"

    chron_dim = lay_out(chron, header_cols, len(entries), "Chronology")
    need_dim = lay_out(need, need_cols, len(attention), "NeedsAttention")
    _write_summary(
        summary_ws,
        entries,
        attention,
        inputs,
        title=title,
        made=made,
        without_return=without_return,
    )
    chron.sheet_view.zoomScale = 90

    letters = xs.column_letters(len(header_cols))
    extras = [c for c in schema.extras]
    text_names = ["Agency", "Source", "Event type", "Details", "Action taken"]
    ref_at = header_cols.index(REF_COLUMN)

    def chronology_rows() -> Iterable[str]:
        text_cell, number_cell, serial = xs.text_cell, xs.number_cell, xs.excel_serial
        time_value = xs.excel_time
        for number, entry in enumerate(entries, start=2):
            r = str(number)
            date = entry.date
            parts = [
                f'<row r="{r}">',
                number_cell(
                    "A" + r, serial(date.start), date_styles[(date.precision, date.approximate)]
                ),
            ]
            if entry.time is not None:
                parts.append(number_cell("B" + r, time_value(entry.time), time_style))
            elif entry.time_text:
                parts.append(text_cell("B" + r, entry.time_text, text_style))
            values = entry.values
            parts.append(text_cell("C" + r, entry.agency, text_style))
            for letter, name in zip("DEFG", text_names[1:], strict=True):
                value = values.get(name)
                if value:
                    parts.append(text_cell(letter + r, value, text_style))
            parts.append(text_cell("H" + r, entry.file, text_style))
            if entry.sheet:
                parts.append(text_cell("I" + r, entry.sheet, text_style))
            parts.append(number_cell("J" + r, entry.row, whole_style))
            if child_age and entry.age:
                parts.append(text_cell("K" + r, entry.age, plain_style))
            if entry.ref:
                parts.append(text_cell(letters[ref_at] + r, entry.ref, plain_style))
            for offset, column in enumerate(extras):
                value = values.get(column.name)
                if value is None or value == "":
                    continue
                ref = letters[ref_at + 1 + offset] + r
                if isinstance(value, dt.date):
                    parts.append(number_cell(ref, serial(value), date_styles[("day", False)]))
                elif isinstance(value, dt.time):
                    parts.append(number_cell(ref, time_value(value), time_style))
                else:
                    parts.append(text_cell(ref, str(value), text_style))
            if entry.duplicate:
                parts.append(text_cell(letters[-1] + r, entry.duplicate, plain_style))
            parts.append("</row>")
            yield "".join(parts)

    need_letters = xs.column_letters(len(need_cols))

    def attention_rows() -> Iterable[str]:
        text_cell, number_cell = xs.text_cell, xs.number_cell
        for number, item in enumerate(attention, start=2):
            r = str(number)
            parts = [f'<row r="{r}">']
            values = dict(item.values)
            values[REASON_COLUMN] = item.reason
            values["Agency"] = item.agency
            values[OTHER_COLUMN] = item.others
            values["Source file"] = item.file
            values["Source sheet"] = item.sheet
            for letter, name in zip(need_letters, need_cols, strict=True):
                if name == "Source row":
                    parts.append(number_cell(letter + r, item.row, whole_style))
                    continue
                value = values.get(name)
                if value:
                    parts.append(text_cell(letter + r, value, text_style))
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
    from openpyxl.styles import Alignment, Font

    summary = summarise(entries, attention)
    bold = Font(bold=True)
    ws.column_dimensions["A"].width = 36
    for letter in "BCDEFGHI":
        ws.column_dimensions[letter].width = 14
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"Made by scrtool on {made.strftime('%d/%m/%Y')} from {len(inputs)} "
            f"return{'s' if len(inputs) != 1 else ''}: {len(entries)} rows in the chronology, "
            f"{len(attention)} needing attention."
        ]
    )
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
    ws.append(head)
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
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
            cell.number_format = "dd/mm/yyyy"
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.append([])
    ws.append(["Return", "Agency", "Sheet", "Rows read", "In chronology", "Needing attention"])
    for cell in ws[ws.max_row]:
        cell.font = bold
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
    if not summary.months or not summary.per_month:
        return
    ws.append([])
    ws.append(["Recorded contacts per agency per month (exact dates and months only)"])
    ws[ws.max_row][0].font = bold
    names = list(summary.per_month)
    ws.append(["Month", *names])
    table_head = ws.max_row
    for cell in ws[table_head]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, month in enumerate(summary.months):
        ws.append([month.strftime("%b %Y"), *(summary.per_month[n][index] for n in names)])
    last_row = ws.max_row
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Recorded contacts per agency per month"
    chart.y_axis.title = "Contacts"
    chart.x_axis.title = "Month"
    chart.height = 10
    chart.width = max(18.0, min(60.0, 0.6 * len(summary.months)))
    data = Reference(ws, min_col=2, max_col=1 + len(names), min_row=table_head, max_row=last_row)
    cats = Reference(ws, min_col=1, min_row=table_head + 1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    ws.add_chart(chart, f"K{head_row}")
