"""``scrtool requests``: a letter and a blank chronology return for every agency.

The return workbook is built from ``schemas/chronology.toml`` so that what agencies send
back is what ``scrtool collate`` reads: the schema's columns in order, the agency named
above the header (so rows left blank in the Agency column are still theirs), a dropdown
for the agency and the event type, dates checked as they are typed, the heading rows
locked (the rows below are free to fill) and an Instructions sheet that explains every
column. The rows are blank: formats and checks sit on the columns, so a blank return
prints one page. A return filled in from it collates with no row needing attention.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.case import REVIEW_TYPE_NAMES, Agency, Case
from scrtool.dates import format_english
from scrtool.errors import CaseError, TemplateError

LETTER_TEMPLATE = "agency-request.docx"
RETURN_SHEET = "Chronology"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
#: Rows given dropdowns and date checks (the columns' formats reach every row).
RETURN_ROWS = 500
TITLE_ROW = 1
#: "Agency: ..." above the header: collate reads it for rows whose Agency is blank.
AGENCY_ROW = 2
HEADER_ROW = 3
MISSING_DATE = "[date]"


@dataclass(frozen=True)
class ReturnColumn:
    name: str
    type: str
    required: bool
    description: str
    choices: tuple[str, ...]
    width: float | None


def chronology_columns(path: Path | None = None) -> list[ReturnColumn]:
    """The columns a return should have, from ``schemas/chronology.toml``.

    Columns scrtool fills in itself (``fill = ...``) are not asked of agencies.
    """
    from scrtool.settings import load_data

    data = load_data("chronology", path)
    out = []
    for col in data.get("columns", []):
        if col.get("fill"):
            continue
        out.append(
            ReturnColumn(
                name=str(col["name"]),
                type=str(col.get("type", "text")),
                required=bool(col.get("required", False)),
                description=str(col.get("description", "")),
                choices=tuple(str(c) for c in col.get("choices", [])),
                width=float(col["width"]) if "width" in col else None,
            )
        )
    return out


@dataclass(frozen=True)
class RequestPack:
    agency: str
    letter: Path
    workbook: Path


@dataclass(frozen=True)
class RequestsResult:
    packs: tuple[RequestPack, ...]
    kept: tuple[RequestPack, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def outputs(self) -> tuple[Path, ...]:
        return tuple(p for pack in self.packs for p in (pack.letter, pack.workbook))

    def to_json(self) -> dict[str, Any]:
        return {
            "agencies": [
                {"agency": p.agency, "letter": str(p.letter), "workbook": str(p.workbook)}
                for p in self.packs
            ],
            "outputs": [str(p) for p in self.outputs],
            "count": len(self.outputs),
            "kept": [
                {"agency": p.agency, "letter": str(p.letter), "workbook": str(p.workbook)}
                for p in self.kept
            ],
            "notes": list(self.notes),
        }


def _day(case: Case, key: str) -> Any:
    value = case.date(key)
    return value if value is not None else MISSING_DATE


#: Working days an agency gets for its return when ``returns_due`` is unset or past.
DEFAULT_RETURN_WORKING_DAYS = 15


def return_date(case: Case, today: dt.date) -> tuple[dt.date, str | None]:
    """The date a letter made ``today`` asks for the return by, and a note for the officer.

    ``[review] returns_due`` while it is still ahead; else the letter's date plus the
    partnership's working days (``[partnership] return_working_days``, default 15), so a
    letter never asks for something by a day already gone.
    """
    from scrtool.review.timetable import working_days_after

    due = case.date("returns_due")
    if due is not None and due > today:
        return due, None
    days = case.section("partnership").get("return_working_days", DEFAULT_RETURN_WORKING_DAYS)
    days = int(days) if isinstance(days, int) and days > 0 else DEFAULT_RETURN_WORKING_DAYS
    new_due = working_days_after(today, days)
    if due is None:
        return new_due, None
    return new_due, (
        f"{case.file}: returns_due ({format_english(due)}) is already past, so the letters "
        f"ask for the returns by {format_english(new_due)}, {days} working days from "
        f"{format_english(today)}; set returns_due to the new date if that is what you want "
        "the timetable to show."
    )


def letter_context(
    case: Case, agency: Agency, *, return_file: str, today: dt.date
) -> dict[str, Any]:
    """The variables templates/agency-request.docx uses (``_notes``: for the officer)."""
    from scrtool.drafting.letters import signer

    notes: list[str] = []
    due, note = return_date(case, today)
    if note:
        notes.append(note)
    return {
        "ref": case.ref,
        "partnership": case.partnership or "[partnership]",
        "child": case.child or "Child A",
        "review_type_name": REVIEW_TYPE_NAMES.get(case.type, case.type),
        "agency": agency.name,
        "contact": agency.contact or "Safeguarding lead",
        "email": agency.email or "",
        "address": agency.address or "",
        "scope_from": _day(case, "scope_from"),
        "scope_to": _day(case, "scope_to"),
        "returns_due": due,
        "sent_on": today,
        "return_file": return_file,
        **signer(case, notes),
        "_notes": notes,
    }


def _text_date(value: Any) -> str:
    return format_english(value) if isinstance(value, dt.date) else str(value)


def build_return_workbook(
    path: Path,
    *,
    case: Case,
    agency: str,
    columns: Sequence[ReturnColumn] | None = None,
    rows: int = RETURN_ROWS,
    returns_due: dt.date | None = None,
) -> None:
    """Write a blank chronology return for ``agency`` to ``path`` (not atomic by itself)."""
    from openpyxl import Workbook
    from openpyxl.styles import Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from scrtool import workbook_style as house

    columns = list(columns or chronology_columns())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = RETURN_SHEET
    title = (
        f"Review {case.ref}: chronology return from {agency}. Read the Instructions sheet first."
    )
    sheet.cell(row=TITLE_ROW, column=1, value=title).font = house.body_font(bold=True, size=12)
    sheet.cell(row=AGENCY_ROW, column=1, value=f"Agency: {agency}").font = house.body_font(
        bold=True
    )
    first, last = HEADER_ROW + 1, HEADER_ROW + rows
    unlocked = Protection(locked=False)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_col = 0

    def list_range(name: str, values: Sequence[str]) -> str:
        nonlocal list_col
        list_col += 1
        list_letter = get_column_letter(list_col)
        lists.cell(row=1, column=list_col, value=name)
        for i, value in enumerate(values, start=2):
            lists.cell(row=i, column=list_col, value=value)
        return f"={LISTS_SHEET}!${list_letter}$2:${list_letter}${len(values) + 1}"

    house.style_header(sheet, HEADER_ROW, [c.name for c in columns])
    widths = []
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        width = max(
            column.width or (14 if column.type in ("date", "time") else 30),
            house.fit_width([], header=column.name),
        )
        widths.append(width)
        # Formats, wrapping and the unlocked state belong to the column, not to empty
        # cells: the sheet stays blank (one printed page) and every row typed in gets them.
        dimension = sheet.column_dimensions[letter]
        dimension.width = width
        dimension.protection = unlocked
        dimension.font = house.body_font()
        if column.type == "date":
            dimension.number_format = house.DATE_FORMAT
        elif column.type == "time":
            dimension.number_format = house.TIME_FORMAT
        else:
            dimension.alignment = house.wrap_alignment()
        cells = f"{letter}{first}:{letter}{last}"
        dv: DataValidation | None = None
        if column.name == "Agency":
            dv = DataValidation(
                type="list",
                formula1=list_range(column.name, [agency]),
                allow_blank=True,
                errorStyle="warning",
                error=f"This return is from {agency}. Keep another name only if the row is theirs.",
                errorTitle=column.name,
                prompt=f"Leave blank or choose {agency}: rows left blank are read as {agency}."[
                    :255
                ],
                promptTitle=column.name,
            )
        elif column.type == "date":
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1990,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
                errorStyle="warning",
                error="This is not a date. Write the date day first, such as 31/03/2026.",
                errorTitle=column.name,
                prompt="The date, day first: 31/03/2026.",
                promptTitle=column.name,
            )
        elif column.type == "time":
            dv = DataValidation(
                type="time",
                operator="between",
                formula1="0",
                formula2="0.999988425925926",
                allow_blank=True,
                errorStyle="warning",
                error="This is not a time. Write it as 14:30, or leave it blank.",
                errorTitle=column.name,
                prompt="The time if known, such as 14:30.",
                promptTitle=column.name,
            )
        elif column.type == "choice" and column.choices:
            dv = DataValidation(
                type="list",
                formula1=list_range(column.name, column.choices),
                allow_blank=True,
                errorStyle="stop",
                error="Choose one from the list (use Other and say more in Details).",
                errorTitle=column.name,
                prompt="Choose from the list.",
                promptTitle=column.name,
            )
        if dv is not None:
            dv.showErrorMessage = True
            dv.showInputMessage = True
            dv.add(cells)
            sheet.add_data_validation(dv)
    for row in (TITLE_ROW, AGENCY_ROW, HEADER_ROW):
        for index in range(1, len(columns) + 1):
            sheet.cell(row=row, column=index).protection = Protection(locked=True)
    height = house.header_height([c.name for c in columns], widths)
    if height is not None:
        sheet.row_dimensions[HEADER_ROW].height = height
    house.data_sheet(
        sheet,
        ref=f"{case.ref}: chronology return from {agency}",
        header_row=HEADER_ROW,
        columns=len(columns),
        last_row=last,
        autofilter=False,
    )
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False
    protection.insertRows = False
    protection.deleteRows = False
    protection.sort = False
    protection.autoFilter = False
    _instructions(
        book.create_sheet(INSTRUCTIONS_SHEET, 1),
        case=case,
        agency=agency,
        columns=columns,
        returns_due=returns_due,
    )
    book.active = 0
    props = book.properties
    props.title = f"{case.ref} chronology return: {agency}"
    props.subject = f"Review {case.ref}"
    props.creator = case.partnership or ""
    props.lastModifiedBy = ""
    book.save(path)


def _instructions(
    sheet: Any,
    *,
    case: Case,
    agency: str,
    columns: Sequence[ReturnColumn],
    returns_due: dt.date | None = None,
) -> None:
    from scrtool import workbook_style as house

    wrap = house.wrap_alignment()
    bold = house.body_font(bold=True)
    plain = house.body_font()
    lines: list[tuple[str, str]] = [
        ("Review", f"{case.ref} ({case.child or 'Child A'})"),
        ("Agency", agency),
        (
            "Period to cover",
            f"{_text_date(_day(case, 'scope_from'))} to {_text_date(_day(case, 'scope_to'))}",
        ),
        ("Please return by", _text_date(returns_due or _day(case, "returns_due"))),
    ]
    sheet.cell(
        row=1, column=1, value="How to fill in this chronology return"
    ).font = house.body_font(bold=True, size=14)
    row = 3
    for label, value in lines:
        sheet.cell(row=row, column=1, value=label).font = bold
        sheet.cell(row=row, column=2, value=value).alignment = wrap
        row += 1
    row += 1
    steps = [
        "Use the Chronology sheet. Add one row for each contact your agency had with the child or the family.",
        "Write dates day first, such as 31/03/2026. If you do not know the exact day, write what you know and say so in Details.",
        "Choose the Event type from the list. If none fits, choose Other and say more in Details.",
        "Do not change the headings, rename the sheets or add columns: scrtool reads them by name.",
        "Do not put a password on the workbook. Send it back by secure email.",
    ]
    sheet.cell(row=row, column=1, value="Steps").font = bold
    for number, step in enumerate(steps, start=1):
        sheet.cell(row=row, column=2, value=f"{number}. {step}").alignment = wrap
        row += 1
    row += 1
    house.style_header(sheet, row, ("Column", "What to write", "Must it be filled in?", "Choices"))
    row += 1
    for column in columns:
        sheet.cell(row=row, column=1, value=column.name).font = bold
        sheet.cell(row=row, column=2, value=column.description).alignment = wrap
        needed = "Yes" if column.required else "No"
        if column.name == "Agency":
            needed = "No: a blank is read as this agency"
        sheet.cell(row=row, column=3, value=needed).alignment = wrap
        sheet.cell(row=row, column=4, value=", ".join(column.choices)).alignment = wrap
        row += 1
    widths = {1: 22.0, 2: 60.0, 3: 18.0, 4: 40.0}
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if cell.value is not None and cell.font is not None and not cell.font.b:
                cell.font = plain
            if cell.value is not None and cell.column in widths:
                cell.alignment = wrap
    for number, width in widths.items():
        sheet.column_dimensions[chr(64 + number)].width = width
    house.fit_rows(sheet, widths, first_row=2)
    house.print_setup(sheet, ref=f"{case.ref}: chronology return from {agency}", header_row=None)


def _file_names(agencies: Sequence[Agency]) -> list[tuple[str, str]]:
    from scrtool.drafting.templates import safe_file_name

    out = []
    seen: dict[str, str] = {}
    for agency in agencies:
        letter = safe_file_name(f"{agency.name} request.docx", suffix=".docx")
        workbook = safe_file_name(f"{agency.name} chronology return.xlsx", suffix=".xlsx")
        key = unicodedata.normalize("NFC", letter).casefold()
        if key in seen:
            raise CaseError(
                f'the agencies "{seen[key]}" and "{agency.name}" would get files with the same name ({letter})',
                advice="give the agencies names that differ in case.toml and run the command again",
            )
        seen[key] = agency.name
        out.append((letter, workbook))
    return out


def make_requests(
    case: Case, *, today: dt.date | None = None, replace: bool = False
) -> RequestsResult:
    """Write requests/<agency> request.docx and requests/<agency> chronology return.xlsx.

    An agency whose letter or workbook is already in requests/ keeps it (it may have
    been edited or sent) unless ``replace``: adding an agency to case.toml and running
    again makes only the new agency's pack.
    """
    from scrtool.drafting.report import case_template
    from scrtool.drafting.templates import LoadedTemplate
    from scrtool.outputs import write_all_atomic

    agencies = case.agencies
    if not agencies:
        raise CaseError(
            "lists no agencies",
            file=case.file,
            advice="add an [[agencies]] block for each agency (name, contact, email) and run scrtool requests again",
        )
    today = today or dt.date.today()
    loaded = LoadedTemplate(case_template(case, LETTER_TEMPLATE))
    columns = chronology_columns()
    folder = case.folder("requests")
    jobs: list[tuple[Path, Any]] = []
    packs = []
    kept = []
    notes: list[str] = []
    for agency, (letter_name, workbook_name) in zip(agencies, _file_names(agencies), strict=True):
        if not replace and ((folder / letter_name).exists() or (folder / workbook_name).exists()):
            kept.append(
                RequestPack(
                    agency=agency.name, letter=folder / letter_name, workbook=folder / workbook_name
                )
            )
            continue
        context = letter_context(case, agency, return_file=workbook_name, today=today)
        notes.extend(n for n in context.pop("_notes") if n not in notes)
        missing = loaded.missing(context)
        if missing:
            quoted = ", ".join(f'"{m}"' for m in missing)
            raise TemplateError(
                f"{loaded.path} uses {quoted}, which scrtool requests does not provide",
                advice="remove those tags (see docs/requests.md for the variables), and try again",
            )
        letter, workbook = folder / letter_name, folder / workbook_name
        jobs.append((letter, _letter_writer(loaded, context)))
        jobs.append(
            (workbook, _workbook_writer(case, agency.name, columns, context["returns_due"]))
        )
        packs.append(RequestPack(agency=agency.name, letter=letter, workbook=workbook))
    write_all_atomic(jobs)
    return RequestsResult(packs=tuple(packs), kept=tuple(kept), notes=tuple(notes))


def _letter_writer(loaded: Any, context: dict[str, Any]) -> Any:
    def write(path: Path) -> None:
        from scrtool.drafting.finish import mark_placeholders

        loaded.render(context, path)
        mark_placeholders(path)

    return write


def _workbook_writer(
    case: Case, agency: str, columns: Sequence[ReturnColumn], returns_due: dt.date
) -> Any:
    def write(path: Path) -> None:
        build_return_workbook(
            path, case=case, agency=agency, columns=columns, returns_due=returns_due
        )

    return write
