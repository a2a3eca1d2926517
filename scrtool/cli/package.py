from __future__ import annotations

import datetime as dt
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
    note_refusal,
)


@click.command("package")
@case_option
@click.option("--ref", default=None, help="The review's reference (default: case.toml).")
@click.option(
    "--report",
    type=existing_file(),
    default=None,
    help='The report, .docx or .pdf (default: the file in final/ with "report" in its name).',
)
@click.option(
    "--response",
    type=existing_file(),
    default=None,
    help='The partnership\'s response, .docx or .pdf (default: the file in final/ with "response" in its name).',
)
@click.option(
    "--attach",
    "attachments",
    type=existing_file(),
    multiple=True,
    help="Another document to bundle after the response (repeat for more).",
)
@click.option(
    "--publication", type=DATE, default=None, help="Planned publication date (default: case.toml)."
)
@click.option(
    "--sent",
    type=DATE,
    default=None,
    help="The day the panel copy is sent (default: panel_copy_sent in case.toml, else today).",
)
@click.option(
    "--type",
    "review_type",
    type=click.Choice(["scr", "lcspr"]),
    default=None,
    help="scr or lcspr (default: case.toml, else lcspr).",
)
@click.option(
    "--terms",
    "terms_file",
    type=existing_file(),
    default=None,
    help="A text file of names and places that must not appear, one a line.",
)
@click.option(
    "--skip-readability",
    is_flag=True,
    help="Send it even if the readability check fails (the manifest records this).",
)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder to write into (default with a case: its submission/ folder).",
)
@json_option
def command(
    case_dir: Path | None,
    ref: str | None,
    report: Path | None,
    response: Path | None,
    attachments: tuple[Path, ...],
    publication: dt.date | None,
    sent: dt.date | None,
    review_type: str | None,
    terms_file: Path | None,
    skip_readability: bool,
    output_dir: Path | None,
    as_json: bool,
) -> object:
    """Package the report and response for the National Panel.

    Checks first, writes nothing until every check passes: the redaction check on every
    document (never skipped), the readability check (--skip-readability lets a failure
    through) and that the panel copy is sent on time (--sent on or before the due date:
    7 days before publication for an SCR, 7 working days for an LCSPR). Word documents
    are turned into PDF with LibreOffice.

    Then writes into the output folder one PDF bundle, REF-panel-submission.pdf (cover
    sheet, linked index, a bookmark per document, "Page N of M" on every page, no hidden
    metadata), manifest.json, and REF-panel-submission.zip holding both.

    With --case, the report and response come from the case's final/ folder (the one
    file whose name contains "report", the one whose name contains "response"), the
    dates and reference from case.toml, and the output goes to submission/.

    \b
    Example:
      scrtool package --case NS-2026-01 --sent 01/09/2026
      scrtool package --ref NS-2026-01 --report report.pdf --response response.docx \\
          --publication 14/09/2026 --sent 01/09/2026 --output submission
    """
    from scrtool.bundle.package import package
    from scrtool.case import find_case

    case = find_case(case_dir, required=False)
    if case is None and output_dir is None:
        raise click.UsageError(
            "name the folder to write into with --output (or package a case folder with --case)"
        )
    result = package(
        case=case,
        ref=ref,
        report=report,
        response=response,
        attachments=attachments,
        publication=publication,
        sent=sent,
        review_type=review_type,
        terms_file=terms_file,
        output_dir=output_dir,
        skip_readability=skip_readability,
    )
    for line in result.notes:
        note(line)
    if result.manifest is None:
        note_refusal("Not packaged", result.problems)
        if as_json:
            emit_json(result)
        return result
    if as_json:
        emit_json(result)
        return result
    manifest = result.manifest
    if manifest.checks.get("readability", {}).get("skipped") and not manifest.checks.get(
        "readability", {}
    ).get("passed", True):
        note(
            "The readability check failed and was skipped (--skip-readability); the manifest says so."
        )
    echo(
        f"Packaged review {manifest.case_ref}: {len(manifest.documents)} documents, "
        f"{manifest.bundle.pages} pages."
    )
    for doc in manifest.documents:
        last = doc.first_page + doc.pages - 1
        where = f"page {last}" if doc.pages == 1 else f"pages {doc.first_page}-{last}"
        echo(f"  {doc.title} ({doc.file}): {where}")
    for path in result.outputs:
        echo(f"  wrote {path}")
    return result
