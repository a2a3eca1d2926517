"""``scrtool timetable``: the review's deadlines, and which are done, due or overdue."""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import (
    DATE,
    case_option,
    echo,
    emit_json,
    find_case_or_say,
    json_option,
    note,
    style,
)


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
    "--published",
    type=DATE,
    help="The day the report was actually published; the panel copy and the website period "
    "are then counted from it. Default: [review] published in case.toml.",
)
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
    published: object,
    today: object,
    ics: Path | None,
    as_json: bool,
) -> None:
    """Work out the review's deadlines from its dates, for either kind of review.

    \b
    Serious Case Review (scr): completion is due six calendar months after the review
    was initiated; the National Panel's copy 7 calendar days before publication (a
    warning says when that day is a weekend or bank holiday); the report stays on the
    website for 12 months after publication.

    \b
    Local Child Safeguarding Practice Review (lcspr): the Panel is notified within 5
    working days of the incident becoming known (a late notification is flagged with its
    effect on the rapid review), the rapid review is done within 15 working days of the
    notification, and the review is completed and published within six months of being
    initiated. The copy goes to the Panel and the Secretary of State 7 working days
    (weekends and England-and-Wales bank holidays skipped) before publication. A
    looked-after child adds the notification to Ofsted and the Secretary of State.

    Once the actual publication day is known (--published, or [review] published), the
    panel copy and the website period are counted from it. A report the partners decide
    not to publish ([review] publish = false, with not_published_reasons) has no website
    period: its milestones say what goes to the Panel instead. [review] delay_reasons is
    shown beside a late milestone.

    Dates come from case.toml; the options override it. Each milestone says whether it
    is done, due or overdue, counting from --today.

    \b
    Example:
      scrtool timetable --case "NS-2026-01" --today 24/07/2026 --ics deadlines.ics
      scrtool timetable --type lcspr --initiated 02/02/2026 --publication 14/09/2026
    """
    from scrtool.dates import format_english
    from scrtool.review.timetable import build_timetable, write_calendar

    case = find_case_or_say(case_dir, using="using only the dates given as options")
    table = build_timetable(
        review_type=review_type.lower() if review_type else None,
        initiated=initiated,  # type: ignore[arg-type]
        publication=publication,  # type: ignore[arg-type]
        published=published,  # type: ignore[arg-type]
        today=today,  # type: ignore[arg-type]
        case=case,
    )
    for line in table.notes:
        note(line)
    for line in table.warnings:
        note(f"Warning: {line}")
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
        if m.warning:
            state += " (a weekend or bank holiday: see the warning)"
        echo(f"  {m.name.ljust(width)}  {due:<18}  {state}")
    echo()
    echo(f"Initiated:            {day(table.initiated)}")
    echo(f"Completion due:       {day(table.completion_due)}")
    if table.review_type == "lcspr":
        echo(
            f"Six months end:       {day(table.publication_due)} (completed and published by then)"
        )
    if table.publish:
        echo(f"Publication planned:  {day(table.publication)}")
        echo(f"Published:            {day(table.published) if table.published else 'not yet'}")
        counted = " (counted from the actual day)" if table.published else ""
        echo(f"Panel copy due:       {day(table.panel_copy_due)}{counted}")
        echo(f"On the website until: {day(table.published_until)}")
    else:
        echo(f"Not published:        {table.not_published_reasons}")
    if table.delay_reasons:
        echo(f"Reasons for delay:    {'; '.join(table.delay_reasons)}")
    if table.overdue:
        echo()
        names = ", ".join(m.name.lower() for m in table.overdue)
        echo(style(f"Overdue: {names}.", fg="red"))
