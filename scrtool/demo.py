"""``scrtool demo``: a whole review's paperwork, made from the bundled fictional case.

The demo owns its steps: each calls one job's core function on the case folder and
returns the paths it made and a line saying what it did, so the demo shows a newcomer
every command at work. No job imports the demo.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scrtool.case import CASE_FILE, SUBFOLDERS, Case, load_case
from scrtool.dates import format_english
from scrtool.errors import EXIT_FINDINGS, EXIT_OK, OutputError, ScrtoolError
from scrtool.resources import data_dir


@dataclass(frozen=True)
class StepResult:
    step: str
    summary: str
    outputs: tuple[Path, ...] = ()
    exit_code: int = 0


@dataclass(frozen=True)
class DemoResult:
    case_dir: Path
    steps: tuple[StepResult, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> tuple[StepResult, ...]:
        """The steps that did not finish cleanly (their command would not exit 0)."""
        return tuple(s for s in self.steps if s.exit_code != 0)

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.failed else EXIT_OK


def report_drafts(case: Case) -> list[Path]:
    """The report drafts the demo has made so far in working/."""
    return [path for path in case.report_drafts if path.is_file()]


def make_demo_case(target: Path) -> Case:
    """Copy the sample case into ``target`` (which must be new or empty)."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(
            "is a file, not a folder", file=target, advice="name a new folder for the demo"
        )
    if target.exists() and any(target.iterdir()):
        raise OutputError(
            "already exists and is not empty",
            file=target,
            advice="name a new folder for the demo",
        )
    samples = data_dir("samples")
    existed = target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in SUBFOLDERS:
            (target / name).mkdir(exist_ok=True)
        shutil.copy2(samples / CASE_FILE, target / CASE_FILE)
        for sub in SUBFOLDERS:
            src = samples / sub
            if src.is_dir():
                shutil.copytree(src, target / sub, dirs_exist_ok=True)
    except OSError as exc:
        # Half a copy would be refused next time ("not empty"); it was new or empty, so
        # everything in it is this run's and goes again.
        if existed:
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(target, ignore_errors=True)
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"the sample case could not be copied into it ({reason})",
            file=target,
            advice="free some space or name a folder on another drive, then try again",
        ) from exc
    return load_case(target)


# --- the steps: each calls one job's core function on the sample case -----------------


def collate_step(case: Case) -> StepResult:
    """The demo's first step: collate the sample returns into working/."""
    from scrtool.chronology.collate import collate

    xlsx = case.chronology_path
    word = case.path("chronology_docx")
    try:
        result = collate([case.folder("returns")], output=xlsx, docx=word, case=case)
    except ScrtoolError as exc:
        return StepResult(step="collate", summary=exc.message, exit_code=exc.exit_code)
    return StepResult(
        step="collate",
        summary=(
            f"merged {len(result.inputs)} returns: {result.rows_merged} rows in the chronology, "
            f"{result.rows_needing_attention} needing attention, "
            f"{result.possible_duplicates} possible duplicate"
            f"{'s' if result.possible_duplicates != 1 else ''}"
        ),
        outputs=(xlsx, word),
    )


def timeline_step(case: Case) -> StepResult:
    """The demo's step: the chronology drawn as a timeline (PDF for print, PNG for Word)."""
    from scrtool.chronology.timeline import make_timeline

    outputs = []
    try:
        for name in ("timeline.pdf", "timeline.png"):
            result = make_timeline(case=case, chronology=None, output=case.folder("working") / name)
            outputs.append(result.output)
    except ScrtoolError as exc:
        return StepResult(step="timeline", summary=exc.message, exit_code=exc.exit_code)
    data = result.data
    gap = f"; the longest gap is {data.gaps[0].days} days" if data.gaps else ""
    return StepResult(
        step="timeline",
        summary=(
            f"drew {len(data.events)} events in {len(data.agencies)} agency lanes, "
            f"{len(data.key_events)} key events labelled{gap}"
        ),
        outputs=tuple(outputs),
    )


def anonymise_step(case: Case) -> StepResult:
    """The demo's step: the Word chronology copied with pseudonyms, and back again."""
    from scrtool.anonymise.run import anonymise

    sources = [case.path("chronology_docx"), case.chronology_path]
    anonymised = case.folder("working") / "anonymised"
    named = case.folder("working") / "personalised"
    try:
        result = anonymise(sources, case=case, output_dir=anonymised)
        back = anonymise(
            [o.file for o in result.outputs], case=case, output_dir=named, personalise=True
        )
    except ScrtoolError as exc:
        return StepResult(step="anonymise", summary=exc.message, exit_code=exc.exit_code)
    replaced = sum(o.replacements for o in result.outputs)
    verdict = (
        "the copies pass the redaction check for names"
        if result.passed
        else "some copies still hold register names"
    )
    return StepResult(
        step="anonymise",
        summary=(
            f"replaced {replaced} register names with pseudonyms in {len(result.outputs)} files "
            f"({verdict}), then personalised them back into working/personalised/"
        ),
        outputs=tuple(o.file for o in (*result.outputs, *back.outputs)),
        exit_code=result.exit_code,
    )


def requests_step(case: Case) -> StepResult:
    """The demo's step: a letter and a blank return for each of the sample's agencies."""
    from scrtool.drafting.requests import make_requests

    try:
        result = make_requests(case)
    except ScrtoolError as exc:
        return StepResult(
            step="requests", summary=f"could not make the request packs: {exc}", exit_code=2
        )
    summary = (
        f"made a letter and a blank chronology return for each of {len(result.packs)} agencies"
    )
    if result.notes:
        summary += "; " + " ".join(result.notes)
    return StepResult(
        step="requests",
        summary=summary,
        outputs=result.outputs,
    )


def report_step(case: Case) -> StepResult:
    """The demo's step: fill the report skeleton and the response from the sample case."""
    from scrtool.drafting.report import build_report

    try:
        result = build_report(case)
    except ScrtoolError as exc:
        return StepResult(step="report", summary=f"could not fill the report: {exc}", exit_code=2)
    summary = (
        f"filled the overview report skeleton ({result.chronology_rows} chronology rows) "
        f"and the partnership response ({result.actions} actions)"
    )
    if result.notes:
        summary += "; " + " ".join(result.notes)
    return StepResult(step="report", summary=summary, outputs=result.outputs)


def readability_step(case: Case) -> StepResult:
    """The demo's step: check the report and response drafts are plain English."""
    from scrtool.checks.readability import check_readability

    drafts = report_drafts(case)
    if not drafts:
        return StepResult(step="check readability", summary="no report drafts in working/ to check")
    try:
        report = check_readability(drafts, case=case)
    except ScrtoolError as exc:
        return StepResult(step="check readability", summary=f"could not check: {exc}", exit_code=2)
    parts = [
        f"{f.path.name} {'passed' if f.passed else 'failed'} (reading ease "
        f"{f.flesch_reading_ease:.0f}, grade {f.flesch_kincaid_grade:.1f})"
        for f in report.files
    ]
    return StepResult(
        step="check readability",
        summary="; ".join(parts),
        exit_code=0 if report.passed else 1,
    )


def redaction_step(case: Case) -> StepResult:
    """The demo's step: check the report and response drafts identify nobody."""
    from scrtool.checks.redaction import check_redaction

    drafts = report_drafts(case)
    if not drafts:
        return StepResult(step="check redaction", summary="no report drafts in working/ to check")
    try:
        report = check_redaction(drafts, case=case)
    except ScrtoolError as exc:
        return StepResult(step="check redaction", summary=f"could not check: {exc}", exit_code=2)
    parts = []
    for file in report.files:
        failing = sum(1 for f in file.findings if f.fails)
        verdict = "passed" if file.passed else f"failed ({failing} high or medium findings)"
        parts.append(f"{file.path.name} {verdict}")
    return StepResult(
        step="check redaction", summary="; ".join(parts), exit_code=0 if report.passed else 1
    )


def screening_step(case: Case) -> StepResult:
    """The demo's step: decide from the sample's [screening] and write the record."""
    from scrtool.review.screening import screen

    try:
        result = screen(case=case)
    except ScrtoolError as exc:
        return StepResult(step="screen", summary=exc.message, exit_code=exc.exit_code)
    return StepResult(
        step="screen",
        summary=f"{result.decision_text} ({len(result.grounds)} grounds on record)",
        outputs=(result.record,) if result.record else (),
    )


def reviewers_step(case: Case) -> StepResult:
    """The demo's step: the reviewers' independence, as on the day the review was initiated."""
    from scrtool.review.reviewers import WARNING, check_reviewers

    today = case.date("initiated")
    try:
        report = check_reviewers(case, today=today)
    except ScrtoolError as exc:
        return StepResult(step="reviewers", summary=exc.message, exit_code=exc.exit_code)
    line = report.summary_line().rstrip(".")
    summary = line[0].lower() + line[1:]
    warned = [r.name for r in report.reviewers if not r.lead and r.status == WARNING]
    if warned:
        summary += (
            f"; {', '.join(warned)} "
            + ("has a link" if len(warned) == 1 else "have links")
            + " to record"
        )
    summary = f"as on {format_english(report.today)}: {summary}"
    return StepResult(step="reviewers", summary=summary, exit_code=0 if report.passed else 1)


def timetable_step(case: Case) -> StepResult:
    """The demo's step: the timetable as on the day the sample review was completed."""
    from scrtool.review.timetable import build_timetable, write_calendar

    today = case.date("completed") or case.date("initiated")
    output = case.path("calendar")
    try:
        table = build_timetable(case=case, today=today)
        write_calendar(table, output)
    except ScrtoolError as exc:
        return StepResult(step="timetable", summary=exc.message, exit_code=exc.exit_code)
    done = sum(1 for m in table.milestones if m.done)
    when = format_english(table.today)
    summary = (
        f"as on {when}: {done} of {len(table.milestones)} milestones done, "
        f"{len(table.overdue)} overdue; panel copy due "
        f"{format_english(table.panel_copy_due) if table.panel_copy_due else 'not known'}; "
        "deadlines written as a calendar file"
    )
    return StepResult(step="timetable", summary=summary, outputs=(output,))


def actions_step(case: Case) -> StepResult:
    """The demo's step: the sample action plan at its first monthly check after publication."""
    from scrtool.review.actions import check_actions, count_actions, describe_counts
    from scrtool.review.timetable import add_months

    published = case.date("published") or case.date("publication")
    today = add_months(published, 3).replace(day=1) if published else None
    try:
        report = check_actions(case=case, today=today)
    except ScrtoolError as exc:
        return StepResult(step="actions", summary=exc.message, exit_code=exc.exit_code)
    summary = f"as on {format_english(report.today)}: {count_actions(len(report.actions))}, {describe_counts(report)}"
    if report.bad_rows:
        rows = ", ".join(str(b.row) for b in report.bad_rows)
        summary += (
            f"; row {rows} needs correcting"
            if len(report.bad_rows) == 1
            else f"; rows {rows} need correcting"
        )
    return StepResult(step="actions", summary=summary, outputs=(report.file,))


#: The lead reviewer's text for the sample drafts' placeholders (see samples/).
AUTHOR_TEXT = "author-text.toml"


def finish_drafts(case: Case) -> list[Path]:
    """Fill the drafts' placeholders from samples/author-text.toml into final/, as an
    author would, and take the DRAFT marks off: the finished documents the demo packages."""
    from scrtool.drafting.finish import finish_document, read_author_text

    texts = read_author_text(data_dir("samples") / AUTHOR_TEXT)
    final = case.folder("final")
    final.mkdir(exist_ok=True)
    return [finish_document(path, final / path.name, texts).output for path in case.report_drafts]


def package_step(case: Case) -> StepResult:
    """Demo: finish the report and response into final/ and package the case."""
    from scrtool.bundle.package import package

    step = "package"
    missing = [path.name for path in case.report_drafts if not path.is_file()]
    if missing:
        return StepResult(
            step=step,
            summary=f"skipped: {', '.join(missing)} not in working/ (the report step makes them)",
            exit_code=2,
        )
    try:
        finish_drafts(case)
        result = package(case=case, sent=case.date("panel_copy_sent"))
    except ScrtoolError as exc:
        return StepResult(step=step, summary=f"could not run: {exc.message}", exit_code=2)
    if result.manifest is None:
        return StepResult(
            step=step,
            summary="refused: " + " | ".join(result.problems),
            exit_code=1,
        )
    manifest = result.manifest
    return StepResult(
        step=step,
        summary=(
            "wrote the lead reviewer's text into the report and response (from "
            f"samples/{AUTHOR_TEXT}), put them in final/ and bundled them for the National "
            f"Panel ({manifest.bundle.pages} pages, panel copy due "
            f"{format_english(dt.date.fromisoformat(manifest.checks['timetable']['panel_copy_due']))})"
        ),
        outputs=result.outputs,
    )


#: Where the demo puts the website copy (a folder of the demo case; any folder will do).
WEBSITE_FOLDER = "website"


def publish_step(case: Case) -> StepResult:
    """Demo: the finished report and response in final/ as accessible PDF for the website."""
    from scrtool.bundle.publish import publish

    step = "publish"
    final = case.folder("final")
    missing = [path.name for path in case.report_drafts if not (final / path.name).is_file()]
    if missing:
        return StepResult(
            step=step,
            summary=f"skipped: {', '.join(missing)} not in final/ (the package step puts them there)",
            exit_code=2,
        )
    try:
        result = publish(case=case, output_dir=case.root / WEBSITE_FOLDER)
    except ScrtoolError as exc:
        return StepResult(step=step, summary=f"could not run: {exc.message}", exit_code=2)
    if result.refused:
        return StepResult(step=step, summary="refused: " + " | ".join(result.problems), exit_code=1)
    made = ", ".join(f"{o.file} ({o.pages} pages)" for o in result.outputs)
    return StepResult(
        step=step,
        summary=(
            f"made the website copy as tagged PDF, language en-GB, no personal metadata: {made}; "
            "the redaction, draft and accessibility checks passed before and after"
        ),
        outputs=result.written,
    )


def summary_step(case: Case) -> StepResult:
    """The demo's step: the annual summary workbook, here for the one sample review."""
    from scrtool.review.summary import summarise
    from scrtool.review.timetable import add_months

    published = case.date("published") or case.date("publication")
    today = add_months(published, 3).replace(day=1) if published else None
    output = case.path("summary")
    try:
        summary = summarise([case.root], output=output, today=today)
    except ScrtoolError as exc:
        return StepResult(step="summary", summary=exc.message, exit_code=exc.exit_code)
    review = summary.reviews[0]
    parts = [f"wrote the annual summary workbook for {review.ref}"]
    if review.days_to_completion is not None:
        parts.append(f"completed in {review.days_to_completion} days")
    if review.within_six_months is not None:
        within = "within" if review.within_six_months else "outside"
        parts.append(f"{within} six months (counted to {review.measured_to})")
    if review.panel_copy_on_time is not None:
        parts.append(
            "panel copy sent on time" if review.panel_copy_on_time else "panel copy sent late"
        )
    if review.actions_total is not None:
        from scrtool.review.actions import count_actions

        parts.append(f"{count_actions(review.actions_total)}, {review.actions_overdue} overdue")
    return StepResult(step="summary", summary="; ".join(parts), outputs=(output,))


#: Each step, in the order a review would run them.
STEPS: tuple[Callable[[Case], StepResult], ...] = (
    collate_step,
    timeline_step,
    anonymise_step,
    requests_step,
    report_step,
    readability_step,
    redaction_step,
    screening_step,
    reviewers_step,
    timetable_step,
    actions_step,
    package_step,
    publish_step,
    summary_step,
)


def run_demo(target: Path, *, on_step: Callable[[StepResult], None] | None = None) -> DemoResult:
    case = make_demo_case(target)
    results = []
    for step in STEPS:
        try:
            result = step(case)
        except ScrtoolError as exc:  # a step should not raise; if one does, the rest still run
            name = step.__name__.removesuffix("_step").lstrip("_")
            result = StepResult(step=name, summary=f"could not run: {exc.message}", exit_code=2)
        results.append(result)
        if on_step is not None:
            on_step(result)
    return DemoResult(case_dir=case.root, steps=tuple(results))
