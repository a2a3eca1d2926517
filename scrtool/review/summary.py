"""The partnership's annual summary: one row per review, and what the reviews changed.

The seed: "The LSCB annual reports will explain the impact of Serious Case Reviews and
other reviews on improving services". A business support officer points this at every
case folder of the year and gets a workbook to paste from: each review's dates, whether
it met the six-month target and sent the panel copy on time, and how its action plan
stands, with charts of reviews by month and of action status.

A case folder that cannot be read is named, never left out quietly: it stops the run
unless the caller asks to skip it, and then it is listed in the workbook and the result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.errors import InputError, ScrtoolError

#: The workbook's first sheet: (heading, width).
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Reference", 14),
    ("Type", 8),
    ("Child", 12),
    ("Initiated", 12),
    ("Completion due", 15),
    ("Completed", 12),
    ("Days to completion", 12),
    ("LCSPR decision", 22),
    ("Within six months", 11),
    ("Six months measured to", 14),
    ("Publication", 12),
    ("Published", 12),
    ("Published or not", 30),
    ("Panel copy due", 14),
    ("Panel copy sent", 14),
    ("Panel copy on time", 11),
    ("Actions", 9),
    ("Actions complete", 10),
    ("Actions overdue", 10),
    ("Actions due within 30 days", 12),
    ("Actions on track", 10),
    ("Action rows needing correction", 12),
    ("Impact", 60),
    ("Notes", 50),
    ("Case folder", 40),
)

REVIEWS_SHEET = "Reviews"
MONTH_SHEET = "Reviews by month"
ACTIONS_SHEET = "Action status"
UNREADABLE_SHEET = "Could not read"


@dataclass(frozen=True)
class ReviewRow:
    case_dir: Path
    ref: str
    review_type: str
    child: str | None
    initiated: dt.date | None
    completion_due: dt.date | None
    completed: dt.date | None
    days_to_completion: int | None
    within_six_months: bool | None
    publication: dt.date | None
    published: dt.date | None
    panel_copy_due: dt.date | None
    panel_copy_sent: dt.date | None
    panel_copy_on_time: bool | None
    actions_total: int | None
    actions_complete: int | None
    actions_overdue: int | None
    actions_due_soon: int | None
    actions_on_track: int | None
    action_bad_rows: int | None
    action_counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    lcspr_decision: str | None = None
    measured_to: str | None = None
    publication_status: str | None = None
    impact: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "type": self.review_type,
            "case": self.case_dir,
            "initiated": self.initiated,
            "completion_due": self.completion_due,
            "completed": self.completed,
            "days_to_completion": self.days_to_completion,
            "within_six_months": self.within_six_months,
            "publication": self.publication,
            "published": self.published,
            "panel_copy_due": self.panel_copy_due,
            "panel_copy_sent": self.panel_copy_sent,
            "panel_copy_on_time": self.panel_copy_on_time,
            "actions_total": self.actions_total,
            "actions_complete": self.actions_complete,
            "actions_overdue": self.actions_overdue,
            "actions_due_within_30_days": self.actions_due_soon,
            "actions_on_track": self.actions_on_track,
            "action_rows_needing_correction": self.action_bad_rows,
            "lcspr_decision": self.lcspr_decision,
            "within_six_months_measured_to": self.measured_to,
            "publication_status": self.publication_status,
            "impact": self.impact,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Unreadable:
    case_dir: Path
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case_dir, "reason": self.reason}


@dataclass(frozen=True)
class Summary:
    output: Path | None
    today: dt.date
    reviews: tuple[ReviewRow, ...]
    unreadable: tuple[Unreadable, ...] = ()

    def action_totals(self) -> dict[str, int]:
        from scrtool.review.actions import CATEGORIES

        totals = Counter({c: 0 for c in CATEGORIES})
        for review in self.reviews:
            totals.update(review.action_counts)
        return dict(totals)

    def to_json(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "today": self.today,
            "count": len(self.reviews),
            "reviews": [r.to_json() for r in self.reviews],
            "actions": self.action_totals(),
            "unreadable": [u.to_json() for u in self.unreadable],
        }


def _on_time(done: dt.date | None, due: dt.date | None, today: dt.date) -> bool | None:
    """True when done by the due day; False when done late or still not done after it."""
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if today > due else None


def summarise_case(case_dir: Path, *, today: dt.date) -> ReviewRow:
    """One review's row; raises a ScrtoolError when the case or its action plan is unreadable."""
    from scrtool.case import load_case
    from scrtool.dates import format_english
    from scrtool.review.actions import (
        COMPLETE,
        DUE_SOON,
        ON_TRACK,
        OVERDUE,
        plan_path,
        read_action_plan,
    )
    from scrtool.review.timetable import completion_due, panel_copy_due

    case = load_case(case_dir)
    notes: list[str] = []
    initiated = case.date("initiated")
    completed = case.date("completed")
    publication = case.date("publication")
    published = case.date("published")
    sent = case.date("panel_copy_sent")
    lcspr = case.type == "lcspr"
    publish = case.review.get("publish") is not False
    due = completion_due(initiated) if initiated else None
    # The panel copy is judged against the actual publication once known; a report not
    # published against the information about the improvements (LCSPR).
    counted = published or publication
    if not publish:
        counted = case.date("improvements_published") if lcspr else None
    panel_due = None
    if counted is not None:
        panel_due = panel_copy_due("lcspr" if not publish else case.type, counted)
    if initiated is None:
        notes.append("No initiated date in case.toml.")
    days = (completed - initiated).days if initiated and completed else None
    # An LCSPR is to be completed and published within six months; an SCR completed.
    measured_to = "completion"
    within = _on_time(completed, due, today)
    if lcspr:
        measured_to = "publication" if publish else "publication of the improvements"
        reached = published if publish else case.date("improvements_published")
        within = _on_time(reached, due, today)
    if days is not None and days < 0:
        notes.append("The completed date is before the initiated date in case.toml: check both.")
        days, within = None, None
    if published is not None:
        status = f"Published {format_english(published)}"
    elif not publish:
        status = "Not published: " + str(
            case.review.get("not_published_reasons") or "no reasons recorded"
        )
    elif publication is not None:
        status = f"Not yet: planned for {format_english(publication)}"
    else:
        status = "Not yet"
    decision = None
    if lcspr:
        decision = {
            "lcspr": "LCSPR commissioned",
            "no-lcspr": "Partners decided against an LCSPR",
        }.get(str(case.section("screening").get("partners_decision")), "Partners' decision awaited")
    plan = plan_path(case)
    impact = None
    counts: dict[str, int] = {}
    total = complete = overdue = soon = on_track = bad = None
    if plan.exists():
        report = read_action_plan(plan, today=today, case=case)
        counts = {c: report.count(c) for c in (OVERDUE, DUE_SOON, ON_TRACK, COMPLETE, "closed")}
        total = len(report.actions)
        complete, overdue = counts[COMPLETE], counts[OVERDUE]
        soon, on_track = counts[DUE_SOON], counts[ON_TRACK]
        bad = len(report.bad_rows)
        impact = _impact(report.actions)
        if not total and not bad:
            notes.append("The action plan has no actions yet.")
        if bad:
            rows = ", ".join(str(b.row) for b in report.bad_rows)
            notes.append(f"Action plan rows needing correction: {rows}.")
    else:
        notes.append("No action plan (working/action-plan.xlsx) yet.")
    return ReviewRow(
        case_dir=case_dir,
        ref=case.ref,
        review_type=case.type,
        child=case.child,
        initiated=initiated,
        completion_due=due,
        completed=completed,
        days_to_completion=days,
        within_six_months=within,
        publication=publication,
        published=published,
        panel_copy_due=panel_due,
        panel_copy_sent=sent,
        panel_copy_on_time=_on_time(sent, panel_due, today),
        actions_total=total,
        actions_complete=complete,
        actions_overdue=overdue,
        actions_due_soon=soon,
        actions_on_track=on_track,
        action_bad_rows=bad,
        action_counts=counts,
        notes=tuple(notes),
        lcspr_decision=decision,
        measured_to=measured_to,
        publication_status=status,
        impact=impact,
    )


def _impact(actions: Sequence[Any]) -> str:
    """What the action plan's evidence says changed: the recorded impact of done actions."""
    from scrtool.review.actions import COMPLETE

    done = [a for a in actions if a.category == COMPLETE]
    with_impact = [a for a in done if a.impact]
    if not done:
        return "No action complete yet."
    head = f"{len(with_impact)} of {len(done)} completed actions record an impact"
    if not with_impact:
        evidenced = sum(1 for a in done if a.evidence)
        return f"{head}; {evidenced} record evidence of completion only."
    return head + ": " + "; ".join(a.impact.rstrip(".") for a in with_impact) + "."


def summarise(
    case_dirs: Sequence[Path],
    *,
    output: Path | None = None,
    today: dt.date | None = None,
    skip_unreadable: bool = False,
) -> Summary:
    """Read every case folder and, with ``output``, write the summary workbook atomically.

    An unreadable case stops the run (nothing written) unless ``skip_unreadable``.
    """
    from scrtool.case import CASE_FILE, LAYOUT
    from scrtool.outputs import check_writable, refuse_inputs

    today = today or dt.date.today()
    if not case_dirs:
        raise InputError("no case folders were given", advice="name one or more case folders")
    if output is not None:
        output = Path(output)
        if output.suffix.lower() != ".xlsx":
            raise InputError(
                "is not an .xlsx file name", file=output, advice="name the output FILE.xlsx"
            )
        check_writable(output)
        read = [Path(d) / name for d in case_dirs for name in (CASE_FILE, LAYOUT["action_plan"])]
        refuse_inputs(output, read, what="a file of a case folder being summarised")
    rows: list[ReviewRow] = []
    unreadable: list[Unreadable] = []
    for case_dir in case_dirs:
        case_dir = Path(case_dir)
        try:
            if not case_dir.is_dir():
                raise InputError("is not a folder", file=case_dir, advice="name a case folder")
            if not (case_dir / CASE_FILE).is_file():
                raise InputError(
                    f"holds no {CASE_FILE}, so it is not a case folder",
                    file=case_dir,
                    advice="leave it out or name the right folder",
                )
            rows.append(summarise_case(case_dir, today=today))
        except ScrtoolError as exc:
            if not skip_unreadable:
                raise type(exc)(
                    exc.problem,
                    file=exc.file,
                    place=exc.place,
                    advice=f"{exc.advice}, or give --skip-unreadable to list it and go on",
                ) from exc
            unreadable.append(Unreadable(case_dir=case_dir, reason=exc.message))
    rows.sort(key=lambda r: (r.initiated or dt.date.max, r.ref))
    summary = Summary(output=output, today=today, reviews=tuple(rows), unreadable=tuple(unreadable))
    if output is not None:
        from scrtool.outputs import write_atomic

        write_atomic(output, lambda path: _write_workbook(summary, path))
    return summary


def _month_range(dates: Sequence[dt.date]) -> list[tuple[int, int]]:
    if not dates:
        return []
    first, last = min(dates), max(dates)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _plain_axes(chart: Any, top: int) -> None:
    """Both axes drawn, counted in whole numbers up to ``top``.

    openpyxl leaves out the axes' ``delete`` flag, and Excel then hides them; a count of
    reviews is never 0.5, so a small count is marked in steps of 1.
    """
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    chart.y_axis.scaling.min = 0
    if top <= 10:
        chart.y_axis.majorUnit = 1


def _write_workbook(summary: Summary, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from scrtool import workbook_style as house
    from scrtool.review.actions import CATEGORIES, LABELS

    footer = "Case reviews summary"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = REVIEWS_SHEET

    def header(ws: Any, names: Sequence[str]) -> None:
        house.style_header(ws, 1, names)

    def finish(ws: Any, *, wrap: Sequence[int] = (), maximum: float = 40) -> None:
        """House style: fitted widths, wrapped rows, frozen header, filter, print setup."""
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.column in wrap:
                    cell.alignment = house.wrap_alignment()
                if cell.font is None or cell.font.name != house.FONT_NAME:
                    cell.font = house.body_font()
        house.fit_sheet(ws, header_row=1, maximum=maximum)
        house.data_sheet(ws, ref=footer, header_row=1, columns=ws.max_column, last_row=ws.max_row)

    header(sheet, [name for name, _ in COLUMNS])
    for r in summary.reviews:
        sheet.append(
            [
                r.ref,
                r.review_type.upper(),
                r.child,
                r.initiated,
                r.completion_due,
                r.completed,
                r.days_to_completion,
                r.lcspr_decision,
                _yes_no(r.within_six_months),
                r.measured_to,
                r.publication,
                r.published,
                r.publication_status,
                r.panel_copy_due,
                r.panel_copy_sent,
                _yes_no(r.panel_copy_on_time),
                r.actions_total,
                r.actions_complete,
                r.actions_overdue,
                r.actions_due_soon,
                r.actions_on_track,
                r.action_bad_rows,
                r.impact,
                " ".join(r.notes) or None,
                str(r.case_dir),
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = house.DATE_FORMAT
            if cell.data_type == "f":
                cell.data_type = "s"  # text that starts with "=" stays text, never a formula
    names = [name for name, _ in COLUMNS]
    finish(sheet, wrap=[names.index("Notes") + 1, names.index("Case folder") + 1])

    # Reviews by month: initiated, completed and published, with a clustered bar chart.
    months_sheet = book.create_sheet(MONTH_SHEET)
    header(months_sheet, ["Month", "Initiated", "Completed", "Published"])
    dates = [
        d for r in summary.reviews for d in (r.initiated, r.completed, r.published) if d is not None
    ]
    months = _month_range(dates)
    for year, month in months:

        def count(attr: str, y: int = year, m: int = month) -> int:
            return sum(
                1
                for r in summary.reviews
                if (d := getattr(r, attr)) is not None and (d.year, d.month) == (y, m)
            )

        months_sheet.append(
            [dt.date(year, month, 1), count("initiated"), count("completed"), count("published")]
        )
    for row in months_sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = house.MONTH_FORMAT
    finish(months_sheet)
    if months:
        chart = BarChart()
        chart.type = "col"
        chart.title = "Reviews by month"
        chart.y_axis.title = "Reviews"
        chart.x_axis.title = "Month"
        chart.x_axis.number_format = "mmm yyyy"
        data = Reference(months_sheet, min_col=2, max_col=4, min_row=1, max_row=len(months) + 1)
        cats = Reference(months_sheet, min_col=1, min_row=2, max_row=len(months) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        top = max(
            (c.value for row in months_sheet.iter_rows(min_row=2, min_col=2) for c in row),
            default=0,
        )
        _plain_axes(chart, top)
        chart.width, chart.height = 22, 10
        months_sheet.add_chart(chart, "F2")

    # Action status across every review, with a bar chart.
    actions_sheet = book.create_sheet(ACTIONS_SHEET)
    header(actions_sheet, ["Status", "Actions"])
    totals = summary.action_totals()
    for category in CATEGORIES:
        actions_sheet.append([LABELS[category].capitalize(), totals.get(category, 0)])
    finish(actions_sheet)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Action status, all reviews"
    chart.x_axis.title = "Status"
    chart.y_axis.title = "Actions"
    chart.legend = None
    data = Reference(actions_sheet, min_col=2, min_row=1, max_row=len(CATEGORIES) + 1)
    cats = Reference(actions_sheet, min_col=1, min_row=2, max_row=len(CATEGORIES) + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    _plain_axes(chart, max(totals.values(), default=0))
    chart.width, chart.height = 18, 9
    actions_sheet.add_chart(chart, "D2")

    if summary.unreadable:
        bad = book.create_sheet(UNREADABLE_SHEET)
        header(bad, ["Case folder", "Why it could not be read"])
        for item in summary.unreadable:
            bad.append([str(item.case_dir), item.reason])
        for row in bad.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
        finish(bad, wrap=[1, 2], maximum=80)

    book.properties.creator = "scrtool"
    book.properties.title = "Case reviews summary"
    book.save(path)
