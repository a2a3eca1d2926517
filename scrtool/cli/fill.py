"""``scrtool fill``: one document from a Word template, or one per spreadsheet row."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from scrtool.cli._common import colour_allowed, echo, emit_json, existing_file, json_option


@click.command(name="fill")
@click.argument("template", type=existing_file())
@click.option(
    "--data",
    type=existing_file(),
    help="The values for one document: .toml, .json, .yaml/.yml, or .xlsx (names in column A, values in B).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The document to write (with --data).",
)
@click.option(
    "--rows",
    type=existing_file(),
    help="One document per row: .xlsx (first sheet) or .csv, with the variable names in the first row.",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the documents (with --rows).",
)
@click.option(
    "--name",
    "pattern",
    metavar="PATTERN",
    help='How to name each document, from its row: "{agency} request.docx" (default: the '
    "template's name and the row number).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Fill this many documents at once (one process each).",
)
@json_option
def command(
    template: Path,
    data: Path | None,
    output: Path | None,
    rows: Path | None,
    output_dir: Path | None,
    pattern: str | None,
    jobs: int,
    as_json: bool,
) -> None:
    """Fill a Word template with data: one document, or one for each row of a spreadsheet.

    The template is a .docx with tags typed into it: {{ ref }} prints a value, and
    {%p for a in actions %} ... {%p endfor %} repeats paragraphs. Values appear exactly as
    written (& < > and quotes included); dates print as 3 July 2026 unless the template
    says otherwise ({{ due|date("%d/%m/%Y") }}). Every variable the template uses must be
    in the data: the ones missing are all named (with --rows, by row) and nothing is
    written. With --rows, either every document is written or none is.

    \b
    Example:
      scrtool fill letter.docx --data letter.toml --output "Police letter.docx"
      scrtool fill letter.docx --rows agencies.xlsx --output-dir letters --name "{agency} request.docx" --jobs 2
    """
    from scrtool.drafting.templates import fill_one, fill_rows

    if (data is None) == (rows is None):
        raise click.UsageError("give either --data (one document) or --rows (one per row).")
    if data is not None:
        if output is None:
            raise click.UsageError("--data needs --output, the document to write.")
        if output_dir is not None or pattern is not None:
            raise click.UsageError("--output-dir and --name go with --rows, not --data.")
        result = fill_one(template, data=data, output=output)
    else:
        assert rows is not None
        if output_dir is None:
            raise click.UsageError("--rows needs --output-dir, the folder for the documents.")
        if output is not None:
            raise click.UsageError("--output goes with --data; with --rows give --output-dir.")
        bar = _Progress()
        try:
            result = fill_rows(
                template,
                rows=rows,
                output_dir=output_dir,
                name=pattern,
                jobs=jobs,
                progress=bar.advance,
            )
        finally:
            bar.close()
    if as_json:
        emit_json(result)
        return
    count = result.count
    echo(f"Filled {count} document{'s' if count != 1 else ''} from {template.name}:")
    for path in result.outputs:
        echo(f"  {path}")


class _Progress:
    """A progress bar on stderr, made on first use (only where stderr is a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._enabled = sys.stderr.isatty()
        self._done = 0
        self._plain = ""

    def advance(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        if not colour_allowed():
            # click's bar hides the cursor with escape codes; NO_COLOR asks for none.
            self._plain = f"Filling: {self._done + done} of {total}"
            self._done += done
            sys.stderr.write("\r" + self._plain)
            sys.stderr.flush()
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="Filling", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done)

    def close(self) -> None:
        if self._plain:
            sys.stderr.write("\n")
            sys.stderr.flush()
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
