"""The chronology's columns, read from schemas/chronology.toml, and the header-cell matcher."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool import settings as _settings
from scrtool.errors import (
    InputError,
)
from scrtool.resources import schema_path

#: The contract's columns, in order, before any extra schema columns.
CORE_COLUMNS = ("Date", "Time", "Agency", "Source", "Event type", "Details", "Action taken")
PROVENANCE_COLUMNS = ("Source file", "Source sheet", "Source row")
DUPLICATE_COLUMN = "Possible duplicate"
AGE_COLUMN = "Child's age"
REF_COLUMN = "Event ref"
KEY_COLUMN = "Key event"
REASON_COLUMN = "Reason"
OTHER_COLUMN = "Other columns"
SHEETS = ("Chronology", "Needs attention", "Summary")
COLUMN_TYPES = ("date", "time", "text", "choice", "yes-no")
FILL_DATE_AS_WRITTEN = "date-as-written"
FILL_BEFORE_SCOPE = "before-scope"
FILLS = (FILL_DATE_AS_WRITTEN, FILL_BEFORE_SCOPE)
_CORE_TYPES = {"Date": "date", "Time": "time", "Event type": "choice"}
_RESERVED = {
    *PROVENANCE_COLUMNS, DUPLICATE_COLUMN, REASON_COLUMN, OTHER_COLUMN, AGE_COLUMN, REF_COLUMN
}  # fmt: skip
_YES = frozenset(
    {"yes", "y", "x", "true", "1", "key", "keyevent", "significant", "\u2713", "\u2714"}
)
_NO = frozenset({"no", "n", "false", "0", "notkey"})

#: Dates a chronology can hold: Excel shows nothing before 1900. (Excel's serial 60 is a
#: 29 February 1900 that never was; the reader shows it as written, so it is refused.)
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
_SERIAL_MIN = 10958  # 1 January 1930
_SERIAL_MAX = 73415  # 31 December 2100
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")

SCHEMA_ADVICE = "correct it in the schema file and run collate again"

Note = Callable[[str], None]


# --- The schema ---------------------------------------------------------------------------


#: The one header matcher is in settings; the chronology reads headings with it.
header_key = _settings.header_key
header_keys = _settings.header_keys
_BRACKETED = _settings.BRACKETED_NOTE


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
    agency_codes: tuple[tuple[str, str], ...] = ()
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
    _yes_no: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)

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
        object.__setattr__(
            self, "_yes_no", frozenset(c.name for c in self.columns if c.type == "yes-no")
        )

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
        first = text.splitlines()[0].strip()
        words = re.findall(r"[^\W_]+", first.casefold())
        # A label, not a sentence that happens to hold "date" ("Mother asked for a new date.").
        if not words or len(words) > 6 or first.endswith((".", "!", "?")):
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
        if name in self._yes_no:
            return yes_no(value)
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


def yes_no(value: str) -> str:
    """A Key event cell as "Yes" or "No"; anything else is kept as the agency wrote it."""
    key = header_key(value) or value.strip()
    if key in _YES:
        return "Yes"
    if key in _NO:
        return "No"
    return value


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
    from scrtool.settings import load_data

    source = Path(path) if path is not None else schema_path("chronology.toml")
    data = load_data("chronology", source)
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
        if fill is not None and fill not in FILLS:
            allowed = " or ".join(f'"{f}"' for f in FILLS)
            raise _schema_error(source, f'"fill" may only be {allowed}', place)
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
    raw_codes = data.get("agency_codes", {})
    if not isinstance(raw_codes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9]{1,8}", v)
        for k, v in raw_codes.items()
    ):
        raise _schema_error(
            source,
            'each entry must be a phrase and a code of 1 to 8 letters or digits ("police" = "POL")',
            "[agency_codes]",
        )
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
        agency_codes=tuple((k.casefold(), v.upper()) for k, v in raw_codes.items()),
    )
