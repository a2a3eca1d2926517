from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import case_option, echo, emit_json, existing_file, json_option, note


@click.command("anonymise")
@click.argument("files", nargs=-1, required=True, type=existing_file())
@click.option(
    "--output-dir",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the copies (each keeps its file name).",
)
@click.option(
    "--personalise",
    is_flag=True,
    help="Put the real names back in place of the pseudonyms (for working copies that stay "
    "inside the partnership).",
)
@case_option
@json_option
def command(
    files: tuple[Path, ...],
    output_dir: Path,
    personalise: bool,
    case_dir: Path | None,
    as_json: bool,
) -> object:
    """Copy Word and Excel files with every register name replaced by its pseudonym.

    FILES are .docx and .xlsx files. The pseudonyms come from [register.pseudonyms] in
    case.toml ("Lily-Mae Harrowgate" = "Child A"). Every place the redaction check
    reads is covered: the body, tables, headers, footers, footnotes, endnotes, comments,
    text boxes and document properties of a Word file; the cells, sheet names, comments,
    headers and footers of a workbook. Possessives and parts of names follow the
    redaction check ("Lily-Mae's" becomes "Child A's"), and each copy is then checked
    for names. The files themselves are never changed.

    Exit code 0 when every copy passes the redaction check for names, 1 when a copy
    still holds one, 2 when a file cannot be read or a name has no pseudonym.

    \b
    Example:
      scrtool anonymise working/report-draft.docx --case . --output-dir final/
      scrtool anonymise final/report.docx --personalise --output-dir working/named/
    """
    from scrtool.anonymise.run import anonymise
    from scrtool.case import find_case

    case = find_case(case_dir, required=True)
    result = anonymise(files, case=case, output_dir=output_dir, personalise=personalise)
    if as_json:
        emit_json(result)
    else:
        verb = "Personalised" if personalise else "Anonymised"
        for item in result.outputs:
            n = item.replacements
            echo(
                f"{verb} {item.source.name}: {n} "
                f"{'name' if not personalise else 'pseudonym'}{'s' if n != 1 else ''} replaced; "
                f"wrote {item.file}"
            )
        for item in result.outputs:
            if item.pseudonyms_before:
                note(
                    f"{item.source.name} already held {item.pseudonyms_before} pseudonym"
                    f"{'s' if item.pseudonyms_before != 1 else ''} before anonymising; "
                    "personalising the copy would turn those into real names too."
                )
        if not personalise:
            if result.passed:
                echo(
                    "Every copy passes the redaction check for names (run "
                    '"scrtool check redaction" for numbers, addresses and hidden content).'
                )
            else:
                for item in result.outputs:
                    for name in item.names_left:
                        note(f"{item.file}: the register name {name} is still there")
                echo(
                    "Some copies still hold register names (listed on stderr): correct them "
                    "in the original, or add the name to [register.pseudonyms], and run "
                    "anonymise again."
                )
        else:
            note(
                "These copies hold real names: keep them inside the partnership, never publish them."
            )
    return result
