"""``scrtool reviewers``: is the lead reviewer independent of the agencies involved?"""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import DATE, case_option, echo, emit_json, json_option, style


@click.command(name="reviewers")
@case_option
@click.option("--today", type=DATE, help="Count the independence period back from this day's year.")
@json_option
def command(case_dir: Path | None, today: object, as_json: bool) -> object:
    """Check each reviewer's past and present employers against the agencies in the case.

    A lead reviewer who worked for an agency in the review, or for the partnership, in the
    last settings.independence_years years (5 unless case.toml says otherwise) is a
    conflict: exit 1 with the reason. A lead reviewer who declared no affiliations has an
    unknown independence (only what is declared can be checked): exit 1 as well. Another
    reviewer with such a link is a warning. Declared qualifications are shown; a lead
    reviewer with none declared gets a note.
    Reviewers and their affiliations are the [[reviewers]] blocks in case.toml.

    \b
    Example:
      scrtool reviewers --case "NS-2026-01"
    """
    from scrtool.case import find_case
    from scrtool.review.reviewers import (
        CONFLICT,
        UNKNOWN,
        WARNING,
        check_reviewers,
        period_words,
    )

    case = find_case(case_dir, required=True)
    assert case is not None
    report = check_reviewers(case, today=today)  # type: ignore[arg-type]
    if as_json:
        emit_json(report)
    else:
        echo(
            style(f"Reviewers for {case.ref}", bold=True)
            + f": links within {period_words(report.independence_years, report.since)}"
        )
        colours = {CONFLICT: "red", WARNING: "yellow", UNKNOWN: "yellow", "independent": "green"}
        for reviewer in report.reviewers:
            echo()
            role = f" ({reviewer.role})" if reviewer.role else ""
            state = style(reviewer.status, fg=colours.get(reviewer.status), bold=True)
            echo(f"{reviewer.name}{role}: {state}")
            if reviewer.qualifications:
                echo(f"  Qualifications: {'; '.join(reviewer.qualifications)}")
            for reason in reviewer.reasons:
                echo(f"  - {reason}")
            if reviewer.declared and not reviewer.links:
                echo("  - No declared link with any agency in the review or with the partnership.")
        echo()
        echo(style(report.summary_line(), fg="green" if report.passed else "red"))
    return report
