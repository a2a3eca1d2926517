"""``scrtool check accessibility``: would the report meet the accessibility regulations?"""

from __future__ import annotations

from pathlib import Path

import click

from scrtool.cli._common import echo, emit_json, existing_file, json_option, style

_COLOURS = {"high": "red", "medium": "yellow", "low": "bright_black"}


@click.command("accessibility")
@click.argument("files", nargs=-1, required=True, type=existing_file())
@json_option
def command(files: tuple[Path, ...], as_json: bool) -> object:
    """Check that a report can be read by everyone once it is on the website.

    The accessibility regulations for public bodies' websites ask for WCAG 2.2 AA. This
    finds what keeps a screen reader, or someone zooming in, from reading a report: no
    document title, no language, no headings or a skipped heading level, a picture or
    chart without alternative text, a table whose first row is not marked as a header
    row, a link whose text is a bare address or "click here", body text under 9 points,
    and in a PDF, no tags. Each finding says where it is and how to fix it in Word.
    FILE is .docx or .pdf. The rules, and the WCAG success criterion each one serves,
    are in schemas/accessibility.toml (docs/check-accessibility.md explains each).

    Exit code 0 when every file passes, 1 when any has a high or medium finding, 2 when
    a file cannot be read.

    \b
    Example:
      scrtool check accessibility final/overview-report.docx
      scrtool check accessibility final/NS-2026-01-report.pdf --json
    """
    from scrtool.checks.accessibility import check_accessibility

    report = check_accessibility(list(files))
    if as_json:
        emit_json(report.to_json())
    else:
        render(report)
    return report


def render(report: object) -> None:
    from scrtool.checks.accessibility import AccessibilityReport, load_rules

    assert isinstance(report, AccessibilityReport)
    rules = load_rules()
    failing = 0
    for file in report.files:
        verdict = (
            style("passed", fg="green") if file.passed else style("FAILED", fg="red", bold=True)
        )
        echo(f"{file.path}: {verdict}")
        if not file.findings:
            echo("  nothing found")
            continue
        if not file.passed:
            failing += 1
        for f in file.findings:
            sev = style(f.severity.ljust(6), fg=_COLOURS.get(f.severity))
            echo(f"  {sev} {f.location}: {f.kind}: {f.text}")
        echo(f"  ({len(file.findings)} finding{'s' if len(file.findings) != 1 else ''})")
        echo("  How to fix them:")
        for f in {f.kind: f for f in file.findings}.values():
            echo(f"    - {f.kind} (WCAG {rules.rule(f.kind).wcag}): {f.advice}")
    total = len(report.files)
    plural = "s" if total != 1 else ""
    if report.passed:
        echo(
            f"Accessibility check passed: {total} file{plural} checked, nothing that keeps "
            "anyone from reading them."
        )
    else:
        echo(
            f"Accessibility check failed: {failing} of {total} file{plural} "
            f"{'needs' if failing == 1 else 'need'} fixing before publication; fix what is "
            "listed and check again."
        )
