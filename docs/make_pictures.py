"""Make docs/outputs.md and its pictures from ``scrtool demo``: ``python3 docs/make_pictures.py``.

Runs the demo in a temporary folder, has LibreOffice print each output to PDF (as the
rendering tests do), turns the first page of each into a small PNG with ``pdftoppm`` and
writes the page that shows them. Run it again whenever an output's look changes, so the
pictures never go stale. Needs LibreOffice (``soffice``) and poppler (``pdftoppm``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PICTURES = HERE / "pictures"
PAGE = HERE / "outputs.md"
#: Width of each picture in pixels: enough to see the layout, small in the repository.
WIDTH = 560

#: (picture name, file in the demo case folder, title, what it is for)
OUTPUTS: list[tuple[str, str, str, str]] = [
    (
        "chronology-workbook",
        "working/chronology.xlsx",
        "Merged chronology workbook (`scrtool collate`)",
        "Every agency's return in one date-ordered sheet, each row naming the file, sheet "
        "and row it came from; a Needs attention sheet for rows that could not be placed; "
        "a Summary sheet with counts per agency and a chart per month. Prints landscape, "
        "one page wide, with the header on every page.",
    ),
    (
        "chronology-document",
        "working/chronology.docx",
        "Merged chronology as a Word table (`scrtool collate --docx`)",
        "The same rows for the panel pack, from `templates/chronology.docx`: the header "
        "repeats on every page and no row breaks across pages.",
    ),
    (
        "request-letter",
        "requests/Northshire Police request.docx",
        "Request letter (`scrtool requests`)",
        "The letter that asks an agency for its chronology, with the period, the return "
        "date and who to send it to.",
    ),
    (
        "blank-return",
        "requests/Northshire Police chronology return.xlsx",
        "Blank chronology return (`scrtool requests`)",
        "The workbook the agency fills in: the columns collate reads, dropdowns and date "
        "checks, and an Instructions sheet. It is blank and prints one page.",
    ),
    (
        "overview-report",
        "working/overview-report.docx",
        "Overview report draft (`scrtool report`)",
        "The report's skeleton in the order the guidance asks for, filled from case.toml, "
        "the chronology and the action plan; placeholders in [brackets] are for the author.",
    ),
    (
        "partnership-response",
        "working/partnership-response.docx",
        "Partnership response draft (`scrtool report`)",
        "What was done, what difference it made and what more will be done, from the action plan.",
    ),
    (
        "screening-decision",
        "working/screening-decision.docx",
        "Screening decision record (`scrtool screen`)",
        "The answers to the statutory criteria, the decision and its grounds.",
    ),
    (
        "action-plan",
        "working/action-plan.xlsx",
        "Action plan (`scrtool new`, read by `scrtool actions`)",
        "The partnership's actions with lead agency, due date and status; the demo uses "
        "the sample plan of the fictional review.",
    ),
    (
        "annual-summary",
        "working/reviews-summary.xlsx",
        "Annual summary workbook (`scrtool summary`)",
        "One row per review with its dates and whether it met the targets, and charts of "
        "reviews by month and of action status, for the partnership's yearly report.",
    ),
    (
        "panel-letter",
        "working/panel-letter.docx",
        "Letter to the National Panel (`scrtool report`)",
        "The covering letter sent with the report and response to the Child Safeguarding "
        "Practice Review Panel.",
    ),
    (
        "timeline",
        "working/timeline.pdf",
        "Timeline (`scrtool timeline`)",
        "The chronology as a picture: one lane per agency, key events labelled, gaps "
        "shaded, for panel meetings.",
    ),
    (
        "panel-bundle",
        "submission/NS-2026-01-panel-submission.pdf",
        "Panel bundle (`scrtool package`)",
        "The PDF sent to the National Panel: a cover sheet, an index with links, the "
        "report and response, bookmarks and one page numbering throughout.",
    ),
    (
        "website-copy",
        "website/NS-2026-01-report.pdf",
        "Website copy (`scrtool publish`)",
        "The report as published on the partnership's website: a tagged PDF (PDF/UA) that "
        "a screen reader can follow, bookmarked from its headings, titled, in British "
        "English, with nobody's name in its properties.",
    ),
]


def _shrink(png: Path) -> None:
    """Fewer colours, a much smaller file (with Pillow, when it is installed)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=48)
    small.save(png, optimize=True)


def main() -> int:
    sys.path.insert(0, str(REPO))
    from scrtool.bundle.convert import convert_to_pdf
    from scrtool.demo import run_demo

    if not shutil.which("pdftoppm"):
        print("pdftoppm (poppler) is needed", file=sys.stderr)
        return 2
    PICTURES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scrtool-pictures-") as work_name:
        work = Path(work_name)
        result = run_demo(work / "demo")
        if result.failed:
            print("the demo did not run cleanly", file=sys.stderr)
            return 1
        case = work / "demo"
        to_convert = [case / rel for _, rel, _, _ in OUTPUTS if not rel.endswith(".pdf")]
        converted = iter(convert_to_pdf(to_convert, work / "pdf"))
        for name, rel, _, _ in OUTPUTS:
            pdf = case / rel if rel.endswith(".pdf") else next(converted)
            target = PICTURES / name
            subprocess.run(
                [
                    "pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile",
                    "-scale-to-x", str(WIDTH), "-scale-to-y", "-1", str(pdf), str(target),
                ],
                check=True,
            )  # fmt: skip
            _shrink(target.with_suffix(".png"))
    lines = [
        "# What scrtool makes",
        "",
        "The first page of each output of `scrtool demo`, as LibreOffice prints it. The",
        "pictures are made by `docs/make_pictures.py` from the demo; run it again after",
        "changing how an output looks. Every name in them is invented.",
        "",
        "Every workbook shares one house style (`scrtool/workbook_style.py`): columns fitted",
        "to their content, rows tall enough for wrapped text, a frozen header row with a",
        "filter, and a print setup of landscape, one page wide, the header row on every page",
        'and a footer with the review reference, "OFFICIAL-SENSITIVE" and "Page N of M".',
        "",
    ]
    for name, rel, title, purpose in OUTPUTS:
        lines += [
            f"## {title}",
            "",
            f"`{rel}`: {purpose}",
            "",
            f"![{title}](pictures/{name}.png)",
            "",
        ]
    PAGE.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {PAGE} and {len(OUTPUTS)} pictures in {PICTURES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
