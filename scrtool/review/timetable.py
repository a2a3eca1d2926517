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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.dates import format_english
from scrtool.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrtool.case import Case

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


# --- The whole timetable ---------------------------------------------------------------

#: Milestone key -> (name people read, the case.toml key that records it was done).
MILESTONES: dict[str, tuple[str, str | None]] = {
    "notification": ("Notification to the National Panel", "notified"),
    "rapid_review": ("Rapid review", "rapid_review"),
    "completion": ("Review completed", "completed"),
    "panel_copy": ("Copy sent to the National Panel", "panel_copy_sent"),
    "publication": ("Report published", "published"),
    "website_period": ("End of the website period", None),
}

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Milestone:
    """One date in the review's life.

    ``done`` is True when case.toml records the day it happened (``done_on``); the end of
    the website period has no such record, so it counts as done once the day has passed.
    ``overdue`` is True when it is not done and ``today`` is after ``due``.
    """

    key: str
    name: str
    due: dt.date | None
    done_on: dt.date | None
    done: bool
    status: str
    days_overdue: int | None = None
    days_until_due: int | None = None
    days_late: int | None = None
    done_key: str | None = None

    @property
    def overdue(self) -> bool:
        return self.status == OVERDUE

    def describe(self) -> str:
        """``done on 1 September 2026``, ``due in 12 days``, ``overdue by 3 days``."""
        if self.key == "website_period" and self.status in (DONE, DUE):
            if self.status == DONE:
                return "the 12 months have passed"
            return f"keep it on the website for another {_days(self.days_until_due or 0)}"
        if self.status == DONE:
            if self.done_on is None:
                return "passed"
            late = f", {_days(self.days_late)} late" if self.days_late else ""
            return f"done on {format_english(self.done_on)}{late}"
        if self.status == OVERDUE:
            return f"overdue by {_days(self.days_overdue or 0)}"
        if self.status == DUE:
            if self.days_until_due == 0:
                return "due today"
            return f"due in {_days(self.days_until_due or 0)}"
        return "not known yet"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "due": self.due,
            "done": self.done,
            "overdue": self.overdue,
            "status": self.status,
            "done_on": self.done_on,
            "days_overdue": self.days_overdue,
            "days_until_due": self.days_until_due,
            "days_late": self.days_late,
        }


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@dataclass(frozen=True)
class Timetable:
    review_type: str | None
    ref: str | None
    initiated: dt.date | None
    completion_due: dt.date | None
    publication: dt.date | None
    panel_copy_due: dt.date | None
    published_until: dt.date | None
    today: dt.date
    milestones: tuple[Milestone, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def overdue(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.overdue)

    def milestone(self, key: str) -> Milestone | None:
        return next((m for m in self.milestones if m.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "review_type": self.review_type,
            "initiated": self.initiated,
            "completion_due": self.completion_due,
            "publication": self.publication,
            "panel_copy_due": self.panel_copy_due,
            "published_until": self.published_until,
            "milestones": [m.to_json() for m in self.milestones],
            "ref": self.ref,
            "today": self.today,
            "notes": list(self.notes),
        }


def _milestone(key: str, due: dt.date | None, done_on: dt.date | None, today: dt.date) -> Milestone:
    name, done_key = MILESTONES[key]
    if done_on is not None and done_on > today:
        # Counting from an earlier day: what happened later had not happened yet.
        done_on = None
    if key == "website_period":
        # Nothing to do on the day: the report must simply stay up until then.
        done_on = None
        done = due is not None and today >= due
    else:
        done = done_on is not None
    status = UNKNOWN
    days_overdue = days_until = days_late = None
    if done:
        status = DONE
        if done_on is not None and due is not None and done_on > due:
            days_late = (done_on - due).days
    elif due is not None:
        if today > due:
            status = OVERDUE
            days_overdue = (today - due).days
        else:
            status = DUE
            days_until = (due - today).days
    return Milestone(
        key=key,
        name=name,
        due=due,
        done_on=done_on,
        done=done,
        status=status,
        days_overdue=days_overdue,
        days_until_due=days_until,
        days_late=days_late,
        done_key=done_key,
    )


def build_timetable(
    *,
    review_type: str | None = None,
    initiated: dt.date | None = None,
    publication: dt.date | None = None,
    today: dt.date | None = None,
    case: Case | None = None,
) -> Timetable:
    """Every milestone that the known dates allow; explicit values override case.toml.

    What cannot be worked out is left as None with a note saying which date would let it
    be; only when no milestone at all can be dated is that an error.
    """
    today = today or dt.date.today()
    recorded: dict[str, dt.date | None] = {}
    ref = None
    if case is not None:
        ref = case.ref
        review_type = review_type or case.type
        initiated = initiated or case.date("initiated")
        publication = publication or case.date("publication") or case.date("published")
        for key in ("incident_known", "notified", "rapid_review", "completed",
                    "panel_copy_sent", "published"):  # fmt: skip
            recorded[key] = case.date(key)
    kind = check_review_type(review_type) if review_type else None
    source = "case.toml" if case is not None else None
    notes: list[str] = []

    def how(flag: str, key: str) -> str:
        if source:
            return f"give {flag} or set review.{key} in case.toml"
        return f"give {flag}"

    due_completion = completion_due(initiated) if initiated else None
    if initiated is None:
        notes.append(
            f"No date the review was initiated, so completion cannot be dated: {how('--initiated', 'initiated')}."
        )
    due_panel = until = None
    if publication is not None:
        until = published_until(publication)
        if kind is None:
            notes.append(
                "The review type is not known, so the panel copy cannot be dated: "
                "give --type scr or --type lcspr."
            )
        else:
            due_panel = panel_copy_due(kind, publication)
    else:
        notes.append(
            "No publication date, so the panel copy and the website period cannot be dated: "
            f"{how('--publication', 'publication')}."
        )

    milestones: list[Milestone] = []
    if kind == "lcspr":
        known = recorded.get("incident_known")
        notified = recorded.get("notified")
        due_notify = notification_due(known) if known else None
        due_rapid = rapid_review_due(notified) if notified else None
        if case is None:
            notes.append(
                "The notification and the rapid review are dated from case.toml "
                "(review.incident_known and review.notified): give --case to include them."
            )
        else:
            if known is None:
                notes.append(
                    "No date the partnership learned of the incident, so the notification "
                    "cannot be dated: set review.incident_known in case.toml."
                )
            if notified is None:
                notes.append(
                    "No date the National Panel was notified, so the rapid review cannot be "
                    "dated: set review.notified in case.toml."
                )
        milestones.append(_milestone("notification", due_notify, notified, today))
        milestones.append(
            _milestone("rapid_review", due_rapid, recorded.get("rapid_review"), today)
        )
    milestones.append(_milestone("completion", due_completion, recorded.get("completed"), today))
    milestones.append(_milestone("panel_copy", due_panel, recorded.get("panel_copy_sent"), today))
    milestones.append(_milestone("publication", publication, recorded.get("published"), today))
    milestones.append(_milestone("website_period", until, None, today))

    if all(m.due is None for m in milestones):
        where = case.file if case is not None else None
        raise InputError(
            "There are no dates to work the timetable out from",
            file=where,
            advice="give --initiated or --publication (for example --initiated 02/02/2026)"
            + (", or set review.initiated or review.publication in case.toml" if where else ""),
        )
    return Timetable(
        review_type=kind,
        ref=ref,
        initiated=initiated,
        completion_due=due_completion,
        publication=publication,
        panel_copy_due=due_panel,
        published_until=until,
        today=today,
        milestones=tuple(milestones),
        notes=tuple(notes),
    )


def calendar_events(timetable: Timetable) -> list[Any]:
    """The dated milestones as all-day calendar events with stable UIDs."""
    from scrtool.review.ics import AllDayEvent

    label = timetable.ref or "Review"
    kind = timetable.review_type or "review"
    events = []
    for m in timetable.milestones:
        if m.due is None:
            continue
        detail = [f"{m.name} for {label}: due {format_english(m.due)}."]
        if m.done_on is not None:
            detail.append(f"Done on {format_english(m.done_on)}.")
        if m.key == "website_period":
            detail.append("The report must stay on the partnership's website until this day.")
        uid_ref = "".join(c if c.isalnum() or c in "-." else "-" for c in label.lower())
        events.append(
            AllDayEvent(
                uid=f"{uid_ref}-{kind}-{m.key.replace('_', '-')}@scrtool",
                day=m.due,
                summary=f"{label}: {m.name}",
                description=" ".join(detail),
                categories=("Case review",),
            )
        )
    return events


def write_calendar(
    timetable: Timetable,
    output: Path,
    *,
    stamp: dt.datetime | None = None,
    inputs: Sequence[Path] = (),
) -> Path:
    """Write the milestones as an ``.ics`` calendar file, atomically (never over ``inputs``)."""
    from scrtool.outputs import refuse_inputs, write_bytes_atomic
    from scrtool.review.ics import render_calendar

    refuse_inputs(output, inputs, what="the case file this timetable was read from")

    name = f"{timetable.ref or 'Review'} timetable"
    text = render_calendar(calendar_events(timetable), name=name, stamp=stamp)
    return write_bytes_atomic(output, text.encode("utf-8"))
