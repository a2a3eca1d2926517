from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import (
    case_option,
    echo,
    emit_json,
    existing_file,
    json_option,
    note,
    note_refusal,
)


@click.command("publish")
@case_option
@click.option("--ref", default=None, help="The review's reference (default: case.toml).")
@click.option(
    "--report",
    type=existing_file(),
    default=None,
    help='The finished report, a Word document (default: the .docx in final/ with "report" '
    "in its name).",
)
@click.option(
    "--response",
    type=existing_file(),
    default=None,
    help="The partnership's response, a Word document (default with a case: the .docx in "
    'final/ with "response" in its name, if there is one).',
)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    default=None,
    help="The folder to write the website copy into (made if needed).",
)
@json_option
def command(
    case_dir: Path | None,
    ref: str | None,
    report: Path | None,
    response: Path | None,
    output_dir: Path | None,
    as_json: bool,
) -> object:
    """Make the website copy of the report (and the response) as accessible PDF.

    LibreOffice turns each Word document into a tagged PDF (PDF/UA) that a screen reader
    can follow: headings, reading order, table headers and the pictures' alternative
    text, bookmarks made from the headings, and the document's title shown in the window
    title. scrtool then sets the language to British English (en-GB) and removes the
    author and every other personal entry from the PDF's properties, keeping the tags.

    Checks first and writes nothing until every check passes: the redaction check (with
    the case's register), the draft check and the accessibility check on the Word
    documents, then the accessibility and redaction checks again on the PDFs made.
    Writes REF-report.pdf (and REF-response.pdf) into the output folder.

    With --case (or in a case folder), the report and response come from final/ and the
    reference from case.toml. Exit code 0 when written, 1 when a check failed (nothing
    written), 2 when it could not run.

    \b
    Example:
      scrtool publish --case NS-2026-01 --output website
      scrtool publish --ref NS-2026-01 --report final/report.docx --output website --json
    """
    from scrtool.bundle.publish import publish
    from scrtool.case import find_case

    case = find_case(case_dir, required=False)
    result = publish(case=case, ref=ref, report=report, response=response, output_dir=output_dir)
    for line in result.notes:
        note(line)
    if result.refused:
        note_refusal("Not published", result.problems)
    if as_json:
        emit_json(result)
        return result
    if result.refused:
        return result
    echo(f"Published review {result.ref} for the website (tagged PDF, language en-GB):")
    for output, path in zip(result.outputs, result.written, strict=True):
        pages = f"{output.pages} page{'s' if output.pages != 1 else ''}"
        echo(f"  wrote {path} ({pages})")
    return result
