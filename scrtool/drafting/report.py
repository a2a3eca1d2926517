"""``scrtool report``: the overview report's skeleton, the partnership's response and the
covering letter to the National Panel.

All are filled from what the case folder already knows: ``case.toml`` (the review, the
screening answers, the agencies), the merged chronology (``working/chronology.xlsx``,
written by ``scrtool collate``) and the action plan (``working/action-plan.xlsx``). The
lead reviewer then writes the analysis into the draft in Word.

A missing chronology or action plan does not stop the run: early in a review the report
is drafted before the returns are in. The document keeps a placeholder there, and the
result carries a note naming the command to run: notes to the officer go to stderr and
JSON, never into a document. Every statement of fact comes from data, every date keeps
the precision its source gave ("April 2024", "about May 2016"), and a planned date reads
as planned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.case import REVIEW_TYPE_NAMES, Case
from scrtool.drafting.letters import (
    MISSING_DATE,
    PANEL_LETTER,
    date_words,
    panel_letter_context,
    panel_letter_path,
)
from scrtool.errors import (
    CaseError,
    DataError,
    InputError,
    OutputError,
    ScrtoolError,
    TemplateError,
)

OVERVIEW_TEMPLATE = "overview-report.docx"
RESPONSE_TEMPLATE = "partnership-response.docx"

GLOSSARY = (
    ("Chronology", "A list of events in date order."),
    ("Lead reviewer", "The person the partnership chose to lead the review."),
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


# --------------------------------------------------------------------------------------
# Dates as the source gave them


def _planned_or_gap(value: Any) -> Any:
    return value if isinstance(value, dt.date) else MISSING_DATE


# --------------------------------------------------------------------------------------
# The merged chronology


@dataclass(frozen=True)
class AgencySummary:
    """One agency's contacts within the review period; ``first`` and ``last`` are the
    dates as the agency gave them (text), ``earlier`` the rows before the period."""

    agency: str
    contacts: int
    first: str | None
    last: str | None
    earlier: int = 0

    def as_row(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "contacts": self.contacts,
            "first": self.first or "none",
            "last": self.last or "none",
        }


def _row_date(cell: Any, written: Any) -> tuple[dt.date | None, Any]:
    """(a day to sort by, the date to print) from the Date and "Date as written" cells."""
    from scrtool.dates import parse_partial_date

    day = cell.date() if isinstance(cell, dt.datetime) else cell
    day = day if isinstance(day, dt.date) else None
    text = str(written).strip() if written is not None else ""
    if not text:
        return day, day
    try:
        partial = parse_partial_date(text)
    except ValueError:
        return day, text  # printed as the agency wrote it
    words = set(re.findall(r"[a-z]+", text.casefold()))
    if words - _PLAIN_DATE_WORDS:
        # "spring term 2024", "early May 2016": the agency's words say more than a
        # month or a year, so they are printed as written.
        return (day or partial.start), text
    return (day or partial.start), partial


#: Words a date may hold and still be printed in scrtool's own form ("approx. 2021").
_PLAIN_DATE_WORDS = frozenset(
    [
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
        "approx",
        "approximately",
        "about",
        "circa",
        "c",
        "ca",
        "around",
        "roughly",
        "est",
        "estimated",
        "st",
        "nd",
        "rd",
        "th",
        "of",
    ]
)


def _before(shown: Any, day: dt.date, scope_from: dt.date | None) -> bool:
    from scrtool.chronology.returns import before_review_period
    from scrtool.dates import PartialDate

    if scope_from is None:
        return False
    if isinstance(shown, PartialDate):
        return before_review_period(shown, scope_from)
    return day < scope_from


def summarise_chronology(
    path: Path, agencies: Sequence[str] = (), *, scope_from: dt.date | None = None
) -> tuple[list[AgencySummary], int]:
    """Contacts per agency within the review period, with the first and last date as the
    agency gave it, from the "Chronology" sheet. A row marked "Before the review period"
    (or dated wholly before ``scope_from``) is counted apart and never taken as first."""
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
            advice="make it again with scrtool collate, then run scrtool report --replace (it writes the drafts again)",
        ) from None
    with opened as book:
        sheet = next((s for s in book.sheets if s.name == "Chronology"), None)
        if sheet is None:
            raise DataError(
                'has no sheet called "Chronology"',
                file=path,
                advice="make it again with scrtool collate, then run scrtool report --replace (it writes the drafts again)",
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
            advice="make it again with scrtool collate, then run scrtool report --replace (it writes the drafts again)",
        ) from None
    written_col = header.index("Date as written") if "Date as written" in header else None
    marker_col = (
        header.index("Before the review period") if "Before the review period" in header else None
    )

    def cell(row: Sequence[Any], col: int | None) -> Any:
        return row[col] if col is not None and col < len(row) else None

    found: dict[str, list[tuple[dt.date, Any]]] = {a: [] for a in agencies}
    earlier: dict[str, int] = {}
    undated: dict[str, int] = {}
    total = 0
    for row in rows[1:]:
        if not any(c is not None and str(c).strip() for c in row):
            continue
        agency = cell(row, agency_col)
        name = str(agency).strip() if agency is not None and str(agency).strip() else "Unknown"
        found.setdefault(name, [])
        day, shown = _row_date(cell(row, date_col), cell(row, written_col))
        marked = str(cell(row, marker_col) or "").strip().casefold() in ("yes", "y", "true")
        if day is not None and (marked or _before(shown, day, scope_from)):
            earlier[name] = earlier.get(name, 0) + 1
            continue
        total += 1
        if day is None:
            undated[name] = undated.get(name, 0) + 1
        else:
            found[name].append((day, shown))
    out = []
    for name, dated in found.items():
        dated.sort(key=lambda t: t[0])
        out.append(
            AgencySummary(
                name,
                len(dated) + undated.get(name, 0),
                date_words(dated[0][1]) if dated else None,
                date_words(dated[-1][1]) if dated else None,
                earlier.get(name, 0),
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


def _as_given(extra: Any, column: str, day: Any) -> Any:
    """A plan's date as the plan gave it: "March 2027" stays a month, never "31 March"."""
    from scrtool.dates import parse_partial_date

    raw = extra.get(column) if extra is not None else None
    if isinstance(raw, str) and raw.strip():
        try:
            partial = parse_partial_date(raw)
        except ValueError:
            return day
        if not partial.exact:
            return date_words(partial)
    return day


def response_lists(
    path: Path, *, case: Case | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The response's three parts, and the findings and recommendations, from the plan.

    The plan is read and judged by ``scrtool.review.actions`` (the reader behind ``scrtool
    actions``), so the two commands count the same actions; a row it cannot judge (no
    due date, a status it does not know) is left out and named in ``bad_rows``.

    ``as_of`` is the response's own date: an action completed after it was not done
    then, so it is listed as still to do, and its impact is left out.
    """
    from scrtool.review.actions import CLOSED, COMPLETE, NO_AGENCY, read_action_plan

    judged = read_action_plan(path, case=case)
    actions = sorted(judged.actions, key=lambda a: a.row)
    taken, impact, planned = [], [], []
    for a in actions:
        extra = a.values  # the row's cells as the plan gives them
        agency = a.lead_agency if a.lead_agency != NO_AGENCY else "[agency]"
        later = (
            as_of is not None
            and a.category == COMPLETE
            and a.date_completed is not None
            and a.date_completed > as_of
        )
        if later:
            planned.append(
                {
                    "action": a.action,
                    "agency": agency,
                    "due": _as_given(extra, "Due date", a.due or MISSING_DATE),
                    "status": "Not yet complete",
                }
            )
        elif a.category == COMPLETE:
            taken.append(
                {
                    "action": a.action,
                    "agency": agency,
                    "completed": _as_given(
                        extra, "Date completed", a.date_completed or MISSING_DATE
                    ),
                    "evidence": a.text("Evidence of completion"),
                }
            )
            if a.text("Impact"):
                impact.append({"action": a.action, "impact": a.text("Impact")})
        elif a.category != CLOSED:
            planned.append(
                {
                    "action": a.action,
                    "agency": agency,
                    "due": _as_given(extra, "Due date", a.due or MISSING_DATE),
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
# What the documents say about the review, from case.toml (or a placeholder)

SCR_CRITERIA = (
    "abuse or neglect of a child is known or suspected, and the child has died;",
    "abuse or neglect of a child is known or suspected, the child has been seriously "
    "harmed, and there is cause for concern about how agencies worked together;",
    "a child has died in custody, or while detained (such a death should always be reviewed).",
)
LCSPR_INCIDENT = (
    "abuse or neglect of a child is known or suspected, and",
    "the child has died or been seriously harmed.",
)


def publication_words(case: Case) -> str:
    """ "Published on ...", "Publication planned for ...", or why it is not published.

    "Published" only once ``[review] published`` (the actual date) is known."""
    review = case.review
    published = case.date("published")
    if review.get("publish") is False:
        return "The safeguarding partners decided not to publish this report."
    if published is not None:
        return f"Published on {date_words(published)}"
    planned = case.date("publication")
    if planned is not None:
        return f"Publication planned for {date_words(planned)}"
    return "[Give the planned publication date.]"


def _why(case: Case, notes: list[str]) -> dict[str, Any]:
    """ "Why the review was held", by the regime: the SCR rule, or the LCSPR partners'
    decision (never "the law says a review must be held" for an LCSPR)."""
    if case.type != "lcspr":
        decision_text, grounds = _screening(case)
        return {
            "why": [],
            "law_intro": "The law says a review must be held when one of these is true:",
            "criteria": list(SCR_CRITERIA),
            "decision_text": decision_text,
            "grounds": _unique(grounds),
        }
    screening = case.section("screening")
    why = []
    notified = case.date("notified")
    if notified is not None:
        why.append(
            f"The local authority told the National Panel about a serious incident on "
            f"{date_words(notified)}."
        )
    rapid = case.date("rapid_review")
    if rapid is not None:
        why.append(f"The safeguarding partners finished a rapid review on {date_words(rapid)}.")
    decision = screening.get("partners_decision")
    reasons = str(screening.get("partners_reasons") or "").strip()
    if decision == "lcspr":
        decision_text = "The safeguarding partners decided to hold this local review."
    elif decision == "no-lcspr":
        decision_text = "The safeguarding partners decided not to hold a local review."
    else:
        decision_text = "[Say what the safeguarding partners decided, and when.]"
        notes.append(
            f"{case.file}: [screening] partners_decision is not set, so the report leaves the "
            "partners' decision for you to write; set it (and partners_reasons) and run "
            "scrtool report --replace (it writes the drafts again)."
        )
    return {
        "why": why,
        "law_intro": (
            "The local authority must tell the National Panel about a serious child "
            "safeguarding incident. That is when:"
        ),
        "criteria": list(LCSPR_INCIDENT),
        "decision_text": decision_text,
        "grounds": [reasons] if reasons else ["[Give the partners' reasons.]"],
    }


def _screening(case: Case) -> tuple[str, list[str]]:
    from scrtool.review.screening import answers_from_case, decide

    try:
        decision = decide(answers_from_case(case), file=case.file)
    except (CaseError, InputError):
        return "[Say whether the criteria were met.]", ["[Give the reasons.]"]
    return decision.decision_text, list(decision.grounds)


def _reviewer_line(case: Case, notes: list[str]) -> str:
    """Say the lead reviewer works for none of the agencies only when the declarations
    show it; otherwise leave it for the author."""
    from scrtool.review.reviewers import INDEPENDENT, check_reviewers, period_words

    lead = str(case.review.get("lead_reviewer") or "").strip()
    gap = "[Say who led the review, and how the partners judged them independent of the agencies.]"
    try:
        report = check_reviewers(case)
    except ScrtoolError:
        return gap
    leads = [r for r in report.reviewers if r.lead]
    if len(leads) != 1 or leads[0].status != INDEPENDENT:
        notes.append(
            f"{case.file}: the lead reviewer's independence cannot be shown from what was "
            "declared (run scrtool reviewers), so the report leaves it for you to write."
        )
        return gap
    name = lead or leads[0].name
    return (
        f"{name} led the review. From what they declared, {name} has not worked for any of "
        f"the agencies in it in {period_words(report.independence_years, report.since)}."
    )


def _family_line(report: Mapping[str, Any]) -> str:
    text = str(report.get("family_involvement") or "").strip()
    if text:
        return text
    invited = report.get("family_invited")
    if invited is True:
        return (
            "The family were asked to take part, and told how their views would be used. "
            "[Say who took part, and what they told the review.]"
        )
    if invited is False:
        return "[Say why the family were not asked to take part.]"
    return "[Say whether the family were asked to take part, who took part, and what they told the review.]"


def _string_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def build_contexts(case: Case) -> tuple[dict[str, Any], dict[str, Any], list[str], int, int]:
    """(overview context, response context, notes, chronology rows, actions).

    Notes are for the officer (stderr and JSON); the documents hold only facts from the
    data and placeholders where there are none.
    """
    notes: list[str] = []
    agencies = [a.name for a in case.agencies]
    scope_from = case.date("scope_from")
    chronology_path = case.chronology_path
    total = 0
    earlier = 0
    if chronology_path.is_file():
        summary, total = summarise_chronology(chronology_path, agencies, scope_from=scope_from)
        earlier = sum(s.earlier for s in summary)
    else:
        summary = []
        notes.append(
            f"{chronology_path}: not found, so the chronology table is empty; run "
            f'"scrtool collate --case {case.root}" first, then scrtool report --replace (it writes the drafts again).'
        )
    as_of = case.date("published") or case.date("publication")
    plan_path = case.action_plan_path
    plan_ready = plan_path.is_file()
    if plan_ready:
        lists = response_lists(plan_path, case=case, as_of=as_of)
        if not lists["bad_rows"] and not lists["count"]:
            plan_ready = False
            notes.append(
                f"{plan_path}: holds no actions yet, so the response lists none; fill it in, "
                "then run scrtool report --replace (it writes the drafts again)."
            )
        for row, reason in lists["bad_rows"]:
            notes.append(
                f"{plan_path}: row {row} is left out of the response until it is "
                f"corrected: {reason.rstrip('.')}; run scrtool actions to see why, then "
                "scrtool report --replace (it writes the drafts again)."
            )
    else:
        lists = {
            "taken": [], "impact": [], "planned": [], "findings": [], "recommendations": [],
            "count": 0,
        }  # fmt: skip
        notes.append(
            f"{plan_path}: not found, so the actions are empty; make it with "
            f'"scrtool new" (or copy one in), fill it in, then run scrtool report --replace (it writes the drafts again).'
        )
    review = case.review
    report = case.section("report")
    lead = str(review.get("lead_reviewer") or "").strip()
    common = {
        "ref": case.ref,
        "partnership": case.partnership or "[partnership]",
        "child": case.child or "Child A",
        "review_type": case.type,
        "review_type_name": REVIEW_TYPE_NAMES.get(case.type, case.type),
        "publication_line": publication_words(case),
    }
    parallel = report.get("parallel_processes")
    overview = {
        **common,
        **_why(case, notes),
        "lead_reviewer": lead or "[Name the lead reviewer.]",
        "initiated": _planned_or_gap(case.date("initiated")),
        "scope_from": _planned_or_gap(scope_from),
        "scope_to": _planned_or_gap(case.date("scope_to")),
        "reviewer_line": _reviewer_line(case, notes),
        "method": str(report.get("method") or "").strip(),
        "principles_met": report.get("principles_met") is True,
        "terms_of_reference": _string_list(report.get("terms_of_reference")),
        "family_line": _family_line(report),
        "practitioner_line": str(report.get("practitioner_involvement") or "").strip()
        or "[Say how the practitioners took part.]",
        "agencies": agencies or ["[Add the agencies.]"],
        "chronology": [s.as_row() for s in summary],
        "chronology_total": total,
        "chronology_ready": bool(summary),
        "earlier_line": (
            f"The chronology also holds {earlier} earlier "
            f"record{'s' if earlier != 1 else ''}, from before the review period. "
            f"{'They are' if earlier != 1 else 'It is'} kept for background and not counted "
            "in the table."
            if earlier
            else ""
        ),
        "parallel_known": isinstance(parallel, list),
        "parallel_processes": _string_list(parallel),
        "findings": lists["findings"],
        "recommendations": lists["recommendations"],
        "glossary": [
            {"term": t, "meaning": m}
            for t, m in sorted(GLOSSARY, key=lambda item: item[0].casefold())
        ],
    }
    response = {
        **common,
        "dated_line": _response_dated(case),
        "as_of": as_of or "[date]",
        "plan_ready": plan_ready,
        "taken": lists["taken"],
        "impact": lists["impact"],
        "planned": lists["planned"],
    }
    return overview, response, notes, total, int(lists["count"])


def _response_dated(case: Case) -> str:
    published = case.date("published")
    partnership = case.partnership or "[partnership]"
    if published is not None:
        return f"Published by the {partnership} on {date_words(published)}."
    planned = case.date("publication")
    if case.review.get("publish") is False:
        return f"From the {partnership}. The report itself is not published."
    if planned is not None:
        return f"From the {partnership}. Publication planned for {date_words(planned)}."
    return f"From the {partnership}. [Give the planned publication date.]"


def build_report(case: Case, *, replace: bool = False) -> ReportResult:
    """Write the overview report, the partnership response and the letter to the Panel
    into working/ (all or none).

    The drafts are where the lead reviewer writes, so an existing one is never written
    over unless ``replace`` says so: a second run must not wipe weeks of editing.
    """
    from scrtool.drafting.templates import LoadedTemplate
    from scrtool.outputs import write_all_atomic

    targets = (*case.report_drafts, panel_letter_path(case))
    if not replace:
        existing = [path.name for path in targets if path.exists()]
        if existing:
            listed = " and ".join(existing)
            raise OutputError(
                f"already holds {listed}, which may have the lead reviewer's edits",
                file=case.folder("working"),
                advice="move or rename the draft first, or run scrtool report --replace to write over it",
            )
    overview, response, notes, total, actions = build_contexts(case)
    letter = panel_letter_context(case)
    notes.extend(letter.pop("_notes"))
    jobs = []
    names = (OVERVIEW_TEMPLATE, RESPONSE_TEMPLATE, PANEL_LETTER)
    for name, draft, context in zip(names, targets, (overview, response, letter), strict=True):
        loaded = LoadedTemplate(case_template(case, name))
        missing = loaded.missing(context)
        if missing:
            quoted = ", ".join(f'"{m}"' for m in missing)
            raise TemplateError(
                f"{loaded.path} uses {quoted}, which scrtool report does not provide",
                advice="remove those tags (see docs/report.md for the variables), and try again",
            )
        write = _renderer(loaded, context)
        if name == OVERVIEW_TEMPLATE:
            write = _with_timeline(write, case)
        jobs.append((draft, write))
    outputs = write_all_atomic(jobs)
    return ReportResult(
        outputs=tuple(outputs), notes=tuple(notes), chronology_rows=total, actions=actions
    )


def _with_timeline(write: Any, case: Case) -> Any:
    """The overview report gets the chronology's timeline under "What the records show"."""

    def with_picture(path: Path) -> None:
        from scrtool.chronology.report_figure import add_timeline

        write(path)
        add_timeline(path, case)

    return with_picture


def _renderer(loaded: Any, context: Mapping[str, Any]) -> Any:
    def write(path: Path) -> None:
        from scrtool.drafting.finish import mark_placeholders

        loaded.render(context, path)
        mark_placeholders(path)  # gaps from the data look like the template's own

    return write
