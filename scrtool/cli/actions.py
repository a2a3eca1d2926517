"""``scrtool actions``: the action plan's progress, by lead agency, overdue first."""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import (
    DATE,
    case_option,
    echo,
    emit_json,
    existing_file,
    json_option,
    note,
    style,
)
from scrtool.errors import EXIT_FINDINGS, EXIT_OK


@click.command(name="actions")
@case_option
@click.option(
    "--plan",
    type=existing_file(),
    help="The action plan workbook (default: working/action-plan.xlsx in the case).",
)
@click.option("--today", type=DATE, help="Judge the due dates as on this day instead of today.")
@click.option(
    "--fail-on-overdue",
    is_flag=True,
    help="Exit with code 1 when any action is overdue (for a monthly scheduled check).",
)
@json_option
def command(
    case_dir: Path | None,
    plan: Path | None,
    today: object,
    fail_on_overdue: bool,
    as_json: bool,
) -> object:
    """Show each action in the action plan as complete, on track, due within 30 days or overdue.

    Reads working/action-plan.xlsx (the columns and statuses are in
    schemas/action-plan.toml; headings are matched by name or alias). Actions are grouped
    by lead agency, overdue first. Rows that cannot be judged (no action, no due date, a
    date that is not a date, an unknown status) are listed with their row numbers.

    \b
    Example:
      scrtool actions --case "NS-2026-01"
      scrtool actions --case "NS-2026-01" --today 01/12/2026 --fail-on-overdue --json
    """
    from scrtool.case import find_case
    from scrtool.dates import format_english
    from scrtool.review.actions import check_actions, count_actions, describe_counts, format_due

    case = find_case(case_dir, required=plan is None)
    report = check_actions(case=case, plan=plan, today=today)  # type: ignore[arg-type]
    if as_json:
        for bad in report.bad_rows:
            note(f'{report.file}: sheet "{report.sheet}" row {bad.row}: {bad.reason}.')
        emit_json(report)
    else:
        echo(
            style(f"Action plan: {report.file}", bold=True)
            + f' (sheet "{report.sheet}"), as on {format_english(report.today)}'
        )
        echo(f"{count_actions(len(report.actions))}: {describe_counts(report)}.")
        colours = {"overdue": "red", "due-within-30-days": "yellow", "complete": "green"}
        for group in report.agencies:
            echo()
            extra = f" ({group.count('overdue')} overdue)" if group.count("overdue") else ""
            echo(style(group.agency + extra, bold=True))
            for action in group.actions:
                label = style(f"{action.describe():<22}", fg=colours.get(action.category))
                owner = f" [{action.owner}]" if action.owner else ""
                echo(
                    f"  {label} row {action.row:<4} due {format_due(action):<18} {action.action}{owner}"
                )
        if report.bad_rows:
            echo()
            echo(style(f"Rows that need correcting ({len(report.bad_rows)}):", fg="red", bold=True))
            for bad in report.bad_rows:
                echo(f"  row {bad.row}: {bad.reason}.")
    if fail_on_overdue and report.overdue:
        if not as_json:
            count = len(report.overdue)
            note(f"{count} action is overdue." if count == 1 else f"{count} actions are overdue.")
        return EXIT_FINDINGS
    return EXIT_OK
