"""The action plan: which of the review's actions are done, on track, due soon or overdue.

The seed asks partnerships to audit and monitor the "programme of action" until the
findings "make a real impact". The plan is a workbook (``working/action-plan.xlsx``) with
the columns and statuses in ``schemas/action-plan.toml``; headers are matched by name or
alias, ignoring case and punctuation, so a partnership's own plan with a title row above
the header and "Target date" for "Due date" reads the same.

A row that cannot be judged (no action, no due date, a date that is not a date, a status
the schema does not know) is reported with its row number, never skipped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.dates import format_english, parse_date, parse_month
from scrtool.errors import InputError
from scrtool.readers.spreadsheets import cell_text
from scrtool.resources import schema_path
from scrtool.settings import header_key

if TYPE_CHECKING:
    from scrtool.case import Case
    from scrtool.review.action_plan import ActionPlanSchema, Column

SCHEMA_FILE = "action-plan.toml"
DUE_SOON_DAYS = 30

#: The state of one action, worst first (the order actions are listed in).
OVERDUE = "overdue"
DUE_SOON = "due-within-30-days"
ON_TRACK = "on-track"
COMPLETE = "complete"
CLOSED = "closed"
CATEGORIES = (OVERDUE, DUE_SOON, ON_TRACK, COMPLETE, CLOSED)
LABELS = {
    OVERDUE: "overdue",
    DUE_SOON: "due within 30 days",
    ON_TRACK: "on track",
    COMPLETE: "complete",
    CLOSED: "closed",
}
NO_AGENCY = "No lead agency given"
#: Red/amber/green (and blue) ratings: not statuses, unless the schema makes them aliases.
RAG_COLOURS = frozenset({"red", "amber", "green", "blue", "r", "a", "g", "b", "rag"})
_TOTAL = re.compile(r"^(?:grand\s+|sub-?\s*)?totals?\s*:?$", re.IGNORECASE)


#: Case, spaces and punctuation do not matter: "Due date:" == "DUE-DATE" == "due date".
normalise_header = header_key


def normalise_status(text: Any) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text or "").casefold()).split())


@dataclass(frozen=True)
class PlanSchema:
    """``schemas/action-plan.toml`` as ``scrtool new`` reads it, plus the status aliases."""

    base: ActionPlanSchema
    status_aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def sheet(self) -> str:
        return self.base.sheet

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.base.columns

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.base.statuses

    @property
    def complete_statuses(self) -> tuple[str, ...]:
        return self.base.complete_statuses

    @property
    def closed_statuses(self) -> tuple[str, ...]:
        return self.base.closed_statuses or self.base.complete_statuses

    @cached_property
    def _status_lookup(self) -> dict[str, str]:
        lookup = {normalise_status(a): s for a, s in self.status_aliases.items()}
        lookup.update({normalise_status(s): s for s in self.statuses})
        return lookup

    def canonical_status(self, value: Any) -> str | None:
        """The schema's spelling of a status as written in the sheet, or None if unknown."""
        return self._status_lookup.get(normalise_status(value))


def load_plan_schema(path: Path | None = None) -> PlanSchema:
    """Read ``schemas/action-plan.toml`` (or another file with the same keys).

    Read once per run: a summary of many cases reads the same file for each.
    """
    path = Path(path) if path is not None else schema_path(SCHEMA_FILE)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load_plan_schema(path, stamp)


@lru_cache(maxsize=8)
def _load_plan_schema(path: Path, stamp: int) -> PlanSchema:
    from scrtool.review.action_plan import load_schema
    from scrtool.settings import load_data

    base = load_schema(path)
    data = load_data("action-plan", path)
    raw = data.get("status_aliases", {})
    if not isinstance(raw, dict):
        raise InputError(
            "has a status_aliases that is not a table",
            file=path,
            advice='write it as [status_aliases] with lines such as "Done" = "Complete"',
        )
    aliases = {str(k): str(v) for k, v in raw.items()}
    if not base.statuses:
        raise InputError(
            "lists no statuses", file=path, advice='add statuses = ["Not started", ...]'
        )
    missing = [c for c in ("Action", "Lead agency", "Due date", "Status") if base.column(c) is None]
    if missing:
        raise InputError(
            "has no column " + ", ".join(f'"{m}"' for m in missing),
            file=path,
            advice="scrtool actions needs them; compare the file with the one scrtool installs",
        )
    for status in (*base.complete_statuses, *base.closed_statuses, *aliases.values()):
        if status not in base.statuses:
            raise InputError(
                f'names the status "{status}", which is not in "statuses"',
                file=path,
                advice='add it to "statuses" or correct the spelling',
            )
    return PlanSchema(base=base, status_aliases=aliases)


@dataclass(frozen=True)
class Action:
    row: int
    action: str
    lead_agency: str
    due: dt.date | None
    recorded_status: str
    category: str
    owner: str = ""
    finding: str = ""
    recommendation: str = ""
    date_completed: dt.date | None = None
    days_overdue: int | None = None
    days_until_due: int | None = None
    evidence: str = ""
    impact: str = ""
    #: Every column of the row by the schema's names, as the plan's reader gives them
    #: (the response reads "Evidence of completion" and "Impact" from here).
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else str(value).strip()

    @property
    def label(self) -> str:
        return LABELS[self.category]

    def describe(self) -> str:
        if self.category == OVERDUE:
            return f"overdue by {_days(self.days_overdue or 0)}"
        if self.category == ON_TRACK:
            return "on track"
        if self.category == DUE_SOON:
            if self.days_until_due == 0:
                return "due today"
            return f"due in {_days(self.days_until_due or 0)}"
        if self.category == COMPLETE:
            return "complete"
        return f"closed ({self.recorded_status})"

    def to_json(self) -> dict[str, Any]:
        """The contract names the category "status" and adds its label."""
        return {
            "row": self.row,
            "action": self.action,
            "lead_agency": self.lead_agency,
            "owner": self.owner,
            "due": self.due,
            "status": self.category,
            "status_label": self.label,
            "recorded_status": self.recorded_status,
            "days_overdue": self.days_overdue,
            "days_until_due": self.days_until_due,
            "date_completed": self.date_completed,
            "finding": self.finding,
            "recommendation": self.recommendation,
            "evidence": self.evidence,
            "impact": self.impact,
        }


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@dataclass(frozen=True)
class BadRow:
    row: int
    reason: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AgencyActions:
    agency: str
    actions: tuple[Action, ...]

    def count(self, category: str) -> int:
        return sum(1 for a in self.actions if a.category == category)

    def to_json(self) -> dict[str, Any]:
        """The counts are not fields; the actions are turned into JSON by jsonout."""
        return {
            "agency": self.agency,
            "counts": {c: self.count(c) for c in CATEGORIES},
            "actions": self.actions,
        }


@dataclass(frozen=True)
class ActionReport:
    file: Path
    sheet: str
    header_row: int
    today: dt.date
    agencies: tuple[AgencyActions, ...]
    bad_rows: tuple[BadRow, ...]

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for group in self.agencies for a in group.actions)

    def count(self, category: str) -> int:
        return sum(1 for a in self.actions if a.category == category)

    @property
    def overdue(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.category == OVERDUE)

    def to_json(self) -> dict[str, Any]:
        """Totals and counts are not fields; what is nested is turned into JSON by jsonout."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "today": self.today,
            "total": len(self.actions),
            "counts": {c: self.count(c) for c in CATEGORIES},
            "overdue": len(self.overdue),
            "agencies": self.agencies,
            "bad_rows": self.bad_rows,
        }


_END_OF = re.compile(r"^end\s+(?:of\s+)?", re.IGNORECASE)
_BY = re.compile(r"^(?:by|due|due by|no later than)\s+", re.IGNORECASE)
_QUARTER = re.compile(r"^(?:q|quarter\s*)[1-4]\b", re.IGNORECASE)
_NOT_YET = re.compile(
    r"^(?:tbc|tba|tbd|to be (?:confirmed|agreed|decided|set)|n/?a|none|unknown|\?+)\.?$",
    re.IGNORECASE,
)
_CONTINUING = re.compile(
    r"^(?:on-?going|continuous|continuing|rolling|as required|as needed|business as usual|bau)\.?$",
    re.IGNORECASE,
)
DUE_DATE_ADVICE = "write the day it is due, such as 31/03/2027, or a month, such as March 2027"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def read_due_date(value: Any) -> dt.date:
    """A due date from a cell: a real date, day-first text, or a month ("March 2027").

    A month alone means by the end of that month. ``ValueError`` says why it is not a date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a date")
    if isinstance(value, (int, float)):
        # A date typed into a cell formatted as a number: Excel's day count.
        if 20000 <= value <= 80000:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(f"{value:g} is a number, not a date")
    text = _BY.sub("", " ".join(str(value).split()))
    try:
        return parse_date(text)
    except ValueError as exc:
        month = parse_month(_END_OF.sub("", text).rstrip("."))
        if month is not None:
            return _month_end(month.year, month.month)
        if _QUARTER.match(text):
            raise ValueError(
                "a quarter may be a calendar or a financial-year quarter, so write the last "
                "day it is due, such as 30/06/2027"
            ) from None
        if _NOT_YET.match(text):
            raise ValueError(f"it has not been set yet; {DUE_DATE_ADVICE}") from None
        if _CONTINUING.match(text):
            raise ValueError(
                "continuing work still needs a date; write the day it will next be checked, "
                "such as 31/03/2027"
            ) from None
        if "scrtool can read" in str(exc):
            raise ValueError(DUE_DATE_ADVICE) from None
        raise exc


def _text(row: Sequence[Any], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    value = row[col]
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return cell_text(value)


def _cell(row: Sequence[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    value = row[col]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _is_heading_or_total(
    row: Sequence[Any], action_columns: Sequence[int], judged: Sequence[int]
) -> bool:
    """A section heading ("Recommendation 2: ...") or a totals row, not an action.

    A heading has text in one cell only, outside the action's own columns (action, lead
    agency, owner, due date, status, date completed). A totals row's first cell says
    "Total" (or "Totals", "Grand total") and its due date and status cells are empty.
    """
    filled = [
        (col, value)
        for col, value in enumerate(row)
        if value is not None and not (isinstance(value, str) and not value.strip())
    ]
    if not filled:
        return False
    first = filled[0][1]
    if isinstance(first, str) and _TOTAL.match(first.strip()):
        return not any(col in judged for col, _ in filled[1:])
    return len(filled) == 1 and filled[0][0] not in action_columns


def _classify(due: dt.date, today: dt.date) -> tuple[str, int | None, int | None]:
    if due < today:
        return OVERDUE, (today - due).days, None
    days = (due - today).days
    return (DUE_SOON if days <= DUE_SOON_DAYS else ON_TRACK), None, days


def _agency_name(written: str, case: Case | None) -> str:
    """The case's spelling of the agency when it is one of the case's agencies."""
    if not written:
        return NO_AGENCY
    if case is not None:
        from scrtool.review.organisations import same_organisation

        for name in (*(a.name for a in case.agencies), case.partnership):
            if name and same_organisation(written, name):
                return name
    return written


def read_action_plan(
    path: str | Path,
    *,
    today: dt.date | None = None,
    case: Case | None = None,
    schema: PlanSchema | None = None,
) -> ActionReport:
    """Read the action plan workbook and judge every action against ``today``."""
    from scrtool.readers.spreadsheets import column_letter
    from scrtool.review.action_plan import read_plan

    today = today or dt.date.today()
    schema = schema or load_plan_schema()
    plan = read_plan(path, schema=schema.base)
    columns = plan.columns
    known: dict[str, str] = {}

    def agency_names(written: str) -> str:
        if written not in known:
            known[written] = _agency_name(written, case)
        return known[written]

    col = columns.get
    c_action, c_status, c_due = col("Action"), col("Status"), col("Due date")
    c_agency, c_owner, c_done = col("Lead agency"), col("Owner"), col("Date completed")
    c_finding, c_recommendation = col("Finding"), col("Recommendation")
    c_evidence, c_impact = col("Evidence of completion"), col("Impact")
    due_col = column_letter(columns["Due date"])
    action_columns = [
        c for c in (c_action, c_agency, c_owner, c_due, c_status, c_done) if c is not None
    ]
    judged = [c for c in (c_due, c_status) if c is not None]
    seen_statuses: dict[str, str | None] = {}  # a plan uses a handful of spellings
    statuses = ", ".join(f'"{s}"' for s in schema.statuses)
    closed_statuses = set(schema.closed_statuses)
    complete_statuses = set(schema.complete_statuses)
    actions: list[Action] = []
    bad: list[BadRow] = []
    for plan_row in plan.rows:
        row, number = plan_row.cells, plan_row.row
        action_text = _text(row, c_action)
        status_raw = _text(row, c_status)
        due_raw = _cell(row, c_due)
        if not status_raw and due_raw is None and _is_heading_or_total(row, action_columns, judged):
            continue
        problems: list[str] = []
        if not action_text:
            problems.append('no action in the "Action" column')
        if status_raw in seen_statuses:
            status = seen_statuses[status_raw]
        else:
            status = seen_statuses[status_raw] = (
                schema.canonical_status(status_raw) if status_raw else None
            )
        if not status_raw:
            problems.append('no status in the "Status" column')
        elif status is None and normalise_status(status_raw) in RAG_COLOURS:
            problems.append(
                f'the status "{status_raw}" is a RAG colour, which does not say whether the '
                f"action is done: write one of {statuses} instead"
            )
        elif status is None:
            problems.append(f'the status "{status_raw}" is not one of {statuses}')
        closed = status in closed_statuses if status else False
        due: dt.date | None = None
        if due_raw is None:
            if not closed:
                problems.append(f'no due date (column {due_col} "Due date")')
        else:
            try:
                due = read_due_date(due_raw)
            except ValueError as exc:
                if closed:
                    due = None  # done or cancelled: when it was due no longer matters
                else:
                    problems.append(
                        f'the due date "{_text(row, c_due)}" (column {due_col}) is not a date: '
                        f"{exc}"
                    )
        if problems:
            values = {name: text for name, c in columns.items() if (text := _text(row, c))}
            bad.append(BadRow(row=number, reason="; ".join(problems), values=values))
            continue
        assert status is not None
        completed_raw = _cell(row, c_done)
        completed = None
        if completed_raw is not None:
            try:
                completed = read_due_date(completed_raw)
            except ValueError:
                completed = None
        days_overdue = days_until = None
        if status in complete_statuses:
            category = COMPLETE
        elif closed:
            category = CLOSED
        else:
            assert due is not None
            category, days_overdue, days_until = _classify(due, today)
        actions.append(
            Action(
                row=number,
                action=action_text,
                lead_agency=agency_names(_text(row, c_agency)),
                due=due,
                recorded_status=status,
                category=category,
                owner=_text(row, c_owner),
                finding=_text(row, c_finding),
                recommendation=_text(row, c_recommendation),
                date_completed=completed,
                days_overdue=days_overdue,
                days_until_due=days_until,
                evidence=_text(row, c_evidence),
                impact=_text(row, c_impact),
                values=plan_row.values,
            )
        )
    return ActionReport(
        file=plan.file,
        sheet=plan.sheet,
        header_row=plan.header_row,
        today=today,
        agencies=_group(actions),
        bad_rows=tuple(bad),
    )


def _group(actions: Sequence[Action]) -> tuple[AgencyActions, ...]:
    """By lead agency; agencies with overdue actions first, worst actions first in each."""
    from scrtool.review.organisations import organisation_key

    groups: dict[str, list[Action]] = {}
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    for action in actions:
        name = action.lead_agency
        if name not in keys:
            keys[name] = organisation_key(name) if name != NO_AGENCY else ""
        key = keys[name]
        names.setdefault(key, action.lead_agency)
        groups.setdefault(key, []).append(action)

    def action_order(a: Action) -> tuple[int, int, dt.date, int]:
        overdue_days = -(a.days_overdue or 0)
        return (CATEGORIES.index(a.category), overdue_days, a.due or dt.date.max, a.row)

    out = [
        AgencyActions(agency=names[k], actions=tuple(sorted(v, key=action_order)))
        for k, v in groups.items()
    ]
    out.sort(key=lambda g: (-g.count(OVERDUE), -g.count(DUE_SOON), g.agency.casefold()))
    return tuple(out)


def plan_path(case: Case) -> Path:
    return case.action_plan_path


def check_actions(
    *,
    case: Case | None = None,
    plan: Path | None = None,
    today: dt.date | None = None,
) -> ActionReport:
    """The action plan named by ``plan``, else the case's ``working/action-plan.xlsx``."""
    if plan is None:
        if case is None:
            raise InputError(
                "no action plan to read",
                advice="run the command in a case folder, name one with --case, or name the workbook with --plan",
            )
        plan = plan_path(case)
    return read_action_plan(plan, today=today, case=case)


def count_actions(n: int) -> str:
    """ "1 action", "12 actions"."""
    return f"{n} action" if n == 1 else f"{n} actions"


def describe_counts(report: ActionReport) -> str:
    parts = [f"{report.count(c)} {LABELS[c]}" for c in CATEGORIES if report.count(c)]
    return ", ".join(parts) if parts else "no actions"


def format_due(action: Action) -> str:
    return format_english(action.due) if action.due else "no due date"
