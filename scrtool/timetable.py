"""The review's timetable: completion, the panel copy, publication and the website period.

The seed procedure sets the clock: completion "within six months of initiating", the
National Panel's copy "at least one week before publication", and the report kept on the
website "for a minimum of 12 months". For a Local Child Safeguarding Practice Review the
week is counted in working days, so weekends and England-and-Wales bank holidays are
skipped. Bank holidays come from the maintained ``holidays`` package (England's calendar,
which is the same as Wales'), never from a hand-kept list, so substitute days such as
Christmas (observed) and one-off holidays are included.

Calendar months are added the way people count them: 2 February + 6 months is
2 August. A day that the later month does not have is clamped to its last day, so
31 August + 6 months is 28 February (29 February in a leap year).
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from typing import Any

from scrtool.errors import InputError

REVIEW_TYPES = ("scr", "lcspr")

#: How long things take, in the units the seed procedure and the guidance use.
COMPLETION_MONTHS = 6
WEBSITE_MONTHS = 12
SCR_PANEL_COPY_DAYS = 7
LCSPR_PANEL_COPY_WORKING_DAYS = 7
NOTIFICATION_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15

#: The ``holidays`` subdivision whose bank holidays apply. England and Wales share one
#: calendar; the package keeps them as "ENG" and "WLS" with identical days.
HOLIDAY_COUNTRY = "GB"
HOLIDAY_SUBDIVISION = "ENG"


@lru_cache(maxsize=1)
def _bank_holidays() -> Any:
    import holidays

    # The object fills in each year the first time a date in it is looked up.
    return holidays.country_holidays(HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION)


def bank_holiday_name(day: dt.date) -> str | None:
    """The England-and-Wales bank holiday on ``day`` ("Easter Monday"), or None."""
    name = _bank_holidays().get(day)
    return str(name) if name else None


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not an England-and-Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays()


def _step_working_days(day: dt.date, n: int, step: int) -> dt.date:
    if n < 0:
        raise ValueError("the number of working days cannot be negative")
    current = day
    counted = 0
    while counted < n:
        current += dt.timedelta(days=step)
        if is_working_day(current):
            counted += 1
    return current


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day before ``day`` (``day`` itself is not counted)."""
    return _step_working_days(day, n, -1)


def working_days_after(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself is not counted)."""
    return _step_working_days(day, n, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months; a day the target month lacks becomes its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def check_review_type(review_type: str) -> str:
    value = str(review_type).strip().lower()
    if value not in REVIEW_TYPES:
        raise InputError(
            f'the review type "{review_type}" is not one scrtool knows',
            advice='use "scr" (Serious Case Review) or "lcspr" (Local Child Safeguarding Practice Review)',
        )
    return value


def completion_due(initiated: dt.date) -> dt.date:
    """Six calendar months after the review was initiated."""
    return add_months(initiated, COMPLETION_MONTHS)


def published_until(publication: dt.date) -> dt.date:
    """The report stays on the website at least until 12 calendar months after publication."""
    return add_months(publication, WEBSITE_MONTHS)


def panel_copy_due(review_type: str, publication: dt.date) -> dt.date:
    """The last day the National Panel's copy may be sent.

    ``scr``: publication less 7 calendar days. ``lcspr``: the 7th England-and-Wales working
    day before publication (the publication day not counted).
    """
    kind = check_review_type(review_type)
    if kind == "scr":
        return publication - dt.timedelta(days=SCR_PANEL_COPY_DAYS)
    return working_days_before(publication, LCSPR_PANEL_COPY_WORKING_DAYS)


def notification_due(incident_known: dt.date) -> dt.date:
    """LCSPR: the National Panel is told within 5 working days of learning of the incident."""
    return working_days_after(incident_known, NOTIFICATION_WORKING_DAYS)


def rapid_review_due(notified: dt.date) -> dt.date:
    """LCSPR: the rapid review is done within 15 working days of the notification."""
    return working_days_after(notified, RAPID_REVIEW_WORKING_DAYS)
