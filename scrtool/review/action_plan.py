"""The action plan workbook: made by ``scrtool new``, read back by ``scrtool report``.

Its columns, aliases and statuses come from ``schemas/action-plan.toml`` so a partnership
can change them without touching code. The workbook offers dropdowns (status, lead
agency) and checks dates as they are typed, because a plan kept in Excel for months
drifts unless the sheet itself keeps entries tidy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.dates import parse_date
from scrtool.errors import DataError
from scrtool.outputs import write_atomic
from scrtool.resources import schema_path
from scrtool.settings import header_key

ACTION_PLAN_FILE = "action-plan.xlsx"
LISTS_SHEET = "Lists"
#: Rows given dropdowns and date checks (Excel extends them when rows are inserted).
VALIDATED_ROWS = 500
#: Room on the Lists sheet for agencies the user adds.
AGENCY_LIST_ROWS = 100


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionPlanSchema:
    sheet: str
    columns: tuple[Column, ...]
    statuses: tuple[str, ...]
    complete_statuses: tuple[str, ...]
    closed_statuses: tuple[str, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def load_schema(path: Path | None = None) -> ActionPlanSchema:
    """Read ``schemas/action-plan.toml`` (or another file in its shape)."""
    from scrtool.settings import load_data

    path = Path(path) if path is not None else schema_path("action-plan.toml")
    data = load_data("action-plan", path)
    columns = tuple(
        Column(
            name=str(c["name"]),
            type=str(c.get("type", "text")),
            required=bool(c.get("required", False)),
            aliases=tuple(str(a) for a in c.get("aliases", [c["name"]])),
        )
        for c in data.get("columns", [])
    )
    if not columns:
        raise DataError(
            "defines no columns", file=path, advice="add [[columns]] blocks and try again"
        )
    return ActionPlanSchema(
        sheet=str(data.get("sheet", "Action plan")),
        columns=columns,
        statuses=tuple(str(s) for s in data.get("statuses", [])),
        complete_statuses=tuple(str(s) for s in data.get("complete_statuses", [])),
        closed_statuses=tuple(str(s) for s in data.get("closed_statuses", [])),
    )


# --------------------------------------------------------------------------------------
# Making the workbook

_WIDTHS = {"text": 34, "agency": 28, "date": 14, "status": 16}


def build_action_plan(
    path: Path,
    *,
    agencies: Sequence[str] = (),
    schema: ActionPlanSchema | None = None,
    ref: str = "",
) -> None:
    """Write an empty action plan to ``path`` (not atomic: see ``write_action_plan``)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from scrtool import workbook_style as house

    schema = schema or load_schema()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = schema.sheet[:31]
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    lists["A1"] = "Status"
    lists["B1"] = "Lead agency"
    for i, status in enumerate(schema.statuses, start=2):
        lists.cell(row=i, column=1, value=status)
    for i, agency in enumerate(agencies, start=2):
        lists.cell(row=i, column=2, value=agency)
    lists.column_dimensions["A"].width = 18
    lists.column_dimensions["B"].width = 40

    last = VALIDATED_ROWS + 1
    names = [column.name for column in schema.columns]
    house.style_header(sheet, 1, names)
    widths = []
    for index, column in enumerate(schema.columns, start=1):
        letter = get_column_letter(index)
        # Room to type in, and never narrower than the heading's longest word.
        width = max(_WIDTHS.get(column.type, 24), house.fit_width([], header=column.name))
        widths.append(width)
        sheet.column_dimensions[letter].width = width
        cells = f"{letter}2:{letter}{last}"
        if column.type == "status" and schema.statuses:
            end = len(schema.statuses) + 1
            dv = DataValidation(
                type="list",
                formula1=f"={LISTS_SHEET}!$A$2:$A${end}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Status",
                error="Choose a status from the list.",
                promptTitle="Status",
                prompt="Choose from the list: " + ", ".join(schema.statuses),
                showInputMessage=True,
            )
            dv.add(cells)
            sheet.add_data_validation(dv)
        elif column.type == "agency":
            end = 1 + max(len(agencies), 0) + AGENCY_LIST_ROWS
            dv = DataValidation(
                type="list",
                formula1=f"={LISTS_SHEET}!$B$2:$B${end}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle="Lead agency",
                error="This agency is not on the list. Keep it, or choose one from the list.",
                promptTitle="Lead agency",
                prompt="Choose the agency that leads this action (the list is on the hidden Lists sheet).",
                showInputMessage=True,
            )
            dv.add(cells)
            sheet.add_data_validation(dv)
        elif column.type == "date":
            dv = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="DATE(2000,1,1)",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.name,
                error="Type a date, day first, such as 31/03/2026.",
                promptTitle=column.name,
                prompt="A date, day first: 31/03/2026.",
                showInputMessage=True,
            )
            dv.add(cells)
            sheet.add_data_validation(dv)
    # Formats and wrapping are set on the columns, not on 500 empty cells: a blank
    # plan then prints one page, and rows typed in later pick the formats up.
    for index, column in enumerate(schema.columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        if column.type == "date":
            dimension.number_format = house.DATE_FORMAT
        dimension.alignment = house.wrap_alignment()
        dimension.font = house.body_font()
    height = house.header_height(names, widths)
    if height is not None:
        sheet.row_dimensions[1].height = height
    house.data_sheet(
        sheet, ref=ref or "Action plan", header_row=1, columns=len(names), last_row=last
    )
    book.properties.title = f"{ref} action plan".strip()
    book.save(path)


def write_action_plan(
    path: str | Path,
    *,
    agencies: Sequence[str] = (),
    schema: ActionPlanSchema | None = None,
    ref: str = "",
) -> Path:
    """Write an empty action plan workbook atomically."""
    return write_atomic(
        Path(path), lambda p: build_action_plan(p, agencies=agencies, schema=schema, ref=ref)
    )


# --------------------------------------------------------------------------------------
# Reading it back


_key = header_key


@dataclass(frozen=True)
class Action:
    """One row of the plan, by the schema's column names (``values``), with its row number."""

    row: int
    values: Mapping[str, Any]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else str(value).strip()


def _cell_value(value: Any, column: Column) -> Any:
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        return None
    if column.type == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    return str(value)


def read_action_plan(
    path: str | Path,
    *,
    schema: ActionPlanSchema | None = None,
    sheet_name: str | None = None,
    header_row: int | None = None,
) -> list[Action]:
    """The plan's rows (blank rows skipped), matching headers by name or alias.

    ``sheet_name`` and ``header_row`` (as Excel numbers it) pin the sheet and heading row
    that ``scrtool.review.actions`` found, so that the two readers see the same rows.
    """
    from scrtool.readers.spreadsheets import Workbook

    schema = schema or load_schema()
    path = Path(path)
    wanted = sheet_name or schema.sheet
    with Workbook(path) as book:
        visible = [s for s in book.sheets if s.visible and s.name != LISTS_SHEET]
        sheet = next((s for s in book.sheets if s.name == wanted), None) or (
            visible[0] if visible else None
        )
        if sheet is None:
            raise DataError("has no sheet for the action plan", file=path)
        rows = book.rows(sheet)
    aliases = {_key(a): c for c in schema.columns for a in (c.name, *c.aliases)}
    best: tuple[int, dict[int, Column]] | None = None
    search = range(header_row - 1, header_row) if header_row else range(min(15, len(rows)))
    for index in search:
        row = rows[index] if index < len(rows) else []
        found: dict[int, Column] = {}
        for col, cell in enumerate(row):
            column = aliases.get(_key(cell))
            if column is not None and column not in found.values():
                found[col] = column
        if found and (best is None or len(found) > len(best[1])):
            best = (index, found)
    if best is None:
        raise DataError(
            "has no heading row scrtool recognises (such as Action, Lead agency, Status)",
            file=path,
            place=f'sheet "{sheet.name}"',
            advice="put the column headings in the first row and try again",
        )
    header_index, columns = best
    out = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = {
            column.name: _cell_value(row[col] if col < len(row) else None, column)
            for col, column in columns.items()
        }
        if all(v is None for v in values.values()):
            continue
        out.append(Action(row=index + 1, values=values))
    return out
