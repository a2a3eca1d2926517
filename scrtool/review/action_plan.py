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
from functools import lru_cache
from pathlib import Path
from typing import Any

from scrtool.dates import parse_date
from scrtool.errors import DataError, InputError, Reason, UnreadableInputError
from scrtool.outputs import write_atomic
from scrtool.resources import schema_path
from scrtool.settings import header_key, header_ranks

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
# Reading it back: the one reader of the plan (``scrtool actions`` judges its rows,
# ``scrtool report`` writes them into the response)

#: How far down the heading row may be (a title block above the table is common).
HEADER_SEARCH_ROWS = 20


#: Case, spaces and punctuation do not matter: "Due date:" == "DUE-DATE" == "due date".
normalise_header = header_key


@lru_cache(maxsize=8)
def _ranks(schema: ActionPlanSchema) -> dict[str, list[tuple[int, str]]]:
    return header_ranks((c.name, c.aliases) for c in schema.columns)


def find_header(
    rows: Sequence[Sequence[Any]], schema: ActionPlanSchema
) -> tuple[int, dict[str, int]] | None:
    """(row index, column name -> cell index) of the row that names the most columns.

    When two headings could be one column ("RAG" and "Status"), the column's own name
    wins over an alias, and an alias listed earlier over one listed later.
    """
    ranks = _ranks(schema)
    wanted = len(schema.columns)
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidates: list[tuple[int, int, str]] = []
        for col, cell in enumerate(row):
            if not isinstance(cell, str):
                continue  # a heading is text; dates and numbers are data
            for rank, name in ranks.get(normalise_header(cell), ()):
                candidates.append((rank, col, name))
        found: dict[str, int] = {}
        used: set[int] = set()
        for _rank, col, name in sorted(candidates):
            if name not in found and col not in used:
                found[name] = col
                used.add(col)
        if found and (best is None or len(found) > len(best[1])):
            best = (index, found)
            if len(found) == wanted:
                break
    return best


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


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


@dataclass(frozen=True)
class PlanRow:
    """One row below the heading: its cells as the sheet holds them (a lead agency merged
    down over several rows is in each), and ``values`` by the schema's column names."""

    row: int  # as Excel numbers it
    cells: tuple[Any, ...]
    values: Mapping[str, Any]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class PlanSheet:
    """The plan as read: which sheet, where its headings are, and every non-blank row."""

    file: Path
    sheet: str
    header_row: int  # as Excel numbers it
    columns: Mapping[str, int]  # column name -> cell index
    rows: tuple[PlanRow, ...]


def read_plan(path: str | Path, *, schema: ActionPlanSchema | None = None) -> PlanSheet:
    """Read the action plan: the first visible sheet (the schema's own sheet first) whose
    heading row, in its first rows, names every required column."""
    from scrtool.readers.spreadsheets import Workbook

    path = Path(path)
    schema = schema or load_schema()
    if not path.exists():
        raise UnreadableInputError(
            "does not exist",
            file=path,
            advice="make the action plan with scrtool new, or name the workbook with --plan",
            reason=Reason.MISSING,
        )
    try:
        opened = Workbook(path)
    except UnreadableInputError as exc:
        if "agency" not in exc.advice:
            raise
        advice = "open it in Excel, save it as an Excel Workbook (.xlsx), then run again"
        if exc.reason is Reason.ENCRYPTED:
            advice = (
                "open it in Excel, remove the password (File, Info, Protect Workbook, "
                "Encrypt with Password, and clear the password), save it, then run again"
            )
        raise UnreadableInputError(
            exc.problem, file=exc.file, place=exc.place, advice=advice
        ) from None
    required = [c.name for c in schema.columns if c.required]
    with opened as book:
        visible = [s for s in book.sheets if s.visible] or list(book.sheets)
        named = [s for s in visible if s.name.casefold() == schema.sheet.casefold()]
        candidates = named + [s for s in visible if s not in named]
        found = None
        for sheet in candidates:
            # A lead agency or finding merged down over several actions applies to each.
            rows = book.rows(sheet, fill_merged=True)
            header = find_header(rows, schema)
            if header and all(name in header[1] for name in required):
                found = (sheet, rows, header)
                break
        if found is None:
            first = candidates[0] if candidates else None
            if first is None:
                raise InputError("has no sheets", file=path, advice="check it is the action plan")
            header = find_header(book.rows(first), schema)
            have = header[1] if header else {}
            missing = [name for name in required if name not in have]
            raise InputError(
                "has no header row naming the columns "
                + ", ".join(f'"{m}"' for m in missing)
                + f' in its first {HEADER_SEARCH_ROWS} rows (looked on sheet "{first.name}" and'
                " every other visible sheet)",
                file=path,
                advice="add those headings above the actions (see schemas/action-plan.toml for the names and aliases), then run again",
            )
    sheet, rows, (header_index, columns) = found
    by_name = {c.name: c for c in schema.columns}
    out = []
    for index in range(header_index + 1, len(rows)):
        cells = tuple(rows[index])
        if all(_blank(c) for c in cells):
            continue
        values = {
            name: _cell_value(cells[col] if col < len(cells) else None, by_name[name])
            for name, col in columns.items()
        }
        out.append(PlanRow(row=index + 1, cells=cells, values=values))
    return PlanSheet(
        file=path, sheet=sheet.name, header_row=header_index + 1, columns=columns, rows=tuple(out)
    )


def read_action_plan(path: str | Path, *, schema: ActionPlanSchema | None = None) -> list[PlanRow]:
    """The plan's rows with a value in one of the schema's columns, by column name."""
    plan = read_plan(path, schema=schema)
    return [r for r in plan.rows if any(v is not None for v in r.values.values())]
