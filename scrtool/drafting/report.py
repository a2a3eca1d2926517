"""``scrtool report``: the overview report's skeleton and the partnership's response.

Both are filled from what the case folder already knows: ``case.toml`` (the review, the
screening answers, the agencies), the merged chronology (``working/chronology.xlsx``,
written by ``scrtool collate``) and the action plan (``working/action-plan.xlsx``). The
lead reviewer then writes the analysis into the draft in Word.

A missing chronology or action plan does not stop the run: early in a review the report
is drafted before the returns are in. The table is left empty, the document says so in
square brackets, and the result carries a note naming the command to run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.case import REVIEW_TYPE_NAMES, Case
from scrtool.errors import CaseError, DataError, InputError, OutputError, TemplateError

OVERVIEW_TEMPLATE = "overview-report.docx"
RESPONSE_TEMPLATE = "partnership-response.docx"
MISSING_DATE = "[date]"

GLOSSARY = (
    ("Chronology", "A list of events in date order."),
    ("Lead reviewer", "The person who led the review. They do not work for any agency in it."),
    ("Partnership", "The council, the police and the health services. They work together to keep children safe."),
    ("Practitioner", "A member of staff who works with children or families."),
    ("Pseudonym", "A made-up name used in place of a real one, to keep the family private."),
    ("Rapid review", "A quick first look at what happened, done in the first weeks."),
    ("National Panel", "The Child Safeguarding Practice Review Panel. It looks at serious cases across England."),
)  # fmt: skip


@dataclass(frozen=True)
class ReportResult:
    outputs: tuple[Path, ...]
    notes: tuple[str, ...] = ()
    chronology_rows: int = 0
    actions: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "outputs": [str(p) for p in self.outputs],
            "count": len(self.outputs),
            "chronology_rows": self.chronology_rows,
            "actions": self.actions,
            "notes": list(self.notes),
        }


def case_template(case: Case, name: str) -> Path:
    """The case's own copy in ``templates/`` if it has one, else scrtool's default."""
    from scrtool.resources import template_path

    local = case.root / "templates" / name
    return local if local.is_file() else template_path(name)


def _date_or_gap(value: Any) -> Any:
    return value if isinstance(value, dt.date) else MISSING_DATE


# --------------------------------------------------------------------------------------
# The merged chronology


@dataclass(frozen=True)
class AgencySummary:
    agency: str
    contacts: int
    first: dt.date | None
    last: dt.date | None

    def as_row(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "contacts": self.contacts,
            "first": self.first or "none",
            "last": self.last or "none",
        }


def summarise_chronology(
    path: Path, agencies: Sequence[str] = ()
) -> tuple[list[AgencySummary], int]:
    """Contacts per agency, with the first and last date, from the "Chronology" sheet."""
    from scrtool.errors import UnreadableInputError
    from scrtool.readers.spreadsheets import Workbook

    try:
        opened = Workbook(path)
    except UnreadableInputError as exc:
        # The reader's advice is for an agency's return; this file is scrtool's own.
        raise UnreadableInputError(
            exc.problem,
            file=exc.file,
            place=exc.place,
            advice="make it again with scrtool collate, then run scrtool report again",
        ) from None
    with opened as book:
        sheet = next((s for s in book.sheets if s.name == "Chronology"), None)
        if sheet is None:
            raise DataError(
                'has no sheet called "Chronology"',
                file=path,
                advice="make it again with scrtool collate, then run scrtool report again",
            )
        rows = book.rows(sheet)
    if not rows:
        return [AgencySummary(a, 0, None, None) for a in agencies], 0
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    try:
        date_col = header.index("Date")
        agency_col = header.index("Agency")
    except ValueError:
        raise DataError(
            'its "Chronology" sheet has no "Date" or "Agency" column',
            file=path,
            place='sheet "Chronology" row 1',
            advice="make it again with scrtool collate, then run scrtool report again",
        ) from None
    found: dict[str, list[dt.date | None]] = {a: [] for a in agencies}
    total = 0
    for row in rows[1:]:
        if not any(c is not None and str(c).strip() for c in row):
            continue
        total += 1
        agency = row[agency_col] if agency_col < len(row) else None
        name = str(agency).strip() if agency is not None and str(agency).strip() else "Unknown"
        value = row[date_col] if date_col < len(row) else None
        day = value.date() if isinstance(value, dt.datetime) else value
        found.setdefault(name, []).append(day if isinstance(day, dt.date) else None)
    out = []
    for name, dates in found.items():
        real = [d for d in dates if d is not None]
        out.append(
            AgencySummary(
                name, len(dates), min(real) if real else None, max(real) if real else None
            )
        )
    return out, total


# --------------------------------------------------------------------------------------
# The action plan


def _unique(values: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = " ".join(value.split()).casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


#: A cell that only numbers a finding ("Finding 1", "Rec 2a", "3."), not its text.
_LABEL = re.compile(
    r"^(?:(?:finding|findings|learning point|recommendation|recommendations|rec)\b\.?\s*)?"
    r"(?:no\.?\s*|number\s*)?(\d+[a-z]?)[.:)]?$",
    re.IGNORECASE,
)
#: A cell that points at every finding ("All findings", "All recommendations", "All").
_ALL = re.compile(r"^(?:all|every|each|general|cross[- ]cutting)\b.*$|^n/?a$|^-+$", re.IGNORECASE)


def present(values: Sequence[str], *, kind: str) -> list[str]:
    """The plan's Finding (or Recommendation) cells as the report lists them.

    Each text once, in the plan's order. A plan often holds only a number in the column
    ("Finding 1"), or points at them all ("All findings"); a number becomes a line for
    the lead reviewer to write ("[Finding 1: write the finding here.]"), and "All ..."
    adds nothing, since each one is listed already.
    """
    out = []
    for value in _unique([" ".join(v.split()) for v in values]):
        label = _LABEL.match(value)
        if label:
            out.append(f"[{kind.capitalize()} {label.group(1)}: write the {kind} here.]")
        elif not _ALL.match(value):
            out.append(value)
    return _unique(out)


def response_lists(path: Path, *, case: Case | None = None) -> dict[str, Any]:
    """The response's three parts, and the findings and recommendations, from the plan.

    The plan is read and judged by ``scrtool.review.actions`` (the reader behind ``scrtool
    actions``), so the two commands count the same actions; a row it cannot judge (no
    due date, a status it does not know) is left out and named in ``bad_rows``.
    """
    from scrtool.review.action_plan import read_action_plan as read_rows
    from scrtool.review.actions import CLOSED, COMPLETE, NO_AGENCY, read_action_plan

    judged = read_action_plan(path, case=case)
    more = {
        a.row: a for a in read_rows(path, sheet_name=judged.sheet, header_row=judged.header_row)
    }
    actions = sorted(judged.actions, key=lambda a: a.row)
    taken, impact, planned = [], [], []
    for a in actions:
        extra = more.get(a.row)
        agency = a.lead_agency if a.lead_agency != NO_AGENCY else "[agency]"
        if a.category == COMPLETE:
            taken.append(
                {
                    "action": a.action,
                    "agency": agency,
                    "completed": a.date_completed or "",
                    "evidence": extra.text("Evidence of completion") if extra else "",
                }
            )
            if extra and extra.text("Impact"):
                impact.append({"action": a.action, "impact": extra.text("Impact")})
        elif a.category != CLOSED:
            planned.append(
                {
                    "action": a.action,
                    "agency": agency,
                    "due": a.due or MISSING_DATE,
                    "status": a.recorded_status,
                }
            )
    # Findings come from every row, the ones needing correction too: they are still findings.
    cells = sorted(
        [(a.row, a.finding, a.recommendation) for a in judged.actions]
        + [
            (b.row, b.values.get("Finding", ""), b.values.get("Recommendation", ""))
            for b in judged.bad_rows
        ]
    )
    return {
        "taken": taken,
        "impact": impact,
        "planned": planned,
        "findings": present([c[1] for c in cells], kind="finding"),
        "recommendations": present([c[2] for c in cells], kind="recommendation"),
        "count": len(actions),
        "bad_rows": [(b.row, b.reason) for b in judged.bad_rows],
    }


# --------------------------------------------------------------------------------------
# The contexts


def _screening(case: Case) -> tuple[str, list[str]]:
    from scrtool.review.screening import answers_from_case, decide

    try:
        decision = decide(answers_from_case(case), file=case.file)
    except (CaseError, InputError):
        return "[Say whether the criteria were met.]", ["[Give the reasons.]"]
    return decision.decision_text, list(decision.grounds)


def build_contexts(case: Case) -> tuple[dict[str, Any], dict[str, Any], list[str], int, int]:
    """(overview context, response context, notes, chronology rows, actions)."""
    notes: list[str] = []
    agencies = [a.name for a in case.agencies]
    chronology_path = case.chronology_path
    chronology_note = ""
    total = 0
    if chronology_path.is_file():
        summary, total = summarise_chronology(chronology_path, agencies)
    else:
        summary = []
        chronology_note = (
            "[The merged chronology is not ready. Put the returns in returns/, run scrtool "
            "collate, then run scrtool report again.]"
        )
        notes.append(
            f"{chronology_path}: not found, so the chronology table is empty; run "
            f'"scrtool collate --case {case.root}" first, then scrtool report again.'
        )
    plan_path = case.action_plan_path
    action_plan_note = ""
    if plan_path.is_file():
        lists = response_lists(plan_path, case=case)
        bad = lists["bad_rows"]
        if not bad and not lists["count"]:
            action_plan_note = (
                "[The action plan has no actions yet. Fill in working/action-plan.xlsx, then "
                "run scrtool report again.]"
            )
            notes.append(
                f"{plan_path}: holds no actions yet, so the response lists none; fill it in, "
                "then run scrtool report again."
            )
        if bad:
            rows = ", ".join(str(r) for r, _ in bad)
            if len(bad) == 1:
                action_plan_note = (
                    f"[Row {rows} of the action plan needs correcting, so this response "
                    "leaves it out. Run scrtool actions to see why, then run scrtool report "
                    "again.]"
                )
            else:
                action_plan_note = (
                    f"[Rows {rows} of the action plan need correcting, so this response "
                    "leaves them out. Run scrtool actions to see why, then run scrtool "
                    "report again.]"
                )
            for row, reason in bad:
                notes.append(
                    f"{plan_path}: row {row} is left out of the response until it is "
                    f"corrected: {reason.rstrip('.')}."
                )
    else:
        lists = {
            "taken": [], "impact": [], "planned": [], "findings": [], "recommendations": [],
            "count": 0,
        }  # fmt: skip
        action_plan_note = (
            "[The action plan is not ready. Fill in working/action-plan.xlsx, then run "
            "scrtool report again.]"
        )
        notes.append(
            f"{plan_path}: not found, so the actions are empty; make it with "
            f'"scrtool new" (or copy one in), fill it in, then run scrtool report again.'
        )
    review = case.review
    decision_text, grounds = _screening(case)
    common = {
        "ref": case.ref,
        "partnership": case.partnership or "[partnership]",
        "child": case.child or "Child A",
        "review_type": case.type,
        "review_type_name": REVIEW_TYPE_NAMES.get(case.type, case.type),
        "publication": _date_or_gap(case.date("publication")),
    }
    overview = {
        **common,
        "lead_reviewer": str(review.get("lead_reviewer") or "[the lead reviewer]"),
        "initiated": _date_or_gap(case.date("initiated")),
        "completed": _date_or_gap(case.date("completed")),
        "scope_from": _date_or_gap(case.date("scope_from")),
        "scope_to": _date_or_gap(case.date("scope_to")),
        "decision_text": decision_text,
        "grounds": grounds,
        "agencies": agencies or ["[Add the agencies to case.toml.]"],
        "chronology": [s.as_row() for s in summary],
        "chronology_total": total,
        "chronology_note": chronology_note,
        "findings": lists["findings"],
        "recommendations": lists["recommendations"],
        "glossary": [{"term": t, "meaning": m} for t, m in GLOSSARY],
    }
    response = {
        **common,
        "taken": lists["taken"],
        "impact": lists["impact"],
        "planned": lists["planned"],
        "action_plan_note": action_plan_note,
    }
    return overview, response, notes, total, int(lists["count"])


def build_report(case: Case, *, replace: bool = False) -> ReportResult:
    """Write working/overview-report.docx and working/partnership-response.docx (both or neither).

    The drafts are where the lead reviewer writes, so an existing one is never written
    over unless ``replace`` says so: a second run must not wipe weeks of editing.
    """
    from scrtool.drafting.templates import LoadedTemplate
    from scrtool.outputs import write_all_atomic

    if not replace:
        existing = [path.name for path in case.report_drafts if path.exists()]
        if existing:
            listed = " and ".join(existing)
            raise OutputError(
                f"already holds {listed}, which may have the lead reviewer's edits",
                file=case.folder("working"),
                advice="move or rename the draft first, or run scrtool report again with --replace to write over it",
            )
    overview, response, notes, total, actions = build_contexts(case)
    jobs = []
    drafts = zip((OVERVIEW_TEMPLATE, RESPONSE_TEMPLATE), case.report_drafts, strict=True)
    for (name, draft), context in zip(drafts, (overview, response), strict=True):
        loaded = LoadedTemplate(case_template(case, name))
        missing = loaded.missing(context)
        if missing:
            quoted = ", ".join(f'"{m}"' for m in missing)
            raise TemplateError(
                f"{loaded.path} uses {quoted}, which scrtool report does not provide",
                advice="remove those tags (see docs/report.md for the variables), and try again",
            )
        jobs.append((draft, _renderer(loaded, context)))
    outputs = write_all_atomic(jobs)
    return ReportResult(
        outputs=tuple(outputs), notes=tuple(notes), chronology_rows=total, actions=actions
    )


def _renderer(loaded: Any, context: Mapping[str, Any]) -> Any:
    def write(path: Path) -> None:
        loaded.render(context, path)

    return write


def panel_letter_context(
    case: Case,
    *,
    documents: Sequence[str] = ("The overview report", "The partnership's response"),
    sent_on: dt.date | None = None,
) -> dict[str, Any]:
    """The variables templates/panel-letter.docx uses (the covering letter to the Panel)."""
    from scrtool.review.timetable import panel_copy_due

    publication = case.date("publication")
    due: Any = panel_copy_due(case.type, publication) if publication else MISSING_DATE
    settings = case.section("settings")
    return {
        "ref": case.ref,
        "partnership": case.partnership or "[partnership]",
        "child": case.child or "Child A",
        "review_type_name": REVIEW_TYPE_NAMES.get(case.type, case.type),
        "publication": _date_or_gap(publication),
        "panel_copy_due": due,
        "sent_on": sent_on or dt.date.today(),
        "documents": list(documents),
        "sender": str(settings.get("sender") or "Business support officer"),
        "email": str(settings.get("email") or ""),
    }
