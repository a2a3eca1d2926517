"""``scrtool requests``: a request letter and a blank chronology return for each agency."""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import case_option, echo, emit_json, json_option, note


@click.command(name="requests")
@case_option
@click.option(
    "--replace",
    is_flag=True,
    help="Make every pack again, writing over letters and workbooks already in requests/.",
)
@json_option
def command(case_dir: Path | None, replace: bool, as_json: bool) -> None:
    """Make a request letter and a blank chronology return for every agency in case.toml.

    Writes requests/<agency> request.docx (what is asked, the period to cover, the
    deadline, how to send it back safely) and requests/<agency> chronology return.xlsx:
    the chronology's columns with the agency and the review's reference filled in, a
    dropdown for the event type, dates checked as they are typed, the heading rows
    locked and an Instructions sheet explaining each column. The return date is
    returns_due in case.toml while it is still ahead, else 15 working days (or
    [partnership] return_working_days) from today, with a note. Letters are signed by
    [partnership] contact_name and contact_role. A return filled in from it
    collates with scrtool collate with no row needing attention. An agency whose pack
    is already in requests/ keeps it (it may have been edited or sent); only missing
    packs are made, unless --replace is given.

    \b
    Example:
      scrtool requests --case "NS-2026-01"
    """
    from scrtool.case import find_case
    from scrtool.drafting.requests import make_requests

    case = find_case(case_dir, required=True)
    assert case is not None
    result = make_requests(case, replace=replace)
    for line in result.notes:
        note(line)
    if as_json:
        emit_json(result)
        return
    made = len(result.packs)
    echo(
        f"Made request packs for {made} agenc{'y' if made == 1 else 'ies'} "
        f"in {case.folder('requests')}{':' if made else '.'}"
    )
    for pack in result.packs:
        echo(f"  {pack.letter.name}")
        echo(f"  {pack.workbook.name}")
    if result.kept:
        kept = ", ".join(pack.agency for pack in result.kept)
        echo(f"Kept the packs already there for {kept} (use --replace to make them again).")
    echo("Next: check each letter in Word, then send it with its workbook by secure email.")
