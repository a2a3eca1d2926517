"""Would the report meet the accessibility regulations as published? The last check
before the partnership puts a report on its website.

A .docx is read in ``accessibility_docx`` (what Word's own checker would flag), a PDF
in ``accessibility_pdf`` (its tags, title, language, alternative text, table headers
and bookmarks). Both report through the rules and dataclasses of
``accessibility_rules``: each kind of finding with its WCAG 2.2 success criterion and
how to fix it, from ``schemas/accessibility.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrtool.checks.accessibility_rules import (
    AccessibilityReport,
    FileReport,
    Finding,
    Rules,
    load_rules,
)
from scrtool.checks.redaction import FAILING

__all__ = [
    "SUFFIXES",
    "AccessibilityReport",
    "FileReport",
    "Finding",
    "Rules",
    "check_accessibility",
    "check_file",
    "load_rules",
    "refusal_lines",
]

SUFFIXES = (".docx", ".pdf")


def _check_path(path: Path) -> None:
    from scrtool.readers.documents import check_path

    check_path(path, suffixes=SUFFIXES)


def check_file(path: Path, rules: Rules) -> FileReport:
    """One file's findings. A file that cannot be read raises ``InputError`` (exit 2)."""
    from scrtool.readers.documents import check_not_empty

    path = Path(path)
    _check_path(path)
    check_not_empty(path)
    if path.suffix.lower() == ".pdf":
        from scrtool.checks.accessibility_pdf import pdf_findings

        return FileReport.of(path, pdf_findings(path, rules))
    from scrtool.checks.accessibility_docx import docx_findings

    return FileReport.of(path, docx_findings(path, rules))


def check_accessibility(
    paths: Sequence[Path], *, rules: Rules | None = None
) -> AccessibilityReport:
    """Check each .docx or .pdf for what keeps a screen reader or a zoomed screen from
    reading it. Every path is checked before any is read."""
    paths = [Path(p) for p in paths]
    for path in paths:
        _check_path(path)
    rules = rules or load_rules()
    return AccessibilityReport.of([check_file(p, rules) for p in paths])


def refusal_lines(report: AccessibilityReport | Mapping[str, Any]) -> list[str]:
    """One line per failing finding, naming the file, the place and how to fix it."""
    data = report.to_json() if isinstance(report, AccessibilityReport) else report
    lines = []
    for entry in data.get("files", []):
        name = Path(str(entry.get("path"))).name
        for f in entry.get("findings", []):
            if f.get("severity") not in FAILING:
                continue
            lines.append(
                f'{name}: not accessible: {f.get("kind")} "{f.get("text")}" '
                f"({f.get('location')}); {str(f.get('advice', '')).rstrip('.')}."
            )
    return lines
