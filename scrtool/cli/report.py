"""``scrtool report``: fill the overview report skeleton and the partnership response."""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import case_option, echo, emit_json, json_option, note


@click.command(name="report")
@case_option
@click.option(
    "--replace",
    is_flag=True,
    help="Write over drafts already in working/ (they may hold the lead reviewer's edits).",
)
@json_option
def command(case_dir: Path | None, replace: bool, as_json: bool) -> None:
    """Fill the overview report skeleton and the partnership response for a case.

    Writes working/overview-report.docx (summary, why the review was held, how it was
    done, how the family and staff took part, the merged chronology's summary per agency,
    analysis, findings, recommendations, glossary) and working/partnership-response.docx
    (actions already taken, their impact, what more will be done) from case.toml,
    working/chronology.xlsx (made by scrtool collate) and working/action-plan.xlsx. If the
    chronology or the action plan is not there yet, its table is left empty, the
    document says so, and a note says which command to run. Text in [square brackets] is
    for the lead reviewer to replace. Drafts already in working/ are never written over
    unless --replace is given.

    \b
    Example:
      scrtool report --case "NS-2026-01"
    """
    from scrtool.case import find_case
    from scrtool.drafting.report import build_report

    case = find_case(case_dir, required=True)
    assert case is not None
    result = build_report(case, replace=replace)
    for line in result.notes:
        note(line)
    if as_json:
        emit_json(result)
        return
    echo(
        f"Filled the overview report ({result.chronology_rows} chronology rows) and the "
        f"partnership response ({result.actions} actions):"
    )
    for path in result.outputs:
        echo(f"  {path}")
    echo("Next: open them in Word and replace the text in [square brackets].")
