"""The data a template is filled from: one set of values (``--data``) or rows (``--rows``).

Text stays text. JSON and YAML have no date type that is not a string, so an ISO-looking
string such as a reference ``2024-01-15`` is printed as written, and ``{{ ref[:4] }}``
works on it; a template that wants a date says so with the ``date`` filter
(``{{ due|date }}``), which reads ISO and day-first text. Values that are dates in the
file itself (a TOML date written without quotes, a date cell in a spreadsheet) are dates.
"""

from __future__ import annotations

import datetime as dt
import json
import keyword
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from scrtool.errors import DataError, InputError, Reason, UnreadableInputError
from scrtool.settings import tomllib

DATA_SUFFIXES = (".toml", ".json", ".yaml", ".yml", ".xlsx")
ROWS_SUFFIXES = (".xlsx", ".csv")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def identifier(header: str) -> str:
    """A column header as a template variable: "Agency name" -> "agency_name"."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    if not text:
        return ""
    if text[0].isdigit():
        text = "n_" + text
    if keyword.iskeyword(text) or text in ("true", "false", "none"):
        text += "_"
    return text


def _is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _spreadsheet_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return value
        return value
    return value


@lru_cache(maxsize=1)
def _text_dates_loader() -> Any:
    """YAML's safe loader, with ``2024-01-15`` left as text (as YAML 1.2 reads it)."""
    import yaml

    class TextDatesLoader(yaml.SafeLoader):
        pass

    TextDatesLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextDatesLoader


@dataclass(frozen=True)
class Data:
    """Values for one document; ``blanks_are_missing`` for spreadsheets, where blank means unset."""

    values: Mapping[str, Any]
    source: Path
    blanks_are_missing: bool = False


def load_data(path: str | Path) -> Data:
    """Read ``--data``: a table of variables from .toml, .json, .yaml/.yml or .xlsx."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        raise InputError(
            f"is not a data file scrtool reads ({', '.join(DATA_SUFFIXES)})",
            file=path,
            advice="save the data as .toml, .json, .yaml or .xlsx and try again",
        )
    if suffix == ".xlsx":
        return Data(_load_key_value_sheet(path), path, blanks_are_missing=True)
    text = _read_text(path)
    values: Any
    if suffix == ".toml":
        try:
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DataError(
                f"is not valid TOML ({exc})",
                file=path,
                advice='check the quotes and brackets on that line (text goes in "double quotes") and try again',
            ) from None
    elif suffix == ".json":
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"is not valid JSON ({exc.msg})",
                file=path,
                place=f"line {exc.lineno}, column {exc.colno}",
                advice="check the quotes, commas and brackets there and try again",
            ) from None
    else:
        import yaml

        try:
            values = yaml.load(text, Loader=_text_dates_loader())  # noqa: S506 - a SafeLoader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise DataError(
                f"is not valid YAML ({problem})",
                file=path,
                place=place,
                advice="check the indentation and the colons there and try again",
            ) from None
    if not isinstance(values, dict):
        raise DataError(
            "does not hold a table of names and values",
            file=path,
            advice='write it as name = value pairs (for example ref = "NS-2026-01") and try again',
        )
    return Data({str(k): v for k, v in values.items()}, path)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            "does not exist",
            file=path,
            advice="check the file name and folder, then try again",
            reason=Reason.MISSING,
        ) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=path, reason=Reason.NOT_A_FILE) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=path) from None
    from scrtool.readers.spreadsheets import decode_text

    # Notepad saves "Unicode" (UTF-16) and "ANSI" (Windows-1252) as well as UTF-8.
    try:
        return decode_text(path, raw)
    except UnicodeDecodeError:
        raise UnreadableInputError(
            "is not saved as text scrtool can read",
            file=path,
            advice="open it in Notepad, choose Save As with the encoding UTF-8, and try again",
        ) from None


def _heading_text(cell: Any) -> str:
    """A heading as Excel shows it: the number 2024 is "2024", not "2024.0"."""
    from scrtool.readers.spreadsheets import cell_text

    return cell if isinstance(cell, str) else cell_text(cell)


def _first_sheet_rows(path: Path) -> tuple[str, list[list[Any]]]:
    from scrtool.readers.spreadsheets import Workbook

    with Workbook(path) as book:
        if not book.sheets:
            raise DataError("has no sheets", file=path)
        sheet = book.sheets[0]
        return sheet.name, book.rows(sheet)


def _load_key_value_sheet(path: Path) -> dict[str, Any]:
    sheet, rows = _first_sheet_rows(path)
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for index, row in enumerate(rows, start=1):
        key = row[0] if row else None
        value = row[1] if len(row) > 1 else None
        if key is None or not str(key).strip():
            if value is not None:
                raise DataError(
                    "has a value but no name in column A",
                    file=path,
                    place=f'sheet "{sheet}" row {index}',
                    advice="put the variable's name in column A and try again",
                )
            continue
        name = _heading_text(key).strip()
        if (
            index == 1
            and name.casefold() in ("key", "name", "variable", "field")
            and (str(value or "").strip().casefold() in ("value", "values"))
        ):
            continue
        for k in {name, identifier(name)} - {""}:
            if not _is_identifier(k) and k != name:
                continue
            if k in seen:
                raise DataError(
                    f'names "{name}" twice (also row {seen[k]})',
                    file=path,
                    place=f'sheet "{sheet}" row {index}',
                    advice="keep one row for each name and try again",
                )
            seen[k] = index
            out[k] = _spreadsheet_value(value)
    return out


@dataclass(frozen=True)
class Row:
    """One batch row: ``number`` is its row in the sheet, as Excel shows it."""

    number: int
    values: Mapping[str, Any]
    original: Mapping[str, Any]


def load_rows(path: str | Path) -> list[Row]:
    """Read ``--rows``: the first sheet of an .xlsx or a .csv, a header row then one row each.

    Each column is available under its header made into a variable name ("Agency name"
    becomes ``agency_name``), under the header itself when that is already a valid name,
    and in ``row["Agency name"]`` as written.
    """
    path = Path(path)
    if path.suffix.lower() not in ROWS_SUFFIXES:
        raise InputError(
            f"is not a rows file scrtool reads ({', '.join(ROWS_SUFFIXES)})",
            file=path,
            advice="save the rows as an Excel workbook (.xlsx) or a CSV file and try again",
        )
    if not path.exists():
        raise InputError(
            "does not exist",
            file=path,
            advice="check the file name and folder, then try again",
            reason=Reason.MISSING,
        )
    sheet, rows = _first_sheet_rows(path)
    place_sheet = f'sheet "{sheet}" ' if path.suffix.lower() != ".csv" else ""
    header_index = next(
        (i for i, r in enumerate(rows) if any(c is not None and str(c).strip() for c in r)), None
    )
    if header_index is None:
        raise DataError(
            "is empty",
            file=path,
            advice="put the variable names in the first row and one document's values in each row below",
            reason=Reason.EMPTY,
        )
    header = rows[header_index]
    columns: list[tuple[int, str, list[str]]] = []
    seen: dict[str, str] = {}
    for col, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        original = " ".join(_heading_text(cell).split())
        names = [identifier(original)]
        if _is_identifier(original) and original not in names:
            names.append(original)
        names = [n for n in names if n]
        for n in names:
            if n in seen and seen[n] != original:
                raise DataError(
                    f'the columns "{seen[n]}" and "{original}" would both be the variable "{n}"',
                    file=path,
                    place=f"{place_sheet}row {header_index + 1}",
                    advice="rename one of the columns and try again",
                )
            if n in seen:
                raise DataError(
                    f'has two columns named "{original}"',
                    file=path,
                    place=f"{place_sheet}row {header_index + 1}",
                    advice="rename one of the columns and try again",
                )
            seen[n] = original
        columns.append((col, original, names))
    out: list[Row] = []
    from scrtool.readers.spreadsheets import column_letter

    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not any(c is not None and str(c).strip() for c in row):
            continue
        for col, cell in enumerate(row):
            if cell is not None and str(cell).strip() and not any(c == col for c, _, _ in columns):
                raise DataError(
                    "has a value in a column with no heading",
                    file=path,
                    place=f"{place_sheet}row {index + 1}, column {column_letter(col)}",
                    advice="give the column a heading in the first row, or clear it, and try again",
                )
        values: dict[str, Any] = {}
        original_values: dict[str, Any] = {}
        for col, original, names in columns:
            value = _spreadsheet_value(row[col] if col < len(row) else None)
            if isinstance(value, str) and not value.strip():
                value = None
            original_values[original] = value
            for n in names:
                values[n] = value
        values.setdefault("row", original_values)
        values.setdefault("row_number", index + 1)
        out.append(Row(number=index + 1, values=values, original=original_values))
    if not out:
        raise DataError(
            "has a heading row but no rows of values",
            file=path,
            advice="add one row for each document and try again",
        )
    return out
