from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scrtool.cli._common import (
    case_option,
    echo,
    emit_json,
    existing_file,
    json_option,
    note,
    style,
)

if TYPE_CHECKING:
    from scrtool.checks.redaction import Finding


@click.command("redaction")
@click.argument("files", nargs=-1, required=True, type=existing_file())
@click.option(
    "--terms",
    "terms_file",
    type=existing_file(),
    default=None,
    help="A text file of real names and places to look for, one a line (# starts a note).",
)
@case_option
@json_option
def command(
    files: tuple[Path, ...], terms_file: Path | None, case_dir: Path | None, as_json: bool
) -> object:
    """Check that nothing in a report identifies the child or family.

    Looks in every place a reader may never see: headers and footers, footnotes,
    comments, tracked changes, hidden text, text boxes, document properties, PDF
    metadata, attachments, scripts, text under black boxes and earlier versions kept
    inside a PDF. It reports the case register's real names and places (from case.toml
    and --terms), NHS and National Insurance numbers, postcodes, phone numbers, email
    addresses, dates of birth and street addresses. FILE is .docx, .pdf, .txt or .md.

    Exit code 0 when every file passes, 1 when any has a high or medium finding, 2 when
    a file cannot be read.

    \b
    Example:
      scrtool check redaction final/overview-report.docx --case .
      scrtool check redaction report.pdf --terms real-names.txt --json
    """
    from scrtool.case import find_case
    from scrtool.checks.redaction import check_redaction, read_terms_file

    terms = read_terms_file(terms_file) if terms_file is not None else []
    if terms_file is not None and not terms:
        from scrtool.errors import InputError

        # Checking with no names while the user thinks they were given would pass unseen.
        raise InputError(
            "has no names in it",
            file=terms_file,
            advice="write one real name or place a line (a line starting with # is a note)",
        )
    case = find_case(case_dir, required=False)
    if not terms and (case is None or not case.register_terms):
        note(
            "No real names to look for (give --terms FILE, or --case DIR with names under "
            "[register] in case.toml): checking identifiers and hidden places only."
        )
    report = check_redaction(list(files), terms=terms, case=case)
    if as_json:
        emit_json(report.to_json())
    else:
        render(report)
    return report


_COLOURS = {"high": "red", "medium": "yellow", "low": "bright_black"}
_PAGE = re.compile(r"page (\d+)")


def _grouped(findings: Sequence[Finding]) -> list[tuple[str, str, str, str]]:
    """(severity, location, kind, text) for people: the same finding on a run of pages
    (a name in a running header of a PDF) is one line, "pages 9 to 36", not 28. The
    JSON keeps every page."""
    rows: list[tuple[str, str | list[int], str, str]] = []
    last_row: dict[tuple[str, str, str], int] = {}
    for f in findings:
        match = _PAGE.fullmatch(f.location)
        if match is None:
            rows.append((f.severity, f.location, f.kind, f.text))
            continue
        page = int(match.group(1))
        key = (f.severity, f.kind, f.text)
        index = last_row.get(key)
        if index is not None:
            pages = rows[index][1]
            if isinstance(pages, list) and pages[-1] == page - 1:
                pages.append(page)
                continue
        last_row[key] = len(rows)
        rows.append((f.severity, [page], f.kind, f.text))
    shown = []
    for severity, where, kind, text in rows:
        if isinstance(where, list):
            where = (
                f"page {where[0]}"
                if len(where) == 1
                else f"pages {where[0]} to {where[-1]} ({len(where)} pages)"
            )
        shown.append((severity, where, kind, text))
    return shown


def render(report: object) -> None:
    from scrtool.checks.redaction import RedactionReport

    assert isinstance(report, RedactionReport)
    failing = 0
    for file in report.files:
        counts = {s: sum(1 for f in file.findings if f.severity == s) for s in _COLOURS}
        verdict = (
            style("passed", fg="green") if file.passed else style("FAILED", fg="red", bold=True)
        )
        echo(f"{file.path}: {verdict}")
        if not file.findings:
            echo("  nothing found")
        for severity, location, kind, text in _grouped(file.findings):
            sev = style(severity.ljust(6), fg=_COLOURS[severity])
            echo(f"  {sev} {location}: {kind}: {text}")
        if not file.passed:
            failing += 1
        if file.findings:
            echo(
                f"  ({counts['high']} high, {counts['medium']} medium, {counts['low']} low; "
                "only high and medium fail)"
            )
        advice = dict.fromkeys(f.advice for f in file.findings if f.fails)
        if advice:
            echo("  What to do (as scrtool package says it):")
            for line in advice:
                echo(f"    - {line}")
    total = len(report.files)
    if report.passed:
        low = any(f.findings for f in report.files)
        echo(
            f"Redaction check passed: {total} file{'s' if total != 1 else ''} checked, "
            + (
                "nothing high or medium (look over the low findings before publishing)."
                if low
                else "nothing that identifies anyone."
            )
        )
    else:
        echo(
            f"Redaction check failed: {failing} of {total} file{'s' if total != 1 else ''} "
            f"{'holds' if failing == 1 else 'hold'} something that may identify the child or "
            "family; remove it and check again."
        )
