from __future__ import annotations

import click

from scrtool.cli._common import echo, emit_json, json_option


@click.command("new")
@click.argument("directory", type=click.Path())
@click.option("--ref", required=True, help="The review's reference, such as NS-2026-01.")
@click.option(
    "--type",
    "review_type",
    type=click.Choice(["scr", "lcspr"]),
    default="lcspr",
    show_default=True,
    help="scr: Serious Case Review; lcspr: Local Child Safeguarding Practice Review.",
)
@click.option("--partnership", default=None, help="The safeguarding partnership's name.")
@click.option("--child", default=None, help='The child\'s pseudonym (default "Child A").')
@json_option
def command(
    directory: str,
    ref: str,
    review_type: str,
    partnership: str | None,
    child: str | None,
    as_json: bool,
) -> None:
    """Make a case folder for a new review.

    Creates DIRECTORY with a commented case.toml to fill in by hand, and the folders
    requests/, returns/, working/, final/ and submission/.

    \b
    Example:
      scrtool new "NS-2026-01" --ref NS-2026-01 --type lcspr
    """
    from scrtool.case import SUBFOLDERS
    from scrtool.review.new_case import create_case

    case = create_case(
        directory, ref=ref, review_type=review_type, partnership=partnership, child=child
    )
    made = [case.file] + [case.folder(n) for n in SUBFOLDERS]
    for extra in sorted(case.folder("working").glob("*.xlsx")):
        made.append(extra)
    if as_json:
        emit_json({"case": str(case.root), "ref": case.ref, "type": case.type, "created": made})
        return
    echo(f"Made the case folder {case.root} for review {case.ref}.")
    for path in made:
        echo(f"  {path}")
    echo(f"Next: open {case.file} in Notepad and fill in the review's details.")
