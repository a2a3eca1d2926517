"""``scrtool check draft``: is the document finished?"""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import echo, emit_json, existing_file, json_option, style


@click.command("draft")
@click.argument("files", nargs=-1, required=True, type=existing_file())
@json_option
def command(files: tuple[Path, ...], as_json: bool) -> object:
    """Check that a document is finished before it is sent or published.

    Finds what a finished report must not hold: placeholders left for the author (the
    templates' bracketed instructions such as "[Write the summary here.]", and text in
    the character style "Placeholder"), the word DRAFT (in the text, a header, a footer,
    a watermark or the file's title), scrtool's own notes to the officer, template tags
    left unfilled ({{ or {%), and headings with nothing written under them. It looks in
    the body, tables, headers, footers, footnotes, endnotes, comments, text boxes,
    watermarks, the document's properties and a PDF's text. A square bracket in ordinary
    prose ("[sic]", a reference "[1]") is not a placeholder. FILE is .docx, .pdf, .txt
    or .md. The rule is in schemas/placeholders.toml (docs/check-draft.md explains how to
    mark placeholders in a partnership's own templates).

    Exit code 0 when every file is finished, 1 when any holds a finding, 2 when a file
    cannot be read.

    \b
    Example:
      scrtool check draft final/overview-report.docx final/partnership-response.docx
      scrtool check draft report.pdf --json
    """
    from scrtool.checks.draft import check_draft

    report = check_draft(list(files))
    if as_json:
        emit_json(report.to_json())
    else:
        render(report)
    return report


def render(report: object) -> None:
    from scrtool.checks.draft import DraftReport

    assert isinstance(report, DraftReport)
    failing = 0
    for file in report.files:
        verdict = (
            style("finished", fg="green")
            if file.passed
            else style("UNFINISHED", fg="red", bold=True)
        )
        echo(f"{file.path}: {verdict}")
        if not file.findings:
            echo("  nothing left to finish")
            continue
        failing += 1
        for f in file.findings:
            echo(f"  {style('high'.ljust(6), fg='red')} {f.location}: {f.kind}: {f.text}")
        echo(f"  ({len(file.findings)} finding{'s' if len(file.findings) != 1 else ''})")
    total = len(report.files)
    plural = "s" if total != 1 else ""
    if report.passed:
        echo(f"Draft check passed: {total} file{plural} checked, nothing left unfinished.")
    else:
        echo(
            f"Draft check failed: {failing} of {total} file{plural} "
            f"{'is' if failing == 1 else 'are'} not finished; finish what is listed and check again."
        )
