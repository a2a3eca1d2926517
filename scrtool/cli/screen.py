"""``scrtool screen``: are the criteria for a review met, and on what grounds?"""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import (
    case_option,
    echo,
    emit_json,
    find_case_or_say,
    json_option,
    note,
    style,
)


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
    "--type",
    "review_type",
    type=click.Choice(["scr", "lcspr"], case_sensitive=False),
    help="scr (Serious Case Review) or lcspr (Local Child Safeguarding Practice Review). "
    "Default: case.toml's type, else scr.",
)
@click.option(
    "--partners-decision",
    type=click.Choice(["lcspr", "no-lcspr"]),
    help="LCSPR: what the safeguarding partners decided (commission a local review or not). "
    "Needs --reasons, or [screening] partners_reasons in case.toml.",
)
@click.option("--reasons", help="LCSPR: the partners' reasons for their decision.")
@click.option(
    "--replace",
    "replace_record",
    is_flag=True,
    help="Write the decision record over an existing working/screening-decision.docx.",
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
    review_type: str | None,
    partners_decision: str | None,
    reasons: str | None,
    replace_record: bool,
    no_record: bool,
    as_json: bool,
) -> None:
    """Screen a case: for a Serious Case Review, must a review be held; for a Local Child
    Safeguarding Practice Review, is the incident notifiable, and what did the partners decide?

    \b
    Serious Case Review (scr): a review must be held when abuse or neglect is known or
    suspected and the child died; or when it is known or suspected, the child was
    seriously harmed and there is cause for concern about how the agencies worked
    together (unless it is clear there is none). A death in custody or detention should
    always be reviewed.

    \b
    Local Child Safeguarding Practice Review (lcspr): abuse or neglect known or suspected,
    and a child who died or was seriously harmed, make the incident notifiable to the
    National Panel, and a rapid review is due. Whether to commission a review is the
    safeguarding partners' decision, with reasons (--partners-decision and --reasons, or
    [screening] partners_decision and partners_reasons); until then it is awaited.

    The answers come from [screening] in case.toml; the options override them. In a case
    folder the decision record is written to working/screening-decision.docx; an
    existing record is only replaced with --replace.

    \b
    Example:
      scrtool screen --case "NS-2026-01"
      scrtool screen --type lcspr --abuse-or-neglect suspected --outcome serious-harm --partners-decision no-lcspr --reasons "The rapid review found the learning already in hand."
    """
    from scrtool.review.screening import QUESTION_WORDS, Answers, PartnersDecision, screen

    case = find_case_or_say(case_dir, using="using only the answers given as options")
    answers = Answers(
        abuse_or_neglect=abuse_or_neglect,
        outcome=outcome,
        agency_concerns=agency_concerns,
        custody=custody,
    )
    result = screen(
        answers=answers,
        partners=PartnersDecision(decision=partners_decision, reasons=reasons),
        case=case,
        review_type=review_type.lower() if review_type else None,
        write_record=not no_record,
        replace_record=replace_record,
    )
    if result.record is not None:
        note(f"Wrote the decision record to {result.record}.")
    if result.to_fill and result.record is not None:
        note(
            'The record says "Not recorded" in its signature block: fill in '
            + ", ".join(result.to_fill)
            + " in case.toml and run scrtool screen --replace."
        )
    if as_json:
        emit_json(result)
        return
    colour = {"required": "red", "lcspr": "red", "awaiting-partners": "yellow"}.get(
        result.decision, "green"
    )
    echo(style(result.decision_text, fg=colour, bold=True))
    echo()
    echo("Answers:")
    for key, question in QUESTION_WORDS.items():
        echo(f"  {question} {result.answers.words(key)}")
    echo()
    echo("Grounds:")
    for line in result.grounds:
        echo(f"  - {line}")
    if result.matters:
        echo()
        echo("The matters the partners must take into account (regulation 11):")
        for line in result.matters:
            echo(f"  - {line}")
        echo("Working Together also asks them to consider:")
        for line in result.related:
            echo(f"  - {line}")
