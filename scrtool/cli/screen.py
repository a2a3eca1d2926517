"""``scrtool screen``: are the criteria for a review met, and on what grounds?"""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import case_option, echo, emit_json, json_option, note, style


@click.command(name="screen")
@case_option
@click.option(
    "--abuse-or-neglect",
    type=click.Choice(["known", "suspected", "no"]),
    help="Is abuse or neglect of the child known or suspected?",
)
@click.option(
    "--outcome",
    type=click.Choice(["died", "serious-harm", "none"]),
    help="Did the child die, or was the child seriously harmed?",
)
@click.option(
    "--agency-concerns",
    type=click.Choice(["yes", "no", "unclear"]),
    help="Is there cause for concern about how the agencies worked together? Only a clear "
    '"no" rules a review out.',
)
@click.option(
    "--custody",
    type=click.Choice(["yes", "no"]),
    help="Was the child in custody or detention (police custody, remand, a secure setting, "
    "detained under the Mental Health Act)?",
)
@click.option(
    "--no-record",
    is_flag=True,
    help="Do not write working/screening-decision.docx in the case folder.",
)
@json_option
def command(
    case_dir: Path | None,
    abuse_or_neglect: str | None,
    outcome: str | None,
    agency_concerns: str | None,
    custody: str | None,
    no_record: bool,
    as_json: bool,
) -> None:
    """Decide whether the criteria for a review are met, with the grounds.

    A review is required when abuse or neglect is known or suspected and the child died;
    or when it is known or suspected, the child was seriously harmed and there is cause
    for concern about how the agencies worked together (unless it is clear there is none);
    or when the child died in custody or detention, whatever the rest.

    The answers come from [screening] in case.toml; the options override them. In a case
    folder the decision record is written to working/screening-decision.docx.

    \b
    Example:
      scrtool screen --case "NS-2026-01"
      scrtool screen --abuse-or-neglect suspected --outcome serious-harm --agency-concerns unclear --custody no
    """
    from scrtool.case import find_case
    from scrtool.review.screening import Answers, screen

    case = find_case(case_dir, required=False)
    answers = Answers(
        abuse_or_neglect=abuse_or_neglect,
        outcome=outcome,
        agency_concerns=agency_concerns,
        custody=custody,
    )
    result = screen(answers=answers, case=case, write_record=not no_record)
    if result.record is not None:
        note(f"Wrote the decision record to {result.record}.")
    if as_json:
        emit_json(result)
        return
    colour = "red" if result.required else "green"
    echo(style(result.decision_text, fg=colour, bold=True))
    echo()
    echo("Grounds:")
    for line in result.grounds:
        echo(f"  - {line}")
