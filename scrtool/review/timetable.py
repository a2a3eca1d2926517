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

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.dates import format_english
from scrtool.errors import CaseError, InputError

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
    from dateutil.relativedelta import relativedelta

    result: dt.date = day + relativedelta(months=months)
    return result


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
    "ofsted_notification": (
        "Notification to Ofsted and the Secretary of State (looked-after child)",
        "ofsted_notified",
    ),
    "rapid_review": ("Rapid review", "rapid_review"),
    "decision_to_panel": ("Rapid review and the partners' decision sent to the Panel", "panel_told"),
    "completion": ("Review completed", "completed"),
    "publication_due": ("Completed and published within six months", "published"),
    "delay_told": ("Panel told of the delay and its reasons", "delay_told"),
    "panel_copy": ("Copy sent to the National Panel", "panel_copy_sent"),
    "publication": ("Report published", "published"),
    "website_period": ("End of the website period", None),
    "not_published_told": ("Panel told the report will not be published, with the reasons", "not_published_told"),
    "improvements_copy": (
        "Information about the improvements sent to the Panel and the Secretary of State",
        "panel_copy_sent",
    ),
    "improvements_published": ("Information about the improvements published", "improvements_published"),
}  # fmt: skip

#: Milestones a person must act by: a weekend or bank holiday on the day gets a warning.
ACTION_MILESTONES = (
    "notification", "ofsted_notification", "rapid_review", "decision_to_panel", "completion",
    "publication_due", "panel_copy", "publication", "not_published_told", "improvements_copy",
    "improvements_published",
)  # fmt: skip

#: Milestones whose lateness the delay reasons explain.
DELAYABLE = ("completion", "publication_due", "publication", "improvements_published")

#: A publication year this far from the initiation year is taken for a typing slip.
MAX_YEARS_TO_PUBLICATION = 5

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Milestone:
    """One date in the review's life.

    ``done`` is True when case.toml records the day it happened (``done_on``); the end of
    the website period has no such record, so it counts as done once the day has passed.
    ``overdue`` is True when it is not done and ``today`` is after ``due``; the six-month
    target of an LCSPR is also overdue when the report was published after it.
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
    delay_reasons: tuple[str, ...] = ()
    warning: str | None = None

    @property
    def overdue(self) -> bool:
        if self.key == "publication_due" and self.days_late:
            return True
        return self.status == OVERDUE

    @property
    def late(self) -> bool:
        return self.status == OVERDUE or bool(self.days_late)

    def describe(self) -> str:
        """``done on 1 September 2026``, ``due in 12 days``, ``overdue by 3 days``."""
        if self.key == "website_period" and self.status in (DONE, DUE):
            if self.status == DONE:
                return "the 12 months have passed"
            return f"keep it on the website for another {_days(self.days_until_due or 0)}"
        text = "not known yet"
        if self.status == DONE:
            if self.done_on is None:
                text = "passed"
            else:
                late = f", {_days(self.days_late)} late" if self.days_late else ""
                text = f"done on {format_english(self.done_on)}{late}"
        elif self.status == OVERDUE:
            text = f"overdue by {_days(self.days_overdue or 0)}"
        elif self.status == DUE:
            text = (
                "due today"
                if self.days_until_due == 0
                else f"due in {_days(self.days_until_due or 0)}"
            )
        if self.delay_reasons:
            text += f" (delay: {'; '.join(self.delay_reasons)})"
        return text

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
            "delay_reasons": list(self.delay_reasons),
            "warning": self.warning,
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
    published: dt.date | None = None
    publication_due: dt.date | None = None
    publish: bool = True
    not_published_reasons: str | None = None
    delay_reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def overdue(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.overdue)

    @property
    def counted_from(self) -> dt.date | None:
        """The publication day the panel copy and website period are counted from."""
        return self.published or self.publication

    def milestone(self, key: str) -> Milestone | None:
        return next((m for m in self.milestones if m.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "review_type": self.review_type,
            "initiated": self.initiated,
            "completion_due": self.completion_due,
            "publication": self.publication,
            "published": self.published,
            "publication_due": self.publication_due,
            "panel_copy_due": self.panel_copy_due,
            "published_until": self.published_until,
            "publish": self.publish,
            "not_published_reasons": self.not_published_reasons,
            "delay_reasons": list(self.delay_reasons),
            "milestones": [m.to_json() for m in self.milestones],
            "warnings": list(self.warnings),
            "ref": self.ref,
            "today": self.today,
            "notes": list(self.notes),
        }


def _milestone(
    key: str,
    due: dt.date | None,
    done_on: dt.date | None,
    today: dt.date,
    *,
    name: str | None = None,
) -> Milestone:
    default_name, done_key = MILESTONES[key]
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
        name=name or default_name,
        due=due,
        done_on=done_on,
        done=done,
        status=status,
        days_overdue=days_overdue,
        days_until_due=days_until,
        days_late=days_late,
        done_key=done_key,
    )


def non_working_day_warning(name: str, day: dt.date) -> str | None:
    """A warning when a due day is a weekend or bank holiday, with the working day before."""
    if is_working_day(day):
        return None
    holiday = bank_holiday_name(day)
    what = f"a bank holiday ({holiday})" if holiday else f"a {day.strftime('%A')}"
    before = working_days_before(day, 1)
    return (
        f"{name} is due on {format_english(day)}, {what}: the rule counts calendar days, "
        f"so the day stands, but offices are closed; act by {before.strftime('%A')} "
        f"{format_english(before)}."
    )


@dataclass(frozen=True)
class ReviewDates:
    """What case.toml (or the flags) says about the review's dates and publication."""

    incident_known: dt.date | None = None
    notified: dt.date | None = None
    rapid_review: dt.date | None = None
    panel_told: dt.date | None = None
    completed: dt.date | None = None
    panel_copy_sent: dt.date | None = None
    published: dt.date | None = None
    publish: bool = True
    not_published_reasons: str | None = None
    improvements_published: dt.date | None = None
    not_published_told: dt.date | None = None
    delay_reasons: tuple[str, ...] = ()
    delay_told: dt.date | None = None
    looked_after: bool = False
    ofsted_notified: dt.date | None = None


def review_dates(case: Case | None, *, published: dt.date | None = None) -> ReviewDates:
    """The recorded dates of a case (nothing without one); ``published`` overrides case.toml."""
    if case is None:
        return ReviewDates(published=published)
    review = case.review
    reasons = review.get("delay_reasons") or ()
    if isinstance(reasons, str):
        reasons = (reasons,)
    told = case.section("screening").get("panel_told")
    not_published = review.get("not_published_reasons")
    return ReviewDates(
        incident_known=case.date("incident_known"),
        notified=case.date("notified"),
        rapid_review=case.date("rapid_review"),
        panel_told=told if isinstance(told, dt.date) else None,
        completed=case.date("completed"),
        panel_copy_sent=case.date("panel_copy_sent"),
        published=published or case.date("published"),
        publish=review.get("publish", True) is not False,
        not_published_reasons=str(not_published).strip() or None if not_published else None,
        improvements_published=case.date("improvements_published"),
        not_published_told=case.date("not_published_told"),
        delay_reasons=tuple(str(r).strip() for r in reasons if str(r).strip()),
        delay_told=case.date("delay_told"),
        looked_after=review.get("looked_after") is True,
        ofsted_notified=case.date("ofsted_notified"),
    )


def check_dates(
    dates: ReviewDates,
    *,
    initiated: dt.date | None,
    publication: dt.date | None,
    today: dt.date,
    file: Path | None,
    published_flag: bool = False,
) -> None:
    """Refuse dates that contradict each other, naming both keys."""
    src = "case.toml" if file else "the command line"

    def key(name: str) -> str:
        if name == "published" and published_flag:
            return "--published"
        return f"[review] {name}" if file else f"--{name}"

    def fail(problem: str, advice: str) -> None:
        raise (CaseError if file else InputError)(problem, file=file, advice=advice)

    published = dates.published
    if initiated is not None:
        for name, day in (("published", published), ("publication", publication)):
            if day is not None and abs(day.year - initiated.year) > MAX_YEARS_TO_PUBLICATION:
                fail(
                    f"{key(name)} is in {day.year}, more than {MAX_YEARS_TO_PUBLICATION} years "
                    f"from {key('initiated')} in {initiated.year}: one of the years looks mistyped",
                    "correct the year",
                )
    if published is not None and published > today:
        fail(
            f"{key('published')} is {format_english(published)}, after the day the timetable is "
            f"counted from ({format_english(today)}): a publication that has not happened yet "
            "is planned",
            f"put a planned date in {key('publication')}, or count from a later day with --today",
        )
    if published is not None and initiated is not None and published < initiated:
        fail(
            f"{key('published')} ({format_english(published)}) is before {key('initiated')} "
            f"({format_english(initiated)}) in {src}",
            "correct whichever of the two dates is wrong",
        )
    sent = dates.panel_copy_sent
    if sent is not None and published is not None and sent > published:
        fail(
            f"[review] panel_copy_sent ({format_english(sent)}) is after {key('published')} "
            f"({format_english(published)}): the panel copy goes before publication",
            "correct whichever of the two dates is wrong",
        )
    if not dates.publish:
        if dates.not_published_reasons is None:
            fail(
                "[review] publish = false, but [review] not_published_reasons is not given: the "
                "Panel must be told why the report is not published",
                "write the partners' reasons in [review] not_published_reasons",
            )
        if published is not None:
            fail(
                f"[review] publish = false, but {key('published')} gives a publication day",
                "remove one of the two",
            )


def build_timetable(
    *,
    review_type: str | None = None,
    initiated: dt.date | None = None,
    publication: dt.date | None = None,
    published: dt.date | None = None,
    today: dt.date | None = None,
    case: Case | None = None,
) -> Timetable:
    """Every milestone that the known dates allow; explicit values override case.toml.

    What cannot be worked out is left as None with a note saying which date would let it
    be; only when no milestone at all can be dated is that an error.
    """
    today = today or dt.date.today()
    ref = None
    if case is not None:
        ref = case.ref
        review_type = review_type or case.type
        initiated = initiated or case.date("initiated")
        publication = publication or case.date("publication")
    dates = review_dates(case, published=published)
    file = case.file if case is not None else None
    check_dates(
        dates,
        initiated=initiated,
        publication=publication,
        today=today,
        file=file,
        published_flag=published is not None,
    )
    kind = check_review_type(review_type) if review_type else None
    notes: list[str] = []
    warnings: list[str] = []

    def how(flag: str, key: str) -> str:
        return (
            f"give {flag} or set review.{key} in case.toml" if case is not None else f"give {flag}"
        )

    due_completion = completion_due(initiated) if initiated else None
    due_publication = completion_due(initiated) if initiated and kind == "lcspr" else None
    if initiated is None:
        notes.append(
            f"No date the review was initiated, so completion cannot be dated: {how('--initiated', 'initiated')}."
        )
    actual = dates.published
    counted = actual or publication
    due_panel = until = None
    if dates.publish and counted is not None:
        until = published_until(counted)
        if kind is None:
            notes.append(
                "The review type is not known, so the panel copy cannot be dated: "
                "give --type scr or --type lcspr."
            )
        else:
            due_panel = panel_copy_due(kind, counted)
        if actual is not None and publication is not None and actual != publication:
            notes.append(
                f"Published on {format_english(actual)} (planned for {format_english(publication)}): "
                "the panel copy and the website period are counted from the actual day."
            )
    elif dates.publish:
        notes.append(
            "No publication date, so the panel copy and the website period cannot be dated: "
            f"{how('--publication', 'publication')}."
        )
    planned_late = (
        due_publication is not None
        and publication is not None
        and actual is None
        and publication > due_publication
    )
    if planned_late:
        notes.append(
            f"Publication is planned for {format_english(publication)}, after the six months end on "  # type: ignore[arg-type]
            f"{format_english(due_publication)}"  # type: ignore[arg-type]
            + (
                f": delay reasons recorded ({'; '.join(dates.delay_reasons)})."
                if dates.delay_reasons
                else ": record the reasons in [review] delay_reasons and tell the Panel."
            )
        )

    milestones: list[Milestone] = []
    if kind == "lcspr":
        milestones += _lcspr_start(dates, today, notes, warnings, has_case=case is not None)
    milestones.append(_milestone("completion", due_completion, dates.completed, today))
    if kind == "lcspr":
        milestones.append(_milestone("publication_due", due_publication, dates.published, today))
    if dates.publish:
        name = None
        if kind == "lcspr":
            name = "Copy sent to the National Panel and the Secretary of State"
        milestones.append(
            _milestone("panel_copy", due_panel, dates.panel_copy_sent, today, name=name)
        )
        milestones.append(_milestone("publication", publication or actual, dates.published, today))
        milestones.append(_milestone("website_period", until, None, today))
    else:
        milestones += _not_published(kind, dates, publication, due_publication, today)
    milestones = _with_delays(
        milestones, dates, today, planned_late=planned_late, tell_panel=kind == "lcspr"
    )
    for i, m in enumerate(milestones):
        if m.key in ACTION_MILESTONES and m.due is not None and not m.done:
            warning = non_working_day_warning(m.name, m.due)
            if warning:
                milestones[i] = replace(m, warning=warning)
                warnings.append(warning)

    if all(m.due is None for m in milestones):
        raise InputError(
            "There are no dates to work the timetable out from",
            file=file,
            advice="give --initiated or --publication (for example --initiated 02/02/2026)"
            + (", or set review.initiated or review.publication in case.toml" if file else ""),
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
        published=actual,
        publication_due=due_publication,
        publish=dates.publish,
        not_published_reasons=dates.not_published_reasons,
        delay_reasons=dates.delay_reasons,
        warnings=tuple(warnings),
    )


def _lcspr_start(
    dates: ReviewDates, today: dt.date, notes: list[str], warnings: list[str], *, has_case: bool
) -> list[Milestone]:
    """Notification, rapid review and the partners' decision: an LCSPR's first weeks."""
    known, notified = dates.incident_known, dates.notified
    due_notify = notification_due(known) if known else None
    due_rapid = rapid_review_due(notified) if notified else None
    if not has_case:
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
    if notified is not None and due_notify is not None and notified > due_notify:
        late_by = working_days_between(due_notify, notified)
        on_time = rapid_review_due(due_notify)
        warnings.append(
            f"The notification was late: due by {format_english(due_notify)} (5 working days after "
            f"the incident became known on {format_english(known)}), sent on {format_english(notified)}, "  # type: ignore[arg-type]
            f"{late_by} working day{'s' if late_by != 1 else ''} late. The rapid review is counted "
            f"from the notification, so it is due by {format_english(due_rapid)}, "  # type: ignore[arg-type]
            f"not {format_english(on_time)} as it would have been."
        )
    out = [_milestone("notification", due_notify, notified, today)]
    if dates.looked_after:
        out.append(_milestone("ofsted_notification", due_notify, dates.ofsted_notified, today))
    out.append(_milestone("rapid_review", due_rapid, dates.rapid_review, today))
    out.append(_milestone("decision_to_panel", due_rapid, dates.panel_told, today))
    return out


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def _not_published(
    kind: str | None,
    dates: ReviewDates,
    publication: dt.date | None,
    due_publication: dt.date | None,
    today: dt.date,
) -> list[Milestone]:
    """What replaces publication and the website period when the report is not published."""
    told_name = "Panel told the report will not be published, with the reasons"
    if kind == "lcspr":
        told_name = "Panel and the Secretary of State told the report will not be published, with the reasons"
    out = [
        _milestone(
            "not_published_told", publication, dates.not_published_told, today, name=told_name
        )
    ]
    if kind == "lcspr":
        info_day = dates.improvements_published or due_publication
        copy_due = (
            working_days_before(info_day, LCSPR_PANEL_COPY_WORKING_DAYS) if info_day else None
        )
        out.append(_milestone("improvements_copy", copy_due, dates.panel_copy_sent, today))
        out.append(
            _milestone(
                "improvements_published",
                due_publication,
                dates.improvements_published,
                today,
            )
        )
    return out


def _with_delays(
    milestones: list[Milestone],
    dates: ReviewDates,
    today: dt.date,
    *,
    planned_late: bool = False,
    tell_panel: bool = False,
) -> list[Milestone]:
    """Delay reasons beside each late milestone, and the Panel to be told of the delay.

    A planned publication after the six months is a delay already, before the day passes.
    """
    late = [
        m
        for m in milestones
        if m.key in DELAYABLE and (m.late or (planned_late and m.key == "publication_due"))
    ]
    if not late:
        return milestones
    out = [replace(m, delay_reasons=dates.delay_reasons) if m in late else m for m in milestones]
    if not tell_panel:
        return out
    first_due = min(m.due for m in late if m.due is not None)
    told = _milestone("delay_told", first_due, dates.delay_told, today)
    index = max(i for i, m in enumerate(out) if m.key in ("completion", "publication_due"))
    out.insert(index + 1, told)
    return out


def calendar_events(timetable: Timetable) -> list[Any]:
    """The dated milestones as all-day calendar events.

    A UID names the case and the milestone only, never the review type, so importing the
    timetable again after a change (the type corrected, a date moved) updates the events.
    """
    from scrtool.review.ics import AllDayEvent

    label = timetable.ref or "Review"
    uid_ref = "".join(c if c.isalnum() or c in "-." else "-" for c in label.lower())
    events = []
    for m in timetable.milestones:
        if m.due is None:
            continue
        detail = [f"{m.name} for {label}: due {format_english(m.due)}."]
        if m.done_on is not None:
            detail.append(f"Done on {format_english(m.done_on)}.")
        if m.key == "website_period":
            detail.append("The report must stay on the partnership's website until this day.")
        if m.key == "panel_copy" and timetable.published is not None:
            detail.append(
                f"Counted from the actual publication on {format_english(timetable.published)}."
            )
        if m.key in ("not_published_told", "improvements_copy") and timetable.not_published_reasons:
            detail.append(f"The report is not published: {timetable.not_published_reasons}")
        if m.delay_reasons:
            detail.append(f"Delay: {'; '.join(m.delay_reasons)}.")
        if m.warning:
            detail.append(m.warning)
        events.append(
            AllDayEvent(
                uid=f"{uid_ref}-{m.key.replace('_', '-')}@scrtool",
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
