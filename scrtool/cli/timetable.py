"""``scrtool timetable``: the review's deadlines, and which are done, due or overdue."""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import DATE, case_option, echo, emit_json, json_option, note, style


@click.command(name="timetable")
@case_option
@click.option(
    "--type",
    "review_type",
    type=click.Choice(["scr", "lcspr"], case_sensitive=False),
    help="scr (Serious Case Review) or lcspr (Local Child Safeguarding Practice Review).",
)
@click.option("--initiated", type=DATE, help="The day the review was initiated (31/03/2026).")
@click.option("--publication", type=DATE, help="The planned publication day (31/03/2026).")
@click.option(
    "--today", type=DATE, help="Count done, due and overdue from this day instead of today."
)
@click.option(
    "--ics",
    "ics",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the deadlines as a calendar file (.ics) to import into Outlook.",
)
@json_option
def command(
    case_dir: Path | None,
    review_type: str | None,
    initiated: object,
    publication: object,
    today: object,
    ics: Path | None,
    as_json: bool,
) -> None:
    """Work out the review's deadlines from its dates.

    Completion is due six calendar months after the review was initiated. The National
    Panel's copy is due 7 calendar days before publication for a Serious Case Review, and
    7 working days before it (weekends and England-and-Wales bank holidays skipped) for a
    Local Child Safeguarding Practice Review, which also has the notification (5 working
    days after the incident is known) and the rapid review (15 working days after the
    notification). The report stays on the website for 12 months after publication.

    Dates come from case.toml; --type, --initiated and --publication override it. Each
    milestone says whether it is done, due or overdue, counting from --today.

    \b
    Example:
      scrtool timetable --case "NS-2026-01" --today 24/07/2026 --ics deadlines.ics
      scrtool timetable --type lcspr --initiated 02/02/2026 --publication 14/09/2026
    """
    from scrtool.case import find_case
    from scrtool.dates import format_english
    from scrtool.review.timetable import build_timetable, write_calendar

    case = find_case(case_dir, required=False)
    table = build_timetable(
        review_type=review_type.lower() if review_type else None,
        initiated=initiated,  # type: ignore[arg-type]
        publication=publication,  # type: ignore[arg-type]
        today=today,  # type: ignore[arg-type]
        case=case,
    )
    for line in table.notes:
        note(line)
    written = None
    if ics is not None:
        written = write_calendar(table, ics, inputs=(case.file,) if case is not None else ())
    if written is not None:
        count = sum(1 for m in table.milestones if m.due is not None)
        note(f"Wrote {written} ({count} events): import it in Outlook with File, Open & Export.")
    if as_json:
        doc = table.to_json()
        doc["calendar"] = str(written) if written is not None else None
        emit_json(doc)
        return

    from scrtool.case import REVIEW_TYPE_NAMES

    def day(value: object) -> str:
        return format_english(value) if value is not None else "not known"  # type: ignore[arg-type]

    title = table.ref or "Review"
    if table.review_type:
        title += f": {REVIEW_TYPE_NAMES[table.review_type]}"
    echo(style(title, bold=True))
    echo(f"Counting from {format_english(table.today)}.")
    echo()
    width = max(len(m.name) for m in table.milestones)
    colours = {"overdue": "red", "done": "green", "due": "yellow"}
    for m in table.milestones:
        due = day(m.due) if m.due else "no date yet"
        state = style(m.describe(), fg=colours.get(m.status))
        echo(f"  {m.name.ljust(width)}  {due:<18}  {state}")
    echo()
    echo(f"Initiated:            {day(table.initiated)}")
    echo(f"Completion due:       {day(table.completion_due)}")
    echo(f"Publication:          {day(table.publication)}")
    echo(f"Panel copy due:       {day(table.panel_copy_due)}")
    echo(f"On the website until: {day(table.published_until)}")
    if table.overdue:
        echo()
        names = ", ".join(m.name.lower() for m in table.overdue)
        echo(style(f"Overdue: {names}.", fg="red"))
