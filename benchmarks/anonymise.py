"""How fast ``scrtool anonymise`` and ``scrtool timeline`` are: ``python3 benchmarks/anonymise.py``.

Builds, in a temporary folder, a 200-page report (.docx: headings, paragraphs naming the
family, a table every few pages, a header) and a 30,000-row merged chronology (.xlsx, as
``scrtool collate`` writes it), with the sample case's register and pseudonyms. Then, in
this process, median of a few repeats:

(a) the floor for the report: python-docx opening it, a plain ``str.replace`` of every
    register name in every run of every paragraph (body, tables, headers, footers), and
    saving it;
(b) ``anonymise`` on the report (every part, names across runs, then the check);
(c) the floor for the chronology: openpyxl opening it, ``str.replace`` in every text
    cell, and saving it;
(d) ``anonymise`` on the chronology;
(e) the floor for the timeline: matplotlib (Agg) drawing the same 30,000 points bare, one
    scatter per agency, saved as PDF;
(f) ``make_timeline`` on the chronology (reading it, working out the lanes, gaps and
    labels, drawing and writing the tagged PDF).

Goals: (b) at most 2x (a), (d) at most 2x (c), (f) under 3x (e).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PAGES = 200
PARAGRAPHS_PER_PAGE = 7
ROWS = 30_000

SENTENCES = [
    "Stacey Harrowgate took Lily-Mae Harrowgate to the GP on {date}; weight gain was slow.",
    "Dean Voss was seen at Larkspur Close by the police at {time}.",
    "Kayden Harrowgate told his teacher at Brambleford Primary School that he was hungry.",
    "Northshire Children's Social Care held a strategy discussion about Lily-Mae's injuries.",
    "The health visitor could not visit Easthaven that week; no one followed it up.",
    "The review found that practitioners did not always ask about the men in the home.",
    "Learning point: agencies should check who lives in the household at each visit.",
]
AGENCIES = [
    "Northshire Police", "Northshire Children's Social Care", "Brookside Medical Practice",
    "Northshire Health Visiting Service", "Northshire Education Service",
    "Northshire Ambulance Service", "Northshire Probation Service", "Easthaven Housing",
    "Northshire Hospital", "Northshire Mental Health", "Northshire Youth Justice",
    "Northshire Early Help",
]  # fmt: skip


def fill(rng: random.Random) -> str:
    text = rng.choice(SENTENCES)
    day = dt.date(2024, 4, 1) + dt.timedelta(days=rng.randrange(600))
    return text.format(date=day.strftime("%d/%m/%Y"), time=f"{rng.randrange(24):02d}:15")


def make_report(path: Path, rng: random.Random) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Review of Lily-Mae Harrowgate: draft"
    for page in range(PAGES):
        document.add_heading(f"Part {page + 1}", level=2)
        for _ in range(PARAGRAPHS_PER_PAGE):
            paragraph = document.add_paragraph()
            for _ in range(3):
                paragraph.add_run(fill(rng) + " ")
        if page % 5 == 0:
            table = document.add_table(rows=3, cols=3)
            for cell in table._cells:
                cell.text = fill(rng)
        document.add_page_break()
    document.save(str(path))


def make_chronology(path: Path, rng: random.Random) -> None:
    from scrtool.chronology.returns import Entry
    from scrtool.chronology.schema import load_schema
    from scrtool.chronology.workbook import write_workbook
    from scrtool.dates import PartialDate

    entries = []
    for row in range(ROWS):
        agency = rng.choice(AGENCIES)
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1400))
        entries.append(
            Entry(
                date=PartialDate(day, "day", False, ""),
                time=None,
                time_text="",
                agency=agency,
                values={
                    "Details": fill(rng) + " " + fill(rng),
                    "Event type": rng.choice(["Home visit", "Incident", "Referral"]),
                    "Action taken": "Referred to Easthaven early help; Stacey Harrowgate told.",
                    "Key event": "Yes" if rng.random() < 0.002 else "No",
                },
                file=f"{agency}.xlsx",
                sheet="Chronology",
                row=row + 2,
                order=0,
                ref=f"AG-{row + 2}",
            )
        )
    entries.sort(key=lambda e: e.date.start)
    write_workbook(path, entries=entries, attention=[], inputs=[], schema=load_schema())


def case_folder(root: Path) -> Path:
    shutil.copy(REPO / "samples" / "case.toml", root / "case.toml")
    return root


def names() -> list[tuple[str, str]]:
    from scrtool.anonymise.pseudonyms import load_table
    from scrtool.case import load_case

    return list(load_table(load_case(REPO / "samples")).pairs)


def floor_docx(source: Path, target: Path, pairs: list[tuple[str, str]]) -> None:
    import docx

    document = docx.Document(str(source))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for cell in table._cells:
            paragraphs.extend(cell.paragraphs)
    for section in document.sections:
        paragraphs.extend(section.header.paragraphs)
        paragraphs.extend(section.footer.paragraphs)
    for paragraph in paragraphs:
        for run in paragraph.runs:
            text = run.text
            for real, pseudonym in pairs:
                text = text.replace(real, pseudonym)
            run.text = text
    document.save(str(target))


def floor_xlsx(source: Path, target: Path, pairs: list[tuple[str, str]]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(source)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value
                    for real, pseudonym in pairs:
                        text = text.replace(real, pseudonym)
                    cell.value = text
    book.save(target)


def floor_timeline(source: Path, target: Path) -> None:
    """The same points, bare: read the dates and agencies, one scatter per agency, save."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    from scrtool.chronology.timeline import read_events

    events = read_events(source)
    lanes: dict[str, list[dt.date]] = {}
    for e in events:
        lanes.setdefault(e.agency, []).append(e.day)
    fig = Figure(figsize=(11.69, 8.27))
    ax = fig.add_subplot()
    for lane, (_name, days) in enumerate(lanes.items()):
        ax.scatter(mdates.date2num(days), [lane] * len(days), s=36)
    fig.savefig(target, format="pdf")


def median_time(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from scrtool.anonymise.run import anonymise
    from scrtool.case import load_case
    from scrtool.chronology.timeline import make_timeline

    rng = random.Random(17)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        case = load_case(case_folder(root))
        report = root / "report.docx"
        chronology = root / "chronology.xlsx"
        make_report(report, rng)
        make_chronology(chronology, rng)
        pairs = names()
        out = root / "out"
        out.mkdir()
        print(f"report: {PAGES} pages, {report.stat().st_size // 1024} KB")
        print(f"chronology: {ROWS} rows, {chronology.stat().st_size // 1024} KB")
        results = []
        a = median_time(lambda: floor_docx(report, out / "floor.docx", pairs), args.repeats)
        b = median_time(
            lambda: anonymise([report], case=case, output_dir=out / "docx"), args.repeats
        )
        results.append(("anonymise report (.docx)", a, b, 2.0))
        c = median_time(lambda: floor_xlsx(chronology, out / "floor.xlsx", pairs), args.repeats)
        d = median_time(
            lambda: anonymise([chronology], case=case, output_dir=out / "xlsx"), args.repeats
        )
        results.append(("anonymise chronology (.xlsx)", c, d, 2.0))
        e = median_time(lambda: floor_timeline(chronology, out / "floor.pdf"), args.repeats)
        f = median_time(
            lambda: make_timeline(case=case, chronology=chronology, output=out / "t.pdf"),
            args.repeats,
        )
        results.append(("timeline, 30,000 rows (.pdf)", e, f, 3.0))
        for label, floor, ours, goal in results:
            ratio = ours / floor
            verdict = "within goal" if ratio <= goal else "OVER GOAL"
            print(
                f"{label}: floor {floor:.2f}s, scrtool {ours:.2f}s, "
                f"ratio {ratio:.2f}x (goal {goal:.0f}x) {verdict}"
            )


if __name__ == "__main__":
    main()
