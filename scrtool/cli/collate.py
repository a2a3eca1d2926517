from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import case_option, echo, emit_json, json_option, note

#: Rows needing attention listed on screen; the rest are on the sheet.
SHOWN = 10
#: What --docx holds when it is given without a file name.
DOCX_DEFAULT = "\0default"


@click.command("collate")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The merged workbook to write (.xlsx). Default with a case: working/chronology.xlsx.",
)
@click.option(
    "--docx",
    is_flag=False,
    flag_value=DOCX_DEFAULT,
    default=None,
    metavar="[OUT.docx]",
    help="Also write the chronology as a landscape Word table (.docx). Without a file name: "
    "working/chronology.docx with a case, else beside the workbook.",
)
@click.option(
    "--schema",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A chronology schema (.toml) with your own columns and header names.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with code 1 when any row needs attention or a file in the inputs was skipped.",
)
@click.option(
    "--skip-unreadable",
    is_flag=True,
    help="Leave out returns that cannot be read (with a note) instead of stopping.",
)
@case_option
@json_option
def command(
    inputs: tuple[Path, ...],
    output: Path | None,
    docx: str | None,
    schema: Path | None,
    strict: bool,
    skip_unreadable: bool,
    case_dir: Path | None,
    as_json: bool,
) -> object:
    """Merge agencies' chronology returns into one sorted, traceable chronology.

    INPUTS are returns (.xlsx, .xlsm, .xls, .ods, .csv) or folders holding them. The
    output workbook has the sheets Chronology (every dated row, sorted, with the file,
    sheet and row it came from), Needs attention (rows that could not be placed, and
    why) and Summary. Nothing in the returns is changed.

    With --case (or inside a case folder) and no INPUTS, it reads returns/ and writes
    working/chronology.xlsx; --output and INPUTS override those.

    \b
    Example:
      scrtool collate returns/ --output working/chronology.xlsx --docx working/chronology.docx
      scrtool collate --case NS-2026-01 --strict --docx
    """
    from scrtool.case import find_case
    from scrtool.chronology.collate import collate
    from scrtool.errors import InputError, OutputError
    from scrtool.readers.spreadsheets import SPREADSHEET_SUFFIXES

    case = find_case(case_dir, required=case_dir is not None)
    sources: list[Path] = list(inputs)
    if docx is not None and docx != DOCX_DEFAULT and not docx.lower().endswith(".docx"):
        # "--docx returns/": the option took a return (or its folder) as its file name.
        if Path(docx).is_dir() or Path(docx).suffix.lower() in SPREADSHEET_SUFFIXES:
            sources.insert(0, Path(docx))
            docx = DOCX_DEFAULT
        else:
            raise click.BadParameter(
                f'"{docx}" is not a Word file name; give one ending .docx, or --docx alone',
                param_hint="--docx",
            )
    if not sources:
        if case is None:
            raise InputError(
                "no returns were named",
                advice="name the returns or their folder, or run inside a case folder (or use --case DIR)",
            )
        sources = [case.folder("returns")]
    if output is None:
        if case is None:
            raise OutputError(
                "no output workbook was named",
                advice="give one with --output chronology.xlsx, or use --case DIR",
            )
        output = case.chronology_path
    docx_path: Path | None = None
    if docx == DOCX_DEFAULT:
        docx_path = (
            case.path("chronology_docx")
            if case is not None and output == case.chronology_path
            else output.with_suffix(".docx")
        )
    elif docx is not None:
        docx_path = Path(docx)
    result = collate(
        sources,
        output=output,
        docx=docx_path,
        schema=schema,
        strict=strict,
        skip_unreadable=skip_unreadable,
        case=case,
        on_note=note,
    )
    if as_json:
        emit_json(result)
    else:
        echo(
            f"Collated {len(result.inputs)} return{'s' if len(result.inputs) != 1 else ''}: "
            f"{result.rows_read} row{'s' if result.rows_read != 1 else ''} read, "
            f"{result.rows_merged} in the chronology, "
            f"{result.rows_needing_attention} needing attention, "
            f"{result.possible_duplicates} possible duplicate"
            f"{'s' if result.possible_duplicates != 1 else ''}."
        )
        for item in result.inputs:
            echo(
                f"  {item.path.name}: {item.agency}, {item.rows} row{'s' if item.rows != 1 else ''}"
            )
        if result.agencies_without_return:
            echo("No return from: " + "; ".join(result.agencies_without_return) + ".")
        if result.returns_without_agency:
            echo(
                "Returns that match no agency in case.toml: "
                + "; ".join(Path(p).name for p in result.returns_without_agency)
                + '. Add the agency, or the file name to its "files", in case.toml.'
            )
        if result.skipped:
            echo(
                f"Skipped {len(result.skipped)} file{'s' if len(result.skipped) != 1 else ''} "
                "that are not returns scrtool could read: "
                + "; ".join(Path(p).name for p in result.skipped)
                + "."
            )
        echo(f"Wrote {result.output}")
        if result.docx is not None:
            echo(f"Wrote {result.docx}")
        if result.rows_needing_attention:
            echo(
                f'Check the "Needs attention" sheet: {result.rows_needing_attention} '
                f"row{'s' if result.rows_needing_attention != 1 else ''} could not be placed."
            )
            shown = result.attention[:SHOWN]
            for row in shown:
                echo(f"  {row.sentence()}")
            if result.rows_needing_attention > len(shown):
                echo(f"  ...and {result.rows_needing_attention - len(shown)} more on that sheet.")
    return result
