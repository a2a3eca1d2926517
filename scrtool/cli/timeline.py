from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import case_option, echo, emit_json, json_option


@click.command("timeline")
@click.option(
    "--input",
    "chronology",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The merged chronology (.xlsx). Default with a case: working/chronology.xlsx.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The picture to write: .pdf (one A4 landscape page), .png or .svg.",
)
@case_option
@json_option
def command(chronology: Path | None, output: Path, case_dir: Path | None, as_json: bool) -> None:
    """Draw the merged chronology as a timeline: who saw the child when.

    One row per agency and a mark per event; key events (Key event = Yes) are labelled
    with their event type and reference; the review period and the longest gaps with
    no recorded contact are shaded; the child's age runs along the top when case.toml
    gives the date of birth. The title is the review reference and the child's
    pseudonym. It prints on A4 landscape and reads in greyscale; the PDF and SVG carry
    alternative text written from the data.

    \b
    Example:
      scrtool timeline --case . --output working/timeline.pdf
      scrtool timeline --input chronology.xlsx --output timeline.png --json
    """
    from scrtool.case import find_case
    from scrtool.chronology.timeline import make_timeline

    case = find_case(case_dir, required=case_dir is not None)
    result = make_timeline(case=case, chronology=chronology, output=output)
    if as_json:
        emit_json(result)
        return
    data = result.data
    echo(
        f"Drew {len(data.events)} events from {len(data.agencies)} agencies "
        f"({len(data.key_events)} key events labelled); wrote {result.output}"
    )
    echo(f"Alternative text: {data.alt_text()}")
