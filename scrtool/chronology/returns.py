"""Reading one agency's return: finding its header, then each row's date, time and values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.chronology.xlsxstream import clean_text
from scrtool.dates import (
    PartialDate,
    from_excel_serial,
    parse_partial_date,
    parse_time,
    split_date_time,
    time_from_fraction,
)
from scrtool.errors import (
    DataError,
    Reason,
    UnreadableInputError,
)
from scrtool.readers.spreadsheets import (
    CellError,
    Workbook,
    cell_text,
    column_letter,
)

if TYPE_CHECKING:
    from scrtool.case import Case
from scrtool.chronology.header import (  # noqa: E402  (re-exported: tests and word.py use them)
    Header,
    _quoted,
    find_header,
    looks_like_chronology,
)
from scrtool.chronology.header import _likely_headers as _likely_headers  # noqa: E402
from scrtool.chronology.schema import (
    _SERIAL_MAX,
    _SERIAL_MIN,
    _SERIAL_TEXT,
    EARLIEST,
    FILL_BEFORE_SCOPE,
    FILL_DATE_AS_WRITTEN,
    LATEST,
    Schema,
    header_key,
    load_schema,
)

# --- Reading one cell ---------------------------------------------------------------------


def read_date(value: Any, *, date1904: bool = False) -> tuple[PartialDate, dt.time | None]:
    """The date in a Date cell, and its time when the cell holds one; ``ValueError`` says why not."""
    if isinstance(value, CellError):
        raise ValueError(f"the Date cell holds {value.describe()}, not a date")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("the Date cell is empty")
    time: dt.time | None = None
    if isinstance(value, bool):
        raise ValueError(f'the Date cell holds "{cell_text(value)}", not a date')
    if isinstance(value, dt.datetime):
        day = PartialDate(value.date(), "day", False, "")
        if value.time() != dt.time(0):
            time = value.time().replace(microsecond=0)
    elif isinstance(value, dt.date):
        day = PartialDate(value, "day", False, "")
    elif isinstance(value, dt.time):
        raise ValueError(f"the Date cell holds the time {value.strftime('%H:%M')}, not a date")
    elif isinstance(value, dt.timedelta):
        raise ValueError(f'the Date cell holds a length of time ("{value}"), not a date')
    elif isinstance(value, (int, float)):
        day, time = _serial_date(float(value), date1904)
    else:
        text = str(value).strip()
        if _SERIAL_TEXT.match(text):
            day, time = _serial_date(float(text), date1904)
        else:
            date_text, time_text = split_date_time(text)
            if time_text is not None:
                try:
                    time = parse_time(time_text)
                except ValueError:
                    date_text, time = text, None
            try:
                day = parse_partial_date(date_text)
            except ValueError as exc:
                reason = str(exc)
                if reason.startswith("it is not a date"):
                    raise ValueError(
                        f'"{text}" is not a date scrtool can read (write it as 31/03/2026)'
                    ) from None
                raise ValueError(f'"{text}" is not a real date: {reason}') from None
            day = dataclasses.replace(day, written=text)
    if not EARLIEST <= day.start <= LATEST:
        shown = day.written or day.start.strftime("%d/%m/%Y")
        raise ValueError(
            f'"{shown}" is not a date a chronology can hold (the year is {day.start.year})'
        )
    return day, time


def _serial_date(number: float, date1904: bool) -> tuple[PartialDate, dt.time | None]:
    shown = cell_text(number)
    if number.is_integer() and 1900 <= number <= 2100:
        # A year typed into a General cell, not a day in 1905.
        return PartialDate(dt.date(int(number), 1, 1), "year", False, shown), None
    if not _SERIAL_MIN <= number <= _SERIAL_MAX:
        raise ValueError(f"the Date cell holds the number {shown}, not a date")
    stamp = from_excel_serial(number, date1904=date1904)
    time = time_from_fraction(number) if not number.is_integer() else None
    if time == dt.time(0):
        time = None
    return PartialDate(stamp.date(), "day", False, ""), time


def read_time(value: Any) -> tuple[dt.time | None, str]:
    """A Time cell as a time, or (None, the text as written) when it is not one."""
    if value is None:
        return None, ""
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0), ""
    if isinstance(value, dt.time):
        return value.replace(microsecond=0), ""
    if isinstance(value, dt.timedelta) and dt.timedelta(0) <= value < dt.timedelta(days=1):
        return time_from_fraction(value.total_seconds() / 86400), ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        return time_from_fraction(float(value)), ""
    text = clean_text(cell_text(value))
    if not text:
        return None, ""
    try:
        return parse_time(text), ""
    except ValueError:
        return None, text


# --- Reading one return -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One dated row of the merged chronology, with where it came from."""

    date: PartialDate
    time: dt.time | None
    time_text: str
    agency: str
    values: Mapping[str, Any]
    file: str
    sheet: str
    row: int
    order: int
    duplicate: str = ""
    sheet_order: int = 0
    ref: str = ""
    age: str = ""

    @property
    def time_label(self) -> str:
        return self.time.strftime("%H:%M") if self.time is not None else self.time_text


@dataclass(frozen=True)
class Attention:
    """A row that could not be placed: its values as written, where it came from and why."""

    reason: str
    agency: str
    values: Mapping[str, str]
    others: str
    file: str
    sheet: str
    row: int
    order: int
    column: str = ""

    def sentence(self) -> str:
        """``Police.xlsx: sheet "Chronology" row 14, column B ("Date"): ... ; correct it ...``."""
        where = f'sheet "{self.sheet}" row {self.row}' if self.sheet else f"row {self.row}"
        if self.column:
            where += f", column {self.column}"
        reason = self.reason.rstrip(".")
        reason = reason[:1].lower() + reason[1:] if reason[:4] == "The " else reason
        return f"{self.file}: {where}: {reason}; correct it and run collate again."


@dataclass(frozen=True)
class ReturnRead:
    path: Path
    agency: str
    sheet: str
    header_row: int
    entries: tuple[Entry, ...]
    attention: tuple[Attention, ...]
    notes: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.entries) + len(self.attention)


def agency_for(path: Path, case: Case | None, title_block: str | None = None) -> str:
    """The agency a return comes from when its rows do not say.

    ``case.toml``'s mapping of file names to agencies, else an "Agency: ..." line in the
    title block above the header, else the file name.
    """
    if case is not None:
        name = case.agency_for_file(path.name)
        if name:
            return name
    if title_block:
        return title_block
    return path.stem.strip() or path.name


_AGENCY_LABEL = re.compile(
    r"^\s*(?:agency|agency name|organisation|organization|name of agency|service)\s*[:\-–]?\s*$",
    re.IGNORECASE,
)
_AGENCY_LINE = re.compile(
    r"^\s*(?:agency|agency name|organisation|organization|name of agency)\s*[:\-–]\s*(\S.*)$",
    re.IGNORECASE,
)


def title_block_agency(rows: Sequence[Sequence[Any]]) -> str | None:
    """ "Agency: Easthaven Housing" (in one cell, or label and value side by side) above the header."""
    for row in rows:
        cells = [v for v in row if isinstance(v, str) and v.strip()]
        for position, value in enumerate(cells):
            if m := _AGENCY_LINE.match(value):
                return " ".join(m.group(1).split())
            if _AGENCY_LABEL.match(value) and position + 1 < len(cells):
                return " ".join(cells[position + 1].split())
    return None


@dataclass(frozen=True)
class SheetRead:
    sheet: Any
    rows: list[list[Any]]
    header: Header


def _choose_sheets(
    book: Workbook, schema: Schema, path: Path
) -> tuple[list[SheetRead], list[tuple[str, int, str]]]:
    """Every visible sheet whose columns make a chronology, preferred names first.

    Also returns the sheets that look like a chronology but cannot be read (sheet,
    row, reason): each becomes a row in Needs attention, so no sheet is left out
    without a row saying so.
    """
    visible = [s for s in book.sheets if s.visible]
    candidates = [s for s in visible if not schema.ignores(s.name)]
    if not candidates:
        if not visible:
            problem = "has no visible sheet to read"
        else:
            problem = (
                f"has only sheets of instructions or lists ({_quoted(s.name for s in visible)})"
            )
        raise DataError(
            problem,
            file=path,
            advice='put the chronology on a visible sheet named "Chronology" and run collate again',
        )
    preferred = [s for s in candidates if schema.prefers(s.name)]
    ordered = preferred + [s for s in candidates if s not in preferred]
    chosen: list[SheetRead] = []
    problems: list[tuple[str, int, str]] = []
    failures: list[tuple[Any, list[list[Any]] | None, UnreadableInputError | None]] = []
    for sheet in ordered:
        try:
            rows = book.rows(sheet)
        except UnreadableInputError as exc:
            failures.append((sheet, None, exc))
            continue
        header = find_header(rows, schema)
        if header is not None:
            chosen.append(SheetRead(sheet, rows, header))
        elif preferred and sheet is preferred[0]:
            # The sheet is named as the chronology: its header is what must be fixed.
            _raise_no_date_column(path, sheet.name, rows, schema, book)
        else:
            failures.append((sheet, rows, None))
    if not chosen:
        first_failure = next((f for f in failures if f[0] in preferred), failures[0])
        if first_failure[2] is not None:
            raise first_failure[2]
        _raise_no_date_column(path, first_failure[0].name, first_failure[1] or [], schema, book)
        raise AssertionError  # pragma: no cover
    accepted = _quoted(schema.accepted("Date"), limit=6)
    for sheet, sheet_rows, error in failures:
        if error is not None:
            problems.append(
                (
                    sheet.name,
                    1,
                    f"The sheet could not be read ({error.problem}), so none of its rows are in the chronology.",
                )
            )
            continue
        found = looks_like_chronology(sheet_rows or [], schema)
        if found or sheet in preferred:
            problems.append(
                (
                    sheet.name,
                    1,
                    "The sheet looks like a chronology but no column is recognisable as the "
                    f"Date column (its headers are {_quoted(found) if found else 'not found'}), "
                    f"so none of its rows are in the chronology; name the date column one of {accepted}",
                )
            )
    return chosen, problems


def _raise_no_date_column(
    path: Path, sheet: str, rows: Sequence[Sequence[Any]], schema: Schema, book: Workbook
) -> None:
    found = _likely_headers(rows, schema)
    shown_sheet = f'sheet "{sheet}"' if book.suffix != ".csv" else None
    accepted = _quoted(schema.accepted("Date"), limit=8)
    if not found and not any(any(v is not None for v in r) for r in rows):
        raise DataError(
            "is empty",
            file=path,
            place=shown_sheet,
            advice=(
                "ask the agency to send its chronology again with the rows filled in "
                "(or move the file out of the folder), then run collate again"
            ),
            reason=Reason.EMPTY,
        )
    if found:
        problem = (
            f"no column is recognisable as the Date column; the headers found are {_quoted(found)}"
        )
    else:
        problem = (
            f"no header row was found in the first {schema.header_rows} rows, so there is "
            "no Date column"
        )
    raise DataError(
        problem,
        file=path,
        place=shown_sheet,
        advice=(
            f"name the date column one of {accepted} (or add its name to the Date aliases in "
            "schemas/chronology.toml), then run collate again"
        ),
    )


def _merged_fill(
    book: Workbook, sheet: Any, rows: Sequence[Sequence[Any]], first_data_row: int
) -> dict[int, dict[int, Any]]:
    """Values that merged cells show in the rows below their first (row -> column -> value)."""
    return _merge_map(book.merged_ranges(sheet), rows, first_data_row)


def _merge_map(
    ranges: Iterable[Any], rows: Sequence[Sequence[Any]], first_data_row: int
) -> dict[int, dict[int, Any]]:
    out: dict[int, dict[int, Any]] = defaultdict(dict)
    for (top, left), (bottom, _right) in ranges:
        if bottom < first_data_row or top >= len(rows):
            continue
        row = rows[top]
        value = row[left] if left < len(row) else None
        if value is None:
            continue
        for r in range(max(top + 1, first_data_row), bottom + 1):
            out[r][left] = value
    return out


def read_return(
    path: str | Path,
    *,
    schema: Schema | None = None,
    case: Case | None = None,
    order: int = 0,
) -> ReturnRead:
    """Read one agency's return: every row of every chronology sheet becomes an Entry or an Attention."""
    path = Path(path)
    schema = schema or load_schema()
    entries: list[Entry] = []
    attention: list[Attention] = []
    notes: list[str] = []
    names: list[str] = []
    header_rows: list[int] = []
    with Workbook(path) as book:
        chosen, problems = _choose_sheets(book, schema, path)
        first = chosen[0]
        file_agency = agency_for(
            path, case, title_block_agency(first.rows[: first.header.first_row])
        )
        csv = book.suffix == ".csv"
        date1904 = book.date1904
        empty_sheets: list[tuple[str, int]] = []
        for position, read in enumerate(chosen):
            sheet, rows, header = read.sheet, read.rows, read.header
            sheet_name = sheet.name if not csv else ""
            missing = [
                c.name
                for c in schema.columns
                if c.required and not c.fill and c.name not in header.columns
            ]
            if missing:
                where = (
                    f'sheet "{sheet.name}" row {header.row + 1}'
                    if sheet_name
                    else f"row {header.row + 1}"
                )
                name = missing[0]
                raise DataError(
                    f'has no "{name}" column; the headers found are {_quoted(header.texts)}',
                    file=path,
                    place=where,
                    advice=(
                        f"name that column one of {_quoted(schema.accepted(name), limit=8)}, "
                        "then run collate again"
                    ),
                )
            agency_here = file_agency
            if position:
                own = title_block_agency(rows[: header.first_row])
                if own and not (case is not None and case.agency_for_file(path.name)):
                    agency_here = own
            merges = _merged_fill(book, sheet, rows, header.row + 1)
            got, needs, row_notes = _read_rows(
                rows,
                header,
                schema,
                merges=merges,
                date1904=date1904,
                file_agency=agency_here,
                file=path.name,
                sheet=sheet_name,
                order=order,
                path=path,
                scope_from=case.date("scope_from") if case is not None else None,
            )
            if position:
                got = [dataclasses.replace(e, sheet_order=position) for e in got]
            entries.extend(got)
            attention.extend(needs)
            notes.extend(row_notes)
            names.append(sheet_name)
            header_rows.append(header.row + 1)
            if not got and not needs:
                empty_sheets.append((sheet_name, header.row + 1))
        for sheet_name, row, reason in problems:
            attention.append(
                Attention(
                    reason=reason.rstrip(".") + ".",
                    agency=file_agency,
                    values={},
                    others="",
                    file=path.name,
                    sheet=sheet_name,
                    row=row,
                    order=order,
                )
            )
    if not entries and not attention:
        for sheet_name, row in empty_sheets[:1]:
            where = f' sheet "{sheet_name}"' if sheet_name else ""
            notes.append(
                f"{path}:{where} has a header on row {row} but no rows under it; "
                "check that the agency sent its filled-in chronology"
            )
    agencies = {e.agency for e in entries} | {a.agency for a in attention}
    agency = agencies.pop() if len(agencies) == 1 else file_agency
    return ReturnRead(
        path=path,
        agency=agency,
        sheet=", ".join(n for n in names if n),
        header_row=header_rows[0],
        entries=tuple(entries),
        attention=tuple(attention),
        notes=tuple(notes),
        sheets=tuple(names),
    )


#: What the "Before the review period" column holds for a row dated before ``scope_from``.
BEFORE_SCOPE_MARK = "Yes"


def period_end(day: PartialDate) -> dt.date:
    """The last day the writer's date can mean: the month's last day for "April 2024"."""
    start = day.start
    if day.precision == "year":
        return dt.date(start.year, 12, 31)
    if day.precision == "month":
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return start


def before_review_period(day: PartialDate, scope_from: dt.date) -> bool:
    """True when the whole of what the date can mean is before the review's scope."""
    return period_end(day) < scope_from


def _read_rows(
    rows: Sequence[Sequence[Any]],
    header: Header,
    schema: Schema,
    *,
    merges: Mapping[int, Mapping[int, Any]],
    date1904: bool,
    file_agency: str,
    file: str,
    sheet: str,
    order: int,
    path: Path,
    scope_from: dt.date | None = None,
) -> tuple[list[Entry], list[Attention], list[str]]:
    colmap = {index: name for name, index in header.columns.items()}
    agency_col = header.columns.get("Agency", -1)
    header_row = header.cells or rows[header.row]
    # A cell is compared with the header only when its length could match (cheap).
    header_keys_by_col = {
        c: header_key(v) for c, v in enumerate(header_row) if isinstance(v, str) and v.strip()
    }
    header_lengths = {c: len(v.strip()) for c, v in enumerate(header_row) if isinstance(v, str)}
    text_columns = [
        c.name for c in schema.columns if c.name not in ("Date", "Time", "Agency") and not c.fill
    ]
    typed = {c.name: c.type for c in schema.columns}
    fill_columns = [c.name for c in schema.columns if c.fill == FILL_DATE_AS_WRITTEN]
    scope_columns = [c.name for c in schema.columns if c.fill == FILL_BEFORE_SCOPE]
    entries: list[Entry] = []
    attention: list[Attention] = []
    notes: list[str] = []
    repeated_headers: list[int] = []
    choices: dict[tuple[str, str], str] = {}
    numbering = header.numbering
    other_names = header.others
    date_index = header.columns["Date"]
    date_head = (
        " ".join(str(header_row[date_index]).split()) if date_index < len(header_row) else ""
    )
    date_column = column_letter(date_index) + (f' ("{date_head}")' if date_head else "")
    for index in range(header.row + 1, len(rows)):
        row = rows[index]
        content = False
        for col, value in enumerate(row):
            if value is None or col == agency_col or col in numbering:
                continue
            if isinstance(value, str) and not value.strip():
                continue
            content = True
            break
        if not content:
            continue
        filled = merges.get(index)
        if filled:
            row = list(row)
            for col, value in filled.items():
                if col >= len(row):
                    row.extend([None] * (col + 1 - len(row)))
                if row[col] is None:
                    row[col] = value
        raw: dict[str, Any] = {}
        others: list[tuple[str, str]] = []
        repeat = True
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                if not value.strip():
                    continue
                if repeat and (
                    col not in header_keys_by_col
                    or abs(len(value) - header_lengths[col]) > 8
                    or header_key(value) != header_keys_by_col[col]
                ):
                    repeat = False
            else:
                repeat = False
            name = colmap.get(col)
            if name is not None:
                raw[name] = value
            else:
                label = other_names.get(col) or (
                    "No." if col in numbering else f"Column {column_letter(col)}"
                )
                others.append((label, clean_text(cell_text(value))))
        if repeat:
            repeated_headers.append(index + 1)
            continue
        agency_value = raw.get("Agency")
        agency = clean_text(cell_text(agency_value)) if agency_value is not None else ""
        agency = agency or file_agency
        sheet_row = index + 1
        try:
            day, cell_time = read_date(raw.get("Date"), date1904=date1904)
        except ValueError as exc:
            reason = str(exc)
            reason = reason[0].upper() + reason[1:]
            attention.append(
                Attention(
                    reason=reason + ".",
                    agency=agency,
                    values={name: clean_text(cell_text(v)) for name, v in raw.items()},
                    others="\n".join(f"{h}: {v}" for h, v in others),
                    file=file,
                    sheet=sheet,
                    row=sheet_row,
                    order=order,
                    column=date_column,
                )
            )
            continue
        time, time_text = read_time(raw.get("Time"))
        if time is None and not time_text and cell_time is not None:
            time = cell_time
        values: dict[str, Any] = {}
        for name in text_columns:
            value = raw.get(name)
            if value is None:
                continue
            kind = typed.get(name, "text")
            if kind == "date" and isinstance(value, (dt.date, dt.datetime)):
                values[name] = value if not isinstance(value, dt.datetime) else value.date()
                continue
            if kind == "time" and isinstance(value, dt.time):
                values[name] = value
                continue
            text = clean_text(cell_text(value))
            if kind in ("choice", "yes-no"):
                known = choices.get((name, text))
                if known is None:
                    known = choices[(name, text)] = schema.choice(name, text)
                text = known
            values[name] = text
        extra = [f"{h}: {v}" for h, v in others if h != "No." and v]
        if extra:
            details = values.get("Details", "")
            values["Details"] = "\n".join([details, *extra] if details else extra)
        if not day.exact:
            for name in fill_columns:
                values[name] = day.written or day.label()
        if scope_from is not None and before_review_period(day, scope_from):
            for name in scope_columns:
                values[name] = BEFORE_SCOPE_MARK
        entries.append(
            Entry(
                date=day,
                time=time,
                time_text=time_text,
                agency=agency,
                values=values,
                file=file,
                sheet=sheet,
                row=sheet_row,
                order=order,
            )
        )
    if repeated_headers:
        where = f'sheet "{sheet}" ' if sheet else ""
        shown = ", ".join(str(r) for r in repeated_headers[:5])
        many = len(repeated_headers) > 1
        notes.append(
            f"{path}: {where}row{'s' if many else ''} {shown}"
            f"{' and more' if len(repeated_headers) > 5 else ''} "
            f"{'repeat' if many else 'repeats'} the header and {'were' if many else 'was'} left out"
        )
    return entries, attention, notes
