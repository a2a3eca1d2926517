"""Benchmark ``scrtool fill --rows`` against a plain docxtpl loop (the floor).

Run: ``python3 benchmarks/fill.py``. Builds a one-page letter template and 200 rows in a
temporary folder, then measures, median of a few repeats:

(a) the floor: a plain docxtpl loop rendering and saving 200 letters from one template;
(b) ``scrtool fill --rows`` for the same 200 rows with ``--jobs 1`` (the whole command,
    in a fresh process, as a user runs it);
(c) the same with ``--jobs 2``.

Goals: (b) at most 1.2x the floor; (c) at most 0.75x the floor on two cores.
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 200
REPEATS = 3
REPO = Path(__file__).resolve().parent.parent


def make_template(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Request for information: review {{ ref }}", 1)
    doc.add_paragraph("{{ contact }}")
    doc.add_paragraph("{{ agency }}")
    doc.add_paragraph("{{ address }}")
    doc.add_paragraph("Dear {{ contact }},")
    for i in range(8):
        doc.add_paragraph(
            "The {{ partnership }} has started a review about {{ child }}. We ask "
            "{{ agency }} for a chronology of its contact with the family between "
            "{{ scope_from }} and {{ scope_to }}. Please return it by {{ due }}. "
            f"This is paragraph {i + 1} of the letter, so it is as long as a real one."
        )
    table = doc.add_table(rows=3, cols=2)
    table.style = doc.styles["Table Grid"]
    for row, (label, value) in zip(
        table.rows,
        [("Reference", "{{ ref }}"), ("Due", "{{ due }}"), ("Email", "{{ email }}")],
        strict=True,
    ):
        row.cells[0].text = label
        row.cells[1].text = value
    doc.sections[0].footer.paragraphs[0].text = "{{ ref }}: request to {{ agency }}"
    doc.add_paragraph("Yours sincerely,")
    doc.add_paragraph("Business support officer, {{ partnership }}")
    doc.save(path)


def make_rows(path: Path) -> list[dict[str, str]]:
    rows = []
    for i in range(ROWS):
        rows.append(
            {
                "ref": "NS-2026-01",
                "agency": f"Agency {i:03d} & Partners",
                "contact": f"Named Officer {i}",
                "address": f"{i} High Street, Northshire",
                "email": f"officer{i}@agency.example",
                "partnership": "Northshire Safeguarding Children Partnership",
                "child": "Child A",
                "scope_from": "1 April 2024",
                "scope_to": "5 January 2026",
                "due": "2 March 2026",
            }
        )
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def floor(template: Path, rows: list[dict[str, str]], out: Path) -> None:
    from docxtpl import DocxTemplate

    out.mkdir()
    for row in rows:
        doc = DocxTemplate(template)
        doc.render(row, autoescape=True)
        doc.save(out / f"{row['agency']} request.docx")


def scrtool_fill(template: Path, rows_file: Path, out: Path, jobs: int) -> None:
    subprocess.run(
        [
            sys.executable, "-m", "scrtool", "fill", str(template), "--rows", str(rows_file),
            "--output-dir", str(out), "--name", "{agency} request.docx", "--jobs", str(jobs),
            "--json",
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def timed(func, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "letter.docx"
        make_template(template)
        rows_file = work / "rows.csv"
        rows = make_rows(rows_file)
        results: dict[str, list[float]] = {"floor": [], "jobs1": [], "jobs2": []}
        for n in range(REPEATS):
            for key, run in (
                ("floor", lambda out: floor(template, rows, out)),
                ("jobs1", lambda out: scrtool_fill(template, rows_file, out, 1)),
                ("jobs2", lambda out: scrtool_fill(template, rows_file, out, 2)),
            ):
                out = work / f"{key}-{n}"
                results[key].append(timed(run, out))
                assert len(list(out.glob("*.docx"))) == ROWS, key
                shutil.rmtree(out)
        med = {k: statistics.median(v) for k, v in results.items()}
        print(f"fill benchmark: {ROWS} letters, median of {REPEATS} runs, {os.cpu_count()} CPUs")
        print(f"(a) floor, plain docxtpl loop:        {med['floor']:.2f} s")
        print(
            f"(b) scrtool fill --rows --jobs 1:       {med['jobs1']:.2f} s  "
            f"ratio {med['jobs1'] / med['floor']:.2f}x  (goal <= 1.20x)"
        )
        print(
            f"(c) scrtool fill --rows --jobs 2:       {med['jobs2']:.2f} s  "
            f"ratio {med['jobs2'] / med['floor']:.2f}x  (goal <= 0.75x)"
        )


if __name__ == "__main__":
    main()
