"""Dates as people in England write them: day first, always.

``parse_date`` reads one exact date from text and raises ``ValueError`` with a short
reason when it cannot; ``format_english`` writes ``3 July 2026``. The chronology reader
builds on these: ``parse_partial_date`` also reads month-only, year-only and approximate
dates ("April 2023", "approx. 2021", "?22/05/2016") and says how exact each one is, so
that nothing is ever given a false exact day; ``parse_time`` reads the times agencies
write (``14:30``, ``2.30pm``); ``from_excel_serial`` turns a spreadsheet serial number
into a date in either of Excel's date systems.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

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
    weekday = _DAY_WORD.match(s)
    s = _DAY_WORD.sub("", s)
    day = _parse_exact(s)
    if weekday is not None:
        written = _WEEKDAYS[weekday.group(0).strip()[:3].lower()]
        if written != day.weekday():
            raise WeekdayMismatch(
                f"{format_english(day)} was a {_WEEKDAY_NAMES[day.weekday()]}, "
                f"not a {_WEEKDAY_NAMES[written]}: check which of the two is right"
            )
    return day


class WeekdayMismatch(ValueError):
    """The weekday written beside a date is not that date's weekday."""


_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _parse_exact(s: str) -> dt.date:
    if m := _ISO.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _ISO_SLASH.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.match(s):
        if int(m[3]) > 12 and int(m[1]) <= 12:
            # "12/13/2022" is month first, as in America; England writes the day first.
            raise ValueError(
                f"there is no month {int(m[3])} (dates are read day first, as in 13/12/2022)"
            )
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


# --- Times -------------------------------------------------------------------------------

_TIME = re.compile(
    r"^(\d{1,2})(?:\s*[:.]\s*(\d{2})(?:\s*[:.]\s*(\d{2})(?:\.\d+)?)?)?"
    r"\s*(am|pm|a\.m\.?|p\.m\.?)?\s*(?:hrs|hours|hr|h)?\.?$",
    re.IGNORECASE,
)
_TIME_4 = re.compile(r"^(\d{2})(\d{2})\s*(?:hrs|hours|hr|h)?\.?$", re.IGNORECASE)
_TIME_WORDS = {"noon": dt.time(12), "midday": dt.time(12), "midnight": dt.time(0)}


def parse_time(text: str) -> dt.time:
    """Read a time as agencies write it: ``14:30``, ``14.30``, ``1430hrs``, ``2.30pm``, ``2pm``.

    A bare number such as ``14`` is not a time (it could be anything), so it needs a
    separator, four digits or am/pm.
    """
    s = " ".join(str(text).split()).strip()
    if not s:
        raise ValueError("the time is empty")
    word = _TIME_WORDS.get(s.casefold().rstrip("."))
    if word is not None:
        return word
    if m := _TIME_4.match(s):
        hour, minute, second, half = int(m[1]), int(m[2]), 0, None
    elif (m := _TIME.match(s)) and (m[2] is not None or m[4] is not None):
        hour = int(m[1])
        minute = int(m[2] or 0)
        second = int(m[3] or 0)
        half = m[4].casefold().replace(".", "") if m[4] else None
    else:
        raise ValueError("it is not a time scrtool can read (write it as 14:30)")
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError(f"{hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour == 24 and minute == 0 and second == 0:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("there is no such time of day")
    return dt.time(hour, minute, second)


# --- Dates that are not an exact day -----------------------------------------------------

Precision = Literal["day", "month", "year"]

_APPROX_WORDS = (
    r"approx(?:imately|\.)?|approx|circa|c\.|ca\.|c|about|around|roughly|estimated|est\.?"
    r"|before|after|by|early|mid|middle of|late|end of|beginning of|start of|spring|summer"
    r"|autumn|fall|winter|half[- ]term|term|w/c|w\.c\.|week commencing|week beginning|w/b"
    r"|from|between"
)
_APPROX_LEAD = re.compile(
    rf"^(?:\?+\s*|~\s*|(?:{_APPROX_WORDS})(?:\s*-\s*|\s+|(?=\d)|$))+", re.IGNORECASE
)
_APPROX_TAIL = re.compile(
    r"(?:\s*\?+|\s*\((?:approx(?:imate|imately|\.)?|est\.?|estimated|circa|c\.?)\)|\s+approx(?:imately|\.)?|\s*-?\s*(?:ish))$",
    re.IGNORECASE,
)
_UNKNOWN_DAY = re.compile(
    r"^(?:\?+|x+|-+|_+|0{1,2}|dd)\s*([/.\-])\s*(\d{1,2}|\?+|x+|mm)\s*\1\s*(\d{4}|\d{2})$",
    re.IGNORECASE,
)
_DAY_RANGE = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|—|/|&|\+|,|and|to|or)\s*(\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s+of)?[\s\-/.]+([a-z]+)\.?,?[\s\-/.]+(\d{2}|\d{4})$",
    re.IGNORECASE,
)
_RANGE = re.compile(r"^(.+?)\s*(?:-|–|—|\band\b|to|until|till)\s*(.+)$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[\s,\-/.']+(\d{4}|'?\d{2})$", re.IGNORECASE)
_NUM_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})s?$")
_TRAILING_TIME = re.compile(
    r"^(?P<date>.*?\S)(?:\s*,?\s+(?:at\s+)?|T)"
    r"(?P<time>\d{1,2}(?:[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?\s*(?:am|pm|a\.m\.?|p\.m\.?|hrs)?\.?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PartialDate:
    """A date as exact as its writer made it.

    ``start`` is the first day of the period the writer meant (1 April 2023 for "April
    2023"); it is only for sorting. ``precision`` says which parts are known and
    ``approximate`` that the writer hedged ("approx.", "?", "early", a range). Only a
    ``day`` precision that is not approximate is an exact date.
    """

    start: dt.date
    precision: Precision = "day"
    approximate: bool = False
    written: str = ""

    @property
    def exact(self) -> bool:
        return self.precision == "day" and not self.approximate

    def label(self) -> str:
        """How the date reads in a report: ``03/04/2023``, ``April 2023``, ``approx. 2021``."""
        if self.precision == "day":
            text = self.start.strftime("%d/%m/%Y")
        elif self.precision == "month":
            text = f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        else:
            text = str(self.start.year)
        return f"approx. {text}" if self.approximate else text

    def english(self) -> str:
        """How the date reads in a letter: ``3 April 2023``, ``April 2023``, ``about 2021``."""
        if self.precision == "day":
            text = format_english(self.start)
        elif self.precision == "month":
            text = f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        else:
            text = str(self.start.year)
        return f"about {text}" if self.approximate else text


def split_date_time(text: str) -> tuple[str, str | None]:
    """``"03/04/2023 14:30"`` -> (``"03/04/2023"``, ``"14:30"``); no time -> (text, None)."""
    s = " ".join(str(text).split())
    m = _TRAILING_TIME.match(s)
    if m is None:
        return s, None
    time_text = m["time"]
    # "3 April 2023" ends in a number too: only a separator or am/pm/hrs makes it a time.
    if not re.search(r"[:.]|am|pm|a\.m|p\.m|hrs", time_text, re.IGNORECASE):
        return s, None
    date_text = m["date"].rstrip(",")
    if not re.search(r"\d", date_text):
        return s, None
    return date_text, time_text


def _month_or_year(s: str) -> tuple[dt.date, Precision] | None:
    if m := _MONTH_YEAR.match(s):
        try:
            month = _month(m[1])
        except ValueError:
            return None
        return dt.date(_year(m[2].lstrip("'")), month, 1), "month"
    if m := _NUM_MONTH_YEAR.match(s):
        month = int(m[1])
        if 1 <= month <= 12:
            return dt.date(int(m[2]), month, 1), "month"
        return None
    if m := _ISO_MONTH.match(s):
        month = int(m[2])
        if 1 <= month <= 12:
            return dt.date(int(m[1]), month, 1), "month"
        return None
    if m := _YEAR.match(s):
        return dt.date(int(m[1]), 1, 1), "year"
    return None


def parse_month(text: str) -> dt.date | None:
    """The first day of the month that ``text`` names on its own ("March 2027", "Mar-27",
    "03/2027", "2027-03"), or None when it names no month."""
    found = _month_or_year(" ".join(str(text).split()))
    return found[0] if found is not None and found[1] == "month" else None


def _decade(s: str) -> bool:
    return bool(re.fullmatch(r"\d{4}s", s))


def parse_partial_date(text: str) -> PartialDate:
    """Read a date that may be exact, month-only, year-only or approximate.

    Exact dates are read by ``parse_date`` (day first). Anything hedged keeps
    ``approximate=True``; a month or year keeps that precision and is never turned into
    a day. ``ValueError`` says why the text is not a date at all.
    """
    written = " ".join(str(text).split())
    if not written:
        raise ValueError("the date is empty")
    try:
        return PartialDate(parse_date(written), "day", False, written)
    except WeekdayMismatch:
        raise
    except ValueError as exc:
        first_error = exc
    s = _DAY_WORD.sub("", written)
    if m := _UNKNOWN_DAY.match(s):
        # "?/06/2022", "XX/06/2022": the month is known, the day is not.
        year = _year(m[3])
        if m[2].isdigit():
            month = int(m[2])
            if not 1 <= month <= 12:
                raise ValueError(f"there is no month {month}")
            return PartialDate(dt.date(year, month, 1), "month", True, written)
        return PartialDate(dt.date(year, 1, 1), "year", True, written)
    approximate = False
    stripped = _APPROX_LEAD.sub("", s)
    stripped = _APPROX_TAIL.sub("", stripped).strip(" ,;")
    if stripped != s:
        approximate = True
        s = stripped
    if not s:
        raise first_error
    if m := _DAY_RANGE.match(s):
        # "3-5 May 2022", "between 3 and 5 May 2022", "2nd/3rd May 2022": a few days.
        year, month = _year(m[4]), _month(m[3])
        first_day = _make(year, month, int(m[1]))
        _make(year, month, int(m[2]))
        return PartialDate(first_day, "day", True, written)
    if (m := _RANGE.match(s)) and (re.search(r"\d", m[1]) or m[1].casefold() in MONTHS):
        # A period ("03/04/2023 - 05/04/2023", "2019 to 2021"): placed at its start.
        first: PartialDate | None
        try:
            last = parse_partial_date(m[2])
            try:
                first = parse_partial_date(m[1])
            except ValueError:
                # "30 April - 2 May 2022": the first half borrows the second's year.
                first = parse_partial_date(f"{m[1]} {last.start.year}")
        except ValueError:
            first = None
        if first is not None:
            return PartialDate(first.start, first.precision, True, written)
    try:
        return PartialDate(parse_date(s), "day", approximate, written)
    except ValueError as exc:
        if approximate and re.fullmatch(r"[\d/.\-\s]+", s) and s.count("/") + s.count(".") >= 2:
            # "?31/02/2016" is still an impossible day, however hedged.
            raise exc from None
    found = _month_or_year(s)
    if found is None:
        raise first_error
    start, precision = found
    return PartialDate(start, precision, approximate or _decade(s), written)


# --- Spreadsheet serial numbers ----------------------------------------------------------

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def from_excel_serial(value: float, *, date1904: bool = False) -> dt.datetime:
    """A spreadsheet serial number as a date and time (1900 or 1904 date system).

    In the 1900 system Excel counts a 29 February 1900 that never was (serial 60), so
    serials 1 to 59 (1 January to 28 February 1900) count from one day later, and 60
    itself is no date at all.
    """
    if date1904:
        return _EPOCH_1904 + dt.timedelta(days=value)
    if value < 1:
        raise ValueError("it is a number too small to be a date")
    if 60 <= value < 61:
        raise ValueError("it is 29/02/1900, a day Excel shows but which never was")
    if value < 60:
        return _EPOCH_1900 + dt.timedelta(days=value + 1)
    return _EPOCH_1900 + dt.timedelta(days=value)


def time_from_fraction(value: float) -> dt.time:
    """The time part of a spreadsheet number (0.5 is 12:00), to the nearest second."""
    seconds = round((value % 1) * 86400)
    if seconds >= 86400:
        seconds = 0
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
