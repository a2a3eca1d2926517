"""``scrtool summary``: one row per review for the partnership's annual report."""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import DATE, echo, emit_json, json_option, note, style


@click.command(name="summary")
@click.argument(
    "case_dirs",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path),
    metavar="CASE_DIR...",
)
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The summary workbook to write (.xlsx).",
)
@click.option(
    "--today",
    type=DATE,
    help="Judge overdue actions and deadlines as on this day (default: today).",
)
@click.option(
    "--skip-unreadable",
    is_flag=True,
    help="List a case folder that cannot be read and go on, instead of stopping.",
)
@json_option
def command(
    case_dirs: tuple[Path, ...],
    output: Path,
    today: object,
    skip_unreadable: bool,
    as_json: bool,
) -> None:
    """Summarise several reviews in one workbook for the annual report.

    One row per review: reference, type, initiated, completed, the partners' decision for
    an LCSPR, whether within six months (an LCSPR counts to publication, as Working
    Together expects it completed and published by then; a Serious Case Review counts to
    completion), whether the panel copy was on time (against the actual publication day
    once known), published or not, the action plan's totals and an "Impact" column from
    the plan's recorded impact. Charts show reviews by month and the status
    of every action. A case folder that cannot be read stops the run, naming it, unless
    --skip-unreadable is given.

    \b
    Example:
      scrtool summary "NS-2025-03" "NS-2026-01" --output "Reviews 2026.xlsx"
      scrtool summary Reviews/* --output summary.xlsx --skip-unreadable --json
    """
    from scrtool.dates import format_english
    from scrtool.review.actions import count_actions
    from scrtool.review.summary import summarise

    summary = summarise(
        list(case_dirs),
        output=output,
        today=today,  # type: ignore[arg-type]
        skip_unreadable=skip_unreadable,
    )
    for item in summary.unreadable:
        note(f"Skipped: {item.reason}")
    if as_json:
        emit_json(summary)
        return

    def yes_no(value: bool | None) -> str:
        return "-" if value is None else ("yes" if value else style("no", fg="red"))

    count = len(summary.reviews)
    title = f"{count} review{'' if count == 1 else 's'}, as on {format_english(summary.today)}"
    echo(style(title, bold=True))
    for r in summary.reviews:
        days = (
            f"{r.days_to_completion} days" if r.days_to_completion is not None else "not completed"
        )
        if r.actions_total is None:
            actions = "no action plan"
        elif r.actions_total == 0 and not r.action_bad_rows:
            actions = "no actions in the plan yet"
        else:
            actions = (
                f"{count_actions(r.actions_total)}, {r.actions_complete} complete, "
                f"{r.actions_overdue} overdue"
            )
        echo(
            f"  {r.ref:<14} {r.review_type.upper():<6} {days:<14} within six months "
            f"(to {r.measured_to}): {yes_no(r.within_six_months)}; panel copy on time: "
            f"{yes_no(r.panel_copy_on_time)}; {(r.publication_status or '').lower()}; {actions}"
        )
    if summary.unreadable:
        skipped = len(summary.unreadable)
        heading = (
            "1 case folder could not be read:"
            if skipped == 1
            else f"{skipped} case folders could not be read:"
        )
        echo(style(heading, fg="red"))
        for item in summary.unreadable:
            echo(f"  {item.case_dir}")
    echo(f"Wrote {summary.output}.")
