"""Dates as people in England write them: day first, always.

``parse_date`` reads one exact date from text and raises ``ValueError`` with a short
reason when it cannot; ``format_english`` writes ``3 July 2026``. The chronology reader
builds on these for approximate and month-only dates.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1, "january": 1,
    "feb": 2, "february": 2,
    "mar": 3, "march": 3,
    "apr": 4, "april": 4,
    "may": 5,
    "jun": 6, "june": 6,
    "jul": 7, "july": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]  # fmt: skip

_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?"
_DAY_WORD = re.compile(rf"^\s*{_WEEKDAY}\.?,?\s+", re.IGNORECASE)
_NUMERIC = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_ISO_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_WORDY = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]+([a-z]+)\.?,?[\s\-/.]+(\d{2}|\d{4})$",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$",
    re.IGNORECASE,
)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years in case records are this century unless that puts them in the
        # future; a 1990s birth is written "95", never a year still to come.
        this_year = dt.date.today().year % 100
        year += 2000 if year <= this_year + 1 else 1900
    return year


def _month(word: str) -> int:
    month = MONTHS.get(word.lower().rstrip("."))
    if month is None:
        raise ValueError(f'"{word}" is not a month')
    return month


def _make(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            raise ValueError(f"{MONTH_NAMES[month - 1]} {year} has no day {day}") from None
        raise ValueError(f"there is no month {month}") from None


def parse_date(text: str) -> dt.date:
    """Read one exact date written day first; ``ValueError`` says why when it cannot."""
    s = " ".join(str(text).split())
    if not s:
        raise ValueError("the date is empty")
    s = _DAY_WORD.sub("", s)
    if m := _ISO.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _ISO_SLASH.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.match(s):
        return _make(_year(m[4]), int(m[3]), int(m[1]))
    if m := _WORDY.match(s):
        return _make(_year(m[3]), _month(m[2]), int(m[1]))
    if m := _MONTH_FIRST.match(s):
        return _make(int(m[3]), _month(m[1]), int(m[2]))
    raise ValueError("it is not a date scrtool can read (write it as 31/03/2026)")


def format_english(value: dt.date) -> str:
    """``3 July 2026``: the style of a letter or report in England."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def coerce_date(value: object) -> dt.date:
    """A date from a TOML/JSON/YAML value: a date, a datetime or day-first text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError(f"{value!r} is not a date")
