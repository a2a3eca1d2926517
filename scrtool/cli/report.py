"""``scrtool report``: fill the overview report skeleton, the partnership response and the
letter to the National Panel."""

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
    """Fill the overview report, the partnership response and the letter to the Panel.

    Writes working/overview-report.docx (summary, why the review was held, what it
    looked at, how it was done, how the family and staff took part, the child's life,
    the merged chronology's summary per agency, other processes, analysis, good
    practice, findings, recommendations, glossary), working/partnership-response.docx
    (actions taken by its date, their impact, what more will be done) and
    working/panel-letter.docx from case.toml, working/chronology.xlsx (made by scrtool
    collate) and working/action-plan.xlsx. Every fact comes from that data; where there
    is none the document holds a placeholder in [square brackets] for the lead reviewer
    to write, which scrtool check draft (and package) finds until it is written. Notes
    for you go to stderr, never into a document. Drafts already in working/ are never
    written over unless --replace is given.

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
        f"Filled the overview report ({result.chronology_rows} chronology rows), the "
        f"partnership response ({result.actions} actions) and the letter to the Panel:"
    )
    for path in result.outputs:
        echo(f"  {path}")
    echo(
        "Next: open them in Word and replace the text in [square brackets]; scrtool check "
        "draft lists what is left."
    )
