"""Collating agency chronology returns into one merged chronology the reviewer can trust.

Each agency returns its chronology in its own shape: a title block above the header, its
own names for the columns, dates as cells, serial numbers or text, sometimes a month or
"approx. 2021". ``collate`` reads every return, finds the header and the date in each
row, keeps every row it cannot place (with the reason) rather than dropping it, marks
rows from different agencies that seem to describe the same event, and writes one
workbook (and, if asked, a Word table) in which every row names the file, sheet and row
it came from.

The steps are separate so each can be tested alone: ``load_schema``, ``find_header``,
``read_return``, ``find_duplicates``, ``sort_entries``, ``summarise``,
``write_workbook`` and ``write_docx``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
    InputError,
    OutputError,
    TemplateError,
    UnreadableInputError,
)
from scrtool.outputs import check_writable, write_all_atomic
from scrtool.readers.spreadsheets import (
    SPREADSHEET_SUFFIXES,
    Workbook,
    cell_text,
    column_letter,
    iter_input_files,
)
from scrtool.resources import schema_path, template_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from scrtool.case import Case

#: The contract's columns, in order, before any extra schema columns.
CORE_COLUMNS = ("Date", "Time", "Agency", "Source", "Event type", "Details", "Action taken")
PROVENANCE_COLUMNS = ("Source file", "Source sheet", "Source row")
DUPLICATE_COLUMN = "Possible duplicate"
REASON_COLUMN = "Reason"
OTHER_COLUMN = "Other columns"
SHEETS = ("Chronology", "Needs attention", "Summary")
COLUMN_TYPES = ("date", "time", "text", "choice")
FILL_DATE_AS_WRITTEN = "date-as-written"
_CORE_TYPES = {"Date": "date", "Time": "time", "Event type": "choice"}
_RESERVED = {*PROVENANCE_COLUMNS, DUPLICATE_COLUMN, REASON_COLUMN, OTHER_COLUMN}

#: Dates a chronology can hold: Excel shows nothing before 1900.
EARLIEST = dt.date(1900, 3, 1)
LATEST = dt.date(2100, 12, 31)
_SERIAL_MIN = 10958  # 1 January 1930
_SERIAL_MAX = 73415  # 31 December 2100
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")

SCHEMA_ADVICE = "correct it in the schema file and run collate again"

Note = Callable[[str], None]


# --- The schema ---------------------------------------------------------------------------


def header_key(text: object) -> str:
    """A header as it is matched: case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", str(text).casefold())


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")


def header_keys(text: object) -> list[str]:
    """The keys one header cell may match: as written, without (notes), first line only.

    Templates often say "Date (dd/mm/yyyy)" or "Details\\n(what happened and who was
    there)"; the bracketed or second-line note does not change which column it is.
    """
    s = str(text)
    keys = [header_key(s), header_key(_BRACKETED.sub(" ", s))]
    stripped = s.strip()
    if stripped:
        keys.append(header_key(stripped.splitlines()[0]))
        keys.append(header_key(_BRACKETED.sub(" ", stripped.splitlines()[0])))
        if ":" in stripped:
            keys.append(header_key(stripped.split(":", 1)[0]))
    out: list[str] = []
    for key in keys:
        if key and key not in out:
            out.append(key)
    return out


@dataclass(frozen=True)
class Column:
    """One column of the merged chronology and the header names that mean it."""

    name: str
    type: str = "text"
    required: bool = False
    core: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    description: str = ""
    width: float | None = None
    fill: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class DuplicateRules:
    min_shared_words: int = 3
    min_overlap: float = 0.5
    max_minutes_apart: int = 90
    same_event: tuple[str, ...] = ()
    ignore_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Schema:
    """The chronology's columns and how returns are read, from ``schemas/chronology.toml``."""

    columns: tuple[Column, ...]
    prefer_sheets: tuple[str, ...] = ("chronology",)
    ignore_sheets: tuple[str, ...] = ()
    header_rows: int = 20
    numbering: tuple[str, ...] = ()
    duplicates: DuplicateRules = DuplicateRules()
    path: Path | None = None
    not_keywords: tuple[str, ...] = ()
    _lookup: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _choices: dict[str, dict[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _numbering: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    _rank: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _keywords: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _not_keywords: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        rank: dict[str, int] = {}
        for column in self.columns:
            if column.fill:
                continue
            for position, alias in enumerate((column.name, *column.aliases)):
                key = header_key(alias)
                if key and key not in lookup:
                    lookup[key] = column.name
                    rank[key] = position
        object.__setattr__(self, "_lookup", lookup)
        object.__setattr__(self, "_rank", rank)
        object.__setattr__(
            self,
            "_choices",
            {c.name: {header_key(ch): ch for ch in c.choices} for c in self.columns if c.choices},
        )
        object.__setattr__(self, "_numbering", frozenset(header_key(n) for n in self.numbering))

        def phrase(text: str) -> str:
            return " ".join(re.findall(r"[^\W_]+", text.casefold()))

        object.__setattr__(
            self,
            "_keywords",
            {c.name: tuple(p for k in c.keywords if (p := phrase(k))) for c in self.columns},
        )
        object.__setattr__(
            self, "_not_keywords", tuple(p for k in self.not_keywords if (p := phrase(k)))
        )

    def match(self, header: object) -> str | None:
        """The column a header cell names, or None."""
        return self.match_ranked(header)[0]

    def match_ranked(self, header: object) -> tuple[str | None, int]:
        """The column a header names and how early its name comes in the aliases (0 = best).

        When a return has two columns for one of ours ("Date recorded" and "Date of
        event"), the one listed first in the schema wins.
        """
        for key in header_keys(header):
            name = self._lookup.get(key)
            if name is not None:
                return name, self._rank[key]
        return None, 0

    def keyword_matches(self, header: object) -> list[str]:
        """The columns a header names by keyword when no alias matches it exactly.

        "Date/Time of contact" or "Outcome/Action taken" are no one's alias, but a short
        header holding the word "date" or "outcome" means that column. Columns come in
        the schema's order, so "Date/Time" is the Date column unless Date is taken.
        Long cells, cells with digits and cells holding a ``not_keywords`` word
        ("Date of birth") are not headers to guess at.
        """
        text = _BRACKETED.sub(" ", str(header)).strip()
        if not text or re.search(r"\d", text):
            return []
        words = re.findall(r"[^\W_]+", text.splitlines()[0].casefold())
        if not words or len(words) > 8:
            return []
        joined = " " + " ".join(words) + " "
        if any(f" {w} " in joined for w in self._not_keywords):
            return []
        return [
            column.name
            for column in self.columns
            if not column.fill and any(f" {k} " in joined for k in self._keywords[column.name])
        ]

    def is_numbering(self, header: object) -> bool:
        return any(k in self._numbering for k in header_keys(header))

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def extras(self) -> tuple[Column, ...]:
        """The columns after the contract's own, in the schema's order."""
        return tuple(c for c in self.columns if c.name not in CORE_COLUMNS)

    def choice(self, name: str, value: str) -> str:
        choices = self._choices.get(name)
        if not choices:
            return value
        return choices.get(header_key(value), value)

    def accepted(self, name: str) -> tuple[str, ...]:
        column = self.column(name)
        return (column.name, *[a for a in column.aliases if a != column.name])

    def prefers(self, sheet: str) -> bool:
        key = sheet.casefold()
        return any(word.casefold() in key for word in self.prefer_sheets)

    def ignores(self, sheet: str) -> bool:
        key = " ".join(re.split(r"[\W_]+", sheet.casefold()))
        return any(word.casefold() in key for word in self.ignore_sheets)


def _schema_error(source: Path, problem: str, place: str | None = None) -> InputError:
    return InputError(problem, file=source, place=place, advice=SCHEMA_ADVICE)


def _strings(value: Any, source: Path, place: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _schema_error(source, f'"{key}" must be a list of names in quotes', place)
    return tuple(v for v in value if v.strip())


def load_schema(path: str | Path | None = None) -> Schema:
    """Read and check a chronology schema (default: the one shipped in ``schemas/``).

    The contract's columns are always there, in the contract's order, whatever the file
    says; a schema adds aliases to them and adds columns of its own after them.
    """
    source = Path(path) if path is not None else schema_path("chronology.toml")
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            "does not exist", file=source, advice="check the schema file's name and run again"
        ) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a schema file", file=source) from None
    except UnicodeDecodeError:
        raise _schema_error(source, "is not saved as UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=source) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _schema_error(source, f"is not valid TOML ({exc})") from None
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise _schema_error(source, "has no [[columns]] blocks")
    columns: dict[str, Column] = {}
    extras: list[str] = []
    core_names = {n.casefold(): n for n in CORE_COLUMNS}
    for number, item in enumerate(raw_columns, start=1):
        place = f"column {number}"
        if not isinstance(item, dict):
            raise _schema_error(source, "is not a [[columns]] block", place)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _schema_error(source, 'has no "name"', place)
        name = core_names.get(name.strip().casefold(), name.strip())
        place = f'column {number} ("{name}")'
        if name in _RESERVED:
            raise _schema_error(
                source,
                f'"{name}" is a column scrtool fills itself; give the column another name',
                place,
            )
        if name in columns:
            raise _schema_error(source, f'names the column "{name}" twice', place)
        typ = item.get("type", _CORE_TYPES.get(name, "text"))
        if typ not in COLUMN_TYPES:
            raise _schema_error(
                source, f'"type" is "{typ}", but must be one of {", ".join(COLUMN_TYPES)}', place
            )
        if name in _CORE_TYPES and typ != _CORE_TYPES[name] and name != "Event type":
            raise _schema_error(
                source, f'the {name} column must have type "{_CORE_TYPES[name]}"', place
            )
        if item.get("core") and name not in CORE_COLUMNS:
            raise _schema_error(
                source,
                f'"core" is true, but the core columns are fixed ({", ".join(CORE_COLUMNS)})',
                place,
            )
        width = item.get("width")
        if width is not None and (not isinstance(width, (int, float)) or not 2 <= width <= 255):
            raise _schema_error(source, '"width" must be a number from 2 to 255', place)
        fill = item.get("fill")
        if fill not in (None, FILL_DATE_AS_WRITTEN):
            raise _schema_error(source, f'"fill" may only be "{FILL_DATE_AS_WRITTEN}"', place)
        columns[name] = Column(
            name=name,
            type=typ,
            required=bool(item.get("required", name == "Date")) or name == "Date",
            core=name in CORE_COLUMNS,
            aliases=_strings(item.get("aliases"), source, place, "aliases"),
            choices=_strings(item.get("choices"), source, place, "choices"),
            keywords=_strings(item.get("keywords"), source, place, "keywords"),
            description=str(item.get("description", "")),
            width=float(width) if width is not None else None,
            fill=fill,
        )
        if name not in CORE_COLUMNS:
            extras.append(name)
    for name in CORE_COLUMNS:
        columns.setdefault(
            name,
            Column(
                name=name, type=_CORE_TYPES.get(name, "text"), core=True, required=name == "Date"
            ),
        )
    seen: dict[str, str] = {}
    for column in columns.values():
        if column.fill:
            continue
        for alias in (column.name, *column.aliases):
            key = header_key(alias)
            if not key:
                continue
            other = seen.get(key)
            if other is not None and other != column.name:
                raise _schema_error(
                    source,
                    f'the header "{alias}" is given to both "{other}" and "{column.name}"; '
                    "a header can mean only one column",
                )
            seen[key] = column.name
    sheets = data.get("sheets", {}) if isinstance(data.get("sheets"), dict) else {}
    rows = data.get("rows", {}) if isinstance(data.get("rows"), dict) else {}
    dup = data.get("duplicates", {}) if isinstance(data.get("duplicates"), dict) else {}
    headers = data.get("headers", {}) if isinstance(data.get("headers"), dict) else {}
    header_rows = sheets.get("header_rows", 20)
    if not isinstance(header_rows, int) or not 1 <= header_rows <= 1000:
        raise _schema_error(
            source, '"header_rows" must be a whole number from 1 to 1000', "[sheets]"
        )
    try:
        rules = DuplicateRules(
            min_shared_words=int(dup.get("min_shared_words", 3)),
            min_overlap=float(dup.get("min_overlap", 0.5)),
            max_minutes_apart=int(dup.get("max_minutes_apart", 90)),
            same_event=_strings(dup.get("same_event"), source, "[duplicates]", "same_event"),
            ignore_words=frozenset(
                w.casefold()
                for w in _strings(dup.get("ignore_words"), source, "[duplicates]", "ignore_words")
            ),
        )
    except (TypeError, ValueError):
        raise _schema_error(source, "has a setting that is not a number", "[duplicates]") from None
    ordered = [columns[n] for n in CORE_COLUMNS] + [columns[n] for n in extras]
    return Schema(
        columns=tuple(ordered),
        prefer_sheets=_strings(sheets.get("prefer", ["chronology"]), source, "[sheets]", "prefer"),
        ignore_sheets=_strings(sheets.get("ignore"), source, "[sheets]", "ignore"),
        header_rows=header_rows,
        numbering=_strings(rows.get("numbering"), source, "[rows]", "numbering"),
        duplicates=rules,
        path=source,
        not_keywords=_strings(headers.get("not_keywords"), source, "[headers]", "not_keywords"),
    )


# --- Finding the header ------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Where a sheet's header is and which column is which (indexes count from 0).

    ``row`` is the header's last row (the data start below it); ``top`` its first, when
    the header is two rows (a grouped heading over sub-headings); ``cells`` the header
    as read, the sub-headings filled in from the row above where they are blank.
    """

    row: int
    columns: Mapping[str, int]
    others: Mapping[int, str]
    numbering: frozenset[int]
    texts: tuple[str, ...]
    top: int | None = None
    cells: tuple[Any, ...] = ()

    @property
    def first_row(self) -> int:
        return self.row if self.top is None else self.top


def _text_cells(row: Sequence[Any]) -> list[str]:
    return [v.strip() for v in row if isinstance(v, str) and v.strip()]


def _match_row(
    row: Sequence[Any], schema: Schema
) -> tuple[dict[str, int], dict[int, str], set[int]]:
    """Which column each header cell names: exact names and aliases first, then keywords."""
    matched: dict[str, int] = {}
    ranks: dict[str, int] = {}
    others: dict[int, str] = {}
    numbering: set[int] = set()
    guesses: list[tuple[int, list[str]]] = []
    for col, value in enumerate(row):
        if not isinstance(value, str) or not value.strip():
            continue
        name, rank = schema.match_ranked(value)
        if name is not None and (name not in matched or rank < ranks[name]):
            if name in matched:
                loser = matched[name]
                others[loser] = " ".join(str(row[loser]).split())
            matched[name], ranks[name] = col, rank
        elif name is None and schema.is_numbering(value):
            numbering.add(col)
        elif name is None and (names := schema.keyword_matches(value)):
            guesses.append((col, names))
        else:
            others[col] = " ".join(value.split())
    for col, names in guesses:
        free = next((n for n in names if n not in matched), None)
        if free is not None:
            matched[free] = col
        else:
            others[col] = " ".join(str(row[col]).split())
    return matched, others, numbering


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def find_header(rows: Sequence[Sequence[Any]], schema: Schema) -> Header | None:
    """The row (in the first ``schema.header_rows``) that names the most columns, Date among them.

    A header may take two rows: a grouped heading ("Contact", merged over two columns)
    above sub-headings ("Time", "Summary"), with "Date" merged down over both. The two
    rows are read as one when that names more columns than either row alone.
    """
    limit = min(len(rows), schema.header_rows)
    singles = [_match_row(rows[i], schema) for i in range(limit)]
    best: Header | None = None
    best_score: tuple[int, int] = (0, 0)

    def consider(index: int, top: int | None, cells: Sequence[Any], found: tuple[Any, ...]) -> None:
        nonlocal best, best_score
        matched, others, numbering = found
        if "Date" not in matched:
            return
        score = (len(matched), len(matched) + len(others) + len(numbering))
        if score > best_score:
            best_score = score
            best = Header(
                row=index,
                columns=matched,
                others=others,
                numbering=frozenset(numbering),
                texts=tuple(_text_cells(cells)),
                top=top,
                cells=tuple(cells),
            )

    for index in range(limit):
        consider(index, None, rows[index], singles[index])
        below = rows[index + 1] if index + 1 < len(rows) else None
        if (
            below is None
            or not any(isinstance(v, str) and v.strip() for v in below)
            or not all(_blank(v) or isinstance(v, str) for v in below)
        ):
            continue
        above = rows[index]
        width = max(len(above), len(below))
        cells = [
            below[c]
            if c < len(below) and not _blank(below[c])
            else (above[c] if c < len(above) else None)
            for c in range(width)
        ]
        found = _match_row(cells, schema)
        alone = max(
            len(singles[index][0]),
            len(singles[index + 1][0]) if index + 1 < limit else len(_match_row(below, schema)[0]),
        )
        if len(found[0]) > alone:
            consider(index + 1, index, cells, found)
    return best


def _likely_headers(rows: Sequence[Sequence[Any]], schema: Schema) -> list[str]:
    """The row of the first ones that looks most like a header, for the error message."""
    best: list[str] = []
    for row in rows[: schema.header_rows]:
        texts = _text_cells(row)
        if len(texts) > len(best):
            best = texts
    return best


def _quoted(names: Iterable[str], limit: int = 12) -> str:
    names = list(names)
    shown = ", ".join(f'"{n}"' for n in names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit} more"
    return shown


# --- Reading one cell ---------------------------------------------------------------------


def read_date(value: Any, *, date1904: bool = False) -> tuple[PartialDate, dt.time | None]:
    """The date in a Date cell, and its time when the cell holds one; ``ValueError`` says why not."""
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


def _choose_sheet(
    book: Workbook, schema: Schema, path: Path
) -> tuple[Any, list[list[Any]], Header, list[str]]:
    notes: list[str] = []
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
    first_rows: list[list[Any]] | None = None
    chosen = None
    for sheet in ordered:
        rows = book.rows(sheet)
        if first_rows is None:
            first_rows = rows
        header = find_header(rows, schema)
        if header is not None:
            chosen = (sheet, rows, header)
            break
        if preferred and sheet is preferred[0]:
            # The sheet is named as the chronology: its header is what must be fixed.
            _raise_no_date_column(path, sheet.name, rows, schema, book)
    if chosen is None:
        sheet = ordered[0]
        _raise_no_date_column(path, sheet.name, first_rows or [], schema, book)
        raise AssertionError  # pragma: no cover
    sheet, rows, header = chosen
    for other in ordered:
        if other is sheet:
            continue
        try:
            other_rows = book.rows(other)
        except UnreadableInputError:
            continue
        other_header = find_header(other_rows, schema)
        if other_header is not None and len(other_rows) > other_header.row + 1:
            notes.append(
                f'{path}: sheet "{other.name}" also looks like a chronology but was not read '
                f'(only sheet "{sheet.name}" is); copy its rows into "{sheet.name}", or save it '
                "as a separate file, and run collate again"
            )
    return sheet, rows, header, notes


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
    """Read one agency's return: every row with a value becomes an Entry or an Attention."""
    path = Path(path)
    schema = schema or load_schema()
    with Workbook(path) as book:
        sheet, rows, header, notes = _choose_sheet(book, schema, path)
        file_agency = agency_for(path, case, title_block_agency(rows[: header.first_row]))
        sheet_name = sheet.name if book.suffix != ".csv" else ""
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
        merges = _merged_fill(book, sheet, rows, header.row + 1)
        date1904 = book.date1904
    entries, attention, row_notes = _read_rows(
        rows,
        header,
        schema,
        merges=merges,
        date1904=date1904,
        file_agency=file_agency,
        file=path.name,
        sheet=sheet_name,
        order=order,
        path=path,
    )
    notes.extend(row_notes)
    if not entries and not attention:
        where = f' sheet "{sheet_name}"' if sheet_name else ""
        notes.append(
            f"{path}:{where} has a header on row {header.row + 1} but no rows under it; "
            "check that the agency sent its filled-in chronology"
        )
    agencies = {e.agency for e in entries} | {a.agency for a in attention}
    agency = agencies.pop() if len(agencies) == 1 else file_agency
    return ReturnRead(
        path=path,
        agency=agency,
        sheet=sheet_name,
        header_row=header.row + 1,
        entries=tuple(entries),
        attention=tuple(attention),
        notes=tuple(notes),
    )


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
            if kind == "choice":
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


# --- Possible duplicates ------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = frozenset(
    """
    the and for with was were are has had have this that from not but his her hers him she
    they them their there then than who whom which what when where why how all any can could
    would should will did does done been being into onto upon about after before over under
    again also just only very some such our out off per via yes its itself one two said
    """.split()  # noqa: SIM905
)
#: On a busy day a word that many rows share says nothing about which two are the same.
_POSTING_LIMIT = 10


def _words(text: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """The content words of lower-case text, plurals folded (visits -> visit)."""
    found = set(_WORD.findall(text))
    found -= _STOP
    if ignore:
        found -= ignore
    return frozenset(w[:-1] if len(w) > 4 and w[-1] == "s" else w for w in found)


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    parts = [r"\s+".join(re.escape(w) for w in p.casefold().split()) for p in phrases if p.split()]
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\b")


def find_duplicates(entries: Sequence[Entry], rules: DuplicateRules) -> dict[int, int]:
    """Rows from different agencies (or different returns) that seem to describe the same event.

    Returns entry index -> group number (1, 2, ... in the order the groups first appear
    in ``entries``). Only rows on the same exact day are compared, and only pairs that
    share a word few other rows that day use, or one of the ``same_event`` phrases.
    """
    pattern = _phrase_pattern(rules.same_event)
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        if entry.date.precision == "day":
            by_day[entry.date.start].append(index)
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        root = i
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(i, i) != root:
            parent[i], i = root, parent[i]
        return root

    for members in by_day.values():
        if len(members) < 2:
            continue
        # Two files from one agency (a first and a revised return) are compared like
        # two agencies; rows of one file are never compared with each other.
        if len({(entries[i].agency, entries[i].file) for i in members}) < 2:
            continue
        words: dict[int, frozenset[str]] = {}
        marks: dict[int, frozenset[str]] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        for i in members:
            values = entries[i].values
            text = f"{values.get('Event type', '')} {values.get('Details', '')}".casefold()
            words[i] = _words(text, rules.ignore_words)
            marks[i] = (
                frozenset(" ".join(m.split()) for m in pattern.findall(text))
                if pattern is not None
                else frozenset()
            )
            for word in words[i]:
                postings[word].append(i)
            for mark in marks[i]:
                postings["\0" + mark].append(i)
        agency = {i: (entries[i].agency, entries[i].file) for i in members}
        minute = {i: _minutes(entries[i]) for i in members}
        apart = rules.max_minutes_apart
        candidates: set[tuple[int, int]] = set()
        for posting in postings.values():
            if 1 < len(posting) <= _POSTING_LIMIT:
                for k, i in enumerate(posting):
                    for j in posting[k + 1 :]:
                        if agency[i] == agency[j]:
                            continue
                        mi, mj = minute[i], minute[j]
                        if mi is None or mj is None or abs(mi - mj) <= apart:
                            candidates.add((i, j))
        for i, j in candidates:
            same = bool(marks[i] & marks[j])
            if not same:
                common = len(words[i] & words[j])
                smaller = min(len(words[i]), len(words[j]))
                same = common >= rules.min_shared_words and common >= rules.min_overlap * smaller
            if same:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent.setdefault(ri, ri)
                    parent.setdefault(rj, rj)
                    parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in list(parent):
        groups[find(i)].append(i)
    out: dict[int, int] = {}
    numbered = sorted((min(members), members) for members in groups.values() if len(members) > 1)
    for number, (_, members) in enumerate(numbered, start=1):
        for i in members:
            out[i] = number
    return out


def _minutes(entry: Entry) -> int | None:
    return entry.time.hour * 60 + entry.time.minute if entry.time is not None else None


def duplicate_label(number: int) -> str:
    return f"D{number}"


# --- Sorting and summarising --------------------------------------------------------------


def sort_key(entry: Entry) -> tuple[Any, ...]:
    """Date, then time (untimed rows first), then agency, then the order of the sources."""
    return (
        entry.date.start,
        entry.time is not None,
        entry.time or dt.time(0),
        entry.agency.casefold(),
        entry.order,
        entry.row,
    )


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=sort_key)


@dataclass(frozen=True)
class AgencySummary:
    agency: str
    rows: int
    needing_attention: int
    partial_dates: int
    first: dt.date | None
    last: dt.date | None
    longest_gap_days: int | None
    gap_from: dt.date | None
    gap_to: dt.date | None


@dataclass(frozen=True)
class Summary:
    agencies: tuple[AgencySummary, ...]
    total: AgencySummary
    months: tuple[dt.date, ...]
    per_month: Mapping[str, Sequence[int]]


def _gap(days: Sequence[dt.date]) -> tuple[int | None, dt.date | None, dt.date | None]:
    best: tuple[int | None, dt.date | None, dt.date | None] = (None, None, None)
    for a, b in zip(days, days[1:], strict=False):
        gap = (b - a).days
        if best[0] is None or gap > best[0]:
            best = (gap, a, b)
    return best


def _agency_summary(name: str, entries: Sequence[Entry], attention: int) -> AgencySummary:
    exact = sorted({e.date.start for e in entries if e.date.exact})
    gap, start, end = _gap(exact)
    return AgencySummary(
        agency=name,
        rows=len(entries),
        needing_attention=attention,
        partial_dates=sum(1 for e in entries if not e.date.exact),
        first=exact[0] if exact else None,
        last=exact[-1] if exact else None,
        longest_gap_days=gap,
        gap_from=start,
        gap_to=end,
    )


def summarise(entries: Sequence[Entry], attention: Sequence[Attention]) -> Summary:
    """Per agency: rows, first and last exact dates, the longest gap; contacts per month."""
    by_agency: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_agency[entry.agency].append(entry)
    attention_by: Counter[str] = Counter(a.agency for a in attention)
    names = sorted(set(by_agency) | set(attention_by), key=str.casefold)
    agencies = tuple(
        _agency_summary(n, by_agency.get(n, []), attention_by.get(n, 0)) for n in names
    )
    total = _agency_summary("Total", entries, len(attention))
    monthly = [
        e for e in entries if e.date.precision in ("day", "month") and not e.date.approximate
    ]
    months: list[dt.date] = []
    per_month: dict[str, list[int]] = {}
    if monthly:
        first = min(e.date.start for e in monthly).replace(day=1)
        last = max(e.date.start for e in monthly).replace(day=1)
        month = first
        while month <= last:
            months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        position = {m: i for i, m in enumerate(months)}
        for name in names:
            per_month[name] = [0] * len(months)
        for e in monthly:
            per_month[e.agency][position[e.date.start.replace(day=1)]] += 1
        per_month = {k: v for k, v in per_month.items() if any(v)}
    return Summary(agencies=agencies, total=total, months=tuple(months), per_month=per_month)


# --- The workbook -------------------------------------------------------------------------

_DATE_FORMATS = {
    ("day", False): "dd/mm/yyyy",
    ("month", False): "mmm yyyy",
    ("year", False): "yyyy",
    ("day", True): '"approx. "dd/mm/yyyy',
    ("month", True): '"approx. "mmm yyyy',
    ("year", True): '"approx. "yyyy',
}


def chronology_headers(schema: Schema) -> list[str]:
    return [*CORE_COLUMNS, *PROVENANCE_COLUMNS, *(c.name for c in schema.extras), DUPLICATE_COLUMN]


def attention_headers(schema: Schema) -> list[str]:
    extras = [c.name for c in schema.extras if not c.fill]
    return [REASON_COLUMN, *CORE_COLUMNS, *extras, OTHER_COLUMN, *PROVENANCE_COLUMNS]


_WIDTHS = {
    "Source file": 24,
    "Source sheet": 14,
    "Source row": 9,
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
    header_cols = chronology_headers(schema)
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
    _write_summary(summary_ws, entries, attention, inputs, title=title, made=made)
    chron.sheet_view.zoomScale = 90

    letters = xs.column_letters(len(header_cols))
    extras = [c for c in schema.extras]
    text_names = ["Agency", "Source", "Event type", "Details", "Action taken"]

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
            for offset, column in enumerate(extras):
                value = values.get(column.name)
                if value is None or value == "":
                    continue
                ref = letters[10 + offset] + r
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
    ]
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


# --- The Word table -----------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
SOURCE_PLACE = "Source place"
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def _docx_values(entry: Entry) -> dict[str, str]:
    values = {
        k: (
            v.strftime("%d/%m/%Y")
            if isinstance(v, dt.date)
            else v.strftime("%H:%M")
            if isinstance(v, dt.time)
            else str(v)
        )
        for k, v in entry.values.items()
    }
    values.update(
        {
            "Date": entry.date.label(),
            "Time": entry.time_label,
            "Agency": entry.agency,
            "Source file": entry.file,
            "Source sheet": entry.sheet,
            "Source row": str(entry.row),
            SOURCE_PLACE: source_place(entry.file, entry.sheet, entry.row),
            DUPLICATE_COLUMN: entry.duplicate,
        }
    )
    return values


def source_place(file: str, sheet: str, row: int) -> str:
    """``Police.xlsx, sheet "Chronology", row 14``: where a row came from, in words."""
    if sheet:
        return f'{file}, sheet "{sheet}", row {row}'
    return f"{file}, row {row}"


def write_docx(
    target: Path,
    *,
    entries: Sequence[Entry],
    template: Path | None = None,
    fields: Mapping[str, str] | None = None,
    schema: Schema | None = None,
) -> None:
    """The chronology as a Word table from ``templates/chronology.docx``.

    The template's table has a header row (repeated on every page) and one row whose
    cells hold placeholders such as ``{{ Date }}`` or ``{{ Source place }}``; that row is
    copied once per entry; ``{{ title }}``, ``{{ subtitle }}`` and ``{{ notes }}`` may
    appear in the paragraphs around it. The rows are built as XML text and parsed once,
    so thousands of rows take seconds, not minutes.
    """
    import docx
    from lxml import etree

    from scrtool.chronology.xlsxstream import escape

    template = template or template_path("chronology.docx")
    try:
        document = docx.Document(str(template))
    except Exception:
        raise TemplateError(
            "is not a Word document scrtool can read", file=template, advice=None
        ) from None
    known = {*chronology_headers(schema or load_schema()), SOURCE_PLACE}
    fields = dict(fields or {})
    for paragraph in document.paragraphs:
        _replace_in_paragraph(paragraph, fields)
    row_el = None
    table_el = None
    for table in document.tables:
        for row in table.rows:
            if _PLACEHOLDER.search(_element_text(row._tr)):
                row_el, table_el = row._tr, table
                break
        if row_el is not None:
            break
    if row_el is None or table_el is None:
        raise TemplateError(
            "has no table row with placeholders such as {{ Date }} and {{ Details }}",
            file=template,
            advice=(
                "add a row under the header whose cells hold {{ Date }}, {{ Time }}, "
                "{{ Agency }}, {{ Details }}... and try again"
            ),
        )
    cells = []
    for tc in row_el.findall(f"{{{W_NS}}}tc"):
        text = _element_text(tc)
        for name in _PLACEHOLDER.findall(text):
            if name not in known:
                raise TemplateError(
                    f'uses the placeholder "{{{{ {name} }}}}", which is not a chronology column',
                    file=template,
                    advice=f"use only {_quoted(sorted(known), limit=20)}, and try again",
                )
        tc_pr = tc.find(f"{{{W_NS}}}tcPr")
        para = tc.find(f"{{{W_NS}}}p")
        p_pr = para.find(f"{{{W_NS}}}pPr") if para is not None else None
        run = para.find(f".//{{{W_NS}}}r") if para is not None else None
        r_pr = run.find(f"{{{W_NS}}}rPr") if run is not None else None

        def xml(el: Any) -> str:
            return _XMLNS.sub("", etree.tostring(el, encoding="unicode")) if el is not None else ""

        parts: list[tuple[bool, str]] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            if m.start() > pos:
                parts.append((False, text[pos : m.start()]))
            parts.append((True, m.group(1)))
            pos = m.end()
        if pos < len(text):
            parts.append((False, text[pos:]))
        cells.append((f"<w:tc>{xml(tc_pr)}<w:p>{xml(p_pr)}", f"<w:r>{xml(r_pr)}", parts))
    tr_pr = row_el.find(f"{{{W_NS}}}trPr")
    tr_open = f"<w:tr>{_XMLNS.sub('', etree.tostring(tr_pr, encoding='unicode')) if tr_pr is not None else ''}"

    def render(entry: Entry) -> str:
        values = _docx_values(entry)
        out = [tr_open]
        for cell_open, run_open, parts in cells:
            text = "".join(values.get(v, "") if is_field else v for is_field, v in parts).strip()
            out.append(cell_open)
            if text:
                lines = escape(clean_text(text)).split("\n")
                out.append(run_open)
                out.append('<w:t xml:space="preserve">')
                out.append('</w:t><w:br/><w:t xml:space="preserve">'.join(lines))
                out.append("</w:t></w:r>")
            out.append("</w:p></w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    nsmap = {k: v for k, v in document.element.nsmap.items() if k}
    declarations = " ".join(f'xmlns:{k}="{v}"' for k, v in nsmap.items())
    rows_xml = "".join(render(e) for e in entries)
    fragment = etree.fromstring(f"<w:tbl {declarations}>{rows_xml}</w:tbl>".encode())
    previous = row_el
    for new_row in list(fragment):
        previous.addnext(new_row)
        previous = new_row
    row_el.getparent().remove(row_el)
    document.core_properties.author = ""
    document.core_properties.last_modified_by = ""
    document.core_properties.title = fields.get("title", "Merged chronology")
    document.save(str(target))


def _element_text(element: Any) -> str:
    """The text of a table row or cell, its paragraphs one to a line."""
    paragraphs = []
    for para in element.iter(f"{{{W_NS}}}p"):
        paragraphs.append("".join(t.text or "" for t in para.iter(f"{{{W_NS}}}t")))
    return "\n".join(paragraphs)


def _replace_in_paragraph(paragraph: Any, fields: Mapping[str, str]) -> None:
    text = paragraph.text
    if "{" not in text or not _PLACEHOLDER.search(text):
        return
    new = _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), text)
    runs = paragraph.runs
    if not runs:
        return
    runs[0].text = new
    for run in runs[1:]:
        run.text = ""


# --- Collating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CollateResult:
    """What ``collate`` did; ``to_json()`` is the contract's JSON."""

    inputs: tuple[InputSummary, ...]
    rows_read: int
    rows_merged: int
    rows_needing_attention: int
    possible_duplicates: int
    output: Path
    docx: Path | None = None
    strict: bool = False
    notes: tuple[str, ...] = ()
    attention: tuple[Attention, ...] = ()

    @property
    def exit_code(self) -> int:
        """1 when ``strict`` and some rows need attention, else 0."""
        return 1 if self.strict and self.rows_needing_attention else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": [i.to_json() for i in self.inputs],
            "rows_read": self.rows_read,
            "rows_merged": self.rows_merged,
            "rows_needing_attention": self.rows_needing_attention,
            "possible_duplicates": self.possible_duplicates,
            "output": str(self.output),
        }


def gather_inputs(
    inputs: Sequence[str | Path], *, exclude: Iterable[Path] = (), note: Note | None = None
) -> list[Path]:
    """The return files named by ``inputs`` (files or folders), each once, in order."""
    excluded = {_resolved(p) for p in exclude}
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputError(
                "does not exist",
                file=path,
                advice="check the name and folder, then run collate again",
            )
    for path, skip_note in iter_input_files([Path(p) for p in inputs], note_others=True):
        if skip_note is not None:
            if note is not None:
                note(skip_note)
            continue
        key = _resolved(path)
        if key in excluded:
            if not _made_by_collate(path):  # an agency's return: inputs are never modified
                raise OutputError(
                    "is one of the returns being merged, and scrtool does not write over its "
                    "inputs",
                    file=path,
                    advice="give another name or folder for the merged chronology (--output)",
                )
            if note is not None:
                note(f"{path}: skipped, it is this run's own output")
            continue
        if _made_by_collate(path):
            if note is not None:
                note(
                    f"{path}: skipped, it is a merged chronology scrtool made, not an agency's "
                    "return (reading it would count every row twice)"
                )
            continue
        if key in seen:
            continue
        seen.add(key)
        out.append(path)
    return out


def _made_by_collate(path: Path) -> bool:
    """Whether a workbook is an earlier run's output (saved beside the returns)."""
    import zipfile

    if path.suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")[:4000]
            book = zf.read("xl/workbook.xml")[:20000]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b">scrtool</dc:creator>" in core and all(
        f'name="{name}"'.encode() in book for name in SHEETS
    )


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path).absolute()


def collate(
    inputs: Sequence[str | Path],
    *,
    output: str | Path,
    docx: str | Path | None = None,
    schema: str | Path | Schema | None = None,
    strict: bool = False,
    skip_unreadable: bool = False,
    case: Case | None = None,
    on_note: Note | None = None,
    template: Path | None = None,
    today: dt.date | None = None,
) -> CollateResult:
    """Merge the returns into ``output`` (.xlsx) and, if asked, ``docx``; nothing on failure."""
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        if on_note is not None:
            on_note(text)

    output = Path(output)
    docx_path = Path(docx) if docx is not None else None
    if output.suffix.lower() != ".xlsx":
        raise OutputError(
            "is not an .xlsx file name", file=output, advice="give an output name ending in .xlsx"
        )
    if docx_path is not None and docx_path.suffix.lower() != ".docx":
        raise OutputError(
            "is not a .docx file name", file=docx_path, advice="give a name ending in .docx"
        )
    check_writable(output)
    if docx_path is not None:
        check_writable(docx_path)
    schema_obj = schema if isinstance(schema, Schema) else load_schema(schema)
    if not inputs:
        raise InputError("no returns were named", advice="name the returns or their folder")
    files = gather_inputs(inputs, exclude=[output, *([docx_path] if docx_path else [])], note=note)
    if not files:
        shown = ", ".join(str(p) for p in inputs)
        raise InputError(
            f"holds no returns ({', '.join(SPREADSHEET_SUFFIXES)})",
            file=shown,
            advice="save the agencies' returns there and run collate again",
        )
    returns: list[ReturnRead] = []
    for order, path in enumerate(files):
        try:
            read = read_return(path, schema=schema_obj, case=case, order=order)
        except UnreadableInputError as exc:
            if not skip_unreadable:
                raise
            note(f"{exc.message} It was left out (--skip-unreadable).")
            continue
        for text in read.notes:
            note(text)
        returns.append(read)
    if not returns:
        raise InputError(
            "none of the returns could be read", advice="ask the agencies for readable copies"
        )
    entries = sort_entries(e for r in returns for e in r.entries)
    groups = find_duplicates(entries, schema_obj.duplicates)
    if groups:
        entries = [
            dataclasses.replace(e, duplicate=duplicate_label(groups[i])) if i in groups else e
            for i, e in enumerate(entries)
        ]
    attention = [a for r in returns for a in r.attention]
    summaries = tuple(
        InputSummary(
            path=r.path,
            agency=r.agency,
            rows=r.rows,
            sheet=r.sheet,
            merged=len(r.entries),
            needing_attention=len(r.attention),
        )
        for r in returns
    )
    made = today or dt.date.today()
    title = "Merged chronology"
    if case is not None:
        title = f"{case.ref}: merged chronology" + (f" for {case.child}" if case.child else "")

    def write_xlsx(temp: Path) -> None:
        write_workbook(
            temp,
            entries=entries,
            attention=attention,
            inputs=summaries,
            schema=schema_obj,
            title=title,
            made=made,
        )

    jobs: list[tuple[Path, Callable[[Path], object]]] = [(output, write_xlsx)]
    if docx_path is not None:
        n_att = len(attention)
        fields = {
            "title": title,
            "subtitle": (
                f"Made by scrtool on {made.strftime('%d/%m/%Y')} from {len(returns)} "
                f"return{'s' if len(returns) != 1 else ''}: {len(entries)} "
                f"row{'s' if len(entries) != 1 else ''}."
            ),
            "notes": (
                f"{n_att} row{'s' if n_att != 1 else ''} could not be placed in date order and "
                f"{'are' if n_att != 1 else 'is'} listed on the Needs attention sheet of "
                f"{output.name}."
                if n_att
                else "Every row of every return is in this chronology."
            ),
        }
        jobs.append(
            (
                docx_path,
                lambda temp: write_docx(
                    temp, entries=entries, template=template, fields=fields, schema=schema_obj
                ),
            )
        )
    write_all_atomic(jobs)
    rows_merged = len(entries)
    return CollateResult(
        inputs=summaries,
        rows_read=rows_merged + len(attention),
        rows_merged=rows_merged,
        rows_needing_attention=len(attention),
        possible_duplicates=len(set(groups.values())),
        output=output,
        docx=docx_path,
        strict=strict,
        notes=tuple(notes),
        attention=tuple(attention),
    )
